//! A tiny deterministic in-test network for Raft nodes: a FIFO queue of
//! messages, crash/restart from what each node persisted, partitions, and
//! checkers for the Figure 3 properties. No randomness here; tests that want
//! random schedules use the fixed-seed [`XorShift`] below.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use raft::{
    Config, Entry, Event, LogIndex, Membership, Message, Node, NodeId, Payload, Persistent, Role,
    Term,
};

/// xorshift64*: a fixed-seed PRNG for test schedules only.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform-ish in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability num/den.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
}

/// A message in flight.
#[derive(Clone, Debug)]
pub struct InFlight {
    pub from: NodeId,
    pub to: NodeId,
    pub msg: Message,
}

/// Up to 9 nodes on a lossless FIFO network (unless told otherwise).
pub struct Cluster {
    pub nodes: BTreeMap<NodeId, Node>,
    pub configs: BTreeMap<NodeId, Config>,
    /// What each node last asked us to persist (restart uses it).
    pub disk: BTreeMap<NodeId, Persistent>,
    pub queue: VecDeque<InFlight>,
    pub down: BTreeSet<NodeId>,
    /// Cut links, stored in both directions.
    pub cut: BTreeSet<(NodeId, NodeId)>,
    /// Entries each node applied, in order (a snapshot install records the snapshot boundary).
    pub applied: BTreeMap<NodeId, Vec<Entry>>,
    /// Index -> (term, payload) of the first application anywhere (State Machine Safety).
    pub applied_at: BTreeMap<LogIndex, Entry>,
    /// term -> leaders that won it (Election Safety).
    pub leaders: BTreeMap<Term, BTreeSet<NodeId>>,
    /// Every event, tagged with its node.
    pub events: Vec<(NodeId, Event)>,
    /// Safety violations seen (State Machine Safety / Election Safety / apply order).
    pub violations: Vec<String>,
    /// Messages delivered, for counting round trips.
    pub delivered: Vec<InFlight>,
}

pub fn cfg(id: NodeId) -> Config {
    Config::new(id)
}

pub fn cmd(s: &str) -> Payload {
    Payload::Command { cmd: s.into() }
}

pub fn entry(term: Term, index: LogIndex) -> Entry {
    Entry {
        term,
        index,
        payload: cmd(&format!("t{term}i{index}")),
    }
}

/// Entries with the given terms at indexes 1, 2, ...
pub fn entries_with_terms(terms: &[Term]) -> Vec<Entry> {
    terms
        .iter()
        .enumerate()
        .map(|(i, &t)| entry(t, i as LogIndex + 1))
        .collect()
}

pub fn terms_of(node: &Node) -> Vec<Term> {
    node.log().entries().map(|e| e.term).collect()
}

impl Cluster {
    /// `n` voters 1..=n, each configured by `configure`.
    pub fn new(n: NodeId, configure: impl Fn(Config) -> Config) -> Self {
        let ids: Vec<NodeId> = (1..=n).collect();
        let membership = Membership::new(ids.iter().copied());
        let mut c = Cluster::empty();
        for &id in &ids {
            c.add_node(configure(cfg(id)), membership.clone());
        }
        c
    }

    pub fn empty() -> Self {
        Cluster {
            nodes: BTreeMap::new(),
            configs: BTreeMap::new(),
            disk: BTreeMap::new(),
            queue: VecDeque::new(),
            down: BTreeSet::new(),
            cut: BTreeSet::new(),
            applied: BTreeMap::new(),
            applied_at: BTreeMap::new(),
            leaders: BTreeMap::new(),
            events: Vec::new(),
            violations: Vec::new(),
            delivered: Vec::new(),
        }
    }

    /// Add a brand-new server with bootstrap `membership`.
    pub fn add_node(&mut self, config: Config, membership: Membership) {
        let id = config.id;
        let node = Node::new(config.clone(), membership);
        self.configs.insert(id, config);
        self.disk.insert(id, node.persistent().clone());
        self.nodes.insert(id, node);
        self.applied.insert(id, Vec::new());
        self.drain(id);
    }

    /// Add a server that restarts from a crafted persistent state (Figures 7 and 8).
    pub fn add_restarted(&mut self, config: Config, persistent: Persistent) {
        let id = config.id;
        self.configs.insert(id, config.clone());
        self.disk.insert(id, persistent.clone());
        self.nodes.insert(id, Node::restart(config, persistent));
        self.applied.insert(id, Vec::new());
        self.drain(id);
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[&id]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        self.nodes.get_mut(&id).expect("node exists")
    }

