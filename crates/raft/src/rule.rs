//! The rules of the paper (and of the thesis) that the node names when it
//! refuses an input, steps down, or has one switched off: the key of the
//! page's rule panel, which highlights the rule an event applied.
//!
//! References use the paper's numbering ("§5.3", "Figure 2") and
//! "thesis §x.y" for Ongaro's dissertation.

use serde::{Deserialize, Serialize};

/// One rule of the paper or the thesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// §2: Raft is safe "under all non-Byzantine conditions"; its rules never
    /// produce this input (a forged or corrupt message, a caller's mistake),
    /// so the node refuses it rather than trust it.
    NonByzantine,
    /// §5.1: "If a server receives a request with a stale term number, it
    /// rejects the request"; a reply with a stale term is dropped.
    StaleTerm,
    /// Figure 2, RequestVote RPC, receiver rule 1: "Reply false if term <
    /// currentTerm".
    RequestVoteReceiver1,
    /// Figure 2, AppendEntries RPC, receiver rule 1: "Reply false if term <
    /// currentTerm".
    AppendEntriesReceiver1,
    /// Figure 2, AppendEntries RPC, receiver rule 3: "If an existing entry
    /// conflicts with a new one (same index but different terms), delete the
    /// existing entry and all that follow it".
    AppendEntriesReceiver3,
    /// Thesis Figure 5.3, InstallSnapshot RPC, receiver rule 1: "Reply
    /// immediately if term < currentTerm".
    InstallSnapshotReceiver1,
    /// §5.1, Figure 4: the transitions between follower, candidate and
    /// leader (plus the Pre-Vote phase of thesis §9.6).
    RoleTransitions,
    /// Figure 3, Election Safety: "at most one leader can be elected in a
    /// given term" (§5.2).
    ElectionSafety,
    /// Figure 3, State Machine Safety: once a server has applied an entry at
    /// an index, no server applies a different one there (§5.4.3). The node
    /// never deletes an entry it knows to be committed.
    StateMachineSafety,
    /// Figure 2, Rules for Servers, Candidates: "If votes received from
    /// majority of servers: become leader", a majority of the voters of the
    /// candidate's configuration (both halves during joint consensus, §6).
    CandidateMajority,
    /// Thesis §4.2.1 and §4.2.2: a server that does not vote in its latest
    /// configuration (a learner, or a server whose removal is committed)
    /// never starts an election.
    OnlyVotersCampaign,
    /// §6 and thesis §4.2.3, disruptive servers: "if a server receives a
    /// RequestVote request within the minimum election timeout of hearing
    /// from a current leader, it does not update its term or grant its vote".
    DisruptiveServers,
    /// Thesis §6.2 (CheckQuorum): a leader steps down if an election timeout
    /// passes without hearing from a majority of its cluster.
    CheckQuorum,
    /// §6 and thesis §4.1: "a server always uses the latest configuration in
    /// its log": the leader deals only with that configuration's members.
    LatestConfiguration,
    /// §6 and thesis §4.2.2: a leader that is not part of C_new steps down
    /// once the C_new entry is committed.
    RemovedLeaderStepsDown,
    /// Thesis §3.10, leadership transfer: the leader abandons a transfer that
    /// does not complete within an election timeout.
    LeadershipTransfer,
    /// §5.4.2 and Figure 8: "only log entries from the leader's current term
    /// are committed by counting replicas". Teaching switch (a) breaks it.
    CommitCurrentTermOnly,
    /// §5.4.1, the election restriction: a voter "denies its vote if its own
    /// log is more up-to-date than that of the candidate". Teaching switch
    /// (b) breaks it.
    ElectionRestriction,
    /// Figure 2, State, "Persistent state on all servers (updated on stable
    /// storage before responding to RPCs)": currentTerm, votedFor, log[].
    /// Teaching switch (c) breaks it for votedFor.
    PersistentState,
    /// §6 and Figure 10: switching directly from C_old to C_new is unsafe, so
    /// a change goes through the joint configuration C_old,new. Teaching
    /// switch (d) breaks it.
    JointConsensus,
}

impl Rule {
    /// Every rule, in the order of the paper's presentation.
    pub const ALL: [Rule; 20] = [
        Rule::NonByzantine,
        Rule::StaleTerm,
        Rule::RoleTransitions,
        Rule::RequestVoteReceiver1,
        Rule::AppendEntriesReceiver1,
        Rule::AppendEntriesReceiver3,
        Rule::ElectionSafety,
        Rule::CandidateMajority,
        Rule::ElectionRestriction,
        Rule::CommitCurrentTermOnly,
        Rule::StateMachineSafety,
        Rule::PersistentState,
        Rule::JointConsensus,
        Rule::LatestConfiguration,
        Rule::RemovedLeaderStepsDown,
        Rule::OnlyVotersCampaign,
        Rule::DisruptiveServers,
        Rule::LeadershipTransfer,
        Rule::InstallSnapshotReceiver1,
        Rule::CheckQuorum,
    ];

    /// Where the rule is written, for a reader with the paper or the thesis
    /// open: "Figure 2, AppendEntries RPC, receiver rule 1", "thesis §4.2.3".
    pub fn reference(self) -> &'static str {
        match self {
            Rule::NonByzantine => "§2 (non-Byzantine conditions)",
            Rule::StaleTerm => "§5.1",
            Rule::RequestVoteReceiver1 => "Figure 2, RequestVote RPC, receiver rule 1",
            Rule::AppendEntriesReceiver1 => "Figure 2, AppendEntries RPC, receiver rule 1",
            Rule::AppendEntriesReceiver3 => "Figure 2, AppendEntries RPC, receiver rule 3",
            Rule::InstallSnapshotReceiver1 => {
                "thesis Figure 5.3, InstallSnapshot RPC, receiver rule 1"
            }
            Rule::RoleTransitions => "§5.1, Figure 4",
            Rule::ElectionSafety => "Figure 3, Election Safety (§5.2)",
            Rule::StateMachineSafety => "Figure 3, State Machine Safety (§5.4.3)",
            Rule::CandidateMajority => "Figure 2, Rules for Servers, Candidates; §6",
            Rule::OnlyVotersCampaign => "thesis §4.2.1, §4.2.2",
            Rule::DisruptiveServers => "§6; thesis §4.2.3",
            Rule::CheckQuorum => "thesis §6.2",
            Rule::LatestConfiguration => "§6; thesis §4.1",
            Rule::RemovedLeaderStepsDown => "§6; thesis §4.2.2",
            Rule::LeadershipTransfer => "thesis §3.10",
            Rule::CommitCurrentTermOnly => "§5.4.2, Figure 8",
            Rule::ElectionRestriction => "§5.4.1",
            Rule::PersistentState => "Figure 2, State, persistent state on all servers",
            Rule::JointConsensus => "§6, Figure 10",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reference())
    }
}
