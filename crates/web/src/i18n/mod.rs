//! Every visible string in English and 简体中文, and the sentences built
//! from them.
//!
//! One table of `(key, en, zh)` ([`TABLE`], in `table.rs`). Static HTML
//! refers to keys with `data-i18n` (text), `data-i18n-title` (tooltip, and
//! aria-label where the element has no `data-i18n` text) and `data-i18n-ph`
//! (placeholder); Rust code calls [`t`] and [`tf`]. Unit tests check that every key used in `www/index.html` is in
//! the table, that no entry is empty in either language, and that a Chinese
//! page shows no English words beyond the paper's names (`no_english.rs`).
//!
//! The table is keyed by strings rather than by an enum: the HTML must name
//! its keys as strings anyway, and one flat table keeps every text where a
//! translator looks for it. The tests stand in for the compiler's check
//! that a key exists.
//!
//! The sentences built from the table live beside it, one closed set per
//! module: `reasons` (drop reasons, client and change results, raft's
//! rejection and step-down reasons, the simulator's notes), `directives`
//! (settings, membership changes, configurations), `claims`, `violations`
//! and `words` (membership roles, message summaries and fields).

pub mod claims;
pub mod directives;
pub mod reasons;
mod table;
pub mod violations;
pub mod words;

#[cfg(test)]
mod no_english;

pub use table::TABLE;

/// A user interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Parses `en`, `zh`, `zh-CN`, `zh-Hans` … (case-insensitive); `None` otherwise.
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_ascii_lowercase();
        if t == "en" || t.starts_with("en-") {
            Some(Lang::En)
        } else if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
            Some(Lang::Zh)
        } else {
            None
        }
    }
    /// The code stored in localStorage and used in `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
    /// The short code (`en`, `zh`).
    pub fn short(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// The text for `key` in `lang`, if the table has the key. Chinese not
/// loaded yet (the page, before `load_zh`) reads as English.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let i = TABLE.iter().position(|e| e.0 == key)?;
    let (_, en, zh) = TABLE[i];
    Some(match lang {
        Lang::En => en,
        Lang::Zh => chinese(i, zh).unwrap_or(en),
    })
}

/// The Chinese text of entry `i`: natively the table's own column; in the
/// page, the fetched file's (see `table.rs`).
#[cfg(not(target_arch = "wasm32"))]
fn chinese(_i: usize, zh: &'static str) -> Option<&'static str> {
    Some(zh)
}

#[cfg(target_arch = "wasm32")]
fn chinese(i: usize, _zh: &'static str) -> Option<&'static str> {
    ZH.get().and_then(|texts| texts.get(i).copied())
}

/// The Chinese column, in table order, once `load_zh` has read it.
#[cfg(target_arch = "wasm32")]
static ZH: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// Whether Chinese text is at hand (natively it always is).
pub fn zh_loaded() -> bool {
    #[cfg(target_arch = "wasm32")]
    return ZH.get().is_some();
    #[cfg(not(target_arch = "wasm32"))]
    true
}

/// Takes the fetched `i18n/zh.txt` (see [`zh_file`]). The text lives as
/// long as the page, so it is leaked once rather than copied per string. A
/// key the file lacks reads as English.
#[cfg(target_arch = "wasm32")]
pub fn load_zh(text: String) {
    let text: &'static str = Box::leak(text.into_boxed_str());
    let _ = ZH.set(parse_zh(text));
}

/// Natively the table holds its Chinese column: nothing to load.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_zh(_text: String) {}

/// The Chinese column of the table as the file the page fetches: one line
/// per entry, `key` TAB `text`, in table order.
pub fn zh_file() -> String {
    TABLE
        .iter()
        .map(|(key, _, zh)| format!("{key}\t{zh}\n"))
        .collect()
}

/// The Chinese texts of `file` (see [`zh_file`]) in table order, found by
/// key; a key the file lacks gets its English text.
pub fn parse_zh(file: &str) -> Vec<&str> {
    TABLE
        .iter()
        .map(|&(key, en, _)| {
            file.lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix('\t'))
                .unwrap_or(en)
        })
        .collect()
}

thread_local! {
    /// Missing keys asked for so far, each kept once (see [`t`]).
    static MISSING: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The text for `key` in `lang`; the key itself if it is missing (tests make
/// sure no key used by the code is missing, and a key on the Chinese page
/// fails the no-English test).
///
/// A missing key is copied into a `'static` string once per distinct key,
/// so callers may pass a key built on the fly; the copies are bounded by
/// the keys the code can name.
pub fn t(lang: Lang, key: &str) -> &'static str {
    if let Some(text) = lookup(lang, key) {
        return text;
    }
    MISSING.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(k) = m.iter().find(|k| **k == key) {
            return *k;
        }
        let k: &'static str = Box::leak(key.to_string().into_boxed_str());
        m.push(k);
        k
    })
}

/// One piece of a template: literal text, or the place of an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Arg(usize),
}

