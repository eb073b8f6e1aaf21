//! Every bundled lesson is parsed, run and checked: its narration must be
//! true of the run (every `expect` at its step), it must be complete in both
//! languages, and it must show its point. A lesson that keeps the safety
//! rules must pass what `raftlab check` checks (no violation up to its end);
//! a lesson that turns a teaching switch on must produce exactly the
//! violation it declares, and the same run with the rules kept must not.

use std::collections::BTreeSet;

use lessons::{all, by_id, Lang, Lesson, BUNDLED};
use sim::{ClientResult, EntryKind, Ev, Property, Sim};

fn lesson(id: &str) -> Lesson {
    by_id(id).unwrap_or_else(|| panic!("bundled lesson {id} does not parse: {:?}", parse_error(id)))
}

fn parse_error(id: &str) -> Option<String> {
    BUNDLED
        .iter()
        .find(|(i, _)| *i == id)
        .and_then(|(_, t)| Lesson::parse(t).err())
        .map(|e| e.to_string())
}

/// Runs a lesson to its end and returns the simulator.
fn run_to_end(l: &Lesson) -> Sim {
    let mut sim = l
        .sim()
        .expect("the simulator accepts the lesson's scenario");
    sim.run_until(l.end_us());
    sim
}

fn properties(sim: &Sim) -> BTreeSet<Property> {
    sim.violations().iter().map(|v| v.property).collect()
}

#[test]
fn every_bundled_lesson_parses_and_all_returns_eleven_in_order() {
    for (id, text) in BUNDLED {
        if let Err(e) = Lesson::parse(text) {
            panic!("lessons/{id}.lesson: {e}");
        }
    }
    let ids: Vec<String> = all().into_iter().map(|l| l.id).collect();
    let want: Vec<String> = BUNDLED.iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(ids, want);
    assert_eq!(ids.len(), 11);
}

