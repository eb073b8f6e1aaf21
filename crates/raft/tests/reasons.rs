//! The typed reasons of `Event::Rejected` and `Event::SteppedDown`, and the
//! typed reasons inside `ProposeError`: each displays exactly the sentence
//! the node wrote before they were typed (the simulator copies it into the
//! trace, whose hash is pinned), and names the rule of the paper it applies.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use raft::{
    ConfChangeProblem, Defect, Event, Membership, Message, MessageKind, ProposeError, RejectReason,
    Role, Rule, StepDownReason, TransferProblem,
};

/// Every `RejectReason` variant, with the sentence it displays and its rule.
fn reject_table() -> Vec<(RejectReason, &'static str, Rule)> {
    use MessageKind::*;
    use RejectReason::*;
    vec![
        (
            ConfigIdChanged {
                requested: 7,
                kept: 2,
            },
            "set_config: id 7 ignored, node stays 2",
            Rule::NonByzantine,
        ),
        (
            FromItself {
                kind: AppendEntries,
            },
            "AppendEntries from itself",
            Rule::NonByzantine,
        ),
        (
            RequestVoteInLease { from: 3 },
            "RequestVote from 3 ignored: heard from a current leader (§6)",
            Rule::DisruptiveServers,
        ),
        (
            StaleTerm {
                kind: RequestVote,
                from: 3,
                term: 1,
                current_term: 4,
            },
            "stale RequestVote from 3: term 1 < 4",
            Rule::RequestVoteReceiver1,
        ),
        (
            StaleTerm {
                kind: AppendEntries,
                from: 3,
                term: 1,
                current_term: 4,
            },
            "stale AppendEntries from 3: term 1 < 4",
            Rule::AppendEntriesReceiver1,
        ),
        (
            StaleTerm {
                kind: InstallSnapshot,
                from: 3,
                term: 1,
                current_term: 4,
            },
            "stale InstallSnapshot from 3: term 1 < 4",
            Rule::InstallSnapshotReceiver1,
        ),
        (
            StaleTerm {
                kind: AppendEntriesReply,
                from: 3,
                term: 1,
                current_term: 4,
            },
            "stale AppendEntriesReply from 3: term 1 < 4",
            Rule::StaleTerm,
        ),
        (
            IllegalTransition {
                from: Role::Follower,
                to: Role::Leader,
            },
            "illegal transition Follower -> Leader",
            Rule::RoleTransitions,
        ),
        (
            IllegalTransition {
                from: Role::Leader,
                to: Role::PreCandidate,
            },
            "illegal transition Leader -> PreCandidate",
            Rule::RoleTransitions,
        ),
        (
            TermSpaceExhausted,
            "term space exhausted: cannot campaign",
            Rule::NonByzantine,
        ),
        (
            NotVoterCannotCampaign,
            "election timeout ignored: not a voter",
            Rule::OnlyVotersCampaign,
        ),
        (
            TransferTimedOut { target: 4 },
            "leadership transfer to 4 timed out",
            Rule::LeadershipTransfer,
        ),
        (
            CandidateNotSender {
                kind: RequestVote,
                from: 2,
                candidate: 5,
            },
            "RequestVote from 2 names candidate 5",
            Rule::NonByzantine,
        ),
        (
            CandidateNotSender {
                kind: PreVote,
                from: 2,
                candidate: 5,
            },
            "PreVote from 2 names candidate 5",
            Rule::NonByzantine,
        ),
        (
            VoteFromNonVoter { from: 6 },
            "vote from 6 ignored: not a voter",
            Rule::CandidateMajority,
        ),
        (
            PreVoteFromNonVoter { from: 6 },
            "pre-vote from 6 ignored: not a voter",
            Rule::CandidateMajority,
        ),
        (
            LeaderNotSender {
                kind: AppendEntries,
                from: 2,
                leader: 5,
            },
            "AppendEntries from 2 names leader 5",
            Rule::NonByzantine,
        ),
        (
            LeaderNotSender {
                kind: InstallSnapshot,
                from: 2,
                leader: 5,
            },
            "InstallSnapshot from 2 names leader 5",
            Rule::NonByzantine,
        ),
        (
            LeaderNotSender {
                kind: TimeoutNow,
                from: 2,
                leader: 5,
            },
            "TimeoutNow from 2 names leader 5",
            Rule::NonByzantine,
        ),
        (
            AnotherLeader {
                kind: AppendEntries,
                from: 2,
                term: 3,
            },
            "AppendEntries from 2: another leader in my term 3",
            Rule::ElectionSafety,
        ),
        (
            AnotherLeader {
                kind: InstallSnapshot,
                from: 2,
                term: 3,
            },
            "InstallSnapshot from 2: another leader in my term 3",
            Rule::ElectionSafety,
        ),
        (
            TimeoutNowToLeader { from: 2 },
            "TimeoutNow from 2: already leader",
            Rule::ElectionSafety,
        ),
        (
            TimeoutNowToNonVoter { from: 2 },
            "TimeoutNow from 2: not a voter",
            Rule::OnlyVotersCampaign,
        ),
        (
            Malformed {
                kind: AppendEntries,
                from: 2,
                defect: Defect::IndexBeyondMax,
            },
            "malformed AppendEntries from 2: index beyond the largest log index",
            Rule::NonByzantine,
        ),
        (
            Malformed {
                kind: InstallSnapshot,
                from: 2,
                defect: Defect::BadSnapshotLast {
                    last_index: 0,
                    last_term: 9,
                },
            },
            "malformed InstallSnapshot from 2: last (0, 9)",
            Rule::NonByzantine,
        ),
        (
            Malformed {
                kind: InstallSnapshot,
                from: 2,
                defect: Defect::LearnerVotes {
                    entry: None,
                    learner: 3,
                },
            },
            "malformed InstallSnapshot from 2: server 3 is both a learner and a voter",
            Rule::NonByzantine,
        ),
        (
            ConflictsWithCommitted { from: 3, index: 2 },
            "AppendEntries from 3 conflicts with committed entry 2: refused",
            Rule::StateMachineSafety,
        ),
        (
            OverwritesCommitted { from: 3, index: 2 },
            "UNSAFE: AppendEntries from 3 overwrites committed entry 2",
            Rule::AppendEntriesReceiver3,
        ),
        (
            EntryDoesNotExtend { from: 3 },
            "AppendEntries from 3: entry does not extend the log",
            Rule::NonByzantine,
        ),
        (
            ReplyFromNonMember {
                kind: AppendEntriesReply,
                from: 6,
            },
            "AppendEntriesReply from 6: not a member",
            Rule::LatestConfiguration,
        ),
        (
            ReplyFromNonMember {
                kind: InstallSnapshotReply,
                from: 6,
            },
            "InstallSnapshotReply from 6: not a member",
            Rule::LatestConfiguration,
        ),
        (
            MatchBeyondLog {
                from: 2,
                match_index: 12,
            },
            "AppendEntriesReply from 2: match 12 beyond my log",
            Rule::NonByzantine,
        ),
        (
            SnapshotBeyondLog {
                from: 2,
                last_index: 12,
            },
            "InstallSnapshotReply from 2: index 12 beyond my log",
            Rule::NonByzantine,
        ),
    ]
}