/// The pieces of a template. `{}` is the next argument (counting only
/// `{}`s), `{N}` (one digit) is argument N: a translation can put the
/// arguments in another order. Any other brace is text.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut next = 0;
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let tail = &rest[i + 1..];
        let (arg, len) = if tail.starts_with('}') {
            next += 1;
            (Some(next - 1), 2)
        } else {
            let mut cs = tail.chars();
            match (cs.next(), cs.next()) {
                (Some(d @ '0'..='9'), Some('}')) => (Some(d as usize - '0' as usize), 3),
                _ => (None, 1),
            }
        };
        match arg {
            Some(a) => {
                if i > 0 {
                    out.push(Piece::Text(&rest[..i]));
                }
                out.push(Piece::Arg(a));
            }
            None => out.push(Piece::Text(&rest[..i + 1])),
        }
        rest = &rest[i + len..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The argument numbers a template uses, sorted (for the table's test).
#[cfg(test)]
fn placeholders(template: &str) -> Vec<usize> {
    let mut args: Vec<usize> = pieces(template)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Arg(a) => Some(a),
            Piece::Text(_) => None,
        })
        .collect();
    args.sort_unstable();
    args.dedup();
    args
}

/// `template` with its placeholders filled from `args` ("" when missing).
fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::new();
    for p in pieces(template) {
        match p {
            Piece::Text(s) => out.push_str(s),
            Piece::Arg(a) => out.push_str(args.get(a).copied().unwrap_or("")),
        }
    }
    out
}

/// `t` with its placeholders filled: `{}` takes the next argument, `{N}`
/// argument N (so a translation may reorder them).
pub fn tf(lang: Lang, key: &str, args: &[&str]) -> String {
    fill(t(lang, key), args)
}

/// The arguments that fill `template` to make `text`, if it does: the
/// inverse of [`fill`]. An argument is the shortest non-empty text before
/// the next literal piece (the last one takes the rest); two arguments with
/// no text between them are not told apart, so no template has them.
fn unfill<'t>(template: &str, text: &'t str) -> Option<Vec<&'t str>> {
    /// Records argument `a` = `v`; false if it already holds another text.
    fn set<'t>(args: &mut Vec<Option<&'t str>>, a: usize, v: &'t str) -> bool {
        if args.len() <= a {
            args.resize(a + 1, None);
        }
        match args[a] {
            Some(old) => old == v,
            None => {
                args[a] = Some(v);
                true
            }
        }
    }
    let ps = pieces(template);
    let mut args: Vec<Option<&'t str>> = Vec::new();
    let mut pos = 0;
    let mut open: Option<usize> = None;
    for p in ps {
        match (p, open) {
            (Piece::Arg(_), Some(_)) => return None,
            (Piece::Arg(a), None) => open = Some(a),
            (Piece::Text(lit), None) => {
                if !text[pos..].starts_with(lit) {
                    return None;
                }
                pos += lit.len();
            }
            (Piece::Text(lit), Some(a)) => {
                // Non-empty: look from the second character on.
                let skip = text[pos..].chars().next()?.len_utf8();
                let at = skip + text[pos + skip..].find(lit)?;
                if !set(&mut args, a, &text[pos..pos + at]) {
                    return None;
                }
                pos += at + lit.len();
                open = None;
            }
        }
    }
    // The last argument takes the rest; otherwise the text must be used up.
    let complete = match open {
        Some(a) => pos < text.len() && set(&mut args, a, &text[pos..]),
        None => pos == text.len(),
    };
    if !complete {
        return None;
    }
    args.into_iter().collect()
}

/// Translates `text`, which the code wrote from the English side of one of
/// `keys` (free text today, where the simulator or raft will soon have a
/// typed value): the first key whose English template gives `text` is
/// filled in `lang` with the same arguments, each translated the same way
/// (a reason may quote another). Text no key gives is returned unchanged.
pub fn retranslate(lang: Lang, keys: &[&str], text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    for key in keys {
        if let Some(args) = unfill(t(Lang::En, key), text) {
            let args: Vec<String> = args.iter().map(|a| retranslate(lang, keys, a)).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            return tf(lang, key, &args);
        }
    }
    text.to_string()
}

