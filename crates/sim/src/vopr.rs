//! Randomized fault runs in the spirit of TigerBeetle's VOPR, with swarm
//! testing (Groce et al., "Swarm Testing", ISSTA 2012): each seed first draws
//! its own [`Mix`] (the cluster size, which protocol switches are on, which
//! fault and workload kinds are enabled at all and how heavily, the message
//! loss, duplication and reordering rates, how dense the timeline is) and
//! then a timeline from that mix. One fixed mix for every seed would make
//! every run a little of everything, so that a bug needing, say, many
//! leadership transfers and no crashes would almost never be reached; with a
//! mix per seed, each feature is entirely off in some runs and dominant in
//! others.
//!
//! Every run has the same shape: faults until `heal_at_us`, then everything
//! heals (partitions and cuts, every crashed server restarts, no more loss,
//! duplication or reordering) and a steady client load must get a request
//! committed within `liveness_bound_us`, with no safety violation anywhere.
//!
//! A failing seed is reproduced by the scenario text it returns.

use std::collections::{BTreeMap, BTreeSet};

use crate::rng::Stream;
use crate::scenario::{
    parse_action, Action, BackoffMode, NodeId, Scenario, Setting, Settings, Timed, NODES_MAX,
    NODE_ID_MAX,
};
use crate::sim::{Sim, SimOptions};
use crate::trace::Ev;
use crate::units::{Ppm, US_PER_MS, US_PER_S};

/// Stream number of the feature mix (distinct from the simulation's streams).
const STREAM_VOPR: u64 = 0x7670_7200;
/// Stream number of the timeline drawn from the mix.
const STREAM_VOPR_TIMELINE: u64 = STREAM_VOPR + 1;

/// Shape of a randomized run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoprConfig {
    /// Total simulated time.
    pub duration_us: u64,
    /// When faults stop: heal, restart every node, no more loss.
    pub heal_at_us: u64,
    /// After the heal, a request must be committed (client `ok`) within this bound.
    pub liveness_bound_us: u64,
}

impl Default for VoprConfig {
    /// 60 s runs: faults for 45 s, then 15 s healed; a commit is required within 10 s.
    fn default() -> Self {
        VoprConfig {
            duration_us: 60 * US_PER_S,
            heal_at_us: 45 * US_PER_S,
            liveness_bound_us: 10 * US_PER_S,
        }
    }
}

// ---------------------------------------------------------------------------
// Features

/// One feature a run may exercise. [`FeatureSet::of`] reads them off a
/// scenario's settings and its fault phase (the timeline before the heal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feature {
    /// Message loss above 0 at some point of the fault phase (heavy: 10% or more).
    Loss,
    /// `loss` changed on the timeline.
    LossChange,
    /// Message duplication above 0 (heavy: 10% or more).
    Duplicate,
    /// Message reordering above 0 (heavy: 10% or more).
    Reorder,
    /// A latency range other than the default (heavy: a maximum of 60 ms or more).
    Latency,
    /// Pre-Vote on at some point.
    PreVote,
    /// CheckQuorum on at some point.
    CheckQuorum,
    /// `backoff hint` at some point.
    BackoffHint,
    /// The start-of-term no-op off at some point.
    NoopOff,
    /// `sticky-leader off` (no §6 rule against disruptive servers) at some point.
    StickyOff,
    /// A protocol setting changed on the timeline.
    ProtocolChange,
    /// Automatic snapshots (`snapshot-every`; heavy: every 5 entries or fewer).
    Snapshots,
    /// `compact N` actions.
    Compact,
    /// `request "..."` to the leader during the faults.
    Request,
    /// `request N "..."` to a given node.
    RequestTo,
    /// `crash N`.
    Crash,
    /// `restart N` during the faults (not only at the heal).
    Restart,
    /// `timeout N` (forced elections).
    Timeout,
    /// `partition ...`.
    Partition,
    /// `isolate N`.
    Isolate,
    /// `cut A B`.
    Cut,
    /// `restore A B`.
    Restore,
    /// `heal` during the faults (not only at the end).
    Heal,
    /// `transfer N` (leadership transfer).
    Transfer,
    /// `add N`.
    Add,
    /// `add-learner N`.
    AddLearner,
    /// `remove N`.
    Remove,
    /// `change A B ...` (joint consensus).
    Change,
}

