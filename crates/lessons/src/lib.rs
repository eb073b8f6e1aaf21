//! Guided Raft lessons: the seed documents' stories as replayable scenarios
//! with bilingual narration pinned to moments of the run.
//!
//! A lesson is one plain-text file (docs/lessons.md): the scenario language
//! of `sim` plus a few narration directives.
//!
//! ```text
//! title en "Roles and the first election"
//! title zh "角色与第一次选举"
//! nodes 3
//! at 0ms timeout 2
//! at 100ms say en "Node 2 is leader."
//! at 100ms say zh "节点 2 成为领导者。"
//! at 100ms expect leader 2 term 1
//! ```
//!
//! [`Lesson::parse`] strips the narration lines (keeping line numbers, so a
//! scenario error names the right line and column) and hands the rest to
//! [`sim::Scenario::parse`]. Every `expect` is a claim about the run at its
//! step's moment, in the scenario language's own claim language
//! ([`sim::claim`], re-exported here); [`Lesson::check`] runs the simulator
//! and reports every claim the run contradicts, so narration cannot drift
//! from what happens.
//!
//! Entry points: [`all`] (the bundled lessons), [`Lesson::parse`],
//! [`Lesson::check`], [`Lesson::step_at`], [`Lesson::safe_scenario`].

use std::fmt;

use sim::scenario::{tokenize, Args, Tok, TokKind, UnsafeSwitch};
use sim::units::{format_duration_us, parse_duration_us};
use sim::{Action, Property, Scenario, Setting, Sim, SimError};

pub use sim::claim::{parse_property, Claim, ClientClaim, Expect, RoleClaim};

/// A narration language.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (`en`), the fallback.
    En,
    /// Simplified Chinese (`zh`).
    Zh,
}

impl Lang {
    /// Both languages, in file order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code used in lesson files: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// From a file code or a browser language tag (`zh-CN`, `zh-Hans`, `en-US`):
    /// any `zh` tag is Chinese, everything else English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh")) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    fn parse(word: &str) -> Option<Lang> {
        match word {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }
}

/// A text in both languages. An empty Chinese text falls back to English.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Texts {
    /// English.
    pub en: String,
    /// 简体中文.
    pub zh: String,
}

impl Texts {
    /// The text in `lang`, or the English one if that is missing.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh if !self.zh.is_empty() => &self.zh,
            _ => &self.en,
        }
    }

    /// Whether both languages are present.
    pub fn is_complete(&self) -> bool {
        !self.en.is_empty() && !self.zh.is_empty()
    }

    fn slot(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::En => &mut self.en,
            Lang::Zh => &mut self.zh,
        }
    }
}

/// One narration step: a moment of the run, what to say about it, and the
/// claims that make the saying true. Next/Back in the UI travel to `at_us`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// The moment (µs of virtual time). Steps are sorted by it, no two equal.
    pub at_us: u64,
    /// English narration (several `say en` lines at one moment are joined by newlines).
    pub text_en: String,
    /// Chinese narration.
    pub text_zh: String,
    /// Claims checked against the run at `at_us`.
    pub expects: Vec<Expect>,
    /// The free-play ending ("now try it yourself"): the UI hands the controls
    /// to the user from here. Only the last step can be one.
    pub free_play: bool,
    /// Line of the step's first `say` (for messages and editors).
    pub line: usize,
}

impl Step {
    /// The narration in `lang`, falling back to English.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh if !self.text_zh.is_empty() => &self.text_zh,
            _ => &self.text_en,
        }
    }
}

/// A parsed lesson.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Lesson {
    /// Stable id (the file name without `.lesson` for bundled lessons; the
    /// `lesson ID` directive, or `custom`, for a parsed file).
    pub id: String,
    /// `title en/zh "..."`.
    pub titles: Texts,
    /// `summary en/zh "..."` (one or two sentences for the lesson list).
    pub summaries: Texts,
    /// The run: settings and timeline (narration removed).
    pub scenario: Scenario,
    /// Narration steps in time order.
    pub steps: Vec<Step>,
    /// `expect-violation "..."`: the safety property this lesson breaks on
    /// purpose with a teaching switch. `None`: the run must stay safe.
    pub expected_violation: Option<Property>,
    /// The file's text as given (for "view source" and editing).
    #[serde(skip)]
    pub source: String,
}

/// A lesson file error, with a 1-based line and column (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for LessonError {}

