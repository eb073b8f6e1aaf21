//! The rule panel's text, read from the fetched file `www/rules/rules.txt`
//! (kept out of the wasm: ~6 KB gzipped), and the panel's HTML built from
//! it. The file's format is written at its top; its rule lines follow
//! `raft::Rule::ALL`, so the n-th rule line is the n-th rule.

use raft::Rule;

use crate::dom::esc;
use crate::i18n::Lang;

/// One line of the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A group heading, as the paper groups its rules: (English, 简体中文).
    Heading(String, String),
    /// A rule: its position in `Rule::ALL`, its name, and (English
    /// reference, English text, 中文出处, 中文说明).
    Rule(usize, String, [String; 4]),
}

/// The parsed file. Invariant: exactly one rule line per `Rule::ALL` entry,
/// in that order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    /// The lines in the file's order.
    pub lines: Vec<Line>,
}

/// Reads the file; `Err(line number)` for a malformed line, or 0 when it
/// does not hold one line per rule.
pub fn parse(text: &str) -> Result<Texts, usize> {
    let mut lines = Vec::new();
    let mut rules = 0;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<String> = line
            .trim_start_matches("==")
            .split(" | ")
            .map(|f| f.trim().to_string())
            .collect();
        match (
            line.starts_with("=="),
            <[String; 2]>::try_from(fields.clone()),
        ) {
            (true, Ok([en, zh])) => lines.push(Line::Heading(en, zh)),
            (true, Err(_)) => return Err(n + 1),
            (false, _) => {
                let mut f = fields.into_iter();
                let name = f.next().unwrap_or_default();
                let texts: Vec<String> = f.collect();
                let texts = <[String; 4]>::try_from(texts).map_err(|_| n + 1)?;
                lines.push(Line::Rule(rules, name, texts));
                rules += 1;
            }
        }
    }
    if rules == Rule::ALL.len() {
        Ok(Texts { lines })
    } else {
        Err(0)
    }
}

/// The position of `rule` in `Rule::ALL`: its line's `data-rule`.
pub fn rule_index(rule: Rule) -> usize {
    Rule::ALL
        .iter()
        .position(|r| *r == rule)
        .unwrap_or(usize::MAX)
}

/// The panel's list in `lang`: a heading per group, then one item per
/// rule (`data-rule` = its position in `Rule::ALL`) with its reference.
pub fn html(texts: &Texts, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut h = String::new();
    let mut open = false;
    for line in &texts.lines {
        match line {
            Line::Heading(en, cn) => {
                if open {
                    h.push_str("</ul>");
                }
                h.push_str(&format!("<h3>{}</h3><ul>", esc(if zh { cn } else { en })));
                open = true;
            }
            Line::Rule(i, _, [en_ref, en, zh_ref, cn]) => {
                if !open {
                    h.push_str("<ul>");
                    open = true;
                }
                let (r, text) = if zh { (zh_ref, cn) } else { (en_ref, en) };
                h.push_str(&format!(
                    "<li data-rule=\"{i}\"><small>{}</small>{}</li>",
                    esc(r),
                    esc(text)
                ));
            }
        }
    }
    if open {
        h.push_str("</ul>");
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/rules/rules.txt");
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// Every `Rule` has its line in the fetched file, in `Rule::ALL`'s
    /// order, named in kebab case as serde names it, with the reference `raft` gives in
    /// English and a text in both languages.
    #[test]
    fn every_rule_has_a_line_in_both_languages() {
        let texts = parse(&file()).expect("the rules file parses");
        let rules: Vec<&Line> = texts
            .lines
            .iter()
            .filter(|l| matches!(l, Line::Rule(..)))
            .collect();
        assert_eq!(rules.len(), Rule::ALL.len());
        for (rule, line) in Rule::ALL.iter().zip(rules) {
            let Line::Rule(i, name, [en_ref, en, zh_ref, zh]) = line else {
                unreachable!()
            };
            assert_eq!(*i, rule_index(*rule));
            let camel: String = name
                .split('-')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert_eq!(camel, format!("{rule:?}"), "line of {rule:?}");
            assert_eq!(en_ref, rule.reference(), "{rule:?}");
            for text in [en, zh_ref, zh] {
                assert!(!text.is_empty(), "{rule:?}");
            }
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{rule:?}: Chinese text"
            );
        }
    }

    /// The Chinese texts name only the paper's own words in English, or
    /// gloss a term in full-width parentheses (日志（log[]）), as the
    /// Chinese page's browser test allows.
    #[test]
    fn chinese_rule_texts_use_only_the_papers_names() {
        const NAMES: &[&str] = &[
            "currentTerm",
            "votedFor",
            "commitIndex",
            "lastApplied",
            "nextIndex",
            "matchIndex",
            "RequestVote",
            "AppendEntries",
            "InstallSnapshot",
            "TimeoutNow",
            "prevLogTerm",
            "prevLogIndex",
            "leaderCommit",
            "CheckQuorum",
            "Raft",
            "N",
            "T",
        ];
        let texts = parse(&file()).expect("the rules file parses");
        for line in &texts.lines {
            let zh = match line {
                Line::Heading(_, zh) => vec![zh.as_str()],
                Line::Rule(_, _, [_, _, r, t]) => vec![r.as_str(), t.as_str()],
            };
            for text in zh {
                let mut prose = String::new();
                for (k, part) in text.split('（').enumerate() {
                    let outside = if k == 0 {
                        Some(part)
                    } else {
                        part.split_once('）').map(|p| p.1)
                    };
                    prose.push_str(outside.unwrap_or(""));
                    prose.push(' ');
                }
                for word in prose
                    .split(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
                    .filter(|w| !w.is_empty())
                {
                    assert!(NAMES.contains(&word), "{word:?} in {text}");
                }
            }
        }
    }

    /// A line with a missing field is reported by its number; a file
    /// without every rule is refused as a whole.
    #[test]
    fn a_malformed_rules_file_names_its_line() {
        assert_eq!(parse("== A | B\nx | y | z"), Err(2));
        assert_eq!(parse("== A | B\n"), Err(0));
    }

    /// The HTML lists each rule under its heading with its reference.
    #[test]
    fn the_panel_lists_each_rule_with_its_reference() {
        let texts = parse(&file()).expect("the rules file parses");
        let en = html(&texts, Lang::En);
        assert!(en.contains(
            "<li data-rule=\"7\"><small>Figure 2, AppendEntries RPC, receiver rule 3</small>If an existing entry conflicts"
        ));
        let zh = html(&texts, Lang::Zh);
        assert!(zh.contains("<h3>图 2 · AppendEntries 远程调用（RPC）</h3>"));
        assert!(zh.contains("删除这条冲突的记录及其后的所有记录"));
    }
}
