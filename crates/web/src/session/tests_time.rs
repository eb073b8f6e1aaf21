//! The session without a browser: what just happened (the line after a
//! Step, a click or Next, and the servers it marks), the event log's
//! grouping, and acting in the past (the question, Undo).

use super::*;
use crate::eventlog::{describe_burst, same_burst};
use crate::i18n::Lang;

fn session(text: &str) -> Session {
    let sc = Scenario::parse(text).expect("valid scenario");
    let sim = Sim::with_options(sc.clone(), SimOptions::default()).expect("sim");
    Session::new(sim, sc, false, 1.0)
}

fn five() -> Session {
    session("nodes 5\nseed 7\n")
}

/// The events of the session's happened range.
fn happened_events(s: &Session) -> &[sim::TraceEvent] {
    let (from, to) = s.happened().expect("something happened");
    &s.sim().trace()[from..to]
}

/// The whole known trace's hash: the run including its future.
fn known_hash(s: &Session) -> u64 {
    sim::trace_hash(s.sim().trace())
}

#[test]
fn a_step_names_the_one_event_it_ran_and_what_followed() {
    let mut s = five();
    // Seed 7: node 4's election timer is the first event (0.205805 s).
    s.apply(Intent::Step).expect("step");
    let line = happened_line(Lang::En, happened_events(&s));
    assert_eq!(
        line,
        "0.205 s: node 4's election timer fired; node 4 became candidate in term 1; \
         node 4 sent RequestVote (term 1) to 1, 2, 3, 5"
    );
    let zh = happened_line(Lang::Zh, happened_events(&s));
    assert!(zh.contains("节点 4 的选举计时器到期"), "{zh}");
    // Node 5 times out too (0.211 s); the Step after is the first
    // delivery, said from the receiver's side.
    s.apply(Intent::Step).expect("step");
    s.apply(Intent::Step).expect("step");
    let line = happened_line(Lang::En, happened_events(&s));
    assert!(
        line.starts_with("0.215 s: node 2 received RequestVote (term 1) from node 4; "),
        "{line}"
    );
    assert!(
        line.ends_with("node 2 sent RequestVoteReply: granted (term 1) to 4"),
        "{line}"
    );
    let (nodes, messages) = concerned(happened_events(&s));
    assert_eq!(nodes, [2], "the receiver is marked");
    assert_eq!(messages.len(), 1, "and its reply");
}

#[test]
fn a_crash_click_names_the_crash_and_marks_the_server() {
    let mut s = five();
    s.apply(Intent::Seek(1_000_000)).expect("seek");
    s.apply(Intent::Crash(3)).expect("crash");
    let events = happened_events(&s);
    let line = happened_line(Lang::En, events);
    assert!(line.starts_with("1.000 s: node 3 crashed"), "{line}");
    let zh = happened_line(Lang::Zh, events);
    assert!(zh.starts_with("1.000 s: 节点 3 宕机"), "{zh}");
    assert_eq!(concerned(events).0, [3]);
    // Travelling in time is not an action: the line goes.
    s.apply(Intent::Seek(500_000)).expect("seek");
    assert_eq!(s.happened(), None);
}

#[test]
fn lesson_next_names_everything_up_to_its_step_and_stays_short() {
    let l = lessons::by_id("01-first-election").expect("lesson");
    let mut s = five();
    s.open_lesson(l, Source::Bundled).expect("open");
    s.apply(Intent::LessonNext).expect("next");
    // Next plays to the step (or jumps there); either way the range follows.
    let mut ts = 0.0;
    while s.playing() {
        ts += 16.0;
        s.frame(ts, false);
    }
    assert!(s.happened_settled());
    let line = happened_line(Lang::En, happened_events(&s));
    let clauses = line.split("; ").count();
    assert!(
        clauses <= HAPPENED_CLAUSES_MAX,
        "{clauses} clauses in {line}"
    );
    assert!(!line.is_empty());
}

#[test]
fn a_catch_up_commit_is_one_log_line_per_node() {
    // Node 3 misses five requests while cut off, then commits them at once.
    let mut s = session(
        "nodes 3\nseed 7\nat 1s isolate 3\n\
         at 1.1s request \"set a=1\"\nat 1.2s request \"set b=2\"\nat 1.3s request \"set c=3\"\n\
         at 1.4s request \"set d=4\"\nat 1.5s request \"set e=5\"\nat 2s heal\n",
    );
    s.apply(Intent::Seek(4_000_000)).expect("seek");
    let trace = s.sim().trace();
    let first = trace
        .iter()
        .position(|e| matches!(e.ev, sim::Ev::Commit { node: 3, .. }) && e.t > 2_000_000)
        .expect("node 3 catches up");
    let len = trace[first..]
        .windows(2)
        .take_while(|w| same_burst(&w[0], &w[1]))
        .count()
        + 1;
    let burst = &trace[first..first + len];
    assert!(len >= 5, "a catch-up of {len} entries");
    let line = describe_burst(Lang::En, burst);
    assert!(
        line.starts_with("node 3 committed entries ") && line.contains('–'),
        "{line}"
    );
    assert!(describe_burst(Lang::Zh, burst).contains("节点 3 提交了条目"));
}

