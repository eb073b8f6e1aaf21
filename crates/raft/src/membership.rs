//! Cluster membership changes: joint consensus (paper §6) and single-server
//! changes with non-voting learners (thesis ch. 4, §4.1–§4.3).
//!
//! Rules implemented here, in the paper's words:
//! - "a server always uses the latest configuration in its log, regardless of
//!   whether the entry is committed" (§6, thesis §4.1): a configuration takes
//!   effect when appended, and reverts if the entry is truncated;
//! - joint consensus: "agreement (for elections and entry commitment)
//!   requires separate majorities from both the old and new configurations";
//!   once C_old,new is committed the leader appends C_new (§6);
//! - "a leader that is removed from the configuration steps down once the
//!   C_new entry is committed" (§6; thesis §4.2.2 for single-server removal);
//! - only one uncommitted configuration change at a time, and not before the
//!   leader has committed an entry of its own term (thesis §4.1);
//! - new servers join as learners that receive entries but do not vote and
//!   are not counted; they are promoted once caught up (thesis §4.2.1).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{ConfChangeProblem, ProposeError};
use crate::event::Event;
use crate::message::Payload;
use crate::node::Node;
use crate::reason::{Defect, StepDownReason};
use crate::role::Role;
use crate::{LogIndex, NodeId, Term};

/// A cluster configuration.
///
/// `voters` are the voting members. During joint consensus (C_old,new),
/// `outgoing` holds C_old and `voters` holds C_new; otherwise `outgoing` is
/// empty. Learners receive entries but neither vote nor count for commitment.
/// Invariant: `learners` is disjoint from `voters` and `outgoing`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// Voting members (C_new during joint consensus).
    pub voters: BTreeSet<NodeId>,
    /// C_old during joint consensus, empty otherwise.
    #[serde(default)]
    pub outgoing: BTreeSet<NodeId>,
    /// Non-voting members catching up.
    #[serde(default)]
    pub learners: BTreeSet<NodeId>,
}

/// A request to change the configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfChange {
    /// Thesis §4.2.1: add a non-voting member that catches up first.
    AddLearner(NodeId),
    /// Thesis ch. 4: add one voter (promotes a learner, or adds directly).
    AddVoter(NodeId),
    /// Thesis ch. 4: remove one server (voter or learner).
    RemoveServer(NodeId),
    /// Paper §6: enter C_old,new; the leader appends C_new by itself once
    /// C_old,new commits.
    BeginJoint {
        /// C_new.
        voters: BTreeSet<NodeId>,
    },
    /// Teaching switch (d) only: switch from C_old to C_new in one step.
    UnsafeDirect {
        /// C_new.
        voters: BTreeSet<NodeId>,
    },
}

/// True if `granted` holds a strict majority of the non-empty set `set`.
fn majority(set: &BTreeSet<NodeId>, granted: &BTreeSet<NodeId>) -> bool {
    let count = set.intersection(granted).count();
    !set.is_empty() && count > set.len() / 2
}

/// The largest index stored on a majority of `set`, given each member's match index.
fn majority_index(
    set: &BTreeSet<NodeId>,
    match_of: &impl Fn(NodeId) -> LogIndex,
) -> Option<LogIndex> {
    // The largest match index that at least a majority (n/2 + 1) of the
    // members have reached: the (n/2 + 1)-th largest. Counted rather than
    // sorted: n is at most a few servers, and a sort would put one more copy
    // of the sorting code into the wasm download.
    let majority = set.len() / 2 + 1;
    let reached_by_majority =
        |index: LogIndex| set.iter().filter(|&&id| match_of(id) >= index).count() >= majority;
    set.iter()
        .map(|&id| match_of(id))
        .filter(|&index| reached_by_majority(index))
        .max()
}

impl Membership {
    /// A plain configuration of `voters`.
    pub fn new(voters: impl IntoIterator<Item = NodeId>) -> Self {
        // `extend` inserts one by one; `collect` would sort first, and that
        // sort is one more copy of the sorting code in the wasm download.
        let mut m = Membership::default();
        m.voters.extend(voters);
        m
    }

    /// True during joint consensus (C_old,new).
    pub fn is_joint(&self) -> bool {
        !self.outgoing.is_empty()
    }

