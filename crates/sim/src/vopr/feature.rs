//! The features a run may exercise, read off a scenario ([`FeatureSet::of`]):
//! what the soak's statistics count and the tests require to be covered.

use super::VoprConfig;
use crate::scenario::{Action, BackoffMode, Scenario, Setting, Settings};
use crate::units::{Ppm, US_PER_MS};

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
