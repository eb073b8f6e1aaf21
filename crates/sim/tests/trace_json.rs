//! `TraceEvent::to_json` is written by hand (the wasm's size): it must be
//! byte for byte the derived `Serialize` through serde_json, which the
//! pinned trace hashes were taken from. Compared on every event of the
//! test scenarios, a run made to show every kind of event, and
//! randomized fault runs.

use std::collections::BTreeSet;
use std::path::Path;

use sim::vopr::{generate, VoprConfig};
use sim::{Scenario, Sim, SimOptions};

/// Runs `sc` to its end (or 5 s), with the verbose trace (`reject`
/// events), and compares each event's two JSON forms;
/// notes the `ev` tags and message types seen. False if the simulator
/// refuses `sc` (some test scenarios are refused on purpose).
fn compare(sc: Scenario, seen: &mut BTreeSet<String>) -> bool {
    let end = sc.run_us.unwrap_or(5_000_000);
    let options = SimOptions {
        trace_verbose: true,
        ..SimOptions::default()
    };
    let Ok(mut sim) = Sim::with_options(sc, options) else {
        return false;
    };
    sim.run_until(end);
    for e in sim.trace() {
        let serde = serde_json::to_string(e).expect("serializes");
        assert_eq!(e.to_json(), serde);
        let v: serde_json::Value = serde_json::from_str(&serde).expect("JSON");
        seen.insert(format!("ev {}", v["ev"].as_str().unwrap_or("?")));
        if let Some(t) = v["msg"]["type"].as_str() {
            seen.insert(format!("msg {t}"));
        }
        if let Some(entries) = v["msg"]["entries"].as_array() {
            for entry in entries {
                let kind = entry["payload"]["kind"].as_str().unwrap_or("?");
                seen.insert(format!("payload {kind}"));
            }
        }
    }
    true
}

/// Every kind of event, message and payload, and strings that need escaping.
const EVERYTHING: &str = r#"nodes 5
seed 7
prevote on
snapshot-every 3
unsafe direct-change on
at 0ms timeout 1
at 400ms request "set a=1"
at 450ms request 2 "quote \" back\\slash \t tab \n newline é ünï"
at 500ms request "set b=2"
at 550ms request "set c=3"
at 600ms compact 1
at 650ms crash 3
at 700ms request "set d=4"
at 750ms request "set e=5"
at 800ms request "set f=6"
at 900ms restart 3
at 1s cut 1 2
at 1.1s restore 1 2
at 1.2s isolate 4
at 1.3s heal
at 1.4s partition 1 2 | 3 4 5
at 1.6s heal
at 1.7s drop 99999
at 1.8s add-learner 6
at 2.2s add 7
at 2.6s remove 7
at 3s change 1 2 3 4 5 6
at 3.6s transfer 2
at 4s loss 20%
at 4.2s loss 0%
at 4.3s unsafe-change 1 2 3
at 4.6s check-quorum on
run 6s
"#;

#[test]
fn trace_json_is_serdes_byte_for_byte() {
    let mut seen = BTreeSet::new();
    assert!(compare(
        Scenario::parse(EVERYTHING).expect("parses"),
        &mut seen
    ));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut ran = 0;
    for f in std::fs::read_dir(dir).expect("the scenarios") {
        let text = std::fs::read_to_string(f.expect("an entry").path()).expect("readable");
        if let Ok(sc) = Scenario::parse(&text) {
            ran += usize::from(compare(sc, &mut seen));
        }
    }
    assert!(ran >= 15, "only {ran} test scenarios ran");
    let config = VoprConfig::default();
    for seed in 0..40 {
        assert!(compare(generate(seed, &config), &mut seen));
    }
    let want = [
        "ev role",
        "ev leader",
        "ev send",
        "ev deliver",
        "ev drop",
        "ev commit",
        "ev crash",
        "ev removed",
        "ev restart",
        "ev timeout",
        "ev partition",
        "ev isolate",
        "ev cut",
        "ev restore",
        "ev heal",
        "ev request",
        "ev client",
        "ev change",
        "ev membership",
        "ev stepdown",
        "ev reject",
        "ev compact",
        "ev snapshot",
        "ev setting",
        "ev note",
        "ev violation",
        "msg RequestVote",
        "msg RequestVoteReply",
        "msg PreVote",
        "msg PreVoteReply",
        "msg AppendEntries",
        "msg AppendEntriesReply",
        "msg InstallSnapshot",
        "msg InstallSnapshotReply",
        "msg TimeoutNow",
        "payload noop",
        "payload command",
        "payload config",
    ];
    let missing: Vec<&str> = want.into_iter().filter(|w| !seen.contains(*w)).collect();
    assert!(missing.is_empty(), "never compared: {missing:?}");
}