/// The variant's position in the declaration: an exhaustive match, so a new
/// variant does not compile until it is numbered here (and then the table
/// must list it too).
fn variant_number(reason: &RejectReason) -> usize {
    use RejectReason::*;
    match reason {
        ConfigIdChanged { .. } => 0,
        FromItself { .. } => 1,
        RequestVoteInLease { .. } => 2,
        StaleTerm { .. } => 3,
        IllegalTransition { .. } => 4,
        TermSpaceExhausted => 5,
        NotVoterCannotCampaign => 6,
        TransferTimedOut { .. } => 7,
        CandidateNotSender { .. } => 8,
        VoteFromNonVoter { .. } => 9,
        PreVoteFromNonVoter { .. } => 10,
        LeaderNotSender { .. } => 11,
        AnotherLeader { .. } => 12,
        TimeoutNowToLeader { .. } => 13,
        TimeoutNowToNonVoter { .. } => 14,
        Malformed { .. } => 15,
        ConflictsWithCommitted { .. } => 16,
        OverwritesCommitted { .. } => 17,
        EntryDoesNotExtend { .. } => 18,
        ReplyFromNonMember { .. } => 19,
        MatchBeyondLog { .. } => 20,
        SnapshotBeyondLog { .. } => 21,
    }
}
const REJECT_VARIANTS: usize = 22;

