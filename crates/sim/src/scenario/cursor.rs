//! [`Args`]: the cursor every directive's parse function reads its line
//! with (and the claim parser and the lessons crate's narration lines too).

use super::lexer::{describe, Tok, TokKind};
use super::types::ParseError;
use super::{NodeId, CMD_LEN_MAX, NODE_ID_MAX};
use crate::units::{parse_duration_us, parse_percent, Ppm};

/// The arguments of one directive, consumed left to right by its parse
/// function: a cursor over one line's tokens. The claim parser
/// ([`crate::claim`]) and the lesson files' narration lines (crates/lessons)
/// read their lines with it too, so that every text in the language gives the
/// same messages. Every node id read with [`Args::node`] is remembered with
/// its column ([`Args::named_nodes`]): the parser checks that it names a
/// server that exists.
pub struct Args {
    pub(crate) line: usize,
    pub(crate) toks: Vec<Tok>,
    pub(crate) pos: usize,
    /// Column just past the line's end, for "expected X at end of line".
    pub(crate) end_column: usize,
    /// The directive's name (for messages).
    pub(crate) name: &'static str,
    /// Every node id read so far, with its column.
    pub(crate) named: Vec<(NodeId, usize)>,
}

impl Args {
    /// A cursor at the first of `toks` (one line, `line_no`, whose text is
    /// `end_column - 1` characters long); messages name the directive `name`.
    pub fn new(line_no: usize, toks: Vec<Tok>, end_column: usize, name: &'static str) -> Args {
        Args {
            line: line_no,
            toks,
            pos: 0,
            end_column,
            name,
            named: Vec::new(),
        }
    }

    /// The 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Names the directive being read, for messages (`` `say` expects ... ``).
    pub fn set_name(&mut self, name: &'static str) {
        self.name = name;
    }

    /// Column of the next token (or just past the end of the line).
    pub fn column(&self) -> usize {
        self.toks
            .get(self.pos)
            .map_or(self.end_column, |t| t.column)
    }

    /// An error at the next token.
    pub fn error(&self, message: String) -> ParseError {
        ParseError {
            line: self.line,
            column: self.column(),
            message,
        }
    }

    /// "`name` expects WHAT, found X", at the next token.
    pub fn expected(&self, what: &str) -> ParseError {
        let found = match self.toks.get(self.pos) {
            Some(t) => describe(&t.kind),
            None => "the end of the line".into(),
        };
        self.error(format!("`{}` expects {what}, found {found}", self.name))
    }

    /// The next token if it is a word, without consuming it.
    pub fn peek_word(&self) -> Option<&str> {
        match self.toks.get(self.pos).map(|t| &t.kind) {
            Some(TokKind::Word(w)) => Some(w),
            _ => None,
        }
    }

    /// Whether the next token is a quoted string.
    pub fn peek_is_string(&self) -> bool {
        matches!(
            self.toks.get(self.pos).map(|t| &t.kind),
            Some(TokKind::Str(_))
        )
    }

    /// Whether every token was consumed.
    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Skips the next token (one the caller has already looked at).
    pub fn advance(&mut self) {
        self.pos = (self.pos + 1).min(self.toks.len());
    }

    /// Consumes the next token if it is the word `w`.
    pub fn eat(&mut self, w: &str) -> bool {
        if self.peek_word() == Some(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Next word, converted by `f`; on `None` the error says `what` was expected.
    pub fn conv<T>(
        &mut self,
        what: &str,
        f: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, ParseError> {
        match self.peek_word().and_then(f) {
            Some(v) => {
                self.pos += 1;
                Ok(v)
            }
            None => Err(self.expected(what)),
        }
    }

    /// A duration such as `150ms`.
    pub fn duration(&mut self) -> Result<u64, ParseError> {
        self.conv("a duration such as `150ms` or `1.5s`", parse_duration_us)
    }

    pub(super) fn percent(&mut self) -> Result<Ppm, ParseError> {
        self.conv(
            "a percentage such as `0%` or `2.5%` (at most 100%)",
            parse_percent,
        )
    }

    pub(super) fn on_off(&mut self) -> Result<bool, ParseError> {
        self.conv("`on` or `off`", |w| match w {
            "on" => Some(true),
            "off" => Some(false),
            _ => None,
        })
    }

    /// A node id (1..=[`NODE_ID_MAX`]), remembered with its column.
    pub fn node(&mut self) -> Result<NodeId, ParseError> {
        let column = self.column();
        let n = self.conv(&format!("a node id (1..={NODE_ID_MAX})"), |w| {
            w.parse::<NodeId>()
                .ok()
                .filter(|n| (1..=NODE_ID_MAX).contains(n))
        })?;
        self.named.push((n, column));
        Ok(n)
    }

    /// An unsigned number; the error says `what` was expected.
    pub fn u64(&mut self, what: &str) -> Result<u64, ParseError> {
        self.conv(what, |w| w.parse::<u64>().ok())
    }

    /// A quoted client command (at most [`CMD_LEN_MAX`] bytes).
    pub fn string(&mut self) -> Result<String, ParseError> {
        match self.toks.get(self.pos).map(|t| t.kind.clone()) {
            Some(TokKind::Str(s)) => {
                if s.len() > CMD_LEN_MAX {
                    return Err(
                        self.error(format!("the command is longer than {CMD_LEN_MAX} bytes"))
                    );
                }
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.expected("a quoted command such as \"set a=5\"")),
        }
    }

    /// Any quoted string (the caller limits its length); the error says
    /// `what` was expected.
    pub fn quoted(&mut self, what: &str) -> Result<String, ParseError> {
        match self.toks.get(self.pos).map(|t| &t.kind) {
            Some(TokKind::Str(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// One or more distinct node ids up to the end of the line or a `|`.
    pub fn node_list(&mut self) -> Result<Vec<NodeId>, ParseError> {
        self.nodes_while(|_| true)
    }

    /// One or more distinct node ids up to the end of the line or the first
    /// word that is not a number (the keyword after them: `leader 1 2 term 3`).
    pub fn node_list_until_keyword(&mut self) -> Result<Vec<NodeId>, ParseError> {
        self.nodes_while(|w| w.parse::<u64>().is_ok())
    }

    fn nodes_while(&mut self, more: impl Fn(&str) -> bool) -> Result<Vec<NodeId>, ParseError> {
        let mut nodes: Vec<NodeId> = Vec::new();
        while self.peek_word().is_some_and(&more) {
            let column = self.column();
            let n = self.node()?;
            if nodes.contains(&n) {
                return Err(ParseError {
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

    pub(super) fn is_bar(&self) -> bool {
        matches!(self.toks.get(self.pos).map(|t| &t.kind), Some(TokKind::Bar))
    }

    /// An error unless every token was consumed.
    pub fn finish(&self) -> Result<(), ParseError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.expected("nothing more on this line"))
        }
    }

    /// Every node id read so far with [`Args::node`], with its column, in
    /// the order read.
    pub fn named_nodes(&self) -> &[(NodeId, usize)] {
        &self.named
    }
}
