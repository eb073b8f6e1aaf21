//! Membership changes: single-server changes and learners (thesis ch. 4) and
//! joint consensus (paper §6).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use raft::{ConfChange, Event, Membership, Message, ProposeError, Role, StepDownReason};
use std::collections::BTreeSet;

fn set(ids: &[u32]) -> BTreeSet<u32> {
    ids.iter().copied().collect()
}

fn settle(c: &mut Cluster, leader: u32) {
    for _ in 0..4 {
        c.heartbeat(leader);
        c.stabilize();
    }
}

/// Thesis §4.1: "Cluster configurations are stored and communicated using
/// special entries in the replicated log"; a server adds one voter at a
/// time, and "the new configuration takes effect on each server as soon as
/// it is added to that server's log". Reference: thesis §4.1
#[test]
fn membership_add_voter_single_server() {
    let mut c = Cluster::new(3, |c| c);
    c.add_node(cfg(4), Membership::default());
    c.elect(1);
    let (index, _) = c
        .node_mut(1)
        .propose_conf_change(ConfChange::AddVoter(4))
        .unwrap();
    assert_eq!(
        c.node(1).membership().voters,
        set(&[1, 2, 3, 4]),
        "in effect on the leader when appended"
    );
    c.drain(1);
    assert_eq!(
        c.node_mut(1).propose_conf_change(ConfChange::AddVoter(5)),
        Err(ProposeError::ConfChangePending),
        "one change at a time"
    );
    settle(&mut c, 1);
    assert!(c.node(1).commit_index() >= index);
    for id in 1..=4 {
        assert_eq!(
            c.node(id).membership().voters,
            set(&[1, 2, 3, 4]),
            "node {id}"
        );
    }
    // Now 4 counts: with 2 and 3 down, 1 and 4 are not a majority of 4.
    c.crash(2);
    c.crash(3);
    c.propose(1, "x").unwrap();
    settle(&mut c, 1);
    assert_eq!(c.node(1).commit_index(), index, "2 of 4 cannot commit");
}

/// Thesis §4.1: removing one server; the remaining majority decides.
/// Reference: thesis §4.1
#[test]
fn membership_remove_server_single_server() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.node_mut(1)
        .propose_conf_change(ConfChange::RemoveServer(3))
        .unwrap();
    c.drain(1);
    settle(&mut c, 1);
    assert_eq!(c.node(1).membership().voters, set(&[1, 2]));
    assert!(
        c.node(1).progress().iter().all(|p| p.id != 3),
        "no longer replicated to"
    );
    c.crash(3);
    c.propose(1, "x").unwrap();
    settle(&mut c, 1);
    assert!(
        c.applied[&2].iter().any(|e| e.payload == cmd("x")),
        "1 and 2 are a majority of {{1, 2}}"
    );
}

/// Thesis §4.2.1: a new server joins as a learner: "the new server joins the
/// cluster as a non-voting member [...] the leader replicates log entries to
/// it, but it is not yet counted towards majorities", and is promoted once
/// caught up (here automatically, `auto_promote_learners`). Reference: thesis §4.2.1
#[test]
fn membership_learner_catches_up_then_is_promoted() {
    let mut c = Cluster::new(3, |mut c| {
        c.auto_promote_learners = false;
        c
    });
    c.add_node(cfg(4), Membership::default());
    c.elect(1);
    for i in 0..20 {
        c.propose(1, &format!("c{i}")).unwrap();
    }
    c.stabilize();
    c.crash(4);
    c.node_mut(1)
        .propose_conf_change(ConfChange::AddLearner(4))
        .unwrap();
    c.drain(1);
    settle(&mut c, 1);
    let m = c.node(1).membership().clone();
    assert_eq!(
        (m.voters.clone(), m.learners.clone()),
        (set(&[1, 2, 3]), set(&[4]))
    );
    // Not counted: with 2 and 3 down, leader + learner commit nothing.
    c.restart(4);
    c.crash(2);
    c.crash(3);
    let before = c.node(1).commit_index();
    c.propose(1, "y").unwrap();
    settle(&mut c, 1);
    assert_eq!(c.node(1).commit_index(), before, "a learner does not count");
    assert_eq!(
        c.node(4).log().last_index(),
        c.node(1).log().last_index(),
        "but it receives entries"
    );
    // It never campaigns.
    c.timeout(4);
    assert_eq!(c.node(4).role(), Role::Follower);
    // Turn on auto-promotion: once caught up it becomes a voter.
    c.restart(2);
    c.restart(3);
    settle(&mut c, 1);
    let mut conf = c.node(1).config().clone();
    conf.auto_promote_learners = true;
    c.node_mut(1).set_config(conf);
    settle(&mut c, 1);
    for id in 1..=4 {
        assert_eq!(
            c.node(id).membership().voters,
            set(&[1, 2, 3, 4]),
            "node {id}"
        );
        assert!(c.node(id).membership().learners.is_empty());
    }
}