/// The rule's position in the declaration, by an exhaustive match (see
/// `variant_number`).
fn rule_number(rule: Rule) -> usize {
    use Rule::*;
    match rule {
        PersistentState => 0,
        VolatileState => 1,
        LeaderVolatileState => 2,
        RequestVoteReceiver1 => 3,
        RequestVoteReceiver2 => 4,
        AppendEntriesReceiver1 => 5,
        AppendEntriesReceiver2 => 6,
        AppendEntriesReceiver3 => 7,
        AppendEntriesReceiver4 => 8,
        AppendEntriesReceiver5 => 9,
        AllServersApply => 10,
        AllServersHigherTerm => 11,
        FollowersRespond => 12,
        FollowersTimeout => 13,
        CandidatesStartElection => 14,
        CandidateMajority => 15,
        CandidatesNewLeader => 16,
        CandidatesTimeout => 17,
        LeadersHeartbeat => 18,
        LeadersClientCommand => 19,
        LeadersReplicate => 20,
        LeadersBackOff => 21,
        LeadersCommit => 22,
        StaleTerm => 23,
        RoleTransitions => 24,
        ElectionRestriction => 25,
        CommitCurrentTermOnly => 26,
        ElectionSafety => 27,
        LeaderAppendOnly => 28,
        LogMatching => 29,
        LeaderCompleteness => 30,
        StateMachineSafety => 31,
        JointConsensus => 32,
        LatestConfiguration => 33,
        RemovedLeaderStepsDown => 34,
        DisruptiveServers => 35,
        ClientInteraction => 36,
        NoopOnElection => 37,
        SingleServerChange => 38,
        OnlyVotersCampaign => 39,
        LeadershipTransfer => 40,
        Compaction => 41,
        InstallSnapshot => 42,
        InstallSnapshotReceiver1 => 43,
        PreVote => 44,
        CheckQuorum => 45,
        NonByzantine => 46,
    }
}
const RULES: usize = 47;

/// The sentences of the trace, character for character, for every reason.
#[test]
fn every_reason_displays_its_trace_sentence() {
    let mut seen = [false; REJECT_VARIANTS];
    for (reason, _, _) in reject_table() {
        seen[variant_number(&reason)] = true;
    }
    assert!(
        seen.iter().all(|&s| s),
        "the table lists every variant: {seen:?}"
    );
    for (reason, sentence, _) in reject_table() {
        assert_eq!(reason.to_string(), sentence, "{reason:?}");
    }
    for (reason, sentence) in [
        (
            StepDownReason::CheckQuorum,
            "CheckQuorum: no majority heard",
        ),
        (
            StepDownReason::RemovedFromConfiguration,
            "removed from the configuration",
        ),
    ] {
        assert_eq!(reason.to_string(), sentence, "{reason:?}");
    }
}