    /// Is `id` a member at all (voter, outgoing voter or learner)?
    pub fn contains(&self, id: NodeId) -> bool {
        self.voters.contains(&id) || self.outgoing.contains(&id) || self.learners.contains(&id)
    }

    /// Does `id` vote (in C_new or, during joint consensus, in C_old)?
    pub fn is_voter(&self, id: NodeId) -> bool {
        self.voters.contains(&id) || self.outgoing.contains(&id)
    }

    /// Every voter of either half: the servers a candidate asks for votes.
    pub fn all_voters(&self) -> BTreeSet<NodeId> {
        let mut all = self.voters.clone();
        all.extend(self.outgoing.iter().copied());
        all
    }

    /// Every member: the servers a leader replicates to.
    pub fn all_members(&self) -> BTreeSet<NodeId> {
        let mut all = self.all_voters();
        all.extend(self.learners.iter().copied());
        all
    }

    /// Do the servers in `granted` form a quorum? A majority of `voters` and,
    /// during joint consensus, also a majority of `outgoing` (§6).
    pub fn has_quorum(&self, granted: &BTreeSet<NodeId>) -> bool {
        majority(&self.voters, granted)
            && (self.outgoing.is_empty() || majority(&self.outgoing, granted))
    }

    /// The largest index stored on a quorum (both majorities when joint),
    /// given each voter's match index; `None` without voters.
    pub fn quorum_index(&self, match_of: impl Fn(NodeId) -> LogIndex) -> Option<LogIndex> {
        let new = majority_index(&self.voters, &match_of)?;
        if self.outgoing.is_empty() {
            return Some(new);
        }
        let old = majority_index(&self.outgoing, &match_of)?;
        Some(new.min(old))
    }

    /// Why this configuration breaks the invariant written on [`Membership`]
    /// (no leader produces such a configuration; a message carrying one is
    /// forged or corrupt).
    /// `entry` is the log entry carrying the configuration (`None`: a snapshot's).
    pub(crate) fn check_well_formed(&self, entry: Option<LogIndex>) -> Result<(), Defect> {
        match self.learners.iter().find(|id| self.is_voter(**id)) {
            Some(&learner) => Err(Defect::LearnerVotes { entry, learner }),
            None => Ok(()),
        }
    }

    /// The configuration `change` leads to, or why it is invalid here.
    pub fn apply_change(&self, change: &ConfChange) -> Result<Membership, ProposeError> {
        let invalid = |reason| Err(ProposeError::InvalidConfChange { reason });
        let mut next = self.clone();
        // Restore the invariant if the caller bootstrapped a server with a
        // learner that also votes: voting wins.
        next.learners.retain(|id| !self.is_voter(*id));
        match change {
            ConfChange::AddLearner(id) => {
                if self.is_voter(*id) {
                    return invalid(ConfChangeProblem::AlreadyVoter);
                }
                if !next.learners.insert(*id) {
                    return invalid(ConfChangeProblem::AlreadyLearner);
                }
            }
            ConfChange::AddVoter(id) => {
                if self.is_joint() {
                    return invalid(ConfChangeProblem::JointInProgress);
                }
                if !next.voters.insert(*id) {
                    return invalid(ConfChangeProblem::AlreadyVoter);
                }
                next.learners.remove(id);
            }
            ConfChange::RemoveServer(id) => {
                if self.is_joint() {
                    return invalid(ConfChangeProblem::JointInProgress);
                }
                if !self.contains(*id) {
                    return invalid(ConfChangeProblem::NotMember);
                }
                next.voters.remove(id);
                next.learners.remove(id);
                if next.voters.is_empty() {
                    return invalid(ConfChangeProblem::LastVoter);
                }
            }
            ConfChange::BeginJoint { voters } => {
                if self.is_joint() {
                    return invalid(ConfChangeProblem::JointInProgress);
                }
                if voters.is_empty() {
                    return invalid(ConfChangeProblem::NoVoters);
                }
                if *voters == self.voters {
                    return invalid(ConfChangeProblem::SameVoters);
                }
                next.outgoing = self.voters.clone();
                next.voters = voters.clone();
                next.learners.retain(|id| !voters.contains(id));
            }
            ConfChange::UnsafeDirect { voters } => {
                if voters.is_empty() {
                    return invalid(ConfChangeProblem::NoVoters);
                }
                next.outgoing.clear();
                next.voters = voters.clone();
                next.learners.retain(|id| !voters.contains(id));
            }
        }
        debug_assert!(
            next.learners.iter().all(|l| !next.is_voter(*l)),
            "learners never vote"
        );
        Ok(next)
    }

