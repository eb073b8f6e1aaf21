//! Parsing a lesson file: narration lines (`title`, `summary`, `lesson`,
//! `expect-violation`, `name`, `at T say`, `at T focus`, `at T free-play`)
//! are read here with the scenario language's cursor (the arguments of
//! `name` and `focus` in `focus.rs`; a question's `at T ask|choice|reveal|explain`,
//! assembled in `question.rs`); every other line goes to
//! [`Scenario::parse`], whose claims are then filed under the step at their
//! moment.

use raft::NodeId;
use sim::claim::{parse_claim, Subjects};
use sim::scenario::{tokenize, Args, Tok, TokKind};
use sim::units::{format_duration_us, parse_duration_us};
use sim::{Property, Scenario};

use super::focus::{focus_clauses, server_name};
use super::question::{is_question_id, Choice, QuestionDraft};
use super::{
    parse_property, Expect, Lang, Lesson, LessonError, Step, Texts, SOURCE_LEN_MAX, STEPS_MAX,
    TEXT_LEN_MAX,
};

/// What one narration line contributes.
enum Narration {
    Id(String),
    Title(Lang, String),
    Summary(Lang, String),
    ExpectViolation(Property),
    Say(u64, Lang, String),
    FreePlay(u64),
    /// `name N NAME`.
    Name(NodeId, String),
    /// `at T focus ...`.
    Focus(u64, Subjects),
    /// `at T ask ID LANG "..."`: the step's question, its id and prompt.
    Ask(u64, String, Lang, String),
    /// `at T choice en "..." zh "..." when CLAIM`.
    Choice(u64, Choice),
    /// `at T reveal T2`: the moment that decides the question.
    Reveal(u64, u64),
    /// `at T explain LANG "..."`.
    Explain(u64, Lang, String),
}

const HEADER_WORDS: [&str; 5] = ["lesson", "title", "summary", "expect-violation", "name"];
/// `at TIME expect CLAIM` is not among them: it is a line of the scenario
/// language, parsed by `sim` into `Scenario::expects`; the lesson then files
/// each claim under the step at its moment.
const TIMED_WORDS: [&str; 7] = [
    "say",
    "free-play",
    "focus",
    "ask",
    "choice",
    "reveal",
    "explain",
];

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
    c.conv("a language, `en` or `zh`", Lang::from_code)
}

/// One narration line, and the servers it names with their columns (to
/// check, once the scenario is read, that each exists).
fn parse_narration(
    line_no: usize,
    line: &str,
    toks: Vec<Tok>,
) -> Result<(Narration, Vec<(NodeId, usize)>), LessonError> {
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
        "name" => {
            c.set_name("name");
            let node = c.node()?;
            Narration::Name(node, server_name(&mut c)?)
        }
        _ => {
            // `at TIME (say|focus|free-play) ...`
            let at_us = c.conv("a time such as `800ms` or `1.2s`", parse_duration_us)?;
            let verb = c.peek_word().unwrap_or_default().to_string();
            c.advance();
            match verb.as_str() {
                "say" => {
                    c.set_name("say");
                    let lang = lang_arg(&mut c)?;
                    Narration::Say(at_us, lang, text_arg(&mut c)?)
                }
                "focus" => {
                    c.set_name("focus");
                    Narration::Focus(at_us, focus_clauses(&mut c)?)
                }
                "ask" => {
                    c.set_name("ask");
                    let id = c.conv("a question id of lowercase letters, digits and `-`", |w| {
                        is_question_id(w).then(|| w.to_string())
                    })?;
                    let lang = lang_arg(&mut c)?;
                    Narration::Ask(at_us, id, lang, text_arg(&mut c)?)
                }
                "choice" => {
                    c.set_name("choice");
                    Narration::Choice(at_us, choice_args(line_no, &mut c)?)
                }
                "reveal" => {
                    c.set_name("reveal");
                    Narration::Reveal(
                        at_us,
                        c.conv("a time such as `800ms` or `1.2s`", parse_duration_us)?,
                    )
                }
                "explain" => {
                    c.set_name("explain");
                    let lang = lang_arg(&mut c)?;
                    Narration::Explain(at_us, lang, text_arg(&mut c)?)
                }
                _ => {
                    c.set_name("free-play");
                    Narration::FreePlay(at_us)
                }
            }
        }
    };
    c.finish()?;
    Ok((out, c.named_nodes().to_vec()))
}

