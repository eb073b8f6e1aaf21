//! Why a claim does not hold (`sim::claim::Unmet`): each variant displays
//! the English sentence `raftlab check`, the lesson test and
//! `raftlab.lesson()` print, character for character.

use sim::claim::{check_all, ClientClaim, LogSummary, Unmet};
use sim::{Property, Scenario, Violation};

/// The variant's number, for checking that the table lists them all (the
/// match has no wildcard: a new variant must be added here, and to the table).
fn variant_number(u: &Unmet) -> usize {
    use Unmet::*;
    match u {
        Down { .. } => 0,
        Role { .. } => 1,
        Leaders { .. } => 2,
        VotesOfFollower { .. } => 3,
        Votes { .. } => 4,
        NotHeld { .. } => 5,
        NotCommitted { .. } => 6,
        AlreadyCommitted { .. } => 7,
        Present { .. } => 8,
        CommitIndex { .. } => 9,
        KvValue { .. } => 10,
        KvMissing { .. } => 11,
        LogIs { .. } => 12,
        LogsDiffer { .. } => 13,
        NotLeader { .. } => 14,
        NextIndex { .. } => 15,
        NoProgress { .. } => 16,
        RejectedAppends { .. } => 17,
        Client { .. } => 18,
        NotAsked { .. } => 19,
        NothingFlagged => 20,
        FlaggedOnly { .. } => 21,
        Flagged { .. } => 22,
    }
}
const VARIANTS: usize = 23;

fn log(terms: &[u64], commit: u64) -> LogSummary {
    LogSummary {
        terms: terms.to_vec(),
        commit,
    }
}

/// Every variant (some twice) with its sentence.
fn table() -> Vec<(Unmet, &'static str)> {
    use Unmet::*;
    let cmd = || "set a=5".to_string();
    vec![
        (Down { node: 3 }, "node 3 is down"),
        (
            Role {
                node: 3,
                role: raft::Role::Follower,
                term: 2,
            },
            "node 3 is follower in term 2",
        ),
        (
            Role {
                node: 1,
                role: raft::Role::PreCandidate,
                term: 4,
            },
            "node 1 is precandidate in term 4",
        ),
        (
            Role {
                node: 2,
                role: raft::Role::Leader,
                term: 1,
            },
            "node 2 is leader in term 1",
        ),
        (
            Leaders {
                leaders: vec![1, 3],
            },
            "the leaders are [1 3]",
        ),
        (Leaders { leaders: vec![] }, "the leaders are []"),
        (
            VotesOfFollower { node: 3, term: 2 },
            "node 3 is a follower in term 2",
        ),
        (
            Votes {
                node: 3,
                from: vec![1, 3],
            },
            "node 3 holds the votes of [1 3]",
        ),
        (
            NotHeld {
                node: 2,
                cmd: cmd(),
                log: log(&[1, 1, 2], 2),
            },
            "node 2 does not hold \"set a=5\" (log [1 1 2] commit 2)",
        ),
        (
            NotHeld {
                node: 2,
                cmd: cmd(),
                log: log(&[], 0),
            },
            "node 2 does not hold \"set a=5\" (log [] commit 0)",
        ),
        (
            NotCommitted {
                node: 2,
                cmd: cmd(),
                index: 3,
                commit: 2,
            },
            "node 2 holds \"set a=5\" at 3 but has committed only up to 2",
        ),
        (
            AlreadyCommitted {
                node: 2,
                cmd: cmd(),
                index: 3,
            },
            "node 2 has already committed \"set a=5\" (index 3)",
        ),
        (
            Present {
                node: 2,
                cmd: cmd(),
                index: 3,
            },
            "node 2 holds \"set a=5\" at index 3",
        ),
        (
            CommitIndex { node: 2, commit: 4 },
            "node 2 has commit index 4",
        ),
        (
            KvValue {
                node: 2,
                key: "a".into(),
                value: "4".into(),
            },
            "node 2 has a=4",
        ),
        (
            KvMissing {
                node: 2,
                key: "a".into(),
            },
            "node 2 has no value for a",
        ),
        (
            LogIs {
                node: 2,
                log: log(&[1, 1], 2),
            },
            "node 2's log is [1 1] commit 2",
        ),
        (
            LogsDiffer {
                first: 1,
                first_log: log(&[1, 2], 2),
                other: 3,
                other_log: log(&[1], 1),
            },
            "node 1's log [1 2] commit 2 differs from node 3's [1] commit 1",
        ),
        (NotLeader { node: 2 }, "node 2 is not a leader"),
        (
            NextIndex {
                leader: 1,
                follower: 3,
                next_index: 5,
            },
            "leader 1's nextIndex for 3 is 5",
        ),
        (
            NoProgress {
                leader: 1,
                follower: 6,
            },
            "leader 1 tracks no progress for node 6",
        ),
        (
            RejectedAppends {
                follower: 3,
                count: 2,
            },
            "node 3 has rejected 2 AppendEntries so far",
        ),
        (
            Client {
                cmd: cmd(),
                result: ClientClaim::Pending,
            },
            "the request \"set a=5\" is pending",
        ),
        (
            Client {
                cmd: cmd(),
                result: ClientClaim::Redirect,
            },
            "the request \"set a=5\" is redirect",
        ),
        (
            NotAsked { cmd: cmd() },
            "nobody has asked for \"set a=5\" yet",
        ),
        (NothingFlagged, "the safety checker has flagged nothing"),
        (
            FlaggedOnly {
                properties: vec![Property::ElectionSafety, Property::LogMatching],
            },
            "the safety checker flagged only: Election Safety, Log Matching",
        ),
        (
            Flagged {
                violation: Violation {
                    property: Property::ElectionSafety,
                    nodes: vec![1, 2],
                    term: 3,
                    index: 0,
                    other_term: 0,
                    detail: "nodes 1 and 2 were both elected leader of term 3.".into(),
                },
            },
            "the safety checker flagged Election Safety: nodes 1 and 2 were both elected leader of term 3.",
        ),
    ]
}

/// The sentences, character for character, for every variant.
#[test]
fn every_unmet_displays_its_sentence() {
    let mut seen = [false; VARIANTS];
    for (u, _) in table() {
        seen[variant_number(&u)] = true;
    }
    assert!(
        seen.iter().all(|&s| s),
        "the table lists every variant: {seen:?}"
    );
    for (u, sentence) in table() {
        assert_eq!(u.to_string(), sentence, "{u:?}");
    }
}

/// A false claim's failure carries the sentence of its typed reason.
#[test]
fn a_failure_reports_the_typed_reason_as_its_sentence() {
    let sc = Scenario::parse(
        "raftlab 1\nnodes 3\nseed 1\nat 0s expect leader 1\nat 0s expect client \"x\" ok\n",
    )
    .expect("scenario");
    let failures = check_all(&sc).expect("valid");
    let messages: Vec<&str> = failures.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "node 1 is follower in term 0",
            "nobody has asked for \"x\" yet"
        ]
    );
    let mut sim = sim::Sim::new(sc.clone()).expect("valid");
    sim.run_until(0);
    assert_eq!(
        sc.expects[0].claim.check(&sim),
        Err(Unmet::Role {
            node: 1,
            role: raft::Role::Follower,
            term: 0
        })
    );
}
