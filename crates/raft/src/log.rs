//! The replicated log (§5.3) with an optional snapshot prefix (thesis ch. 5).
//!
//! Indexes are 1-based; index 0 means "before the log" and has term 0. After
//! compaction the log keeps a [`Snapshot`] that stands for every entry up to
//! `snapshot.last_index`; the term of that last entry stays known, so the
//! AppendEntries consistency check still works at the boundary.
//!
//! The entries are an `imbl::Vector`, a persistent vector: cloning a log (and
//! so a whole node) shares structure and costs O(1), which the simulator
//! needs to checkpoint clusters for time travel.

use serde::{Deserialize, Serialize};

use crate::membership::Membership;
use crate::message::{Entry, Payload, Snapshot};
use crate::{LogIndex, Term, LOG_INDEX_MAX};

/// A Raft log: snapshot prefix + entries.
///
/// Invariants (checked by `debug_assert!` on every mutation):
/// - `entries[k].index == snapshot_index() + 1 + k` (consecutive, no gaps);
/// - every index, the snapshot's included, is at most [`LOG_INDEX_MAX`];
/// - terms never decrease along the log, and the first entry's term is at
///   least the snapshot's last term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    /// The configuration the server was bootstrapped with; in effect while no
    /// configuration entry and no snapshot says otherwise. Persisted with the
    /// log because it is part of what a restart must remember.
    bootstrap: Membership,
    /// The compacted prefix, if any.
    snapshot: Option<Snapshot>,
    /// Entries after the snapshot.
    entries: imbl::Vector<Entry>,
}

impl Log {
    /// An empty log whose configuration, until an entry says otherwise, is `bootstrap`.
    pub fn new(bootstrap: Membership) -> Self {
        Log {
            bootstrap,
            snapshot: None,
            entries: imbl::Vector::new(),
        }
    }

    /// A log holding `entries` (indexes 1, 2, ...), for scenarios that start
    /// from given logs (Figure 7, Figure 8). `None` if the entries break the
    /// log invariants (indexes not consecutive from 1, terms decreasing, term 0).
    pub fn from_entries(
        bootstrap: Membership,
        entries: impl IntoIterator<Item = Entry>,
    ) -> Option<Self> {
        let mut log = Log::new(bootstrap);
        for e in entries {
            if e.term == 0 || !log.push(e) {
                return None;
            }
        }
        Some(log)
    }

