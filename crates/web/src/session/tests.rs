//! The session without a browser: intents, playback, selection, time
//! travel and lesson stepping.

use super::*;
use sim::scenario::BackoffMode;

fn session(text: &str) -> Session {
    let sc = Scenario::parse(text).expect("valid scenario");
    let sim = Sim::with_options(sc.clone(), SimOptions::default()).expect("sim");
    Session::new(sim, sc, false, 1.0)
}

fn three() -> Session {
    session("nodes 3\nseed 7\n")
}

/// The actions recorded on the timeline, as their lines.
fn lines(s: &Session) -> Vec<String> {
    s.sim()
        .scenario()
        .timeline
        .iter()
        .map(|t| t.action.to_string())
        .collect()
}

/// Every recorded action reads back as itself: the typed path and the
/// text path agree.
fn round_trips(s: &Session) {
    for t in &s.sim().scenario().timeline {
        let parsed = sim::parse_action(&t.action.to_string()).expect("parses");
        assert_eq!(parsed, t.action);
    }
}

/// Plays for `real_ms` of real time in frames of 16 ms.
fn play_for(s: &mut Session, real_ms: u32, from_ms: f64) -> f64 {
    let mut ts = from_ms;
    s.frame(ts, false);
    for _ in 0..real_ms / 16 {
        ts += 16.0;
        s.frame(ts, false);
    }
    s.refresh_view();
    ts
}

#[test]
fn every_menu_action_becomes_its_action() {
    let mut s = three();
    s.apply(Intent::Seek(1_000_000)).expect("seek");
    let expected = [
        ("timeout", "timeout 2"),
        ("crash", "crash 2"),
        ("crash", "restart 2"),
        ("request", "request 2 \"set y=1\""),
        ("isolate", "isolate 2"),
        ("transfer", "transfer 2"),
        ("compact", "compact 2"),
        ("remove", "remove 2"),
    ];
    for (act, line) in expected {
        s.apply(Intent::OpenMenu(2)).expect("menu");
        assert_eq!(s.menu_target(), Some(2));
        let intent = menu_intent(act, 2).expect("a menu action");
        s.apply(intent).expect(act);
        assert_eq!(s.menu_node(), None, "{act} closes the menu");
        assert_eq!(lines(&s).last().map(String::as_str), Some(line), "{act}");
    }
    s.apply(menu_intent("details", 3).expect("details"))
        .expect("details");
    assert_eq!(s.selected(), Some(3));
    assert_eq!(lines(&s).len(), expected.len(), "details acts on nothing");
    assert_eq!(menu_intent("explode", 1), None);
    // Every entry of the table is reachable by its name.
    for (name, f) in NODE_MENU {
        assert_eq!(menu_intent(name, 1), Some(f(1)));
    }
    round_trips(&s);
}

#[test]
fn partition_draft_cycles_groups_and_applies() {
    let mut s = three();
    s.apply(Intent::TogglePartition).expect("enter");
    let d = s.draft().expect("a draft");
    assert_eq!(d.groups(), &[(1, 0), (2, 0), (3, 0)]);
    // Clicks and number keys move a node to the next group; other hits do nothing.
    s.apply(Intent::Click(Hit::Node(3))).expect("click");
    s.apply(Intent::Select(1)).expect("key");
    s.apply(Intent::Click(Hit::Empty)).expect("nothing");
    assert_eq!(s.draft().map(|d| d.line()).as_deref(), Some("2 | 1 3"));
    s.apply(Intent::ApplyPartition).expect("apply");
    assert!(s.draft().is_none());
    assert_eq!(lines(&s), ["partition 2 | 1 3"]);
    assert_eq!(s.view().network.groups.len(), 2);
    // Starting again begins from the current partition; all in one group heals.
    s.apply(Intent::TogglePartition).expect("enter");
    assert_eq!(s.draft().map(|d| d.line()).as_deref(), Some("2 | 1 3"));
    s.apply(Intent::Select(2)).expect("key");
    s.apply(Intent::ApplyPartition).expect("apply");
    assert_eq!(lines(&s).last().map(String::as_str), Some("heal"));
    // Cancel leaves without acting.
    s.apply(Intent::TogglePartition).expect("enter");
    s.apply(Intent::TogglePartition).expect("leave");
    assert!(s.draft().is_none());
    assert_eq!(lines(&s).len(), 2);
    round_trips(&s);
}