impl Feature {
    /// Every feature, in order.
    pub const ALL: [Feature; 28] = [
        Feature::Loss,
        Feature::LossChange,
        Feature::Duplicate,
        Feature::Reorder,
        Feature::Latency,
        Feature::PreVote,
        Feature::CheckQuorum,
        Feature::BackoffHint,
        Feature::NoopOff,
        Feature::StickyOff,
        Feature::ProtocolChange,
        Feature::Snapshots,
        Feature::Compact,
        Feature::Request,
        Feature::RequestTo,
        Feature::Crash,
        Feature::Restart,
        Feature::Timeout,
        Feature::Partition,
        Feature::Isolate,
        Feature::Cut,
        Feature::Restore,
        Feature::Heal,
        Feature::Transfer,
        Feature::Add,
        Feature::AddLearner,
        Feature::Remove,
        Feature::Change,
    ];

    /// A short name (the scenario directive where there is one).
    pub fn name(self) -> &'static str {
        match self {
            Feature::Loss => "loss",
            Feature::LossChange => "loss-change",
            Feature::Duplicate => "duplicate",
            Feature::Reorder => "reorder",
            Feature::Latency => "latency",
            Feature::PreVote => "prevote",
            Feature::CheckQuorum => "check-quorum",
            Feature::BackoffHint => "backoff-hint",
            Feature::NoopOff => "noop-off",
            Feature::StickyOff => "sticky-leader-off",
            Feature::ProtocolChange => "protocol-change",
            Feature::Snapshots => "snapshot-every",
            Feature::Compact => "compact",
            Feature::Request => "request",
            Feature::RequestTo => "request-to",
            Feature::Crash => "crash",
            Feature::Restart => "restart",
            Feature::Timeout => "timeout",
            Feature::Partition => "partition",
            Feature::Isolate => "isolate",
            Feature::Cut => "cut",
            Feature::Restore => "restore",
            Feature::Heal => "heal",
            Feature::Transfer => "transfer",
            Feature::Add => "add",
            Feature::AddLearner => "add-learner",
            Feature::Remove => "remove",
            Feature::Change => "change",
        }
    }

    /// Does "heavy" mean more than "on"? (Not for plain switches.)
    pub fn has_heavy(self) -> bool {
        !matches!(
            self,
            Feature::PreVote
                | Feature::CheckQuorum
                | Feature::BackoffHint
                | Feature::NoopOff
                | Feature::StickyOff
        )
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// The feature a fault-phase action counts for.
    fn of_action(action: &Action) -> Option<Feature> {
        Some(match action {
            Action::Request { to: None, .. } => Feature::Request,
            Action::Request { to: Some(_), .. } => Feature::RequestTo,
            Action::Crash { .. } => Feature::Crash,
            Action::Restart { .. } => Feature::Restart,
            Action::Timeout { .. } => Feature::Timeout,
            Action::Partition { .. } => Feature::Partition,
            Action::Isolate { .. } => Feature::Isolate,
            Action::Cut { .. } => Feature::Cut,
            Action::Restore { .. } => Feature::Restore,
            Action::Heal => Feature::Heal,
            Action::Add { .. } => Feature::Add,
            Action::AddLearner { .. } => Feature::AddLearner,
            Action::Remove { .. } => Feature::Remove,
            Action::Change { .. } => Feature::Change,
            Action::Transfer { .. } => Feature::Transfer,
            Action::Compact { .. } => Feature::Compact,
            Action::Set(Setting::Loss(_)) => Feature::LossChange,
            Action::Set(
                Setting::PreVote(_)
                | Setting::CheckQuorum(_)
                | Setting::StickyLeader(_)
                | Setting::Noop(_)
                | Setting::Backoff(_)
                | Setting::SnapshotEvery(_),
            ) => Feature::ProtocolChange,
            _ => return None,
        })
    }
}

/// A set of [`Feature`]s.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct FeatureSet(u32);

impl FeatureSet {
    /// Is `f` in the set?
    pub fn contains(self, f: Feature) -> bool {
        self.0 & f.bit() != 0
    }

    /// Adds `f`.
    pub fn insert(&mut self, f: Feature) {
        self.0 |= f.bit();
    }

