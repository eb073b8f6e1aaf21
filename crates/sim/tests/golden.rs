//! Golden scenario tests, in the manner of etcd's raft `testdata/*.txt`:
//! each file of `tests/golden/` holds a scenario and, below a separator
//! line, the trace of its run, one readable line per event. A change of
//! behaviour then shows as a diff of those lines, which a reviewer can read,
//! rather than only as a new pinned hash.
//!
//! # File format
//!
//! ```text
//! # What the scenario shows (comments are part of the scenario).
//! # golden: until 2s messages
//! nodes 3
//! at 0ms timeout 1
//! ---- trace (RAFTLAB_REWRITE=1 cargo test -p sim --test golden rewrites it)
//! t=0.000000s timeout node=1 forced=true
//! t=0.000000s role node=1 role=candidate term=1
//! ```
//!
//! - Above the first line that starts with `----`: a scenario file
//!   (docs/scenarios.md), claims included (the test checks them too).
//! - `# golden: ...` comment lines set options, any of:
//!   `until T` (run to T; default the scenario's `run`, else 10 s),
//!   `from T` (show only events at or after T: the run still starts at 0),
//!   `messages` (show `send`, `deliver` and `drop`; left out by default,
//!   they are most of a trace), `verbose` (show `reject`),
//!   `skip EV...` (leave out these kinds of event, e.g. `skip commit`).
//! - Below the separator: one line per event, [`sim::TraceEvent::to_line`]
//!   (docs/trace.md, "Readable lines"): `t=SECONDS` with six decimals, the
//!   event's tag, then its fields as `key=value` in the JSON's order.
//!
//! With `RAFTLAB_REWRITE=1` the test writes each file's expected part from
//! the run instead of comparing; review the diff, then commit it. On a
//! mismatch the test names the file and shows the first differing line with
//! the lines around it.

use std::path::{Path, PathBuf};

use sim::units::parse_duration_us;
use sim::{check_all, Scenario, Sim, SimOptions};

/// The separator's text, as the rewrite writes it.
const SEPARATOR: &str =
    "---- trace (RAFTLAB_REWRITE=1 cargo test -p sim --test golden rewrites it)";
/// Run length without `until` or `run`: as `raftlab run`.
const RUN_US_DEFAULT: u64 = 10_000_000;
/// Lines of context around the first difference.
const CONTEXT_LINES: usize = 3;

/// A file's `# golden:` options.
#[derive(Debug, Default)]
struct Options {
    until_us: Option<u64>,
    from_us: u64,
    messages: bool,
    verbose: bool,
    skip: Vec<String>,
}

fn options(scenario_text: &str) -> Result<Options, String> {
    let mut o = Options::default();
    for line in scenario_text.lines() {
        let Some(rest) = line.trim().strip_prefix("# golden:") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        while let Some(word) = words.next() {
            let mut time = |name: &str| {
                words
                    .next()
                    .and_then(parse_duration_us)
                    .ok_or_else(|| format!("`{name}` expects a duration such as 2s"))
            };
            match word {
                "until" => o.until_us = Some(time("until")?),
                "from" => o.from_us = time("from")?,
                "messages" => o.messages = true,
                "verbose" => o.verbose = true,
                "skip" => o.skip.extend(words.by_ref().map(str::to_string)),
                other => return Err(format!("unknown golden option `{other}`")),
            }
        }
    }
    Ok(o)
}

/// The run's trace lines as the file's expected part holds them.
fn render(name: &str, scenario_text: &str) -> String {
    let o = options(scenario_text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let sc = Scenario::parse(scenario_text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let failures = check_all(&sc).unwrap_or_else(|e| panic!("{name}: {e}"));
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{name}: false claims:\n{}",
        report.join("\n")
    );
    let until = o.until_us.or(sc.run_us).unwrap_or(RUN_US_DEFAULT);
    let options = SimOptions {
        trace_messages: o.messages,
        trace_verbose: o.verbose,
        ..SimOptions::default()
    };
    let mut sim = Sim::with_options(sc, options).unwrap_or_else(|e| panic!("{name}: {e}"));
    sim.run_until(until);
    let mut out = String::new();
    for e in sim.trace().iter().filter(|e| e.t >= o.from_us) {
        let line = e.to_line();
        let tag = line.split(' ').nth(1).unwrap_or_default();
        if !o.skip.iter().any(|s| s == tag) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The first difference between `expected` and `actual`, with context.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let i = (0..e.len().max(a.len())).find(|&i| e.get(i) != a.get(i))?;
    let from = i.saturating_sub(CONTEXT_LINES);
    let mut out = format!(
        "first difference at trace line {} (expected {} lines, got {}; - expected, + actual):\n",
        i + 1,
        e.len(),
        a.len()
    );
    for (k, line) in e.iter().enumerate().take(i).skip(from) {
        out.push_str(&format!("   {:>5}  {line}\n", k + 1));
    }
    let end = |v: &[&str]| (i + CONTEXT_LINES + 1).min(v.len());
    for (k, line) in e.iter().enumerate().take(end(&e)).skip(i) {
        out.push_str(&format!(" - {:>5}  {line}\n", k + 1));
    }
    for (k, line) in a.iter().enumerate().take(end(&a)).skip(i) {
        out.push_str(&format!(" + {:>5}  {line}\n", k + 1));
    }
    Some(out)
}

/// The golden files, in name order.
fn golden_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

/// Splits a golden file into its scenario (with the trailing newline) and
/// its expected lines.
fn split(text: &str) -> (&str, &str) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("----") {
            return (&text[..offset], &text[offset + line.len()..]);
        }
        offset += line.len();
    }
    (text, "")
}

#[test]
fn golden_traces_match() {
    let rewrite = std::env::var("RAFTLAB_REWRITE").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let files = golden_files();
    assert!(!files.is_empty(), "tests/golden holds the golden files");
    for path in files {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (scenario_text, expected) = split(&text);
        let actual = render(&name, scenario_text);
        if rewrite {
            let new = format!("{scenario_text}{SEPARATOR}\n{actual}");
            if new != text {
                std::fs::write(&path, new).unwrap_or_else(|e| panic!("{name}: {e}"));
                eprintln!("rewrote {name}");
            }
        } else if let Some(diff) = first_difference(expected, &actual) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "golden traces differ (if the change is intended, run \
         `RAFTLAB_REWRITE=1 cargo test -p sim --test golden` and review the diff):\n\n{}",
        failures.join("\n")
    );
}

/// The regression scenarios of the liveness issue are among the golden
/// files, so a change in how they run shows as a diff.
#[test]
fn golden_files_include_the_liveness_regressions() {
    let names: Vec<String> = golden_files()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let Some(name) = entry
            .ok()
            .map(|e| e.file_name().to_string_lossy().into_owned())
        else {
            continue;
        };
        if name.starts_with("liveness_") || name.starts_with("vopr_seed_") {
            assert!(names.contains(&name), "tests/golden/{name} is missing");
        }
    }
}

#[test]
fn a_difference_is_shown_with_its_line_and_context() {
    let diff = first_difference("a\nb\nc\nd\n", "a\nb\nX\nd\n").expect("they differ");
    assert!(diff.contains("trace line 3"), "{diff}");
    assert!(
        diff.contains(" -     3  c") && diff.contains(" +     3  X"),
        "{diff}"
    );
    assert!(diff.contains("       2  b"), "{diff}");
    assert_eq!(first_difference("a\n", "a\n"), None);
    assert!(
        first_difference("a\n", "a\nb\n").is_some_and(|d| d.contains("expected 1 lines, got 2"))
    );
}
