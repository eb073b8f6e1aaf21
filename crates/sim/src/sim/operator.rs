//! The operator: configuration changes and leadership transfers asked of the
//! leader, the servers it starts for a change, and the servers it shuts
//! down once a leader commits a configuration without them (thesis §4.2.3,
//! §6: "servers not in C_new can be shut down").

use std::collections::BTreeSet;

use raft::{ConfChange, Entry, LogIndex, Membership, Node, NodeId, Payload, ProposeError, Term};

use super::slots::node_config;
use super::Sim;
use crate::scenario::{Action, NODE_ID_MAX};
use crate::trace::{ChangeResult, DropReason, Ev, Removal};

/// A server the operator started (or brought back) for a configuration
/// change proposed at `(index, term)`, while that entry's fate is unknown.
/// The first node to apply `index` settles it: the same term means the change
/// committed; another term means it was lost, and the server is shut down
/// again unless some configuration still wants it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Joining {
    pub(super) node: NodeId,
    pub(super) index: LogIndex,
    pub(super) term: Term,
}

/// A set of node ids, built by inserting: `collect` would sort first and
/// link one more copy of the sorting code into the wasm.
fn node_set(ids: Vec<NodeId>) -> BTreeSet<NodeId> {
    let mut set = BTreeSet::new();
    set.extend(ids);
    set
}

impl Sim {
    /// `add`, `add-learner`, `remove`, `change`, `unsafe-change`: the change
    /// `action` asks for, proposed at the leader. Any other action is ignored.
    pub(super) fn change_membership(&mut self, action: Action) {
        let (joining, change) = match &action {
            Action::Add { node } => (vec![*node], ConfChange::AddVoter(*node)),
            Action::AddLearner { node } => (vec![*node], ConfChange::AddLearner(*node)),
            Action::Remove { node } => (Vec::new(), ConfChange::RemoveServer(*node)),
            Action::Change { voters } => (
                voters.clone(),
                ConfChange::BeginJoint {
                    voters: node_set(voters.clone()),
                },
            ),
            Action::UnsafeChange { voters } => {
                if !self.state.settings.unsafe_switches.direct_change {
                    self.emit(Ev::Change {
                        node: 0,
                        change: action,
                        result: ChangeResult::Rejected,
                        detail: Some("turn on `unsafe direct-change` first".into()),
                    });
                    return;
                }
                (
                    voters.clone(),
                    ConfChange::UnsafeDirect {
                        voters: node_set(voters.clone()),
                    },
                )
            }
            _ => return,
        };
        self.propose_change(&joining, change, action);
    }

    /// Proposes a configuration change at the leader. `joining`: servers the
    /// change brings (back) into the configuration.
    fn propose_change(&mut self, joining: &[NodeId], change: ConfChange, action: Action) {
        let Some(leader) = self.state.leader() else {
            self.emit(Ev::Change {
                node: 0,
                change: action,
                result: ChangeResult::Unavailable,
                detail: Some("there is no leader".into()),
            });
            return;
        };
        let mut result = Err(ProposeError::NotLeader { leader_hint: None });
        if let Some(n) = self
            .state
            .slots
            .get_mut(&leader)
            .and_then(|s| s.node.as_mut())
        {
            result = n.propose_conf_change(change);
        }
        let proposed = result.as_ref().ok().copied();
        let (result, detail) = match result {
            Ok((index, term)) => (
                ChangeResult::Proposed,
                Some(format!("index {index} term {term}")),
            ),
            Err(e) => (ChangeResult::Rejected, Some(e.to_string())),
        };
        self.emit(Ev::Change {
            node: leader,
            change: action,
            result,
            detail,
        });
        if let Some((index, term)) = proposed {
            self.start_joining(joining, index, term);
        }
        self.after_input(leader);
    }

    /// The operator starts the servers a change proposed at `(index, term)`
    /// brings in: a new one empty, a removed one from its own disk. Never
    /// from a wiped one: a server with a stale configuration that still
    /// lists it could then win an election with the vote of its empty
    /// incarnation (Leader Completeness breaks). Until the entry's fate is
    /// known the server is `joining`; if the change is lost, it is shut down
    /// again (`settle_joining`).
    fn start_joining(&mut self, joining: &[NodeId], index: LogIndex, term: Term) {
        for &id in joining {
            let started = if !self.state.slots.contains_key(&id) {
                self.ensure_node(id)
            } else if let Some(slot) = self.state.slots.get_mut(&id).filter(|s| s.removed) {
                slot.removed = false;
                self.restart(id);
                true
            } else {
                false
            };
            // A server still joining for an earlier change (not yet in the
            // committed configuration) now also waits on this one: the
            // earlier change may be lost while this one commits (swarm
            // seed 1001966).
            let joining_already = self.state.joining.iter().any(|j| j.node == id);
            if started || joining_already {
                self.state.joining.push(Joining {
                    node: id,
                    index,
                    term,
                });
            }
        }
    }

