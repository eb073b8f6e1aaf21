//! Claims (`sim::Claim`, the `expect` lines of scenarios and lessons) read
//! as sentences in either language, for the lesson panel: the page shows
//! what a claim says rather than its source text ([`sentence`]), and why an
//! unmet claim does not hold ([`unmet`]).

use raft::NodeId;
use sim::claim::{LogSummary, RoleClaim, Unmet};
use sim::{Claim, Property};

use super::reasons::client_claim;
use super::{t, tf, violations, Lang};
use crate::eventlog::{list, property_name, role_name};

/// `node 3` or `nodes 1, 2` (节点 3, 节点 1、2).
fn nodes_phrase(lang: Lang, nodes: &[NodeId]) -> String {
    let key = if nodes.len() == 1 {
        "cl_node"
    } else {
        "cl_nodes"
    };
    tf(lang, key, &[&list(lang, nodes)])
}

/// `the log of node 3` or `the logs of nodes 1, 2` (节点 3 的日志).
fn logs_phrase(lang: Lang, nodes: &[NodeId]) -> String {
    let key = if nodes.len() == 1 {
        "cl_log_of"
    } else {
        "cl_logs_of"
    };
    tf(lang, key, &[&list(lang, nodes)])
}

/// `key` for one node, `key_many` for several: English agrees in number.
fn keyed(key: &'static str, nodes: &[NodeId]) -> String {
    if nodes.len() == 1 {
        key.to_string()
    } else {
        format!("{key}_many")
    }
}

/// The short title of a property (`Leader Completeness`).
pub fn property_title(lang: Lang, p: Property) -> &'static str {
    t(lang, &format!("pt_{}", property_name(p)))
}

/// `is a follower` / `are followers` (是跟随者 / 都是跟随者).
fn role_phrase(lang: Lang, role: RoleClaim, many: bool) -> &'static str {
    let name = match role {
        RoleClaim::Follower => "follower",
        RoleClaim::PreCandidate => "precandidate",
        RoleClaim::Candidate => "candidate",
        RoleClaim::Leader => "leader",
        RoleClaim::Down => "down",
    };
    let number = if many { "are" } else { "is" };
    t(lang, &format!("cl_{number}_{name}"))
}

fn s(v: impl std::fmt::Display) -> String {
    v.to_string()
}

/// The claim as a sentence in `lang`: `leader 3 term 2` reads "node 3 is a
/// leader in term 2" (节点 3 是领导者（任期 2）).
///
/// One short arm per kind of claim: the match reads as a table.
pub fn sentence(lang: Lang, claim: &Claim) -> String {
    let n = |ids: &[NodeId]| nodes_phrase(lang, ids);
    let logs = |ids: &[NodeId]| logs_phrase(lang, ids);
    match claim {
        Claim::Role { role, nodes, term } => {
            let term = term.map_or(String::new(), |tm| tf(lang, "cl_in_term", &[&s(tm)]));
            let phrase = role_phrase(lang, *role, nodes.len() > 1);
            tf(lang, "cl_role", &[&n(nodes), phrase, &term])
        }
        Claim::NoLeader => t(lang, "cl_no_leader").to_string(),
        Claim::Leaders { nodes } if nodes.is_empty() => t(lang, "cl_leaders_none").to_string(),
        Claim::Leaders { nodes } => tf(lang, "cl_leaders", &[&n(nodes)]),
        Claim::Votes { node, from } => tf(lang, "cl_votes", &[&n(&[*node]), &n(from)]),
        Claim::Committed {
            index: None,
            cmd,
            nodes,
        } => tf(lang, "cl_committed", &[cmd, &n(nodes)]),
        Claim::Committed {
            index: Some(i),
            cmd,
            nodes,
        } => tf(lang, "cl_committed_at", &[cmd, &n(nodes), &s(*i)]),
        Claim::Uncommitted {
            index: None,
            cmd,
            nodes,
        } => tf(lang, "cl_uncommitted", &[cmd, &logs(nodes)]),
        Claim::Uncommitted {
            index: Some(i),
            cmd,
            nodes,
        } => tf(lang, "cl_uncommitted_at", &[cmd, &logs(nodes), &s(*i)]),
        Claim::Absent { cmd, nodes } => tf(lang, "cl_absent", &[cmd, &logs(nodes)]),
        Claim::CommitIndex { index, nodes } => {
            tf(lang, "cl_commit_index", &[&s(*index), &n(nodes)])
        }
        Claim::Kv { key, value, nodes } => {
            tf(lang, &keyed("cl_kv", nodes), &[key, value, &n(nodes)])
        }
        Claim::LogTerms { terms, nodes } if terms.is_empty() => {
            tf(lang, &keyed("cl_log_empty", nodes), &[&logs(nodes)])
        }
        // Terms as the paper's Figure 7 writes a log: `1 1 1 4` (1、1、1、4).
        Claim::LogTerms { terms, nodes } => tf(
            lang,
            &keyed("cl_log_terms", nodes),
            &[&ids(lang, terms), &n(nodes)],
        ),
        Claim::LogsMatch { nodes } => tf(lang, "cl_logs_match", &[&n(nodes)]),
        Claim::NextIndex {
            leader,
            follower,
            index,
        } => tf(
            lang,
            "cl_next_index",
            &[&s(*leader), &s(*follower), &s(*index)],
        ),
        Claim::RejectedAppends { follower, count } => {
            tf(lang, "cl_rejected_appends", &[&s(*follower), &s(*count)])
        }
        Claim::Client { cmd, result } => tf(lang, "cl_client", &[cmd, client_claim(lang, *result)]),
        Claim::Violation { property } => {
            tf(lang, "cl_violation", &[property_title(lang, *property)])
        }
        Claim::NoViolation => t(lang, "cl_no_violation").to_string(),
    }
}