    /// The features in the set, in [`Feature::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Feature> {
        Feature::ALL.into_iter().filter(move |&f| self.contains(f))
    }

    /// The features `scenario` exercises before `config.heal_at_us` (its
    /// initial settings and its fault phase), and which of them heavily: a
    /// rate of 10% or more, snapshots every 5 entries or fewer, or an action
    /// kind making up at least 15% (and at least 10) of the fault phase's
    /// actions. Returns (on, heavy); heavy is a subset of on.
    pub fn of(scenario: &Scenario, config: &VoprConfig) -> (FeatureSet, FeatureSet) {
        const HEAVY_RATE: Ppm = Ppm(100_000);
        let mut on = FeatureSet::default();
        let mut heavy = FeatureSet::default();
        let mut s = scenario.settings.clone();
        let mut counts = [0usize; Feature::ALL.len()];
        let mut total = 0;
        let note = |s: &Settings, on: &mut FeatureSet, heavy: &mut FeatureSet| {
            for (f, p) in [
                (Feature::Loss, s.loss),
                (Feature::Duplicate, s.duplicate),
                (Feature::Reorder, s.reorder),
            ] {
                if !p.is_zero() {
                    on.insert(f);
                }
                if p >= HEAVY_RATE {
                    heavy.insert(f);
                }
            }
            let d = Settings::default();
            if (s.latency_us_min, s.latency_us_max) != (d.latency_us_min, d.latency_us_max) {
                on.insert(Feature::Latency);
                if s.latency_us_max >= 60 * US_PER_MS {
                    heavy.insert(Feature::Latency);
                }
            }
            for (f, b) in [
                (Feature::PreVote, s.pre_vote),
                (Feature::CheckQuorum, s.check_quorum),
                (Feature::BackoffHint, s.backoff == BackoffMode::Hint),
                (Feature::NoopOff, !s.noop),
                (Feature::StickyOff, !s.sticky_leader),
            ] {
                if b {
                    on.insert(f);
                    heavy.insert(f);
                }
            }
            if let Some(every) = s.snapshot_every {
                on.insert(Feature::Snapshots);
                if every <= 5 {
                    heavy.insert(Feature::Snapshots);
                }
            }
        };
        note(&s, &mut on, &mut heavy);
        for t in scenario
            .timeline
            .iter()
            .take_while(|t| t.at_us < config.heal_at_us)
        {
            total += 1;
            if let Some(f) = Feature::of_action(&t.action) {
                on.insert(f);
                counts[f as usize] += 1;
            }
            if let Action::Set(setting) = &t.action {
                s.apply(setting);
                note(&s, &mut on, &mut heavy);
            }
        }
        for f in Feature::ALL {
            let n = counts[f as usize];
            if n >= 10 && n * 100 >= total * 15 {
                heavy.insert(f);
            }
        }
        (on, heavy)
    }
}

impl std::fmt::Debug for FeatureSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Feature::name))
            .finish()
    }
}

impl std::fmt::Display for FeatureSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.iter().map(Feature::name).collect();
        write!(f, "{}", names.join(" "))
    }
}

// ---------------------------------------------------------------------------
// Results

/// What a passing run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VoprStats {
    /// Initial cluster size.
    pub nodes: u32,
    /// Features the run's mix exercised before the heal (see [`FeatureSet::of`]).
    pub features: FeatureSet,
    /// The features among them that were heavy.
    pub heavy: FeatureSet,
    /// Trace events (messages excluded).
    pub events: usize,
    /// Client requests answered `ok`.
    pub committed_requests: usize,
    /// Leader elections.
    pub elections: usize,
    /// Membership changes a leader accepted (`change` events with `proposed`,
    /// leadership transfers excluded).
    pub membership_changes: usize,
    /// Leadership transfers a leader accepted.
    pub transfers: usize,
    /// Elections won by the target of the transfer the previous leader accepted.
    pub transfers_completed: usize,
    /// Servers shut down after a committed configuration excluded them.
    pub removed: usize,
    /// Removed servers that a later change brought back (restarted from their disk).
    pub readded: usize,
    /// Learners (`add-learner`) the leader promoted to voters once caught up.
    pub learners_promoted: usize,
    /// Log compactions (automatic or `compact N`).
    pub compactions: usize,
    /// Snapshots a follower installed from its leader.
    pub snapshots_installed: usize,
    /// Crashes.
    pub crashes: usize,
}

/// A failing seed: why, and the scenario that reproduces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoprFailure {
    /// The seed.
    pub seed: u64,
    /// What went wrong.
    pub reason: String,
    /// Scenario text: `raftlab check` on it reproduces the failure.
    pub scenario: String,
}

impl VoprFailure {
    /// The reason without its particulars (times, indexes): the property
    /// violated, or which liveness check failed. For grouping failures.
    pub fn kind(&self) -> String {
        reason_kind(&self.reason)
    }
}

