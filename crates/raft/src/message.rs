//! The RPCs of Raft and the log entries they carry.
//!
//! Implements the message formats of Figure 2 (RequestVote, AppendEntries),
//! the thesis extensions: Pre-Vote (thesis §9.6), TimeoutNow for leadership
//! transfer (thesis §3.10) and InstallSnapshot (thesis ch. 5, paper §7), and
//! the AppendEntries rejection hint of §5.3 ("the follower can include the
//! term of the conflicting entry and the first index it stores for that term").

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::membership::Membership;
use crate::{LogIndex, NodeId, Term};

/// One log entry: a command (or no-op, or configuration) tagged with the term
/// of the leader that created it and its position in the log.
///
/// Invariant: in any log, `index` is consecutive and `term` never decreases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Term of the leader that created the entry (§5.3).
    pub term: Term,
    /// Position in the log; the first real entry has index 1.
    pub index: LogIndex,
    /// What the entry carries.
    pub payload: Payload,
}

// A log holds one `Entry` per index per server, and every checkpoint a
// copy of its log's last chunks: the size is memory (see `Payload`).
const _: () = assert!(std::mem::size_of::<Entry>() <= 40);

/// What a log entry carries.
///
/// The command text and the configuration are shared (`Arc`): an entry is
/// copied into every follower's log, every message that carries it, and
/// (copy-on-write, 64 entries at a time) every time-travel checkpoint of a
/// simulation, and a copy should cost a reference count, not an
/// allocation. It also keeps `Entry` at 40 bytes (with the three sets of a
/// `Membership` inline it was 96).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Payload {
    /// Appended by a new leader at the start of its term (§8: lets it learn
    /// which entries are committed, because of the Figure 8 rule).
    Noop,
    /// A client command for the replicated state machine.
    Command {
        /// The command text, opaque to Raft.
        cmd: Arc<str>,
    },
    /// A cluster configuration; it takes effect as soon as it is appended
    /// (§6, thesis §4.1).
    Config {
        /// The configuration.
        membership: Arc<Membership>,
    },
}

/// A compacted prefix of the log (thesis ch. 5): the state machine image after
/// applying every entry up to `last_index`, plus what Raft still needs to
/// know about that prefix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Index of the last entry the snapshot replaces.
    pub last_index: LogIndex,
    /// Term of that entry (used by the AppendEntries consistency check).
    pub last_term: Term,
    /// The configuration in effect at `last_index`.
    pub membership: Membership,
    /// Opaque state-machine image provided by the caller of `Node::compact`.
    pub data: String,
}

/// Every message two Raft servers exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Message {
    /// Figure 2 "RequestVote RPC": invoked by candidates to gather votes (§5.2).
    RequestVote {
        /// Candidate's term.
        term: Term,
        /// Candidate requesting the vote.
        candidate: NodeId,
        /// Index of the candidate's last log entry (§5.4).
        last_log_index: LogIndex,
        /// Term of the candidate's last log entry (§5.4).
        last_log_term: Term,
        /// Set when the election was started by TimeoutNow (thesis §3.10):
        /// voters then ignore their leader lease (CheckQuorum, thesis §4.2.3).
        transfer: bool,
    },
    /// Figure 2 "RequestVote RPC" results.
    RequestVoteReply {
        /// currentTerm, for the candidate to update itself.
        term: Term,
        /// True means the candidate received the vote.
        granted: bool,
    },
    /// Pre-Vote request (thesis §9.6): "would you vote for me?" Carries the
    /// term the candidate WOULD use; the receiver never changes its term for
    /// it (a refusal carries the voter's real term, which the sender adopts
    /// if higher).
    PreVote {
        /// The candidate's current term + 1.
        term: Term,
        /// The would-be candidate.
        candidate: NodeId,
        /// Index of the candidate's last log entry.
        last_log_index: LogIndex,
        /// Term of the candidate's last log entry.
        last_log_term: Term,
    },
    /// Answer to a PreVote. When granted, `term` echoes the request's term.
    PreVoteReply {
        /// The request's term if granted, otherwise the voter's current term.
        term: Term,
        /// Whether the voter would grant a real vote.
        granted: bool,
    },
    /// Figure 2 "AppendEntries RPC": replicates entries and is the heartbeat (§5.3).
    AppendEntries {
        /// Leader's term.
        term: Term,
        /// So followers can redirect clients.
        leader: NodeId,
        /// Index of the log entry immediately preceding the new ones.
        prev_log_index: LogIndex,
        /// Term of the `prev_log_index` entry.
        prev_log_term: Term,
        /// Entries to store (empty for a heartbeat).
        entries: Vec<Entry>,
        /// Leader's commitIndex.
        leader_commit: LogIndex,
    },
    /// Figure 2 "AppendEntries RPC" results, plus the §5.3 conflict hint.
    AppendEntriesReply {
        /// currentTerm, for the leader to update itself.
        term: Term,
        /// True if the follower contained an entry matching prevLogIndex and prevLogTerm.
        success: bool,
        /// On success: the last index known to match the leader (prev + entries).
        match_index: LogIndex,
        /// On failure: the term of the follower's entry at prevLogIndex, if it has one.
        conflict_term: Option<Term>,
        /// On failure: the first index the follower stores for `conflict_term`,
        /// or, without a conflict term, the follower's last index + 1.
        conflict_index: LogIndex,
    },
    /// InstallSnapshot (thesis ch. 5): the leader sends its snapshot to a
    /// follower that needs entries the leader has already compacted.
    InstallSnapshot {
        /// Leader's term.
        term: Term,
        /// The leader.
        leader: NodeId,
        /// The snapshot (sent in one piece: the simulator has no size limit).
        snapshot: Snapshot,
    },
    /// Answer to InstallSnapshot.
    InstallSnapshotReply {
        /// currentTerm, for the leader to update itself.
        term: Term,
        /// The snapshot's last index: the follower's log now matches up to here.
        last_index: LogIndex,
    },
    /// Leadership transfer (thesis §3.10): "start an election now".
    TimeoutNow {
        /// Leader's term.
        term: Term,
        /// The leader handing over.
        leader: NodeId,
    },
}

