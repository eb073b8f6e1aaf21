//! A read-only snapshot of the simulation for the browser: everything the
//! canvas draws, as plain serde data. The view never changes the simulation.

use crate::Kv;

use std::sync::Arc;

use raft::{LogIndex, Message, NodeId, Role, Term};

use crate::checker::Violation;
use crate::scenario::Settings;
use crate::trace::{EntryKind, MembershipRole};

/// The whole picture at one virtual time.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct View {
    /// Virtual time, µs.
    pub now_us: u64,
    /// Current settings (after any timed setting changes).
    pub settings: Settings,
    /// Every node ever created, by id.
    pub nodes: Vec<NodeView>,
    /// Messages in flight, by id.
    pub messages: Vec<MessageView>,
    /// Partitions and cuts.
    pub network: NetworkView,
    /// Every violation so far.
    pub violations: Vec<Violation>,
    /// The node the simulator would send `request "..."` to (highest-term live leader).
    pub leader: Option<NodeId>,
}

/// One node.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NodeView {
    /// Id.
    pub id: NodeId,
    /// False while crashed or removed.
    pub up: bool,
    /// Shut down for good after a committed configuration excluded it
    /// (distinct from crashed: it will not restart). Implies `!up`.
    pub removed: bool,
    /// `None` while crashed.
    pub role: Option<Role>,
    /// currentTerm (persisted, so also known while crashed).
    pub term: Term,
    /// votedFor.
    pub voted_for: Option<NodeId>,
    /// Candidates: who granted their vote so far.
    pub votes_received: Vec<NodeId>,
    /// Who the node believes leads.
    pub leader_hint: Option<NodeId>,
    /// commitIndex (0 while crashed: it is volatile).
    pub commit_index: LogIndex,
    /// lastApplied (0 while crashed).
    pub last_applied: LogIndex,
    /// Log entries after the snapshot.
    pub log: Vec<EntryView>,
    /// Last index covered by the snapshot (0: none).
    pub snapshot_index: LogIndex,
    /// Term of that entry.
    pub snapshot_term: Term,
    /// Its place in its own configuration (serialized `voter`, `learner`,
    /// `outgoing` or `none`).
    pub membership_role: MembershipRole,
    /// The node's own view of the configuration.
    pub voters: Vec<NodeId>,
    /// C_old during joint consensus.
    pub outgoing: Vec<NodeId>,
    /// Learners.
    pub learners: Vec<NodeId>,
    /// When the current election timer was started (µs).
    pub election_start_us: u64,
    /// When it fires (µs); the UI draws a draining ring between the two.
    pub election_deadline_us: u64,
    /// The node's key-value store.
    pub kv: Kv,
    /// Leaders: per follower nextIndex / matchIndex.
    pub progress: Vec<ProgressView>,
    /// The entries `log` was made from, so that the next refresh rebuilds
    /// only what changed. Not part of the picture.
    #[serde(skip)]
    pub(crate) log_source: LogSource,
}

/// The stored entries a [`NodeView::log`] shows, kept while it shows them.
///
/// Invariant: `log` shows exactly these entries. Holding them keeps their
/// leaves alive and shared, so the log they came from must copy a leaf
/// before changing it: a leaf of the current log at the same address as
/// one of these holds the same entries.
#[derive(Clone, Default)]
pub(crate) struct LogSource(pub(crate) imbl::Vector<raft::Entry>);

/// Not part of the picture: two views that show the same are equal.
impl PartialEq for LogSource {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for LogSource {}

impl std::fmt::Debug for LogSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogSource")
    }
}

/// One log entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EntryView {
    /// Index.
    pub index: LogIndex,
    /// Term.
    pub term: Term,
    /// What the entry holds (serialized `command`, `noop` or `config`).
    pub kind: EntryKind,
    /// Command text, or a description of the configuration.
    pub cmd: String,
}

/// A leader's bookkeeping for one follower.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProgressView {
    /// Follower id.
    pub id: NodeId,
    /// nextIndex.
    pub next_index: LogIndex,
    /// matchIndex.
    pub match_index: LogIndex,
}

/// One message in flight.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MessageView {
    /// Id (as in the trace and in `drop ID`).
    pub id: u64,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// When sent.
    pub sent_us: u64,
    /// When it arrives.
    pub deliver_us: u64,
    /// The message, tagged by `type`.
    pub msg: Arc<Message>,
}

/// The network's faults.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct NetworkView {
    /// Groups that can talk among themselves; empty when there is no partition.
    pub groups: Vec<Vec<NodeId>>,
    /// Cut directed links `[from, to]`.
    pub cuts: Vec<[NodeId; 2]>,
}
