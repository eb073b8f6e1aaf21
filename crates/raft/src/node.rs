//! The Raft server: Figure 2's "State" box and "Rules for Servers", and the
//! sans-IO surface (inputs in, [`Ready`] out). The role verbs are in `role`.
//!
//! State is split as in Figure 2: [`Persistent`] (currentTerm, votedFor, log)
//! survives a crash; `Volatile` (commitIndex, lastApplied, nextIndex,
//! matchIndex, votes) is rebuilt by [`Node::restart`].
//!
//! Every message goes through [`Node::handle_message`], which applies the
//! "All Servers" rule first ("If RPC request or response contains term T >
//! currentTerm: set currentTerm = T, convert to follower", §5.1), rejects
//! stale terms, then dispatches by message type and role to
//! `election` (§5.2, §5.4.1, thesis §9.6), `replication` (§5.3, §5.4.2),
//! `snapshot` (thesis ch. 5) and `transfer` (thesis §3.10).

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::ProposeError;
use crate::event::Event;
use crate::log::Log;
use crate::membership::Membership;
use crate::message::{Entry, Message, Payload, Snapshot};
use crate::reason::RejectReason;
use crate::role::Role;
use crate::vec_map::VecMap;
use crate::{LogIndex, NodeId, Term};

/// Figure 2 "Persistent state on all servers": what the caller must store
/// before sending the messages of the same [`Ready`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persistent {
    /// Latest term the server has seen (0 on first boot, increases monotonically).
    pub current_term: Term,
    /// Candidate that received this server's vote in the current term.
    pub voted_for: Option<NodeId>,
    /// The log (with its snapshot prefix and bootstrap configuration).
    pub log: Log,
}

/// Figure 2 "Volatile state on leaders", for one follower.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The follower.
    pub id: NodeId,
    /// Index of the next log entry to send to that server.
    pub next_index: LogIndex,
    /// Index of the highest log entry known to be replicated on that server.
    pub match_index: LogIndex,
    /// Flow control: the last index carried by the request with entries (or
    /// the snapshot) sent to that server and not yet answered. While it is
    /// `Some`, new entries wait: they go with the next request, sent when
    /// the reply covering this index arrives, or with the next heartbeat
    /// (the retry if a request or reply was lost). So the leader keeps one
    /// replication chain per follower instead of re-sending everything after
    /// nextIndex on every proposal, reply and heartbeat.
    #[serde(default)]
    pub in_flight_to: Option<LogIndex>,
}

/// Everything a node produced since the last [`Node::ready`] call.
///
/// The caller handles the fields in this order: persist, install the
/// snapshot, apply, send the messages; and re-draws the election timer if asked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ready {
    /// `Node::persistent()` changed: save it before sending `messages`.
    pub persist: bool,
    /// Messages to send, `(to, message)`, in the order produced.
    pub messages: Vec<(NodeId, Message)>,
    /// Newly committed entries to apply, in index order.
    pub apply: Vec<Entry>,
    /// The node adopted a snapshot: replace the state machine with it (before `apply`).
    pub install_snapshot: Option<Snapshot>,
    /// Draw a fresh random election timeout.
    pub reset_election_timer: bool,
    /// What happened, for the view and the trace.
    pub events: Vec<Event>,
}

impl Ready {
    /// True if there is nothing to do.
    pub fn is_empty(&self) -> bool {
        *self == Ready::default()
    }
}

/// Figure 2 "Volatile state on all servers" and "on leaders", plus the
/// bookkeeping of the extensions. Dropped by a crash.
///
/// Invariants: `last_applied <= commit_index <= log.last_index()`;
/// `progress` is non-empty only for a leader; `votes` only for a
/// (pre-)candidate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Volatile {
    pub(crate) role: Role,
    /// The leader of the current term this node knows of; cleared when the
    /// election timer fires (so `Some` also means "heard from a leader
    /// recently", which Pre-Vote and the leader lease rely on).
    pub(crate) leader_hint: Option<NodeId>,
    /// Leader lease (thesis §4.2.3): this follower heard from the current
    /// leader within the minimum election timeout. Set by every
    /// AppendEntries or InstallSnapshot from the leader; cleared by
    /// [`Node::handle_lease_timeout`] (the caller's timer at the minimum
    /// election timeout) or, for callers without that timer, when the
    /// election timer fires. Pre-Vote and CheckQuorum rely on it.
    pub(crate) lease: bool,
    /// Highest log entry known to be committed.
    pub(crate) commit_index: LogIndex,
    /// Highest log entry handed to the caller for applying.
    pub(crate) last_applied: LogIndex,
    /// The configuration in effect: the latest in the log (cached).
    pub(crate) membership: Membership,
    /// Index of the entry carrying `membership` (0: bootstrap).
    pub(crate) membership_index: LogIndex,
    /// (Pre-)candidate: voters that granted, itself included.
    pub(crate) votes: BTreeSet<NodeId>,
    /// Leader: nextIndex / matchIndex of every other member.
    pub(crate) progress: VecMap<NodeId, Progress>,
    /// Leader with CheckQuorum: peers heard from since the last check.
    pub(crate) heard: BTreeSet<NodeId>,
    /// Leader: transfer in progress to this server.
    pub(crate) transfer_target: Option<NodeId>,
    /// Leader: TimeoutNow already sent to `transfer_target`.
    pub(crate) timeout_now_sent: bool,
}

