//! The liveness bugs of issue 10, one regression scenario each
//! (tests/scenarios/liveness_*.txt). Each file says in its claims what must
//! hold with default settings; before the fixes every one of them failed.

use sim::{check_all, Scenario};

fn holds(name: &str, text: &str) {
    let sc = Scenario::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(!sc.expects.is_empty(), "{name} states what must hold");
    let failures = check_all(&sc).unwrap_or_else(|e| panic!("{name}: {e}"));
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "{name}:\n{}", report.join("\n"));
}

/// Paper §6, thesis §4.2.3: "if a server receives a RequestVote RPC within
/// the minimum election timeout of hearing from a current leader, it does not
/// update its term or grant its vote". A server being removed no longer gets
/// heartbeats and times out; it must not depose the leader while C_new waits.
/// Reference: §6
#[test]
fn liveness_a_server_being_removed_does_not_depose_the_leader() {
    holds(
        "liveness_disruptive_removed_server.txt",
        include_str!("scenarios/liveness_disruptive_removed_server.txt"),
    );
}

/// Thesis §4.2.3: servers not in C_new are shut down once C_new commits,
/// also when the leader promotes a learner in the same step.
/// Reference: §6, thesis §4.2.1
#[test]
fn liveness_removal_by_joint_consensus_shuts_down_with_a_learner_promoted() {
    holds(
        "liveness_removal_with_promotion.txt",
        include_str!("scenarios/liveness_removal_with_promotion.txt"),
    );
}

/// A server the operator started for a change whose entry was lost belongs
/// to no configuration and is shut down again. Reference: thesis §4.2.3
#[test]
fn liveness_a_server_whose_add_was_lost_is_shut_down() {
    holds(
        "liveness_removed_then_readded.txt",
        include_str!("scenarios/liveness_removed_then_readded.txt"),
    );
}

/// Thesis §3.10: a transfer is abandoned only "after about an election
/// timeout", so one to a follower that must first catch up completes.
/// Reference: thesis §3.10
#[test]
fn liveness_a_leadership_transfer_to_a_lagging_follower_completes() {
    holds(
        "liveness_transfer_completes.txt",
        include_str!("scenarios/liveness_transfer_completes.txt"),
    );
}

/// The operator acts on each configuration commit once. A leader that
/// restarted applies its log again from its snapshot, old configurations
/// included; taking those for new commits shut down servers of the current
/// configuration, until no server was left (swarm VOPR seed 361: every
/// server shut down, nothing committed after the heal). Reference: thesis §4.2.3
#[test]
fn liveness_vopr_seed_361_old_configurations_applied_again_shut_nobody_down() {
    let sc = Scenario::parse(include_str!("scenarios/vopr_seed_361_liveness.txt")).expect("parses");
    if let Err(e) = sim::vopr::check(&sc, &sim::vopr::VoprConfig::default()) {
        panic!("seed 361: {e}");
    }
}

/// A server still joining for one change (here an `add-learner` at a stale
/// leader) waits on every later change that names it too (a joint `change`
/// at the new leader): when the first is lost, the second still needs it.
/// Swarm VOPR seed 1001966: the operator shut the server down, and C_new
/// could never form a majority again. Reference: thesis §4.2.3, §6
#[test]
fn liveness_vopr_seed_1001966_a_server_two_changes_name_waits_for_both() {
    let sc =
        Scenario::parse(include_str!("scenarios/vopr_seed_1001966_liveness.txt")).expect("parses");
    if let Err(e) = sim::vopr::check(&sc, &sim::vopr::VoprConfig::default()) {
        panic!("seed 1001966: {e}");
    }
}
