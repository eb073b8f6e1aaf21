//! The scenario language: plain text, one directive per line, `#` starts a
//! comment. Lines without `at` configure the initial cluster; `at TIME ...`
//! lines are the timeline. The full reference is docs/scenarios.md.
//!
//! Parsing is table-driven ([`DIRECTIVES`]): each directive is one entry with
//! one parse function, so new directives (e.g. lesson narration) are added
//! without restructuring. Printing a [`Scenario`] gives text that parses back
//! to an equal `Scenario`.

use std::collections::BTreeMap;
use std::fmt;

use crate::claim::{Claim, Expect};
use crate::units::{format_duration_us, parse_duration_us, parse_percent, Ppm};

/// A server's id, as in the `raft` crate (1-based).
pub type NodeId = u32;

/// The scenario format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest node id a scenario may name (initial nodes are 1..=9, `add` may go beyond).
pub const NODE_ID_MAX: NodeId = 16;
/// Largest initial cluster.
pub const NODES_MAX: u32 = 9;
/// Longest client command, in bytes ("put a limit on everything").
pub const CMD_LEN_MAX: usize = 200;
/// Most timeline lines in one scenario (a link is limited to 16 KB anyway).
pub const TIMELINE_LEN_MAX: usize = 100_000;

/// Teaching switches: each deliberately breaks one safety rule of Raft.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum UnsafeSwitch {
    /// Commit entries of earlier terms by counting replicas (breaks Figure 8's rule, §5.4.2).
    CommitOldTerms,
    /// Grant votes without the up-to-date check (breaks the election restriction, §5.4.1).
    VoteWithoutLogCheck,
    /// Forget `votedFor` across a crash (breaks "persist before responding", Figure 2).
    ForgetVoteOnRestart,
    /// Allow `unsafe-change`: switch configurations in one step (breaks §6).
    DirectChange,
}

impl UnsafeSwitch {
    /// Every switch, in printing order.
    pub const ALL: [UnsafeSwitch; 4] = [
        UnsafeSwitch::CommitOldTerms,
        UnsafeSwitch::VoteWithoutLogCheck,
        UnsafeSwitch::ForgetVoteOnRestart,
        UnsafeSwitch::DirectChange,
    ];
    /// The name used after `unsafe` in the scenario language.
    pub fn name(self) -> &'static str {
        match self {
            UnsafeSwitch::CommitOldTerms => "commit-old-terms",
            UnsafeSwitch::VoteWithoutLogCheck => "vote-without-log-check",
            UnsafeSwitch::ForgetVoteOnRestart => "forget-vote-on-restart",
            UnsafeSwitch::DirectChange => "direct-change",
        }
    }
}

/// How a leader backs off `nextIndex` after a rejected AppendEntries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackoffMode {
    /// One entry at a time (the paper's basic rule, §5.3).
    #[default]
    Decrement,
    /// Jump using the follower's conflict term/index hint (§5.3, last paragraphs).
    Hint,
}

/// The state of the four teaching switches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnsafeFlags {
    /// See [`UnsafeSwitch::CommitOldTerms`].
    pub commit_old_terms: bool,
    /// See [`UnsafeSwitch::VoteWithoutLogCheck`].
    pub vote_without_log_check: bool,
    /// See [`UnsafeSwitch::ForgetVoteOnRestart`].
    pub forget_vote_on_restart: bool,
    /// See [`UnsafeSwitch::DirectChange`].
    pub direct_change: bool,
}

impl UnsafeFlags {
    /// The flag for one switch.
    pub fn get(&self, switch: UnsafeSwitch) -> bool {
        match switch {
            UnsafeSwitch::CommitOldTerms => self.commit_old_terms,
            UnsafeSwitch::VoteWithoutLogCheck => self.vote_without_log_check,
            UnsafeSwitch::ForgetVoteOnRestart => self.forget_vote_on_restart,
            UnsafeSwitch::DirectChange => self.direct_change,
        }
    }
    /// Sets the flag for one switch.
    pub fn set(&mut self, switch: UnsafeSwitch, on: bool) {
        match switch {
            UnsafeSwitch::CommitOldTerms => self.commit_old_terms = on,
            UnsafeSwitch::VoteWithoutLogCheck => self.vote_without_log_check = on,
            UnsafeSwitch::ForgetVoteOnRestart => self.forget_vote_on_restart = on,
            UnsafeSwitch::DirectChange => self.direct_change = on,
        }
    }
}

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
fn log_matching_conflict(a: &[StagedEntry], b: &[StagedEntry]) -> Option<(usize, usize)> {
    let common = a.len().min(b.len());
    let same = |i: usize| {
        a[i].term == b[i].term && a[i].command(i as u64 + 1) == b[i].command(i as u64 + 1)
    };
    let differ = (0..common).find(|&i| !same(i))?;
    (differ..common)
        .find(|&i| a[i].term == b[i].term)
        .map(|i| (i + 1, differ + 1))
}

/// Everything that configures a run. Settings lines without `at` build the
/// initial value; `at T <setting>` changes it during the run.
///
/// Invariants (checked by the parser, see [`Settings::check`]):
/// `1 <= nodes <= NODES_MAX`, `0 < election_timeout_us_min <= election_timeout_us_max`,
/// `heartbeat_us > 0`, `latency_us_min <= latency_us_max`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Initial cluster size; the nodes are 1..=nodes.
    pub nodes: u32,
    /// The one seed every random stream is derived from.
    pub seed: u64,
    /// Election timeout, drawn uniformly in [min, max] on every reset.
    pub election_timeout_us_min: u64,
    /// See `election_timeout_us_min`.
    pub election_timeout_us_max: u64,
    /// Leader heartbeat interval.
    pub heartbeat_us: u64,
    /// One-way message latency, drawn uniformly in [min, max] per message.
    pub latency_us_min: u64,
    /// See `latency_us_min`.
    pub latency_us_max: u64,
    /// Probability that a message is lost.
    pub loss: Ppm,
    /// Probability that a message is delivered twice.
    pub duplicate: Ppm,
    /// Probability that a message is held back (extra delay of max..2*max
    /// latency) so that it arrives after messages sent later.
    pub reorder: Ppm,
    /// Pre-Vote extension (thesis §9.6).
    pub pre_vote: bool,
    /// CheckQuorum extension (thesis §6.2).
    pub check_quorum: bool,
    /// Paper §6 (thesis §4.2.3): a server that heard from a current leader
    /// within the minimum election timeout ignores RequestVote. On by default
    /// (the paper's algorithm); off shows the disruption it prevents.
    pub sticky_leader: bool,
    /// A new leader appends a no-op entry of its term (§8).
    pub noop: bool,
    /// `nextIndex` back-off rule.
    pub backoff: BackoffMode,
    /// Teaching switches, all off by default.
    pub unsafe_switches: UnsafeFlags,
    /// Compact a node's log once this many applied entries are not yet in its
    /// snapshot. `None` (the default): never compact automatically.
    pub snapshot_every: Option<u64>,
    /// Staged persistent state of initial nodes before time 0 (`term N T`,
    /// `log N ...`). Empty (the default): every node starts empty in term 0.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        serialize_with = "keys_as_strings"
    )]
    pub staged: BTreeMap<NodeId, StagedNode>,
}

