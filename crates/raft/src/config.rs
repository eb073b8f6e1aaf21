//! Node configuration: the extension switches (thesis §9.6 Pre-Vote,
//! §6.2 CheckQuorum, §3.10 leadership transfer is always available, ch. 5
//! snapshots are driven by the caller), plus the teaching switches that each
//! deliberately break one safety rule of the paper (in `teaching`).

use serde::{Deserialize, Serialize};

use crate::teaching::UnsafeSwitches;
use crate::NodeId;

/// How a leader moves `nextIndex` back after a rejected AppendEntries (§5.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Backoff {
    /// Figure 2: "decrement nextIndex and retry": one entry per round trip.
    #[default]
    Decrement,
    /// The optimisation at the end of §5.3: the follower returns the term of
    /// the conflicting entry and the first index it stores for that term, so
    /// the leader skips a whole term (or the whole missing tail) per round trip.
    ConflictHint,
}

/// Every switch the node reads.
///
/// [`Config::new`] gives the paper's algorithm: all extensions off, the
/// start-of-term no-op and the §6 rule against disruptive servers on, every
/// teaching switch off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// This server's id. It never changes for the life of a node.
    pub id: NodeId,
    /// Pre-Vote (thesis §9.6): before incrementing its term, a server asks
    /// whether it could win, so a rejoining partitioned server does not force
    /// the cluster into a new term.
    pub pre_vote: bool,
    /// CheckQuorum (thesis §6.2, §4.2.3): a leader steps down if it has not
    /// heard from a majority within an election timeout, and followers that
    /// have a current leader ignore RequestVote (the leader lease).
    pub check_quorum: bool,
    /// Paper §6 and thesis §4.2.3 ("disruptive servers"): "if a server
    /// receives a RequestVote request within the minimum election timeout of
    /// hearing from a current leader, it does not update its term or grant
    /// its vote". Part of the paper's membership algorithm, so on by default:
    /// a server being removed stops receiving heartbeats and would otherwise
    /// depose every leader with ever higher terms. A RequestVote sent because
    /// of a leadership transfer (TimeoutNow) is exempt. CheckQuorum implies
    /// the same rule (etcd's leader lease), so turning this off matters only
    /// without CheckQuorum.
    pub sticky_leader: bool,
    /// Append a no-op entry when a leader's term starts (§8). Default true:
    /// without it a new leader cannot commit earlier entries until a client
    /// proposes something (Figure 8 rule).
    pub noop_on_elect: bool,
    /// How the leader backs off `nextIndex` on rejection.
    pub backoff: Backoff,
    /// Most entries in one AppendEntries (0 is treated as 1). Default 16.
    pub max_entries_per_append: usize,
    /// Thesis §4.2.1: the leader promotes a learner (a server added with
    /// [`ConfChange::AddLearner`](crate::ConfChange::AddLearner)) to voter
    /// (AddVoter) once it has caught up with the commit index. Default true.
    /// [`ConfChange::AddVoter`](crate::ConfChange::AddVoter) adds a voter at
    /// once, without a learner phase.
    pub auto_promote_learners: bool,
    /// Teaching switches; all off unless set explicitly.
    pub unsafe_switches: UnsafeSwitches,
}

impl Config {
    /// The paper's algorithm for server `id`, extensions off.
    pub fn new(id: NodeId) -> Self {
        Config {
            id,
            pre_vote: false,
            check_quorum: false,
            sticky_leader: true,
            noop_on_elect: true,
            backoff: Backoff::Decrement,
            max_entries_per_append: 16,
            auto_promote_learners: true,
            unsafe_switches: UnsafeSwitches::none(),
        }
    }
}