/// See [`VoprFailure::kind`].
pub fn reason_kind(reason: &str) -> String {
    if let Some((property, _)) = reason.split_once(" violated at ") {
        return format!("{property} violated");
    }
    if reason.starts_with("liveness: no request committed") {
        return "liveness: no commit after the heal".into();
    }
    if reason.starts_with("liveness: first request committed") {
        return "liveness: commit after the bound".into();
    }
    reason.chars().take(60).collect()
}

impl std::fmt::Display for VoprFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "seed {} failed: {}\n--- reproduce with `raftlab check FILE` on:\n{}",
            self.seed, self.reason, self.scenario
        )
    }
}

// ---------------------------------------------------------------------------
// The mix

/// The kinds of timeline actions of the fault phase; a [`Mix`] weighs each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `request "..."` (to the leader).
    Request,
    /// `request N "..."`.
    RequestTo,
    /// `crash N`.
    Crash,
    /// `restart N` (a crashed one).
    Restart,
    /// `timeout N`.
    Timeout,
    /// `partition ...`.
    Partition,
    /// `isolate N`.
    Isolate,
    /// `cut A B`.
    Cut,
    /// `restore A B` (a cut link).
    Restore,
    /// `heal`.
    Heal,
    /// `transfer N`.
    Transfer,
    /// `loss P%`.
    Loss,
    /// `duplicate P%` or `reorder P%`.
    DupReorder,
    /// `compact N`.
    Compact,
    /// `add N`.
    Add,
    /// `add-learner N`.
    AddLearner,
    /// `remove N`.
    Remove,
    /// `change A B ...`.
    Change,
    /// A protocol switch flipped: prevote, check-quorum, sticky-leader, noop,
    /// backoff, snapshot-every.
    Protocol,
}

impl Kind {
    /// Every kind, in order (the index of [`Mix::weights`]).
    pub const ALL: [Kind; 19] = [
        Kind::Request,
        Kind::RequestTo,
        Kind::Crash,
        Kind::Restart,
        Kind::Timeout,
        Kind::Partition,
        Kind::Isolate,
        Kind::Cut,
        Kind::Restore,
        Kind::Heal,
        Kind::Transfer,
        Kind::Loss,
        Kind::DupReorder,
        Kind::Compact,
        Kind::Add,
        Kind::AddLearner,
        Kind::Remove,
        Kind::Change,
        Kind::Protocol,
    ];

    fn membership(self) -> bool {
        matches!(
            self,
            Kind::Add | Kind::AddLearner | Kind::Remove | Kind::Change
        )
    }
}

/// One seed's feature mix: the initial settings, the weight of each action
/// kind (0: never), and the timeline's density. Drawn by [`Mix::draw`];
/// [`generate_from`] turns it into a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mix {
    /// Initial settings (cluster size, switches, rates, latency).
    pub settings: Settings,
    /// How many servers beyond `1..=nodes` the timeline may add (ids
    /// `nodes+1..`).
    pub spare: u32,
    /// Weight of each [`Kind`] (indexed like [`Kind::ALL`]); 0 disables it.
    pub weights: [u32; Kind::ALL.len()],
    /// Actions are spaced uniformly in [`gap_us_min`, `gap_us_max`].
    pub gap_us_min: u64,
    /// See `gap_us_min`.
    pub gap_us_max: u64,
    /// At most this many servers are crashed at once.
    pub crash_max: usize,
    /// May [`Kind::Protocol`] flip `sticky-leader` too? (Rarely: the paper's
    /// rule is mostly left on.)
    pub sticky_toggle: bool,
}

/// A probability: off, light (0.1%–5%) or heavy (10%–40%).
fn draw_rate(rng: &mut Stream) -> Ppm {
    Ppm(match rng.range(0, 9) {
        0..=3 => 0,
        4..=6 => rng.range(1_000, 50_000) as u32,
        _ => rng.range(100_000, 400_000) as u32,
    })
}

fn pick<T: Copy>(rng: &mut Stream, items: &[T]) -> T {
    items[rng.range(0, items.len() as u64 - 1) as usize]
}

/// A switch that is on with probability `num`/`den`.
fn chance(rng: &mut Stream, num: u64, den: u64) -> bool {
    rng.range(0, den - 1) < num
}

/// Is there a defence against disruptive servers (a server that is not in
/// the leader's configuration, never hears from it and keeps starting
/// elections with ever higher terms)? Without the §6 rule (sticky-leader),
/// Pre-Vote or CheckQuorum, Raft gives no liveness guarantee once servers are
/// added or removed: such a server can depose every leader forever (soak
/// seeds 14590 and 16037 of the old generator).
fn defended(s: &Settings) -> bool {
    s.sticky_leader || s.pre_vote || s.check_quorum
}

