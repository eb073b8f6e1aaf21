//! The page refreshes one `View` in place every frame (`Sim::refresh_view`),
//! keeping what still matches. That must never show anything but the run:
//! a refreshed view equals a fresh `Sim::view` at every moment, forwards,
//! after travelling back, in runs with a safety rule switched off, and when
//! the page swaps one run for another (Undo, acting in the past), where an
//! entry of the same index and term may hold another command.

use sim::vopr::{generate, VoprConfig};
use sim::{Scenario, Sim, View};

fn sim(text: &str) -> Sim {
    Sim::new(Scenario::parse(text).expect("parses")).expect("valid")
}

/// Plays `sim` to `end_us` a frame (16 ms) at a time, then travels back to
/// a third of the way and plays on, checking the refreshed view at each
/// frame against a fresh one.
fn check_frames(mut sim: Sim, end_us: u64, what: &str) {
    const FRAME_US: u64 = 16_000;
    let mut view = View::default();
    let mut frames = 0;
    let mut check = |sim: &Sim, view: &mut View| {
        sim.refresh_view(view);
        assert_eq!(*view, sim.view(), "{what} at {} µs", sim.now_us());
        frames += 1;
    };
    let mut t = 0;
    while t < end_us {
        t += FRAME_US;
        sim.run_until(t);
        check(&sim, &mut view);
    }
    sim.seek(end_us / 3);
    check(&sim, &mut view);
    for _ in 0..50 {
        sim.run_until(sim.now_us() + FRAME_US);
        check(&sim, &mut view);
    }
    assert!(frames > 100, "{what}: {frames} frames");
}

#[test]
fn a_refreshed_view_equals_a_fresh_one_in_safe_runs() {
    check_frames(
        sim(include_str!("scenarios/issue_example.txt")),
        12_000_000,
        "issue example",
    );
    let config = VoprConfig::default();
    for seed in 0..12 {
        let sc = generate(seed, &config);
        check_frames(
            Sim::new(sc).expect("valid"),
            6_000_000,
            &format!("vopr seed {seed}"),
        );
    }
}

/// With a rule off, a leader can overwrite an entry with another of the
/// same index and term: the refresh compares entries, it does not assume
/// the Log Matching Property (§5.3).
#[test]
fn a_refreshed_view_equals_a_fresh_one_with_a_rule_switched_off() {
    for (name, text) in [
        (
            "figure 8",
            include_str!("scenarios/figure8_commit_old_terms.txt"),
        ),
        (
            "vote without log check",
            include_str!("scenarios/vote_without_log_check.txt"),
        ),
        (
            "forget vote on restart",
            include_str!("scenarios/forget_vote_on_restart.txt"),
        ),
        (
            "direct membership change",
            include_str!("scenarios/direct_membership_change.txt"),
        ),
    ] {
        check_frames(sim(text), 8_000_000, name);
    }
}

/// Undo and acting in the past swap the run under the page's view. Two runs
/// that differ only in a request's text put different commands under the
/// same index and term (the same leader appends them), so the refresh must
/// compare what entries hold, not just where they are.
#[test]
fn a_refreshed_view_follows_a_swap_to_another_run() {
    let run = |cmd: &str| {
        let mut s = sim(&format!("nodes 3\nseed 7\nat 2s request \"{cmd}\"\n"));
        s.run_until(3_000_000);
        s
    };
    let (before, after) = (run("set x=1"), run("set y=2"));
    let mut view = before.view();
    let index_term = |v: &View| -> Vec<(u64, u64)> {
        v.nodes[0].log.iter().map(|e| (e.index, e.term)).collect()
    };
    assert_eq!(index_term(&view), index_term(&after.view()), "same places");
    after.refresh_view(&mut view);
    assert_eq!(view, after.view());
}
