//! The scenario language: every directive parses, errors name line and
//! column, nothing panics, and printing parses back to an equal scenario.

use proptest::prelude::*;
use sim::claim::{Claim, ClientClaim, Expect, RoleClaim};
use sim::scenario::{BackoffMode, StagedEntry, StagedNode, UnsafeSwitch, NODE_ID_MAX};
use sim::units::Ppm;
use sim::{parse_action, Action, Property, Scenario, Setting, Sim, Timed};

#[test]
fn issue_example_parses() {
    let sc = Scenario::parse(include_str!("scenarios/issue_example.txt")).expect("parses");
    assert_eq!(sc.settings.nodes, 5);
    assert_eq!(sc.settings.seed, 42);
    assert_eq!(sc.run_us, Some(10_000_000));
    assert_eq!(sc.timeline.len(), 10);
    assert_eq!(
        sc.timeline[1],
        Timed {
            at_us: 1_000_000,
            action: Action::Request {
                to: Some(3),
                cmd: "x=1".into()
            }
        }
    );
    assert_eq!(
        sc.timeline[3].action,
        Action::Partition {
            groups: vec![vec![1, 2], vec![3, 4, 5]]
        }
    );
}

fn err(text: &str) -> (usize, usize, String) {
    let e = Scenario::parse(text).expect_err("must fail");
    (e.line, e.column, e.message)
}

#[test]
fn errors_name_line_column_and_what_was_expected() {
    let (l, c, m) = err("nodes 5\n  frobnicate 3\n");
    assert_eq!((l, c), (2, 3));
    assert!(
        m.contains("unknown directive `frobnicate`") && m.contains("crash"),
        "{m}"
    );
    let (l, c, m) = err("at 1s crash x\n");
    assert_eq!((l, c), (1, 13));
    assert!(m.contains("node id"), "{m}");
    let (l, c, _) = err("at 1s crash 1\nat 500ms heal\n");
    assert_eq!((l, c), (2, 1));
    let (_, c, m) = err("crash 1");
    assert_eq!(c, 1);
    assert!(m.contains("at TIME"), "{m}");
    let (_, c, m) = err("at 1s request \"unterminated");
    assert_eq!(c, 15);
    assert!(m.contains("unterminated"), "{m}");
    let (_, _, m) = err("raftlab 2");
    assert!(m.contains("newer"), "{m}");
    let (_, c, m) = err("at 1s partition 1 2 | 2 3");
    assert_eq!(c, 23);
    assert!(m.contains("two groups"), "{m}");
    let (_, _, m) = err("at 1s crash 1 2");
    assert!(m.contains("nothing more"), "{m}");
    let (_, _, m) = err("election-timeout 300ms 150ms");
    assert!(m.contains("MIN <= MAX"), "{m}");
    let (_, _, m) = err("at 1s nodes 3");
    assert!(m.contains("cannot follow `at`"), "{m}");
    let (_, _, m) = err(&format!("at 1s crash {}", NODE_ID_MAX + 1));
    assert!(m.contains("node id"), "{m}");
    assert!(Scenario::parse("at 1s request \"").is_err());
    assert!(Scenario::parse("at").is_err());
    assert!(Scenario::parse("at 1s").is_err());
    assert!(Scenario::parse("loss 101%").is_err());
    assert!(Scenario::parse("|").is_err());
    assert!(Scenario::parse("\"x\"").is_err());
}

#[test]
fn single_actions_parse_without_at() {
    assert_eq!(parse_action("crash 1"), Ok(Action::Crash { node: 1 }));
    assert_eq!(
        parse_action("  prevote on # comment"),
        Ok(Action::Set(Setting::PreVote(true)))
    );
    assert_eq!(
        parse_action("unsafe commit-old-terms on"),
        Ok(Action::Set(Setting::Unsafe(
            UnsafeSwitch::CommitOldTerms,
            true
        )))
    );
    assert!(parse_action("at 1s crash 1").is_err());
    assert!(parse_action("nodes 3").is_err());
    assert!(parse_action("").is_err());
}

