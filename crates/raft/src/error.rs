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
        /// Human-readable explanation.
        reason: String,
    },
    /// `ConfChange::UnsafeDirect` needs `UnsafeSwitches::direct_membership_change`.
    UnsafeSwitchOff,
    /// The transfer target cannot take over.
    InvalidTransferTarget {
        /// The requested target.
        target: NodeId,
        /// Human-readable explanation.
        reason: String,
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
