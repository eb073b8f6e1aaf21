//! One test per rule of Figure 2 ("Rules for Servers" and the two RPC
//! receiver implementations) of Ongaro & Ousterhout.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use raft::{Event, Message, Node, ProposeError, Role};

fn msgs_to(ready: &raft::Ready, to: u32) -> Vec<&Message> {
    ready
        .messages
        .iter()
        .filter(|(t, _)| *t == to)
        .map(|(_, m)| m)
        .collect()
}

fn ae(
    term: u64,
    leader: u32,
    prev: u64,
    prev_term: u64,
    entries: Vec<raft::Entry>,
    commit: u64,
) -> Message {
    Message::AppendEntries {
        term,
        leader,
        prev_log_index: prev,
        prev_log_term: prev_term,
        entries,
        leader_commit: commit,
    }
}

fn follower_with(terms: &[u64], term: u64) -> Node {
    let mut n = Node::restart(cfg(1), persistent(term, None, &[1, 2, 3], terms));
    let _ = n.ready();
    n
}

fn reply_of(ready: &raft::Ready) -> &Message {
    &ready.messages.last().expect("a reply").1
}

/// "All Servers: If commitIndex > lastApplied: increment lastApplied, apply
/// log[lastApplied] to state machine." Reference: §5.3
#[test]
fn fig2_all_servers_apply_committed_entries_in_order() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    for i in 0..5 {
        c.propose(1, &format!("c{i}")).unwrap();
    }
    c.stabilize();
    c.heartbeat(1);
    c.stabilize();
    for id in 1..=3 {
        let idx: Vec<u64> = c.applied[&id].iter().map(|e| e.index).collect();
        assert_eq!(
            idx,
            (1..=6).collect::<Vec<_>>(),
            "node {id} applies 1..=6 in order"
        );
        assert_eq!(c.node(id).last_applied(), c.node(id).commit_index());
    }
    assert!(c.violations.is_empty(), "{:?}", c.violations);
}

/// "All Servers: If RPC request or response contains term T > currentTerm:
/// set currentTerm = T, convert to follower." Reference: §5.1
#[test]
fn fig2_all_servers_higher_term_converts_to_follower() {
    // A request with a higher term. Figure 2's rule alone: the §6 rule
    // (a leader ignores RequestVote while it leads) is off here and tested
    // in membership.rs.
    let mut c = Cluster::new(3, |mut c| {
        c.sticky_leader = false;
        c
    });
    c.elect(1);
    assert_eq!(c.node(1).role(), Role::Leader);
    c.node_mut(1).handle_message(
        2,
        Message::RequestVote {
            term: 5,
            candidate: 2,
            last_log_index: 0,
            last_log_term: 0,
            transfer: false,
        },
    );
    assert_eq!(c.node(1).role(), Role::Follower);
    assert_eq!(c.node(1).term(), 5);
    let r = c.node_mut(1).ready();
    assert!(r.persist, "the new term must be persisted");
    assert!(r.events.contains(&Event::RoleChanged {
        role: Role::Follower,
        term: 5
    }));

    // A response with a higher term.
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.node_mut(1).handle_message(
        3,
        Message::AppendEntriesReply {
            term: 7,
            success: false,
            match_index: 0,
            conflict_term: None,
            conflict_index: 0,
        },
    );
    assert_eq!((c.node(1).role(), c.node(1).term()), (Role::Follower, 7));
}

/// "Followers: Respond to RPCs from candidates and leaders." Reference: §5.2
#[test]
fn fig2_followers_respond_to_rpcs_from_candidates_and_leaders() {
    let mut n = follower_with(&[1], 1);
    n.handle_message(
        2,
        Message::RequestVote {
            term: 2,
            candidate: 2,
            last_log_index: 1,
            last_log_term: 1,
            transfer: false,
        },
    );
    let r = n.ready();
    assert_eq!(
        msgs_to(&r, 2),
        vec![&Message::RequestVoteReply {
            term: 2,
            granted: true
        }]
    );
    n.handle_message(2, ae(2, 2, 1, 1, vec![], 0));
    let r = n.ready();
    assert!(matches!(
        msgs_to(&r, 2)[..],
        [Message::AppendEntriesReply {
            term: 2,
            success: true,
            ..
        }]
    ));
}

