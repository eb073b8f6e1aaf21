//! Property tests: no input sequence makes a node panic or break its
//! per-node invariants, and a small cluster under random delivery order,
//! loss and duplication keeps Election Safety, Log Matching and the
//! committed prefix.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use proptest::prelude::*;
use raft::{ConfChange, Entry, LogIndex, Membership, Message, Node, Payload, Snapshot, Term};
use std::collections::BTreeMap;

fn term() -> impl Strategy<Value = Term> {
    prop_oneof![8 => 0..6u64, 1 => Just(u64::MAX), 1 => Just(u64::MAX - 1)]
}

fn index() -> impl Strategy<Value = LogIndex> {
    prop_oneof![8 => 0..10u64, 1 => Just(u64::MAX), 1 => Just(u64::MAX - 1)]
}

fn peer() -> impl Strategy<Value = u32> {
    prop_oneof![8 => 0..6u32, 1 => Just(u32::MAX)]
}

/// Any configuration, including ones no leader would produce: empty, joint,
/// learners that are also voters, members the node never heard of.
fn membership() -> impl Strategy<Value = Membership> {
    let ids =
        || proptest::collection::btree_set(prop_oneof![8 => 0..6u32, 1 => Just(u32::MAX)], 0..4);
    (ids(), ids(), ids()).prop_map(|(voters, outgoing, learners)| Membership {
        voters,
        outgoing,
        learners,
    })
}

fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        Just(Payload::Noop),
        "[a-c]{1,2}".prop_map(|cmd| Payload::Command { cmd: cmd.into() }),
        proptest::collection::btree_set(1..5u32, 0..4).prop_map(|v| Payload::Config {
            membership: Membership::new(v).into()
        }),
        membership().prop_map(|membership| Payload::Config {
            membership: membership.into()
        }),
    ]
}

/// Entries: either consecutive from `prev + 1` with non-decreasing terms (what a
/// leader sends), or anything at all.
fn entries(prev: LogIndex) -> impl Strategy<Value = Vec<Entry>> {
    prop_oneof![
        proptest::collection::vec((0..3u64, payload()), 0..4).prop_map(move |v| {
            let mut t = 1;
            v.into_iter()
                .enumerate()
                .map(|(i, (dt, payload))| {
                    t += dt;
                    Entry {
                        term: t,
                        index: prev.saturating_add(i as u64 + 1),
                        payload,
                    }
                })
                .collect()
        }),
        proptest::collection::vec((term(), index(), payload()), 0..3).prop_map(|v| v
            .into_iter()
            .map(|(term, index, payload)| Entry {
                term,
                index,
                payload
            })
            .collect()),
    ]
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        (term(), peer(), index(), term(), any::<bool>()).prop_map(
            |(term, candidate, lli, llt, transfer)| {
                Message::RequestVote {
                    term,
                    candidate,
                    last_log_index: lli,
                    last_log_term: llt,
                    transfer,
                }
            }
        ),
        (term(), any::<bool>())
            .prop_map(|(term, granted)| Message::RequestVoteReply { term, granted }),
        (term(), peer(), index(), term()).prop_map(|(term, candidate, lli, llt)| {
            Message::PreVote {
                term,
                candidate,
                last_log_index: lli,
                last_log_term: llt,
            }
        }),
        (term(), any::<bool>()).prop_map(|(term, granted)| Message::PreVoteReply { term, granted }),
        (term(), peer(), index(), term(), index()).prop_flat_map(
            |(term, leader, prev, prev_term, commit)| {
                entries(prev).prop_map(move |entries| Message::AppendEntries {
                    term,
                    leader,
                    prev_log_index: prev,
                    prev_log_term: prev_term,
                    entries,
                    leader_commit: commit,
                })
            }
        ),
        (
            term(),
            any::<bool>(),
            index(),
            proptest::option::of(term()),
            index()
        )
            .prop_map(|(term, success, m, ct, ci)| {
                Message::AppendEntriesReply {
                    term,
                    success,
                    match_index: m,
                    conflict_term: ct,
                    conflict_index: ci,
                }
            }),
        (term(), peer(), index(), term(), membership(), "[a-z]{0,3}").prop_map(
            |(term, leader, li, lt, membership, data)| Message::InstallSnapshot {
                term,
                leader,
                snapshot: Snapshot {
                    last_index: li,
                    last_term: lt,
                    membership,
                    data,
                },
            }
        ),
        (term(), index())
            .prop_map(|(term, last_index)| Message::InstallSnapshotReply { term, last_index }),
        (term(), peer()).prop_map(|(term, leader)| Message::TimeoutNow { term, leader }),
    ]
}

