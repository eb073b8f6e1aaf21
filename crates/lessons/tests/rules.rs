//! `Sim::rules_at`: the rule of the paper each trace event applied, one test
//! per rule, each on a real run (a bundled lesson or a small scenario) and
//! at the event that applies it. Only rules no correct run reaches (forged
//! input, broken Figure 3 properties that no teaching switch breaks in the
//! lessons) are checked on a hand-made trace event.
//!
//! It lives in the lessons crate because it runs the bundled lessons, read
//! by the lesson parser itself (sim cannot depend on lessons).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::sync::Arc;

use raft::{Message, MessageKind, RejectReason, Role, Rule, StepDownReason};
use sim::{Ev, Property, Scenario, Sim, SimOptions, TraceEvent, Violation};

/// A bundled lesson's run as scenario text (its narration removed by the
/// lesson parser, so this test reads every lesson line the app reads).
fn lesson(file: &str) -> String {
    let id = file.trim_end_matches(".lesson");
    lessons::by_id(id).unwrap().scenario.to_string()
}

/// The run of `text` up to `until_us`, with refusals traced.
fn run(text: &str, until_us: u64) -> Sim {
    let sc = Scenario::parse(text).unwrap();
    let options = SimOptions {
        trace_verbose: true,
        ..SimOptions::default()
    };
    let mut sim = Sim::with_options(sc, options).unwrap();
    sim.run_until(until_us);
    sim
}

/// The first event that applied `rule`, as a readable line.
fn first_with(sim: &Sim, rule: Rule) -> Option<&TraceEvent> {
    (0..sim.trace().len())
        .find(|&i| sim.rules_at(i).contains(&rule))
        .map(|i| &sim.trace()[i])
}

/// Every event that applied `rule`.
fn all_with(sim: &Sim, rule: Rule) -> Vec<&TraceEvent> {
    (0..sim.trace().len())
        .filter(|&i| sim.rules_at(i).contains(&rule))
        .map(|i| &sim.trace()[i])
        .collect()
}

/// The rules of one hand-made event, alone in its trace.
fn rules_of(ev: Ev) -> Vec<Rule> {
    sim::trace::rules_at(&[TraceEvent { t: 0, ev }], 0, 0, &[])
}

