//! How Next plays the run from one lesson step to the next: at the user's
//! speed, faster up to [`BEAT_SPEED_MAX`] when that takes too long, and in
//! several parts ("beats") when even that would take longer than
//! [`BEAT_REAL_MS_MAX`]. The beats are cut from the run's own trace, at
//! what a student should see happen on its own (a timer firing, a vote or
//! a leader, a commit, a client's answer, an action of the timeline), so
//! the plan holds for any lesson file. Pure functions of the trace.

use sim::{Ev, TraceEvent};

/// Fastest speed Next plays at by itself (unless the user chose a faster
/// one). The lessons' messages take 10–30 ms: at 0.1× such a flight is on
/// screen for 0.1–0.3 s of real time (6 to 18 frames), long enough to see
/// it leave and arrive, and an election timeout of 150–300 ms runs out in
/// 1.5–3 s. One of the toolbar's speeds, so the speed select can show it.
pub const BEAT_SPEED_MAX: f64 = 0.1;
/// Longest real time one press of Next plays, in ms. At [`BEAT_SPEED_MAX`]
/// that is 400 ms of virtual time: a whole election timeout (300 ms at most
/// in the lessons) and the vote round after it (two flights, 60 ms at most)
/// fit in one beat, and the student waits at most 4 s for the next pause.
pub const BEAT_REAL_MS_MAX: f64 = 4000.0;

/// One part of the way to the next step: play until `end_us` at `speed`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Beat {
    /// Where the play stops (virtual µs).
    pub end_us: u64,
    /// Simulated seconds per real second while it plays.
    pub speed: f64,
}

/// Next's plan from one step to the next.
///
/// Invariant: `beats` is not empty, its ends increase strictly, and the
/// last one is `to_us`; each beat plays in at most [`BEAT_REAL_MS_MAX`].
#[derive(Clone, Debug, PartialEq)]
pub struct Beats {
    /// The index of the step the plan leads to (from the one before it).
    pub step: usize,
    /// The parts, in order.
    pub beats: Vec<Beat>,
    /// The session's revision and the user's speed it was made for: when
    /// either changes, so may the plan.
    pub key: (u64, u64),
}

impl Beats {
    /// The beat that plays from `t_us` on: the first ending after it.
    pub fn after(&self, t_us: u64) -> Option<Beat> {
        self.beats.iter().find(|b| b.end_us > t_us).copied()
    }
}

/// Whether `ev` is something a student should see happen on its own.
/// Messages and refusals are what happens between such moments.
fn is_landmark(ev: &Ev) -> bool {
    !matches!(
        ev,
        Ev::Send { .. }
            | Ev::Deliver { .. }
            | Ev::Drop { .. }
            | Ev::Reject { .. }
            | Ev::Note { .. }
    )
}

/// The speed a beat of `dur_us` plays at: the user's own when that takes
/// at most [`BEAT_REAL_MS_MAX`] (or when the user's is faster than the
/// cap), else [`BEAT_SPEED_MAX`].
pub fn beat_speed(dur_us: u64, user_speed: f64) -> f64 {
    if dur_us as f64 <= BEAT_REAL_MS_MAX * 1000.0 * user_speed {
        user_speed
    } else {
        user_speed.max(BEAT_SPEED_MAX)
    }
}

/// Next's plan from `from_us` to `to_us` (`from_us < to_us`) at the user's
/// speed, from `trace` (every event up to at least `to_us`).
///
/// One beat when the whole way plays within [`BEAT_REAL_MS_MAX`] at the
/// user's speed or at [`BEAT_SPEED_MAX`]. Otherwise each beat ends, within that
/// budget, at the latest moment where something happens on its own, else
/// at the last arrival of a message up to an even share of the way left
/// (so no beat is a sliver), else at that share where nothing happens at
/// all. A violation the next step is close enough to narrate is never
/// paused at: its beat goes on to the step, where the text talks about it.
pub fn plan(trace: &[TraceEvent], from_us: u64, to_us: u64, user_speed: f64) -> Vec<Beat> {
    let budget_us = BEAT_REAL_MS_MAX * 1000.0 * user_speed.max(BEAT_SPEED_MAX);
    let budget_us = (budget_us as u64).max(1);
    // No pause from the violation to the step when one beat can hold both.
    let quiet_from = trace
        .iter()
        .find(|e| from_us < e.t && e.t < to_us && matches!(e.ev, Ev::Violation(_)))
        .map(|e| e.t)
        .filter(|&v| to_us - v < budget_us);
    let mut beats = Vec::new();
    let mut cur = from_us;
    loop {
        let left = to_us - cur;
        let end_us = if left <= budget_us {
            to_us
        } else {
            let limit = quiet_from.map_or(cur + budget_us, |v| (cur + budget_us).min(v - 1));
            let share = (cur + left / left.div_ceil(budget_us)).min(limit);
            let (mut landmark, mut arrival) = (None, None);
            for e in trace.iter().filter(|e| cur < e.t && e.t <= limit) {
                match &e.ev {
                    // The last arrival up to the share (not a landmark: see `is_landmark`).
                    Ev::Deliver { .. } | Ev::Drop { .. } if e.t <= share => arrival = Some(e.t),
                    ev if is_landmark(ev) => landmark = Some(e.t),
                    _ => {}
                }
            }
            landmark.or(arrival).unwrap_or(share)
        };
        beats.push(Beat {
            end_us,
            speed: beat_speed(end_us - cur, user_speed),
        });
        if end_us == to_us {
            return beats;
        }
        cur = end_us;
    }
}
