//! Why a node refused an input ([`RejectReason`], carried by
//! [`Event::Rejected`](crate::Event::Rejected)) or gave up leadership
//! ([`StepDownReason`], carried by
//! [`Event::SteppedDown`](crate::Event::SteppedDown)), each naming the
//! [`Rule`] of the paper it applies.
//!
//! `Display` gives the sentence the simulator writes into its trace. Those
//! sentences are part of the trace's pinned hash: change one only on purpose
//! (the test `every_reason_displays_its_trace_sentence` lists them all).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::message::MessageKind;
use crate::role::Role;
use crate::rule::Rule;
use crate::{LogIndex, NodeId, Term};

/// Why a node ignored an input: a stale, forged, misdirected or
/// out-of-protocol message, or a command it cannot carry out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectReason {
    /// `Node::set_config` named another server: a node's id never changes, so
    /// the node keeps its own ([`Rule::NonByzantine`]).
    ConfigIdChanged {
        /// The id in the new configuration.
        requested: NodeId,
        /// The node's id, which it keeps.
        kept: NodeId,
    },
    /// A message that claims to come from the node itself ([`Rule::NonByzantine`]).
    FromItself {
        /// The message's type.
        kind: MessageKind,
    },
    /// A RequestVote within the leader lease is ignored, the term not
    /// updated ([`Rule::DisruptiveServers`]: §6, thesis §4.2.3).
    RequestVoteInLease {
        /// The candidate.
        from: NodeId,
    },
    /// A message of an older term: a request is answered with the current
    /// term, a reply dropped (§5.1, Figure 2 receiver rule 1 of each RPC).
    StaleTerm {
        /// The message's type.
        kind: MessageKind,
        /// The sender.
        from: NodeId,
        /// The term the message carries.
        term: Term,
        /// The receiver's currentTerm, greater.
        current_term: Term,
    },
    /// A role change that Figure 4 does not have ([`Rule::RoleTransitions`]).
    IllegalTransition {
        /// The role the node has.
        from: Role,
        /// The role it was asked to take.
        to: Role,
    },
    /// The term is `u64::MAX`: the node cannot start another election. Only
    /// a forged term gets there ([`Rule::NonByzantine`]).
    TermSpaceExhausted,
    /// The election timer fired on a server that does not vote
    /// ([`Rule::OnlyVotersCampaign`]: thesis §4.2.1, §4.2.2).
    NotVoterCannotCampaign,
    /// The leader abandoned a transfer that did not finish within an
    /// election timeout ([`Rule::LeadershipTransfer`]: thesis §3.10).
    TransferTimedOut {
        /// The server that was to take over.
        target: NodeId,
    },
    /// A (Pre-)Vote request whose candidate is not its sender ([`Rule::NonByzantine`]).
    CandidateNotSender {
        /// RequestVote or PreVote.
        kind: MessageKind,
        /// The sender.
        from: NodeId,
        /// The candidate the message names.
        candidate: NodeId,
    },
    /// A vote from a server that is not a voter of the candidate's
    /// configuration does not count ([`Rule::CandidateMajority`]).
    VoteFromNonVoter {
        /// The voter.
        from: NodeId,
    },
    /// A pre-vote from a server that is not a voter of the candidate's
    /// configuration does not count ([`Rule::CandidateMajority`]).
    PreVoteFromNonVoter {
        /// The voter.
        from: NodeId,
    },
    /// A leader's message (AppendEntries, InstallSnapshot, TimeoutNow) whose
    /// leader is not its sender ([`Rule::NonByzantine`]).
    LeaderNotSender {
        /// The message's type.
        kind: MessageKind,
        /// The sender.
        from: NodeId,
        /// The leader the message names.
        leader: NodeId,
    },
    /// A leader received AppendEntries or InstallSnapshot from another leader
    /// of its own term: two leaders in one term ([`Rule::ElectionSafety`];
    /// only a teaching switch or forged input gets there).
    AnotherLeader {
        /// AppendEntries or InstallSnapshot.
        kind: MessageKind,
        /// The other leader.
        from: NodeId,
        /// The term both lead.
        term: Term,
    },
    /// A leader received TimeoutNow: another leader in its term
    /// ([`Rule::ElectionSafety`]).
    TimeoutNowToLeader {
        /// The sender.
        from: NodeId,
    },
    /// TimeoutNow reached a server that does not vote: it does not campaign
    /// ([`Rule::OnlyVotersCampaign`]).
    TimeoutNowToNonVoter {
        /// The leader that sent it.
        from: NodeId,
    },
    /// A message no correct leader sends ([`Rule::NonByzantine`]).
    Malformed {
        /// AppendEntries or InstallSnapshot.
        kind: MessageKind,
        /// The sender.
        from: NodeId,
        /// What is wrong with it.
        defect: Defect,
    },
    /// AppendEntries would delete an entry this follower knows is committed:
    /// refused, so the committed prefix never changes
    /// ([`Rule::StateMachineSafety`]).
    ConflictsWithCommitted {
        /// The leader.
        from: NodeId,
        /// The committed entry it would overwrite.
        index: LogIndex,
    },
    /// Under teaching switch (a) or (b) the follower obeys AppendEntries rule
    /// 3 literally and deletes a committed entry: not a refusal but the
    /// warning that safety just broke ([`Rule::AppendEntriesReceiver3`]).
    OverwritesCommitted {
        /// The leader.
        from: NodeId,
        /// The committed entry overwritten.
        index: LogIndex,
    },
    /// An entry that passed every check still did not extend the log; the
    /// node refuses rather than corrupt its log ([`Rule::NonByzantine`]).
    EntryDoesNotExtend {
        /// The leader.
        from: NodeId,
    },
    /// A reply from a server that is not in the leader's configuration, for
    /// example one removed since the request went out
    /// ([`Rule::LatestConfiguration`]).
    ReplyFromNonMember {
        /// AppendEntriesReply or InstallSnapshotReply.
        kind: MessageKind,
        /// The sender.
        from: NodeId,
    },
    /// An AppendEntriesReply that claims to match entries the leader does not
    /// have ([`Rule::NonByzantine`]).
    MatchBeyondLog {
        /// The follower.
        from: NodeId,
        /// The match index it claims.
        match_index: LogIndex,
    },
    /// An InstallSnapshotReply for a snapshot beyond the leader's log
    /// ([`Rule::NonByzantine`]).
    SnapshotBeyondLog {
        /// The follower.
        from: NodeId,
        /// The snapshot index it claims.
        last_index: LogIndex,
    },
}