/// The issue's file: `nodes 5` and `at 1s crash 9`, with no `add 9`.
#[test]
fn an_action_aimed_at_a_server_that_never_exists_is_refused() {
    let e = Scenario::parse(include_str!("scenarios/node_never_added.txt"))
        .expect_err("node 9 never exists");
    assert_eq!(
        e.to_string(),
        "line 5, column 13: node 9 does not exist: the cluster has nodes 1..5 and no `add 9`"
    );
    // Every place a server is named, with the column of the id.
    for (text, column) in [
        ("at 1s request 7 \"x\"", 15),
        ("at 1s restart 6", 15),
        ("at 1s timeout 6", 15),
        ("at 1s isolate 6", 15),
        ("at 1s cut 1 6", 13),
        ("at 1s restore 6 1", 15),
        ("at 1s remove 6", 14),
        ("at 1s transfer 6", 16),
        ("at 1s compact 6", 15),
        ("at 1s partition 1 2 | 3 6", 25),
        ("at 1s expect leader 6", 21),
        ("at 1s expect committed 6 \"x\" on 1 6", 35),
        ("at 1s expect next-index 1 for 6 is 3", 31),
    ] {
        let e = Scenario::parse(&format!("nodes 5\n{text}\n")).expect_err(text);
        assert_eq!((e.line, e.column), (2, column), "{text}: {e}");
        assert!(
            e.message.starts_with("node 6 does not exist")
                || e.message.starts_with("node 7 does not exist"),
            "{text}: {e}"
        );
    }
    // `nodes` may come after the timeline: the check uses the final size.
    let e = Scenario::parse("at 1s crash 4\nnodes 3\n").expect_err("4 of 3");
    assert_eq!((e.line, e.column), (1, 13), "{e}");
    assert!(e.message.contains("the cluster has nodes 1..3"), "{e}");
    let e = Scenario::parse("nodes 1\nat 1s crash 2\n").expect_err("2 of 1");
    assert!(e.message.contains("the cluster has node 1 and"), "{e}");
    // A staged node past `nodes` keeps its own message.
    let e = Scenario::parse("nodes 3\nlog 4 1\n").expect_err("staged 4 of 3");
    assert!(e.message.contains("staged"), "{e}");
}

/// An action before the `add` that creates the server is fine (the
/// simulator notes it at run time), and so is one after it; `add-learner`,
/// `change` and `unsafe-change` create servers too.
#[test]
fn an_action_aimed_at_a_server_added_anywhere_in_the_timeline_is_accepted() {
    let sc = Scenario::parse(include_str!("scenarios/node_crashed_before_add.txt"))
        .expect("6 is added at 1s");
    assert_eq!(sc.timeline[0].action, Action::Crash { node: 6 });
    let mut sim = Sim::new(sc).expect("valid");
    sim.run_until(600_000);
    assert!(
        sim.trace()
            .iter()
            .any(|e| e.to_json().contains("crash 6: no such node")),
        "the simulator notes the early crash"
    );
    for text in [
        "at 1s crash 6\nat 2s add-learner 6\n",
        "at 1s crash 6\nat 2s change 1 2 3 6\n",
        "unsafe direct-change on\nat 1s expect down 6\nat 2s unsafe-change 1 2 6\n",
        "at 1s add 7\nat 2s partition 1 2 | 7\nat 3s expect follower 7\n",
    ] {
        let text = format!("nodes 5\n{text}");
        if let Err(e) = Scenario::parse(&text) {
            panic!("{text}: {e}");
        }
    }
}

