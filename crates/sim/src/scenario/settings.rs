//! [`Settings`]: everything that configures a run, with its invariants,
//! and the teaching switches.

use raft::VecMap;

use super::staged::StagedNode;
use super::types::Setting;
use super::{NodeId, NODES_MAX};
use crate::units::Ppm;

/// The teaching switches are raft's one type ([`raft::UnsafeSwitch`], and
/// [`raft::UnsafeSwitches`] for the set that is on): the scenario language
/// names them with [`UnsafeSwitch::name`].
pub use raft::{UnsafeSwitch, UnsafeSwitches};

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
    pub unsafe_switches: UnsafeSwitches,
    /// Compact a node's log once this many applied entries are not yet in its
    /// snapshot. `None` (the default): never compact automatically.
    pub snapshot_every: Option<u64>,
    /// Staged persistent state of initial nodes before time 0 (`term N T`,
    /// `log N ...`). Empty (the default): every node starts empty in term 0.
    #[serde(
        default,
        skip_serializing_if = "VecMap::is_empty",
        serialize_with = "keys_as_strings"
    )]
    pub staged: VecMap<NodeId, StagedNode>,
}

/// A map keyed by node id, with the keys written as strings: what JSON
/// makes of them anyway, and what a JS object (the browser's `state()`)
/// requires.
fn keys_as_strings<S: serde::Serializer, V: serde::Serialize>(
    map: &VecMap<NodeId, V>,
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
            unsafe_switches: UnsafeSwitches::default(),
            snapshot_every: None,
            staged: VecMap::new(),
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
}