/// The browser fetches `lessons/ID.lesson` for each of `BUNDLED_IDS`: the ids
/// must be the compiled-in lessons, and every file in `lessons/` one of them.
#[test]
fn the_ids_the_page_fetches_are_the_bundled_files() {
    let compiled: Vec<&str> = BUNDLED.iter().map(|(id, _)| *id).collect();
    assert_eq!(lessons::BUNDLED_IDS.to_vec(), compiled);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("lessons/ exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".lesson").map(str::to_string))
        .collect();
    files.sort();
    assert_eq!(
        files, compiled,
        "every file in lessons/ is bundled, in order"
    );
}

#[test]
fn every_lesson_has_both_languages_for_title_summary_and_every_step() {
    for l in all() {
        assert!(l.titles.is_complete(), "{}: title needs en and zh", l.id);
        assert!(
            l.summaries.is_complete(),
            "{}: summary needs en and zh",
            l.id
        );
        for (i, s) in l.steps.iter().enumerate() {
            assert!(
                !s.text_en.is_empty(),
                "{} step {i} (line {}): no English narration",
                l.id,
                s.line
            );
            assert!(
                !s.text_zh.is_empty(),
                "{} step {i} (line {}): no Chinese narration",
                l.id,
                s.line
            );
            // Chinese narration is Chinese: it contains CJK characters.
            assert!(
                s.text_zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{} step {i}: the zh text has no Chinese characters",
                l.id
            );
            assert_eq!(s.text(Lang::Zh), s.text_zh);
        }
    }
}

#[test]
fn every_lesson_ends_with_free_play_and_every_step_makes_a_checked_claim() {
    for l in all() {
        let last = l.steps.last().expect("a lesson has steps");
        assert!(
            last.free_play,
            "{}: the last step must be the free-play ending",
            l.id
        );
        assert_eq!(
            l.steps.iter().filter(|s| s.free_play).count(),
            1,
            "{}",
            l.id
        );
        for (i, s) in l.steps.iter().enumerate() {
            assert!(
                !s.expects.is_empty(),
                "{} step {i} (line {}): narration without any `expect`",
                l.id,
                s.line
            );
        }
        assert!(l.end_us() >= last.at_us);
    }
}

#[test]
fn every_lesson_narration_is_true_of_its_run() {
    let mut failures = Vec::new();
    for l in all() {
        for f in l.check() {
            failures.push(format!("lessons/{}.lesson {f}", l.id));
        }
    }
    assert!(
        failures.is_empty(),
        "narration contradicted by the run:\n{}",
        failures.join("\n")
    );
}

/// What `raftlab check` checks: a run to the end without any violation of the
/// five properties (Figure 3). Lessons that break a rule on purpose are the
/// exception, and they must break exactly the declared one.
#[test]
fn lessons_that_keep_the_safety_rules_pass_the_checker() {
    for l in all() {
        if l.expected_violation.is_some() {
            continue;
        }
        assert!(
            l.teaching_switches().is_empty(),
            "{}: a teaching switch without `expect-violation`",
            l.id
        );
        let sim = run_to_end(&l);
        assert!(
            sim.violations().is_empty(),
            "{}: {:?}",
            l.id,
            sim.violations()
        );
    }
}

#[test]
fn teaching_switch_lessons_show_exactly_their_violation_and_none_without_the_switch() {
    let mut seen = Vec::new();
    for l in all() {
        let Some(expected) = l.expected_violation else {
            continue;
        };
        seen.push(l.id.clone());
        assert!(
            !l.teaching_switches().is_empty(),
            "{}: declares a violation but turns no switch on",
            l.id
        );
        let sim = run_to_end(&l);
        assert_eq!(
            properties(&sim),
            BTreeSet::from([expected]),
            "{}: {:?}",
            l.id,
            sim.violations()
        );

        let mut safe = Sim::new(l.safe_scenario()).expect("safe variant runs");
        safe.run_until(l.end_us());
        assert!(
            safe.violations().is_empty(),
            "{} without the switch: {:?}",
            l.id,
            safe.violations()
        );
    }
    assert_eq!(
        seen,
        [
            "07-election-restriction",
            "08-commit-current-term",
            "10-membership-change"
        ]
    );
}

/// Lesson 1 (§5.2): "A candidate wins an election if it receives votes from a
/// majority of the servers in the full cluster for the same term", and the
/// leader's heartbeats prevent new elections. Reference: §5.2.
#[test]
fn lesson1_first_election_one_leader_and_heartbeats_prevent_new_elections() {
    let l = lesson("01-first-election");
    let sim = run_to_end(&l);
    let leaders: Vec<(u32, u64)> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.ev {
            Ev::Leader { node, term, .. } => Some((*node, *term)),
            _ => None,
        })
        .collect();
    assert_eq!(leaders, [(1, 1)], "exactly one election in the whole run");
    let timeouts = sim
        .trace()
        .iter()
        .filter(|e| matches!(e.ev, Ev::Timeout { .. }))
        .count();
    assert_eq!(
        timeouts, 1,
        "only the first timeout: heartbeats reset every other timer"
    );
}

/// Lesson 2 (§5.2): "if many followers become candidates at the same time,
/// votes could be split so that no candidate obtains a majority ... each
/// candidate will time out and start a new election". Reference: §5.2.
#[test]
fn lesson2_split_vote_two_candidates_two_votes_each_then_next_term_elects() {
    let l = lesson("02-split-votes");
    let mut sim = l.sim().expect("runs");
    sim.run_until(40_000);
    let mut votes: Vec<Vec<u32>> = [2, 3]
        .iter()
        .map(|&n| {
            let mut v = sim.node(n).expect("up").votes_received();
            v.sort_unstable();
            v
        })
        .collect();
    votes.sort();
    assert_eq!(
        votes,
        [vec![1, 3], vec![2, 4]],
        "2 of 4 votes each in term 1"
    );
    sim.run_until(l.end_us());
    let elected: Vec<u64> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.ev {
            Ev::Leader { term, .. } => Some(*term),
            _ => None,
        })
        .collect();
    assert!(!elected.contains(&1), "nobody won term 1");
    assert_eq!(elected.first(), Some(&2), "term 2 elected a leader");
    assert!(
        !elected.contains(&3),
        "three simultaneous candidates: nobody won term 3"
    );
    assert!(!elected.contains(&4), "term 4 was split as well");
}

