//! Running a generated scenario: safety (no violation), liveness (a commit
//! within the bound after the heal), and what the run did ([`VoprStats`]).

use std::collections::{BTreeMap, BTreeSet};

use super::{FeatureSet, VoprConfig};
use crate::scenario::{Action, NodeId, Scenario};
use crate::sim::{Sim, SimOptions};
use crate::trace::{ChangeResult, ClientResult, Ev};
use crate::units::{US_PER_MS, US_PER_S};

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
    let mut sim = Sim::with_options(scenario.clone(), options).map_err(|e| e.to_string())?;
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
            Ev::Change {
                result: ChangeResult::Proposed,
                change,
                ..
            } => tally.change(change, &mut stats),
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
            Ev::Client {
                result: ClientResult::Ok,
                ..
            } => {
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
