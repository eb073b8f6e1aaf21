//! Leadership transfer (thesis §3.10): the leader stops accepting client
//! requests, brings the target's log up to date, then sends it TimeoutNow;
//! the target starts an election at once, and its RequestVote carries
//! `transfer = true` so voters set aside their leader lease.

use crate::error::{ProposeError, TransferProblem};
use crate::message::{Message, MessageKind};
use crate::node::Node;
use crate::reason::RejectReason;
use crate::role::Role;
use crate::NodeId;

impl Node {
    /// Leader: hand leadership to voter `to`. Proposals are refused until the
    /// transfer ends (the leader steps down when `to` wins, or the transfer is
    /// abandoned when the leader's election timer, restarted here, fires).
    pub fn transfer_leadership(&mut self, to: NodeId) -> Result<(), ProposeError> {
        if self.vol.role != Role::Leader {
            return Err(ProposeError::NotLeader {
                leader_hint: self.vol.leader_hint,
            });
        }
        let invalid = |reason| Err(ProposeError::InvalidTransferTarget { target: to, reason });
        if to == self.id() {
            return invalid(TransferProblem::AlreadyLeader);
        }
        if !self.vol.membership.is_voter(to) || !self.vol.progress.contains_key(&to) {
            return invalid(TransferProblem::NotVoter);
        }
        if let Some(target) = self.vol.transfer_target {
            return Err(ProposeError::TransferInProgress { target });
        }
        self.vol.transfer_target = Some(to);
        self.vol.timeout_now_sent = false;
        // Thesis §3.10: abort "if the transfer does not complete after about
        // an election timeout". The leader's election timer is that clock, so
        // it starts now (etcd resets its election clock here too); otherwise a
        // timer about to fire would abandon the transfer at once.
        self.out.reset_election_timer = true;
        if !self.maybe_send_timeout_now(to) {
            self.send_append(to);
        }
        Ok(())
    }

    /// Leader: once the transfer target's log matches ours, send TimeoutNow
    /// (once). Returns true if sent.
    pub(crate) fn maybe_send_timeout_now(&mut self, peer: NodeId) -> bool {
        if self.vol.role != Role::Leader
            || self.vol.transfer_target != Some(peer)
            || self.vol.timeout_now_sent
        {
            return false;
        }
        let caught_up = self
            .vol
            .progress
            .get(&peer)
            .is_some_and(|p| p.match_index == self.log().last_index());
        if caught_up {
            self.vol.timeout_now_sent = true;
            let msg = Message::TimeoutNow {
                term: self.term(),
                leader: self.id(),
            };
            self.send(peer, msg);
        }
        caught_up
    }

    /// TimeoutNow receiver (term already equal to ours): start an election
    /// immediately, skipping Pre-Vote, with `transfer = true`.
    pub(crate) fn handle_timeout_now(&mut self, from: NodeId, leader: NodeId) {
        if leader != from {
            self.reject(RejectReason::LeaderNotSender {
                kind: MessageKind::TimeoutNow,
                from,
                leader,
            });
            return;
        }
        if self.vol.role == Role::Leader {
            self.reject(RejectReason::TimeoutNowToLeader { from });
            return;
        }
        if !self.vol.membership.is_voter(self.id()) {
            self.reject(RejectReason::TimeoutNowToNonVoter { from });
            return;
        }
        self.become_candidate(true);
    }
}
