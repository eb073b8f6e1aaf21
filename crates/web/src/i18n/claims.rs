//! Claims (`sim::Claim`, the `expect` lines of scenarios and lessons) read
//! as sentences in either language, for the lesson panel: the page shows
//! what a claim says rather than its source text.

use raft::NodeId;
use sim::claim::RoleClaim;
use sim::{Claim, Property};

use super::reasons::client_claim;
use super::{t, tf, Lang};
use crate::eventlog::{list, property_name};

/// `node 3` or `nodes 1, 2` (节点 3, 节点 1、2).
fn nodes_phrase(lang: Lang, nodes: &[NodeId]) -> String {
    let key = if nodes.len() == 1 {
        "cl_node"
    } else {
        "cl_nodes"
    };
    tf(lang, key, &[&list(lang, nodes)])
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
        } => tf(lang, "cl_uncommitted", &[cmd, &n(nodes)]),
        Claim::Uncommitted {
            index: Some(i),
            cmd,
            nodes,
        } => tf(lang, "cl_uncommitted_at", &[cmd, &n(nodes), &s(*i)]),
        Claim::Absent { cmd, nodes } => tf(lang, "cl_absent", &[cmd, &n(nodes)]),
        Claim::CommitIndex { index, nodes } => {
            tf(lang, "cl_commit_index", &[&s(*index), &n(nodes)])
        }
        Claim::Kv { key, value, nodes } => tf(lang, "cl_kv", &[key, value, &n(nodes)]),
        Claim::LogTerms { terms, nodes } if terms.is_empty() => {
            tf(lang, "cl_log_empty", &[&n(nodes)])
        }
        Claim::LogTerms { terms, nodes } => {
            tf(lang, "cl_log_terms", &[&list(lang, terms), &n(nodes)])
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(text: &str) -> Claim {
        let s = sim::Scenario::parse(&format!("raftlab 1\nnodes 5\nat 1s expect {text}\n"))
            .expect("a claim");
        s.expects[0].claim.clone()
    }

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
}