#[derive(Clone, Debug)]
enum Input {
    Msg(u32, Message),
    ElectionTimeout,
    Heartbeat,
    Propose,
    Conf(u8, u32),
    Transfer(u32),
    Compact(LogIndex),
    Restart,
    Switches(u8),
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        10 => (peer(), message()).prop_map(|(f, m)| Input::Msg(f, m)),
        2 => Just(Input::ElectionTimeout),
        1 => Just(Input::Heartbeat),
        2 => Just(Input::Propose),
        1 => (0..5u8, peer()).prop_map(|(k, id)| Input::Conf(k, id)),
        1 => peer().prop_map(Input::Transfer),
        1 => index().prop_map(Input::Compact),
        1 => Just(Input::Restart),
        1 => any::<u8>().prop_map(Input::Switches),
    ]
}

fn switches(config: &mut raft::Config, bits: u8) {
    config.pre_vote = bits & 1 != 0;
    config.check_quorum = bits & 2 != 0;
    config.noop_on_elect = bits & 4 == 0;
    config.backoff = if bits & 8 != 0 {
        raft::Backoff::ConflictHint
    } else {
        raft::Backoff::Decrement
    };
    config.max_entries_per_append = (bits >> 4) as usize % 3;
    config.unsafe_switches.commit_old_terms = bits & 32 != 0;
    config.unsafe_switches.vote_without_log_check = bits & 64 != 0;
    config.unsafe_switches.direct_change = bits & 128 != 0;
    // forget_vote_on_restart stays off: the vote-once invariant is checked across restarts.
}

