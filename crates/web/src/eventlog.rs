//! Trace events as sentences for people, in both languages, and their
//! classification for the log filter and the timeline markers.

use raft::{Message, NodeId, Role};
use sim::{ClientResult, DropReason, EntryKind, Ev, Property, Removal, TraceEvent, Violation};

use crate::i18n::directives::{change_text, config_text, setting_text};
use crate::i18n::reasons::{
    change_detail, change_result, client_reason, client_result, drop_reason, note_text,
    reject_reason, stepdown_reason,
};
use crate::i18n::{t, tf, violations, Lang};

/// A message in a few words (it lives with the other words in `i18n`).
pub use crate::i18n::words::message_summary;

/// What an event is about: the log filter's categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Role changes, elections, step-downs.
    Election,
    /// Commits, snapshots, compaction.
    Replication,
    /// Client requests and answers.
    Client,
    /// Crashes, restarts, partitions, cuts, drops by the user, setting changes.
    Fault,
    /// Configuration changes.
    Membership,
    /// Sends, deliveries and drops of messages.
    Message,
    /// A safety violation.
    Violation,
    /// Notes and rejections.
    Other,
}

impl Kind {
    /// Whether this kind passes the filter value of `#log-kind`.
    pub fn matches(self, filter: &str) -> bool {
        match filter {
            "all" => self != Kind::Message,
            "election" => self == Kind::Election,
            "replication" => self == Kind::Replication,
            "client" => self == Kind::Client,
            "fault" => matches!(self, Kind::Fault | Kind::Violation),
            "membership" => self == Kind::Membership,
            "message" => self == Kind::Message,
            _ => true,
        }
    }
}

/// A mark on the timeline scrubber.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A node started an election.
    Election,
    /// A node became leader.
    Leader,
    /// A leader committed an entry (counted once per index).
    Commit,
    /// A fault was injected.
    Fault,
    /// A safety property was violated.
    Violation,
}

/// The category of an event.
pub fn kind(ev: &Ev) -> Kind {
    match ev {
        Ev::Role { .. } | Ev::Leader { .. } | Ev::Stepdown { .. } | Ev::Timeout { .. } => {
            Kind::Election
        }
        Ev::Commit { .. } | Ev::Compact { .. } | Ev::Snapshot { .. } => Kind::Replication,
        Ev::Request { .. } | Ev::Client { .. } => Kind::Client,
        Ev::Removed { .. } => Kind::Membership,
        Ev::Crash { .. }
        | Ev::Restart { .. }
        | Ev::Partition { .. }
        | Ev::Isolate { .. }
        | Ev::Cut { .. }
        | Ev::Restore { .. }
        | Ev::Heal
        | Ev::Setting { .. } => Kind::Fault,
        Ev::Drop {
            reason: DropReason::User,
            ..
        } => Kind::Fault,
        Ev::Send { .. } | Ev::Deliver { .. } | Ev::Drop { .. } => Kind::Message,
        Ev::Change { .. } | Ev::Membership { .. } => Kind::Membership,
        Ev::Violation(_) => Kind::Violation,
        Ev::Note { .. } | Ev::Reject { .. } => Kind::Other,
    }
}

/// The timeline marker for an event, if it gets one. Commits are marked
/// once per (index): `first_commit` says whether this is the first node to
/// commit that index.
pub fn marker(ev: &Ev, first_commit: bool) -> Option<Marker> {
    match ev {
        Ev::Role {
            role: Role::Candidate,
            ..
        } => Some(Marker::Election),
        Ev::Leader { .. } => Some(Marker::Leader),
        Ev::Commit { .. } if first_commit => Some(Marker::Commit),
        Ev::Violation(_) => Some(Marker::Violation),
        e if kind(e) == Kind::Fault && !matches!(e, Ev::Setting { .. }) => Some(Marker::Fault),
        _ => None,
    }
}