#[test]
fn partition_line_lists_groups_in_order() {
    let p = [(1, 1), (2, 1), (3, 0), (4, 0), (5, 0)];
    assert_eq!(pending_line(&p), "3 4 5 | 1 2");
    // The line is valid scenario language.
    assert!(sim::parse_action(&format!("partition {}", pending_line(&p))).is_ok());
}

#[test]
fn add_server_takes_the_next_id_until_the_limit() {
    let mut s = three();
    s.apply(Intent::Seek(3_000_000)).expect("a leader by then");
    s.apply(Intent::AddServer).expect("add");
    assert_eq!(lines(&s), ["add 4"]);
    assert!(s.view().nodes.iter().any(|n| n.id == 4));
    let mut full = session(&format!("nodes 3\nat 3s add {NODE_ID_MAX}\n"));
    full.seek(4_000_000);
    assert!(full.view().nodes.iter().any(|n| n.id == NODE_ID_MAX));
    assert_eq!(full.apply(Intent::AddServer), Err(Refusal::TooManyNodes));
    assert_eq!(Refusal::TooManyNodes.message(), ("too_many_nodes", None));
}

#[test]
fn drop_message_and_client_requests() {
    let mut s = three();
    s.apply(Intent::Seek(2_000_000)).expect("seek");
    let id = s
        .view()
        .messages
        .first()
        .map(|m| m.id)
        .expect("a message in flight");
    s.apply(Intent::SetPlaying(true)).expect("play");
    s.apply(Intent::Click(Hit::Message(id))).expect("click");
    assert_eq!(s.message(), Some(id));
    assert!(!s.playing(), "a message popup pauses");
    s.apply(Intent::DropMessage(id)).expect("drop");
    assert_eq!(s.message(), None);
    assert!(s.view().messages.iter().all(|m| m.id != id));
    s.apply(Intent::ClientRequest).expect("request");
    s.apply(Intent::ClientRequest).expect("request");
    let l = lines(&s);
    assert_eq!(
        &l[1..],
        ["request \"set y=1\"", "request \"set z=2\""],
        "commands are numbered"
    );
    assert_eq!(l[0], format!("drop {id}"));
    round_trips(&s);
}

#[test]
fn a_link_click_cuts_both_ways_and_a_second_restores() {
    let mut s = three();
    s.apply(Intent::Click(Hit::Link(1, 2))).expect("cut");
    assert_eq!(lines(&s), ["cut 1 2", "cut 2 1"]);
    s.apply(Intent::Click(Hit::Link(2, 1))).expect("restore");
    assert_eq!(&lines(&s)[2..], ["restore 2 1", "restore 1 2"]);
}

#[test]
fn a_missing_target_is_refused_with_the_parsers_words() {
    let mut s = three();
    let typed = s.apply(Intent::Crash(9)).expect_err("no server 9");
    let mut by_hand = three();
    // A server not in the view is not up: the menu's crash button restarts it.
    let written = by_hand.act_line("restart 9").expect_err("no server 9");
    assert_eq!(typed, Refusal::Failed(written));
    assert!(lines(&s).is_empty(), "nothing is recorded");
}

#[test]
fn settings_switches_and_membership_are_actions() {
    let mut s = three();
    s.apply(Intent::Set(Setting::PreVote(true)))
        .expect("prevote");
    s.apply(Intent::Set(Setting::Backoff(BackoffMode::Hint)))
        .expect("hint");
    // Turning a teaching switch on waits for the confirmation.
    s.apply(Intent::AskUnsafe(UnsafeSwitch::DirectChange, true))
        .expect("ask");
    assert_eq!(s.confirm(), Some(UnsafeSwitch::DirectChange));
    assert_eq!(lines(&s).len(), 2);
    s.apply(Intent::ConfirmUnsafe(true)).expect("yes");
    assert_eq!(s.confirm(), None);
    assert!(s.view().settings.unsafe_switches.direct_change);
    s.apply(Intent::AskUnsafe(UnsafeSwitch::CommitOldTerms, true))
        .expect("ask");
    s.apply(Intent::ConfirmUnsafe(false)).expect("no");
    s.apply(Intent::ChangeMembership {
        voters: vec![1, 2],
        direct: true,
    })
    .expect("change");
    s.apply(Intent::AskUnsafe(UnsafeSwitch::DirectChange, false))
        .expect("off");
    assert_eq!(
        lines(&s),
        [
            "prevote on",
            "backoff hint",
            "unsafe direct-change on",
            "unsafe-change 1 2",
            "unsafe direct-change off"
        ]
    );
    round_trips(&s);
}

