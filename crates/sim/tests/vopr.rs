//! Randomized fault runs (VOPR style): at least 500 seeds x 60 s in every
//! `cargo test`. Each run must violate no safety property and, once healed,
//! elect a leader and commit a new request within the bound.

use sim::vopr::{generate, run_seed, Feature, VoprConfig};
use sim::{Action, Scenario};

/// Seeds checked in the normal test run (the issue asks for at least 500;
/// `raftlab soak --seeds 20000` runs many more).
const SEEDS: u64 = 500;

/// Figure 3 of the paper: Election Safety, Leader Append-Only, Log Matching,
/// Leader Completeness and State Machine Safety hold at all times, also across
/// membership changes (add, add-learner, remove, joint; removed servers are
/// shut down); and once faults stop, a leader is elected and new requests
/// commit within the bound (§5.2, §5.3, §6).
///
/// Swarm testing: each seed draws its own feature mix, so across the seeds
/// every feature must have been both absent and present (and, where that
/// means something, heavy), every cluster size 1..=9 must have run, and the
/// rarer outcomes (accepted transfers, installed snapshots, promoted
/// learners, removed servers coming back) must actually have happened.
/// Reference: §5, §6, Figure 3.
#[test]
fn vopr_500_seeds_safe_and_live_after_heal() {
    let config = VoprConfig::default();
    let from: u64 = std::env::var("VOPR_FROM")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut failures = Vec::new();
    let n = Feature::ALL.len();
    let (mut on, mut heavy) = (vec![0u64; n], vec![0u64; n]);
    let mut sizes = [0u64; 10];
    let (mut committed, mut changes, mut removed) = (0, 0, 0);
    // Runs in which each outcome happened at least once.
    let (mut transfers, mut transfers_completed, mut snapshots, mut compactions) = (0, 0, 0, 0);
    let (mut promoted, mut readded, mut crashes) = (0, 0, 0);
    for seed in from..from + SEEDS {
        match run_seed(seed, &config) {
            Ok(stats) => {
                committed += stats.committed_requests;
                changes += stats.membership_changes;
                removed += stats.removed;
                sizes[stats.nodes as usize] += 1;
                for (i, f) in Feature::ALL.into_iter().enumerate() {
                    on[i] += u64::from(stats.features.contains(f));
                    heavy[i] += u64::from(stats.heavy.contains(f));
                }
                transfers += u64::from(stats.transfers > 0);
                transfers_completed += u64::from(stats.transfers_completed > 0);
                snapshots += u64::from(stats.snapshots_installed > 0);
                compactions += u64::from(stats.compactions > 0);
                promoted += u64::from(stats.learners_promoted > 0);
                readded += u64::from(stats.readded > 0);
                crashes += u64::from(stats.crashes > 0);
            }
            Err(f) => {
                eprintln!("{f}");
                failures.push(f.seed);
            }
        }
    }
    eprintln!("{SEEDS} seeds: {committed} requests committed, {changes} membership changes accepted, {removed} servers removed");
    eprintln!("cluster sizes 1..=9: {:?}", &sizes[1..]);
    for (i, f) in Feature::ALL.into_iter().enumerate() {
        eprintln!(
            "  {:<18} on in {:>3} runs, heavy in {:>3}",
            f.name(),
            on[i],
            heavy[i]
        );
    }
    eprintln!("runs with: transfers accepted {transfers}, completed {transfers_completed}; snapshots installed {snapshots}; compactions {compactions}; learners promoted {promoted}; removed servers back {readded}; crashes {crashes}");
    assert!(
        failures.is_empty(),
        "failing seeds: {failures:?} (scenarios printed above)"
    );
    assert!(
        committed > SEEDS as usize * 10,
        "the load must actually commit requests ({committed})"
    );
    // Each feature off in at least 5% of the runs and on in at least 5%.
    let some = SEEDS / 20;
    for (i, f) in Feature::ALL.into_iter().enumerate() {
        assert!(
            on[i] >= some && SEEDS - on[i] >= some,
            "feature {} must be on in some runs and off in others: on in {} of {SEEDS}",
            f.name(),
            on[i]
        );
        assert!(
            !f.has_heavy() || heavy[i] >= 1,
            "feature {} must be heavy in some run",
            f.name()
        );
    }
    // The paper's §6 rule is mostly left on.
    let sticky_off = on[Feature::ALL
        .iter()
        .position(|&f| f == Feature::StickyOff)
        .unwrap()];
    assert!(
        sticky_off < SEEDS / 3,
        "sticky-leader is off in {sticky_off} of {SEEDS} runs: it should mostly stay on"
    );
    assert!(
        sizes[1..].iter().all(|&c| c >= 5),
        "every cluster size 1..=9 must run: {:?}",
        &sizes[1..]
    );
    let outcomes = [
        ("a transfer accepted", transfers),
        ("a transfer completed", transfers_completed),
        ("a snapshot installed", snapshots),
        ("a compaction", compactions),
        ("a learner promoted", promoted),
        ("a removed server back", readded),
        ("a crash", crashes),
    ];
    for (what, runs) in outcomes {
        assert!(runs >= 5, "only {runs} runs with {what}");
    }
    assert!(
        changes > SEEDS as usize && removed > SEEDS as usize / 4,
        "membership changes must actually happen ({changes} accepted, {removed} servers removed)"
    );
}

