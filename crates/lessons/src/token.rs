//! Narration lines are lexed by the scenario language's own tokenizer
//! (`sim::scenario::tokenize`); this module adds a cursor for parsing them.

use crate::LessonError;

use sim::scenario::{Tok, TokKind};

/// Human description of a token for "expected X, found Y" messages.
pub(crate) fn describe(tok: Option<&Tok>) -> String {
    tok.map_or_else(
        || "the end of the line".into(),
        |t| sim::scenario::describe(&t.kind),
    )
}

/// Splits one line into tokens with the scenario language's own lexer, so
/// that one file reads as one language (same strings, escapes, comments and
/// columns).
pub(crate) fn tokenize(line_no: usize, line: &str) -> Result<Vec<Tok>, LessonError> {
    sim::scenario::tokenize(line_no, line).map_err(|e| LessonError {
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// The word, if the token is one.
pub(crate) fn word(tok: &Tok) -> Option<&str> {
    match &tok.kind {
        TokKind::Word(w) => Some(w),
        _ => None,
    }
}

/// A cursor over one line's tokens, consumed left to right.
pub(crate) struct Cursor {
    pub line: usize,
    pub toks: Vec<Tok>,
    pub pos: usize,
    /// Column just past the end of the line.
    pub end_column: usize,
    /// The directive being parsed, for messages.
    pub name: &'static str,
}

impl Cursor {
    /// Column of the next token (or the end of the line).
    pub fn column(&self) -> usize {
        self.toks
            .get(self.pos)
            .map_or(self.end_column, |t| t.column)
    }

    /// An error at the next token.
    pub fn error(&self, message: String) -> LessonError {
        LessonError {
            line: self.line,
            column: self.column(),
            message,
        }
    }

    /// "`name` expects WHAT, found X".
    pub fn expected(&self, what: &str) -> LessonError {
        self.error(format!(
            "`{}` expects {what}, found {}",
            self.name,
            describe(self.toks.get(self.pos))
        ))
    }

    /// The next word without consuming it.
    pub fn peek_word(&self) -> Option<&str> {
        self.toks.get(self.pos).and_then(word)
    }

    /// Whether every token was consumed.
    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Consumes the next word if it equals `w`.
    pub fn eat(&mut self, w: &str) -> bool {
        if self.peek_word() == Some(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Next word converted by `f`; on `None` the error says `what` was expected.
    pub fn conv<T>(
        &mut self,
        what: &str,
        f: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, LessonError> {
        match self.peek_word().and_then(f) {
            Some(v) => {
                self.pos += 1;
                Ok(v)
            }
            None => Err(self.expected(what)),
        }
    }

    /// A quoted string.
    pub fn string(&mut self, what: &str) -> Result<String, LessonError> {
        match self.toks.get(self.pos).map(|t| &t.kind) {
            Some(TokKind::Str(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// Whether the next token is a quoted string.
    pub fn peek_is_string(&self) -> bool {
        matches!(
            self.toks.get(self.pos).map(|t| &t.kind),
            Some(TokKind::Str(_))
        )
    }

    /// A node id (1..=sim's NODE_ID_MAX).
    pub fn node(&mut self) -> Result<u32, LessonError> {
        let max = sim::scenario::NODE_ID_MAX;
        self.conv(&format!("a node id (1..={max})"), |w| {
            w.parse::<u32>().ok().filter(|n| (1..=max).contains(n))
        })
    }

    /// An unsigned number.
    pub fn u64(&mut self, what: &str) -> Result<u64, LessonError> {
        self.conv(what, |w| w.parse::<u64>().ok())
    }

    /// One or more node ids, up to the end of the line or a non-number.
    pub fn node_list(&mut self) -> Result<Vec<u32>, LessonError> {
        let mut nodes = Vec::new();
        while self.peek_word().is_some_and(|w| w.parse::<u32>().is_ok()) {
            let column = self.column();
            let n = self.node()?;
            if nodes.contains(&n) {
                return Err(LessonError {
                    line: self.line,
                    column,
                    message: format!("node {n} is named twice"),
                });
            }
            nodes.push(n);
        }
        if nodes.is_empty() {
            return Err(self.expected("one or more node ids"));
        }
        Ok(nodes)
    }

    /// Error unless every token was consumed.
    pub fn finish(&self) -> Result<(), LessonError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.expected("nothing more on this line"))
        }
    }
}
