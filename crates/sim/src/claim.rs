//! Claims: `at TIME expect CLAIM` lines, facts about the run at a moment,
//! checked against the simulator there (docs/scenarios.md, "Claims"). A
//! regression scenario states what must hold (`raftlab check` fails when it
//! does not); a lesson whose narration says "node 3 becomes leader" carries
//! `expect leader 3`, and the lesson test (and the app) checks it.
//!
//! A claim is not an action: it is kept in [`crate::Scenario::expects`], not
//! on the timeline, and the simulator ignores it. [`check_all`] runs a
//! scenario once and checks each claim at its moment: after every event at or
//! before its time (the moment the app shows when it seeks there).

use std::collections::BTreeSet;
use std::fmt;

use crate::scenario::{join, quote, Args, ParseError, Scenario, NODE_ID_MAX};
use crate::units::format_duration_us;
use crate::{Ev, Property, Sim, SimError};
use raft::{Entry, LogIndex, Message, NodeId, Payload, Role, Term};

/// A node's role as a claim names it; `Down` is a crashed node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleClaim {
    /// `follower`
    Follower,
    /// `precandidate` (Pre-Vote's first phase)
    PreCandidate,
    /// `candidate`
    Candidate,
    /// `leader`
    Leader,
    /// `down`: crashed (not running).
    Down,
}

impl RoleClaim {
    const ALL: [(RoleClaim, &'static str); 5] = [
        (RoleClaim::Follower, "follower"),
        (RoleClaim::PreCandidate, "precandidate"),
        (RoleClaim::Candidate, "candidate"),
        (RoleClaim::Leader, "leader"),
        (RoleClaim::Down, "down"),
    ];

    /// The keyword.
    pub fn name(self) -> &'static str {
        RoleClaim::ALL
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("?", |(_, n)| n)
    }

    fn from_name(w: &str) -> Option<RoleClaim> {
        RoleClaim::ALL
            .iter()
            .find(|(_, n)| *n == w)
            .map(|(r, _)| *r)
    }

    fn of(role: Option<Role>) -> RoleClaim {
        match role {
            None => RoleClaim::Down,
            Some(Role::Follower) => RoleClaim::Follower,
            Some(Role::PreCandidate) => RoleClaim::PreCandidate,
            Some(Role::Candidate) => RoleClaim::Candidate,
            Some(Role::Leader) => RoleClaim::Leader,
        }
    }
}

/// The outcome of a client request as the trace reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientClaim {
    /// Proposed at a leader, not answered yet.
    Pending,
    /// Committed and answered.
    Ok,
    /// Not answered in time (or its entry was overwritten).
    Timeout,
    /// The node asked was not the leader.
    Redirect,
    /// No leader to ask.
    Unavailable,
    /// Refused.
    Rejected,
}

impl ClientClaim {
    const ALL: [(ClientClaim, &'static str); 6] = [
        (ClientClaim::Pending, "pending"),
        (ClientClaim::Ok, "ok"),
        (ClientClaim::Timeout, "timeout"),
        (ClientClaim::Redirect, "redirect"),
        (ClientClaim::Unavailable, "unavailable"),
        (ClientClaim::Rejected, "rejected"),
    ];

    /// The keyword (also the trace's `result`).
    pub fn name(self) -> &'static str {
        ClientClaim::ALL
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("?", |(_, n)| n)
    }
}