    /// Entries after the snapshot, in index order.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> + '_ {
        self.entries.iter()
    }

    /// The entries after the snapshot as stored: a persistent vector, whose
    /// clone is cheap and shares its leaves (`imbl::Vector::leaves`) with
    /// this log until either changes. A reader that keeps it can tell which
    /// entries are unchanged since by comparing leaf addresses, without
    /// comparing entries (the simulator's view does, every frame).
    pub fn shared_entries(&self) -> imbl::Vector<Entry> {
        self.entries.clone()
    }

    /// The entry at `index`, if it is stored (not compacted, not past the end).
    pub fn entry(&self, index: LogIndex) -> Option<&Entry> {
        let offset = index.checked_sub(self.first_index())?;
        self.entries.get(usize::try_from(offset).ok()?)
    }

    /// Number of entries after the snapshot.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if no entries follow the snapshot.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The compacted prefix, if any.
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.snapshot.as_ref()
    }

    /// The bootstrap configuration (see [`Log::new`]).
    pub fn bootstrap(&self) -> &Membership {
        &self.bootstrap
    }

    /// Last index covered by the snapshot (0 without one).
    pub fn snapshot_index(&self) -> LogIndex {
        self.snapshot.as_ref().map_or(0, |s| s.last_index)
    }

    /// Term of the snapshot's last entry (0 without one).
    pub fn snapshot_term(&self) -> Term {
        self.snapshot.as_ref().map_or(0, |s| s.last_term)
    }

    /// Index of the first entry kept after the snapshot (`snapshot_index() + 1`).
    pub fn first_index(&self) -> LogIndex {
        self.snapshot_index().saturating_add(1)
    }

    /// Index of the last entry (or of the snapshot's last entry; 0 if empty).
    pub fn last_index(&self) -> LogIndex {
        self.entries
            .last()
            .map_or(self.snapshot_index(), |e| e.index)
    }

    /// Term of the last entry (or of the snapshot's last entry; 0 if empty).
    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(self.snapshot_term(), |e| e.term)
    }

    /// Term of the entry at `index`: known for index 0 (term 0), the
    /// snapshot's last index, and every stored entry; `None` otherwise.
    pub fn term_at(&self, index: LogIndex) -> Option<Term> {
        if index == self.snapshot_index() {
            return Some(self.snapshot_term());
        }
        self.entry(index).map(|e| e.term)
    }

    /// §5.4.1: is a log ending at (`last_term`, `last_index`) at least as up to
    /// date as this one? Compare the last terms, then the lengths.
    pub fn is_up_to_date(&self, last_index: LogIndex, last_term: Term) -> bool {
        last_term > self.last_term()
            || (last_term == self.last_term() && last_index >= self.last_index())
    }

    /// The configuration in effect at the end of the log, with the index of
    /// the entry that carries it (the snapshot's last index, or 0 for the
    /// bootstrap configuration).
    pub fn latest_config(&self) -> (LogIndex, &Membership) {
        self.config_at(self.last_index())
    }

    /// The configuration in effect at `index` (the latest one appended at or
    /// before it), with the index of the entry that carries it.
    pub fn config_at(&self, index: LogIndex) -> (LogIndex, &Membership) {
        for e in self.entries.iter().rev() {
            if e.index > index {
                continue;
            }
            if let Payload::Config { membership } = &e.payload {
                return (e.index, membership);
            }
        }
        match &self.snapshot {
            Some(s) => (s.last_index, &s.membership),
            None => (0, &self.bootstrap),
        }
    }

    /// The first index of the run of entries with term `term` that contains
    /// `at` (used for the §5.3 conflict hint). Stops at the first stored entry.
    pub fn first_index_of_term_run(&self, at: LogIndex, term: Term) -> LogIndex {
        let mut first = at;
        while first > self.first_index() {
            let before = first - 1;
            if self.term_at(before) == Some(term) {
                first = before;
            } else {
                break;
            }
        }
        first
    }

    /// The last index holding an entry of term `term`, if any is stored
    /// (leader side of the §5.3 conflict hint).
    pub fn last_index_of_term(&self, term: Term) -> Option<LogIndex> {
        for e in self.entries.iter().rev() {
            if e.term == term {
                return Some(e.index);
            }
            if e.term < term {
                // Terms never decrease: nothing earlier can match.
                return None;
            }
        }
        (self.snapshot.is_some() && self.snapshot_term() == term).then(|| self.snapshot_index())
    }

    /// Up to `max` entries starting at `from` (empty if `from` is past the end
    /// or compacted).
    pub fn entries_from(&self, from: LogIndex, max: usize) -> Vec<Entry> {
        let Some(offset) = from.checked_sub(self.first_index()) else {
            return Vec::new();
        };
        let Ok(offset) = usize::try_from(offset) else {
            return Vec::new();
        };
        // By index, not `iter().skip(offset)`: imbl's iterator skips one
        // entry at a time, which made every heartbeat O(log length) and a
        // ten-hour run ten times slower at its end than at its start.
        let end = offset.saturating_add(max).min(self.entries.len());
        (offset..end)
            .filter_map(|i| self.entries.get(i))
            .cloned()
            .collect()
    }

    /// Append one entry. Returns false (and changes nothing) if it would break
    /// the log invariants: `entry.index` must be `last_index() + 1` and its
    /// term at least `last_term()`.
    pub(crate) fn push(&mut self, entry: Entry) -> bool {
        let Some(next) = self
            .last_index()
            .checked_add(1)
            .filter(|&i| i <= LOG_INDEX_MAX)
        else {
            return false;
        };
        if entry.index != next || entry.term < self.last_term() {
            return false;
        }
        self.entries.push_back(entry);
        true
    }

    /// Remove the entry at `index` and every entry after it. Entries inside
    /// the snapshot are never removed.
    pub(crate) fn truncate_from(&mut self, index: LogIndex) {
        let keep = index.saturating_sub(self.first_index());
        if let Ok(keep) = usize::try_from(keep) {
            self.entries.truncate(keep);
        }
    }

    /// Replace the prefix up to `snapshot.last_index` by `snapshot`, keeping
    /// the entries after it. The caller guarantees the entry at
    /// `snapshot.last_index` is stored with term `snapshot.last_term`, or that
    /// the log ends before it (then the log becomes just the snapshot).
    pub(crate) fn compact(&mut self, snapshot: Snapshot) {
        let drop = snapshot.last_index.saturating_sub(self.snapshot_index());
        let drop = usize::try_from(drop).unwrap_or(usize::MAX);
        self.entries = self.entries.skip(drop);
        if let Some(first) = self.entries.front() {
            if first.index != snapshot.last_index.saturating_add(1)
                || first.term < snapshot.last_term
            {
                // The kept suffix does not continue the snapshot: drop it.
                self.entries = imbl::Vector::new();
            }
        }
        self.snapshot = Some(snapshot);
        self.debug_check();
    }

    /// Replace the whole log by `snapshot` (thesis §5.1, InstallSnapshot step 7).
    pub(crate) fn replace_with_snapshot(&mut self, snapshot: Snapshot) {
        self.entries = imbl::Vector::new();
        self.snapshot = Some(snapshot);
    }

    /// O(n) check of the invariants; a no-op in release builds.
    pub(crate) fn debug_check(&self) {
        if cfg!(debug_assertions) {
            let mut expect = self.first_index();
            let mut term = self.snapshot_term();
            for e in self.entries.iter() {
                debug_assert_eq!(e.index, expect, "log indexes must be consecutive");
                debug_assert!(e.term >= term, "log terms must not decrease");
                expect = expect.saturating_add(1);
                term = e.term;
            }
        }
    }
}
