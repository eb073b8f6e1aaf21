//! Log replication: §5.3 (AppendEntries, the consistency check, repairing
//! followers with nextIndex/matchIndex, the conflict hint) and §5.4.2
//! (a leader commits by counting replicas only entries of its current term:
//! the Figure 8 rule).

use crate::config::Backoff;
use crate::message::{Entry, Message, MessageKind, Payload};
use crate::node::Node;
use crate::reason::{Defect, RejectReason};
use crate::role::Role;
use crate::{LogIndex, NodeId, Term, LOG_INDEX_MAX};

impl Node {
    /// The heartbeat timer fired. Figure 2, Leaders: send AppendEntries to
    /// each server "during idle periods to prevent election timeouts". Other
    /// roles ignore it.
    /// Heartbeats go to every follower, also to one awaiting a reply: they
    /// are how a lost request or reply is retried ("if followers crash or run
    /// slowly, or if network packets are lost, the leader retries
    /// AppendEntries RPCs indefinitely", §5.3).
    pub fn handle_heartbeat_timeout(&mut self) {
        if self.vol.role == Role::Leader {
            let peers: Vec<NodeId> = self.vol.progress.keys().copied().collect();
            for peer in peers {
                self.send_append(peer);
            }
        }
    }

    /// Leader, after appending: send every other member what it is missing,
    /// except those with a request in flight (they get the new entries with
    /// the next request; see `Progress::in_flight_to`).
    pub(crate) fn broadcast_append(&mut self) {
        let peers: Vec<NodeId> = self
            .vol
            .progress
            .values()
            .filter(|p| p.in_flight_to.is_none())
            .map(|p| p.id)
            .collect();
        for peer in peers {
            self.send_append(peer);
        }
    }

    /// Leader: send `to` the entries from its nextIndex, with prevLogIndex
    /// and prevLogTerm for the consistency check; or the snapshot if the
    /// entry before nextIndex has been compacted (thesis §5.1).
    pub(crate) fn send_append(&mut self, to: NodeId) {
        let Some(progress) = self.vol.progress.get(&to) else {
            return;
        };
        debug_assert!(progress.next_index > progress.match_index);
        let next_index = progress.next_index.max(1);
        let prev_log_index = next_index - 1;
        match self.log().term_at(prev_log_index) {
            Some(prev_log_term) => {
                let max = self.config.max_entries_per_append.max(1);
                let entries = self.log().entries_from(next_index, max);
                if let (Some(last), Some(p)) = (entries.last(), self.vol.progress.get_mut(&to)) {
                    p.in_flight_to = Some(p.in_flight_to.unwrap_or(0).max(last.index));
                }
                let msg = Message::AppendEntries {
                    term: self.term(),
                    leader: self.id(),
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit: self.vol.commit_index,
                };
                self.send(to, msg);
            }
            None => self.send_snapshot(to),
        }
    }

    /// Figure 2, AppendEntries RPC receiver (the term is already equal to ours):
    /// 1. Reply false if term < currentTerm (done by `handle_message`).
    /// 2. Reply false if log doesn't contain an entry at prevLogIndex whose
    ///    term matches prevLogTerm.
    /// 3. If an existing entry conflicts with a new one (same index but
    ///    different terms), delete the existing entry and all that follow it.
    /// 4. Append any new entries not already in the log.
    /// 5. If leaderCommit > commitIndex, set commitIndex =
    ///    min(leaderCommit, index of last new entry).
    ///
    /// Committed entries are never deleted: a message that would do so can
    /// only come from a broken leader (forged input, or a teaching switch)
    /// and is rejected. Under the teaching switches whose counterexample is
    /// exactly that overwrite (`UnsafeSwitches::overwrite_committed`), rule 3
    /// is followed literally instead, so that a lesson shows it.
    pub(crate) fn handle_append_entries(
        &mut self,
        from: NodeId,
        leader: NodeId,
        prev_log_index: LogIndex,
        prev_log_term: Term,
        entries: Vec<Entry>,
        leader_commit: LogIndex,
    ) {
        let term = self.term();
        if self.vol.role == Role::Leader {
            // Two leaders in one term: impossible unless a teaching switch broke Election Safety.
            self.reject(RejectReason::AnotherLeader {
                kind: MessageKind::AppendEntries,
                from,
                term,
            });
            self.send_append_reply(from, false, 0, None, 0);
            return;
        }
        if leader != from {
            self.reject(RejectReason::LeaderNotSender {
                kind: MessageKind::AppendEntries,
                from,
                leader,
            });
            return;
        }
        if let Err(defect) = check_well_formed(term, prev_log_index, prev_log_term, &entries) {
            self.reject(RejectReason::Malformed {
                kind: MessageKind::AppendEntries,
                from,
                defect,
            });
            return;
        }
        // Candidates: "If AppendEntries RPC received from new leader: convert to follower".
        if self.vol.role != Role::Follower {
            self.become_follower(term, Some(from));
        }
        self.vol.leader_hint = Some(from);
        self.vol.lease = true;
        self.out.reset_election_timer = true;

        // Rule 2: consistency check. Entries inside the snapshot are committed
        // and therefore match any legitimate leader.
        let snapshot_index = self.log().snapshot_index();
        let prev_matches = prev_log_index < snapshot_index
            || self.log().term_at(prev_log_index) == Some(prev_log_term);
        if !prev_matches {
            let (conflict_term, conflict_index) = match self.log().term_at(prev_log_index) {
                Some(t) => (
                    Some(t),
                    self.log().first_index_of_term_run(prev_log_index, t),
                ),
                None => (None, self.log().last_index().saturating_add(1)),
            };
            self.send_append_reply(from, false, 0, conflict_term, conflict_index);
            return;
        }

        // Rules 3 and 4.
        let count = entries.len() as u64;
        if !self.store_entries(from, entries) {
            return;
        }

        // Rule 5.
        let last_new = prev_log_index.saturating_add(count);
        if leader_commit > self.vol.commit_index {
            self.advance_commit(leader_commit.min(last_new));
        }
        self.send_append_reply(from, true, last_new, None, 0);
    }

