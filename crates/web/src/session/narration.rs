//! Following a lesson: opening it, Next and Back through its steps, its
//! safe run, and what its panel must show after each frame. The narration
//! drives the run only by seeking back, playing and restarting, so a lesson
//! is an ordinary run: the timeline, the event log and share links keep
//! working. Next only ever plays forward (see `beats`): the student sees
//! every message and timer between two steps.

use lessons::Lesson;
use sim::{Scenario, Sim};

use super::beats::{plan, Beat, Beats};
use super::lesson::{
    back_target, check_step, next_step, shown_step, ClaimsChecked, LessonState, LessonTick, Source,
    CLAIMS_EVERY_MS,
};
use super::{Refusal, Session};

impl Session {
    /// Starts `lesson`'s run, paused at its first step: after everything up
    /// to that moment, its own actions included, so its claims hold.
    pub fn open_lesson(&mut self, lesson: Lesson, source: Source) -> Result<(), Refusal> {
        if let Err(e) = lesson.sim() {
            return Err(Refusal::BadScenario(e.to_string()));
        }
        self.restart_with(lesson.scenario.clone())?;
        self.clock.set_playing(false);
        // Even at 0: a new run is at time 0 before its `at 0ms` actions.
        if let Some(first) = lesson.steps.first() {
            self.seek(first.at_us);
        }
        let violations = self.sim.violations().len();
        self.lesson = Some(LessonState::new(lesson, source, violations));
        Ok(())
    }

    /// Stops following the lesson; the run stays as it is (a beat Next
    /// was playing plays on to its end, at the speed the page shows).
    pub fn close_lesson(&mut self) {
        self.lesson = None;
    }

    /// Where the run is among Next's beats to the step after the one shown:
    /// (beats played, beats in all), see [`LessonState::beat_at`].
    pub fn lesson_beat(&self) -> Option<(usize, usize)> {
        let l = self.lesson.as_ref()?;
        let now = self.sim.now_us();
        l.beat_at(shown_step(&l.lesson, now), now, self.plan_key())
    }

    /// The claims are drawn again at the next tick (a new language).
    pub fn lesson_forget_claims(&mut self) {
        if let Some(l) = self.lesson.as_mut() {
            l.claims = None;
        }
    }

    /// Next: play the next beat towards the next step and pause where it
    /// ends (at the step itself after the last beat). Never a jump; pressed
    /// while a beat plays, nothing (the beat pauses by itself). At a
    /// question not answered yet it is refused; while a pick is being
    /// revealed it plays on to the reveal; with a verdict held on screen
    /// it only lets the step's own text and question take its place.
    pub(super) fn lesson_next(&mut self) -> Result<(), Refusal> {
        if self.questions_release() {
            return Ok(());
        }
        let now = self.sim.now_us();
        let Some(l) = self.lesson.as_ref() else {
            return Ok(());
        };
        if l.target_us.is_some() && self.clock.playing() {
            return Ok(());
        }
        if self.lesson_must_answer() {
            return Err(Refusal::AnswerFirst);
        }
        if l.questions.revealing().is_some() {
            self.reveal_beat();
            return Ok(());
        }
        let Some(k) = next_step(&l.lesson, now) else {
            return Ok(());
        };
        let Some(beat) = self.lesson_plan(k).and_then(|b| b.after(now)) else {
            return Ok(());
        };
        if let Some(l) = self.lesson.as_mut() {
            l.target_us = Some(beat.end_us);
        }
        self.clock.play_until(beat.end_us, beat.speed);
        Ok(())
    }

    /// The key a plan is made for: the run (its revision) and the user's speed.
    pub(super) fn plan_key(&self) -> (u64, u64) {
        (self.revision, self.clock.user_speed().to_bits())
    }

    /// Next's plan to step `k` from the step before it, made now if the
    /// one kept is for another way, run or speed.
    fn lesson_plan(&mut self, k: usize) -> Option<&Beats> {
        let key = self.plan_key();
        let l = self.lesson.as_ref()?;
        let to_us = l.lesson.steps.get(k)?.at_us;
        let from_us = k
            .checked_sub(1)
            .and_then(|p| l.lesson.steps.get(p))
            .map_or(0, |s| s.at_us);
        let current = l
            .beats
            .as_ref()
            .is_some_and(|b| b.step == k && b.key == key);
        if !current {
            let beats = self.plan_way(from_us, to_us);
            let plan = Beats {
                step: k,
                beats,
                key,
            };
            self.lesson.as_mut()?.beats = Some(plan);
        }
        self.lesson.as_ref()?.beats.as_ref()
    }

    /// The beats from `from_us` to `to_us` at the user's speed (see `beats::plan`).
    pub(super) fn plan_way(&self, from_us: u64, to_us: u64) -> Vec<Beat> {
        let speed = self.clock.user_speed();
        // The trace up to `to_us`: known after travelling back, else from
        // the same run replayed from its scenario (a run is a function of
        // it), so the run shown never gets ahead of the clock. (A fresh
        // run, not a clone: `Sim::clone` would add kilobytes of code to
        // the page.)
        // (The page's trace is a window: it must reach back to `from_us` too.)
        let trace = self.sim.trace();
        let known = trace.last().is_some_and(|e| e.t > to_us)
            && (self.sim.trace_base() == 0 || trace.first().is_some_and(|e| e.t < from_us));
        let mut ahead = None;
        if !known {
            ahead = Sim::new(self.sim.scenario().clone()).ok();
        }
        if let Some(a) = ahead.as_mut() {
            a.run_until(to_us);
        }
        let trace = ahead.as_ref().map_or(self.sim.trace(), |a| a.trace());
        plan(trace, from_us, to_us, speed)
    }

