//! Handling a node's output: after every input the node's `Ready` is drained
//! and acted on, in an order that makes the trace read causally: role and
//! term, the node's events, timers, snapshot, applied entries, messages,
//! safety checks, compaction, and last the operator's part.

use raft::{Entry, LogIndex, Membership, Node, NodeId, Payload, Role, Snapshot, Term};

use super::build_view::payload_text;
use super::kv::{apply_command, kv_from_image, kv_image};
use super::queue::Event;
use super::Sim;
use crate::checker::Violation;
use crate::trace::Ev;

impl Sim {
    /// Runs `f` on a live node, then handles its output.
    pub(super) fn with_node(&mut self, id: NodeId, f: impl FnOnce(&mut Node)) {
        let Some(node) = self.state.slots.get_mut(&id).and_then(|s| s.node.as_mut()) else {
            return;
        };
        f(node);
        self.after_input(id);
    }

    /// Drains the node's Ready and acts on it: trace, state machine, timers, messages, checks.
    pub(super) fn after_input(&mut self, id: NodeId) {
        let Some(node) = self.state.slots.get_mut(&id).and_then(|s| s.node.as_mut()) else {
            return;
        };
        let ready = node.ready();
        let (role, term) = (node.role(), node.term());
        let mut violations = Vec::new();

        // Role and term first, so the trace reads in causal order.
        let Some((became_leader, led)) = self.trace_role(id, role, term) else {
            return;
        };
        for e in ready.events {
            self.trace_node_event(id, e);
        }
        if became_leader {
            if let Some(node) = self.state.slots.get(&id).and_then(|s| s.node.as_ref()) {
                self.state.checker.on_leader(node, &mut violations);
            }
        }
        self.heartbeat_follows_role(id, role == Role::Leader, became_leader);
        if let Some(snap) = ready.install_snapshot {
            self.install_snapshot(id, &snap);
        }
        let mut configs_committed = Vec::new();
        for entry in &ready.apply {
            self.apply_entry(id, entry, &mut violations);
            if let (true, Payload::Config { membership }) = (led, &entry.payload) {
                configs_committed.push((entry.index, (**membership).clone()));
            }
        }
        if ready.reset_election_timer {
            self.state.arm_election(id);
        }
        for (to, msg) in ready.messages {
            self.send(id, to, msg);
        }
        if let Some(node) = self.state.slots.get(&id).and_then(|s| s.node.as_ref()) {
            self.state.checker.after_step(node, &mut violations);
        }
        for v in violations {
            self.emit(Ev::Violation(v));
        }
        self.maybe_compact(id);
        self.operator_after_input(id, configs_committed, &ready.apply);
    }

    /// Writes `role` if the node's (role, term) changed since last traced.
    /// Returns (it just became leader of this term, it led before or after
    /// this input), or `None` if the slot is gone.
    fn trace_role(&mut self, id: NodeId, role: Role, term: Term) -> Option<(bool, bool)> {
        let slot = self.state.slots.get_mut(&id)?;
        let changed = slot.traced_role != (role, term);
        let was_leader = slot.traced_role.0 == Role::Leader && slot.traced_role.1 == term;
        // Led before this input (it may have stepped down in it, e.g. removed).
        let led = slot.traced_role.0 == Role::Leader || role == Role::Leader;
        slot.traced_role = (role, term);
        if changed {
            self.emit(Ev::Role {
                node: id,
                role,
                term,
            });
        }
        Some((changed && role == Role::Leader && !was_leader, led))
    }

    /// One of the node's own events, as the trace tells it.
    fn trace_node_event(&mut self, id: NodeId, e: raft::Event) {
        match e {
            raft::Event::BecameLeader { term, votes } => self.emit(Ev::Leader {
                node: id,
                term,
                votes,
            }),
            raft::Event::MembershipChanged { membership } => self.emit(Ev::Membership {
                node: id,
                voters: membership.voters.iter().copied().collect(),
                outgoing: membership.outgoing.iter().copied().collect(),
                learners: membership.learners.iter().copied().collect(),
            }),
            raft::Event::SteppedDown { reason } => self.emit(Ev::Stepdown { node: id, reason }),
            raft::Event::Rejected { reason } => self.emit(Ev::Reject { node: id, reason }),
            raft::Event::RoleChanged { .. } | raft::Event::Committed { .. } => {}
        }
    }

    /// A leader's heartbeat timer runs while it leads (restarted when it
    /// becomes leader of a new term); anyone else's is off.
    fn heartbeat_follows_role(&mut self, id: NodeId, leader: bool, became_leader: bool) {
        let every = self.state.settings.heartbeat_us;
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return;
        };
        if leader && (!slot.heartbeat_on || became_leader) {
            slot.heartbeat_on = true;
            slot.heartbeat_gen += 1;
            let gen = slot.heartbeat_gen;
            self.state.push(
                self.state.now_us.saturating_add(every),
                Event::Heartbeat { node: id, gen },
            );
        } else if !leader && slot.heartbeat_on {
            slot.heartbeat_on = false;
            slot.heartbeat_gen += 1;
        }
    }

    /// The node adopted a snapshot from its leader: its state machine becomes the image.
    fn install_snapshot(&mut self, id: NodeId, snap: &Snapshot) {
        if let Some(slot) = self.state.slots.get_mut(&id) {
            slot.kv = kv_from_image(&snap.data);
        }
        self.emit(Ev::Snapshot {
            node: id,
            index: snap.last_index,
            term: snap.last_term,
        });
    }

    /// Applies one committed entry: state machine, trace, checker, client answer.
    fn apply_entry(&mut self, id: NodeId, entry: &Entry, violations: &mut Vec<Violation>) {
        let (kind, text) = payload_text(&entry.payload);
        if let (Some(slot), Payload::Command { cmd }) =
            (self.state.slots.get_mut(&id), &entry.payload)
        {
            apply_command(&mut slot.kv, cmd);
        }
        self.emit(Ev::Commit {
            node: id,
            index: entry.index,
            term: entry.term,
            kind,
            cmd: text,
        });
        self.state.checker.on_apply(id, entry, violations);
        self.answer_clients(id, entry);
    }

    /// Compacts the node's log if `snapshot-every` entries were applied since its snapshot.
    pub(super) fn maybe_compact(&mut self, id: NodeId) {
        let Some(every) = self.state.settings.snapshot_every else {
            return;
        };
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return;
        };
        let Some(node) = slot.node.as_mut() else {
            return;
        };
        let snap_index = node.log().snapshot().map_or(0, |s| s.last_index);
        let applied = node.last_applied();
        if applied >= snap_index + every && node.compact(applied, kv_image(&slot.kv)).is_ok() {
            self.emit(Ev::Compact {
                node: id,
                index: applied,
            });
            self.after_input(id);
        }
    }

    /// The operator's part, after the node's own output is handled: shut
    /// down the servers a committed configuration removed, and settle the
    /// servers joining for a change whose entry was just applied.
    fn operator_after_input(
        &mut self,
        id: NodeId,
        configs_committed: Vec<(LogIndex, Membership)>,
        applied: &[Entry],
    ) {
        for (index, membership) in configs_committed {
            self.on_config_committed(id, index, membership);
        }
        // Last, like the shutdowns above: the node's own output is handled.
        if !self.state.joining.is_empty() {
            for entry in applied {
                self.settle_joining(entry);
            }
        }
    }
}