    /// AppendEntries receiver rules 3 and 4 (after the consistency check):
    /// delete conflicting entries and append the new ones, then persist and
    /// re-read the configuration if that changed them. False if the request
    /// was refused part way; what was stored until then stays.
    fn store_entries(&mut self, from: NodeId, entries: Vec<Entry>) -> bool {
        let snapshot_index = self.log().snapshot_index();
        let mut log_changed = false;
        let mut config_changed = false;
        let mut refused = false;
        for entry in entries {
            if entry.index <= snapshot_index {
                continue;
            }
            match self.log().term_at(entry.index) {
                Some(t) if t == entry.term => continue,
                Some(_) => {
                    if entry.index <= self.vol.commit_index {
                        if !self.config.unsafe_switches.overwrite_committed() {
                            self.reject(RejectReason::ConflictsWithCommitted {
                                from,
                                index: entry.index,
                            });
                            refused = true;
                            break;
                        }
                        // Teaching switch (a) or (b) elected a leader that
                        // lacks a committed entry. Follow rule 3 literally, as the
                        // paper's servers would: the committed entry is
                        // deleted, and this server will apply a different
                        // command at the same index (State Machine Safety
                        // broken, which is what the lesson shows).
                        let kept = entry.index.saturating_sub(1);
                        self.reject(RejectReason::OverwritesCommitted {
                            from,
                            index: entry.index,
                        });
                        self.vol.commit_index = kept;
                        self.vol.last_applied = self.vol.last_applied.min(kept);
                    }
                    config_changed |= self.log_has_config_from(entry.index);
                    self.persistent.log.truncate_from(entry.index);
                    log_changed = true;
                }
                None => {}
            }
            config_changed |= matches!(entry.payload, Payload::Config { .. });
            if !self.persistent.log.push(entry) {
                // Cannot happen after the checks above; refuse rather than corrupt the log.
                self.reject(RejectReason::EntryDoesNotExtend { from });
                refused = true;
                break;
            }
            log_changed = true;
        }
        self.finish_append_changes(log_changed, config_changed);
        !refused
    }

    fn finish_append_changes(&mut self, log_changed: bool, config_changed: bool) {
        if log_changed {
            self.out.persist = true;
            self.persistent.log.debug_check();
        }
        if config_changed {
            // "A server always uses the latest configuration in its log" (§6):
            // appended configurations take effect, truncated ones revert.
            self.refresh_membership();
        }
    }

    /// Does the log hold a configuration entry at or after `index`?
    fn log_has_config_from(&self, index: LogIndex) -> bool {
        self.vol.membership_index >= index
    }

    fn send_append_reply(
        &mut self,
        to: NodeId,
        success: bool,
        match_index: LogIndex,
        conflict_term: Option<Term>,
        conflict_index: LogIndex,
    ) {
        let term = self.term();
        self.send(
            to,
            Message::AppendEntriesReply {
                term,
                success,
                match_index,
                conflict_term,
                conflict_index,
            },
        );
    }

