//! Log compaction with snapshots (thesis ch. 5; paper §7): the caller
//! compacts applied entries into a snapshot, a leader sends its snapshot to a
//! follower that needs compacted entries (InstallSnapshot), and the follower
//! adopts it.

use crate::error::CompactError;
use crate::event::Event;
use crate::message::{Message, MessageKind, Snapshot};
use crate::node::Node;
use crate::reason::{Defect, RejectReason};
use crate::role::Role;
use crate::{LogIndex, NodeId, LOG_INDEX_MAX};

impl Node {
    /// Replace the log prefix up to `up_to` by a snapshot whose state-machine
    /// image is `data` (thesis §5.1). Only applied entries can be compacted;
    /// the snapshot records the configuration in effect at `up_to`.
    pub fn compact(&mut self, up_to: LogIndex, data: String) -> Result<(), CompactError> {
        let snapshot_index = self.log().snapshot_index();
        if up_to <= snapshot_index {
            return Err(CompactError::AlreadyCompacted {
                up_to,
                snapshot_index,
            });
        }
        if up_to > self.vol.last_applied {
            return Err(CompactError::NotApplied {
                up_to,
                last_applied: self.vol.last_applied,
            });
        }
        // snapshot_index < up_to <= last_applied <= last_index: the entry is stored.
        let Some(last_term) = self.log().term_at(up_to) else {
            return Err(CompactError::AlreadyCompacted {
                up_to,
                snapshot_index,
            });
        };
        let membership = self.log().config_at(up_to).1.clone();
        self.persistent.log.compact(Snapshot {
            last_index: up_to,
            last_term,
            membership,
            data,
        });
        self.out.persist = true;
        Ok(())
    }

    /// Leader: the follower needs entries that are compacted: send the snapshot.
    pub(crate) fn send_snapshot(&mut self, to: NodeId) {
        let Some(snapshot) = self.log().snapshot().cloned() else {
            // Only reachable if nextIndex points past the end of the log;
            // pull it back so the next round sends entries.
            let next_index = self.log().last_index().saturating_add(1);
            if let Some(p) = self.vol.progress.get_mut(&to) {
                p.next_index = next_index.max(p.match_index + 1);
            }
            return;
        };
        let last_index = snapshot.last_index;
        let msg = Message::InstallSnapshot {
            term: self.term(),
            leader: self.id(),
            snapshot,
        };
        if let Some(p) = self.vol.progress.get_mut(&to) {
            p.in_flight_to = Some(p.in_flight_to.unwrap_or(0).max(last_index));
        }
        self.send(to, msg);
    }

    /// InstallSnapshot receiver (thesis Figure 5.3), the term already equal to ours:
    /// - a snapshot older than what is committed here changes nothing;
    /// - "If existing log entry has same index and term as snapshot's last
    ///   included entry, retain log entries following it": everything up to
    ///   there is committed; the prefix is replaced by the snapshot;
    /// - otherwise discard the entire log and reset the state machine from
    ///   the snapshot (`Ready::install_snapshot`).
    pub(crate) fn handle_install_snapshot(
        &mut self,
        from: NodeId,
        leader: NodeId,
        snapshot: Snapshot,
    ) {
        let term = self.term();
        if self.vol.role == Role::Leader {
            self.reject(RejectReason::AnotherLeader {
                kind: MessageKind::InstallSnapshot,
                from,
                term,
            });
            return;
        }
        if leader != from {
            self.reject(RejectReason::LeaderNotSender {
                kind: MessageKind::InstallSnapshot,
                from,
                leader,
            });
            return;
        }
        if snapshot.last_index == 0
            || snapshot.last_index > LOG_INDEX_MAX
            || snapshot.last_term == 0
            || snapshot.last_term > term
        {
            self.reject(RejectReason::Malformed {
                kind: MessageKind::InstallSnapshot,
                from,
                defect: Defect::BadSnapshotLast {
                    last_index: snapshot.last_index,
                    last_term: snapshot.last_term,
                },
            });
            return;
        }
        if let Err(defect) = snapshot.membership.check_well_formed(None) {
            self.reject(RejectReason::Malformed {
                kind: MessageKind::InstallSnapshot,
                from,
                defect,
            });
            return;
        }
        if self.vol.role != Role::Follower {
            self.become_follower(term, Some(from));
        }
        self.vol.leader_hint = Some(from);
        self.vol.lease = true;
        self.out.reset_election_timer = true;

        let last_index = snapshot.last_index;
        if last_index <= self.vol.commit_index {
            // Already have (and have committed) everything it contains.
        } else if self.log().term_at(last_index) == Some(snapshot.last_term) {
            // Our log contains the snapshot's last entry: by Log Matching the
            // prefix is identical, and it is committed. Apply it, then keep
            // only the suffix behind the leader's snapshot.
            self.advance_commit(last_index);
            self.persistent.log.compact(snapshot);
            self.out.persist = true;
            self.refresh_membership();
        } else {
            // Nothing of ours up to `last_index` is committed beyond commitIndex,
            // and the committed part is inside the snapshot: replace it all.
            self.out.apply.retain(|e| e.index > last_index);
            self.persistent.log.replace_with_snapshot(snapshot.clone());
            self.out.persist = true;
            self.vol.commit_index = last_index;
            self.vol.last_applied = last_index;
            self.emit(Event::Committed { index: last_index });
            self.out.install_snapshot = Some(snapshot);
            self.refresh_membership();
        }
        self.send(from, Message::InstallSnapshotReply { term, last_index });
    }

    /// Leader: the follower now matches up to `last_index`.
    pub(crate) fn handle_install_snapshot_reply(&mut self, from: NodeId, last_index: LogIndex) {
        if self.vol.role != Role::Leader {
            return;
        }
        let my_last = self.log().last_index();
        let Some(progress) = self.vol.progress.get_mut(&from) else {
            self.reject(RejectReason::ReplyFromNonMember {
                kind: MessageKind::InstallSnapshotReply,
                from,
            });
            return;
        };
        self.vol.heard.insert(from);
        if progress.in_flight_to.is_none_or(|t| last_index >= t) {
            progress.in_flight_to = None;
        }
        if last_index > my_last {
            self.reject(RejectReason::SnapshotBeyondLog { from, last_index });
            return;
        }
        progress.match_index = progress.match_index.max(last_index);
        progress.next_index = progress.next_index.max(progress.match_index + 1);
        let more = progress.next_index <= my_last;
        self.maybe_commit();
        self.maybe_send_timeout_now(from);
        self.maybe_promote_learners();
        if more && self.vol.role == Role::Leader {
            self.send_append(from);
        }
    }
}
