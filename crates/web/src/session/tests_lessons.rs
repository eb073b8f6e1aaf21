//! Following a lesson without a browser, across every bundled lesson: Next
//! plays each step (never a jump), long ways are split into beats cut from
//! the trace, a lesson opens after its first step's actions, and a
//! violation stops the run at the step that narrates it.

use super::*;
use crate::params::{SPEED_DEFAULT, SPEED_MAX, SPEED_MIN};
use lessons::Lesson;

/// One page frame, in the page's order (`App::frame`, then the lesson panel).
fn page_frame(s: &mut Session, ts: f64) -> (bool, LessonTick) {
    s.frame(ts, false);
    s.refresh_view();
    let violation = s.take_new_violation();
    let tick = s.lesson_tick(ts).expect("a lesson");
    (violation, tick)
}

/// Frame length of the tests, real ms.
const FRAME_MS: f64 = 16.0;

/// `lesson` opened at `speed`, as the page opens it.
fn opened(lesson: Lesson, speed: f64) -> Session {
    let sc = Scenario::parse("nodes 3\nseed 7\n").expect("scenario");
    let sim = Sim::with_options(sc.clone(), SimOptions::default()).expect("sim");
    let mut s = Session::new(sim, sc, true, speed);
    s.open_lesson(lesson, Source::Bundled).expect("open");
    s
}

fn lesson(id: &str) -> Lesson {
    lessons::by_id(id).expect("bundled lesson")
}

/// A bundled lesson without its questions: for the rules of beats and
/// violations, which a question waiting for its answer would interrupt
/// (questions.rs has the questions' own rules).
fn unasked(id: &str) -> Lesson {
    let mut l = lesson(id);
    for step in &mut l.steps {
        step.question = None;
    }
    l
}

/// What one press of Next did.
#[derive(Debug)]
struct Press {
    from_us: u64,
    to_us: u64,
    real_ms: f64,
    /// The speeds time ran at while it played.
    speeds: Vec<f64>,
    /// A violation was announced when the play stopped.
    violation: bool,
    tick: LessonTick,
    /// Next waited for an answer: the press picked the first choice, and
    /// the run played (in beats, one after another) to the reveal.
    answered: bool,
}

/// Presses Next and plays frame by frame until the run pauses, checking
/// that every frame advances time by no more than a frame's worth at the
/// speed shown: Next plays, it never seeks forward.
fn press_next(s: &mut Session, ts: &mut f64) -> Press {
    let from_us = s.sim().now_us();
    // A verdict held over this step's own question: the first Next only
    // lets that question take its place on screen.
    if s.lesson_held_before_question() {
        s.apply(Intent::LessonNext).expect("next");
        assert!(!s.playing(), "Next over a held verdict does not play");
        assert_eq!(s.lesson().and_then(|l| l.questions.held()), None);
        assert_eq!(s.sim().now_us(), from_us);
    }
    // A question waits for an answer (any will do for these rules); the
    // pick plays on to the reveal.
    let reveal_us = match s.apply(Intent::LessonNext) {
        Err(Refusal::AnswerFirst) => {
            let (_, q, _) = s.lesson_question().expect("a question waits");
            let reveal_us = q.reveal_us;
            s.apply(Intent::LessonAnswer(0)).expect("pick");
            Some(reveal_us)
        }
        r => {
            r.expect("next");
            None
        }
    };
    assert!(s.playing(), "Next plays from {from_us} µs");
    let stop = reveal_us.unwrap_or_else(|| s.clock().pause_at_us().expect("Next stops somewhere"));
    let (mut real_ms, mut speeds, mut violation) = (0.0, Vec::new(), false);
    let mut tick = LessonTick::default();
    while s.playing() {
        let before = s.sim().now_us();
        let speed = s.speed();
        speeds.push(speed);
        *ts += FRAME_MS;
        real_ms += FRAME_MS;
        let (v, t) = page_frame(s, *ts);
        violation |= v;
        tick = t;
        let now = s.sim().now_us();
        assert!(now >= before, "time never goes back while Next plays");
        let frame_us = (FRAME_MS * 1000.0 * speed) as u64 + 1;
        assert!(
            now - before <= frame_us,
            "one frame moved {} µs at {speed}×: a jump",
            now - before
        );
        assert!(now <= stop, "never past the stop");
        assert!(real_ms < 60_000.0, "the play ends");
    }
    Press {
        from_us,
        to_us: s.sim().now_us(),
        real_ms,
        speeds,
        violation,
        tick,
        answered: reveal_us.is_some(),
    }
}