    /// Creates a brand-new, empty server `id` if it never existed (added
    /// servers). Returns whether it did.
    fn ensure_node(&mut self, id: NodeId) -> bool {
        if id == 0 || id > NODE_ID_MAX || self.state.slots.contains_key(&id) {
            return false;
        }
        let node = Node::new(node_config(id, &self.state.settings), Membership::default());
        self.state.insert_slot(id, node);
        self.state.arm_election(id);
        self.after_input(id);
        true
    }

    /// `transfer N`: the leader hands leadership to N (thesis §3.10).
    pub(super) fn transfer(&mut self, to: NodeId) {
        let action = Action::Transfer { to };
        match self.state.leader() {
            None => self.emit(Ev::Change {
                node: 0,
                change: action,
                result: ChangeResult::Unavailable,
                detail: None,
            }),
            Some(l) => {
                let mut result = Ok(());
                self.with_node(l, |n| result = n.transfer_leadership(to));
                let (result, detail) = match result {
                    Ok(()) => (ChangeResult::Proposed, None),
                    Err(e) => (ChangeResult::Rejected, Some(e.to_string())),
                };
                self.emit(Ev::Change {
                    node: l,
                    change: action,
                    result,
                    detail,
                });
            }
        }
    }

    /// The operator's part of a membership change (thesis §4.2.3, §6: "servers
    /// not in C_new can be shut down"): once a leader has committed a
    /// configuration, every server of the previous committed configuration
    /// that is neither in it nor in the leader's latest one is shut down for
    /// good. Without this a removed server never learns it was removed, times
    /// out and disrupts the cluster. Each configuration is acted on once.
    pub(super) fn on_config_committed(
        &mut self,
        leader: NodeId,
        index: LogIndex,
        membership: Membership,
    ) {
        if index <= self.state.committed_config_index {
            return;
        }
        self.state.committed_config_index = index;
        let previous = std::mem::replace(&mut self.state.committed_config, membership.clone());
        if membership.is_joint() {
            // §6: servers leave when C_new commits, not C_old,new.
            return;
        }
        // A server the leader's latest configuration still (or again) names
        // stays: a later entry, say a learner's promotion appended in the same
        // step or an `add` of the same server, wants it.
        let latest = self
            .state
            .slots
            .get(&leader)
            .and_then(|s| s.node.as_ref())
            .map(|n| n.membership().clone())
            .unwrap_or_default();
        let gone: Vec<NodeId> = previous
            .all_members()
            .into_iter()
            .filter(|&x| !membership.contains(x) && !latest.contains(x))
            .collect();
        for x in gone {
            self.shut_down(x, index, Removal::Excluded);
        }
    }

    /// Settles the joining servers whose change was proposed at `entry`'s
    /// index, now that a node applies the committed entry there.
    pub(super) fn settle_joining(&mut self, entry: &Entry) {
        let (settled, open): (Vec<Joining>, Vec<Joining>) = std::mem::take(&mut self.state.joining)
            .into_iter()
            .partition(|j| j.index == entry.index);
        self.state.joining = open;
        for j in settled.into_iter().filter(|j| j.term != entry.term) {
            let wanted = self.state.committed_config.contains(j.node)
                || self.state.joining.iter().any(|o| o.node == j.node)
                || matches!(&entry.payload, Payload::Config { membership } if membership.contains(j.node));
            if !wanted {
                self.shut_down(j.node, j.index, Removal::Lost);
            }
        }
    }

    /// Takes a server out of the cluster for good: like a crash (its
    /// persistent state stays visible), but it is never restarted.
    fn shut_down(&mut self, id: NodeId, index: LogIndex, why: Removal) {
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return;
        };
        if slot.removed {
            return;
        }
        slot.removed = true;
        slot.stop();
        debug_assert!(slot.node.is_none() && slot.persisted.is_some());
        self.state.checker.on_crash(id);
        self.emit(Ev::Removed {
            node: id,
            index,
            why,
        });
        self.drop_in_flight_to(id, DropReason::Removed);
    }
}