/// `1.320 s`: virtual time in seconds with millisecond precision.
pub fn format_time(t_us: u64) -> String {
    format!("{}.{:03} s", t_us / 1_000_000, (t_us / 1_000) % 1_000)
}

/// The kebab-case name of a property (as in the view's JSON and i18n keys).
pub fn property_name(p: Property) -> &'static str {
    p.as_str()
}

/// The role's name in `lang`.
pub fn role_name(lang: Lang, role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Follower) => t(lang, "follower"),
        Some(Role::PreCandidate) => t(lang, "precandidate"),
        Some(Role::Candidate) => t(lang, "candidate"),
        Some(Role::Leader) => t(lang, "leader"),
        None => t(lang, "crashed"),
    }
}

/// `1, 3, 4` (English) or `1、3、4` (Chinese).
pub fn list<T: std::fmt::Display>(lang: Lang, ids: &[T]) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

fn role_word(lang: Lang, role: Role) -> &'static str {
    role_name(lang, Some(role))
}

/// A sentence about a message (`ev_send`, `ev_deliver`, `ev_drop`): the
/// arrow, the message id and summary, and for a drop why it was lost.
fn message_line(
    lang: Lang,
    key: &str,
    (from, to, id): (NodeId, NodeId, u64),
    msg: &Message,
    why: &str,
) -> String {
    let (from, to, id) = (from.to_string(), to.to_string(), id.to_string());
    tf(
        lang,
        key,
        &[&from, &to, &id, &message_summary(lang, msg), why],
    )
}

/// The configuration a node now uses: voters, then C_old during joint
/// consensus, then learners.
fn membership_line(
    lang: Lang,
    node: NodeId,
    voters: &[NodeId],
    outgoing: &[NodeId],
    learners: &[NodeId],
) -> String {
    let mut text = tf(
        lang,
        "ev_membership",
        &[&node.to_string(), &list(lang, voters)],
    );
    for (key, ids) in [
        ("ev_membership_old", outgoing),
        ("ev_membership_learners", learners),
    ] {
        if !ids.is_empty() {
            text.push_str(&tf(lang, key, &[&list(lang, ids)]));
        }
    }
    text
}

/// A safety violation: the property's label, the nodes, and what the
/// checker found.
fn violation_line(lang: Lang, v: &Violation) -> String {
    let name = t(lang, &format!("p_{}", property_name(v.property)));
    let (nodes, detail) = (list(lang, &v.nodes), violations::sentence(lang, v));
    tf(lang, "ev_violation", &[name, &nodes, &detail])
}

/// `ev_aside` around `text`: ` (why)`, （原因）.
fn aside(lang: Lang, text: &str) -> String {
    tf(lang, "ev_aside", &[text])
}

/// What a committed entry holds, in a commit sentence: the quoted
/// command, a no-op, or the configuration.
fn entry_text(lang: Lang, kind: EntryKind, cmd: &str) -> String {
    match kind {
        EntryKind::Command => format!("“{cmd}”"),
        EntryKind::Noop => t(lang, "ev_commit_noop").to_string(),
        EntryKind::Config => tf(lang, "ev_commit_config", &[&config_text(lang, cmd)]),
    }
}

/// The end of a client sentence: the entry of an answered request, the
/// leader a redirect names, or why the request failed.
fn client_extra(
    lang: Lang,
    result: ClientResult,
    leader: Option<NodeId>,
    index: Option<u64>,
    reason: Option<&str>,
) -> String {
    match (leader, index, reason) {
        (_, Some(i), _) if result == ClientResult::Ok => {
            tf(lang, "ev_client_entry", &[&i.to_string()])
        }
        (Some(l), _, _) => tf(lang, "ev_client_leader", &[&l.to_string()]),
        (_, _, Some(r)) => aside(lang, &client_reason(lang, r)),
        _ => String::new(),
    }
}