/// Steps through `l` with Next from its opening to its last step at
/// `speed`; calls `each` after every press.
fn walk(l: &Lesson, speed: f64, mut each: impl FnMut(&Session, &Press)) {
    let mut s = opened(l.clone(), speed);
    let mut ts = 0.0;
    page_frame(&mut s, ts);
    let mut presses = 0;
    for k in 1..l.steps.len() {
        loop {
            let p = press_next(&mut s, &mut ts);
            each(&s, &p);
            presses += 1;
            assert!(presses < 500, "{}: Next reaches the end", l.id);
            if p.tick.step == k {
                break;
            }
            assert_eq!(p.tick.step, k - 1, "{}: the steps come in order", l.id);
        }
    }
}

#[test]
fn next_never_seeks_forward() {
    for l in lessons::all() {
        // `press_next` checks every frame; here: each press starts where
        // the last one stopped and moves on.
        let mut last = l.steps[0].at_us;
        walk(&l, SPEED_DEFAULT, |_, p| {
            assert_eq!(p.from_us, last, "{}", l.id);
            assert!(p.to_us > p.from_us, "{}: Next moved on", l.id);
            last = p.to_us;
        });
    }
}

#[test]
fn next_visits_every_step_in_order_and_its_claims_hold_there() {
    for l in lessons::all() {
        let mut seen = vec![0];
        walk(&l, SPEED_DEFAULT, |s, p| {
            let k = p.tick.step;
            let step = &l.steps[k];
            if p.to_us == step.at_us {
                seen.push(k);
                let r = check_step(step, s.sim());
                assert!(r.iter().all(|r| r.is_ok()), "{} step {k}: {r:?}", l.id);
            } else {
                assert!(
                    p.to_us < l.steps[k + 1].at_us,
                    "{}: a beat stops before the step",
                    l.id
                );
            }
        });
        let all: Vec<usize> = (0..l.steps.len()).collect();
        assert_eq!(seen, all, "{}", l.id);
    }
}

#[test]
fn no_beat_plays_longer_than_the_cap_at_any_speed() {
    for speed in [SPEED_MIN, SPEED_DEFAULT, 1.0, SPEED_MAX] {
        for l in lessons::all() {
            walk(&l, speed, |s, p| {
                // One frame of 0 after play starts, one that reaches the
                // stop. (A reveal chains its beats: each is capped, not
                // their sum.)
                assert!(
                    p.answered || p.real_ms <= BEAT_REAL_MS_MAX + 2.0 * FRAME_MS,
                    "{} at {speed}×: {} → {} µs took {} ms",
                    l.id,
                    p.from_us,
                    p.to_us,
                    p.real_ms
                );
                for &v in &p.speeds {
                    assert!(v >= speed, "never slower than the user's speed");
                    assert!(v <= speed.max(BEAT_SPEED_MAX), "never faster than the cap");
                }
                assert_eq!(s.speed(), speed, "the user's speed comes back");
            });
        }
    }
}