/// "Followers: If election timeout elapses without receiving AppendEntries RPC
/// from current leader or granting vote to candidate: convert to candidate."
/// Receiving AppendEntries or granting a vote resets the timer. Reference: §5.2
#[test]
fn fig2_followers_election_timeout_converts_to_candidate() {
    let mut n = follower_with(&[], 0);
    n.handle_message(2, ae(1, 2, 0, 0, vec![], 0));
    assert!(
        n.ready().reset_election_timer,
        "AppendEntries from the leader resets the timer"
    );
    // A minimum election timeout later the leader lease ends (§6), so the
    // follower considers RequestVote again.
    n.handle_lease_timeout();
    n.handle_message(
        3,
        Message::RequestVote {
            term: 2,
            candidate: 3,
            last_log_index: 0,
            last_log_term: 0,
            transfer: false,
        },
    );
    assert!(
        n.ready().reset_election_timer,
        "granting a vote resets the timer"
    );
    n.handle_election_timeout();
    assert_eq!(n.role(), Role::Candidate);
}

/// "Candidates: On conversion to candidate, start election: increment
/// currentTerm, vote for self, reset election timer, send RequestVote RPCs to
/// all other servers." Reference: §5.2
#[test]
fn fig2_candidates_on_conversion_start_election() {
    let mut n = follower_with(&[1, 1], 3);
    n.handle_election_timeout();
    let r = n.ready();
    assert_eq!(
        (n.role(), n.term(), n.voted_for()),
        (Role::Candidate, 4, Some(1))
    );
    assert!(r.persist && r.reset_election_timer);
    for peer in [2, 3] {
        assert_eq!(
            msgs_to(&r, peer),
            vec![&Message::RequestVote {
                term: 4,
                candidate: 1,
                last_log_index: 2,
                last_log_term: 1,
                transfer: false
            }]
        );
    }
}

/// "Candidates: If votes received from majority of servers: become leader."
/// Reference: §5.2
#[test]
fn fig2_candidates_majority_of_votes_becomes_leader() {
    let mut n = follower_with(&[], 0);
    n.handle_election_timeout();
    let _ = n.ready();
    n.handle_message(
        2,
        Message::RequestVoteReply {
            term: 1,
            granted: false,
        },
    );
    assert_eq!(
        n.role(),
        Role::Candidate,
        "one vote of three is not a majority"
    );
    n.handle_message(
        3,
        Message::RequestVoteReply {
            term: 1,
            granted: true,
        },
    );
    assert_eq!(n.role(), Role::Leader);
    let r = n.ready();
    assert!(r.events.contains(&Event::BecameLeader {
        term: 1,
        votes: vec![1, 3]
    }));
}

/// "Candidates: If AppendEntries RPC received from new leader: convert to
/// follower" (a leader whose term is at least the candidate's). Reference: §5.2
#[test]
fn fig2_candidates_append_entries_from_new_leader_converts_to_follower() {
    let mut n = follower_with(&[], 0);
    n.handle_election_timeout();
    assert_eq!((n.role(), n.term()), (Role::Candidate, 1));
    n.handle_message(2, ae(1, 2, 0, 0, vec![], 0));
    assert_eq!(
        (n.role(), n.term(), n.leader_hint()),
        (Role::Follower, 1, Some(2))
    );
}

/// "Candidates: If election timeout elapses: start new election" (a split
/// vote ends in a new term after a fresh timeout). Reference: §5.2
#[test]
fn fig2_candidates_split_vote_starts_new_election() {
    let mut c = Cluster::new(4, |c| c);
    c.timeout(1);
    c.timeout(2);
    // 3 votes for 1, 4 votes for 2: two votes each of four.
    c.drop_matching(|m| {
        matches!(m.msg, Message::RequestVote { .. }) && !matches!((m.from, m.to), (1, 3) | (2, 4))
    });
    c.stabilize();
    assert_eq!(c.leader(), None);
    c.timeout(1);
    assert!(c.node_mut(1).ready().is_empty(), "drained");
    assert_eq!((c.node(1).role(), c.node(1).term()), (Role::Candidate, 2));
    c.stabilize();
    assert_eq!(c.leader(), Some(1));
}

