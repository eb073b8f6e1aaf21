//! Why a claim does not hold ([`Unmet`], what [`Claim::check`](super::Claim::check)
//! returns): what the run shows instead, as typed values.
//!
//! `Display` gives the English sentence that `raftlab check`, the lesson
//! test and `raftlab.lesson()` print; the page composes its own sentence
//! from the typed fields, in either language. Change a sentence only on
//! purpose (the test `every_unmet_displays_its_sentence` lists them all).

use std::fmt;

use raft::{LogIndex, NodeId, Role, Term};

use super::{ClientClaim, RoleClaim};
use crate::scenario::join;
use crate::Violation;

/// A node's log as a failed claim reports it: the term of each entry (from
/// the first one kept) and the commit index. Displays as `[1 1 2] commit 3`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogSummary {
    /// The term of each entry, in log order.
    pub terms: Vec<Term>,
    /// The node's commitIndex.
    pub commit: LogIndex,
}

impl LogSummary {
    /// The log of `node` as it is now.
    pub fn of(node: &raft::Node) -> LogSummary {
        LogSummary {
            terms: node.log().entries().map(|e| e.term).collect(),
            commit: node.commit_index(),
        }
    }
}

impl fmt::Display for LogSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let terms: Vec<String> = self.terms.iter().map(Term::to_string).collect();
        write!(f, "[{}] commit {}", terms.join(" "), self.commit)
    }
}

/// Why a claim does not hold: what the run shows instead. One variant per
/// sentence; the node lists are sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmet {
    /// A node the claim names is not running: `node 3 is down`.
    Down {
        /// The node.
        node: NodeId,
    },
    /// A node has another role or term than claimed (or, for `no-leader`,
    /// is a leader): `node 3 is follower in term 2`.
    Role {
        /// The node.
        node: NodeId,
        /// Its role.
        role: Role,
        /// Its currentTerm.
        term: Term,
    },
    /// The running leaders are not the ones claimed: `the leaders are [1 3]`.
    Leaders {
        /// Every running node whose role is leader.
        leaders: Vec<NodeId>,
    },
    /// `votes` names a follower, which holds no votes: `node 3 is a follower in term 2`.
    VotesOfFollower {
        /// The node.
        node: NodeId,
        /// Its currentTerm.
        term: Term,
    },
    /// The candidate or leader holds other votes: `node 3 holds the votes of [1 3]`.
    Votes {
        /// The candidate or leader.
        node: NodeId,
        /// The nodes whose votes it holds.
        from: Vec<NodeId>,
    },
    /// The node's log lacks the command (at the claimed index):
    /// `node 2 does not hold "x=1" (log [1] commit 0)`.
    NotHeld {
        /// The node.
        node: NodeId,
        /// The command.
        cmd: String,
        /// Its log.
        log: LogSummary,
    },
    /// The node holds the command but has not committed it:
    /// `node 2 holds "x=1" at 3 but has committed only up to 2`.
    NotCommitted {
        /// The node.
        node: NodeId,
        /// The command.
        cmd: String,
        /// The command's index.
        index: LogIndex,
        /// The node's commitIndex.
        commit: LogIndex,
    },
    /// The node has committed a command claimed uncommitted:
    /// `node 2 has already committed "x=1" (index 3)`.
    AlreadyCommitted {
        /// The node.
        node: NodeId,
        /// The command.
        cmd: String,
        /// The command's index.
        index: LogIndex,
    },
    /// The node holds a command claimed absent: `node 2 holds "x=1" at index 3`.
    Present {
        /// The node.
        node: NodeId,
        /// The command.
        cmd: String,
        /// The command's index.
        index: LogIndex,
    },
    /// The node has another commitIndex: `node 2 has commit index 4`.
    CommitIndex {
        /// The node.
        node: NodeId,
        /// Its commitIndex.
        commit: LogIndex,
    },
    /// The node's state machine holds another value: `node 2 has a=4`.
    KvValue {
        /// The node.
        node: NodeId,
        /// The key.
        key: String,
        /// The value it holds.
        value: String,
    },
    /// The node's state machine has no value for the key: `node 2 has no value for a`.
    KvMissing {
        /// The node.
        node: NodeId,
        /// The key.
        key: String,
    },
    /// The node's log has other terms: `node 2's log is [1 1] commit 2`.
    LogIs {
        /// The node.
        node: NodeId,
        /// Its log.
        log: LogSummary,
    },
    /// Two logs claimed identical differ:
    /// `node 1's log [1 2] commit 2 differs from node 3's [1] commit 1`.
    LogsDiffer {
        /// The first node the claim names.
        first: NodeId,
        /// Its log.
        first_log: LogSummary,
        /// The first node whose log differs from it.
        other: NodeId,
        /// That node's log.
        other_log: LogSummary,
    },
    /// `next-index` names a node that is not a leader: `node 2 is not a leader`.
    NotLeader {
        /// The node.
        node: NodeId,
    },
    /// The leader's nextIndex for the follower is another:
    /// `leader 1's nextIndex for 3 is 5`.
    NextIndex {
        /// The leader.
        leader: NodeId,
        /// The follower.
        follower: NodeId,
        /// The leader's nextIndex for it.
        next_index: LogIndex,
    },
    /// The leader keeps no progress for the follower (not in its
    /// configuration): `leader 1 tracks no progress for node 6`.
    NoProgress {
        /// The leader.
        leader: NodeId,
        /// The follower.
        follower: NodeId,
    },
    /// The follower has refused another number of AppendEntries:
    /// `node 3 has rejected 2 AppendEntries so far`.
    RejectedAppends {
        /// The follower.
        follower: NodeId,
        /// How many failed AppendEntries replies it has sent so far.
        count: u64,
    },
    /// The request has another outcome so far: `the request "x=1" is pending`.
    Client {
        /// The command.
        cmd: String,
        /// Its latest outcome.
        result: ClientClaim,
    },
    /// No request for the command so far: `nobody has asked for "x=1" yet`.
    NotAsked {
        /// The command.
        cmd: String,
    },
    /// A violation is claimed but the checker found none:
    /// `the safety checker has flagged nothing`.
    NothingFlagged,
    /// The checker flagged other properties than the one claimed:
    /// `the safety checker flagged only: Election Safety, Log Matching`.
    FlaggedOnly {
        /// The property of each violation found, in the order found.
        properties: Vec<crate::Property>,
    },
    /// No violation is claimed but the checker flagged one:
    /// `the safety checker flagged Election Safety: nodes 1 and 2 were …`.
    Flagged {
        /// The first violation found.
        violation: Violation,
    },
}