    /// Back: travel to the start of the step shown, or from there to the
    /// previous step's moment (see [`back_target`]).
    pub(super) fn lesson_back(&mut self) {
        self.questions_back();
        let now = self.sim.now_us();
        let Some(l) = self.lesson.as_mut() else {
            return;
        };
        l.target_us = None;
        let Some(target) = back_target(&l.lesson, now) else {
            return;
        };
        self.clock.set_playing(false);
        self.seek(target);
    }

    /// "Run it again with the rule" (`safe`) or back to the lesson's own
    /// run, at the same moment.
    pub(super) fn lesson_safe(&mut self, safe: bool) -> Result<(), Refusal> {
        let Some(l) = self.lesson.as_mut() else {
            return Ok(());
        };
        l.safe = safe;
        l.target_us = None;
        l.run = if safe {
            l.lesson.safe_scenario()
        } else {
            l.lesson.scenario.clone()
        };
        l.violations_seen = 0;
        let run = l.run.clone();
        let r = self.restart_at_same_moment(run);
        let violations = self.view.violations.len();
        if let Some(l) = self.lesson.as_mut() {
            l.violations_seen = violations;
        }
        r
    }

    /// Starts the lesson's run again at the moment shown.
    pub(super) fn lesson_restart(&mut self) -> Result<(), Refusal> {
        let Some(l) = self.lesson.as_mut() else {
            return Ok(());
        };
        l.target_us = None;
        let run = l.run.clone();
        self.restart_at_same_moment(run)
    }

    /// The free-play step's "play freely".
    pub(super) fn lesson_play_free(&mut self) {
        if let Some(l) = self.lesson.as_mut() {
            l.free = true;
            l.target_us = None;
        }
        self.clock.set_playing(true);
    }

    /// Replaces the run by `run`, paused at the moment now shown.
    fn restart_at_same_moment(&mut self, run: Scenario) -> Result<(), Refusal> {
        let now = self.sim.now_us();
        let r = self.restart_with(run);
        self.clock.set_playing(false);
        self.seek(now);
        r
    }

    /// After a frame (`ts_ms`, real ms; 0 right after a click): follows the
    /// timeline to the step shown, re-checks its claims when the run moved
    /// (at most every [`CLAIMS_EVERY_MS`] while playing), and notices the
    /// violation the lesson is about. `None` without a lesson.
    pub fn lesson_tick(&mut self, ts_ms: f64) -> Option<LessonTick> {
        let graded = self.questions_tick();
        let playing = self.clock.playing();
        let stop = self.clock.pause_at_us();
        let l = self.lesson.as_mut()?;
        // Next's animation ends when the clock reaches the beat's end (it
        // stops exactly there), the user pauses, or a seek drops the stop.
        if l.target_us.is_some() && (!playing || stop != l.target_us) {
            l.target_us = None;
        }
        let now = self.sim.now_us();
        let events = self.sim.trace_len_now();
        let k = shown_step(&l.lesson, now);
        let step = l.lesson.steps.get(k)?;
        let mut tick = LessonTick {
            step: k,
            graded,
            ..LessonTick::default()
        };
        if !l.completed && k + 1 == l.lesson.steps.len() && l.questions.all_answered() {
            l.completed = true;
            tick.completed = true;
        }
        let stale = l
            .claims
            .as_ref()
            .is_none_or(|c| (c.step, c.at_us, c.events) != (k, now, events));
        if stale && (!playing || ts_ms >= l.claims_due_ms || ts_ms == 0.0) {
            l.claims_due_ms = ts_ms + CLAIMS_EVERY_MS;
            l.changed = self.sim.scenario() != &l.run;
            let results = check_step(step, &self.sim);
            let ticks: Vec<bool> = results.iter().map(|r| r.is_ok()).collect();
            let same = l
                .claims
                .as_ref()
                .is_some_and(|c| c.step == k && c.ticks == ticks);
            if !same {
                tick.redraw_claims = Some(results);
            }
            l.claims = Some(ClaimsChecked {
                step: k,
                at_us: now,
                events,
                ticks,
            });
        }
        // The safety panel flags what the lesson expects: the page says it
        // is the point, where Next's play stops (see `take_new_violation`).
        let violations = &self.view.violations;
        if l.target_us.is_none() {
            if violations.len() > l.violations_seen {
                l.violations_seen = violations.len();
                if let Some(p) = l.lesson.expected_violation {
                    if !l.safe && violations.iter().any(|v| v.property == p) {
                        tick.expected_violation = Some(p);
                    }
                }
            } else if violations.len() < l.violations_seen {
                l.violations_seen = violations.len();
            }
        }
        Some(tick)
    }
}