/// "Leaders: Upon election: send initial empty AppendEntries RPCs (heartbeat)
/// to each server; repeat during idle periods." Reference: §5.2
#[test]
fn fig2_leaders_send_heartbeats_upon_election_and_when_idle() {
    let mut c = Cluster::new(3, |c| c.clone_with_noop(false));
    c.timeout(1);
    c.deliver_matching(|m| matches!(m.msg, Message::RequestVote { .. }));
    c.deliver_matching(|m| matches!(m.msg, Message::RequestVoteReply { .. }));
    assert_eq!(c.node(1).role(), Role::Leader);
    let heartbeats = |c: &Cluster| {
        c.queue
            .iter()
            .filter(|m| m.from == 1 && matches!(&m.msg, Message::AppendEntries { entries, .. } if entries.is_empty()))
            .count()
    };
    assert_eq!(heartbeats(&c), 2, "one initial heartbeat per follower");
    c.stabilize();
    c.heartbeat(1);
    assert_eq!(heartbeats(&c), 2, "and again on every heartbeat timeout");
}

trait NoopExt {
    fn clone_with_noop(&self, on: bool) -> Self;
}
impl NoopExt for raft::Config {
    fn clone_with_noop(&self, on: bool) -> Self {
        let mut c = self.clone();
        c.noop_on_elect = on;
        c
    }
}

/// "Leaders: If command received from client: append entry to local log,
/// respond after entry applied to state machine." A non-leader redirects.
/// Reference: §5.3, §8
#[test]
fn fig2_leaders_append_client_command_respond_after_applied() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    assert_eq!(
        c.propose(2, "x"),
        Err(ProposeError::NotLeader {
            leader_hint: Some(1)
        })
    );
    let (index, term) = c.propose(1, "x").unwrap();
    assert_eq!((index, term), (2, 1));
    assert_eq!(
        c.node(1).log().last_index(),
        2,
        "appended to the leader's log at once"
    );
    assert!(
        c.applied[&1].iter().all(|e| e.index != 2),
        "not answered before commit"
    );
    c.stabilize();
    assert!(
        c.applied[&1]
            .iter()
            .any(|e| e.index == 2 && e.payload == cmd("x")),
        "answered once applied"
    );
}

/// "Leaders: If last log index >= nextIndex for a follower: send
/// AppendEntries RPC with log entries starting at nextIndex. If successful:
/// update nextIndex and matchIndex for follower." Reference: §5.3
#[test]
fn fig2_leaders_send_from_next_index_and_update_on_success() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.isolate(3);
    c.propose(1, "a").unwrap();
    c.propose(1, "b").unwrap();
    c.stabilize();
    let p3 = c
        .node(1)
        .progress()
        .into_iter()
        .find(|p| p.id == 3)
        .unwrap();
    let p2 = c
        .node(1)
        .progress()
        .into_iter()
        .find(|p| p.id == 2)
        .unwrap();
    assert_eq!((p2.next_index, p2.match_index), (4, 3));
    assert_eq!(
        (p3.next_index, p3.match_index),
        (2, 1),
        "3 acknowledged only the no-op"
    );
    c.heal();
    c.heartbeat(1);
    let to3: Vec<_> = c.queue.iter().filter(|m| m.to == 3).cloned().collect();
    assert!(
        matches!(&to3[0].msg, Message::AppendEntries { prev_log_index: 1, entries, .. } if entries.len() == 2)
    );
    c.stabilize();
    let p3 = c
        .node(1)
        .progress()
        .into_iter()
        .find(|p| p.id == 3)
        .unwrap();
    assert_eq!((p3.next_index, p3.match_index), (4, 3));
}

