//! The printer: every type of the language as the text that parses back to
//! it (`Display`).

use std::fmt;

use super::settings::BackoffMode;
use super::types::{Action, Scenario, Setting};
use super::{NodeId, FORMAT_VERSION};
use crate::units::format_duration_us;

/// `s` as a quoted string of the language (escapes `"`, `\\`, newline, tab).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// Node ids as the scenario language writes them: `1 2 3`.
pub(crate) fn join(nodes: &[NodeId]) -> String {
    nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Setting::ElectionTimeout { min_us, max_us } => {
                write!(
                    f,
                    "election-timeout {} {}",
                    format_duration_us(*min_us),
                    format_duration_us(*max_us)
                )
            }
            Setting::Heartbeat { every_us } => {
                write!(f, "heartbeat {}", format_duration_us(*every_us))
            }
            Setting::Latency { min_us, max_us } => {
                write!(
                    f,
                    "latency {} {}",
                    format_duration_us(*min_us),
                    format_duration_us(*max_us)
                )
            }
            Setting::Loss(p) => write!(f, "loss {p}"),
            Setting::Duplicate(p) => write!(f, "duplicate {p}"),
            Setting::Reorder(p) => write!(f, "reorder {p}"),
            Setting::PreVote(b) => write!(f, "prevote {}", on_off(*b)),
            Setting::CheckQuorum(b) => write!(f, "check-quorum {}", on_off(*b)),
            Setting::StickyLeader(b) => write!(f, "sticky-leader {}", on_off(*b)),
            Setting::Noop(b) => write!(f, "noop {}", on_off(*b)),
            Setting::Backoff(BackoffMode::Decrement) => write!(f, "backoff decrement"),
            Setting::Backoff(BackoffMode::Hint) => write!(f, "backoff hint"),
            Setting::Unsafe(s, b) => write!(f, "unsafe {} {}", s.name(), on_off(*b)),
            Setting::SnapshotEvery(None) => write!(f, "snapshot-every off"),
            Setting::SnapshotEvery(Some(n)) => write!(f, "snapshot-every {n}"),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Request { to: None, cmd } => write!(f, "request {}", quote(cmd)),
            Action::Request { to: Some(n), cmd } => write!(f, "request {n} {}", quote(cmd)),
            Action::Crash { node } => write!(f, "crash {node}"),
            Action::Restart { node } => write!(f, "restart {node}"),
            Action::Timeout { node } => write!(f, "timeout {node}"),
            Action::Partition { groups } => {
                let gs: Vec<String> = groups.iter().map(|g| join(g)).collect();
                write!(f, "partition {}", gs.join(" | "))
            }
            Action::Isolate { node } => write!(f, "isolate {node}"),
            Action::Cut { from, to } => write!(f, "cut {from} {to}"),
            Action::Restore { from, to } => write!(f, "restore {from} {to}"),
            Action::Heal => write!(f, "heal"),
            Action::Drop { id } => write!(f, "drop {id}"),
            Action::Add { node } => write!(f, "add {node}"),
            Action::AddLearner { node } => write!(f, "add-learner {node}"),
            Action::Remove { node } => write!(f, "remove {node}"),
            Action::Change { voters } => write!(f, "change {}", join(voters)),
            Action::UnsafeChange { voters } => write!(f, "unsafe-change {}", join(voters)),
            Action::Transfer { to } => write!(f, "transfer {to}"),
            Action::Compact { node } => write!(f, "compact {node}"),
            Action::Set(s) => write!(f, "{s}"),
        }
    }
}

impl fmt::Display for Scenario {
    /// Canonical text: version, nodes, seed, non-default settings, the
    /// timeline, then `run`. Parses back to an equal `Scenario`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "raftlab {FORMAT_VERSION}")?;
        writeln!(f, "nodes {}", self.settings.nodes)?;
        writeln!(f, "seed {}", self.settings.seed)?;
        for s in self.settings.non_default_settings() {
            writeln!(f, "{s}")?;
        }
        for (node, st) in &self.settings.staged {
            if let Some(term) = st.term {
                writeln!(f, "term {node} {term}")?;
            }
            if !st.log.is_empty() {
                write!(f, "log {node}")?;
                for e in &st.log {
                    match &e.cmd {
                        None => write!(f, " {}", e.term)?,
                        Some(cmd) => write!(f, " {}:{}", e.term, quote(cmd))?,
                    }
                }
                writeln!(f)?;
            }
        }
        // The timeline with the claims merged in by time (a claim after the
        // actions of its moment, which it sees). Each list keeps its order, so
        // the text parses back to the same two lists.
        let mut claims = self.expects.iter().peekable();
        for t in &self.timeline {
            while let Some(e) = claims.next_if(|e| e.at_us < t.at_us) {
                writeln!(f, "at {} {e}", format_duration_us(e.at_us))?;
            }
            writeln!(f, "at {} {}", format_duration_us(t.at_us), t.action)?;
        }
        for e in claims {
            writeln!(f, "at {} {e}", format_duration_us(e.at_us))?;
        }
        if let Some(run) = self.run_us {
            writeln!(f, "run {}", format_duration_us(run))?;
        }
        Ok(())
    }
}
