//! `raftlab`: run Raft scenarios headless. Scenario text in, JSON Lines trace,
//! summaries, share links and hashes out. See `raftlab --help`.

use std::io::{Read, Write};
use std::process::ExitCode;

use sim::units::{format_duration_us, parse_duration_us};
use sim::vopr::{run_seed, VoprConfig};
use sim::{decode_link, encode_link, trace_hash, Ev, Scenario, Sim, SimOptions};

const HELP: &str = "\
raftlab: deterministic Raft simulations from the command line

USAGE:
  raftlab run SCENARIO [--until T] [--trace FILE|-] [--verbose]
      Run the scenario and write its trace as JSON Lines (one event per line,
      each with `t` in µs and `ev`), ending with a `final` line holding every
      node's state. The trace goes to stdout unless --trace names a file.
      --verbose adds `reject` events (inputs a node ignored, e.g. stale terms).
  raftlab check SCENARIO [--until T]
      Run the scenario, print a readable summary; exit 1 on any safety
      violation, 0 otherwise.
  raftlab link SCENARIO [--at T]
      Print the share-link fragment (the part after `#`) for the scenario,
      viewed at time T (default: the end of the run).
  raftlab unlink URL
      Print the scenario text inside a share link (a URL or a fragment).
  raftlab hash SCENARIO [--until T] [--verbose]
      Print the FNV-1a 64 hash (16 hex digits) of the trace's JSON Lines
      (without the final line), to compare runs across builds (wasm, native).
  raftlab soak [--seeds N] [--from S]
      Randomized fault runs (VOPR style): N seeds (default 20000) starting at
      S (default 0), 60 s each, faults then heal; any safety violation or a
      cluster that does not recover is reported with the scenario reproducing it.
      Exit 1 if any seed fails.

  SCENARIO is a file in the scenario language (docs/scenarios.md), a lesson
  file (`*.lesson`, docs/lessons.md: its scenario, narration left out) or `-`
  for stdin.
  T is a duration such as 10s, 1500ms or 1.5s. Without --until, a run lasts
  the scenario's `run` time, or 10s.

OPTIONS:
  -h, --help     Print this help.
";

/// Default run length when the scenario has no `run` line.
const RUN_US_DEFAULT: u64 = 10_000_000;

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("raftlab: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    command: String,
    positional: Vec<String>,
    until_us: Option<u64>,
    at_us: Option<u64>,
    trace: Option<String>,
    verbose: bool,
    seeds: u64,
    from: u64,
}

fn parse_args() -> Result<Option<Args>, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut args = Args {
        command: String::new(),
        positional: Vec::new(),
        until_us: None,
        at_us: None,
        trace: None,
        verbose: false,
        seeds: 20_000,
        from: 0,
    };
    let duration = |v: std::ffi::OsString| -> Result<u64, String> {
        let s = v.into_string().map_err(|_| "not UTF-8".to_string())?;
        parse_duration_us(&s)
            .ok_or_else(|| format!("`{s}` is not a duration such as 10s or 1500ms"))
    };
    let number = |v: std::ffi::OsString| -> Result<u64, String> {
        let s = v.into_string().map_err(|_| "not UTF-8".to_string())?;
        s.parse().map_err(|_| format!("`{s}` is not a number"))
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long("verbose") => args.verbose = true,
            Long("until") => {
                args.until_us = Some(duration(parser.value().map_err(|e| e.to_string())?)?)
            }
            Long("at") => args.at_us = Some(duration(parser.value().map_err(|e| e.to_string())?)?),
            Long("trace") => {
                args.trace = Some(
                    parser
                        .value()
                        .map_err(|e| e.to_string())?
                        .string()
                        .map_err(|e| e.to_string())?,
                )
            }
            Long("seeds") => args.seeds = number(parser.value().map_err(|e| e.to_string())?)?,
            Long("from") => args.from = number(parser.value().map_err(|e| e.to_string())?)?,
            Value(v) => {
                let v = v.string().map_err(|e| e.to_string())?;
                if args.command.is_empty() {
                    args.command = v;
                } else {
                    args.positional.push(v);
                }
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(Some(args))
}

fn read_scenario(path: &str) -> Result<Scenario, String> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("reading stdin: {e}"))?;
    } else {
        text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
    }
    if path.ends_with(".lesson") {
        // A lesson file: narration lines are stripped by the lessons crate,
        // errors keep the file's line and column.
        return lessons::Lesson::parse(&text)
            .map(|l| l.scenario)
            .map_err(|e| format!("{path}: {e}"));
    }
    Scenario::parse(&text).map_err(|e| format!("{path}: {e}"))
}

fn one_positional(args: &Args, what: &str) -> Result<String, String> {
    match args.positional.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "`raftlab {}` expects one {what} (see --help)",
            args.command
        )),
    }
}

