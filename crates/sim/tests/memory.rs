//! Memory and speed of time travel in the budget case: a 10-minute,
//! 5-node run with one client request every 100 ms. Memory is read from
//! /proc/self/status (Linux), as the growth of the resident set while each
//! simulator is kept alive.

use sim::{Action, Scenario, Sim, SimOptions, Timed};

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn ten_minutes() -> Scenario {
    let mut sc = Scenario::default();
    sc.settings.seed = 7;
    sc.timeline = (1..6000)
        .map(|i| Timed {
            at_us: i * 100_000,
            action: Action::Request {
                to: None,
                cmd: format!("set k{}={i}", i % 10),
            },
        })
        .collect();
    sc
}

fn grown(options: SimOptions) -> (Sim, u64) {
    let before = rss_kib().unwrap_or(0);
    let mut sim = Sim::with_options(ten_minutes(), options).expect("valid");
    sim.run_until(600_000_000);
    (sim, rss_kib().unwrap_or(0).saturating_sub(before))
}

/// Checkpoints every second share the Raft logs (imbl), so 600 of them stay
/// small; the trace with message events is the big part and can be turned off.
#[test]
fn checkpoint_memory_for_ten_minutes_is_bounded() {
    let no_cp = SimOptions {
        checkpoint_every_us: u64::MAX,
        trace_messages: false,
        ..SimOptions::default()
    };
    let (a, base_kib) = grown(no_cp);
    let (b, cp_kib) = grown(SimOptions {
        trace_messages: false,
        ..SimOptions::default()
    });
    let (c, full_kib) = grown(SimOptions::default());
    eprintln!(
        "10 min / 5 nodes: no checkpoints, no message trace: {base_kib} KiB; \
         + {} checkpoints: {cp_kib} KiB; + message trace ({} events): {full_kib} KiB",
        b.checkpoint_count(),
        c.trace().len()
    );
    assert_eq!(b.checkpoint_count(), 601);
    assert!(a.trace().len() < c.trace().len());
    if rss_kib().is_some() {
        assert!(cp_kib < 128 * 1024, "checkpoints take {cp_kib} KiB");
    }
    // Seeking back costs at most ~1 s of re-simulation.
    let mut b = b;
    for t in [599_999_999, 300_500_000, 999_999, 450_000_000] {
        b.seek(t);
        assert_eq!(b.now_us(), t);
    }
}