/// The rest of a `choice` line: `en "..."`, optionally `zh "..."`, then
/// `when CLAIM` to the end of the line.
fn choice_args(line_no: usize, c: &mut Args) -> Result<Choice, LessonError> {
    let mut texts = Texts::default();
    while c.peek_word().is_some_and(|w| w == "en" || w == "zh") {
        let lang = lang_arg(c)?;
        *texts.slot_mut(lang) = text_arg(c)?;
    }
    if texts.en.is_empty() {
        return Err(c.expected("`en \"...\"`: a choice's English text"));
    }
    if !c.eat("when") {
        return Err(c.expected("`when CLAIM`: the claim that makes this choice right"));
    }
    Ok(Choice {
        texts,
        claim: parse_claim(c)?,
        line: line_no,
    })
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
    /// What its `focus` lines name, and the first one's line.
    focus: Option<(Subjects, usize)>,
    /// Its question's lines, if any.
    question: Option<QuestionDraft>,
}

/// The narration read so far, while the file is parsed line by line.
#[derive(Default)]
struct Narrations {
    id: Option<String>,
    titles: Texts,
    summaries: Texts,
    expected_violation: Option<Property>,
    /// The steps by moment, kept sorted (see `draft_at`).
    drafts: Vec<(u64, StepDraft)>,
    /// `name` lines, in file order; no server twice, no name twice.
    names: Vec<(NodeId, String)>,
    /// Every server a `name` or `focus` line names: (line, id, column).
    named: Vec<(usize, NodeId, usize)>,
}

