//! Checking claims against the simulator: [`Claim::check`] at the present
//! moment (one function per kind of claim), and [`check_claims`] /
//! [`check_all`] for a scenario's claims, each at its moment.

use std::collections::BTreeSet;
use std::fmt;

use raft::{Entry, LogIndex, Message, NodeId, Payload, Role, Term};

use super::{Claim, ClientClaim, Expect, LogSummary, RoleClaim, Unmet};
use crate::scenario::{Scenario, NODE_ID_MAX};
use crate::units::format_duration_us;
use crate::{Ev, Property, Sim, SimError, TraceEvent};

/// What a claim check says when the claim is false: what the run shows
/// instead.
type Verdict = Result<(), Unmet>;

impl Claim {
    /// Checks the claim against the simulator as it is now. `Err` says what
    /// the run shows instead (its `Display` is one English sentence).
    // One short arm per kind of claim: a table from claim to its check.
    pub fn check(&self, sim: &Sim) -> Result<(), Unmet> {
        match self {
            Claim::Role { role, nodes, term } => check_role(sim, *role, nodes, *term),
            Claim::NoLeader => check_no_leader(sim),
            Claim::Leaders { nodes } => check_leaders(sim, nodes),
            Claim::Votes { node, from } => check_votes(sim, *node, from),
            Claim::Committed { index, cmd, nodes } => {
                each(nodes, |id| check_held(sim, id, *index, cmd, true))
            }
            Claim::Uncommitted { index, cmd, nodes } => {
                each(nodes, |id| check_held(sim, id, *index, cmd, false))
            }
            Claim::Absent { cmd, nodes } => each(nodes, |id| check_absent(sim, id, cmd)),
            Claim::CommitIndex { index, nodes } => {
                each(nodes, |id| check_commit_index(sim, id, *index))
            }
            Claim::Kv { key, value, nodes } => each(nodes, |id| check_kv(sim, id, key, value)),
            Claim::LogTerms { terms, nodes } => each(nodes, |id| check_log_terms(sim, id, terms)),
            Claim::LogsMatch { nodes } => check_logs_match(sim, nodes),
            Claim::NextIndex {
                leader,
                follower,
                index,
            } => check_next_index(sim, *leader, *follower, *index),
            Claim::RejectedAppends { follower, count } => {
                check_rejected_appends(sim, *follower, *count)
            }
            Claim::Client { cmd, result } => check_client(sim, cmd, *result),
            Claim::Violation { property } => check_violation(sim, *property),
            Claim::NoViolation => check_no_violation(sim),
        }
    }
}

/// The first node for which `check` fails, or `Ok`.
fn each(nodes: &[NodeId], check: impl Fn(NodeId) -> Verdict) -> Verdict {
    nodes.iter().try_for_each(|&id| check(id))
}

/// The trace up to the simulator's present (after a backward seek the trace
/// also holds the known future, which a claim must not see).
fn trace_now(sim: &Sim) -> &[TraceEvent] {
    sim.trace_range(0, sim.trace_len_now())
}

/// Node `node`, or "node N is down".
fn live(sim: &Sim, node: NodeId) -> Result<&raft::Node, Unmet> {
    sim.node(node).ok_or(Unmet::Down { node })
}

fn find_entry<'a>(
    sim: &'a Sim,
    node: NodeId,
    index: Option<LogIndex>,
    cmd: &str,
) -> Result<Option<&'a Entry>, Unmet> {
    let n = live(sim, node)?;
    let is_cmd = |e: &&Entry| matches!(&e.payload, Payload::Command { cmd: c } if **c == *cmd);
    Ok(match index {
        Some(i) => n.log().entry(i).filter(is_cmd),
        None => n.log().entries().rev().find(is_cmd),
    })
}

/// Running nodes whose role is leader, sorted.
fn leaders(sim: &Sim) -> Vec<NodeId> {
    (1..=NODE_ID_MAX)
        .filter(|&id| sim.node(id).is_some_and(|n| n.role() == Role::Leader))
        .collect()
}

/// `ids` in order, each once. Through a `BTreeSet` (as the simulator's
/// own sets are): one sorting routine less in the wasm than `sort_unstable`.
fn sorted(ids: &[NodeId]) -> Vec<NodeId> {
    let mut set = BTreeSet::new();
    set.extend(ids.iter().copied());
    set.into_iter().collect()
}

fn check_role(sim: &Sim, role: RoleClaim, nodes: &[NodeId], term: Option<Term>) -> Verdict {
    each(nodes, |id| {
        let node = sim.node(id);
        let actual = RoleClaim::of(node.map(|n| n.role()));
        let actual_term = node.map(|n| n.term());
        let term_ok = match (term, actual_term) {
            (None, _) => true,
            (Some(t), Some(at)) => t == at,
            (Some(_), None) => false,
        };
        if actual != role || !term_ok {
            return Err(match node {
                Some(n) => Unmet::Role {
                    node: id,
                    role: n.role(),
                    term: n.term(),
                },
                None => Unmet::Down { node: id },
            });
        }
        Ok(())
    })
}

