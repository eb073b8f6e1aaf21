//! Live safety checker: the five properties of Figure 3 of the Raft paper,
//! checked incrementally after every step of every node.
//!
//! Everything that grows with the run is kept in `imbl` persistent maps and
//! vectors so that cloning the checker (each time-travel checkpoint) is cheap.

mod first_seen;

use std::sync::Arc;

use first_seen::{FirstSeen, Seen};

use raft::{Entry, LogIndex, Node, NodeId, Payload, Role, Term};

use crate::scenario::NODE_ID_MAX;
use crate::trace::fnv1a64;

/// The five safety properties of the Raft paper (Figure 3).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Property {
    /// At most one leader can be elected in a given term (§5.2).
    ElectionSafety,
    /// A leader never overwrites or deletes entries in its log; it only appends (§5.3).
    LeaderAppendOnly,
    /// If two logs contain an entry with the same index and term, the logs are
    /// identical in all entries up through the given index (§5.3).
    LogMatching,
    /// If a log entry is committed in a given term, it will be present in the
    /// logs of the leaders of all higher-numbered terms (§5.4).
    LeaderCompleteness,
    /// If a server has applied a log entry at a given index to its state
    /// machine, no other server will ever apply a different entry for the same index (§5.4.3).
    StateMachineSafety,
}

impl Property {
    /// Every property, in the paper's order.
    pub const ALL: [Property; 5] = [
        Property::ElectionSafety,
        Property::LeaderAppendOnly,
        Property::LogMatching,
        Property::LeaderCompleteness,
        Property::StateMachineSafety,
    ];
    /// The kebab-case word of the JSON trace and the view (serde's).
    pub fn as_str(self) -> &'static str {
        match self {
            Property::ElectionSafety => "election-safety",
            Property::LeaderAppendOnly => "leader-append-only",
            Property::LogMatching => "log-matching",
            Property::LeaderCompleteness => "leader-completeness",
            Property::StateMachineSafety => "state-machine-safety",
        }
    }
    /// The paper's name.
    pub fn title(self) -> &'static str {
        match self {
            Property::ElectionSafety => "Election Safety",
            Property::LeaderAppendOnly => "Leader Append-Only",
            Property::LogMatching => "Log Matching",
            Property::LeaderCompleteness => "Leader Completeness",
            Property::StateMachineSafety => "State Machine Safety",
        }
    }
}

/// One violation of a safety property.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Violation {
    /// Which property.
    pub property: Property,
    /// The nodes involved.
    pub nodes: Vec<NodeId>,
    /// The term involved.
    pub term: Term,
    /// The log index involved (0 if none).
    pub index: LogIndex,
    /// The term of the other entry involved (0 if none): the entry a new
    /// leader lacks (Leader Completeness), or the different entry applied
    /// first at `index` (State Machine Safety). Not in the JSON trace, whose
    /// `detail` already says it (and whose text is pinned).
    #[serde(skip)]
    pub other_term: Term,
    /// One sentence for people, in English (the page composes its own from
    /// the typed fields, in either language).
    pub detail: String,
}

/// Most violations recorded in one run: after a rule is broken, the same
/// breakage tends to repeat every step.
const VIOLATIONS_MAX: usize = 200;

/// Hash of an entry's payload (the part that must agree across logs).
pub fn payload_hash(payload: &Payload) -> u64 {
    match payload {
        Payload::Noop => 1,
        Payload::Command { cmd } => fnv1a64(cmd.as_bytes()) ^ 2,
        Payload::Config { membership } => {
            fnv1a64(crate::sim::membership_text(membership).as_bytes()) ^ 3
        }
    }
}

fn chain(prev: u64, term: Term, payload: u64) -> u64 {
    // Any fixed mixing works: the value only has to differ when a prefix differs.
    let mut bytes = [0u8; 24];
    bytes[..8].copy_from_slice(&prev.to_le_bytes());
    bytes[8..16].copy_from_slice(&term.to_le_bytes());
    bytes[16..].copy_from_slice(&payload.to_le_bytes());
    fnv1a64(&bytes)
}

