//! Leader election: §5.2 (timeouts, RequestVote, split votes), §5.4.1 (the
//! election restriction: vote only for an up-to-date log), and the thesis
//! §9.6 extensions Pre-Vote and CheckQuorum (with the leader lease of
//! thesis §4.2.3).
//!
//! The caller owns the election timer and its random draw; the node only
//! says when to re-draw it (`Ready::reset_election_timer`).

use crate::event::Event;
use crate::message::MessageKind;
use crate::node::Node;
use crate::reason::{RejectReason, StepDownReason};
use crate::role::Role;
use crate::{LogIndex, Message, NodeId, Term};

impl Node {
    /// The election timer fired.
    ///
    /// Figure 2, Followers: "If election timeout elapses without receiving
    /// AppendEntries RPC from current leader or granting vote to candidate:
    /// convert to candidate"; Candidates: "If election timeout elapses: start
    /// new election". With Pre-Vote the node first becomes a pre-candidate.
    /// A leader uses the timer for CheckQuorum and to abort a stalled
    /// leadership transfer. Non-voters (learners, removed servers) never campaign.
    pub fn handle_election_timeout(&mut self) {
        self.out.reset_election_timer = true;
        if self.vol.role == Role::Leader {
            self.leader_election_timeout();
            return;
        }
        // Not hearing from a leader for a whole timeout ends its lease (for
        // callers that do not run the lease timer) and its belief in it.
        self.vol.leader_hint = None;
        self.vol.lease = false;
        if !self.may_campaign() {
            self.reject(RejectReason::NotVoterCannotCampaign);
            return;
        }
        if self.config.pre_vote {
            self.become_pre_candidate();
        } else {
            self.become_candidate(false);
        }
    }

    /// The minimum election timeout has passed since the election timer was
    /// last reset (the caller starts this timer alongside every re-drawn
    /// election timer): the leader lease of thesis §4.2.3 ends. From now on
    /// this server grants (pre-)votes again, although its own election timer
    /// has not fired yet. Without this input the lease ends when the election
    /// timer fires, which delays elections after a leader crash by up to one
    /// more timeout when Pre-Vote or CheckQuorum is on.
    pub fn handle_lease_timeout(&mut self) {
        if self.vol.role != Role::Leader {
            self.vol.lease = false;
        }
    }

    /// May this server start an election? Voters may. So may a server that
    /// its latest configuration removes while that configuration is not yet
    /// committed: thesis §4.2.2, "a server that is not part of its own latest
    /// configuration should still start new elections, as it might still be
    /// needed until the C_new entry is committed" (it may hold the only copy
    /// of that entry). Its own vote does not count: `has_quorum` counts the
    /// configuration's voters only.
    fn may_campaign(&self) -> bool {
        let me = self.id();
        if self.vol.membership.is_voter(me) {
            return true;
        }
        let latest = self.vol.membership_index;
        latest > self.vol.commit_index
            && latest > 0
            && self.log().config_at(latest - 1).1.is_voter(me)
    }

    /// Leader side of the election timer: abort a transfer that did not
    /// finish within an election timeout (thesis §3.10) and, with
    /// CheckQuorum, step down unless a quorum was heard from (thesis §9.6).
    fn leader_election_timeout(&mut self) {
        if let Some(target) = self.vol.transfer_target.take() {
            self.vol.timeout_now_sent = false;
            self.reject(RejectReason::TransferTimedOut { target });
        }
        if !self.config.check_quorum {
            return;
        }
        let mut heard = std::mem::take(&mut self.vol.heard);
        heard.insert(self.id());
        if !self.vol.membership.has_quorum(&heard) {
            let term = self.term();
            self.become_follower(term, None);
            self.emit(Event::SteppedDown {
                reason: StepDownReason::CheckQuorum,
            });
        }
    }

