//! Random streams. One seed; every component draws from its own ChaCha8
//! stream (same key, different stream number), so adding a draw in one
//! component does not shift the randomness of the others.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::scenario::NodeId;
use crate::units::{Ppm, PPM_MAX};

/// Stream number of the network (latency, loss, duplication, reordering).
const STREAM_NETWORK: u64 = 1;
/// Stream numbers of the node election timers: base + node id.
const STREAM_TIMER_BASE: u64 = 0x100;

/// A deterministic random stream.
#[derive(Clone, Debug)]
pub struct Stream(ChaCha8Rng);

impl Stream {
    fn derive(seed: u64, stream: u64) -> Stream {
        // rand_core 0.6.4's seed_from_u64 (PCG32 expansion) is pinned with the
        // crate version, so the key for a seed never changes.
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Stream(rng)
    }

    /// The network's stream.
    pub fn network(seed: u64) -> Stream {
        Stream::derive(seed, STREAM_NETWORK)
    }

    /// Node `id`'s election-timer stream.
    pub fn timer(seed: u64, id: NodeId) -> Stream {
        Stream::derive(seed, STREAM_TIMER_BASE + u64::from(id))
    }

    /// A free-standing stream for other uses (the fault generator).
    pub fn other(seed: u64, stream: u64) -> Stream {
        Stream::derive(seed, stream)
    }

    /// Uniform in `[lo, hi]` (inclusive) by widening multiplication: no
    /// floats, no rejection loop, bias below 2^-64 per unit of span.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        debug_assert!(lo <= hi);
        let span = u128::from(hi - lo) + 1;
        let x = u128::from(self.0.next_u64());
        lo + ((x * span) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: Ppm) -> bool {
        let x = (u64::from(self.0.next_u32()) * u64::from(PPM_MAX)) >> 32;
        x < u64::from(p.0)
    }

    /// A raw 64-bit draw.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: [u64; 3] = [295_027, 254_080, 270_305];

    /// A seed must mean the same run forever: these numbers are fixed.
    #[test]
    fn streams_are_pinned_and_independent() {
        let a: Vec<u64> = (0..3).map(|_| Stream::network(42).range(0, 1000)).collect();
        assert_eq!(a[0], a[1]);
        let mut n = Stream::network(42);
        let mut t = Stream::timer(42, 1);
        let (x, y) = (n.next_u64(), t.next_u64());
        assert_ne!(x, y);
        let mut s = Stream::timer(7, 3);
        let v: Vec<u64> = (0..4).map(|_| s.range(150_000, 300_000)).collect();
        assert!(v.iter().all(|&x| (150_000..=300_000).contains(&x)));
        let mut c = Stream::network(1);
        assert!(!(0..1000).any(|_| c.chance(Ppm(0))));
        assert!((0..1000).all(|_| c.chance(Ppm(PPM_MAX))));
        assert!(Stream::network(0).range(0, u64::MAX - 1) < u64::MAX);
        // Pinned values: rand_chacha =0.3.1 and rand_core =0.6.4 must keep giving these.
        let mut p = Stream::timer(42, 1);
        let pinned: Vec<u64> = (0..3).map(|_| p.range(150_000, 300_000)).collect();
        assert_eq!(pinned, PINNED);
    }
}
