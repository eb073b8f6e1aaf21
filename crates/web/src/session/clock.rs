//! The playback clock: playing or paused, the speed, and how far virtual
//! time should have got after a frame of real time.

use crate::geom::clamp;
use crate::params::clamp_speed;

/// Longest step of virtual time per animation frame, in real ms: after a
/// stall (a background tab, a breakpoint) the run does not leap ahead.
pub const FRAME_DT_MS_MAX: f64 = 100.0;

/// Play/pause, speed and the virtual time target.
///
/// Invariant: `vt_us` is the simulator's now whenever the run changed by
/// anything other than playing (the session resets it), so a pause never
/// loses or gains time.
#[derive(Clone, Debug)]
pub struct Clock {
    playing: bool,
    /// The user's speed: simulated seconds per real second, within
    /// `params::SPEED_MIN..=SPEED_MAX`.
    speed: f64,
    /// The speed a lesson's Next plays its beat at, when not the user's;
    /// only while that play lasts (any other play or pause forgets it).
    beat_speed: Option<f64>,
    /// Virtual time target in µs (fractional, so slow speeds still advance).
    vt_us: f64,
    /// The previous frame's timestamp (performance.now(), ms); `None` after
    /// a pause or while the tab is hidden, so the next frame advances nothing.
    last_ts_ms: Option<f64>,
    /// Play stops exactly at this moment (a lesson's Next), never past it.
    pause_at_us: Option<u64>,
    /// The timeline is being dragged: time follows the pointer, not the clock.
    dragging: bool,
}

impl Clock {
    /// A clock at `now_us`.
    pub fn new(playing: bool, speed: f64, now_us: u64) -> Clock {
        Clock {
            playing,
            speed: clamp_speed(speed),
            beat_speed: None,
            vt_us: now_us as f64,
            last_ts_ms: None,
            pause_at_us: None,
            dragging: false,
        }
    }

    /// Whether time runs.
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Simulated seconds per real second, as time runs now: a lesson's
    /// beat may play faster than the user's speed (the page shows this one).
    pub fn speed(&self) -> f64 {
        match self.beat_speed {
            Some(s) if self.playing => s,
            _ => self.speed,
        }
    }

    /// The user's own speed, which comes back after a lesson's beat.
    pub fn user_speed(&self) -> f64 {
        self.speed
    }

    /// Where play will stop by itself, if anywhere.
    pub fn pause_at_us(&self) -> Option<u64> {
        self.pause_at_us
    }

    /// Whether the timeline is being dragged.
    pub fn dragging(&self) -> bool {
        self.dragging
    }

    /// Plays or pauses; either way a pending stop (`pause_at`) and a
    /// beat's speed are forgotten.
    pub fn set_playing(&mut self, on: bool) {
        self.playing = on;
        self.last_ts_ms = None;
        self.pause_at_us = None;
        self.beat_speed = None;
    }

    /// Pauses without forgetting the stop (a violation, a popup); the
    /// user's speed is back.
    pub fn pause(&mut self) {
        self.playing = false;
        self.beat_speed = None;
    }

    /// Plays until `stop_us` at `speed` and pauses exactly there (a
    /// lesson's beat).
    pub fn play_until(&mut self, stop_us: u64, speed: f64) {
        self.set_playing(true);
        self.pause_at_us = Some(stop_us);
        self.beat_speed = (speed != self.speed).then_some(clamp_speed(speed));
    }

    /// Forgets a pending stop and its speed (a seek elsewhere).
    pub fn forget_stop(&mut self) {
        self.pause_at_us = None;
        self.beat_speed = None;
    }

    /// Sets the user's speed, clamped to the allowed range; it replaces a
    /// beat's speed at once.
    pub fn set_speed(&mut self, speed: f64) {
        self.speed = clamp_speed(speed);
        self.beat_speed = None;
    }

    /// Starts or stops a timeline drag; starting one pauses.
    pub fn set_dragging(&mut self, on: bool) {
        self.dragging = on;
        if on {
            self.playing = false;
        }
    }

    /// The run moved by other means than playing: time continues from `now_us`.
    pub fn sync(&mut self, now_us: u64) {
        self.vt_us = now_us as f64;
    }

    /// One animation frame at `ts_ms` (real ms): the virtual time the run
    /// should reach, if later than `now_us`. The real time since the last
    /// frame counts at most [`FRAME_DT_MS_MAX`], and nothing while `hidden`.
    pub fn advance(&mut self, ts_ms: f64, hidden: bool, now_us: u64) -> Option<u64> {
        let dt_ms = match self.last_ts_ms {
            Some(prev) if !hidden => clamp(ts_ms - prev, 0.0, FRAME_DT_MS_MAX),
            _ => 0.0,
        };
        self.last_ts_ms = if hidden { None } else { Some(ts_ms) };
        if !self.playing || self.dragging || dt_ms <= 0.0 {
            return None;
        }
        self.vt_us += dt_ms * 1000.0 * self.speed();
        // No cap: a run plays on as long as the page is open (memory is
        // bounded by `sim::SimOptions::bounded`, not by time).
        let mut target = self.vt_us as u64;
        if let Some(stop) = self.pause_at_us.filter(|&stop| target >= stop) {
            target = stop;
            self.vt_us = stop as f64;
            self.set_playing(false);
        }
        (target > now_us).then_some(target)
    }
}
