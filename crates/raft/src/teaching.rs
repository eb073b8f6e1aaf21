//! The teaching switches: each deliberately breaks one safety rule of the
//! paper, so a lesson can show a real counterexample. This is the one
//! definition: the simulator's scenario language (`unsafe NAME on|off`), its
//! settings and the page's checkboxes all use [`UnsafeSwitch`] and
//! [`UnsafeSwitches`].
//!
//! Every switch is acted on inside this crate (the layer is named on each
//! variant). The simulator only passes them to each node's [`Config`], and
//! for (d) also refuses the `unsafe-change` action itself while the switch
//! is off, so its trace explains why.
//!
//! [`Config`]: crate::Config

use serde::{Deserialize, Serialize};

use crate::rule::Rule;

/// One teaching switch, lettered (a)–(d) as in the docs and lessons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnsafeSwitch {
    /// (a) A leader commits an entry of an EARLIER term as soon as a majority
    /// stores it, ignoring the Figure 8 rule ("only log entries from the
    /// leader's current term are committed by counting replicas", §5.4.2).
    ///
    /// What goes wrong: an old-term entry on a majority can still be
    /// overwritten by a server whose last entry has a higher term (it can win
    /// an election with votes from that same majority). The leader applies the
    /// entry, then the next leader replaces it: **State Machine Safety** and
    /// **Leader Completeness** break (Figure 8, (c) then (d)).
    ///
    /// Acted on by the leader's commit rule (`replication`), and by followers,
    /// which then obey AppendEntries rule 3 even over committed entries
    /// ([`UnsafeSwitches::overwrite_committed`]).
    CommitOldTerms,
    /// (b) Voters grant a vote without checking that the candidate's log is at
    /// least as up to date as their own (§5.4.1 election restriction).
    ///
    /// What goes wrong: a candidate missing committed entries can win; as
    /// leader it forces followers to overwrite those entries. **Leader
    /// Completeness** and **State Machine Safety** break.
    ///
    /// Acted on by the RequestVote and PreVote receivers (`election`), and by
    /// followers as for (a).
    VoteWithoutLogCheck,
    /// (c) `votedFor` is not persisted: a restarted server forgets whom it
    /// voted for in its current term (Figure 2 "Persistent state").
    ///
    /// What goes wrong: a server can vote twice in one term (once before and
    /// once after a crash), so two candidates can each collect a majority:
    /// **Election Safety** breaks (two leaders in one term), and with it Log
    /// Matching.
    ///
    /// Acted on by [`Node::restart`](crate::Node::restart).
    ForgetVoteOnRestart,
    /// (d) [`ConfChange::UnsafeDirect`](crate::ConfChange::UnsafeDirect)
    /// switches from C_old to C_new in one step, without joint consensus
    /// (§6, Figure 10). The scenario language's `unsafe-change`.
    ///
    /// What goes wrong: during the switch some servers use C_old and others
    /// C_new; a majority of C_old and a disjoint majority of C_new can elect
    /// two leaders in the same term: **Election Safety** breaks. The
    /// one-uncommitted-change rule is also bypassed for such changes.
    ///
    /// Acted on by [`Node::propose_conf_change`](crate::Node::propose_conf_change),
    /// which refuses `UnsafeDirect` while it is off; the simulator refuses
    /// `unsafe-change` before it reaches the node.
    DirectChange,
}

impl UnsafeSwitch {
    /// Every switch, in letter order (and the scenario printer's order).
    pub const ALL: [UnsafeSwitch; 4] = [
        UnsafeSwitch::CommitOldTerms,
        UnsafeSwitch::VoteWithoutLogCheck,
        UnsafeSwitch::ForgetVoteOnRestart,
        UnsafeSwitch::DirectChange,
    ];

