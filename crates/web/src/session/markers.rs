//! Timeline markers (elections, leaders, first commits, faults,
//! violations), found by scanning the trace as it grows.

use crate::eventlog::{marker, Marker};

/// The markers found so far.
///
/// Invariant: `list` holds the markers of the trace's events `..scanned`
/// (global indices), in trace order, and `at[k]` is (the trace index of
/// `list[k]`, `committed_max` after it); `committed_max` is the highest
/// index committed in that prefix.
#[derive(Debug, Default)]
pub struct Markers {
    list: Vec<(u64, Marker)>,
    at: Vec<(usize, u64)>,
    scanned: usize,
    /// The highest index any node has committed (0: none). Each node
    /// commits indexes in order and a snapshot only holds committed ones,
    /// so a commit above it is the first commit of that index.
    committed_max: u64,
}

impl Markers {
    /// (time µs, marker), in trace order.
    pub fn list(&self) -> &[(u64, Marker)] {
        &self.list
    }

    /// Forgets everything (the known past changed: a fork, a new run).
    pub fn clear(&mut self) {
        *self = Markers::default();
    }

    /// Keeps the markers of the first `len` trace events (a fork dropped
    /// the rest).
    pub fn cut(&mut self, len: usize) {
        let keep = self.at.partition_point(|&(i, _)| i < len);
        self.list.truncate(keep);
        self.at.truncate(keep);
        self.committed_max = self.at.last().map_or(0, |&(_, c)| c);
        self.scanned = self.scanned.min(len);
    }

    /// Scans the events of `sim`'s trace not seen yet (the known future
    /// too). Events its window let go before they were seen (one call
    /// that ran far) are re-derived (`Sim::replay`).
    pub fn scan(&mut self, sim: &sim::Sim) {
        let base = sim.trace_base();
        if self.scanned < base {
            sim.replay(self.scanned, base, &mut |i, e| self.see(i, e));
        }
        let from = self.scanned.max(base);
        for (k, e) in sim.trace_range(from, usize::MAX).iter().enumerate() {
            self.see(from + k, e);
        }
    }

    /// Reads event `i` (the next one not seen yet).
    fn see(&mut self, i: usize, e: &sim::TraceEvent) {
        if i < self.scanned {
            return;
        }
        self.scanned = i + 1;
        let first_commit = match &e.ev {
            sim::Ev::Commit { index, .. } => {
                let first = *index > self.committed_max;
                self.committed_max = self.committed_max.max(*index);
                first
            }
            _ => false,
        };
        if let Some(m) = marker(&e.ev, first_commit) {
            self.list.push((e.t, m));
            self.at.push((i, self.committed_max));
        }
    }
}
