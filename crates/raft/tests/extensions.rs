//! The extensions: Pre-Vote and CheckQuorum (thesis §9.6, §4.2.3),
//! leadership transfer (thesis §3.10), snapshots (thesis ch. 5).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use raft::{CompactError, Event, Message, ProposeError, Role, StepDownReason};

/// A partitioned server keeps timing out, then rejoins. Returns the cluster.
fn rejoin_after_partition(pre_vote: bool) -> Cluster {
    let mut c = Cluster::new(3, |mut c| {
        c.pre_vote = pre_vote;
        c
    });
    c.elect(1);
    c.isolate(3);
    for _ in 0..5 {
        c.timeout(3);
        c.stabilize();
    }
    c.heal();
    c.heartbeat(1);
    c.stabilize();
    c
}

/// Without Pre-Vote, a server partitioned away inflates its term on every
/// timeout; when it rejoins, its higher term forces the leader to step down
/// (thesis §9.6). Reference: thesis §9.6
#[test]
fn prevote_off_rejoining_node_disrupts_leader() {
    let c = rejoin_after_partition(false);
    assert_eq!(c.node(3).term(), 6);
    assert!(c.node(1).term() >= 6, "the cluster was forced to term 6");
    assert_ne!(c.node(1).role(), Role::Leader);
}

/// Thesis §9.6: "In the Pre-Vote algorithm, a candidate only increments its
/// term if it first learns from a majority of the cluster that they would be
/// willing to grant the candidate their votes." The partitioned server never
/// reaches a majority, so its term stays, and the leader is undisturbed.
/// Reference: thesis §9.6
#[test]
fn prevote_prevents_term_inflation_by_rejoining_node() {
    let c = rejoin_after_partition(true);
    assert_eq!(c.node(3).term(), 1, "no term inflation");
    assert_eq!((c.node(1).role(), c.node(1).term()), (Role::Leader, 1));
    assert_eq!(c.node(3).leader_hint(), Some(1), "rejoined as a follower");
}

/// Pre-Vote messages never change the receiver's term, even with a higher
/// term, and a voter that has a current leader refuses. Reference: thesis §9.6
#[test]
fn prevote_messages_do_not_change_terms() {
    let mut c = Cluster::new(3, |mut c| {
        c.pre_vote = true;
        c
    });
    c.elect(1);
    let n = c.node_mut(2);
    n.handle_message(
        3,
        Message::PreVote {
            term: 9,
            candidate: 3,
            last_log_index: 9,
            last_log_term: 1,
        },
    );
    assert_eq!(n.term(), 1);
    let r = n.ready();
    assert_eq!(
        r.messages,
        vec![(
            3,
            Message::PreVoteReply {
                term: 1,
                granted: false
            }
        )],
        "2 has a leader"
    );
    n.handle_message(
        3,
        Message::PreVoteReply {
            term: 9,
            granted: true,
        },
    );
    assert_eq!(
        (n.term(), n.role()),
        (1, Role::Follower),
        "a granted reply echoes a hypothetical term"
    );
    // Once its election timer fires (no leader any more) it would grant.
    n.handle_election_timeout();
    let _ = n.ready();
    n.handle_message(
        3,
        Message::PreVote {
            term: 9,
            candidate: 3,
            last_log_index: 9,
            last_log_term: 1,
        },
    );
    assert_eq!(
        n.ready().messages,
        vec![(
            3,
            Message::PreVoteReply {
                term: 9,
                granted: true
            }
        )]
    );
    assert_eq!(
        n.voted_for(),
        Some(1),
        "a pre-vote is not a vote: still its term-1 vote"
    );
}

