//! The discrete-event loop: advancing virtual time, popping the next timeline
//! action or queued event, firing timers, and writing the trace.

use raft::{NodeId, Role};

use super::queue::{Event, ItemKind};
use super::Sim;
use crate::trace::{Ev, TraceEvent};

impl Sim {
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

    fn next_action_time(&self) -> Option<u64> {
        self.scenario
            .timeline
            .get(self.state.next_action)
            .map(|t| t.at_us)
    }

    /// What comes next. An action runs at the end of its instant: before an
    /// event only if the event is later.
    fn next_item(&self) -> Option<ItemKind> {
        let ev = self.state.queue.peek().map(|q| q.time_us);
        match (self.next_action_time(), ev) {
            (Some(a), Some(e)) if a < e => Some(ItemKind::Action),
            (Some(_), None) => Some(ItemKind::Action),
            (_, Some(_)) => Some(ItemKind::Event),
            (None, None) => None,
        }
    }

    pub(super) fn next_item_time(&self) -> Option<u64> {
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

    /// Records `ev` at now (unless the options leave its kind out of the
    /// trace; it still counts as a happening for [`Sim::step`]).
    pub(super) fn emit(&mut self, ev: Ev) {
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
        if let Some(known) = self.trace_at(n) {
            // Re-simulating known history: the event is already there.
            debug_assert_eq!(known.t, t);
        } else {
            debug_assert_eq!(
                n,
                self.trace_base + self.trace.len(),
                "the window reaches now"
            );
            self.trace.push(TraceEvent { t, ev });
            self.trace_known_us = self.trace_known_us.max(t);
            self.slide_trace_window();
        }
        self.state.trace_len += 1;
    }

    /// A `note` for the scenario's author (an action that could not be taken).
    pub(super) fn note(&mut self, text: String) {
        self.emit(Ev::Note { text });
    }

    /// Handles one queued event. Returns false if it was stale.
    fn run_event(&mut self, event: Event) -> bool {
        match event {
            Event::Deliver { id } => self.deliver(id),
            Event::Election { node, gen } => self.election_timer(node, gen),
            Event::Heartbeat { node, gen } => self.heartbeat_timer(node, gen),
            Event::Lease { node, gen } => self.lease_timer(node, gen),
            Event::ClientDeadline { req } => self.client_deadline(req),
        }
    }

    /// Whether `gen` is node `node`'s current election generation and it is up.
    fn election_current(&self, node: NodeId, gen: u64) -> bool {
        self.state
            .slots
            .get(&node)
            .is_some_and(|s| s.node.is_some() && s.election_gen == gen)
    }

    fn election_timer(&mut self, node: NodeId, gen: u64) -> bool {
        if !self.election_current(node, gen) {
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

    fn heartbeat_timer(&mut self, node: NodeId, gen: u64) -> bool {
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

    fn lease_timer(&mut self, node: NodeId, gen: u64) -> bool {
        let current = self.election_current(node, gen);
        if current {
            self.with_node(node, |n| n.handle_lease_timeout());
        }
        current
    }

    /// The election timer fired (or was forced): the node handles it, and the
    /// timer is re-armed even if the node did not ask (timers are periodic).
    pub(super) fn fire_election(&mut self, id: NodeId) {
        let gen_before = self.state.slots.get(&id).map_or(0, |s| s.election_gen);
        self.with_node(id, |n| n.handle_election_timeout());
        if self.election_current(id, gen_before) {
            self.state.arm_election(id);
        }
    }
}
