//! The words painted on the canvas, as plain functions of what they show:
//! no canvas here, so they are tested natively (the Chinese page test reads
//! them too).

use raft::{LogIndex, NodeId, Role, Term};
use sim::MembershipRole;

use crate::eventlog::{list, role_name};
use crate::i18n::{t, tf, Lang};

/// `term 3` inside a node.
pub fn node_term(lang: Lang, term: Term) -> String {
    tf(lang, "node_term", &[&term.to_string()])
}

/// The role under a node, with its membership when it is not a voter:
/// `follower · learner`.
pub fn role_line(lang: Lang, role: Option<Role>, membership_role: MembershipRole) -> String {
    let role = role_name(lang, role);
    match membership_role {
        MembershipRole::NotMember => format!("{} · {}", role, t(lang, "removed")),
        MembershipRole::Learner => format!("{} · {}", role, t(lang, "learner")),
        MembershipRole::Voter | MembershipRole::Outgoing => role.to_string(),
    }
}

/// The vote line under a node: the votes a candidate holds, whom a
/// follower voted for; none for a leader.
pub fn vote_line(
    lang: Lang,
    role: Option<Role>,
    voted_for: Option<NodeId>,
    votes_received: &[NodeId],
) -> Option<String> {
    Some(match role {
        Some(Role::Candidate) | Some(Role::PreCandidate) => {
            format!("{} {}", t(lang, "votes"), list(lang, votes_received))
        }
        Some(Role::Leader) => return None,
        _ => match voted_for {
            Some(v) => format!("{} {v}", t(lang, "voted_for")),
            None => t(lang, "no_vote").to_string(),
        },
    })
}

/// `Partitioned: ① 1, 2  |  ② 3, 4, 5` in the corner: each group with
/// the number its shading is labelled with ([`group_label`]).
pub fn partition_banner(lang: Lang, groups: &[Vec<NodeId>]) -> String {
    let g = groups
        .iter()
        .enumerate()
        .map(|(k, g)| format!("{} {}", group_mark(k), list(lang, g)))
        .collect::<Vec<_>>()
        .join("  |  ");
    format!("{}: {g}", t(lang, "partitioned"))
}

/// Circled numbers for partition groups: never a server's id (`S1`) nor a
/// lesson's letter for one (`a`, `A`, `(a)`).
const GROUP_MARKS: [&str; 4] = ["①", "②", "③", "④"];

/// The mark of partition group `k` (0-based): ①, ②, …
pub fn group_mark(k: usize) -> &'static str {
    GROUP_MARKS[k % GROUP_MARKS.len()]
}

/// The label of partition group `k` (0-based) beside its shading:
/// `group ①` (分组 ①).
pub fn group_label(lang: Lang, k: usize) -> String {
    tf(lang, "group_label", &[group_mark(k)])
}

/// The lesson's name of server `id` (`name` lines), drawn in a tag beside
/// its `S{id}`: none for a server the lesson does not name.
pub fn name_tag(names: &[(NodeId, String)], id: NodeId) -> Option<&str> {
    names
        .iter()
        .find(|(n, _)| *n == id)
        .map(|(_, w)| w.as_str())
}

/// The leader's bookkeeping for a follower, beside its log row:
/// `next 5 · match 4`.
pub fn progress_label(lang: Lang, next_index: LogIndex, match_index: LogIndex) -> String {
    format!(
        "{} {} · {} {}",
        t(lang, "next_index"),
        next_index,
        t(lang, "match_index"),
        match_index
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words read as they did when they were written inline.
    #[test]
    fn canvas_words_in_both_languages() {
        assert_eq!(node_term(Lang::En, 3), "term 3");
        assert_eq!(node_term(Lang::Zh, 3), "任期 3");
        assert_eq!(
            role_line(Lang::En, Some(Role::Follower), MembershipRole::Learner),
            "follower · learner"
        );
        assert_eq!(
            role_line(Lang::En, None, MembershipRole::NotMember),
            "crashed · not a member"
        );
        assert_eq!(
            role_line(Lang::En, Some(Role::Leader), MembershipRole::Voter),
            "leader"
        );
        assert_eq!(vote_line(Lang::En, Some(Role::Leader), Some(1), &[]), None);
        assert_eq!(
            vote_line(Lang::En, Some(Role::Candidate), Some(1), &[1, 2]).as_deref(),
            Some("votes 1, 2")
        );
        assert_eq!(
            vote_line(Lang::En, Some(Role::Follower), None, &[]).as_deref(),
            Some("no vote")
        );
        assert_eq!(
            partition_banner(Lang::En, &[vec![1, 2], vec![3]]),
            "Partitioned: ① 1, 2  |  ② 3"
        );
        assert_eq!(group_label(Lang::En, 1), "group ②");
        assert_eq!(group_label(Lang::Zh, 0), "分组 ①");
        assert_eq!(progress_label(Lang::En, 5, 4), "next 5 · match 4");
    }

    /// Rule: a lesson's servers wear the names its narration uses, and a
    /// partition group is labelled with a number no server has.
    #[test]
    fn lesson_10_servers_show_their_letters_and_groups_are_numbered() {
        let l = lessons::by_id("10-membership-change").expect("bundled");
        let tags: Vec<Option<&str>> = (1..=6).map(|id| name_tag(&l.names, id)).collect();
        assert_eq!(
            tags,
            [Some("A"), Some("B"), Some("C"), Some("D"), Some("E"), None]
        );
        for lang in [Lang::En, Lang::Zh] {
            for k in 0..4 {
                let g = group_label(lang, k);
                for name in ["A", "B", "C", "D", "E"] {
                    assert!(!g.contains(name), "{g}");
                }
                assert!(!g.chars().any(|c| c.is_ascii_digit()), "{g}");
            }
        }
        assert_eq!(name_tag(&[], 1), None);
    }
}
