//! Claims in plain scenario files (`at TIME expect CLAIM`, docs/scenarios.md
//! "Claims"): parsed with their line and column, printed back, checked at
//! their moment by `sim::check_all`, and never part of the run.

use sim::claim::{check_all, Claim, ClientClaim, Expect, RoleClaim};
use sim::{parse_action, trace_hash, Scenario, Sim};

const HOLD: &str = include_str!("scenarios/claims_hold.txt");
const FALSE: &str = include_str!("scenarios/claims_false.txt");

fn parse(text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn a_scenario_whose_claims_hold_passes() {
    let sc = parse(HOLD);
    assert_eq!(sc.expects.len(), 14);
    let failures = check_all(&sc).expect("the simulator accepts it");
    let text: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{text:#?}");
}

#[test]
fn a_false_claim_fails_naming_its_line_and_column() {
    let sc = parse(FALSE);
    let failures = check_all(&sc).expect("the simulator accepts it");
    assert_eq!(failures.len(), 1, "{failures:?}");
    let f = &failures[0];
    assert_eq!((f.line, f.column, f.at_us), (24, 16, 1_800_000));
    assert_eq!(
        f.claim,
        Claim::Leaders { nodes: vec![3] },
        "the claim as written"
    );
    assert_eq!(
        f.to_string(),
        "line 24, column 16 (at 1.8s): `leaders 3` is false: the leaders are [1]"
    );
}

#[test]
fn claims_keep_where_they_were_written() {
    let sc = parse("nodes 3\n\n  at 1s   expect leader 2 term 1\n");
    assert_eq!(
        sc.expects,
        vec![Expect {
            at_us: 1_000_000,
            line: 3,
            column: 18,
            claim: Claim::Role {
                role: RoleClaim::Leader,
                nodes: vec![2],
                term: Some(1),
            },
        }]
    );
    assert_eq!((sc.expects[0].line, sc.expects[0].column), (3, 18));
    assert!(sc.timeline.is_empty(), "a claim is not an action");
}

/// The run is a function of (seed, settings, timeline): claims are not in
/// the timeline and change nothing.
#[test]
fn claims_do_not_change_the_run() {
    let with = parse(HOLD);
    let without_text: String = HOLD
        .lines()
        .filter(|l| !l.contains(" expect "))
        .map(|l| format!("{l}\n"))
        .collect();
    let without = parse(&without_text);
    assert!(without.expects.is_empty());
    assert_eq!(with.timeline, without.timeline);
    let trace = |sc: Scenario| {
        let mut sim = Sim::new(sc).expect("valid");
        sim.run_until(2_000_000);
        trace_hash(sim.trace())
    };
    assert_eq!(trace(with), trace(without));
}

#[test]
fn claims_print_and_parse_back_in_place() {
    // Claims in any order, at the time of an action, before and after the
    // timeline, with strings that need escapes.
    let text = "nodes 3\n\
        at 2s expect kv a=5 on 1 2 3\n\
        at 0ms expect no-leader\n\
        at 0ms timeout 1\n\
        at 500ms request \"set a=5\"\n\
        at 500ms expect client \"set a=5\" pending\n\
        at 1s expect committed 2 \"say \\\"hi\\\"\\n\" on 1\n\
        at 3s crash 2\n\
        at 9s expect log-terms on 3\n\
        at 9s expect violation \"leader-completeness\"\n";
    let sc = parse(text);
    assert_eq!(sc.expects.len(), 6);
    assert_eq!(
        sc.expects[0].claim,
        Claim::Kv {
            key: "a".into(),
            value: "5".into(),
            nodes: vec![1, 2, 3],
        },
        "claims keep their file order"
    );
    assert_eq!(
        sc.expects[2].claim,
        Claim::Client {
            cmd: "set a=5".into(),
            result: ClientClaim::Pending,
        }
    );
    let printed = sc.to_string();
    assert_eq!(parse(&printed), sc, "{printed}");
    // Claims in time order are printed in place: merged into the timeline,
    // after the actions of their moment, which they see.
    let mut sorted = sc.clone();
    sorted.expects.sort_by_key(|e| e.at_us);
    let printed = sorted.to_string();
    assert_eq!(parse(&printed), sorted, "{printed}");
    assert!(
        printed.starts_with(
            "raftlab 1\nnodes 3\nseed 1\nat 0ms timeout 1\nat 0ms expect no-leader\n\
             at 500ms request \"set a=5\"\nat 500ms expect client \"set a=5\" pending\n\
             at 1s expect committed 2 \"say \\\"hi\\\"\\n\" on 1\nat 2s expect kv a=5 on 1 2 3\n\
             at 3s crash 2\n"
        ),
        "{printed}"
    );
    assert!(
        printed.contains("at 9s expect violation \"Leader Completeness\"\n"),
        "{printed}"
    );
}

#[test]
fn claim_errors_name_line_and_column() {
    let err = |text: &str| {
        let e = Scenario::parse(text).expect_err(text);
        (e.line, e.column, e.message)
    };
    let (l, c, m) = err("nodes 3\nat 1s expect leader 1 trem 2\n");
    assert_eq!((l, c), (2, 23), "{m}");
    let (l, c, m) = err("at 1s expect frobnicated 3\n");
    assert_eq!((l, c), (1, 14), "{m}");
    assert!(m.contains("unknown claim"), "{m}");
    let (l, c, m) = err("at 1s expect violation \"Safety\"\n");
    assert_eq!((l, c), (1, 24), "{m}");
    let (l, c, m) = err("nodes 3\nexpect leader 1\n");
    assert_eq!((l, c), (2, 1));
    assert!(m.contains("at TIME expect"), "{m}");
    let e = parse_action("expect leader 1").expect_err("a claim is not an action");
    assert!(e.message.contains("not an action"), "{e}");
}

/// A claim is checked after every event at or before its moment: the
/// moment the app shows after a seek there, also in any order of claims.
#[test]
fn claims_written_out_of_order_are_checked_at_their_moment() {
    let sc = parse(HOLD);
    let mut reversed = sc.clone();
    reversed.expects.reverse();
    let failures = check_all(&reversed).expect("valid");
    assert!(failures.is_empty(), "{failures:?}");
    let mut wrong = parse(FALSE);
    wrong.expects.reverse();
    let failures = check_all(&wrong).expect("valid");
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].line, 24);
}
