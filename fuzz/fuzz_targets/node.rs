//! One `raft::Node` fed an arbitrary sequence of inputs: messages from
//! arbitrary peers (forged, stale, duplicated or plausible replies to what
//! the node sent), timer expiries, client commands, configuration changes,
//! leadership transfers, compactions, config switches and crash-restarts from
//! what the caller persisted. After every input the harness drains `ready()`
//! like the simulator does (persist when asked, install, apply) and checks
//! the node-local safety invariants:
//!
//! - currentTerm never decreases; votedFor never changes within a term once
//!   set; at most one candidate gets this server's vote in a term (counting
//!   votedFor and every granted RequestVoteReply, across restarts);
//! - `Ready::persist` is honest: when it is false, `persistent()` equals what
//!   the caller last stored (so a crash loses nothing the node relied on);
//! - within one incarnation, commitIndex never decreases;
//!   `last_applied <= commit_index <= last log index`; `Ready::apply` gives
//!   entries in index order with no gaps, starting after an installed
//!   snapshot, and `last_applied()` is where the caller's state machine is;
//!   a stored entry at an applied index is the entry that was applied;
//! - the log: consecutive indexes, non-decreasing terms, none above
//!   currentTerm, none below the snapshot's term;
//! - a candidate or leader voted for itself; a leader of term T never loses
//!   or changes its entries while it leads T; no two BecameLeader in one term,
//!   and leader terms increase over the whole run;
//! - messages: never to itself, never a term above currentTerm (Pre-Vote
//!   aside); AppendEntries carry consecutive entries that are the leader's own.
//!
//! Teaching switches stay off. Across a restart the applied history is not
//! compared: a restarted node no longer knows what was committed, and this
//! harness's forged leaders do not obey Leader Completeness.

#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use raft::{
    Backoff, ConfChange, Config, Entry, Event, LogIndex, Membership, Message, Node, NodeId,
    Payload, Persistent, Role, Snapshot, Term,
};

/// Most inputs per execution.
const OPS_MAX: usize = 64;
/// Most entries in one forged AppendEntries.
const ENTRIES_MAX: usize = 6;
/// Messages the node sent that a later `Reply` may answer.
const OUTBOX_MAX: usize = 32;
/// How many entries at the end of the log are checked after each input.
const CHECK_WINDOW: usize = 32;

// ---------------------------------------------------------------------------
// The input, decoded with `arbitrary`. Numbers are mostly relative to the
// node's state when the input is applied, so forged messages land near the
// interesting boundaries (current term, last index, commit index).

