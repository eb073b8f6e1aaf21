//! Refusing an action aimed at a server that does not exist, with the
//! words `Sim::act_line` uses for the same line typed by hand, so the page
//! says the same thing whichever way the action came.

use raft::NodeId;
use sim::Action;

/// The servers `action` names, in the order its line writes them. Empty for
/// the actions that create the servers they name (`add`, `change`, …).
fn named_nodes(action: &Action) -> Vec<NodeId> {
    match action {
        Action::Crash { node }
        | Action::Restart { node }
        | Action::Timeout { node }
        | Action::Isolate { node }
        | Action::Remove { node }
        | Action::Compact { node }
        | Action::Transfer { to: node }
        | Action::Request { to: Some(node), .. } => vec![*node],
        Action::Cut { from, to } | Action::Restore { from, to } => vec![*from, *to],
        Action::Partition { groups } => groups.iter().flatten().copied().collect(),
        Action::Request { to: None, .. }
        | Action::Heal
        | Action::Drop { .. }
        | Action::Add { .. }
        | Action::AddLearner { .. }
        | Action::Change { .. }
        | Action::UnsafeChange { .. }
        | Action::Set(_) => Vec::new(),
    }
}

/// Why `action` cannot be taken in a cluster of `servers`, if it names one
/// that is not there: `line 1, column 7: node 9 does not exist: the cluster
/// has nodes 1..3; `add 9` creates it`.
pub fn missing_target(action: &Action, servers: &[NodeId]) -> Option<String> {
    let id = named_nodes(action)
        .into_iter()
        .find(|id| !servers.contains(id))?;
    // The column of the id in the action's own line, as the parser counts
    // (1-based, in characters): the first word after the verb that is it.
    let line = action.to_string();
    let word = id.to_string();
    let mut column = 1;
    for (i, w) in line.split(' ').enumerate() {
        if i > 0 && w == word {
            break;
        }
        column += w.chars().count() + 1;
    }
    Some(format!(
        "line 1, column {column}: node {id} does not exist: the cluster has {}; `add {id}` creates it",
        nodes_text(servers)
    ))
}

/// "nodes 1..5", "nodes 1..5, 7", "node 1", "no nodes": a set of ids in
/// increasing order, runs of three or more as ranges (as sim words it).
fn nodes_text(ids: &[NodeId]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}..{}", ids[i], ids[j]));
        } else {
            parts.extend(ids[i..=j].iter().map(|id| id.to_string()));
        }
        i = j + 1;
    }
    match (ids.len(), parts.is_empty()) {
        (_, true) => "no nodes".into(),
        (1, _) => format!("node {}", parts.join(", ")),
        _ => format!("nodes {}", parts.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same words as `Sim::act_line` for the same line.
    #[test]
    fn a_missing_server_is_refused_as_the_parser_refuses_it() {
        let servers = [1, 2, 3, 5];
        for action in [
            Action::Crash { node: 9 },
            Action::Transfer { to: 7 },
            Action::Cut { from: 1, to: 9 },
            Action::Request {
                to: Some(4),
                cmd: "set 4=4".into(),
            },
            Action::Partition {
                groups: vec![vec![1, 2], vec![3, 8]],
            },
        ] {
            let parsed = sim::parse_live_action(&action.to_string(), &servers)
                .expect_err("refused")
                .to_string();
            assert_eq!(missing_target(&action, &servers), Some(parsed), "{action}");
        }
        for ok in [
            Action::Crash { node: 5 },
            Action::Add { node: 9 },
            Action::Heal,
            Action::Drop { id: 99 },
        ] {
            assert_eq!(missing_target(&ok, &servers), None, "{ok}");
        }
    }
}