/// A map keyed by node id, with the keys written as strings: what JSON
/// makes of them anyway, and what a JS object (the browser's `state()`)
/// requires.
fn keys_as_strings<S: serde::Serializer, V: serde::Serialize>(
    map: &BTreeMap<NodeId, V>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(k, v)| (k.to_string(), v)))
}

impl Default for Settings {
    /// The seed documents' numbers: 5 nodes, election timeout 150-300 ms,
    /// heartbeat 50 ms, latency 10-30 ms, no loss.
    fn default() -> Self {
        Settings {
            nodes: 5,
            seed: 1,
            election_timeout_us_min: 150_000,
            election_timeout_us_max: 300_000,
            heartbeat_us: 50_000,
            latency_us_min: 10_000,
            latency_us_max: 30_000,
            loss: Ppm::ZERO,
            duplicate: Ppm::ZERO,
            reorder: Ppm::ZERO,
            pre_vote: false,
            check_quorum: false,
            sticky_leader: true,
            noop: true,
            backoff: BackoffMode::Decrement,
            unsafe_switches: UnsafeFlags::default(),
            snapshot_every: None,
            staged: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Applies one setting directive.
    pub fn apply(&mut self, setting: &Setting) {
        match *setting {
            Setting::ElectionTimeout { min_us, max_us } => {
                self.election_timeout_us_min = min_us;
                self.election_timeout_us_max = max_us;
            }
            Setting::Heartbeat { every_us } => self.heartbeat_us = every_us,
            Setting::Latency { min_us, max_us } => {
                self.latency_us_min = min_us;
                self.latency_us_max = max_us;
            }
            Setting::Loss(p) => self.loss = p,
            Setting::Duplicate(p) => self.duplicate = p,
            Setting::Reorder(p) => self.reorder = p,
            Setting::PreVote(on) => self.pre_vote = on,
            Setting::CheckQuorum(on) => self.check_quorum = on,
            Setting::StickyLeader(on) => self.sticky_leader = on,
            Setting::Noop(on) => self.noop = on,
            Setting::Backoff(mode) => self.backoff = mode,
            Setting::Unsafe(switch, on) => self.unsafe_switches.set(switch, on),
            Setting::SnapshotEvery(every) => self.snapshot_every = every,
        }
    }

    /// The setting directives that turn `Settings::default()` into `self`
    /// (not `nodes` and `seed`, which have their own directives).
    pub fn non_default_settings(&self) -> Vec<Setting> {
        let d = Settings::default();
        let mut out = Vec::new();
        if (self.election_timeout_us_min, self.election_timeout_us_max)
            != (d.election_timeout_us_min, d.election_timeout_us_max)
        {
            out.push(Setting::ElectionTimeout {
                min_us: self.election_timeout_us_min,
                max_us: self.election_timeout_us_max,
            });
        }
        if self.heartbeat_us != d.heartbeat_us {
            out.push(Setting::Heartbeat {
                every_us: self.heartbeat_us,
            });
        }
        if (self.latency_us_min, self.latency_us_max) != (d.latency_us_min, d.latency_us_max) {
            out.push(Setting::Latency {
                min_us: self.latency_us_min,
                max_us: self.latency_us_max,
            });
        }
        if self.loss != d.loss {
            out.push(Setting::Loss(self.loss));
        }
        if self.duplicate != d.duplicate {
            out.push(Setting::Duplicate(self.duplicate));
        }
        if self.reorder != d.reorder {
            out.push(Setting::Reorder(self.reorder));
        }
        if self.pre_vote != d.pre_vote {
            out.push(Setting::PreVote(self.pre_vote));
        }
        if self.check_quorum != d.check_quorum {
            out.push(Setting::CheckQuorum(self.check_quorum));
        }
        if self.sticky_leader != d.sticky_leader {
            out.push(Setting::StickyLeader(self.sticky_leader));
        }
        if self.noop != d.noop {
            out.push(Setting::Noop(self.noop));
        }
        if self.backoff != d.backoff {
            out.push(Setting::Backoff(self.backoff));
        }
        for switch in UnsafeSwitch::ALL {
            if self.unsafe_switches.get(switch) != d.unsafe_switches.get(switch) {
                out.push(Setting::Unsafe(switch, self.unsafe_switches.get(switch)));
            }
        }
        if self.snapshot_every != d.snapshot_every {
            out.push(Setting::SnapshotEvery(self.snapshot_every));
        }
        out
    }

    /// Checks the invariants listed on the type; the message says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.nodes == 0 || self.nodes > NODES_MAX {
            return Err(format!("nodes must be 1..={NODES_MAX}, not {}", self.nodes));
        }
        if self.election_timeout_us_min == 0
            || self.election_timeout_us_min > self.election_timeout_us_max
        {
            return Err("election-timeout needs 0 < MIN <= MAX".into());
        }
        if self.heartbeat_us == 0 {
            return Err("heartbeat must be > 0".into());
        }
        if self.latency_us_min > self.latency_us_max {
            return Err("latency needs MIN <= MAX".into());
        }
        self.check_staged()
    }

