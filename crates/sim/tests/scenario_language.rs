//! The scenario language: every directive parses, errors name line and
//! column, nothing panics, and printing parses back to an equal scenario.

use proptest::prelude::*;
use sim::scenario::{BackoffMode, StagedEntry, StagedNode, UnsafeSwitch, NODE_ID_MAX};
use sim::units::Ppm;
use sim::{parse_action, Action, Scenario, Setting, Timed};

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

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (
        1u32..=9,
        any::<u64>(),
        proptest::collection::vec(arb_setting(), 0..6),
        proptest::collection::vec((arb_us(), arb_action()), 0..20),
        proptest::option::of(arb_us()),
        arb_staged(),
    )
        .prop_map(|(nodes, seed, settings, mut timeline, run_us, staged)| {
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
            sc
        })
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