impl Mix {
    /// The mix for `seed`.
    pub fn for_seed(seed: u64) -> Mix {
        Mix::draw(&mut Stream::other(seed, STREAM_VOPR))
    }

    /// Draws a mix: each feature is off in some mixes and heavy in others.
    pub fn draw(rng: &mut Stream) -> Mix {
        let mut s = Settings {
            nodes: pick(rng, &[1, 2, 3, 3, 4, 5, 5, 5, 6, 7, 7, 8, 9]),
            ..Settings::default()
        };
        debug_assert!(s.nodes <= NODES_MAX);
        s.pre_vote = chance(rng, 1, 2);
        s.check_quorum = chance(rng, 1, 2);
        s.backoff = pick(rng, &[BackoffMode::Decrement, BackoffMode::Hint]);
        s.noop = !chance(rng, 1, 4);
        // The paper's rule: mostly on.
        s.sticky_leader = !chance(rng, 1, 5);
        s.snapshot_every = match rng.range(0, 9) {
            0..=4 => None,
            5..=6 => Some(rng.range(1, 5)),
            _ => Some(pick(rng, &[10, 25, 50, 100])),
        };
        s.loss = draw_rate(rng);
        s.duplicate = draw_rate(rng);
        s.reorder = draw_rate(rng);
        if chance(rng, 2, 5) {
            // At most 80 ms one way (as the fixed generator had): a round
            // trip stays about within the election timeout (150-300 ms).
            s.latency_us_min = rng.range(0, 20) * US_PER_MS;
            s.latency_us_max = s.latency_us_min + rng.range(0, 60) * US_PER_MS;
        }
        let mut weights = [0; Kind::ALL.len()];
        for w in &mut weights {
            // Off a third of the time, heavy one time in six.
            *w = match rng.range(0, 5) {
                0..=1 => 0,
                2..=4 => rng.range(1, 4) as u32,
                _ => rng.range(10, 25) as u32,
            };
        }
        let w = |k: Kind| k as usize;
        let membership = Kind::ALL
            .iter()
            .any(|&k| k.membership() && weights[w(k)] > 0);
        if membership && !defended(&s) {
            // See `defended`: either a defence or no membership changes.
            if chance(rng, 1, 2) {
                s.sticky_leader = true;
            } else {
                for k in Kind::ALL.into_iter().filter(|k| k.membership()) {
                    weights[w(k)] = 0;
                }
            }
        }
        let spare = if weights[w(Kind::Add)]
            + weights[w(Kind::AddLearner)]
            + weights[w(Kind::Change)]
            > 0
        {
            rng.range(0, 3) as u32
        } else {
            0
        }
        .min(NODE_ID_MAX - s.nodes);
        let gap_us_max = pick(rng, &[50, 150, 300, 400, 1000]) * US_PER_MS;
        let gap_us_min = pick(rng, &[1, 10, 50]) * US_PER_MS;
        let n = s.nodes as usize;
        let crash_max = if chance(rng, 1, 2) {
            ((n - 1) / 2).max(1)
        } else {
            rng.range(1, n as u64 + u64::from(spare)) as usize
        };
        let sticky_toggle = chance(rng, 1, 8);
        Mix {
            settings: s,
            spare,
            weights,
            gap_us_min,
            gap_us_max,
            crash_max,
            sticky_toggle,
        }
    }

    /// The weight of one kind.
    pub fn weight(&self, kind: Kind) -> u32 {
        self.weights[kind as usize]
    }

    /// Does the mix change membership at all?
    fn membership(&self) -> bool {
        Kind::ALL
            .iter()
            .any(|&k| k.membership() && self.weight(k) > 0)
    }
}

// ---------------------------------------------------------------------------
// The timeline

/// The random scenario for `seed`: its [`Mix`], then a timeline from it.
pub fn generate(seed: u64, config: &VoprConfig) -> Scenario {
    generate_from(&Mix::for_seed(seed), seed, config)
}