    /// The staged-state invariants of [`StagedNode`], and Log Matching
    /// between staged logs.
    fn check_staged(&self) -> Result<(), String> {
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
            for (&b, sb) in self.staged.range(a + 1..) {
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

/// A directive that changes [`Settings`]: at the top of a scenario it sets the
/// initial value, after `at T` it changes it during the run.
///
/// Serialized (serde) as its directive text, e.g. `"loss 5%"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `election-timeout MIN MAX`
    ElectionTimeout {
        /// Lower bound.
        min_us: u64,
        /// Upper bound.
        max_us: u64,
    },
    /// `heartbeat EVERY`
    Heartbeat {
        /// Interval.
        every_us: u64,
    },
    /// `latency MIN MAX`
    Latency {
        /// Lower bound.
        min_us: u64,
        /// Upper bound.
        max_us: u64,
    },
    /// `loss P%`
    Loss(Ppm),
    /// `duplicate P%`
    Duplicate(Ppm),
    /// `reorder P%`
    Reorder(Ppm),
    /// `prevote on|off`
    PreVote(bool),
    /// `check-quorum on|off`
    CheckQuorum(bool),
    /// `sticky-leader on|off`
    StickyLeader(bool),
    /// `noop on|off`
    Noop(bool),
    /// `backoff decrement|hint`
    Backoff(BackoffMode),
    /// `unsafe SWITCH on|off`
    Unsafe(UnsafeSwitch, bool),
    /// `snapshot-every N|off`
    SnapshotEvery(Option<u64>),
}

/// A timeline action (or the same directive given to `Sim::act`).
///
/// Serialized (serde) as its directive text, e.g. `"crash 1"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `request "cmd"` (to the current leader) or `request N "cmd"`.
    Request {
        /// `None`: whichever node currently leads.
        to: Option<NodeId>,
        /// The command, e.g. `set a=5`.
        cmd: String,
    },
    /// `crash N`: the node loses its volatile state; messages to it are lost.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// `restart N`: the node comes back with what it persisted.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// `timeout N`: the node's election timer fires now.
    Timeout {
        /// The node.
        node: NodeId,
    },
    /// `partition 1 2 | 3 4 5`: only nodes in the same group can talk.
    Partition {
        /// Disjoint, non-empty groups. Nodes not named form one more group.
        groups: Vec<Vec<NodeId>>,
    },
    /// `isolate N`: the node can talk to nobody.
    Isolate {
        /// The node.
        node: NodeId,
    },
    /// `cut A B`: messages from A to B are lost (one direction).
    Cut {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
    },
    /// `restore A B`: undo `cut A B`.
    Restore {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
    },
    /// `heal`: remove every partition, isolation and cut.
    Heal,
    /// `drop ID`: lose the in-flight message with this id.
    Drop {
        /// Message id as shown in the trace and the view.
        id: u64,
    },
    /// `add N`: add server N as a voter (one server at a time).
    Add {
        /// The node (created empty if it does not exist yet).
        node: NodeId,
    },
    /// `add-learner N`: add server N as a non-voting learner.
    AddLearner {
        /// The node.
        node: NodeId,
    },
    /// `remove N`: remove server N (one server at a time).
    Remove {
        /// The node.
        node: NodeId,
    },
    /// `change 1 2 3 4 5`: joint consensus to this voter set (§6).
    Change {
        /// The new voters.
        voters: Vec<NodeId>,
    },
    /// `unsafe-change 1 2 3 4 5`: switch directly (needs `unsafe direct-change on`).
    UnsafeChange {
        /// The new voters.
        voters: Vec<NodeId>,
    },
    /// `transfer N`: the current leader hands leadership to N.
    Transfer {
        /// The target.
        to: NodeId,
    },
    /// `compact N`: node N snapshots its state machine and compacts its log.
    Compact {
        /// The node.
        node: NodeId,
    },
    /// A setting changed during the run.
    Set(Setting),
}

impl Action {
    /// The servers this action creates if they do not exist yet: the one
    /// `add N` or `add-learner N` names, or the voters of `change` and
    /// `unsafe-change`. Empty for every other action.
    pub fn created_nodes(&self) -> &[NodeId] {
        match self {
            Action::Add { node } | Action::AddLearner { node } => std::slice::from_ref(node),
            Action::Change { voters } | Action::UnsafeChange { voters } => voters,
            _ => &[],
        }
    }
}

/// One line of the timeline: an action at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Timed {
    /// When, in µs of virtual time.
    pub at_us: u64,
    /// What.
    pub action: Action,
}

/// A whole scenario: initial settings, the timeline, an optional run length
/// and claims about the run.
///
/// Invariant: `timeline` is sorted by `at_us` (ties keep their order).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scenario {
    /// The initial cluster.
    pub settings: Settings,
    /// Timeline actions in time order.
    pub timeline: Vec<Timed>,
    /// `run T`: how long the run lasts (CLI default end, UI hint).
    pub run_us: Option<u64>,
    /// `at TIME expect CLAIM` lines, in file order (not necessarily time
    /// order: claims do not take part in the timeline's order). They are not
    /// actions: the simulator ignores them; [`crate::claim::check_all`]
    /// checks them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expects: Vec<Expect>,
}

/// A parse error with a 1-based line and column (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What was expected / what is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

// ---------------------------------------------------------------------------
// Tokens

/// What a token is. The lexical rules are shared by every text in the
/// scenario language, including the lesson files' narration lines
/// (crates/lessons uses [`tokenize`] too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokKind {
    /// A bare word: a directive, a number, a duration (`1.2s`).
    Word(String),
    /// A quoted string, escapes (`\"`, `\\`, `\n`, `\t`) resolved.
    Str(String),
    /// `|`, the separator of partition groups.
    Bar,
}

/// A token and where it starts.
#[derive(Clone, Debug)]
pub struct Tok {
    /// What the token is.
    pub kind: TokKind,
    /// 1-based column of the token's first character.
    pub column: usize,
}

/// How a token is named in "expected X, found Y" messages.
pub fn describe(kind: &TokKind) -> String {
    match kind {
        TokKind::Word(w) => format!("`{w}`"),
        TokKind::Str(s) => format!("the string \"{s}\""),
        TokKind::Bar => "`|`".into(),
    }
}

/// Splits one line into tokens; `#` outside a string starts a comment.
/// `line_no` is only used for the error's position.
pub fn tokenize(line_no: usize, line: &str) -> Result<Vec<Tok>, ParseError> {
    let chars: Vec<char> = line.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let err = |column: usize, message: String| ParseError {
        line: line_no,
        column,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            break;
        } else if c == '|' {
            toks.push(Tok {
                kind: TokKind::Bar,
                column: i + 1,
            });
            i += 1;
        } else if c == '"' {
            let start = i;
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(err(
                            start + 1,
                            "unterminated string: expected a closing `\"`".into(),
                        ))
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        let esc = match chars.get(i + 1) {
                            Some('"') => '"',
                            Some('\\') => '\\',
                            Some('n') => '\n',
                            Some('t') => '\t',
                            _ => {
                                return Err(err(
                                    i + 1,
                                    "unknown escape: expected \\\" \\\\ \\n or \\t".into(),
                                ))
                            }
                        };
                        s.push(esc);
                        i += 2;
                    }
                    Some(&ch) => {
                        s.push(ch);
                        i += 1;
                    }
                }
            }
            toks.push(Tok {
                kind: TokKind::Str(s),
                column: start + 1,
            });
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '#' | '|' | '"')
            {
                i += 1;
            }
            toks.push(Tok {
                kind: TokKind::Word(chars[start..i].iter().collect()),
                column: start + 1,
            });
        }
    }
    Ok(toks)
}

