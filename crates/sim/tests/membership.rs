//! The simulator as the operator of membership changes: once a leader has
//! committed a configuration that excludes a server, that server is shut down
//! for good (thesis §4.2.3, paper §6: "servers not in C_new can be shut down").

use sim::{ClientResult, Ev, Scenario, Sim, TraceEvent};

const EXAMPLE: &str = include_str!("scenarios/issue_example.txt");

fn run(text: &str, until_us: u64) -> Sim {
    let mut sim = Sim::new(Scenario::parse(text).expect("parses")).expect("valid");
    sim.run_until(until_us);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    sim
}

fn removed_at(trace: &[TraceEvent], id: u32) -> Option<u64> {
    trace
        .iter()
        .find(|e| matches!(e.ev, Ev::Removed { node, .. } if node == id))
        .map(|e| e.t)
}

fn leaders_after(trace: &[TraceEvent], t_us: u64) -> Vec<(u64, u32)> {
    trace
        .iter()
        .filter(|e| e.t > t_us)
        .filter_map(|e| match e.ev {
            Ev::Leader { node, term, .. } => Some((term, node)),
            _ => None,
        })
        .collect()
}

/// §6: "servers not in C_new can be shut down" once C_new is committed; a
/// removed server that kept running would time out and disrupt the cluster
/// with RequestVotes of ever higher terms (thesis §4.2.3). The example
/// (`at 6s remove 3`) keeps one leader to the end.
/// Reference: §6, thesis §4.2.3.
#[test]
fn s6_removed_server_is_shut_down_once_c_new_commits_and_leader_stays() {
    let sim = run(EXAMPLE, 10_000_000);
    let t = removed_at(sim.trace(), 3).expect("node 3 is shut down");
    assert!(
        t > 6_000_000 && t < 6_500_000,
        "soon after `remove 3` commits: {t}"
    );
    assert_eq!(
        leaders_after(sim.trace(), 6_000_000),
        vec![],
        "no election after the removal"
    );
    let view = sim.view();
    let n3 = view.nodes.iter().find(|n| n.id == 3).expect("still shown");
    assert!(
        n3.removed && !n3.up && n3.role.is_none(),
        "removed, distinct from crashed"
    );
    assert!(view
        .nodes
        .iter()
        .filter(|n| n.id != 3)
        .all(|n| n.up && !n.removed));
    assert!(!n3.log.is_empty(), "its persisted log stays visible");
}

/// A removed server is not restarted by `restart`; once the leader accepts
/// `add`, it restarts from its own persistent state (never a wiped one: a
/// stale server could win an election with the vote of an empty incarnation)
/// and catches up from the leader.
/// Reference: §6, thesis §4.2.
#[test]
fn s6_removed_server_stays_down_and_add_restarts_it_from_its_disk() {
    let text = format!("{EXAMPLE}\nat 7s restart 3\nat 7s request \"b=2\"\nat 8s add 3\nrun 12s\n");
    let text = text.replace("run 10s\n", "");
    let sim = run(&text, 12_000_000);
    let notes: Vec<&str> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.ev {
            Ev::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("restart 3") && n.contains("removed")),
        "{notes:?}"
    );
    assert!(sim
        .trace()
        .iter()
        .any(|e| e.t == 8_000_000 && matches!(e.ev, Ev::Restart { node: 3 })));
    let n3 = sim.node(3).expect("added back and running");
    assert!(n3.membership().voters.contains(&3));
    let leader = sim.node(sim.leader().expect("a leader")).expect("up");
    assert_eq!(
        n3.log().last_index(),
        leader.log().last_index(),
        "caught up"
    );
    assert_eq!(
        sim.kv(3).and_then(|kv| kv.get("b")).map(String::as_str),
        Some("2")
    );
    assert_eq!(leaders_after(sim.trace(), 6_000_000), vec![]);
}

/// §6: "the leader ... steps down (returns to follower state) once it has
/// committed the C_new log entry" when it is not part of C_new; the others
/// elect a new leader and keep committing.
/// Reference: §6.
#[test]
fn s6_removed_leader_steps_down_is_shut_down_and_the_rest_go_on() {
    let text = "nodes 5\nseed 3\nat 0ms timeout 1\nat 2s remove 1\nat 4s request \"x=1\"\nrun 5s\n";
    let sim = run(text, 5_000_000);
    assert!(
        removed_at(sim.trace(), 1).is_some(),
        "the old leader is shut down"
    );
    let stepdown = sim
        .trace()
        .iter()
        .any(|e| matches!(&e.ev, Ev::Stepdown { node: 1, reason } if reason.to_string().contains("removed")));
    assert!(stepdown);
    let new_leader = sim.leader().expect("a new leader");
    assert_ne!(new_leader, 1);
    assert!(sim.trace().iter().any(
        |e| matches!(&e.ev, Ev::Client { result: ClientResult::Ok, cmd, .. } if cmd == "x=1")
    ));
}

/// Joint consensus (§6): the servers of C_old that are not in C_new are shut
/// down only when C_new (not C_old,new) is committed.
/// Reference: §6.
#[test]
fn s6_joint_change_shuts_down_old_servers_after_c_new_commits() {
    let text = "nodes 5\nseed 9\nat 1s change 1 2 4 6\nat 3s request \"y=2\"\nrun 4s\n";
    let sim = run(text, 4_000_000);
    let leader = sim.leader().expect("leader");
    let m = sim.node(leader).expect("up").membership().clone();
    assert_eq!(m.voters.into_iter().collect::<Vec<_>>(), vec![1, 2, 4, 6]);
    assert!(m.outgoing.is_empty());
    let log = sim.node(leader).expect("up").log().clone();
    for gone in [3, 5] {
        let index = sim
            .trace()
            .iter()
            .find_map(|e| match e.ev {
                Ev::Removed { node, index, .. } if node == gone => Some(index),
                _ => None,
            })
            .expect("shut down");
        // The entry that removed it is C_new, not C_old,new.
        match &log.entry(index).expect("in the log").payload {
            raft::Payload::Config { membership } => {
                assert!(!membership.is_joint() && !membership.contains(gone))
            }
            other => panic!("entry {index} is {other:?}"),
        }
        assert!(log.entry(index - 1).is_some_and(|e| matches!(
            &e.payload,
            raft::Payload::Config { membership } if membership.is_joint()
        )));
    }
    assert!(
        removed_at(sim.trace(), 6).is_none(),
        "the added server stays"
    );
    assert!(sim.trace().iter().any(
        |e| matches!(&e.ev, Ev::Client { result: ClientResult::Ok, cmd, .. } if cmd == "y=2")
    ));
}