/// Lesson 3 (§5.3): "Once the entry has been safely replicated, the leader
/// applies the entry to its state machine and returns the result of that
/// execution to the client"; followers apply once they learn the commit index.
/// Reference: §5.3.
#[test]
fn lesson3_replication_leader_commits_answers_client_then_followers_commit() {
    let l = lesson("03-log-replication");
    let sim = run_to_end(&l);
    let pos = |f: &dyn Fn(&Ev) -> bool| sim.trace().iter().position(|e| f(&e.ev));
    let commit_at = |n: u32| {
        pos(&|e| matches!(e, Ev::Commit { node, cmd: c, .. } if *node == n && c == "set a=5"))
            .expect("commits")
    };
    let client =
        pos(&|e| matches!(e, Ev::Client { cmd, result: ClientResult::Ok, .. } if cmd == "set a=5"))
            .expect("answered");
    assert!(commit_at(1) < client, "leader commits before answering");
    assert!(
        client < commit_at(2) && client < commit_at(3),
        "followers commit after the client is answered"
    );
    for n in 1..=3 {
        assert_eq!(
            sim.kv(n).and_then(|kv| kv.get("a")).map(String::as_str),
            Some("5")
        );
    }
}

/// Lesson 4 (§5.2): followers that stop hearing heartbeats elect a new leader
/// in a higher term, and it holds every committed entry (§5.4). Reference: §5.2, §5.4.
#[test]
fn lesson4_failover_new_leader_in_higher_term_keeps_committed_entries() {
    let l = lesson("04-leader-crash");
    let sim = run_to_end(&l);
    let leaders: Vec<(u32, u64)> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.ev {
            Ev::Leader { node, term, .. } => Some((*node, *term)),
            _ => None,
        })
        .collect();
    assert_eq!(leaders, [(2, 1), (5, 2)]);
    for n in 1..=5 {
        assert_eq!(
            sim.kv(n).and_then(|kv| kv.get("x")).map(String::as_str),
            Some("2"),
            "node {n}"
        );
    }
}

/// Lesson 5 (§5.2, §5.3): two leaders can coexist only in different terms; a
/// minority leader cannot commit; after the heal the old leader steps down and
/// its uncommitted entries are overwritten. Reference: §5.2, §5.3.
#[test]
fn lesson5_partition_two_leaders_different_terms_minority_never_commits_all_converge() {
    let l = lesson("05-network-partition");
    let mut sim = l.sim().expect("runs");
    sim.run_until(1_220_000);
    let terms: BTreeSet<u64> = [1, 3]
        .iter()
        .map(|&n| sim.node(n).expect("up").term())
        .collect();
    assert!([1, 3]
        .iter()
        .all(|&n| sim.node(n).is_some_and(|x| x.role() == raft::Role::Leader)));
    assert_eq!(terms.len(), 2, "the two leaders are in different terms");
    sim.run_until(l.end_us());
    let committed = |cmd: &str| -> BTreeSet<u32> {
        sim.trace()
            .iter()
            .filter_map(|e| match &e.ev {
                Ev::Commit {
                    node,
                    kind: EntryKind::Command,
                    cmd: c,
                    ..
                } if c == cmd => Some(*node),
                _ => None,
            })
            .collect()
    };
    assert!(
        committed("set x=3").is_empty(),
        "x=3 never commits anywhere"
    );
    assert_eq!(committed("set x=8"), (1..=5).collect());
    for n in 1..=5 {
        assert_eq!(
            sim.kv(n).and_then(|kv| kv.get("x")).map(String::as_str),
            Some("8"),
            "node {n}"
        );
    }
    assert!(sim.violations().is_empty());
}