    /// Take the node's Ready: persist, install, apply, enqueue messages, record events.
    pub fn drain(&mut self, id: NodeId) {
        let Some(node) = self.nodes.get_mut(&id) else {
            return;
        };
        let ready = node.ready();
        if ready.persist {
            self.disk.insert(id, node.persistent().clone());
        }
        let term = node.term();
        if let Some(s) = &ready.install_snapshot {
            let applied = self.applied.entry(id).or_default();
            applied.retain(|e| e.index <= s.last_index);
            applied.push(Entry {
                term: s.last_term,
                index: s.last_index,
                payload: cmd("<snapshot>"),
            });
        }
        for e in &ready.apply {
            let applied = self.applied.entry(id).or_default();
            if let Some(prev) = applied.last() {
                if prev.index + 1 != e.index {
                    self.violations.push(format!(
                        "node {id} applied {} after {}",
                        e.index, prev.index
                    ));
                }
            }
            applied.push(e.clone());
            match self.applied_at.get(&e.index) {
                Some(first) if first != e => self.violations.push(format!(
                    "State Machine Safety: node {id} applied {:?} at index {} where {:?} was applied",
                    e, e.index, first
                )),
                Some(_) => {}
                None => {
                    self.applied_at.insert(e.index, e.clone());
                }
            }
        }
        for ev in ready.events {
            if let Event::BecameLeader { term: t, .. } = &ev {
                let set = self.leaders.entry(*t).or_default();
                set.insert(id);
                if set.len() > 1 {
                    self.violations
                        .push(format!("Election Safety: leaders {set:?} in term {t}"));
                }
            }
            self.events.push((id, ev));
        }
        let _ = term;
        for (to, msg) in ready.messages {
            self.queue.push_back(InFlight { from: id, to, msg });
        }
    }

    pub fn drain_all(&mut self) {
        let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
        for id in ids {
            self.drain(id);
        }
    }

    fn link_ok(&self, from: NodeId, to: NodeId) -> bool {
        !self.down.contains(&to) && !self.down.contains(&from) && !self.cut.contains(&(from, to))
    }

    /// Deliver one message (dropped if the link is cut or an end is down).
    pub fn deliver(&mut self, m: InFlight) {
        if !self.link_ok(m.from, m.to) || !self.nodes.contains_key(&m.to) {
            return;
        }
        self.delivered.push(m.clone());
        self.node_mut(m.to).handle_message(m.from, m.msg);
        self.drain(m.to);
    }

    /// Deliver the first queued message; false if the queue is empty.
    pub fn step(&mut self) -> bool {
        match self.queue.pop_front() {
            Some(m) => {
                self.deliver(m);
                true
            }
            None => false,
        }
    }

    /// Deliver until the queue is empty (bounded, to catch message storms).
    pub fn stabilize(&mut self) {
        for _ in 0..100_000 {
            if !self.step() {
                return;
            }
        }
        panic!("network did not quiesce");
    }

    /// Deliver (in FIFO order) only the queued messages matching `pred`, once.
    pub fn deliver_matching(&mut self, pred: impl Fn(&InFlight) -> bool) {
        let (take, keep): (Vec<InFlight>, Vec<InFlight>) =
            self.queue.drain(..).partition(|m| pred(m));
        self.queue = keep.into();
        for m in take {
            self.deliver(m);
        }
    }

    /// Drop queued messages matching `pred`.
    pub fn drop_matching(&mut self, pred: impl Fn(&InFlight) -> bool) {
        self.queue.retain(|m| !pred(m));
    }

    pub fn timeout(&mut self, id: NodeId) {
        if self.down.contains(&id) {
            return;
        }
        self.node_mut(id).handle_election_timeout();
        self.drain(id);
    }

    pub fn heartbeat(&mut self, id: NodeId) {
        if self.down.contains(&id) {
            return;
        }
        self.node_mut(id).handle_heartbeat_timeout();
        self.drain(id);
    }

    /// A minimum election timeout passes without heartbeats: every running
    /// node's leader lease ends (paper §6, thesis §4.2.3), so it considers
    /// RequestVote again.
    pub fn expire_leases(&mut self) {
        let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
        for id in ids {
            if !self.down.contains(&id) {
                self.node_mut(id).handle_lease_timeout();
                self.drain(id);
            }
        }
    }

    /// Time passes (leases end, see `expire_leases`), then `id`'s election
    /// timer fires first; deliver everything.
    pub fn elect(&mut self, id: NodeId) {
        self.expire_leases();
        self.timeout(id);
        self.stabilize();
    }

    pub fn propose(&mut self, id: NodeId, c: &str) -> Result<(LogIndex, Term), raft::ProposeError> {
        let r = self.node_mut(id).propose(c.to_string());
        self.drain(id);
        r
    }