fn check_no_leader(sim: &Sim) -> Verdict {
    match sim.leader() {
        None => Ok(()),
        Some(id) => Err(Unmet::Role {
            node: id,
            role: Role::Leader,
            term: sim.node(id).map_or(0, |n| n.term()),
        }),
    }
}

fn check_leaders(sim: &Sim, nodes: &[NodeId]) -> Verdict {
    let want = sorted(nodes);
    let have = leaders(sim);
    if have == want {
        Ok(())
    } else {
        Err(Unmet::Leaders { leaders: have })
    }
}

fn check_votes(sim: &Sim, node: NodeId, from: &[NodeId]) -> Verdict {
    let want = sorted(from);
    let n = live(sim, node)?;
    let have = match n.role() {
        Role::Candidate | Role::PreCandidate => n.votes_received(),
        // A leader's votes are the ones it won its term with.
        Role::Leader => trace_now(sim)
            .iter()
            .rev()
            .find_map(|e| match &e.ev {
                Ev::Leader {
                    node: l,
                    term,
                    votes,
                } if *l == node && *term == n.term() => Some(votes.clone()),
                _ => None,
            })
            .unwrap_or_default(),
        Role::Follower => {
            return Err(Unmet::VotesOfFollower {
                node,
                term: n.term(),
            })
        }
    };
    let have = sorted(&have);
    if have == want {
        Ok(())
    } else {
        Err(Unmet::Votes { node, from: have })
    }
}

/// `committed` (`want_committed`) or `uncommitted`: node `id` holds the
/// command (at `index`), and has or has not committed it.
fn check_held(
    sim: &Sim,
    id: NodeId,
    index: Option<LogIndex>,
    cmd: &str,
    want_committed: bool,
) -> Verdict {
    let entry = find_entry(sim, id, index, cmd)?;
    let n = live(sim, id)?;
    let commit = n.commit_index();
    let (node, cmd) = (id, cmd.to_string());
    match entry {
        None => Err(Unmet::NotHeld {
            node,
            cmd,
            log: LogSummary::of(n),
        }),
        Some(e) if want_committed && e.index > commit => Err(Unmet::NotCommitted {
            node,
            cmd,
            index: e.index,
            commit,
        }),
        Some(e) if !want_committed && e.index <= commit => Err(Unmet::AlreadyCommitted {
            node,
            cmd,
            index: e.index,
        }),
        Some(_) => Ok(()),
    }
}

fn check_absent(sim: &Sim, id: NodeId, cmd: &str) -> Verdict {
    match find_entry(sim, id, None, cmd)? {
        Some(e) => Err(Unmet::Present {
            node: id,
            cmd: cmd.to_string(),
            index: e.index,
        }),
        None => Ok(()),
    }
}

fn check_commit_index(sim: &Sim, id: NodeId, index: LogIndex) -> Verdict {
    let n = live(sim, id)?;
    if n.commit_index() != index {
        return Err(Unmet::CommitIndex {
            node: id,
            commit: n.commit_index(),
        });
    }
    Ok(())
}

fn check_kv(sim: &Sim, id: NodeId, key: &str, value: &str) -> Verdict {
    live(sim, id)?;
    match sim.kv(id).and_then(|kv| kv.get(key)) {
        Some(v) if v == value => Ok(()),
        Some(v) => Err(Unmet::KvValue {
            node: id,
            key: key.to_string(),
            value: v.to_string(),
        }),
        None => Err(Unmet::KvMissing {
            node: id,
            key: key.to_string(),
        }),
    }
}

fn check_log_terms(sim: &Sim, id: NodeId, terms: &[Term]) -> Verdict {
    let n = live(sim, id)?;
    let have: Vec<Term> = n.log().entries().map(|e| e.term).collect();
    if n.log().first_index() != 1 || have != terms {
        return Err(Unmet::LogIs {
            node: id,
            log: LogSummary::of(n),
        });
    }
    Ok(())
}