impl From<sim::ParseError> for LessonError {
    fn from(e: sim::ParseError) -> Self {
        LessonError {
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

/// A claim the run contradicts (see [`Lesson::check`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CheckFailure {
    /// Index into [`Lesson::steps`].
    pub step: usize,
    /// The step's moment.
    pub at_us: u64,
    /// Line of the `expect`.
    pub line: usize,
    /// The claim as written (`expect leader 3 term 2`).
    pub expect: String,
    /// What the run shows instead.
    pub message: String,
}

impl fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} (at {}): `{}` is false: {}",
            self.line,
            format_duration_us(self.at_us),
            self.expect,
            self.message
        )
    }
}

/// Longest lesson file accepted (a lesson opened from a URL is outside input).
pub const SOURCE_LEN_MAX: usize = 256 * 1024;
/// Longest narration text of one `say`, `title` or `summary`, in bytes.
pub const TEXT_LEN_MAX: usize = 4 * 1024;
/// Most steps in one lesson.
pub const STEPS_MAX: usize = 500;

/// What one narration line contributes.
enum Narration {
    Id(String),
    Title(Lang, String),
    Summary(Lang, String),
    ExpectViolation(Property),
    Say(u64, Lang, String),
    FreePlay(u64),
}

const HEADER_WORDS: [&str; 4] = ["lesson", "title", "summary", "expect-violation"];
/// `at TIME expect CLAIM` is not among them: it is a line of the scenario
/// language, parsed by `sim` into `Scenario::expects`; the lesson then files
/// each claim under the step at its moment.
const TIMED_WORDS: [&str; 2] = ["say", "free-play"];

/// The word, if the token is one.
fn word(tok: &Tok) -> Option<&str> {
    match &tok.kind {
        TokKind::Word(w) => Some(w),
        _ => None,
    }
}

/// Whether a tokenized line is narration (ours) rather than scenario (sim's).
fn is_narration(toks: &[Tok]) -> bool {
    match toks.first().and_then(word) {
        Some(w) if HEADER_WORDS.contains(&w) => true,
        Some("at") => toks
            .get(2)
            .and_then(word)
            .is_some_and(|w| TIMED_WORDS.contains(&w)),
        _ => false,
    }
}

fn text_arg(c: &mut Args) -> Result<String, LessonError> {
    let column = c.column();
    let s = c.quoted("a quoted text")?;
    if s.trim().is_empty() {
        return Err(LessonError {
            line: c.line(),
            column,
            message: "the text is empty".into(),
        });
    }
    if s.len() > TEXT_LEN_MAX {
        return Err(LessonError {
            line: c.line(),
            column,
            message: format!("the text is longer than {TEXT_LEN_MAX} bytes"),
        });
    }
    Ok(s)
}

fn lang_arg(c: &mut Args) -> Result<Lang, LessonError> {
    Ok(c.conv("a language, `en` or `zh`", Lang::parse)?)
}

fn parse_narration(line_no: usize, line: &str, toks: Vec<Tok>) -> Result<Narration, LessonError> {
    let end_column = line.chars().count() + 1;
    // The scenario language's own cursor: same messages, same columns.
    let mut c = Args::new(line_no, toks, end_column, "at");
    let first = c.peek_word().unwrap_or_default().to_string();
    c.advance();
    let out = match first.as_str() {
        "lesson" => {
            c.set_name("lesson");
            Narration::Id(c.conv("an id of lowercase letters, digits and `-`", |w| {
                let ok = !w.is_empty()
                    && w.len() <= 64
                    && w.chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
                ok.then(|| w.to_string())
            })?)
        }
        "title" => {
            c.set_name("title");
            let lang = lang_arg(&mut c)?;
            Narration::Title(lang, text_arg(&mut c)?)
        }
        "summary" => {
            c.set_name("summary");
            let lang = lang_arg(&mut c)?;
            Narration::Summary(lang, text_arg(&mut c)?)
        }
        "expect-violation" => {
            c.set_name("expect-violation");
            let column = c.column();
            let name = c.quoted("a quoted property name such as \"Leader Completeness\"")?;
            let Some(p) = parse_property(&name) else {
                let names: Vec<String> = Property::ALL
                    .iter()
                    .map(|p| format!("\"{}\"", p.title()))
                    .collect();
                return Err(LessonError {
                    line: line_no,
                    column,
                    message: format!(
                        "unknown property \"{name}\"; expected one of {}",
                        names.join(", ")
                    ),
                });
            };
            Narration::ExpectViolation(p)
        }
        _ => {
            // `at TIME (say|free-play) ...`
            let at_us = c.conv("a time such as `800ms` or `1.2s`", parse_duration_us)?;
            let verb = c.peek_word().unwrap_or_default().to_string();
            c.advance();
            match verb.as_str() {
                "say" => {
                    c.set_name("say");
                    let lang = lang_arg(&mut c)?;
                    Narration::Say(at_us, lang, text_arg(&mut c)?)
                }
                _ => {
                    c.set_name("free-play");
                    Narration::FreePlay(at_us)
                }
            }
        }
    };
    c.finish()?;
    Ok(out)
}

