//! The simulator: virtual time, the event queue, the network, timers, clients,
//! the live checker, the trace, checkpoints and time travel.
//!
//! Ordering rules (they make a run independent of how it is advanced):
//! - events are processed in (time, sequence) order;
//! - a timeline action at time T runs after every event at time <= T and before
//!   any later event ("at the end of its instant");
//! - a checkpoint at time C holds the state after everything before C and
//!   nothing at or after C.
//!
//! One job per file:
//! - `queue`: what the event queue holds and its order;
//! - `event_loop`: advancing time, popping events, firing timers, the trace;
//! - `slots`: the run's state, one slot per server, timers;
//! - `network`: who can talk to whom, sending, delivering, losing messages;
//! - `ready`: handling a node's `Ready` (trace, apply, timers, messages, checks);
//! - `actions`: the timeline's actions;
//! - `client`: client requests and their answers;
//! - `operator`: configuration changes, and the servers started and shut down for them;
//! - `kv`: the key-value state machine and its snapshot image;
//! - `checkpoint`: checkpoints, `seek` and `act` (forking the timeline);
//! - `history`: the past in bounded memory: checkpoints thinned with age to
//!   a fixed total, the trace kept as a window, older events re-derived;
//! - `deletions`: which deliveries made their receiver delete conflicting entries;
//! - `build_view`: the read-only [`View`](crate::View) and the trace's `final` line;
//! - `error`: [`SimError`].

mod actions;
mod build_view;
mod checkpoint;
mod client;
mod deletions;
mod error;
mod event_loop;
mod history;
mod kv;
mod network;
mod operator;
mod queue;
mod ready;
mod slots;

use raft::{Node, NodeId};

use crate::checker::Violation;
use crate::scenario::Scenario;
use crate::trace::TraceEvent;

pub(crate) use build_view::membership_text;
pub use error::SimError;
pub use history::{CHECKPOINTS_MAX_DEFAULT, TRACE_WINDOW_PAGE};
pub use kv::{apply_command, command_write};
use slots::State;

/// Default distance between time-travel checkpoints (virtual time).
pub const CHECKPOINT_EVERY_US_DEFAULT: u64 = 1_000_000;

/// Options that do not change the run, only what is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimOptions {
    /// Distance between time-travel checkpoints (virtual µs). Smaller: faster
    /// seeks, more memory.
    pub checkpoint_every_us: u64,
    /// Record send / deliver / drop events in the trace. They are most of its
    /// volume; the browser may turn them off for long sessions (messages in
    /// flight are in the view anyway). Does not change the run.
    pub trace_messages: bool,
    /// Record `reject` events (an input a node ignored: stale term, unknown
    /// peer, ...). Raft rejects something on most steps of a busy run, so they
    /// are left out by default; they are still counted as happenings for
    /// [`Sim::step`]. Does not change the run.
    pub trace_verbose: bool,
    /// Most checkpoints kept (at least 2): past it, they are thinned with
    /// age (see `history.rs`), so memory stays bounded and a seek far back
    /// re-simulates more. Does not change the run.
    pub checkpoints_max: usize,
    /// Most trace events kept in memory (at least 2): past it, the oldest
    /// half is let go and re-derived by re-simulation when asked for
    /// ([`Sim::replay`]). `usize::MAX` (the default) keeps them all.
    /// Does not change the run.
    pub trace_window: usize,
}

impl SimOptions {
    /// The page's options: memory bounded however long a session lasts
    /// ([`TRACE_WINDOW_PAGE`] trace events, [`CHECKPOINTS_MAX_DEFAULT`]
    /// checkpoints).
    pub fn bounded() -> SimOptions {
        SimOptions {
            trace_window: TRACE_WINDOW_PAGE,
            ..SimOptions::default()
        }
    }
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            checkpoint_every_us: CHECKPOINT_EVERY_US_DEFAULT,
            trace_messages: true,
            trace_verbose: false,
            checkpoints_max: CHECKPOINTS_MAX_DEFAULT,
            trace_window: usize::MAX,
        }
    }
}

/// A deterministic simulation of one Raft cluster.
#[derive(Clone, Debug)]
pub struct Sim {
    scenario: Scenario,
    options: SimOptions,
    state: State,
    /// Sorted by time; the first is at time 0 and is never thinned away.
    /// At most `options.checkpoints_max` (see `history.rs`). Boxed: a
    /// `State` is kilobytes inline, and thinning removes from the middle.
    checkpoints: Vec<(u64, Box<State>)>,
    /// The trace events kept: global indices `trace_base..trace_base +
    /// trace.len()`, possibly beyond `now` after a backward seek.
    /// Invariant: `trace_base <= state.trace_len <= trace_base + trace.len()`
    /// (the window always reaches now), and `trace.len() <=
    /// options.trace_window`.
    trace: Vec<TraceEvent>,
    /// Global index of `trace[0]`: the events before it were let go.
    trace_base: usize,
    /// The time of the latest trace event known (kept or let go).
    trace_known_us: u64,
    /// Global trace indices, ascending: the AppendEntries deliveries whose
    /// receiver deleted conflicting entries (see `deletions.rs`), from
    /// `trace_base` on. Cut with the trace when the timeline forks.
    deletions: Vec<usize>,
}

