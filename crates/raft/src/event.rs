//! What a node reports about itself in [`Ready::events`](crate::Ready::events):
//! for the view and the trace, never needed for correctness.

use serde::{Deserialize, Serialize};

use crate::membership::Membership;
use crate::reason::{RejectReason, StepDownReason};
use crate::role::Role;
use crate::{LogIndex, NodeId, Term};

/// Something that happened inside a node, for the view and the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The role or the term changed.
    RoleChanged {
        /// New role.
        role: Role,
        /// New term.
        term: Term,
    },
    /// The node won an election.
    BecameLeader {
        /// The term it leads.
        term: Term,
        /// Who voted for it (itself included).
        votes: Vec<NodeId>,
    },
    /// The commit index advanced to `index`.
    Committed {
        /// New commit index.
        index: LogIndex,
    },
    /// A configuration took effect (appended, truncated away, or from a snapshot).
    MembershipChanged {
        /// The configuration now in effect.
        membership: Membership,
    },
    /// A leader gave up leadership without seeing a higher term.
    SteppedDown {
        /// Why, and the rule of the paper that says so.
        reason: StepDownReason,
    },
    /// An input was ignored (stale term, unknown peer, malformed ...).
    Rejected {
        /// Why, and the rule of the paper that says so.
        reason: RejectReason,
    },
}