impl Message {
    /// The term the message carries.
    pub fn term(&self) -> Term {
        match self {
            Message::RequestVote { term, .. }
            | Message::RequestVoteReply { term, .. }
            | Message::PreVote { term, .. }
            | Message::PreVoteReply { term, .. }
            | Message::AppendEntries { term, .. }
            | Message::AppendEntriesReply { term, .. }
            | Message::InstallSnapshot { term, .. }
            | Message::InstallSnapshotReply { term, .. }
            | Message::TimeoutNow { term, .. } => *term,
        }
    }

    /// Which of the RPCs this is.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::RequestVote { .. } => MessageKind::RequestVote,
            Message::RequestVoteReply { .. } => MessageKind::RequestVoteReply,
            Message::PreVote { .. } => MessageKind::PreVote,
            Message::PreVoteReply { .. } => MessageKind::PreVoteReply,
            Message::AppendEntries { .. } => MessageKind::AppendEntries,
            Message::AppendEntriesReply { .. } => MessageKind::AppendEntriesReply,
            Message::InstallSnapshot { .. } => MessageKind::InstallSnapshot,
            Message::InstallSnapshotReply { .. } => MessageKind::InstallSnapshotReply,
            Message::TimeoutNow { .. } => MessageKind::TimeoutNow,
        }
    }

    /// The message type as shown in traces: "AppendEntries", "RequestVoteReply", ...
    pub fn type_name(&self) -> &'static str {
        self.kind().name()
    }
}

/// The type of a [`Message`] without its fields: what a [`crate::RejectReason`]
/// names when it says which message it refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MessageKind {
    /// [`Message::RequestVote`].
    RequestVote,
    /// [`Message::RequestVoteReply`].
    RequestVoteReply,
    /// [`Message::PreVote`].
    PreVote,
    /// [`Message::PreVoteReply`].
    PreVoteReply,
    /// [`Message::AppendEntries`].
    AppendEntries,
    /// [`Message::AppendEntriesReply`].
    AppendEntriesReply,
    /// [`Message::InstallSnapshot`].
    InstallSnapshot,
    /// [`Message::InstallSnapshotReply`].
    InstallSnapshotReply,
    /// [`Message::TimeoutNow`].
    TimeoutNow,
}

impl MessageKind {
    /// The name used in traces and reasons, the paper's: "AppendEntries", ...
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::RequestVote => "RequestVote",
            MessageKind::RequestVoteReply => "RequestVoteReply",
            MessageKind::PreVote => "PreVote",
            MessageKind::PreVoteReply => "PreVoteReply",
            MessageKind::AppendEntries => "AppendEntries",
            MessageKind::AppendEntriesReply => "AppendEntriesReply",
            MessageKind::InstallSnapshot => "InstallSnapshot",
            MessageKind::InstallSnapshotReply => "InstallSnapshotReply",
            MessageKind::TimeoutNow => "TimeoutNow",
        }
    }
}

impl std::fmt::Display for MessageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