/// The live app (`Sim::act_line`) refuses an action aimed at a server that
/// is not one of the simulation's now, and records nothing: a share link
/// made from a session always re-parses.
#[test]
fn act_line_refuses_an_action_aimed_at_a_server_that_does_not_exist_now() {
    let mut sim = Sim::new(Scenario::parse("nodes 3\n").expect("valid")).expect("valid");
    sim.run_until(500_000);
    assert_eq!(sim.node_ids(), vec![1, 2, 3]);
    for line in [
        "crash 4",
        "request 4 \"x=1\"",
        "partition 1 | 2 4",
        "cut 4 1",
        "transfer 9",
    ] {
        let e = sim.act_line(line).expect_err(line);
        assert!(e.message.contains("does not exist"), "{line}: {e}");
        assert!(
            e.message.contains("the cluster has nodes 1..3"),
            "{line}: {e}"
        );
    }
    let e = sim.act_line("cut 1 4").expect_err("4");
    assert_eq!(
        e.to_string(),
        "line 1, column 7: node 4 does not exist: the cluster has nodes 1..3; `add 4` creates it"
    );
    assert!(sim.scenario().timeline.is_empty(), "nothing was recorded");
    // The actions that create a server are taken, and from then on it exists.
    sim.act_line("add 4").expect("add creates 4");
    sim.act_line("crash 4").expect("4 exists now");
    assert_eq!(sim.node_ids(), vec![1, 2, 3, 4]);
    // Refused by the leader (a change is pending), but not by `act_line`:
    // it is the action that would create 5.
    sim.act_line("change 1 2 3 4 5")
        .expect("change may create 5");
    sim.act_line("prevote on").expect("settings name no server");
    let text = sim.scenario().to_string();
    assert_eq!(
        Scenario::parse(&text).as_ref(),
        Ok(sim.scenario()),
        "the session re-parses:\n{text}"
    );
}

fn arb_node() -> impl Strategy<Value = u32> {
    1..=NODE_ID_MAX
}

fn arb_nodes() -> impl Strategy<Value = Vec<u32>> {
    proptest::sample::subsequence((1..=NODE_ID_MAX).collect::<Vec<_>>(), 1..6).prop_shuffle()
}

fn arb_us() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..2_000,
        (0u64..100_000).prop_map(|x| x * 1000),
        0u64..100_000_000
    ]
}

fn arb_setting() -> impl Strategy<Value = Setting> {
    prop_oneof![
        (1u64..1_000_000, 0u64..1_000_000).prop_map(|(a, b)| Setting::ElectionTimeout {
            min_us: a,
            max_us: a + b
        }),
        (1u64..1_000_000).prop_map(|every_us| Setting::Heartbeat { every_us }),
        (0u64..1_000_000, 0u64..1_000_000).prop_map(|(a, b)| Setting::Latency {
            min_us: a,
            max_us: a + b
        }),
        (0u32..=1_000_000).prop_map(|p| Setting::Loss(Ppm(p))),
        (0u32..=1_000_000).prop_map(|p| Setting::Duplicate(Ppm(p))),
        (0u32..=1_000_000).prop_map(|p| Setting::Reorder(Ppm(p))),
        any::<bool>().prop_map(Setting::PreVote),
        any::<bool>().prop_map(Setting::CheckQuorum),
        any::<bool>().prop_map(Setting::Noop),
        prop_oneof![Just(BackoffMode::Decrement), Just(BackoffMode::Hint)]
            .prop_map(Setting::Backoff),
        (0usize..4, any::<bool>()).prop_map(|(i, b)| Setting::Unsafe(UnsafeSwitch::ALL[i], b)),
        proptest::option::of(1u64..10_000).prop_map(Setting::SnapshotEvery),
    ]
}

