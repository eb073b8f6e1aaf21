//! The run's state ([`State`], cloned whole for checkpoints), one [`Slot`]
//! per server, and the servers' timers.

use std::collections::BinaryHeap;

use raft::{
    Backoff, Config, Entry, LogIndex, Membership, Node, NodeId, Payload, Role, Term, VecMap,
};

use super::client::Pending;
use super::network::{InFlight, Network};
use super::operator::Joining;
use super::queue::{Event, Queued};
use super::SimError;
use crate::checker::Checker;
use crate::rng::Stream;
use crate::scenario::{BackoffMode, Settings};

/// One server slot: the node while up, what it persisted while down.
#[derive(Clone, Debug)]
pub(super) struct Slot {
    /// `Some` while up.
    pub(super) node: Option<Node>,
    /// What survives a crash; `Some` while down.
    pub(super) persisted: Option<raft::Persistent>,
    /// The state machine (volatile: rebuilt from the snapshot on restart).
    pub(super) kv: crate::Kv,
    pub(super) timer_rng: Stream,
    pub(super) election_gen: u64,
    pub(super) election_start_us: u64,
    pub(super) election_deadline_us: u64,
    pub(super) heartbeat_gen: u64,
    pub(super) heartbeat_on: bool,
    /// Last (role, term) written to the trace, to emit `role` on every change.
    pub(super) traced_role: (Role, Term),
    /// The node's configuration when it crashed (for the view while down).
    pub(super) membership_at_crash: Membership,
    /// Shut down for good by the operator after a committed configuration
    /// excluded it (thesis §4.2.3). Invariant: `removed` implies `node` is `None`.
    pub(super) removed: bool,
}

impl Slot {
    /// Stops the server, by a crash or by the operator shutting down a
    /// removed server: exactly what it persisted survives; its volatile
    /// state, state machine and pending timers are gone.
    pub(super) fn stop(&mut self) {
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

/// Everything that changes during a run: cloned whole for checkpoints.
#[derive(Clone, Debug)]
pub(super) struct State {
    pub(super) now_us: u64,
    pub(super) seq: u64,
    pub(super) queue: BinaryHeap<Queued>,
    /// Index into the timeline of the next action to run.
    pub(super) next_action: usize,
    pub(super) settings: Settings,
    pub(super) slots: VecMap<NodeId, Slot>,
    pub(super) net: Network,
    pub(super) net_rng: Stream,
    pub(super) in_flight: VecMap<u64, InFlight>,
    pub(super) next_msg_id: u64,
    pub(super) pending: VecMap<u64, Pending>,
    pub(super) next_req_id: u64,
    pub(super) checker: Checker,
    /// The latest configuration a leader has committed (the operator's view of
    /// the cluster). Servers in it but not in the next committed one are shut down.
    pub(super) committed_config: Membership,
    /// Index of the entry holding `committed_config` (0: the bootstrap one).
    /// Configurations at or below it are old news: a leader that restarted
    /// applies its log again from its snapshot, old configurations included.
    pub(super) committed_config_index: LogIndex,
    /// Servers started for a proposed change that has not been settled.
    pub(super) joining: Vec<Joining>,
    /// How many trace events this history has produced (the trace vector may
    /// hold more: the already-known future after a backward seek).
    pub(super) trace_len: usize,
    /// Events emitted, including message events not recorded (for `step`).
    pub(super) emitted: u64,
}

/// The Raft configuration of node `id` under these settings.
pub(super) fn node_config(id: NodeId, s: &Settings) -> Config {
    let mut c = Config::new(id);
    c.pre_vote = s.pre_vote;
    c.check_quorum = s.check_quorum;
    c.sticky_leader = s.sticky_leader;
    c.noop_on_elect = s.noop;
    c.backoff = match s.backoff {
        BackoffMode::Decrement => Backoff::Decrement,
        BackoffMode::Hint => Backoff::ConflictHint,
    };
    c.unsafe_switches = s.unsafe_switches;
    c
}

impl State {
    /// The cluster at time 0 (settings already checked).
    pub(super) fn new(settings: &Settings) -> Result<State, SimError> {
        let mut st = State {
            now_us: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            next_action: 0,
            settings: settings.clone(),
            slots: VecMap::new(),
            net: Network::default(),
            net_rng: Stream::network(settings.seed),
            in_flight: VecMap::new(),
            next_msg_id: 1,
            pending: VecMap::new(),
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
                            cmd: e.command(index).into(),
                        },
                    });
                    let log = raft::Log::from_entries(bootstrap.clone(), entries)
                        .ok_or(SimError::StagedLogInvalid { node: id })?;
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

    /// A slot for a server that starts now, with its own timer stream.
    pub(super) fn insert_slot(&mut self, id: NodeId, node: Node) {
        let slot = Slot {
            node: Some(node),
            persisted: None,
            kv: crate::Kv::new(),
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

    /// Queues `event` at `time_us`, after everything already queued for then.
    pub(super) fn push(&mut self, time_us: u64, event: Event) {
        self.seq += 1;
        self.queue.push(Queued {
            time_us,
            seq: self.seq,
            event,
        });
    }

    /// (Re)arms node `id`'s election timer with a fresh random timeout, and
    /// its lease timer. Earlier timers of the node become stale.
    pub(super) fn arm_election(&mut self, id: NodeId) {
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
    pub(super) fn leader(&self) -> Option<NodeId> {
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

    /// Whether server `id` exists and is running.
    pub(super) fn is_up(&self, id: NodeId) -> bool {
        self.slots.get(&id).is_some_and(|s| s.node.is_some())
    }
}