#[test]
fn a_step_too_long_at_the_cap_is_split_into_beats_from_the_trace() {
    let mut split = 0;
    for l in lessons::all() {
        let mut sim = l.sim().expect("sim");
        sim.run_until(l.end_us() + 1);
        for w in l.steps.windows(2) {
            let (from, to) = (w[0].at_us, w[1].at_us);
            let beats = beats::plan(sim.trace(), from, to, SPEED_DEFAULT);
            assert_eq!(beats.last().map(|b| b.end_us), Some(to));
            let one_beat = (to - from) as f64 <= BEAT_REAL_MS_MAX * 1000.0 * BEAT_SPEED_MAX;
            assert_eq!(
                beats.len() == 1,
                one_beat,
                "{} {from}..{to}: {beats:?}",
                l.id
            );
            let mut start = from;
            for b in &beats {
                assert!(b.end_us > start, "beats move on");
                let real_ms = (b.end_us - start) as f64 / 1000.0 / b.speed;
                assert!(
                    real_ms <= BEAT_REAL_MS_MAX,
                    "{}: {b:?} takes {real_ms} ms",
                    l.id
                );
                // Each pause is a moment where the run does something.
                if b.end_us != to {
                    assert!(
                        sim.trace().iter().any(|e| e.t == b.end_us),
                        "{}: a beat ends at {} where nothing happens",
                        l.id,
                        b.end_us
                    );
                }
                start = b.end_us;
            }
            split += usize::from(beats.len() > 1);
        }
    }
    assert!(split > 5, "long ways exist in the lessons: {split}");
    // Lesson 5, after the new leader of term 2 (1.22 s → 2.1 s, 880 ms):
    // the first beat ends where its no-op is committed on the majority,
    // the last of those commits (nodes 3, 4, 5), not at a share of time.
    let l = lesson("05-network-partition");
    let mut sim = l.sim().expect("sim");
    sim.run_until(2_100_001);
    let beats = beats::plan(sim.trace(), 1_220_000, 2_100_000, SPEED_DEFAULT);
    let noop_committed = sim
        .trace()
        .iter()
        .filter(|e| e.t < 2_000_000)
        .filter(|e| {
            matches!(
                e.ev,
                sim::Ev::Commit {
                    index: 3,
                    term: 2,
                    ..
                }
            )
        })
        .map(|e| e.t)
        .max();
    assert!(beats.len() > 2, "{beats:?}");
    assert_eq!(Some(beats[0].end_us), noop_committed, "{beats:?}");
}

#[test]
fn the_speed_shown_is_the_one_used_and_the_users_comes_back() {
    // Lesson 5, step 1 → 2 (700 ms → 1 s): 6 s at 0.05×, so faster.
    let mut s = opened(lesson("05-network-partition"), SPEED_DEFAULT);
    s.apply(Intent::LessonNext).expect("next");
    assert_eq!(s.speed(), BEAT_SPEED_MAX, "faster, and the page shows it");
    assert_eq!(s.clock().user_speed(), SPEED_DEFAULT);
    let mut ts = 0.0;
    while s.playing() {
        ts += FRAME_MS;
        page_frame(&mut s, ts);
    }
    assert_eq!(s.sim().now_us(), 1_000_000);
    assert_eq!(s.speed(), SPEED_DEFAULT, "the user's speed is back");
    // The user's own choice during a beat replaces the beat's speed.
    s.apply(Intent::LessonNext).expect("next");
    s.apply(Intent::SetSpeed(0.02)).expect("speed");
    assert!(s.playing());
    assert_eq!(s.speed(), 0.02);
}

#[test]
fn next_pressed_while_a_beat_plays_changes_nothing() {
    let l = unasked("05-network-partition");
    let mut s = opened(l.clone(), SPEED_DEFAULT);
    let mut ts = 0.0;
    // To step 3 (1.22 s → 2.1 s), played in beats.
    while s.lesson_tick(ts).map(|t| t.step) != Some(3) {
        press_next(&mut s, &mut ts);
    }
    s.apply(Intent::LessonNext).expect("next");
    let first = s.clock().pause_at_us().expect("a stop");
    assert!(first < l.steps[4].at_us, "a beat, not the whole way");
    for _ in 0..3 {
        s.apply(Intent::LessonNext).expect("next again");
    }
    assert!(s.playing());
    assert_eq!(
        s.clock().pause_at_us(),
        Some(first),
        "the same beat plays on"
    );
    assert_eq!(s.sim().now_us(), l.steps[3].at_us, "no jump");
}