impl RejectReason {
    /// The rule of the paper the node applied in refusing.
    pub fn rule(&self) -> Rule {
        use RejectReason::*;
        match self {
            StaleTerm { kind, .. } => match kind {
                MessageKind::RequestVote => Rule::RequestVoteReceiver1,
                MessageKind::AppendEntries => Rule::AppendEntriesReceiver1,
                MessageKind::InstallSnapshot => Rule::InstallSnapshotReceiver1,
                _ => Rule::StaleTerm,
            },
            RequestVoteInLease { .. } => Rule::DisruptiveServers,
            IllegalTransition { .. } => Rule::RoleTransitions,
            NotVoterCannotCampaign | TimeoutNowToNonVoter { .. } => Rule::OnlyVotersCampaign,
            TransferTimedOut { .. } => Rule::LeadershipTransfer,
            VoteFromNonVoter { .. } | PreVoteFromNonVoter { .. } => Rule::CandidateMajority,
            AnotherLeader { .. } | TimeoutNowToLeader { .. } => Rule::ElectionSafety,
            ConflictsWithCommitted { .. } => Rule::StateMachineSafety,
            OverwritesCommitted { .. } => Rule::AppendEntriesReceiver3,
            ReplyFromNonMember { .. } => Rule::LatestConfiguration,
            ConfigIdChanged { .. }
            | FromItself { .. }
            | TermSpaceExhausted
            | CandidateNotSender { .. }
            | LeaderNotSender { .. }
            | Malformed { .. }
            | EntryDoesNotExtend { .. }
            | MatchBeyondLog { .. }
            | SnapshotBeyondLog { .. } => Rule::NonByzantine,
        }
    }
}

impl fmt::Display for RejectReason {
    // A table: one short arm per variant, each the trace's sentence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RejectReason::*;
        match self {
            ConfigIdChanged { requested, kept } => {
                write!(f, "set_config: id {requested} ignored, node stays {kept}")
            }
            FromItself { kind } => write!(f, "{kind} from itself"),
            RequestVoteInLease { from } => write!(
                f,
                "RequestVote from {from} ignored: heard from a current leader (§6)"
            ),
            StaleTerm {
                kind,
                from,
                term,
                current_term,
            } => write!(f, "stale {kind} from {from}: term {term} < {current_term}"),
            IllegalTransition { from, to } => write!(f, "illegal transition {from:?} -> {to:?}"),
            TermSpaceExhausted => f.write_str("term space exhausted: cannot campaign"),
            NotVoterCannotCampaign => f.write_str("election timeout ignored: not a voter"),
            TransferTimedOut { target } => write!(f, "leadership transfer to {target} timed out"),
            CandidateNotSender {
                kind,
                from,
                candidate,
            } => write!(f, "{kind} from {from} names candidate {candidate}"),
            VoteFromNonVoter { from } => write!(f, "vote from {from} ignored: not a voter"),
            PreVoteFromNonVoter { from } => write!(f, "pre-vote from {from} ignored: not a voter"),
            LeaderNotSender { kind, from, leader } => {
                write!(f, "{kind} from {from} names leader {leader}")
            }
            AnotherLeader { kind, from, term } => {
                write!(f, "{kind} from {from}: another leader in my term {term}")
            }
            TimeoutNowToLeader { from } => write!(f, "TimeoutNow from {from}: already leader"),
            TimeoutNowToNonVoter { from } => write!(f, "TimeoutNow from {from}: not a voter"),
            Malformed { kind, from, defect } => write!(f, "malformed {kind} from {from}: {defect}"),
            ConflictsWithCommitted { from, index } => write!(
                f,
                "AppendEntries from {from} conflicts with committed entry {index}: refused"
            ),
            OverwritesCommitted { from, index } => write!(
                f,
                "UNSAFE: AppendEntries from {from} overwrites committed entry {index}"
            ),
            EntryDoesNotExtend { from } => {
                write!(
                    f,
                    "AppendEntries from {from}: entry does not extend the log"
                )
            }
            ReplyFromNonMember { kind, from } => write!(f, "{kind} from {from}: not a member"),
            MatchBeyondLog { from, match_index } => write!(
                f,
                "AppendEntriesReply from {from}: match {match_index} beyond my log"
            ),
            SnapshotBeyondLog { from, last_index } => write!(
                f,
                "InstallSnapshotReply from {from}: index {last_index} beyond my log"
            ),
        }
    }
}

