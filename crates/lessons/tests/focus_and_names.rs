//! The two lesson lines that tie narration to the canvas (issue 12):
//! `name N NAME` and `at TIME focus ...`, their errors with line and
//! column, and the bundled lessons' names agreeing with their narration.

use lessons::{by_id, Lesson, Subjects};
use raft::MessageKind;
use sim::claim::{EntryAt, EntryRef, MessageRef};

const HEAD: &str = "title en \"t\"\nnodes 3\nat 1s say en \"x\"\n";

fn parse(lines: &str) -> Lesson {
    Lesson::parse(&format!("{HEAD}{lines}")).unwrap_or_else(|e| panic!("{lines:?}: {e}"))
}

fn one(i: u64) -> EntryAt {
    EntryAt::Indexes { first: i, last: i }
}

/// Rule: `focus` names servers, entries (an index, a range or a command,
/// on some servers or all) and messages, in any order; several lines at
/// one moment add up.
#[test]
fn focus_names_servers_entries_and_messages() {
    let l = parse(
        "at 1s focus 1 3 entry 2 on 1 3\n\
         at 1s focus entry 1-4 message AppendEntries from 1 to 2\n\
         at 1s focus entry \"set a=5\" on 2 message RequestVoteReply\n",
    );
    let f = l.steps[0].focus.clone().expect("a focus");
    assert_eq!(f.nodes, [1, 3]);
    assert_eq!(
        f.entries,
        [
            EntryRef {
                at: one(2),
                nodes: vec![1, 3]
            },
            EntryRef {
                at: EntryAt::Indexes { first: 1, last: 4 },
                nodes: vec![]
            },
            EntryRef {
                at: EntryAt::Command("set a=5".into()),
                nodes: vec![2]
            },
        ]
    );
    assert_eq!(
        f.messages,
        [
            MessageRef {
                kind: MessageKind::AppendEntries,
                from: Some(1),
                to: Some(2)
            },
            MessageRef {
                kind: MessageKind::RequestVoteReply,
                from: None,
                to: None
            },
        ]
    );
    assert_eq!(l.steps[0].subjects(), f, "the author's focus is the step's");
}

/// Rule: without `focus` a step is about what its claims check.
#[test]
fn without_focus_a_step_is_about_its_claims() {
    let l = parse("at 1s expect leader 1\nat 1s expect committed 2 \"x\" on 1 2\n");
    assert_eq!(l.steps[0].focus, None);
    let s = l.steps[0].subjects();
    assert_eq!(s.nodes, [1, 2]);
    assert_eq!(
        s.entries,
        [EntryRef {
            at: one(2),
            nodes: vec![1, 2]
        }]
    );
    let none = parse("at 1s expect no-violation\n");
    assert_eq!(none.steps[0].subjects(), Subjects::default());
}

/// Rule: `name N NAME` gives server N a short name; a quoted name may hold
/// any characters.
#[test]
fn name_gives_servers_the_lessons_names() {
    let l = parse("name 1 a\nname 2 (b)\nname 3 \"甲\"\n");
    assert_eq!(
        l.names,
        [(1, "a".to_string()), (2, "(b)".into()), (3, "甲".into())]
    );
    assert_eq!(l.name_of(2), Some("(b)"));
    assert_eq!(l.name_of(4), None);
}