/// One Raft server as a pure state machine.
///
/// Inputs: `handle_election_timeout`, `handle_heartbeat_timeout`,
/// `handle_message`, `propose`, `propose_conf_change`, `transfer_leadership`,
/// `compact`, `set_config`. Output: [`Node::ready`]. The node never reads a
/// clock, draws a random number or does I/O; the same inputs always give the
/// same outputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub(crate) config: Config,
    pub(crate) persistent: Persistent,
    pub(crate) vol: Volatile,
    pub(crate) out: Ready,
}

impl Node {
    /// A brand-new server: term 0, empty log, bootstrapped with `membership`
    /// (a server added later starts with `Membership::default()` and learns
    /// the configuration from the leader).
    pub fn new(config: Config, membership: Membership) -> Node {
        let persistent = Persistent {
            current_term: 0,
            voted_for: None,
            log: Log::new(membership),
        };
        let mut node = Node::restart(config, persistent);
        node.out = Ready {
            reset_election_timer: true,
            ..Ready::default()
        };
        node
    }

    /// A server restarting after a crash from what it persisted: volatile
    /// state is reset (follower, nothing committed beyond the snapshot). If
    /// the log has a snapshot, the first `ready()` carries it in
    /// `install_snapshot` so the caller rebuilds its state machine from it.
    /// Honours `UnsafeSwitches::forget_vote_on_restart`.
    pub fn restart(config: Config, mut persistent: Persistent) -> Node {
        if config.unsafe_switches.forget_vote_on_restart {
            // Teaching switch (c): votedFor was "not persisted".
            persistent.voted_for = None;
        }
        let snapshot_index = persistent.log.snapshot_index();
        let (membership_index, membership) = persistent.log.latest_config();
        let membership = membership.clone();
        let install_snapshot = persistent.log.snapshot().cloned();
        Node {
            config,
            vol: Volatile {
                role: Role::Follower,
                leader_hint: None,
                lease: false,
                commit_index: snapshot_index,
                last_applied: snapshot_index,
                membership,
                membership_index,
                votes: BTreeSet::new(),
                progress: VecMap::new(),
                heard: BTreeSet::new(),
                transfer_target: None,
                timeout_now_sent: false,
            },
            persistent,
            out: Ready {
                install_snapshot,
                reset_election_timer: true,
                ..Ready::default()
            },
        }
    }

    /// Change the switches at runtime. The id cannot change: a config with a
    /// different id keeps the node's own id (and emits `Event::Rejected`).
    pub fn set_config(&mut self, mut config: Config) {
        if config.id != self.config.id {
            self.reject(RejectReason::ConfigIdChanged {
                requested: config.id,
                kept: self.config.id,
            });
            config.id = self.config.id;
        }
        self.config = config;
    }

    /// Drain everything produced since the last call.
    #[must_use]
    pub fn ready(&mut self) -> Ready {
        self.debug_check();
        std::mem::take(&mut self.out)
    }

    /// Leader: append a client command to the log and start replicating it
    /// (§5.3). Returns its (index, term); the client is answered once that
    /// entry shows up in `Ready::apply`. Other roles redirect (§8).
    pub fn propose(&mut self, cmd: impl Into<Arc<str>>) -> Result<(LogIndex, Term), ProposeError> {
        if self.vol.role != Role::Leader {
            return Err(ProposeError::NotLeader {
                leader_hint: self.vol.leader_hint,
            });
        }
        if let Some(target) = self.vol.transfer_target {
            return Err(ProposeError::TransferInProgress { target });
        }
        let at = self.append_as_leader(Payload::Command { cmd: cmd.into() })?;
        self.broadcast_append();
        self.maybe_commit();
        Ok(at)
    }

    // ----- read-only view -----

