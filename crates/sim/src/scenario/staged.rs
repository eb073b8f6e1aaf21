//! Persistent state staged before time 0 (`term N T`, `log N T T ...`):
//! what a node would have persisted in an earlier history (Figures 7 and 8),
//! and the checks that keep it possible: terms never decrease along a log,
//! a node's term is at least its last log term, and two staged logs obey Log
//! Matching (§5.3). The parser reports a broken rule with its line and
//! column ([`Staging`]); [`Settings::check`] re-checks the same rules.

use super::settings::Settings;
use super::types::ParseError;
use super::{NodeId, CMD_LEN_MAX, NODE_ID_MAX};

/// Longest staged log (`log N ...`), in entries.
pub const STAGED_LOG_LEN_MAX: usize = 1_000;

/// One entry of a staged log: `4` (auto-named command) or `4:"x=1"`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StagedEntry {
    /// The entry's term (> 0).
    pub term: u64,
    /// The command; `None`: named after its index and term (see [`auto_command`]).
    pub cmd: Option<String>,
}

impl StagedEntry {
    /// The command this entry carries when it sits at `index`.
    pub fn command(&self, index: u64) -> String {
        self.cmd
            .clone()
            .unwrap_or_else(|| auto_command(index, self.term))
    }
}

/// The command of a staged entry given without one: `t4@5` for term 4 at
/// index 5. It depends on (index, term) only, so two staged logs that agree
/// in index and term also agree in content (Log Matching, §5.3). It is free
/// text: applying it leaves the key-value store unchanged.
pub fn auto_command(index: u64, term: u64) -> String {
    format!("t{term}@{index}")
}

/// A node's persistent state before time 0 (`term N T`, `log N T T ...`):
/// what it would have persisted in an earlier history (Figures 7 and 8).
/// Volatile state is not staged: commitIndex starts at 0, the node is a follower.
///
/// Invariants (checked by [`Settings::check`] and, with line and column, by the
/// parser): log terms are > 0 and non-decreasing, the log has at most
/// [`STAGED_LOG_LEN_MAX`] entries, and `term`, when given, is at least the last
/// log term.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StagedNode {
    /// `term N T`: currentTerm. `None`: the last log term (0 for an empty log).
    pub term: Option<u64>,
    /// `log N ...`: entries at indexes 1, 2, ...
    pub log: Vec<StagedEntry>,
}

impl StagedNode {
    /// The node's currentTerm at time 0.
    pub fn current_term(&self) -> u64 {
        self.term
            .unwrap_or_else(|| self.log.last().map_or(0, |e| e.term))
    }
}

/// Where two staged logs break Log Matching (§5.3): `b` has an entry with the
/// same index and term as `a` (1-based `index`), but the logs differ at
/// `differ_at` <= `index`. `None` if they are consistent.
pub(super) fn log_matching_conflict(
    a: &[StagedEntry],
    b: &[StagedEntry],
) -> Option<(usize, usize)> {
    let common = a.len().min(b.len());
    let same = |i: usize| {
        a[i].term == b[i].term && a[i].command(i as u64 + 1) == b[i].command(i as u64 + 1)
    };
    let differ = (0..common).find(|&i| !same(i))?;
    (differ..common)
        .find(|&i| a[i].term == b[i].term)
        .map(|i| (i + 1, differ + 1))
}

