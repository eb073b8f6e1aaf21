//! Which rule of the paper each trace event applied: the key of the page's
//! rule panel. A typed match on the event and on what it carries (the
//! message, the reason of a refusal or a step-down), read with the events
//! of the same instant around it: a node's outputs follow the input that
//! caused them (`sim/ready.rs` writes them in causal order), so a reply
//! finds its request and a commit the message that advanced it.
//!
//! The trace does not show a log before a delivery, so whether a follower
//! deleted conflicting entries (AppendEntries receiver rule 3) comes from
//! the simulator, which watched: [`Sim::deletions`].

use raft::{Message, NodeId, Role, Rule, Term};

use super::{ClientResult, Ev, TraceEvent};
use crate::checker::Property;
use crate::scenario::Action;
use crate::Sim;

impl Sim {
    /// The rules the event with global index `i` applied, the most
    /// specific first; empty for an event no rule of the paper produces (a
    /// crash, a partition, a lost message) and for an index not kept
    /// (past the trace, or before [`Sim::trace_base`]).
    pub fn rules_at(&self, i: usize) -> Vec<Rule> {
        rules_at(self.trace(), self.trace_base(), i, self.deletions())
    }
}

/// The rules the event with index `i` applied, the most specific first;
/// `trace` holds the events from index `base` on (a window: see
/// [`Sim::trace_base`]; 0 for a whole trace), and an event outside it has
/// none. `deletions`: the indices of the AppendEntries deliveries whose
/// receiver deleted conflicting entries ([`Sim::deletions`]).
///
/// Never inlined: its callers in the page are several, and one copy keeps
/// the wasm small.
#[inline(never)]
pub fn rules_at(trace: &[TraceEvent], base: usize, i: usize, deletions: &[usize]) -> Vec<Rule> {
    // Before the window, `i` wraps past its end: no event, no rules.
    let i = i.wrapping_sub(base);
    let Some(e) = trace.get(i) else {
        return Vec::new();
    };
    let cx = Context {
        trace,
        i,
        base,
        deletions,
    };
    let rules = match &e.ev {
        Ev::Role { node, role, term } => cx.role_rules(*node, *role, *term),
        Ev::Leader { .. } => vec![
            Rule::CandidateMajority,
            Rule::LeaderVolatileState,
            Rule::NoopOnElection,
        ],
        Ev::Send { from, to, msg, .. } => cx.send_rules(i, *from, *to, msg),
        Ev::Deliver { from, to, msg, .. } => cx.deliver_rules(*from, *to, msg),
        Ev::Commit { node, term, .. } => cx.commit_rules(*node, *term),
        Ev::Timeout { node, .. } => cx.timeout_rules(*node),
        Ev::Restart { .. } => vec![Rule::PersistentState, Rule::VolatileState],
        Ev::Request { .. } => vec![Rule::LeadersClientCommand],
        Ev::Client { result, .. } => match result {
            ClientResult::Ok => vec![Rule::LeadersClientCommand],
            ClientResult::Redirect | ClientResult::Timeout | ClientResult::Unavailable => {
                vec![Rule::ClientInteraction]
            }
            ClientResult::Rejected => Vec::new(),
        },
        Ev::Change { change, .. } => change_rule(change).into_iter().collect(),
        Ev::Membership { .. } => vec![Rule::LatestConfiguration],
        Ev::Stepdown { reason, .. } => vec![reason.rule()],
        Ev::Reject { reason, .. } => vec![reason.rule()],
        Ev::Compact { .. } => vec![Rule::Compaction],
        Ev::Snapshot { .. } => vec![Rule::InstallSnapshot],
        Ev::Violation(v) => vec![property_rule(v.property)],
        Ev::Drop { .. }
        | Ev::Crash { .. }
        | Ev::Removed { .. }
        | Ev::Partition { .. }
        | Ev::Isolate { .. }
        | Ev::Cut { .. }
        | Ev::Restore { .. }
        | Ev::Heal
        | Ev::Setting { .. }
        | Ev::Note { .. } => Vec::new(),
    };
    let mut unique = Vec::with_capacity(rules.len());
    for r in rules {
        if !unique.contains(&r) {
            unique.push(r);
        }
    }
    unique
}

/// The rule a membership change or a transfer follows.
fn change_rule(change: &Action) -> Option<Rule> {
    match change {
        Action::Add { .. } | Action::AddLearner { .. } | Action::Remove { .. } => {
            Some(Rule::SingleServerChange)
        }
        Action::Change { .. } | Action::UnsafeChange { .. } => Some(Rule::JointConsensus),
        Action::Transfer { .. } => Some(Rule::LeadershipTransfer),
        _ => None,
    }
}

