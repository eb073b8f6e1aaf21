//! Why a simulator could not be built.

use std::fmt;

use raft::NodeId;

/// Why a simulator could not be built. `Display` gives one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The settings break an invariant of [`Settings`](crate::Settings)
    /// (see [`Settings::check`](crate::Settings::check)); the text says which.
    InvalidSettings(String),
    /// [`SimOptions::checkpoint_every_us`](crate::SimOptions::checkpoint_every_us) is 0.
    CheckpointIntervalZero,
    /// The scenario's timeline is not sorted by time.
    TimelineOutOfOrder,
    /// A staged log (`log N ...`) could not be built into a Raft log.
    StagedLogInvalid {
        /// The node whose staged log it is.
        node: NodeId,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::InvalidSettings(why) => f.write_str(why),
            SimError::CheckpointIntervalZero => f.write_str("checkpoint interval must be > 0"),
            SimError::TimelineOutOfOrder => f.write_str("the timeline is not in time order"),
            SimError::StagedLogInvalid { node } => {
                write!(f, "node {node}'s staged log breaks the log invariants")
            }
        }
    }
}

impl std::error::Error for SimError {}