    /// Figure 2, Leaders: "If successful: update nextIndex and matchIndex for
    /// follower. If AppendEntries fails because of log inconsistency:
    /// decrement nextIndex and retry" (or, with `Backoff::ConflictHint`, jump
    /// using the follower's hint, §5.3).
    pub(crate) fn handle_append_entries_reply(
        &mut self,
        from: NodeId,
        success: bool,
        match_index: LogIndex,
        conflict_term: Option<Term>,
        conflict_index: LogIndex,
    ) {
        if self.vol.role != Role::Leader {
            return;
        }
        let last_index = self.log().last_index();
        let Some(progress) = self.vol.progress.get_mut(&from) else {
            self.reject(RejectReason::ReplyFromNonMember {
                kind: MessageKind::AppendEntriesReply,
                from,
            });
            return;
        };
        self.vol.heard.insert(from);
        if success {
            if match_index > last_index {
                self.reject(RejectReason::MatchBeyondLog { from, match_index });
                return;
            }
            progress.match_index = progress.match_index.max(match_index);
            progress.next_index = progress.next_index.max(progress.match_index + 1);
            // Only the reply that covers the request in flight continues the
            // chain; a reply to an older request (or a heartbeat) does not.
            let chain_done = progress.in_flight_to.is_none_or(|t| match_index >= t);
            if chain_done {
                progress.in_flight_to = None;
            }
            let more = chain_done && progress.next_index <= last_index;
            self.maybe_commit();
            self.maybe_send_timeout_now(from);
            self.maybe_promote_learners();
            if more && self.vol.role == Role::Leader {
                self.send_append(from);
            }
            return;
        }
        // A rejection ends the chain: the leader backs off and sends again.
        progress.in_flight_to = None;
        let floor = progress.match_index + 1;
        let next = progress.next_index;
        let hinted = match self.config.backoff {
            Backoff::Decrement => next.saturating_sub(1),
            Backoff::ConflictHint => {
                let hint = match conflict_term {
                    Some(t) => match self.persistent.log.last_index_of_term(t) {
                        Some(i) => i.saturating_add(1),
                        None => conflict_index,
                    },
                    None => conflict_index,
                };
                // A hint that does not move back is stale (or forged): fall back to one step.
                if hint < next {
                    hint
                } else {
                    next.saturating_sub(1)
                }
            }
        };
        let new_next = hinted.max(floor);
        if new_next < next {
            if let Some(progress) = self.vol.progress.get_mut(&from) {
                progress.next_index = new_next;
            }
            self.send_append(from);
        }
    }

    /// Figure 2, Leaders: "If there exists an N such that N > commitIndex, a
    /// majority of matchIndex[i] >= N, and log[N].term == currentTerm: set
    /// commitIndex = N". Majorities are counted in both halves of a joint
    /// configuration; a leader that is not a voter does not count itself.
    pub(crate) fn maybe_commit(&mut self) {
        if self.vol.role != Role::Leader {
            return;
        }
        let me = self.id();
        let my_last = self.log().last_index();
        let progress = &self.vol.progress;
        let match_of = |id: NodeId| {
            if id == me {
                my_last
            } else {
                progress.get(&id).map_or(0, |p| p.match_index)
            }
        };
        let Some(n) = self.vol.membership.quorum_index(match_of) else {
            return;
        };
        if n <= self.vol.commit_index {
            return;
        }
        // Figure 8 rule (§5.4.2). Terms never decrease along the log, so if
        // log[N] is of an older term, so is every entry before it.
        if self.log().term_at(n) != Some(self.term())
            && !self.config.unsafe_switches.commit_old_terms
        {
            return;
        }
        self.advance_commit(n);
        self.leader_config_after_commit();
    }
}

/// Reject AppendEntries that no leader could have sent: entries must be
/// consecutive from prevLogIndex + 1, with non-decreasing terms no greater
/// than the message's term, and configurations must be well formed.
fn check_well_formed(
    term: Term,
    prev_log_index: LogIndex,
    prev_log_term: Term,
    entries: &[Entry],
) -> Result<(), Defect> {
    if prev_log_term > term {
        return Err(Defect::PrevLogTermAboveTerm {
            prev_log_term,
            term,
        });
    }
    if prev_log_index == 0 && prev_log_term != 0 {
        return Err(Defect::PrevLogTermAtIndexZero);
    }
    let mut expect = prev_log_index;
    let mut last_term = prev_log_term;
    for e in entries {
        expect = expect
            .checked_add(1)
            .filter(|&i| i <= LOG_INDEX_MAX)
            .ok_or(Defect::IndexBeyondMax)?;
        if e.index != expect {
            return Err(Defect::IndexNotNext {
                index: e.index,
                expected: expect,
            });
        }
        if e.term < last_term || e.term > term || e.term == 0 {
            return Err(Defect::BadEntryTerm {
                index: e.index,
                term: e.term,
            });
        }
        if let Payload::Config { membership } = &e.payload {
            membership.check_well_formed(Some(e.index))?;
        }
        last_term = e.term;
    }
    Ok(())
}
