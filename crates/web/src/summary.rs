//! The canvas's text alternative: the cluster in words, one line per
//! server, in a list a keyboard reaches right after the canvas
//! (`#cluster-summary`), and the changes worth saying aloud in a polite
//! live region (`#live`): a new leader, a server down or up again, entries
//! committed. Plain functions of the view, tested natively; `panels.rs`
//! writes them to the page with the other slow panels.

use raft::{LogIndex, NodeId, Role, Term};
use sim::view::NodeView;
use sim::View;

use crate::eventlog::role_name;
use crate::i18n::{tf, Lang};

/// Real ms between two announcements of entries committed: under a stream
/// of requests the commit index moves every refresh, and a screen reader
/// that said each one would say nothing else.
pub const COMMIT_NEWS_MS: f64 = 3000.0;

/// One server in words: its role, term, log and commit index.
pub fn server_line(lang: Lang, n: &NodeView) -> String {
    let last = n.log.last().map_or(n.snapshot_index, |e| e.index);
    tf(
        lang,
        "sum_server",
        &[
            &n.id.to_string(),
            role_name(lang, n.role),
            &n.term.to_string(),
            &last.to_string(),
            &n.commit_index.to_string(),
        ],
    )
}

/// What the live region has said the cluster is: the leader and its term,
/// which servers are up, the highest commit index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heard {
    leader: Option<(NodeId, Term)>,
    up: Vec<(NodeId, bool)>,
    commit: LogIndex,
}

impl Heard {
    /// The highest commit index heard.
    pub fn commit(&self) -> LogIndex {
        self.commit
    }

    /// The same, but with `commit` as the highest commit index (one not
    /// said yet stays news).
    pub fn with_commit(self, commit: LogIndex) -> Heard {
        Heard { commit, ..self }
    }

    /// The cluster of `v` as the live region tells it.
    pub fn of(v: &View) -> Heard {
        let leader = v.leader.and_then(|id| {
            let n = v.nodes.iter().find(|n| n.id == id)?;
            (n.role == Some(Role::Leader)).then_some((id, n.term))
        });
        Heard {
            leader,
            up: v.nodes.iter().map(|n| (n.id, n.up)).collect(),
            commit: v.nodes.iter().map(|n| n.commit_index).max().unwrap_or(0),
        }
    }
}

/// The sentences that tell a listener who heard `before` what changed in
/// `now`; entries committed only if `commits_too` (see [`COMMIT_NEWS_MS`]).
/// A server that is new, or gone, is not news: the summary lists it.
pub fn news(lang: Lang, before: &Heard, now: &Heard, commits_too: bool) -> Vec<String> {
    let mut said = Vec::new();
    for &(id, up) in &now.up {
        let was = before.up.iter().find(|(b, _)| *b == id).map(|&(_, u)| u);
        if was.is_some_and(|was| was != up) {
            let key = if up { "sum_up" } else { "sum_down" };
            said.push(tf(lang, key, &[&id.to_string()]));
        }
    }
    if now.leader != before.leader {
        said.push(match now.leader {
            Some((id, term)) => tf(lang, "sum_leader", &[&id.to_string(), &term.to_string()]),
            None => tf(lang, "sum_no_leader", &[]),
        });
    }
    if commits_too && now.commit > before.commit {
        said.push(tf(lang, "sum_commit", &[&now.commit.to_string()]));
    }
    said
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::{Scenario, Sim};

    fn sim(text: &str) -> Sim {
        Sim::new(Scenario::parse(text).expect("scenario")).expect("sim")
    }

    /// A listener hears the election, then the crash of the leader and the
    /// next election, in the order they happen, and commits only when asked.
    #[test]
    fn the_live_region_tells_elections_crashes_and_commits() {
        let mut s = sim("nodes 3\nseed 7\nat 1s request \"set x=1\"\n");
        let start = Heard::of(&s.view());
        s.run_until(2_000_000);
        let elected = Heard::of(&s.view());
        let (leader, term) = elected.leader.expect("a leader by 2 s");
        let said = news(Lang::En, &start, &elected, true);
        assert_eq!(
            said,
            [
                format!("S{leader} is the leader of term {term}"),
                format!("Entries up to {} are committed", elected.commit),
            ]
        );
        assert!(elected.commit >= 2, "the no-op and set x=1");
        assert_eq!(
            news(Lang::En, &start, &elected, false).len(),
            1,
            "commits wait"
        );
        assert!(
            news(Lang::En, &elected, &elected, true).is_empty(),
            "nothing new"
        );

        s.act(sim::Action::Crash { node: leader });
        let crashed = Heard::of(&s.view());
        let said = news(Lang::En, &elected, &crashed, true);
        assert_eq!(
            said,
            [
                format!("S{leader} is down"),
                "No server leads now".to_string()
            ]
        );
        s.run_until(5_000_000);
        let next = Heard::of(&s.view());
        let (other, term2) = next.leader.expect("a new leader");
        assert!(other != leader && term2 > term);
        let zh = news(Lang::Zh, &crashed, &next, false);
        assert_eq!(zh.len(), 1);
    }

    /// Each server's line names its role, term, last index and commit.
    #[test]
    fn a_server_line_says_role_term_log_and_commit() {
        let mut s = sim("nodes 3\nseed 7\nat 1s request \"set x=1\"\n");
        s.run_until(2_000_000);
        let v = s.view();
        let leader = v.leader.expect("leader");
        let n = v.nodes.iter().find(|n| n.id == leader).expect("node");
        let line = server_line(Lang::En, n);
        assert_eq!(
            line,
            format!(
                "S{leader}: leader, term {}, log up to {}, committed up to {}",
                n.term,
                n.log.last().map_or(0, |e| e.index),
                n.commit_index
            )
        );
    }
}