/// A partitioned leader with CheckQuorum: "a leader steps down if an
/// election timeout elapses without a successful round of heartbeats to a
/// majority of its cluster". Without it, it stays leader forever.
/// Reference: thesis §6.2, §9.6
#[test]
fn check_quorum_steps_down_partitioned_leader() {
    for check_quorum in [false, true] {
        let mut c = Cluster::new(3, |mut c| {
            c.check_quorum = check_quorum;
            c
        });
        c.elect(1);
        c.heartbeat(1);
        c.stabilize();
        c.timeout(1); // heard from 2 and 3: stays
        assert_eq!(c.node(1).role(), Role::Leader);
        c.isolate(1);
        c.heartbeat(1);
        c.stabilize();
        c.timeout(1);
        if check_quorum {
            assert_eq!(c.node(1).role(), Role::Follower);
            assert!(c.events_of(1).contains(&&Event::SteppedDown {
                reason: StepDownReason::CheckQuorum
            }));
        } else {
            assert_eq!(
                c.node(1).role(),
                Role::Leader,
                "without CheckQuorum a stale leader stays"
            );
        }
    }
}

/// Thesis §4.2.3: "if a server receives a RequestVote request within the
/// minimum election timeout of hearing from a current leader, it does not
/// update its term or grant its vote" — unless the election was started by a
/// leadership transfer. Reference: thesis §4.2.3, §3.10
#[test]
fn check_quorum_leader_lease_ignores_request_vote() {
    let mut c = Cluster::new(3, |mut c| {
        c.check_quorum = true;
        c
    });
    c.elect(1);
    let rv = |transfer| Message::RequestVote {
        term: 5,
        candidate: 3,
        last_log_index: 9,
        last_log_term: 9,
        transfer,
    };
    c.node_mut(2).handle_message(3, rv(false));
    assert_eq!(c.node(2).term(), 1, "within the lease: term not updated");
    assert!(c.node_mut(2).ready().messages.is_empty());
    c.node_mut(2).handle_message(3, rv(true));
    assert_eq!(
        (c.node(2).term(), c.node(2).voted_for()),
        (5, Some(3)),
        "a transfer bypasses the lease"
    );
}

/// Thesis §3.10: "the prior leader sends its log entries to the target
/// server [...] then sends it a TimeoutNow request", and "stops accepting
/// new client requests" meanwhile. The target wins the next term.
/// Reference: thesis §3.10
#[test]
fn transfer_leadership_to_lagging_follower() {
    let mut c = Cluster::new(3, |mut c| {
        c.check_quorum = true;
        c
    });
    c.elect(1);
    c.isolate(3);
    for i in 0..5 {
        c.propose(1, &format!("c{i}")).unwrap();
    }
    c.stabilize();
    c.heal();
    c.node_mut(1).transfer_leadership(3).unwrap();
    c.drain(1);
    assert_eq!(
        c.propose(1, "z"),
        Err(ProposeError::TransferInProgress { target: 3 })
    );
    c.stabilize();
    assert_eq!(c.leader(), Some(3));
    assert_eq!(c.node(3).term(), 2);
    assert_eq!(c.node(1).role(), Role::Follower);
    assert!(c.count_delivered(|m| m.to == 3 && matches!(m.msg, Message::TimeoutNow { .. })) == 1);
    assert!(matches!(
        c.node_mut(1).transfer_leadership(2),
        Err(ProposeError::NotLeader {
            leader_hint: Some(3)
        })
    ));
}

/// Thesis §3.10: "if the transfer does not complete after about an election
/// timeout, the prior leader aborts the transfer". The clock for that is the
/// leader's election timer, so starting a transfer restarts it: a timer that
/// was about to fire must not abandon the transfer at once (the simulator
/// saw transfers abandoned 7 ms after they began). Reference: thesis §3.10
#[test]
fn transfer_leadership_restarts_the_election_timer() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.heartbeat(1);
    c.stabilize();
    let _ = c.node_mut(1).ready();
    c.node_mut(1).transfer_leadership(2).unwrap();
    assert!(
        c.node_mut(1).ready().reset_election_timer,
        "the transfer's election timeout starts now"
    );
}

