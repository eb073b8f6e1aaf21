//! Questions: a step may ask the student what happens next, and the run
//! itself answers. Each choice carries a claim; the right choice is the one
//! whose claim holds when the run reaches the question's reveal moment. No
//! answer is written by hand, so a question cannot drift from the simulator:
//! [`crate::Lesson::check`] fails unless exactly one choice holds.
//!
//! ```text
//! at 400ms ask who-wins en "Who wins this election?"
//! at 400ms ask who-wins zh "谁会赢得这次选举？"
//! at 400ms choice en "Node 1" zh "节点 1" when leader 1 term 2
//! at 400ms choice en "Node 2" zh "节点 2" when leader 2 term 2
//! at 400ms reveal 700ms
//! at 400ms explain en "Node 1's timer ran out first, ..."
//! ```
//!
//! The lines are read in `parse.rs`; this file holds the types, the rules a
//! question keeps, and the grading.

use sim::claim::Claim;
use sim::units::format_duration_us;
use sim::Sim;

use super::{Lang, LessonError, Texts};

/// Fewest choices a question offers.
pub const CHOICES_MIN: usize = 2;
/// Most choices a question offers.
pub const CHOICES_MAX: usize = 5;
/// Longest question id, in bytes.
pub const QUESTION_ID_LEN_MAX: usize = 40;

/// One answer a student can pick: its text and the claim that makes it right.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Choice {
    /// What the student reads (`Node 1`, `Yes, at index 3`).
    pub texts: Texts,
    /// True of the run at the reveal moment exactly when this choice is right.
    pub claim: Claim,
    /// Line of the `choice`.
    pub line: usize,
}

/// A question pinned to a step: the run pauses there, the student picks a
/// choice, and the run plays on to `reveal_us`, where the choices' claims
/// say which one was right.
///
/// Invariants (kept by the parser, see [`QuestionDraft::finish`]): `id` is
/// unique in its lesson and made of lowercase letters, digits and `-`; the
/// step's moment < `reveal_us` <= the next step's moment (or the lesson's
/// end); between [`CHOICES_MIN`] and [`CHOICES_MAX`] choices; the prompt and
/// the explanation have English text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    /// Stable id within the lesson (for scores and course pages).
    pub id: String,
    /// The question.
    pub prompt: Texts,
    /// The choices, in the order the file gives them (and the page shows).
    pub choices: Vec<Choice>,
    /// The moment whose state decides the answer.
    pub reveal_us: u64,
    /// Why the right choice is right, shown at the reveal.
    pub explanation: Texts,
    /// Line of the first `ask`.
    pub line: usize,
}

impl Question {
    /// The prompt in `lang` (English if the Chinese one is missing).
    pub fn prompt(&self, lang: Lang) -> &str {
        self.prompt.get(lang)
    }

    /// The indices of the choices whose claims hold in `sim` as it stands
    /// (the caller moves it to [`Question::reveal_us`] first).
    pub fn holding(&self, sim: &Sim) -> Vec<usize> {
        (0..self.choices.len())
            .filter(|&i| self.choices[i].claim.check(sim).is_ok())
            .collect()
    }

    /// The right choice in `sim` as it stands: the one whose claim holds.
    /// `None` if none or several hold (a run the author did not foresee,
    /// for instance one the student changed).
    pub fn answer(&self, sim: &Sim) -> Option<usize> {
        match self.holding(sim).as_slice() {
            &[one] => Some(one),
            _ => None,
        }
    }
}

/// A question being assembled from its lines, within one step.
#[derive(Default)]
pub(crate) struct QuestionDraft {
    pub(crate) id: Option<String>,
    pub(crate) line: usize,
    pub(crate) prompt: Texts,
    pub(crate) choices: Vec<Choice>,
    pub(crate) reveal: Option<(u64, usize)>,
    pub(crate) explanation: Texts,
    /// Line of the first `choice`, `reveal` or `explain` (an error if no `ask`).
    pub(crate) other_line: Option<usize>,
}

impl QuestionDraft {
    /// The question, checked against its step's moment and the next one's
    /// (`until_us`: the next step's moment, or the lesson's end).
    pub(crate) fn finish(self, at_us: u64, until_us: u64) -> Result<Question, LessonError> {
        let err = |line: usize, message: String| LessonError {
            line,
            column: 1,
            message,
        };
        let Some(id) = self.id else {
            return Err(err(
                self.other_line.unwrap_or(1),
                format!(
                    "no question is asked at {}: `choice`, `reveal` and `explain` belong to an `ask` at the same time",
                    format_duration_us(at_us)
                ),
            ));
        };
        if self.prompt.en.is_empty() {
            return Err(err(
                self.line,
                format!("question {id} needs `ask {id} en \"...\"`"),
            ));
        }
        if !(CHOICES_MIN..=CHOICES_MAX).contains(&self.choices.len()) {
            return Err(err(
                self.line,
                format!(
                    "question {id} offers {} choice(s); a question has {CHOICES_MIN} to {CHOICES_MAX}",
                    self.choices.len()
                ),
            ));
        }
        if self.explanation.en.is_empty() {
            return Err(err(
                self.line,
                format!("question {id} needs `explain en \"...\"`"),
            ));
        }
        let (reveal_us, reveal_line) = self.reveal.unwrap_or((until_us, self.line));
        if reveal_us <= at_us || reveal_us > until_us {
            return Err(err(
                reveal_line,
                format!(
                    "question {id} is revealed at {}: the reveal comes after its step ({}) and no later than the next step or the end ({})",
                    format_duration_us(reveal_us),
                    format_duration_us(at_us),
                    format_duration_us(until_us)
                ),
            ));
        }
        Ok(Question {
            id,
            prompt: self.prompt,
            choices: self.choices,
            reveal_us,
            explanation: self.explanation,
            line: self.line,
        })
    }
}

/// Whether `w` is a question id: lowercase letters, digits and `-`.
pub(crate) fn is_question_id(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= QUESTION_ID_LEN_MAX
        && w.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
}
