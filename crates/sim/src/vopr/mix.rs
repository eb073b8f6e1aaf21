//! A seed's feature mix (swarm testing): which action kinds are on and how
//! heavily, the initial settings and rates, the timeline's density.

use super::STREAM_VOPR;
use crate::rng::Stream;
use crate::scenario::{BackoffMode, Settings, NODES_MAX, NODE_ID_MAX};
use crate::units::{Ppm, US_PER_MS};

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
/// [`generate_from`](super::generate_from) turns it into a scenario.
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
pub(super) fn draw_rate(rng: &mut Stream) -> Ppm {
    Ppm(match rng.range(0, 9) {
        0..=3 => 0,
        4..=6 => rng.range(1_000, 50_000) as u32,
        _ => rng.range(100_000, 400_000) as u32,
    })
}

/// One of `items`, uniformly. `items` is never empty.
pub(super) fn pick<T: Copy>(rng: &mut Stream, items: &[T]) -> T {
    items[rng.range(0, items.len() as u64 - 1) as usize]
}

/// A switch that is on with probability `num`/`den`.
pub(super) fn chance(rng: &mut Stream, num: u64, den: u64) -> bool {
    rng.range(0, den - 1) < num
}

/// Is there a defence against disruptive servers (a server that is not in
/// the leader's configuration, never hears from it and keeps starting
/// elections with ever higher terms)? Without the §6 rule (sticky-leader),
/// Pre-Vote or CheckQuorum, Raft gives no liveness guarantee once servers are
/// added or removed: such a server can depose every leader forever (soak
/// seeds 14590 and 16037 of the old generator).
pub(super) fn defended(s: &Settings) -> bool {
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
    pub(super) fn membership(&self) -> bool {
        Kind::ALL
            .iter()
            .any(|&k| k.membership() && self.weight(k) > 0)
    }
}
