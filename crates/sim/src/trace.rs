//! The trace: one structured event per thing that happened, serialized as
//! JSON Lines (`{"t":..,"ev":"..",...}`). The CLI writes it, the browser's
//! event log and timeline markers read it, tests assert on it.
//!
//! Fields whose values are a closed set are enums ([`DropReason`],
//! [`EntryKind`], [`ClientResult`], [`ChangeResult`], [`Removal`], and the
//! view's [`MembershipRole`]); each serializes to the same word the JSON
//! trace has always had (`as_str`). A change or a setting is the typed
//! [`Action`] or [`Setting`], serialized as its directive text.

mod json;
mod line;
mod rule_of;

use std::fmt;
use std::sync::Arc;

use raft::{LogIndex, Message, NodeId, RejectReason, Role, StepDownReason, Term};

use crate::checker::Violation;
use crate::scenario::{Action, Setting};

pub use json::role_word;
pub use rule_of::rules_at;

/// An enum of words: each variant is one word of the trace's JSON. Gives the
/// enum `ALL`, `as_str`, `Display` (the word) and `Serialize` (the word as a
/// string), so that the word is written in exactly one place.
macro_rules! words {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $word:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word the JSON trace writes.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $word, )+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

words! {
    /// Why a message was lost (`drop` events).
    pub enum DropReason {
        /// The network lost it (`loss P%`).
        Loss => "loss",
        /// Sender and receiver are in different partition groups (or one is isolated).
        Partition => "partition",
        /// The directed link is cut (`cut A B`).
        Cut => "cut",
        /// It was in flight to a server that crashed.
        Crash => "crash",
        /// It arrived at a server that is down.
        Down => "down",
        /// Its receiver was shut down for good (see [`Removal`]).
        Removed => "removed",
        /// The user dropped it (`drop ID`).
        User => "user",
        /// It was sent to a server that does not exist (yet).
        UnknownNode => "unknown node",
    }
}

words! {
    /// What a log entry holds (`commit` events, the view, the `final` line).
    pub enum EntryKind {
        /// A client command.
        Command => "command",
        /// A new leader's no-op of its term (§8).
        Noop => "noop",
        /// A configuration (§6).
        Config => "config",
    }
}

words! {
    /// A client request's outcome (`client` events).
    pub enum ClientResult {
        /// Committed and applied at the node asked, in the term it was proposed.
        Ok => "ok",
        /// The node asked was not the leader (`leader` names its guess).
        Redirect => "redirect",
        /// No answer in time, or the entry was overwritten.
        Timeout => "timeout",
        /// Nobody to ask: no leader, or the node asked is not running.
        Unavailable => "unavailable",
        /// The leader refused it.
        Rejected => "rejected",
    }
}

words! {
    /// What became of a membership change or leadership transfer (`change` events).
    pub enum ChangeResult {
        /// The leader accepted it.
        Proposed => "proposed",
        /// There was no leader to ask.
        Unavailable => "unavailable",
        /// The leader (or the simulator, for a switch that is off) refused it.
        Rejected => "rejected",
    }
}

words! {
    /// A server's place in a configuration, as the view shows it.
    pub enum MembershipRole {
        /// A voter (in C_new during joint consensus).
        Voter => "voter",
        /// Only in C_old during joint consensus.
        Outgoing => "outgoing",
        /// A non-voting learner.
        Learner => "learner",
        /// Not in the configuration.
        NotMember => "none",
    }
}

/// Writes a typed reason as its sentence: the trace's JSON keeps the text
/// it has always had (and the pinned hash with it).
fn as_sentence<T: fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// One trace event at virtual time `t` (µs).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TraceEvent {
    /// Virtual time in µs.
    pub t: u64,
    /// What happened.
    #[serde(flatten)]
    pub ev: Ev,
}

/// Why the operator shut a server down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Removal {
    /// A leader committed a configuration (entry `index`) that no longer
    /// includes the server.
    Excluded,
    /// The operator had started the server for a change proposed at entry
    /// `index`, and another entry was committed at that index: the change was
    /// lost, so the server belongs to no configuration.
    Lost,
}

