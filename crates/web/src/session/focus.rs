//! What the canvas marks for a lesson (issue 12): the servers, log entries
//! and messages the step shown is about, or those of the claim the student
//! points at in the narration panel; and the lesson's names for its
//! servers. Resolved against the view drawn, so the painter only compares
//! ids.

use raft::{LogIndex, NodeId};
use sim::claim::{EntryAt, Subjects};
use sim::EntryKind;
use sim::View;

use super::lesson::shown_step;
use super::Session;

/// Most entries one `EntryRef` range marks: the log strips show fewer.
const ENTRIES_PER_RANGE_MAX: u64 = 64;

/// The lesson's marks on the canvas, as ids of what the view holds.
///
/// Invariant: every id is in the view it was resolved against, each once.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Focus {
    /// Servers.
    pub nodes: Vec<NodeId>,
    /// Log entries as (server, index); an index may be the slot just past
    /// the log's end (where a nextIndex points).
    pub entries: Vec<(NodeId, LogIndex)>,
    /// Messages in flight, by id.
    pub messages: Vec<u64>,
}

impl Focus {
    /// Nothing marked.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.entries.is_empty() && self.messages.is_empty()
    }
}

/// What `subjects` name, found in `view`: a command's entry is the last
/// entry holding it (where a claim looks), an index range stops at the
/// slot after each log's end.
pub fn resolve(subjects: &Subjects, view: &View) -> Focus {
    let mut f = Focus::default();
    for n in &view.nodes {
        if subjects.nodes.contains(&n.id) {
            f.nodes.push(n.id);
        }
        let last = n.log.last().map_or(n.snapshot_index, |e| e.index);
        for e in &subjects.entries {
            if !e.nodes.is_empty() && !e.nodes.contains(&n.id) {
                continue;
            }
            match &e.at {
                EntryAt::Indexes { first, last: upto } => {
                    let top = (*upto)
                        .min(last + 1)
                        .min(first.saturating_add(ENTRIES_PER_RANGE_MAX - 1));
                    for i in *first..=top {
                        if !f.entries.contains(&(n.id, i)) {
                            f.entries.push((n.id, i));
                        }
                    }
                }
                EntryAt::Command(cmd) => {
                    let held = n
                        .log
                        .iter()
                        .rev()
                        .find(|x| x.kind == EntryKind::Command && x.cmd == *cmd);
                    if let Some(x) = held.filter(|x| !f.entries.contains(&(n.id, x.index))) {
                        f.entries.push((n.id, x.index));
                    }
                }
            }
        }
    }
    for m in &view.messages {
        if subjects
            .messages
            .iter()
            .any(|r| r.matches(m.msg.kind(), m.from, m.to))
        {
            f.messages.push(m.id);
        }
    }
    f
}

impl Session {
    /// What the canvas marks now. `hovered` is the claim the student points
    /// at, as (step, claim index): its subjects while that step is shown.
    /// Otherwise the shown step's ([`lessons::Step::subjects`]), until the
    /// student plays freely. Empty without a lesson.
    pub fn focus(&self, hovered: Option<(usize, usize)>) -> Focus {
        let Some(l) = &self.lesson else {
            return Focus::default();
        };
        let k = shown_step(&l.lesson, self.sim.now_us());
        let Some(step) = l.lesson.steps.get(k) else {
            return Focus::default();
        };
        let subjects = match hovered {
            Some((hk, i)) if hk == k => match step.expects.get(i) {
                Some(e) => e.claim.subjects(),
                None => return Focus::default(),
            },
            _ if l.free => return Focus::default(),
            _ => step.subjects(),
        };
        resolve(&subjects, &self.view)
    }

    /// The lesson's names of its servers (`name` lines); empty without one.
    pub fn server_names(&self) -> &[(NodeId, String)] {
        self.lesson.as_ref().map_or(&[], |l| &l.lesson.names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Intent, Source};

    fn session_at_lesson(id: &str) -> Session {
        let l = lessons::by_id(id).expect("bundled lesson");
        let sim = sim::Sim::new(l.scenario.clone()).expect("sim");
        let base = l.scenario.clone();
        let mut s = Session::new(sim, base, false, 1.0);
        s.open_lesson(l, Source::Bundled).expect("opens");
        s
    }

    /// Rule: a step without `focus` lines marks what its claims check.
    #[test]
    fn lesson_3_step_2_marks_the_leader_and_entry_2() {
        let mut s = session_at_lesson("03-log-replication");
        s.apply(Intent::LessonNext).expect("next");
        // Next plays to the step; seeking there stands for the animation.
        let at = s.lesson().map(|l| l.lesson.steps[1].at_us).unwrap_or(0);
        s.seek(at);
        let f = s.focus(None);
        assert!(f.nodes.contains(&1), "{f:?}");
        assert!(f.entries.contains(&(1, 2)), "{f:?}");
    }

    /// Rule: a hovered claim replaces the step's marks with its own, and
    /// only while its step is shown.
    #[test]
    fn a_hovered_claim_marks_what_it_checks() {
        let mut s = session_at_lesson("03-log-replication");
        let at = s.lesson().map(|l| l.lesson.steps[1].at_us).unwrap_or(0);
        s.seek(at);
        // Step 2's second claim: `absent "set a=5" on 2 3`.
        let f = s.focus(Some((1, 1)));
        assert_eq!(f.nodes, [2, 3]);
        assert!(f.entries.is_empty());
        // A claim of another step (the panel was not redrawn yet) marks nothing of its own.
        assert_eq!(s.focus(Some((0, 0))), s.focus(None));
        assert_eq!(s.focus(Some((1, 99))), Focus::default());
    }

    #[test]
    fn no_lesson_no_marks_and_no_names() {
        let sim = sim::Sim::new(sim::Scenario::default()).expect("sim");
        let s = Session::new(sim, sim::Scenario::default(), false, 1.0);
        assert!(s.focus(None).is_empty());
        assert!(s.server_names().is_empty());
    }

    /// Rule: a range stops just past each log's end; a command is found
    /// where the log holds it.
    #[test]
    fn ranges_stop_after_the_log_and_commands_are_found() {
        let s = session_at_lesson("03-log-replication");
        let v = s.view();
        let mut subjects = Subjects::default();
        subjects.entries.push(sim::claim::EntryRef {
            at: EntryAt::Indexes {
                first: 1,
                last: 1000,
            },
            nodes: vec![2],
        });
        let f = resolve(&subjects, v);
        let len = v.nodes[1].log.len() as u64;
        assert_eq!(f.entries.len() as u64, len + 1, "{f:?}");
        let mut by_cmd = Subjects::default();
        by_cmd.entries.push(sim::claim::EntryRef {
            at: EntryAt::Command("no such command".into()),
            nodes: vec![],
        });
        assert!(resolve(&by_cmd, v).entries.is_empty());
    }
}
