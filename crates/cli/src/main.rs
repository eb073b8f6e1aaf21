//! `raftlab`: run Raft scenarios headless. Scenario text in, JSON Lines trace,
//! summaries, share links and hashes out. See `raftlab --help`.

use std::io::{Read, Write};
use std::process::ExitCode;

use sim::units::{format_duration_us, parse_duration_us};
use sim::vopr::{run_seed, VoprConfig, VoprFailure};
use sim::{
    check_claims, decode_link, encode_link, trace_hash, ClientResult, Ev, Expect, Scenario, Sim,
    SimOptions,
};

const HELP: &str = "\
raftlab: deterministic Raft simulations from the command line

USAGE:
  raftlab run SCENARIO [--until T] [--trace FILE|-] [--verbose] [--lines]
      Run the scenario and write its trace as JSON Lines (one event per line,
      each with `t` in µs and `ev`), ending with a `final` line holding every
      node's state. The trace goes to stdout unless --trace names a file.
      --verbose adds `reject` events (inputs a node ignored, e.g. stale terms).
      --lines writes one readable line per event instead (`t=0.180109s role
      node=2 role=Candidate term=1`, the golden files' format) and no final line.
  raftlab check SCENARIO [--until T]
      Run the scenario, print a readable summary and check its claims
      (`at TIME expect CLAIM` lines, each at its moment); print every false
      claim as `line L, column C (at T): `CLAIM` is false: WHY`. Exit 1 on
      any safety violation or false claim, 0 otherwise. Without --until the
      run lasts at least until the last claim; claims after --until are not
      checked (the summary says how many).
  raftlab link SCENARIO [--at T]
      Print the share-link fragment (the part after `#`) for the scenario,
      viewed at time T (default: the end of the run).
  raftlab unlink URL
      Print the scenario text inside a share link (a URL or a fragment).
  raftlab hash SCENARIO [--until T] [--verbose]
      Print the FNV-1a 64 hash (16 hex digits) of the trace's JSON Lines
      (without the final line), to compare runs across builds (wasm, native).
  raftlab soak [--seeds N] [--from S] [--jobs J]
      Randomized fault runs (VOPR style, swarm testing: each seed draws its
      own mix of features and rates): N seeds (default 20000) starting at S
      (default 0), 60 s each, faults then heal, on J threads (default: the
      available cores). Any safety violation or a cluster that does not
      recover is reported, in seed order, with the scenario reproducing it;
      progress every 1000 seeds on stderr; a summary line and a histogram of
      failure reasons at the end. Exit 1 if any seed fails.

  SCENARIO is a file in the scenario language (docs/scenarios.md), a lesson
  file (`*.lesson`, docs/lessons.md: its scenario and claims, narration left
  out) or `-` for stdin.
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
    lines: bool,
    seeds: u64,
    from: u64,
    jobs: Option<usize>,
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
        lines: false,
        seeds: 20_000,
        from: 0,
        jobs: None,
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
            Long("lines") => args.lines = true,
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
            Long("jobs") => {
                let jobs = number(parser.value().map_err(|e| e.to_string())?)?;
                args.jobs = Some(usize::try_from(jobs).unwrap_or(usize::MAX).max(1));
            }
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

/// The scenario in a file and its claims: a scenario file's own
/// (`Scenario::expects`), or a lesson's, taken from its steps.
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
        // errors keep the file's line and column. Its claims are filed under
        // its steps; give them back to the scenario for `check`.
        return lessons::Lesson::parse(&text)
            .map(|l| {
                let expects = l.expects();
                Scenario {
                    expects,
                    ..l.scenario
                }
            })
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
            if args.lines {
                for e in sim.trace() {
                    writeln!(w, "{}", e.to_line()).map_err(io)?;
                }
            } else {
                for e in sim.trace() {
                    writeln!(w, "{}", e.to_json()).map_err(io)?;
                }
                writeln!(w, "{}", sim.final_line()).map_err(io)?;
            }
            w.flush().map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
        "check" => {
            let sc = read_scenario(&one_positional(&args, "SCENARIO")?)?;
            let last_claim = sc.expects.iter().map(|e| e.at_us).max().unwrap_or(0);
            let until = args
                .until_us
                .unwrap_or_else(|| sc.run_us.unwrap_or(RUN_US_DEFAULT).max(last_claim));
            let (checked, late): (Vec<Expect>, Vec<Expect>) =
                sc.expects.iter().cloned().partition(|e| e.at_us <= until);
            let options = SimOptions {
                trace_verbose: args.verbose,
                ..SimOptions::default()
            };
            let mut sim = Sim::with_options(sc, options).map_err(|e| e.to_string())?;
            let failures = check_claims(&mut sim, &checked);
            sim.run_until(until);
            let safe = summarize(&sim, &mut out).map_err(io)?;
            if !checked.is_empty() || !late.is_empty() {
                let held = checked.len() - failures.len();
                write!(out, "claims: {held} of {} held", checked.len()).map_err(io)?;
                if !late.is_empty() {
                    write!(
                        out,
                        "; {} after the end of the run ({}) not checked",
                        late.len(),
                        format_duration_us(until)
                    )
                    .map_err(io)?;
                }
                writeln!(out).map_err(io)?;
                for f in &failures {
                    writeln!(out, "  {f}").map_err(io)?;
                }
            }
            out.flush().map_err(io)?;
            Ok(if safe && failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
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
        "soak" => soak(&args, &mut out),
        "" => Err("no command given (see --help)".into()),
        other => Err(format!("unknown command `{other}` (see --help)")),
    }
}

/// `raftlab soak`: `args.seeds` VOPR seeds on `args.jobs` threads (the
/// simulator itself is single-threaded: one seed, one thread). Failures are
/// printed in seed order as soon as every earlier seed is done, so the output
/// does not depend on the number of threads.
// The wall clock only measures the soak for its summary line; no simulation reads it.
#[allow(clippy::disallowed_types)]
fn soak(args: &Args, out: &mut impl Write) -> Result<ExitCode, String> {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    let io = |e: std::io::Error| format!("writing output: {e}");
    let config = VoprConfig::default();
    let (from, end) = (args.from, args.from.saturating_add(args.seeds));
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let started = std::time::Instant::now();
    let next = AtomicU64::new(from);
    let mut failures: Vec<VoprFailure> = Vec::new();
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..jobs.min(usize::try_from(end - from).unwrap_or(usize::MAX)) {
            let (tx, next) = (tx.clone(), &next);
            scope.spawn(move || {
                while let Ok(seed) =
                    next.fetch_update(Relaxed, Relaxed, |s| (s < end).then(|| s + 1))
                {
                    if tx.send((seed, run_seed(seed, &config).err())).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let (mut done, mut failed) = (0u64, 0u64);
        let mut waiting = std::collections::BTreeMap::new();
        let mut cursor = from;
        for (seed, failure) in rx {
            done += 1;
            failed += u64::from(failure.is_some());
            waiting.insert(seed, failure);
            while let Some(failure) = waiting.remove(&cursor) {
                if let Some(f) = failure {
                    writeln!(out, "{f}")?;
                    out.flush()?;
                    failures.push(f);
                }
                cursor += 1;
            }
            if done % 1000 == 0 {
                eprintln!(
                    "raftlab soak: {done} seeds, {failed} failed, {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Ok(())
    })
    .map_err(io)?;
    writeln!(
        out,
        "soak: {} seeds from {from}, {} failed, {jobs} jobs, wall time {:.1} s",
        end - from,
        failures.len(),
        started.elapsed().as_secs_f64()
    )
    .map_err(io)?;
    let mut reasons: Vec<(usize, String)> = Vec::new();
    for f in &failures {
        let kind = f.kind();
        match reasons.iter_mut().find(|(_, k)| *k == kind) {
            Some((n, _)) => *n += 1,
            None => reasons.push((1, kind)),
        }
    }
    reasons.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let histogram: Vec<String> = reasons.iter().map(|(n, k)| format!("{n} × {k}")).collect();
    writeln!(
        out,
        "failure reasons: {}",
        if histogram.is_empty() {
            "none".to_string()
        } else {
            histogram.join(", ")
        }
    )
    .map_err(io)?;
    out.flush().map_err(io)?;
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A readable summary of a run; `false` if any safety property was violated.
fn summarize(sim: &Sim, out: &mut impl Write) -> std::io::Result<bool> {
    let (mut elections, mut ok, mut failed_requests, mut commits) = (0, 0, 0, 0);
    for e in sim.trace() {
        match &e.ev {
            Ev::Leader { .. } => elections += 1,
            Ev::Client {
                result: ClientResult::Ok,
                ..
            } => ok += 1,
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
        Ok(true)
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
        Ok(false)
    }
}