/// What happened. Serialized with an `ev` tag, e.g. `{"ev":"crash","node":1}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "ev", rename_all = "lowercase")]
pub enum Ev {
    /// A node's role or term changed.
    Role {
        /// The node.
        node: NodeId,
        /// New role.
        role: Role,
        /// New term.
        term: Term,
    },
    /// A node won an election.
    Leader {
        /// The node.
        node: NodeId,
        /// Its term.
        term: Term,
        /// Who voted for it.
        votes: Vec<NodeId>,
    },
    /// A message was sent (it may still be dropped).
    Send {
        /// Message id (unique in the run).
        id: u64,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// When it will arrive, if it is not dropped.
        deliver_us: u64,
        /// The message.
        msg: Arc<Message>,
    },
    /// A message arrived.
    Deliver {
        /// Message id.
        id: u64,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// The message.
        msg: Arc<Message>,
    },
    /// A message was lost.
    Drop {
        /// Message id.
        id: u64,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Why.
        reason: DropReason,
        /// The message.
        msg: Arc<Message>,
    },
    /// An entry became committed and was applied at a node.
    Commit {
        /// The node.
        node: NodeId,
        /// Entry index.
        index: LogIndex,
        /// Entry term.
        term: Term,
        /// What the entry holds.
        kind: EntryKind,
        /// The entry as the `final` line's logs and the view describe it: the
        /// command, `""` for a no-op, the configuration (`voters 1,2,3 old
        /// 1,2 learners 4`) for a configuration entry.
        cmd: String,
    },
    /// A node crashed.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// The operator shut a server down for good (thesis §4.2.3): see [`Removal`].
    Removed {
        /// The server.
        node: NodeId,
        /// Index of the configuration entry the removal is about.
        index: LogIndex,
        /// Why.
        why: Removal,
    },
    /// A node restarted from its persistent state.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// A node's election timer fired (`forced`: by a `timeout` action).
    Timeout {
        /// The node.
        node: NodeId,
        /// True for the `timeout N` action.
        forced: bool,
    },
    /// The network was partitioned into these groups.
    Partition {
        /// Every server in exactly one group, in the order the network
        /// numbers them: first the servers the directive did not name (if
        /// any), then each named group. Servers that do not exist yet are
        /// listed too: the groups apply to them once they are added.
        groups: Vec<Vec<NodeId>>,
    },
    /// A node was isolated.
    Isolate {
        /// The node.
        node: NodeId,
    },
    /// The directed link from -> to was cut.
    Cut {
        /// Sender side.
        from: NodeId,
        /// Receiver side.
        to: NodeId,
    },
    /// The directed link from -> to was restored.
    Restore {
        /// Sender side.
        from: NodeId,
        /// Receiver side.
        to: NodeId,
    },
    /// Every partition, isolation and cut was removed.
    Heal,
    /// A client request was proposed at a leader.
    Request {
        /// The leader.
        node: NodeId,
        /// The command.
        cmd: String,
        /// Where it was appended.
        index: LogIndex,
        /// In which term.
        term: Term,
    },
    /// A client request's outcome.
    Client {
        /// The node the client talked to (0 if there was none).
        node: NodeId,
        /// The command.
        cmd: String,
        /// The outcome.
        result: ClientResult,
        /// For `redirect`: the leader the node suggested.
        #[serde(skip_serializing_if = "Option::is_none")]
        leader: Option<NodeId>,
        /// For `ok`/`timeout`: the entry's index.
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<LogIndex>,
        /// Why (for `timeout`, `unavailable`, `rejected`).
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A membership change or leadership transfer was asked for.
    Change {
        /// The leader asked (0 if there was none).
        node: NodeId,
        /// The directive (`add 6`, `transfer 2`); serialized as its text.
        change: Action,
        /// The outcome.
        result: ChangeResult,
        /// Details (index for proposed, reason otherwise).
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A configuration took effect at a node.
    Membership {
        /// The node.
        node: NodeId,
        /// Voters (C_new during joint consensus).
        voters: Vec<NodeId>,
        /// C_old during joint consensus, else empty.
        outgoing: Vec<NodeId>,
        /// Learners.
        learners: Vec<NodeId>,
    },
    /// A leader stepped down.
    Stepdown {
        /// The node.
        node: NodeId,
        /// Why, and the rule it applies ([`StepDownReason::rule`]);
        /// serialized as its sentence.
        #[serde(serialize_with = "as_sentence")]
        reason: StepDownReason,
    },
    /// A node ignored an input (stale term, unknown peer ...).
    Reject {
        /// The node.
        node: NodeId,
        /// Why, and the rule it applies ([`RejectReason::rule`]);
        /// serialized as its sentence.
        #[serde(serialize_with = "as_sentence")]
        reason: RejectReason,
    },
    /// A node compacted its log into a snapshot.
    Compact {
        /// The node.
        node: NodeId,
        /// Last index included in the snapshot.
        index: LogIndex,
    },
    /// A node installed a snapshot sent by the leader.
    Snapshot {
        /// The node.
        node: NodeId,
        /// Last index included.
        index: LogIndex,
        /// Its term.
        term: Term,
    },
    /// A setting changed during the run.
    Setting {
        /// E.g. `prevote on`; serialized as its directive text.
        setting: Setting,
    },
    /// Something a scenario author should know (e.g. `drop 117` found no such message).
    Note {
        /// Text.
        text: String,
    },
    /// A safety property was violated.
    Violation(Violation),
}

/// FNV-1a, 64 bit: a fixed, tiny hash so that the browser tests can compare
/// the wasm build's trace with the native one.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_update(FNV_OFFSET, bytes)
}

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

pub(crate) fn fnv1a64_update(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Hash of a trace: FNV-1a of its JSON Lines text (each line + `\n`),
/// computed line by line so a long trace is never held as one string.
pub fn trace_hash(events: &[TraceEvent]) -> u64 {
    events.iter().fold(FNV_OFFSET, |h, e| {
        fnv1a64_update(fnv1a64_update(h, e.to_json().as_bytes()), b"\n")
    })
}