/// Lesson 6 (§5.3): "the leader must find the latest log entry where the two
/// logs agree, delete any entries in the follower's log after that point, and
/// send the follower all of the leader's entries after that point"; the
/// conflict hint needs fewer round trips. Reference: §5.3.
#[test]
fn lesson6_figure7_all_logs_repaired_and_hint_needs_fewer_rejections() {
    let l = lesson("06-log-repair");
    let sim = run_to_end(&l);
    let leader_log: Vec<raft::Entry> = sim.node(1).expect("up").log().entries().cloned().collect();
    for n in 2..=7 {
        let log: Vec<raft::Entry> = sim.node(n).expect("up").log().entries().cloned().collect();
        assert_eq!(log, leader_log, "node {n} repaired");
    }
    let rejections = |f: u32| {
        sim.trace()
            .iter()
            .filter(|e| {
                matches!(&e.ev, Ev::Send { from, msg, .. }
                    if *from == f && matches!(**msg, raft::Message::AppendEntriesReply { success: false, .. }))
            })
            .count()
    };
    // (f) diverges from index 4 like (b) does; with the hint it needs fewer round trips.
    assert!(
        rejections(7) < rejections(3),
        "hint {} vs decrement {}",
        rejections(7),
        rejections(3)
    );
}

/// Lesson 9 (seed 004): n=5 and n=6 both tolerate exactly 2 failures.
#[test]
fn lesson9_majorities_five_and_six_tolerate_two_failures() {
    let l = lesson("09-majorities");
    let sim = run_to_end(&l);
    let result = |cmd: &str| {
        sim.trace().iter().rev().find_map(|e| match &e.ev {
            Ev::Client { cmd: c, result, .. } if c == cmd => Some(*result),
            _ => None,
        })
    };
    assert_eq!(
        result("set x=2"),
        Some(ClientResult::Ok),
        "5 servers, 2 down"
    );
    assert_eq!(
        result("set x=3"),
        Some(ClientResult::Timeout),
        "5 servers, 3 down"
    );
    assert_eq!(
        result("set x=4"),
        Some(ClientResult::Ok),
        "6 servers, 2 down"
    );
    assert_eq!(
        result("set x=5"),
        Some(ClientResult::Timeout),
        "6 servers, 3 down"
    );
}

