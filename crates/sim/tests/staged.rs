//! Staged initial state (`term N T`, `log N ...`): lessons start a cluster
//! from the logs of Figure 7 and let Raft repair them.

use sim::{Scenario, Sim};

const FIGURE7: &str = include_str!("scenarios/figure7_staged_logs.txt");

fn terms(sim: &Sim, id: u32) -> Vec<u64> {
    let node = sim.node(id).expect("node is up");
    node.log().entries().map(|e| e.term).collect()
}

/// The staged logs are each node's persisted state at time 0, built through
/// raft's public API; nothing is committed yet (commitIndex is volatile).
#[test]
fn staged_logs_and_terms_are_the_persisted_state_at_time_zero() {
    let sim = Sim::new(Scenario::parse(FIGURE7).expect("parses")).expect("valid");
    assert_eq!(terms(&sim, 3), vec![1, 1, 1, 4]);
    assert_eq!(terms(&sim, 7), vec![1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]);
    let n5 = sim.node(5).expect("up");
    assert_eq!(n5.term(), 7, "`term 5 7`");
    assert_eq!(
        sim.node(2).expect("up").term(),
        6,
        "no `term`: the last log term"
    );
    assert_eq!(n5.commit_index(), 0);
    let e = n5.log().entry(12).expect("staged");
    assert!(matches!(&e.payload, raft::Payload::Command { cmd } if &**cmd == "t7@12"));
    // The time-0 role lines report the staged terms.
    let first = sim
        .trace()
        .iter()
        .map(|e| e.to_json())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        first.contains(r#"{"t":0,"ev":"role","node":5,"role":"follower","term":7}"#),
        "{first}"
    );
}

/// Figure 7 / §5.3: "the leader handles inconsistencies by forcing the
/// followers' logs to duplicate its own": conflicting entries in follower
/// logs are overwritten, missing ones are appended.
/// Reference: §5.3, Figure 7.
#[test]
fn fig7_leader_forces_followers_logs_to_duplicate_its_own() {
    let mut sim = Sim::new(Scenario::parse(FIGURE7).expect("parses")).expect("valid");
    sim.run_until(3_000_000);
    assert_eq!(
        sim.leader(),
        Some(1),
        "`at 0ms timeout 1` makes node 1 lead"
    );
    let leader = sim.node(1).expect("up");
    assert_eq!(leader.term(), 8);
    let want = terms(&sim, 1);
    assert_eq!(
        want,
        vec![1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8],
        "its log plus the no-op of term 8"
    );
    for id in 2..=7 {
        assert_eq!(terms(&sim, id), want, "node {id} repaired");
        assert_eq!(sim.node(id).expect("up").commit_index(), 11);
    }
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

/// Staged state survives printing, parsing and share links unchanged.
#[test]
fn staged_state_round_trips_through_text_and_links() {
    let text = "nodes 3\nterm 2 6\nlog 2 1:\"x=1\" 1 4:\"say \\\"hi\\\"\"\nlog 3 1:\"x=1\"\n";
    let sc = Scenario::parse(text).expect("parses");
    assert_eq!(sc.settings.staged.len(), 2);
    let printed = sc.to_string();
    assert!(
        printed.contains("term 2 6\nlog 2 1:\"x=1\" 1 4:\"say \\\"hi\\\"\"\n"),
        "{printed}"
    );
    assert_eq!(Scenario::parse(&printed).expect("reparses"), sc);
    let link = sim::encode_link(&sc, 1_500_000);
    let (back, t) = sim::decode_link(&link).expect("decodes");
    assert_eq!((back, t), (sc.clone(), 1_500_000));
    let sim = Sim::new(sc).expect("valid");
    assert_eq!(
        sim.kv(2).map(|kv| kv.len()),
        Some(0),
        "staged entries are not applied"
    );
}

fn err(text: &str) -> (usize, usize, String) {
    let e = Scenario::parse(text).expect_err("must fail");
    (e.line, e.column, e.message)
}

/// Bad staged state is an error with line and column, never a panic.
#[test]
fn bad_staged_state_is_an_error_with_line_and_column() {
    let (l, c, m) = err("log 2 1 4 3\n");
    assert_eq!((l, c), (1, 11));
    assert!(m.contains("never decrease"), "{m}");
    let (l, c, m) = err("term 2 3\nlog 2 1 1 4\n");
    assert_eq!((l, c), (2, 11));
    assert!(m.contains("above node 2's term 3"), "{m}");
    let (l, c, m) = err("log 2 1 1 4\nterm 2 3\n");
    assert_eq!((l, c), (2, 8));
    assert!(m.contains("at least"), "{m}");
    let (l, c, m) = err("log 2 0 1\n");
    assert_eq!((l, c), (1, 7));
    assert!(m.contains("terms start at 1"), "{m}");
    let (l, c, m) = err("log 2\n");
    assert_eq!((l, c), (1, 6));
    assert!(m.contains("entry terms"), "{m}");
    let (l, c, m) = err("nodes 5\nlog 6 1\n");
    assert_eq!((l, c), (2, 1));
    assert!(m.contains("nodes 1..=5"), "{m}");
    let (l, _, m) = err("log 2 1\nlog 2 1 1\n");
    assert_eq!(l, 2);
    assert!(m.contains("already staged on line 1"), "{m}");
    let (l, c, m) = err("log 1 1 2 2\nlog 2 1 1 2\n");
    assert_eq!((l, c), (2, 11));
    assert!(m.contains("Log Matching"), "{m}");
    let (l, c, m) = err("log 1 1:\"a\" 2\nlog 2 1:\"b\" 2\n");
    assert_eq!((l, c), (2, 7));
    assert!(m.contains("differ at index 1"), "{m}");
    let (_, c, m) = err("log 2 1:x\n");
    assert_eq!(c, 7);
    assert!(m.contains("entry terms"), "{m}");
    let (_, _, m) = err("at 1s log 2 1\n");
    assert!(m.contains("cannot follow `at`"), "{m}");
    assert!(sim::parse_action("term 2 5").is_err());
    // Built in code rather than parsed: Sim::new checks the same invariants.
    let mut sc = Scenario::default();
    sc.settings
        .staged
        .get_or_insert_with(2, Default::default)
        .log = vec![
        sim::scenario::StagedEntry { term: 3, cmd: None },
        sim::scenario::StagedEntry { term: 2, cmd: None },
    ];
    assert!(Sim::new(sc).is_err());
}

proptest::proptest! {
    /// Any mix of staged lines: an error with a position, or a scenario that
    /// `Sim::new` accepts; never a panic.
    #[test]
    fn arbitrary_staged_lines_never_panic(
        lines in proptest::collection::vec("(log|term) [0-9]{1,2}( [0-9]{1,2}(:\"[a-z=0-9]{0,4}\")?){0,6}", 0..6),
        nodes in 1u32..=9,
    ) {
        let text = format!("nodes {nodes}\n{}", lines.join("\n"));
        if let Ok(sc) = Scenario::parse(&text) {
            proptest::prop_assert!(Sim::new(sc).is_ok(), "{}", text);
        }
    }
}
