//! Each teaching switch (b)–(d) breaks one safety property; each test shows
//! the counterexample with the switch on and its absence with it off.
//! (Switch (a) is shown by the Figure 8 tests in `figure7_8.rs`.)

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use raft::{ConfChange, Membership, ProposeError, Role, Rule, UnsafeSwitch, UnsafeSwitches};
use std::collections::BTreeSet;

/// S1 leads term 1 with S2 (S3 cut off), commits and applies "x" at index 2,
/// and crashes before S2 learns that index 2 is committed. S3 then campaigns.
fn committed_then_leader_crashes(vote_without_log_check: bool) -> Cluster {
    let mut c = Cluster::new(3, |mut c| {
        c.unsafe_switches.vote_without_log_check = vote_without_log_check;
        c
    });
    c.isolate(3);
    c.elect(1);
    c.propose(1, "x").unwrap();
    c.deliver_matching(|m| m.to == 2);
    c.deliver_matching(|m| m.from == 2); // S2's ack: S1 commits and applies x
    assert_eq!(c.node(1).commit_index(), 2);
    assert!(c.applied[&1].iter().any(|e| e.payload == cmd("x")));
    c.crash(1);
    c.heal();
    // S1 is gone: a minimum election timeout passes, the leases end (§6).
    c.expire_leases();
    for _ in 0..3 {
        c.timeout(3);
        c.stabilize();
    }
    c
}

/// Switch (b) `vote_without_log_check` off: "the voter denies its vote if its
/// own log is more up-to-date than that of the candidate", so S3 (empty log)
/// cannot win and the committed "x" survives. Reference: §5.4.1
#[test]
fn switch_b_off_election_restriction_keeps_committed_entries() {
    let c = committed_then_leader_crashes(false);
    assert_ne!(c.node(3).role(), Role::Leader);
    assert!(c.violations.is_empty());
}

/// Switch (b) on: S2 votes for S3 although S3 lacks the committed entry:
/// Leader Completeness is broken; when S1 restarts, S3 overwrites S1's
/// applied entries and S1 applies something else at the same index: State
/// Machine Safety is broken. Reference: §5.4.1, §5.4.3
#[test]
fn switch_b_vote_without_log_check_breaks_leader_completeness() {
    let mut c = committed_then_leader_crashes(true);
    assert_eq!(c.node(3).role(), Role::Leader, "elected with an empty log");
    assert!(
        c.node(3).log().entries().all(|e| e.payload != cmd("x")),
        "Leader Completeness violated"
    );
    c.restart(1);
    c.heartbeat(3);
    c.stabilize();
    c.propose(3, "y").unwrap();
    c.stabilize();
    c.heartbeat(3);
    c.stabilize();
    assert!(
        c.violations
            .iter()
            .any(|v| v.contains("State Machine Safety")),
        "expected a State Machine Safety violation: {:?}",
        c.violations
    );
}

/// S1 and S3 both campaign in term 1. S2 votes for S1 (who wins), crashes,
/// restarts, then receives S3's request.
fn double_vote(forget: bool) -> Cluster {
    let mut c = Cluster::new(3, |mut c| {
        c.unsafe_switches.forget_vote_on_restart = forget;
        c
    });
    c.timeout(1);
    c.timeout(3);
    c.drop_matching(|m| m.to != 2);
    c.deliver_matching(|m| m.from == 1);
    c.deliver_matching(|m| m.from == 2 && m.to == 1);
    assert_eq!(c.node(1).role(), Role::Leader);
    let rv_from_3: Vec<_> = c.queue.iter().filter(|m| m.from == 3).cloned().collect();
    c.crash(2);
    c.restart(2);
    for m in rv_from_3 {
        c.deliver(m);
    }
    c.deliver_matching(|m| m.from == 2 && m.to == 3);
    c
}

/// Switch (c) off: votedFor is persistent (Figure 2), so after a restart S2
/// still refuses a second candidate in term 1. Reference: §5.2, Figure 2
#[test]
fn switch_c_off_persistent_vote_prevents_double_vote() {
    let c = double_vote(false);
    assert_eq!(c.node(2).voted_for(), Some(1));
    assert_ne!(c.node(3).role(), Role::Leader);
    assert!(c.violations.is_empty());
}

/// Switch (c) `forget_vote_on_restart`: S2 forgets its vote and votes again
/// in the same term: two leaders in term 1, Election Safety broken.
/// Reference: §5.2, Figure 3
#[test]
fn switch_c_forget_vote_on_restart_breaks_election_safety() {
    let c = double_vote(true);
    assert_eq!(c.node(3).role(), Role::Leader);
    assert_eq!(c.node(1).role(), Role::Leader);
    assert_eq!(c.node(1).term(), c.node(3).term());
    assert!(
        c.violations.iter().any(|v| v.contains("Election Safety")),
        "{:?}",
        c.violations
    );
}