#[test]
fn play_pause_and_speed() {
    let mut s = three();
    assert!(!s.playing());
    // Paused, frames do not move time.
    play_for(&mut s, 500, 0.0);
    assert_eq!(s.sim().now_us(), 0);
    s.apply(Intent::TogglePlay).expect("play");
    assert!(s.playing());
    // The first frame after play only sets the clock; then 1× is real time.
    let ts = play_for(&mut s, 320, 1000.0);
    assert_eq!(s.sim().now_us(), 320_000);
    s.apply(Intent::SetSpeed(0.5)).expect("speed");
    let ts = play_for(&mut s, 160, ts + 16.0);
    assert_eq!(s.sim().now_us(), 320_000 + 8_000 + 80_000);
    s.apply(Intent::StepSpeed(-1)).expect("slower");
    assert_eq!(s.speed(), 0.2);
    s.apply(Intent::SetSpeed(1e9)).expect("speed");
    assert_eq!(s.speed(), crate::params::SPEED_MAX);
    s.apply(Intent::TogglePlay).expect("pause");
    let now = s.sim().now_us();
    play_for(&mut s, 500, ts + 100.0);
    assert_eq!(s.sim().now_us(), now);
}

#[test]
fn frame_advance_is_clamped_and_stops_while_hidden() {
    let mut s = three();
    s.apply(Intent::SetPlaying(true)).expect("play");
    s.frame(0.0, false);
    // A 10 s stall counts as one frame of FRAME_DT_MS_MAX.
    s.frame(10_000.0, false);
    assert_eq!(s.sim().now_us(), (FRAME_DT_MS_MAX * 1000.0) as u64);
    // Hidden, nothing runs; back in view, the first frame only sets the clock.
    s.frame(10_016.0, true);
    s.frame(20_000.0, false);
    assert_eq!(s.sim().now_us(), 100_000);
    s.frame(20_016.0, false);
    assert_eq!(s.sim().now_us(), 116_000);
    // While the timeline is dragged, the clock does not run either.
    s.apply(Intent::SetDragging(true)).expect("drag");
    assert!(!s.playing());
}

#[test]
fn seek_step_and_time_travel() {
    let mut s = three();
    s.apply(Intent::Seek(3_000_000)).expect("seek");
    assert_eq!(s.sim().now_us(), 3_000_000);
    let leader = s.view().leader.expect("a leader by 3 s");
    s.apply(Intent::SeekBy(-1_000_000)).expect("back");
    assert_eq!(s.sim().now_us(), 2_000_000);
    s.apply(Intent::SeekBy(-5_000_000)).expect("back");
    assert_eq!(s.sim().now_us(), 0, "not before the start");
    s.apply(Intent::SeekBy(100_000)).expect("forward");
    assert_eq!(s.sim().now_us(), 100_000);
    // Travelling is not acting: the same future comes back.
    s.apply(Intent::Seek(3_000_000)).expect("seek");
    assert_eq!(s.view().leader, Some(leader));
    assert!(lines(&s).is_empty());
    // Step runs one event and pauses.
    s.apply(Intent::SetPlaying(true)).expect("play");
    let before = s.sim().trace_len_now();
    s.apply(Intent::Step).expect("step");
    assert!(!s.playing());
    assert!(s.sim().trace_len_now() > before);
    // Acting in the past forks: the recorded past changes.
    let generation = s.generation();
    s.apply(Intent::Seek(1_000_000)).expect("seek");
    s.apply(Intent::Crash(1)).expect("crash");
    s.apply(Intent::ConfirmFork(true)).expect("drop the future");
    assert_eq!(s.generation(), generation + 1);
    assert_eq!(lines(&s), ["crash 1"]);
    assert!(s.sim().horizon_us() <= 1_000_000);
    // One seek goes at most a day past the known run, and says so.
    let known = s.sim().horizon_us();
    assert!(matches!(
        s.apply(Intent::Seek(u64::MAX)),
        Err(Refusal::SeekTooFar)
    ));
    assert!(s.sim().now_us() <= known, "nothing moved");
}

