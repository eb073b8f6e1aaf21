//! Building the read-only [`View`] the page draws, and the trace's `final`
//! line from it. Entries are described the same way here and in `commit`
//! events ([`payload_text`]).

use std::collections::BTreeSet;

use raft::{Membership, NodeId, Payload};

use super::slots::Slot;
use super::Sim;
use crate::trace::{EntryKind, MembershipRole};
use crate::view::{EntryView, MessageView, NetworkView, NodeView, ProgressView, View};

/// `(kind, text)` of a payload for the trace and the view.
pub(super) fn payload_text(p: &Payload) -> (EntryKind, String) {
    match p {
        Payload::Noop => (EntryKind::Noop, String::new()),
        Payload::Command { cmd } => (EntryKind::Command, cmd.clone()),
        Payload::Config { membership } => (EntryKind::Config, membership_text(membership)),
    }
}

/// A configuration as text: `voters 1,2,3 old 1,2 learners 4`.
pub(crate) fn membership_text(m: &Membership) -> String {
    let list = |s: &BTreeSet<NodeId>| {
        s.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut t = format!("voters {}", list(&m.voters));
    if !m.outgoing.is_empty() {
        t.push_str(&format!(" old {}", list(&m.outgoing)));
    }
    if !m.learners.is_empty() {
        t.push_str(&format!(" learners {}", list(&m.learners)));
    }
    t
}

/// Node `id`'s place in configuration `m`.
fn membership_role(m: &Membership, id: NodeId) -> MembershipRole {
    if m.voters.contains(&id) {
        MembershipRole::Voter
    } else if m.outgoing.contains(&id) {
        MembershipRole::Outgoing
    } else if m.learners.contains(&id) {
        MembershipRole::Learner
    } else {
        MembershipRole::NotMember
    }
}

/// One server as the view shows it, up or down (`None` for a slot holding
/// neither a node nor its persisted state, which the slot's invariant rules out).
fn node_view(id: NodeId, slot: &Slot) -> Option<NodeView> {
    // Invariant: a slot holds the node (up) or its persisted state (down).
    let (log, membership, term, voted_for) = match (&slot.node, &slot.persisted) {
        // Borrowed, not cloned: the view is taken every frame.
        (Some(n), _) => (n.log(), n.membership(), n.term(), n.voted_for()),
        (None, Some(p)) => (
            &p.log,
            &slot.membership_at_crash,
            p.current_term,
            p.voted_for,
        ),
        (None, None) => return None,
    };
    let entries = log
        .entries()
        .map(|e| {
            let (kind, cmd) = payload_text(&e.payload);
            EntryView {
                index: e.index,
                term: e.term,
                kind,
                cmd,
            }
        })
        .collect();
    let n = slot.node.as_ref();
    Some(NodeView {
        id,
        up: n.is_some(),
        removed: slot.removed,
        role: n.map(|n| n.role()),
        term,
        voted_for,
        votes_received: n.map(|n| n.votes_received()).unwrap_or_default(),
        leader_hint: n.and_then(|n| n.leader_hint()),
        commit_index: n.map_or(0, |n| n.commit_index()),
        last_applied: n.map_or(0, |n| n.last_applied()),
        log: entries,
        snapshot_index: log.snapshot().map_or(0, |s| s.last_index),
        snapshot_term: log.snapshot().map_or(0, |s| s.last_term),
        membership_role: membership_role(membership, id),
        voters: membership.voters.iter().copied().collect(),
        outgoing: membership.outgoing.iter().copied().collect(),
        learners: membership.learners.iter().copied().collect(),
        election_start_us: slot.election_start_us,
        election_deadline_us: slot.election_deadline_us,
        kv: slot.kv.clone(),
        progress: n
            .map(|n| n.progress())
            .unwrap_or_default()
            .into_iter()
            .map(|p| ProgressView {
                id: p.id,
                next_index: p.next_index,
                match_index: p.match_index,
            })
            .collect(),
    })
}

impl Sim {
    /// A read-only snapshot of everything the canvas draws.
    pub fn view(&self) -> View {
        let st = &self.state;
        let nodes = st
            .slots
            .iter()
            .filter_map(|(&id, slot)| node_view(id, slot))
            .collect();
        let messages = st
            .in_flight
            .iter()
            .map(|(&id, m)| MessageView {
                id,
                from: m.from,
                to: m.to,
                sent_us: m.sent_us,
                deliver_us: m.deliver_us,
                msg: m.msg.clone(),
            })
            .collect();
        let groups = if !st.net.partitioned() {
            Vec::new()
        } else {
            st.net.groups(st.slots.keys().copied())
        };
        View {
            now_us: st.now_us,
            settings: st.settings.clone(),
            nodes,
            messages,
            network: NetworkView {
                groups,
                cuts: st.net.cut_links(),
            },
            violations: self.violations(),
            leader: st.leader(),
        }
    }

    /// The trace's last line: `{"ev":"final","nodes":[...]}` with every
    /// node's state (`node, up, role, term, voted_for, commit, log`).
    pub fn final_line(&self) -> String {
        let nodes: Vec<serde_json::Value> = self
            .view()
            .nodes
            .into_iter()
            .map(|n| {
                let log: Vec<serde_json::Value> = n
                    .log
                    .iter()
                    .map(|e| serde_json::json!({"index": e.index, "term": e.term, "kind": e.kind, "cmd": e.cmd}))
                    .collect();
                serde_json::json!({
                    "node": n.id, "up": n.up, "removed": n.removed, "role": n.role, "term": n.term, "voted_for": n.voted_for,
                    "commit": n.commit_index, "snapshot_index": n.snapshot_index, "kv": n.kv, "log": log,
                })
            })
            .collect();
        serde_json::json!({"ev": "final", "t": self.state.now_us, "nodes": nodes}).to_string()
    }
}
