//! The narration panel drawn from the session's lesson state, and
//! `raftlab.lesson()`.

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use super::html::{claims_html, lesson_lang, property_label, text_html, warning_text};
use crate::app::App;
use crate::dom::{self, set_html, set_text, show};
use crate::eventlog::property_name;
use crate::i18n::{claims, t, tf, Lang};
use crate::page::format_speed;
use crate::session::shown_step;

/// What the panel shows: (step, beat, lang, safe, changed, free).
type Shown = (usize, Option<(usize, usize)>, Lang, bool, bool, bool);

thread_local! {
    /// What the panel last showed; `None`: draw it again.
    static SHOWN: Cell<Option<Shown>> = const { Cell::new(None) };
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
    if SHOWN.with(|s| s.get()) != Some(key) {
        SHOWN.with(|s| s.set(Some(key)));
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
    // The safety panel flags what the lesson expects: say that it is the point.
    if let Some(p) = tick.expected_violation {
        a.banner(
            &tf(lang, "l_expected_violation", &[property_label(lang, p)]),
            true,
        );
    }
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
/// checked now.
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
    };
    crate::to_js(&out)
}
