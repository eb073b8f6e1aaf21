//! A Chinese page shows no English words beyond the paper's names.
//!
//! Runs every bundled lesson and a few scenarios with crashes, partitions,
//! drops, membership changes, transfers, compaction, settings and teaching
//! switches (with raft's rejections traced), renders everything the page
//! writes from them in Chinese (event-log lines, message summaries and
//! fields, claims, why unmet claims do not hold, violations, canvas words,
//! membership roles), every Chinese text of the table and the lessons' own
//! Chinese (narration and questions: prompts, choices, explanations), and
//! looks for ASCII words outside the allowlist (in lessons, outside glosses).

use std::collections::BTreeSet;

use sim::{Claim, Ev, Scenario, Sim, SimOptions};

use super::{claims, violations, words, Lang, TABLE};
use crate::draw::labels;
use crate::eventlog::{line, role_name};

/// Words a Chinese page may show, and why.
const ALLOWED: &[&str] = &[
    // The paper's names of RPCs, their replies (`Message::type_name`) and
    // the extensions of the thesis: a student looks them up in the paper.
    "AppendEntries",
    "AppendEntriesReply",
    "RequestVote",
    "RequestVoteReply",
    "InstallSnapshot",
    "InstallSnapshotReply",
    "TimeoutNow",
    "PreVote",
    "PreVoteReply",
    "Pre-Vote",
    "CheckQuorum",
    "Raft",
    "RPC",
    // Figure 2's state and arguments, and §6's configurations.
    "nextIndex",
    "matchIndex",
    "commitIndex",
    "lastApplied",
    "currentTerm",
    "votedFor",
    "lastLogIndex",
    "lastLogTerm",
    "prevLogIndex",
    "prevLogTerm",
    "leaderCommit",
    "C_old",
    "C_new",
    "ok",
    // Units.
    "ms",
    "s",
    "KB",
    // Names that are not words: the app, browsers, file formats, the web
    // standard a failed fetch names, the HTML element an embed uses, a key.
    "Raftlab",
    "Chrome",
    "Firefox",
    "Safari",
    "JSON",
    "PNG",
    "CORS",
    "iframe",
    "Shift",
];

/// Names of more than one word, taken out before the text is split.
const ALLOWED_PHRASES: &[&str] = &["C_old,new", "JSON Lines"];

/// A character of a word: an ASCII letter, `_`, or `-` (kept inside a
/// word, trimmed at its ends).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '-'
}

/// The ASCII words of `text` that a Chinese page may not show. A word is a
/// run of ASCII letters and `_`, with inner hyphens (`Pre-Vote`). Text in
/// “quotes” is the scenario's own (a command), and so is any word in
/// `data`; chunks with `/`, `=` or a leading `.` or `?` are paths, URL
/// parameters and key=value text; one capital letter names a key, a
/// partition group or a server (`S1`).
fn english_words(text: &str, data: &BTreeSet<String>) -> Vec<String> {
    let mut text = text.to_string();
    for p in ALLOWED_PHRASES {
        text = text.replace(p, " ");
    }
    // Quoted commands.
    let mut unquoted = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('“') {
        unquoted.push_str(&rest[..i]);
        match rest[i..].find('”') {
            Some(j) => rest = &rest[i + j + '”'.len_utf8()..],
            None => rest = "",
        }
        unquoted.push(' ');
    }
    unquoted.push_str(rest);
    let mut bad = Vec::new();
    for chunk in unquoted.split(|c: char| c.is_whitespace() || !c.is_ascii()) {
        if chunk.contains(['/', '=']) || chunk.starts_with(['.', '?']) {
            continue;
        }
        for word in chunk.split(|c: char| !is_word_char(c)) {
            let word = word.trim_matches('-');
            let single_capital = word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase());
            if word.is_empty() || single_capital || ALLOWED.contains(&word) || data.contains(word) {
                continue;
            }
            bad.push(word.to_string());
        }
    }
    bad
}

