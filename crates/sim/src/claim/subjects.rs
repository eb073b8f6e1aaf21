//! What a claim is about: the servers, log entries and messages it checks
//! ([`Claim::subjects`]), so that the page can point at them when a step is
//! shown or a claim is hovered, and a lesson's `focus` line can name them
//! the same way (docs/lessons.md, "Focus").
//!
//! Pure functions of the claim's text: where a command sits in a log is
//! for the reader to find in the view it draws ([`EntryAt::Command`]).

use raft::{LogIndex, MessageKind, NodeId};

use super::Claim;

/// Which entries of a log a subject names.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum EntryAt {
    /// The entries `first..=last` (one entry: `first == last`).
    /// Invariant: `1 <= first <= last`.
    Indexes {
        /// The first index.
        first: LogIndex,
        /// The last index.
        last: LogIndex,
    },
    /// Wherever the log holds this client command.
    Command(String),
}

/// Log entries on some servers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EntryRef {
    /// Which entries.
    pub at: EntryAt,
    /// On which servers' logs; empty: on every server's.
    pub nodes: Vec<NodeId>,
}

/// Messages of one kind, from and to a server or any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MessageRef {
    /// The RPC or reply (the paper's names: `AppendEntries`, ...).
    pub kind: MessageKind,
    /// The sender; `None`: any.
    pub from: Option<NodeId>,
    /// The receiver; `None`: any.
    pub to: Option<NodeId>,
}

impl MessageRef {
    /// Whether a message of `kind` from `from` to `to` is one of these.
    pub fn matches(&self, kind: MessageKind, from: NodeId, to: NodeId) -> bool {
        self.kind == kind && self.from.is_none_or(|f| f == from) && self.to.is_none_or(|t| t == to)
    }
}

/// Every message kind, for parsing a name (`MessageKind::name`).
pub const MESSAGE_KINDS: [MessageKind; 9] = [
    MessageKind::RequestVote,
    MessageKind::RequestVoteReply,
    MessageKind::PreVote,
    MessageKind::PreVoteReply,
    MessageKind::AppendEntries,
    MessageKind::AppendEntriesReply,
    MessageKind::InstallSnapshot,
    MessageKind::InstallSnapshotReply,
    MessageKind::TimeoutNow,
];

/// The message kind of a paper's name (`AppendEntries`), exactly as written.
pub fn message_kind(name: &str) -> Option<MessageKind> {
    MESSAGE_KINDS.into_iter().find(|k| k.name() == name)
}

/// The servers, entries and messages something is about.
///
/// Invariant: no server and no reference appears twice (see [`Subjects::add`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Subjects {
    /// The servers, in the order first named.
    pub nodes: Vec<NodeId>,
    /// The log entries.
    pub entries: Vec<EntryRef>,
    /// The messages.
    pub messages: Vec<MessageRef>,
}

/// Pushes `v` unless `list` holds it already.
fn push_new<T: PartialEq>(list: &mut Vec<T>, v: T) {
    if !list.contains(&v) {
        list.push(v);
    }
}

impl Subjects {
    /// Nothing.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.entries.is_empty() && self.messages.is_empty()
    }

    /// Adds everything `other` names that this does not name yet.
    pub fn add(&mut self, other: Subjects) {
        for n in other.nodes {
            push_new(&mut self.nodes, n);
        }
        for e in other.entries {
            push_new(&mut self.entries, e);
        }
        for m in other.messages {
            push_new(&mut self.messages, m);
        }
    }

    fn of_nodes(nodes: &[NodeId]) -> Subjects {
        let mut s = Subjects::default();
        for &n in nodes {
            push_new(&mut s.nodes, n);
        }
        s
    }

    fn with_entries(mut self, at: EntryAt, nodes: &[NodeId]) -> Subjects {
        self.entries.push(EntryRef {
            at,
            nodes: nodes.to_vec(),
        });
        self
    }

    fn with_message(
        mut self,
        kind: MessageKind,
        from: Option<NodeId>,
        to: Option<NodeId>,
    ) -> Subjects {
        self.messages.push(MessageRef { kind, from, to });
        self
    }
}

/// `[I] "CMD"` as the entries it names.
fn entry_at(index: Option<LogIndex>, cmd: &str) -> EntryAt {
    match index {
        Some(i) if i >= 1 => EntryAt::Indexes { first: i, last: i },
        _ => EntryAt::Command(cmd.to_string()),
    }
}

