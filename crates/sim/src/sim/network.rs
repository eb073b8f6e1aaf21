//! The network model: who can talk to whom (partitions, isolation, cut
//! links), sending with latency, loss, duplication and reordering drawn from
//! the network's PRNG stream, delivering, and losing messages.

use std::collections::BTreeSet;
use std::sync::Arc;

use raft::{Message, NodeId};

use super::queue::Event;
use super::Sim;
use crate::scenario::NODE_ID_MAX;
use crate::trace::{DropReason, Ev};

/// A message on its way.
#[derive(Clone, Debug)]
pub(super) struct InFlight {
    pub(super) from: NodeId,
    pub(super) to: NodeId,
    pub(super) sent_us: u64,
    pub(super) deliver_us: u64,
    /// Shared with the trace: a message is cloned once, not per event.
    pub(super) msg: Arc<Message>,
}

/// Who can talk to whom.
///
/// Invariant: two nodes can talk iff they have the same label and the
/// directed link is not cut. Labels are indexed by node id; 0 is "no
/// partition yet" (partitions and isolation hand out labels from 1).
#[derive(Clone, Debug, Default)]
pub(super) struct Network {
    labels: [u32; NODE_ID_MAX as usize + 1],
    /// Cut directed links: bit `to` of `cuts[from]`.
    cuts: [u32; NODE_ID_MAX as usize + 1],
}

