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
//!
//! One job per file: `feature` (what a run exercises), `mix` (a seed's
//! feature mix), `timeline` (the scenario drawn from a mix), `check`
//! (running it: safety, liveness, statistics).

mod check;
mod feature;
mod mix;
mod timeline;

use crate::scenario::Scenario;
use crate::units::US_PER_S;

pub use check::{check, reason_kind, VoprFailure, VoprStats};
pub use feature::{Feature, FeatureSet};
pub use mix::{Kind, Mix};
pub use timeline::generate_from;

/// Stream number of the feature mix (distinct from the simulation's streams).
pub(super) const STREAM_VOPR: u64 = 0x7670_7200;
/// Stream number of the timeline drawn from the mix.
pub(super) const STREAM_VOPR_TIMELINE: u64 = STREAM_VOPR + 1;

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

/// The random scenario for `seed`: its [`Mix`], then a timeline from it.
pub fn generate(seed: u64, config: &VoprConfig) -> Scenario {
    generate_from(&Mix::for_seed(seed), seed, config)
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
