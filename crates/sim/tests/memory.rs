//! Memory and speed of long sessions (issue 14), for `sim` alone with the
//! page's options (`SimOptions::bounded`): the budgets of the browser
//! benchmark (tests/browser/bench-memory.mjs), held natively.
//!
//! Memory is the peak resident set (`VmHWM`, Linux) of a child process
//! that runs one case and nothing else: the peak is what a wasm memory
//! grows to (it never shrinks). `cargo test` runs the short case (the
//! history stops growing); scripts/test, and so CI, runs the budget cases
//! too, in release (seconds there; minutes in the test profile):
//! `cargo test --release -p sim --test memory -- --include-ignored --nocapture`.

// Seek latency is wall time: the one place a test reads the clock.
#![allow(clippy::disallowed_types)]

use std::process::Command;
use std::time::Instant;

use sim::{Action, Scenario, Sim, SimOptions, Timed};

/// KiB of `field` (`VmHWM:`, `VmRSS:`) in /proc/self/status.
fn status_kib(field: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// In the parent: runs test `name` alone in a child process. In the child
/// (`RAFTLAB_MEMORY_CASE` set): true, and the test runs the case.
fn in_child(name: &str) -> bool {
    if std::env::var("RAFTLAB_MEMORY_CASE").is_ok() {
        return true;
    }
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new(exe)
        .args([
            name,
            "--exact",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RAFTLAB_MEMORY_CASE", name)
        .output()
        .expect("child runs");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{name} failed in its child process");
    false
}

const MB: usize = 1024;

/// `nodes` servers, one client request per simulated second for `secs`.
fn requests_every_second(nodes: u32, secs: u64) -> Scenario {
    let mut sc = Scenario::default();
    sc.settings.nodes = nodes;
    sc.settings.seed = 7;
    sc.timeline = (1..secs)
        .map(|i| Timed {
            at_us: i * 1_000_000,
            action: Action::Request {
                to: None,
                cmd: format!("set k{}={i}", i % 5),
            },
        })
        .collect();
    sc
}

/// Runs the case in steps of one simulated second (as the page plays) and
/// returns the simulator and the peak KiB it took.
fn run(nodes: u32, secs: u64, options: SimOptions) -> (Sim, usize) {
    let base = status_kib("VmRSS:").unwrap_or(0);
    let sc = requests_every_second(nodes, secs);
    let mut sim = Sim::with_options(sc, options).expect("valid");
    let t0 = Instant::now();
    for s in 1..=secs {
        sim.run_until(s * 1_000_000);
    }
    let peak = status_kib("VmHWM:").unwrap_or(0).saturating_sub(base);
    eprintln!(
        "{nodes} servers, {secs} s: peak {:.1} MB, {} checkpoints, {} trace events kept, {:.0} simulated s per wall s",
        peak as f64 / 1024.0,
        sim.checkpoint_count(),
        sim.trace().len(),
        secs as f64 / t0.elapsed().as_secs_f64()
    );
    (sim, peak)
}

/// Seeks to `n` moments of `from_us..to_us` in a scattered order (the
/// golden ratio's multiples: back and forth, as a scrubbing hand does) and
/// returns the (median, p95, slowest) seek, ms.
fn seek_ms(sim: &mut Sim, from_us: u64, to_us: u64, n: u64) -> (f64, f64, f64) {
    let mut ms = Vec::new();
    for k in 1..=n {
        let f = (k * 40_503) % 65_536; // 40 503 / 65 536 ≈ 0.618
        let t = from_us + (to_us - from_us) / 65_536 * f;
        let t0 = Instant::now();
        sim.seek(t);
        ms.push(t0.elapsed().as_secs_f64() * 1e3);
        assert_eq!(sim.now_us(), t);
    }
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() as f64 * p) as usize).min(ms.len() - 1)];
    (q(0.5), q(0.95), ms[ms.len() - 1])
}

/// The page's options, the case's budget, and the seeks of the issue
/// (last 10 simulated minutes; anywhere), printed for BENCHMARKS.md.
fn check(nodes: u32, secs: u64, budget_mb: usize) {
    let (mut sim, peak) = run(nodes, secs, SimOptions::bounded());
    assert!(sim.checkpoint_count() <= sim::CHECKPOINTS_MAX_DEFAULT);
    assert!(sim.trace().len() <= sim::TRACE_WINDOW_PAGE);
    let end = secs * 1_000_000;
    let recent = seek_ms(&mut sim, end - 600_000_000, end, 100);
    let anywhere = seek_ms(&mut sim, 0, end, 60);
    eprintln!(
        "seek ms (median, p95, max): last 10 min {recent:.1?}, anywhere {anywhere:.1?}; budget {budget_mb} MB, margin {:.1} MB",
        budget_mb as f64 - peak as f64 / 1024.0
    );
    assert!(
        peak <= budget_mb * MB,
        "{nodes} servers, {secs} s: {} MB over the {budget_mb} MB budget",
        peak / MB
    );
}

/// The design, in CI: however long the run, the checkpoints and the trace
/// kept stay within their totals, so memory stops growing with time (the
/// Raft logs and the timeline still do, by a few hundred bytes a second).
/// Without the thinning or the window the second 10 minutes would add
/// ~40 MB.
#[test]
fn memory_stops_growing_once_the_history_is_full() {
    if !in_child("memory_stops_growing_once_the_history_is_full") {
        return;
    }
    let options = SimOptions {
        checkpoints_max: 64,
        trace_window: 1 << 13,
        ..SimOptions::default()
    };
    let mut sim = Sim::with_options(requests_every_second(5, 1_200), options).expect("valid");
    sim.run_until(600_000_000);
    let at_10_min = status_kib("VmHWM:").unwrap_or(0);
    for s in 601..=1_200 {
        sim.run_until(s * 1_000_000);
        assert!(sim.checkpoint_count() <= 64);
        assert!(sim.trace().len() <= 1 << 13);
    }
    let grown = status_kib("VmHWM:").unwrap_or(0).saturating_sub(at_10_min);
    eprintln!("the second 10 minutes grew the peak by {grown} KiB");
    assert!(grown <= 4 * MB, "grew {grown} KiB");
    // Seeking far back and forward again gives back the same moment.
    let view = sim.view();
    sim.seek(3_000_000);
    sim.seek(1_200_000_000);
    assert_eq!(sim.view(), view);
}

/// The 2-hour budget: 5 servers, a request per simulated second, ≤ 48 MB.
#[test]
#[ignore = "long in the test profile: scripts/test runs it in release"]
fn a_two_hour_run_stays_within_48_mb() {
    if in_child("a_two_hour_run_stays_within_48_mb") {
        check(5, 7_200, 48);
    }
}

/// The 10-hour budget: ≤ 64 MB.
#[test]
#[ignore = "long in the test profile: scripts/test runs it in release"]
fn a_ten_hour_run_stays_within_64_mb() {
    if in_child("a_ten_hour_run_stays_within_64_mb") {
        check(5, 36_000, 64);
    }
}

/// Free play for 30 minutes at 10×: 5 simulated hours, 9 servers, ≤ 64 MB.
#[test]
#[ignore = "long in the test profile: scripts/test runs it in release"]
fn five_hours_of_nine_servers_stay_within_64_mb() {
    if in_child("five_hours_of_nine_servers_stay_within_64_mb") {
        check(9, 18_000, 64);
    }
}
