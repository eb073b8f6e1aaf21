//! The lexer: one line of the scenario language into tokens (words, quoted
//! strings, `|`), with columns for messages.

use super::types::ParseError;

/// What a token is. The lexical rules are shared by every text in the
/// scenario language, including the lesson files' narration lines
/// (crates/lessons uses [`tokenize`] too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokKind {
    /// A bare word: a directive, a number, a duration (`1.2s`).
    Word(String),
    /// A quoted string, escapes (`\"`, `\\`, `\n`, `\t`) resolved.
    Str(String),
    /// `|`, the separator of partition groups.
    Bar,
}

/// A token and where it starts.
#[derive(Clone, Debug)]
pub struct Tok {
    /// What the token is.
    pub kind: TokKind,
    /// 1-based column of the token's first character.
    pub column: usize,
}

/// How a token is named in "expected X, found Y" messages.
pub fn describe(kind: &TokKind) -> String {
    match kind {
        TokKind::Word(w) => format!("`{w}`"),
        TokKind::Str(s) => format!("the string \"{s}\""),
        TokKind::Bar => "`|`".into(),
    }
}

/// Splits one line into tokens; `#` outside a string starts a comment.
/// `line_no` is only used for the error's position.
pub fn tokenize(line_no: usize, line: &str) -> Result<Vec<Tok>, ParseError> {
    let chars: Vec<char> = line.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let err = |column: usize, message: String| ParseError {
        line: line_no,
        column,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            break;
        } else if c == '|' {
            toks.push(Tok {
                kind: TokKind::Bar,
                column: i + 1,
            });
            i += 1;
        } else if c == '"' {
            let start = i;
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(err(
                            start + 1,
                            "unterminated string: expected a closing `\"`".into(),
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
                                    "unknown escape: expected \\\" \\\\ \\n or \\t".into(),
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
                kind: TokKind::Str(s),
                column: start + 1,
            });
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '#' | '|' | '"')
            {
                i += 1;
            }
            toks.push(Tok {
                kind: TokKind::Word(chars[start..i].iter().collect()),
                column: start + 1,
            });
        }
    }
    Ok(toks)
}
