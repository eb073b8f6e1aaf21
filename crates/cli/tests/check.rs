//! `raftlab check`: the summary, safety, and the file's `expect` claims.
//! Exit 0 when everything holds, 1 on a violation or a false claim, 2 when
//! the file does not parse.

use std::process::{Command, Output};

fn root(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn raftlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .args(args)
        .output()
        .expect("raftlab runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn check_passes_a_scenario_whose_claims_hold() {
    let o = raftlab(&["check", &root("crates/sim/tests/scenarios/claims_hold.txt")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("claims: 14 of 14 held\n"), "{out}");
    assert!(out.contains("safety: no violations"), "{out}");
}

#[test]
fn check_fails_on_a_false_claim_naming_line_and_column() {
    let o = raftlab(&[
        "check",
        &root("crates/sim/tests/scenarios/claims_false.txt"),
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "claims: 13 of 14 held\n  line 24, column 16 (at 1.8s): `leaders 3` is false: the leaders are [1]\n"
        ),
        "{out}"
    );
}

#[test]
fn check_refuses_an_action_aimed_at_a_server_that_never_exists() {
    let o = raftlab(&[
        "check",
        &root("crates/sim/tests/scenarios/node_never_added.txt"),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "node_never_added.txt: line 5, column 13: node 9 does not exist: the cluster has nodes 1..5 and no `add 9`"
        ),
        "{err}"
    );
    let o = raftlab(&[
        "check",
        &root("crates/sim/tests/scenarios/node_crashed_before_add.txt"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn check_without_claims_prints_no_claims_line() {
    let o = raftlab(&[
        "check",
        &root("crates/sim/tests/scenarios/issue_example.txt"),
    ]);
    let out = stdout(&o);
    assert!(!out.contains("claims:"), "{out}");
}

#[test]
fn claims_after_until_are_not_checked_and_said_so() {
    let o = raftlab(&[
        "check",
        &root("crates/sim/tests/scenarios/claims_false.txt"),
        "--until",
        "1s",
    ]);
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the false claim is at 1.8s: {out}"
    );
    assert!(out.contains("ran to 1s"), "{out}");
    assert!(
        out.contains("claims: 9 of 9 held; 5 after the end of the run (1s) not checked\n"),
        "{out}"
    );
}

#[test]
fn check_checks_a_lessons_claims() {
    let o = raftlab(&["check", &root("lessons/03-log-replication.lesson")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("claims: 17 of 17 held\n"), "{out}");
}