/// What the checker remembers about one node's log.
#[derive(Clone, Debug, Default)]
struct LogShadow {
    /// `prefix[i - 1]`: (term of entry i, hash of entries 1..=i). One
    /// vector, not two: every checkpoint copies a vector's last chunk and
    /// tree path on the next push, so a second vector would double that.
    prefix: imbl::Vector<(Term, u64)>,
    /// The prefix could not be reconstructed (snapshot of unknown history): skip Log Matching.
    unknown: bool,
    /// (first index, last index, last term) when last checked: most steps
    /// (heartbeats) leave them unchanged, and then so is the log.
    seen: (LogIndex, LogIndex, Term),
}

/// The checker's state.
#[derive(Clone, Debug, Default)]
pub struct Checker {
    /// Election Safety: the leader of each term.
    /// Sorted by term; one entry per term that had a leader (a short list:
    /// a plain `Vec` is one persistent-map type less in the wasm).
    leaders: Vec<(Term, NodeId)>,
    /// Leader Append-Only: for each current leader, (term, last index, last term).
    /// Indexed by node id (see `tail`).
    leader_tails: [Option<(Term, LogIndex, Term)>; NODE_ID_MAX as usize + 1],
    /// Log Matching: per node, its log's terms and prefix hashes.
    /// Indexed by node id, like `leader_tails`.
    shadows: [Option<LogShadow>; NODE_ID_MAX as usize + 1],
    /// Log Matching: (index, term) -> (prefix hash, first node seen with
    /// it), for the first term seen at each index (see `registered`).
    registry: FirstSeen,
    /// Log Matching: the same, for the other terms seen at an index (an
    /// entry that was overwritten somewhere), sorted by (index, term). Few
    /// (one per entry a new leader overwrote), so a vector shared between
    /// checkpoints and copied on the rare insert, like `violations`,
    /// rather than a persistent map's code in the wasm.
    registry_later: Arc<Vec<(LogIndex, Seen)>>,
    /// State Machine Safety and Leader Completeness: index -> (term,
    /// payload hash, first node that applied it).
    applied: FirstSeen,
    /// Every violation so far, in order (at most `VIOLATIONS_MAX`, and
    /// none in a run without teaching switches): shared between
    /// checkpoints and copied on the rare push, rather than one more
    /// persistent-vector type in the wasm.
    violations: Arc<Vec<Violation>>,
}