    /// The name used after `unsafe` in the scenario language.
    pub fn name(self) -> &'static str {
        match self {
            UnsafeSwitch::CommitOldTerms => "commit-old-terms",
            UnsafeSwitch::VoteWithoutLogCheck => "vote-without-log-check",
            UnsafeSwitch::ForgetVoteOnRestart => "forget-vote-on-restart",
            UnsafeSwitch::DirectChange => "direct-change",
        }
    }

    /// The switch called `name` in the scenario language, if any.
    pub fn from_name(name: &str) -> Option<UnsafeSwitch> {
        UnsafeSwitch::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The switch's letter in the docs and lessons: (a) to (d).
    pub fn letter(self) -> char {
        match self {
            UnsafeSwitch::CommitOldTerms => 'a',
            UnsafeSwitch::VoteWithoutLogCheck => 'b',
            UnsafeSwitch::ForgetVoteOnRestart => 'c',
            UnsafeSwitch::DirectChange => 'd',
        }
    }

    /// The rule of the paper the switch breaks.
    pub fn breaks(self) -> Rule {
        match self {
            UnsafeSwitch::CommitOldTerms => Rule::CommitCurrentTermOnly,
            UnsafeSwitch::VoteWithoutLogCheck => Rule::ElectionRestriction,
            UnsafeSwitch::ForgetVoteOnRestart => Rule::PersistentState,
            UnsafeSwitch::DirectChange => Rule::JointConsensus,
        }
    }
}

impl std::fmt::Display for UnsafeSwitch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which teaching switches are on: one flag per [`UnsafeSwitch`], named
/// like it. All false by default; there is no feature flag and no preset
/// that turns any of them on, so they are only ever set by naming one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsafeSwitches {
    /// (a) See [`UnsafeSwitch::CommitOldTerms`].
    pub commit_old_terms: bool,
    /// (b) See [`UnsafeSwitch::VoteWithoutLogCheck`].
    pub vote_without_log_check: bool,
    /// (c) See [`UnsafeSwitch::ForgetVoteOnRestart`].
    pub forget_vote_on_restart: bool,
    /// (d) See [`UnsafeSwitch::DirectChange`].
    pub direct_change: bool,
}

impl UnsafeSwitches {
    /// All switches off: the safe algorithm.
    pub const fn none() -> Self {
        UnsafeSwitches {
            commit_old_terms: false,
            vote_without_log_check: false,
            forget_vote_on_restart: false,
            direct_change: false,
        }
    }

    /// Is `switch` on?
    pub fn get(&self, switch: UnsafeSwitch) -> bool {
        match switch {
            UnsafeSwitch::CommitOldTerms => self.commit_old_terms,
            UnsafeSwitch::VoteWithoutLogCheck => self.vote_without_log_check,
            UnsafeSwitch::ForgetVoteOnRestart => self.forget_vote_on_restart,
            UnsafeSwitch::DirectChange => self.direct_change,
        }
    }

    /// Turn `switch` on or off.
    pub fn set(&mut self, switch: UnsafeSwitch, on: bool) {
        let flag = match switch {
            UnsafeSwitch::CommitOldTerms => &mut self.commit_old_terms,
            UnsafeSwitch::VoteWithoutLogCheck => &mut self.vote_without_log_check,
            UnsafeSwitch::ForgetVoteOnRestart => &mut self.forget_vote_on_restart,
            UnsafeSwitch::DirectChange => &mut self.direct_change,
        };
        *flag = on;
    }

    /// These switches with `switch` also on.
    pub fn with(mut self, switch: UnsafeSwitch) -> Self {
        self.set(switch, true);
        self
    }

    /// The switches that are on, in letter order.
    pub fn iter(&self) -> impl Iterator<Item = UnsafeSwitch> + '_ {
        UnsafeSwitch::ALL.into_iter().filter(|&s| self.get(s))
    }

    /// True if any teaching switch is on (for the view: "this run is unsafe").
    pub fn any(&self) -> bool {
        self.iter().next().is_some()
    }

    /// Do followers obey AppendEntries rule 3 literally even over entries
    /// they know are committed? The safe node refuses such a request (only a
    /// broken leader can send one). The counterexamples of (a) and (b) need
    /// it: their point is a committed entry overwritten by a leader that lacks
    /// it. (c) and (d) break Election Safety, which the checker shows without
    /// it, so under them a follower still never moves commitIndex or
    /// lastApplied backwards.
    pub fn overwrite_committed(&self) -> bool {
        self.commit_old_terms || self.vote_without_log_check
    }
}

impl FromIterator<UnsafeSwitch> for UnsafeSwitches {
    /// The switches named on, the others off.
    fn from_iter<I: IntoIterator<Item = UnsafeSwitch>>(switches: I) -> Self {
        switches
            .into_iter()
            .fold(UnsafeSwitches::none(), UnsafeSwitches::with)
    }
}