fn arb_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (
            proptest::option::of(arb_node()),
            "[ -~\u{4e00}-\u{4e10}\"\\\\\n\t#|]{0,30}"
        )
            .prop_map(|(to, cmd)| Action::Request { to, cmd }),
        arb_node().prop_map(|node| Action::Crash { node }),
        arb_node().prop_map(|node| Action::Restart { node }),
        arb_node().prop_map(|node| Action::Timeout { node }),
        arb_nodes().prop_map(|n| {
            let k = n.len() / 2;
            let groups = if k == 0 {
                vec![n]
            } else {
                vec![n[..k].to_vec(), n[k..].to_vec()]
            };
            Action::Partition { groups }
        }),
        arb_node().prop_map(|node| Action::Isolate { node }),
        (arb_node(), arb_node())
            .prop_filter("distinct", |(a, b)| a != b)
            .prop_map(|(from, to)| Action::Cut { from, to }),
        (arb_node(), arb_node())
            .prop_filter("distinct", |(a, b)| a != b)
            .prop_map(|(from, to)| Action::Restore { from, to }),
        Just(Action::Heal),
        any::<u64>().prop_map(|id| Action::Drop { id }),
        arb_node().prop_map(|node| Action::Add { node }),
        arb_node().prop_map(|node| Action::AddLearner { node }),
        arb_node().prop_map(|node| Action::Remove { node }),
        arb_nodes().prop_map(|voters| Action::Change { voters }),
        arb_nodes().prop_map(|voters| Action::UnsafeChange { voters }),
        arb_node().prop_map(|to| Action::Transfer { to }),
        arb_node().prop_map(|node| Action::Compact { node }),
        arb_setting().prop_map(Action::Set),
    ]
}

fn arb_cmd() -> impl Strategy<Value = String> {
    "[ -~\u{4e00}-\u{4e10}\"\\\\\n\t#|]{0,30}"
}

fn arb_claim() -> impl Strategy<Value = Claim> {
    let role = prop_oneof![
        Just(RoleClaim::Follower),
        Just(RoleClaim::PreCandidate),
        Just(RoleClaim::Candidate),
        Just(RoleClaim::Leader),
        Just(RoleClaim::Down),
    ];
    let result = prop_oneof![
        Just(ClientClaim::Pending),
        Just(ClientClaim::Ok),
        Just(ClientClaim::Timeout),
        Just(ClientClaim::Redirect),
        Just(ClientClaim::Unavailable),
        Just(ClientClaim::Rejected),
    ];
    prop_oneof![
        (role, arb_nodes(), proptest::option::of(any::<u64>()))
            .prop_map(|(role, nodes, term)| Claim::Role { role, nodes, term }),
        Just(Claim::NoLeader),
        arb_nodes().prop_map(|nodes| Claim::Leaders { nodes }),
        (arb_node(), arb_nodes()).prop_map(|(node, from)| Claim::Votes { node, from }),
        (proptest::option::of(any::<u64>()), arb_cmd(), arb_nodes())
            .prop_map(|(index, cmd, nodes)| Claim::Committed { index, cmd, nodes }),
        (proptest::option::of(any::<u64>()), arb_cmd(), arb_nodes())
            .prop_map(|(index, cmd, nodes)| Claim::Uncommitted { index, cmd, nodes }),
        (arb_cmd(), arb_nodes()).prop_map(|(cmd, nodes)| Claim::Absent { cmd, nodes }),
        (any::<u64>(), arb_nodes()).prop_map(|(index, nodes)| Claim::CommitIndex { index, nodes }),
        ("[a-z0-9_.]{1,6}", "[a-z0-9_.=]{0,6}", arb_nodes())
            .prop_map(|(key, value, nodes)| Claim::Kv { key, value, nodes }),
        (proptest::collection::vec(any::<u64>(), 0..5), arb_nodes())
            .prop_map(|(terms, nodes)| Claim::LogTerms { terms, nodes }),
        arb_nodes()
            .prop_filter("two or more", |n| n.len() >= 2)
            .prop_map(|nodes| Claim::LogsMatch { nodes }),
        (arb_node(), arb_node(), any::<u64>()).prop_map(|(leader, follower, index)| {
            Claim::NextIndex {
                leader,
                follower,
                index,
            }
        }),
        (arb_node(), any::<u64>())
            .prop_map(|(follower, count)| Claim::RejectedAppends { follower, count }),
        (arb_cmd(), result).prop_map(|(cmd, result)| Claim::Client { cmd, result }),
        (0usize..Property::ALL.len()).prop_map(|i| Claim::Violation {
            property: Property::ALL[i]
        }),
        Just(Claim::NoViolation),
    ]
}

