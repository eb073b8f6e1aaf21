//! Time travel: checkpoints of the whole state, `seek` (restore the latest
//! checkpoint at or before a time and re-simulate), and `act` (an action
//! now; in the past it forks the timeline). What is kept of the past, and
//! for how long, is `history.rs`.

use super::Sim;
use crate::scenario::{parse_live_action, Action, ParseError, Timed};

impl Sim {
    /// Moves to `t_us`: forwards by simulating, backwards by restoring the
    /// latest checkpoint at or before `t_us` and re-simulating from it.
    pub fn seek(&mut self, t_us: u64) {
        let cp = self.checkpoints.partition_point(|(c, _)| *c <= t_us);
        if let Some(i) = cp.checked_sub(1) {
            // Restore when going back, or when a checkpoint is closer than now.
            if t_us < self.state.now_us || self.checkpoints[i].0 > self.state.now_us {
                self.restore_checkpoint(i, t_us);
            }
        }
        self.run_until(t_us);
    }

    /// Takes an action now: first completes the current instant, then records
    /// the action in the timeline at now (dropping the old future: a fork) and
    /// runs it.
    pub fn act(&mut self, action: Action) {
        let now = self.state.now_us;
        self.run_until(now);
        self.fork_at_now();
        self.scenario.timeline.push(Timed { at_us: now, action });
        self.run_until(now);
    }

    /// Parses one directive (`crash 1`, `prevote on`) and takes it now. An
    /// action aimed at a server that is not one of [`Sim::node_ids`] is
    /// refused (nothing is recorded), unless it creates it (`add`,
    /// `add-learner`, `change`, `unsafe-change`): see
    /// [`crate::scenario::parse_live_action`].
    pub fn act_line(&mut self, line: &str) -> Result<(), ParseError> {
        let action = parse_live_action(line, &self.node_ids())?;
        self.act(action);
        Ok(())
    }

    /// Drops everything after now: timeline actions not yet run, the known
    /// future of the trace, and later checkpoints.
    fn fork_at_now(&mut self) {
        let now = self.state.now_us;
        self.scenario.timeline.truncate(self.state.next_action);
        self.trace.truncate(self.state.trace_len - self.trace_base);
        self.trace_known_us = self.trace_known_us.min(now);
        self.deletions.retain(|&i| i < self.state.trace_len);
        self.checkpoints.retain(|(c, _)| *c <= now);
        if self.scenario.run_us.is_some_and(|r| r < now) {
            self.scenario.run_us = Some(now);
        }
    }

    /// Takes the checkpoint at the latest multiple C of the interval with
    /// C <= `next_time_us`, if it is new: nothing at or after C has run yet.
    pub(super) fn maybe_checkpoint(&mut self, next_time_us: u64) {
        let every = self.options.checkpoint_every_us;
        let last = self.checkpoints.last().map_or(0, |(c, _)| *c);
        let c = next_time_us / every * every;
        if c > last {
            let mut snapshot = self.state.clone();
            snapshot.now_us = c;
            self.checkpoints.push((c, Box::new(snapshot)));
            self.thin_checkpoints();
        }
    }
}