/// One test per rule: `name`, the rule, the run, and what the first event
/// applying it must be.
macro_rules! rule_test {
    ($(#[$doc:meta])* $name:ident, $rule:expr, $sim:expr, |$e:ident| $check:expr) => {
        $(#[$doc])*
        #[test]
        fn $name() {
            let sim = $sim;
            let e = first_with(&sim, $rule)
                .unwrap_or_else(|| panic!("no event applies {:?}", $rule));
            let $e = &e.ev;
            assert!($check, "{:?} on {}", $rule, e.to_line());
        }
    };
}

const L1: &str = "01-first-election.lesson";
const L2: &str = "02-split-votes.lesson";
const L6: &str = "06-log-repair.lesson";
const L7: &str = "07-election-restriction.lesson";
const L8: &str = "08-commit-current-term.lesson";
const L10: &str = "10-membership-change.lesson";
const L11: &str = "11-prevote-checkquorum.lesson";

/// A learner cut off before it catches up: its timer runs out, and it
/// does not campaign.
const LEARNER: &str = "nodes 3\nseed 1\nat 1s add-learner 4\nat 1s isolate 4";
/// Two candidates 1 ms apart over a 10 ms network: node 1's request
/// reaches a voter already in node 2's newer term.
const STALE_VOTE: &str = "nodes 3\nseed 1\nprevote off\nsticky-leader off\nlatency 10ms 10ms\nat 0ms timeout 1\nat 1ms timeout 2\nat 2ms timeout 2";
/// A client asks a follower.
const REDIRECT: &str = "nodes 3\nseed 1\nat 1s request 2 \"set a=5\"";

fn is_deliver_of(e: &Ev, kind: MessageKind) -> bool {
    matches!(e, Ev::Deliver { msg, .. } if msg.kind() == kind)
}
fn is_send_of(e: &Ev, kind: MessageKind) -> bool {
    matches!(e, Ev::Send { msg, .. } if msg.kind() == kind)
}

rule_test!(
    /// Figure 2, State, persistent state: a server restarts from it.
    persistent_state_is_what_a_restart_reads,
    Rule::PersistentState,
    run("nodes 3\nseed 1\nat 500ms crash 2\nat 700ms restart 2", 800_000),
    |e| matches!(e, Ev::Restart { node: 2 })
);
rule_test!(
    /// Figure 2, State, volatile state: commitIndex and lastApplied start
    /// again from 0 after a restart.
    volatile_state_restarts_from_zero,
    Rule::VolatileState,
    run("nodes 3\nseed 1\nat 500ms crash 2\nat 700ms restart 2", 800_000),
    |e| matches!(e, Ev::Restart { node: 2 })
);
rule_test!(
    /// Figure 2, State, volatile state on leaders: reinitialized on election.
    leader_volatile_state_is_reinitialized_on_election,
    Rule::LeaderVolatileState,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Role { node: 1, role: Role::Leader, term: 1 })
);
rule_test!(
    /// RequestVote receiver rule 1: a candidate's request arrives after the
    /// voter moved on to a newer term, and is refused.
    requestvote_receiver1_refuses_a_stale_candidate,
    Rule::RequestVoteReceiver1,
    run(STALE_VOTE, 100_000),
    |e| matches!(e, Ev::Send { msg, .. } if matches!(**msg, Message::RequestVoteReply { granted: false, .. }))
        || is_deliver_of(e, MessageKind::RequestVote)
);
rule_test!(
    /// RequestVote receiver rule 2: lesson 1's voters grant their vote.
    requestvote_receiver2_grants_the_first_vote_of_a_term,
    Rule::RequestVoteReceiver2,
    run(&lesson(L1), 300_000),
    |e| is_deliver_of(e, MessageKind::RequestVote)
);
rule_test!(
    /// AppendEntries receiver rule 1: a deposed leader's AppendEntries is
    /// refused (lesson 2).
    appendentries_receiver1_refuses_an_old_leader,
    Rule::AppendEntriesReceiver1,
    run(&lesson(L2), 3_000_000),
    |e| matches!(e, Ev::Deliver { msg, .. } | Ev::Send { msg, .. }
        if matches!(**msg, Message::AppendEntries { .. } | Message::AppendEntriesReply { success: false, .. }))
);
rule_test!(
    /// AppendEntries receiver rule 2: in lesson 6, follower (a) (node 2)
    /// has no entry 10 of term 6 and refuses.
    appendentries_receiver2_refuses_without_a_matching_entry,
    Rule::AppendEntriesReceiver2,
    run(&lesson(L6), 130_000),
    |e| matches!(e, Ev::Deliver { to: 6, msg, .. } if msg.kind() == MessageKind::AppendEntries)
);
rule_test!(
    /// AppendEntries receiver rule 3: in lesson 6, follower (d) (node 5)
    /// deletes its two entries of term 7 for the leader's no-op.
    appendentries_receiver3_deletes_the_conflicting_entries,
    Rule::AppendEntriesReceiver3,
    run(&lesson(L6), 130_000),
    |e| matches!(e, Ev::Deliver { from: 1, to: 5, msg, .. } if msg.kind() == MessageKind::AppendEntries)
);
rule_test!(
    /// AppendEntries receiver rule 4: lesson 1's followers append the no-op.
    appendentries_receiver4_appends_new_entries,
    Rule::AppendEntriesReceiver4,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Deliver { msg, .. } if matches!(&**msg, Message::AppendEntries { entries, .. } if !entries.is_empty()))
);
rule_test!(
    /// AppendEntries receiver rule 5: a follower commits what its leader says.
    appendentries_receiver5_commits_at_a_follower,
    Rule::AppendEntriesReceiver5,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Commit { node: 2 | 3, .. })
);
rule_test!(
    /// All Servers, rule 1: a committed entry is applied.
    all_servers_apply_what_is_committed,
    Rule::AllServersApply,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Commit { .. })
);
rule_test!(
    /// All Servers, rule 2: lesson 1's followers adopt the candidate's term.
    all_servers_adopt_a_higher_term,
    Rule::AllServersHigherTerm,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Role { role: Role::Follower, term: 1, .. })
        || is_deliver_of(e, MessageKind::RequestVote)
);
rule_test!(
    /// Followers, rule 1: a follower answers its leader's heartbeat.
    followers_respond_to_heartbeats,
    Rule::FollowersRespond,
    run(&lesson(L1), 400_000),
    |e| matches!(e, Ev::Deliver { msg, .. } | Ev::Send { msg, .. }
        if matches!(&**msg, Message::AppendEntries { entries, .. } if entries.is_empty())
            || matches!(**msg, Message::AppendEntriesReply { success: true, .. }))
);
rule_test!(
    /// Followers, rule 2: lesson 1's first timer runs out at a follower.
    followers_time_out_into_candidates,
    Rule::FollowersTimeout,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Timeout { node: 1, .. })
);
rule_test!(
    /// Candidates, rule 1: node 1 becomes a candidate in term 1.
    candidates_start_an_election,
    Rule::CandidatesStartElection,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Role { node: 1, role: Role::Candidate, term: 1 })
);
rule_test!(
    /// Candidates, rule 2: node 1 wins lesson 1's election.
    candidates_with_a_majority_become_leader,
    Rule::CandidateMajority,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Deliver { to: 1, msg, .. } if matches!(**msg, Message::RequestVoteReply { granted: true, .. }))
);
rule_test!(
    /// Candidates, rule 3: in lesson 6, cut-off (f) comes back as a
    /// pre-candidate and follows the leader's AppendEntries.
    candidates_follow_a_new_leader,
    Rule::CandidatesNewLeader,
    run(&lesson(L6), 3_000_000),
    |e| matches!(e, Ev::Deliver { to: 7, msg, .. } if msg.kind() == MessageKind::AppendEntries)
);
rule_test!(
    /// Candidates, rule 4: lesson 2's split vote times out into a new election.
    candidates_time_out_into_a_new_election,
    Rule::CandidatesTimeout,
    run(&lesson(L2), 3_000_000),
    |e| matches!(e, Ev::Timeout { .. })
);
rule_test!(
    /// Leaders, rule 1: the new leader's first AppendEntries.
    leaders_send_heartbeats,
    Rule::LeadersHeartbeat,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Send { from: 1, msg, .. } if msg.kind() == MessageKind::AppendEntries)
);
rule_test!(
    /// Leaders, rule 2: a client command is appended at the leader.
    leaders_append_client_commands,
    Rule::LeadersClientCommand,
    run("nodes 3\nseed 1\nat 1s request \"set a=5\"", 1_500_000),
    |e| matches!(e, Ev::Request { .. })
);
rule_test!(
    /// Leaders, rule 3: a successful reply moves matchIndex.
    leaders_replicate_from_next_index,
    Rule::LeadersReplicate,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Deliver { to: 1, msg, .. } if matches!(**msg, Message::AppendEntriesReply { success: true, .. }))
);
rule_test!(
    /// Leaders, rule 3 on failure: lesson 6's leader backs off nextIndex.
    leaders_back_off_next_index_on_failure,
    Rule::LeadersBackOff,
    run(&lesson(L6), 1_000_000),
    |e| matches!(e, Ev::Deliver { to: 1, msg, .. } if matches!(**msg, Message::AppendEntriesReply { success: false, .. }))
);
rule_test!(
    /// Leaders, rule 4: the leader commits its no-op.
    leaders_commit_by_counting_replicas,
    Rule::LeadersCommit,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Commit { node: 1, .. })
);
rule_test!(
    /// §5.1: a reply of an older term is dropped (lesson 11).
    stale_replies_are_dropped,
    Rule::StaleTerm,
    run(&lesson(L11), 3_000_000),
    |e| matches!(e, Ev::Reject { reason: RejectReason::StaleTerm { .. }, .. })
);
rule_test!(
    /// §5.1, Figure 4: a restarted leader comes back as a follower.
    role_transitions_restart_as_follower,
    Rule::RoleTransitions,
    run("nodes 3\nseed 1\nat 1s crash 1\nat 1s restart 1", 1_200_000),
    |e| matches!(e, Ev::Role { role: Role::Follower, .. })
);
rule_test!(
    /// §5.4.1: in lesson 6, (c) and (d) refuse node 1, whose log is behind theirs.
    election_restriction_refuses_a_candidate_behind,
    Rule::ElectionRestriction,
    run(&lesson(L6), 130_000),
    |e| matches!(e, Ev::Deliver { to: 4 | 5, msg, .. } if msg.kind() == MessageKind::RequestVote)
);
rule_test!(
    /// §5.4.2, Figure 8: lesson 6's leader commits entries of older terms
    /// only with its own no-op.
    older_terms_commit_only_with_the_current_one,
    Rule::CommitCurrentTermOnly,
    run(&lesson(L6), 1_000_000),
    |e| matches!(e, Ev::Commit { node: 1, term, .. } if *term < 8)
);
rule_test!(
    /// Figure 3, Election Safety: lesson 10's direct change elects two leaders.
    election_safety_violation_names_its_rule,
    Rule::ElectionSafety,
    run(&lesson(L10), 3_000_000),
    |e| matches!(e, Ev::Violation(v) if v.property == Property::ElectionSafety)
        || matches!(e, Ev::Reject { .. })
);
rule_test!(
    /// Figure 3, Leader Completeness: lesson 8's switch elects a leader
    /// without a committed entry.
    leader_completeness_violation_names_its_rule,
    Rule::LeaderCompleteness,
    run(&lesson(L8), 3_000_000),
    |e| matches!(e, Ev::Violation(v) if v.property == Property::LeaderCompleteness)
);
rule_test!(
    /// Figure 3, State Machine Safety: lesson 7's switch ends with two
    /// different entries applied at one index.
    state_machine_safety_violation_names_its_rule,
    Rule::StateMachineSafety,
    run(&lesson(L7), 3_000_000),
    |e| matches!(e, Ev::Violation(v) if v.property == Property::StateMachineSafety)
        || matches!(e, Ev::Reject { .. })
);
rule_test!(
    /// §6: `change` goes through joint consensus.
    joint_consensus_changes,
    Rule::JointConsensus,
    run("nodes 3\nseed 1\nat 1s change 1 2 3 4 5", 2_000_000),
    |e| matches!(e, Ev::Change { .. })
);
rule_test!(
    /// §6: a configuration takes effect when appended.
    latest_configuration_takes_effect,
    Rule::LatestConfiguration,
    run("nodes 3\nseed 1\nat 1s add 4", 2_000_000),
    |e| matches!(e, Ev::Membership { .. })
);
rule_test!(
    /// §6, thesis §4.2.2: a leader removed by its own change steps down.
    removed_leader_steps_down,
    Rule::RemovedLeaderStepsDown,
    run("nodes 3\nseed 1\nat 1s remove 1", 2_000_000),
    |e| matches!(e, Ev::Stepdown { reason: StepDownReason::RemovedFromConfiguration, .. })
);
rule_test!(
    /// §6, thesis §4.2.3: a voter that hears from its leader ignores a
    /// RequestVote.
    disruptive_servers_are_ignored,
    Rule::DisruptiveServers,
    run("nodes 3\nseed 1\nat 1s timeout 2", 1_200_000),
    |e| matches!(e, Ev::Reject { reason: RejectReason::RequestVoteInLease { .. }, .. })
        || is_deliver_of(e, MessageKind::RequestVote)
);
rule_test!(
    /// §8: a follower redirects a client to its leader.
    client_interaction_redirects,
    Rule::ClientInteraction,
    run(REDIRECT, 1_500_000),
    |e| matches!(e, Ev::Client { .. })
);
rule_test!(
    /// §8: a new leader's no-op.
    noop_on_election,
    Rule::NoopOnElection,
    run(&lesson(L1), 300_000),
    |e| matches!(e, Ev::Leader { node: 1, term: 1, .. })
);
rule_test!(
    /// Thesis §4.1: `add` changes one server.
    single_server_change,
    Rule::SingleServerChange,
    run("nodes 3\nseed 1\nat 1s add 4", 2_000_000),
    |e| matches!(e, Ev::Change { .. })
);
rule_test!(
    /// Thesis §4.2.1: a learner's timer does not make it a candidate.
    only_voters_campaign,
    Rule::OnlyVotersCampaign,
    run(LEARNER, 2_000_000),
    |e| matches!(e, Ev::Timeout { node: 4, .. })
);
rule_test!(
    /// Thesis §3.10: `transfer` sends TimeoutNow.
    leadership_transfer,
    Rule::LeadershipTransfer,
    run(&lesson(L10), 3_000_000),
    |e| matches!(e, Ev::Change { .. }) || is_send_of(e, MessageKind::TimeoutNow)
);
rule_test!(
    /// Thesis §5.1: `snapshot-every` compacts the log.
    compaction,
    Rule::Compaction,
    run("nodes 3\nseed 1\nsnapshot-every 2\nat 1s request \"set a=1\"\nat 1.1s request \"set a=2\"\nat 1.2s request \"set a=3\"", 2_000_000),
    |e| matches!(e, Ev::Compact { .. })
);
rule_test!(
    /// Thesis Figure 5.3: a follower behind the leader's snapshot gets it.
    install_snapshot,
    Rule::InstallSnapshot,
    run("nodes 3\nseed 1\nat 500ms crash 3\nat 1s request \"set a=1\"\nat 1.1s request \"set a=2\"\nat 1.2s compact 1\nat 1.3s restart 3", 2_000_000),
    |e| is_send_of(e, MessageKind::InstallSnapshot)
);
rule_test!(
    /// Thesis §9.6: lesson 6's first election starts with a pre-vote.
    prevote,
    Rule::PreVote,
    run(&lesson(L6), 130_000),
    |e| matches!(e, Ev::Role { node: 1, role: Role::PreCandidate, .. })
);
rule_test!(
    /// Thesis §6.2: lesson 11's cut-off leader steps down.
    check_quorum,
    Rule::CheckQuorum,
    run(&lesson(L11), 6_000_000),
    |e| matches!(e, Ev::Stepdown { reason: StepDownReason::CheckQuorum, .. })
);