impl Sim {
    /// A simulator at time 0 for this scenario (its timeline is replayed as time passes).
    pub fn new(scenario: Scenario) -> Result<Sim, SimError> {
        Sim::with_options(scenario, SimOptions::default())
    }

    /// [`Sim::new`] with options.
    pub fn with_options(scenario: Scenario, options: SimOptions) -> Result<Sim, SimError> {
        scenario
            .settings
            .check()
            .map_err(SimError::InvalidSettings)?;
        if options.checkpoint_every_us == 0 {
            return Err(SimError::CheckpointIntervalZero);
        }
        if scenario
            .timeline
            .windows(2)
            .any(|w| w[0].at_us > w[1].at_us)
        {
            return Err(SimError::TimelineOutOfOrder);
        }
        let state = State::new(&scenario.settings)?;
        let mut sim = Sim {
            scenario,
            options,
            state,
            checkpoints: Vec::new(),
            trace: Vec::new(),
            trace_base: 0,
            trace_known_us: 0,
            deletions: Vec::new(),
        };
        let ids: Vec<NodeId> = sim.state.slots.keys().copied().collect();
        for id in ids {
            sim.state.arm_election(id);
            sim.after_input(id);
        }
        sim.checkpoints.push((0, Box::new(sim.state.clone())));
        Ok(sim)
    }

    // ------------------------------------------------------------------
    // Reading

    /// Current virtual time (µs).
    pub fn now_us(&self) -> u64 {
        self.state.now_us
    }

    /// The session so far as a scenario: the initial settings and every
    /// action (including the known future after a backward seek).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The trace events kept in memory: every one computed so far by
    /// default; with a bounded [`SimOptions::trace_window`], the latest ones,
    /// from global index [`Sim::trace_base`] on. After a backward seek this
    /// includes the already-computed future (events with `t > now_us`); see
    /// [`Sim::trace_len_now`]. Indices elsewhere (`trace_len_now`,
    /// `deletions`, `rules_at`) are global: read with [`Sim::trace_range`].
    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }

    /// The global index of `trace()[0]` (0 unless older events were let go).
    pub fn trace_base(&self) -> usize {
        self.trace_base
    }

    /// The kept events with global indices in `from..to` (clipped to what
    /// is kept: [`Sim::replay`] re-derives the rest).
    pub fn trace_range(&self, from: usize, to: usize) -> &[TraceEvent] {
        let end = self.trace_base + self.trace.len();
        // min/max, not clamp: clamp's panic message is code in the wasm.
        let a = from.max(self.trace_base).min(end);
        let b = to.max(a).min(end);
        &self.trace[a - self.trace_base..b - self.trace_base]
    }

    /// The event with global index `i`, if kept.
    pub fn trace_at(&self, i: usize) -> Option<&TraceEvent> {
        self.trace.get(i.checked_sub(self.trace_base)?)
    }

    /// How many trace events happened at or before `now_us` (a global index).
    pub fn trace_len_now(&self) -> usize {
        self.state.trace_len
    }

    /// Violations so far (up to now).
    pub fn violations(&self) -> Vec<Violation> {
        self.state.checker.violations().cloned().collect()
    }

    /// The highest-term live leader, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.state.leader()
    }

    /// Read access to a live node (tests, tools).
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.state.slots.get(&id).and_then(|s| s.node.as_ref())
    }

    /// A node's key-value store (empty while crashed).
    pub fn kv(&self, id: NodeId) -> Option<&crate::Kv> {
        self.state.slots.get(&id).map(|s| &s.kv)
    }

    /// How many checkpoints are kept (at most `SimOptions::checkpoints_max`).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// The end of the known run: the later of now, the last trace event and the last timeline action.
    pub fn horizon_us(&self) -> u64 {
        let last_action = self.scenario.timeline.last().map_or(0, |t| t.at_us);
        self.state.now_us.max(self.trace_known_us).max(last_action)
    }

    /// The simulation's servers now, in increasing order: the initial nodes
    /// and every server added so far (crashed and removed ones included).
    pub fn node_ids(&self) -> Vec<NodeId> {
        self.state.slots.keys().copied().collect()
    }
}
