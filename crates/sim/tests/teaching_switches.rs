//! Each teaching switch breaks one rule of Raft; the live checker must flag
//! the resulting violation, and the same scenario with the switch off (and
//! `change` instead of `unsafe-change`) must run clean.

use sim::{Property, Scenario, Sim};

fn run(text: &str) -> Sim {
    let sc = Scenario::parse(text).expect("scenario parses");
    let until = sc.run_us.expect("scenario has a run length");
    let mut sim = Sim::new(sc).expect("valid scenario");
    sim.run_until(until);
    sim
}

fn properties(sim: &Sim) -> Vec<Property> {
    sim.violations().iter().map(|v| v.property).collect()
}

/// The same scenario with every teaching switch left off.
fn safe_version(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("unsafe "))
        .map(|l| l.replace("unsafe-change", "change"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(text: &str, expected: Property) {
    let unsafe_run = run(text);
    let found = properties(&unsafe_run);
    assert!(
        found.contains(&expected),
        "expected {expected:?}, found {found:?}"
    );
    let safe_run = run(&safe_version(text));
    assert_eq!(
        properties(&safe_run),
        vec![],
        "the safe version must not violate anything"
    );
}

/// "Raft never commits log entries from previous terms by counting replicas"
/// (§5.4.2, Figure 8). Counting them lets a committed entry be replaced: the
/// next leader lacks it. Reference: §5.4.2.
#[test]
fn fig8_commit_old_terms_by_counting_breaks_leader_completeness() {
    check(
        include_str!("scenarios/figure8_commit_old_terms.txt"),
        Property::LeaderCompleteness,
    );
}

/// "The voter denies its vote if its own log is more up-to-date than that of
/// the candidate" (§5.4.1). Without it a stale node wins and a committed entry
/// is missing from the new leader's log. Reference: §5.4.1.
#[test]
fn election_restriction_off_breaks_leader_completeness() {
    check(
        include_str!("scenarios/vote_without_log_check.txt"),
        Property::LeaderCompleteness,
    );
}

/// "Each server will vote for at most one candidate in a given term"; votedFor
/// is persistent state, updated on stable storage before responding (Figure 2).
/// Forgetting it on restart lets two leaders win the same term. Reference: §5.2.
#[test]
fn fig2_voted_for_not_persisted_breaks_election_safety() {
    check(
        include_str!("scenarios/forget_vote_on_restart.txt"),
        Property::ElectionSafety,
    );
}

/// "It isn't possible to atomically switch all of the servers at once ... the
/// cluster can potentially split into two independent majorities" (§6).
/// Joint consensus prevents it. Reference: §6.
#[test]
fn direct_membership_change_breaks_election_safety() {
    check(
        include_str!("scenarios/direct_membership_change.txt"),
        Property::ElectionSafety,
    );
}

/// The issue's example scenario (crash, partition, heal, restart, forced
/// timeout, membership changes) runs without any violation. Reference: Figure 3.
#[test]
fn issue_example_runs_without_violations() {
    let sim = run(include_str!("scenarios/issue_example.txt"));
    assert_eq!(properties(&sim), vec![]);
    assert!(sim
        .trace()
        .iter()
        .any(|e| e.to_json().contains(r#""result":"ok""#)));
}
