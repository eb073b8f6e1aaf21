//! What the event queue holds, and its order: earliest `(time, seq)` first.

use std::cmp::Ordering;

use raft::NodeId;

/// What the queue holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Event {
    /// Deliver in-flight message `id` (skipped if it was dropped meanwhile).
    Deliver { id: u64 },
    /// Node's election timer, valid only if `gen` is still current.
    Election { node: NodeId, gen: u64 },
    /// Leader's heartbeat timer, valid only if `gen` is still current.
    Heartbeat { node: NodeId, gen: u64 },
    /// The minimum election timeout since the election timer was armed with
    /// `gen` (thesis §4.2.3: the leader lease ends). Valid while `gen` is the
    /// node's current election generation.
    Lease { node: NodeId, gen: u64 },
    /// A client request's deadline.
    ClientDeadline { req: u64 },
}

/// An event and when it happens. `seq` breaks ties in the order of pushing.
#[derive(Clone, Copy, Debug)]
pub(super) struct Queued {
    pub(super) time_us: u64,
    pub(super) seq: u64,
    pub(super) event: Event,
}

// BinaryHeap is a max-heap: reverse so the earliest (time, seq) comes first.
impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_us, other.seq).cmp(&(self.time_us, self.seq))
    }
}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        (self.time_us, self.seq) == (other.time_us, other.seq)
    }
}
impl Eq for Queued {}

/// What comes next: a timeline action or a queued event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ItemKind {
    Action,
    Event,
}
