//! A lesson's questions as the student meets them (issue 13): the run
//! holds at a step that asks, the student picks, the run plays on to the
//! reveal (in beats, like Next: never a jump), and there the live run
//! grades the pick with `lessons::Question::answer`.
//!
//! Each question goes `Asking` → `Revealing { picked }` → `Revealed {
//! picked, right }`. The rules, each with a test below:
//! - Next does not pass an unanswered question ([`Refusal::AnswerFirst`]);
//!   playing into one pauses at its step.
//! - A pick plays to the reveal; at the reveal the run grades it. A run
//!   that cannot (no choice, or several, holds: the student changed it)
//!   is not graded (`right: None`) and scores nothing.
//! - Travelling away during the reveal (Back, the timeline) forgets the
//!   pick: the question is asked again.
//! - An answered question keeps its result when revisited; only
//!   [`Session::lesson_reset_answers`] ("Reset progress") asks it again.
//! - A reveal at a later step's moment (the usual case: "what happens
//!   next" is answered by the next step) keeps the graded question, its
//!   verdict and explanation on screen over that step: it is *held*
//!   until Next (which then only lets the step's own question be asked),
//!   Back or any travel.

use lessons::Lesson;

use super::beats::Beats;
use super::lesson::shown_step;
use super::{Refusal, Session};

/// Where one question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Asked and not answered: the run holds at its step.
    Asking,
    /// The student picked this choice; the run plays to the reveal.
    Revealing {
        /// The choice picked (0-based).
        picked: usize,
    },
    /// The run reached the reveal and graded the pick.
    Revealed {
        /// The choice picked (0-based).
        picked: usize,
        /// The choice whose claim held at the reveal; `None`: none or
        /// several held, so the run could not grade (not scored).
        right: Option<usize>,
    },
}

impl Answer {
    /// Whether the pick was right; `None` until graded, and for a run
    /// that could not grade it.
    pub fn correct(self) -> Option<bool> {
        match self {
            Answer::Revealed {
                picked,
                right: Some(r),
            } => Some(picked == r),
            _ => None,
        }
    }

    /// The choice picked, once there is one.
    pub fn picked(self) -> Option<usize> {
        match self {
            Answer::Asking => None,
            Answer::Revealing { picked } | Answer::Revealed { picked, .. } => Some(picked),
        }
    }
}

/// Every question of the lesson on screen and where it stands.
///
/// Invariant: one entry per step with a question, in step order; at most
/// one is `Revealing`; a `picked` or `right` is a choice of its question;
/// a `held` step's question is `Revealed`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Questions {
    /// (step index, where its question stands).
    asked: Vec<(usize, Answer)>,
    /// The step whose question was just graded at a later step's moment:
    /// its verdict stays on screen there until Next or a travel.
    held: Option<usize>,
}

impl Questions {
    /// Every question of `lesson`, none answered.
    pub fn new(lesson: &Lesson) -> Questions {
        Questions {
            asked: lesson
                .questions()
                .map(|(k, _)| (k, Answer::Asking))
                .collect(),
            held: None,
        }
    }

    /// The step whose graded question is held on screen over a later step.
    pub fn held(&self) -> Option<usize> {
        self.held
    }

    /// Where the question of step `k` stands (`None`: the step asks nothing).
    pub fn at(&self, k: usize) -> Option<Answer> {
        self.asked.iter().find(|(s, _)| *s == k).map(|(_, a)| *a)
    }

    fn set(&mut self, k: usize, answer: Answer) {
        if let Some(e) = self.asked.iter_mut().find(|(s, _)| *s == k) {
            e.1 = answer;
        }
    }

    /// The question being revealed: (its step, the choice picked).
    pub fn revealing(&self) -> Option<(usize, usize)> {
        self.asked.iter().find_map(|&(k, a)| match a {
            Answer::Revealing { picked } => Some((k, picked)),
            _ => None,
        })
    }

    /// (right, asked): the graded answers that were right, and all graded.
    pub fn score(&self) -> (usize, usize) {
        let graded = self.asked.iter().filter_map(|(_, a)| a.correct());
        graded.fold((0, 0), |(r, n), ok| (r + usize::from(ok), n + 1))
    }

    /// Whether every question has been answered (graded or not).
    pub fn all_answered(&self) -> bool {
        self.asked
            .iter()
            .all(|(_, a)| matches!(a, Answer::Revealed { .. }))
    }