/// The servers an action aims at (and, for the ones that create them, creates).
fn action_nodes(a: &Action) -> Vec<u32> {
    match a {
        Action::Request { to, .. } => to.iter().copied().collect(),
        Action::Crash { node }
        | Action::Restart { node }
        | Action::Timeout { node }
        | Action::Isolate { node }
        | Action::Add { node }
        | Action::AddLearner { node }
        | Action::Remove { node }
        | Action::Compact { node }
        | Action::Transfer { to: node } => vec![*node],
        Action::Cut { from, to } | Action::Restore { from, to } => vec![*from, *to],
        Action::Partition { groups } => groups.concat(),
        Action::Change { voters } | Action::UnsafeChange { voters } => voters.clone(),
        Action::Heal | Action::Drop { .. } | Action::Set(_) => Vec::new(),
    }
}

/// The servers a claim names.
fn claim_nodes(c: &Claim) -> Vec<u32> {
    match c {
        Claim::Role { nodes, .. }
        | Claim::Leaders { nodes }
        | Claim::Committed { nodes, .. }
        | Claim::Uncommitted { nodes, .. }
        | Claim::Absent { nodes, .. }
        | Claim::CommitIndex { nodes, .. }
        | Claim::Kv { nodes, .. }
        | Claim::LogTerms { nodes, .. }
        | Claim::LogsMatch { nodes } => nodes.clone(),
        Claim::Votes { node, from } => [vec![*node], from.clone()].concat(),
        Claim::NextIndex {
            leader, follower, ..
        } => vec![*leader, *follower],
        Claim::RejectedAppends { follower, .. } => vec![*follower],
        Claim::NoLeader | Claim::Client { .. } | Claim::Violation { .. } | Claim::NoViolation => {
            Vec::new()
        }
    }
}

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (
        (1u32..=9, any::<u64>()),
        proptest::collection::vec(arb_setting(), 0..6),
        proptest::collection::vec((arb_us(), arb_action()), 0..20),
        proptest::option::of(arb_us()),
        arb_staged(),
        proptest::collection::vec((arb_us(), arb_claim()), 0..8),
    )
        .prop_map(
            |((nodes, seed), settings, mut timeline, run_us, staged, claims)| {
                let mut sc = Scenario::default();
                sc.settings.nodes = nodes;
                sc.settings.seed = seed;
                for s in &settings {
                    sc.settings.apply(s);
                }
                timeline.sort_by_key(|(t, _)| *t);
                sc.timeline = timeline
                    .into_iter()
                    .map(|(at_us, action)| Timed { at_us, action })
                    .collect();
                sc.run_us = run_us;
                for (node, st) in staged {
                    if node <= nodes {
                        sc.settings.staged.insert(node, st);
                    }
                }
                // Claims in any order (they are not part of the timeline's order).
                sc.expects = claims
                    .into_iter()
                    .map(|(at_us, claim)| Expect {
                        at_us,
                        line: 0,
                        column: 0,
                        claim,
                    })
                    .collect();
                // A server named but never in the cluster is a parse error: add
                // each such server at the end, which makes every mention valid.
                let end = sc.timeline.last().map_or(0, |t| t.at_us);
                let mut missing: Vec<u32> = sc
                    .timeline
                    .iter()
                    .flat_map(|t| action_nodes(&t.action))
                    .chain(sc.expects.iter().flat_map(|e| claim_nodes(&e.claim)))
                    .filter(|&n| n > nodes)
                    .collect();
                missing.sort_unstable();
                missing.dedup();
                for node in missing {
                    sc.timeline.push(Timed {
                        at_us: end,
                        action: Action::Add { node },
                    });
                }
                sc
            },
        )
}

