//! The arguments of the two lesson lines that tie narration to the canvas:
//! `name N NAME` (the lesson's name for server N, shown beside `S{N}`) and
//! `at TIME focus CLAUSE...` (what a step is about), read with the
//! scenario language's cursor so that errors read like every other line's.
//!
//! ```text
//! name 2 (a)
//! at 500ms focus 1 entry 2 on 1 message AppendEntries from 1
//! ```

use sim::claim::{message_kind, EntryAt, EntryRef, MessageRef, Subjects, MESSAGE_KINDS};
use sim::scenario::Args;

use super::LessonError;

/// Longest server name, in characters: it is drawn in a small tag.
pub const NAME_CHARS_MAX: usize = 8;

/// `NAME` of `name N NAME`: a word or a quoted text of at most
/// [`NAME_CHARS_MAX`] characters, without spaces at its ends.
pub(super) fn server_name(c: &mut Args) -> Result<String, LessonError> {
    let column = c.column();
    let what = "a short name such as `a` or `(a)`";
    let name = if c.peek_is_string() {
        c.quoted(what)?
    } else {
        c.conv(what, |w| Some(w.to_string()))?
    };
    let chars = name.chars().count();
    if name.trim() != name || chars == 0 || chars > NAME_CHARS_MAX {
        return Err(LessonError {
            line: c.line(),
            column,
            message: format!(
                "a server's name has 1 to {NAME_CHARS_MAX} characters and no spaces at its ends"
            ),
        });
    }
    Ok(name)
}

/// `I` or `I-J` (1-based, `I <= J`), or a quoted command.
fn entry_at(c: &mut Args) -> Result<EntryAt, LessonError> {
    if c.peek_is_string() {
        return Ok(EntryAt::Command(c.string()?));
    }
    c.conv(
        "a log index such as `2`, a range such as `1-10`, or a quoted command",
        |w| {
            let (a, b) = w.split_once('-').unwrap_or((w, w));
            let (first, last) = (a.parse().ok()?, b.parse().ok()?);
            (1 <= first && first <= last).then_some(EntryAt::Indexes { first, last })
        },
    )
}

/// `entry AT [on N...]` after `entry`: without `on`, on every server.
fn entries(c: &mut Args) -> Result<EntryRef, LessonError> {
    let at = entry_at(c)?;
    let nodes = if c.eat("on") {
        c.node_list_until_keyword()?
    } else {
        Vec::new()
    };
    Ok(EntryRef { at, nodes })
}

/// `message KIND [from N] [to N]` after `message`.
fn message(c: &mut Args) -> Result<MessageRef, LessonError> {
    let names: Vec<&str> = MESSAGE_KINDS.iter().map(|k| k.name()).collect();
    let kind = c.conv(
        &format!("a message type, one of {}", names.join(", ")),
        message_kind,
    )?;
    let from = if c.eat("from") { Some(c.node()?) } else { None };
    let to = if c.eat("to") { Some(c.node()?) } else { None };
    Ok(MessageRef { kind, from, to })
}

/// The clauses of `focus` to the end of the line: server ids, `entry ...`
/// and `message ...`, in any order, at least one.
pub(super) fn focus_clauses(c: &mut Args) -> Result<Subjects, LessonError> {
    let mut s = Subjects::default();
    while !c.at_end() {
        let mut one = Subjects::default();
        match c.peek_word() {
            Some("entry") => {
                c.advance();
                one.entries.push(entries(c)?);
            }
            Some("message") => {
                c.advance();
                one.messages.push(message(c)?);
            }
            Some(w) if w.parse::<u64>().is_ok() => one.nodes = c.node_list_until_keyword()?,
            _ => return Err(c.expected("server ids, `entry I on N...` or `message KIND`")),
        }
        s.add(one);
    }
    if s.is_empty() {
        return Err(c.expected("server ids, `entry I on N...` or `message KIND`"));
    }
    Ok(s)
}