/// The generator's belief about the cluster while it writes the timeline.
/// A change may be refused (no leader, one already pending), so this is a
/// guess that only steers choices; liveness does not depend on it.
struct Model {
    /// Ids the timeline may name: the initial servers and those an `add`,
    /// `add-learner` or `change` has named so far.
    known: BTreeSet<NodeId>,
    /// Ids the timeline may still bring in (spare ids not yet named).
    spare: BTreeSet<NodeId>,
    /// Servers believed to be in the configuration.
    members: BTreeSet<NodeId>,
    /// Servers this timeline crashed and has not restarted.
    down: BTreeSet<NodeId>,
    /// Links this timeline cut since the last heal.
    cuts: BTreeSet<(NodeId, NodeId)>,
    /// The current settings.
    settings: Settings,
    /// Last command key.
    key: u64,
}

impl Model {
    fn known(&self) -> Vec<NodeId> {
        self.known.iter().copied().collect()
    }

    fn command(&mut self) -> String {
        self.key += 1;
        format!("set k{}={}", self.key % 7, self.key)
    }

    /// Servers an `add` may name: known non-members and spare ids.
    fn outside(&self) -> Vec<NodeId> {
        self.known
            .iter()
            .chain(&self.spare)
            .copied()
            .filter(|i| !self.members.contains(i))
            .collect()
    }

    fn bring_in(&mut self, id: NodeId) {
        self.spare.remove(&id);
        self.known.insert(id);
    }
}

fn weighted(rng: &mut Stream, weights: &[u32]) -> Option<usize> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return None;
    }
    let mut r = rng.range(0, total - 1);
    for (i, &w) in weights.iter().enumerate() {
        if r < u64::from(w) {
            return Some(i);
        }
        r -= u64::from(w);
    }
    None
}

/// One action of `kind`, or `None` if it makes no sense now.
fn draw_action(kind: Kind, mix: &Mix, m: &mut Model, rng: &mut Stream) -> Option<Action> {
    let known = m.known();
    let node = pick(rng, &known);
    Some(match kind {
        Kind::Request => Action::Request {
            to: None,
            cmd: m.command(),
        },
        Kind::RequestTo => Action::Request {
            to: Some(node),
            cmd: m.command(),
        },
        Kind::Crash => {
            if m.down.len() >= mix.crash_max || !m.down.insert(node) {
                return None;
            }
            Action::Crash { node }
        }
        Kind::Restart => {
            let down: Vec<NodeId> = m.down.iter().copied().collect();
            if down.is_empty() {
                return None;
            }
            let d = pick(rng, &down);
            m.down.remove(&d);
            Action::Restart { node: d }
        }
        Kind::Timeout => Action::Timeout { node },
        Kind::Partition => {
            // Two or three groups, and sometimes servers left unnamed (they
            // form one more group).
            let groups_n = rng.range(2, 3) as usize;
            let unnamed = chance(rng, 1, 3);
            let mut groups: Vec<Vec<NodeId>> = vec![Vec::new(); groups_n + 1];
            for &id in &known {
                let g = rng.range(0, groups_n as u64 - u64::from(!unnamed)) as usize;
                groups[g].push(id);
            }
            groups.truncate(groups_n);
            groups.retain(|g| !g.is_empty());
            if groups.is_empty() {
                return None;
            }
            Action::Partition { groups }
        }
        Kind::Isolate => Action::Isolate { node },
        Kind::Cut => {
            let to = pick(rng, &known);
            if to == node {
                return None;
            }
            m.cuts.insert((node, to));
            Action::Cut { from: node, to }
        }
        Kind::Restore => {
            let cuts: Vec<(NodeId, NodeId)> = m.cuts.iter().copied().collect();
            if cuts.is_empty() {
                return None;
            }
            let (from, to) = pick(rng, &cuts);
            m.cuts.remove(&(from, to));
            Action::Restore { from, to }
        }
        Kind::Heal => {
            m.cuts.clear();
            Action::Heal
        }
        Kind::Transfer => {
            // Mostly to a member; sometimes to anyone (refused, or a learner).
            let members: Vec<NodeId> = m.members.iter().copied().collect();
            let to = if members.is_empty() || chance(rng, 1, 5) {
                node
            } else {
                pick(rng, &members)
            };
            Action::Transfer { to }
        }
        Kind::Loss => Action::Set(Setting::Loss(draw_rate(rng))),
        Kind::DupReorder => {
            let p = draw_rate(rng);
            Action::Set(if chance(rng, 1, 2) {
                Setting::Duplicate(p)
            } else {
                Setting::Reorder(p)
            })
        }
        Kind::Compact => Action::Compact { node },
        Kind::Add | Kind::AddLearner => {
            let outside = m.outside();
            if outside.is_empty() {
                return None;
            }
            let node = pick(rng, &outside);
            m.bring_in(node);
            m.members.insert(node);
            if kind == Kind::Add {
                Action::Add { node }
            } else {
                Action::AddLearner { node }
            }
        }
        Kind::Remove => {
            let members: Vec<NodeId> = m.members.iter().copied().collect();
            if members.len() <= 1 {
                return None;
            }
            let node = pick(rng, &members);
            m.members.remove(&node);
            Action::Remove { node }
        }
        Kind::Change => {
            // Joint consensus to a random non-empty set of known and spare ids.
            let pool: Vec<NodeId> = m.known.iter().chain(&m.spare).copied().collect();
            let mut voters: Vec<NodeId> = pool.into_iter().filter(|_| chance(rng, 1, 2)).collect();
            if voters.is_empty() {
                voters.push(node);
            }
            voters.sort_unstable();
            for &v in &voters {
                m.bring_in(v);
            }
            m.members = voters.iter().copied().collect();
            Action::Change { voters }
        }
        Kind::Protocol => {
            let s = &m.settings;
            // The paper's §6 rule (sticky-leader) is mostly left as it is.
            let setting = match rng.range(0, 14 + u64::from(mix.sticky_toggle)) {
                0..=2 => Setting::PreVote(!s.pre_vote),
                3..=5 => Setting::CheckQuorum(!s.check_quorum),
                6..=8 => Setting::Noop(!s.noop),
                9..=11 => Setting::Backoff(match s.backoff {
                    BackoffMode::Decrement => BackoffMode::Hint,
                    BackoffMode::Hint => BackoffMode::Decrement,
                }),
                12..=14 => Setting::SnapshotEvery(match s.snapshot_every {
                    Some(_) => None,
                    None => Some(pick(rng, &[1, 5, 20])),
                }),
                _ => Setting::StickyLeader(!s.sticky_leader),
            };
            let mut next = m.settings.clone();
            next.apply(&setting);
            if mix.membership() && !defended(&next) {
                return None;
            }
            m.settings = next;
            Action::Set(setting)
        }
    })
}

