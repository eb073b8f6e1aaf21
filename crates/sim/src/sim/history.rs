//! The past in bounded memory. A run is a function of its scenario, so its
//! history need not be stored: the simulator keeps only what makes seeking
//! fast and derives the rest by re-simulating.
//!
//! - Checkpoints are thinned with age to a fixed total
//!   ([`SimOptions::checkpoints_max`]): dense in the recent past,
//!   geometrically sparser further back (the gap left around a checkpoint
//!   grows in proportion to its age, between `AGE_FLOOR_US` and
//!   `AGE_CAP_US`), never the one at time 0. A seek restores the latest
//!   checkpoint at or before its target and re-simulates at most one gap.
//! - The trace is a window ([`SimOptions::trace_window`] events): past it,
//!   the oldest half is let go. A restore outside the window starts a new
//!   one there (a little before the target, for the event log). Trace
//!   indices stay global; [`Sim::replay`] re-derives what was let go.

use super::{Sim, SimOptions};
use crate::trace::{fnv1a64_update, TraceEvent, FNV_OFFSET};

/// Default most checkpoints kept. Each costs ~100–150 KB after hours of
/// a run of 5–9 servers (the last chunk and tree path of every log and
/// checker vector are its own copies; the rest is shared), and a seek
/// re-simulates at most one gap: 240 keep a 10-hour run of 5 servers near
/// 45 MB natively with far gaps of ~200 s, which the browser re-simulates
/// in ~100 ms (tests/memory.rs, BENCHMARKS.md: the budgets of issue 14).
pub const CHECKPOINTS_MAX_DEFAULT: usize = 240;
/// The page's trace window, events (~175 bytes each with its message,
/// ~2.9 MB): ~50 simulated s at 5 servers, ~20 s at 9, well over the event
/// log's 120 rows and a frame's events at top speed (the markers read each
/// frame's before the window lets them go).
pub const TRACE_WINDOW_PAGE: usize = 1 << 14;

/// Checkpoints younger than this are thinned as if this old: the recent
/// past stays evenly dense.
const AGE_FLOOR_US: u64 = 120_000_000;
/// Checkpoints older than this are thinned as if this old: the far past is
/// evenly spaced, so no seek in a long run re-simulates much more than another.
const AGE_CAP_US: u64 = 3_600_000_000;
/// A new trace window starts at least this long before the seek's target.
const REBUILD_LOOKBACK_US: u64 = 2_000_000;
/// [`Sim::replay`] re-simulates in steps of this much virtual time.
const REPLAY_STEP_US: u64 = 1_000_000;

impl Sim {
    /// Restores checkpoint `i` (or an earlier one, when the trace window
    /// must start again) to seek to `t_us`.
    pub(super) fn restore_checkpoint(&mut self, mut i: usize, t_us: u64) {
        let end = self.trace_base + self.trace.len();
        let outside = |len: usize| len < self.trace_base || len > end;
        if outside(self.checkpoints[i].1.trace_len) {
            let back = t_us.saturating_sub(REBUILD_LOOKBACK_US);
            let j = self.checkpoints.partition_point(|(c, _)| *c <= back);
            i = i.min(j.saturating_sub(1));
            let len = self.checkpoints[i].1.trace_len;
            if outside(len) {
                self.trace.clear();
                self.trace_base = len;
                self.deletions.retain(|&d| d >= len);
            }
        }
        self.state = (*self.checkpoints[i].1).clone();
    }

    /// After an event was added: past the window, the oldest half goes.
    /// Only events before now go (new ones are added at now).
    pub(super) fn slide_trace_window(&mut self) {
        if self.trace.len() <= self.options.trace_window.max(2) {
            return;
        }
        let gone = self.trace.len() / 2;
        self.trace.drain(..gone);
        self.trace_base += gone;
        let base = self.trace_base;
        self.deletions.retain(|&d| d >= base);
    }

    /// After a checkpoint was added: while there are too many, drops the
    /// one whose gap (between its neighbours, once it is gone) is smallest
    /// for its age. Ages count back from the newest checkpoint, so the
    /// result depends only on which checkpoints exist, never on seeks.
    pub(super) fn thin_checkpoints(&mut self) {
        let max = self.options.checkpoints_max.max(2);
        while self.checkpoints.len() > max {
            let newest = self.checkpoints.last().map_or(0, |(c, _)| *c);
            // In u64 (no 128-bit division in the wasm): the gap in µs
            // times 1024 over the age in ms fits for any run under ~500 years.
            let cost = |w: &[(u64, Box<super::State>)]| {
                let gap = (w[2].0 - w[0].0).saturating_mul(1024);
                let age_ms = (newest - w[1].0).clamp(AGE_FLOOR_US, AGE_CAP_US) / 1000;
                gap / age_ms
            };
            // The first (time 0) and the newest are never candidates.
            let mut best = (u64::MAX, 1);
            for (k, w) in self.checkpoints.windows(3).enumerate() {
                best = best.min((cost(w), k + 1));
            }
            self.checkpoints.remove(best.1);
        }
    }

    /// Calls `f` with each trace event of global index `from..to` (and
    /// that index), in order: the kept ones as they are, the ones let go
    /// re-derived by re-simulating from the latest checkpoint at or before
    /// event `from` (each checkpoint knows how many events came before it,
    /// so the cost is the distance from there, not from time 0). For
    /// exports, hashes, and markers that fell behind the window; memory
    /// stays bounded (the re-derived events are handed on a step at a time).
    pub fn replay(&self, from: usize, to: usize, f: &mut dyn FnMut(usize, &TraceEvent)) {
        let stop = self.trace_base.min(to);
        if from < stop {
            let k = self
                .checkpoints
                .partition_point(|(_, c)| c.trace_len <= from);
            let Some((_, state)) = k.checked_sub(1).and_then(|k| self.checkpoints.get(k)) else {
                return;
            };
            let mut past = Sim {
                scenario: self.scenario.clone(),
                options: SimOptions {
                    checkpoint_every_us: u64::MAX,
                    trace_window: usize::MAX,
                    ..self.options.clone()
                },
                state: (**state).clone(),
                checkpoints: Vec::new(),
                trace: Vec::new(),
                trace_base: state.trace_len,
                trace_known_us: 0,
                deletions: Vec::new(),
            };
            while past.trace_base < stop {
                let at = past.state.now_us.saturating_add(REPLAY_STEP_US);
                past.run_until(at);
                for (k, e) in past.trace.iter().enumerate() {
                    let i = past.trace_base + k;
                    if (from..stop).contains(&i) {
                        f(i, e);
                    }
                }
                past.trace_base += past.trace.len();
                past.trace.clear();
                if past.next_item_time().is_none() {
                    break;
                }
            }
        }
        let at = from.max(self.trace_base);
        for (k, e) in self.trace_range(at, to).iter().enumerate() {
            f(at + k, e);
        }
    }

    /// [`crate::trace_hash`] of the first `to` events of the whole run
    /// (re-derived where let go, see [`Sim::replay`]).
    pub fn trace_hash_to(&self, to: usize) -> u64 {
        let mut h = FNV_OFFSET;
        self.replay(0, to, &mut |_, e| {
            h = fnv1a64_update(fnv1a64_update(h, e.to_json().as_bytes()), b"\n");
        });
        h
    }
}
