//! Trace events as sentences for people, in both languages, and their
//! classification for the log filter and the timeline markers.

use raft::{Message, NodeId, Role};
use sim::{Ev, Property, Removal, TraceEvent};

use crate::i18n::{t, Lang};

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
        Ev::Drop { reason, .. } if reason == "user" => Kind::Fault,
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
    match p {
        Property::ElectionSafety => "election-safety",
        Property::LeaderAppendOnly => "leader-append-only",
        Property::LogMatching => "log-matching",
        Property::LeaderCompleteness => "leader-completeness",
        Property::StateMachineSafety => "state-machine-safety",
    }
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
pub fn list(lang: Lang, ids: &[NodeId]) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

/// A short description of a message: `AppendEntries (2 entries, term 3)`.
pub fn message_summary(lang: Lang, msg: &Message) -> String {
    let zh = lang == Lang::Zh;
    match msg {
        Message::AppendEntries { term, entries, .. } if entries.is_empty() => {
            if zh {
                format!("心跳（任期 {term}）")
            } else {
                format!("heartbeat (term {term})")
            }
        }
        Message::AppendEntries { term, entries, .. } => {
            if zh {
                format!("AppendEntries（{} 条，任期 {term}）", entries.len())
            } else {
                format!("AppendEntries ({} entries, term {term})", entries.len())
            }
        }
        Message::AppendEntriesReply {
            term,
            success,
            match_index,
            ..
        } => match (zh, success) {
            (false, true) => format!("AppendEntries reply: ok up to {match_index} (term {term})"),
            (false, false) => format!("AppendEntries reply: rejected (term {term})"),
            (true, true) => format!("AppendEntries 回复：匹配到 {match_index}（任期 {term}）"),
            (true, false) => format!("AppendEntries 回复：拒绝（任期 {term}）"),
        },
        Message::RequestVoteReply { term, granted } | Message::PreVoteReply { term, granted } => {
            let name = msg.type_name();
            match (zh, granted) {
                (false, true) => format!("{name}: granted (term {term})"),
                (false, false) => format!("{name}: denied (term {term})"),
                (true, true) => format!("{name}：同意（任期 {term}）"),
                (true, false) => format!("{name}：拒绝（任期 {term}）"),
            }
        }
        other => {
            if zh {
                format!("{}（任期 {}）", other.type_name(), other.term())
            } else {
                format!("{} (term {})", other.type_name(), other.term())
            }
        }
    }
}

fn role_word(lang: Lang, role: Role) -> &'static str {
    role_name(lang, Some(role))
}

