//! Timeline markers (elections, leaders, first commits, faults,
//! violations), found by scanning the trace as it grows.

use crate::eventlog::{marker, Marker};

/// The markers found so far.
///
/// Invariant: `list` holds the markers of `trace[..scanned]`, in trace
/// order; `committed_max` is the highest index committed in that prefix.
#[derive(Clone, Debug, Default)]
pub struct Markers {
    list: Vec<(u64, Marker)>,
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

    /// Scans the events of `trace` not seen yet. A shorter trace than
    /// last time means the past was rewritten: start over.
    pub fn scan(&mut self, trace: &[sim::TraceEvent]) {
        if trace.len() < self.scanned {
            self.clear();
        }
        for e in &trace[self.scanned..] {
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
            }
        }
        self.scanned = trace.len();
    }
}