    /// The pick being revealed is forgotten: asked again.
    fn cancel_reveal(&mut self) {
        if let Some((k, _)) = self.revealing() {
            self.set(k, Answer::Asking);
        }
    }
}

/// A pick the run has just graded (or could not grade).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Graded {
    /// The step of the question.
    pub step: usize,
    /// The choice picked.
    pub picked: usize,
    /// The choice that held at the reveal (`None`: the run could not grade).
    pub right: Option<usize>,
}

impl Session {
    /// The question on screen, with its step and where it stands: the
    /// one held to show its verdict, else the step shown's own.
    pub fn lesson_question(&self) -> Option<(usize, &lessons::Question, Answer)> {
        let l = self.lesson.as_ref()?;
        let k = l
            .questions
            .held
            .unwrap_or_else(|| shown_step(&l.lesson, self.sim.now_us()));
        let q = l.lesson.steps.get(k)?.question.as_ref()?;
        Some((k, q, l.questions.at(k)?))
    }

    /// A saved answer to question `id` (from the page's stored progress):
    /// shown as answered, with its result. Ignored unless the lesson asks
    /// `id` and both choices are among its choices.
    pub fn lesson_restore_answer(&mut self, id: &str, picked: usize, right: usize) {
        let Some(l) = self.lesson.as_mut() else {
            return;
        };
        let found = l.lesson.questions().find(|(_, q)| q.id == id);
        if let Some((k, _)) = found.filter(|(_, q)| picked.max(right) < q.choices.len()) {
            l.questions.set(
                k,
                Answer::Revealed {
                    picked,
                    right: Some(right),
                },
            );
        }
    }

    /// "Reset progress": every question of the lesson is asked again.
    pub fn lesson_reset_answers(&mut self) {
        if let Some(l) = self.lesson.as_mut() {
            l.questions = Questions::new(&l.lesson);
            l.reveal = None;
            l.completed = false;
        }
    }

    /// Whether Next must wait: the step shown asks and is not answered.
    pub(super) fn lesson_must_answer(&self) -> bool {
        self.lesson_question()
            .is_some_and(|(_, _, a)| a == Answer::Asking)
    }

    /// The student picks `choice` of the question shown: the run goes to
    /// the question's moment (if it was scrubbed away from it) and plays
    /// to the reveal. Nothing for a question already answered (try again
    /// with "Reset progress") or a choice it does not have.
    pub(super) fn lesson_answer(&mut self, choice: usize) -> Result<(), Refusal> {
        let Some((k, q, Answer::Asking)) = self.lesson_question() else {
            return Ok(());
        };
        if choice >= q.choices.len() {
            return Ok(());
        }
        let Some(at) = self.lesson.as_ref().and_then(|l| l.lesson.steps.get(k)) else {
            return Ok(());
        };
        let at = at.at_us;
        if let Some(l) = self.lesson.as_mut() {
            l.questions.cancel_reveal();
            l.questions.set(k, Answer::Revealing { picked: choice });
            l.reveal = None;
        }
        if self.sim.now_us() != at {
            self.seek(at);
        }
        self.reveal_beat();
        Ok(())
    }

    /// Plays the next beat towards the reveal of the question being
    /// revealed (the plan is cut from the trace as Next's is).
    pub(super) fn reveal_beat(&mut self) {
        let now = self.sim.now_us();
        let Some((k, _)) = self.lesson.as_ref().and_then(|l| l.questions.revealing()) else {
            return;
        };
        let Some(beat) = self.reveal_plan(k).and_then(|b| b.after(now)) else {
            return;
        };
        if let Some(l) = self.lesson.as_mut() {
            l.target_us = Some(beat.end_us);
        }
        self.clock.play_until(beat.end_us, beat.speed);
    }

    /// The plan from step `k`'s moment to its question's reveal, made now
    /// if the one kept is for another run or speed.
    fn reveal_plan(&mut self, k: usize) -> Option<&Beats> {
        let key = self.plan_key();
        let l = self.lesson.as_ref()?;
        let step = l.lesson.steps.get(k)?;
        let (from_us, to_us) = (step.at_us, step.question.as_ref()?.reveal_us);
        if !l
            .reveal
            .as_ref()
            .is_some_and(|b| b.step == k && b.key == key)
        {
            let beats = self.plan_way(from_us, to_us);
            self.lesson.as_mut()?.reveal = Some(Beats {
                step: k,
                beats,
                key,
            });
        }
        self.lesson.as_ref()?.reveal.as_ref()
    }

