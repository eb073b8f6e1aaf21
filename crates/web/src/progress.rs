//! What a student has done, as the page keeps it in localStorage under one
//! key ([`KEY`]): answers to lesson questions, completed lessons, and the
//! address of each lesson opened from a link (for the review's links).
//! Plain Rust, tested natively; the DOM layer (`lessons_ui::scores`) reads
//! and writes the text.
//!
//! The text is a small versioned line format, one fact a line:
//!
//! ```text
//! raftlab-progress 1
//! answer 01-first-election who-wins 0 1 400000
//! done 01-first-election
//! url asks-fixture https%3A%2F%2Fexample.org%2Fasks.lesson
//! ```
//!
//! `answer LESSON QUESTION PICKED RIGHT AT_US` (choices 0-based; AT_US the
//! question's step, µs), `done LESSON`, `url LESSON PERCENT-ENCODED-URL`.
//! Text without the header (another version, another program's value) is
//! ignored as a whole; a line that does not read is skipped. Nothing here
//! panics on any input.

use crate::params::{percent_decode, percent_encode};

/// The localStorage key.
pub const KEY: &str = "raftlab.progress";
/// The first line: the format and its version.
const HEADER: &str = "raftlab-progress 1";
/// At most this many lines are read (a bound on work for foreign text).
pub const LINES_MAX: usize = 4000;
/// Longest lesson or question id kept (the lesson parser allows 64).
const ID_LEN_MAX: usize = 64;
/// Longest (encoded) lesson URL kept.
const URL_LEN_MAX: usize = 2048;

/// One graded answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The lesson's id.
    pub lesson: String,
    /// The question's id.
    pub question: String,
    /// The choice picked (0-based).
    pub picked: usize,
    /// The choice the run showed to be right (0-based).
    pub right: usize,
    /// The moment of the question's step, µs (the review's link goes there).
    pub at_us: u64,
}

impl Saved {
    /// Whether the pick was right.
    pub fn correct(&self) -> bool {
        self.picked == self.right
    }
}

/// Everything remembered.
///
/// Invariant: at most one answer per (lesson, question), one `done` per
/// lesson and one URL per lesson; every id passes `is_id`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Graded answers, oldest first.
    pub answers: Vec<Saved>,
    /// Completed lessons.
    pub done: Vec<String>,
    /// (lesson id, the URL it was opened from).
    pub urls: Vec<(String, String)>,
}

