//! The timeline's actions (also what [`Sim::act`] takes): each directive of
//! the scenario language that acts on the run, dispatched to the part of the
//! simulator it belongs to.

use raft::NodeId;

use super::kv::{kv_from_image, kv_image};
use super::slots::node_config;
use super::Sim;
use crate::scenario::{Action, Setting};
use crate::trace::{DropReason, Ev};

impl Sim {
    /// Runs one action now.
    // One short arm per action: a table from directive to handler.
    pub(super) fn run_action(&mut self, action: Action) {
        match action {
            Action::Request { to, cmd } => self.request(to, cmd),
            Action::Crash { node } => self.crash(node),
            Action::Restart { node } => self.restart(node),
            Action::Timeout { node } => self.force_timeout(node),
            Action::Partition { groups } => self.partition(groups),
            Action::Isolate { node } => self.isolate(node),
            Action::Cut { from, to } => self.cut(from, to),
            Action::Restore { from, to } => self.restore(from, to),
            Action::Heal => self.heal(),
            Action::Drop { id } => self.drop_message(id),
            Action::Add { .. }
            | Action::AddLearner { .. }
            | Action::Remove { .. }
            | Action::Change { .. }
            | Action::UnsafeChange { .. } => self.change_membership(action),
            Action::Transfer { to } => self.transfer(to),
            Action::Compact { node } => self.compact(node),
            Action::Set(setting) => self.set(setting),
        }
    }

    /// `timeout N`: the node's election timer fires now.
    fn force_timeout(&mut self, node: NodeId) {
        if self.state.is_up(node) {
            self.emit(Ev::Timeout { node, forced: true });
            self.fire_election(node);
        } else {
            self.note(format!("timeout {node}: node {node} is not running"));
        }
    }

    /// `compact N`: the node snapshots its state machine up to what it applied.
    fn compact(&mut self, node: NodeId) {
        let Some(slot) = self.state.slots.get_mut(&node) else {
            return self.note(format!("compact {node}: no such node"));
        };
        let image = kv_image(&slot.kv);
        let Some(n) = slot.node.as_mut() else {
            return self.note(format!("compact {node}: node {node} is not running"));
        };
        let applied = n.last_applied();
        match n.compact(applied, image) {
            Ok(()) => {
                self.emit(Ev::Compact {
                    node,
                    index: applied,
                });
                self.after_input(node);
            }
            Err(e) => self.note(format!("compact {node}: {e}")),
        }
    }

    /// `crash N`: the node loses its volatile state; messages to it are lost.
    pub(super) fn crash(&mut self, id: NodeId) {
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return self.note(format!("crash {id}: no such node"));
        };
        if slot.removed {
            return self.note(format!(
                "crash {id}: node {id} was removed from the cluster"
            ));
        }
        if slot.node.is_none() {
            return self.note(format!("crash {id}: node {id} is already down"));
        }
        slot.stop();
        self.state.checker.on_crash(id);
        self.emit(Ev::Crash { node: id });
        self.drop_in_flight_to(id, DropReason::Crash);
    }

    /// `restart N`: the node comes back with what it persisted, its state
    /// machine rebuilt from its snapshot.
    pub(super) fn restart(&mut self, id: NodeId) {
        let config = node_config(id, &self.state.settings);
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return self.note(format!("restart {id}: no such node"));
        };
        if slot.removed {
            return self.note(format!(
                "restart {id}: node {id} was removed from the cluster; `add {id}` brings it back as a new, empty server"
            ));
        }
        let Some(persisted) = slot.persisted.take() else {
            return self.note(format!("restart {id}: node {id} is already running"));
        };
        slot.kv = persisted
            .log
            .snapshot()
            .map(|s| kv_from_image(&s.data))
            .unwrap_or_default();
        slot.node = Some(raft::Node::restart(config, persisted));
        self.emit(Ev::Restart { node: id });
        self.state.arm_election(id);
        self.after_input(id);
    }

    /// A setting changed during the run: protocol switches reach every node's
    /// configuration at once; `snapshot-every` may compact right away.
    fn set(&mut self, setting: Setting) {
        self.state.settings.apply(&setting);
        let protocol = matches!(
            setting,
            Setting::PreVote(_)
                | Setting::CheckQuorum(_)
                | Setting::StickyLeader(_)
                | Setting::Noop(_)
                | Setting::Backoff(_)
                | Setting::Unsafe(..)
        );
        let snapshots = matches!(setting, Setting::SnapshotEvery(_));
        self.emit(Ev::Setting { setting });
        if protocol {
            let ids: Vec<NodeId> = self.state.slots.keys().copied().collect();
            for id in ids {
                let config = node_config(id, &self.state.settings);
                self.with_node(id, |n| n.set_config(config));
            }
        }
        if snapshots {
            let ids: Vec<NodeId> = self.state.slots.keys().copied().collect();
            for id in ids {
                self.maybe_compact(id);
            }
        }
    }
}