/// One event as a sentence (without the time). Every event has one.
pub fn describe(lang: Lang, ev: &Ev) -> String {
    let zh = lang == Lang::Zh;
    match ev {
        Ev::Role { node, role, term } => {
            if zh {
                format!("节点 {node} 成为任期 {term} 的{}", role_word(lang, *role))
            } else {
                format!(
                    "node {node} became {} in term {term}",
                    role_word(lang, *role)
                )
            }
        }
        Ev::Leader { node, term, votes } => {
            if zh {
                format!(
                    "节点 {node} 获得 {} 的选票，成为任期 {term} 的领导者",
                    list(lang, votes)
                )
            } else {
                format!(
                    "node {node} became leader of term {term} with votes from {}",
                    list(lang, votes)
                )
            }
        }
        Ev::Send {
            id, from, to, msg, ..
        } => {
            if zh {
                format!("{from} → {to} 发送 #{id} {}", message_summary(lang, msg))
            } else {
                format!("{from} → {to} sent #{id} {}", message_summary(lang, msg))
            }
        }
        Ev::Deliver { id, from, to, msg } => {
            if zh {
                format!("{from} → {to} 送达 #{id} {}", message_summary(lang, msg))
            } else {
                format!(
                    "{from} → {to} delivered #{id} {}",
                    message_summary(lang, msg)
                )
            }
        }
        Ev::Drop {
            id,
            from,
            to,
            reason,
            msg,
        } => {
            let why = drop_reason(lang, reason);
            if zh {
                format!(
                    "{from} → {to} 的消息 #{id} {} 丢失（{why}）",
                    message_summary(lang, msg)
                )
            } else {
                format!(
                    "{from} → {to} #{id} {} was lost ({why})",
                    message_summary(lang, msg)
                )
            }
        }
        Ev::Commit {
            node,
            index,
            term,
            kind,
            cmd,
        } => {
            let what = match *kind {
                "command" => format!("“{cmd}”"),
                "noop" => "no-op".to_string(),
                _ if zh => format!("配置 {cmd}"),
                _ => format!("configuration {cmd}"),
            };
            if zh {
                format!("节点 {node} 提交了条目 {index}（任期 {term}）：{what}")
            } else {
                format!("node {node} committed entry {index} (term {term}): {what}")
            }
        }
        Ev::Crash { node } => {
            if zh {
                format!("节点 {node} 宕机")
            } else {
                format!("node {node} crashed")
            }
        }
        Ev::Removed {
            node,
            index,
            why: Removal::Excluded,
        } => {
            if zh {
                format!("节点 {node} 已被移出集群（配置条目 {index} 已提交），关机")
            } else {
                format!("node {node} shut down: removed by the configuration committed at entry {index}")
            }
        }
        Ev::Removed {
            node,
            index,
            why: Removal::Lost,
        } => {
            if zh {
                format!(
                    "节点 {node} 关机：加入它的配置变更（条目 {index}）被另一条已提交的条目取代"
                )
            } else {
                format!("node {node} shut down: the change that added it (entry {index}) was lost, another entry committed there")
            }
        }
        Ev::Restart { node } => {
            if zh {
                format!("节点 {node} 重启")
            } else {
                format!("node {node} restarted")
            }
        }
        Ev::Timeout { node, forced } => match (zh, forced) {
            (false, true) => format!("node {node} was made to time out"),
            (false, false) => format!("node {node}'s election timer fired"),
            (true, true) => format!("节点 {node} 被强制超时"),
            (true, false) => format!("节点 {node} 的选举计时器到期"),
        },
        Ev::Partition { groups } => {
            let g = groups
                .iter()
                .map(|g| list(lang, g))
                .collect::<Vec<_>>()
                .join(" | ");
            if zh {
                format!("网络分区：{g}")
            } else {
                format!("network partitioned: {g}")
            }
        }
        Ev::Isolate { node } => {
            if zh {
                format!("节点 {node} 被隔离")
            } else {
                format!("node {node} isolated")
            }
        }
        Ev::Cut { from, to } => {
            if zh {
                format!("断开连接 {from} → {to}")
            } else {
                format!("link {from} → {to} cut")
            }
        }
        Ev::Restore { from, to } => {
            if zh {
                format!("恢复连接 {from} → {to}")
            } else {
                format!("link {from} → {to} restored")
            }
        }
        Ev::Heal => (if zh {
            "网络恢复正常"
        } else {
            "network healed"
        })
        .to_string(),
        Ev::Request {
            node,
            cmd,
            index,
            term,
        } => {
            if zh {
                format!("领导者 {node} 收到请求“{cmd}”，写入条目 {index}（任期 {term}）")
            } else {
                format!("leader {node} received “{cmd}” as entry {index} (term {term})")
            }
        }
        Ev::Client {
            node,
            cmd,
            result,
            leader,
            index,
            reason,
        } => {
            let extra = match (leader, index, reason) {
                (_, Some(i), _) if *result == "ok" => {
                    if zh {
                        format!("，条目 {i}")
                    } else {
                        format!(", entry {i}")
                    }
                }
                (Some(l), _, _) => {
                    if zh {
                        format!("，领导者是 {l}")
                    } else {
                        format!(", leader is {l}")
                    }
                }
                (_, _, Some(r)) => format!(" ({r})"),
                _ => String::new(),
            };
            let res = client_result(lang, result);
            if zh {
                format!("客户端请求“{cmd}”→ 节点 {node}：{res}{extra}")
            } else {
                format!("client “{cmd}” → node {node}: {res}{extra}")
            }
        }
        Ev::Change {
            node,
            change,
            result,
            detail,
        } => {
            let d = detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            if zh {
                format!("成员变更“{change}”在节点 {node}：{result}{d}")
            } else {
                format!("membership change “{change}” at node {node}: {result}{d}")
            }
        }
        Ev::Membership {
            node,
            voters,
            outgoing,
            learners,
        } => {
            let mut s = if zh {
                format!("节点 {node} 的配置：投票成员 {}", list(lang, voters))
            } else {
                format!("node {node} now uses voters {}", list(lang, voters))
            };
            if !outgoing.is_empty() {
                s.push_str(&if zh {
                    format!("，旧配置 {}", list(lang, outgoing))
                } else {
                    format!(", old voters {}", list(lang, outgoing))
                });
            }
            if !learners.is_empty() {
                s.push_str(&if zh {
                    format!("，学习者 {}", list(lang, learners))
                } else {
                    format!(", learners {}", list(lang, learners))
                });
            }
            s
        }
        Ev::Stepdown { node, reason } => {
            if zh {
                format!("节点 {node} 下台：{reason}")
            } else {
                format!("node {node} stepped down: {reason}")
            }
        }
        Ev::Reject { node, reason } => {
            if zh {
                format!("节点 {node} 忽略了输入：{reason}")
            } else {
                format!("node {node} ignored an input: {reason}")
            }
        }
        Ev::Compact { node, index } => {
            if zh {
                format!("节点 {node} 把日志压缩到 {index}")
            } else {
                format!("node {node} compacted its log up to {index}")
            }
        }
        Ev::Snapshot { node, index, term } => {
            if zh {
                format!("节点 {node} 安装了快照（到 {index}，任期 {term}）")
            } else {
                format!("node {node} installed a snapshot up to {index} (term {term})")
            }
        }
        Ev::Setting { setting } => {
            if zh {
                format!("设置：{setting}")
            } else {
                format!("setting: {setting}")
            }
        }
        Ev::Note { text } => text.clone(),
        Ev::Violation(v) => {
            let name = t(lang, &format!("p_{}", property_name(v.property)));
            let nodes = list(lang, &v.nodes);
            if zh {
                format!("⚠ 违反{name}（节点 {nodes}）：{}", v.detail)
            } else {
                format!("⚠ VIOLATION of {name} (nodes {nodes}): {}", v.detail)
            }
        }
    }
}