fn check_logs_match(sim: &Sim, nodes: &[NodeId]) -> Verdict {
    /// Same start and same entries.
    fn same(a: &raft::Node, b: &raft::Node) -> bool {
        a.log().first_index() == b.log().first_index() && a.log().entries().eq(b.log().entries())
    }
    let mut first: Option<(NodeId, &raft::Node)> = None;
    for &id in nodes {
        let n = live(sim, id)?;
        match first {
            None => first = Some((id, n)),
            Some((f, fnode)) if !same(fnode, n) => {
                return Err(Unmet::LogsDiffer {
                    first: f,
                    first_log: LogSummary::of(fnode),
                    other: id,
                    other_log: LogSummary::of(n),
                })
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn check_next_index(sim: &Sim, leader: NodeId, follower: NodeId, index: LogIndex) -> Verdict {
    let n = live(sim, leader)?;
    if n.role() != Role::Leader {
        return Err(Unmet::NotLeader { node: leader });
    }
    match n.progress().iter().find(|p| p.id == follower) {
        Some(p) if p.next_index == index => Ok(()),
        Some(p) => Err(Unmet::NextIndex {
            leader,
            follower,
            next_index: p.next_index,
        }),
        None => Err(Unmet::NoProgress { leader, follower }),
    }
}

fn check_rejected_appends(sim: &Sim, follower: NodeId, count: u64) -> Verdict {
    let have = trace_now(sim)
        .iter()
        .filter(|e| {
            matches!(&e.ev, Ev::Send { from, msg, .. }
                if *from == follower && matches!(**msg, Message::AppendEntriesReply { success: false, .. }))
        })
        .count() as u64;
    if have == count {
        Ok(())
    } else {
        Err(Unmet::RejectedAppends {
            follower,
            count: have,
        })
    }
}

/// The latest outcome of the request for `cmd` in the trace so far.
fn check_client(sim: &Sim, cmd: &str, result: ClientClaim) -> Verdict {
    let mut have: Option<ClientClaim> = None;
    for e in trace_now(sim) {
        match &e.ev {
            Ev::Request { cmd: c, .. } if c == cmd => have = Some(ClientClaim::Pending),
            Ev::Client {
                cmd: c, result: r, ..
            } if c == cmd => have = Some(ClientClaim::from(*r)),
            _ => {}
        }
    }
    match have {
        Some(h) if h == result => Ok(()),
        Some(h) => Err(Unmet::Client {
            cmd: cmd.to_string(),
            result: h,
        }),
        None => Err(Unmet::NotAsked {
            cmd: cmd.to_string(),
        }),
    }
}

fn check_violation(sim: &Sim, property: Property) -> Verdict {
    let v = sim.violations();
    if v.iter().any(|v| v.property == property) {
        Ok(())
    } else if v.is_empty() {
        Err(Unmet::NothingFlagged)
    } else {
        Err(Unmet::FlaggedOnly {
            properties: v.iter().map(|v| v.property).collect(),
        })
    }
}

fn check_no_violation(sim: &Sim) -> Verdict {
    match sim.violations().first() {
        None => Ok(()),
        Some(v) => Err(Unmet::Flagged {
            violation: v.clone(),
        }),
    }
}

/// A claim the run contradicts (see [`check_claims`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ClaimFailure {
    /// The claim's moment.
    pub at_us: u64,
    /// Line of the `expect`.
    pub line: usize,
    /// Column of the claim.
    pub column: usize,
    /// What was claimed.
    pub claim: Claim,
    /// What the run shows instead, in one sentence.
    pub message: String,
}

impl fmt::Display for ClaimFailure {
    /// `line 7, column 14 (at 1.2s): `leader 3 term 2` is false: node 3 is follower in term 2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} (at {}): `{}` is false: {}",
            self.line,
            self.column,
            format_duration_us(self.at_us),
            self.claim,
            self.message
        )
    }
}

/// Checks each claim at its moment, moving `sim` there: forwards with
/// [`Sim::run_until`], or back with [`Sim::seek`] for a claim earlier than
/// the simulator's present. In time order (as a lesson's steps are, and as
/// claims usually are written) the run is simulated once. Claims do not
/// change the run. Empty when every claim holds.
pub fn check_claims(sim: &mut Sim, expects: &[Expect]) -> Vec<ClaimFailure> {
    let mut failures = Vec::new();
    for e in expects {
        if e.at_us < sim.now_us() {
            sim.seek(e.at_us);
        } else {
            sim.run_until(e.at_us);
        }
        if let Err(why) = e.claim.check(sim) {
            failures.push(ClaimFailure {
                at_us: e.at_us,
                line: e.line,
                column: e.column,
                claim: e.claim.clone(),
                message: why.to_string(),
            });
        }
    }
    failures
}

/// Runs `scenario` from time 0 and checks every one of its claims
/// ([`Scenario::expects`]) at its moment. `Err` if the simulator refuses the
/// scenario.
pub fn check_all(scenario: &Scenario) -> Result<Vec<ClaimFailure>, SimError> {
    let mut sim = Sim::new(scenario.clone())?;
    Ok(check_claims(&mut sim, &scenario.expects))
}
