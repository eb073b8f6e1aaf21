//! Scenario directives the event log quotes (a setting that changed, a
//! membership change asked for, a configuration entry), as words in
//! either language. The trace carries their directive text; it is parsed
//! back with the scenario parser, so the translation works on the typed
//! value. English is the directive itself, as the scenario says it.

use raft::NodeId;
use sim::scenario::BackoffMode;
use sim::units::format_duration_us;
use sim::{Action, Setting};

use super::{t, tf, Lang};
use crate::eventlog::list;

/// Node ids as the directive writes them in English (`1 2 3`), as a list
/// in Chinese (`1、2、3`).
fn ids(lang: Lang, nodes: &[NodeId]) -> String {
    match lang {
        Lang::En => nodes
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        Lang::Zh => list(lang, nodes),
    }
}

fn on_off(lang: Lang, on: bool) -> &'static str {
    t(lang, if on { "on" } else { "off" })
}

/// A setting that changed during the run (`Ev::Setting`): `prevote on`,
/// 预投票（PreVote）开.
pub fn setting_text(lang: Lang, setting: &Setting) -> String {
    if lang == Lang::En {
        return setting.to_string();
    }
    let d = format_duration_us;
    match *setting {
        Setting::ElectionTimeout { min_us, max_us } => {
            tf(lang, "set_election_timeout", &[&d(min_us), &d(max_us)])
        }
        Setting::Heartbeat { every_us } => tf(lang, "set_heartbeat", &[&d(every_us)]),
        Setting::Latency { min_us, max_us } => tf(lang, "set_latency", &[&d(min_us), &d(max_us)]),
        Setting::Loss(p) => tf(lang, "set_loss", &[&p.to_string()]),
        Setting::Duplicate(p) => tf(lang, "set_duplicate", &[&p.to_string()]),
        Setting::Reorder(p) => tf(lang, "set_reorder", &[&p.to_string()]),
        Setting::PreVote(b) => tf(lang, "set_prevote", &[on_off(lang, b)]),
        Setting::CheckQuorum(b) => tf(lang, "set_check_quorum", &[on_off(lang, b)]),
        Setting::StickyLeader(b) => tf(lang, "set_sticky_leader", &[on_off(lang, b)]),
        Setting::Noop(b) => tf(lang, "set_noop", &[on_off(lang, b)]),
        Setting::Backoff(BackoffMode::Decrement) => t(lang, "set_backoff_decrement").into(),
        Setting::Backoff(BackoffMode::Hint) => t(lang, "set_backoff_hint").into(),
        Setting::Unsafe(switch, b) => {
            let name = match lang {
                Lang::En => switch.name(),
                Lang::Zh => t(lang, &format!("u_{}", switch.name().replace('-', "_"))),
            };
            tf(lang, "set_unsafe", &[name, on_off(lang, b)])
        }
        Setting::SnapshotEvery(None) => t(lang, "set_snapshot_off").into(),
        Setting::SnapshotEvery(Some(n)) => tf(lang, "set_snapshot_every", &[&n.to_string()]),
    }
}

/// A membership change or transfer asked for (`Ev::Change.change`):
/// `add 4`, 添加节点 4. Another action is written as its directive.
pub fn change_text(lang: Lang, change: &Action) -> String {
    let (key, nodes) = match change {
        Action::Add { node } => ("act_add", vec![*node]),
        Action::AddLearner { node } => ("act_add_learner", vec![*node]),
        Action::Remove { node } => ("act_remove", vec![*node]),
        Action::Change { voters } => ("act_change", voters.clone()),
        Action::UnsafeChange { voters } => ("act_unsafe_change", voters.clone()),
        Action::Transfer { to } => ("act_transfer", vec![*to]),
        _ => return change.to_string(),
    };
    tf(lang, key, &[&ids(lang, &nodes)])
}

/// A configuration entry as the trace writes it (`voters 1,2,3 old 1,2
/// learners 4`, see `Ev::Commit.cmd`), in `lang`. Text of another shape is
/// returned unchanged.
pub fn config_text(lang: Lang, text: &str) -> String {
    let mut out = String::new();
    let mut words = text.split(' ');
    while let Some(word) = words.next() {
        let key = match word {
            "voters" if out.is_empty() => "cfg_voters",
            "old" if !out.is_empty() => "cfg_old",
            "learners" if !out.is_empty() => "cfg_learners",
            _ => return text.to_string(),
        };
        let Some(nodes) = words.next().and_then(node_list) else {
            return text.to_string();
        };
        let nodes = match lang {
            Lang::En => nodes
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(","),
            Lang::Zh => list(lang, &nodes),
        };
        out.push_str(&tf(lang, key, &[&nodes]));
    }
    out
}

/// `1,2,3` → [1, 2, 3]; `None` if a part is not a node id.
fn node_list(text: &str) -> Option<Vec<NodeId>> {
    text.split(',').map(|n| n.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::parse_action;

    /// English reads exactly as the directive; Chinese has no directive words.
    #[test]
    fn directives_round_trip_in_english() {
        let settings = [
            "election-timeout 150ms 300ms",
            "heartbeat 50ms",
            "latency 10ms 20ms",
            "loss 5%",
            "duplicate 1.5%",
            "reorder 2%",
            "prevote on",
            "check-quorum off",
            "sticky-leader on",
            "noop off",
            "backoff decrement",
            "backoff hint",
            "unsafe commit-old-terms on",
            "snapshot-every 10",
            "snapshot-every off",
        ];
        let setting = |text: &str| match parse_action(text) {
            Ok(Action::Set(s)) => s,
            other => panic!("{text}: {other:?}"),
        };
        let action = |text: &str| parse_action(text).expect(text);
        for s in settings {
            assert_eq!(setting_text(Lang::En, &setting(s)), s);
            assert_ne!(setting_text(Lang::Zh, &setting(s)), s);
        }
        assert_eq!(
            setting_text(Lang::Zh, &setting("prevote on")),
            "预投票（PreVote）开"
        );
        for c in [
            "add 4",
            "add-learner 5",
            "remove 2",
            "change 1 2 3",
            "unsafe-change 1 2",
            "transfer 3",
        ] {
            assert_eq!(change_text(Lang::En, &action(c)), c);
            assert_ne!(change_text(Lang::Zh, &action(c)), c);
        }
        assert_eq!(
            change_text(Lang::Zh, &action("change 1 2 3")),
            "把投票成员改为 1、2、3"
        );
        for c in [
            "voters 1,2,3",
            "voters 1,2,3 old 1,2 learners 4",
            "voters 4 learners 5,6",
        ] {
            assert_eq!(config_text(Lang::En, c), c);
        }
        assert_eq!(
            config_text(Lang::Zh, "voters 1,2,3 old 1,2 learners 4"),
            "投票成员 1、2、3，旧配置 1、2，学习者 4"
        );
        assert_eq!(config_text(Lang::Zh, "something else"), "something else");
    }
}
