//! The narration panel drawn from the session's lesson state, and
//! `raftlab.lesson()`.

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use super::html::{
    ask_result, choice_class, claims_html, lesson_lang, property_label, score_text, text_html,
    warning_text,
};
use crate::app::App;
use crate::dom::{self, set_html, set_text, show};
use crate::eventlog::property_name;
use crate::i18n::{claims, t, tf, Lang};
use crate::page::format_speed;
use crate::session::{shown_step, Answer};

/// What the panel shows: (step, beat, lang, safe, changed, free).
type Shown = (usize, Option<(usize, usize)>, Lang, bool, bool, bool);

/// What the question area shows: (its step and answer, the score, lang).
type Asked = (Option<(usize, Answer)>, (usize, usize), Lang);

thread_local! {
    /// What the panel last showed; `None`: draw it again.
    static SHOWN: Cell<Option<Shown>> = const { Cell::new(None) };
    /// What the question area last showed; `None`: draw it again.
    static ASKED: Cell<Option<Asked>> = const { Cell::new(None) };
}

/// The speed select shows the speed time runs at: a lesson's beat may play
/// faster than the user's choice, which comes back after it.
pub(super) fn sync_speed(a: &App) {
    let shown = format_speed(a.session.speed());
    if dom::value("speed") != shown {
        dom::set_value("speed", &shown);
    }
}

/// The panel is drawn again at the next render (a new lesson, a new language).
pub(super) fn forget_shown() {
    SHOWN.with(|s| s.set(None));
    ASKED.with(|s| s.set(None));
}

/// After a frame (`ts_ms`; 0 right after a click): the session follows
/// the lesson, and the panel shows what changed.
pub(super) fn render(a: &mut App, ts_ms: f64) {
    let Some(tick) = a.session.lesson_tick(ts_ms) else {
        return;
    };
    let beat = a.session.lesson_beat();
    let lang = a.lang;
    let Some(l) = a.session.lesson() else { return };
    let k = tick.step;
    let Some(step) = l.lesson.steps.get(k) else {
        return;
    };
    if let Some(results) = &tick.redraw_claims {
        set_html("lesson-claims", &claims_html(step, results, lang));
    }
    // Text, counter, buttons: when the step (or the situation) changes.
    let key = (k, beat, lang, l.safe, l.changed, l.free);
    let before = SHOWN.with(|s| s.replace(Some(key)));
    if before != Some(key) {
        if before.map(|b| b.0) != Some(k) {
            // The course page hears of each step shown (again after a new
            // language or lesson redraws the panel).
            crate::course_events::post(&format!(
                "{{\"type\":\"raftlab:step\",\"lesson\":\"{}\",\"step\":{k},\"of\":{}}}",
                l.lesson.id,
                l.lesson.steps.len()
            ));
        }
        let ll = lesson_lang(lang);
        let n = l.lesson.steps.len();
        set_text("lesson-title", l.lesson.title(ll));
        let mut count = tf(lang, "l_step_of", &[&(k + 1).to_string(), &n.to_string()]);
        if let Some((played, beats)) = beat {
            // Part of the way to the next step: "Step 3 of 9 · 2/4" (no
            // words: the same in both languages).
            count = format!("{count} · {played}/{beats}");
        }
        set_text("lesson-count", &count);
        set_html("lesson-text", &text_html(step, lang));
        set_button_disabled("lesson-back", k == 0);
        set_button_disabled("lesson-next", k + 1 >= n);
        let last_free = step.free_play && k + 1 == n;
        show("lesson-free-box", last_free && !l.free);
        show("lesson-next", !last_free);
        match warning_text(&l.lesson, lang) {
            Some(w) if !l.safe => {
                set_text("lesson-warning-text", &w);
                show("lesson-warning", true);
                show("lesson-safe", true);
                show("lesson-unsafe", false);
            }
            Some(_) => {
                set_text("lesson-warning-text", t(lang, "l_safe_on"));
                show("lesson-warning", true);
                show("lesson-safe", false);
                show("lesson-unsafe", true);
            }
            None => show("lesson-warning", false),
        }
        if let Some(w) = dom::el("lesson-warning") {
            w.set_class_name(if l.safe {
                "lesson-note safe"
            } else {
                "lesson-note warn"
            });
        }
        show("lesson-changed", l.changed);
    }
    render_question(a);
    super::scores::after_tick(a, &tick);
    // The safety panel flags what the lesson expects: say that it is the point.
    if let Some(p) = tick.expected_violation {
        a.banner(
            &tf(lang, "l_expected_violation", &[property_label(lang, p)]),
            true,
        );
    }
}

