//! The roles of §5.1 and their transitions (Figure 4, plus the Pre-Vote
//! phase of thesis §9.6), as verbs in the manner of etcd's raft
//! (`become_follower`, `become_candidate`, ...): each checks that its
//! transition is one of Figure 4's, and reports the change.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::message::{Message, Payload};
use crate::node::Node;
use crate::reason::RejectReason;
use crate::{NodeId, Term};

/// A server's role (§5.1, plus the Pre-Vote phase of thesis §9.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Passive: answers leaders and candidates.
    Follower,
    /// Pre-Vote phase: asks whether it could win, without changing its term.
    PreCandidate,
    /// Asks for votes in a new term.
    Candidate,
    /// Handles clients and replicates the log.
    Leader,
}

impl Node {
    /// Is `from -> to` a transition of Figure 4 (plus Pre-Vote)?
    fn legal_transition(from: Role, to: Role) -> bool {
        use Role::*;
        match (from, to) {
            // Discovers a current leader or a higher term.
            (_, Follower) => true,
            // Times out, starts (pre-)election.
            (Follower | PreCandidate | Candidate, PreCandidate | Candidate) => true,
            // Receives votes from a majority.
            (Candidate, Leader) => true,
            _ => false,
        }
    }

    /// Record a transition; refuses (and reports) an illegal one.
    fn transition(&mut self, to: Role) -> bool {
        let from = self.vol.role;
        if !Self::legal_transition(from, to) {
            debug_assert!(false, "illegal transition {from:?} -> {to:?}");
            self.reject(RejectReason::IllegalTransition { from, to });
            return false;
        }
        self.vol.role = to;
        true
    }

    /// Become (or stay) a follower in `term` (>= current term), following
    /// `leader` if known. Clears all candidate and leader state.
    pub(crate) fn become_follower(&mut self, term: Term, leader: Option<NodeId>) {
        let old_role = self.vol.role;
        let old_term = self.persistent.current_term;
        if term < old_term {
            debug_assert!(false, "term must not decrease");
            return;
        }
        if !self.transition(Role::Follower) {
            return;
        }
        if term > old_term {
            self.persistent.current_term = term;
            self.persistent.voted_for = None;
            self.out.persist = true;
        }
        self.vol.leader_hint = leader;
        if leader.is_none() {
            self.vol.lease = false;
        }
        self.vol.votes.clear();
        self.vol.progress.clear();
        self.vol.heard.clear();
        self.vol.transfer_target = None;
        self.vol.timeout_now_sent = false;
        if old_role != Role::Follower || term != old_term {
            self.emit(Event::RoleChanged {
                role: Role::Follower,
                term,
            });
        }
        if old_role != Role::Follower {
            self.out.reset_election_timer = true;
        }
    }

    /// Thesis §9.6: enter the Pre-Vote phase: ask for pre-votes for term + 1
    /// without changing the term.
    pub(crate) fn become_pre_candidate(&mut self) {
        let Some(next_term) = self.term().checked_add(1) else {
            self.reject(RejectReason::TermSpaceExhausted);
            return;
        };
        if !self.transition(Role::PreCandidate) {
            return;
        }
        self.vol.leader_hint = None;
        self.vol.votes = BTreeSet::new();
        self.vol.votes.insert(self.id());
        self.emit(Event::RoleChanged {
            role: Role::PreCandidate,
            term: self.term(),
        });
        self.out.reset_election_timer = true;
        let (last_log_index, last_log_term) = (self.log().last_index(), self.log().last_term());
        for peer in self.peers_voting() {
            let msg = Message::PreVote {
                term: next_term,
                candidate: self.id(),
                last_log_index,
                last_log_term,
            };
            self.send(peer, msg);
        }
        if self.vol.membership.has_quorum(&self.vol.votes) {
            self.become_candidate(false);
        }
    }

    /// Figure 2, Candidates: "On conversion to candidate, start election:
    /// increment currentTerm, vote for self, reset election timer, send
    /// RequestVote RPCs to all other servers". `transfer` marks an election
    /// started by TimeoutNow.
    pub(crate) fn become_candidate(&mut self, transfer: bool) {
        let Some(next_term) = self.term().checked_add(1) else {
            self.reject(RejectReason::TermSpaceExhausted);
            return;
        };
        if !self.transition(Role::Candidate) {
            return;
        }
        self.persistent.current_term = next_term;
        self.persistent.voted_for = Some(self.id());
        self.out.persist = true;
        self.vol.leader_hint = None;
        self.vol.votes = BTreeSet::new();
        self.vol.votes.insert(self.id());
        self.emit(Event::RoleChanged {
            role: Role::Candidate,
            term: next_term,
        });
        self.out.reset_election_timer = true;
        let (last_log_index, last_log_term) = (self.log().last_index(), self.log().last_term());
        for peer in self.peers_voting() {
            let msg = Message::RequestVote {
                term: next_term,
                candidate: self.id(),
                last_log_index,
                last_log_term,
                transfer,
            };
            self.send(peer, msg);
        }
        if self.vol.membership.has_quorum(&self.vol.votes) {
            self.become_leader();
        }
    }

    /// Figure 2, Leaders: "Upon election: send initial empty AppendEntries
    /// RPCs (heartbeat) to each server". Also appends the start-of-term no-op
    /// (§8) when `noop_on_elect` is on.
    pub(crate) fn become_leader(&mut self) {
        if !self.transition(Role::Leader) {
            return;
        }
        let term = self.term();
        self.vol.leader_hint = Some(self.id());
        let votes = self.votes_received();
        self.vol.votes.clear();
        self.vol.heard.clear();
        self.vol.transfer_target = None;
        self.vol.timeout_now_sent = false;
        self.vol.progress.clear();
        self.sync_progress();
        self.emit(Event::RoleChanged {
            role: Role::Leader,
            term,
        });
        self.emit(Event::BecameLeader { term, votes });
        // The leader's election timer now paces CheckQuorum.
        self.out.reset_election_timer = true;
        if self.config.noop_on_elect {
            let _ = self.append_as_leader(Payload::Noop);
        }
        self.broadcast_append();
        self.maybe_commit();
        // A joint configuration committed under an earlier leader still needs C_new.
        self.leader_config_after_commit();
    }
}