impl Settings {
    /// The staged-state invariants of [`StagedNode`], and Log Matching
    /// between staged logs.
    pub(super) fn check_staged(&self) -> Result<(), String> {
        for (&id, st) in &self.staged {
            if id == 0 || id > self.nodes {
                return Err(format!(
                    "node {id} has a staged state but the cluster is nodes 1..={}",
                    self.nodes
                ));
            }
            if st.log.len() > STAGED_LOG_LEN_MAX {
                return Err(format!(
                    "node {id}'s staged log is longer than {STAGED_LOG_LEN_MAX} entries"
                ));
            }
            let mut prev = 0;
            for (i, e) in st.log.iter().enumerate() {
                if e.term == 0 || e.term < prev {
                    return Err(format!(
                        "node {id}'s staged entry {} has term {}: terms start at 1 and never decrease along a log",
                        i + 1,
                        e.term
                    ));
                }
                if e.cmd.as_ref().is_some_and(|c| c.len() > CMD_LEN_MAX) {
                    return Err(format!(
                        "node {id}'s staged entry {} has a command longer than {CMD_LEN_MAX} bytes",
                        i + 1
                    ));
                }
                prev = e.term;
            }
            if st.current_term() < prev {
                return Err(format!(
                    "node {id}'s term {} is below its last log term {prev}",
                    st.current_term()
                ));
            }
        }
        for (&a, sa) in &self.staged {
            for (&b, sb) in self.staged.iter().filter(|&(&b, _)| b > a) {
                if let Some((index, differ)) = log_matching_conflict(&sa.log, &sb.log) {
                    return Err(format!(
                        "the staged logs of nodes {a} and {b} both have an entry of the same term at index {index} but differ at index {differ}: Log Matching (§5.3) rules that out"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Where a node's staged state (`term N T`, `log N ...`) was written:
/// parse errors name these lines.
#[derive(Clone, Copy, Default)]
struct StagedLines {
    /// (line, column) of its first staged directive.
    first: Option<(usize, usize)>,
    /// Line of its `term`.
    term: Option<usize>,
    /// Line of its `log`.
    log: Option<usize>,
}

/// The parser's side of staging: each `term` and `log` line is checked
/// against the lines staged before it, so that an error names the line and
/// column where a rule breaks and the line it conflicts with.
pub(super) struct Staging {
    /// Where each node's staged state was written, by node id.
    lines: [StagedLines; NODE_ID_MAX as usize + 1],
}

/// The slot of node `node` in an array indexed by node id (ids above the
/// maximum share the last slot: the cursor never reads one).
pub(super) fn slot(node: NodeId) -> usize {
    (node as usize).min(NODE_ID_MAX as usize)
}

impl Staging {
    pub(super) fn new() -> Staging {
        Staging {
            lines: [StagedLines::default(); NODE_ID_MAX as usize + 1],
        }
    }

    /// `term NODE TERM` on line `line_no` (its first word at `line_column`,
    /// the term at `column`).
    pub(super) fn term(
        &mut self,
        settings: &mut Settings,
        (line_no, line_column): (usize, usize),
        node: NodeId,
        term: u64,
        column: usize,
    ) -> Result<(), ParseError> {
        let lines = &mut self.lines[slot(node)];
        if let Some(l) = lines.term.replace(line_no) {
            return Err(ParseError {
                line: line_no,
                column: line_column,
                message: format!("node {node}'s term is already staged on line {l}"),
            });
        }
        let st = settings
            .staged
            .get_or_insert_with(node, StagedNode::default);
        if let Some(last) = st.log.last().filter(|e| e.term > term) {
            return Err(ParseError {
                line: line_no,
                column,
                message: format!(
                    "node {node}'s log (line {}) has entries of term {}: its term must be at least that",
                    lines.log.unwrap_or(0),
                    last.term
                ),
            });
        }
        st.term = Some(term);
        // `check_in_cluster` points at a `term` line's term itself.
        lines.first.get_or_insert((line_no, column));
        Ok(())
    }

    /// `log NODE ...` on line `line_no` (its first word at `line_column`,
    /// entry `i` at `columns[i]`).
    pub(super) fn log(
        &mut self,
        settings: &mut Settings,
        (line_no, line_column): (usize, usize),
        node: NodeId,
        entries: Vec<StagedEntry>,
        columns: &[usize],
    ) -> Result<(), ParseError> {
        let at = |i: usize, message: String| ParseError {
            line: line_no,
            column: columns.get(i).copied().unwrap_or(line_column),
            message,
        };
        if let Some(l) = self.lines[slot(node)].log.replace(line_no) {
            return Err(ParseError {
                line: line_no,
                column: line_column,
                message: format!("node {node}'s log is already staged on line {l}"),
            });
        }
        let term = settings.staged.get(&node).and_then(|st| st.term);
        if let Some(t) = term {
            if let Some(i) = entries.iter().position(|e| e.term > t) {
                return Err(at(i, format!(
                    "entry {} has term {}, above node {node}'s term {t} (line {}): a server never holds entries of a term it has not seen",
                    i + 1,
                    entries[i].term,
                    self.lines[slot(node)].term.unwrap_or(0)
                )));
            }
        }
        for (&other, st) in &settings.staged {
            if let Some((index, differ)) = log_matching_conflict(&st.log, &entries) {
                return Err(at(index - 1, format!(
                    "entry {index} has the same index and term as node {other}'s (line {}), but the two logs differ at index {differ}: Log Matching (§5.3) rules that out",
                    self.lines[slot(other)].log.unwrap_or(0)
                )));
            }
        }
        settings
            .staged
            .get_or_insert_with(node, StagedNode::default)
            .log = entries;
        self.lines[slot(node)]
            .first
            .get_or_insert((line_no, line_column));
        Ok(())
    }

    /// At the end of the text, when `nodes` is known: only initial nodes
    /// have a state before time 0.
    pub(super) fn check_in_cluster(&self, nodes: u32) -> Result<(), ParseError> {
        for (node, lines) in self.lines.iter().enumerate() {
            let (Some((line, column)), Ok(node)) = (lines.first, NodeId::try_from(node)) else {
                continue;
            };
            if node > nodes {
                return Err(ParseError {
                    line,
                    column,
                    message: format!(
                        "node {node} is staged but the cluster is nodes 1..={nodes}: only initial nodes have a state before time 0"
                    ),
                });
            }
        }
        Ok(())
    }
}