impl Claim {
    /// The servers, log entries and messages this claim checks: what the
    /// page marks when the claim is hovered, and what a step without a
    /// `focus` line is about.
    ///
    /// One short arm per kind of claim: the match reads as a table.
    pub fn subjects(&self) -> Subjects {
        let on = Subjects::of_nodes;
        match self {
            Claim::Role { nodes, .. } | Claim::Leaders { nodes } => on(nodes),
            Claim::Votes { node, from } => {
                let mut s = on(&[*node]);
                s.add(on(from));
                s.with_message(MessageKind::RequestVoteReply, None, Some(*node))
            }
            Claim::Committed { index, cmd, nodes } | Claim::Uncommitted { index, cmd, nodes } => {
                on(nodes).with_entries(entry_at(*index, cmd), nodes)
            }
            // The command is in none of these logs: their rows are the subject.
            Claim::Absent { nodes, .. } | Claim::Kv { nodes, .. } | Claim::LogsMatch { nodes } => {
                on(nodes)
            }
            Claim::CommitIndex { index, nodes } if *index >= 1 => on(nodes).with_entries(
                EntryAt::Indexes {
                    first: *index,
                    last: *index,
                },
                nodes,
            ),
            Claim::CommitIndex { nodes, .. } => on(nodes),
            Claim::LogTerms { terms, nodes } if !terms.is_empty() => on(nodes).with_entries(
                EntryAt::Indexes {
                    first: 1,
                    last: terms.len() as LogIndex,
                },
                nodes,
            ),
            Claim::LogTerms { nodes, .. } => on(nodes),
            // nextIndex is drawn in the follower's row of the log strips.
            Claim::NextIndex {
                leader,
                follower,
                index,
            } => {
                let s = on(&[*leader, *follower]);
                let s = if *index >= 1 {
                    s.with_entries(
                        EntryAt::Indexes {
                            first: *index,
                            last: *index,
                        },
                        &[*follower],
                    )
                } else {
                    s
                };
                s.with_message(MessageKind::AppendEntries, Some(*leader), Some(*follower))
            }
            Claim::RejectedAppends { follower, .. } => on(&[*follower]).with_message(
                MessageKind::AppendEntriesReply,
                Some(*follower),
                None,
            ),
            Claim::Client { cmd, .. } => {
                Subjects::default().with_entries(EntryAt::Command(cmd.clone()), &[])
            }
            // The safety panel and the violation's own marks show these.
            Claim::NoLeader | Claim::Violation { .. } | Claim::NoViolation => Subjects::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(text: &str) -> Claim {
        let s = crate::Scenario::parse(&format!("raftlab 1\nnodes 7\nat 1s expect {text}\n"))
            .expect("a claim");
        s.expects[0].claim.clone()
    }

    fn one(i: LogIndex) -> EntryAt {
        EntryAt::Indexes { first: i, last: i }
    }

    fn entries(at: EntryAt, nodes: &[NodeId]) -> EntryRef {
        EntryRef {
            at,
            nodes: nodes.to_vec(),
        }
    }

    fn message(kind: MessageKind, from: Option<NodeId>, to: Option<NodeId>) -> MessageRef {
        MessageRef { kind, from, to }
    }

    /// Rule: a role claim is about its servers, nothing else.
    #[test]
    fn a_role_names_its_servers() {
        let s = claim("leader 3 term 2").subjects();
        assert_eq!(s.nodes, [3]);
        assert!(s.entries.is_empty() && s.messages.is_empty());
        assert_eq!(claim("follower 1 5 term 2").subjects().nodes, [1, 5]);
        assert_eq!(claim("down 4").subjects().nodes, [4]);
    }

    #[test]
    fn leaders_name_their_servers() {
        assert_eq!(claim("leaders 3 4").subjects().nodes, [3, 4]);
    }

    /// Rule: a claim about nobody points at nothing (the safety panel and
    /// the violation's marks show what the checker found).
    #[test]
    fn no_leader_and_the_checker_point_at_nothing() {
        for text in ["no-leader", "no-violation", "violation \"Election Safety\""] {
            assert!(claim(text).subjects().is_empty(), "{text}");
        }
    }

    /// Rule: votes are the candidate, its voters, and the replies it got.
    #[test]
    fn votes_name_the_candidate_its_voters_and_their_replies() {
        let s = claim("votes 4 from 1 4 5").subjects();
        assert_eq!(s.nodes, [4, 1, 5], "the candidate first, no repeat");
        assert_eq!(
            s.messages,
            [message(MessageKind::RequestVoteReply, None, Some(4))]
        );
    }

    /// Rule: an entry named by index is that index; by command, wherever the
    /// command is, on the claim's servers.
    #[test]
    fn committed_and_uncommitted_name_their_entries() {
        let s = claim("committed 2 \"set a=5\" on 1 2 3").subjects();
        assert_eq!(s.nodes, [1, 2, 3]);
        assert_eq!(s.entries, [entries(one(2), &[1, 2, 3])]);
        let s = claim("uncommitted \"set a=5\" on 1").subjects();
        assert_eq!(
            s.entries,
            [entries(EntryAt::Command("set a=5".into()), &[1])]
        );
    }

    /// Rule: an absent command has no entry to point at: the logs are the subject.
    #[test]
    fn absent_names_the_logs_only() {
        let s = claim("absent \"set a=5\" on 2 3").subjects();
        assert_eq!(s.nodes, [2, 3]);
        assert!(s.entries.is_empty());
    }

    #[test]
    fn commit_index_names_the_last_committed_entry() {
        let s = claim("commit-index 2 on 1 2").subjects();
        assert_eq!(s.entries, [entries(one(2), &[1, 2])]);
        assert!(claim("commit-index 0 on 1").subjects().entries.is_empty());
    }

    #[test]
    fn kv_names_the_servers() {
        let s = claim("kv a=5 on 1 2 3").subjects();
        assert_eq!(s.nodes, [1, 2, 3]);
        assert!(s.entries.is_empty());
    }

    /// Rule: `log-terms` checks every entry of the logs, 1 to its length.
    #[test]
    fn log_terms_names_every_entry_it_lists() {
        let s = claim("log-terms 1 1 1 4 on 1 4 5").subjects();
        assert_eq!(s.nodes, [1, 4, 5]);
        assert_eq!(
            s.entries,
            [entries(EntryAt::Indexes { first: 1, last: 4 }, &[1, 4, 5])]
        );
        assert!(claim("log-terms on 3").subjects().entries.is_empty());
    }

    #[test]
    fn logs_match_names_the_servers() {
        assert_eq!(claim("logs-match 1 2 3").subjects().nodes, [1, 2, 3]);
    }

    /// Rule: nextIndex is the leader's, about the follower's log, carried by
    /// the leader's AppendEntries to it.
    #[test]
    fn next_index_names_leader_follower_entry_and_appends() {
        let s = claim("next-index 1 for 3 is 5").subjects();
        assert_eq!(s.nodes, [1, 3]);
        assert_eq!(s.entries, [entries(one(5), &[3])]);
        assert_eq!(
            s.messages,
            [message(MessageKind::AppendEntries, Some(1), Some(3))]
        );
    }

    #[test]
    fn rejected_appends_name_the_follower_and_its_replies() {
        let s = claim("rejected-appends 3 is 8").subjects();
        assert_eq!(s.nodes, [3]);
        assert_eq!(
            s.messages,
            [message(MessageKind::AppendEntriesReply, Some(3), None)]
        );
    }

    /// Rule: a client request is its command's entry, on every server.
    #[test]
    fn a_client_request_names_its_entry_everywhere() {
        let s = claim("client \"set a=5\" ok").subjects();
        assert!(s.nodes.is_empty());
        assert_eq!(
            s.entries,
            [entries(EntryAt::Command("set a=5".into()), &[])]
        );
    }

    #[test]
    fn adding_subjects_keeps_each_once() {
        let mut s = claim("leader 1 term 1").subjects();
        s.add(claim("committed 2 \"x\" on 1 2").subjects());
        s.add(claim("committed 2 \"x\" on 1 2").subjects());
        assert_eq!(s.nodes, [1, 2]);
        assert_eq!(s.entries.len(), 1);
    }

    #[test]
    fn message_refs_match_by_kind_and_ends() {
        let m = message(MessageKind::AppendEntries, Some(1), None);
        assert!(m.matches(MessageKind::AppendEntries, 1, 3));
        assert!(!m.matches(MessageKind::AppendEntries, 2, 3));
        assert!(!m.matches(MessageKind::AppendEntriesReply, 1, 3));
        assert_eq!(
            message_kind("AppendEntries"),
            Some(MessageKind::AppendEntries)
        );
        assert_eq!(message_kind("append"), None);
        for k in MESSAGE_KINDS {
            assert_eq!(message_kind(k.name()), Some(k));
        }
    }
}
