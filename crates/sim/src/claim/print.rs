//! Printing a claim: the text after `expect`, which parses back to an
//! equal claim.

use std::fmt;

use raft::LogIndex;

use super::{Claim, Expect};
use crate::scenario::{join, quote};

impl fmt::Display for Claim {
    /// The claim as written after `expect` (parses back to an equal claim).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let idx = |i: &Option<LogIndex>| i.map(|i| format!("{i} ")).unwrap_or_default();
        match self {
            Claim::Role { role, nodes, term } => {
                write!(f, "{} {}", role.name(), join(nodes))?;
                if let Some(t) = term {
                    write!(f, " term {t}")?;
                }
                Ok(())
            }
            Claim::NoLeader => write!(f, "no-leader"),
            Claim::Leaders { nodes } => write!(f, "leaders {}", join(nodes)),
            Claim::Votes { node, from } => write!(f, "votes {node} from {}", join(from)),
            Claim::Committed { index, cmd, nodes } => write!(
                f,
                "committed {}{} on {}",
                idx(index),
                quote(cmd),
                join(nodes)
            ),
            Claim::Uncommitted { index, cmd, nodes } => {
                write!(
                    f,
                    "uncommitted {}{} on {}",
                    idx(index),
                    quote(cmd),
                    join(nodes)
                )
            }
            Claim::Absent { cmd, nodes } => write!(f, "absent {} on {}", quote(cmd), join(nodes)),
            Claim::CommitIndex { index, nodes } => {
                write!(f, "commit-index {index} on {}", join(nodes))
            }
            Claim::Kv { key, value, nodes } => write!(f, "kv {key}={value} on {}", join(nodes)),
            Claim::LogTerms { terms, nodes } => {
                let ts: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
                if ts.is_empty() {
                    write!(f, "log-terms on {}", join(nodes))
                } else {
                    write!(f, "log-terms {} on {}", ts.join(" "), join(nodes))
                }
            }
            Claim::LogsMatch { nodes } => write!(f, "logs-match {}", join(nodes)),
            Claim::NextIndex {
                leader,
                follower,
                index,
            } => write!(f, "next-index {leader} for {follower} is {index}"),
            Claim::RejectedAppends { follower, count } => {
                write!(f, "rejected-appends {follower} is {count}")
            }
            Claim::Client { cmd, result } => write!(f, "client {} {}", quote(cmd), result.name()),
            Claim::Violation { property } => write!(f, "violation {}", quote(property.title())),
            Claim::NoViolation => write!(f, "no-violation"),
        }
    }
}

impl fmt::Display for Expect {
    /// `expect CLAIM`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expect {}", self.claim)
    }
}
