//! Following a lesson: opening it, Next and Back through its steps, its
//! safe run, and what its panel must show after each frame. The narration
//! drives the run only by seeking, playing and restarting, so a lesson is
//! an ordinary run: the timeline, the event log and share links keep working.

use lessons::Lesson;
use sim::Scenario;

use super::lesson::{
    back_target, check_step, next_target, shown_step, ClaimsChecked, LessonState, LessonTick,
    Source, CLAIMS_EVERY_MS, PLAY_TO_NEXT_REAL_S_MAX,
};
use super::{Refusal, Session};

impl Session {
    /// Starts `lesson`'s run, paused at its first step.
    pub fn open_lesson(&mut self, lesson: Lesson, source: Source) -> Result<(), Refusal> {
        if let Err(e) = lesson.sim() {
            return Err(Refusal::BadScenario(e.to_string()));
        }
        self.restart_with(lesson.scenario.clone())?;
        self.clock.set_playing(false);
        if let Some(first) = lesson.steps.first() {
            if first.at_us > 0 {
                self.seek(first.at_us);
            }
        }
        let violations = self.sim.violations().len();
        self.lesson = Some(LessonState::new(lesson, source, violations));
        Ok(())
    }

    /// Stops following the lesson; the run stays as it is.
    pub fn close_lesson(&mut self) {
        self.lesson = None;
    }

    /// The claims are drawn again at the next tick (a new language).
    pub fn lesson_forget_claims(&mut self) {
        if let Some(l) = self.lesson.as_mut() {
            l.claims = None;
        }
    }

    /// Next: play the run to the next step's moment and pause there, or
    /// jump if that would take long; pressed again while playing there, jump.
    pub(super) fn lesson_next(&mut self) {
        let now = self.sim.now_us();
        let speed = self.clock.speed();
        let Some(l) = self.lesson.as_mut() else {
            return;
        };
        let Some(target) = next_target(&l.lesson, now) else {
            return;
        };
        let animating = l.target_us == Some(target);
        let real_s = (target - now) as f64 / 1e6 / speed.max(1e-6);
        if !animating && target > now && real_s <= PLAY_TO_NEXT_REAL_S_MAX {
            l.target_us = Some(target);
            self.clock.play_until(target);
        } else {
            l.target_us = None;
            self.clock.set_playing(false);
            self.seek(target);
        }
    }

    /// Back: travel to the previous step's moment.
    pub(super) fn lesson_back(&mut self) {
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
        let playing = self.clock.playing();
        let l = self.lesson.as_mut()?;
        // Next's animation ends when the clock reaches the step's moment
        // (it stops exactly there) or the user pauses.
        if l.target_us.is_some() && !playing {
            l.target_us = None;
        }
        let now = self.sim.now_us();
        let events = self.sim.trace_len_now();
        let k = shown_step(&l.lesson, now);
        let step = l.lesson.steps.get(k)?;
        let mut tick = LessonTick {
            step: k,
            ..LessonTick::default()
        };
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
        // The safety panel flags what the lesson expects: the page says it is the point.
        let violations = &self.view.violations;
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
        Some(tick)
    }
}