#[test]
fn acting_in_the_past_asks_first_and_no_drops_nothing() {
    let mut s = five();
    s.apply(Intent::Seek(3_000_000)).expect("seek");
    let hash = known_hash(&s);
    s.apply(Intent::Seek(1_000_000)).expect("back");
    s.apply(Intent::SetPlaying(true)).expect("play");
    s.apply(Intent::Crash(2)).expect("crash");
    let known = s.sim().horizon_us();
    assert_eq!(
        s.fork().and_then(Fork::question),
        Some((1_000_000, known - 1_000_000)),
        "asks: the run after 1 s up to its last known event would go"
    );
    assert!(!s.playing(), "the run waits for the answer");
    assert!(s.sim().scenario().timeline.is_empty(), "nothing done yet");
    s.apply(Intent::ConfirmFork(false)).expect("no");
    assert!(s.fork().is_none());
    assert_eq!(known_hash(&s), hash, "the future is still there");
    assert_eq!(s.sim().horizon_us(), known);
}

#[test]
fn yes_forks_and_undo_brings_the_exact_old_future_back() {
    let mut s = five();
    s.apply(Intent::Seek(3_000_000)).expect("seek");
    let hash = known_hash(&s);
    s.apply(Intent::Seek(1_200_000)).expect("back");
    let known = s.sim().horizon_us();
    s.apply(Intent::Click(Hit::Link(1, 2))).expect("cut");
    let drops = s.fork().and_then(Fork::question).map(|q| q.1);
    assert_eq!(drops, Some(known - 1_200_000));
    // The user moved before answering: the answer acts where it was asked.
    s.apply(Intent::SeekBy(-100_000)).expect("back a bit");
    s.apply(Intent::ConfirmFork(true)).expect("yes");
    let timeline: Vec<String> = s
        .sim()
        .scenario()
        .timeline
        .iter()
        .map(|t| format!("{} {}", t.at_us, t.action))
        .collect();
    assert_eq!(timeline, ["1200000 cut 1 2", "1200000 cut 2 1"]);
    assert_eq!(s.sim().horizon_us(), 1_200_000, "the old future is gone");
    assert_eq!(s.fork().and_then(Fork::undo_at), Some(1_200_000));
    let generation = s.generation();
    // Play on in the new future, then Undo.
    s.apply(Intent::Seek(2_000_000)).expect("on");
    s.apply(Intent::UndoFork).expect("undo");
    assert!(s.fork().is_none());
    assert_eq!(known_hash(&s), hash, "the old future, exactly");
    assert_eq!(s.sim().now_us(), 1_200_000, "where the user acted");
    assert!(s.sim().scenario().timeline.is_empty());
    assert!(s.generation() > generation, "views of the past start over");
    s.apply(Intent::Seek(3_000_000)).expect("seek");
    assert_eq!(s.trace_hash(), format!("{hash:016x}"));
}

#[test]
fn acting_at_the_end_of_the_known_run_does_not_ask() {
    let mut s = five();
    s.apply(Intent::Seek(1_000_000)).expect("seek");
    s.apply(Intent::Crash(1)).expect("crash");
    assert!(s.fork().is_none(), "nothing to drop, nothing to undo");
    assert_eq!(s.sim().scenario().timeline.len(), 1);
}

#[test]
fn a_scripted_act_in_the_past_forks_at_once_and_can_be_undone() {
    let mut s = five();
    s.apply(Intent::Seek(2_000_000)).expect("seek");
    let hash = known_hash(&s);
    s.apply(Intent::Seek(1_000_000)).expect("back");
    s.act_line("crash 1").expect("crash");
    assert_eq!(s.sim().horizon_us(), 1_000_000);
    s.apply(Intent::KeepFork).expect("keep");
    assert!(
        s.fork().is_none(),
        "the notice closed: the old run is let go"
    );
    s.apply(Intent::UndoFork).expect("nothing to undo");
    assert_ne!(known_hash(&s), hash);
}

#[test]
fn a_lessons_run_changed_in_the_past_asks_too() {
    let l = lessons::by_id("05-network-partition").expect("lesson");
    let first = l.steps[0].at_us;
    let mut s = five();
    s.open_lesson(l, Source::Bundled).expect("open");
    assert_eq!(s.sim().now_us(), first);
    assert!(
        s.future_us() > 0,
        "the lesson's later actions are its future"
    );
    s.apply(Intent::ClientRequest).expect("request");
    assert!(s.fork().and_then(Fork::question).is_some());
    s.apply(Intent::ConfirmFork(false)).expect("no");
    s.lesson_tick(0.0);
    assert!(s.lesson().is_some_and(|l| !l.changed));
}
