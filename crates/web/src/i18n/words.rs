//! Single words and short phrases about the cluster: membership roles,
//! message summaries, and a message's fields for its popup.

use raft::{Entry, Message, Payload};

use sim::MembershipRole;

use super::{t, tf, Lang};
use crate::eventlog::list;

/// A node's membership role (`sim::view::NodeView::membership_role`) in
/// `lang`; English is the view's own word. For the node details panel.
pub fn membership_role_name(lang: Lang, role: MembershipRole) -> &'static str {
    t(
        lang,
        match role {
            MembershipRole::Voter => "mr_voter",
            MembershipRole::Learner => "mr_learner",
            MembershipRole::Outgoing => "mr_outgoing",
            MembershipRole::NotMember => "mr_none",
        },
    )
}

/// A short description of a message: `AppendEntries (2 entries, term 3)`.
pub fn message_summary(lang: Lang, msg: &Message) -> String {
    match msg {
        Message::AppendEntries { term, entries, .. } if entries.is_empty() => {
            tf(lang, "msg_heartbeat", &[&term.to_string()])
        }
        Message::AppendEntries { term, entries, .. } => tf(
            lang,
            if entries.len() == 1 {
                "msg_append_one"
            } else {
                "msg_append"
            },
            &[&entries.len().to_string(), &term.to_string()],
        ),
        Message::AppendEntriesReply {
            term,
            success: true,
            match_index,
            ..
        } => tf(
            lang,
            "msg_append_ok",
            &[&match_index.to_string(), &term.to_string()],
        ),
        Message::AppendEntriesReply { term, .. } => {
            tf(lang, "msg_append_fail", &[&term.to_string()])
        }
        Message::RequestVoteReply { term, granted } | Message::PreVoteReply { term, granted } => {
            let key = if *granted {
                "msg_granted"
            } else {
                "msg_denied"
            };
            tf(lang, key, &[msg.type_name(), &term.to_string()])
        }
        other => tf(
            lang,
            "msg_other",
            &[other.type_name(), &other.term().to_string()],
        ),
    }
}

/// `true`/`false` in English (as the fields are written), 是/否 in Chinese.
fn yes_no(lang: Lang, v: bool) -> String {
    t(lang, if v { "yes" } else { "no" }).to_string()
}

/// Entries as the popup lists them: `3@2 set a=5; 4@2 no-op`.
fn entries_text(lang: Lang, es: &[Entry]) -> String {
    if es.is_empty() {
        return format!("[] ({})", t(lang, "legend_hb"));
    }
    es.iter()
        .map(|e| {
            let what = match &e.payload {
                Payload::Noop => t(lang, "ev_commit_noop").to_string(),
                Payload::Command { cmd } => cmd.to_string(),
                Payload::Config { membership } => {
                    let voters: Vec<_> = membership.voters.iter().copied().collect();
                    tf(lang, "mf_config", &[&list(lang, &voters)])
                }
            };
            format!("{}@{} {what}", e.index, e.term)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A message's fields as (label, value) rows for its popup, labels in
/// `lang` (in Chinese, the paper's names for Figure 2's arguments). In
/// English, the same rows as `app::message_fields`, which this replaces.
///
/// One arm per message type, each a list of fields: the match reads as a
/// table.
pub fn message_fields(lang: Lang, msg: &Message) -> Vec<(&'static str, String)> {
    use Message as M;
    let f = |key: &str, v: String| (t(lang, key), v);
    let n = |v: &u64| v.to_string();
    match msg {
        M::RequestVote {
            term,
            candidate,
            last_log_index,
            last_log_term,
            transfer,
        } => vec![
            f("mf_term", n(term)),
            f("mf_candidate", candidate.to_string()),
            f("mf_last_log_index", n(last_log_index)),
            f("mf_last_log_term", n(last_log_term)),
            f("mf_transfer", yes_no(lang, *transfer)),
        ],
        M::RequestVoteReply { term, granted } | M::PreVoteReply { term, granted } => {
            vec![
                f("mf_term", n(term)),
                f("mf_granted", yes_no(lang, *granted)),
            ]
        }
        M::PreVote {
            term,
            candidate,
            last_log_index,
            last_log_term,
        } => vec![
            f("mf_term", n(term)),
            f("mf_candidate", candidate.to_string()),
            f("mf_last_log_index", n(last_log_index)),
            f("mf_last_log_term", n(last_log_term)),
        ],
        M::AppendEntries {
            term,
            leader,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
        } => vec![
            f("mf_term", n(term)),
            f("mf_leader", leader.to_string()),
            f("mf_prev_log_index", n(prev_log_index)),
            f("mf_prev_log_term", n(prev_log_term)),
            f("mf_entries", entries_text(lang, entries)),
            f("mf_leader_commit", n(leader_commit)),
        ],
        M::AppendEntriesReply {
            term,
            success,
            match_index,
            conflict_term,
            conflict_index,
        } => vec![
            f("mf_term", n(term)),
            f("mf_success", yes_no(lang, *success)),
            f("mf_match_index", n(match_index)),
            f(
                "mf_conflict_term",
                conflict_term.map_or("—".to_string(), |v| v.to_string()),
            ),
            f("mf_conflict_index", n(conflict_index)),
        ],
        M::InstallSnapshot {
            term,
            leader,
            snapshot,
        } => vec![
            f("mf_term", n(term)),
            f("mf_leader", leader.to_string()),
            f("mf_last_index", n(&snapshot.last_index)),
            f("mf_last_term", n(&snapshot.last_term)),
        ],
        M::InstallSnapshotReply { term, last_index } => {
            vec![f("mf_term", n(term)), f("mf_last_index", n(last_index))]
        }
        M::TimeoutNow { term, leader } => {
            vec![f("mf_term", n(term)), f("mf_leader", leader.to_string())]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English rows are the ones `app::message_fields` shows (the field
    /// names, `true`/`false`), so the lead can swap one for the other
    /// without a visible change in English.
    #[test]
    fn english_fields_are_the_apps() {
        let rv = Message::RequestVote {
            term: 2,
            candidate: 1,
            last_log_index: 3,
            last_log_term: 1,
            transfer: false,
        };
        let rows = |v: Vec<(&str, String)>| {
            v.into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            rows(message_fields(Lang::En, &rv)),
            "term=2 candidate=1 last_log_index=3 last_log_term=1 transfer=false"
        );
        assert_eq!(
            rows(message_fields(Lang::Zh, &rv)),
            "任期=2 候选人=1 lastLogIndex=3 lastLogTerm=1 领导权转移=否"
        );
        let ae = Message::AppendEntries {
            term: 2,
            leader: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: Vec::new(),
            leader_commit: 0,
        };
        assert!(rows(message_fields(Lang::En, &ae)).contains("entries=[] (heartbeat)"));
        assert_eq!(
            membership_role_name(Lang::En, MembershipRole::Voter),
            "voter"
        );
        assert_eq!(
            membership_role_name(Lang::Zh, MembershipRole::Learner),
            "学习者"
        );
    }
}
