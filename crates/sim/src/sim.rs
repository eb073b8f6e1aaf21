//! The simulator: virtual time, the event queue, the network, timers, clients,
//! the live checker, the trace, checkpoints and time travel.
//!
//! Ordering rules (they make a run independent of how it is advanced):
//! - events are processed in (time, sequence) order;
//! - a timeline action at time T runs after every event at time <= T and before
//!   any later event ("at the end of its instant");
//! - a checkpoint at time C holds the state after everything before C and
//!   nothing at or after C.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::Arc;

use raft::{
    Backoff, ConfChange, Config, Entry, LogIndex, Membership, Message, Node, NodeId, Payload,
    ProposeError, Role, Term, UnsafeSwitches,
};

use crate::checker::{Checker, Violation};
use crate::rng::Stream;
use crate::scenario::{Action, BackoffMode, Scenario, Setting, Settings, Timed, NODE_ID_MAX};
use crate::trace::{Ev, Removal, TraceEvent};
use crate::view::{EntryView, MessageView, NetworkView, NodeView, ProgressView, View};

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
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            checkpoint_every_us: CHECKPOINT_EVERY_US_DEFAULT,
            trace_messages: true,
            trace_verbose: false,
        }
    }
}

/// Why a simulator could not be built or an action not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError(pub String);

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SimError {}

/// What the queue holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// Deliver in-flight message `id` (skipped if it was dropped meanwhile).
    Deliver { id: u64 },
    /// Node's election timer, valid only if `gen` is still current.
    Election { node: NodeId, gen: u64 },
    /// Leader's heartbeat timer, valid only if `gen` is still current.
    Heartbeat { node: NodeId, gen: u64 },
    /// The minimum election timeout since the election timer was armed with
    /// `gen` (thesis §4.2.3: the leader lease ends). Valid while `gen` is the
    /// node's current election generation.
    Lease { node: NodeId, gen: u64 },
    /// A client request's deadline.
    ClientDeadline { req: u64 },
}

#[derive(Clone, Copy, Debug)]
struct Queued {
    time_us: u64,
    seq: u64,
    event: Event,
}

// BinaryHeap is a max-heap: reverse so the earliest (time, seq) comes first.
impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_us, other.seq).cmp(&(self.time_us, self.seq))
    }
}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        (self.time_us, self.seq) == (other.time_us, other.seq)
    }
}
impl Eq for Queued {}

#[derive(Clone, Debug)]
struct InFlight {
    from: NodeId,
    to: NodeId,
    sent_us: u64,
    deliver_us: u64,
    /// Shared with the trace: a message is cloned once, not per event.
    msg: Arc<Message>,
}

/// One server slot: the node while up, what it persisted while down.
#[derive(Clone, Debug)]
struct Slot {
    /// `Some` while up.
    node: Option<Node>,
    /// What survives a crash; `Some` while down.
    persisted: Option<raft::Persistent>,
    /// The state machine (volatile: rebuilt from the snapshot on restart).
    kv: BTreeMap<String, String>,
    timer_rng: Stream,
    election_gen: u64,
    election_start_us: u64,
    election_deadline_us: u64,
    heartbeat_gen: u64,
    heartbeat_on: bool,
    /// Last (role, term) written to the trace, to emit `role` on every change.
    traced_role: (Role, Term),
    /// The node's configuration when it crashed (for the view while down).
    membership_at_crash: Membership,
    /// Shut down for good by the operator after a committed configuration
    /// excluded it (thesis §4.2.3). Invariant: `removed` implies `node` is `None`.
    removed: bool,
}

impl Slot {
    /// Stops the server, by a crash or by the operator shutting down a
    /// removed server: exactly what it persisted survives; its volatile
    /// state, state machine and pending timers are gone.
    fn stop(&mut self) {
        if let Some(node) = self.node.take() {
            self.persisted = Some(node.persistent().clone());
            self.membership_at_crash = node.membership().clone();
        }
        self.kv.clear();
        self.election_gen += 1;
        self.heartbeat_gen += 1;
        self.heartbeat_on = false;
    }
}

/// A server the operator started (or brought back) for a configuration
/// change proposed at `(index, term)`, while that entry's fate is unknown.
/// The first node to apply `index` settles it: the same term means the change
/// committed; another term means it was lost, and the server is shut down
/// again unless some configuration still wants it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Joining {
    node: NodeId,
    index: LogIndex,
    term: Term,
}

#[derive(Clone, Debug)]
struct Pending {
    node: NodeId,
    cmd: String,
    index: LogIndex,
    term: Term,
}

/// Who can talk to whom.
///
/// Invariant: two nodes can talk iff they have the same label and the
/// directed link is not cut. Labels are indexed by node id; 0 is "no
/// partition yet" (partitions and isolation hand out labels from 1).
#[derive(Clone, Debug, Default)]
struct Network {
    labels: [u32; NODE_ID_MAX as usize + 1],
    /// Cut directed links: bit `to` of `cuts[from]`.
    cuts: [u32; NODE_ID_MAX as usize + 1],
}

