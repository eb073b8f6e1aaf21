//! Crashes found by the coverage-guided fuzzer (`scripts/fuzz node`, target
//! fuzz/fuzz_targets/node.rs), minimized and written out as plain API calls.
//! The crate promises that no input makes a node panic ("all index
//! arithmetic is checked or saturating"); each test here is an input that
//! did.

use raft::{Config, Membership, Message, Node, Role, Snapshot};

/// A follower is sent an InstallSnapshot whose last index is `u64::MAX`
/// (forged: no leader has such a log), then wins an election. It used to
/// adopt the snapshot; as leader its log then ended at `u64::MAX`, a
/// follower's reply could acknowledge `u64::MAX`, and `match_index + 1`
/// overflowed. The fix is at the root: no log holds an index above
/// `raft::LOG_INDEX_MAX` (`u64::MAX - 1`), so such a snapshot is refused as
/// malformed, and replies beyond the leader's log are rejected.
fn leader_sent_a_snapshot_ending_at_u64_max() -> Node {
    // The fuzzer's input: node 2 of {1, 2, 3, 4, 6}, sticky-leader and the
    // start-of-term no-op off (with the no-op on the leader cannot append
    // and the same state is reached the same way).
    let mut config = Config::new(2);
    config.sticky_leader = false;
    config.noop_on_elect = false;
    config.max_entries_per_append = 0;
    let mut node = Node::new(config, Membership::new([1, 2, 3, 4, 6]));
    let _ = node.ready();

    node.handle_message(
        3,
        Message::InstallSnapshot {
            term: 5,
            leader: 3,
            snapshot: Snapshot {
                last_index: u64::MAX,
                last_term: 3,
                membership: Membership::new([1, 2, 7]),
                data: "snap 116".to_string(),
            },
        },
    );
    let refused = node.ready().events.iter().any(|e| {
        matches!(e, raft::Event::Rejected { reason } if reason.to_string().contains("malformed InstallSnapshot"))
    });
    assert!(refused, "a snapshot ending at u64::MAX is malformed");
    assert_eq!(node.log().last_index(), 0);

    node.handle_election_timeout();
    let _ = node.ready();
    // Its configuration is still {1, 2, 3, 4, 6}: 3 votes win.
    for voter in [1, 3] {
        node.handle_message(
            voter,
            Message::RequestVoteReply {
                term: 6,
                granted: true,
            },
        );
        let _ = node.ready();
    }
    assert_eq!(node.role(), Role::Leader);
    node
}

/// Found by the fuzzer (crash-b1eff9fb67daa17509e721cef8caa16572a3f5a1):
/// `attempt to add with overflow` at crates/raft/src/snapshot.rs:159,
/// `progress.next_index.max(progress.match_index + 1)` in
/// `handle_install_snapshot_reply`.
#[test]
fn install_snapshot_reply_for_index_u64_max_does_not_panic() {
    let mut node = leader_sent_a_snapshot_ending_at_u64_max();
    // The leader sent its snapshot to 1 and 7; 1 answers.
    node.handle_message(
        1,
        Message::InstallSnapshotReply {
            term: 6,
            last_index: u64::MAX,
        },
    );
    let _ = node.ready();
    assert_eq!(node.role(), Role::Leader);
}

/// The same overflow at its other call site (found while minimizing the one
/// above): crates/raft/src/replication.rs, `handle_append_entries_reply`,
/// `progress.next_index.max(progress.match_index + 1)` (and, for a rejection
/// after it, `let floor = progress.match_index + 1`).
#[test]
fn append_entries_reply_for_index_u64_max_does_not_panic() {
    let mut node = leader_sent_a_snapshot_ending_at_u64_max();
    node.handle_message(
        7,
        Message::AppendEntriesReply {
            term: 6,
            success: true,
            match_index: u64::MAX,
            conflict_term: None,
            conflict_index: 0,
        },
    );
    let _ = node.ready();
    node.handle_message(
        7,
        Message::AppendEntriesReply {
            term: 6,
            success: false,
            match_index: 0,
            conflict_term: None,
            conflict_index: 0,
        },
    );
    let _ = node.ready();
    assert_eq!(node.role(), Role::Leader);
}