    /// C_new for a joint configuration: drop `outgoing`.
    pub fn leave_joint(&self) -> Membership {
        Membership {
            voters: self.voters.clone(),
            outgoing: BTreeSet::new(),
            learners: self.learners.clone(),
        }
    }
}

impl Node {
    /// Propose a configuration change (leader only). It takes effect on the
    /// leader as soon as it is appended. Returns the entry's (index, term).
    pub fn propose_conf_change(
        &mut self,
        change: ConfChange,
    ) -> Result<(LogIndex, Term), ProposeError> {
        if self.vol.role != Role::Leader {
            return Err(ProposeError::NotLeader {
                leader_hint: self.vol.leader_hint,
            });
        }
        if let Some(target) = self.vol.transfer_target {
            return Err(ProposeError::TransferInProgress { target });
        }
        let direct = matches!(change, ConfChange::UnsafeDirect { .. });
        if direct && !self.config.unsafe_switches.direct_change {
            return Err(ProposeError::UnsafeSwitchOff);
        }
        if !direct {
            // Thesis §4.1: one change at a time; joint consensus counts as
            // in progress until C_new has been appended and committed.
            if self.config_pending() || self.vol.membership.is_joint() {
                return Err(ProposeError::ConfChangePending);
            }
            if self.persistent.log.term_at(self.vol.commit_index)
                != Some(self.persistent.current_term)
            {
                return Err(ProposeError::NoCommitInTerm);
            }
        }
        let next = self.vol.membership.apply_change(&change)?;
        let at = self.append_as_leader(Payload::Config {
            membership: next.into(),
        })?;
        self.broadcast_append();
        self.maybe_commit();
        Ok(at)
    }

    /// Is the latest configuration entry not yet committed?
    pub(crate) fn config_pending(&self) -> bool {
        self.vol.membership_index > self.vol.commit_index
    }

    /// Re-read the configuration from the log after it changed (append,
    /// truncation, snapshot): "the latest configuration in its log".
    pub(crate) fn refresh_membership(&mut self) {
        let (index, membership) = self.persistent.log.latest_config();
        self.vol.membership_index = index;
        if *membership != self.vol.membership {
            self.vol.membership = membership.clone();
            self.emit(Event::MembershipChanged {
                membership: self.vol.membership.clone(),
            });
            if self.vol.role == Role::Leader {
                self.sync_progress();
            }
        }
    }

    /// Leader: after the commit index advanced (or on election), finish
    /// whatever the committed configuration requires.
    pub(crate) fn leader_config_after_commit(&mut self) {
        if self.vol.role != Role::Leader || self.config_pending() {
            return;
        }
        if self.vol.membership.is_joint() {
            // §6: "Once C_old,new has been committed ... the leader creates a
            // log entry describing C_new and replicates it to the cluster."
            let c_new = self.vol.membership.leave_joint();
            if self
                .append_as_leader(Payload::Config {
                    membership: c_new.into(),
                })
                .is_ok()
            {
                self.broadcast_append();
                self.maybe_commit();
            }
        } else if !self.vol.membership.is_voter(self.id()) {
            // §6: a leader not part of C_new steps down once C_new is committed.
            let term = self.persistent.current_term;
            self.become_follower(term, None);
            self.emit(Event::SteppedDown {
                reason: StepDownReason::RemovedFromConfiguration,
            });
        } else {
            self.maybe_promote_learners();
        }
    }

    /// Thesis §4.2.1: promote a learner once it has caught up with the commit
    /// index (when `auto_promote_learners` is on and no change is pending).
    pub(crate) fn maybe_promote_learners(&mut self) {
        if !self.config.auto_promote_learners || self.vol.role != Role::Leader {
            return;
        }
        let commit = self.vol.commit_index;
        let ready: Option<NodeId> = self.vol.membership.learners.iter().copied().find(|id| {
            self.vol
                .progress
                .get(id)
                .is_some_and(|p| p.match_index >= commit)
        });
        if let Some(id) = ready {
            // Refused (and retried later) while another change is pending.
            let _ = self.propose_conf_change(ConfChange::AddVoter(id));
        }
    }
}
