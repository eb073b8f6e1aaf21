//! The scenario's types: [`Setting`] and [`Action`] (one variant per
//! directive), [`Timed`], [`Scenario`] and [`ParseError`].

use std::fmt;

use super::settings::{BackoffMode, Settings, UnsafeSwitch};
use super::NodeId;
use crate::claim::Expect;
use crate::units::Ppm;

/// A directive that changes [`Settings`]: at the top of a scenario it sets the
/// initial value, after `at T` it changes it during the run.
///
/// Serialized (serde) as its directive text, e.g. `"loss 5%"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `election-timeout MIN MAX`
    ElectionTimeout {
        /// Lower bound.
        min_us: u64,
        /// Upper bound.
        max_us: u64,
    },
    /// `heartbeat EVERY`
    Heartbeat {
        /// Interval.
        every_us: u64,
    },
    /// `latency MIN MAX`
    Latency {
        /// Lower bound.
        min_us: u64,
        /// Upper bound.
        max_us: u64,
    },
    /// `loss P%`
    Loss(Ppm),
    /// `duplicate P%`
    Duplicate(Ppm),
    /// `reorder P%`
    Reorder(Ppm),
    /// `prevote on|off`
    PreVote(bool),
    /// `check-quorum on|off`
    CheckQuorum(bool),
    /// `sticky-leader on|off`
    StickyLeader(bool),
    /// `noop on|off`
    Noop(bool),
    /// `backoff decrement|hint`
    Backoff(BackoffMode),
    /// `unsafe SWITCH on|off`
    Unsafe(UnsafeSwitch, bool),
    /// `snapshot-every N|off`
    SnapshotEvery(Option<u64>),
}

/// A timeline action (or the same directive given to `Sim::act`).
///
/// Serialized (serde) as its directive text, e.g. `"crash 1"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `request "cmd"` (to the current leader) or `request N "cmd"`.
    Request {
        /// `None`: whichever node currently leads.
        to: Option<NodeId>,
        /// The command, e.g. `set a=5`.
        cmd: String,
    },
    /// `crash N`: the node loses its volatile state; messages to it are lost.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// `restart N`: the node comes back with what it persisted.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// `timeout N`: the node's election timer fires now.
    Timeout {
        /// The node.
        node: NodeId,
    },
    /// `partition 1 2 | 3 4 5`: only nodes in the same group can talk.
    Partition {
        /// Disjoint, non-empty groups. Nodes not named form one more group.
        groups: Vec<Vec<NodeId>>,
    },
    /// `isolate N`: the node can talk to nobody.
    Isolate {
        /// The node.
        node: NodeId,
    },
    /// `cut A B`: messages from A to B are lost (one direction).
    Cut {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
    },
    /// `restore A B`: undo `cut A B`.
    Restore {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
    },
    /// `heal`: remove every partition, isolation and cut.
    Heal,
    /// `drop ID`: lose the in-flight message with this id.
    Drop {
        /// Message id as shown in the trace and the view.
        id: u64,
    },
    /// `add N`: add server N as a voter (one server at a time).
    Add {
        /// The node (created empty if it does not exist yet).
        node: NodeId,
    },
    /// `add-learner N`: add server N as a non-voting learner.
    AddLearner {
        /// The node.
        node: NodeId,
    },
    /// `remove N`: remove server N (one server at a time).
    Remove {
        /// The node.
        node: NodeId,
    },
    /// `change 1 2 3 4 5`: joint consensus to this voter set (§6).
    Change {
        /// The new voters.
        voters: Vec<NodeId>,
    },
    /// `unsafe-change 1 2 3 4 5`: switch directly (needs `unsafe direct-change on`).
    UnsafeChange {
        /// The new voters.
        voters: Vec<NodeId>,
    },
    /// `transfer N`: the current leader hands leadership to N.
    Transfer {
        /// The target.
        to: NodeId,
    },
    /// `compact N`: node N snapshots its state machine and compacts its log.
    Compact {
        /// The node.
        node: NodeId,
    },
    /// A setting changed during the run.
    Set(Setting),
}

impl Action {
    /// The servers this action creates if they do not exist yet: the one
    /// `add N` or `add-learner N` names, or the voters of `change` and
    /// `unsafe-change`. Empty for every other action.
    pub fn created_nodes(&self) -> &[NodeId] {
        match self {
            Action::Add { node } | Action::AddLearner { node } => std::slice::from_ref(node),
            Action::Change { voters } | Action::UnsafeChange { voters } => voters,
            _ => &[],
        }
    }

    /// The servers this action is aimed at, in the order its line writes
    /// them; empty for the actions that create the servers they name (see
    /// [`Action::created_nodes`]) and for those that name none.
    pub fn target_nodes(&self) -> Vec<NodeId> {
        match self {
            Action::Crash { node }
            | Action::Restart { node }
            | Action::Timeout { node }
            | Action::Isolate { node }
            | Action::Remove { node }
            | Action::Compact { node }
            | Action::Transfer { to: node }
            | Action::Request { to: Some(node), .. } => vec![*node],
            Action::Cut { from, to } | Action::Restore { from, to } => vec![*from, *to],
            Action::Partition { groups } => groups.iter().flatten().copied().collect(),
            Action::Request { to: None, .. }
            | Action::Heal
            | Action::Drop { .. }
            | Action::Add { .. }
            | Action::AddLearner { .. }
            | Action::Change { .. }
            | Action::UnsafeChange { .. }
            | Action::Set(_) => Vec::new(),
        }
    }
}

/// One line of the timeline: an action at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Timed {
    /// When, in µs of virtual time.
    pub at_us: u64,
    /// What.
    pub action: Action,
}

/// A whole scenario: initial settings, the timeline, an optional run length
/// and claims about the run.
///
/// Invariant: `timeline` is sorted by `at_us` (ties keep their order).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scenario {
    /// The initial cluster.
    pub settings: Settings,
    /// Timeline actions in time order.
    pub timeline: Vec<Timed>,
    /// `run T`: how long the run lasts (CLI default end, UI hint).
    pub run_us: Option<u64>,
    /// `at TIME expect CLAIM` lines, in file order (not necessarily time
    /// order: claims do not take part in the timeline's order). They are not
    /// actions: the simulator ignores them; [`crate::claim::check_all`]
    /// checks them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expects: Vec<Expect>,
}

/// A parse error with a 1-based line and column (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What was expected / what is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}