/// One event as a sentence (without the time). Every event has one; the
/// words are in the string table (`ev_*` keys).
///
/// One short arm per event: the match reads as a table.
pub fn describe(lang: Lang, ev: &Ev) -> String {
    let s = |v: &dyn std::fmt::Display| v.to_string();
    match ev {
        Ev::Role { node, role, term } => tf(
            lang,
            "ev_role",
            &[&s(node), role_word(lang, *role), &s(term)],
        ),
        Ev::Leader { node, term, votes } => {
            tf(lang, "ev_leader", &[&s(node), &s(term), &list(lang, votes)])
        }
        Ev::Send {
            id, from, to, msg, ..
        } => message_line(lang, "ev_send", (*from, *to, *id), msg, ""),
        Ev::Deliver { id, from, to, msg } => {
            message_line(lang, "ev_deliver", (*from, *to, *id), msg, "")
        }
        Ev::Drop {
            id,
            from,
            to,
            reason,
            msg,
        } => {
            let why = drop_reason(lang, *reason);
            message_line(lang, "ev_drop", (*from, *to, *id), msg, why)
        }
        Ev::Commit {
            node,
            index,
            term,
            kind,
            cmd,
        } => {
            let what = entry_text(lang, *kind, cmd);
            tf(lang, "ev_commit", &[&s(node), &s(index), &s(term), &what])
        }
        Ev::Crash { node } => tf(lang, "ev_crash", &[&s(node)]),
        Ev::Removed { node, index, why } => {
            let key = match why {
                Removal::Excluded => "ev_removed_excluded",
                Removal::Lost => "ev_removed_lost",
            };
            tf(lang, key, &[&s(node), &s(index)])
        }
        Ev::Restart { node } => tf(lang, "ev_restart", &[&s(node)]),
        Ev::Timeout { node, forced: true } => tf(lang, "ev_timeout_forced", &[&s(node)]),
        Ev::Timeout {
            node,
            forced: false,
        } => tf(lang, "ev_timeout", &[&s(node)]),
        Ev::Partition { groups } => {
            let g: Vec<String> = groups.iter().map(|g| list(lang, g)).collect();
            tf(lang, "ev_partition", &[&g.join(" | ")])
        }
        Ev::Isolate { node } => tf(lang, "ev_isolate", &[&s(node)]),
        Ev::Cut { from, to } => tf(lang, "ev_cut", &[&s(from), &s(to)]),
        Ev::Restore { from, to } => tf(lang, "ev_restore", &[&s(from), &s(to)]),
        Ev::Heal => t(lang, "ev_heal").to_string(),
        Ev::Request {
            node,
            cmd,
            index,
            term,
        } => tf(lang, "ev_request", &[&s(node), cmd, &s(index), &s(term)]),
        Ev::Client {
            node,
            cmd,
            result,
            leader,
            index,
            reason,
        } => {
            let extra = client_extra(lang, *result, *leader, *index, reason.as_deref());
            let res = client_result(lang, *result);
            tf(lang, "ev_client", &[cmd, &s(node), res, &extra])
        }
        Ev::Change {
            node,
            change,
            result,
            detail,
        } => {
            let d = detail
                .as_deref()
                .map(|d| aside(lang, &change_detail(lang, d)))
                .unwrap_or_default();
            let (what, res) = (change_text(lang, change), change_result(lang, *result));
            tf(lang, "ev_change", &[&what, &s(node), res, &d])
        }
        Ev::Membership {
            node,
            voters,
            outgoing,
            learners,
        } => membership_line(lang, *node, voters, outgoing, learners),
        Ev::Stepdown { node, reason } => tf(
            lang,
            "ev_stepdown",
            &[&s(node), stepdown_reason(lang, *reason)],
        ),
        Ev::Reject { node, reason } => {
            tf(lang, "ev_reject", &[&s(node), &reject_reason(lang, reason)])
        }
        Ev::Compact { node, index } => tf(lang, "ev_compact", &[&s(node), &s(index)]),
        Ev::Snapshot { node, index, term } => {
            tf(lang, "ev_snapshot", &[&s(node), &s(index), &s(term)])
        }
        Ev::Setting { setting } => tf(lang, "ev_setting", &[&setting_text(lang, setting)]),
        Ev::Note { text } => note_text(lang, text),
        Ev::Violation(v) => violation_line(lang, v),
    }
}

