//! The trace agrees with itself (docs/trace.md): an entry is described the
//! same way by its `commit` events and by the `final` line's logs, and a
//! `partition` event lists every server the groups apply to.

use std::collections::BTreeMap;

use sim::{Ev, Scenario, Sim};

fn run(text: &str) -> Sim {
    let sc = Scenario::parse(text).expect("the scenario parses");
    let end = sc.run_us.expect("the scenario has a run time");
    let mut sim = Sim::new(sc).expect("the scenario is valid");
    sim.run_until(end);
    sim
}

/// docs/trace.md, "Entries and messages": no-op, command and configuration
/// entries carry the same `kind` and `cmd` in `commit` events and in the
/// `final` line's logs (a no-op's `cmd` is `""`, a configuration's is its text).
#[test]
fn trace_commit_events_describe_entries_as_the_final_logs_do() {
    let sim = run("nodes 3\nseed 2\n\
         at 0ms timeout 1\n\
         at 400ms request \"set a=5\"\n\
         at 800ms add 4\n\
         at 1.6s change 1 2 4\n\
         at 2.4s request \"b\"\n\
         run 4s\n");
    let mut committed: BTreeMap<(u64, u64), (String, String)> = BTreeMap::new();
    for e in sim.trace() {
        if let Ev::Commit {
            node,
            index,
            kind,
            cmd,
            ..
        } = &e.ev
        {
            committed.insert((u64::from(*node), *index), (kind.to_string(), cmd.clone()));
        }
    }
    let kinds: Vec<&str> = committed.values().map(|(k, _)| k.as_str()).collect();
    for kind in ["noop", "command", "config"] {
        assert!(kinds.contains(&kind), "the run commits a {kind} entry");
    }
    let final_line: serde_json::Value =
        serde_json::from_str(&sim.final_line()).expect("the final line is JSON");
    let mut compared = 0;
    for node in final_line["nodes"].as_array().expect("nodes") {
        let id = node["node"].as_u64().expect("node id");
        for entry in node["log"].as_array().expect("log") {
            let index = entry["index"].as_u64().expect("index");
            if let Some((kind, cmd)) = committed.get(&(id, index)) {
                assert_eq!(entry["kind"].as_str(), Some(kind.as_str()), "{entry}");
                assert_eq!(entry["cmd"].as_str(), Some(cmd.as_str()), "{entry}");
                compared += 1;
            }
        }
    }
    assert!(compared >= 10, "only {compared} entries compared");
    assert!(
        committed
            .values()
            .any(|(k, c)| k == "config" && c == "voters 1,2,4 old 1,2,3,4"),
        "joint configuration text: {committed:?}"
    );
}

/// docs/trace.md, `partition`: servers named in the groups that do not exist
/// yet are listed (the network applies the groups to them once added), and
/// the servers not named come first, as one group.
#[test]
fn trace_partition_lists_servers_that_do_not_exist_yet() {
    let sim = run("nodes 3\nseed 1\n\
         at 0ms timeout 1\n\
         at 500ms partition 2 | 3 4\n\
         at 600ms add 4\n\
         run 1s\n");
    let groups: Vec<Vec<u32>> = sim
        .trace()
        .iter()
        .find_map(|e| match &e.ev {
            Ev::Partition { groups } => Some(groups.clone()),
            _ => None,
        })
        .expect("a partition event");
    assert_eq!(groups, vec![vec![1], vec![2], vec![3, 4]]);
}