    /// This server's id.
    pub fn id(&self) -> NodeId {
        self.config.id
    }
    /// Current role.
    pub fn role(&self) -> Role {
        self.vol.role
    }
    /// currentTerm.
    pub fn term(&self) -> Term {
        self.persistent.current_term
    }
    /// votedFor.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.persistent.voted_for
    }
    /// The leader this node knows of (itself if leader).
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.vol.leader_hint
    }
    /// commitIndex.
    pub fn commit_index(&self) -> LogIndex {
        self.vol.commit_index
    }
    /// lastApplied: entries up to here have been handed out in `Ready::apply`
    /// (or are covered by a snapshot).
    pub fn last_applied(&self) -> LogIndex {
        self.vol.last_applied
    }
    /// The log.
    pub fn log(&self) -> &Log {
        &self.persistent.log
    }
    /// The configuration in effect (the latest in the log).
    pub fn membership(&self) -> &Membership {
        &self.vol.membership
    }
    /// What must survive a crash.
    pub fn persistent(&self) -> &Persistent {
        &self.persistent
    }
    /// (Pre-)candidate: who granted its (pre-)vote, itself included, sorted.
    pub fn votes_received(&self) -> Vec<NodeId> {
        self.vol.votes.iter().copied().collect()
    }
    /// Leader: nextIndex and matchIndex per follower, sorted by id (empty otherwise).
    pub fn progress(&self) -> Vec<Progress> {
        self.vol.progress.values().cloned().collect()
    }
    /// The switches.
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// Leader: the server a leadership transfer is handing over to.
    pub fn transfer_target(&self) -> Option<NodeId> {
        self.vol.transfer_target
    }

    // ----- the message entry point -----

    /// A message from `from` arrived. Any message is handled or rejected;
    /// nothing panics.
    ///
    /// Figure 2, Rules for All Servers: "If RPC request or response contains
    /// term T > currentTerm: set currentTerm = T, convert to follower (§5.1)".
    /// Requests with a stale term are answered with the current term so the
    /// sender steps down; stale replies are dropped. A PreVote and a granted
    /// PreVoteReply carry a hypothetical term and never change the receiver's
    /// term; a refused PreVoteReply carries the voter's real term.
    pub fn handle_message(&mut self, from: NodeId, msg: Message) {
        if from == self.id() {
            self.reject(RejectReason::FromItself { kind: msg.kind() });
            return;
        }
        match msg {
            Message::PreVote {
                term,
                candidate,
                last_log_index,
                last_log_term,
            } => {
                self.handle_pre_vote(from, term, candidate, last_log_index, last_log_term);
                return;
            }
            Message::PreVoteReply { term, granted } => {
                self.handle_pre_vote_reply(from, term, granted);
                return;
            }
            _ => {}
        }
        let term = msg.term();
        if let Message::RequestVote {
            transfer: false, ..
        } = msg
        {
            if self.in_leader_lease() && term >= self.term() {
                // Paper §6, thesis §4.2.3: within the lease a server "does not
                // update its term or grant its vote".
                self.reject(RejectReason::RequestVoteInLease { from });
                return;
            }
        }
        if term > self.term() {
            let leader = match &msg {
                Message::AppendEntries { leader, .. }
                | Message::InstallSnapshot { leader, .. }
                | Message::TimeoutNow { leader, .. }
                    if *leader == from =>
                {
                    Some(from)
                }
                _ => None,
            };
            self.become_follower(term, leader);
        } else if term < self.term() {
            self.reject_stale(from, &msg);
            return;
        }
        debug_assert_eq!(term, self.term());
        match msg {
            Message::RequestVote {
                candidate,
                last_log_index,
                last_log_term,
                ..
            } => self.handle_request_vote(from, candidate, last_log_index, last_log_term),
            Message::RequestVoteReply { granted, .. } => {
                self.handle_request_vote_reply(from, granted)
            }
            Message::AppendEntries {
                leader,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ..
            } => self.handle_append_entries(
                from,
                leader,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            ),
            Message::AppendEntriesReply {
                success,
                match_index,
                conflict_term,
                conflict_index,
                ..
            } => self.handle_append_entries_reply(
                from,
                success,
                match_index,
                conflict_term,
                conflict_index,
            ),
            Message::InstallSnapshot {
                leader, snapshot, ..
            } => self.handle_install_snapshot(from, leader, snapshot),
            Message::InstallSnapshotReply { last_index, .. } => {
                self.handle_install_snapshot_reply(from, last_index)
            }
            Message::TimeoutNow { leader, .. } => self.handle_timeout_now(from, leader),
            Message::PreVote { .. } | Message::PreVoteReply { .. } => {}
        }
    }

    /// Figure 2: "Reply false if term < currentTerm" for requests; stale
    /// replies are dropped.
    fn reject_stale(&mut self, from: NodeId, msg: &Message) {
        let term = self.term();
        self.reject(RejectReason::StaleTerm {
            kind: msg.kind(),
            from,
            term: msg.term(),
            current_term: term,
        });
        let reply = match msg {
            Message::RequestVote { .. } => Some(Message::RequestVoteReply {
                term,
                granted: false,
            }),
            Message::AppendEntries { .. } => Some(Message::AppendEntriesReply {
                term,
                success: false,
                match_index: 0,
                conflict_term: None,
                conflict_index: 0,
            }),
            Message::InstallSnapshot { .. } => Some(Message::InstallSnapshotReply {
                term,
                last_index: 0,
            }),
            _ => None,
        };
        if let Some(reply) = reply {
            self.send(from, reply);
        }
    }

    /// Leader lease (paper §6, thesis §4.2.3; always with CheckQuorum, as in
    /// etcd): this node is the leader, or heard from one within the minimum
    /// election timeout, so it ignores RequestVote.
    pub(crate) fn in_leader_lease(&self) -> bool {
        (self.config.sticky_leader || self.config.check_quorum) && self.has_current_leader()
    }

    /// Is there a leader this node believes in: itself, or one it heard
    /// from within the minimum election timeout?
    pub(crate) fn has_current_leader(&self) -> bool {
        self.vol.role == Role::Leader || self.vol.lease
    }

    // ----- shared helpers -----

    /// The invariants written on `Volatile`; a no-op in release builds.
    fn debug_check(&self) {
        let v = &self.vol;
        debug_assert!(
            v.last_applied <= v.commit_index,
            "lastApplied <= commitIndex"
        );
        debug_assert!(
            v.commit_index <= self.log().last_index(),
            "commitIndex <= last log index"
        );
        debug_assert!(
            v.role == Role::Leader || v.progress.is_empty(),
            "only leaders track progress"
        );
        debug_assert!(
            matches!(v.role, Role::Candidate | Role::PreCandidate) || v.votes.is_empty(),
            "only (pre-)candidates count votes"
        );
        debug_assert!(
            v.progress.values().all(|p| p.next_index > p.match_index),
            "nextIndex > matchIndex"
        );
    }

    /// Voters other than this node (both halves during joint consensus).
    pub(crate) fn peers_voting(&self) -> Vec<NodeId> {
        self.vol
            .membership
            .all_voters()
            .into_iter()
            .filter(|&id| id != self.id())
            .collect()
    }

    /// Leader: make `progress` hold exactly the other members (voters,
    /// outgoing voters and learners). New members start at `last_index + 1`.
    pub(crate) fn sync_progress(&mut self) {
        let members = self.vol.membership.all_members();
        let next_index = self.log().last_index().saturating_add(1);
        let me = self.id();
        self.vol.progress.retain(|id, _| members.contains(id));
        for id in members.into_iter().filter(|&id| id != me) {
            self.vol.progress.get_or_insert_with(id, || Progress {
                id,
                next_index,
                match_index: 0,
                in_flight_to: None,
            });
        }
        if let Some(target) = self.vol.transfer_target {
            if !self.vol.progress.contains_key(&target) {
                self.vol.transfer_target = None;
                self.vol.timeout_now_sent = false;
            }
        }
    }

    /// Leader: append an entry of the current term to its own log (Leader
    /// Append-Only: a leader never overwrites or deletes its entries).
    pub(crate) fn append_as_leader(
        &mut self,
        payload: Payload,
    ) -> Result<(LogIndex, Term), ProposeError> {
        let index = self
            .log()
            .last_index()
            .checked_add(1)
            .ok_or(ProposeError::LogFull)?;
        let term = self.term();
        let is_config = matches!(payload, Payload::Config { .. });
        if !self.persistent.log.push(Entry {
            term,
            index,
            payload,
        }) {
            return Err(ProposeError::LogFull);
        }
        self.out.persist = true;
        if is_config {
            self.refresh_membership();
        }
        Ok((index, term))
    }

    /// Advance commitIndex to `index` (never backwards) and hand the newly
    /// committed entries out for applying, in order (Figure 2, All Servers:
    /// "If commitIndex > lastApplied: increment lastApplied, apply
    /// log[lastApplied] to state machine").
    pub(crate) fn advance_commit(&mut self, index: LogIndex) {
        let index = index.min(self.log().last_index());
        if index <= self.vol.commit_index {
            return;
        }
        self.vol.commit_index = index;
        self.emit(Event::Committed { index });
        while self.vol.last_applied < self.vol.commit_index {
            let next = self.vol.last_applied + 1;
            if let Some(entry) = self.persistent.log.entry(next) {
                self.out.apply.push(entry.clone());
            }
            self.vol.last_applied = next;
        }
        debug_assert!(self.vol.last_applied <= self.vol.commit_index);
        debug_assert!(self.vol.commit_index <= self.log().last_index());
    }

    pub(crate) fn send(&mut self, to: NodeId, msg: Message) {
        self.out.messages.push((to, msg));
    }

    pub(crate) fn emit(&mut self, event: Event) {
        self.out.events.push(event);
    }

    pub(crate) fn reject(&mut self, reason: RejectReason) {
        self.out.events.push(Event::Rejected { reason });
    }
}
