//! Node configuration: the extension switches (thesis §9.6 Pre-Vote and
//! CheckQuorum, §3.10 leadership transfer is always available, ch. 5
//! snapshots are driven by the caller) and the teaching switches that each
//! deliberately break one safety rule of the paper.

use serde::{Deserialize, Serialize};

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
    /// CheckQuorum (thesis §9.6, §4.2.3): a leader steps down if it has not
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

/// Teaching switches: each one deliberately breaks one safety rule, so a
/// lesson can show a real counterexample. All false by default; there is no
/// feature flag and no preset that turns any of them on, so they are only
/// ever set by naming the field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsafeSwitches {
    /// (a) A leader commits an entry of an EARLIER term as soon as a majority
    /// stores it, ignoring the Figure 8 rule ("only log entries from the
    /// leader's current term are committed by counting replicas", §5.4.2).
    ///
    /// What goes wrong: an old-term entry on a majority can still be
    /// overwritten by a server whose last entry has a higher term (it can win
    /// an election with votes from that same majority). The leader applies the
    /// entry, then the next leader replaces it: **State Machine Safety** and
    /// **Leader Completeness** break (Figure 8, (c) then (d)).
    pub commit_old_terms_by_counting: bool,
    /// (b) Voters grant a vote without checking that the candidate's log is at
    /// least as up to date as their own (§5.4.1 election restriction).
    ///
    /// What goes wrong: a candidate missing committed entries can win; as
    /// leader it forces followers to overwrite those entries. **Leader
    /// Completeness** and **State Machine Safety** break.
    pub vote_without_log_check: bool,
    /// (c) `votedFor` is not persisted: a restarted server forgets whom it
    /// voted for in its current term (Figure 2 "Persistent state").
    ///
    /// What goes wrong: a server can vote twice in one term (once before and
    /// once after a crash), so two candidates can each collect a majority:
    /// **Election Safety** breaks (two leaders in one term), and with it Log
    /// Matching.
    pub forget_vote_on_restart: bool,
    /// (d) `ConfChange::UnsafeDirect` switches from C_old to C_new in one step,
    /// without joint consensus (§6, Figure 10).
    ///
    /// What goes wrong: during the switch some servers use C_old and others
    /// C_new; a majority of C_old and a disjoint majority of C_new can elect
    /// two leaders in the same term: **Election Safety** breaks. The
    /// one-uncommitted-change rule is also bypassed for such changes.
    pub direct_membership_change: bool,
}

impl UnsafeSwitches {
    /// All switches off: the safe algorithm.
    pub const fn none() -> Self {
        UnsafeSwitches {
            commit_old_terms_by_counting: false,
            vote_without_log_check: false,
            forget_vote_on_restart: false,
            direct_membership_change: false,
        }
    }

    /// Do followers obey AppendEntries rule 3 literally even over entries
    /// they know are committed? The safe node refuses such a request (only a
    /// broken leader can send one). The counterexamples of (a) and (b) need
    /// it: their point is a committed entry overwritten by a leader that lacks
    /// it. (c) and (d) break Election Safety, which the checker shows without
    /// it, so under them a follower still never moves commitIndex or
    /// lastApplied backwards.
    pub fn overwrite_committed(&self) -> bool {
        self.commit_old_terms_by_counting || self.vote_without_log_check
    }

    /// True if any teaching switch is on (for the view: "this run is unsafe").
    pub fn any(&self) -> bool {
        self.commit_old_terms_by_counting
            || self.vote_without_log_check
            || self.forget_vote_on_restart
            || self.direct_membership_change
    }
}