/// "Leaders: If AppendEntries fails because of log inconsistency: decrement
/// nextIndex and retry." Reference: §5.3
#[test]
fn fig2_leaders_decrement_next_index_and_retry_on_inconsistency() {
    let mut c = Cluster::empty();
    c.add_restarted(cfg(1), persistent(2, None, &[1, 2], &[1, 2, 2]));
    c.add_restarted(cfg(2), persistent(1, None, &[1, 2], &[1, 1, 1, 1]));
    c.timeout(1);
    c.stabilize();
    assert_eq!(c.node(1).role(), Role::Leader);
    let prevs: Vec<u64> = c
        .delivered
        .iter()
        .filter_map(|m| match &m.msg {
            Message::AppendEntries { prev_log_index, .. } if m.to == 2 => Some(*prev_log_index),
            _ => None,
        })
        .collect();
    assert_eq!(
        prevs,
        vec![3, 2, 1],
        "nextIndex moves back one entry per rejection"
    );
    assert_eq!(terms_of(c.node(2)), vec![1, 2, 2, 3]);
}

/// "Leaders: If successful: update nextIndex and matchIndex for follower. If
/// AppendEntries fails because of log inconsistency: decrement nextIndex and
/// retry." matchIndex is "the highest log entry known to be replicated" and
/// "increases monotonically": a stale or duplicated success reply must not
/// lower it, and a stale rejection must not move nextIndex back past it (the
/// follower already holds those entries), in both backoff modes.
/// Reference: §5.3, Figure 2
#[test]
fn fig2_leaders_stale_replies_never_move_progress_backwards() {
    for backoff in [raft::Backoff::Decrement, raft::Backoff::ConflictHint] {
        let mut c = Cluster::new(3, |mut c| {
            c.backoff = backoff;
            c
        });
        c.elect(1);
        c.propose(1, "a").unwrap();
        c.propose(1, "b").unwrap();
        c.stabilize();
        let progress_of_2 = |c: &Cluster| {
            let p = c
                .node(1)
                .progress()
                .into_iter()
                .find(|p| p.id == 2)
                .unwrap();
            (p.next_index, p.match_index)
        };
        assert_eq!(progress_of_2(&c), (4, 3));
        let stale = [
            (true, 1, None, 0),
            (false, 0, None, 1),
            (false, 0, Some(1), 1),
            (false, 0, None, 0),
        ];
        for (success, match_index, conflict_term, conflict_index) in stale {
            c.node_mut(1).handle_message(
                2,
                Message::AppendEntriesReply {
                    term: 1,
                    success,
                    match_index,
                    conflict_term,
                    conflict_index,
                },
            );
            c.drain(1);
            assert_eq!(
                progress_of_2(&c),
                (4, 3),
                "{backoff:?}: stale reply success={success} match={match_index}"
            );
        }
        assert_eq!(c.node(1).commit_index(), 3);
    }
}

/// "Leaders: If there exists an N such that N > commitIndex, a majority of
/// matchIndex[i] >= N, and log[N].term == currentTerm: set commitIndex = N."
/// Reference: §5.3, §5.4
#[test]
fn fig2_leaders_commit_index_majority_of_current_term() {
    let mut c = Cluster::new(5, |c| c);
    c.elect(1);
    c.partition(&[1, 2], &[3, 4, 5]);
    c.propose(1, "x").unwrap();
    c.stabilize();
    assert_eq!(c.node(1).commit_index(), 1, "2 of 5 is not a majority");
    c.heal();
    c.partition(&[1], &[4, 5]);
    c.heartbeat(1);
    c.stabilize();
    assert_eq!(
        c.node(1).commit_index(),
        2,
        "3 of 5 (1, 2, 3) is a majority"
    );
}

/// "RequestVote receiver 1: Reply false if term < currentTerm." Reference: §5.1
#[test]
fn fig2_request_vote_rule1_reject_lower_term() {
    let mut n = follower_with(&[], 5);
    n.handle_message(
        2,
        Message::RequestVote {
            term: 4,
            candidate: 2,
            last_log_index: 9,
            last_log_term: 4,
            transfer: false,
        },
    );
    let r = n.ready();
    assert_eq!(
        reply_of(&r),
        &Message::RequestVoteReply {
            term: 5,
            granted: false
        }
    );
    assert_eq!(n.voted_for(), None);
}

