//! The lesson being followed: which lesson, where it came from, which of
//! its runs is playing, Next's plan and animation, and the claims as last
//! checked. Plain data and pure functions; `Session` drives it.

use lessons::{Lesson, Step};
use sim::{Scenario, Sim, Unmet};

use super::beats::Beats;
use super::questions::{Graded, Questions};
/// While playing, claims are re-checked at most this often (real ms): some
/// claims scan the trace, and four times a second is enough to read them.
pub const CLAIMS_EVERY_MS: f64 = 250.0;

/// Where the lesson came from: decides what its share link can be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// One of the bundled lessons: `?lesson=ID`.
    Bundled,
    /// Fetched from this URL: `?lesson-url=URL`.
    Url(String),
    /// Opened from a local file with this name: no link can carry it.
    File(String),
}

impl Source {
    /// `bundled`, `url` or `file` (`raftlab.lesson().source`).
    pub fn name(&self) -> &'static str {
        match self {
            Source::Bundled => "bundled",
            Source::Url(_) => "url",
            Source::File(_) => "file",
        }
    }
}

/// The claims of a step as last checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsChecked {
    /// The step they belong to.
    pub step: usize,
    /// Virtual time of the check, µs.
    pub at_us: u64,
    /// The trace length then: it changes when the user acts without time passing.
    pub events: usize,
    /// Whether each claim held.
    pub ticks: Vec<bool>,
}

/// The lesson on screen and how far the narration has got.
#[derive(Clone, Debug)]
pub struct LessonState {
    /// The lesson.
    pub lesson: Lesson,
    /// Where it came from.
    pub source: Source,
    /// Running `lesson.safe_scenario()` ("run it again with the rule").
    pub safe: bool,
    /// The scenario this lesson's run started from (`lesson.scenario` or
    /// the safe one): when the session's run differs, the user changed it.
    pub run: Scenario,
    /// Next is playing the run to this moment (the clock stops there): the
    /// end of a beat of `beats`.
    pub target_us: Option<u64>,
    /// Next's plan to the step after the one shown, once Next asked for it.
    pub beats: Option<Beats>,
    /// The user pressed "play freely" on the free-play step.
    pub free: bool,
    /// The claims as last checked; `None`: check (and draw) again.
    pub claims: Option<ClaimsChecked>,
    /// Real ms after which claims may be re-checked while playing.
    pub claims_due_ms: f64,
    /// Whether the run differs from `run` (found out with the claims).
    pub changed: bool,
    /// Violations already reported (to say "as this lesson expects" once).
    pub violations_seen: usize,
    /// Where each of its questions stands (see `questions`).
    pub questions: Questions,
    /// The plan from a question's step to its reveal, while one plays.
    pub reveal: Option<Beats>,
    /// The last step was reached with every question answered (said once
    /// per opening, and again after "Reset progress").
    pub completed: bool,
}

impl LessonState {
    /// The state right after opening `lesson`, whose run has `violations` now.
    pub fn new(lesson: Lesson, source: Source, violations: usize) -> LessonState {
        let run = lesson.scenario.clone();
        let questions = Questions::new(&lesson);
        LessonState {
            lesson,
            source,
            safe: false,
            run,
            target_us: None,
            beats: None,
            free: false,
            claims: None,
            claims_due_ms: 0.0,
            changed: false,
            violations_seen: violations,
            questions,
            reveal: None,
            completed: false,
        }
    }

    /// Where `now_us` is among the beats to the step after step `k`:
    /// (beats played, beats in all), from the first beat's end to the
    /// step, when Next's plan for that way is current (made for `key`).
    pub fn beat_at(&self, k: usize, now_us: u64, key: (u64, u64)) -> Option<(usize, usize)> {
        let b = self
            .beats
            .as_ref()
            .filter(|b| b.step == k + 1 && b.key == key)?;
        let n = b.beats.len();
        let played = b.beats.iter().take_while(|b| b.end_us <= now_us).count();
        // After the first beat's end, before the last one's (the step).
        (played > 0 && played < n).then_some((played, n))
    }
}

/// What the lesson panel must do after a tick.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonTick {
    /// The step shown.
    pub step: usize,
    /// The step's claims, checked now, when what they show changed.
    pub redraw_claims: Option<Vec<Result<(), Unmet>>>,
    /// The violation the lesson is about has just happened.
    pub expected_violation: Option<sim::Property>,
    /// The run has just graded a pick at its question's reveal.
    pub graded: Option<Graded>,
    /// The lesson has just been completed: its last step reached with
    /// every question answered.
    pub completed: bool,
}

/// Where Back goes from `now_us`: the start of the step shown when the run
/// has moved on from it (a beat or more towards the next one, or free
/// play), else the step before.
pub fn back_target(lesson: &Lesson, now_us: u64) -> Option<u64> {
    let k = lesson.step_at(now_us)?;
    let at = lesson.steps.get(k)?.at_us;
    if now_us > at {
        return Some(at);
    }
    let prev = k.checked_sub(1)?;
    lesson.steps.get(prev).map(|s| s.at_us)
}

/// The step Next leads to from `now_us`: the one after the step shown
/// (the first before the lesson has begun).
pub fn next_step(lesson: &Lesson, now_us: u64) -> Option<usize> {
    let k = lesson.step_at(now_us).map_or(0, |k| k + 1);
    (k < lesson.steps.len()).then_some(k)
}

/// The moment of the step Next leads to from `now_us` (see [`next_step`]).
pub fn next_target(lesson: &Lesson, now_us: u64) -> Option<u64> {
    next_step(lesson, now_us).and_then(|k| lesson.steps.get(k).map(|s| s.at_us))
}

/// The step shown at `now_us` (the first one before the lesson begins).
pub fn shown_step(lesson: &Lesson, now_us: u64) -> usize {
    lesson.step_at(now_us).unwrap_or(0)
}

/// Checks the step's claims against the run as it is now.
pub fn check_step(step: &Step, sim: &Sim) -> Vec<Result<(), Unmet>> {
    step.expects.iter().map(|e| e.claim.check(sim)).collect()
}