/// `text` without its glosses: English in full-width parentheses after the
/// Chinese term, 未提交（uncommitted）, 隔离领导者（isolate 3）.
fn without_glosses(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('（') {
        let after = &rest[i + '（'.len_utf8()..];
        match after.find('）') {
            Some(j) if after[..j].is_ascii() => {
                out.push_str(&rest[..i]);
                out.push(' ');
                rest = &after[j + '）'.len_utf8()..];
            }
            _ => {
                out.push_str(&rest[..i + '（'.len_utf8()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Words of the scenario's own text (commands, keys and values), which the
/// page quotes as they are.
fn data_words(scenario: &Scenario, sim: &Sim) -> BTreeSet<String> {
    let mut texts: Vec<String> = Vec::new();
    for e in sim.trace() {
        match &e.ev {
            Ev::Request { cmd, .. } | Ev::Client { cmd, .. } => texts.push(cmd.clone()),
            Ev::Commit {
                kind: sim::EntryKind::Command,
                cmd,
                ..
            } => texts.push(cmd.clone()),
            Ev::Send { msg, .. } => {
                if let raft::Message::AppendEntries { entries, .. } = &**msg {
                    for e in entries {
                        if let raft::Payload::Command { cmd } = &e.payload {
                            texts.push(cmd.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for x in &scenario.expects {
        match &x.claim {
            Claim::Committed { cmd, .. }
            | Claim::Uncommitted { cmd, .. }
            | Claim::Absent { cmd, .. }
            | Claim::Client { cmd, .. } => texts.push(cmd.clone()),
            Claim::Kv { key, value, .. } => texts.extend([key.clone(), value.clone()]),
            _ => {}
        }
    }
    texts
        .iter()
        .flat_map(|t| t.split(|c: char| !is_word_char(c)))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Everything the page writes in Chinese about a run, to its end.
fn rendered(scenario: Scenario, end_us: u64) -> (Vec<String>, BTreeSet<String>) {
    let options = SimOptions {
        trace_verbose: true,
        ..SimOptions::default()
    };
    let mut sim = Sim::with_options(scenario.clone(), options).expect("a valid scenario");
    sim.run_until(end_us);
    let zh = Lang::Zh;
    let mut out: Vec<String> = sim.trace().iter().map(|e| line(zh, e)).collect();
    for e in sim.trace() {
        if let Ev::Send { msg, .. } = &e.ev {
            for (k, v) in words::message_fields(zh, msg) {
                out.push(format!("{k} {v}"));
            }
        }
    }
    out.extend(
        scenario
            .expects
            .iter()
            .map(|x| claims::sentence(zh, &x.claim)),
    );
    out.extend(sim.violations().iter().map(|v| violations::sentence(zh, v)));
    let view = sim.view();
    out.push(labels::partition_banner(zh, &view.network.groups));
    for n in &view.nodes {
        out.push(labels::node_term(zh, n.term));
        out.push(labels::role_line(zh, n.role, n.membership_role));
        out.extend(labels::vote_line(
            zh,
            n.role,
            n.voted_for,
            &n.votes_received,
        ));
        out.push(words::membership_role_name(zh, n.membership_role).to_string());
        out.push(role_name(zh, n.role).to_string());
        for p in &n.progress {
            out.push(labels::progress_label(zh, p.next_index, p.match_index));
        }
    }
    let data = data_words(&scenario, &sim);
    (out, data)
}

/// Why each claim of `scenario` does not hold, in Chinese, wherever it does
/// not: every claim checked at time 0, at every claim's moment (so a
/// lesson's step's claims at the previous step's moment) and at `end_us`.
/// Also the names of the variants met (the runs reach every one).
fn unmet_texts(scenario: &Scenario, end_us: u64) -> (Vec<String>, BTreeSet<String>) {
    let mut sim = Sim::new(scenario.clone()).expect("a valid scenario");
    let mut moments: BTreeSet<u64> = scenario.expects.iter().map(|x| x.at_us).collect();
    moments.extend([0, end_us]);
    let (mut out, mut kinds) = (Vec::new(), BTreeSet::new());
    for at in moments {
        sim.seek(at);
        for x in &scenario.expects {
            if let Err(why) = x.claim.check(&sim) {
                out.push(claims::unmet(Lang::Zh, &why));
                // The variant's name, from its Debug text (`Down { node: 3 }`).
                let debug = format!("{why:?}");
                kinds.insert(debug.split([' ', '{']).next().unwrap_or("").to_string());
            }
        }
    }
    (out, kinds)
}

/// Faults, membership changes, transfers, settings, compaction and notes,
/// with claims of every kind; and a teaching switch that breaks a rule.
const SCENARIOS: [&str; 3] = [
    "raftlab 1
nodes 5
seed 7
election-timeout 150ms 300ms
heartbeat 50ms
latency 10ms 30ms
at 400ms request \"set a=5\"
at 450ms request 2 \"set b=6\"
at 500ms crash 1
at 510ms restart 2
at 600ms partition 1 2 | 3 4 5
at 700ms isolate 4
at 800ms cut 3 5
at 900ms drop 40
at 900ms drop 99999
at 1s heal
at 1.1s restore 3 5
at 1.2s restart 1
at 1.2s timeout 1
at 1.3s loss 5%
at 1.3s duplicate 1%
at 1.3s reorder 2%
at 1.3s latency 5ms 20ms
at 1.3s heartbeat 40ms
at 1.3s election-timeout 160ms 320ms
at 1.3s prevote on
at 1.3s check-quorum on
at 1.3s sticky-leader off
at 1.3s noop on
at 1.3s backoff hint
at 1.3s snapshot-every 3
at 1.5s request \"set c=7\"
at 1.6s compact 2
at 2s add 6
at 2.5s add-learner 7
at 3s remove 3
at 3.2s remove 3
at 3.5s transfer 2
at 3.5s transfer 2
at 4s change 1 2 4 5 6
at 4.5s unsafe-change 1 2
at 5s snapshot-every off
at 5s backoff decrement
at 5s loss 0%
at 5.5s crash 5
at 5.6s crash 5
at 5.65s compact 5
at 5.7s restart 4
at 5.8s timeout 5
at 6s expect leader 2 term 3
at 6s expect follower 1 4
at 6s expect down 5
at 6s expect precandidate 3
at 6s expect candidate 1
at 6s expect no-leader
at 6s expect leaders 2
at 6s expect votes 2 from 1 2 4
at 6s expect committed \"set a=5\" on 1 2
at 6s expect committed 1 \"set a=5\" on 2
at 6s expect uncommitted \"set c=7\" on 4
at 6s expect uncommitted 3 \"set c=7\" on 4
at 6s expect absent \"set z=0\" on 1
at 6s expect commit-index 3 on 1 2
at 6s expect kv a=5 on 1 2
at 6s expect log-terms 1 1 2 on 1
at 6s expect log-terms on 6
at 6s expect logs-match 1 2
at 6s expect next-index 2 for 1 is 4
at 6s expect next-index 2 for 3 is 1
at 6s expect rejected-appends 4 is 0
at 6s expect client \"set a=5\" ok
at 6s expect client \"set b=6\" redirect
at 6s expect client \"set c=7\" pending
at 6s expect violation \"Election Safety\"
at 6s expect no-violation
run 7s
",
    "raftlab 1
nodes 3
seed 11
election-timeout 5s 6s
sticky-leader off
unsafe direct-change on
at 10ms timeout 3
at 300ms request \"a=1\"
at 600ms cut 3 1
at 600ms cut 3 2
at 700ms unsafe-change 1 2 3 4 5
at 1.2s partition 1 2 | 3 4 5
at 1.3s timeout 1
at 1.3s timeout 4
at 2s request 1 \"b=2\"
at 2.1s request 4 \"c=3\"
at 3s expect violation \"Leader Append-Only\"
run 3s
",
    "raftlab 1
nodes 3
seed 3
unsafe vote-without-log-check on
unsafe forget-vote-on-restart on
unsafe commit-old-terms on
at 100ms request \"x=1\"
at 200ms request 3 \"y=2\"
at 300ms unsafe direct-change off
at 400ms unsafe-change 1 2
at 500ms crash 1
at 600ms request \"z=3\"
at 700ms crash 2
at 700ms crash 3
at 800ms request \"w=4\"
at 900ms add 2
at 900ms transfer 3
run 4s
",
];

/// The check: every bundled lesson, the scenarios above, the table.
#[test]
fn a_chinese_page_shows_no_english_words() {
    let mut runs: Vec<(String, Scenario, u64)> = Vec::new();
    for l in lessons::all() {
        let mut scenario = l.scenario.clone();
        scenario
            .expects
            .extend(l.steps.iter().flat_map(|s| s.expects.iter().cloned()));
        runs.push((l.id.clone(), scenario, l.end_us()));
    }
    for (i, text) in SCENARIOS.iter().enumerate() {
        let scenario = Scenario::parse(text).expect("scenario");
        let end = scenario.run_us.unwrap_or(0);
        runs.push((format!("scenario {i}"), scenario, end));
    }
    let mut bad: BTreeSet<(String, String)> = BTreeSet::new();
    let mut kinds: BTreeSet<&'static str> = BTreeSet::new();
    let (mut unmet_count, mut unmet_kinds) = (0, BTreeSet::new());
    for (name, scenario, end_us) in runs {
        let (mut texts, data) = rendered(scenario.clone(), end_us);
        let (unmet, met_kinds) = unmet_texts(&scenario, end_us);
        unmet_count += unmet.len();
        unmet_kinds.extend(met_kinds);
        texts.extend(unmet);
        let mut sim = Sim::new(scenario).expect("scenario");
        sim.run_until(end_us);
        kinds.extend(sim.trace().iter().map(|e| kind_name(&e.ev)));
        for text in texts {
            for w in english_words(&text, &data) {
                bad.insert((w, format!("{name}: {text}")));
            }
        }
    }
    let empty = BTreeSet::new();
    // The lessons' own Chinese: titles, summaries, every step's narration
    // and every question (prompt, choices, explanation), where English is
    // allowed only as a gloss (docs/lessons.md). Single letters name
    // servers there (a–e), and commands are data.
    let mut question_texts = 0;
    for l in lessons::all() {
        let mut sim = Sim::new(l.scenario.clone()).expect("lesson");
        sim.run_until(l.end_us());
        let mut data = data_words(&l.scenario, &sim);
        data.extend(('a'..='z').map(String::from));
        let questions: Vec<&str> = l
            .questions()
            .flat_map(|(_, q)| {
                [q.prompt.zh.as_str(), q.explanation.zh.as_str()]
                    .into_iter()
                    .chain(q.choices.iter().map(|c| c.texts.zh.as_str()))
            })
            .collect();
        question_texts += questions.len();
        let texts = [l.titles.zh.as_str(), l.summaries.zh.as_str()]
            .into_iter()
            .chain(l.steps.iter().map(|s| s.text_zh.as_str()))
            .chain(questions);
        for text in texts {
            for w in english_words(&without_glosses(text), &data) {
                bad.insert((w, format!("lesson {}: {text}", l.id)));
            }
        }
    }
    for &(key, _, zh) in TABLE.iter() {
        for w in english_words(zh, &empty) {
            bad.insert((w, format!("table {key}: {zh}")));
        }
    }
    // The questions were read (35 questions have over 100 texts).
    assert!(question_texts > 100, "only {question_texts} question texts");
    let report: Vec<String> = bad
        .iter()
        .take(80)
        .map(|(w, at)| format!("{w:>16}  in  {at}"))
        .collect();
    assert!(
        report.is_empty(),
        "English on the Chinese page:\n{}",
        report.join("\n")
    );
    // Unmet claims of every kind were rendered (`Unmet` has 23 variants).
    assert!(unmet_count > 1000, "only {unmet_count} unmet claims");
    assert_eq!(unmet_kinds.len(), 23, "kinds met: {unmet_kinds:?}");
    // The runs reach every kind of event the page describes.
    for k in [
        "role",
        "leader",
        "send",
        "deliver",
        "drop",
        "commit",
        "crash",
        "removed",
        "restart",
        "timeout",
        "partition",
        "isolate",
        "cut",
        "restore",
        "heal",
        "request",
        "client",
        "change",
        "membership",
        "stepdown",
        "compact",
        "snapshot",
        "setting",
        "note",
        "violation",
    ] {
        assert!(kinds.contains(k), "no {k} event in the runs");
    }
}

fn kind_name(ev: &Ev) -> &'static str {
    match ev {
        Ev::Role { .. } => "role",
        Ev::Leader { .. } => "leader",
        Ev::Send { .. } => "send",
        Ev::Deliver { .. } => "deliver",
        Ev::Drop { .. } => "drop",
        Ev::Commit { .. } => "commit",
        Ev::Crash { .. } => "crash",
        Ev::Removed { .. } => "removed",
        Ev::Restart { .. } => "restart",
        Ev::Timeout { .. } => "timeout",
        Ev::Partition { .. } => "partition",
        Ev::Isolate { .. } => "isolate",
        Ev::Cut { .. } => "cut",
        Ev::Restore { .. } => "restore",
        Ev::Heal => "heal",
        Ev::Request { .. } => "request",
        Ev::Client { .. } => "client",
        Ev::Change { .. } => "change",
        Ev::Membership { .. } => "membership",
        Ev::Stepdown { .. } => "stepdown",
        Ev::Reject { .. } => "reject",
        Ev::Compact { .. } => "compact",
        Ev::Snapshot { .. } => "snapshot",
        Ev::Setting { .. } => "setting",
        Ev::Note { .. } => "note",
        Ev::Violation(_) => "violation",
    }
}

/// The checker itself: English is found, the allowed names are not.
#[test]
fn english_words_are_found_and_names_allowed() {
    let none = BTreeSet::new();
    assert_eq!(english_words("节点 1 crashed", &none), vec!["crashed"]);
    assert!(english_words("来自 2 的 AppendEntries（任期 3，1.5 s）：C_old,new", &none).is_empty());
    assert!(english_words("客户端请求“set a=5”：S1 已提交，docs/lessons.md", &none).is_empty());
    let data: BTreeSet<String> = ["a".to_string()].into();
    assert!(english_words("节点 1 的状态机中 a = 5", &data).is_empty());
    assert_eq!(english_words("Pre-Vote pre-vote", &none), vec!["pre-vote"]);
    // A gloss is allowed; English before it, or outside parentheses, is not.
    let glossed = without_glosses("未提交（uncommitted），隔离（isolate 3）");
    assert!(english_words(&glossed, &none).is_empty(), "{glossed}");
    let unglossed = without_glosses("Leader Completeness（领导者完整性），用 timeout 2");
    assert_eq!(
        english_words(&unglossed, &none),
        vec!["Leader", "Completeness", "timeout"]
    );
}