    /// Figure 2, RequestVote RPC receiver (the term is already equal to ours):
    /// "1. Reply false if term < currentTerm (handled by `handle_message`).
    /// 2. If votedFor is null or candidateId, and candidate's log is at least
    /// as up-to-date as receiver's log, grant vote."
    pub(crate) fn handle_request_vote(
        &mut self,
        from: NodeId,
        candidate: NodeId,
        last_log_index: LogIndex,
        last_log_term: Term,
    ) {
        let term = self.term();
        let granted = if candidate != from {
            self.reject(RejectReason::CandidateNotSender {
                kind: MessageKind::RequestVote,
                from,
                candidate,
            });
            false
        } else {
            // Thesis §4.1: "servers process incoming RPC requests without
            // consulting their current configurations". A learner or a new
            // server may already be a voter in a configuration it has not
            // received yet, and its vote may be needed; the candidate decides
            // whether the vote counts, against its own configuration.
            let can_vote = self.persistent.voted_for.is_none_or(|v| v == candidate);
            let log_ok = self.config.unsafe_switches.vote_without_log_check
                || self.log().is_up_to_date(last_log_index, last_log_term);
            can_vote && log_ok
        };
        if granted {
            if self.persistent.voted_for != Some(candidate) {
                self.persistent.voted_for = Some(candidate);
                self.out.persist = true;
            }
            // Granting a vote resets the election timer (Figure 2, Followers).
            self.out.reset_election_timer = true;
        }
        self.send(from, Message::RequestVoteReply { term, granted });
    }

    /// Figure 2, Candidates: "If votes received from majority of servers:
    /// become leader". Votes count only from voters of the configuration
    /// (both majorities during joint consensus, §6).
    pub(crate) fn handle_request_vote_reply(&mut self, from: NodeId, granted: bool) {
        if self.vol.role != Role::Candidate {
            return;
        }
        if !self.vol.membership.is_voter(from) {
            self.reject(RejectReason::VoteFromNonVoter { from });
            return;
        }
        if granted {
            self.vol.votes.insert(from);
            if self.vol.membership.has_quorum(&self.vol.votes) {
                self.become_leader();
            }
        }
    }

    /// Thesis §9.6 Pre-Vote receiver: grant if the candidate's log is up to
    /// date and this node has no current leader (it has not heard from one
    /// within the minimum election timeout: see `handle_lease_timeout`). `term` is the term the candidate would
    /// use; it never changes ours.
    pub(crate) fn handle_pre_vote(
        &mut self,
        from: NodeId,
        term: Term,
        candidate: NodeId,
        last_log_index: LogIndex,
        last_log_term: Term,
    ) {
        let current = self.term();
        let granted = if candidate != from {
            self.reject(RejectReason::CandidateNotSender {
                kind: MessageKind::PreVote,
                from,
                candidate,
            });
            false
        } else if term < current || self.has_current_leader() {
            false
        } else {
            // Like a real vote, a pre-vote does not consult this server's own
            // configuration (thesis §4.1; see `handle_request_vote`).
            // A real vote at `term` would be possible: either the term is new
            // to us, or we have not voted for anybody else in it.
            let could_vote =
                term > current || self.persistent.voted_for.is_none_or(|v| v == candidate);
            let log_ok = self.config.unsafe_switches.vote_without_log_check
                || self.log().is_up_to_date(last_log_index, last_log_term);
            could_vote && log_ok
        };
        let reply_term = if granted { term } else { current };
        self.send(
            from,
            Message::PreVoteReply {
                term: reply_term,
                granted,
            },
        );
    }

    /// Pre-candidate: with pre-votes from a quorum, start the real election.
    /// A granted reply echoes the hypothetical term and never changes ours; a
    /// refusal carries the voter's real current term, and a higher one is
    /// adopted like any other (Figure 2, All Servers), or a server with a
    /// stale term but the best log could never win (its pre-votes would be
    /// refused as stale forever). Granted replies for another term are stale.
    pub(crate) fn handle_pre_vote_reply(&mut self, from: NodeId, term: Term, granted: bool) {
        if !granted && term > self.term() {
            self.become_follower(term, None);
            return;
        }
        if self.vol.role != Role::PreCandidate
            || Some(term) != self.term().checked_add(1)
            || !granted
        {
            return;
        }
        if !self.vol.membership.is_voter(from) {
            self.reject(RejectReason::PreVoteFromNonVoter { from });
            return;
        }
        self.vol.votes.insert(from);
        if self.vol.membership.has_quorum(&self.vol.votes) {
            self.become_candidate(false);
        }
    }
}