/// Paper §6: "agreement (for elections and entry commitment) requires
/// separate majorities from both the old and new configurations"; "Once
/// C_old,new has been committed [...] the leader creates a log entry
/// describing C_new". Reference: §6
#[test]
fn membership_joint_consensus_needs_both_majorities() {
    let mut c = Cluster::new(3, |c| c);
    for id in [4, 5] {
        c.add_node(cfg(id), Membership::default());
    }
    c.elect(1);
    // C_old = {1,2,3}, C_new = {1,4,5}. Cut off 2 and 3: C_new has a
    // majority (1,4,5) but C_old only has 1.
    c.partition(&[2, 3], &[1, 4, 5]);
    let (joint_index, _) = c
        .node_mut(1)
        .propose_conf_change(ConfChange::BeginJoint {
            voters: set(&[1, 4, 5]),
        })
        .unwrap();
    assert!(c.node(1).membership().is_joint());
    c.drain(1);
    settle(&mut c, 1);
    assert!(
        c.node(1).commit_index() < joint_index,
        "C_new majority alone is not enough"
    );
    assert_eq!(
        c.node(4).log().last_index(),
        joint_index,
        "yet the entry is replicated"
    );
    c.heal();
    settle(&mut c, 1);
    // C_old,new committed; the leader appended C_new and committed it too.
    let m = c.node(1).membership();
    assert_eq!(
        (m.voters.clone(), m.outgoing.clone()),
        (set(&[1, 4, 5]), BTreeSet::new())
    );
    assert_eq!(c.node(1).commit_index(), c.node(1).log().last_index());
    let configs: Vec<Membership> = c
        .node(1)
        .log()
        .entries()
        .filter_map(|e| match &e.payload {
            raft::Payload::Config { membership } => Some((**membership).clone()),
            _ => None,
        })
        .collect();
    assert_eq!(configs.len(), 2, "C_old,new then C_new");
    assert!(configs[0].is_joint() && !configs[1].is_joint());
}

/// Paper §6: "the leader [...] steps down (returns to follower state) once it
/// has committed the C_new log entry" when it is not part of C_new; the new
/// configuration then elects a leader of its own. Reference: §6
#[test]
fn membership_joint_leader_not_in_new_config_steps_down() {
    let mut c = Cluster::new(3, |c| c);
    for id in [4, 5] {
        c.add_node(cfg(id), Membership::default());
    }
    c.elect(1);
    c.node_mut(1)
        .propose_conf_change(ConfChange::BeginJoint {
            voters: set(&[3, 4, 5]),
        })
        .unwrap();
    c.drain(1);
    assert_eq!(c.node(1).role(), Role::Leader, "still leads C_old,new");
    c.stabilize();
    settle(&mut c, 1);
    assert_eq!(c.node(1).role(), Role::Follower);
    assert!(c.events_of(1).contains(&&Event::SteppedDown {
        reason: StepDownReason::RemovedFromConfiguration
    }));
    c.timeout(1);
    assert_eq!(
        c.node(1).role(),
        Role::Follower,
        "not a voter: never campaigns"
    );
    c.elect(4);
    assert_eq!(c.leader(), Some(4));
    c.propose(4, "after").unwrap();
    settle(&mut c, 4);
    assert!(c.applied[&5].iter().any(|e| e.payload == cmd("after")));
    assert!(c.violations.is_empty());
}

/// Thesis §4.2.2: a leader removed by a single-server change "steps down once
/// the C_new entry is committed"; until then it manages the cluster without
/// counting itself. Reference: thesis §4.2.2
#[test]
fn membership_remove_leader_steps_down_after_commit() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.node_mut(1)
        .propose_conf_change(ConfChange::RemoveServer(1))
        .unwrap();
    c.drain(1);
    assert_eq!(c.node(1).role(), Role::Leader);
    settle(&mut c, 1);
    assert_eq!(c.node(1).role(), Role::Follower);
    assert_eq!(c.node(2).membership().voters, set(&[2, 3]));
    c.elect(2);
    assert_eq!(c.leader(), Some(2));
}