/// The generator writes valid scenario files: the printed text parses back
/// to an equal scenario, and every action aims at a server that is initial
/// or that the timeline adds somewhere (the parser's rule, checked here too).
#[test]
fn vopr_scenarios_print_and_parse_back_equal() {
    let config = VoprConfig::default();
    for seed in (0..300).chain(1_000_000..1_000_100) {
        let sc = generate(seed, &config);
        let text = sc.to_string();
        let back = Scenario::parse(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        assert_eq!(back, sc, "seed {seed} does not round-trip:\n{text}");
        let mut exists: Vec<u32> = (1..=sc.settings.nodes).collect();
        for t in &sc.timeline {
            match &t.action {
                Action::Add { node } | Action::AddLearner { node } => exists.push(*node),
                Action::Change { voters } => exists.extend(voters),
                _ => {}
            }
        }
        for t in &sc.timeline {
            let named: Vec<u32> = match &t.action {
                Action::Request { to, .. } => to.iter().copied().collect(),
                Action::Crash { node }
                | Action::Restart { node }
                | Action::Timeout { node }
                | Action::Isolate { node }
                | Action::Remove { node }
                | Action::Transfer { to: node }
                | Action::Compact { node } => vec![*node],
                Action::Cut { from, to } | Action::Restore { from, to } => vec![*from, *to],
                Action::Partition { groups } => groups.concat(),
                _ => Vec::new(),
            };
            for id in named {
                assert!(
                    exists.contains(&id),
                    "seed {seed}: `{}` names server {id}, which never exists",
                    t.action
                );
            }
        }
    }
}

/// The fault generator has teeth: with the election restriction switched off
/// (§5.4.1), random faults soon produce a violation the checker reports.
/// Reference: §5.4.1.
#[test]
fn vopr_finds_violations_when_the_election_restriction_is_off() {
    use sim::vopr::{check, generate};
    let config = VoprConfig::default();
    let failing = (0..50u64)
        .filter(|&seed| {
            let mut sc = generate(seed, &config);
            sc.settings.unsafe_switches.vote_without_log_check = true;
            check(&sc, &config).is_err_and(|e| e.contains("violated"))
        })
        .count();
    assert!(failing >= 5, "only {failing} of 50 seeds found a violation");
}

/// Thesis §4.2.2: "a server that is not part of its own latest
/// configuration should still start new elections, as it might still be
/// needed until the C_new entry is committed". Soak seed 12339: a leader
/// that removed itself lost leadership before C_new committed; it alone held
/// the entry, so unless it campaigns nobody can ever win. Reference: thesis §4.2.2
#[test]
fn vopr_seed_12339_leader_removing_itself_still_campaigns() {
    let sc = sim::Scenario::parse(include_str!("scenarios/vopr_seed_12339_liveness.txt"))
        .expect("parses");
    if let Err(e) = sim::vopr::check(&sc, &VoprConfig::default()) {
        panic!("seed 12339: {e}");
    }
}

/// Thesis §4.2.3: servers that are being removed no longer receive
/// heartbeats and keep starting elections, deposing leaders before the
/// removal can commit; "if a server receives a RequestVote request within
/// the minimum election timeout of hearing from a current leader, it does
/// not update its term or grant its vote". Like etcd, crates/raft applies
/// that lease with CheckQuorum, and Pre-Vote stops the term inflation, so
/// the two soak seeds that stall with both off (14590, 16037 of 20 000)
/// recover with either one on. Reference: thesis §4.2.3, §9.6
#[test]
fn vopr_removed_server_disruption_is_stopped_by_prevote_or_check_quorum() {
    for (seed, text) in [
        (
            14590,
            include_str!("scenarios/vopr_seed_14590_liveness.txt"),
        ),
        (
            16037,
            include_str!("scenarios/vopr_seed_16037_liveness.txt"),
        ),
    ] {
        for switch in ["check-quorum on", "prevote on"] {
            let text = text.replacen("\nseed ", &format!("\n{switch}\nseed "), 1);
            let sc = sim::Scenario::parse(&text).expect("parses");
            assert!(sc.settings.check_quorum || sc.settings.pre_vote);
            if let Err(e) = sim::vopr::check(&sc, &VoprConfig::default()) {
                panic!("seed {seed} with {switch}: {e}");
            }
        }
    }
}
