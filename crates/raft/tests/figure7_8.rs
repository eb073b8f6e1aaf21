//! The scenarios of Figure 7 (followers a–f repaired by the new leader of
//! term 8) and Figure 8 (why a leader may not commit an entry of an earlier
//! term by counting replicas).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use raft::{Backoff, Message, Persistent, Role};

/// The leader's log of Figure 7 (terms of entries 1..=10).
const LEADER: [u64; 10] = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];

/// Followers (a)–(f) of Figure 7, with the term each was last in.
const FOLLOWERS: [(&str, &[u64], u64); 6] = [
    ("a", &[1, 1, 1, 4, 4, 5, 5, 6, 6], 6),
    ("b", &[1, 1, 1, 4], 4),
    ("c", &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6], 6),
    ("d", &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7], 7),
    ("e", &[1, 1, 1, 4, 4, 4, 4], 4),
    ("f", &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3], 3),
];

/// Server 1 has the top log of Figure 7 and becomes leader of term 8 with the
/// vote of server 3 (same log); server 2 is the follower under test.
/// Returns the number of AppendEntries server 2 received until repaired.
fn repair(follower: &[u64], follower_term: u64, backoff: Backoff) -> usize {
    let mut c = Cluster::empty();
    let conf = |id| {
        let mut c = cfg(id);
        c.backoff = backoff;
        c
    };
    c.add_restarted(conf(1), persistent(7, None, &[1, 2, 3], &LEADER));
    c.add_restarted(
        conf(2),
        persistent(follower_term, None, &[1, 2, 3], follower),
    );
    c.add_restarted(conf(3), persistent(6, None, &[1, 2, 3], &LEADER));
    c.elect(1);
    assert_eq!((c.node(1).role(), c.node(1).term()), (Role::Leader, 8));
    let round_trips =
        c.count_delivered(|m| m.to == 2 && matches!(m.msg, Message::AppendEntries { .. }));
    // One more heartbeat tells the follower the new commit index.
    c.heartbeat(1);
    c.stabilize();
    // The leader's log: Figure 7's top log plus its term-8 no-op.
    let mut want = LEADER.to_vec();
    want.push(8);
    assert_eq!(terms_of(c.node(1)), want);
    assert_eq!(
        terms_of(c.node(2)),
        want,
        "the follower's log now equals the leader's"
    );
    assert_eq!(c.node(2).commit_index(), 11);
    assert!(c.violations.is_empty());
    c.check_log_matching().unwrap();
    round_trips
}

/// Figure 7: "When the leader at the top comes to power, it is possible that
/// any of scenarios (a–f) could occur in follower logs. [...] the leader
/// handles inconsistencies by forcing the followers' logs to duplicate its
/// own." With Figure 2's one-step decrement of nextIndex. Reference: §5.3
#[test]
fn fig7_followers_a_to_f_repaired_with_decrement() {
    for (name, log, term) in FOLLOWERS {
        let trips = repair(log, term, Backoff::Decrement);
        assert!(trips >= 1, "follower ({name})");
    }
}

/// Figure 7 with the conflict hint of §5.3 ("the follower can include the
/// term of the conflicting entry and the first index it stores for that
/// term"). Reference: §5.3
#[test]
fn fig7_followers_a_to_f_repaired_with_conflict_hint() {
    for (name, log, term) in FOLLOWERS {
        let trips = repair(log, term, Backoff::ConflictHint);
        assert!(trips >= 1, "follower ({name})");
    }
}

/// §5.3: "With this information, the leader can decrement nextIndex to
/// bypass all of the conflicting entries in that term; one AppendEntries RPC
/// will be required for each term with conflicting entries, rather than one
/// RPC per entry." Reference: §5.3
#[test]
fn fig7_conflict_hint_needs_fewer_round_trips() {
    let mut total = (0, 0);
    for (name, log, term) in FOLLOWERS {
        let slow = repair(log, term, Backoff::Decrement);
        let fast = repair(log, term, Backoff::ConflictHint);
        assert!(
            fast <= slow,
            "follower ({name}): hint {fast} > decrement {slow}"
        );
        total = (total.0 + slow, total.1 + fast);
    }
    // Follower (f): decrement walks back from prevLogIndex 10 to 3 (8
    // AppendEntries); the hint skips term 3, then term 2: 3 AppendEntries.
    let (_, f_log, f_term) = FOLLOWERS[5];
    assert_eq!(repair(f_log, f_term, Backoff::Decrement), 8);
    assert_eq!(repair(f_log, f_term, Backoff::ConflictHint), 3);
    // Follower (b) is missing entries: the hint jumps straight to its end.
    let (_, b_log, b_term) = FOLLOWERS[1];
    assert_eq!(repair(b_log, b_term, Backoff::Decrement), 7);
    assert_eq!(repair(b_log, b_term, Backoff::ConflictHint), 2);
    assert!(total.1 < total.0);
}