/// §6 / thesis §4.1: a configuration takes effect when appended, "regardless
/// of whether the entry is committed", so a follower whose uncommitted
/// configuration entry is truncated reverts to the previous one.
/// Reference: thesis §4.1
#[test]
fn membership_truncated_config_entry_reverts() {
    let mut c = Cluster::new(5, |c| c);
    c.elect(1);
    c.node_mut(1)
        .propose_conf_change(ConfChange::RemoveServer(5))
        .unwrap();
    c.drain(1);
    c.deliver_matching(|m| m.to == 2 && matches!(m.msg, Message::AppendEntries { .. }));
    assert_eq!(
        c.node(2).membership().voters,
        set(&[1, 2, 3, 4]),
        "in effect on append"
    );
    c.queue.clear();
    c.crash(1);
    // 3 wins with 4 and 5 (2's log is longer); its no-op overwrites 2's entry.
    c.elect(3);
    assert_eq!(c.leader(), Some(3));
    assert_eq!(
        c.node(2).membership().voters,
        set(&[1, 2, 3, 4, 5]),
        "reverted by truncation"
    );
    let changes = c
        .events_of(2)
        .into_iter()
        .filter(|e| matches!(e, Event::MembershipChanged { .. }))
        .count();
    assert_eq!(changes, 2, "took effect, then reverted");
}

/// Thesis §4.1: "servers process incoming RPC requests without consulting
/// their current configurations [...] A server also grants its vote to a
/// candidate that is not part of the server's latest configuration [...]
/// This vote may occasionally be needed to keep the cluster available. For
/// example, consider adding a fourth server to a three-server cluster. If one
/// server were to fail, the new server's vote would be needed to form a
/// majority and elect a leader." Here server 4 (started with an empty
/// configuration) has not yet received the entry that made it a voter, the
/// leader fails, and {2, 3, 4} must still elect a leader (etcd-io/etcd#10998
/// is the same bug for learners). Reference: thesis §4.1
#[test]
fn membership_server_votes_without_consulting_its_configuration() {
    for pre_vote in [false, true] {
        let mut c = Cluster::new(3, |mut c| {
            c.pre_vote = pre_vote;
            c
        });
        c.add_node(raft::Config { pre_vote, ..cfg(4) }, Membership::default());
        c.elect(1);
        c.isolate(4);
        let (index, _) = c
            .node_mut(1)
            .propose_conf_change(ConfChange::AddVoter(4))
            .unwrap();
        c.drain(1);
        settle(&mut c, 1);
        assert!(c.node(1).commit_index() >= index, "1, 2, 3 are 3 of 4");
        assert_eq!(c.node(4).membership(), &Membership::default());
        c.crash(1);
        c.heal();
        // The survivors' election timers fire in turn until one wins.
        for id in [3, 2, 3, 2] {
            if c.leader().is_none() {
                c.timeout(id);
                c.stabilize();
            }
        }
        let leader = c.leader();
        assert!(
            leader == Some(2) || leader == Some(3),
            "pre_vote={pre_vote}: 2, 3 and 4 form a majority of {{1, 2, 3, 4}}"
        );
        assert_eq!(c.node(4).membership().voters, set(&[1, 2, 3, 4]));
    }
}

/// Thesis §4.2.1: a learner does not count ("it is not yet counted towards
/// majorities"): a candidate whose configuration lists 4 as a learner ignores
/// 4's vote, even if 4 grants it. Counting happens at the candidate, against
/// the candidate's own configuration. Reference: thesis §4.2.1
#[test]
fn membership_learner_vote_not_counted() {
    let mut c = Cluster::new(3, |mut c| {
        c.auto_promote_learners = false;
        c
    });
    c.add_node(cfg(4), Membership::default());
    c.elect(1);
    c.node_mut(1)
        .propose_conf_change(ConfChange::AddLearner(4))
        .unwrap();
    c.drain(1);
    settle(&mut c, 1);
    assert_eq!(c.node(2).membership().learners, set(&[4]));
    c.crash(1);
    c.crash(3);
    c.timeout(2);
    c.stabilize();
    // 2 did not ask the learner; 4's vote (after its own timeout it would
    // grant: it does not consult its configuration) is still not counted.
    let term = c.node(2).term();
    c.node_mut(2).handle_message(
        4,
        Message::RequestVoteReply {
            term,
            granted: true,
        },
    );
    c.drain(2);
    assert_eq!(
        c.node(2).role(),
        Role::Candidate,
        "2 + learner 4 is not a majority of {{1, 2, 3}}"
    );
    assert_eq!(c.node(2).votes_received(), vec![2]);
}