/// The rule of Figure 3 a violated property is.
fn property_rule(p: Property) -> Rule {
    match p {
        Property::ElectionSafety => Rule::ElectionSafety,
        Property::LeaderAppendOnly => Rule::LeaderAppendOnly,
        Property::LogMatching => Rule::LogMatching,
        Property::LeaderCompleteness => Rule::LeaderCompleteness,
        Property::StateMachineSafety => Rule::StateMachineSafety,
    }
}

/// The node an event is an input to (a delivery, a timer, a restart, a
/// client request or change proposed there): the events after it in the
/// same instant that concern that node are its outputs.
fn input_to(ev: &Ev) -> Option<NodeId> {
    match ev {
        Ev::Deliver { to, .. } => Some(*to),
        Ev::Timeout { node, .. }
        | Ev::Restart { node }
        | Ev::Request { node, .. }
        | Ev::Change { node, .. } => Some(*node),
        _ => None,
    }
}

/// One event of a trace, with the trace around it.
struct Context<'a> {
    trace: &'a [TraceEvent],
    /// Local: `trace[i]`.
    i: usize,
    /// The index of `trace[0]`: `deletions` are indices, not positions.
    base: usize,
    deletions: &'a [usize],
}

impl<'a> Context<'a> {
    /// The events before `at` in its instant, nearest first.
    fn earlier(&self, at: usize) -> impl Iterator<Item = (usize, &'a Ev)> + 'a {
        let trace = self.trace;
        let t = trace.get(at).map_or(0, |e| e.t);
        (0..at)
            .rev()
            .take_while(move |&j| trace[j].t == t)
            .map(move |j| (j, &trace[j].ev))
    }

    /// The events after `at` that belong to the same input: same instant,
    /// up to the next input.
    fn later(&self, at: usize) -> impl Iterator<Item = (usize, &'a Ev)> + 'a {
        let trace = self.trace;
        let t = trace.get(at).map_or(0, |e| e.t);
        (at + 1..trace.len())
            .take_while(move |&j| trace[j].t == t && input_to(&trace[j].ev).is_none())
            .map(move |j| (j, &trace[j].ev))
    }

    /// The input to `node` that the event at `at` is an output of.
    fn cause(&self, at: usize, node: NodeId) -> Option<(usize, &'a Ev)> {
        self.earlier(at).find(|(_, e)| input_to(e) == Some(node))
    }

    /// The message delivered to `node` that caused the event at `at`.
    fn delivered(&self, at: usize, node: NodeId) -> Option<(usize, &'a Message)> {
        match self.cause(at, node) {
            Some((j, Ev::Deliver { msg, .. })) => Some((j, msg)),
            _ => None,
        }
    }

    /// The node's role and term as last traced before `at`: a server that
    /// has none traced is where every server starts, a follower in term 0.
    fn role_before(&self, at: usize, node: NodeId) -> (Role, Term) {
        let traced = self.trace[..at].iter().rev().find_map(|e| match e.ev {
            Ev::Role {
                node: n,
                role,
                term,
            } if n == node => Some((role, term)),
            _ => None,
        });
        traced.unwrap_or((Role::Follower, 0))
    }

    /// An election timer ran out: a follower or a candidate campaigns, a
    /// server that does not vote refuses to.
    fn timeout_rules(&self, node: NodeId) -> Vec<Rule> {
        let refused = self.later(self.i).find_map(|(_, e)| match e {
            Ev::Reject { node: n, reason } if *n == node => Some(reason.rule()),
            _ => None,
        });
        match (refused, self.role_before(self.i, node)) {
            (Some(rule), _) => vec![rule],
            (None, (Role::Candidate | Role::PreCandidate, _)) => vec![Rule::CandidatesTimeout],
            (None, _) => vec![Rule::FollowersTimeout],
        }
    }

    /// A role change. A follower's without an input is the run's start (or
    /// a timer's, whose step-down event names its own rule).
    fn role_rules(&self, node: NodeId, role: Role, term: Term) -> Vec<Rule> {
        let before = self.role_before(self.i, node);
        let cause = self.cause(self.i, node).map(|(_, e)| e);
        match role {
            Role::Follower => match before {
                _ if cause.is_none() => Vec::new(),
                (_, was) if term > was => vec![Rule::AllServersHigherTerm],
                (Role::Candidate | Role::PreCandidate, _)
                    if matches!(
                        cause,
                        Some(Ev::Deliver {
                            msg,
                            ..
                        }) if matches!(**msg, Message::AppendEntries { .. } | Message::InstallSnapshot { .. })
                    ) =>
                {
                    vec![Rule::CandidatesNewLeader]
                }
                _ => vec![Rule::RoleTransitions],
            },
            Role::PreCandidate => vec![Rule::PreVote],
            Role::Candidate => {
                let transfer = matches!(cause, Some(Ev::Deliver { msg, .. }) if matches!(**msg, Message::TimeoutNow { .. }));
                let mut r = vec![Rule::CandidatesStartElection];
                if transfer {
                    r.push(Rule::LeadershipTransfer);
                }
                r
            }
            Role::Leader => vec![Rule::CandidateMajority, Rule::LeaderVolatileState],
        }
    }

    fn send_rules(&self, at: usize, from: NodeId, to: NodeId, msg: &Message) -> Vec<Rule> {
        match msg {
            Message::RequestVote { transfer, .. } => {
                let mut r = vec![Rule::CandidatesStartElection];
                if *transfer {
                    r.push(Rule::LeadershipTransfer);
                }
                r
            }
            Message::PreVote { .. } | Message::PreVoteReply { .. } => vec![Rule::PreVote],
            Message::RequestVoteReply { term, granted } => {
                self.vote_reply_rules(at, from, to, *term, *granted)
            }
            Message::AppendEntries { entries, .. } => {
                self.append_rules(at, from, entries.is_empty())
            }
            Message::AppendEntriesReply { term, success, .. } => {
                self.append_reply_rules(at, from, *term, *success)
            }
            Message::InstallSnapshot { .. } => vec![Rule::InstallSnapshot],
            Message::InstallSnapshotReply { term, .. } => match self.delivered(at, from) {
                Some((_, m)) if m.term() < *term => vec![Rule::InstallSnapshotReceiver1],
                _ => vec![Rule::InstallSnapshot],
            },
            Message::TimeoutNow { .. } => vec![Rule::LeadershipTransfer],
        }
    }

    /// A voter's answer to RequestVote: stale (rule 1), granted (rule 2),
    /// refused because it already voted in the term (rule 2), or refused
    /// because its log is more up to date (§5.4.1, within rule 2).
    fn vote_reply_rules(
        &self,
        at: usize,
        voter: NodeId,
        candidate: NodeId,
        term: Term,
        granted: bool,
    ) -> Vec<Rule> {
        let request_term = self.delivered(at, voter).map(|(_, m)| m.term());
        if granted {
            return vec![Rule::RequestVoteReceiver2];
        }
        if request_term.is_some_and(|t| t < term) {
            return vec![Rule::RequestVoteReceiver1];
        }
        if self.voted_in(at, voter, candidate, term) {
            vec![Rule::RequestVoteReceiver2]
        } else {
            vec![Rule::ElectionRestriction, Rule::RequestVoteReceiver2]
        }
    }

    /// Whether `voter` had already voted in `term` before `at`, for itself
    /// (it was a candidate) or for another candidate than `candidate`.
    fn voted_in(&self, at: usize, voter: NodeId, candidate: NodeId, term: Term) -> bool {
        for e in self.trace[..at].iter().rev() {
            match &e.ev {
                Ev::Role {
                    node,
                    role,
                    term: t,
                } if *node == voter => {
                    if *t < term {
                        return false;
                    }
                    if *t == term && matches!(role, Role::Candidate | Role::Leader) {
                        return true;
                    }
                }
                Ev::Send { from, to, msg, .. } if *from == voter && *to != candidate => {
                    if matches!(**msg, Message::RequestVoteReply { term: t, granted: true } if t == term)
                    {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// A leader's AppendEntries: the retry after a refusal, the first after
    /// its election, a heartbeat, or entries from nextIndex.
    fn append_rules(&self, at: usize, leader: NodeId, heartbeat: bool) -> Vec<Rule> {
        if let Some((_, Message::AppendEntriesReply { success: false, .. })) =
            self.delivered(at, leader)
        {
            return vec![Rule::LeadersBackOff];
        }
        let elected = self
            .earlier(at)
            .take_while(|(_, e)| input_to(e) != Some(leader))
            .any(|(_, e)| matches!(e, Ev::Leader { node, .. } if *node == leader));
        if elected {
            vec![Rule::LeadersHeartbeat, Rule::NoopOnElection]
        } else if heartbeat {
            vec![Rule::LeadersHeartbeat]
        } else {
            vec![Rule::LeadersReplicate]
        }
    }

    /// A follower's answer to AppendEntries: stale (rule 1), no matching
    /// entry (rule 2), conflicting entries deleted (rule 3) and new ones
    /// appended (rule 4), or a heartbeat answered.
    fn append_reply_rules(
        &self,
        at: usize,
        follower: NodeId,
        term: Term,
        success: bool,
    ) -> Vec<Rule> {
        let request = self.delivered(at, follower);
        let appended = match request {
            Some((_, Message::AppendEntries { entries, .. })) => !entries.is_empty(),
            _ => false,
        };
        match (request, success) {
            (Some((_, m)), false) if m.term() < term => vec![Rule::AppendEntriesReceiver1],
            (_, false) => vec![Rule::AppendEntriesReceiver2],
            (Some((j, _)), true) if self.deletions.binary_search(&(j + self.base)).is_ok() => {
                vec![Rule::AppendEntriesReceiver3, Rule::AppendEntriesReceiver4]
            }
            (_, true) if appended => vec![Rule::AppendEntriesReceiver4],
            (_, true) => vec![Rule::FollowersRespond],
        }
    }

    /// A message arriving: what its receiver did with it. A request is
    /// read from the answer it produced; the term it carries may first have
    /// made the receiver a follower.
    fn deliver_rules(&self, from: NodeId, to: NodeId, msg: &Message) -> Vec<Rule> {
        let mut r = self.term_rules(to, msg);
        match msg {
            Message::AppendEntries { .. } if self.deletions.binary_search(&self.i).is_ok() => {
                r.extend([Rule::AppendEntriesReceiver3, Rule::AppendEntriesReceiver4]);
            }
            Message::AppendEntries { .. }
            | Message::RequestVote { .. }
            | Message::PreVote { .. }
            | Message::InstallSnapshot { .. } => {
                let answer = self.later(self.i).find_map(|(j, e)| match e {
                    Ev::Send {
                        from: f,
                        to: t,
                        msg,
                        ..
                    } if *f == to && *t == from => Some(self.send_rules(j, to, from, msg)),
                    Ev::Reject { node, reason } if *node == to => Some(vec![reason.rule()]),
                    _ => None,
                });
                r.extend(answer.unwrap_or_default());
            }
            Message::RequestVoteReply { granted: true, .. } => r.push(Rule::CandidateMajority),
            Message::RequestVoteReply { .. } => {}
            Message::PreVoteReply { .. } => r.push(Rule::PreVote),
            Message::AppendEntriesReply { success: true, .. } => r.push(Rule::LeadersReplicate),
            Message::AppendEntriesReply { .. } if r.is_empty() => r.push(Rule::LeadersBackOff),
            Message::AppendEntriesReply { .. } => {}
            Message::InstallSnapshotReply { .. } => r.push(Rule::InstallSnapshot),
            Message::TimeoutNow { .. } => r.push(Rule::LeadershipTransfer),
        }
        r
    }

    /// What the term of a delivered message did to its receiver: a higher
    /// term made it adopt the term and follow (All Servers, rule 2); a
    /// leader of its own term made a candidate follow (Candidates, rule 3).
    fn term_rules(&self, to: NodeId, msg: &Message) -> Vec<Rule> {
        let became = self.later(self.i).find_map(|(_, e)| match e {
            Ev::Role { node, role, term } if *node == to => Some((*role, *term)),
            _ => None,
        });
        let Some((role, term)) = became else {
            return Vec::new();
        };
        match self.role_before(self.i, to) {
            (_, was) if term > was => vec![Rule::AllServersHigherTerm],
            (Role::Candidate | Role::PreCandidate, _)
                if role == Role::Follower
                    && matches!(
                        msg,
                        Message::AppendEntries { .. } | Message::InstallSnapshot { .. }
                    ) =>
            {
                vec![Rule::CandidatesNewLeader]
            }
            _ => Vec::new(),
        }
    }

    /// An entry committed and applied at `node`: a follower learns the
    /// commit index from its leader (AppendEntries rule 5), a leader counts
    /// replicas (Leaders, rule 4; an entry of an older term only with one of
    /// its own, Figure 8); both then apply it (All Servers, rule 1).
    fn commit_rules(&self, node: NodeId, entry_term: Term) -> Vec<Rule> {
        let led = match self.delivered(self.i, node) {
            Some((_, Message::AppendEntries { .. })) => None,
            Some((_, m @ Message::AppendEntriesReply { .. })) => Some(m.term()),
            _ => match self.role_before(self.i, node) {
                (Role::Leader, term) => Some(term),
                _ => None,
            },
        };
        match led {
            Some(term) if entry_term < term => vec![
                Rule::LeadersCommit,
                Rule::CommitCurrentTermOnly,
                Rule::AllServersApply,
            ],
            Some(_) => vec![Rule::LeadersCommit, Rule::AllServersApply],
            None => vec![Rule::AppendEntriesReceiver5, Rule::AllServersApply],
        }
    }
}