/// The scenario for `mix`: a fault phase drawn from it, then the heal and a
/// steady load. `seed` keys both the timeline and the simulation.
pub fn generate_from(mix: &Mix, seed: u64, config: &VoprConfig) -> Scenario {
    let mut rng = Stream::other(seed, STREAM_VOPR_TIMELINE);
    let mut sc = Scenario {
        settings: mix.settings.clone(),
        ..Scenario::default()
    };
    sc.settings.seed = seed;
    let n = sc.settings.nodes;
    let mut m = Model {
        known: (1..=n).collect(),
        spare: (n + 1..=n + mix.spare).collect(),
        members: (1..=n).collect(),
        down: BTreeSet::new(),
        cuts: BTreeSet::new(),
        settings: sc.settings.clone(),
        key: 0,
    };
    let mut timeline = Vec::new();
    let mut t = 0;
    // Faults and load until the heal.
    loop {
        t += rng.range(mix.gap_us_min, mix.gap_us_max);
        if t >= config.heal_at_us {
            break;
        }
        let Some(i) = weighted(&mut rng, &mix.weights) else {
            break;
        };
        if let Some(action) = draw_action(Kind::ALL[i], mix, &mut m, &mut rng) {
            timeline.push(Timed { at_us: t, action });
        }
    }
    // Heal everything; from now on only load.
    let h = config.heal_at_us;
    let mut heal = vec![Action::Heal];
    heal.extend(m.down.iter().map(|&node| Action::Restart { node }));
    heal.extend(
        [
            Setting::Loss(Ppm(0)),
            Setting::Duplicate(Ppm(0)),
            Setting::Reorder(Ppm(0)),
        ]
        .map(Action::Set),
    );
    timeline.extend(heal.into_iter().map(|action| Timed { at_us: h, action }));
    let mut t = h;
    loop {
        t += 200 * US_PER_MS;
        if t >= config.duration_us {
            break;
        }
        timeline.push(Timed {
            at_us: t,
            action: Action::Request {
                to: None,
                cmd: m.command(),
            },
        });
    }
    sc.timeline = timeline;
    sc.run_us = Some(config.duration_us);
    sc
}

// ---------------------------------------------------------------------------
// The check

/// What the trace says about one run (beyond safety and liveness).
#[derive(Default)]
struct Tally {
    /// Servers whose latest accepted change was `add-learner` (awaiting promotion).
    learning: BTreeSet<NodeId>,
    /// Each node's learners in its latest configuration.
    learners_at: BTreeMap<NodeId, BTreeSet<NodeId>>,
    /// Servers shut down and not brought back.
    removed: BTreeSet<NodeId>,
    /// The target of the latest accepted transfer.
    transfer_to: Option<NodeId>,
}