fn run_scenario(args: &Args) -> Result<Sim, String> {
    let sc = read_scenario(&one_positional(args, "SCENARIO")?)?;
    let until = args.until_us.or(sc.run_us).unwrap_or(RUN_US_DEFAULT);
    let options = SimOptions {
        trace_verbose: args.verbose,
        ..SimOptions::default()
    };
    let mut sim = Sim::with_options(sc, options).map_err(|e| e.to_string())?;
    sim.run_until(until);
    Ok(sim)
}

fn real_main() -> Result<ExitCode, String> {
    let Some(args) = parse_args()? else {
        print!("{HELP}");
        return Ok(ExitCode::SUCCESS);
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| format!("writing output: {e}");
    match args.command.as_str() {
        "run" => {
            let sim = run_scenario(&args)?;
            let mut file_out;
            let w: &mut dyn Write = match args.trace.as_deref() {
                None | Some("-") => &mut out,
                Some(path) => {
                    file_out = std::io::BufWriter::new(
                        std::fs::File::create(path).map_err(|e| format!("creating {path}: {e}"))?,
                    );
                    &mut file_out
                }
            };
            for e in sim.trace() {
                writeln!(w, "{}", e.to_json()).map_err(io)?;
            }
            writeln!(w, "{}", sim.final_line()).map_err(io)?;
            w.flush().map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        "check" => {
            let sim = run_scenario(&args)?;
            let code = summarize(&sim, &mut out).map_err(io)?;
            out.flush().map_err(io)?;
            Ok(code)
        }
        "link" => {
            let sc = read_scenario(&one_positional(&args, "SCENARIO")?)?;
            let at = args.at_us.or(sc.run_us).unwrap_or(0);
            writeln!(out, "{}", encode_link(&sc, at)).map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        "unlink" => {
            let url = one_positional(&args, "URL")?;
            let (sc, at) = decode_link(&url).map_err(|e| e.to_string())?;
            writeln!(out, "# viewed at {}", format_duration_us(at)).map_err(io)?;
            write!(out, "{sc}").map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        "hash" => {
            let sim = run_scenario(&args)?;
            writeln!(out, "{:016x}", trace_hash(sim.trace())).map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        "soak" => {
            let config = VoprConfig::default();
            let mut failures = 0u64;
            for seed in args.from..args.from.saturating_add(args.seeds) {
                if let Err(f) = run_seed(seed, &config) {
                    failures += 1;
                    writeln!(out, "{f}").map_err(io)?;
                    out.flush().map_err(io)?;
                }
                if (seed - args.from + 1) % 1000 == 0 {
                    eprintln!(
                        "raftlab soak: {} seeds, {failures} failed",
                        seed - args.from + 1
                    );
                }
            }
            writeln!(
                out,
                "soak: {} seeds from {}, {failures} failed",
                args.seeds, args.from
            )
            .map_err(io)?;
            Ok(if failures == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        "" => Err("no command given (see --help)".into()),
        other => Err(format!("unknown command `{other}` (see --help)")),
    }
}

/// A readable summary of a run; exit code 1 if any safety property was violated.
fn summarize(sim: &Sim, out: &mut impl Write) -> std::io::Result<ExitCode> {
    let (mut elections, mut ok, mut failed_requests, mut commits) = (0, 0, 0, 0);
    for e in sim.trace() {
        match &e.ev {
            Ev::Leader { .. } => elections += 1,
            Ev::Client { result: "ok", .. } => ok += 1,
            Ev::Client { .. } => failed_requests += 1,
            Ev::Commit { .. } => commits += 1,
            _ => {}
        }
    }
    let view = sim.view();
    writeln!(
        out,
        "ran to {} ({} trace events)",
        format_duration_us(view.now_us),
        sim.trace().len()
    )?;
    writeln!(out, "elections: {elections}; client requests ok: {ok}, not ok: {failed_requests}; entry applications: {commits}")?;
    for n in &view.nodes {
        let role = n
            .role
            .map_or("down".to_string(), |r| format!("{r:?}").to_lowercase());
        writeln!(
            out,
            "  node {}: {role:<12} term {:<3} commit {:<4} log {} entries",
            n.id,
            n.term,
            n.commit_index,
            n.snapshot_index + n.log.len() as u64
        )?;
    }
    let violations = sim.violations();
    if violations.is_empty() {
        writeln!(out, "safety: no violations of the five properties")?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(out, "safety: {} violation(s)", violations.len())?;
        for v in &violations {
            writeln!(
                out,
                "  {} (term {}, index {}, nodes {:?}): {}",
                v.property.title(),
                v.term,
                v.index,
                v.nodes,
                v.detail
            )?;
        }
        Ok(ExitCode::FAILURE)
    }
}