/// A transfer that does not complete within an election timeout is
/// abandoned and the leader accepts proposals again. Reference: thesis §3.10
#[test]
fn transfer_leadership_aborts_on_election_timeout() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.crash(3);
    c.node_mut(1).transfer_leadership(3).unwrap();
    c.drain(1);
    c.stabilize();
    assert!(c.propose(1, "x").is_err());
    c.timeout(1);
    assert!(c.propose(1, "x").is_ok());
    assert!(matches!(
        c.node_mut(1).transfer_leadership(1),
        Err(ProposeError::InvalidTransferTarget { target: 1, .. })
    ));
}

/// Thesis ch. 5: compaction and InstallSnapshot: "the leader must
/// occasionally send snapshots to followers that lag behind" when it has
/// discarded the entries they need; the follower discards its log and
/// resets its state machine from the snapshot. Reference: thesis §5.1
#[test]
fn snapshot_install_on_lagging_follower() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.crash(3);
    for i in 0..10 {
        c.propose(1, &format!("c{i}")).unwrap();
    }
    c.stabilize();
    c.heartbeat(1);
    c.stabilize();
    assert_eq!(c.node(1).last_applied(), 11);
    assert_eq!(
        c.node_mut(1).compact(12, "img".into()),
        Err(CompactError::NotApplied {
            up_to: 12,
            last_applied: 11
        })
    );
    c.node_mut(1).compact(8, "state@8".into()).unwrap();
    c.drain(1);
    assert_eq!(
        c.node_mut(1).compact(8, "again".into()),
        Err(CompactError::AlreadyCompacted {
            up_to: 8,
            snapshot_index: 8
        })
    );
    assert_eq!(c.node(1).log().first_index(), 9);
    assert_eq!(
        c.disk[&1].log.snapshot().map(|s| s.last_index),
        Some(8),
        "compaction is persisted"
    );
    c.restart(3);
    c.heartbeat(1);
    c.stabilize();
    assert!(
        c.count_delivered(|m| m.to == 3 && matches!(m.msg, Message::InstallSnapshot { .. })) >= 1
    );
    let n3 = c.node(3);
    assert_eq!(
        n3.log().snapshot().map(|s| s.data.as_str()),
        Some("state@8")
    );
    assert_eq!(
        n3.log().last_index(),
        11,
        "entries after the snapshot followed"
    );
    assert_eq!(n3.commit_index(), 11);
    let applied: Vec<u64> = c.applied[&3].iter().map(|e| e.index).collect();
    assert_eq!(
        applied,
        vec![8, 9, 10, 11],
        "snapshot (8) then entries 9..=11"
    );
    c.propose(1, "after").unwrap();
    c.stabilize();
    c.check_log_matching().unwrap();
    assert!(c.violations.is_empty(), "{:?}", c.violations);
}

