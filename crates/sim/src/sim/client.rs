//! Clients: `request` actions proposed at a node, and their answers (`ok`
//! when the entry is applied there in the same term, `timeout` when the
//! entry is overwritten or no answer comes in time).

use raft::{Entry, LogIndex, NodeId, ProposeError, Term};

use super::queue::Event;
use super::Sim;
use crate::trace::{ClientResult, Ev};

/// A proposed request waiting for its answer.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    /// The node it was proposed at.
    pub(super) node: NodeId,
    pub(super) cmd: String,
    /// Where it was appended, and in which term.
    pub(super) index: LogIndex,
    pub(super) term: Term,
}

impl Sim {
    /// `request [N] "cmd"`: proposes at node N, or at the leader.
    pub(super) fn request(&mut self, to: Option<NodeId>, cmd: String) {
        let target = to.or_else(|| self.state.leader());
        let Some(target) = target.filter(|&t| self.state.is_up(t)) else {
            let reason = if to.is_some() {
                "the node is not running"
            } else {
                "there is no leader"
            };
            self.emit(Ev::Client {
                node: to.unwrap_or(0),
                cmd,
                result: ClientResult::Unavailable,
                leader: None,
                index: None,
                reason: Some(reason.into()),
            });
            return;
        };
        let mut result = Err(ProposeError::NotLeader { leader_hint: None });
        // Propose before handling Ready so the `request` line precedes the sends.
        if let Some(n) = self
            .state
            .slots
            .get_mut(&target)
            .and_then(|s| s.node.as_mut())
        {
            result = n.propose(cmd.clone());
        }
        match result {
            Ok((index, term)) => self.await_answer(target, cmd, index, term),
            Err(ProposeError::NotLeader { leader_hint }) => self.emit(Ev::Client {
                node: target,
                cmd,
                result: ClientResult::Redirect,
                leader: leader_hint,
                index: None,
                reason: None,
            }),
            Err(e) => self.emit(Ev::Client {
                node: target,
                cmd,
                result: ClientResult::Rejected,
                leader: None,
                index: None,
                reason: Some(e.to_string()),
            }),
        }
        self.after_input(target);
    }

    /// The request was appended at `node`: trace it and wait for the answer
    /// until twice the longest election timeout.
    fn await_answer(&mut self, node: NodeId, cmd: String, index: LogIndex, term: Term) {
        self.emit(Ev::Request {
            node,
            cmd: cmd.clone(),
            index,
            term,
        });
        let req = self.state.next_req_id;
        self.state.next_req_id += 1;
        self.state.pending.insert(
            req,
            Pending {
                node,
                cmd,
                index,
                term,
            },
        );
        let deadline = self.state.now_us.saturating_add(
            self.state
                .settings
                .election_timeout_us_max
                .saturating_mul(2),
        );
        self.state.push(deadline, Event::ClientDeadline { req });
    }

    /// Answers the clients whose request was proposed at `id` and index
    /// `entry.index`, now that `id` applies `entry` there: `ok` if it is
    /// their entry (same term), else `timeout` (it was overwritten).
    pub(super) fn answer_clients(&mut self, id: NodeId, entry: &Entry) {
        let answered: Vec<u64> = self
            .state
            .pending
            .iter()
            .filter(|(_, p)| p.node == id && p.index == entry.index)
            .map(|(&r, _)| r)
            .collect();
        for r in answered {
            let Some(p) = self.state.pending.remove(&r) else {
                continue;
            };
            let ok = p.term == entry.term;
            self.emit(Ev::Client {
                node: id,
                cmd: p.cmd,
                result: if ok {
                    ClientResult::Ok
                } else {
                    ClientResult::Timeout
                },
                leader: None,
                index: Some(p.index),
                reason: (!ok)
                    .then(|| format!("entry {} was overwritten by term {}", p.index, entry.term)),
            });
        }
    }

    /// A request's deadline passed. Returns false if it was answered already.
    pub(super) fn client_deadline(&mut self, req: u64) -> bool {
        let Some(p) = self.state.pending.remove(&req) else {
            return false;
        };
        self.emit(Ev::Client {
            node: p.node,
            cmd: p.cmd,
            result: ClientResult::Timeout,
            leader: None,
            index: Some(p.index),
            reason: Some("no answer in time".into()),
        });
        true
    }
}