impl Tally {
    fn change(&mut self, action: &Action, stats: &mut VoprStats) {
        match action {
            Action::Transfer { to } => {
                stats.transfers += 1;
                self.transfer_to = Some(*to);
                return;
            }
            Action::AddLearner { node } => {
                self.learning.insert(*node);
            }
            Action::Add { node } | Action::Remove { node } => {
                self.learning.remove(node);
            }
            Action::Change { voters } | Action::UnsafeChange { voters } => {
                for v in voters {
                    self.learning.remove(v);
                }
            }
            _ => {}
        }
        stats.membership_changes += 1;
    }

    fn membership(
        &mut self,
        node: NodeId,
        voters: &[NodeId],
        learners: &[NodeId],
        stats: &mut VoprStats,
    ) {
        let before = self.learners_at.entry(node).or_default();
        let promoted: Vec<NodeId> = voters
            .iter()
            .copied()
            .filter(|v| before.contains(v) && self.learning.contains(v))
            .collect();
        *before = learners.iter().copied().collect();
        for v in promoted {
            self.learning.remove(&v);
            stats.learners_promoted += 1;
        }
    }
}

/// Runs `scenario` and checks safety (no violation) and liveness (after
/// `heal_at_us`, some request is answered `ok` within the bound).
pub fn check(scenario: &Scenario, config: &VoprConfig) -> Result<VoprStats, String> {
    let options = SimOptions {
        trace_messages: false,
        checkpoint_every_us: u64::MAX,
        ..SimOptions::default()
    };
    let mut sim = Sim::with_options(scenario.clone(), options).map_err(|e| e.0)?;
    sim.run_until(config.duration_us);
    let (features, heavy) = FeatureSet::of(scenario, config);
    let mut stats = VoprStats {
        nodes: scenario.settings.nodes,
        features,
        heavy,
        events: sim.trace().len(),
        ..VoprStats::default()
    };
    let mut tally = Tally::default();
    let mut first_ok_after_heal = None;
    for e in sim.trace() {
        match &e.ev {
            Ev::Violation(v) => {
                return Err(format!(
                    "{} violated at {} µs: {}",
                    v.property.title(),
                    e.t,
                    v.detail
                ))
            }
            Ev::Leader { node, .. } => {
                stats.elections += 1;
                if tally.transfer_to.take() == Some(*node) {
                    stats.transfers_completed += 1;
                }
            }
            // The trace gives the change as its directive text; read it back
            // with the scenario parser rather than by string prefix.
            Ev::Change {
                result: "proposed",
                change,
                ..
            } => {
                if let Ok(action) = parse_action(change) {
                    tally.change(&action, &mut stats);
                }
            }
            Ev::Membership {
                node,
                voters,
                learners,
                ..
            } => tally.membership(*node, voters, learners, &mut stats),
            Ev::Removed { node, .. } => {
                stats.removed += 1;
                tally.removed.insert(*node);
            }
            Ev::Restart { node } => stats.readded += usize::from(tally.removed.remove(node)),
            Ev::Crash { .. } => stats.crashes += 1,
            Ev::Compact { .. } => stats.compactions += 1,
            Ev::Snapshot { .. } => stats.snapshots_installed += 1,
            Ev::Client { result: "ok", .. } => {
                stats.committed_requests += 1;
                if e.t >= config.heal_at_us && first_ok_after_heal.is_none() {
                    first_ok_after_heal = Some(e.t);
                }
            }
            _ => {}
        }
    }
    match first_ok_after_heal {
        Some(t) if t <= config.heal_at_us + config.liveness_bound_us => Ok(stats),
        Some(t) => Err(format!(
            "liveness: first request committed {} ms after the heal (bound {} ms)",
            (t - config.heal_at_us) / US_PER_MS,
            config.liveness_bound_us / US_PER_MS
        )),
        None => Err(format!(
            "liveness: no request committed in the {} s after the heal",
            (config.duration_us - config.heal_at_us) / US_PER_S
        )),
    }
}

/// Generates and checks one seed.
pub fn run_seed(seed: u64, config: &VoprConfig) -> Result<VoprStats, VoprFailure> {
    let sc = generate(seed, config);
    check(&sc, config).map_err(|reason| VoprFailure {
        seed,
        reason,
        scenario: sc.to_string(),
    })
}