/// The arguments of one directive, consumed left to right by its parse
/// function: a cursor over one line's tokens. The claim parser
/// ([`crate::claim`]) and the lesson files' narration lines (crates/lessons)
/// read their lines with it too, so that every text in the language gives the
/// same messages. Every node id read with [`Args::node`] is remembered with
/// its column ([`Args::named_nodes`]): the parser checks that it names a
/// server that exists.
pub struct Args {
    pub(crate) line: usize,
    pub(crate) toks: Vec<Tok>,
    pub(crate) pos: usize,
    /// Column just past the line's end, for "expected X at end of line".
    pub(crate) end_column: usize,
    /// The directive's name (for messages).
    pub(crate) name: &'static str,
    /// Every node id read so far, with its column.
    pub(crate) named: Vec<(NodeId, usize)>,
}

impl Args {
    /// A cursor at the first of `toks` (one line, `line_no`, whose text is
    /// `end_column - 1` characters long); messages name the directive `name`.
    pub fn new(line_no: usize, toks: Vec<Tok>, end_column: usize, name: &'static str) -> Args {
        Args {
            line: line_no,
            toks,
            pos: 0,
            end_column,
            name,
            named: Vec::new(),
        }
    }

    /// The 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Names the directive being read, for messages (`` `say` expects ... ``).
    pub fn set_name(&mut self, name: &'static str) {
        self.name = name;
    }

    /// Column of the next token (or just past the end of the line).
    pub fn column(&self) -> usize {
        self.toks
            .get(self.pos)
            .map_or(self.end_column, |t| t.column)
    }

    /// An error at the next token.
    pub fn error(&self, message: String) -> ParseError {
        ParseError {
            line: self.line,
            column: self.column(),
            message,
        }
    }

    /// "`name` expects WHAT, found X", at the next token.
    pub fn expected(&self, what: &str) -> ParseError {
        let found = match self.toks.get(self.pos) {
            Some(t) => describe(&t.kind),
            None => "the end of the line".into(),
        };
        self.error(format!("`{}` expects {what}, found {found}", self.name))
    }

    /// The next token if it is a word, without consuming it.
    pub fn peek_word(&self) -> Option<&str> {
        match self.toks.get(self.pos).map(|t| &t.kind) {
            Some(TokKind::Word(w)) => Some(w),
            _ => None,
        }
    }

    /// Whether the next token is a quoted string.
    pub fn peek_is_string(&self) -> bool {
        matches!(
            self.toks.get(self.pos).map(|t| &t.kind),
            Some(TokKind::Str(_))
        )
    }

    /// Whether every token was consumed.
    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Skips the next token (one the caller has already looked at).
    pub fn advance(&mut self) {
        self.pos = (self.pos + 1).min(self.toks.len());
    }

