//! The code-shape budgets of the workspace, checked on every test run:
//!
//! - no source file (`crates/*/src/**/*.rs`) over [`FILE_LINES_MAX`] lines,
//!   not counting its `#[cfg(test)]` module;
//! - at most [`LONG_FUNCTIONS_MAX`] functions over [`FUNCTION_LINES_MAX`]
//!   lines.
//!
//! Why a test: every next feature lands in the files that are already
//! largest, so a budget that is only measured once grows back. The scan is a
//! small Rust lexer (comments, strings, raw strings, char literals versus
//! lifetimes) that counts braces; it needs no dependency.
//!
//! It lives in the CLI crate because that crate already holds the
//! workspace's tooling; it reads files relative to the workspace root.

use std::fs;
use std::path::{Path, PathBuf};

/// Longest source file, lines, not counting its test module.
const FILE_LINES_MAX: usize = 700;
/// A function longer than this, lines from `fn` to its closing brace, is long.
const FUNCTION_LINES_MAX: usize = 120;
/// How many long functions the workspace may have.
const LONG_FUNCTIONS_MAX: usize = 2;

/// One function found by the scan.
#[derive(Debug)]
struct Function {
    file: PathBuf,
    name: String,
    line: usize,
    lines: usize,
}

/// What the scan measures in one file.
#[derive(Debug, Default)]
struct FileShape {
    /// Lines outside the `#[cfg(test)]` module.
    lines_without_tests: usize,
    functions: Vec<(String, usize, usize)>,
}

/// Text with comments and the contents of string and char literals blanked
/// out (newlines kept), so braces and keywords can be counted naively.
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&b, i) {
            // A raw string r"…" or r#"…"#: no escapes, ends at a quote
            // followed by as many hashes.
            let mut j = i + 1;
            while b.get(j) == Some(&'#') {
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            let mut k = j + 1;
            while k < b.len() && !(b[k] == '"' && (1..=hashes).all(|h| b.get(k + h) == Some(&'#')))
            {
                k += 1;
            }
            let stop = (k + hashes + 1).min(b.len());
            out.extend(b[i..stop].iter().map(|&c| blank(c)));
            i = stop;
        } else if c == '"' {
            let mut k = i + 1;
            while k < b.len() && b[k] != '"' {
                k += if b[k] == '\\' { 2 } else { 1 };
            }
            let stop = (k + 1).min(b.len());
            out.extend(b[i..stop].iter().map(|&c| blank(c)));
            i = stop;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            let literal_end = if next == Some('\\') {
                (i + 3..b.len().min(i + 12)).find(|&j| b[j] == '\'')
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match literal_end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the character before `i` continues an identifier (so `r` is not
/// a raw-string prefix, as in `for"`… or `br"`).
fn ident_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// The name of the function whose signature starts on this line, if any.
fn fn_name(line: &str) -> Option<String> {
    let words: Vec<&str> = line
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| *w == "fn")?;
    // `fn` must open the item: only qualifiers may come before it.
    let qualifiers = [
        "pub", "crate", "super", "self", "in", "const", "async", "unsafe", "extern", "C",
    ];
    if !words[..at].iter().all(|w| qualifiers.contains(w)) {
        return None;
    }
    words.get(at + 1).map(|w| w.to_string())
}

fn shape(src: &str) -> FileShape {
    let code = code_only(src);
    let lines: Vec<&str> = code.lines().collect();
    let mut shape = FileShape::default();
    // Depth of braces at the start of each line.
    let mut depth = 0i64;
    let mut test_module: Option<(usize, i64)> = None;
    let mut test_lines = 0;
    let mut open: Vec<(String, usize, i64)> = Vec::new();
    let mut cfg_test_pending = false;
    for (n, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("#[cfg(test)]") {
            cfg_test_pending = true;
        } else if cfg_test_pending && trimmed.starts_with("mod ") && test_module.is_none() {
            test_module = Some((n, depth));
            cfg_test_pending = false;
        } else if !trimmed.is_empty() && !trimmed.starts_with("#[") {
            cfg_test_pending = false;
        }
        if let Some(name) = fn_name(line) {
            open.push((name, n, depth));
        }
        for ch in line.chars() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if let Some((_, _, d)) = open.last() {
                        if depth == *d {
                            let (name, start, _) = open.pop().unwrap_or_default();
                            shape.functions.push((name, start + 1, n - start + 1));
                        }
                    }
                }
                ';' => {
                    // A signature without a body (a trait method).
                    if let Some((_, start, d)) = open.last() {
                        if depth == *d && *start <= n {
                            open.pop();
                        }
                    }
                }
                _ => {}
            }
        }
        if test_module.is_some() {
            test_lines += 1;
            if let Some((_, d)) = test_module {
                if depth == d && !trimmed.starts_with("mod ") {
                    test_module = None;
                }
            }
        }
    }
    shape.lines_without_tests = src.lines().count() - test_lines;
    shape
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn workspace_sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let Ok(crates) = fs::read_dir(root.join("crates")) else {
        panic!("no crates/ folder next to {}", root.display());
    };
    for krate in crates.flatten() {
        rust_files(&krate.path().join("src"), &mut files);
    }
    files.sort();
    assert!(files.len() > 20, "the scan found too few files: {files:?}");
    files
}

#[test]
fn no_source_file_is_over_the_line_budget() {
    let mut over = Vec::new();
    for file in workspace_sources() {
        let src = fs::read_to_string(&file).unwrap_or_default();
        let lines = shape(&src).lines_without_tests;
        if lines > FILE_LINES_MAX {
            over.push(format!("{} ({lines} lines)", file.display()));
        }
    }
    assert!(
        over.is_empty(),
        "over {FILE_LINES_MAX} lines without the test module:\n{}",
        over.join("\n")
    );
}

#[test]
fn at_most_two_functions_are_over_the_length_budget() {
    let mut long: Vec<Function> = Vec::new();
    for file in workspace_sources() {
        let src = fs::read_to_string(&file).unwrap_or_default();
        for (name, line, lines) in shape(&src).functions {
            if lines > FUNCTION_LINES_MAX {
                long.push(Function {
                    file: file.clone(),
                    name,
                    line,
                    lines,
                });
            }
        }
    }
    let listed: Vec<String> = long
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} ({} lines)",
                f.file.display(),
                f.line,
                f.name,
                f.lines
            )
        })
        .collect();
    assert!(
        long.len() <= LONG_FUNCTIONS_MAX,
        "{} functions over {FUNCTION_LINES_MAX} lines (at most {LONG_FUNCTIONS_MAX}):\n{}",
        long.len(),
        listed.join("\n")
    );
}

#[test]
fn the_scan_measures_functions_and_skips_literals_and_the_test_module() {
    let src = r####"
fn short() {
    let s = "{ not a brace";
    let c = '{';
    let r = r#"}"#;
    // }
}
pub(crate) fn two<'a>(x: &'a str) -> &'a str {
    /* { */
    x
}
trait T {
    fn sig(&self);
}
#[cfg(test)]
mod tests {
    #[test]
    fn t() {}
}
"####;
    let s = shape(src);
    let fns: Vec<(&str, usize)> = s
        .functions
        .iter()
        .map(|(n, _, l)| (n.as_str(), *l))
        .collect();
    assert_eq!(fns, vec![("short", 6), ("two", 4), ("t", 1)]);
    // 19 lines in all (the first is empty); the module, from `mod` to its
    // closing brace, is 4 of them.
    assert_eq!(src.lines().count(), 19);
    assert_eq!(s.lines_without_tests, 15);
}