/// The question of the step shown (its choices, then the verdict) and the
/// lesson's score, when either changed.
fn render_question(a: &App) {
    let Some(l) = a.session.lesson() else { return };
    let lang = a.lang;
    let ask = a.session.lesson_question();
    let score = l.questions.score();
    let key = (ask.map(|(k, _, ans)| (k, ans)), score, lang);
    if ASKED.with(|s| s.replace(Some(key))) == Some(key) {
        return;
    }
    show("lesson-ask", ask.is_some());
    if let Some((_, q, answer)) = ask {
        set_text("lesson-ask-prompt", q.prompt(lesson_lang(lang)));
        let ll = lesson_lang(lang);
        for i in 0..lessons::CHOICES_MAX {
            let id = format!("lesson-choice-{i}");
            let c = q.choices.get(i);
            show(&id, c.is_some());
            if let Some(b) = dom::by_id::<web_sys::HtmlButtonElement>(&id) {
                // Numbered as the digit keys pick them.
                let text = c.map_or(String::new(), |c| format!("{} {}", i + 1, c.texts.get(ll)));
                b.set_text_content(Some(&text));
                b.set_class_name(choice_class(answer, i));
                b.set_disabled(answer != Answer::Asking);
            }
        }
        let (class, mut text) = ask_result(q, answer, lang);
        if a.session.lesson_held_before_question() {
            text = format!("{text} {}", t(lang, "q_held"));
        }
        set_text("lesson-ask-result", &text);
        if let Some(e) = dom::el("lesson-ask-result") {
            e.set_class_name(class);
        }
        show(
            "lesson-ask-again",
            matches!(answer, Answer::Revealed { .. }),
        );
    }
    show("lesson-score", l.lesson.questions().next().is_some());
    set_text("lesson-score", &score_text(score.0, score.1, lang));
}

fn set_button_disabled(id: &str, off: bool) {
    if let Some(b) = dom::by_id::<web_sys::HtmlButtonElement>(id) {
        if b.disabled() != off {
            b.set_disabled(off);
        }
    }
}

// ----- window.raftlab.lesson() -------------------------------------------------

#[derive(serde::Serialize)]
struct LessonOut<'a> {
    id: &'a str,
    title: &'a str,
    step: usize,
    /// Between `step` and the next, in a plan of several beats: the beats
    /// played (0 at a step).
    beat: usize,
    /// ... and the beats in all (0 at a step).
    beats: usize,
    steps: usize,
    at_us: Vec<u64>,
    free_play: bool,
    claims: Vec<ClaimOut>,
    safe: bool,
    changed: bool,
    expected_violation: Option<&'static str>,
    source: &'static str,
    /// The shown step's question id (`null`: the step asks nothing).
    question: Option<&'a str>,
    /// Its answer was graded (or found ungradable) at the reveal.
    answered: bool,
    /// The question is an earlier step's, held on screen with its verdict
    /// (the reveal was this step's moment) until Next.
    held: bool,
    /// The choice picked (0-based), once picked.
    picked: Option<usize>,
    /// Whether the pick was right (`null` until graded, and when the
    /// changed run could not grade it).
    correct: Option<bool>,
    /// Right answers so far in this lesson ...
    score: usize,
    /// ... of this many graded ones.
    asked: usize,
    /// The questions the lesson asks in all.
    questions: usize,
}

#[derive(serde::Serialize)]
struct ClaimOut {
    claim: String,
    ok: bool,
    why: Option<String>,
}

/// `raftlab.lesson()`: the lesson on screen as JSON (`null` without one):
/// id, title, step (0-based), beat and beats (between two steps when Next
/// plays the way in several beats: how many are played, of how many; 0 and
/// 0 elsewhere), steps, each step's moment, and the shown step's claims
/// checked now; the question on screen (`question`, `answered`, `held`,
/// `picked`, `correct`) and the lesson's `score` of `asked`, of
/// `questions` in all.
pub fn state_js(a: &App) -> Result<JsValue, JsValue> {
    let Some(act) = a.session.lesson() else {
        return Ok(JsValue::NULL);
    };
    let sim = a.session.sim();
    let k = shown_step(&act.lesson, sim.now_us());
    let claims = act
        .lesson
        .steps
        .get(k)
        .map(|s| {
            s.expects
                .iter()
                .map(|e| {
                    let r = e.claim.check(sim);
                    ClaimOut {
                        claim: e.to_string(),
                        ok: r.is_ok(),
                        // English, as `raftlab check` prints it (the panel
                        // shows it in the page's language). From the table,
                        // whose English equals `Unmet`'s `Display` (tested):
                        // that keeps the `Display` code out of the wasm.
                        why: r.err().map(|why| claims::unmet(Lang::En, &why)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let beat = a.session.lesson_beat().unwrap_or_default();
    let ask = a.session.lesson_question();
    let answer = ask.map(|(_, _, ans)| ans);
    let (score, asked) = act.questions.score();
    let out = LessonOut {
        id: &act.lesson.id,
        title: act.lesson.title(lesson_lang(a.lang)),
        step: k,
        beat: beat.0,
        beats: beat.1,
        steps: act.lesson.steps.len(),
        at_us: act.lesson.steps.iter().map(|s| s.at_us).collect(),
        free_play: act.lesson.steps.last().is_some_and(|s| s.free_play),
        claims,
        safe: act.safe,
        changed: sim.scenario() != &act.run,
        expected_violation: act.lesson.expected_violation.map(property_name),
        source: act.source.name(),
        question: ask.map(|(_, q, _)| q.id.as_str()),
        answered: matches!(answer, Some(Answer::Revealed { .. })),
        held: act.questions.held().is_some(),
        picked: answer.and_then(Answer::picked),
        correct: answer.and_then(Answer::correct),
        score,
        asked,
        questions: act.lesson.questions().count(),
    };
    crate::to_js(&out)
}