/// Each variant of `Defect`, as it reads after "malformed AppendEntries from N: ".
#[test]
fn every_defect_displays_its_trace_sentence() {
    for (defect, sentence) in [
        (
            Defect::PrevLogTermAboveTerm {
                prev_log_term: 5,
                term: 4,
            },
            "prevLogTerm 5 > term 4",
        ),
        (
            Defect::PrevLogTermAtIndexZero,
            "prevLogIndex 0 must have prevLogTerm 0",
        ),
        (Defect::IndexBeyondMax, "index beyond the largest log index"),
        (
            Defect::IndexNotNext {
                index: 7,
                expected: 5,
            },
            "entry index 7 where 5 expected",
        ),
        (
            Defect::BadEntryTerm { index: 5, term: 0 },
            "entry 5 has bad term 0",
        ),
        (
            Defect::LearnerVotes {
                entry: Some(5),
                learner: 3,
            },
            "entry 5: server 3 is both a learner and a voter",
        ),
        (
            Defect::LearnerVotes {
                entry: None,
                learner: 3,
            },
            "server 3 is both a learner and a voter",
        ),
        (
            Defect::BadSnapshotLast {
                last_index: 4,
                last_term: 0,
            },
            "last (4, 0)",
        ),
    ] {
        assert_eq!(defect.to_string(), sentence, "{defect:?}");
    }
}

/// The typed reasons inside `ProposeError` read as they did as strings.
#[test]
fn propose_error_reasons_display_their_sentences() {
    use ConfChangeProblem::*;
    for (problem, sentence) in [
        (AlreadyVoter, "already a voter"),
        (AlreadyLearner, "already a learner"),
        (JointInProgress, "joint consensus in progress"),
        (NotMember, "not a member"),
        (LastVoter, "cannot remove the last voter"),
        (NoVoters, "C_new has no voters"),
        (SameVoters, "C_new equals C_old"),
    ] {
        let e = ProposeError::InvalidConfChange { reason: problem };
        assert_eq!(
            e.to_string(),
            format!("invalid configuration change: {sentence}")
        );
    }
    for (problem, sentence) in [
        (TransferProblem::AlreadyLeader, "already the leader"),
        (TransferProblem::NotVoter, "not a voter"),
    ] {
        let e = ProposeError::InvalidTransferTarget {
            target: 4,
            reason: problem,
        };
        assert_eq!(
            e.to_string(),
            format!("cannot transfer leadership to 4: {sentence}")
        );
    }
    assert_eq!(
        ProposeError::UnsafeSwitchOff.to_string(),
        "direct membership change needs unsafe_switches.direct_membership_change"
    );
}

/// The rule panel highlights `reason.rule()`: every reason names one, and
/// each rule has its own reference into the paper or the thesis.
#[test]
fn every_reason_names_a_rule_of_the_paper() {
    for (reason, _, rule) in reject_table() {
        assert_eq!(reason.rule(), rule, "{reason:?}");
        assert!(Rule::ALL.contains(&rule), "{rule:?} missing from Rule::ALL");
    }
    assert_eq!(StepDownReason::CheckQuorum.rule(), Rule::CheckQuorum);
    assert_eq!(
        StepDownReason::RemovedFromConfiguration.rule(),
        Rule::RemovedLeaderStepsDown
    );
    let mut listed = [false; RULES];
    for rule in Rule::ALL {
        listed[rule_number(rule)] = true;
    }
    assert!(
        listed.iter().all(|&l| l),
        "Rule::ALL lists every rule: {listed:?}"
    );
    for (i, a) in Rule::ALL.iter().enumerate() {
        assert!(!a.reference().is_empty());
        for b in &Rule::ALL[i + 1..] {
            assert_ne!(a, b, "listed twice");
            assert_ne!(a.reference(), b.reference(), "{a:?} and {b:?}");
        }
    }
}

