//! Simulator throughput and time-travel latency.
//!
//! `cargo bench -p sim`. Figures are recorded in BENCHMARKS.md. The counters
//! read as: `sim_ms` items/s = simulated milliseconds per wall second (divide
//! by 1000 for simulated s per wall s); `events` items/s = trace events per second.

use divan::counter::ItemsCount;
use sim::{Action, Scenario, Sim, SimOptions, Timed};

fn main() {
    divan::main();
}

/// A cluster of `nodes` with one client request every 100 ms for `secs`.
fn loaded(nodes: u32, secs: u64) -> Scenario {
    let mut sc = Scenario::default();
    sc.settings.nodes = nodes;
    sc.settings.seed = 7;
    sc.timeline = (1..secs * 10)
        .map(|i| Timed {
            at_us: i * 100_000,
            action: Action::Request {
                to: None,
                cmd: format!("set k{}={i}", i % 10),
            },
        })
        .collect();
    sc
}

const RUN_S: u64 = 20;

#[divan::bench(args = [5, 9], sample_count = 10)]
fn run_20s_under_load(bencher: divan::Bencher, nodes: u32) {
    let sc = loaded(nodes, RUN_S);
    bencher.counter(ItemsCount::new(RUN_S * 1000)).bench(|| {
        let mut sim = Sim::new(sc.clone()).expect("valid");
        sim.run_until(RUN_S * 1_000_000);
        sim.trace().len()
    });
}

#[divan::bench(args = [5, 9], sample_count = 10)]
fn events_20s_under_load(bencher: divan::Bencher, nodes: u32) {
    let sc = loaded(nodes, RUN_S);
    let events = {
        let mut sim = Sim::new(sc.clone()).expect("valid");
        sim.run_until(RUN_S * 1_000_000);
        sim.trace().len()
    };
    bencher.counter(ItemsCount::new(events)).bench(|| {
        let mut sim = Sim::new(sc.clone()).expect("valid");
        sim.run_until(RUN_S * 1_000_000);
        sim.trace().len()
    });
}

/// Seeking backwards in a 10-minute, 5-node run with a request every 100 ms
/// (the budget: < 16 ms in the browser).
#[divan::bench(sample_count = 50)]
fn seek_back_10min_5_nodes(bencher: divan::Bencher) {
    let sc = loaded(5, 600);
    let mut sim = Sim::with_options(sc, SimOptions::default()).expect("valid");
    sim.run_until(600_000_000);
    let mut target = 599_999_999u64;
    bencher.bench_local(|| {
        // Walk backwards through the run at irregular points (worst case is
        // just before a checkpoint: ~1 s to re-simulate).
        target = (target * 7 + 999_999) % 600_000_000;
        sim.seek(target);
        sim.now_us()
    });
}

/// The page's snapshot of a 9-node cluster whose logs hold ~350 entries
/// (the frame benchmark's load), taken fresh or refreshed in place a frame
/// (16 ms) later, as the page does every frame; `none` is the 16 ms of
/// simulation alone.
#[divan::bench(args = ["fresh", "refresh", "none"], sample_count = 200)]
fn view_9_nodes_350_entries(bencher: divan::Bencher, how: &str) {
    let mut sc = loaded(9, 40);
    sc.timeline.retain(|t| t.at_us < 35_000_000);
    let mut sim = Sim::new(sc).expect("valid");
    sim.run_until(35_000_000);
    let mut view = sim.view();
    bencher.bench_local(|| {
        sim.run_until(sim.now_us() + 16_000);
        match how {
            "fresh" => view = sim.view(),
            "refresh" => sim.refresh_view(&mut view),
            // The simulation alone, to subtract.
            _ => {}
        }
        view.nodes.len()
    });
}