/// "RequestVote receiver 2: If votedFor is null or candidateId [...] grant
/// vote": one vote per term, first come first served. Reference: §5.2
#[test]
fn fig2_request_vote_rule2_one_vote_per_term_first_come() {
    let mut n = follower_with(&[], 1);
    let rv = |c| Message::RequestVote {
        term: 2,
        candidate: c,
        last_log_index: 0,
        last_log_term: 0,
        transfer: false,
    };
    n.handle_message(2, rv(2));
    assert_eq!(
        reply_of(&n.ready()),
        &Message::RequestVoteReply {
            term: 2,
            granted: true
        }
    );
    n.handle_message(3, rv(3));
    assert_eq!(
        reply_of(&n.ready()),
        &Message::RequestVoteReply {
            term: 2,
            granted: false
        }
    );
    n.handle_message(2, rv(2));
    assert_eq!(
        reply_of(&n.ready()),
        &Message::RequestVoteReply {
            term: 2,
            granted: true
        },
        "repeat to same candidate"
    );
    assert_eq!(n.voted_for(), Some(2));
}

/// "RequestVote receiver 2: [...] and candidate's log is at least as
/// up-to-date as receiver's log, grant vote": compare last terms, then
/// lengths. Reference: §5.4.1
#[test]
fn fig2_request_vote_rule2_candidate_log_must_be_up_to_date() {
    let cases = [
        // (candidate last index, last term, granted) against a log [1, 2, 2]
        (2, 2, false), // same term, shorter
        (3, 2, true),  // same term, same length
        (9, 1, false), // longer, older term
        (1, 3, true),  // shorter, newer term
    ];
    for (i, (lli, llt, granted)) in cases.into_iter().enumerate() {
        let mut n = follower_with(&[1, 2, 2], 3);
        n.handle_message(
            2,
            Message::RequestVote {
                term: 4,
                candidate: 2,
                last_log_index: lli,
                last_log_term: llt,
                transfer: false,
            },
        );
        assert_eq!(
            reply_of(&n.ready()),
            &Message::RequestVoteReply { term: 4, granted },
            "case {i}"
        );
    }
}

/// "AppendEntries receiver 1: Reply false if term < currentTerm." Reference: §5.1
#[test]
fn fig2_append_entries_rule1_reject_lower_term() {
    let mut n = follower_with(&[1], 3);
    n.handle_message(2, ae(2, 2, 1, 1, vec![entry(2, 2)], 1));
    let r = n.ready();
    assert!(matches!(
        reply_of(&r),
        Message::AppendEntriesReply {
            term: 3,
            success: false,
            ..
        }
    ));
    assert_eq!(n.log().last_index(), 1);
    assert_eq!(n.leader_hint(), None);
}

/// "AppendEntries receiver 2: Reply false if log doesn't contain an entry at
/// prevLogIndex whose term matches prevLogTerm." Reference: §5.3
#[test]
fn fig2_append_entries_rule2_reject_on_prev_mismatch() {
    let mut n = follower_with(&[1, 1], 3);
    n.handle_message(2, ae(3, 2, 2, 2, vec![entry(3, 3)], 0));
    let r = n.ready();
    assert_eq!(
        reply_of(&r),
        &Message::AppendEntriesReply {
            term: 3,
            success: false,
            match_index: 0,
            conflict_term: Some(1),
            conflict_index: 1
        }
    );
    n.handle_message(2, ae(3, 2, 5, 3, vec![], 0));
    let r = n.ready();
    assert_eq!(
        reply_of(&r),
        &Message::AppendEntriesReply {
            term: 3,
            success: false,
            match_index: 0,
            conflict_term: None,
            conflict_index: 3
        }
    );
    assert_eq!(terms_of(&n), vec![1, 1]);
}

/// "AppendEntries receiver 3: If an existing entry conflicts with a new one
/// (same index but different terms), delete the existing entry and all that
/// follow it." Reference: §5.3
#[test]
fn fig2_append_entries_rule3_conflict_deletes_suffix() {
    let mut n = follower_with(&[1, 2, 2, 2], 3);
    n.handle_message(2, ae(3, 2, 1, 1, vec![entry(3, 2)], 0));
    let r = n.ready();
    assert!(r.persist);
    assert_eq!(terms_of(&n), vec![1, 3], "entries 2..4 of term 2 are gone");
    assert!(matches!(
        reply_of(&r),
        Message::AppendEntriesReply {
            success: true,
            match_index: 2,
            ..
        }
    ));
}