    /// Consumes the next token if it is the word `w`.
    pub fn eat(&mut self, w: &str) -> bool {
        if self.peek_word() == Some(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Next word, converted by `f`; on `None` the error says `what` was expected.
    pub fn conv<T>(
        &mut self,
        what: &str,
        f: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, ParseError> {
        match self.peek_word().and_then(f) {
            Some(v) => {
                self.pos += 1;
                Ok(v)
            }
            None => Err(self.expected(what)),
        }
    }

    /// A duration such as `150ms`.
    pub fn duration(&mut self) -> Result<u64, ParseError> {
        self.conv("a duration such as `150ms` or `1.5s`", parse_duration_us)
    }

    fn percent(&mut self) -> Result<Ppm, ParseError> {
        self.conv(
            "a percentage such as `0%` or `2.5%` (at most 100%)",
            parse_percent,
        )
    }

    fn on_off(&mut self) -> Result<bool, ParseError> {
        self.conv("`on` or `off`", |w| match w {
            "on" => Some(true),
            "off" => Some(false),
            _ => None,
        })
    }

    /// A node id (1..=[`NODE_ID_MAX`]), remembered with its column.
    pub fn node(&mut self) -> Result<NodeId, ParseError> {
        let column = self.column();
        let n = self.conv(&format!("a node id (1..={NODE_ID_MAX})"), |w| {
            w.parse::<NodeId>()
                .ok()
                .filter(|n| (1..=NODE_ID_MAX).contains(n))
        })?;
        self.named.push((n, column));
        Ok(n)
    }

    /// An unsigned number; the error says `what` was expected.
    pub fn u64(&mut self, what: &str) -> Result<u64, ParseError> {
        self.conv(what, |w| w.parse::<u64>().ok())
    }

    /// A quoted client command (at most [`CMD_LEN_MAX`] bytes).
    pub fn string(&mut self) -> Result<String, ParseError> {
        match self.toks.get(self.pos).map(|t| t.kind.clone()) {
            Some(TokKind::Str(s)) => {
                if s.len() > CMD_LEN_MAX {
                    return Err(
                        self.error(format!("the command is longer than {CMD_LEN_MAX} bytes"))
                    );
                }
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.expected("a quoted command such as \"set a=5\"")),
        }
    }

    /// Any quoted string (the caller limits its length); the error says
    /// `what` was expected.
    pub fn quoted(&mut self, what: &str) -> Result<String, ParseError> {
        match self.toks.get(self.pos).map(|t| &t.kind) {
            Some(TokKind::Str(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// One or more distinct node ids up to the end of the line or a `|`.
    pub fn node_list(&mut self) -> Result<Vec<NodeId>, ParseError> {
        self.nodes_while(|_| true)
    }

    /// One or more distinct node ids up to the end of the line or the first
    /// word that is not a number (the keyword after them: `leader 1 2 term 3`).
    pub fn node_list_until_keyword(&mut self) -> Result<Vec<NodeId>, ParseError> {
        self.nodes_while(|w| w.parse::<u64>().is_ok())
    }

    fn nodes_while(&mut self, more: impl Fn(&str) -> bool) -> Result<Vec<NodeId>, ParseError> {
        let mut nodes: Vec<NodeId> = Vec::new();
        while self.peek_word().is_some_and(&more) {
            let column = self.column();
            let n = self.node()?;
            if nodes.contains(&n) {
                return Err(ParseError {
                    line: self.line,
                    column,
                    message: format!("node {n} is named twice"),
                });
            }
            nodes.push(n);
        }
        if nodes.is_empty() {
            return Err(self.expected("one or more node ids"));
        }
        Ok(nodes)
    }

    fn is_bar(&self) -> bool {
        matches!(self.toks.get(self.pos).map(|t| &t.kind), Some(TokKind::Bar))
    }

    /// An error unless every token was consumed.
    pub fn finish(&self) -> Result<(), ParseError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.expected("nothing more on this line"))
        }
    }

    /// Every node id read so far with [`Args::node`], with its column, in
    /// the order read.
    pub fn named_nodes(&self) -> &[(NodeId, usize)] {
        &self.named
    }
}

/// What one directive line means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `raftlab N`: the format version.
    Version(u32),
    /// `nodes N`
    Nodes(u32),
    /// `seed S`
    Seed(u64),
    /// `run T`
    Run(u64),
    /// A setting (initial, or timed).
    Setting(Setting),
    /// A timeline action (needs `at`).
    Action(Action),
    /// `term N T`: node N's currentTerm before time 0.
    Term {
        /// The node.
        node: NodeId,
        /// Its term.
        term: u64,
        /// Column of the term (for errors found against other lines).
        column: usize,
    },
    /// `expect CLAIM` (after `at TIME`): a claim about the run at that moment.
    Expect {
        /// What is claimed.
        claim: Claim,
        /// Column of the claim (its first word).
        column: usize,
    },
    /// `log N T T:"cmd" ...`: node N's log before time 0.
    Log {
        /// The node.
        node: NodeId,
        /// The entries, at indexes 1, 2, ...
        entries: Vec<StagedEntry>,
        /// Column of each entry (for errors found against other lines).
        columns: Vec<usize>,
    },
}

/// One entry of the directive table.
pub struct DirectiveSpec {
    /// The keyword that starts the line.
    pub name: &'static str,
    /// Usage, for error messages and `--help`.
    pub usage: &'static str,
    /// Parses the arguments (after the keyword).
    pub parse: fn(&mut Args) -> Result<Directive, ParseError>,
}

fn p_version(a: &mut Args) -> Result<Directive, ParseError> {
    let column = a.column();
    let v = a.conv("a format version number such as `1`", |w| {
        w.parse::<u32>().ok()
    })?;
    if v != FORMAT_VERSION {
        return Err(ParseError {
            line: a.line,
            column,
            message: format!(
                "format version {v} is not supported: this build reads version {FORMAT_VERSION}{}",
                if v > FORMAT_VERSION {
                    " (the scenario was written by a newer Raftlab)"
                } else {
                    ""
                }
            ),
        });
    }
    Ok(Directive::Version(v))
}
fn p_nodes(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Nodes(a.conv(
        &format!("a cluster size 1..={NODES_MAX}"),
        |w| {
            w.parse::<u32>()
                .ok()
                .filter(|n| (1..=NODES_MAX).contains(n))
        },
    )?))
}
fn p_seed(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Seed(
        a.u64("a seed (an unsigned 64-bit integer)")?,
    ))
}
fn p_run(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Run(a.duration()?))
}
fn range(a: &mut Args, positive: bool) -> Result<(u64, u64), ParseError> {
    let column = a.column();
    let min = a.duration()?;
    let max = a.duration()?;
    if min > max || (positive && min == 0) {
        return Err(ParseError {
            line: a.line,
            column,
            message: format!(
                "`{}` expects MIN MAX with {}MIN <= MAX",
                a.name,
                if positive { "0 < " } else { "" }
            ),
        });
    }
    Ok((min, max))
}
fn p_election(a: &mut Args) -> Result<Directive, ParseError> {
    let (min_us, max_us) = range(a, true)?;
    Ok(Directive::Setting(Setting::ElectionTimeout {
        min_us,
        max_us,
    }))
}
fn p_heartbeat(a: &mut Args) -> Result<Directive, ParseError> {
    let column = a.column();
    let every_us = a.duration()?;
    if every_us == 0 {
        return Err(ParseError {
            line: a.line,
            column,
            message: "`heartbeat` must be more than 0".into(),
        });
    }
    Ok(Directive::Setting(Setting::Heartbeat { every_us }))
}
fn p_latency(a: &mut Args) -> Result<Directive, ParseError> {
    let (min_us, max_us) = range(a, false)?;
    Ok(Directive::Setting(Setting::Latency { min_us, max_us }))
}
fn p_loss(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Loss(a.percent()?)))
}
fn p_duplicate(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Duplicate(a.percent()?)))
}
fn p_reorder(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Reorder(a.percent()?)))
}
fn p_prevote(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::PreVote(a.on_off()?)))
}
fn p_check_quorum(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::CheckQuorum(a.on_off()?)))
}
fn p_sticky_leader(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::StickyLeader(a.on_off()?)))
}
fn p_noop(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Noop(a.on_off()?)))
}
fn p_backoff(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Backoff(a.conv(
        "`decrement` or `hint`",
        |w| match w {
            "decrement" => Some(BackoffMode::Decrement),
            "hint" => Some(BackoffMode::Hint),
            _ => None,
        },
    )?)))
}
fn p_unsafe(a: &mut Args) -> Result<Directive, ParseError> {
    let names: Vec<&str> = UnsafeSwitch::ALL.iter().map(|s| s.name()).collect();
    let switch = a.conv(&format!("a teaching switch ({})", names.join(", ")), |w| {
        UnsafeSwitch::ALL.into_iter().find(|s| s.name() == w)
    })?;
    Ok(Directive::Setting(Setting::Unsafe(switch, a.on_off()?)))
}
fn p_snapshot_every(a: &mut Args) -> Result<Directive, ParseError> {
    let every = a.conv("a number of entries (> 0) or `off`", |w| {
        if w == "off" {
            Some(None)
        } else {
            w.parse::<u64>().ok().filter(|&n| n > 0).map(Some)
        }
    })?;
    Ok(Directive::Setting(Setting::SnapshotEvery(every)))
}
fn p_term(a: &mut Args) -> Result<Directive, ParseError> {
    let node = a.node()?;
    let column = a.column();
    let term = a.u64("a term number")?;
    Ok(Directive::Term { node, term, column })
}
fn p_log(a: &mut Args) -> Result<Directive, ParseError> {
    const WHAT: &str = "entry terms such as `1 1 4` or `4:\"x=1\"`";
    let node = a.node()?;
    let mut entries: Vec<StagedEntry> = Vec::new();
    let mut columns = Vec::new();
    while !a.at_end() {
        let column = a.column();
        let Some(word) = a.peek_word().map(str::to_string) else {
            return Err(a.expected(WHAT));
        };
        let (digits, with_cmd) = match word.strip_suffix(':') {
            Some(d) => (d, true),
            None => (word.as_str(), false),
        };
        let Some(term) = digits.parse::<u64>().ok().filter(|&t| t > 0) else {
            return Err(a.expected(&format!("{WHAT} (terms start at 1)")));
        };
        a.pos += 1;
        let cmd = if with_cmd { Some(a.string()?) } else { None };
        if let Some(prev) = entries.last().filter(|p| p.term > term) {
            return Err(ParseError {
                line: a.line,
                column,
                message: format!(
                    "entry {} has term {term} after an entry of term {}: terms never decrease along a log (§5.3)",
                    entries.len() + 1,
                    prev.term
                ),
            });
        }
        if entries.len() >= STAGED_LOG_LEN_MAX {
            return Err(a.error(format!(
                "a staged log holds at most {STAGED_LOG_LEN_MAX} entries"
            )));
        }
        entries.push(StagedEntry { term, cmd });
        columns.push(column);
    }
    if entries.is_empty() {
        return Err(a.expected(WHAT));
    }
    Ok(Directive::Log {
        node,
        entries,
        columns,
    })
}
fn p_request(a: &mut Args) -> Result<Directive, ParseError> {
    let to = if a.peek_word().is_some() {
        Some(a.node()?)
    } else {
        None
    };
    let cmd = a.string()?;
    Ok(Directive::Action(Action::Request { to, cmd }))
}
fn p_crash(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Crash { node: a.node()? }))
}
fn p_restart(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Restart { node: a.node()? }))
}
fn p_timeout(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Timeout { node: a.node()? }))
}
fn p_partition(a: &mut Args) -> Result<Directive, ParseError> {
    let mut groups: Vec<Vec<NodeId>> = Vec::new();
    loop {
        let column = a.column();
        let group = a.node_list()?;
        if let Some(n) = group.iter().find(|n| groups.iter().any(|g| g.contains(n))) {
            return Err(ParseError {
                line: a.line,
                column,
                message: format!("node {n} is in two groups"),
            });
        }
        groups.push(group);
        if a.is_bar() {
            a.pos += 1;
        } else {
            break;
        }
    }
    Ok(Directive::Action(Action::Partition { groups }))
}
fn p_isolate(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Isolate { node: a.node()? }))
}
fn link_pair(a: &mut Args) -> Result<(NodeId, NodeId), ParseError> {
    let column = a.column();
    let from = a.node()?;
    let to = a.node()?;
    if from == to {
        return Err(ParseError {
            line: a.line,
            column,
            message: format!("`{}` needs two different nodes", a.name),
        });
    }
    Ok((from, to))
}
fn p_cut(a: &mut Args) -> Result<Directive, ParseError> {
    let (from, to) = link_pair(a)?;
    Ok(Directive::Action(Action::Cut { from, to }))
}
fn p_restore(a: &mut Args) -> Result<Directive, ParseError> {
    let (from, to) = link_pair(a)?;
    Ok(Directive::Action(Action::Restore { from, to }))
}
fn p_heal(_: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Heal))
}
fn p_drop(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Drop {
        id: a.u64("a message id")?,
    }))
}
fn p_add(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Add { node: a.node()? }))
}
fn p_add_learner(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::AddLearner { node: a.node()? }))
}
fn p_remove(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Remove { node: a.node()? }))
}
fn p_change(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Change {
        voters: a.node_list()?,
    }))
}
fn p_unsafe_change(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::UnsafeChange {
        voters: a.node_list()?,
    }))
}
fn p_transfer(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Transfer { to: a.node()? }))
}
fn p_compact(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Compact { node: a.node()? }))
}