/// What makes an AppendEntries or InstallSnapshot one that no correct leader
/// sends (the well-formedness checks run before the receiver's rules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Defect {
    /// prevLogTerm is greater than the message's term: no leader has an
    /// entry from a later term than its own.
    PrevLogTermAboveTerm {
        /// The message's prevLogTerm.
        prev_log_term: Term,
        /// The message's term.
        term: Term,
    },
    /// prevLogIndex 0 is "before the log", whose term is 0.
    PrevLogTermAtIndexZero,
    /// An entry would lie past [`LOG_INDEX_MAX`](crate::LOG_INDEX_MAX).
    IndexBeyondMax,
    /// Entries are not consecutive from prevLogIndex + 1.
    IndexNotNext {
        /// The entry's index.
        index: LogIndex,
        /// The index it should have.
        expected: LogIndex,
    },
    /// An entry's term is 0, above the message's term, or below the term
    /// before it (terms never decrease along a log).
    BadEntryTerm {
        /// The entry's index.
        index: LogIndex,
        /// Its term.
        term: Term,
    },
    /// A configuration (in an entry, or a snapshot's) lists a server as both
    /// learner and voter, breaking the invariant on
    /// [`Membership`](crate::Membership).
    LearnerVotes {
        /// The entry carrying the configuration; `None` for a snapshot's.
        entry: Option<LogIndex>,
        /// The server listed twice.
        learner: NodeId,
    },
    /// A snapshot whose last entry has index 0 or past `LOG_INDEX_MAX`, or
    /// term 0 or above the message's term.
    BadSnapshotLast {
        /// The snapshot's last index.
        last_index: LogIndex,
        /// The snapshot's last term.
        last_term: Term,
    },
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Defect::PrevLogTermAboveTerm {
                prev_log_term,
                term,
            } => write!(f, "prevLogTerm {prev_log_term} > term {term}"),
            Defect::PrevLogTermAtIndexZero => f.write_str("prevLogIndex 0 must have prevLogTerm 0"),
            Defect::IndexBeyondMax => f.write_str("index beyond the largest log index"),
            Defect::IndexNotNext { index, expected } => {
                write!(f, "entry index {index} where {expected} expected")
            }
            Defect::BadEntryTerm { index, term } => write!(f, "entry {index} has bad term {term}"),
            Defect::LearnerVotes { entry, learner } => {
                if let Some(index) = entry {
                    write!(f, "entry {index}: ")?;
                }
                write!(f, "server {learner} is both a learner and a voter")
            }
            Defect::BadSnapshotLast {
                last_index,
                last_term,
            } => write!(f, "last ({last_index}, {last_term})"),
        }
    }
}

/// Why a leader gave up leadership without seeing a higher term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepDownReason {
    /// CheckQuorum: an election timeout passed without hearing from a
    /// majority ([`Rule::CheckQuorum`]: thesis §6.2).
    CheckQuorum,
    /// The leader is not in the committed C_new ([`Rule::RemovedLeaderStepsDown`]: §6).
    RemovedFromConfiguration,
}

impl StepDownReason {
    /// The rule of the paper the leader applied in stepping down.
    pub fn rule(self) -> Rule {
        match self {
            StepDownReason::CheckQuorum => Rule::CheckQuorum,
            StepDownReason::RemovedFromConfiguration => Rule::RemovedLeaderStepsDown,
        }
    }
}

impl fmt::Display for StepDownReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepDownReason::CheckQuorum => "CheckQuorum: no majority heard",
            StepDownReason::RemovedFromConfiguration => "removed from the configuration",
        })
    }
}