impl Network {
    fn label(&self, n: NodeId) -> u32 {
        self.labels.get(n as usize).copied().unwrap_or(0)
    }
    fn set_label(&mut self, n: NodeId, label: u32) {
        if let Some(l) = self.labels.get_mut(n as usize) {
            *l = label;
        }
    }
    fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        let bit = 1u32.checked_shl(to).unwrap_or(0);
        self.cuts.get(from as usize).is_some_and(|c| c & bit != 0)
    }
    fn set_cut(&mut self, from: NodeId, to: NodeId, cut: bool) {
        let bit = 1u32.checked_shl(to).unwrap_or(0);
        if let Some(c) = self.cuts.get_mut(from as usize) {
            if cut {
                *c |= bit;
            } else {
                *c &= !bit;
            }
        }
    }
    /// Every cut link, in (from, to) order.
    fn cut_links(&self) -> Vec<[NodeId; 2]> {
        (0..=NODE_ID_MAX)
            .flat_map(|from| (0..=NODE_ID_MAX).map(move |to| [from, to]))
            .filter(|&[from, to]| self.is_cut(from, to))
            .collect()
    }
    fn partitioned(&self) -> bool {
        self.labels.iter().any(|&l| l != 0)
    }
    /// Why a message from -> to cannot pass, if it cannot.
    fn blocked(&self, from: NodeId, to: NodeId) -> Option<&'static str> {
        if self.label(from) != self.label(to) {
            Some("partition")
        } else if self.is_cut(from, to) {
            Some("cut")
        } else {
            None
        }
    }
    /// The nodes of `all` grouped by label, groups in label order.
    fn groups(&self, all: impl Iterator<Item = NodeId>) -> Vec<Vec<NodeId>> {
        let all: Vec<NodeId> = all.collect();
        let label_max = self.labels.iter().copied().max().unwrap_or(0);
        (0..=label_max)
            .map(|label| {
                all.iter()
                    .copied()
                    .filter(|&n| self.label(n) == label)
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .collect()
    }
}

/// Everything that changes during a run: cloned whole for checkpoints.
#[derive(Clone, Debug)]
struct State {
    now_us: u64,
    seq: u64,
    queue: BinaryHeap<Queued>,
    /// Index into the timeline of the next action to run.
    next_action: usize,
    settings: Settings,
    slots: BTreeMap<NodeId, Slot>,
    net: Network,
    net_rng: Stream,
    in_flight: BTreeMap<u64, InFlight>,
    next_msg_id: u64,
    pending: BTreeMap<u64, Pending>,
    next_req_id: u64,
    checker: Checker,
    /// The latest configuration a leader has committed (the operator's view of
    /// the cluster). Servers in it but not in the next committed one are shut down.
    committed_config: Membership,
    /// Index of the entry holding `committed_config` (0: the bootstrap one).
    /// Configurations at or below it are old news: a leader that restarted
    /// applies its log again from its snapshot, old configurations included.
    committed_config_index: LogIndex,
    /// Servers started for a proposed change that has not been settled.
    joining: Vec<Joining>,
    /// How many trace events this history has produced (the trace vector may
    /// hold more: the already-known future after a backward seek).
    trace_len: usize,
    /// Events emitted, including message events not recorded (for `step`).
    emitted: u64,
}

/// A deterministic simulation of one Raft cluster.
#[derive(Clone, Debug)]
pub struct Sim {
    scenario: Scenario,
    options: SimOptions,
    state: State,
    /// Sorted by time; the first is at time 0.
    checkpoints: Vec<(u64, State)>,
    /// Every trace event computed so far, possibly beyond `now` after a backward seek.
    trace: Vec<TraceEvent>,
}

fn node_config(id: NodeId, s: &Settings) -> Config {
    let mut c = Config::new(id);
    c.pre_vote = s.pre_vote;
    c.check_quorum = s.check_quorum;
    c.sticky_leader = s.sticky_leader;
    c.noop_on_elect = s.noop;
    c.backoff = match s.backoff {
        BackoffMode::Decrement => Backoff::Decrement,
        BackoffMode::Hint => Backoff::ConflictHint,
    };
    c.unsafe_switches = UnsafeSwitches {
        commit_old_terms_by_counting: s.unsafe_switches.commit_old_terms,
        vote_without_log_check: s.unsafe_switches.vote_without_log_check,
        forget_vote_on_restart: s.unsafe_switches.forget_vote_on_restart,
        direct_membership_change: s.unsafe_switches.direct_change,
    };
    c
}

/// `(kind, text)` of a payload for the trace and the view.
fn payload_text(p: &Payload) -> (&'static str, String) {
    match p {
        Payload::Noop => ("noop", String::new()),
        Payload::Command { cmd } => ("command", cmd.clone()),
        Payload::Config { membership } => ("config", membership_text(membership)),
    }
}

pub(crate) fn membership_text(m: &Membership) -> String {
    let list = |s: &BTreeSet<NodeId>| {
        s.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut t = format!("voters {}", list(&m.voters));
    if !m.outgoing.is_empty() {
        t.push_str(&format!(" old {}", list(&m.outgoing)));
    }
    if !m.learners.is_empty() {
        t.push_str(&format!(" learners {}", list(&m.learners)));
    }
    t
}

/// A set of node ids, built by inserting: `collect` would sort first and
/// link one more copy of the sorting code into the wasm.
fn node_set(ids: Vec<NodeId>) -> BTreeSet<NodeId> {
    let mut set = BTreeSet::new();
    set.extend(ids);
    set
}

/// Applies a command to the key-value store: `set k=v` or `k=v` stores
/// `v` under `k`; anything else is a no-op (free text is allowed).
pub fn apply_command(kv: &mut BTreeMap<String, String>, cmd: &str) {
    let body = cmd.trim();
    let body = body.strip_prefix("set ").unwrap_or(body);
    if let Some((k, v)) = body.split_once('=') {
        let (k, v) = (k.trim(), v.trim());
        if !k.is_empty() && !k.contains(char::is_whitespace) {
            kv.insert(k.to_string(), v.to_string());
        }
    }
}

/// The state machine's snapshot image: for each key in order,
/// `KEY=LEN:VALUE` with LEN the value's length in bytes. Keys never hold `=`
/// or whitespace (see [`apply_command`]); the length lets a value hold
/// anything. A hand-made format rather than JSON so that the browser build
/// carries no JSON parser (issue 5's size budget).
fn kv_image(kv: &BTreeMap<String, String>) -> String {
    let mut image = String::new();
    for (k, v) in kv {
        image.push_str(&format!("{k}={}:{v}", v.len()));
    }
    image
}

fn kv_from_image(data: &str) -> BTreeMap<String, String> {
    // A snapshot comes from another node of the same simulation; if it were
    // ever unreadable, what was read up to the damage is kept.
    let mut kv = BTreeMap::new();
    let mut rest = data;
    while let Some((k, tail)) = rest.split_once('=') {
        let Some((len, tail)) = tail.split_once(':') else {
            break;
        };
        let Some((v, tail)) = len
            .parse::<usize>()
            .ok()
            .and_then(|n| Some((tail.get(..n)?, tail.get(n..)?)))
        else {
            break;
        };
        kv.insert(k.to_string(), v.to_string());
        rest = tail;
    }
    kv
}

impl State {
    /// The cluster at time 0 (settings already checked).
    fn new(settings: &Settings) -> Result<State, SimError> {
        let mut st = State {
            now_us: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            next_action: 0,
            settings: settings.clone(),
            slots: BTreeMap::new(),
            net: Network::default(),
            net_rng: Stream::network(settings.seed),
            in_flight: BTreeMap::new(),
            next_msg_id: 1,
            pending: BTreeMap::new(),
            next_req_id: 1,
            checker: Checker::default(),
            committed_config: Membership::new(1..=settings.nodes),
            committed_config_index: 0,
            joining: Vec::new(),
            trace_len: 0,
            emitted: 0,
        };
        let voters: Vec<NodeId> = (1..=settings.nodes).collect();
        let bootstrap = Membership::new(voters.iter().copied());
        for &id in &voters {
            let config = node_config(id, settings);
            let node = match settings.staged.get(&id) {
                None => Node::new(config, bootstrap.clone()),
                Some(staged) => {
                    // A staged node is one that persisted this state in an
                    // earlier history: it (re)starts from it at time 0.
                    let entries = staged.log.iter().zip(1..).map(|(e, index)| Entry {
                        term: e.term,
                        index,
                        payload: Payload::Command {
                            cmd: e.command(index),
                        },
                    });
                    let log =
                        raft::Log::from_entries(bootstrap.clone(), entries).ok_or_else(|| {
                            SimError(format!("node {id}'s staged log breaks the log invariants"))
                        })?;
                    let persistent = raft::Persistent {
                        current_term: staged.current_term(),
                        voted_for: None,
                        log,
                    };
                    Node::restart(config, persistent)
                }
            };
            st.insert_slot(id, node);
        }
        Ok(st)
    }

    fn insert_slot(&mut self, id: NodeId, node: Node) {
        let slot = Slot {
            node: Some(node),
            persisted: None,
            kv: BTreeMap::new(),
            timer_rng: Stream::timer(self.settings.seed, id),
            election_gen: 0,
            election_start_us: 0,
            election_deadline_us: 0,
            heartbeat_gen: 0,
            heartbeat_on: false,
            traced_role: (Role::Follower, 0),
            membership_at_crash: Membership::default(),
            removed: false,
        };
        self.slots.insert(id, slot);
    }

    fn push(&mut self, time_us: u64, event: Event) {
        self.seq += 1;
        self.queue.push(Queued {
            time_us,
            seq: self.seq,
            event,
        });
    }

    fn arm_election(&mut self, id: NodeId) {
        let (min, max) = (
            self.settings.election_timeout_us_min,
            self.settings.election_timeout_us_max,
        );
        let now = self.now_us;
        let Some(slot) = self.slots.get_mut(&id) else {
            return;
        };
        let timeout = slot.timer_rng.range(min, max);
        slot.election_gen += 1;
        slot.election_start_us = now;
        slot.election_deadline_us = now.saturating_add(timeout);
        let (gen, at) = (slot.election_gen, slot.election_deadline_us);
        self.push(at, Event::Election { node: id, gen });
        // The lease matters to the §6 rule (sticky-leader), Pre-Vote and
        // CheckQuorum; with all three off the timer would be pure overhead
        // (one more event per heartbeat and node). It draws nothing from the PRNG.
        let s = &self.settings;
        if s.sticky_leader || s.pre_vote || s.check_quorum {
            self.push(now.saturating_add(min), Event::Lease { node: id, gen });
        }
    }

    /// The node a request without a target goes to: the live leader with the highest term.
    fn leader(&self) -> Option<NodeId> {
        self.slots
            .iter()
            .filter_map(|(&id, s)| {
                s.node
                    .as_ref()
                    .filter(|n| n.role() == Role::Leader)
                    .map(|n| (n.term(), id))
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, id)| id)
    }
}

impl Sim {
    /// A simulator at time 0 for this scenario (its timeline is replayed as time passes).
    pub fn new(scenario: Scenario) -> Result<Sim, SimError> {
        Sim::with_options(scenario, SimOptions::default())
    }

    /// [`Sim::new`] with options.
    pub fn with_options(scenario: Scenario, options: SimOptions) -> Result<Sim, SimError> {
        scenario.settings.check().map_err(SimError)?;
        if options.checkpoint_every_us == 0 {
            return Err(SimError("checkpoint interval must be > 0".into()));
        }
        if scenario
            .timeline
            .windows(2)
            .any(|w| w[0].at_us > w[1].at_us)
        {
            return Err(SimError("the timeline is not in time order".into()));
        }
        let state = State::new(&scenario.settings)?;
        let mut sim = Sim {
            scenario,
            options,
            state,
            checkpoints: Vec::new(),
            trace: Vec::new(),
        };
        let ids: Vec<NodeId> = sim.state.slots.keys().copied().collect();
        for id in ids {
            sim.state.arm_election(id);
            sim.after_input(id);
        }
        sim.checkpoints.push((0, sim.state.clone()));
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

    /// Every trace event computed so far. After a backward seek this includes
    /// the already-computed future (events with `t > now_us`); see
    /// [`Sim::trace_len_now`].
    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }

    /// How many events of [`Sim::trace`] happened at or before `now_us`.
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
    pub fn kv(&self, id: NodeId) -> Option<&BTreeMap<String, String>> {
        self.state.slots.get(&id).map(|s| &s.kv)
    }

    /// Time of the last checkpoint and how many there are.
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// The end of the known run: the later of now, the last trace event and the last timeline action.
    pub fn horizon_us(&self) -> u64 {
        let last_trace = self.trace.last().map_or(0, |e| e.t);
        let last_action = self.scenario.timeline.last().map_or(0, |t| t.at_us);
        self.state.now_us.max(last_trace).max(last_action)
    }

    /// True while viewing the past: the run is already known beyond now
    /// (after a backward seek). An action now would fork the timeline.
    pub fn known_future(&self) -> bool {
        self.horizon_us() > self.state.now_us
    }

    // ------------------------------------------------------------------
    // Advancing

    /// Runs every event and action with time <= `t_us`, then sets now to
    /// `t_us` (if later). The result does not depend on how a run is chunked.
    pub fn run_until(&mut self, t_us: u64) {
        while self.next_item_time().is_some_and(|t| t <= t_us) {
            self.process_next();
        }
        self.state.now_us = self.state.now_us.max(t_us);
    }

    /// Processes exactly one event (a delivery or a timer), after running any
    /// timeline action due before it. Timer expiries that change nothing
    /// visible (a leader's election timer without CheckQuorum, stale timers)
    /// are passed over. Returns the trace events produced; empty if nothing is
    /// left to do.
    pub fn step(&mut self) -> Vec<TraceEvent> {
        let start = self.state.trace_len;
        while let Some(kind) = self.next_item() {
            let before = self.state.emitted;
            let real = self.process_next();
            if real && kind == ItemKind::Event && self.state.emitted != before {
                break;
            }
        }
        self.trace[start..self.state.trace_len].to_vec()
    }

    /// Moves to `t_us`: forwards by simulating, backwards by restoring the
    /// latest checkpoint at or before `t_us` and re-simulating from it.
    pub fn seek(&mut self, t_us: u64) {
        let cp = self.checkpoints.partition_point(|(c, _)| *c <= t_us);
        if let Some((c, state)) = cp.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            // Restore when going back, or when a checkpoint is closer than now.
            if t_us < self.state.now_us || *c > self.state.now_us {
                self.state = state.clone();
            }
        }
        self.run_until(t_us);
    }

    /// Takes an action now: first completes the current instant, then records
    /// the action in the timeline at now (dropping the old future: a fork) and
    /// runs it.
    pub fn act(&mut self, action: Action) {
        let now = self.state.now_us;
        self.run_until(now);
        self.fork_at_now();
        self.scenario.timeline.push(Timed { at_us: now, action });
        self.run_until(now);
    }

    /// Parses one directive (`crash 1`, `prevote on`) and takes it now. An
    /// action aimed at a server that is not one of [`Sim::node_ids`] is
    /// refused (nothing is recorded), unless it creates it (`add`,
    /// `add-learner`, `change`, `unsafe-change`): see
    /// [`crate::scenario::parse_live_action`].
    pub fn act_line(&mut self, line: &str) -> Result<(), crate::scenario::ParseError> {
        let action = crate::scenario::parse_live_action(line, &self.node_ids())?;
        self.act(action);
        Ok(())
    }

    /// The simulation's servers now, in increasing order: the initial nodes
    /// and every server added so far (crashed and removed ones included).
    pub fn node_ids(&self) -> Vec<NodeId> {
        self.state.slots.keys().copied().collect()
    }

    /// Drops everything after now: timeline actions not yet run, the known
    /// future of the trace, and later checkpoints.
    fn fork_at_now(&mut self) {
        let now = self.state.now_us;
        self.scenario.timeline.truncate(self.state.next_action);
        self.trace.truncate(self.state.trace_len);
        self.checkpoints.retain(|(c, _)| *c <= now);
        if self.scenario.run_us.is_some_and(|r| r < now) {
            self.scenario.run_us = Some(now);
        }
    }

    // ------------------------------------------------------------------
    // The loop

    fn next_action_time(&self) -> Option<u64> {
        self.scenario
            .timeline
            .get(self.state.next_action)
            .map(|t| t.at_us)
    }

    fn next_item(&self) -> Option<ItemKind> {
        let ev = self.state.queue.peek().map(|q| q.time_us);
        match (self.next_action_time(), ev) {
            (Some(a), Some(e)) if a < e => Some(ItemKind::Action),
            (Some(_), None) => Some(ItemKind::Action),
            (_, Some(_)) => Some(ItemKind::Event),
            (None, None) => None,
        }
    }

    fn next_item_time(&self) -> Option<u64> {
        match self.next_item()? {
            ItemKind::Action => self.next_action_time(),
            ItemKind::Event => self.state.queue.peek().map(|q| q.time_us),
        }
    }

    /// Processes the next item. Returns false for a stale timer (nothing happened).
    fn process_next(&mut self) -> bool {
        let Some(time) = self.next_item_time() else {
            return false;
        };
        self.maybe_checkpoint(time);
        debug_assert!(time >= self.state.now_us, "time never goes backwards");
        match self.next_item() {
            Some(ItemKind::Action) => {
                let action = self.scenario.timeline[self.state.next_action]
                    .action
                    .clone();
                self.state.next_action += 1;
                self.state.now_us = time;
                self.run_action(action);
                true
            }
            Some(ItemKind::Event) => {
                let Some(q) = self.state.queue.pop() else {
                    return false;
                };
                self.state.now_us = q.time_us;
                self.run_event(q.event)
            }
            None => false,
        }
    }

    /// Takes the checkpoint at the latest multiple C of the interval with
    /// C <= `next_time_us`, if it is new: nothing at or after C has run yet.
    fn maybe_checkpoint(&mut self, next_time_us: u64) {
        let every = self.options.checkpoint_every_us;
        let last = self.checkpoints.last().map_or(0, |(c, _)| *c);
        let c = next_time_us / every * every;
        if c > last {
            let mut snapshot = self.state.clone();
            snapshot.now_us = c;
            self.checkpoints.push((c, snapshot));
        }
    }

    fn emit(&mut self, ev: Ev) {
        let is_message = matches!(ev, Ev::Send { .. } | Ev::Deliver { .. } | Ev::Drop { .. });
        let is_verbose = matches!(ev, Ev::Reject { .. });
        let t = self.state.now_us;
        self.state.emitted += 1;
        if (is_message && !self.options.trace_messages)
            || (is_verbose && !self.options.trace_verbose)
        {
            return;
        }
        let n = self.state.trace_len;
        if n < self.trace.len() {
            // Re-simulating known history: the event is already there.
            debug_assert_eq!(self.trace[n].t, t);
        } else {
            self.trace.push(TraceEvent { t, ev });
        }
        self.state.trace_len += 1;
    }

    fn run_event(&mut self, event: Event) -> bool {
        match event {
            Event::Deliver { id } => {
                let Some(m) = self.state.in_flight.remove(&id) else {
                    return false;
                };
                let up = self
                    .state
                    .slots
                    .get(&m.to)
                    .is_some_and(|s| s.node.is_some());
                if !up {
                    let removed = self.state.slots.get(&m.to).is_some_and(|s| s.removed);
                    self.emit(Ev::Drop {
                        id,
                        from: m.from,
                        to: m.to,
                        reason: if removed { "removed" } else { "down" }.into(),
                        msg: m.msg,
                    });
                } else if let Some(reason) = self.state.net.blocked(m.from, m.to) {
                    self.emit(Ev::Drop {
                        id,
                        from: m.from,
                        to: m.to,
                        reason: reason.into(),
                        msg: m.msg,
                    });
                } else {
                    self.emit(Ev::Deliver {
                        id,
                        from: m.from,
                        to: m.to,
                        msg: m.msg.clone(),
                    });
                    self.with_node(m.to, |n| {
                        n.handle_message(m.from, Arc::unwrap_or_clone(m.msg))
                    });
                }
                true
            }
            Event::Election { node, gen } => {
                let current = self
                    .state
                    .slots
                    .get(&node)
                    .is_some_and(|s| s.node.is_some() && s.election_gen == gen);
                if !current {
                    return false;
                }
                // A leader's timer only matters for CheckQuorum: keep the trace quiet.
                let leader = self
                    .state
                    .slots
                    .get(&node)
                    .and_then(|s| s.node.as_ref())
                    .is_some_and(|n| n.role() == Role::Leader);
                if !leader {
                    self.emit(Ev::Timeout {
                        node,
                        forced: false,
                    });
                }
                self.fire_election(node);
                true
            }
            Event::Heartbeat { node, gen } => {
                let current = self
                    .state
                    .slots
                    .get(&node)
                    .is_some_and(|s| s.heartbeat_on && s.heartbeat_gen == gen);
                if !current {
                    return false;
                }
                let every = self.state.settings.heartbeat_us;
                self.state.push(
                    self.state.now_us.saturating_add(every),
                    Event::Heartbeat { node, gen },
                );
                self.with_node(node, |n| n.handle_heartbeat_timeout());
                true
            }
            Event::Lease { node, gen } => {
                let current = self
                    .state
                    .slots
                    .get(&node)
                    .is_some_and(|s| s.node.is_some() && s.election_gen == gen);
                if current {
                    self.with_node(node, |n| n.handle_lease_timeout());
                }
                current
            }
            Event::ClientDeadline { req } => {
                let Some(p) = self.state.pending.remove(&req) else {
                    return false;
                };
                self.emit(Ev::Client {
                    node: p.node,
                    cmd: p.cmd,
                    result: "timeout",
                    leader: None,
                    index: Some(p.index),
                    reason: Some("no answer in time".into()),
                });
                true
            }
        }
    }

    /// The election timer fired (or was forced): the node handles it, and the
    /// timer is re-armed even if the node did not ask (timers are periodic).
    fn fire_election(&mut self, id: NodeId) {
        let gen_before = self.state.slots.get(&id).map_or(0, |s| s.election_gen);
        self.with_node(id, |n| n.handle_election_timeout());
        if self
            .state
            .slots
            .get(&id)
            .is_some_and(|s| s.node.is_some() && s.election_gen == gen_before)
        {
            self.state.arm_election(id);
        }
    }

    /// Runs `f` on a live node, then handles its output.
    fn with_node(&mut self, id: NodeId, f: impl FnOnce(&mut Node)) {
        let Some(node) = self.state.slots.get_mut(&id).and_then(|s| s.node.as_mut()) else {
            return;
        };
        f(node);
        self.after_input(id);
    }

    /// Drains the node's Ready and acts on it: trace, state machine, timers, messages, checks.
    fn after_input(&mut self, id: NodeId) {
        let Some(node) = self.state.slots.get_mut(&id).and_then(|s| s.node.as_mut()) else {
            return;
        };
        let ready = node.ready();
        let (role, term) = (node.role(), node.term());
        let mut violations = Vec::new();
        let led;

        // Role and term first, so the trace reads in causal order.
        let became_leader = {
            let slot = self.state.slots.get_mut(&id);
            let Some(slot) = slot else { return };
            let changed = slot.traced_role != (role, term);
            let was_leader = slot.traced_role.0 == Role::Leader && slot.traced_role.1 == term;
            // Led before this input (it may have stepped down in it, e.g. removed).
            led = slot.traced_role.0 == Role::Leader || role == Role::Leader;
            slot.traced_role = (role, term);
            if changed {
                self.emit(Ev::Role {
                    node: id,
                    role,
                    term,
                });
            }
            changed && role == Role::Leader && !was_leader
        };
        for e in ready.events {
            match e {
                raft::Event::BecameLeader { term, votes } => self.emit(Ev::Leader {
                    node: id,
                    term,
                    votes,
                }),
                raft::Event::MembershipChanged { membership } => self.emit(Ev::Membership {
                    node: id,
                    voters: membership.voters.iter().copied().collect(),
                    outgoing: membership.outgoing.iter().copied().collect(),
                    learners: membership.learners.iter().copied().collect(),
                }),
                raft::Event::SteppedDown { reason } => self.emit(Ev::Stepdown { node: id, reason }),
                raft::Event::Rejected { reason } => self.emit(Ev::Reject { node: id, reason }),
                raft::Event::RoleChanged { .. } | raft::Event::Committed { .. } => {}
            }
        }
        if became_leader {
            if let Some(node) = self.state.slots.get(&id).and_then(|s| s.node.as_ref()) {
                self.state.checker.on_leader(node, &mut violations);
            }
        }
        // Heartbeat timer follows the role.
        let every = self.state.settings.heartbeat_us;
        if let Some(slot) = self.state.slots.get_mut(&id) {
            let leader = role == Role::Leader;
            if leader && (!slot.heartbeat_on || became_leader) {
                slot.heartbeat_on = true;
                slot.heartbeat_gen += 1;
                let gen = slot.heartbeat_gen;
                self.state.push(
                    self.state.now_us.saturating_add(every),
                    Event::Heartbeat { node: id, gen },
                );
            } else if !leader && slot.heartbeat_on {
                slot.heartbeat_on = false;
                slot.heartbeat_gen += 1;
            }
        }
        if let Some(snap) = ready.install_snapshot {
            if let Some(slot) = self.state.slots.get_mut(&id) {
                slot.kv = kv_from_image(&snap.data);
            }
            self.emit(Ev::Snapshot {
                node: id,
                index: snap.last_index,
                term: snap.last_term,
            });
        }
        let mut configs_committed = Vec::new();
        for entry in &ready.apply {
            self.apply_entry(id, entry, &mut violations);
            if let (true, Payload::Config { membership }) = (led, &entry.payload) {
                configs_committed.push((entry.index, membership.clone()));
            }
        }
        if ready.reset_election_timer {
            self.state.arm_election(id);
        }
        for (to, msg) in ready.messages {
            self.send(id, to, msg);
        }
        if let Some(node) = self.state.slots.get(&id).and_then(|s| s.node.as_ref()) {
            self.state.checker.after_step(node, &mut violations);
        }
        for v in violations {
            self.emit(Ev::Violation(v));
        }
        self.maybe_compact(id);
        for (index, membership) in configs_committed {
            self.on_config_committed(id, index, membership);
        }
        // Last, like the shutdowns above: the node's own output is handled.
        if !self.state.joining.is_empty() {
            for entry in &ready.apply {
                self.settle_joining(entry);
            }
        }
    }

    /// The operator's part of a membership change (thesis §4.2.3, §6: "servers
    /// not in C_new can be shut down"): once a leader has committed a
    /// configuration, every server of the previous committed configuration
    /// that is neither in it nor in the leader's latest one is shut down for
    /// good. Without this a removed server never learns it was removed, times
    /// out and disrupts the cluster. Each configuration is acted on once.
    fn on_config_committed(&mut self, leader: NodeId, index: LogIndex, membership: Membership) {
        if index <= self.state.committed_config_index {
            return;
        }
        self.state.committed_config_index = index;
        let previous = std::mem::replace(&mut self.state.committed_config, membership.clone());
        if membership.is_joint() {
            // §6: servers leave when C_new commits, not C_old,new.
            return;
        }
        // A server the leader's latest configuration still (or again) names
        // stays: a later entry, say a learner's promotion appended in the same
        // step or an `add` of the same server, wants it.
        let latest = self
            .state
            .slots
            .get(&leader)
            .and_then(|s| s.node.as_ref())
            .map(|n| n.membership().clone())
            .unwrap_or_default();
        let gone: Vec<NodeId> = previous
            .all_members()
            .into_iter()
            .filter(|&x| !membership.contains(x) && !latest.contains(x))
            .collect();
        for x in gone {
            self.shut_down(x, index, Removal::Excluded);
        }
    }

    /// Settles the joining servers whose change was proposed at `entry`'s
    /// index, now that a node applies the committed entry there.
    fn settle_joining(&mut self, entry: &Entry) {
        let (settled, open): (Vec<Joining>, Vec<Joining>) = std::mem::take(&mut self.state.joining)
            .into_iter()
            .partition(|j| j.index == entry.index);
        self.state.joining = open;
        for j in settled.into_iter().filter(|j| j.term != entry.term) {
            let wanted = self.state.committed_config.contains(j.node)
                || self.state.joining.iter().any(|o| o.node == j.node)
                || matches!(&entry.payload, Payload::Config { membership } if membership.contains(j.node));
            if !wanted {
                self.shut_down(j.node, j.index, Removal::Lost);
            }
        }
    }

    /// Takes a server out of the cluster for good: like a crash (its
    /// persistent state stays visible), but it is never restarted.
    fn shut_down(&mut self, id: NodeId, index: LogIndex, why: Removal) {
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return;
        };
        if slot.removed {
            return;
        }
        slot.removed = true;
        slot.stop();
        debug_assert!(slot.node.is_none() && slot.persisted.is_some());
        self.state.checker.on_crash(id);
        self.emit(Ev::Removed {
            node: id,
            index,
            why,
        });
        self.drop_in_flight_to(id, "removed");
    }

    /// Messages in flight to `id` are lost (it crashed or was shut down).
    fn drop_in_flight_to(&mut self, id: NodeId, reason: &'static str) {
        let lost: Vec<u64> = self
            .state
            .in_flight
            .iter()
            .filter(|(_, m)| m.to == id)
            .map(|(&i, _)| i)
            .collect();
        for mid in lost {
            if let Some(m) = self.state.in_flight.remove(&mid) {
                self.emit(Ev::Drop {
                    id: mid,
                    from: m.from,
                    to: m.to,
                    reason: reason.into(),
                    msg: m.msg,
                });
            }
        }
    }

    fn apply_entry(&mut self, id: NodeId, entry: &Entry, violations: &mut Vec<Violation>) {
        let (kind, text) = payload_text(&entry.payload);
        if let (Some(slot), Payload::Command { cmd }) =
            (self.state.slots.get_mut(&id), &entry.payload)
        {
            apply_command(&mut slot.kv, cmd);
        }
        self.emit(Ev::Commit {
            node: id,
            index: entry.index,
            term: entry.term,
            kind,
            cmd: text,
        });
        self.state.checker.on_apply(id, entry, violations);
        // Answer the client that proposed this index at this node.
        let answered: Vec<u64> = self
            .state
            .pending
            .iter()
            .filter(|(_, p)| p.node == id && p.index == entry.index)
            .map(|(&r, _)| r)
            .collect();
        for r in answered {
            let Some(p) = self.state.pending.remove(&r) else {
                continue;
            };
            let ok = p.term == entry.term;
            self.emit(Ev::Client {
                node: id,
                cmd: p.cmd,
                result: if ok { "ok" } else { "timeout" },
                leader: None,
                index: Some(p.index),
                reason: (!ok)
                    .then(|| format!("entry {} was overwritten by term {}", p.index, entry.term)),
            });
        }
    }

    fn maybe_compact(&mut self, id: NodeId) {
        let Some(every) = self.state.settings.snapshot_every else {
            return;
        };
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return;
        };
        let Some(node) = slot.node.as_mut() else {
            return;
        };
        let snap_index = node.log().snapshot().map_or(0, |s| s.last_index);
        let applied = node.last_applied();
        if applied >= snap_index + every && node.compact(applied, kv_image(&slot.kv)).is_ok() {
            self.emit(Ev::Compact {
                node: id,
                index: applied,
            });
            self.after_input(id);
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: Message) {
        let msg = Arc::new(msg);
        let s = &self.state.settings;
        let (lat_min, lat_max, loss, dup, reorder) = (
            s.latency_us_min,
            s.latency_us_max,
            s.loss,
            s.duplicate,
            s.reorder,
        );
        let copies = if !dup.is_zero() && self.state.net_rng.chance(dup) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let id = self.state.next_msg_id;
            self.state.next_msg_id += 1;
            let mut latency = self.state.net_rng.range(lat_min, lat_max);
            if !reorder.is_zero() && self.state.net_rng.chance(reorder) {
                latency = latency
                    .saturating_add(self.state.net_rng.range(lat_max, lat_max.saturating_mul(2)));
            }
            let deliver_us = self.state.now_us.saturating_add(latency);
            self.emit(Ev::Send {
                id,
                from,
                to,
                deliver_us,
                msg: msg.clone(),
            });
            let lost = !loss.is_zero() && self.state.net_rng.chance(loss);
            let reason = if !self.state.slots.contains_key(&to) {
                Some("unknown node")
            } else if lost {
                Some("loss")
            } else {
                self.state.net.blocked(from, to)
            };
            if let Some(reason) = reason {
                self.emit(Ev::Drop {
                    id,
                    from,
                    to,
                    reason: reason.into(),
                    msg: msg.clone(),
                });
                continue;
            }
            let m = InFlight {
                from,
                to,
                sent_us: self.state.now_us,
                deliver_us,
                msg: msg.clone(),
            };
            self.state.in_flight.insert(id, m);
            self.state.push(deliver_us, Event::Deliver { id });
        }
    }

    // ------------------------------------------------------------------
    // Actions

    fn run_action(&mut self, action: Action) {
        match action {
            Action::Request { to, cmd } => self.request(to, cmd),
            Action::Crash { node } => self.crash(node),
            Action::Restart { node } => self.restart(node),
            Action::Timeout { node } => {
                if self
                    .state
                    .slots
                    .get(&node)
                    .is_some_and(|s| s.node.is_some())
                {
                    self.emit(Ev::Timeout { node, forced: true });
                    self.fire_election(node);
                } else {
                    self.note(format!("timeout {node}: node {node} is not running"));
                }
            }
            Action::Partition { groups } => {
                self.state.net.labels = Default::default();
                for (i, g) in groups.iter().enumerate() {
                    for &n in g {
                        self.state.net.set_label(n, i as u32 + 1);
                    }
                }
                self.cut_in_flight();
                // Named servers that do not exist yet are in their group too.
                let mut ids: BTreeSet<NodeId> = self.state.slots.keys().copied().collect();
                ids.extend(groups.iter().flatten().copied());
                let groups = self.state.net.groups(ids.into_iter());
                self.emit(Ev::Partition { groups });
            }
            Action::Isolate { node } => {
                let fresh = self.state.net.labels.iter().copied().max().unwrap_or(0) + 1;
                self.state.net.set_label(node, fresh);
                self.cut_in_flight();
                self.emit(Ev::Isolate { node });
            }
            Action::Cut { from, to } => {
                self.state.net.set_cut(from, to, true);
                self.cut_in_flight();
                self.emit(Ev::Cut { from, to });
            }
            Action::Restore { from, to } => {
                self.state.net.set_cut(from, to, false);
                self.emit(Ev::Restore { from, to });
            }
            Action::Heal => {
                self.state.net = Network::default();
                self.emit(Ev::Heal);
            }
            Action::Drop { id } => match self.state.in_flight.remove(&id) {
                Some(m) => self.emit(Ev::Drop {
                    id,
                    from: m.from,
                    to: m.to,
                    reason: "user".into(),
                    msg: m.msg,
                }),
                None => self.note(format!("drop {id}: no such message in flight")),
            },
            Action::Add { node } => {
                self.change(&[node], ConfChange::AddVoter(node), format!("add {node}"))
            }
            Action::AddLearner { node } => self.change(
                &[node],
                ConfChange::AddLearner(node),
                format!("add-learner {node}"),
            ),
            Action::Remove { node } => self.change(
                &[],
                ConfChange::RemoveServer(node),
                format!("remove {node}"),
            ),
            Action::Change { voters } => {
                let text = Action::Change {
                    voters: voters.clone(),
                }
                .to_string();
                self.change(
                    &voters.clone(),
                    ConfChange::BeginJoint {
                        voters: node_set(voters),
                    },
                    text,
                )
            }
            Action::UnsafeChange { voters } => {
                let text = Action::UnsafeChange {
                    voters: voters.clone(),
                }
                .to_string();
                if !self.state.settings.unsafe_switches.direct_change {
                    self.emit(Ev::Change {
                        node: 0,
                        change: text,
                        result: "rejected",
                        detail: Some("turn on `unsafe direct-change` first".into()),
                    });
                    return;
                }
                self.change(
                    &voters.clone(),
                    ConfChange::UnsafeDirect {
                        voters: node_set(voters),
                    },
                    text,
                )
            }
            Action::Transfer { to } => {
                let text = format!("transfer {to}");
                match self.state.leader() {
                    None => self.emit(Ev::Change {
                        node: 0,
                        change: text,
                        result: "unavailable",
                        detail: None,
                    }),
                    Some(l) => {
                        let mut result = Ok(());
                        self.with_node(l, |n| result = n.transfer_leadership(to));
                        let (result, detail) = match result {
                            Ok(()) => ("proposed", None),
                            Err(e) => ("rejected", Some(e.to_string())),
                        };
                        self.emit(Ev::Change {
                            node: l,
                            change: text,
                            result,
                            detail,
                        });
                    }
                }
            }
            Action::Compact { node } => {
                let Some(slot) = self.state.slots.get_mut(&node) else {
                    return self.note(format!("compact {node}: no such node"));
                };
                let image = kv_image(&slot.kv);
                let Some(n) = slot.node.as_mut() else {
                    return self.note(format!("compact {node}: node {node} is not running"));
                };
                let applied = n.last_applied();
                match n.compact(applied, image) {
                    Ok(()) => {
                        self.emit(Ev::Compact {
                            node,
                            index: applied,
                        });
                        self.after_input(node);
                    }
                    Err(e) => self.note(format!("compact {node}: {e}")),
                }
            }
            Action::Set(setting) => self.set(setting),
        }
    }

    fn note(&mut self, text: String) {
        self.emit(Ev::Note { text });
    }

    /// Messages in flight over links that are now blocked are lost at once.
    fn cut_in_flight(&mut self) {
        let blocked: Vec<(u64, &'static str)> = self
            .state
            .in_flight
            .iter()
            .filter_map(|(&id, m)| self.state.net.blocked(m.from, m.to).map(|r| (id, r)))
            .collect();
        for (id, reason) in blocked {
            if let Some(m) = self.state.in_flight.remove(&id) {
                self.emit(Ev::Drop {
                    id,
                    from: m.from,
                    to: m.to,
                    reason: reason.into(),
                    msg: m.msg,
                });
            }
        }
    }

    fn request(&mut self, to: Option<NodeId>, cmd: String) {
        let target = to.or_else(|| self.state.leader());
        let up = target.is_some_and(|t| self.state.slots.get(&t).is_some_and(|s| s.node.is_some()));
        let Some(target) = target.filter(|_| up) else {
            let reason = if to.is_some() {
                "the node is not running"
            } else {
                "there is no leader"
            };
            self.emit(Ev::Client {
                node: to.unwrap_or(0),
                cmd,
                result: "unavailable",
                leader: None,
                index: None,
                reason: Some(reason.into()),
            });
            return;
        };
        let mut result = Err(ProposeError::NotLeader { leader_hint: None });
        // Propose before handling Ready so the `request` line precedes the sends.
        if let Some(n) = self
            .state
            .slots
            .get_mut(&target)
            .and_then(|s| s.node.as_mut())
        {
            result = n.propose(cmd.clone());
        }
        match result {
            Ok((index, term)) => {
                self.emit(Ev::Request {
                    node: target,
                    cmd: cmd.clone(),
                    index,
                    term,
                });
                let req = self.state.next_req_id;
                self.state.next_req_id += 1;
                self.state.pending.insert(
                    req,
                    Pending {
                        node: target,
                        cmd,
                        index,
                        term,
                    },
                );
                let deadline = self.state.now_us.saturating_add(
                    self.state
                        .settings
                        .election_timeout_us_max
                        .saturating_mul(2),
                );
                self.state.push(deadline, Event::ClientDeadline { req });
            }
            Err(ProposeError::NotLeader { leader_hint }) => self.emit(Ev::Client {
                node: target,
                cmd,
                result: "redirect",
                leader: leader_hint,
                index: None,
                reason: None,
            }),
            Err(e) => self.emit(Ev::Client {
                node: target,
                cmd,
                result: "rejected",
                leader: None,
                index: None,
                reason: Some(e.to_string()),
            }),
        }
        self.after_input(target);
    }

    /// Creates a brand-new, empty server `id` if it never existed (added
    /// servers). Returns whether it did.
    fn ensure_node(&mut self, id: NodeId) -> bool {
        if id == 0 || id > NODE_ID_MAX || self.state.slots.contains_key(&id) {
            return false;
        }
        let node = Node::new(node_config(id, &self.state.settings), Membership::default());
        self.state.insert_slot(id, node);
        self.state.arm_election(id);
        self.after_input(id);
        true
    }

    /// Proposes a configuration change at the leader. `joining`: servers the
    /// change brings (back) into the configuration.
    fn change(&mut self, joining: &[NodeId], change: ConfChange, text: String) {
        let Some(leader) = self.state.leader() else {
            self.emit(Ev::Change {
                node: 0,
                change: text,
                result: "unavailable",
                detail: Some("there is no leader".into()),
            });
            return;
        };
        let mut result = Err(ProposeError::NotLeader { leader_hint: None });
        if let Some(n) = self
            .state
            .slots
            .get_mut(&leader)
            .and_then(|s| s.node.as_mut())
        {
            result = n.propose_conf_change(change);
        }
        let proposed = result.as_ref().ok().copied();
        let (result, detail) = match result {
            Ok((index, term)) => ("proposed", Some(format!("index {index} term {term}"))),
            Err(e) => ("rejected", Some(e.to_string())),
        };
        self.emit(Ev::Change {
            node: leader,
            change: text,
            result,
            detail,
        });
        if let Some((index, term)) = proposed {
            // The operator starts the servers the change brings in: a new one
            // empty, a removed one from its own disk. Never from a wiped one:
            // a server with a stale configuration that still lists it could
            // then win an election with the vote of its empty incarnation
            // (Leader Completeness breaks). Until the entry's fate is known
            // the server is `joining`; if the change is lost, it is shut
            // down again (`settle_joining`).
            for &id in joining {
                let started = if !self.state.slots.contains_key(&id) {
                    self.ensure_node(id)
                } else if let Some(slot) = self.state.slots.get_mut(&id).filter(|s| s.removed) {
                    slot.removed = false;
                    self.restart(id);
                    true
                } else {
                    false
                };
                // A server still joining for an earlier change (not yet in the
                // committed configuration) now also waits on this one: the
                // earlier change may be lost while this one commits (swarm
                // seed 1001966).
                let joining_already = self.state.joining.iter().any(|j| j.node == id);
                if started || joining_already {
                    self.state.joining.push(Joining {
                        node: id,
                        index,
                        term,
                    });
                }
            }
        }
        self.after_input(leader);
    }

    fn crash(&mut self, id: NodeId) {
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return self.note(format!("crash {id}: no such node"));
        };
        if slot.removed {
            return self.note(format!(
                "crash {id}: node {id} was removed from the cluster"
            ));
        }
        if slot.node.is_none() {
            return self.note(format!("crash {id}: node {id} is already down"));
        }
        slot.stop();
        self.state.checker.on_crash(id);
        self.emit(Ev::Crash { node: id });
        self.drop_in_flight_to(id, "crash");
    }

    fn restart(&mut self, id: NodeId) {
        let config = node_config(id, &self.state.settings);
        let Some(slot) = self.state.slots.get_mut(&id) else {
            return self.note(format!("restart {id}: no such node"));
        };
        if slot.removed {
            return self.note(format!(
                "restart {id}: node {id} was removed from the cluster; `add {id}` brings it back as a new, empty server"
            ));
        }
        let Some(persisted) = slot.persisted.take() else {
            return self.note(format!("restart {id}: node {id} is already running"));
        };
        slot.kv = persisted
            .log
            .snapshot()
            .map(|s| kv_from_image(&s.data))
            .unwrap_or_default();
        slot.node = Some(Node::restart(config, persisted));
        self.emit(Ev::Restart { node: id });
        self.state.arm_election(id);
        self.after_input(id);
    }

    fn set(&mut self, setting: Setting) {
        self.state.settings.apply(&setting);
        self.emit(Ev::Setting {
            setting: setting.to_string(),
        });
        let protocol = matches!(
            setting,
            Setting::PreVote(_)
                | Setting::CheckQuorum(_)
                | Setting::StickyLeader(_)
                | Setting::Noop(_)
                | Setting::Backoff(_)
                | Setting::Unsafe(..)
        );
        if protocol {
            let ids: Vec<NodeId> = self.state.slots.keys().copied().collect();
            for id in ids {
                let config = node_config(id, &self.state.settings);
                self.with_node(id, |n| n.set_config(config));
            }
        }
        if matches!(setting, Setting::SnapshotEvery(_)) {
            let ids: Vec<NodeId> = self.state.slots.keys().copied().collect();
            for id in ids {
                self.maybe_compact(id);
            }
        }
    }

    /// The trace's last line: `{"ev":"final","nodes":[...]}` with every
    /// node's state (`node, up, role, term, voted_for, commit, log`).
    pub fn final_line(&self) -> String {
        let nodes: Vec<serde_json::Value> = self
            .view()
            .nodes
            .into_iter()
            .map(|n| {
                let log: Vec<serde_json::Value> = n
                    .log
                    .iter()
                    .map(|e| serde_json::json!({"index": e.index, "term": e.term, "kind": e.kind, "cmd": e.cmd}))
                    .collect();
                serde_json::json!({
                    "node": n.id, "up": n.up, "removed": n.removed, "role": n.role, "term": n.term, "voted_for": n.voted_for,
                    "commit": n.commit_index, "snapshot_index": n.snapshot_index, "kv": n.kv, "log": log,
                })
            })
            .collect();
        serde_json::json!({"ev": "final", "t": self.state.now_us, "nodes": nodes}).to_string()
    }

    // ------------------------------------------------------------------
    // View

    /// A read-only snapshot of everything the canvas draws.
    pub fn view(&self) -> View {
        let st = &self.state;
        let nodes = st
            .slots
            .iter()
            .filter_map(|(&id, slot)| {
                // Invariant: a slot holds the node (up) or its persisted state (down).
                let (log, membership, term, voted_for) = match (&slot.node, &slot.persisted) {
                    (Some(n), _) => (n.log(), n.membership().clone(), n.term(), n.voted_for()),
                    (None, Some(p)) => (
                        &p.log,
                        slot.membership_at_crash.clone(),
                        p.current_term,
                        p.voted_for,
                    ),
                    (None, None) => return None,
                };
                let entries = log
                    .entries()
                    .map(|e| {
                        let (kind, cmd) = payload_text(&e.payload);
                        EntryView {
                            index: e.index,
                            term: e.term,
                            kind,
                            cmd,
                        }
                    })
                    .collect();
                let membership_role = if membership.voters.contains(&id) {
                    "voter"
                } else if membership.outgoing.contains(&id) {
                    "outgoing"
                } else if membership.learners.contains(&id) {
                    "learner"
                } else {
                    "none"
                };
                let n = slot.node.as_ref();
                Some(NodeView {
                    id,
                    up: n.is_some(),
                    removed: slot.removed,
                    role: n.map(|n| n.role()),
                    term,
                    voted_for,
                    votes_received: n.map(|n| n.votes_received()).unwrap_or_default(),
                    leader_hint: n.and_then(|n| n.leader_hint()),
                    commit_index: n.map_or(0, |n| n.commit_index()),
                    last_applied: n.map_or(0, |n| n.last_applied()),
                    log: entries,
                    snapshot_index: log.snapshot().map_or(0, |s| s.last_index),
                    snapshot_term: log.snapshot().map_or(0, |s| s.last_term),
                    membership_role,
                    voters: membership.voters.iter().copied().collect(),
                    outgoing: membership.outgoing.iter().copied().collect(),
                    learners: membership.learners.iter().copied().collect(),
                    election_start_us: slot.election_start_us,
                    election_deadline_us: slot.election_deadline_us,
                    kv: slot.kv.clone(),
                    progress: n
                        .map(|n| n.progress())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|p| ProgressView {
                            id: p.id,
                            next_index: p.next_index,
                            match_index: p.match_index,
                        })
                        .collect(),
                })
            })
            .collect();
        let messages = st
            .in_flight
            .iter()
            .map(|(&id, m)| MessageView {
                id,
                from: m.from,
                to: m.to,
                sent_us: m.sent_us,
                deliver_us: m.deliver_us,
                msg: m.msg.clone(),
            })
            .collect();
        let groups = if !st.net.partitioned() {
            Vec::new()
        } else {
            st.net.groups(st.slots.keys().copied())
        };
        View {
            now_us: st.now_us,
            settings: st.settings.clone(),
            nodes,
            messages,
            network: NetworkView {
                groups,
                cuts: st.net.cut_links(),
            },
            violations: self.violations(),
            leader: st.leader(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemKind {
    Action,
    Event,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A snapshot installs exactly the store it was taken from, whatever
        /// the values hold (`=`, `:`, digits, new lines, non-ASCII).
        #[test]
        fn snapshot_image_round_trips(kv in proptest::collection::btree_map("[a-z0-9_.-]{1,8}", "\\PC{0,12}|[=:0-9\n]{0,6}", 0..8)) {
            prop_assert_eq!(kv_from_image(&kv_image(&kv)), kv);
        }
    }

    #[test]
    fn snapshot_image_reads_what_survives_damage() {
        let kv = BTreeMap::from([("a".to_string(), "1".to_string())]);
        assert_eq!(kv_from_image("a=1:1b=9:x"), kv);
        assert_eq!(kv_from_image(""), BTreeMap::new());
    }
}