    /// Back: a pick being revealed is forgotten (the question is asked
    /// again), and a held verdict leaves the screen.
    pub(super) fn questions_back(&mut self) {
        if let Some(l) = self.lesson.as_mut() {
            l.questions.cancel_reveal();
            l.questions.held = None;
            l.reveal = None;
        }
    }

    /// Next with a verdict held on screen: it leaves. Whether that is all
    /// this Next does: the step shown asks a question of its own, which now
    /// takes its place (else Next goes on at once: no press is wasted).
    pub(super) fn questions_release(&mut self) -> bool {
        let before_question = self.lesson_held_before_question();
        if let Some(l) = self.lesson.as_mut() {
            l.questions.held = None;
        }
        before_question
    }

    /// Whether the verdict on screen is held over a step that asks its
    /// own question next (what the panel tells the student Next does).
    pub fn lesson_held_before_question(&self) -> bool {
        let Some(l) = self.lesson.as_ref() else {
            return false;
        };
        l.questions.held.is_some()
            && l.questions
                .at(shown_step(&l.lesson, self.sim.now_us()))
                .is_some()
    }

    /// After a frame: grades the pick at the reveal, plays the reveal's
    /// next beat when one ends, forgets the pick when the run travelled
    /// away, and holds the run at an unanswered question it played into.
    pub(super) fn questions_tick(&mut self) -> Option<Graded> {
        let now = self.sim.now_us();
        let playing = self.clock.playing();
        let free_play = playing && self.clock.pause_at_us().is_none();
        let l = self.lesson.as_mut()?;
        if let Some((k, picked)) = l.questions.revealing() {
            let step = l.lesson.steps.get(k)?;
            let q = step.question.as_ref()?;
            let (at, reveal) = (step.at_us, q.reveal_us);
            if now == reveal {
                let right = q.answer(&self.sim);
                l.questions.set(k, Answer::Revealed { picked, right });
                if shown_step(&l.lesson, now) != k {
                    l.questions.held = Some(k);
                }
                l.reveal = None;
                return Some(Graded {
                    step: k,
                    picked,
                    right,
                });
            }
            let beat_ended = l
                .reveal
                .as_ref()
                .is_some_and(|b| b.beats.iter().any(|b| b.end_us == now));
            if now < at || now > reveal {
                l.questions.set(k, Answer::Asking);
                l.reveal = None;
            } else if !playing && beat_ended {
                self.reveal_beat();
            } else if free_play {
                // The toolbar's Play still stops at the reveal.
                self.clock.play_until(reveal, self.clock.user_speed());
            }
            return None;
        }
        if let Some(h) = l.questions.held {
            let reveal = l.lesson.steps.get(h).and_then(|s| s.question.as_ref());
            if reveal.is_none_or(|q| q.reveal_us != now) {
                l.questions.held = None;
            }
        }
        let k = shown_step(&l.lesson, now);
        if playing && l.questions.at(k) == Some(Answer::Asking) {
            let at = l.lesson.steps.get(k).map_or(now, |s| s.at_us);
            self.clock.set_playing(false);
            if now > at {
                self.seek(at);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Intent, LessonTick, Source};
    use sim::{Action, Scenario, Sim, SimOptions};

    /// The fixture of the browser tests: two questions (first-leader at
    /// step 0, revealed at 191 ms, answer node 1; after-crash at step 1,
    /// revealed at 800 ms, answer node 2; the last step is at 1 s).
    const ASKS: &str = include_str!("../../../../tests/browser/fixtures/asks.lesson");

    fn asks() -> Lesson {
        Lesson::parse(ASKS).expect("fixture parses")
    }

    fn opened() -> Session {
        let sc = Scenario::parse("nodes 3\nseed 7\n").expect("scenario");
        let sim = Sim::with_options(sc.clone(), SimOptions::default()).expect("sim");
        let mut s = Session::new(sim, sc, false, 0.1);
        s.open_lesson(asks(), Source::Url("asks.lesson".into()))
            .expect("open");
        s
    }

    /// Frames of 16 ms until the run pauses (and one more tick).
    fn play_out(s: &mut Session, ts: &mut f64) -> Vec<LessonTick> {
        let mut ticks = vec![s.lesson_tick(*ts).expect("lesson")];
        for _ in 0..20_000 {
            if !s.playing() {
                break;
            }
            let before = s.sim().now_us();
            *ts += 16.0;
            s.frame(*ts, false);
            s.refresh_view();
            assert!(
                s.sim().now_us() - before <= (16_000.0 * s.speed()) as u64 + 1,
                "a frame never jumps"
            );
            ticks.push(s.lesson_tick(*ts).expect("lesson"));
        }
        assert!(!s.playing(), "the play ends");
        ticks
    }

    fn graded(ticks: &[LessonTick]) -> Vec<Graded> {
        ticks.iter().filter_map(|t| t.graded).collect()
    }

    #[test]
    fn the_fixture_lesson_passes_its_checks() {
        assert_eq!(asks().check(), vec![]);
        assert_eq!(asks().questions().count(), 2);
    }

    #[test]
    fn next_does_not_pass_an_unanswered_question() {
        let mut s = opened();
        assert_eq!(s.lesson_question().map(|q| q.2), Some(Answer::Asking));
        let at = s.sim().now_us();
        assert_eq!(s.apply(Intent::LessonNext), Err(Refusal::AnswerFirst));
        assert!(!s.playing());
        assert_eq!(s.sim().now_us(), at);
        // Play from the toolbar is held at the question's step too.
        s.apply(Intent::SetPlaying(true)).expect("play");
        let mut ts = 0.0;
        play_out(&mut s, &mut ts);
        assert_eq!(s.sim().now_us(), at, "held at the question");
    }

    #[test]
    fn a_pick_plays_to_the_reveal_and_the_run_grades_it() {
        let mut s = opened();
        s.apply(Intent::LessonAnswer(0)).expect("pick");
        assert!(s.playing(), "the pick plays");
        assert_eq!(
            s.lesson_question().map(|q| q.2),
            Some(Answer::Revealing { picked: 0 })
        );
        let mut ts = 0.0;
        let g = graded(&play_out(&mut s, &mut ts));
        assert_eq!(s.sim().now_us(), 191_000, "paused at the reveal");
        assert_eq!(
            g,
            vec![Graded {
                step: 0,
                picked: 0,
                right: Some(0)
            }]
        );
        assert_eq!(s.lesson().map(|l| l.questions.score()), Some((1, 1)));
        // The reveal is the next step's moment here: the graded question
        // stays on screen there, with its verdict, until Next ...
        assert_eq!(s.lesson_tick(ts).map(|t| t.step), Some(1));
        assert_eq!(
            s.lesson_question().map(|q| (q.0, q.2)),
            Some((
                0,
                Answer::Revealed {
                    picked: 0,
                    right: Some(0)
                }
            ))
        );
        assert!(s.lesson_held_before_question());
        // ... which only lets step 1's own question be asked.
        s.apply(Intent::LessonNext).expect("next");
        assert!(!s.playing());
        assert_eq!(
            s.lesson_question().map(|q| (q.0, q.2)),
            Some((1, Answer::Asking))
        );
        // A wrong pick: the run shows the right one.
        s.apply(Intent::LessonAnswer(1)).expect("pick");
        let g = graded(&play_out(&mut s, &mut ts));
        assert_eq!(s.sim().now_us(), 800_000);
        assert_eq!(g[0].right, Some(0), "node 2 leads after the crash");
        assert_eq!(s.lesson().map(|l| l.questions.score()), Some((1, 2)));
        // Next continues after the reveal, to the last step: complete.
        s.apply(Intent::LessonNext).expect("next");
        let ticks = play_out(&mut s, &mut ts);
        assert_eq!(s.sim().now_us(), 1_000_000);
        assert!(ticks.iter().any(|t| t.completed));
        assert!(s.lesson().is_some_and(|l| l.completed));
    }

    #[test]
    fn a_long_reveal_plays_in_beats_without_a_press() {
        let mut s = opened();
        s.apply(Intent::LessonAnswer(0)).expect("pick");
        let mut ts = 0.0;
        play_out(&mut s, &mut ts);
        // 191 → 800 ms at 0.1× is 6 s: more than one beat, all played.
        s.apply(Intent::LessonNext)
            .expect("next: step 1's question");
        s.apply(Intent::LessonAnswer(0)).expect("pick");
        let g = graded(&play_out(&mut s, &mut ts));
        assert_eq!(s.sim().now_us(), 800_000);
        assert_eq!(g.len(), 1);
        assert!(ts > 4000.0, "it played, {ts} ms");
    }

    #[test]
    fn a_changed_run_is_not_graded() {
        let mut s = opened();
        // With nodes 1 and 2 down, node 3 alone is no majority: nobody
        // leads at the reveal, and none of the three choices holds.
        s.act_all(vec![Action::Crash { node: 1 }, Action::Crash { node: 2 }])
            .expect("crash");
        // The lesson's own crash at 300 ms lies ahead: acting asks first.
        s.apply(Intent::ConfirmFork(true)).expect("fork");
        assert_eq!(s.view().nodes.iter().filter(|n| n.up).count(), 1);
        s.apply(Intent::LessonAnswer(0)).expect("pick");
        let mut ts = 0.0;
        let g = graded(&play_out(&mut s, &mut ts));
        assert_eq!(
            g,
            vec![Graded {
                step: 0,
                picked: 0,
                right: None
            }]
        );
        assert_eq!(s.lesson().map(|l| l.questions.score()), Some((0, 0)));
        let a = s.lesson().and_then(|l| l.questions.at(0));
        assert_eq!(a.and_then(Answer::correct), None, "not scored");
    }

    #[test]
    fn an_answered_question_keeps_its_result_when_revisited() {
        let mut s = opened();
        s.apply(Intent::LessonAnswer(2)).expect("pick");
        let mut ts = 0.0;
        play_out(&mut s, &mut ts);
        s.apply(Intent::LessonBack).expect("back");
        let q = s.lesson_question().expect("question");
        assert_eq!(q.0, 0);
        assert_eq!(
            q.2,
            Answer::Revealed {
                picked: 2,
                right: Some(0)
            }
        );
        // Picking again does nothing; Next passes it.
        s.apply(Intent::LessonAnswer(0)).expect("pick");
        assert!(!s.playing());
        s.apply(Intent::LessonNext).expect("next");
        assert!(s.playing());
        // Reset progress asks it again.
        s.lesson_reset_answers();
        assert_eq!(s.lesson().map(|l| l.questions.score()), Some((0, 0)));
    }

    #[test]
    fn a_held_verdict_leaves_on_back_and_on_travel() {
        let mut s = opened();
        s.apply(Intent::LessonAnswer(0)).expect("pick");
        let mut ts = 0.0;
        play_out(&mut s, &mut ts);
        assert_eq!(s.lesson().and_then(|l| l.questions.held()), Some(0));
        s.apply(Intent::LessonBack).expect("back");
        assert_eq!(s.lesson().and_then(|l| l.questions.held()), None);
        // Back is at step 0 now, where the answered question is its own.
        assert_eq!(s.lesson_question().map(|q| q.0), Some(0));
        s.apply(Intent::Seek(191_000)).expect("seek");
        let _ = s.lesson_tick(0.0);
        assert_eq!(
            s.lesson_question().map(|q| (q.0, q.2)),
            Some((1, Answer::Asking)),
            "only a reveal holds a verdict, not a visit"
        );
    }

    #[test]
    fn travelling_away_during_the_reveal_forgets_the_pick() {
        let mut s = opened();
        s.apply(Intent::LessonAnswer(1)).expect("pick");
        s.apply(Intent::LessonBack).expect("back");
        assert_eq!(s.lesson_question().map(|q| q.2), Some(Answer::Asking));
        s.apply(Intent::LessonAnswer(1)).expect("pick");
        s.apply(Intent::Seek(500_000)).expect("seek");
        let _ = s.lesson_tick(0.0);
        assert_eq!(
            s.lesson().and_then(|l| l.questions.at(0)),
            Some(Answer::Asking)
        );
    }

    #[test]
    fn a_saved_answer_is_shown_and_a_foreign_one_ignored() {
        let mut s = opened();
        s.lesson_restore_answer("after-crash", 1, 0);
        s.lesson_restore_answer("after-crash", 7, 0);
        s.lesson_restore_answer("no-such", 0, 0);
        let l = s.lesson().expect("lesson");
        assert_eq!(l.questions.at(0), Some(Answer::Asking));
        assert_eq!(
            l.questions.at(1),
            Some(Answer::Revealed {
                picked: 1,
                right: Some(0)
            })
        );
        assert_eq!(l.questions.score(), (0, 1));
    }
}