/// The rule panel lists `Rule::ALL` as the paper presents it: Figure 2 box
/// by box (State, RequestVote RPC, AppendEntries RPC, Rules for Servers),
/// each rule numbered as the figure lists it, then the rest of the paper,
/// then the thesis; the declaration follows the same order.
#[test]
fn rule_all_is_in_the_papers_order_with_figure2_first() {
    for (i, rule) in Rule::ALL.iter().enumerate() {
        assert_eq!(rule_number(*rule), i, "{rule:?} out of order");
    }
    let figure2: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.reference())
        .take_while(|r| r.starts_with("Figure 2"))
        .collect();
    assert_eq!(
        figure2,
        [
            "Figure 2, State, persistent state on all servers",
            "Figure 2, State, volatile state on all servers",
            "Figure 2, State, volatile state on leaders",
            "Figure 2, RequestVote RPC, receiver rule 1",
            "Figure 2, RequestVote RPC, receiver rule 2",
            "Figure 2, AppendEntries RPC, receiver rule 1",
            "Figure 2, AppendEntries RPC, receiver rule 2",
            "Figure 2, AppendEntries RPC, receiver rule 3",
            "Figure 2, AppendEntries RPC, receiver rule 4",
            "Figure 2, AppendEntries RPC, receiver rule 5",
            "Figure 2, Rules for Servers, All Servers, rule 1",
            "Figure 2, Rules for Servers, All Servers, rule 2",
            "Figure 2, Rules for Servers, Followers, rule 1",
            "Figure 2, Rules for Servers, Followers, rule 2",
            "Figure 2, Rules for Servers, Candidates, rule 1",
            "Figure 2, Rules for Servers, Candidates, rule 2; §6",
            "Figure 2, Rules for Servers, Candidates, rule 3",
            "Figure 2, Rules for Servers, Candidates, rule 4",
            "Figure 2, Rules for Servers, Leaders, rule 1",
            "Figure 2, Rules for Servers, Leaders, rule 2",
            "Figure 2, Rules for Servers, Leaders, rule 3",
            "Figure 2, Rules for Servers, Leaders, rule 3 (on failure)",
            "Figure 2, Rules for Servers, Leaders, rule 4",
        ]
    );
    assert!(
        Rule::ALL[figure2.len()..]
            .iter()
            .all(|r| !r.reference().starts_with("Figure 2")),
        "Figure 2 comes first, in one block"
    );
    let thesis = Rule::ALL
        .iter()
        .position(|r| r.reference().starts_with("thesis"))
        .unwrap();
    assert!(
        Rule::ALL[thesis..]
            .iter()
            .all(|r| r.reference().starts_with("thesis") || *r == Rule::NonByzantine),
        "the thesis's own rules come after the paper's"
    );
}

/// Figure 2, AppendEntries RPC, receiver rule 1: "Reply false if term <
/// currentTerm"; the refusal names that rule. Reference: Figure 2, §5.1
#[test]
fn appendentries_receiver_rule1_refusal_names_its_rule() {
    let mut node = raft::Node::new(cfg(2), Membership::new([1, 2, 3]));
    node.handle_message(
        3,
        Message::RequestVoteReply {
            term: 4,
            granted: false,
        },
    );
    let _ = node.ready();
    node.handle_message(
        1,
        Message::AppendEntries {
            term: 2,
            leader: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![],
            leader_commit: 0,
        },
    );
    let events = node.ready().events;
    let reason = events
        .iter()
        .find_map(|e| match e {
            Event::Rejected { reason } => Some(reason.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        reason,
        RejectReason::StaleTerm {
            kind: MessageKind::AppendEntries,
            from: 1,
            term: 2,
            current_term: 4,
        }
    );
    assert_eq!(reason.rule(), Rule::AppendEntriesReceiver1);
    assert_eq!(
        reason.rule().reference(),
        "Figure 2, AppendEntries RPC, receiver rule 1"
    );
}

/// §2 (non-Byzantine servers): a malformed AppendEntries is refused before
/// any receiver rule runs, and the refusal says what is wrong with it.
#[test]
fn non_byzantine_malformed_appendentries_names_its_defect() {
    let mut node = raft::Node::new(cfg(2), Membership::new([1, 2, 3]));
    let _ = node.ready();
    node.handle_message(
        1,
        Message::AppendEntries {
            term: 1,
            leader: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![entry(1, 2)],
            leader_commit: 0,
        },
    );
    let events = node.ready().events;
    assert!(
        events.contains(&Event::Rejected {
            reason: RejectReason::Malformed {
                kind: MessageKind::AppendEntries,
                from: 1,
                defect: Defect::IndexNotNext {
                    index: 2,
                    expected: 1,
                },
            }
        }),
        "{events:?}"
    );
    assert_eq!(node.log().last_index(), 0);
}
