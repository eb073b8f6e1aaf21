//! What the trace cannot say by itself: which AppendEntries deliveries made
//! their receiver delete conflicting entries (Figure 2, AppendEntries
//! receiver rule 3). The trace shows the message and the reply, not the log
//! before it, so the simulator looks at the receiver's log on both sides of
//! the delivery and keeps the trace index of each one that deleted entries;
//! the rule panel reads it through [`Sim::rules_at`](crate::Sim::rules_at).
//! It observes the effect and decides nothing: the node applies the rule.

use raft::{LogIndex, Message, NodeId, Term};

use super::Sim;

impl Sim {
    /// Before delivering `msg` to `to`: the first entry it carries whose
    /// index the receiver's log holds with another term, if any.
    pub(super) fn first_conflict(&self, to: NodeId, msg: &Message) -> Option<(LogIndex, Term)> {
        let Message::AppendEntries { entries, .. } = msg else {
            return None;
        };
        let log = self.node(to)?.log();
        entries
            .iter()
            .find(|e| log.term_at(e.index).is_some_and(|t| t != e.term))
            .map(|e| (e.index, e.term))
    }

    /// After the delivery traced at `deliver_at`: if the receiver now holds
    /// the message's entry where it held a conflicting one, it deleted its
    /// own (rule 3), and the delivery is remembered. Re-simulating known
    /// history finds the index already there.
    pub(super) fn note_deletion(
        &mut self,
        deliver_at: usize,
        to: NodeId,
        (index, term): (LogIndex, Term),
    ) {
        let replaced = self
            .node(to)
            .is_some_and(|n| n.log().term_at(index) == Some(term));
        if let (true, Err(at)) = (replaced, self.deletions.binary_search(&deliver_at)) {
            self.deletions.insert(at, deliver_at);
        }
    }

    /// Trace indices (ascending) of the AppendEntries deliveries whose
    /// receiver deleted conflicting entries of its log (rule 3).
    pub fn deletions(&self) -> &[usize] {
        &self.deletions
    }
}
