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
//!
//! One job per file: the types here; `parse` (a lesson file: narration
//! lines, then the scenario); `focus` (the arguments of `name` and
//! `focus` lines); `question` (a step's question, graded by the run);
//! `bundled` (the lesson files of `lessons/`).

mod bundled;
mod focus;
mod parse;
mod question;

use std::fmt;

use raft::NodeId;
use sim::scenario::UnsafeSwitch;
use sim::units::format_duration_us;
use sim::{Action, Property, Scenario, Setting, Sim, SimError};

#[cfg(feature = "bundled")]
pub use bundled::{all, by_id, BUNDLED};
pub use bundled::{parse_bundled, BUNDLED_IDS};
pub use focus::NAME_CHARS_MAX;
pub use question::{Choice, Question, CHOICES_MAX, CHOICES_MIN, QUESTION_ID_LEN_MAX};
pub use sim::claim::{parse_property, Claim, ClientClaim, Expect, RoleClaim, Subjects};

/// A lesson file error, with a 1-based line and column (columns count
/// characters): the scenario language's own error, since a lesson file is
/// a scenario with narration lines.
pub type LessonError = sim::ParseError;

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

    /// From a file code: `en` or `zh`.
    fn from_code(word: &str) -> Option<Lang> {
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

    fn slot_mut(&mut self, lang: Lang) -> &mut String {
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
    /// What its `focus` lines name (`None`: none; see [`Step::subjects`]).
    pub focus: Option<Subjects>,
    /// The question it asks before the run goes on (`at T ask ...`).
    pub question: Option<Question>,
    /// Line of the step's first `say` (for messages and editors).
    pub line: usize,
}

impl Step {
    /// What the step is about, for the page to mark: its `focus` lines
    /// if it has any (the author's choice replaces the default), else
    /// everything its claims check ([`Claim::subjects`]).
    pub fn subjects(&self) -> Subjects {
        if let Some(f) = &self.focus {
            return f.clone();
        }
        let mut s = Subjects::default();
        for e in &self.expects {
            s.add(e.claim.subjects());
        }
        s
    }

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
    /// `name N NAME` lines: the lesson's names for its servers (`a` for
    /// node 1 ...), shown beside `S1`, in file order. No server and no
    /// name appears twice.
    pub names: Vec<(NodeId, String)>,
    /// The file's text as given (for "view source" and editing).
    #[serde(skip)]
    pub source: String,
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

impl Lesson {
    /// The title in `lang` (English if the Chinese one is missing).
    pub fn title(&self, lang: Lang) -> &str {
        self.titles.get(lang)
    }

    /// The lesson's name for server `id` (`name` lines), if it has one.
    pub fn name_of(&self, id: NodeId) -> Option<&str> {
        self.names
            .iter()
            .find(|(n, _)| *n == id)
            .map(|(_, w)| w.as_str())
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
                    message: format!("the simulator refuses the scenario: {e}"),
                }]
            }
        };
        let mut failures: Vec<CheckFailure> = sim::claim::check_claims(&mut sim, &self.expects())
            .into_iter()
            .map(|f| CheckFailure {
                step: self.step_at(f.at_us).unwrap_or(0),
                at_us: f.at_us,
                line: f.line,
                expect: format!("expect {}", f.claim),
                message: f.message,
            })
            .collect();
        for (step, q) in self.questions() {
            if q.reveal_us < sim.now_us() {
                sim.seek(q.reveal_us);
            } else {
                sim.run_until(q.reveal_us);
            }
            if let Some(message) = question_failure(q, &sim) {
                failures.push(CheckFailure {
                    step,
                    at_us: q.reveal_us,
                    line: q.line,
                    expect: format!("ask {}", q.id),
                    message,
                });
            }
        }
        failures
    }

    /// The steps' questions, in step order, with their steps' indices.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.steps
            .iter()
            .enumerate()
            .filter_map(|(k, s)| s.question.as_ref().map(|q| (k, q)))
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

/// Why the run does not answer `q` at its reveal (`sim` is there): no
/// choice holds, or more than one does. `None` when exactly one holds.
fn question_failure(q: &Question, sim: &Sim) -> Option<String> {
    let holding = q.holding(sim);
    match holding.len() {
        1 => None,
        0 => {
            let why: Vec<String> = q
                .choices
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let unmet = c.claim.check(sim).err()?;
                    Some(format!("choice {} (`{}`): {unmet}", i + 1, c.claim))
                })
                .collect();
            Some(format!("no choice holds at the reveal: {}", why.join("; ")))
        }
        _ => {
            let which: Vec<String> = holding.iter().map(|i| (i + 1).to_string()).collect();
            Some(format!(
                "choices {} all hold at the reveal: exactly one must",
                which.join(", ")
            ))
        }
    }
}