/// Issue: "No panic for any input". A configuration whose learners are also
/// voters breaks the `Membership` invariant ("learners never vote", thesis
/// §4.2.1). No leader produces one, so a forged AppendEntries or
/// InstallSnapshot carrying one is rejected as malformed; a caller-supplied
/// bootstrap carrying one must not make a later change panic either.
/// Reference: thesis §4.2.1
#[test]
fn no_panic_config_with_learner_that_votes() {
    let bad = Membership {
        voters: [1, 2].into(),
        outgoing: Default::default(),
        learners: [2].into(),
    };
    let mut n = Node::new(cfg(1), Membership::new([1, 2, 3]));
    let _ = n.ready();
    n.handle_message(
        2,
        Message::AppendEntries {
            term: 1,
            leader: 2,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![Entry {
                term: 1,
                index: 1,
                payload: Payload::Config {
                    membership: bad.clone().into(),
                },
            }],
            leader_commit: 1,
        },
    );
    assert!(n.log().is_empty(), "malformed configuration refused");
    n.handle_message(
        2,
        Message::InstallSnapshot {
            term: 1,
            leader: 2,
            snapshot: Snapshot {
                last_index: 1,
                last_term: 1,
                membership: bad.clone(),
                data: String::new(),
            },
        },
    );
    assert_eq!(n.log().snapshot(), None, "malformed snapshot refused");
    assert_eq!(n.membership(), &Membership::new([1, 2, 3]));

    // Bootstrapped (by the caller) with a learner that votes: 1 is the only
    // voter, wins alone, and changes the configuration without panicking.
    let mut n = Node::new(
        cfg(1),
        Membership {
            voters: [1].into(),
            outgoing: Default::default(),
            learners: [1].into(),
        },
    );
    n.handle_election_timeout();
    assert_eq!(n.role(), raft::Role::Leader);
    assert!(n.propose_conf_change(ConfChange::AddLearner(2)).is_ok());
    assert!(n
        .membership()
        .learners
        .iter()
        .all(|l| !n.membership().is_voter(*l)));
    let _ = n.ready();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any sequence of messages (any terms and indexes, unknown peers, stale,
    /// future, malformed), timeouts, proposals, configuration changes,
    /// compactions and restarts: no panic, and the per-node invariants hold:
    /// currentTerm never decreases (even across restarts: what it asked to
    /// persist is what it restarts with); votedFor names at most one
    /// candidate per term (Figure 2: "votedFor ... persistent"); the committed
    /// prefix never changes and commitIndex never decreases within a node's life.
    #[test]
    fn prop_single_node_never_panics_and_keeps_invariants(
        start_term in 0..4u64,
        inputs in proptest::collection::vec(input(), 1..60),
    ) {
        let mut config = cfg(1);
        config.unsafe_switches.vote_without_log_check = start_term == 3;
        let mut node = Node::new(config.clone(), Membership::new([1, 2, 3]));
        if start_term > 0 {
            // Start from a node that already has a log.
            let p = persistent(start_term, None, &[1, 2, 3], &[1, 1, start_term]);
            node = Node::restart(config.clone(), p);
        }
        let mut disk = node.persistent().clone();
        let mut votes: BTreeMap<Term, u32> = BTreeMap::new();
        let mut committed: BTreeMap<LogIndex, Term> = BTreeMap::new();
        let mut last_term = node.term();
        let mut last_commit = node.commit_index();
        for inp in inputs {
            match inp {
                Input::Msg(from, msg) => node.handle_message(from, msg),
                Input::ElectionTimeout => node.handle_election_timeout(),
                Input::Heartbeat => node.handle_heartbeat_timeout(),
                Input::Propose => { let _ = node.propose("p".to_string()); }
                Input::Conf(kind, id) => {
                    let voters = [1, 2, id].into_iter().collect();
                    let change = match kind {
                        0 => ConfChange::AddLearner(id),
                        1 => ConfChange::AddVoter(id),
                        2 => ConfChange::RemoveServer(id),
                        3 => ConfChange::BeginJoint { voters },
                        _ => ConfChange::UnsafeDirect { voters },
                    };
                    let _ = node.propose_conf_change(change);
                }
                Input::Transfer(to) => { let _ = node.transfer_leadership(to); }
                Input::Compact(up_to) => { let _ = node.compact(up_to, "img".to_string()); }
                Input::Restart => {
                    node = Node::restart(config.clone(), disk.clone());
                    committed.clear();
                    last_commit = node.commit_index();
                }
                Input::Switches(bits) => {
                    switches(&mut config, bits);
                    node.set_config(config.clone());
                }
            }
            let ready = node.ready();
            if ready.persist {
                disk = node.persistent().clone();
            }
            // The term never decreases.
            prop_assert!(node.term() >= last_term, "term went from {} to {}", last_term, node.term());
            last_term = node.term();
            // One vote per term.
            if let Some(v) = node.voted_for() {
                let prev = votes.insert(node.term(), v);
                prop_assert!(prev.is_none_or(|p| p == v), "voted for {:?} and {} in term {}", prev, v, node.term());
            }
            // commitIndex never decreases within a life; the committed prefix
            // never changes. Exempt: with a teaching switch on, a follower
            // obeys AppendEntries rule 3 literally even for committed entries
            // (so that lessons show the overwrite).
            if config.unsafe_switches.any() {
                committed.clear();
                last_commit = 0;
            }
            prop_assert!(node.commit_index() >= last_commit);
            last_commit = node.commit_index();
            prop_assert!(node.last_applied() <= node.commit_index());
            prop_assert!(node.commit_index() <= node.log().last_index());
            for (&i, &t) in &committed {
                if let Some(now) = node.log().term_at(i) {
                    if i > node.log().snapshot_index() {
                        prop_assert_eq!(now, t, "committed entry {} changed term", i);
                    }
                }
            }
            for i in node.log().first_index()..=node.commit_index() {
                if let Some(t) = node.log().term_at(i) {
                    committed.entry(i).or_insert(t);
                }
            }
            // Messages and state round-trip through serde (the trace shows them).
            for (_, m) in &ready.messages {
                let json = serde_json::to_string(m).unwrap();
                prop_assert_eq!(&serde_json::from_str::<Message>(&json).unwrap(), m);
            }
        }
        let json = serde_json::to_string(&node).unwrap();
        prop_assert_eq!(serde_json::from_str::<Node>(&json).unwrap(), node);
    }

    /// A cluster of 3–5 nodes under a random schedule (random delivery
    /// order, loss, duplication, crashes and restarts, partitions, timeouts,
    /// proposals, membership changes, transfers, compaction): Election
    /// Safety, Log Matching, State Machine Safety (the committed prefix never
    /// changes anywhere), commitIndex monotonic within each node's life.
    #[test]
    fn prop_cluster_random_schedule_keeps_safety(
        seed in any::<u64>(),
        n in 3..=5u32,
        bits in any::<u8>(),
        steps in 200..1200usize,
    ) {
        let mut c = Cluster::new(n, |mut conf| {
            switches(&mut conf, bits & 0x1f); // extensions only, no unsafe switch
            conf
        });
        let mut rng = XorShift::new(seed);
        let mut commits: BTreeMap<u32, LogIndex> = BTreeMap::new();
        for _ in 0..steps {
            let down_before = c.down.clone();
            random_action(&mut c, &mut rng, n);
            prop_assert!(c.violations.is_empty(), "{:?}", c.violations);
            if let Err(e) = c.check_log_matching() {
                prop_assert!(false, "{}", e);
            }
            for (&id, node) in &c.nodes {
                let restarted = down_before.contains(&id) && !c.down.contains(&id);
                let prev = commits.insert(id, node.commit_index()).unwrap_or(0);
                prop_assert!(restarted || c.down.contains(&id) || node.commit_index() >= prev,
                    "node {} commit went {} -> {}", id, prev, node.commit_index());
            }
        }
    }
}