/// What makes neighbouring events one line: a node's commits, or a node's
/// sends of one message type. Events without a key are a line each.
fn burst_key(ev: &Ev) -> Option<(bool, NodeId, &'static str)> {
    match ev {
        Ev::Commit { node, .. } => Some((false, *node, "")),
        Ev::Send { from, msg, .. } => Some((true, *from, msg.type_name())),
        _ => None,
    }
}

/// Whether `b`, right after `a` in the trace, continues `a`'s burst: the
/// same moment and the same [`burst_key`] (one node's catch-up commit of
/// many entries, a leader's heartbeats to every follower).
pub fn same_burst(a: &TraceEvent, b: &TraceEvent) -> bool {
    a.t == b.t && burst_key(&a.ev).is_some() && burst_key(&a.ev) == burst_key(&b.ev)
}

/// A burst of events (neighbours in the trace, see [`same_burst`]) as one
/// sentence: `node 2 committed entries 2–12`, `4 → 1, 2, 3 sent
/// AppendEntries`. A burst of one is [`describe`]d.
pub fn describe_burst(lang: Lang, burst: &[TraceEvent]) -> String {
    let s = |v: &dyn std::fmt::Display| v.to_string();
    match (&burst[0].ev, &burst[burst.len() - 1].ev) {
        (first, _) if burst.len() == 1 => describe(lang, first),
        (Ev::Commit { node, index, .. }, Ev::Commit { index: last, .. }) => {
            tf(lang, "ev_commit_many", &[&s(node), &s(index), &s(last)])
        }
        (Ev::Send { from, .. }, _) => {
            let (to, what) = burst_sends(lang, burst);
            tf(lang, "ev_send_many", &[&s(from), &to, &what])
        }
        (first, _) => describe(lang, first),
    }
}

/// A burst of sends: whom to (`1, 2, 3`), and the messages in a few words:
/// the summary they all share (`heartbeat (term 2)`), else their type.
pub fn burst_sends(lang: Lang, burst: &[TraceEvent]) -> (String, String) {
    let mut to: Vec<NodeId> = Vec::new();
    let mut what = String::new();
    for e in burst {
        if let Ev::Send { to: t, msg, .. } = &e.ev {
            to.push(*t);
            let summary = message_summary(lang, msg);
            if what.is_empty() {
                what = summary;
            } else if what != summary {
                what = msg.type_name().to_string();
            }
        }
    }
    (list(lang, &to), what)
}

