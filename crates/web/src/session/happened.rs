//! "What just happened": the trace events a Step, a lesson's Next or a
//! click produced, as one short line in the page's language, and the
//! servers and messages they concern (the canvas marks them for a moment).

use raft::{NodeId, Role};
use sim::{Ev, TraceEvent};

use crate::eventlog::{burst_sends, describe_burst, format_time, message_summary, same_burst};
use crate::i18n::{tf, Lang};

/// Clauses the line names at most: more than this and the messages are
/// left out (the log's own lines remain), then the earliest.
pub const HAPPENED_CLAUSES_MAX: usize = 4;

/// The part of the trace the last action produced.
///
/// Invariant: `from` is a trace index at or before the action; `to` is its
/// end, or `None` while it is still growing (Next playing to its step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Happened {
    /// The first event of the action.
    pub from: usize,
    /// One past its last event; `None`: up to now.
    pub to: Option<usize>,
}

impl Happened {
    /// The events `[from, to)` of a trace whose first `now_len` events
    /// happened by now; `None` if time went back before them.
    pub fn range(&self, now_len: usize) -> Option<(usize, usize)> {
        let to = self.to.unwrap_or(now_len).min(now_len);
        (self.from <= to).then_some((self.from, to))
    }
}

/// Whether an event is about a message (sent, delivered or lost).
fn is_message(ev: &Ev) -> bool {
    matches!(ev, Ev::Send { .. } | Ev::Deliver { .. } | Ev::Drop { .. })
}

/// One clause of the line: a burst of events as a sentence. A delivery and
/// sends say who received or sent what (the log's arrows read badly in a
/// sentence); the rest are the log's own lines.
fn clause(lang: Lang, burst: &[TraceEvent]) -> String {
    let s = |v: &dyn std::fmt::Display| v.to_string();
    match &burst[0].ev {
        Ev::Deliver { from, to, msg, .. } => tf(
            lang,
            "hp_received",
            &[&s(to), &message_summary(lang, msg), &s(from)],
        ),
        Ev::Send { from, .. } => {
            let (to, what) = burst_sends(lang, burst);
            tf(lang, "hp_sent", &[&s(from), &what, &to])
        }
        _ => describe_burst(lang, burst),
    }
}

/// The line for `events` (what one action produced, in trace order): the
/// time of the last one and at most [`HAPPENED_CLAUSES_MAX`] clauses, one
/// per burst (`eventlog::same_burst`), or `""` if nothing happened. Too
/// many, and messages are left out first if anything else happened, then
/// the earliest clauses (counted: "and 3 earlier").
pub fn happened_line(lang: Lang, events: &[TraceEvent]) -> String {
    let Some(last) = events.last() else {
        return String::new();
    };
    // A Leader event says "became leader" better than the Role event before it.
    let said_by_leader = |b: &[TraceEvent]| {
        matches!(
            b[0].ev,
            Ev::Role {
                role: Role::Leader,
                ..
            }
        )
    };
    // Two passes over the bursts (no list of them: less code in the page).
    let (mut total, mut others) = (0, 0);
    for b in events.chunk_by(same_burst) {
        if !said_by_leader(b) {
            total += 1;
            others += usize::from(!is_message(&b[0].ev));
        }
    }
    let skip_messages = total > HAPPENED_CLAUSES_MAX && others > 0;
    let counted = if skip_messages { others } else { total };
    let earlier = counted.saturating_sub(HAPPENED_CLAUSES_MAX);
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    let mut line = format!("{}: ", format_time(last.t));
    let mut k = 0;
    for b in events.chunk_by(same_burst) {
        if said_by_leader(b) || (skip_messages && is_message(&b[0].ev)) {
            continue;
        }
        k += 1;
        if k <= earlier {
            continue;
        }
        if k > earlier + 1 {
            line.push_str(sep);
        }
        line.push_str(&clause(lang, b));
    }
    if earlier > 0 {
        line.push_str(&tf(lang, "hp_more", &[&earlier.to_string()]));
    }
    line
}

/// The servers and messages (ids) `events` concern, for the canvas to
/// mark: every server an event names (a delivery: its receiver), and every
/// message sent.
pub fn concerned(events: &[TraceEvent]) -> (Vec<NodeId>, Vec<u64>) {
    let mut nodes: Vec<NodeId> = Vec::new();
    let mut messages = Vec::new();
    let mut add = |n: NodeId| {
        if n != 0 && !nodes.contains(&n) {
            nodes.push(n);
        }
    };
    for e in events {
        match &e.ev {
            Ev::Send { id, .. } => messages.push(*id),
            Ev::Deliver { to, .. } => add(*to),
            Ev::Role { node, .. }
            | Ev::Leader { node, .. }
            | Ev::Commit { node, .. }
            | Ev::Crash { node }
            | Ev::Removed { node, .. }
            | Ev::Restart { node }
            | Ev::Timeout { node, .. }
            | Ev::Isolate { node }
            | Ev::Request { node, .. }
            | Ev::Client { node, .. }
            | Ev::Change { node, .. }
            | Ev::Membership { node, .. }
            | Ev::Stepdown { node, .. }
            | Ev::Reject { node, .. }
            | Ev::Compact { node, .. }
            | Ev::Snapshot { node, .. } => add(*node),
            Ev::Cut { from, to } | Ev::Restore { from, to } => {
                add(*from);
                add(*to);
            }
            Ev::Violation(v) => v.nodes.iter().for_each(|&n| add(n)),
            Ev::Drop { .. }
            | Ev::Partition { .. }
            | Ev::Heal
            | Ev::Setting { .. }
            | Ev::Note { .. } => {}
        }
    }
    (nodes, messages)
}
