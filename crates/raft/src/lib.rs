//! The Raft consensus algorithm (Ongaro & Ousterhout, "In Search of an
//! Understandable Consensus Algorithm", and Ongaro's thesis) as a pure,
//! deterministic, sans-IO state machine.
//!
//! A [`Node`] never reads a clock, draws a random number, touches the network
//! or the disk. The caller feeds it inputs and acts on its outputs:
//!
//! - **inputs**: [`Node::handle_election_timeout`] and
//!   [`Node::handle_heartbeat_timeout`] (the caller owns the timers and their
//!   random draws), [`Node::handle_message`], [`Node::propose`],
//!   [`Node::propose_conf_change`], [`Node::transfer_leadership`],
//!   [`Node::compact`];
//! - **output**: [`Node::ready`] returns a [`Ready`]: whether to persist
//!   [`Node::persistent`], a snapshot to install, committed entries to apply,
//!   messages to send, whether to re-draw the election timer, and events.
//!
//! The caller's loop is: *input → `ready()` → persist → install/apply → send*.
//! Persisting must happen before sending, because a vote or an acknowledged
//! entry that is forgotten after a crash breaks safety.
//!
//! ```
//! use raft::{Config, Membership, Message, Node, NodeId, Payload, Persistent};
//! use std::collections::BTreeMap;
//!
//! /// Three servers, their disks and state machines, and a FIFO network.
//! #[derive(Default)]
//! struct World {
//!     nodes: BTreeMap<NodeId, Node>,
//!     disk: BTreeMap<NodeId, Persistent>,
//!     applied: BTreeMap<NodeId, Vec<String>>,
//!     network: Vec<(NodeId, NodeId, Message)>,
//! }
//!
//! impl World {
//!     /// The caller's side of the loop for one node: persist, apply, send.
//!     fn drain(&mut self, id: NodeId) {
//!         let node = self.nodes.get_mut(&id).unwrap();
//!         let ready = node.ready();
//!         if ready.persist {
//!             self.disk.insert(id, node.persistent().clone()); // before sending anything
//!         }
//!         for entry in ready.apply {
//!             if let Payload::Command { cmd } = entry.payload {
//!                 self.applied.entry(id).or_default().push(cmd.to_string());
//!             }
//!         }
//!         self.network.extend(ready.messages.into_iter().map(|(to, m)| (id, to, m)));
//!     }
//!     /// Deliver every message, in order, until the network is quiet.
//!     fn run(&mut self) {
//!         while !self.network.is_empty() {
//!             let (from, to, msg) = self.network.remove(0);
//!             self.nodes.get_mut(&to).unwrap().handle_message(from, msg);
//!             self.drain(to);
//!         }
//!     }
//! }
//!
//! let members = Membership::new([1, 2, 3]);
//! let mut w = World::default();
//! for id in 1..=3 {
//!     w.nodes.insert(id, Node::new(Config::new(id), members.clone()));
//! }
//!
//! // Server 1's election timer fires first: it becomes a candidate and wins.
//! w.nodes.get_mut(&1).unwrap().handle_election_timeout();
//! w.drain(1);
//! w.run();
//! assert_eq!(w.nodes[&1].role(), raft::Role::Leader);
//!
//! // A client command: appended, replicated, committed, applied.
//! let (index, term) = w.nodes.get_mut(&1).unwrap().propose("x = 1".to_string()).unwrap();
//! assert_eq!((index, term), (2, 1)); // index 1 is the leader's start-of-term no-op
//! w.drain(1);
//! w.run();
//! assert_eq!(w.applied[&1], vec!["x = 1".to_string()]);
//!
//! // Followers learn the new commit index with the next heartbeat.
//! w.nodes.get_mut(&1).unwrap().handle_heartbeat_timeout();
//! w.drain(1);
//! w.run();
//! for id in 1..=3 {
//!     assert_eq!(w.nodes[&id].commit_index(), 2);
//!     assert_eq!(w.applied[&id], vec!["x = 1".to_string()]);
//! }
//! ```
//!
//! # Map of the crate (hold it beside the paper)
//!
//! | module        | implements |
//! |---------------|------------|
//! | `node`        | Figure 2 "State" and "Rules for All Servers", `handle_message` |
//! | `role`        | §5.1 roles and the Figure 4 transitions, as verbs (`become_leader`, ...) |
//! | `election`    | §5.2, §5.4.1, Pre-Vote and CheckQuorum (thesis §9.6, §4.2.3) |
//! | `replication` | §5.3, §5.4.2 (the Figure 8 commit rule), the conflict hint |
//! | `membership`  | §6 joint consensus, thesis ch. 4 single-server changes and learners |
//! | `snapshot`    | thesis ch. 5 (compaction, InstallSnapshot) |
//! | `transfer`    | thesis §3.10 leadership transfer (TimeoutNow) |
//! | `log`         | the log with its snapshot prefix |
//! | `message`     | the RPCs |
//! | `config`      | extension switches |
//! | `teaching`    | the teaching switches ([`UnsafeSwitch`], [`UnsafeSwitches`]) |
//! | `event`       | what a node reports ([`Event`]) |
//! | `reason`      | why it refused or stepped down ([`RejectReason`], [`StepDownReason`]) |
//! | `rule`        | the rules of the paper those name ([`Rule`]) |
//!
//! No input can make a node panic: malformed, stale, duplicated or forged
//! messages are handled or rejected (with [`Event::Rejected`], whose
//! [`RejectReason`] names the [`Rule`] it applied), and all index arithmetic
//! is checked or saturating.

// Every public item is documented: students read these docs beside the paper.
#![warn(missing_docs)]

mod config;
mod election;
mod error;
mod event;
mod log;
mod membership;
mod message;
mod node;
mod reason;
mod replication;
mod role;
mod rule;
mod snapshot;
mod teaching;
mod transfer;
mod vec_map;

pub use config::{Backoff, Config};
pub use error::{CompactError, ConfChangeProblem, ProposeError, TransferProblem};
pub use event::Event;
pub use log::Log;
pub use membership::{ConfChange, Membership};
pub use message::{Entry, Message, MessageKind, Payload, Snapshot};
pub use node::{Node, Persistent, Progress, Ready};
pub use reason::{Defect, RejectReason, StepDownReason};
pub use role::Role;
pub use rule::Rule;
pub use teaching::{UnsafeSwitch, UnsafeSwitches};
pub use vec_map::VecMap;

/// A server's id. Servers are numbered from 1.
pub type NodeId = u32;
/// A Raft term (§5.1): a logical clock that only increases.
pub type Term = u64;
/// A log position; the first real entry has index 1, 0 means "before the log".
pub type LogIndex = u64;
/// The highest index a log may hold. One below `u64::MAX`, so that a
/// leader's nextIndex (`matchIndex + 1`) for any entry is representable: a
/// log at this index refuses to grow ([`ProposeError::LogFull`]), and a
/// message that would take a log past it is rejected as malformed.
pub const LOG_INDEX_MAX: LogIndex = u64::MAX - 1;