/// Staged logs with a common prefix and per-node suffixes whose terms no other
/// node uses (so that they respect Log Matching), and optional terms.
fn arb_staged() -> impl Strategy<Value = Vec<(u32, StagedNode)>> {
    let entry = (
        0u64..3,
        proptest::option::of("[ -~\u{4e00}-\u{4e10}\"\\\\\n\t#|:]{0,12}"),
    );
    (
        proptest::collection::vec(entry.clone(), 0..5),
        proptest::collection::vec(
            (
                1u32..=9,
                proptest::collection::vec(entry, 0..5),
                proptest::option::of(0u64..3),
                any::<bool>(),
            ),
            0..4,
        ),
    )
        .prop_map(|(prefix, nodes)| {
            let mut out: Vec<(u32, StagedNode)> = Vec::new();
            for (node, suffix, extra_term, with_prefix) in nodes {
                if out.iter().any(|(n, _)| *n == node) {
                    continue;
                }
                let mut log = Vec::new();
                let mut term = 1;
                for (step, cmd) in prefix.iter().filter(|_| with_prefix) {
                    term += step;
                    log.push(StagedEntry {
                        term,
                        cmd: cmd.clone(),
                    });
                }
                // Suffix terms are unique to this node: 100 * node + ...
                let mut suffix_term = 100 * u64::from(node);
                for (step, cmd) in suffix {
                    suffix_term += step;
                    log.push(StagedEntry {
                        term: suffix_term,
                        cmd,
                    });
                }
                let last = log.last().map_or(0, |e| e.term);
                let term = extra_term.map(|x| last + x);
                if log.is_empty() && term.is_none() {
                    continue;
                }
                out.push((node, StagedNode { term, log }));
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    /// Printing a scenario gives text that parses back to an equal scenario.
    #[test]
    fn print_then_parse_round_trips(sc in arb_scenario()) {
        let text = sc.to_string();
        let back = Scenario::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, sc);
    }

    /// Any text at all: an error or a scenario, never a panic.
    #[test]
    fn arbitrary_text_never_panics(text in "(at [0-9.]{1,4}(ms|s|us) )?[a-z\\- ]{0,20}[ 0-9|\"#%.a-z]{0,30}") {
        let _ = Scenario::parse(&text);
        let _ = parse_action(&text);
    }

    /// Any link text: an error or a scenario, never a panic.
    #[test]
    fn arbitrary_links_never_panic(text in "[#1.]{0,3}[A-Za-z0-9_\\-]{0,200}") {
        let _ = sim::decode_link(&text);
    }
}

/// A typed action aimed at a server that does not exist is refused with the
/// words and column `parse_live_action` gives for its printed line; the
/// actions that create their servers, or name none, pass.
#[test]
fn a_typed_action_at_a_missing_server_is_refused_as_its_line_is() {
    use sim::{check_live_action, parse_live_action};
    let servers = [1, 2, 3, 5];
    for action in [
        Action::Crash { node: 9 },
        Action::Transfer { to: 7 },
        Action::Cut { from: 1, to: 9 },
        Action::Request {
            to: Some(4),
            cmd: "set 4=4".into(),
        },
        Action::Partition {
            groups: vec![vec![1, 2], vec![3, 8]],
        },
    ] {
        let parsed = parse_live_action(&action.to_string(), &servers).expect_err("refused");
        assert_eq!(
            check_live_action(&action, &servers),
            Err(parsed),
            "{action}"
        );
    }
    for ok in [
        Action::Crash { node: 5 },
        Action::Add { node: 9 },
        Action::Heal,
        Action::Drop { id: 99 },
    ] {
        assert_eq!(check_live_action(&ok, &servers), Ok(()), "{ok}");
    }
}
