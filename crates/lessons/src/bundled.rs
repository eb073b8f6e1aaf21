//! The bundled lessons: the files of the repository's `lessons/` directory.

use super::{Lesson, LessonError};

/// The bundled lessons' ids, in course order. Each is the name of a file
/// in the repository's `lessons/` directory (`ID.lesson`). The browser app
/// ships the files next to the page and fetches them when they are needed,
/// so their text is not part of the wasm download (issue 5's size budget).
pub const BUNDLED_IDS: [&str; 11] = [
    "01-first-election",
    "02-split-votes",
    "03-log-replication",
    "04-leader-crash",
    "05-network-partition",
    "06-log-repair",
    "07-election-restriction",
    "08-commit-current-term",
    "09-majorities",
    "10-membership-change",
    "11-prevote-checkquorum",
];

/// The bundled lesson files compiled in: (id, text), in course order (the
/// `bundled` feature; the CLI and the tests use it, the browser does not).
#[cfg(feature = "bundled")]
pub const BUNDLED: [(&str, &str); 11] = [
    (
        "01-first-election",
        include_str!("../../../lessons/01-first-election.lesson"),
    ),
    (
        "02-split-votes",
        include_str!("../../../lessons/02-split-votes.lesson"),
    ),
    (
        "03-log-replication",
        include_str!("../../../lessons/03-log-replication.lesson"),
    ),
    (
        "04-leader-crash",
        include_str!("../../../lessons/04-leader-crash.lesson"),
    ),
    (
        "05-network-partition",
        include_str!("../../../lessons/05-network-partition.lesson"),
    ),
    (
        "06-log-repair",
        include_str!("../../../lessons/06-log-repair.lesson"),
    ),
    (
        "07-election-restriction",
        include_str!("../../../lessons/07-election-restriction.lesson"),
    ),
    (
        "08-commit-current-term",
        include_str!("../../../lessons/08-commit-current-term.lesson"),
    ),
    (
        "09-majorities",
        include_str!("../../../lessons/09-majorities.lesson"),
    ),
    (
        "10-membership-change",
        include_str!("../../../lessons/10-membership-change.lesson"),
    ),
    (
        "11-prevote-checkquorum",
        include_str!("../../../lessons/11-prevote-checkquorum.lesson"),
    ),
];

/// Parses a bundled lesson's text and names it `id`.
pub fn parse_bundled(id: &str, text: &str) -> Result<Lesson, LessonError> {
    Lesson::parse(text).map(|mut l| {
        l.id = id.to_string();
        l
    })
}

/// The bundled lessons in course order, each with its file name as id. A
/// bundled file that does not parse is left out (the crate's tests make sure
/// none is), so the app never fails to start because of a lesson.
#[cfg(feature = "bundled")]
pub fn all() -> Vec<Lesson> {
    BUNDLED
        .iter()
        .filter_map(|(id, text)| parse_bundled(id, text).ok())
        .collect()
}

/// One bundled lesson by id.
#[cfg(feature = "bundled")]
pub fn by_id(id: &str) -> Option<Lesson> {
    let (id, text) = BUNDLED.iter().find(|(i, _)| *i == id)?;
    parse_bundled(id, text).ok()
}