#[derive(Arbitrary, Debug, Clone, Copy)]
enum TermSel {
    Cur,
    Next,
    Prev,
    Plus(u8),
    Small(u8),
    Max,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum IdxSel {
    Last,
    LastPlus(u8),
    LastMinus(u8),
    Commit,
    CommitPlus(u8),
    Snapshot,
    Small(u8),
    Max,
}

/// A node id from the input: mostly 1..=5 (the cluster), sometimes 0 or a
/// stranger.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Peer(u8);

impl Peer {
    fn id(self) -> NodeId {
        match self.0 % 16 {
            0..=11 => NodeId::from(self.0 % 5 + 1),
            12 | 13 => 6,
            14 => 0,
            _ => NodeId::MAX,
        }
    }
}

/// Ids 1..=7 as bits.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Ids(u8);

impl Ids {
    fn set(self) -> BTreeSet<NodeId> {
        (0..7)
            .filter(|b| self.0 & (1 << b) != 0)
            .map(|b| b + 1)
            .collect()
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct MemSpec {
    voters: Ids,
    outgoing: Ids,
    learners: Ids,
    joint: bool,
    with_learners: bool,
}

impl MemSpec {
    fn build(self) -> Membership {
        let mut m = Membership::new(self.voters.set());
        if self.joint {
            m.outgoing = self.outgoing.set();
        }
        if self.with_learners {
            m.learners = self.learners.set();
        }
        m
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum PayloadSpec {
    Noop,
    Cmd(u8),
    Config(MemSpec),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum EntryTerm {
    /// The message's term.
    Msg,
    /// The previous entry's (or prevLogTerm).
    Same,
    Sel(TermSel),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct EntrySpec {
    /// Consecutive from prevLogIndex + 1 (else the index is `index`).
    consecutive: bool,
    index: IdxSel,
    term: EntryTerm,
    payload: PayloadSpec,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum PrevTerm {
    /// The node's own term at prevLogIndex (a consistency check that passes).
    Matching,
    Sel(TermSel),
}

#[derive(Arbitrary, Debug, Clone)]
enum Msg {
    RequestVote {
        term: TermSel,
        honest: bool,
        candidate: Peer,
        last_log_index: IdxSel,
        last_log_term: TermSel,
        transfer: bool,
    },
    RequestVoteReply {
        term: TermSel,
        granted: bool,
    },
    PreVote {
        term: TermSel,
        honest: bool,
        candidate: Peer,
        last_log_index: IdxSel,
        last_log_term: TermSel,
    },
    PreVoteReply {
        term: TermSel,
        granted: bool,
    },
    AppendEntries {
        term: TermSel,
        honest: bool,
        leader: Peer,
        prev_log_index: IdxSel,
        prev_log_term: PrevTerm,
        entries: Vec<EntrySpec>,
        leader_commit: IdxSel,
    },
    AppendEntriesReply {
        term: TermSel,
        success: bool,
        match_index: IdxSel,
        conflict_term: Option<TermSel>,
        conflict_index: IdxSel,
    },
    InstallSnapshot {
        term: TermSel,
        honest: bool,
        leader: Peer,
        last_index: IdxSel,
        last_term: TermSel,
        membership: MemSpec,
        data: u8,
    },
    InstallSnapshotReply {
        term: TermSel,
        last_index: IdxSel,
    },
    TimeoutNow {
        term: TermSel,
        honest: bool,
        leader: Peer,
    },
}

/// How a well-behaved peer answers one of the node's messages.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum ReplyKind {
    /// Grant the vote, accept the entries, take the snapshot.
    Yes,
    /// Refuse (an AppendEntries: the log does not match; hint given or not).
    No { hint: bool, back: u8 },
    /// Refuse with a higher term.
    Higher(u8),
}

#[derive(Arbitrary, Debug, Clone)]
enum ChangeSpec {
    AddLearner(Peer),
    AddVoter(Peer),
    Remove(Peer),
    Joint(Ids),
    Direct(Ids),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Switches {
    pre_vote: bool,
    check_quorum: bool,
    sticky_leader: bool,
    noop_on_elect: bool,
    hint: bool,
    max_entries: u8,
    auto_promote: bool,
}

impl Switches {
    fn config(self, id: NodeId) -> Config {
        let mut c = Config::new(id);
        c.pre_vote = self.pre_vote;
        c.check_quorum = self.check_quorum;
        c.sticky_leader = self.sticky_leader;
        c.noop_on_elect = self.noop_on_elect;
        c.backoff = if self.hint {
            Backoff::ConflictHint
        } else {
            Backoff::Decrement
        };
        c.max_entries_per_append = usize::from(self.max_entries % 5);
        c.auto_promote_learners = self.auto_promote;
        c
    }
}

#[derive(Arbitrary, Debug, Clone)]
enum Op {
    Deliver {
        from: Peer,
        msg: Msg,
    },
    /// A plausible answer to the `which`-th message the node sent.
    Reply {
        which: u8,
        kind: ReplyKind,
    },
    ElectionTimeout,
    HeartbeatTimeout,
    LeaseTimeout,
    Propose(u8),
    ConfChange(ChangeSpec),
    Transfer(Peer),
    Compact {
        up_to: IdxSel,
        data: u8,
    },
    /// Crash and restart from the last persisted state.
    Restart,
    SetConfig {
        switches: Switches,
        wrong_id: bool,
    },
}

#[derive(Arbitrary, Debug)]
struct Setup {
    /// The node's id, 1..=3.
    id: u8,
    /// Initial voters (bits for 1..=7; the node's own id is added unless `outsider`).
    voters: Ids,
    outsider: bool,
    learners: Option<Ids>,
    switches: Switches,
}

// ---------------------------------------------------------------------------
// Turning selectors into numbers.

fn term_of(sel: TermSel, node: &Node) -> Term {
    let t = node.term();
    match sel {
        TermSel::Cur => t,
        TermSel::Next => t.saturating_add(1),
        TermSel::Prev => t.saturating_sub(1),
        TermSel::Plus(n) => t.saturating_add(u64::from(n % 4)),
        TermSel::Small(n) => u64::from(n % 8),
        TermSel::Max => Term::MAX,
    }
}

fn index_of(sel: IdxSel, node: &Node) -> LogIndex {
    let last = node.log().last_index();
    let commit = node.commit_index();
    match sel {
        IdxSel::Last => last,
        IdxSel::LastPlus(n) => last.saturating_add(u64::from(n % 4)),
        IdxSel::LastMinus(n) => last.saturating_sub(u64::from(n % 4)),
        IdxSel::Commit => commit,
        IdxSel::CommitPlus(n) => commit.saturating_add(u64::from(n % 4)),
        IdxSel::Snapshot => node.log().snapshot_index(),
        IdxSel::Small(n) => u64::from(n % 16),
        IdxSel::Max => LogIndex::MAX,
    }
}

fn sender(honest: bool, from: NodeId, named: Peer) -> NodeId {
    if honest {
        from
    } else {
        named.id()
    }
}

fn command(n: u8) -> String {
    format!("set k{}={}", n % 4, n)
}

fn build(msg: &Msg, from: NodeId, node: &Node) -> Message {
    match *msg {
        Msg::RequestVote {
            term,
            honest,
            candidate,
            last_log_index,
            last_log_term,
            transfer,
        } => Message::RequestVote {
            term: term_of(term, node),
            candidate: sender(honest, from, candidate),
            last_log_index: index_of(last_log_index, node),
            last_log_term: term_of(last_log_term, node),
            transfer,
        },
        Msg::RequestVoteReply { term, granted } => Message::RequestVoteReply {
            term: term_of(term, node),
            granted,
        },
        Msg::PreVote {
            term,
            honest,
            candidate,
            last_log_index,
            last_log_term,
        } => Message::PreVote {
            term: term_of(term, node),
            candidate: sender(honest, from, candidate),
            last_log_index: index_of(last_log_index, node),
            last_log_term: term_of(last_log_term, node),
        },
        Msg::PreVoteReply { term, granted } => Message::PreVoteReply {
            term: term_of(term, node),
            granted,
        },
        Msg::AppendEntries {
            term,
            honest,
            leader,
            prev_log_index,
            prev_log_term,
            ref entries,
            leader_commit,
        } => {
            let term = term_of(term, node);
            let prev_log_index = index_of(prev_log_index, node);
            let prev_log_term = match prev_log_term {
                PrevTerm::Matching => node.log().term_at(prev_log_index).unwrap_or(0),
                PrevTerm::Sel(s) => term_of(s, node),
            };
            let mut out = Vec::new();
            let mut next = prev_log_index;
            let mut last_term = prev_log_term;
            for spec in entries.iter().take(ENTRIES_MAX) {
                next = next.saturating_add(1);
                let index = if spec.consecutive {
                    next
                } else {
                    index_of(spec.index, node)
                };
                let t = match spec.term {
                    EntryTerm::Msg => term,
                    EntryTerm::Same => last_term.max(1),
                    EntryTerm::Sel(s) => term_of(s, node),
                };
                last_term = t;
                let payload = match spec.payload {
                    PayloadSpec::Noop => Payload::Noop,
                    PayloadSpec::Cmd(n) => Payload::Command { cmd: command(n).into() },
                    PayloadSpec::Config(m) => Payload::Config {
                        membership: m.build().into(),
                    },
                };
                out.push(Entry {
                    term: t,
                    index,
                    payload,
                });
            }
            Message::AppendEntries {
                term,
                leader: sender(honest, from, leader),
                prev_log_index,
                prev_log_term,
                entries: out,
                leader_commit: index_of(leader_commit, node),
            }
        }
        Msg::AppendEntriesReply {
            term,
            success,
            match_index,
            conflict_term,
            conflict_index,
        } => Message::AppendEntriesReply {
            term: term_of(term, node),
            success,
            match_index: index_of(match_index, node),
            conflict_term: conflict_term.map(|t| term_of(t, node)),
            conflict_index: index_of(conflict_index, node),
        },
        Msg::InstallSnapshot {
            term,
            honest,
            leader,
            last_index,
            last_term,
            membership,
            data,
        } => Message::InstallSnapshot {
            term: term_of(term, node),
            leader: sender(honest, from, leader),
            snapshot: Snapshot {
                last_index: index_of(last_index, node),
                last_term: term_of(last_term, node),
                membership: membership.build(),
                data: format!("snap {data}"),
            },
        },
        Msg::InstallSnapshotReply { term, last_index } => Message::InstallSnapshotReply {
            term: term_of(term, node),
            last_index: index_of(last_index, node),
        },
        Msg::TimeoutNow {
            term,
            honest,
            leader,
        } => Message::TimeoutNow {
            term: term_of(term, node),
            leader: sender(honest, from, leader),
        },
    }
}

/// What peer `to` would plausibly answer to `msg` (None: no answer).
fn reply_to(msg: &Message, kind: ReplyKind, node: &Node) -> Option<Message> {
    let higher = |term: Term, n: u8| term.saturating_add(1 + u64::from(n % 3));
    Some(match (msg, kind) {
        (Message::RequestVote { term, .. }, ReplyKind::Yes) => Message::RequestVoteReply {
            term: *term,
            granted: true,
        },
        (Message::RequestVote { term, .. }, ReplyKind::No { .. }) => Message::RequestVoteReply {
            term: *term,
            granted: false,
        },
        (Message::RequestVote { term, .. }, ReplyKind::Higher(n)) => Message::RequestVoteReply {
            term: higher(*term, n),
            granted: false,
        },
        (Message::PreVote { term, .. }, ReplyKind::Yes) => Message::PreVoteReply {
            term: *term,
            granted: true,
        },
        (Message::PreVote { .. }, ReplyKind::No { .. }) => Message::PreVoteReply {
            term: node.term(),
            granted: false,
        },
        (Message::PreVote { term, .. }, ReplyKind::Higher(n)) => Message::PreVoteReply {
            term: higher(*term, n),
            granted: false,
        },
        (
            Message::AppendEntries {
                term,
                prev_log_index,
                entries,
                ..
            },
            ReplyKind::Yes,
        ) => Message::AppendEntriesReply {
            term: *term,
            success: true,
            match_index: prev_log_index.saturating_add(entries.len() as u64),
            conflict_term: None,
            conflict_index: 0,
        },
        (
            Message::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                ..
            },
            ReplyKind::No { hint, back },
        ) => Message::AppendEntriesReply {
            term: *term,
            success: false,
            match_index: 0,
            conflict_term: hint.then(|| prev_log_term.saturating_sub(u64::from(back % 2))),
            conflict_index: prev_log_index.saturating_sub(u64::from(back % 4)),
        },
        (Message::AppendEntries { term, .. }, ReplyKind::Higher(n)) => {
            Message::AppendEntriesReply {
                term: higher(*term, n),
                success: false,
                match_index: 0,
                conflict_term: None,
                conflict_index: 0,
            }
        }
        (
            Message::InstallSnapshot { term, snapshot, .. },
            ReplyKind::Yes | ReplyKind::No { .. },
        ) => Message::InstallSnapshotReply {
            term: *term,
            last_index: snapshot.last_index,
        },
        (Message::InstallSnapshot { term, .. }, ReplyKind::Higher(n)) => {
            Message::InstallSnapshotReply {
                term: higher(*term, n),
                last_index: 0,
            }
        }
        // The target of a transfer starts an election at once.
        (Message::TimeoutNow { term, .. }, _) => Message::RequestVote {
            term: term.saturating_add(1),
            candidate: 0, // filled in by the caller: the peer itself
            last_log_index: node.log().last_index(),
            last_log_term: node.log().last_term(),
            transfer: true,
        },
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// The invariants.

/// What the harness remembers between inputs.
struct Tracker {
    id: NodeId,
    /// What the caller persisted (`Ready::persist`); a restart reads it.
    disk: Persistent,
    /// Highest term seen (never decreases, across restarts).
    term: Term,
    /// votedFor seen in `term`.
    voted_for: Option<NodeId>,
    /// The candidate this server voted for, per term (votedFor and granted replies).
    votes: BTreeMap<Term, NodeId>,
    /// Terms this node led (BecameLeader), over the whole run.
    led: BTreeSet<Term>,
    /// This incarnation: commit index seen.
    commit: LogIndex,
    /// This incarnation: the state machine's position (last applied index).
    applied_to: LogIndex,
    /// This incarnation: every applied entry by index.
    applied: BTreeMap<LogIndex, Entry>,
    /// This incarnation, while leader: (term, last index, last term) after the last input.
    leading: Option<(Term, LogIndex, Term)>,
    /// Messages the node sent, for `Reply`.
    outbox: Vec<(NodeId, Message)>,
}

impl Tracker {
    fn new(node: &Node) -> Tracker {
        Tracker {
            id: node.id(),
            disk: node.persistent().clone(),
            term: node.term(),
            voted_for: node.voted_for(),
            votes: BTreeMap::new(),
            led: BTreeSet::new(),
            commit: node.commit_index(),
            applied_to: 0,
            applied: BTreeMap::new(),
            leading: None,
            outbox: Vec::new(),
        }
    }

    /// A crash: volatile state and the caller's state machine are gone.
    fn restarted(&mut self, node: &Node) {
        self.commit = node.commit_index();
        self.applied_to = 0;
        self.applied.clear();
        self.leading = None;
        self.outbox.clear();
    }

    fn vote(&mut self, term: Term, candidate: NodeId, what: &str) {
        let prev = *self.votes.entry(term).or_insert(candidate);
        assert_eq!(
            prev, candidate,
            "two votes in term {term}: for {prev}, then for {candidate} ({what})"
        );
    }

    /// Drain `ready()` as the caller would and check everything.
    fn drain(&mut self, node: &mut Node) {
        let ready = node.ready();
        let id = self.id;

        // Persist, or nothing persistent changed. (A whole comparison for
        // short logs; for long ones everything but the middle of the log.)
        if ready.persist {
            self.disk = node.persistent().clone();
        } else {
            let (p, d) = (node.persistent(), &self.disk);
            let same = if p.log.len() <= CHECK_WINDOW {
                p == d
            } else {
                p.current_term == d.current_term
                    && p.voted_for == d.voted_for
                    && p.log.len() == d.log.len()
                    && p.log.snapshot() == d.log.snapshot()
                    && p.log.entries().next() == d.log.entries().next()
                    && p.log.entries().rev().take(CHECK_WINDOW).eq(d
                        .log
                        .entries()
                        .rev()
                        .take(CHECK_WINDOW))
            };
            assert!(same, "persistent state changed without Ready::persist");
        }

        // Term and vote.
        let term = node.term();
        assert!(
            term >= self.term,
            "term went back from {} to {term}",
            self.term
        );
        if term == self.term {
            if let Some(v) = self.voted_for {
                assert_eq!(
                    node.voted_for(),
                    Some(v),
                    "votedFor changed within term {term}"
                );
            }
        }
        self.term = term;
        self.voted_for = node.voted_for();
        if let Some(v) = node.voted_for() {
            self.vote(term, v, "votedFor");
        }
        if matches!(node.role(), Role::Candidate | Role::Leader) {
            assert_eq!(
                node.voted_for(),
                Some(id),
                "a {:?} must have voted for itself",
                node.role()
            );
        }

        // Install, then apply in order.
        if let Some(s) = &ready.install_snapshot {
            assert!(
                s.last_index > self.applied_to || (self.applied_to == 0 && s.last_index == 0),
                "snapshot at {} installed over a state machine at {}",
                s.last_index,
                self.applied_to
            );
            self.applied_to = s.last_index;
        }
        for e in &ready.apply {
            assert_eq!(
                e.index,
                self.applied_to + 1,
                "applied out of order or with a gap"
            );
            if let Some(before) = self.applied.insert(e.index, e.clone()) {
                assert_eq!(before, *e, "entry {} applied twice, differently", e.index);
            }
            self.applied_to = e.index;
        }
        assert_eq!(
            node.last_applied(),
            self.applied_to,
            "last_applied is not where the state machine is"
        );

        // Commit.
        let commit = node.commit_index();
        let log = node.log();
        assert!(
            commit >= self.commit,
            "commitIndex went back from {} to {commit}",
            self.commit
        );
        self.commit = commit;
        assert!(node.last_applied() <= commit, "lastApplied > commitIndex");
        assert!(commit <= log.last_index(), "commitIndex beyond the log");

        // The log's shape, and the applied prefix still in it: the last
        // CHECK_WINDOW entries (one input changes at most the last
        // ENTRIES_MAX; raft's own debug checks cover the whole log).
        assert!(
            log.snapshot_term() <= term,
            "snapshot term above currentTerm"
        );
        let skip = log.len().saturating_sub(CHECK_WINDOW);
        let from = log.first_index() + skip as u64;
        let mut prev_term = match skip {
            0 => log.snapshot_term(),
            _ => log.entry(from - 1).map_or(0, |e| e.term),
        };
        for (expect, e) in (from..).zip(log.entries().skip(skip)) {
            assert_eq!(e.index, expect, "log indexes not consecutive");
            assert!(e.term >= prev_term, "log terms decrease at {}", e.index);
            assert!(
                e.term >= 1 && e.term <= term,
                "entry {} has term {} (currentTerm {term})",
                e.index,
                e.term
            );
            if e.index <= self.applied_to {
                if let Some(a) = self.applied.get(&e.index) {
                    assert_eq!(a, e, "applied entry {} changed in the log", e.index);
                }
            }
            prev_term = e.term;
        }

        // Leaders.
        for ev in &ready.events {
            if let Event::BecameLeader { term: t, .. } = ev {
                assert!(
                    self.led.iter().next_back().is_none_or(|&last| *t > last),
                    "became leader of term {t} after leading {:?}",
                    self.led
                );
                self.led.insert(*t);
            }
        }
        if node.role() == Role::Leader {
            if let Some((t, last, last_term)) = self.leading {
                if t == term {
                    assert!(log.last_index() >= last, "leader of term {t} lost entries");
                    if last > log.snapshot_index() {
                        assert_eq!(
                            log.term_at(last),
                            Some(last_term),
                            "leader of term {t} changed entry {last}"
                        );
                    }
                }
            }
            self.leading = Some((term, log.last_index(), log.last_term()));
        } else {
            self.leading = None;
        }

        // Messages.
        for (to, m) in &ready.messages {
            assert_ne!(*to, id, "message to itself: {m:?}");
            match m {
                Message::PreVote { .. } | Message::PreVoteReply { .. } => {}
                _ => assert!(
                    m.term() <= term,
                    "sent {} of term {} in term {term}",
                    m.type_name(),
                    m.term()
                ),
            }
            match m {
                Message::RequestVoteReply {
                    term: t,
                    granted: true,
                } => self.vote(*t, *to, "granted RequestVoteReply"),
                Message::AppendEntries {
                    term: t,
                    leader,
                    prev_log_index,
                    prev_log_term,
                    entries,
                    ..
                } => {
                    assert_eq!(*leader, id, "AppendEntries names another leader");
                    assert!(prev_log_term <= t);
                    let mut i = *prev_log_index;
                    let mut pt = *prev_log_term;
                    for e in entries {
                        i += 1;
                        assert_eq!(e.index, i, "AppendEntries entries not consecutive");
                        assert!(e.term >= pt && e.term <= *t, "AppendEntries entry term");
                        pt = e.term;
                        if let Some(mine) = log.entry(e.index) {
                            assert_eq!(
                                mine, e,
                                "AppendEntries carries an entry the leader does not have"
                            );
                        }
                    }
                }
                Message::AppendEntriesReply {
                    success: true,
                    match_index,
                    ..
                } => assert!(
                    *match_index <= log.last_index(),
                    "acknowledged beyond the log"
                ),
                _ => {}
            }
        }
        self.outbox.extend(ready.messages);
        if self.outbox.len() > OUTBOX_MAX {
            let cut = self.outbox.len() - OUTBOX_MAX;
            self.outbox.drain(..cut);
        }
    }
}

// ---------------------------------------------------------------------------

fn run(data: &[u8]) -> arbitrary::Result<()> {
    let mut u = Unstructured::new(data);
    let setup = Setup::arbitrary(&mut u)?;
    let id = NodeId::from(setup.id % 3 + 1);
    let mut voters = setup.voters.set();
    if setup.outsider {
        voters.remove(&id);
    } else {
        voters.insert(id);
    }
    let mut membership = Membership::new(voters);
    if let Some(l) = setup.learners {
        membership.learners = l.set();
        let vs = membership.voters.clone();
        membership.learners.retain(|x| !vs.contains(x));
    }
    let mut config = setup.switches.config(id);
    let mut node = Node::new(config.clone(), membership);
    let mut t = Tracker::new(&node);
    t.drain(&mut node);

    for _ in 0..OPS_MAX {
        if u.is_empty() {
            break;
        }
        let op = Op::arbitrary(&mut u)?;
        match op {
            Op::Deliver { from, msg } => {
                let from = from.id();
                let m = build(&msg, from, &node);
                node.handle_message(from, m);
            }
            Op::Reply { which, kind } => {
                if t.outbox.is_empty() {
                    continue;
                }
                let (to, sent) = t.outbox.remove(usize::from(which) % t.outbox.len());
                if let Some(mut m) = reply_to(&sent, kind, &node) {
                    if let Message::RequestVote { candidate, .. } = &mut m {
                        *candidate = to;
                    }
                    node.handle_message(to, m);
                }
            }
            Op::ElectionTimeout => node.handle_election_timeout(),
            Op::HeartbeatTimeout => node.handle_heartbeat_timeout(),
            Op::LeaseTimeout => node.handle_lease_timeout(),
            Op::Propose(n) => {
                let _ = node.propose(command(n));
            }
            Op::ConfChange(c) => {
                let change = match c {
                    ChangeSpec::AddLearner(p) => ConfChange::AddLearner(p.id()),
                    ChangeSpec::AddVoter(p) => ConfChange::AddVoter(p.id()),
                    ChangeSpec::Remove(p) => ConfChange::RemoveServer(p.id()),
                    ChangeSpec::Joint(ids) => ConfChange::BeginJoint { voters: ids.set() },
                    ChangeSpec::Direct(ids) => ConfChange::UnsafeDirect { voters: ids.set() },
                };
                let _ = node.propose_conf_change(change);
            }
            Op::Transfer(p) => {
                let _ = node.transfer_leadership(p.id());
            }
            Op::Compact { up_to, data } => {
                let up_to = index_of(up_to, &node);
                let _ = node.compact(up_to, format!("image {data}"));
            }
            Op::Restart => {
                node = Node::restart(config.clone(), t.disk.clone());
                t.restarted(&node);
            }
            Op::SetConfig { switches, wrong_id } => {
                config = switches.config(id);
                let mut c = config.clone();
                if wrong_id {
                    c.id = id % 3 + 1;
                }
                node.set_config(c);
                assert_eq!(node.id(), id, "set_config changed the id");
            }
        }
        t.drain(&mut node);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});