#[test]
fn back_inside_beats_returns_to_the_steps_start_then_to_the_step_before() {
    let l = unasked("05-network-partition");
    let mut s = opened(l.clone(), SPEED_DEFAULT);
    let mut ts = 0.0;
    while s.lesson_tick(ts).map(|t| t.step) != Some(3) {
        press_next(&mut s, &mut ts);
    }
    let p = press_next(&mut s, &mut ts);
    assert_eq!(p.tick.step, 3);
    let (played, beats) = s.lesson_beat().expect("between two steps, in beats");
    assert_eq!(played, 1);
    assert!(beats > 1);
    assert_eq!(s.lesson_beat(), Some((1, beats)));
    s.apply(Intent::LessonBack).expect("back");
    assert_eq!(
        s.sim().now_us(),
        l.steps[3].at_us,
        "back to the step's start"
    );
    assert_eq!(s.lesson_beat(), None);
    s.apply(Intent::LessonBack).expect("back");
    assert_eq!(
        s.sim().now_us(),
        l.steps[2].at_us,
        "then to the step before"
    );
}

#[test]
fn a_lesson_opens_after_its_first_steps_actions() {
    for l in lessons::all() {
        let mut s = opened(l.clone(), SPEED_DEFAULT);
        assert!(!s.playing(), "{}: a lesson waits for Next", l.id);
        assert_eq!(s.sim().now_us(), l.steps[0].at_us);
        let tick = s.lesson_tick(0.0).expect("a lesson");
        assert_eq!(tick.step, 0);
        let r = tick.redraw_claims.expect("drawn at first");
        assert!(r.iter().all(|r| r.is_ok()), "{} opens with {r:?}", l.id);
    }
    // Lesson 8: "S5 is down and S1 starts an election", on the canvas too.
    let s = opened(lesson("08-commit-current-term"), SPEED_DEFAULT);
    let node = |id| s.view().nodes.iter().find(|n| n.id == id).expect("node");
    assert!(!node(5).up, "S5 is drawn down");
    assert_eq!(node(1).role, Some(raft::Role::Candidate));
    // Lesson 2 opens at 0 ms with its claims ticked.
    let mut s = opened(lesson("02-split-votes"), SPEED_DEFAULT);
    let r = s
        .lesson_tick(0.0)
        .and_then(|t| t.redraw_claims)
        .expect("claims");
    assert!(!r.is_empty() && r.iter().all(|r| r.is_ok()), "{r:?}");
}

#[test]
fn a_violation_step_shows_its_own_text() {
    let mut checked = 0;
    for l in lessons::all() {
        if l.expected_violation.is_none() {
            continue;
        }
        let mut announced = None;
        walk(&l, SPEED_DEFAULT, |s, p| {
            if p.violation && announced.is_none() {
                announced = Some((p.tick.step, s.sim().now_us()));
            }
        });
        let (k, at) = announced.expect("the violation is announced");
        let step = &l.steps[k];
        assert_eq!(at, step.at_us, "{}: the run stops at the step", l.id);
        let narrates = step
            .expects
            .iter()
            .any(|e| matches!(e.claim, sim::Claim::Violation { .. }));
        assert!(narrates, "{}: step {k} is the one that narrates it", l.id);
        checked += 1;
    }
    assert_eq!(checked, 3, "lessons 07, 08 and 10");
    // The lesson's own banner ("as this lesson expects") waits for the stop too.
    let l = lesson("08-commit-current-term");
    let mut s = opened(l.clone(), SPEED_DEFAULT);
    let mut ts = 0.0;
    let mut said = None;
    for _ in 0..50 {
        let p = press_next(&mut s, &mut ts);
        if p.tick.expected_violation.is_some() {
            said = Some(s.sim().now_us());
            break;
        }
    }
    assert_eq!(said, Some(400_000), "said at the step that narrates it");
}

#[test]
fn playing_freely_still_pauses_at_a_violation_at_once() {
    let l = unasked("08-commit-current-term");
    let mut s = opened(l, SPEED_DEFAULT);
    s.apply(Intent::SetPlaying(true)).expect("play");
    let mut ts = 0.0;
    let mut paused_at = None;
    for _ in 0..2000 {
        ts += FRAME_MS;
        if page_frame(&mut s, ts).0 {
            paused_at = Some(s.sim().now_us());
            break;
        }
    }
    let at = paused_at.expect("a violation");
    assert!(!s.playing());
    assert!(at < 400_000, "not held back for a lesson step: {at}");
}