/// What a claim states. The syntax of each variant is in its doc line and in docs/scenarios.md.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "claim", rename_all = "kebab-case")]
pub enum Claim {
    /// `ROLE N... [term T]`: each node has this role (and term). `leader 3 term 2`, `down 1`.
    Role {
        /// The role.
        role: RoleClaim,
        /// The nodes.
        nodes: Vec<NodeId>,
        /// The term, if stated.
        term: Option<Term>,
    },
    /// `no-leader`: no running node is a leader.
    NoLeader,
    /// `leaders N...`: exactly these running nodes believe they lead (any terms).
    Leaders {
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `votes N from M...`: node N (candidate, or leader of its current
    /// term) holds exactly the votes of these nodes (itself included).
    Votes {
        /// The candidate or leader.
        node: NodeId,
        /// The voters.
        from: Vec<NodeId>,
    },
    /// `committed [I] "CMD" on N...`: each node's log holds the command (at index I) and has committed it.
    Committed {
        /// The index, if stated.
        index: Option<LogIndex>,
        /// The command.
        cmd: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `uncommitted [I] "CMD" on N...`: each node's log holds the command, not yet committed.
    Uncommitted {
        /// The index, if stated.
        index: Option<LogIndex>,
        /// The command.
        cmd: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `absent "CMD" on N...`: the command is in none of these logs.
    Absent {
        /// The command.
        cmd: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `commit-index I on N...`
    CommitIndex {
        /// The commit index.
        index: LogIndex,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `kv KEY=VALUE on N...`: the nodes' state machines hold this value.
    Kv {
        /// Key.
        key: String,
        /// Value.
        value: String,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `log-terms T... on N...`: each node's log has exactly entries of these terms (`log-terms on 3`: empty).
    LogTerms {
        /// Term of entry 1, 2, ...
        terms: Vec<Term>,
        /// The nodes.
        nodes: Vec<NodeId>,
    },
    /// `logs-match N...`: these logs are identical (same entries, same length).
    LogsMatch {
        /// The nodes (two or more).
        nodes: Vec<NodeId>,
    },
    /// `next-index L for F is I`: leader L's nextIndex for follower F.
    NextIndex {
        /// The leader.
        leader: NodeId,
        /// The follower.
        follower: NodeId,
        /// nextIndex.
        index: LogIndex,
    },
    /// `rejected-appends F is N`: follower F has sent exactly N failed AppendEntries replies so far.
    RejectedAppends {
        /// The follower.
        follower: NodeId,
        /// How many.
        count: u64,
    },
    /// `client "CMD" RESULT`: the latest outcome of this request (`pending` = proposed, not answered).
    Client {
        /// The command.
        cmd: String,
        /// The outcome.
        result: ClientClaim,
    },
    /// `violation "PROPERTY"`: the safety checker has flagged this property by now.
    Violation {
        /// The property.
        property: Property,
    },
    /// `no-violation`: the safety checker has flagged nothing so far.
    NoViolation,
}

/// One `at TIME expect CLAIM` line: the moment, the claim and where it was
/// written.
///
/// Equality compares the moment and the claim only: where a line was written
/// is not what it means, so a printed and re-parsed scenario is equal to the
/// original.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Expect {
    /// The moment (µs of virtual time): the claim holds after every event at
    /// or before it.
    pub at_us: u64,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column of the claim (its first word, after `expect`).
    pub column: usize,
    /// What is claimed.
    pub claim: Claim,
}

impl PartialEq for Expect {
    fn eq(&self, other: &Expect) -> bool {
        self.at_us == other.at_us && self.claim == other.claim
    }
}

impl Eq for Expect {}

/// Parses a property by its paper title (`"Leader Completeness"`) or its
/// kebab-case name (`leader-completeness`), case-insensitively.
pub fn parse_property(text: &str) -> Option<Property> {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "");
    Property::ALL
        .into_iter()
        .find(|p| norm(p.title()) == norm(text))
}

fn property_list() -> String {
    Property::ALL
        .iter()
        .map(|p| format!("\"{}\"", p.title()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses the part after `expect`.
/// Parses the part after `expect` (to the end of the line). Every node id
/// it names is recorded in `c` ([`Args::named_nodes`]).
pub fn parse_claim(c: &mut Args) -> Result<Claim, ParseError> {
    let column = c.column();
    let Some(word) = c.peek_word().map(str::to_string) else {
        return Err(c.expected("a claim such as `leader 3 term 2`"));
    };
    c.advance();
    let on_nodes = |c: &mut Args| -> Result<Vec<NodeId>, ParseError> {
        if !c.eat("on") {
            return Err(c.expected("`on` and the nodes"));
        }
        c.node_list_until_keyword()
    };
    let index_and_cmd = |c: &mut Args| -> Result<(Option<LogIndex>, String), ParseError> {
        let index = if c.peek_is_string() {
            None
        } else {
            Some(c.u64("a log index or a quoted command")?)
        };
        Ok((index, c.quoted("a quoted command such as \"set a=5\"")?))
    };
    let claim = if let Some(role) = RoleClaim::from_name(&word) {
        let nodes = c.node_list_until_keyword()?;
        let term = if c.eat("term") {
            Some(c.u64("a term number")?)
        } else {
            None
        };
        Claim::Role { role, nodes, term }
    } else {
        match word.as_str() {
            "no-leader" => Claim::NoLeader,
            "leaders" => Claim::Leaders { nodes: c.node_list_until_keyword()? },
            "votes" => {
                let node = c.node()?;
                if !c.eat("from") {
                    return Err(c.expected("`from` and the voters"));
                }
                Claim::Votes { node, from: c.node_list_until_keyword()? }
            }
            "committed" => {
                let (index, cmd) = index_and_cmd(c)?;
                Claim::Committed { index, cmd, nodes: on_nodes(c)? }
            }
            "uncommitted" => {
                let (index, cmd) = index_and_cmd(c)?;
                Claim::Uncommitted { index, cmd, nodes: on_nodes(c)? }
            }
            "absent" => {
                let cmd = c.quoted("a quoted command")?;
                Claim::Absent { cmd, nodes: on_nodes(c)? }
            }
            "commit-index" => {
                let index = c.u64("a log index")?;
                Claim::CommitIndex { index, nodes: on_nodes(c)? }
            }
            "kv" => {
                let (key, value) = c.conv("KEY=VALUE such as `a=5`", |w| {
                    w.split_once('=').filter(|(k, _)| !k.is_empty()).map(|(k, v)| (k.to_string(), v.to_string()))
                })?;
                Claim::Kv { key, value, nodes: on_nodes(c)? }
            }
            "log-terms" => {
                let mut terms = Vec::new();
                while c.peek_word().is_some_and(|w| w != "on") {
                    terms.push(c.u64("a term number or `on`")?);
                }
                Claim::LogTerms { terms, nodes: on_nodes(c)? }
            }
            "logs-match" => {
                let col = c.column();
                let nodes = c.node_list_until_keyword()?;
                if nodes.len() < 2 {
                    return Err(ParseError { line: c.line(), column: col, message: "`logs-match` compares two or more nodes".into() });
                }
                Claim::LogsMatch { nodes }
            }
            "next-index" => {
                let leader = c.node()?;
                if !c.eat("for") {
                    return Err(c.expected("`for` and the follower"));
                }
                let follower = c.node()?;
                if !c.eat("is") {
                    return Err(c.expected("`is` and the index"));
                }
                Claim::NextIndex { leader, follower, index: c.u64("a log index")? }
            }
            "rejected-appends" => {
                let follower = c.node()?;
                if !c.eat("is") {
                    return Err(c.expected("`is` and a count"));
                }
                Claim::RejectedAppends { follower, count: c.u64("a count")? }
            }
            "client" => {
                let cmd = c.quoted("a quoted command")?;
                let names: Vec<&str> = ClientClaim::ALL.iter().map(|(_, n)| *n).collect();
                let result = c.conv(&format!("one of {}", names.join(", ")), |w| {
                    ClientClaim::ALL.iter().find(|(_, n)| *n == w).map(|(r, _)| *r)
                })?;
                Claim::Client { cmd, result }
            }
            "violation" => {
                let col = c.column();
                let text = c.quoted("a quoted property name such as \"Leader Completeness\"")?;
                let Some(property) = parse_property(&text) else {
                    return Err(ParseError {
                        line: c.line(),
                        column: col,
                        message: format!("unknown property \"{text}\"; expected one of {}", property_list()),
                    });
                };
                Claim::Violation { property }
            }
            "no-violation" => Claim::NoViolation,
            other => {
                return Err(ParseError {
                    line: c.line(),
                    column,
                    message: format!(
                        "unknown claim `{other}`; expected one of: follower, precandidate, candidate, leader, down, \
                         no-leader, leaders, votes, committed, uncommitted, absent, commit-index, kv, log-terms, \
                         logs-match, next-index, rejected-appends, client, violation, no-violation"
                    ),
                })
            }
        }
    };
    c.finish()?;
    Ok(claim)
}

impl fmt::Display for Claim {
    /// The claim as written after `expect` (parses back to an equal claim).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let idx = |i: &Option<LogIndex>| i.map(|i| format!("{i} ")).unwrap_or_default();
        match self {
            Claim::Role { role, nodes, term } => {
                write!(f, "{} {}", role.name(), join(nodes))?;
                if let Some(t) = term {
                    write!(f, " term {t}")?;
                }
                Ok(())
            }
            Claim::NoLeader => write!(f, "no-leader"),
            Claim::Leaders { nodes } => write!(f, "leaders {}", join(nodes)),
            Claim::Votes { node, from } => write!(f, "votes {node} from {}", join(from)),
            Claim::Committed { index, cmd, nodes } => write!(
                f,
                "committed {}{} on {}",
                idx(index),
                quote(cmd),
                join(nodes)
            ),
            Claim::Uncommitted { index, cmd, nodes } => {
                write!(
                    f,
                    "uncommitted {}{} on {}",
                    idx(index),
                    quote(cmd),
                    join(nodes)
                )
            }
            Claim::Absent { cmd, nodes } => write!(f, "absent {} on {}", quote(cmd), join(nodes)),
            Claim::CommitIndex { index, nodes } => {
                write!(f, "commit-index {index} on {}", join(nodes))
            }
            Claim::Kv { key, value, nodes } => write!(f, "kv {key}={value} on {}", join(nodes)),
            Claim::LogTerms { terms, nodes } => {
                let ts: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
                if ts.is_empty() {
                    write!(f, "log-terms on {}", join(nodes))
                } else {
                    write!(f, "log-terms {} on {}", ts.join(" "), join(nodes))
                }
            }
            Claim::LogsMatch { nodes } => write!(f, "logs-match {}", join(nodes)),
            Claim::NextIndex {
                leader,
                follower,
                index,
            } => write!(f, "next-index {leader} for {follower} is {index}"),
            Claim::RejectedAppends { follower, count } => {
                write!(f, "rejected-appends {follower} is {count}")
            }
            Claim::Client { cmd, result } => write!(f, "client {} {}", quote(cmd), result.name()),
            Claim::Violation { property } => write!(f, "violation {}", quote(property.title())),
            Claim::NoViolation => write!(f, "no-violation"),
        }
    }
}

impl fmt::Display for Expect {
    /// `expect CLAIM`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expect {}", self.claim)
    }
}

/// The trace up to the simulator's present (after a backward seek the trace
/// also holds the known future, which a claim must not see).
fn trace_now(sim: &Sim) -> &[crate::TraceEvent] {
    let n = sim.trace_len_now().min(sim.trace().len());
    &sim.trace()[..n]
}

fn find_entry<'a>(
    sim: &'a Sim,
    node: NodeId,
    index: Option<LogIndex>,
    cmd: &str,
) -> Result<Option<&'a Entry>, String> {
    let n = sim
        .node(node)
        .ok_or_else(|| format!("node {node} is down"))?;
    let is_cmd = |e: &&Entry| matches!(&e.payload, Payload::Command { cmd: c } if c == cmd);
    Ok(match index {
        Some(i) => n.log().entry(i).filter(is_cmd),
        None => n.log().entries().rev().find(is_cmd),
    })
}

fn log_text(sim: &Sim, node: NodeId) -> String {
    let Some(n) = sim.node(node) else {
        return "down".into();
    };
    let terms: Vec<String> = n.log().entries().map(|e| e.term.to_string()).collect();
    format!("[{}] commit {}", terms.join(" "), n.commit_index())
}

impl Claim {
    /// Checks the claim against the simulator as it is now. `Err` says what
    /// the run shows instead, in one sentence.
    pub fn check(&self, sim: &Sim) -> Result<(), String> {
        match self {
            Claim::Role { role, nodes, term } => {
                for &id in nodes {
                    let node = sim.node(id);
                    let actual = RoleClaim::of(node.map(|n| n.role()));
                    let actual_term = node.map(|n| n.term());
                    let term_ok = match (term, actual_term) {
                        (None, _) => true,
                        (Some(t), Some(at)) => *t == at,
                        (Some(_), None) => false,
                    };
                    if actual != *role || !term_ok {
                        return Err(match actual_term {
                            Some(at) => format!("node {id} is {} in term {at}", actual.name()),
                            None => format!("node {id} is down"),
                        });
                    }
                }
                Ok(())
            }
            Claim::NoLeader => match sim.leader() {
                None => Ok(()),
                Some(id) => Err(format!(
                    "node {id} is leader in term {}",
                    sim.node(id).map_or(0, |n| n.term())
                )),
            },
            Claim::Leaders { nodes } => {
                let want = sorted(nodes);
                let have = leaders(sim);
                if have == want {
                    Ok(())
                } else {
                    Err(format!("the leaders are [{}]", join(&have)))
                }
            }
            Claim::Votes { node, from } => {
                let want = sorted(from);
                let n = sim
                    .node(*node)
                    .ok_or_else(|| format!("node {node} is down"))?;
                let have = match n.role() {
                    Role::Candidate | Role::PreCandidate => n.votes_received(),
                    Role::Leader => trace_now(sim)
                        .iter()
                        .rev()
                        .find_map(|e| match &e.ev {
                            Ev::Leader {
                                node: l,
                                term,
                                votes,
                            } if l == node && *term == n.term() => Some(votes.clone()),
                            _ => None,
                        })
                        .unwrap_or_default(),
                    Role::Follower => {
                        return Err(format!("node {node} is a follower in term {}", n.term()))
                    }
                };
                let have = sorted(&have);
                if have == want {
                    Ok(())
                } else {
                    Err(format!("node {node} holds the votes of [{}]", join(&have)))
                }
            }
            Claim::Committed { index, cmd, nodes } => {
                for &id in nodes {
                    let commit = sim.node(id).map_or(0, |n| n.commit_index());
                    match find_entry(sim, id, *index, cmd)? {
                        None => {
                            return Err(format!(
                                "node {id} does not hold \"{cmd}\" (log {})",
                                log_text(sim, id)
                            ))
                        }
                        Some(e) if e.index > commit => {
                            return Err(format!(
                            "node {id} holds \"{cmd}\" at {} but has committed only up to {commit}",
                            e.index
                        ))
                        }
                        Some(_) => {}
                    }
                }
                Ok(())
            }
            Claim::Uncommitted { index, cmd, nodes } => {
                for &id in nodes {
                    let commit = sim.node(id).map_or(0, |n| n.commit_index());
                    match find_entry(sim, id, *index, cmd)? {
                        None => {
                            return Err(format!(
                                "node {id} does not hold \"{cmd}\" (log {})",
                                log_text(sim, id)
                            ))
                        }
                        Some(e) if e.index <= commit => {
                            return Err(format!(
                                "node {id} has already committed \"{cmd}\" (index {})",
                                e.index
                            ))
                        }
                        Some(_) => {}
                    }
                }
                Ok(())
            }
            Claim::Absent { cmd, nodes } => {
                for &id in nodes {
                    if let Some(e) = find_entry(sim, id, None, cmd)? {
                        return Err(format!("node {id} holds \"{cmd}\" at index {}", e.index));
                    }
                }
                Ok(())
            }
            Claim::CommitIndex { index, nodes } => {
                for &id in nodes {
                    let n = sim.node(id).ok_or_else(|| format!("node {id} is down"))?;
                    if n.commit_index() != *index {
                        return Err(format!("node {id} has commit index {}", n.commit_index()));
                    }
                }
                Ok(())
            }
            Claim::Kv { key, value, nodes } => {
                for &id in nodes {
                    if sim.node(id).is_none() {
                        return Err(format!("node {id} is down"));
                    }
                    let have = sim.kv(id).and_then(|kv| kv.get(key));
                    if have != Some(value) {
                        return Err(match have {
                            Some(v) => format!("node {id} has {key}={v}"),
                            None => format!("node {id} has no value for {key}"),
                        });
                    }
                }
                Ok(())
            }
            Claim::LogTerms { terms, nodes } => {
                for &id in nodes {
                    let n = sim.node(id).ok_or_else(|| format!("node {id} is down"))?;
                    let have: Vec<Term> = n.log().entries().map(|e| e.term).collect();
                    if n.log().first_index() != 1 || &have != terms {
                        return Err(format!("node {id}'s log is {}", log_text(sim, id)));
                    }
                }
                Ok(())
            }
            Claim::LogsMatch { nodes } => {
                let mut first: Option<(NodeId, (LogIndex, Vec<Entry>))> = None;
                for &id in nodes {
                    let n = sim.node(id).ok_or_else(|| format!("node {id} is down"))?;
                    let log = (
                        n.log().first_index(),
                        n.log().entries().cloned().collect::<Vec<_>>(),
                    );
                    match &first {
                        None => first = Some((id, log)),
                        Some((f, flog)) if *flog != log => {
                            return Err(format!(
                                "node {f}'s log {} differs from node {id}'s {}",
                                log_text(sim, *f),
                                log_text(sim, id)
                            ))
                        }
                        Some(_) => {}
                    }
                }
                Ok(())
            }
            Claim::NextIndex {
                leader,
                follower,
                index,
            } => {
                let n = sim
                    .node(*leader)
                    .ok_or_else(|| format!("node {leader} is down"))?;
                if n.role() != Role::Leader {
                    return Err(format!("node {leader} is not a leader"));
                }
                match n.progress().iter().find(|p| p.id == *follower) {
                    Some(p) if p.next_index == *index => Ok(()),
                    Some(p) => Err(format!(
                        "leader {leader}'s nextIndex for {follower} is {}",
                        p.next_index
                    )),
                    None => Err(format!(
                        "leader {leader} tracks no progress for node {follower}"
                    )),
                }
            }
            Claim::RejectedAppends { follower, count } => {
                let have = trace_now(sim)
                    .iter()
                    .filter(|e| {
                        matches!(&e.ev, Ev::Send { from, msg, .. }
                            if from == follower && matches!(**msg, Message::AppendEntriesReply { success: false, .. }))
                    })
                    .count() as u64;
                if have == *count {
                    Ok(())
                } else {
                    Err(format!(
                        "node {follower} has rejected {have} AppendEntries so far"
                    ))
                }
            }
            Claim::Client { cmd, result } => {
                let mut have: Option<ClientClaim> = None;
                for e in trace_now(sim) {
                    match &e.ev {
                        Ev::Request { cmd: c, .. } if c == cmd => have = Some(ClientClaim::Pending),
                        Ev::Client {
                            cmd: c, result: r, ..
                        } if c == cmd => {
                            have = ClientClaim::ALL
                                .iter()
                                .find(|(_, n)| n == r)
                                .map(|(k, _)| *k);
                        }
                        _ => {}
                    }
                }
                match have {
                    Some(h) if h == *result => Ok(()),
                    Some(h) => Err(format!("the request \"{cmd}\" is {}", h.name())),
                    None => Err(format!("nobody has asked for \"{cmd}\" yet")),
                }
            }
            Claim::Violation { property } => {
                let v = sim.violations();
                if v.iter().any(|v| v.property == *property) {
                    Ok(())
                } else if v.is_empty() {
                    Err("the safety checker has flagged nothing".into())
                } else {
                    let names: Vec<&str> = v.iter().map(|v| v.property.title()).collect();
                    Err(format!(
                        "the safety checker flagged only: {}",
                        names.join(", ")
                    ))
                }
            }
            Claim::NoViolation => match sim.violations().first() {
                None => Ok(()),
                Some(v) => Err(format!(
                    "the safety checker flagged {}: {}",
                    v.property.title(),
                    v.detail
                )),
            },
        }
    }
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
        if let Err(message) = e.claim.check(sim) {
            failures.push(ClaimFailure {
                at_us: e.at_us,
                line: e.line,
                column: e.column,
                claim: e.claim.clone(),
                message,
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
