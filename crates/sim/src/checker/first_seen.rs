//! Per log index, the first entry the checker saw there: a dense
//! persistent vector rather than a map. Indexes run from 1 with no gaps
//! worth the name (a log is consecutive from its snapshot, and a snapshot
//! covers entries some server held), so a vector spends no space on keys,
//! and a checkpoint's copy of its last chunk and tree path is smaller
//! than a B-tree's.

use raft::{LogIndex, NodeId, Term};

/// What was seen at an index: the entry's term, a hash (of the payload or
/// of the prefix, as the owner decides), and the first server seen with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Seen {
    pub(super) term: Term,
    pub(super) hash: u64,
    pub(super) node: NodeId,
}

/// An empty slot: no entry has term 0 (`raft::Log` refuses one).
const EMPTY: Seen = Seen {
    term: 0,
    hash: 0,
    node: 0,
};

#[derive(Clone, Debug, Default)]
pub(super) struct FirstSeen {
    /// `slots[i - 1]` is index i. Invariant: the last slot is not empty
    /// (slots are only padded up to one being filled).
    slots: imbl::Vector<Seen>,
}

impl FirstSeen {
    /// What was first seen at `index`, if anything.
    pub(super) fn get(&self, index: LogIndex) -> Option<Seen> {
        let i = usize::try_from(index.checked_sub(1)?).ok()?;
        self.slots.get(i).copied().filter(|s| s.term != 0)
    }

    /// The highest index seen, and what was seen there.
    pub(super) fn last(&self) -> Option<(LogIndex, Seen)> {
        let seen = *self.slots.last()?;
        debug_assert_ne!(seen.term, 0, "the last slot is never empty");
        Some((self.slots.len() as LogIndex, seen))
    }

    /// Records `seen` at `index` (≥ 1) unless something is there already;
    /// returns what was there.
    pub(super) fn first_or_insert(&mut self, index: LogIndex, seen: Seen) -> Option<Seen> {
        debug_assert!(index >= 1 && seen.term != 0);
        if let Some(there) = self.get(index) {
            return Some(there);
        }
        let i = index as usize - 1;
        while self.slots.len() < i {
            self.slots.push_back(EMPTY);
        }
        if i < self.slots.len() {
            self.slots.set(i, seen);
        } else {
            self.slots.push_back(seen);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(term: Term) -> Seen {
        Seen {
            term,
            hash: term * 10,
            node: 1,
        }
    }

    #[test]
    fn the_first_entry_seen_at_an_index_stays() {
        let mut f = FirstSeen::default();
        assert_eq!(f.first_or_insert(1, seen(1)), None);
        assert_eq!(f.first_or_insert(1, seen(2)), Some(seen(1)));
        assert_eq!(f.get(1), Some(seen(1)));
        assert_eq!(f.get(0), None);
        assert_eq!(f.get(2), None);
    }

    #[test]
    fn a_gap_is_empty_and_can_be_filled_later() {
        let mut f = FirstSeen::default();
        assert_eq!(f.first_or_insert(3, seen(2)), None);
        assert_eq!(f.get(1), None);
        assert_eq!(f.get(2), None);
        assert_eq!(f.last(), Some((3, seen(2))));
        assert_eq!(f.first_or_insert(2, seen(1)), None);
        assert_eq!(f.get(2), Some(seen(1)));
        assert_eq!(f.last(), Some((3, seen(2))));
    }
}