/// Rule: every error of `focus` and `name` names its line and column, and
/// says what was expected.
#[test]
fn focus_and_name_errors_name_line_and_column() {
    // (the lines after HEAD, line, column, part of the message)
    let cases: [(&str, usize, usize, &str); 13] = [
        ("at 1s focus\n", 4, 12, "server ids"),
        ("at 1s focus banana\n", 4, 13, "server ids"),
        ("at 1s focus 1 1\n", 4, 15, "named twice"),
        ("at 1s focus entry\n", 4, 18, "a log index"),
        ("at 1s focus entry 0 on 1\n", 4, 19, "a log index"),
        ("at 1s focus entry 3-2 on 1\n", 4, 19, "a log index"),
        ("at 1s focus entry 2 on\n", 4, 23, "node ids"),
        ("at 1s focus message append\n", 4, 21, "AppendEntries"),
        (
            "at 1s focus message AppendEntries from x\n",
            4,
            40,
            "a node id",
        ),
        ("at 1s focus 9\n", 4, 13, "node 9 does not exist"),
        ("at 2s focus 1\n", 4, 1, "nothing is said at 2s"),
        ("name 4 d\n", 4, 6, "node 4 does not exist"),
        ("name 1 abcdefghi\n", 4, 8, "1 to 8 characters"),
    ];
    for (lines, line, column, words) in cases {
        let e = Lesson::parse(&format!("{HEAD}{lines}")).expect_err(lines);
        assert_eq!((e.line, e.column), (line, column), "{lines:?}: {e}");
        assert!(e.message.contains(words), "{lines:?}: {e}");
    }
    let twice = Lesson::parse(&format!("{HEAD}name 1 a\nname 1 b\n")).expect_err("twice");
    assert_eq!(twice.line, 5);
    assert!(twice.message.contains("already named a"), "{twice}");
    let shared = Lesson::parse(&format!("{HEAD}name 1 a\nname 2 a\n")).expect_err("shared");
    assert!(shared.message.contains("server 1's"), "{shared}");
    // A server the timeline adds may be named and focused.
    parse("at 500ms add 4\nname 4 d\nat 1s focus 4\n");
}

/// Whether `text` holds `name` as a word of its own (not inside another).
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// Rule: a lesson whose narration calls its servers by letters names them
/// so on the canvas, with the letters the narration uses.
#[test]
fn lessons_that_call_servers_by_letters_name_them_the_same() {
    let names = |id: &str| -> Vec<(raft::NodeId, String)> {
        by_id(id).map(|l| l.names).unwrap_or_default()
    };
    let pairs = |v: &[(raft::NodeId, &str)]| -> Vec<(raft::NodeId, String)> {
        v.iter().map(|&(n, w)| (n, w.to_string())).collect()
    };
    assert_eq!(
        names("01-first-election"),
        pairs(&[(1, "a"), (2, "b"), (3, "c")])
    );
    assert_eq!(
        names("05-network-partition"),
        pairs(&[(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")])
    );
    assert_eq!(
        names("06-log-repair"),
        pairs(&[
            (2, "(a)"),
            (3, "(b)"),
            (4, "(c)"),
            (5, "(d)"),
            (6, "(e)"),
            (7, "(f)")
        ])
    );
    assert_eq!(
        names("10-membership-change"),
        pairs(&[(1, "A"), (2, "B"), (3, "C"), (4, "D"), (5, "E")])
    );
    // Every name is written in the lesson's own narration, in both languages.
    for id in [
        "01-first-election",
        "05-network-partition",
        "06-log-repair",
        "10-membership-change",
    ] {
        let l = by_id(id).expect("bundled");
        for (_, name) in &l.names {
            for lang in [lessons::Lang::En, lessons::Lang::Zh] {
                let said = l.steps.iter().any(|s| mentions(s.text(lang), name));
                assert!(said, "{id}: {name} in {lang:?}");
            }
        }
    }
}

/// Rule: partition groups are never called by a server's letter: the
/// lessons that split the network call its sides group ① and group ②.
#[test]
fn partitioned_lessons_call_the_sides_groups_with_numbers() {
    for (id, en, zh) in [
        ("05-network-partition", "group ①", "分组 ①"),
        ("10-membership-change", "group ②", "分组 ②"),
    ] {
        let l = by_id(id).expect("bundled");
        assert!(l.steps.iter().any(|s| s.text_en.contains(en)), "{id}");
        assert!(l.steps.iter().any(|s| s.text_zh.contains(zh)), "{id}");
        for s in &l.steps {
            for bad in ["group A", "group B", "side A", "side B"] {
                assert!(!s.text_en.contains(bad), "{id}: {bad}");
            }
        }
    }
}