impl Checker {
    /// Violations so far.
    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.violations.iter()
    }

    fn report(&mut self, out: &mut Vec<Violation>, v: Violation) {
        // One report per (property, term, index): the same breakage tends
        // to be seen again at every step.
        let key = (v.property, v.term, v.index);
        if self.violations.len() >= VIOLATIONS_MAX
            || self
                .violations
                .iter()
                .any(|w| (w.property, w.term, w.index) == key)
        {
            return;
        }
        Arc::make_mut(&mut self.violations).push(v.clone());
        out.push(v);
    }

    /// A node became leader of `term`. Checks Election Safety and Leader Completeness.
    pub fn on_leader(&mut self, node: &Node, out: &mut Vec<Violation>) {
        let (id, term) = (node.id(), node.term());
        let at = self.leaders.binary_search_by_key(&term, |&(t, _)| t);
        match at.ok().map(|k| self.leaders[k].1) {
            Some(other) if other != id => self.report(
                out,
                Violation {
                    property: Property::ElectionSafety,
                    nodes: vec![other, id],
                    term,
                    index: 0,
                    other_term: 0,
                    detail: format!(
                        "nodes {other} and {id} were both elected leader of term {term}."
                    ),
                },
            ),
            Some(_) => {}
            None => {
                if let Err(k) = at {
                    self.leaders.insert(k, (term, id));
                }
            }
        }
        // Leader Completeness: the latest committed entry (and, by Log
        // Matching, everything before it) must be in the new leader's log.
        if let Some((
            index,
            Seen {
                term: eterm,
                hash: phash,
                node: applier,
            },
        )) = self.applied.last()
        {
            let log = node.log();
            let covered_by_snapshot = log.snapshot().is_some_and(|s| s.last_index >= index);
            let present = covered_by_snapshot
                || (log.term_at(index) == Some(eterm)
                    && log
                        .entry(index)
                        .is_none_or(|e| payload_hash(&e.payload) == phash));
            if !present && eterm <= term {
                self.report(
                    out,
                    Violation {
                        property: Property::LeaderCompleteness,
                        nodes: vec![id, applier],
                        term,
                        index,
                        other_term: eterm,
                        detail: format!(
                            "node {id} became leader of term {term} without entry {index} of term {eterm}, which node {applier} had already committed."
                        ),
                    },
                );
            }
        }
    }

    /// A node applied a committed entry. Checks State Machine Safety.
    pub fn on_apply(&mut self, id: NodeId, entry: &Entry, out: &mut Vec<Violation>) {
        let h = payload_hash(&entry.payload);
        let seen = Seen {
            term: entry.term,
            hash: h,
            node: id,
        };
        match self.applied.first_or_insert(entry.index, seen) {
            Some(Seen {
                term: t,
                hash: ph,
                node: first,
            }) if (t, ph) != (entry.term, h) => self.report(
                out,
                Violation {
                    property: Property::StateMachineSafety,
                    nodes: vec![first, id],
                    term: entry.term,
                    index: entry.index,
                    other_term: t,
                    detail: format!(
                        "node {id} applied entry {} of term {}, but node {first} had applied a different entry (term {t}) at that index.",
                        entry.index, entry.term
                    ),
                },
            ),
            Some(_) | None => {}
        }
    }

    /// A node crashed: it is no longer a leader.
    pub fn on_crash(&mut self, id: NodeId) {
        *self.tail(id) = None;
    }

    /// The leader tail slot of node `id` (ids above the maximum share the
    /// last slot: the scenario language never makes them).
    fn tail(&mut self, id: NodeId) -> &mut Option<(Term, LogIndex, Term)> {
        &mut self.leader_tails[(id as usize).min(NODE_ID_MAX as usize)]
    }

    /// After every step of a node: Leader Append-Only and Log Matching.
    pub fn after_step(&mut self, node: &Node, out: &mut Vec<Violation>) {
        let id = node.id();
        let log = node.log();
        let (last_index, last_term) = (log.last_index(), log.last_term());
        if node.role() == Role::Leader {
            if let Some((term, prev_index, prev_term)) = *self.tail(id) {
                if term == node.term() {
                    let still_there = prev_index < log.first_index()
                        || log.term_at(prev_index) == Some(prev_term);
                    if last_index < prev_index || !still_there {
                        self.report(
                            out,
                            Violation {
                                property: Property::LeaderAppendOnly,
                                nodes: vec![id],
                                term,
                                index: prev_index,
                                other_term: 0,
                                detail: format!(
                                    "leader {id} of term {term} removed or overwrote its own entry {prev_index}."
                                ),
                            },
                        );
                    }
                }
            }
            *self.tail(id) = Some((node.term(), last_index, last_term));
        } else {
            *self.tail(id) = None;
        }
        self.check_log_matching(node, out);
    }

    fn check_log_matching(&mut self, node: &Node, out: &mut Vec<Violation>) {
        let id = node.id();
        let log = node.log();
        let first = log.first_index();
        let last = log.last_index();
        let seen = (first, last, log.last_term());
        let k = (id as usize).min(NODE_ID_MAX as usize);
        if self.shadows[k].as_ref().is_some_and(|s| s.seen == seen) {
            return;
        }
        let mut shadow = self.shadows[k].take().unwrap_or_default();
        shadow.seen = seen;
        // The shadow agrees with the log up to `keep`: tails change, prefixes
        // do not, so walk down from the top while the terms differ.
        let mut keep = (shadow.prefix.len() as u64).min(last);
        while keep >= first
            && keep > 0
            && shadow.prefix.get(keep as usize - 1).map(|&(t, _)| t) != log.term_at(keep)
        {
            keep -= 1;
        }
        if keep < first && first > 1 {
            // No entry after the snapshot is known to agree: entries before
            // `first` are only in the snapshot, so take the prefix hash of the
            // snapshot's last entry from the node that first held it.
            let (snap_index, snap_term) =
                log.snapshot().map_or((first.saturating_sub(1), 0), |s| {
                    (s.last_index, s.last_term)
                });
            shadow.prefix.truncate(keep as usize);
            while (shadow.prefix.len() as u64) < snap_index {
                shadow.prefix.push_back((0, 0));
            }
            if snap_index > 0 {
                let pos = snap_index as usize - 1;
                match self.registered(snap_index, snap_term) {
                    Some((h, _)) => {
                        shadow.prefix.set(pos, (snap_term, h));
                        shadow.unknown = false;
                    }
                    None => shadow.unknown = true,
                }
            }
            keep = snap_index;
        }
        shadow.prefix.truncate(keep as usize);
        let mut prev = shadow.prefix.last().map_or(0, |&(_, h)| h);
        for index in keep + 1..=last {
            let Some(entry) = log.entry(index) else { break };
            let h = chain(prev, entry.term, payload_hash(&entry.payload));
            shadow.prefix.push_back((entry.term, h));
            prev = h;
            if shadow.unknown {
                continue;
            }
            match self.registered(index, entry.term) {
                Some((h2, other)) if h2 != h && other != id => self.report(
                    out,
                    Violation {
                        property: Property::LogMatching,
                        nodes: vec![other, id],
                        term: entry.term,
                        index,
                        other_term: 0,
                        detail: format!(
                            "nodes {other} and {id} both hold an entry at index {index} of term {}, but their logs differ up to it.",
                            entry.term
                        ),
                    },
                ),
                Some(_) => {}
                None => self.register(index, entry.term, h, id),
            }
        }
        self.shadows[k] = Some(shadow);
    }

    /// The prefix hash and first node registered for (index, term).
    fn registered(&self, index: LogIndex, term: Term) -> Option<(u64, NodeId)> {
        match self.registry.get(index) {
            Some(s) if s.term == term => Some((s.hash, s.node)),
            Some(_) => {
                let later = &self.registry_later;
                let k = later.binary_search_by_key(&(index, term), |&(i, s)| (i, s.term));
                k.ok().map(|k| (later[k].1.hash, later[k].1.node))
            }
            None => None,
        }
    }

    /// Registers (index, term) (not yet registered) with its prefix hash.
    fn register(&mut self, index: LogIndex, term: Term, hash: u64, node: NodeId) {
        let seen = Seen { term, hash, node };
        if self.registry.first_or_insert(index, seen).is_some() {
            let later = Arc::make_mut(&mut self.registry_later);
            if let Err(k) = later.binary_search_by_key(&(index, term), |&(i, s)| (i, s.term)) {
                later.insert(k, (index, seen));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use raft::{Config, Log, Membership, Persistent};

    use super::*;

    /// A follower of the cluster {1, 2, 3} whose log holds `entries`
    /// (term, command), from index 1.
    fn node(id: NodeId, entries: &[(Term, &str)]) -> Node {
        let entries = entries.iter().zip(1..).map(|(&(term, cmd), index)| Entry {
            term,
            index,
            payload: Payload::Command { cmd: cmd.into() },
        });
        let log = Log::from_entries(Membership::new([1, 2, 3]), entries).expect("valid log");
        let term = log.last_term();
        Node::restart(
            Config::new(id),
            Persistent {
                current_term: term,
                voted_for: None,
                log,
            },
        )
    }

    /// Log Matching (§5.3) holds for every term seen at an index, not only
    /// the first: nodes 2 and 3 both hold index 2 of term 3, with
    /// different entries before it, after node 1 was seen with index 2 of
    /// term 2.
    #[test]
    fn log_matching_is_checked_for_a_later_term_at_an_index() {
        let mut checker = Checker::default();
        let mut out = Vec::new();
        checker.after_step(&node(1, &[(1, "a"), (2, "b")]), &mut out);
        checker.after_step(&node(2, &[(1, "a"), (3, "c")]), &mut out);
        assert!(out.is_empty(), "different terms at an index break no rule");
        checker.after_step(&node(3, &[(2, "z"), (3, "c")]), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].property, Property::LogMatching);
        assert_eq!((out[0].nodes.clone(), out[0].term), (vec![2, 3], 3));
    }

    /// State Machine Safety (§5.4.3): a different entry applied at an index
    /// already applied elsewhere is a violation; the same entry is not.
    #[test]
    fn state_machine_safety_compares_with_the_first_entry_applied() {
        let mut checker = Checker::default();
        let mut out = Vec::new();
        let entry = |term, cmd: &str| Entry {
            term,
            index: 1,
            payload: Payload::Command { cmd: cmd.into() },
        };
        checker.on_apply(1, &entry(1, "a"), &mut out);
        checker.on_apply(2, &entry(1, "a"), &mut out);
        assert!(out.is_empty());
        checker.on_apply(3, &entry(2, "b"), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].property, Property::StateMachineSafety);
        assert_eq!((out[0].nodes.clone(), out[0].other_term), (vec![1, 3], 1));
    }
}
