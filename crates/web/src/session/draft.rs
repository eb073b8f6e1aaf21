//! Partition mode: the groups the user is choosing, before they apply.

use raft::NodeId;
use sim::Action;

/// Groups offered in partition mode (A, B, C).
pub const DRAFT_GROUPS: u8 = 3;

/// The group chosen for each node, by node id.
///
/// Invariant: every group is `< DRAFT_GROUPS`; one entry per node shown
/// when the draft began.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionDraft {
    groups: Vec<(NodeId, u8)>,
}

impl PartitionDraft {
    /// Starts from the current partition: a node's group is the network
    /// group it is in (capped at the last offered group), else the first.
    pub fn from_view(view: &sim::View) -> PartitionDraft {
        let mut groups = Vec::with_capacity(view.nodes.len());
        for n in &view.nodes {
            let g = view
                .network
                .groups
                .iter()
                .position(|g| g.contains(&n.id))
                .unwrap_or(0);
            groups.push((n.id, g.min(usize::from(DRAFT_GROUPS - 1)) as u8));
        }
        PartitionDraft { groups }
    }

    /// (node, group) by node id: what the canvas colours.
    pub fn groups(&self) -> &[(NodeId, u8)] {
        &self.groups
    }

    /// Moves `node` to the next group (C wraps round to A).
    pub fn cycle(&mut self, node: NodeId) {
        if let Some((_, g)) = self.groups.iter_mut().find(|(i, _)| *i == node) {
            *g = (*g + 1) % DRAFT_GROUPS;
        }
    }

    /// `1 2 | 3 4 5`, as the partition bar shows it.
    pub fn line(&self) -> String {
        pending_line(&self.groups)
    }

    /// What applying the draft does: `heal` when everyone is in one group,
    /// else the partition into the non-empty groups, in group order.
    pub fn action(&self) -> Action {
        let groups: Vec<Vec<NodeId>> = (0..DRAFT_GROUPS)
            .map(|g| {
                self.groups
                    .iter()
                    .filter(|(_, v)| *v == g)
                    .map(|&(k, _)| k)
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .collect();
        if groups.len() <= 1 {
            Action::Heal
        } else {
            Action::Partition { groups }
        }
    }
}

/// `1 2 | 3 4 5` from a group assignment: (node, group), by node id.
pub fn pending_line(p: &[(NodeId, u8)]) -> String {
    (0..DRAFT_GROUPS)
        .map(|g| {
            p.iter()
                .filter(|(_, v)| *v == g)
                .map(|(k, _)| k.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}
