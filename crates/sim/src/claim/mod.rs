//! Claims: `at TIME expect CLAIM` lines, facts about the run at a moment,
//! checked against the simulator there (docs/scenarios.md, "Claims"). A
//! regression scenario states what must hold (`raftlab check` fails when it
//! does not); a lesson whose narration says "node 3 becomes leader" carries
//! `expect leader 3`, and the lesson test (and the app) checks it.
//!
//! A claim is not an action: it is kept in [`crate::Scenario::expects`], not
//! on the timeline, and the simulator ignores it. [`check_all`] runs a
//! scenario once and checks each claim at its moment: after every event at or
//! before its time (the moment the app shows when it seeks there).
//!
//! One job per file: the types here; `parse` (the text after `expect`),
//! `print` (the same text back), `check` (a claim against a `Sim`, and
//! [`check_all`] / [`check_claims`] for a scenario's claims), `unmet` (why a
//! claim does not hold: [`Unmet`]), `subjects` (what a claim is about,
//! for the page to point at: [`Claim::subjects`]).

mod check;
mod parse;
mod print;
mod subjects;
mod unmet;

use raft::{LogIndex, NodeId, Role, Term};

use crate::trace::ClientResult;
use crate::Property;

pub use check::{check_all, check_claims, ClaimFailure};
pub use parse::{parse_claim, parse_property};
pub use subjects::{message_kind, EntryAt, EntryRef, MessageRef, Subjects, MESSAGE_KINDS};
pub use unmet::{LogSummary, Unmet};

/// A node's role as a claim names it; `Down` is a crashed node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleClaim {
    /// `follower`
    Follower,
    /// `precandidate` (Pre-Vote's first phase)
    PreCandidate,
    /// `candidate`
    Candidate,
    /// `leader`
    Leader,
    /// `down`: crashed (not running).
    Down,
}

impl RoleClaim {
    pub(crate) const ALL: [(RoleClaim, &'static str); 5] = [
        (RoleClaim::Follower, "follower"),
        (RoleClaim::PreCandidate, "precandidate"),
        (RoleClaim::Candidate, "candidate"),
        (RoleClaim::Leader, "leader"),
        (RoleClaim::Down, "down"),
    ];

    /// The keyword.
    pub fn name(self) -> &'static str {
        RoleClaim::ALL
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("?", |(_, n)| n)
    }

    pub(crate) fn from_name(w: &str) -> Option<RoleClaim> {
        RoleClaim::ALL
            .iter()
            .find(|(_, n)| *n == w)
            .map(|(r, _)| *r)
    }

    /// The claim's name for a node's role (`None`: the node is down).
    pub fn of(role: Option<Role>) -> RoleClaim {
        match role {
            None => RoleClaim::Down,
            Some(Role::Follower) => RoleClaim::Follower,
            Some(Role::PreCandidate) => RoleClaim::PreCandidate,
            Some(Role::Candidate) => RoleClaim::Candidate,
            Some(Role::Leader) => RoleClaim::Leader,
        }
    }
}

/// The outcome of a client request as the trace reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientClaim {
    /// Proposed at a leader, not answered yet.
    Pending,
    /// Committed and answered.
    Ok,
    /// Not answered in time (or its entry was overwritten).
    Timeout,
    /// The node asked was not the leader.
    Redirect,
    /// No leader to ask.
    Unavailable,
    /// Refused.
    Rejected,
}

impl ClientClaim {
    pub(crate) const ALL: [(ClientClaim, &'static str); 6] = [
        (ClientClaim::Pending, "pending"),
        (ClientClaim::Ok, "ok"),
        (ClientClaim::Timeout, "timeout"),
        (ClientClaim::Redirect, "redirect"),
        (ClientClaim::Unavailable, "unavailable"),
        (ClientClaim::Rejected, "rejected"),
    ];

    /// The keyword (the trace's `result`, or `pending`).
    pub fn name(self) -> &'static str {
        ClientClaim::ALL
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("?", |(_, n)| n)
    }
}

