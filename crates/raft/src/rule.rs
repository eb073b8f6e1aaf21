//! The rules of the paper (and of the thesis) that a server applies: the
//! ones the node names when it refuses an input, steps down, or has one
//! switched off, and the ordinary ones behind every step of a run (a vote
//! granted, entries appended, a commit). The key of the page's rule panel,
//! which highlights the rule an event applied.
//!
//! References use the paper's numbering ("§5.3", "Figure 2") and
//! "thesis §x.y" for Ongaro's dissertation. Figure 2's receiver rules and
//! rules for servers are numbered in the order the figure lists them.

use serde::{Deserialize, Serialize};

/// One rule of the paper or the thesis. Declared in the order of the
/// page's rule panel ([`Rule::ALL`]): Figure 2 box by box, then the rest of
/// the paper, then the thesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    // ----- Figure 2, State ---------------------------------------------
    /// Figure 2, State, "Persistent state on all servers (updated on stable
    /// storage before responding to RPCs)": currentTerm, votedFor, log[].
    /// Teaching switch (c) breaks it for votedFor.
    PersistentState,
    /// Figure 2, State, "Volatile state on all servers": commitIndex and
    /// lastApplied, "initialized to 0" (again after a restart).
    VolatileState,
    /// Figure 2, State, "Volatile state on leaders (Reinitialized after
    /// election)": nextIndex[] (leader last log index + 1) and matchIndex[] (0).
    LeaderVolatileState,

    // ----- Figure 2, RequestVote RPC ------------------------------------
    /// Figure 2, RequestVote RPC, receiver rule 1: "Reply false if term <
    /// currentTerm".
    RequestVoteReceiver1,
    /// Figure 2, RequestVote RPC, receiver rule 2: "If votedFor is null or
    /// candidateId, and candidate's log is at least as up-to-date as
    /// receiver's log, grant vote" (and otherwise refuse it).
    RequestVoteReceiver2,

    // ----- Figure 2, AppendEntries RPC ----------------------------------
    /// Figure 2, AppendEntries RPC, receiver rule 1: "Reply false if term <
    /// currentTerm".
    AppendEntriesReceiver1,
    /// Figure 2, AppendEntries RPC, receiver rule 2: "Reply false if log
    /// doesn't contain an entry at prevLogIndex whose term matches
    /// prevLogTerm".
    AppendEntriesReceiver2,
    /// Figure 2, AppendEntries RPC, receiver rule 3: "If an existing entry
    /// conflicts with a new one (same index but different terms), delete the
    /// existing entry and all that follow it".
    AppendEntriesReceiver3,
    /// Figure 2, AppendEntries RPC, receiver rule 4: "Append any new entries
    /// not already in the log".
    AppendEntriesReceiver4,
    /// Figure 2, AppendEntries RPC, receiver rule 5: "If leaderCommit >
    /// commitIndex, set commitIndex = min(leaderCommit, index of last new
    /// entry)".
    AppendEntriesReceiver5,

    // ----- Figure 2, Rules for Servers -----------------------------------
    /// Figure 2, Rules for Servers, All Servers: "If commitIndex >
    /// lastApplied: increment lastApplied, apply log[lastApplied] to state
    /// machine".
    AllServersApply,
    /// Figure 2, Rules for Servers, All Servers: "If RPC request or response
    /// contains term T > currentTerm: set currentTerm = T, convert to
    /// follower".
    AllServersHigherTerm,
    /// Figure 2, Rules for Servers, Followers: "Respond to RPCs from
    /// candidates and leaders".
    FollowersRespond,
    /// Figure 2, Rules for Servers, Followers: "If election timeout elapses
    /// without receiving AppendEntries RPC from current leader or granting
    /// vote to candidate: convert to candidate".
    FollowersTimeout,
    /// Figure 2, Rules for Servers, Candidates: "On conversion to candidate,
    /// start election: increment currentTerm, vote for self, reset election
    /// timer, send RequestVote RPCs to all other servers".
    CandidatesStartElection,
    /// Figure 2, Rules for Servers, Candidates: "If votes received from
    /// majority of servers: become leader", a majority of the voters of the
    /// candidate's configuration (both halves during joint consensus, §6).
    CandidateMajority,
    /// Figure 2, Rules for Servers, Candidates: "If AppendEntries RPC
    /// received from new leader: convert to follower".
    CandidatesNewLeader,
    /// Figure 2, Rules for Servers, Candidates: "If election timeout
    /// elapses: start new election".
    CandidatesTimeout,
    /// Figure 2, Rules for Servers, Leaders: "Upon election: send initial
    /// empty AppendEntries RPCs (heartbeat) to each server; repeat during
    /// idle periods to prevent election timeouts".
    LeadersHeartbeat,
    /// Figure 2, Rules for Servers, Leaders: "If command received from
    /// client: append entry to local log, respond after entry applied to
    /// state machine".
    LeadersClientCommand,
    /// Figure 2, Rules for Servers, Leaders: "If last log index ≥ nextIndex
    /// for a follower: send AppendEntries RPC with log entries starting at
    /// nextIndex"; "If successful: update nextIndex and matchIndex for
    /// follower".
    LeadersReplicate,
    /// Figure 2, Rules for Servers, Leaders: "If AppendEntries fails because
    /// of log inconsistency: decrement nextIndex and retry" (or, with the
    /// §5.3 conflict hint, skip back a whole term).
    LeadersBackOff,
    /// Figure 2, Rules for Servers, Leaders: "If there exists an N such that
    /// N > commitIndex, a majority of matchIndex[i] ≥ N, and log[N].term ==
    /// currentTerm: set commitIndex = N".
    LeadersCommit,

    // ----- the rest of the paper -----------------------------------------
    /// §5.1: "If a server receives a request with a stale term number, it
    /// rejects the request"; a reply with a stale term is dropped.
    StaleTerm,
    /// §5.1, Figure 4: the transitions between follower, candidate and
    /// leader (plus the Pre-Vote phase of thesis §9.6).
    RoleTransitions,
    /// §5.4.1, the election restriction: a voter "denies its vote if its own
    /// log is more up-to-date than that of the candidate". Teaching switch
    /// (b) breaks it.
    ElectionRestriction,
    /// §5.4.2 and Figure 8: "only log entries from the leader's current term
    /// are committed by counting replicas". Teaching switch (a) breaks it.
    CommitCurrentTermOnly,
    /// Figure 3, Election Safety: "at most one leader can be elected in a
    /// given term" (§5.2).
    ElectionSafety,
    /// Figure 3, Leader Append-Only: "a leader never overwrites or deletes
    /// entries in its log; it only appends new entries" (§5.3).
    LeaderAppendOnly,
    /// Figure 3, Log Matching: "if two logs contain an entry with the same
    /// index and term, then the logs are identical in all entries up
    /// through the given index" (§5.3).
    LogMatching,
    /// Figure 3, Leader Completeness: "if a log entry is committed in a
    /// given term, then that entry will be present in the logs of the
    /// leaders for all higher-numbered terms" (§5.4).
    LeaderCompleteness,
    /// Figure 3, State Machine Safety: once a server has applied an entry at
    /// an index, no server applies a different one there (§5.4.3). The node
    /// never deletes an entry it knows to be committed.
    StateMachineSafety,
    /// §6 and Figure 10: switching directly from C_old to C_new is unsafe, so
    /// a change goes through the joint configuration C_old,new. Teaching
    /// switch (d) breaks it.
    JointConsensus,
    /// §6 and thesis §4.1: "a server always uses the latest configuration in
    /// its log": the leader deals only with that configuration's members.
    LatestConfiguration,
    /// §6 and thesis §4.2.2: a leader that is not part of C_new steps down
    /// once the C_new entry is committed.
    RemovedLeaderStepsDown,
    /// §6 and thesis §4.2.3, disruptive servers: "if a server receives a
    /// RequestVote request within the minimum election timeout of hearing
    /// from a current leader, it does not update its term or grant its vote".
    DisruptiveServers,
    /// §8, client interaction: clients send their requests to the leader; a
    /// follower rejects a request and names the leader it last heard from; a
    /// request that gets no answer times out and is tried elsewhere.
    ClientInteraction,
    /// §8: "each leader commit a blank no-op entry into the log at the start
    /// of its term", so that it learns which entries are committed.
    NoopOnElection,

    // ----- the thesis ----------------------------------------------------
    /// Thesis §4.1 and §4.2.1: a configuration changes one server at a time
    /// (any two majorities of consecutive configurations overlap); a new
    /// server may first join as a non-voting learner to catch up.
    SingleServerChange,
    /// Thesis §4.2.1 and §4.2.2: a server that does not vote in its latest
    /// configuration (a learner, or a server whose removal is committed)
    /// never starts an election.
    OnlyVotersCampaign,
    /// Thesis §3.10, leadership transfer: the leader brings the target up to
    /// date and sends it TimeoutNow, which starts its election at once; it
    /// abandons a transfer that does not complete within an election timeout.
    LeadershipTransfer,
    /// Thesis §5.1: each server compacts its log on its own, replacing the
    /// applied prefix with a snapshot of its state machine.
    Compaction,
    /// Thesis Figure 5.3, InstallSnapshot RPC: a leader sends its snapshot to
    /// a follower that needs entries it has already compacted; the receiver
    /// replaces its state machine and the log the snapshot covers.
    InstallSnapshot,
    /// Thesis Figure 5.3, InstallSnapshot RPC, receiver rule 1: "Reply
    /// immediately if term < currentTerm".
    InstallSnapshotReceiver1,
    /// Thesis §9.6, Pre-Vote: before incrementing its term, a server asks
    /// whether it could win; voters answer as for a vote but change nothing.
    PreVote,
    /// Thesis §6.2 (CheckQuorum): a leader steps down if an election timeout
    /// passes without hearing from a majority of its cluster.
    CheckQuorum,
    /// §2: Raft is safe "under all non-Byzantine conditions"; its rules never
    /// produce this input (a forged or corrupt message, a caller's mistake),
    /// so the node refuses it rather than trust it.
    NonByzantine,
}