/// Paper §6: "servers disregard RequestVote RPCs when they believe a current
/// leader exists. Specifically, if a server receives a RequestVote RPC within
/// the minimum election timeout of hearing from a current leader, it does not
/// update its term or grant its vote." On by default, without CheckQuorum: a
/// server being removed (no longer sent heartbeats) times out and asks for
/// votes with ever higher terms, and must not depose the leader. The leader
/// itself ignores the request too; a transfer's RequestVote is exempt; once
/// the lease ends (`handle_lease_timeout`) the vote is considered again.
/// Reference: §6, thesis §4.2.3
#[test]
fn membership_sticky_leader_disregards_request_vote_while_leader_is_heard() {
    let mut c = Cluster::new(3, |c| c);
    c.elect(1);
    c.heartbeat(1);
    c.stabilize();
    let rv = |transfer| Message::RequestVote {
        term: 7,
        candidate: 3,
        last_log_index: 9,
        last_log_term: 9,
        transfer,
    };
    for id in [1, 2] {
        let _ = c.node_mut(id).ready();
        c.node_mut(id).handle_message(3, rv(false));
        assert_eq!(c.node(id).term(), 1, "node {id}: term not updated");
        assert_eq!(c.node(id).voted_for(), Some(1), "node {id}: no vote");
        assert!(c.node_mut(id).ready().messages.is_empty(), "no reply");
    }
    assert_eq!(c.node(1).role(), Role::Leader, "the leader is not deposed");
    // A minimum election timeout without hearing from the leader: the vote is granted.
    c.node_mut(2).handle_lease_timeout();
    c.node_mut(2).handle_message(3, rv(false));
    assert_eq!((c.node(2).term(), c.node(2).voted_for()), (7, Some(3)));
}

/// The §6 rule can be turned off (`Config::sticky_leader = false`): then the
/// same RequestVote deposes the leader, which is the disruption the rule
/// prevents. Reference: §6, thesis §4.2.3
#[test]
fn membership_sticky_leader_off_lets_a_request_vote_depose_the_leader() {
    let mut c = Cluster::new(3, |mut c| {
        c.sticky_leader = false;
        c
    });
    c.elect(1);
    c.node_mut(1).handle_message(
        3,
        Message::RequestVote {
            term: 7,
            candidate: 3,
            last_log_index: 9,
            last_log_term: 9,
            transfer: false,
        },
    );
    assert_eq!((c.node(1).role(), c.node(1).term()), (Role::Follower, 7));
}

/// Thesis §4.2.2: "a server that is not part of its own latest configuration
/// should still start new elections, as it might still be needed until the
/// C_new entry is committed. It does not count its own vote in elections
/// unless it is part of its latest configuration." Leader 2 of {1, 2}
/// removes itself; only it holds C_new = {1} when it loses leadership. Node 1
/// cannot win (2 refuses: 1's log is behind), so unless 2 campaigns the
/// cluster is stuck forever (found by the simulator's soak, seed 12339).
/// Reference: thesis §4.2.2
#[test]
fn membership_removed_server_campaigns_until_its_removal_commits() {
    let mut c = Cluster::new(2, |c| c);
    c.elect(2);
    settle(&mut c, 2);
    c.node_mut(2)
        .propose_conf_change(ConfChange::RemoveServer(2))
        .unwrap();
    c.drain(2);
    c.drop_matching(|m| m.from == 2); // C_new reaches nobody
    assert!(
        !c.node(2).membership().is_voter(2),
        "C_new took effect at 2"
    );
    // Node 1 times out. Leader 2 ignores its RequestVote (§6), but 1's
    // higher term reaches 2 in the reply to 2's next heartbeat and deposes it.
    c.timeout(1);
    c.stabilize();
    c.heartbeat(2);
    c.stabilize();
    assert_ne!(c.node(1).role(), Role::Leader);
    assert_ne!(c.node(2).role(), Role::Leader);
    // 2 campaigns in C_new = {1}; 1's vote is a majority of it. As leader it
    // commits C_new (with its term's no-op), then steps down.
    c.timeout(2);
    c.stabilize();
    assert!(
        c.events.iter().any(|(id, e)| *id == 2
            && matches!(e, Event::BecameLeader { votes, .. } if votes.contains(&1))),
        "2 led C_new, elected by 1"
    );
    let c_new = c.node(2).log().latest_config().0;
    assert!(c.node(2).commit_index() >= c_new, "C_new committed");
    assert_eq!(c.node(1).membership().voters, set(&[1]));
    assert_ne!(
        c.node(2).role(),
        Role::Leader,
        "then 2 stepped down (§4.2.2)"
    );
    // Node 1, alone in C_new, now elects itself.
    c.timeout(1);
    c.stabilize();
    assert_eq!(c.node(1).role(), Role::Leader);
    assert!(c.node(1).commit_index() >= c_new);
    assert!(c.violations.is_empty(), "{:?}", c.violations);
}
