//! Building the read-only [`View`] the page draws, and the trace's `final`
//! line from it. Entries are described the same way here and in `commit`
//! events ([`payload_text`]).

use std::collections::BTreeSet;

use raft::{Entry, Log, Membership, NodeId, Payload};

use super::slots::Slot;
use super::Sim;
use crate::trace::{EntryKind, MembershipRole};
use crate::view::{EntryView, LogSource, MessageView, NetworkView, NodeView, ProgressView, View};

/// `(kind, text)` of a payload for the trace and the view.
pub(super) fn payload_text(p: &Payload) -> (EntryKind, String) {
    match p {
        Payload::Noop => (EntryKind::Noop, String::new()),
        Payload::Command { cmd } => (EntryKind::Command, cmd.to_string()),
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
/// neither a node nor its persisted state, which the slot's invariant rules
/// out). `reuse` is the server's previous picture, if any: its log entries
/// and values are kept where they still match, since the view is taken every
/// frame and copying every entry's text was most of its cost.
fn node_view(id: NodeId, slot: &Slot, reuse: Option<NodeView>) -> Option<NodeView> {
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
    let (mut entries, source, mut kv) =
        reuse.map_or_else(Default::default, |r| (r.log, r.log_source, r.kv));
    let log_source = sync_entries(&mut entries, &source, log);
    if kv != slot.kv {
        kv.clone_from(&slot.kv);
    }
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
        kv,
        log_source,
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

/// Makes `out`, which shows the entries of `source`, show `log`'s, and
/// returns the new source. Leaves
/// `log` still shares with `source` hold the same entries (see
/// [`LogSource`]), so those are kept without a look; after them entries are
/// compared one by one, and the rest is rebuilt. Compared, not assumed
/// from a matching index and term (the Log Matching Property): the page
/// may swap the run under its view (Undo, acting in the past), and two runs
/// put different commands under the same index and term; so may a run with
/// a safety rule switched off.
fn sync_entries(out: &mut Vec<EntryView>, source: &LogSource, log: &Log) -> LogSource {
    let current = log.shared_entries();
    let mut same = 0;
    for (was, is) in source.0.leaves().zip(current.leaves()) {
        // Fat pointers: equal address and length.
        if !std::ptr::eq(was, is) {
            break;
        }
        same += is.len();
    }
    debug_assert!(same <= out.len(), "out shows the source's entries");
    let rest = |skip: usize| {
        let mut skip = skip;
        current.leaves().flat_map(move |leaf| {
            let k = skip.min(leaf.len());
            skip -= k;
            &leaf[k..]
        })
    };
    same += out[same..]
        .iter()
        .zip(rest(same))
        .take_while(|(view, e)| shows(view, e))
        .count();
    out.truncate(same);
    out.extend(rest(same).map(|e| {
        let (kind, cmd) = payload_text(&e.payload);
        EntryView {
            index: e.index,
            term: e.term,
            kind,
            cmd,
        }
    }));
    LogSource(current)
}

/// Whether `view` shows entry `e`, without building its text for a command
/// (configurations, which are rare, are described and compared).
fn shows(view: &EntryView, e: &Entry) -> bool {
    view.index == e.index
        && view.term == e.term
        && match &e.payload {
            Payload::Noop => view.kind == EntryKind::Noop,
            Payload::Command { cmd } => view.kind == EntryKind::Command && *view.cmd == **cmd,
            Payload::Config { membership } => {
                view.kind == EntryKind::Config && view.cmd == membership_text(membership)
            }
        }
}

impl Sim {
    /// A read-only snapshot of everything the canvas draws.
    pub fn view(&self) -> View {
        let mut view = View::default();
        self.refresh_view(&mut view);
        view
    }

    /// Makes `view` the snapshot of now, reusing what it already holds
    /// (each server's log entries and values) where it still matches:
    /// the page does this every frame. The result equals [`Sim::view`].
    pub fn refresh_view(&self, view: &mut View) {
        let st = &self.state;
        let mut before = std::mem::take(&mut view.nodes);
        view.nodes.extend(st.slots.iter().filter_map(|(&id, slot)| {
            let reuse = before
                .iter()
                .position(|n| n.id == id)
                .map(|i| before.swap_remove(i));
            node_view(id, slot, reuse)
        }));
        view.messages.clear();
        view.messages
            .extend(st.in_flight.iter().map(|(&id, m)| MessageView {
                id,
                from: m.from,
                to: m.to,
                sent_us: m.sent_us,
                deliver_us: m.deliver_us,
                msg: m.msg.clone(),
            }));
        view.network = NetworkView {
            groups: if st.net.partitioned() {
                st.net.groups(st.slots.keys().copied())
            } else {
                Vec::new()
            },
            cuts: st.net.cut_links(),
        };
        view.now_us = st.now_us;
        view.settings.clone_from(&st.settings);
        view.violations = self.violations();
        view.leader = st.leader();
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