/// Thesis Figure 5.3, InstallSnapshot receiver rule 1, is a refusal: the
/// rule is the reason's (no short run delivers a stale snapshot).
#[test]
fn install_snapshot_receiver1_is_the_stale_snapshot_refusal() {
    let stale = RejectReason::StaleTerm {
        kind: MessageKind::InstallSnapshot,
        from: 1,
        term: 2,
        current_term: 3,
    };
    assert_eq!(
        rules_of(Ev::Reject {
            node: 2,
            reason: stale
        }),
        [Rule::InstallSnapshotReceiver1]
    );
}

/// §2: forged input names the non-Byzantine rule (no correct run makes it).
#[test]
fn non_byzantine_refusal_of_forged_input() {
    let forged = RejectReason::FromItself {
        kind: MessageKind::AppendEntries,
    };
    assert_eq!(
        rules_of(Ev::Reject {
            node: 2,
            reason: forged
        }),
        [Rule::NonByzantine]
    );
}

/// Figure 3, Leader Append-Only and Log Matching: no lesson breaks them;
/// a violation of either names its property's rule.
#[test]
fn leader_append_only_and_log_matching_violations_name_their_rules() {
    for (property, rule) in [
        (Property::LeaderAppendOnly, Rule::LeaderAppendOnly),
        (Property::LogMatching, Rule::LogMatching),
    ] {
        let v = Violation {
            property,
            nodes: vec![1, 2],
            term: 2,
            index: 3,
            other_term: 0,
            detail: String::new(),
        };
        assert_eq!(rules_of(Ev::Violation(v)), [rule]);
    }
}