/// Lesson 10 (§6): one server at a time is safe too: "it is impossible for
/// the two configurations to make decisions independently". Reference: §6, thesis §4.1.
#[test]
fn lesson10_one_server_at_a_time_stays_safe_under_the_same_partition() {
    let l = lesson("10-membership-change");
    let mut sc = l.safe_scenario();
    for t in &mut sc.timeline {
        if matches!(t.action, sim::Action::Change { .. }) {
            t.action = sim::Action::Add { node: 4 };
        }
    }
    let mut sim = Sim::new(sc).expect("runs");
    sim.run_until(l.end_us());
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

/// Lesson 11 (thesis §9.6): with Pre-Vote, a rejoining server does not raise
/// the term, so the leader is not disturbed. Reference: thesis §9.6, §6.2.
#[test]
fn lesson11_without_prevote_the_term_jumps_with_prevote_it_does_not() {
    let l = lesson("11-prevote-checkquorum");
    let mut sim = l.sim().expect("runs");
    sim.run_until(2_400_000);
    assert!(
        sim.node(4).expect("up").term() > 1 + 2,
        "node 3's return pushed the cluster through several terms"
    );
    let term = sim.node(4).expect("up").term();
    sim.run_until(4_900_000);
    assert_eq!(
        sim.node(4).expect("up").term(),
        term,
        "with Pre-Vote the term did not move"
    );
    assert_eq!(sim.node(4).expect("up").role(), raft::Role::Leader);
    sim.run_until(l.end_us());
    assert!(sim.trace().iter().any(
        |e| matches!(&e.ev, Ev::Stepdown { node: 4, reason } if reason.to_string().contains("CheckQuorum"))
    ));
}

// ---------------------------------------------------------------------------
// The format

#[test]
fn scenario_errors_keep_the_files_line_and_column() {
    let text = "title en \"t\"\n\nat 1s say en \"x\"\nnodes 3\nat 2s crash banana\n";
    let e = Lesson::parse(text).expect_err("bad node");
    assert_eq!((e.line, e.column), (5, 13), "{e}");
}

#[test]
fn narration_errors_name_line_and_column() {
    let cases: [(&str, usize, usize); 6] = [
        ("title en \"t\"\nat 1s say fr \"x\"\n", 2, 11),
        (
            "title en \"t\"\nat 1s say en \"x\"\nat 1s expect leader 1 trem 2\n",
            3,
            23,
        ),
        (
            "title en \"t\"\nat 1s say en \"x\"\nat 2s expect no-leader\n",
            3,
            1,
        ),
        (
            "title en \"t\"\nat 1s say en \"x\"\nat 1s expect violation \"Safety\"\n",
            3,
            24,
        ),
        ("title en \"t\"\nat 1s say en \"x\nat 1s free-play\n", 2, 14),
        (
            "title en \"t\"\nat 1s say en \"x\"\nat 1s free-play\nat 2s say en \"y\"\n",
            3,
            1,
        ),
    ];
    for (text, line, column) in cases {
        let e = Lesson::parse(text).expect_err(text);
        assert_eq!((e.line, e.column), (line, column), "{text:?}: {e}");
    }
    assert!(
        Lesson::parse("nodes 3\n").is_err(),
        "a lesson needs a title"
    );
    assert!(
        Lesson::parse("title en \"t\"\nnodes 3\n").is_err(),
        "a lesson needs a step"
    );
}

#[test]
fn claims_print_back_to_what_parses_to_the_same_claim() {
    for l in all() {
        for s in &l.steps {
            for e in &s.expects {
                // In the lesson's own cluster: a claim may not name a server
                // that never exists.
                let text = format!(
                    "title en \"t\"\n{}at 1s say en \"x\"\nat 1s {e}\n",
                    l.scenario
                );
                let back = Lesson::parse(&text).unwrap_or_else(|err| panic!("{e}: {err}"));
                assert_eq!(back.steps[0].expects[0].claim, e.claim, "{e}");
            }
        }
    }
}

/// Outside input (a file from a URL) never panics the parser: every prefix of
/// every bundled lesson, cut at any line and inside lines, parses or errors.
#[test]
fn truncated_and_mangled_lessons_never_panic() {
    for (_, text) in BUNDLED {
        let mut cut = 0;
        for line in text.lines() {
            cut += line.len() + 1;
            let prefix = &text[..cut.min(text.len())];
            let _ = Lesson::parse(prefix);
            // Cut inside the line too (at a char boundary): unterminated strings etc.
            let mid = prefix.len().saturating_sub(line.len() / 2 + 1);
            if prefix.is_char_boundary(mid) {
                let _ = Lesson::parse(&prefix[..mid]);
            }
        }
    }
    for junk in [
        "at",
        "at 1s",
        "at 1s say",
        "at 1s expect",
        "at 1s expect votes",
        "expect-violation",
        "\"",
        "at 99999999999999999999s say en \"x\"",
    ] {
        let _ = Lesson::parse(junk);
    }
}

#[test]
fn step_at_finds_the_current_step_after_seeks() {
    let l = lesson("03-log-replication");
    assert_eq!(l.step_at(0), None);
    assert_eq!(l.step_at(l.steps[0].at_us), Some(0));
    assert_eq!(l.step_at(l.steps[1].at_us - 1), Some(0));
    assert_eq!(l.step_at(u64::MAX), Some(l.steps.len() - 1));
}

/// Going Back in the UI re-simulates from a checkpoint: claims must hold at
/// the same moments after a backward seek as on the first pass.
#[test]
fn claims_hold_after_travelling_back_in_time() {
    for id in ["02-split-votes", "05-network-partition"] {
        let l = lesson(id);
        let mut sim = l.sim().expect("runs");
        sim.run_until(l.end_us());
        for s in l.steps.iter().rev() {
            sim.seek(s.at_us);
            for e in &s.expects {
                assert_eq!(e.claim.check(&sim), Ok(()), "{id} line {}: {e}", e.line);
            }
        }
    }
}

// ----- Questions (issue 13): every bundled lesson asks what happens next -----

/// Fewest questions a bundled lesson asks.
const QUESTIONS_PER_LESSON_MIN: usize = 2;
/// Fewest questions the bundled lessons ask in all.
const QUESTIONS_IN_ALL_MIN: usize = 30;

/// Whether `text` holds Chinese characters (a Chinese text is not a copy
/// of the English one).
fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Rule: every bundled lesson asks at least two questions, and they ask at
/// least 30 in all.
#[test]
fn every_bundled_lesson_asks_at_least_two_questions_and_thirty_in_all() {
    let mut total = 0;
    for l in all() {
        let n = l.questions().count();
        assert!(
            n >= QUESTIONS_PER_LESSON_MIN,
            "{}: {n} question(s); a bundled lesson asks at least {QUESTIONS_PER_LESSON_MIN}",
            l.id
        );
        total += n;
    }
    assert!(
        total >= QUESTIONS_IN_ALL_MIN,
        "{total} questions in all; the bundled lessons ask at least {QUESTIONS_IN_ALL_MIN}"
    );
}

/// Rule: every question of a bundled lesson is complete in both languages:
/// its prompt, every choice and its explanation have English and Chinese.
#[test]
fn every_bundled_question_is_complete_in_both_languages() {
    for l in all() {
        for (_, q) in l.questions() {
            let at = format!("{} question {} (line {})", l.id, q.id, q.line);
            assert!(q.prompt.is_complete(), "{at}: prompt needs en and zh");
            assert!(has_cjk(&q.prompt.zh), "{at}: the zh prompt is not Chinese");
            assert!(
                q.explanation.is_complete(),
                "{at}: explanation needs en and zh"
            );
            assert!(
                has_cjk(&q.explanation.zh),
                "{at}: the zh explanation is not Chinese"
            );
            for c in &q.choices {
                assert!(
                    c.texts.is_complete(),
                    "{at}: choice on line {} needs zh",
                    c.line
                );
                assert!(
                    has_cjk(&c.texts.zh),
                    "{at}: choice on line {} is not Chinese",
                    c.line
                );
                assert_eq!(c.texts.get(Lang::Zh), c.texts.zh);
            }
        }
    }
}

/// Rule: question ids are unique within a lesson (scores and course pages
/// name a question by lesson and id).
#[test]
fn bundled_question_ids_are_unique_within_a_lesson() {
    for l in all() {
        let mut seen = BTreeSet::new();
        for (_, q) in l.questions() {
            assert!(
                seen.insert(q.id.as_str()),
                "{}: question id {} twice",
                l.id,
                q.id
            );
        }
    }
}

/// Rule: each bundled question's reveal is graded by exactly one choice,
/// also when the run is reached by travelling back (as the page's Back
/// does), and no two choices of a question share a claim.
#[test]
fn every_bundled_question_is_graded_by_exactly_one_choice_at_its_reveal() {
    for l in all() {
        let mut sim = run_to_end(&l);
        for (_, q) in l.questions() {
            sim.seek(q.reveal_us);
            assert!(
                q.answer(&sim).is_some(),
                "{} question {}: choices {:?} hold at the reveal; exactly one must",
                l.id,
                q.id,
                q.holding(&sim)
            );
            let claims: BTreeSet<String> = q.choices.iter().map(|c| c.claim.to_string()).collect();
            assert_eq!(
                claims.len(),
                q.choices.len(),
                "{} question {}: two choices share a claim",
                l.id,
                q.id
            );
        }
    }
}

/// Rule: the right choice is not always in the same place, so a student
/// cannot score by always picking the first: over the bundled lessons no
/// position holds more than half of the right answers.
#[test]
fn the_right_choice_is_not_always_in_the_same_place() {
    let mut at_position = [0usize; lessons::CHOICES_MAX];
    let mut total = 0;
    for l in all() {
        let mut sim = run_to_end(&l);
        for (_, q) in l.questions() {
            sim.seek(q.reveal_us);
            if let Some(i) = q.answer(&sim) {
                at_position[i] += 1;
                total += 1;
            }
        }
    }
    for (i, n) in at_position.iter().enumerate() {
        assert!(
            2 * n <= total,
            "choice {} is right in {n} of {total} questions",
            i + 1
        );
    }
}
