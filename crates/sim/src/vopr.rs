//! Randomized fault runs in the spirit of TigerBeetle's VOPR: one seed picks
//! the settings and a timeline of crashes, restarts, partitions, cuts, forced
//! timeouts, leadership transfers, membership changes (add, add-learner,
//! remove, joint), message loss and client load; then everything heals and
//! the cluster must elect a leader and commit new requests within a bound.
//!
//! A failing seed is reproduced by the scenario text it returns.

use std::collections::BTreeSet;

use crate::rng::Stream;
use crate::scenario::{Action, BackoffMode, NodeId, Scenario, Setting, Timed, NODES_MAX};
use crate::sim::{Sim, SimOptions};
use crate::trace::Ev;
use crate::units::{Ppm, US_PER_MS, US_PER_S};

/// Stream number of the fault generator (distinct from the simulation's streams).
const STREAM_VOPR: u64 = 0x7670_7200;

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

/// What a passing run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VoprStats {
    /// Trace events (messages excluded).
    pub events: usize,
    /// Client requests answered `ok`.
    pub committed_requests: usize,
    /// Leader elections.
    pub elections: usize,
    /// Membership changes a leader accepted (`change` events with `proposed`).
    pub membership_changes: usize,
    /// Servers shut down after a committed configuration excluded them.
    pub removed: usize,
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

impl std::fmt::Display for VoprFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "seed {} failed: {}\n--- reproduce with `raftlab check FILE` on:\n{}",
            self.seed, self.reason, self.scenario
        )
    }
}

fn pick<T: Copy>(rng: &mut Stream, items: &[T]) -> T {
    items[rng.range(0, items.len() as u64 - 1) as usize]
}