/// Keys referenced by `data-i18n*` attributes in an HTML text.
pub fn html_keys(html: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for attr in ["data-i18n=\"", "data-i18n-title=\"", "data-i18n-ph=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                keys.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every key used by the static page exists in both languages.
    #[test]
    fn every_html_key_exists_in_en_and_zh() {
        let html = include_str!("../../../../www/index.html");
        let keys = html_keys(html);
        assert!(keys.len() > 50, "found only {} keys", keys.len());
        let known: BTreeSet<&str> = TABLE.iter().map(|e| e.0).collect();
        for k in &keys {
            assert!(
                known.contains(k.as_str()),
                "index.html uses unknown key {k}"
            );
        }
    }

    /// The source files of this crate, read from disk (not compiled in:
    /// the test follows files that move).
    fn sources() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    out.push((path.display().to_string(), text));
                }
            }
        }
        let mut out = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut out,
        );
        out
    }

    /// Every key the Rust code names exists in the table: the literal key
    /// of each `t(lang, "…")` and `tf(lang, "…", …)` call, and every
    /// literal with the prefix of a sentence key (chosen by a `match`).
    #[test]
    fn every_key_the_code_names_exists() {
        const PREFIXES: [&str; 20] = [
            "ev_", "msg_", "mf_", "mr_", "drop_", "cr_", "chr_", "rs_", "pe_", "cc_", "sd_", "rj_",
            "nt_", "set_", "act_", "cfg_", "cl_", "un_", "pt_", "v_",
        ];
        let known: BTreeSet<&str> = TABLE.iter().map(|e| e.0).collect();
        let files = sources();
        assert!(files.len() > 10, "found {} source files", files.len());
        let mut named = 0;
        for (path, text) in &files {
            // Tests may name missing keys on purpose.
            let code = text.split("\n#[cfg(test)]\nmod tests").next().unwrap_or("");
            for line in code.lines() {
                let mut rest = line;
                while let Some(i) = rest.find('"') {
                    let before = &rest[..i];
                    rest = &rest[i + 1..];
                    let Some(end) = rest.find('"') else { break };
                    let lit = &rest[..end];
                    rest = &rest[end + 1..];
                    let call = [" t(", "(t(", " tf(", "(tf("].iter().any(|c| {
                        // The literal is the second argument: `t(lang, "…"`.
                        before.rfind(c).is_some_and(|k| {
                            let args = &before[k + c.len()..];
                            args.ends_with(", ")
                                && !args.contains(['(', ')', '"'])
                                && args.matches(',').count() == 1
                        })
                    });
                    let prefixed = PREFIXES
                        .iter()
                        .any(|p| lit.len() > p.len() && lit.starts_with(p))
                        && lit
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-');
                    if call || prefixed {
                        named += 1;
                        assert!(
                            known.contains(lit),
                            "{path} names unknown key {lit:?}: {line}"
                        );
                    }
                }
            }
        }
        assert!(named > 150, "found only {named} keys in the code");
    }

    /// No key is duplicated and no text is empty or left untranslated.
    #[test]
    fn table_is_complete_and_unique() {
        let mut seen = BTreeSet::new();
        for &(k, en, zh) in TABLE.iter() {
            assert!(seen.insert(k), "duplicate key {k}");
            assert!(!en.trim().is_empty(), "{k}: empty English");
            assert!(!zh.trim().is_empty(), "{k}: empty Chinese");
            assert_eq!(
                placeholders(en),
                placeholders(zh),
                "{k}: placeholders differ"
            );
        }
    }

    /// Every safety property of the simulator has a label.
    #[test]
    fn every_property_has_a_label() {
        for p in sim::Property::ALL {
            let key = format!("p_{}", crate::eventlog::property_name(p));
            assert!(TABLE.iter().any(|e| e.0 == key), "missing {key}");
        }
    }

    #[test]
    fn tf_fills_placeholders_in_order() {
        assert_eq!(tf(Lang::En, "msg_from_to", &["1", "2"]), "from 1 to 2");
        assert_eq!(tf(Lang::Zh, "msg_from_to", &["1", "2"]), "从 1 发往 2");
    }

    #[test]
    fn numbered_placeholders_may_reorder_and_braces_stay_text() {
        assert_eq!(fill("{1} after {0}", &["a", "b"]), "b after a");
        assert_eq!(fill("{} and {}", &["a"]), "a and ");
        assert_eq!(fill("set {x} {}", &["1"]), "set {x} 1");
    }

    /// A missing key reads as itself, as the doc of `t` says.
    #[test]
    fn a_missing_key_is_its_own_text() {
        assert_eq!(t(Lang::Zh, "no such key"), "no such key");
        let built = format!("p_{}", "nothing");
        assert_eq!(t(Lang::En, &built), "p_nothing");
        assert_eq!(tf(Lang::En, "no {} key", &["x"]), "no x key");
    }

    #[test]
    fn unfill_inverts_fill() {
        let tpl = "stale {0} from {1}: term {2} < {3}";
        let text = fill(tpl, &["AppendEntries", "2", "1", "3"]);
        assert_eq!(
            unfill(tpl, &text),
            Some(vec!["AppendEntries", "2", "1", "3"])
        );
        assert_eq!(
            unfill("timeout {0}: node {0} is down", "timeout 3: node 3 is down"),
            Some(vec!["3"])
        );
        assert_eq!(
            unfill("timeout {0}: node {0} is down", "timeout 3: node 4 is down"),
            None
        );
        assert_eq!(
            unfill("{} from itself", "PreVote from itself"),
            Some(vec!["PreVote"])
        );
        assert_eq!(unfill("no leader", "no leader!"), None);
        assert_eq!(unfill("entry {}", "entry "), None);
    }

    #[test]
    fn lang_parse_accepts_common_codes() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