fn p_expect(a: &mut Args) -> Result<Directive, ParseError> {
    let column = a.column();
    let claim = crate::claim::parse_claim(a)?;
    Ok(Directive::Expect { claim, column })
}

/// Every directive of the language (except `at`, which prefixes a timeline line).
pub const DIRECTIVES: &[DirectiveSpec] = &[
    DirectiveSpec {
        name: "raftlab",
        usage: "raftlab 1",
        parse: p_version,
    },
    DirectiveSpec {
        name: "nodes",
        usage: "nodes N",
        parse: p_nodes,
    },
    DirectiveSpec {
        name: "seed",
        usage: "seed S",
        parse: p_seed,
    },
    DirectiveSpec {
        name: "run",
        usage: "run TIME",
        parse: p_run,
    },
    DirectiveSpec {
        name: "term",
        usage: "term N T",
        parse: p_term,
    },
    DirectiveSpec {
        name: "log",
        usage: "log N T T:\"CMD\" ...",
        parse: p_log,
    },
    DirectiveSpec {
        name: "election-timeout",
        usage: "election-timeout MIN MAX",
        parse: p_election,
    },
    DirectiveSpec {
        name: "heartbeat",
        usage: "heartbeat EVERY",
        parse: p_heartbeat,
    },
    DirectiveSpec {
        name: "latency",
        usage: "latency MIN MAX",
        parse: p_latency,
    },
    DirectiveSpec {
        name: "loss",
        usage: "loss P%",
        parse: p_loss,
    },
    DirectiveSpec {
        name: "duplicate",
        usage: "duplicate P%",
        parse: p_duplicate,
    },
    DirectiveSpec {
        name: "reorder",
        usage: "reorder P%",
        parse: p_reorder,
    },
    DirectiveSpec {
        name: "prevote",
        usage: "prevote on|off",
        parse: p_prevote,
    },
    DirectiveSpec {
        name: "check-quorum",
        usage: "check-quorum on|off",
        parse: p_check_quorum,
    },
    DirectiveSpec {
        name: "sticky-leader",
        usage: "sticky-leader on|off",
        parse: p_sticky_leader,
    },
    DirectiveSpec {
        name: "noop",
        usage: "noop on|off",
        parse: p_noop,
    },
    DirectiveSpec {
        name: "backoff",
        usage: "backoff decrement|hint",
        parse: p_backoff,
    },
    DirectiveSpec {
        name: "unsafe",
        usage: "unsafe SWITCH on|off",
        parse: p_unsafe,
    },
    DirectiveSpec {
        name: "snapshot-every",
        usage: "snapshot-every N|off",
        parse: p_snapshot_every,
    },
    DirectiveSpec {
        name: "request",
        usage: "request [N] \"CMD\"",
        parse: p_request,
    },
    DirectiveSpec {
        name: "crash",
        usage: "crash N",
        parse: p_crash,
    },
    DirectiveSpec {
        name: "restart",
        usage: "restart N",
        parse: p_restart,
    },
    DirectiveSpec {
        name: "timeout",
        usage: "timeout N",
        parse: p_timeout,
    },
    DirectiveSpec {
        name: "partition",
        usage: "partition A B | C D E",
        parse: p_partition,
    },
    DirectiveSpec {
        name: "isolate",
        usage: "isolate N",
        parse: p_isolate,
    },
    DirectiveSpec {
        name: "cut",
        usage: "cut FROM TO",
        parse: p_cut,
    },
    DirectiveSpec {
        name: "restore",
        usage: "restore FROM TO",
        parse: p_restore,
    },
    DirectiveSpec {
        name: "heal",
        usage: "heal",
        parse: p_heal,
    },
    DirectiveSpec {
        name: "drop",
        usage: "drop MESSAGE-ID",
        parse: p_drop,
    },
    DirectiveSpec {
        name: "add",
        usage: "add N",
        parse: p_add,
    },
    DirectiveSpec {
        name: "add-learner",
        usage: "add-learner N",
        parse: p_add_learner,
    },
    DirectiveSpec {
        name: "remove",
        usage: "remove N",
        parse: p_remove,
    },
    DirectiveSpec {
        name: "change",
        usage: "change N...",
        parse: p_change,
    },
    DirectiveSpec {
        name: "unsafe-change",
        usage: "unsafe-change N...",
        parse: p_unsafe_change,
    },
    DirectiveSpec {
        name: "transfer",
        usage: "transfer N",
        parse: p_transfer,
    },
    DirectiveSpec {
        name: "compact",
        usage: "compact N",
        parse: p_compact,
    },
    DirectiveSpec {
        name: "expect",
        usage: "expect CLAIM",
        parse: p_expect,
    },
];