/// Lesson and question ids: lowercase letters, digits and `-`.
fn is_id(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= ID_LEN_MAX
        && w.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn small(w: &str) -> Option<usize> {
    w.parse::<usize>()
        .ok()
        .filter(|&n| n < lessons::CHOICES_MAX)
}

impl Progress {
    /// Reads the stored text; anything it does not understand is left out.
    pub fn parse(text: &str) -> Progress {
        let mut p = Progress::default();
        let mut lines = text.lines().take(LINES_MAX);
        if lines.next().map(str::trim) != Some(HEADER) {
            return p;
        }
        for line in lines {
            // Written with single spaces (`to_text`); other text is foreign.
            let w: Vec<&str> = line.split(' ').collect();
            match w.as_slice() {
                ["answer", lesson, question, picked, right, at]
                    if is_id(lesson) && is_id(question) =>
                {
                    if let (Some(picked), Some(right), Ok(at_us)) =
                        (small(picked), small(right), at.parse::<u64>())
                    {
                        p.record(Saved {
                            lesson: lesson.to_string(),
                            question: question.to_string(),
                            picked,
                            right,
                            at_us,
                        });
                    }
                }
                ["done", lesson] if is_id(lesson) => p.complete(lesson),
                ["url", lesson, url] if is_id(lesson) && url.len() <= URL_LEN_MAX => {
                    p.set_url(lesson, &percent_decode(url))
                }
                _ => {}
            }
        }
        p
    }

    /// The text to store (parses back to the same value).
    pub fn to_text(&self) -> String {
        let mut s = String::from(HEADER);
        let mut line = |words: &[&str]| {
            s.push('\n');
            s.push_str(&words.join(" "));
        };
        for a in &self.answers {
            let [p, r, t] = [a.picked as u64, a.right as u64, a.at_us].map(|n| n.to_string());
            line(&["answer", &a.lesson, &a.question, &p, &r, &t]);
        }
        for d in &self.done {
            line(&["done", d]);
        }
        for (id, url) in &self.urls {
            line(&["url", id, &percent_encode(url)]);
        }
        s
    }

    /// Keeps `a`, replacing an earlier answer to the same question.
    pub fn record(&mut self, a: Saved) {
        if !is_id(&a.lesson) || !is_id(&a.question) {
            return;
        }
        match self
            .answers
            .iter_mut()
            .find(|o| o.lesson == a.lesson && o.question == a.question)
        {
            Some(old) => *old = a,
            None => self.answers.push(a),
        }
    }

    /// Marks lesson `id` completed.
    pub fn complete(&mut self, id: &str) {
        if is_id(id) && !self.is_done(id) {
            self.done.push(id.to_string());
        }
    }

    /// Remembers where lesson `id` was opened from (the latest address).
    pub fn set_url(&mut self, id: &str, url: &str) {
        if !is_id(id) || url.trim().is_empty() || percent_encode(url).len() > URL_LEN_MAX {
            return;
        }
        match self.urls.iter_mut().find(|(i, _)| i == id) {
            Some(old) => old.1 = url.to_string(),
            None => self.urls.push((id.to_string(), url.to_string())),
        }
    }

    /// Where lesson `id` was opened from, if from a URL.
    pub fn url(&self, id: &str) -> Option<&str> {
        self.urls
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, u)| u.as_str())
    }

    /// Whether lesson `id` was completed.
    pub fn is_done(&self, id: &str) -> bool {
        self.done.iter().any(|d| d == id)
    }

    /// The saved answers of lesson `id`.
    pub fn of_lesson<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Saved> + 'a {
        self.answers.iter().filter(move |a| a.lesson == id)
    }

    /// (right, asked) for lesson `id`.
    pub fn score(&self, id: &str) -> (usize, usize) {
        self.of_lesson(id)
            .fold((0, 0), |(r, n), a| (r + usize::from(a.correct()), n + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(lesson: &str, question: &str, picked: usize, right: usize) -> Saved {
        Saved {
            lesson: lesson.into(),
            question: question.into(),
            picked,
            right,
            at_us: 191_000,
        }
    }

    #[test]
    fn progress_round_trips_through_its_text() {
        let mut p = Progress::default();
        p.record(saved("01-first-election", "who-wins", 0, 1));
        p.record(saved("asks-fixture", "first-leader", 0, 0));
        p.complete("asks-fixture");
        p.set_url("asks-fixture", "http://h/fixtures/a b.lesson?x=1&y=2");
        let text = p.to_text();
        assert!(
            text.starts_with("raftlab-progress 1\nanswer 01-first-election who-wins 0 1 191000\n"),
            "{text}"
        );
        assert!(!text.contains(" \n") && !text.contains("  "), "{text:?}");
        assert_eq!(Progress::parse(&text), p);
        assert_eq!(p.score("asks-fixture"), (1, 1));
        assert_eq!(p.score("01-first-election"), (0, 1));
        assert_eq!(p.score("nope"), (0, 0));
        assert!(p.is_done("asks-fixture") && !p.is_done("01-first-election"));
        assert_eq!(
            p.url("asks-fixture"),
            Some("http://h/fixtures/a b.lesson?x=1&y=2")
        );
    }

    #[test]
    fn a_new_answer_replaces_the_old_one_to_the_same_question() {
        let mut p = Progress::default();
        p.record(saved("l", "q", 0, 1));
        p.record(saved("l", "q", 1, 1));
        p.complete("l");
        p.complete("l");
        assert_eq!(p.answers, vec![saved("l", "q", 1, 1)]);
        assert_eq!(p.done.len(), 1);
    }

    #[test]
    fn foreign_or_bad_progress_text_is_ignored_without_a_panic() {
        let empty = Progress::default();
        for text in [
            "",
            "\n\n",
            "{\"json\":true}",
            "raftlab-progress 2\ndone x",
            "done x\nraftlab-progress 1",
            "\u{0}\u{ffff}",
        ] {
            assert_eq!(Progress::parse(text), empty, "{text:?}");
        }
        let p = Progress::parse(
            "raftlab-progress 1\n\
             answer l q 0 1 5\n\
             answer L q 0 1 5\n\
             answer l q2 9 1 5\n\
             answer l q3 0 1 -5\n\
             answer l q4 0 1\n\
             answer l q5 0 1 5 extra\n\
             done\n\
             done a/b\n\
             url x\n\
             what is this\n\
             done ok",
        );
        assert_eq!(
            p.answers,
            vec![Saved {
                at_us: 5,
                ..saved("l", "q", 0, 1)
            }]
        );
        assert_eq!(p.done, vec!["ok".to_string()]);
        assert!(p.urls.is_empty());
        // A huge value reads at most LINES_MAX lines.
        let big = format!("{HEADER}\n{}", "done a\n".repeat(LINES_MAX * 2));
        assert_eq!(Progress::parse(&big).done, vec!["a".to_string()]);
    }
}