/// Node ids or terms as [`unmet`] lists them: `1 3` in English (as the
/// simulator writes a set), `1、3` in Chinese.
fn ids<T: std::fmt::Display>(lang: Lang, ids: &[T]) -> String {
    match lang {
        Lang::En => ids.iter().map(T::to_string).collect::<Vec<_>>().join(" "),
        Lang::Zh => list(lang, ids),
    }
}

/// In English the keyword the simulator prints (`precandidate`, `pending`);
/// in Chinese the word for it.
fn keyword(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// A node's log as [`unmet`] reports it: `[1 1 2] commit 3`.
fn log_phrase(lang: Lang, log: &LogSummary) -> String {
    let commit = s(log.commit);
    if log.terms.is_empty() {
        tf(lang, "un_log_empty", &[&commit])
    } else {
        tf(lang, "un_log", &[&ids(lang, &log.terms), &commit])
    }
}

/// Why a claim does not hold, in `lang`. In English exactly the text of
/// `Unmet`'s `Display` (what `raftlab check` prints).
///
/// One short arm per variant: the match reads as a table.
pub fn unmet(lang: Lang, why: &Unmet) -> String {
    use Unmet::*;
    let lp = |log: &LogSummary| log_phrase(lang, log);
    match why {
        Down { node } => tf(lang, "un_down", &[&s(node)]),
        Role { node, role, term } => {
            let en = RoleClaim::of(Some(*role)).name();
            let word = keyword(lang, en, role_name(Lang::Zh, Some(*role)));
            tf(lang, "un_role", &[&s(node), word, &s(term)])
        }
        Leaders { leaders } if leaders.is_empty() => t(lang, "un_leaders_none").to_string(),
        Leaders { leaders } => tf(lang, "un_leaders", &[&ids(lang, leaders)]),
        VotesOfFollower { node, term } => tf(lang, "un_votes_of_follower", &[&s(node), &s(term)]),
        Votes { node, from } if from.is_empty() => tf(lang, "un_votes_none", &[&s(node)]),
        Votes { node, from } => tf(lang, "un_votes", &[&s(node), &ids(lang, from)]),
        NotHeld { node, cmd, log } => tf(lang, "un_not_held", &[&s(node), cmd, &lp(log)]),
        NotCommitted {
            node,
            cmd,
            index,
            commit,
        } => tf(
            lang,
            "un_not_committed",
            &[&s(node), cmd, &s(index), &s(commit)],
        ),
        AlreadyCommitted { node, cmd, index } => {
            tf(lang, "un_already_committed", &[&s(node), cmd, &s(index)])
        }
        Present { node, cmd, index } => tf(lang, "un_present", &[&s(node), cmd, &s(index)]),
        CommitIndex { node, commit } => tf(lang, "un_commit_index", &[&s(node), &s(commit)]),
        KvValue { node, key, value } => tf(lang, "un_kv_value", &[&s(node), key, value]),
        KvMissing { node, key } => tf(lang, "un_kv_missing", &[&s(node), key]),
        LogIs { node, log } => tf(lang, "un_log_is", &[&s(node), &lp(log)]),
        LogsDiffer {
            first,
            first_log,
            other,
            other_log,
        } => tf(
            lang,
            "un_logs_differ",
            &[&s(first), &lp(first_log), &s(other), &lp(other_log)],
        ),
        NotLeader { node } => tf(lang, "un_not_leader", &[&s(node)]),
        NextIndex {
            leader,
            follower,
            next_index,
        } => tf(
            lang,
            "un_next_index",
            &[&s(leader), &s(follower), &s(next_index)],
        ),
        NoProgress { leader, follower } => tf(lang, "un_no_progress", &[&s(leader), &s(follower)]),
        RejectedAppends { follower, count } => {
            tf(lang, "un_rejected_appends", &[&s(follower), &s(count)])
        }
        Client { cmd, result } => {
            let word = keyword(lang, result.name(), client_claim(Lang::Zh, *result));
            tf(lang, "un_client", &[cmd, word])
        }
        NotAsked { cmd } => tf(lang, "un_not_asked", &[cmd]),
        NothingFlagged => t(lang, "un_nothing_flagged").to_string(),
        FlaggedOnly { properties } => {
            let titles: Vec<&str> = properties
                .iter()
                .map(|p| property_title(lang, *p))
                .collect();
            tf(lang, "un_flagged_only", &[&list(lang, &titles)])
        }
        Flagged { violation: v } => {
            let detail = match lang {
                Lang::En => v.detail.clone(),
                Lang::Zh => violations::sentence(lang, v),
            };
            tf(
                lang,
                "un_flagged",
                &[property_title(lang, v.property), &detail],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(text: &str) -> Claim {
        let s = sim::Scenario::parse(&format!("raftlab 1\nnodes 5\nat 1s expect {text}\n"))
            .expect("a claim");
        s.expects[0].claim.clone()
    }

    /// Rule: every kind of claim reads as a sentence in both languages,
    /// never as the scenario code it was written in.
    #[test]
    fn claims_read_as_sentences() {
        let cases = [
            (
                "leader 3 term 2",
                "node 3 is a leader in term 2",
                "节点 3 是领导者（任期 2）",
            ),
            (
                "follower 1 2",
                "nodes 1, 2 are followers",
                "节点 1、2 都是跟随者",
            ),
            ("down 4", "node 4 is down", "节点 4 已宕机"),
            (
                "committed 2 \"set a=5\" on 1 2 3",
                "“set a=5” is committed at index 2 on nodes 1, 2, 3",
                "“set a=5”已在节点 1、2、3 的索引 2 处提交",
            ),
            (
                "votes 3 from 1 3",
                "node 3 holds the votes of nodes 1, 3",
                "节点 3 持有节点 1、3 的选票",
            ),
            (
                "log-terms on 3",
                "the log of node 3 is empty",
                "节点 3 的日志为空",
            ),
            (
                "log-terms on 2 3",
                "the logs of nodes 2, 3 are empty",
                "节点 2、3 的日志都为空",
            ),
            (
                "log-terms 1 1 1 4 on 3",
                "node 3 holds entries of terms 1 1 1 4",
                "节点 3 的日志依次是任期 1、1、1、4 的条目",
            ),
            (
                "log-terms 1 1 4 on 1 4 5",
                "nodes 1, 4, 5 each hold entries of terms 1 1 4",
                "节点 1、4、5 的日志依次是任期 1、1、4 的条目",
            ),
            (
                "rejected-appends 3 is 8",
                "node 3 has refused 8 AppendEntries so far",
                "节点 3 到目前为止拒绝了 8 次 AppendEntries",
            ),
            (
                "uncommitted 2 \"set a=5\" on 1 3",
                "“set a=5” is at index 2 in the logs of nodes 1, 3, not committed yet",
                "“set a=5”在节点 1、3 的日志中的索引 2 处，尚未提交",
            ),
            (
                "uncommitted \"set a=5\" on 1",
                "“set a=5” is in the log of node 1, not committed yet",
                "“set a=5”在节点 1 的日志中，尚未提交",
            ),
            (
                "absent \"set a=5\" on 2 3",
                "“set a=5” is not in the logs of nodes 2, 3",
                "节点 2、3 的日志中没有“set a=5”",
            ),
            (
                "kv a=5 on 1",
                "node 1 has a = 5 in its state machine",
                "节点 1 的状态机中 a = 5",
            ),
            (
                "kv x=8 on 3 4 5",
                "nodes 3, 4, 5 have x = 8 in their state machines",
                "节点 3、4、5 的状态机中 x = 8",
            ),
            (
                "next-index 1 for 3 is 5",
                "leader 1's nextIndex for node 3 is 5",
                "领导者 1 对节点 3 的 nextIndex 是 5",
            ),
            (
                "commit-index 2 on 1 2 3",
                "commitIndex is 2 on nodes 1, 2, 3",
                "节点 1、2、3 的 commitIndex 是 2",
            ),
            (
                "logs-match 1 2 3",
                "the logs of nodes 1, 2, 3 are identical",
                "节点 1、2、3 的日志完全相同",
            ),
            (
                "leaders 3 4",
                "the leaders are exactly nodes 3, 4",
                "领导者恰好是节点 3、4",
            ),
            (
                "no-leader",
                "no running node is a leader",
                "没有正在运行的节点是领导者",
            ),
            (
                "no-violation",
                "the safety checker has flagged nothing",
                "安全检查没有发现任何问题",
            ),
            (
                "violation \"Leader Completeness\"",
                "the safety checker has flagged Leader Completeness",
                "安全检查已标出：领导者完整性",
            ),
            (
                "client \"x=1\" ok",
                "client request “x=1”: committed and answered",
                "客户端请求“x=1”：已提交并回复",
            ),
        ];
        for (text, en, zh) in cases {
            let c = claim(text);
            assert_eq!(sentence(Lang::En, &c), en, "{text}");
            assert_eq!(sentence(Lang::Zh, &c), zh, "{text}");
        }
    }

    /// The variant's number: no wildcard, so a new variant must be added
    /// to [`every_unmet`] too.
    fn variant_number(u: &Unmet) -> usize {
        use Unmet::*;
        match u {
            Down { .. } => 0,
            Role { .. } => 1,
            Leaders { .. } => 2,
            VotesOfFollower { .. } => 3,
            Votes { .. } => 4,
            NotHeld { .. } => 5,
            NotCommitted { .. } => 6,
            AlreadyCommitted { .. } => 7,
            Present { .. } => 8,
            CommitIndex { .. } => 9,
            KvValue { .. } => 10,
            KvMissing { .. } => 11,
            LogIs { .. } => 12,
            LogsDiffer { .. } => 13,
            NotLeader { .. } => 14,
            NextIndex { .. } => 15,
            NoProgress { .. } => 16,
            RejectedAppends { .. } => 17,
            Client { .. } => 18,
            NotAsked { .. } => 19,
            NothingFlagged => 20,
            FlaggedOnly { .. } => 21,
            Flagged { .. } => 22,
        }
    }
    const VARIANTS: usize = 23;

    /// Every variant, and each with empty lists and every role and result.
    fn every_unmet() -> Vec<Unmet> {
        use Unmet::*;
        let cmd = || "set a=5".to_string();
        let log = |terms: &[u64], commit| LogSummary {
            terms: terms.to_vec(),
            commit,
        };
        let mut all = vec![
            Down { node: 3 },
            Leaders {
                leaders: vec![1, 3],
            },
            Leaders { leaders: vec![] },
            VotesOfFollower { node: 3, term: 2 },
            Votes {
                node: 3,
                from: vec![1, 3],
            },
            Votes {
                node: 3,
                from: vec![],
            },
            NotHeld {
                node: 2,
                cmd: cmd(),
                log: log(&[1, 1, 2], 2),
            },
            NotHeld {
                node: 2,
                cmd: cmd(),
                log: log(&[], 0),
            },
            NotCommitted {
                node: 2,
                cmd: cmd(),
                index: 3,
                commit: 2,
            },
            AlreadyCommitted {
                node: 2,
                cmd: cmd(),
                index: 3,
            },
            Present {
                node: 2,
                cmd: cmd(),
                index: 3,
            },
            CommitIndex { node: 2, commit: 4 },
            KvValue {
                node: 2,
                key: "a".into(),
                value: "4".into(),
            },
            KvMissing {
                node: 2,
                key: "a".into(),
            },
            LogIs {
                node: 2,
                log: log(&[1, 1], 2),
            },
            LogsDiffer {
                first: 1,
                first_log: log(&[1, 2], 2),
                other: 3,
                other_log: log(&[], 0),
            },
            NotLeader { node: 2 },
            NextIndex {
                leader: 1,
                follower: 3,
                next_index: 5,
            },
            NoProgress {
                leader: 1,
                follower: 6,
            },
            RejectedAppends {
                follower: 3,
                count: 2,
            },
            NotAsked { cmd: cmd() },
            NothingFlagged,
            FlaggedOnly {
                properties: Property::ALL.to_vec(),
            },
            Flagged {
                violation: sim::Violation {
                    property: Property::ElectionSafety,
                    nodes: vec![1, 2],
                    term: 3,
                    index: 0,
                    other_term: 0,
                    detail: "nodes 1 and 2 were both elected leader of term 3.".into(),
                },
            },
        ];
        for role in [
            raft::Role::Follower,
            raft::Role::PreCandidate,
            raft::Role::Candidate,
            raft::Role::Leader,
        ] {
            all.push(Role {
                node: 3,
                role,
                term: 2,
            });
        }
        use sim::claim::ClientClaim as C;
        for result in [
            C::Pending,
            C::Ok,
            C::Timeout,
            C::Redirect,
            C::Unavailable,
            C::Rejected,
        ] {
            all.push(Client { cmd: cmd(), result });
        }
        all
    }

    /// In English `unmet` is exactly the simulator's sentence, for every
    /// variant; in Chinese it differs (`no_english` checks its words).
    #[test]
    fn unmet_reads_in_english_as_the_simulator_writes_it() {
        let all = every_unmet();
        let mut seen = [false; VARIANTS];
        for u in &all {
            seen[variant_number(u)] = true;
            assert_eq!(unmet(Lang::En, u), u.to_string(), "{u:?}");
            assert_ne!(unmet(Lang::Zh, u), u.to_string(), "{u:?}");
        }
        assert!(seen.iter().all(|&s| s), "every variant: {seen:?}");
    }

    #[test]
    fn unmet_reads_in_chinese() {
        use Unmet::*;
        let log = |terms: &[u64], commit| LogSummary {
            terms: terms.to_vec(),
            commit,
        };
        let cases = [
            (
                Role {
                    node: 3,
                    role: raft::Role::PreCandidate,
                    term: 2,
                },
                "节点 3 是预候选人（任期 2）",
            ),
            (
                Leaders {
                    leaders: vec![1, 3],
                },
                "领导者是节点 1、3",
            ),
            (Leaders { leaders: vec![] }, "没有正在运行的节点是领导者"),
            (
                NotHeld {
                    node: 2,
                    cmd: "x=1".into(),
                    log: log(&[1, 1, 2], 2),
                },
                "节点 2 的日志中没有“x=1”（各条目的任期依次为 1、1、2，已提交到索引 2）",
            ),
            (
                Client {
                    cmd: "x=1".into(),
                    result: sim::claim::ClientClaim::Pending,
                },
                "客户端请求“x=1”目前的结果：已提议，尚未回复",
            ),
            (
                FlaggedOnly {
                    properties: vec![Property::ElectionSafety, Property::LogMatching],
                },
                "安全检查只标出了：选举安全、日志匹配",
            ),
        ];
        for (u, zh) in cases {
            assert_eq!(unmet(Lang::Zh, &u), zh, "{u:?}");
        }
    }
}