    pub fn leader(&self) -> Option<NodeId> {
        let mut best: Option<(Term, NodeId)> = None;
        for (&id, n) in &self.nodes {
            if !self.down.contains(&id)
                && n.role() == Role::Leader
                && best.is_none_or(|(t, _)| n.term() > t)
            {
                best = Some((n.term(), id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// Crash: the node loses its volatile state; messages in flight to it are lost.
    pub fn crash(&mut self, id: NodeId) {
        self.down.insert(id);
        self.queue.retain(|m| m.to != id && m.from != id);
    }

    /// Restart from what the node last persisted.
    pub fn restart(&mut self, id: NodeId) {
        self.down.remove(&id);
        let node = Node::restart(self.configs[&id].clone(), self.disk[&id].clone());
        self.nodes.insert(id, node);
        // The state machine restarts empty (or from the snapshot, via install_snapshot).
        self.applied.insert(id, Vec::new());
        self.drain(id);
    }

    /// Cut every link between `a` and `b` groups.
    pub fn partition(&mut self, a: &[NodeId], b: &[NodeId]) {
        for &x in a {
            for &y in b {
                self.cut.insert((x, y));
                self.cut.insert((y, x));
            }
        }
    }

    pub fn isolate(&mut self, id: NodeId) {
        let others: Vec<NodeId> = self.nodes.keys().copied().filter(|&o| o != id).collect();
        self.partition(&[id], &others);
    }

    pub fn heal(&mut self) {
        self.cut.clear();
    }

    /// Log Matching check over all pairs: if two logs hold an entry with the
    /// same index and term, they are identical up to that index.
    pub fn check_log_matching(&self) -> Result<(), String> {
        let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                let (la, lb) = (self.node(a).log(), self.node(b).log());
                let last = la.last_index().min(lb.last_index());
                let mut agreed = false;
                for idx in (1..=last).rev() {
                    match (la.entry(idx), lb.entry(idx)) {
                        (Some(x), Some(y)) => {
                            if agreed && x != y {
                                return Err(format!(
                                    "Log Matching: nodes {a},{b} differ at {idx} below a match"
                                ));
                            }
                            if x.term == y.term {
                                if x != y {
                                    return Err(format!(
                                        "Log Matching: same index/term {idx}, different entries"
                                    ));
                                }
                                agreed = true;
                            }
                        }
                        _ => break, // compacted: committed, not compared
                    }
                }
            }
        }
        Ok(())
    }

    pub fn events_of(&self, id: NodeId) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|(n, _)| *n == id)
            .map(|(_, e)| e)
            .collect()
    }

    pub fn count_delivered(&self, pred: impl Fn(&InFlight) -> bool) -> usize {
        self.delivered.iter().filter(|m| pred(m)).count()
    }
}

pub fn persistent(
    term: Term,
    voted_for: Option<NodeId>,
    voters: &[NodeId],
    terms: &[Term],
) -> Persistent {
    let log = raft::Log::from_entries(
        Membership::new(voters.iter().copied()),
        entries_with_terms(terms),
    )
    .expect("valid log");
    Persistent {
        current_term: term,
        voted_for,
        log,
    }
}

/// One random action of a chaotic schedule (used by the Figure 3 tests and
/// the cluster property test): deliver / drop / duplicate a random queued
/// message (so delivery order is random), fire timers, propose, crash,
/// restart, change membership, transfer, compact.
pub fn random_action(c: &mut Cluster, rng: &mut XorShift, n: NodeId) {
    let pick = |rng: &mut XorShift| (rng.below(n as u64) + 1) as NodeId;
    match rng.below(100) {
        0..=69 => {
            if !c.queue.is_empty() {
                let i = rng.below(c.queue.len() as u64) as usize;
                if let Some(m) = c.queue.remove(i) {
                    c.deliver(m);
                }
            }
        }
        70..=71 => {
            if !c.queue.is_empty() {
                let i = rng.below(c.queue.len() as u64) as usize;
                c.queue.remove(i); // loss
            }
        }
        72..=73 => {
            if !c.queue.is_empty() {
                let i = rng.below(c.queue.len() as u64) as usize;
                let m = c.queue[i].clone();
                c.queue.push_back(m); // duplication
            }
        }
        74..=75 => c.timeout(pick(rng)),
        76..=80 => {
            if let Some(l) = c.leader() {
                c.heartbeat(l);
            }
        }
        81..=88 => {
            if let Some(l) = c.leader() {
                let _ = c.propose(l, &format!("r{}", rng.below(1000)));
            }
        }
        89..=90 => {
            let id = pick(rng);
            if c.down.len() + 1 < n as usize / 2 + 1 || c.down.contains(&id) {
                if c.down.contains(&id) {
                    c.restart(id);
                } else {
                    c.crash(id);
                }
            }
        }
        91..=92 => {
            if let Some(l) = c.leader() {
                let id = pick(rng);
                let change = match rng.below(3) {
                    0 => raft::ConfChange::RemoveServer(id),
                    1 => raft::ConfChange::AddVoter(id),
                    _ => raft::ConfChange::AddLearner(id),
                };
                let _ = c.node_mut(l).propose_conf_change(change);
                c.drain(l);
            }
        }
        93 => {
            if let Some(l) = c.leader() {
                let voters: BTreeSet<NodeId> = (1..=n).filter(|_| rng.chance(2, 3)).collect();
                let _ = c
                    .node_mut(l)
                    .propose_conf_change(raft::ConfChange::BeginJoint { voters });
                c.drain(l);
            }
        }
        94 => {
            if let Some(l) = c.leader() {
                let _ = c.node_mut(l).transfer_leadership(pick(rng));
                c.drain(l);
            }
        }
        95..=96 => {
            let id = pick(rng);
            if !c.down.contains(&id) {
                let up_to = c.node(id).last_applied();
                let _ = c.node_mut(id).compact(up_to, format!("img{up_to}"));
                c.drain(id);
            }
        }
        97 => c.isolate(pick(rng)),
        _ => c.heal(),
    }
}