impl fmt::Display for Unmet {
    // A table: one short arm per variant, each the sentence printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Unmet::*;
        match self {
            Down { node } => write!(f, "node {node} is down"),
            Role { node, role, term } => {
                let name = RoleClaim::of(Some(*role)).name();
                write!(f, "node {node} is {name} in term {term}")
            }
            Leaders { leaders } => write!(f, "the leaders are [{}]", join(leaders)),
            VotesOfFollower { node, term } => {
                write!(f, "node {node} is a follower in term {term}")
            }
            Votes { node, from } => write!(f, "node {node} holds the votes of [{}]", join(from)),
            NotHeld { node, cmd, log } => {
                write!(f, "node {node} does not hold \"{cmd}\" (log {log})")
            }
            NotCommitted {
                node,
                cmd,
                index,
                commit,
            } => write!(
                f,
                "node {node} holds \"{cmd}\" at {index} but has committed only up to {commit}"
            ),
            AlreadyCommitted { node, cmd, index } => write!(
                f,
                "node {node} has already committed \"{cmd}\" (index {index})"
            ),
            Present { node, cmd, index } => {
                write!(f, "node {node} holds \"{cmd}\" at index {index}")
            }
            CommitIndex { node, commit } => write!(f, "node {node} has commit index {commit}"),
            KvValue { node, key, value } => write!(f, "node {node} has {key}={value}"),
            KvMissing { node, key } => write!(f, "node {node} has no value for {key}"),
            LogIs { node, log } => write!(f, "node {node}'s log is {log}"),
            LogsDiffer {
                first,
                first_log,
                other,
                other_log,
            } => write!(
                f,
                "node {first}'s log {first_log} differs from node {other}'s {other_log}"
            ),
            NotLeader { node } => write!(f, "node {node} is not a leader"),
            NextIndex {
                leader,
                follower,
                next_index,
            } => write!(
                f,
                "leader {leader}'s nextIndex for {follower} is {next_index}"
            ),
            NoProgress { leader, follower } => {
                write!(f, "leader {leader} tracks no progress for node {follower}")
            }
            RejectedAppends { follower, count } => {
                write!(
                    f,
                    "node {follower} has rejected {count} AppendEntries so far"
                )
            }
            Client { cmd, result } => write!(f, "the request \"{cmd}\" is {}", result.name()),
            NotAsked { cmd } => write!(f, "nobody has asked for \"{cmd}\" yet"),
            NothingFlagged => f.write_str("the safety checker has flagged nothing"),
            FlaggedOnly { properties } => {
                let names: Vec<&str> = properties.iter().map(|p| p.title()).collect();
                write!(f, "the safety checker flagged only: {}", names.join(", "))
            }
            Flagged { violation } => write!(
                f,
                "the safety checker flagged {}: {}",
                violation.property.title(),
                violation.detail
            ),
        }
    }
}