/// 3 servers {1,2,3} with S3 leading term 1; servers 4 and 5 are new. The
/// cluster is split {1,2} | {3,4,5} while S3 grows it to {1..5} with `change`.
fn grow_during_partition(direct: bool) -> Cluster {
    let mut c = Cluster::new(3, |mut c| {
        c.unsafe_switches.direct_change = direct;
        c
    });
    for id in [4, 5] {
        let mut conf = cfg(id);
        conf.unsafe_switches.direct_change = direct;
        c.add_node(conf, Membership::default());
    }
    c.elect(3);
    c.partition(&[1, 2], &[3, 4, 5]);
    let voters: BTreeSet<u32> = (1..=5).collect();
    let change = if direct {
        ConfChange::UnsafeDirect { voters }
    } else {
        ConfChange::BeginJoint { voters }
    };
    c.node_mut(3).propose_conf_change(change).unwrap();
    c.drain(3);
    c.stabilize();
    // C_old majority {1, 2} and C_new majority {3, 4, 5} both hold an
    // election. On {1, 2}, cut off from their leader, the lease ends (§6)
    // and S1 times out; on {3, 4, 5}, S3 still leads, so its followers ignore
    // a plain RequestVote, but it hands leadership to S4 (thesis §3.10).
    c.expire_leases();
    c.timeout(1);
    c.node_mut(3).transfer_leadership(4).unwrap();
    c.drain(3);
    c.stabilize();
    c
}

/// Switch (d) `direct_change`: switching from 3 to 5 servers in
/// one step lets S1 win with a majority of C_old ({1,2}) while S4 wins with
/// a majority of C_new ({3,4,5}), in the same term: Election Safety broken
/// (paper Figure 10). Reference: §6
#[test]
fn switch_d_direct_membership_change_breaks_election_safety() {
    let c = grow_during_partition(true);
    assert_eq!((c.node(1).role(), c.node(1).term()), (Role::Leader, 2));
    assert_eq!((c.node(4).role(), c.node(4).term()), (Role::Leader, 2));
    assert!(
        c.violations.iter().any(|v| v.contains("Election Safety")),
        "{:?}",
        c.violations
    );
}

/// Switch (d) off: `UnsafeDirect` is refused, and joint consensus in the same
/// situation needs majorities of both C_old and C_new, which neither side of
/// the partition has. Reference: §6
#[test]
fn switch_d_off_joint_consensus_prevents_two_leaders() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    let voters: BTreeSet<u32> = (1..=5).collect();
    assert_eq!(
        c.node_mut(1)
            .propose_conf_change(ConfChange::UnsafeDirect { voters }),
        Err(ProposeError::UnsafeSwitchOff)
    );
    let c = grow_during_partition(false);
    assert!(c.violations.is_empty(), "{:?}", c.violations);
    assert_ne!(
        c.node(4).role(),
        Role::Leader,
        "S4 has no majority of C_old"
    );
}

/// A follower that knows entry 2 is committed receives, from a leader of a
/// later term, a different entry at index 2. AppendEntries rule 3 says
/// "delete the existing entry and all that follow it", but a correct leader
/// never sends this (Leader Completeness). With every teaching switch off the
/// follower refuses, so the committed prefix never changes for any input;
/// under switch (a) or (b), whose counterexample is exactly this overwrite,
/// it obeys rule 3 literally, so a lesson shows the committed entry being
/// overwritten and applied twice.
/// Reference: Figure 2 (AppendEntries receiver rule 3), §5.4, Figure 8 (e)
fn follower_receives_overwrite_of_committed_entry(
    switches: raft::UnsafeSwitches,
) -> (raft::Node, Vec<raft::Entry>) {
    use raft::{Message, Node};
    let mut config = cfg(2);
    config.unsafe_switches = switches;
    let mut node = Node::new(config, Membership::new([1, 2, 3]));
    // Leader 1 of term 2 replicates (1, t1) (2, t2) and says both are committed.
    let first = entries_with_terms(&[1, 2]);
    node.handle_message(
        1,
        Message::AppendEntries {
            term: 2,
            leader: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: first,
            leader_commit: 2,
        },
    );
    let mut applied = node.ready().apply;
    assert_eq!(node.commit_index(), 2);
    // Leader 3 of term 3 (elected without entry 2) sends its own entry 2.
    node.handle_message(
        3,
        Message::AppendEntries {
            term: 3,
            leader: 3,
            prev_log_index: 1,
            prev_log_term: 1,
            entries: vec![entry(3, 2)],
            leader_commit: 2,
        },
    );
    applied.extend(node.ready().apply);
    (node, applied)
}