/// The random scenario for `seed`.
pub fn generate(seed: u64, config: &VoprConfig) -> Scenario {
    let mut rng = Stream::other(seed, STREAM_VOPR);
    let mut sc = Scenario::default();
    let s = &mut sc.settings;
    s.seed = seed;
    s.nodes = pick(&mut rng, &[3, 4, 5, 5, 5, 7]);
    s.pre_vote = rng.range(0, 1) == 1;
    s.check_quorum = rng.range(0, 1) == 1;
    s.noop = rng.range(0, 3) != 0;
    s.backoff = pick(&mut rng, &[BackoffMode::Decrement, BackoffMode::Hint]);
    s.snapshot_every = pick(&mut rng, &[None, None, Some(10), Some(50)]);
    s.loss = Ppm(pick(&mut rng, &[0, 0, 10_000, 50_000, 100_000]));
    s.duplicate = Ppm(pick(&mut rng, &[0, 0, 10_000, 50_000]));
    s.reorder = Ppm(pick(&mut rng, &[0, 0, 20_000, 100_000]));
    if rng.range(0, 3) == 0 {
        s.latency_us_min = rng.range(0, 20) * US_PER_MS;
        s.latency_us_max = s.latency_us_min + rng.range(0, 60) * US_PER_MS;
    }
    let n = s.nodes;
    // Servers the generator believes are in the configuration. A change may
    // be refused (no leader, one already pending), so this is a guess that
    // only steers choices; liveness does not depend on it (every crashed
    // server restarts at the heal, and removed ones are not members).
    let mut members: BTreeSet<NodeId> = (1..=n).collect();
    // Every id that may exist: initial nodes and up to two added servers.
    let id_max = (n + 2).min(NODES_MAX);
    let mut down: BTreeSet<NodeId> = BTreeSet::new();
    let mut t = 0;
    let mut key = 0u64;
    let mut timeline = Vec::new();
    // Faults and load until the heal.
    loop {
        t += rng.range(50, 400) * US_PER_MS;
        if t >= config.heal_at_us {
            break;
        }
        let ids: Vec<NodeId> = members.iter().copied().collect();
        let node = pick(&mut rng, &ids);
        let action = match rng.range(0, 109) {
            0..=44 => {
                key += 1;
                let cmd = format!("set k{}={key}", key % 7);
                if rng.range(0, 4) == 0 {
                    Action::Request {
                        to: Some(node),
                        cmd,
                    }
                } else {
                    Action::Request { to: None, cmd }
                }
            }
            45..=54 => {
                // Keep a majority up most of the time so the run makes progress.
                if down.len() + 1 > (ids.len() - 1) / 2 + usize::from(rng.range(0, 3) == 0) {
                    continue;
                }
                if !down.insert(node) {
                    continue;
                }
                Action::Crash { node }
            }
            55..=64 => match down.iter().next().copied() {
                Some(d) => {
                    down.remove(&d);
                    Action::Restart { node: d }
                }
                None => continue,
            },
            65..=71 => {
                let mut groups: Vec<Vec<NodeId>> = vec![Vec::new(), Vec::new()];
                for id in 1..=id_max {
                    groups[rng.range(0, 1) as usize].push(id);
                }
                groups.retain(|g| !g.is_empty());
                Action::Partition { groups }
            }
            72..=75 => Action::Isolate { node },
            76..=81 => {
                let to = rng.range(1, u64::from(id_max)) as NodeId;
                if to == node {
                    continue;
                }
                Action::Cut { from: node, to }
            }
            82..=89 => Action::Heal,
            90..=94 => Action::Timeout { node },
            95..=96 => Action::Transfer { to: node },
            97..=99 => Action::Set(Setting::Loss(Ppm(pick(
                &mut rng,
                &[0, 20_000, 100_000, 300_000],
            )))),
            // Membership changes (§6, thesis ch. 4): one server at a time or joint.
            100..=102 => {
                if members.len() <= 3 || down.contains(&node) {
                    continue;
                }
                members.remove(&node);
                Action::Remove { node }
            }
            103..=106 => {
                let outside: Vec<NodeId> = (1..=id_max).filter(|i| !members.contains(i)).collect();
                if outside.is_empty() {
                    continue;
                }
                let node = pick(&mut rng, &outside);
                members.insert(node);
                if rng.range(0, 2) == 0 {
                    Action::AddLearner { node }
                } else {
                    Action::Add { node }
                }
            }
            _ => {
                // Joint consensus to a random set of at least 3 servers,
                // keeping the crashed ones (they restart at the heal).
                let mut voters: Vec<NodeId> = (1..=id_max)
                    .filter(|i| down.contains(i) || rng.range(0, 2) != 0)
                    .collect();
                if voters.len() < 3 {
                    continue;
                }
                voters.sort_unstable();
                members = voters.iter().copied().collect();
                Action::Change { voters }
            }
        };
        timeline.push(Timed { at_us: t, action });
    }
    // Heal everything; from now on only load.
    let h = config.heal_at_us;
    timeline.push(Timed {
        at_us: h,
        action: Action::Heal,
    });
    for d in down {
        timeline.push(Timed {
            at_us: h,
            action: Action::Restart { node: d },
        });
    }
    for setting in [
        Setting::Loss(Ppm(0)),
        Setting::Duplicate(Ppm(0)),
        Setting::Reorder(Ppm(0)),
    ] {
        timeline.push(Timed {
            at_us: h,
            action: Action::Set(setting),
        });
    }
    let mut t = h;
    loop {
        t += 200 * US_PER_MS;
        if t >= config.duration_us {
            break;
        }
        key += 1;
        timeline.push(Timed {
            at_us: t,
            action: Action::Request {
                to: None,
                cmd: format!("set k{}={key}", key % 7),
            },
        });
    }
    sc.timeline = timeline;
    sc.run_us = Some(config.duration_us);
    sc
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
    let mut stats = VoprStats {
        events: sim.trace().len(),
        ..VoprStats::default()
    };
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
            Ev::Leader { .. } => stats.elections += 1,
            Ev::Change {
                result: "proposed",
                change,
                ..
            } if !change.starts_with("transfer") => stats.membership_changes += 1,
            Ev::Removed { .. } => stats.removed += 1,
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