/// Parses one line's tokens (no `at`) with the directive table. Also gives
/// every node id the line names, with its column.
fn parse_directive(
    line: usize,
    toks: Vec<Tok>,
    end_column: usize,
) -> Result<(Directive, Vec<(NodeId, usize)>), ParseError> {
    let Some(first) = toks.first() else {
        return Err(ParseError {
            line,
            column: 1,
            message: "expected a directive".into(),
        });
    };
    let column = first.column;
    let TokKind::Word(name) = &first.kind else {
        return Err(ParseError {
            line,
            column,
            message: format!("expected a directive, found {}", describe(&first.kind)),
        });
    };
    let Some(spec) = DIRECTIVES.iter().find(|d| d.name == name) else {
        let names: Vec<&str> = DIRECTIVES.iter().map(|d| d.name).collect();
        return Err(ParseError {
            line,
            column,
            message: format!(
                "unknown directive `{name}`; expected `at` or one of: {}",
                names.join(", ")
            ),
        });
    };
    let mut args = Args::new(line, toks, end_column, spec.name);
    args.pos = 1;
    let d = (spec.parse)(&mut args)?;
    args.finish()?;
    Ok((d, args.named))
}

/// One parsed line.
struct Line {
    /// `at TIME`, if the line has it.
    at: Option<u64>,
    /// What the line says.
    directive: Directive,
    /// Every node id it names, with its column.
    named: Vec<(NodeId, usize)>,
}