impl Rule {
    /// Every rule, in the order of the paper's presentation: Figure 2 (State,
    /// RequestVote RPC, AppendEntries RPC, Rules for Servers), the rest of
    /// the paper, then the thesis. The page's rule panel lists them so.
    pub const ALL: [Rule; 47] = [
        Rule::PersistentState,
        Rule::VolatileState,
        Rule::LeaderVolatileState,
        Rule::RequestVoteReceiver1,
        Rule::RequestVoteReceiver2,
        Rule::AppendEntriesReceiver1,
        Rule::AppendEntriesReceiver2,
        Rule::AppendEntriesReceiver3,
        Rule::AppendEntriesReceiver4,
        Rule::AppendEntriesReceiver5,
        Rule::AllServersApply,
        Rule::AllServersHigherTerm,
        Rule::FollowersRespond,
        Rule::FollowersTimeout,
        Rule::CandidatesStartElection,
        Rule::CandidateMajority,
        Rule::CandidatesNewLeader,
        Rule::CandidatesTimeout,
        Rule::LeadersHeartbeat,
        Rule::LeadersClientCommand,
        Rule::LeadersReplicate,
        Rule::LeadersBackOff,
        Rule::LeadersCommit,
        Rule::StaleTerm,
        Rule::RoleTransitions,
        Rule::ElectionRestriction,
        Rule::CommitCurrentTermOnly,
        Rule::ElectionSafety,
        Rule::LeaderAppendOnly,
        Rule::LogMatching,
        Rule::LeaderCompleteness,
        Rule::StateMachineSafety,
        Rule::JointConsensus,
        Rule::LatestConfiguration,
        Rule::RemovedLeaderStepsDown,
        Rule::DisruptiveServers,
        Rule::ClientInteraction,
        Rule::NoopOnElection,
        Rule::SingleServerChange,
        Rule::OnlyVotersCampaign,
        Rule::LeadershipTransfer,
        Rule::Compaction,
        Rule::InstallSnapshot,
        Rule::InstallSnapshotReceiver1,
        Rule::PreVote,
        Rule::CheckQuorum,
        Rule::NonByzantine,
    ];