#[test]
fn the_cap_is_a_speed_the_toolbar_offers() {
    // The speed select shows the speed used; it can only show its options.
    assert!(crate::params::SPEEDS.contains(&BEAT_SPEED_MAX));
    const { assert!(BEAT_SPEED_MAX >= SPEED_DEFAULT) };
}

#[test]
fn closing_the_lesson_during_a_beat_lets_it_end_then_the_users_speed_is_back() {
    let mut s = opened(lesson("05-network-partition"), SPEED_DEFAULT);
    s.apply(Intent::LessonNext).expect("next");
    s.close_lesson();
    assert!(s.playing());
    assert_eq!(
        s.speed(),
        BEAT_SPEED_MAX,
        "the speed shown is still the one used"
    );
    let mut ts = 0.0;
    while s.playing() {
        ts += FRAME_MS;
        s.frame(ts, false);
    }
    assert_eq!(s.sim().now_us(), 1_000_000, "it stops where the beat ends");
    assert_eq!(s.speed(), SPEED_DEFAULT);
}

#[test]
fn back_travels_instantly_through_every_step_to_the_first() {
    let l = lesson("01-first-election");
    let at: Vec<u64> = l.steps.iter().map(|s| s.at_us).collect();
    let last = at[at.len() - 1];
    let mut s = opened(l, SPEED_DEFAULT);
    s.apply(Intent::Seek(last)).expect("seek");
    // Next on the last step does nothing.
    s.apply(Intent::LessonNext).expect("next");
    assert!(!s.playing());
    assert_eq!(s.sim().now_us(), last);
    for &t in at.iter().rev().skip(1) {
        s.apply(Intent::LessonBack).expect("back");
        assert!(!s.playing());
        assert_eq!(s.sim().now_us(), t, "Back is a seek, at once");
    }
    s.apply(Intent::LessonBack).expect("back");
    assert_eq!(s.sim().now_us(), at[0]);
    assert_eq!(s.lesson_tick(0.0).map(|t| t.step), Some(0));
    assert!(!s.lesson().is_some_and(|l| l.changed));
    s.close_lesson();
    assert!(s.lesson_tick(0.0).is_none());
}

#[test]
fn the_plan_is_the_same_whether_the_future_is_replayed_or_known() {
    let l = unasked("05-network-partition");
    let mut s = opened(l.clone(), SPEED_DEFAULT);
    let mut ts = 0.0;
    while s.lesson_tick(ts).map(|t| t.step) != Some(3) {
        press_next(&mut s, &mut ts);
    }
    // Nothing after now was simulated: the plan comes from a replay.
    assert!(s
        .sim()
        .trace()
        .last()
        .is_some_and(|e| e.t <= l.steps[3].at_us));
    s.apply(Intent::LessonNext).expect("next");
    let replayed = s.lesson().and_then(|l| l.beats.clone()).expect("a plan");
    while s.lesson_tick(ts).map(|t| t.step) != Some(5) {
        press_next(&mut s, &mut ts);
    }
    s.apply(Intent::LessonBack).expect("back");
    s.apply(Intent::LessonBack).expect("back");
    assert_eq!(s.sim().now_us(), l.steps[3].at_us);
    // A new speed and the old one again: the plan is made anew, from the
    // trace now known beyond the step.
    s.apply(Intent::SetSpeed(0.02)).expect("speed");
    s.apply(Intent::SetSpeed(SPEED_DEFAULT)).expect("speed");
    s.apply(Intent::LessonNext).expect("next");
    let known = s.lesson().and_then(|l| l.beats.clone()).expect("a plan");
    assert!(s
        .sim()
        .trace()
        .last()
        .is_some_and(|e| e.t > l.steps[4].at_us));
    assert_eq!(replayed, known);
}