#[test]
fn rule3_follower_refuses_to_overwrite_committed_entry_when_safe() {
    let (node, applied) = follower_receives_overwrite_of_committed_entry(UnsafeSwitches::none());
    assert_eq!(terms_of(&node), vec![1, 2], "the committed entry is kept");
    assert_eq!(applied.len(), 2, "applied once each");
}

/// A teaching switch changes its own rule only. Switches (c) and (d) break
/// Election Safety; their counterexamples need no follower that deletes
/// committed entries, so under them the follower still refuses, and
/// commitIndex and lastApplied never move backwards.
/// Reference: Figure 2 (AppendEntries receiver rule 3), §5.4
#[test]
fn rule3_follower_refuses_to_overwrite_committed_entry_under_switches_c_and_d() {
    let c = UnsafeSwitches {
        forget_vote_on_restart: true,
        ..UnsafeSwitches::none()
    };
    let d = UnsafeSwitches {
        direct_change: true,
        ..UnsafeSwitches::none()
    };
    for switches in [c, d] {
        let (node, applied) = follower_receives_overwrite_of_committed_entry(switches);
        assert_eq!(terms_of(&node), vec![1, 2], "{switches:?}: entry kept");
        assert_eq!((node.commit_index(), node.last_applied()), (2, 2));
        assert_eq!(applied.len(), 2, "{switches:?}: applied once each");
    }
}

#[test]
fn rule3_follower_overwrites_committed_entry_with_teaching_switch() {
    for switches in [
        UnsafeSwitches {
            commit_old_terms: true,
            ..UnsafeSwitches::none()
        },
        UnsafeSwitches {
            vote_without_log_check: true,
            ..UnsafeSwitches::none()
        },
    ] {
        let (node, applied) = follower_receives_overwrite_of_committed_entry(switches);
        assert_eq!(
            terms_of(&node),
            vec![1, 3],
            "the committed entry was overwritten"
        );
        let at_2: Vec<_> = applied
            .iter()
            .filter(|e| e.index == 2)
            .map(|e| e.term)
            .collect();
        assert_eq!(
            at_2,
            vec![2, 3],
            "index 2 applied twice, with different entries"
        );
    }
}

/// One type from the node up to the page: each switch has its scenario
/// name (`unsafe NAME on`), its letter in the docs, and the rule it breaks.
#[test]
fn each_switch_names_the_rule_it_breaks() {
    let table = [
        (
            UnsafeSwitch::CommitOldTerms,
            "commit-old-terms",
            'a',
            Rule::CommitCurrentTermOnly,
        ),
        (
            UnsafeSwitch::VoteWithoutLogCheck,
            "vote-without-log-check",
            'b',
            Rule::ElectionRestriction,
        ),
        (
            UnsafeSwitch::ForgetVoteOnRestart,
            "forget-vote-on-restart",
            'c',
            Rule::PersistentState,
        ),
        (
            UnsafeSwitch::DirectChange,
            "direct-change",
            'd',
            Rule::JointConsensus,
        ),
    ];
    assert_eq!(
        UnsafeSwitch::ALL,
        table.map(|(s, ..)| s),
        "ALL is in letter order"
    );
    for (switch, name, letter, rule) in table {
        assert_eq!(switch.name(), name);
        assert_eq!(switch.to_string(), name);
        assert_eq!(UnsafeSwitch::from_name(name), Some(switch));
        assert_eq!(switch.letter(), letter);
        assert_eq!(switch.breaks(), rule);
        // The serde name is the scenario name, as the simulator's was.
        assert_eq!(
            serde_json::to_string(&switch).unwrap(),
            format!("\"{name}\"")
        );
    }
    assert_eq!(UnsafeSwitch::from_name("commit_old_terms"), None);
}

/// `get`/`set` address the flag named like the switch, and only it; the
/// flags keep the simulator's field names (the page's `state()` shows them).
#[test]
fn each_switch_sets_only_its_own_flag() {
    for switch in UnsafeSwitch::ALL {
        let mut s = UnsafeSwitches::none();
        assert!(!s.any());
        s.set(switch, true);
        assert!(s.get(switch) && s.any());
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![switch]);
        assert_eq!(s, UnsafeSwitches::none().with(switch));
        assert_eq!(s, [switch].into_iter().collect());
        s.set(switch, false);
        assert_eq!(s, UnsafeSwitches::default());
    }
    let all: UnsafeSwitches = UnsafeSwitch::ALL.into_iter().collect();
    assert_eq!(all.iter().collect::<Vec<_>>(), UnsafeSwitch::ALL);
    assert_eq!(
        serde_json::to_string(&all).unwrap(),
        r#"{"commit_old_terms":true,"vote_without_log_check":true,"forget_vote_on_restart":true,"direct_change":true}"#
    );
}