    /// Where the rule is written, for a reader with the paper or the thesis
    /// open: "Figure 2, AppendEntries RPC, receiver rule 1", "thesis §4.2.3".
    pub fn reference(self) -> &'static str {
        match self {
            Rule::PersistentState => "Figure 2, State, persistent state on all servers",
            Rule::VolatileState => "Figure 2, State, volatile state on all servers",
            Rule::LeaderVolatileState => "Figure 2, State, volatile state on leaders",
            Rule::RequestVoteReceiver1 => "Figure 2, RequestVote RPC, receiver rule 1",
            Rule::RequestVoteReceiver2 => "Figure 2, RequestVote RPC, receiver rule 2",
            Rule::AppendEntriesReceiver1 => "Figure 2, AppendEntries RPC, receiver rule 1",
            Rule::AppendEntriesReceiver2 => "Figure 2, AppendEntries RPC, receiver rule 2",
            Rule::AppendEntriesReceiver3 => "Figure 2, AppendEntries RPC, receiver rule 3",
            Rule::AppendEntriesReceiver4 => "Figure 2, AppendEntries RPC, receiver rule 4",
            Rule::AppendEntriesReceiver5 => "Figure 2, AppendEntries RPC, receiver rule 5",
            Rule::AllServersApply => "Figure 2, Rules for Servers, All Servers, rule 1",
            Rule::AllServersHigherTerm => "Figure 2, Rules for Servers, All Servers, rule 2",
            Rule::FollowersRespond => "Figure 2, Rules for Servers, Followers, rule 1",
            Rule::FollowersTimeout => "Figure 2, Rules for Servers, Followers, rule 2",
            Rule::CandidatesStartElection => "Figure 2, Rules for Servers, Candidates, rule 1",
            Rule::CandidateMajority => "Figure 2, Rules for Servers, Candidates, rule 2; §6",
            Rule::CandidatesNewLeader => "Figure 2, Rules for Servers, Candidates, rule 3",
            Rule::CandidatesTimeout => "Figure 2, Rules for Servers, Candidates, rule 4",
            Rule::LeadersHeartbeat => "Figure 2, Rules for Servers, Leaders, rule 1",
            Rule::LeadersClientCommand => "Figure 2, Rules for Servers, Leaders, rule 2",
            Rule::LeadersReplicate => "Figure 2, Rules for Servers, Leaders, rule 3",
            Rule::LeadersBackOff => "Figure 2, Rules for Servers, Leaders, rule 3 (on failure)",
            Rule::LeadersCommit => "Figure 2, Rules for Servers, Leaders, rule 4",
            Rule::StaleTerm => "§5.1",
            Rule::RoleTransitions => "§5.1, Figure 4",
            Rule::ElectionRestriction => "§5.4.1",
            Rule::CommitCurrentTermOnly => "§5.4.2, Figure 8",
            Rule::ElectionSafety => "Figure 3, Election Safety (§5.2)",
            Rule::LeaderAppendOnly => "Figure 3, Leader Append-Only (§5.3)",
            Rule::LogMatching => "Figure 3, Log Matching (§5.3)",
            Rule::LeaderCompleteness => "Figure 3, Leader Completeness (§5.4)",
            Rule::StateMachineSafety => "Figure 3, State Machine Safety (§5.4.3)",
            Rule::JointConsensus => "§6, Figure 10",
            Rule::LatestConfiguration => "§6; thesis §4.1",
            Rule::RemovedLeaderStepsDown => "§6; thesis §4.2.2",
            Rule::DisruptiveServers => "§6; thesis §4.2.3",
            Rule::ClientInteraction => "§8, client interaction",
            Rule::NoopOnElection => "§8, a no-op at the start of each term",
            Rule::SingleServerChange => "thesis §4.1, §4.2.1",
            Rule::OnlyVotersCampaign => "thesis §4.2.1, §4.2.2",
            Rule::LeadershipTransfer => "thesis §3.10",
            Rule::Compaction => "thesis §5.1",
            Rule::InstallSnapshot => "thesis Figure 5.3, InstallSnapshot RPC",
            Rule::InstallSnapshotReceiver1 => {
                "thesis Figure 5.3, InstallSnapshot RPC, receiver rule 1"
            }
            Rule::PreVote => "thesis §9.6",
            Rule::CheckQuorum => "thesis §6.2",
            Rule::NonByzantine => "§2 (non-Byzantine conditions)",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reference())
    }
}
