//! The five properties of Figure 3, checked after every step of long chaotic
//! runs (random delivery order, loss, duplication, crashes, timeouts,
//! membership changes, transfers, compaction) driven by fixed seeds.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use raft::{Event, Role, Term};
use std::collections::BTreeMap;

const SEEDS: u64 = 12;
const STEPS: usize = 3000;

fn configure(seed: u64) -> impl Fn(raft::Config) -> raft::Config {
    move |mut c| {
        c.pre_vote = seed % 2 == 0;
        c.check_quorum = seed % 3 == 0;
        c.backoff = if seed % 4 < 2 {
            raft::Backoff::Decrement
        } else {
            raft::Backoff::ConflictHint
        };
        c.max_entries_per_append = 1 + (seed % 4) as usize;
        c
    }
}

/// Run chaotic schedules and call a fresh `make()` checker after every step.
fn chaos<F: FnMut(&Cluster, &mut Vec<String>)>(make: impl Fn() -> F) {
    let mut failures = Vec::new();
    for seed in 1..=SEEDS {
        let mut check = make();
        let n = 3 + (seed % 3) as u32;
        let mut c = Cluster::new(n, configure(seed));
        let mut rng = XorShift::new(seed);
        for step in 0..STEPS {
            random_action(&mut c, &mut rng, n);
            let before = failures.len();
            check(&c, &mut failures);
            if failures.len() > before {
                failures.push(format!("(seed {seed}, step {step})"));
                break;
            }
        }
        // Heal and check the run made progress at all (the checks are not vacuous).
        assert!(
            !failures.is_empty() || !c.applied_at.is_empty(),
            "seed {seed}: nothing was ever committed"
        );
    }
    assert!(failures.is_empty(), "{failures:?}");
}

/// Figure 3, Election Safety: "at most one leader can be elected in a given
/// term." Reference: §5.2
#[test]
fn fig3_election_safety() {
    chaos(|| {
        |c: &Cluster, f: &mut Vec<String>| {
            f.extend(
                c.violations
                    .iter()
                    .filter(|v| v.contains("Election Safety"))
                    .cloned(),
            );
        }
    });
}

/// Figure 3, Leader Append-Only: "a leader never overwrites or deletes
/// entries in its log; it only appends new entries." Reference: §5.3
#[test]
fn fig3_leader_append_only() {
    chaos(|| {
        let mut seen: BTreeMap<(u32, Term), Vec<(u64, Term)>> = BTreeMap::new();
        move |c: &Cluster, f: &mut Vec<String>| {
            for (&id, n) in &c.nodes {
                if c.down.contains(&id) || n.role() != Role::Leader {
                    continue;
                }
                let now: Vec<(u64, Term)> = n.log().entries().map(|e| (e.index, e.term)).collect();
                if let Some(before) = seen.get(&(id, n.term())) {
                    // Compaction may drop a prefix; everything still stored must be unchanged.
                    for &(i, t) in before {
                        if i >= n.log().first_index() && n.log().term_at(i) != Some(t) {
                            f.push(format!(
                                "leader {id} changed entry {i} in term {}",
                                n.term()
                            ));
                        }
                    }
                    if n.log().last_index() < before.last().map_or(0, |e| e.0) {
                        f.push(format!("leader {id} shortened its log"));
                    }
                }
                seen.insert((id, n.term()), now);
            }
        }
    });
}

/// Figure 3, Log Matching: "if two logs contain an entry with the same index
/// and term, then the logs are identical in all entries up through the given
/// index." Reference: §5.3
#[test]
fn fig3_log_matching() {
    chaos(|| {
        |c: &Cluster, f: &mut Vec<String>| {
            if let Err(e) = c.check_log_matching() {
                f.push(e);
            }
        }
    });
}

/// Figure 3, Leader Completeness: "if a log entry is committed in a given
/// term, then that entry will be present in the logs of the leaders for all
/// higher-numbered terms." Checked when each leader is elected, against
/// every entry any server has applied. Reference: §5.4
#[test]
fn fig3_leader_completeness() {
    chaos(|| {
        let mut events_seen = 0;
        move |c: &Cluster, f: &mut Vec<String>| {
            for (id, ev) in &c.events[events_seen..] {
                if let Event::BecameLeader { term, .. } = ev {
                    let log = c.node(*id).log();
                    for (i, e) in &c.applied_at {
                        let present = *i <= log.snapshot_index() || log.entry(*i) == Some(e);
                        if e.term < *term && !present {
                            f.push(format!(
                                "leader {id} of term {term} lacks committed entry {i}"
                            ));
                        }
                    }
                }
            }
            events_seen = c.events.len();
        }
    });
}

/// Figure 3, State Machine Safety: "if a server has applied a log entry at a
/// given index to its state machine, no other server will ever apply a
/// different log entry for the same index." Reference: §5.4.3
#[test]
fn fig3_state_machine_safety() {
    chaos(|| {
        |c: &Cluster, f: &mut Vec<String>| {
            f.extend(c.violations.iter().cloned());
        }
    });
}
