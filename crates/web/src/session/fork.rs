//! Acting in the past: `Sim::act` forks the timeline there, dropping the
//! known future. The session asks first, and keeps the old timeline so
//! that Undo can bring the old future back.

use sim::{Action, Scenario, Sim, SimOptions};

use super::{Refusal, Session};

/// Where a fork stands.
#[derive(Clone, Debug)]
pub enum Fork {
    /// Acting at `at_us` would drop `drops_us` of known run: waiting for
    /// the user's answer before `actions` are taken.
    Asking {
        /// What the user asked for, in order (a link click cuts both ways).
        actions: Vec<Action>,
        /// The moment they would be taken, µs.
        at_us: u64,
        /// How much known run comes after it, µs.
        drops_us: u64,
    },
    /// The run was forked at `at_us`; `old` is its scenario as it was just
    /// before, for Undo. A run is a function of its scenario, so running
    /// `old` to `known_us` brings back exactly the future that was dropped
    /// (kept as a scenario, not as a copy of the simulator: cloning one
    /// costs the page ~2 KB of code and the memory of every checkpoint).
    Undoable {
        /// The scenario before the fork.
        old: Box<Scenario>,
        /// Where the new future starts, µs.
        at_us: u64,
        /// How far the old run was known, µs.
        known_us: u64,
    },
}

impl Fork {
    /// The question's (moment, run it drops), µs, while asking.
    pub fn question(&self) -> Option<(u64, u64)> {
        match self {
            Fork::Asking {
                at_us, drops_us, ..
            } => Some((*at_us, *drops_us)),
            Fork::Undoable { .. } => None,
        }
    }

    /// Where the new future starts, µs, while Undo can bring the old one back.
    pub fn undo_at(&self) -> Option<u64> {
        match self {
            Fork::Undoable { at_us, .. } => Some(*at_us),
            Fork::Asking { .. } => None,
        }
    }
}

impl Session {
    /// The answer to the fork question: `true` travels back to its moment
    /// if need be and acts there (dropping the known future); `false`
    /// forgets it.
    pub(super) fn confirm_fork(&mut self, yes: bool) {
        let Some(Fork::Asking { actions, at_us, .. }) = self.fork.take() else {
            return;
        };
        if yes {
            if self.sim.now_us() != at_us {
                self.sim.seek(at_us);
            }
            self.take(actions);
        }
    }

    /// Undo: the run as it was before the fork, with its old future known
    /// again, at the moment the user acted.
    pub(super) fn undo_fork(&mut self) -> Result<(), Refusal> {
        let Some(Fork::Undoable {
            old,
            at_us,
            known_us,
        }) = self.fork.take()
        else {
            return Ok(());
        };
        self.sim = Sim::with_options(*old, SimOptions::bounded())
            .map_err(|e| Refusal::Failed(e.to_string()))?;
        self.clock.pause();
        self.happened = None;
        self.changed(true);
        // The old run from time 0, in the seek's steps, so the markers
        // see every event before the trace window lets it go.
        self.markers.clear();
        self.seek(known_us);
        self.seek(at_us);
        Ok(())
    }
}