/// The draft step at `at_us` in `drafts` (sorted by moment), made if new.
/// A sorted `Vec` rather than a `BTreeMap`: one map type less in the wasm.
fn draft_at(drafts: &mut Vec<(u64, StepDraft)>, at_us: u64) -> &mut StepDraft {
    let k = match drafts.binary_search_by_key(&at_us, |d| d.0) {
        Ok(k) => k,
        Err(k) => {
            drafts.insert(k, (at_us, StepDraft::default()));
            k
        }
    };
    &mut drafts[k].1
}

/// A step being assembled: its texts, claims, and where they were written.
#[derive(Default)]
struct StepDraft {
    texts: Texts,
    say_line: Option<usize>,
    expects: Vec<Expect>,
    free_play_line: Option<usize>,
}

impl Lesson {
    /// Parses a lesson file. Never panics; an error names the line and column.
    pub fn parse(text: &str) -> Result<Lesson, LessonError> {
        if text.len() > SOURCE_LEN_MAX {
            return Err(LessonError {
                line: 1,
                column: 1,
                message: format!("the lesson is longer than {SOURCE_LEN_MAX} bytes"),
            });
        }
        let mut id = None;
        let mut titles = Texts::default();
        let mut summaries = Texts::default();
        let mut expected_violation = None;
        // The steps by moment, kept sorted (see `draft_at`).
        let mut drafts: Vec<(u64, StepDraft)> = Vec::new();
        // The scenario part: narration lines become blank lines so that sim's
        // line numbers are the file's.
        let mut scenario_text = String::with_capacity(text.len());
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let toks = tokenize(line_no, line)?;
            if !is_narration(&toks) {
                scenario_text.push_str(line);
                scenario_text.push('\n');
                continue;
            }
            scenario_text.push('\n');
            let at_line = |message: String| LessonError {
                line: line_no,
                column: 1,
                message,
            };
            match parse_narration(line_no, line, toks)? {
                Narration::Id(v) => {
                    if id.replace(v).is_some() {
                        return Err(at_line(
                            "a second `lesson` line: a lesson has one id".into(),
                        ));
                    }
                }
                Narration::Title(lang, t) => {
                    let slot = titles.slot(lang);
                    if !slot.is_empty() {
                        return Err(at_line(format!("a second `title {}`", lang.code())));
                    }
                    *slot = t;
                }
                Narration::Summary(lang, t) => {
                    let slot = summaries.slot(lang);
                    if !slot.is_empty() {
                        return Err(at_line(format!("a second `summary {}`", lang.code())));
                    }
                    *slot = t;
                }
                Narration::ExpectViolation(p) => {
                    if expected_violation.replace(p).is_some() {
                        return Err(at_line(
                            "a second `expect-violation`: a lesson breaks one rule".into(),
                        ));
                    }
                }
                Narration::Say(at_us, lang, t) => {
                    let new_step = drafts.binary_search_by_key(&at_us, |d| d.0).is_err();
                    if new_step && drafts.len() >= STEPS_MAX {
                        return Err(at_line(format!("more than {STEPS_MAX} steps")));
                    }
                    let d = draft_at(&mut drafts, at_us);
                    d.say_line.get_or_insert(line_no);
                    let slot = d.texts.slot(lang);
                    if !slot.is_empty() {
                        slot.push('\n');
                    }
                    slot.push_str(&t);
                }
                Narration::FreePlay(at_us) => {
                    let d = draft_at(&mut drafts, at_us);
                    if d.free_play_line.replace(line_no).is_some() {
                        return Err(at_line("a second `free-play` at the same moment".into()));
                    }
                }
            }
        }
        let mut scenario = Scenario::parse(&scenario_text)?;
        // The claims (`at T expect ...`, parsed by sim) belong to the step at
        // their moment; the lesson's scenario keeps none of its own, so its
        // share links carry the run only.
        for e in std::mem::take(&mut scenario.expects) {
            draft_at(&mut drafts, e.at_us).expects.push(e);
        }

