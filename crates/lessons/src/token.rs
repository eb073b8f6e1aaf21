//! A small tokenizer for narration lines: words and quoted strings, `#`
//! starts a comment. It follows the scenario language's lexical rules
//! (same escapes, same 1-based character columns) so that one file reads as
//! one language.

use crate::LessonError;

/// One token's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A bare word (`expect`, `1.2s`, `3`).
    Word(String),
    /// A quoted string, escapes resolved.
    Str(String),
}

/// A token and the 1-based column of its first character.
#[derive(Clone, Debug)]
pub(crate) struct Tok {
    pub kind: Kind,
    pub column: usize,
}

impl Tok {
    /// The word, if this token is one.
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            Kind::Word(w) => Some(w),
            Kind::Str(_) => None,
        }
    }
}

/// Human description of a token for "expected X, found Y" messages.
pub(crate) fn describe(tok: Option<&Tok>) -> String {
    match tok.map(|t| &t.kind) {
        Some(Kind::Word(w)) => format!("`{w}`"),
        Some(Kind::Str(s)) => format!("the string \"{s}\""),
        None => "the end of the line".into(),
    }
}

/// Splits one line into tokens. `|` is a word character here: narration
/// lines never use it, and scenario lines are handed to sim unchanged.
pub(crate) fn tokenize(line_no: usize, line: &str) -> Result<Vec<Tok>, LessonError> {
    let chars: Vec<char> = line.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let err = |column: usize, message: &str| LessonError {
        line: line_no,
        column,
        message: message.into(),
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            break;
        } else if c == '"' {
            let start = i;
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(err(
                            start + 1,
                            "unterminated string: expected a closing `\"`",
                        ))
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        let esc = match chars.get(i + 1) {
                            Some('"') => '"',
                            Some('\\') => '\\',
                            Some('n') => '\n',
                            Some('t') => '\t',
                            _ => {
                                return Err(err(
                                    i + 1,
                                    "unknown escape: expected \\\" \\\\ \\n or \\t",
                                ))
                            }
                        };
                        s.push(esc);
                        i += 2;
                    }
                    Some(&ch) => {
                        s.push(ch);
                        i += 1;
                    }
                }
            }
            toks.push(Tok {
                kind: Kind::Str(s),
                column: start + 1,
            });
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '#' | '"') {
                i += 1;
            }
            toks.push(Tok {
                kind: Kind::Word(chars[start..i].iter().collect()),
                column: start + 1,
            });
        }
    }
    Ok(toks)
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
        self.toks.get(self.pos).and_then(Tok::word)
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
            Some(Kind::Str(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// Whether the next token is a quoted string.
    pub fn peek_is_string(&self) -> bool {
        matches!(self.toks.get(self.pos).map(|t| &t.kind), Some(Kind::Str(_)))
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