#[test]
fn selection_by_keys_and_clicks() {
    let mut s = three();
    s.apply(Intent::Select(2)).expect("key 2");
    assert_eq!(s.selected(), Some(2));
    s.apply(Intent::Select(9)).expect("key 9");
    assert_eq!(s.selected(), Some(2), "no server 9: nothing happens");
    s.apply(Intent::Click(Hit::Node(3))).expect("click");
    assert_eq!((s.selected(), s.menu_node()), (Some(3), Some(3)));
    s.apply(Intent::Click(Hit::Message(42))).expect("click");
    assert_eq!((s.menu_node(), s.message()), (None, Some(42)));
    s.apply(Intent::Click(Hit::Node(1))).expect("click");
    assert_eq!(s.message(), None, "one popup at a time");
    s.apply(Intent::Escape).expect("escape");
    assert_eq!(s.menu_node(), None);
    assert_eq!(s.selected(), Some(1), "Escape keeps the selection");
    s.apply(Intent::Click(Hit::Empty)).expect("background");
    assert_eq!(s.selected(), None);
    // A new run forgets the selection.
    s.apply(Intent::Select(1)).expect("key");
    s.apply(Intent::NewSeed(99)).expect("new seed");
    assert_eq!(s.selected(), None);
    assert_eq!(s.sim().scenario().settings.seed, 99);
    s.apply(Intent::Reset).expect("reset");
    assert_eq!(
        s.sim().scenario().settings.seed,
        99,
        "reset keeps the new base"
    );
}

#[test]
fn markers_follow_the_trace_and_start_over_after_a_fork() {
    let mut s = three();
    s.apply(Intent::Seek(3_000_000)).expect("seek");
    let n = s.markers().list().len();
    assert!(n >= 2, "an election and a leader at least");
    s.apply(Intent::Seek(100_000)).expect("back");
    s.apply(Intent::Crash(1)).expect("fork");
    s.apply(Intent::ConfirmFork(true)).expect("drop the future");
    assert!(s.markers().list().len() < n);
}

fn lesson(id: &str) -> lessons::Lesson {
    lessons::by_id(id).expect("bundled lesson")
}

// Next, Back and beats through the bundled lessons: tests_lessons.rs.

#[test]
fn a_teaching_switch_lesson_announces_its_violation_and_runs_safe() {
    let l = lesson("08-commit-current-term");
    let p = l.expected_violation.expect("a lesson that breaks a rule");
    let last = l.steps.last().map(|s| s.at_us).expect("steps");
    let mut s = three();
    s.open_lesson(l, Source::Bundled).expect("open");
    s.apply(Intent::Seek(last)).expect("seek");
    let tick = s.lesson_tick(0.0).expect("a lesson");
    assert_eq!(tick.expected_violation, Some(p));
    assert_eq!(
        s.lesson_tick(0.0).and_then(|t| t.expected_violation),
        None,
        "said once"
    );
    s.apply(Intent::LessonSafe(true)).expect("safe");
    assert_eq!(s.sim().now_us(), last, "at the same moment");
    assert!(s.view().violations.is_empty(), "the rule holds");
    assert!(s.lesson().is_some_and(|l| l.safe));
    assert_eq!(s.lesson_tick(0.0).and_then(|t| t.expected_violation), None);
    // The user's own action marks the run as changed.
    s.apply(Intent::ClientRequest).expect("request");
    s.lesson_tick(0.0);
    assert!(s.lesson().is_some_and(|l| l.changed));
    s.apply(Intent::LessonRestart).expect("restart");
    s.lesson_tick(0.0);
    assert!(s.lesson().is_some_and(|l| !l.changed));
}