/// AppendEntries receiver rule 3 is named only where entries were deleted:
/// in lesson 6 up to 130 ms, exactly the deliveries to (c) and (d) (nodes
/// 4 and 5), each with its reply; the others appended or refused.
#[test]
fn appendentries_receiver3_only_where_entries_were_deleted() {
    let sim = run(&lesson(L6), 130_000);
    let at: Vec<String> = all_with(&sim, Rule::AppendEntriesReceiver3)
        .iter()
        .map(|e| match &e.ev {
            Ev::Deliver { to, .. } => format!("deliver to {to}"),
            Ev::Send { from, .. } => format!("reply from {from}"),
            _ => e.to_line(),
        })
        .collect();
    assert_eq!(
        at,
        [
            "deliver to 5",
            "reply from 5",
            "deliver to 4",
            "reply from 4"
        ]
    );
}

/// Every rule of `Rule::ALL` is applied by some event: the runs of the
/// tests above, and the hand-made events for the rest.
#[test]
fn every_rule_is_reachable_from_some_event() {
    let runs = [
        run(&lesson(L1), 400_000),
        run(&lesson(L6), 3_000_000),
        run(&lesson(L2), 3_000_000),
        run(&lesson(L8), 3_000_000),
        run(&lesson(L10), 3_000_000),
        run(&lesson(L11), 6_000_000),
        run(&lesson(L7), 3_000_000),
        run(LEARNER, 2_000_000),
        run(STALE_VOTE, 100_000),
        run(REDIRECT, 1_500_000),
        run("nodes 3\nseed 1\nat 1s crash 1\nat 1s restart 1\nat 1.5s request 2 \"set a=5\"\nat 2s add-learner 4\nat 2.5s isolate 4\nat 3s heal\nat 3s remove 2", 5_000_000),
        run("nodes 3\nseed 1\nat 500ms crash 3\nat 1s request \"set a=1\"\nat 1.1s request \"set a=2\"\nat 1.2s compact 1\nat 1.3s restart 3\nat 1.5s timeout 2", 2_000_000),
        run("nodes 3\nseed 1\nat 1s remove 1", 2_000_000),
    ];
    let mut reached: Vec<Rule> = Vec::new();
    for sim in &runs {
        for i in 0..sim.trace().len() {
            reached.extend(sim.rules_at(i));
        }
    }
    for reason in [
        RejectReason::FromItself {
            kind: MessageKind::AppendEntries,
        },
        RejectReason::StaleTerm {
            kind: MessageKind::InstallSnapshot,
            from: 1,
            term: 2,
            current_term: 3,
        },
    ] {
        reached.extend(rules_of(Ev::Reject { node: 2, reason }));
    }
    for property in Property::ALL {
        reached.extend(rules_of(Ev::Violation(Violation {
            property,
            nodes: vec![1],
            term: 1,
            index: 1,
            other_term: 0,
            detail: String::new(),
        })));
    }
    let missing: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| !reached.contains(r))
        .collect();
    assert!(missing.is_empty(), "never applied: {missing:?}");
}

/// A lost message, a crash or a partition is the operator's doing, not a
/// rule of the algorithm: no rule.
#[test]
fn faults_apply_no_rule() {
    let msg = Arc::new(Message::TimeoutNow { term: 1, leader: 1 });
    for ev in [
        Ev::Crash { node: 1 },
        Ev::Heal,
        Ev::Drop {
            id: 1,
            from: 1,
            to: 2,
            reason: sim::DropReason::Loss,
            msg,
        },
    ] {
        assert!(rules_of(ev).is_empty());
    }
}