impl From<ClientResult> for ClientClaim {
    /// The claim a `client` event's result makes true.
    fn from(r: ClientResult) -> ClientClaim {
        match r {
            ClientResult::Ok => ClientClaim::Ok,
            ClientResult::Redirect => ClientClaim::Redirect,
            ClientResult::Timeout => ClientClaim::Timeout,
            ClientResult::Unavailable => ClientClaim::Unavailable,
            ClientResult::Rejected => ClientClaim::Rejected,
        }
    }
}

/// What a claim states. The syntax of each variant is in its doc line and in docs/scenarios.md.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "claim", rename_all = "kebab-case")]
pub enum Claim {
    /// `ROLE N... [term T]`: each node has this role (and term). `leader 3 term 2`, `down 1`.
    Role {
        /// The role.
        role: RoleClaim,
        /// The nodes.
        nodes: Vec<NodeId>,
        /// The term, if stated.
        term: Option<Term>,
    },
    /// `no-leader`: no running node is a leader.
    NoLeader,
    /// `leaders N...`: exactly these running nodes believe they lead (any terms).
    Leaders {
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `votes N from M...`: node N (candidate, or leader of its current
    /// term) holds exactly the votes of these nodes (itself included).
    Votes {
        /// The candidate or leader.
        node: NodeId,
        /// The voters.
        from: Vec<NodeId>,
    },
    /// `committed [I] "CMD" on N...`: each node's log holds the command (at index I) and has committed it.
    Committed {
        /// The index, if stated.
        index: Option<LogIndex>,
        /// The command.
        cmd: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `uncommitted [I] "CMD" on N...`: each node's log holds the command, not yet committed.
    Uncommitted {
        /// The index, if stated.
        index: Option<LogIndex>,
        /// The command.
        cmd: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `absent "CMD" on N...`: the command is in none of these logs.
    Absent {
        /// The command.
        cmd: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `commit-index I on N...`
    CommitIndex {
        /// The commit index.
        index: LogIndex,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `kv KEY=VALUE on N...`: the nodes' state machines hold this value.
    Kv {
        /// Key.
        key: String,
        /// Value.
        value: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `log-terms T... on N...`: each node's log has exactly entries of these terms (`log-terms on 3`: empty).
    LogTerms {
        /// Term of entry 1, 2, ...
        terms: Vec<Term>,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `logs-match N...`: these logs are identical (same entries, same length).
    LogsMatch {
        /// The nodes (two or more).
        nodes: Vec<NodeId>,
    },
    /// `next-index L for F is I`: leader L's nextIndex for follower F.
    NextIndex {
        /// The leader.
        leader: NodeId,
        /// The follower.
        follower: NodeId,
        /// nextIndex.
        index: LogIndex,
    },
    /// `rejected-appends F is N`: follower F has sent exactly N failed AppendEntries replies so far.
    RejectedAppends {
        /// The follower.
        follower: NodeId,
        /// How many.
        count: u64,
    },
    /// `client "CMD" RESULT`: the latest outcome of this request (`pending` = proposed, not answered).
    Client {
        /// The command.
        cmd: String,
        /// The outcome.
        result: ClientClaim,
    },
    /// `violation "PROPERTY"`: the safety checker has flagged this property by now.
    Violation {
        /// The property.
        property: Property,
    },
    /// `no-violation`: the safety checker has flagged nothing so far.
    NoViolation,
}

/// One `at TIME expect CLAIM` line: the moment, the claim and where it was
/// written.
///
/// Equality compares the moment and the claim only: where a line was written
/// is not what it means, so a printed and re-parsed scenario is equal to the
/// original.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Expect {
    /// The moment (µs of virtual time): the claim holds after every event at
    /// or before it.
    pub at_us: u64,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column of the claim (its first word, after `expect`).
    pub column: usize,
    /// What is claimed.
    pub claim: Claim,
}

impl PartialEq for Expect {
    fn eq(&self, other: &Expect) -> bool {
        self.at_us == other.at_us && self.claim == other.claim
    }
}

impl Eq for Expect {}