impl Narrations {
    /// Files one narration line; an error if it repeats what a lesson says once.
    fn add(&mut self, line_no: usize, narration: Narration) -> Result<(), LessonError> {
        let at_line = |message: String| LessonError {
            line: line_no,
            column: 1,
            message,
        };
        match narration {
            Narration::Id(v) => {
                if self.id.replace(v).is_some() {
                    return Err(at_line(
                        "a second `lesson` line: a lesson has one id".into(),
                    ));
                }
            }
            Narration::Title(lang, t) => {
                let slot = self.titles.slot_mut(lang);
                if !slot.is_empty() {
                    return Err(at_line(format!("a second `title {}`", lang.code())));
                }
                *slot = t;
            }
            Narration::Summary(lang, t) => {
                let slot = self.summaries.slot_mut(lang);
                if !slot.is_empty() {
                    return Err(at_line(format!("a second `summary {}`", lang.code())));
                }
                *slot = t;
            }
            Narration::ExpectViolation(p) => {
                if self.expected_violation.replace(p).is_some() {
                    return Err(at_line(
                        "a second `expect-violation`: a lesson breaks one rule".into(),
                    ));
                }
            }
            Narration::Say(at_us, lang, t) => {
                let new_step = self.drafts.binary_search_by_key(&at_us, |d| d.0).is_err();
                if new_step && self.drafts.len() >= STEPS_MAX {
                    return Err(at_line(format!("more than {STEPS_MAX} steps")));
                }
                let d = draft_at(&mut self.drafts, at_us);
                d.say_line.get_or_insert(line_no);
                let slot = d.texts.slot_mut(lang);
                if !slot.is_empty() {
                    slot.push('\n');
                }
                slot.push_str(&t);
            }
            Narration::FreePlay(at_us) => {
                let d = draft_at(&mut self.drafts, at_us);
                if d.free_play_line.replace(line_no).is_some() {
                    return Err(at_line("a second `free-play` at the same moment".into()));
                }
            }
            Narration::Name(node, name) => {
                if let Some((_, old)) = self.names.iter().find(|(n, _)| *n == node) {
                    return Err(at_line(format!("server {node} is already named {old}")));
                }
                if let Some((other, _)) = self.names.iter().find(|(_, w)| *w == name) {
                    return Err(at_line(format!(
                        "the name {name} is already server {other}'s"
                    )));
                }
                self.names.push((node, name));
            }
            Narration::Focus(at_us, subjects) => {
                let d = draft_at(&mut self.drafts, at_us);
                match &mut d.focus {
                    Some((s, _)) => s.add(subjects),
                    None => d.focus = Some((subjects, line_no)),
                }
            }
            Narration::Ask(at_us, id, lang, text) => {
                let q = self.question_at(at_us, line_no);
                match &q.id {
                    Some(old) if *old != id => {
                        return Err(at_line(format!(
                            "a second question ({id}) at this moment: a step asks one question, here {old}"
                        )))
                    }
                    Some(_) => {}
                    None => {
                        q.id = Some(id);
                        q.line = line_no;
                    }
                }
                let slot = q.prompt.slot_mut(lang);
                if !slot.is_empty() {
                    return Err(at_line(format!("a second `ask … {}`", lang.code())));
                }
                *slot = text;
            }
            Narration::Choice(at_us, choice) => {
                self.question_at(at_us, line_no).choices.push(choice);
            }
            Narration::Reveal(at_us, reveal_us) => {
                let q = self.question_at(at_us, line_no);
                if q.reveal.replace((reveal_us, line_no)).is_some() {
                    return Err(at_line("a second `reveal` at the same moment".into()));
                }
            }
            Narration::Explain(at_us, lang, text) => {
                let slot = self.question_at(at_us, line_no).explanation.slot_mut(lang);
                if !slot.is_empty() {
                    return Err(at_line(format!("a second `explain {}`", lang.code())));
                }
                *slot = text;
            }
        }
        Ok(())
    }

    /// The question being assembled at `at_us`, made if new; remembers the
    /// first line that spoke of it.
    fn question_at(&mut self, at_us: u64, line_no: usize) -> &mut QuestionDraft {
        let q = draft_at(&mut self.drafts, at_us)
            .question
            .get_or_insert_with(QuestionDraft::default);
        q.other_line.get_or_insert(line_no);
        q
    }

    /// An error unless every server a `name` or `focus` line names is in
    /// the cluster or added by the timeline (the scenario parser's rule
    /// for its own lines, with its message).
    fn check_servers(&self, scenario: &Scenario) -> Result<(), LessonError> {
        let nodes = scenario.settings.nodes;
        let created = |id: NodeId| {
            scenario
                .timeline
                .iter()
                .any(|t| t.action.created_nodes().contains(&id))
        };
        match self
            .named
            .iter()
            .find(|&&(_, id, _)| id > nodes && !created(id))
        {
            Some(&(line, id, column)) => Err(LessonError {
                line,
                column,
                message: format!(
                    "node {id} does not exist: the cluster has {nodes} servers and no `add {id}`"
                ),
            }),
            None => Ok(()),
        }
    }
}