/// `1.320 s: node 3 became leader of term 2 with votes from 1, 3, 4`.
pub fn line(lang: Lang, e: &TraceEvent) -> String {
    format!("{}: {}", format_time(e.t), describe(lang, &e.ev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: u64, ev: Ev) -> TraceEvent {
        TraceEvent { t, ev }
    }

    /// The issue's own example sentence.
    #[test]
    fn leader_line_reads_like_the_issue_example() {
        let e = ev(
            1_320_000,
            Ev::Leader {
                node: 3,
                term: 2,
                votes: vec![1, 3, 4],
            },
        );
        assert_eq!(
            line(Lang::En, &e),
            "1.320 s: node 3 became leader of term 2 with votes from 1, 3, 4"
        );
        assert_eq!(
            line(Lang::Zh, &e),
            "1.320 s: 节点 3 获得 1、3、4 的选票，成为任期 2 的领导者"
        );
    }

    #[test]
    fn every_event_kind_has_a_sentence_in_both_languages() {
        let msg = Message::RequestVoteReply {
            term: 2,
            granted: false,
        };
        let events = vec![
            Ev::Role {
                node: 1,
                role: Role::Candidate,
                term: 2,
            },
            Ev::Send {
                id: 7,
                from: 1,
                to: 2,
                deliver_us: 5,
                msg: msg.clone().into(),
            },
            Ev::Deliver {
                id: 7,
                from: 1,
                to: 2,
                msg: msg.clone().into(),
            },
            Ev::Drop {
                id: 7,
                from: 1,
                to: 2,
                reason: DropReason::User,
                msg: msg.into(),
            },
            Ev::Commit {
                node: 1,
                index: 3,
                term: 2,
                kind: EntryKind::Command,
                cmd: "set a=5".into(),
            },
            Ev::Crash { node: 1 },
            Ev::Removed {
                node: 4,
                index: 6,
                why: Removal::Excluded,
            },
            Ev::Removed {
                node: 4,
                index: 7,
                why: Removal::Lost,
            },
            Ev::Restart { node: 1 },
            Ev::Timeout {
                node: 1,
                forced: true,
            },
            Ev::Partition {
                groups: vec![vec![1, 2], vec![3, 4, 5]],
            },
            Ev::Isolate { node: 2 },
            Ev::Cut { from: 1, to: 2 },
            Ev::Restore { from: 1, to: 2 },
            Ev::Heal,
            Ev::Client {
                node: 2,
                cmd: "x=1".into(),
                result: ClientResult::Redirect,
                leader: Some(3),
                index: None,
                reason: None,
            },
            Ev::Stepdown {
                node: 1,
                reason: raft::StepDownReason::CheckQuorum,
            },
        ];
        for e in &events {
            let en = describe(Lang::En, e);
            let zh = describe(Lang::Zh, e);
            assert!(!en.is_empty() && !zh.is_empty());
            assert_ne!(en, zh, "{e:?} is not translated");
        }
        assert_eq!(
            describe(Lang::En, &events[10]),
            "network partitioned: 1, 2 | 3, 4, 5"
        );
        assert_eq!(
            describe(Lang::En, &events[3]),
            "1 → 2 #7 RequestVoteReply: denied (term 2) was lost (dropped by you)"
        );
    }

    #[test]
    fn filter_hides_messages_unless_asked() {
        let send = Ev::Send {
            id: 1,
            from: 1,
            to: 2,
            deliver_us: 5,
            msg: Message::RequestVoteReply {
                term: 1,
                granted: true,
            }
            .into(),
        };
        assert!(!kind(&send).matches("all"));
        assert!(kind(&send).matches("message"));
        assert!(kind(&Ev::Crash { node: 1 }).matches("fault"));
        assert!(kind(&Ev::Leader {
            node: 1,
            term: 1,
            votes: vec![]
        })
        .matches("election"));
    }

    #[test]
    fn markers_for_elections_leaders_commits_and_faults() {
        assert_eq!(
            marker(
                &Ev::Role {
                    node: 1,
                    role: Role::Candidate,
                    term: 1
                },
                false
            ),
            Some(Marker::Election)
        );
        assert_eq!(
            marker(
                &Ev::Role {
                    node: 1,
                    role: Role::Follower,
                    term: 1
                },
                false
            ),
            None
        );
        assert_eq!(
            marker(
                &Ev::Leader {
                    node: 1,
                    term: 1,
                    votes: vec![1]
                },
                false
            ),
            Some(Marker::Leader)
        );
        let c = Ev::Commit {
            node: 1,
            index: 1,
            term: 1,
            kind: EntryKind::Noop,
            cmd: String::new(),
        };
        assert_eq!(marker(&c, true), Some(Marker::Commit));
        assert_eq!(marker(&c, false), None);
        assert_eq!(marker(&Ev::Heal, false), Some(Marker::Fault));
        assert_eq!(
            marker(
                &Ev::Setting {
                    setting: sim::Setting::PreVote(true)
                },
                false
            ),
            None
        );
    }

    #[test]
    fn time_has_millisecond_precision() {
        assert_eq!(format_time(0), "0.000 s");
        assert_eq!(format_time(61_234_567), "61.234 s");
    }
}