/// "AppendEntries receiver 4: Append any new entries not already in the
/// log." A delayed, shorter AppendEntries must not truncate entries that
/// match. Reference: §5.3
#[test]
fn fig2_append_entries_rule4_append_new_entries_only() {
    let mut n = follower_with(&[1], 1);
    n.handle_message(2, ae(1, 2, 1, 1, vec![entry(1, 2), entry(1, 3)], 0));
    assert_eq!(terms_of(&n), vec![1, 1, 1]);
    let _ = n.ready();
    // The older message (only entry 2) arrives late: nothing is removed.
    n.handle_message(2, ae(1, 2, 1, 1, vec![entry(1, 2)], 0));
    let r = n.ready();
    assert_eq!(terms_of(&n), vec![1, 1, 1]);
    assert!(!r.persist, "nothing changed on disk");
    assert!(matches!(
        reply_of(&r),
        Message::AppendEntriesReply {
            success: true,
            match_index: 2,
            ..
        }
    ));
}

/// "AppendEntries receiver 5: If leaderCommit > commitIndex, set commitIndex
/// = min(leaderCommit, index of last new entry)." Reference: §5.3
#[test]
fn fig2_append_entries_rule5_commit_min_of_leader_commit_and_last_new() {
    let mut n = follower_with(&[1, 1, 1, 1], 1);
    // Only entry 2 is verified by this message: even though the log holds 4
    // entries and the leader committed 4, commit only up to 2.
    n.handle_message(2, ae(1, 2, 1, 1, vec![entry(1, 2)], 4));
    assert_eq!(n.commit_index(), 2);
    let r = n.ready();
    assert_eq!(
        r.apply.iter().map(|e| e.index).collect::<Vec<_>>(),
        vec![1, 2]
    );
    n.handle_message(2, ae(1, 2, 4, 1, vec![], 3));
    assert_eq!(n.commit_index(), 3);
    n.handle_message(2, ae(1, 2, 4, 1, vec![], 1));
    assert_eq!(n.commit_index(), 3, "commitIndex never decreases");
}

/// Figure 2, Leaders: "If last log index >= nextIndex for a follower: send
/// AppendEntries RPC with log entries starting at nextIndex", and retry
/// indefinitely (§5.3). With many proposals in quick succession the leader
/// keeps one request with entries per follower in flight: the proposals
/// made while it is outstanding travel together in the next request, instead
/// of each proposal and each reply re-sending everything after nextIndex.
/// Reference: Figure 2, §5.3
#[test]
fn fig2_leaders_one_append_with_entries_in_flight_per_follower() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.heartbeat(1);
    c.stabilize();
    let appends_to_2 = |c: &Cluster| {
        c.queue
            .iter()
            .filter(|m| m.to == 2 && matches!(&m.msg, Message::AppendEntries { entries, .. } if !entries.is_empty()))
            .count()
    };
    for i in 0..5 {
        c.propose(1, &format!("x={i}")).unwrap();
    }
    assert_eq!(
        appends_to_2(&c),
        1,
        "the later proposals wait for the reply"
    );
    // Deliver the first request and its reply: the next request carries the other four.
    c.deliver_matching(|m| m.to == 2);
    c.deliver_matching(|m| m.from == 2);
    let batch: Vec<usize> = c
        .queue
        .iter()
        .filter(|m| m.to == 2)
        .filter_map(|m| match &m.msg {
            Message::AppendEntries { entries, .. } if !entries.is_empty() => Some(entries.len()),
            _ => None,
        })
        .collect();
    assert_eq!(batch, vec![4]);
    c.stabilize();
    assert_eq!(c.node(2).log().last_index(), c.node(1).log().last_index());
    // A heartbeat still reaches a follower awaiting a reply (it is the retry).
    c.propose(1, "y").unwrap();
    c.drop_matching(|m| m.to == 3); // the request to 3 is lost
    c.heartbeat(1);
    c.stabilize();
    assert_eq!(
        c.node(3).log().last_index(),
        c.node(1).log().last_index(),
        "retried by the heartbeat"
    );
}