fn drop_reason(lang: Lang, reason: &str) -> &str {
    if lang == Lang::En {
        return match reason {
            "user" => "dropped by you",
            "partition" => "partition",
            "cut" => "link cut",
            "crash" | "down" => "receiver down",
            other => other,
        };
    }
    match reason {
        "loss" => "随机丢包",
        "partition" => "网络分区",
        "cut" => "连接断开",
        "crash" | "down" => "接收方宕机",
        "user" => "被你丢弃",
        other => other,
    }
}

fn client_result(lang: Lang, result: &str) -> &str {
    if lang == Lang::En {
        return match result {
            "ok" => "committed and answered",
            "redirect" => "not the leader",
            other => other,
        };
    }
    match result {
        "ok" => "已提交并回复",
        "redirect" => "不是领导者",
        "timeout" => "超时",
        "unavailable" => "不可用",
        "rejected" => "被拒绝",
        other => other,
    }
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
                reason: "user".into(),
                msg: msg.into(),
            },
            Ev::Commit {
                node: 1,
                index: 3,
                term: 2,
                kind: "command",
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
                result: "redirect",
                leader: Some(3),
                index: None,
                reason: None,
            },
            Ev::Stepdown {
                node: 1,
                reason: "higher term".into(),
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
            kind: "noop",
            cmd: String::new(),
        };
        assert_eq!(marker(&c, true), Some(Marker::Commit));
        assert_eq!(marker(&c, false), None);
        assert_eq!(marker(&Ev::Heal, false), Some(Marker::Fault));
        assert_eq!(
            marker(
                &Ev::Setting {
                    setting: "prevote on".into()
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
