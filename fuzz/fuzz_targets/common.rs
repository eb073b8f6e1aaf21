//! Shared by the scenario, lesson and link targets (not a target itself):
//! which parsed scenarios are cheap enough to simulate, and the short run.

#![allow(dead_code)]

use sim::scenario::UnsafeSwitch;
use sim::{Action, Scenario, Setting, Settings, Sim, SimOptions};

/// Virtual time a parsed scenario is simulated for.
pub const RUN_US: u64 = 350_000;
/// Chunk of virtual time between budget checks.
const CHUNK_US: u64 = 35_000;
/// Stop early once the trace has this many events (a busy 9-node run with
/// loss and duplication makes thousands per virtual second).
pub const TRACE_BUDGET: usize = 600;
/// Timers shorter than this make a run too busy to be worth an execution.
const TIMER_US_MIN: u64 = 10_000;
/// Longest timeline simulated.
const TIMELINE_MAX: usize = 200;
/// Most `expect` claims checked after a run.
const CLAIMS_MAX: usize = 16;

fn timers_ok(min_election_us: u64, heartbeat_us: u64) -> bool {
    min_election_us >= TIMER_US_MIN && heartbeat_us >= TIMER_US_MIN
}

/// True if simulating `sc` for [`RUN_US`] is bounded work: no timer below
/// 10 ms (initially or set on the timeline), at most 200 timeline lines.
/// Scenarios that fail this are still parsed and printed, only not run.
pub fn cheap_to_run(sc: &Scenario) -> bool {
    let s: &Settings = &sc.settings;
    if sc.timeline.len() > TIMELINE_MAX || !timers_ok(s.election_timeout_us_min, s.heartbeat_us) {
        return false;
    }
    sc.timeline.iter().all(|t| match &t.action {
        Action::Set(Setting::ElectionTimeout { min_us, .. }) => *min_us >= TIMER_US_MIN,
        Action::Set(Setting::Heartbeat { every_us }) => *every_us >= TIMER_US_MIN,
        _ => true,
    })
}

/// True if a teaching switch is on at the start or turned on on the timeline
/// (then the checker is expected to find violations).
pub fn uses_teaching_switch(sc: &Scenario) -> bool {
    UnsafeSwitch::ALL
        .into_iter()
        .any(|s| sc.settings.unsafe_switches.get(s))
        || sc
            .timeline
            .iter()
            .any(|t| matches!(t.action, Action::Set(Setting::Unsafe(_, true))))
}

/// Runs `sc` for at most [`RUN_US`] of virtual time (fewer if the trace
/// budget runs out), then travels back to half way and forward again, then
/// checks the scenario's `expect` claims (if at most 16, all within the run;
/// a false claim is fine, a panic is not).
/// Panics (the fuzzer's finding) if anything in `sim` panics, if a run
/// without teaching switches and staged logs breaks a safety property, or if the time travel
/// does not land on the same view (a run must not depend on time travel).
pub fn run_short(sc: Scenario) {
    if !cheap_to_run(&sc) {
        return;
    }
    // Staged logs (`term N T`, `log N ...`) can describe states no run of
    // the algorithm reaches (e.g. entries of term 1 on one node while the
    // rest are still in term 0: a new leader of term 1 then writes a
    // different entry 1 of term 1, and the checker rightly reports Log
    // Matching). So the safety oracle only holds without them.
    let safe = !uses_teaching_switch(&sc) && sc.settings.staged.is_empty();
    let options = SimOptions {
        checkpoint_every_us: 100_000,
        ..SimOptions::default()
    };
    let expects = sc.expects.clone();
    let Ok(mut sim) = Sim::with_options(sc, options) else {
        return;
    };
    let mut t = 0;
    while t < RUN_US && sim.trace().len() < TRACE_BUDGET {
        t += CHUNK_US;
        sim.run_until(t);
    }
    let end = sim.now_us();
    let view = sim.view();
    if safe {
        let v = sim.violations();
        assert!(
            v.is_empty(),
            "safety violation without a teaching switch: {v:?}\n{}",
            sim.scenario()
        );
    }
    // Time travel: back to the middle, forward to the end again.
    sim.seek(end / 2);
    sim.run_until(end);
    assert_eq!(sim.now_us(), end);
    assert!(
        sim.view() == view,
        "the view after seek({}) and run_until({end}) differs from the view before\n{}",
        end / 2,
        sim.scenario()
    );
    if expects.len() <= CLAIMS_MAX && expects.iter().all(|e| e.at_us <= end) {
        for f in sim::check_claims(&mut sim, &expects) {
            let _ = f.to_string();
        }
    }
}