/// Figure 8 (c): S1 (log 1,2) becomes leader of term 4; S2 has (1,2), S3
/// and S4 only (1), S5 (1,3) is down. S1 repairs S3, so entry 2 (term 2) is
/// on a majority (S1, S2, S3); then S1 accepts a client entry of term 4 at
/// index 3 that has not left S1 yet. (No start-of-term no-op here, exactly
/// as in the figure.)
fn figure8(commit_old_terms: bool) -> Cluster {
    let mut c = Cluster::empty();
    let conf = |id| {
        let mut c = cfg(id);
        c.noop_on_elect = false;
        c.unsafe_switches.commit_old_terms = commit_old_terms;
        c
    };
    let all = [1, 2, 3, 4, 5];
    let p = |term, logt: &[u64]| -> Persistent { persistent(term, None, &all, logt) };
    c.add_restarted(conf(1), p(3, &[1, 2]));
    c.add_restarted(conf(2), p(3, &[1, 2]));
    c.add_restarted(conf(3), p(3, &[1]));
    c.add_restarted(conf(4), p(3, &[1]));
    c.add_restarted(conf(5), p(3, &[1, 3]));
    c.crash(5);
    c.timeout(1);
    c.deliver_matching(|m| matches!(m.msg, Message::RequestVote { .. }));
    c.deliver_matching(|m| matches!(m.msg, Message::RequestVoteReply { .. }));
    assert_eq!((c.node(1).role(), c.node(1).term()), (Role::Leader, 4));
    // S1's messages to S4 are lost; S2 and S3 exchange with S1.
    c.drop_matching(|m| m.to == 4);
    c.stabilize();
    assert_eq!(
        terms_of(c.node(3)),
        vec![1, 2],
        "entry 2 is now on a majority: S1, S2, S3"
    );
    c.propose(1, "x").unwrap();
    assert_eq!(terms_of(c.node(1)), vec![1, 2, 4]);
    c
}

/// Then (d): S1 crashes before anything else is delivered; S5 restarts and
/// wins term 5 with votes of S2, S3, S4 (its last term 3 beats 2), and
/// replicates its own entry 2 of term 3 along with a client entry of term 5,
/// which commits both.
fn figure8_d(c: &mut Cluster) {
    c.crash(1);
    c.queue.clear();
    c.restart(5);
    // S1 is gone: a minimum election timeout passes, the leases end (§6).
    c.expire_leases();
    for _ in 0..10 {
        if c.node(5).role() == Role::Leader {
            break;
        }
        c.timeout(5);
        c.stabilize();
    }
    assert_eq!(c.node(5).role(), Role::Leader, "S5 wins term 5");
    c.propose(5, "y").unwrap();
    c.stabilize();
    c.heartbeat(5);
    c.stabilize();
}

/// Figure 8: "a leader cannot immediately conclude that an entry from a
/// previous term is committed once it is stored on a majority of servers".
/// The rule: "Raft never commits log entries from previous terms by counting
/// replicas." With it, entry 2 (term 2) is not committed in (c), and its
/// overwrite in (d) is harmless. Reference: §5.4.2
#[test]
fn fig8_old_term_entry_not_committed_by_counting() {
    let mut c = figure8(false);
    assert_eq!(
        c.node(1).commit_index(),
        0,
        "entry 2 is on a majority but of term 2 < 4"
    );
    figure8_d(&mut c);
    assert_eq!(
        terms_of(c.node(2)),
        vec![1, 3, 5],
        "S5 overwrote entry 2, which was never committed"
    );
    assert!(c.violations.is_empty(), "{:?}", c.violations);
}

/// Figure 8 (e): once S1 replicates an entry of its own term (index 3) on a
/// majority, both entries 2 and 3 are committed, and S5 cannot win any more.
/// Reference: §5.4.2
#[test]
fn fig8_current_term_entry_commits_earlier_ones() {
    let mut c = figure8(false);
    c.stabilize(); // S3 receives index 3 too
    assert_eq!(c.node(1).commit_index(), 3);
    c.crash(1);
    c.restart(5);
    for _ in 0..3 {
        c.timeout(5);
        c.stabilize();
    }
    assert_ne!(
        c.node(5).role(),
        Role::Leader,
        "S5's log (last term 3) is behind a majority"
    );
    assert!(c.violations.is_empty());
}

/// Teaching switch (a) `commit_old_terms`: S1 commits and
/// applies entry 2 (term 2) as soon as a majority stores it; then, as in
/// Figure 8 (d), S5 is elected and overwrites it, and the other servers
/// apply a different entry at index 2: State Machine Safety is violated.
/// Reference: §5.4.2, Figure 8
#[test]
fn fig8_switch_a_commit_by_counting_breaks_state_machine_safety() {
    let mut c = figure8(true);
    assert_eq!(
        c.node(1).commit_index(),
        2,
        "the unsafe switch committed entry 2 by counting"
    );
    assert!(
        c.applied[&1].iter().any(|e| e.index == 2 && e.term == 2),
        "S1 applied (2, term 2)"
    );
    figure8_d(&mut c);
    assert_eq!(
        terms_of(c.node(2)),
        vec![1, 3, 5],
        "the committed entry was overwritten"
    );
    assert!(
        c.violations
            .iter()
            .any(|v| v.contains("State Machine Safety")),
        "expected a State Machine Safety violation, got {:?}",
        c.violations
    );
}
