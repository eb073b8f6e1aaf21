//! Questions (issue 13): `at T ask|choice|reveal|explain` lines, the rules a
//! question keeps (with line and column), and the run grading it: the right
//! choice is the one whose claim holds at the reveal, and the lesson check
//! fails unless exactly one does.

use lessons::{Lang, Lesson};

/// A three-node cluster whose first election node 2 wins (its timer is
/// forced at 0 ms), narrated at 0 ms and 400 ms.
const HEAD: &str = "title en \"t\"\nnodes 3\nseed 1\nrun 1s\nat 0ms timeout 2\n\
                    at 0ms say en \"Node 2 times out.\"\n\
                    at 400ms say en \"Node 2 leads.\"\n";

fn lesson(lines: &str) -> Result<Lesson, String> {
    Lesson::parse(&format!("{HEAD}{lines}")).map_err(|e| e.to_string())
}

const WHO_WINS: &str = "at 0ms ask who-wins en \"Who wins?\"\n\
                        at 0ms ask who-wins zh \"谁赢？\"\n\
                        at 0ms choice en \"Node 1\" zh \"节点 1\" when leader 1\n\
                        at 0ms choice en \"Node 2\" zh \"节点 2\" when leader 2\n\
                        at 0ms choice en \"Nobody\" when no-leader\n\
                        at 0ms explain en \"Its timer ran out first.\"\n";

/// Rule: a question's lines at one moment make one question of its step,
/// revealed by default at the next step's moment.
#[test]
fn a_question_belongs_to_its_step_and_is_revealed_at_the_next_step() {
    let l = lesson(WHO_WINS).expect("parses");
    let q = l.steps[0].question.as_ref().expect("a question");
    assert_eq!(q.id, "who-wins");
    assert_eq!(q.prompt(Lang::Zh), "谁赢？");
    assert_eq!(q.choices.len(), 3);
    assert_eq!(
        q.choices[2].texts.get(Lang::Zh),
        "Nobody",
        "falls back to English"
    );
    assert_eq!(q.reveal_us, 400_000);
    assert!(l.steps[1].question.is_none());
    assert_eq!(l.questions().count(), 1);
}

/// Rule: the run grades the question: the right choice is the one whose
/// claim holds at the reveal, and the check passes when exactly one holds.
#[test]
fn the_run_answers_the_question_at_its_reveal() {
    let l = lesson(WHO_WINS).expect("parses");
    assert!(l.check().is_empty(), "{:?}", l.check());
    let q = l.steps[0].question.as_ref().expect("a question");
    let mut sim = l.sim().expect("a sim");
    sim.run_until(q.reveal_us);
    assert_eq!(q.answer(&sim), Some(1), "node 2 won");
    assert_eq!(q.holding(&sim), [1]);
}

/// Rule: the lesson check fails when no choice holds at the reveal, naming
/// each choice and why it is false.
#[test]
fn a_question_no_choice_of_which_holds_fails_the_check() {
    let l = lesson(
        "at 0ms ask who en \"Who wins?\"\n\
         at 0ms choice en \"Node 1\" when leader 1\n\
         at 0ms choice en \"Node 3\" when leader 3\n\
         at 0ms explain en \"x\"\n",
    )
    .expect("parses");
    let f = l.check();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].expect, "ask who");
    assert!(
        f[0].message.starts_with("no choice holds"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].message.contains("choice 2 (`leader 3`)"),
        "{}",
        f[0].message
    );
}

/// Rule: the lesson check fails when several choices hold: a question has
/// one right answer.
#[test]
fn a_question_two_choices_of_which_hold_fails_the_check() {
    let l = lesson(
        "at 0ms ask who en \"Who wins?\"\n\
         at 0ms choice en \"Node 2\" when leader 2\n\
         at 0ms choice en \"Node 2, in term 1\" when leader 2 term 1\n\
         at 0ms explain en \"x\"\n",
    )
    .expect("parses");
    let f = l.check();
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].message.contains("choices 1, 2 all hold"),
        "{}",
        f[0].message
    );
}

/// Rule: an explicit `reveal` lies after its step and no later than the
/// next step; a question has 2 to 5 choices, a prompt, an explanation and
/// an id of its own; each error names its line.
#[test]
fn a_malformed_question_is_refused_with_its_line() {
    let cases: [(&str, &str); 10] = [
        ("at 0ms reveal 500ms\n", "after its step"),
        ("at 0ms reveal 0ms\n", "after its step"),
        ("at 0ms choice en \"c\" when leader 3\nat 0ms choice en \"d\" when leader 3\nat 0ms choice en \"e\" when leader 3\n", "offers 6 choice(s)"),
        ("at 400ms ask one en \"?\"\nat 400ms choice en \"x\" when leader 1\nat 400ms explain en \"x\"\n", "offers 1 choice(s)"),
        ("at 0ms ask who-wins en \"again\"\n", "a second `ask … en`"),
        ("at 0ms ask other en \"Another?\"\n", "a second question (other)"),
        ("at 0ms explain en \"again\"\n", "a second `explain en`"),
        ("at 400ms ask who-wins en \"Same id?\"\nat 400ms choice en \"a\" when leader 1\nat 400ms choice en \"b\" when leader 2\nat 400ms explain en \"x\"\n", "already asked on line"),
        ("at 400ms choice en \"a\" when leader 1\n", "no question is asked at 400ms"),
        ("at 700ms choice en \"a\" when leader 1\n", "nothing is said at 700ms"),
    ];
    for (extra, want) in cases {
        let err = lesson(&format!("{WHO_WINS}{extra}")).expect_err(extra);
        assert!(err.contains(want), "{extra:?}: {err}");
        assert!(err.starts_with("line "), "{err}");
    }
}

/// Rule: a choice line reads `en "..."`, optionally `zh "..."`, then
/// `when CLAIM` in the scenario language's claim language, with its errors.
#[test]
fn a_choice_needs_its_text_and_a_claim_after_when() {
    let cases: [(&str, &str); 4] = [
        ("at 0ms choice when leader 1\n", "a choice's English text"),
        ("at 0ms choice en \"x\" leader 1\n", "`when CLAIM`"),
        (
            "at 0ms choice en \"x\" when chief 1\n",
            "unknown claim `chief`",
        ),
        (
            "at 0ms choice en \"x\" when leader 9\n",
            "node 9 does not exist",
        ),
    ];
    for (extra, want) in cases {
        let err = lesson(&format!("{WHO_WINS}{extra}")).expect_err(extra);
        assert!(err.contains(want), "{extra:?}: {err}");
    }
}

/// Rule: the free-play step hands the run to the student, so it asks nothing.
#[test]
fn the_free_play_step_cannot_ask() {
    let err = lesson(
        "at 400ms free-play\n\
         at 400ms ask late en \"?\"\n\
         at 400ms choice en \"a\" when leader 1\n\
         at 400ms choice en \"b\" when leader 2\n\
         at 400ms explain en \"x\"\n",
    )
    .expect_err("free play");
    assert!(err.contains("cannot ask"), "{err}");
}