impl Network {
    fn label(&self, n: NodeId) -> u32 {
        self.labels.get(n as usize).copied().unwrap_or(0)
    }
    fn set_label(&mut self, n: NodeId, label: u32) {
        if let Some(l) = self.labels.get_mut(n as usize) {
            *l = label;
        }
    }
    fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        let bit = 1u32.checked_shl(to).unwrap_or(0);
        self.cuts.get(from as usize).is_some_and(|c| c & bit != 0)
    }
    fn set_cut(&mut self, from: NodeId, to: NodeId, cut: bool) {
        let bit = 1u32.checked_shl(to).unwrap_or(0);
        if let Some(c) = self.cuts.get_mut(from as usize) {
            if cut {
                *c |= bit;
            } else {
                *c &= !bit;
            }
        }
    }
    /// Every cut link, in (from, to) order.
    pub(super) fn cut_links(&self) -> Vec<[NodeId; 2]> {
        (0..=NODE_ID_MAX)
            .flat_map(|from| (0..=NODE_ID_MAX).map(move |to| [from, to]))
            .filter(|&[from, to]| self.is_cut(from, to))
            .collect()
    }
    pub(super) fn partitioned(&self) -> bool {
        self.labels.iter().any(|&l| l != 0)
    }
    /// Why a message from -> to cannot pass, if it cannot.
    fn blocked(&self, from: NodeId, to: NodeId) -> Option<DropReason> {
        if self.label(from) != self.label(to) {
            Some(DropReason::Partition)
        } else if self.is_cut(from, to) {
            Some(DropReason::Cut)
        } else {
            None
        }
    }
    /// The nodes of `all` grouped by label, groups in label order.
    pub(super) fn groups(&self, all: impl Iterator<Item = NodeId>) -> Vec<Vec<NodeId>> {
        let all: Vec<NodeId> = all.collect();
        let label_max = self.labels.iter().copied().max().unwrap_or(0);
        (0..=label_max)
            .map(|label| {
                all.iter()
                    .copied()
                    .filter(|&n| self.label(n) == label)
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .collect()
    }
}

impl Sim {
    /// Sends `msg` (twice if duplicated), drawing each copy's latency and
    /// fate from the network's stream. The draws do not depend on whether
    /// the copy is then lost, so a fault changes no later latency.
    pub(super) fn send(&mut self, from: NodeId, to: NodeId, msg: Message) {
        let msg = Arc::new(msg);
        let s = &self.state.settings;
        let (lat_min, lat_max, loss, dup, reorder) = (
            s.latency_us_min,
            s.latency_us_max,
            s.loss,
            s.duplicate,
            s.reorder,
        );
        let copies = if !dup.is_zero() && self.state.net_rng.chance(dup) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let id = self.state.next_msg_id;
            self.state.next_msg_id += 1;
            let mut latency = self.state.net_rng.range(lat_min, lat_max);
            if !reorder.is_zero() && self.state.net_rng.chance(reorder) {
                latency = latency
                    .saturating_add(self.state.net_rng.range(lat_max, lat_max.saturating_mul(2)));
            }
            let deliver_us = self.state.now_us.saturating_add(latency);
            self.emit(Ev::Send {
                id,
                from,
                to,
                deliver_us,
                msg: msg.clone(),
            });
            let lost = !loss.is_zero() && self.state.net_rng.chance(loss);
            let reason = if !self.state.slots.contains_key(&to) {
                Some(DropReason::UnknownNode)
            } else if lost {
                Some(DropReason::Loss)
            } else {
                self.state.net.blocked(from, to)
            };
            if let Some(reason) = reason {
                self.emit(Ev::Drop {
                    id,
                    from,
                    to,
                    reason,
                    msg: msg.clone(),
                });
                continue;
            }
            let m = InFlight {
                from,
                to,
                sent_us: self.state.now_us,
                deliver_us,
                msg: msg.clone(),
            };
            self.state.in_flight.insert(id, m);
            self.state.push(deliver_us, Event::Deliver { id });
        }
    }

    /// Message `id` arrives, unless its receiver is down or the link is now
    /// blocked. Returns false if it was already lost (a stale delivery).
    pub(super) fn deliver(&mut self, id: u64) -> bool {
        let Some(m) = self.state.in_flight.remove(&id) else {
            return false;
        };
        let blocked = if !self.state.is_up(m.to) {
            let removed = self.state.slots.get(&m.to).is_some_and(|s| s.removed);
            Some(if removed {
                DropReason::Removed
            } else {
                DropReason::Down
            })
        } else {
            self.state.net.blocked(m.from, m.to)
        };
        if let Some(reason) = blocked {
            self.lose(id, m, reason);
        } else {
            let conflict = self.first_conflict(m.to, &m.msg);
            let deliver_at = self.state.trace_len;
            self.emit(Ev::Deliver {
                id,
                from: m.from,
                to: m.to,
                msg: m.msg.clone(),
            });
            let traced = self.state.trace_len > deliver_at;
            self.with_node(m.to, |n| {
                n.handle_message(m.from, Arc::unwrap_or_clone(m.msg))
            });
            if let (Some(c), true) = (conflict, traced) {
                self.note_deletion(deliver_at, m.to, c);
            }
        }
        true
    }

    /// Records the loss of in-flight message `id` (already taken out of `in_flight`).
    fn lose(&mut self, id: u64, m: InFlight, reason: DropReason) {
        self.emit(Ev::Drop {
            id,
            from: m.from,
            to: m.to,
            reason,
            msg: m.msg,
        });
    }

    /// Messages in flight to `id` are lost (it crashed or was shut down).
    pub(super) fn drop_in_flight_to(&mut self, id: NodeId, reason: DropReason) {
        let lost: Vec<u64> = self
            .state
            .in_flight
            .iter()
            .filter(|(_, m)| m.to == id)
            .map(|(&i, _)| i)
            .collect();
        for mid in lost {
            if let Some(m) = self.state.in_flight.remove(&mid) {
                self.lose(mid, m, reason);
            }
        }
    }

    /// Messages in flight over links that are now blocked are lost at once.
    fn cut_in_flight(&mut self) {
        let blocked: Vec<(u64, DropReason)> = self
            .state
            .in_flight
            .iter()
            .filter_map(|(&id, m)| self.state.net.blocked(m.from, m.to).map(|r| (id, r)))
            .collect();
        for (id, reason) in blocked {
            if let Some(m) = self.state.in_flight.remove(&id) {
                self.lose(id, m, reason);
            }
        }
    }

    // ------------------------------------------------------------------
    // The network's actions

    /// `partition A B | C D`: each group gets its own label.
    pub(super) fn partition(&mut self, groups: Vec<Vec<NodeId>>) {
        self.state.net.labels = Default::default();
        for (i, g) in groups.iter().enumerate() {
            for &n in g {
                self.state.net.set_label(n, i as u32 + 1);
            }
        }
        self.cut_in_flight();
        // Named servers that do not exist yet are in their group too.
        // Built by inserting: `collect` would sort first, one more copy of
        // the sorting code in the wasm download.
        let mut ids = BTreeSet::new();
        ids.extend(self.state.slots.keys().copied());
        ids.extend(groups.iter().flatten().copied());
        let groups = self.state.net.groups(ids.into_iter());
        self.emit(Ev::Partition { groups });
    }

    /// `isolate N`: a label of its own.
    pub(super) fn isolate(&mut self, node: NodeId) {
        let fresh = self.state.net.labels.iter().copied().max().unwrap_or(0) + 1;
        self.state.net.set_label(node, fresh);
        self.cut_in_flight();
        self.emit(Ev::Isolate { node });
    }

    /// `cut A B`.
    pub(super) fn cut(&mut self, from: NodeId, to: NodeId) {
        self.state.net.set_cut(from, to, true);
        self.cut_in_flight();
        self.emit(Ev::Cut { from, to });
    }

    /// `restore A B`.
    pub(super) fn restore(&mut self, from: NodeId, to: NodeId) {
        self.state.net.set_cut(from, to, false);
        self.emit(Ev::Restore { from, to });
    }

    /// `heal`: no partition, no isolation, no cut.
    pub(super) fn heal(&mut self) {
        self.state.net = Network::default();
        self.emit(Ev::Heal);
    }

    /// `drop ID`: the user loses a message in flight.
    pub(super) fn drop_message(&mut self, id: u64) {
        match self.state.in_flight.remove(&id) {
            Some(m) => self.lose(id, m, DropReason::User),
            None => self.note(format!("drop {id}: no such message in flight")),
        }
    }
}
