//! Errors returned to the caller of [`crate::Node`]'s commands: the §8
//! redirect to the leader (`NotLeader`), the thesis §4.1 rules for
//! configuration changes (one at a time, not before the leader commits an
//! entry of its term), thesis §3.10 transfers and ch. 5 compaction.

use serde::{Deserialize, Serialize};

use crate::{LogIndex, NodeId};

/// Why a proposal, configuration change or leadership transfer was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposeError {
    /// Only the leader accepts proposals (§8: clients are redirected to the
    /// leader). `leader_hint` is the leader this node knows of, if any.
    NotLeader {
        /// The leader to redirect the client to.
        leader_hint: Option<NodeId>,
    },
    /// A leadership transfer is in progress: the leader accepts no new
    /// proposals until it ends (thesis §3.10).
    TransferInProgress {
        /// The server taking over.
        target: NodeId,
    },
    /// A configuration change is not yet committed (or a joint configuration
    /// is not yet finished): only one at a time (thesis §4.1).
    ConfChangePending,
    /// The leader has not yet committed an entry of its own term, so it may
    /// not know the latest committed configuration (thesis §4.1, the fix to
    /// the single-server change bug).
    NoCommitInTerm,
    /// The change makes no sense for the current configuration.
    InvalidConfChange {
        /// What is wrong with it.
        reason: ConfChangeProblem,
    },
    /// `ConfChange::UnsafeDirect` needs teaching switch (d),
    /// [`UnsafeSwitch::DirectChange`](crate::UnsafeSwitch::DirectChange).
    UnsafeSwitchOff,
    /// The transfer target cannot take over.
    InvalidTransferTarget {
        /// The requested target.
        target: NodeId,
        /// Why it cannot.
        reason: TransferProblem,
    },
    /// The log index space (u64) is exhausted.
    LogFull,
}

impl std::fmt::Display for ProposeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProposeError::NotLeader {
                leader_hint: Some(l),
            } => write!(f, "not the leader; try {l}"),
            ProposeError::NotLeader { leader_hint: None } => {
                write!(f, "not the leader; leader unknown")
            }
            ProposeError::TransferInProgress { target } => {
                write!(f, "leadership transfer to {target} in progress")
            }
            ProposeError::ConfChangePending => {
                write!(f, "a configuration change is still uncommitted")
            }
            ProposeError::NoCommitInTerm => {
                write!(f, "the leader has not committed an entry of its term yet")
            }
            ProposeError::InvalidConfChange { reason } => {
                write!(f, "invalid configuration change: {reason}")
            }
            ProposeError::UnsafeSwitchOff => {
                // The field's name before it became `direct_change`; the
                // sentence stays as it was (callers may show it).
                write!(
                    f,
                    "direct membership change needs unsafe_switches.direct_membership_change"
                )
            }
            ProposeError::InvalidTransferTarget { target, reason } => {
                write!(f, "cannot transfer leadership to {target}: {reason}")
            }
            ProposeError::LogFull => write!(f, "log index space exhausted"),
        }
    }
}

impl std::error::Error for ProposeError {}

/// Why a configuration change is invalid for the current configuration
/// (`Membership::apply_change`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfChangeProblem {
    /// Adding a server that already votes.
    AlreadyVoter,
    /// Adding as a learner a server that already is one.
    AlreadyLearner,
    /// A single-server change during joint consensus: one change at a time
    /// (thesis §4.1, §6).
    JointInProgress,
    /// Removing a server that is not a member.
    NotMember,
    /// Removing the only voter: a configuration needs a majority (§5.2).
    LastVoter,
    /// A C_new without voters.
    NoVoters,
    /// A joint change to the voters already in effect.
    SameVoters,
}

impl std::fmt::Display for ConfChangeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConfChangeProblem::AlreadyVoter => "already a voter",
            ConfChangeProblem::AlreadyLearner => "already a learner",
            ConfChangeProblem::JointInProgress => "joint consensus in progress",
            ConfChangeProblem::NotMember => "not a member",
            ConfChangeProblem::LastVoter => "cannot remove the last voter",
            ConfChangeProblem::NoVoters => "C_new has no voters",
            ConfChangeProblem::SameVoters => "C_new equals C_old",
        })
    }
}

/// Why a leadership transfer's target cannot take over (thesis §3.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferProblem {
    /// The target is the leader itself.
    AlreadyLeader,
    /// The target does not vote in the leader's configuration, so it could
    /// not win an election.
    NotVoter,
}

impl std::fmt::Display for TransferProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransferProblem::AlreadyLeader => "already the leader",
            TransferProblem::NotVoter => "not a voter",
        })
    }
}

/// Why `Node::compact` refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompactError {
    /// `up_to` is already inside the snapshot (or is 0).
    AlreadyCompacted {
        /// The requested index.
        up_to: LogIndex,
        /// The current snapshot's last index.
        snapshot_index: LogIndex,
    },
    /// Only applied entries can be compacted: the snapshot is the state
    /// machine's image after applying them.
    NotApplied {
        /// The requested index.
        up_to: LogIndex,
        /// The node's lastApplied.
        last_applied: LogIndex,
    },
}

impl std::fmt::Display for CompactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompactError::AlreadyCompacted {
                up_to,
                snapshot_index,
            } => {
                write!(
                    f,
                    "cannot compact up to {up_to}: snapshot already covers {snapshot_index}"
                )
            }
            CompactError::NotApplied {
                up_to,
                last_applied,
            } => {
                write!(
                    f,
                    "cannot compact up to {up_to}: only {last_applied} applied"
                )
            }
        }
    }
}

impl std::error::Error for CompactError {}
