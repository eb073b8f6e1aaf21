//! Which rules the panel highlights: those of the selected event (an
//! event-log line clicked), or else those of the latest moment: every event
//! of the last instant up to now that applied a rule (one input and what
//! it caused, say a vote arriving and the candidate becoming leader).

use raft::Rule;
use sim::Sim;

/// How far back the latest event with a rule is looked for: runs of
/// events without one (lost messages, faults) are short.
const LOOKBACK_MAX: usize = 256;

/// What the panel shows: the event named above the list (an index into
/// `Sim::trace`) and the rules to highlight, most specific first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pick {
    /// The event the panel names, if any.
    pub event: Option<usize>,
    /// The rules to highlight.
    pub rules: Vec<Rule>,
}

/// The rules of the selected event `i`.
pub fn selected(sim: &Sim, i: usize) -> Pick {
    Pick {
        event: Some(i),
        rules: sim.rules_at(i),
    }
}

/// The latest moment up to now: the last event that applied a rule, and
/// the rules of every event of its instant.
pub fn latest(sim: &Sim) -> Pick {
    let n = sim.trace_len_now();
    let mut pick = Pick::default();
    let mut instant = None;
    let from = n.saturating_sub(LOOKBACK_MAX).max(sim.trace_base());
    for (i, e) in (from..n).zip(sim.trace_range(from, n)).rev() {
        let t = e.t;
        if instant.is_some_and(|at| at != t) {
            break;
        }
        let rules = sim.rules_at(i);
        if rules.is_empty() {
            continue;
        }
        // The first event found is the latest with a rule; its instant's
        // earlier events add theirs.
        pick.event.get_or_insert(i);
        instant = Some(t);
        for r in rules {
            if !pick.rules.contains(&r) {
                pick.rules.push(r);
            }
        }
    }
    pick
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::{Ev, Scenario};

    fn lesson_run(id: &str, until_us: u64) -> Sim {
        let lesson = lessons::by_id(id).expect("a bundled lesson");
        let mut sim = Sim::new(lesson.scenario.clone()).expect("it runs");
        sim.seek(until_us);
        sim
    }

    /// Lesson 1 at its "leader" step (191 ms): the latest moment is node
    /// 1's election, and Candidates rule 2 (majority → leader) is lit.
    #[test]
    fn lesson1_after_the_election_highlights_candidates_majority() {
        let sim = lesson_run("01-first-election", 191_000);
        let pick = latest(&sim);
        assert!(pick.rules.contains(&Rule::CandidateMajority), "{pick:?}");
    }

    /// Lesson 6 at the moment follower (d) (node 5) takes the no-op: the
    /// latest moment is its deletion of the conflicting entries.
    #[test]
    fn lesson6_deletion_highlights_appendentries_receiver3() {
        let sim = lesson_run("06-log-repair", 95_782);
        let pick = latest(&sim);
        assert_eq!(
            pick.rules[..2],
            [Rule::AppendEntriesReceiver3, Rule::AppendEntriesReceiver4]
        );
        let e = &sim.trace()[pick.event.unwrap_or(0)];
        assert!(matches!(
            e.ev,
            Ev::Send { from: 5, .. } | Ev::Deliver { to: 5, .. }
        ));
    }

    /// A selected event shows its own rules, not the latest moment's.
    #[test]
    fn a_selected_event_shows_its_own_rule() {
        let sim = lesson_run("01-first-election", 300_000);
        let timeout = (0..sim.trace().len())
            .find(|&i| matches!(sim.trace()[i].ev, Ev::Timeout { node: 1, .. }))
            .expect("node 1 times out");
        assert_eq!(selected(&sim, timeout).rules, [Rule::FollowersTimeout]);
        assert_ne!(latest(&sim).rules, [Rule::FollowersTimeout]);
    }

    /// Before anything happened there is nothing to highlight.
    #[test]
    fn nothing_is_highlighted_before_the_first_event() {
        let sim = Sim::new(Scenario::default()).expect("it runs");
        assert_eq!(latest(&sim), Pick::default());
    }
}