        let mut steps = Vec::with_capacity(drafts.len());
        let mut free_play_seen: Option<usize> = None;
        for (at_us, d) in drafts {
            let Some(line) = d.say_line else {
                // A claim or a free-play marker must belong to a narrated moment.
                let line = d
                    .expects
                    .first()
                    .map(|e| e.line)
                    .or(d.free_play_line)
                    .unwrap_or(1);
                return Err(LessonError {
                    line,
                    column: 1,
                    message: format!(
                        "nothing is said at {}: `expect` and `free-play` belong to a step with `say` at the same time",
                        format_duration_us(at_us)
                    ),
                });
            };
            if let Some(l) = free_play_seen {
                return Err(LessonError {
                    line: l,
                    column: 1,
                    message: "`free-play` must be on the last step".into(),
                });
            }
            if d.free_play_line.is_some() {
                free_play_seen = d.free_play_line;
            }
            steps.push(Step {
                at_us,
                text_en: d.texts.en,
                text_zh: d.texts.zh,
                expects: d.expects,
                free_play: d.free_play_line.is_some(),
                line,
            });
        }
        if titles.en.is_empty() {
            return Err(LessonError {
                line: 1,
                column: 1,
                message: "a lesson needs `title en \"...\"`".into(),
            });
        }
        if steps.is_empty() {
            return Err(LessonError {
                line: 1,
                column: 1,
                message: "a lesson needs at least one step: `at TIME say en \"...\"`".into(),
            });
        }
        Ok(Lesson {
            id: id.unwrap_or_else(|| "custom".into()),
            titles,
            summaries,
            scenario,
            steps,
            expected_violation,
            source: text.to_string(),
        })
    }

    /// The title in `lang` (English if the Chinese one is missing).
    pub fn title(&self, lang: Lang) -> &str {
        self.titles.get(lang)
    }

    /// The summary in `lang` (English if the Chinese one is missing; empty if none).
    pub fn summary(&self, lang: Lang) -> &str {
        self.summaries.get(lang)
    }

    /// A simulator at time 0 for this lesson's scenario.
    pub fn sim(&self) -> Result<Sim, SimError> {
        Sim::new(self.scenario.clone())
    }

    /// Where the lesson's run ends: its `run` time, else its last step.
    pub fn end_us(&self) -> u64 {
        let last = self.steps.last().map_or(0, |s| s.at_us);
        self.scenario.run_us.unwrap_or(last).max(last)
    }

    /// The step shown at time `t_us`: the last step at or before it (`None`
    /// before the first step). The UI calls it after Back, seeks and scrubbing.
    pub fn step_at(&self, t_us: u64) -> Option<usize> {
        self.steps
            .partition_point(|s| s.at_us <= t_us)
            .checked_sub(1)
    }

    /// Runs the lesson and checks every claim at its step's moment, then runs
    /// on to [`Lesson::end_us`]. Empty when the narration is true of the run.
    /// A scenario the simulator refuses is reported as a failure of step 0.
    pub fn check(&self) -> Vec<CheckFailure> {
        let mut sim = match self.sim() {
            Ok(s) => s,
            Err(e) => {
                return vec![CheckFailure {
                    step: 0,
                    at_us: 0,
                    line: 1,
                    expect: String::new(),
                    message: format!("the simulator refuses the scenario: {}", e.0),
                }]
            }
        };
        sim::claim::check_claims(&mut sim, &self.expects())
            .into_iter()
            .map(|f| CheckFailure {
                step: self.step_at(f.at_us).unwrap_or(0),
                at_us: f.at_us,
                line: f.line,
                expect: format!("expect {}", f.claim),
                message: f.message,
            })
            .collect()
    }

    /// Every step's claims, in step order (so in time order).
    pub fn expects(&self) -> Vec<Expect> {
        self.steps
            .iter()
            .flat_map(|s| s.expects.iter().cloned())
            .collect()
    }

    /// The teaching switches this lesson turns on, initially or during the run.
    pub fn teaching_switches(&self) -> Vec<UnsafeSwitch> {
        let turned_on =
            |s: UnsafeSwitch| {
                self.scenario.settings.unsafe_switches.get(s)
                    || self.scenario.timeline.iter().any(
                        |t| matches!(t.action, Action::Set(Setting::Unsafe(x, true)) if x == s),
                    )
            };
        // `ALL` is in the switches' order: the result is sorted.
        UnsafeSwitch::ALL
            .into_iter()
            .filter(|&s| turned_on(s))
            .collect()
    }

    /// The same run with the safety rules kept: every teaching switch off
    /// (initially and on the timeline), and `unsafe-change` replaced by the
    /// joint-consensus `change` to the same voters. The UI offers it as "run
    /// it again with the rule"; the tests require it to stay safe.
    pub fn safe_scenario(&self) -> Scenario {
        let mut sc = self.scenario.clone();
        sc.settings.unsafe_switches = Default::default();
        sc.timeline
            .retain(|t| !matches!(t.action, Action::Set(Setting::Unsafe(..))));
        for t in &mut sc.timeline {
            if let Action::UnsafeChange { voters } = &t.action {
                t.action = Action::Change {
                    voters: voters.clone(),
                };
            }
        }
        sc
    }
}

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