/// The steps, in time order: each draft must have narration, only the last
/// may be the free-play ending, and a question is revealed before the next
/// step (or by `end_us`, the lesson's end, for the last).
fn steps_from(drafts: Vec<(u64, StepDraft)>, end_us: u64) -> Result<Vec<Step>, LessonError> {
    let mut steps: Vec<Step> = Vec::with_capacity(drafts.len());
    let mut free_play_seen: Option<usize> = None;
    let next_moments: Vec<u64> = drafts.iter().skip(1).map(|d| d.0).collect();
    for (k, (at_us, d)) in drafts.into_iter().enumerate() {
        let Some(line) = d.say_line else {
            // A claim, a focus or a free-play marker must belong to a narrated moment.
            let line = d
                .expects
                .first()
                .map(|e| e.line)
                .or(d.focus.as_ref().map(|f| f.1))
                .or(d.question.as_ref().and_then(|q| q.other_line))
                .or(d.free_play_line)
                .unwrap_or(1);
            return Err(LessonError {
                line,
                column: 1,
                message: format!(
                    "nothing is said at {}: `expect`, `focus`, a question and `free-play` belong to a step with `say` at the same time",
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
        let until_us = next_moments.get(k).copied().unwrap_or(end_us);
        let question = match d.question {
            Some(q) => Some(q.finish(at_us, until_us)?),
            None => None,
        };
        if let (Some(q), Some(_)) = (&question, d.free_play_line) {
            return Err(LessonError {
                line: q.line,
                column: 1,
                message: "the free-play step hands over the run, so it cannot ask a question"
                    .into(),
            });
        }
        if let Some(q) = &question {
            if let Some(first) = steps
                .iter()
                .find_map(|s| s.question.as_ref().filter(|o| o.id == q.id))
            {
                return Err(LessonError {
                    line: q.line,
                    column: 1,
                    message: format!("question {} is already asked on line {}", q.id, first.line),
                });
            }
        }
        steps.push(Step {
            at_us,
            text_en: d.texts.en,
            text_zh: d.texts.zh,
            expects: d.expects,
            free_play: d.free_play_line.is_some(),
            focus: d.focus.map(|f| f.0),
            question,
            line,
        });
    }
    Ok(steps)
}

/// An error at the start of the file.
fn at_start(message: String) -> LessonError {
    LessonError {
        line: 1,
        column: 1,
        message,
    }
}

impl Lesson {
    /// Parses a lesson file. Never panics; an error names the line and column.
    pub fn parse(text: &str) -> Result<Lesson, LessonError> {
        if text.len() > SOURCE_LEN_MAX {
            return Err(at_start(format!(
                "the lesson is longer than {SOURCE_LEN_MAX} bytes"
            )));
        }
        let mut n = Narrations::default();
        // The scenario part: narration lines become blank lines so that sim's
        // line numbers are the file's.
        let mut scenario_text = String::with_capacity(text.len());
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let toks = tokenize(line_no, line)?;
            if is_narration(&toks) {
                scenario_text.push('\n');
                let (narration, named) = parse_narration(line_no, line, toks)?;
                n.named
                    .extend(named.into_iter().map(|(id, col)| (line_no, id, col)));
                n.add(line_no, narration)?;
            } else {
                scenario_text.push_str(line);
                scenario_text.push('\n');
            }
        }
        let mut scenario = Scenario::parse(&scenario_text)?;
        n.check_servers(&scenario)?;
        // The claims (`at T expect ...`, parsed by sim) belong to the step at
        // their moment; the lesson's scenario keeps none of its own, so its
        // share links carry the run only.
        for e in std::mem::take(&mut scenario.expects) {
            draft_at(&mut n.drafts, e.at_us).expects.push(e);
        }
        let last_us = n.drafts.last().map_or(0, |d| d.0);
        let end_us = scenario.run_us.unwrap_or(last_us).max(last_us);
        let steps = steps_from(n.drafts, end_us)?;
        if n.titles.en.is_empty() {
            return Err(at_start("a lesson needs `title en \"...\"`".into()));
        }
        if steps.is_empty() {
            return Err(at_start(
                "a lesson needs at least one step: `at TIME say en \"...\"`".into(),
            ));
        }
        Ok(Lesson {
            id: n.id.unwrap_or_else(|| "custom".into()),
            titles: n.titles,
            summaries: n.summaries,
            scenario,
            steps,
            expected_violation: n.expected_violation,
            names: n.names,
            source: text.to_string(),
        })
    }
}