/// Thesis Figure 5.3, InstallSnapshot step 6: "If existing log entry has same
/// index and term as snapshot's last included entry, retain log entries
/// following it": the follower keeps its suffix. Reference: thesis §5.1
#[test]
fn snapshot_install_retains_matching_suffix() {
    let mut n = raft::Node::restart(cfg(2), persistent(3, None, &[1, 2, 3], &[1, 1, 2, 3]));
    let _ = n.ready();
    let snap = raft::Snapshot {
        last_index: 2,
        last_term: 1,
        membership: n.membership().clone(),
        data: "s".into(),
    };
    n.handle_message(
        1,
        Message::InstallSnapshot {
            term: 3,
            leader: 1,
            snapshot: snap,
        },
    );
    let r = n.ready();
    assert_eq!(
        r.install_snapshot, None,
        "the log already had the snapshot's last entry"
    );
    assert_eq!(
        r.apply.iter().map(|e| e.index).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!((n.log().snapshot_index(), n.log().last_index()), (2, 4));
    assert_eq!(terms_of(&n), vec![2, 3], "suffix kept");
    assert_eq!(
        r.messages,
        vec![(
            1,
            Message::InstallSnapshotReply {
                term: 3,
                last_index: 2
            }
        )]
    );
}

/// A restarted server whose log holds a snapshot rebuilds its state machine
/// from it (`Ready::install_snapshot` on the first `ready()`). Reference: thesis §5.1
#[test]
fn snapshot_restart_restores_state_machine() {
    let mut c = Cluster::new(1, |c| c);
    c.elect(1);
    c.propose(1, "a").unwrap();
    c.node_mut(1).compact(2, "a-applied".into()).unwrap();
    c.drain(1);
    c.crash(1);
    c.restart(1);
    assert_eq!(c.node(1).commit_index(), 2);
    assert_eq!(c.applied[&1].last().map(|e| e.index), Some(2));
    c.elect(1);
    assert_eq!(c.node(1).role(), Role::Leader);
}

/// Figure 2, All Servers: "If RPC request or response contains term T >
/// currentTerm: set currentTerm = T, convert to follower". A rejected
/// PreVoteReply carries the voter's real current term (only a granted one
/// echoes the hypothetical term), so a pre-candidate that is behind must adopt
/// it. Otherwise a server with a stale term but the most up-to-date log can
/// never win (its pre-votes for term+1 are refused as stale), while the
/// servers with the higher term cannot win either (their logs are behind):
/// here 1 (term 5, last log term 5) and 2 (term 10, last log term 4) with 3
/// down would never elect a leader. Reference: §5.1, thesis §9.6
#[test]
fn prevote_rejection_with_higher_term_updates_pre_candidate_term() {
    let mut c = Cluster::empty();
    let conf = |id| raft::Config {
        pre_vote: true,
        ..cfg(id)
    };
    c.add_restarted(conf(1), persistent(5, Some(1), &[1, 2, 3], &[1, 5]));
    c.add_restarted(conf(2), persistent(10, Some(2), &[1, 2, 3], &[1, 4]));
    c.add_restarted(conf(3), persistent(10, Some(2), &[1, 2, 3], &[1, 4]));
    c.crash(3);
    c.timeout(1);
    c.stabilize();
    assert_eq!(
        (c.node(1).term(), c.node(1).role()),
        (10, Role::Follower),
        "2's refusal carried term 10"
    );
    for _ in 0..3 {
        c.timeout(2);
        c.stabilize();
        c.timeout(1);
        c.stabilize();
    }
    assert_eq!(c.leader(), Some(1));
    assert_eq!(c.node(1).term(), 11);
}

/// After the leader crashes, a server whose lease has ended (the minimum
/// election timeout passed without hearing from a leader) grants pre-votes
/// although its own election timer has not fired; a server still inside its
/// lease refuses. Thesis §4.2.3: a server ignores vote requests only "within
/// the minimum election timeout of hearing from a current leader".
/// Reference: thesis §4.2.3, §9.6
fn leader_crash_then_prevote(lease_ends_on_3: bool) -> Cluster {
    let mut c = Cluster::new(3, |mut c| {
        c.pre_vote = true;
        c
    });
    c.elect(1);
    c.heartbeat(1);
    c.stabilize();
    c.crash(1);
    c.node_mut(2).handle_lease_timeout();
    if lease_ends_on_3 {
        c.node_mut(3).handle_lease_timeout();
    }
    c.timeout(2);
    c.stabilize();
    c
}

#[test]
fn lease_timeout_lets_followers_grant_prevotes_after_leader_crash() {
    let c = leader_crash_then_prevote(true);
    assert_eq!((c.node(2).role(), c.node(2).term()), (Role::Leader, 2));
}

#[test]
fn lease_refuses_prevotes_within_minimum_election_timeout() {
    let c = leader_crash_then_prevote(false);
    assert_ne!(c.node(2).role(), Role::Leader, "3 is still in its lease");
    assert_eq!(c.node(3).term(), 1);
}