/// A parsed line: an optional `at` time and a directive (`None`: blank).
fn parse_line(line_no: usize, text: &str) -> Result<Option<Line>, ParseError> {
    let mut toks = tokenize(line_no, text)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let end_column = text.chars().count() + 1;
    let mut at = None;
    if toks[0].kind == TokKind::Word("at".into()) {
        let column = toks.get(1).map_or(end_column, |t| t.column);
        let time = match toks.get(1).map(|t| &t.kind) {
            Some(TokKind::Word(w)) => parse_duration_us(w),
            _ => None,
        };
        let Some(time) = time else {
            return Err(ParseError {
                line: line_no,
                column,
                message: "`at` expects a time such as `800ms` or `1.2s`".into(),
            });
        };
        at = Some(time);
        toks.drain(..2);
        if toks.is_empty() {
            return Err(ParseError {
                line: line_no,
                column: end_column,
                message: "expected a directive after the time".into(),
            });
        }
    }
    let (directive, named) = parse_directive(line_no, toks, end_column)?;
    Ok(Some(Line {
        at,
        directive,
        named,
    }))
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

impl Scenario {
    /// Parses a scenario. Never panics; an error names the line and column.
    pub fn parse(text: &str) -> Result<Scenario, ParseError> {
        let mut sc = Scenario::default();
        let mut last_at_us = 0;
        // Where each staged node was first named, for the end-of-text check
        // against `nodes` (which may come later).
        // Where each node's staged state was written (for errors), by node id.
        let mut staged_lines = [StagedLines::default(); NODE_ID_MAX as usize + 1];
        let slot = |node: NodeId| (node as usize).min(NODE_ID_MAX as usize);
        // The servers that timeline actions and claims aim at, as
        // (line, id, column), and the ids that some action creates (`add`,
        // `add-learner`, `change`, `unsafe-change`): checked at the end,
        // when `nodes` is known.
        let mut aimed_at: Vec<(usize, NodeId, usize)> = Vec::new();
        let mut added = [false; NODE_ID_MAX as usize + 1];
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let Some(Line {
                at,
                directive,
                named,
            }) = parse_line(line_no, line)?
            else {
                continue;
            };
            if at.is_some() {
                aimed_at.extend(named.iter().map(|&(id, column)| (line_no, id, column)));
            }
            let column = line.chars().position(|c| !c.is_whitespace()).unwrap_or(0) + 1;
            let err = |message: String| ParseError {
                line: line_no,
                column,
                message,
            };
            match (at, directive) {
                (None, Directive::Version(_)) => {}
                (None, Directive::Nodes(n)) => sc.settings.nodes = n,
                (None, Directive::Seed(s)) => sc.settings.seed = s,
                (None, Directive::Run(t)) => sc.run_us = Some(t),
                (None, Directive::Setting(s)) => sc.settings.apply(&s),
                (None, Directive::Term { node, term, column }) => {
                    let at = |message: String| ParseError {
                        line: line_no,
                        column,
                        message,
                    };
                    if let Some(l) = staged_lines[slot(node)].term.replace(line_no) {
                        return Err(err(format!(
                            "node {node}'s term is already staged on line {l}"
                        )));
                    }
                    let st = sc.settings.staged.entry(node).or_default();
                    if let Some(last) = st.log.last().filter(|e| e.term > term) {
                        return Err(at(format!(
                            "node {node}'s log (line {}) has entries of term {}: its term must be at least that",
                            staged_lines[slot(node)].log.unwrap_or(0),
                            last.term
                        )));
                    }
                    st.term = Some(term);
                    staged_lines[slot(node)]
                        .first
                        .get_or_insert((line_no, column));
                }
                (
                    None,
                    Directive::Log {
                        node,
                        entries,
                        columns,
                    },
                ) => {
                    let at = |i: usize, message: String| ParseError {
                        line: line_no,
                        column: columns.get(i).copied().unwrap_or(column),
                        message,
                    };
                    if let Some(l) = staged_lines[slot(node)].log.replace(line_no) {
                        return Err(err(format!(
                            "node {node}'s log is already staged on line {l}"
                        )));
                    }
                    let term = sc.settings.staged.get(&node).and_then(|st| st.term);
                    if let Some(t) = term {
                        if let Some(i) = entries.iter().position(|e| e.term > t) {
                            return Err(at(i, format!(
                                "entry {} has term {}, above node {node}'s term {t} (line {}): a server never holds entries of a term it has not seen",
                                i + 1,
                                entries[i].term,
                                staged_lines[slot(node)].term.unwrap_or(0)
                            )));
                        }
                    }
                    for (&other, st) in &sc.settings.staged {
                        if let Some((index, differ)) = log_matching_conflict(&st.log, &entries) {
                            return Err(at(index - 1, format!(
                                "entry {index} has the same index and term as node {other}'s (line {}), but the two logs differ at index {differ}: Log Matching (§5.3) rules that out",
                                staged_lines[slot(other)].log.unwrap_or(0)
                            )));
                        }
                    }
                    sc.settings.staged.entry(node).or_default().log = entries;
                    staged_lines[slot(node)]
                        .first
                        .get_or_insert((line_no, column));
                }
                (None, Directive::Action(_)) => {
                    return Err(err(
                        "this is a timeline action: write it as `at TIME ...`".into()
                    ));
                }
                (None, Directive::Expect { .. }) => {
                    return Err(err(
                        "a claim is about a moment of the run: write it as `at TIME expect ...`"
                            .into(),
                    ));
                }
                (Some(at_us), Directive::Expect { claim, column }) => {
                    if sc.expects.len() >= TIMELINE_LEN_MAX {
                        return Err(err(format!("more than {TIMELINE_LEN_MAX} claims")));
                    }
                    sc.expects.push(Expect {
                        at_us,
                        line: line_no,
                        column,
                        claim,
                    });
                }
                (
                    Some(_),
                    Directive::Version(_)
                    | Directive::Nodes(_)
                    | Directive::Seed(_)
                    | Directive::Run(_)
                    | Directive::Term { .. }
                    | Directive::Log { .. },
                ) => {
                    return Err(err(
                        "this directive configures the whole run and cannot follow `at`".into(),
                    ));
                }
                (Some(t), Directive::Setting(s)) | (Some(t), Directive::Action(Action::Set(s))) => {
                    sc.push_timed(t, Action::Set(s), &mut last_at_us)
                        .map_err(err)?;
                }
                (Some(t), Directive::Action(a)) => {
                    for &id in a.created_nodes() {
                        added[slot(id)] = true;
                    }
                    sc.push_timed(t, a, &mut last_at_us).map_err(err)?
                }
            }
        }
        for (node, lines) in staged_lines.iter().enumerate() {
            let (Some((line, column)), Ok(node)) = (lines.first, NodeId::try_from(node)) else {
                continue;
            };
            if node > sc.settings.nodes {
                return Err(ParseError {
                    line,
                    column,
                    message: format!(
                        "node {node} is staged but the cluster is nodes 1..={}: only initial nodes have a state before time 0",
                        sc.settings.nodes
                    ),
                });
            }
        }
        // An action or a claim aimed at a server that never exists: not an
        // initial node and created by no action anywhere in the timeline (an
        // action before the `add` is fine: the simulator notes it).
        let nodes = sc.settings.nodes;
        if let Some(&(line, id, column)) = aimed_at
            .iter()
            .find(|&&(_, id, _)| id > nodes && !added[slot(id)])
        {
            return Err(ParseError {
                line,
                column,
                message: format!(
                    "node {id} does not exist: the cluster has {} and no `add {id}`",
                    nodes_text(&(1..=nodes).collect::<Vec<_>>())
                ),
            });
        }
        debug_assert!(
            sc.settings.check_staged().is_ok(),
            "the parser checks every staged invariant"
        );
        Ok(sc)
    }

    fn push_timed(
        &mut self,
        at_us: u64,
        action: Action,
        last_at_us: &mut u64,
    ) -> Result<(), String> {
        if at_us < *last_at_us {
            return Err(format!(
                "time goes backwards: {} comes after {}; timeline lines must be in time order",
                format_duration_us(at_us),
                format_duration_us(*last_at_us)
            ));
        }
        if self.timeline.len() >= TIMELINE_LEN_MAX {
            return Err(format!("more than {TIMELINE_LEN_MAX} timeline lines"));
        }
        *last_at_us = at_us;
        self.timeline.push(Timed { at_us, action });
        Ok(())
    }
}

/// Parses one directive without `at`, as typed in the UI or given to `act`:
/// an action (`crash 1`) or a setting (`prevote on`, returned as [`Action::Set`]).
pub fn parse_action(line: &str) -> Result<Action, ParseError> {
    parse_action_named(line).map(|(a, _)| a)
}

/// [`parse_action`] for a running simulation whose servers are now
/// `servers` (`Sim::act_line`): an action aimed at a server that is not one
/// of them is refused, naming the id's column, unless the action is the one
/// that creates it (`add`, `add-learner`, `change`, `unsafe-change`). So a
/// session, and the share link made from it, never aims at a server that
/// does not exist.
pub fn parse_live_action(line: &str, servers: &[NodeId]) -> Result<Action, ParseError> {
    let (action, named) = parse_action_named(line)?;
    if action.created_nodes().is_empty() {
        if let Some(&(id, column)) = named.iter().find(|(id, _)| !servers.contains(id)) {
            return Err(ParseError {
                line: 1,
                column,
                message: format!(
                    "node {id} does not exist: the cluster has {}; `add {id}` creates it",
                    nodes_text(servers)
                ),
            });
        }
    }
    Ok(action)
}

fn parse_action_named(line: &str) -> Result<(Action, Vec<(NodeId, usize)>), ParseError> {
    let Some(Line {
        at,
        directive,
        named,
    }) = parse_line(1, line)?
    else {
        return Err(ParseError {
            line: 1,
            column: 1,
            message: "expected an action such as `crash 1`".into(),
        });
    };
    let err = |message: &str| ParseError {
        line: 1,
        column: 1,
        message: message.into(),
    };
    match (at, directive) {
        (Some(_), _) => Err(err("an action takes effect now: leave out `at TIME`")),
        (None, Directive::Action(a)) => Ok((a, named)),
        (None, Directive::Setting(s)) => Ok((Action::Set(s), named)),
        (None, Directive::Expect { .. }) => Err(err(
            "a claim is not an action: it belongs in a scenario file as `at TIME expect ...`",
        )),
        (None, _) => Err(err(
            "this directive configures a new run (reset the cluster instead)",
        )),
    }
}

/// "nodes 1..5", "nodes 1..5, 7", "node 1", "no nodes": a set of ids in
/// increasing order, runs of three or more as ranges.
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

// ---------------------------------------------------------------------------
// Printing

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

impl serde::Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_action(&text).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Setting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
