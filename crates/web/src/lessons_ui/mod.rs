//! Lessons in the browser (issue 6): the lesson list a new visitor sees
//! first, the narration panel (Next/Back travel in time, the step's claims
//! ticked live against the running simulator), share and embed links, and
//! opening a lesson or scenario file from a URL or a file picker.
//!
//! The lesson being followed is the session's (`Session::lesson`); Next,
//! Back and the safe run are intents, so the narration drives the run only
//! as any other control does, and a lesson is an ordinary run: the
//! timeline, the event log, share links and every control keep working.
//! This module is the DOM: `catalog` (fetching bundled lessons, the list),
//! `html` (pure HTML and links, unit-tested natively), `panel` (the
//! narration panel and `raftlab.lesson()`).

mod catalog;
mod html;
mod panel;
mod scores;

use lessons::Lesson;
use sim::{Scenario, Sim};
use wasm_bindgen::JsCast;

use crate::app::App;
use crate::dom::{self, js_message, on_id, set_text, show, target_el, then};
use crate::events::click;
use crate::i18n::{t, tf, Lang};
use crate::params::{percent_encode, Params};
use crate::session::{Answer, Intent};
use catalog::{load_list, render_list, with_bundled, Waiter};
pub use scores::{reset_progress, toggle_review};

pub use crate::session::Source;
pub use catalog::{bundled_url, fetch_text, is_bundled};
pub use html::{
    ask_result, choice_class, claims_html, file_kind, lesson_lang, lesson_links, list_html,
    page_base, review_href, review_html, text_html, warning_text, FileKind, KEYS,
};
pub use panel::state_js;

/// Largest file accepted from a URL or the file picker (the lesson parser's own limit).
pub const FILE_LEN_MAX: usize = lessons::SOURCE_LEN_MAX;

/// The narration's buttons: (element id, intent); the question's choices
/// are five fixed buttons (`CHOICES_MAX`), shown as its choices need.
const NARRATION: [(&str, Intent); 11] = [
    ("lesson-choice-0", Intent::LessonAnswer(0)),
    ("lesson-choice-1", Intent::LessonAnswer(1)),
    ("lesson-choice-2", Intent::LessonAnswer(2)),
    ("lesson-choice-3", Intent::LessonAnswer(3)),
    ("lesson-choice-4", Intent::LessonAnswer(4)),
    ("lesson-next", Intent::LessonNext),
    ("lesson-back", Intent::LessonBack),
    ("lesson-safe", Intent::LessonSafe(true)),
    ("lesson-unsafe", Intent::LessonSafe(false)),
    ("lesson-restart", Intent::LessonRestart),
    ("lesson-play-free", Intent::LessonPlayFree),
];

/// Starts `lesson`'s run and shows its narration at the first step.
pub fn open(a: &mut App, lesson: Lesson, source: Source) {
    let opened = a.session.open_lesson(lesson, source);
    a.sync_popups(false);
    if let Err(why) = opened {
        a.refused(&why);
        return;
    }
    scores::restore(a);
    panel::forget_shown();
    show("lesson-list", false);
    show("lesson-share", false);
    show("lesson-panel", true);
    panel::render(a, 0.0);
}

/// After each animation frame: stop at Next's target, follow the timeline
/// (`step_at(now)`), tick the claims, and say so when an expected violation
/// shows up. Does nothing without a lesson.
pub fn frame(a: &mut App, ts_ms: f64) {
    if a.session.lesson().is_some() {
        panel::render(a, ts_ms);
    }
    panel::sync_speed(a);
}

/// Opens the text of a file or a fetched URL: a lesson or, for `.txt`, a
/// scenario. Errors (with line and column) go to the banner; the run on
/// screen stays as it was, so the page is never blank.
pub fn open_text(a: &mut App, name: &str, text: &str, source: Source) {
    let lang = a.lang;
    if text.len() > FILE_LEN_MAX {
        let kb = |n: usize| (n / 1024).to_string();
        let why = tf(lang, "l_too_big", &[&kb(text.len()), &kb(FILE_LEN_MAX)]);
        a.banner(&tf(lang, "l_bad_file", &[name, &why]), true);
        return;
    }
    match file_kind(name) {
        FileKind::Lesson => match Lesson::parse(text) {
            Ok(l) => open(a, l, source),
            Err(e) => a.banner(&tf(lang, "l_bad_file", &[name, &e.to_string()]), true),
        },
        FileKind::Scenario => match Scenario::parse(text) {
            Ok(sc) => {
                if let Err(e) = Sim::new(sc.clone()) {
                    a.banner(&tf(lang, "l_bad_file", &[name, &e.to_string()]), true);
                    return;
                }
                close(a);
                a.restart_with(sc);
                show("lesson-list", false);
                a.banner(&tf(lang, "l_opened", &[name]), false);
            }
            Err(e) => a.banner(&tf(lang, "l_bad_file", &[name, &e.to_string()]), true),
        },
    }
}

/// Closes the narration; the run stays as it is.
pub fn close(a: &mut App) {
    a.session.close_lesson();
    show("lesson-panel", false);
}

/// Fetches a lesson (or `.txt` scenario) file and opens it (a lesson at
/// `at_us`, if given: `?t=`).
pub fn fetch_and_open(url: String, lang: Lang, at_us: Option<u64>) {
    set_text("lesson-list-error", "");
    if let Some(a) = dom::el("banner") {
        a.set_hidden(true);
    }
    let url2 = url.clone();
    fetch_text(url, lang, move |r| {
        with_app_global(|a| match r {
            Ok(text) => {
                open_text(a, &url2, &text, Source::Url(url2.clone()));
                if let Some(t) = at_us.filter(|_| a.session.lesson().is_some()) {
                    a.apply(Intent::Seek(t));
                }
            }
            Err(why) => a.banner(&tf(lang, "l_fetch_failed", &[&url2, &why]), true),
        })
    });
}

/// The app, from a callback that runs outside `with_app` (a fetch, a file read).
fn with_app_global(f: impl FnOnce(&mut App)) {
    crate::with_app(f);
}

/// Reads the file chosen in the picker and opens it.
fn open_picked_file() {
    let Some(input) = dom::by_id::<web_sys::HtmlInputElement>("lesson-file") else {
        return;
    };
    let Some(file) = input.files().and_then(|l| l.get(0)) else {
        return;
    };
    // The same file may be picked again after fixing it.
    input.set_value("");
    let name = file.name();
    let lang = crate::with_app(|a| a.lang).unwrap_or(Lang::En);
    if file.size() > FILE_LEN_MAX as f64 {
        let why = tf(
            lang,
            "l_too_big",
            &[
                &((file.size() as u64) / 1024).to_string(),
                &(FILE_LEN_MAX / 1024).to_string(),
            ],
        );
        with_app_global(|a| a.banner(&tf(lang, "l_bad_file", &[&name, &why]), true));
        return;
    }
    let name2 = name.clone();
    then(
        &file.text(),
        move |text| {
            let text = text.as_string().unwrap_or_default();
            with_app_global(|a| open_text(a, &name, &text, Source::File(name.clone())));
        },
        move |e| {
            with_app_global(|a| a.banner(&tf(lang, "l_bad_file", &[&name2, &js_message(&e)]), true))
        },
    );
}

// ----- start-up and events ---------------------------------------------------

/// Called once by `start()` after the app exists: wires the lesson controls,
/// then opens `?lesson=` / `?lesson-url=`, or shows the lesson list to a
/// visitor who came without a link (`linked`: the page has a `#link`).
pub fn start(p: &Params, linked: bool) {
    wire();
    let at_us = p.at_us;
    let lang = crate::with_app(|a| a.lang).unwrap_or(Lang::En);
    if let Some(url) = p.lesson_url.clone() {
        fetch_and_open(url, lang, at_us);
    } else if let Some(id) = p.lesson.as_deref().filter(|id| is_bundled(id)) {
        let (autoplay, embed) = (p.autoplay == Some(true), p.embed);
        let id2 = id.trim().to_string();
        with_bundled(
            id,
            lang,
            std::rc::Rc::new(move |r| match r {
                Ok(l) => with_app_global(|a| {
                    open(a, l, Source::Bundled);
                    if let Some(t) = at_us {
                        a.apply(Intent::Seek(t));
                    }
                    if autoplay {
                        a.apply(Intent::SetPlaying(true));
                    }
                }),
                Err(why) => {
                    let url = bundled_url(&id2);
                    with_app_global(|a| {
                        a.banner(&tf(a.lang, "l_fetch_failed", &[&url, &why]), true)
                    });
                    show_list(!embed, lang);
                }
            }),
        );
    } else if p.lesson.is_some() {
        // lib.rs has said "no such lesson" in the banner; offer the list.
        show_list(!p.embed, lang);
    } else if !linked && p.scenario.is_none() && !p.embed {
        show_list(true, lang);
    }
}

/// Shows (or hides) the lesson list.
pub fn show_list(on: bool, lang: Lang) {
    show("lesson-list", on);
    if on {
        load_list(lang);
        if let Some(b) = dom::doc()
            .and_then(|d| d.query_selector("#lesson-items button").ok().flatten())
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = b.focus();
        }
    }
}

/// Re-renders the lesson list and the narration in `lang` (from `App::set_lang`).
pub fn set_lang(lang: Lang) {
    render_list(lang);
    panel::forget_shown();
}

fn wire() {
    click("btn-lessons", |a| show_list(true, a.lang));
    click("lesson-free", |a| show_list(false, a.lang));
    click("lesson-menu", |a| show_list(true, a.lang));
    click("lesson-close", close);
    for (id, intent) in NARRATION {
        click(id, move |a| {
            a.apply(intent.clone());
            panel::render(a, 0.0);
        });
    }
    click("lesson-share-btn", |a| {
        let on = dom::el("lesson-share").is_some_and(|e| e.hidden());
        fill_share(a);
        show("lesson-share", on);
    });
    click("lesson-copy-link", |a| copy(a, "lesson-link"));
    click("lesson-copy-embed", |a| copy(a, "lesson-embed"));
    click("lesson-pick", |_| {
        if let Some(i) = dom::el("lesson-file") {
            i.click();
        }
    });
    on_id("lesson-file", "change", |_| open_picked_file());
    wire_claim_pointing();
    click("lesson-url-open", |a| open_url_field(a.lang));
    on_id("lesson-url", "keydown", |e| {
        if e.dyn_ref::<web_sys::KeyboardEvent>()
            .is_some_and(|k| k.key() == "Enter")
        {
            let lang = crate::with_app(|a| a.lang).unwrap_or(Lang::En);
            open_url_field(lang);
        }
    });
    on_id("lesson-items", "click", |e| {
        let id = target_el(&e)
            .and_then(|t| t.closest("[data-lesson]").ok().flatten())
            .and_then(|b| b.get_attribute("data-lesson"));
        if let Some(id) = id.filter(|id| is_bundled(id)) {
            let lang = crate::with_app(|a| a.lang).unwrap_or(Lang::En);
            let open_it: Waiter = std::rc::Rc::new(|r| match r {
                Ok(l) => with_app_global(|a| open(a, l, Source::Bundled)),
                Err(why) => set_text("lesson-list-error", &why),
            });
            with_bundled(&id, lang, open_it);
        }
    });
    // A click on the list's backdrop (not the card) is "free play" too.
    if let Some(list) = dom::el("lesson-list") {
        let me = list.clone();
        dom::on(&list, "click", move |e| {
            if target_el(&e).is_some_and(|t| t.is_same_node(Some(&me))) {
                me.set_hidden(true);
            }
        });
    }
}

/// A digit key (1 to 5) picks that choice of the question waiting on
/// screen (read before the page's shortcuts, where a digit selects a
/// server); `true` if it did.
pub fn pick_by_key(key: &str) -> bool {
    let listed = dom::el("lesson-list").is_some_and(|l| !l.hidden());
    match key.parse::<usize>() {
        Ok(d @ 1..=lessons::CHOICES_MAX) if !listed => pick(d - 1),
        _ => false,
    }
}

/// Picks choice `k` of the question waiting on screen; `false` if none
/// waits or it has no such choice.
fn pick(k: usize) -> bool {
    crate::with_app(|a| {
        let waiting = a
            .session
            .lesson_question()
            .is_some_and(|(_, q, ans)| ans == Answer::Asking && k < q.choices.len());
        if waiting {
            a.apply(Intent::LessonAnswer(k));
            panel::render(a, 0.0);
        }
        waiting
    })
    .unwrap_or(false)
}

/// A claim of the narration panel under the pointer or the keyboard focus:
/// the canvas marks what it checks (`App::hovered_claim`) until the pointer
/// leaves the list or the focus leaves the claim.
fn wire_claim_pointing() {
    for event in ["mouseover", "focusin"] {
        on_id("lesson-claims", event, |e| {
            let k = target_el(&e)
                .and_then(|t| t.closest("[data-k]").ok().flatten())
                .and_then(|li| li.get_attribute("data-k"))
                .and_then(|k| k.parse::<usize>().ok());
            crate::with_app(|a| {
                let now = a.session.sim().now_us();
                let step = a
                    .session
                    .lesson()
                    .map(|l| crate::session::shown_step(&l.lesson, now));
                a.hovered_claim = step.zip(k);
            });
        });
    }
    for event in ["mouseleave", "focusout"] {
        on_id("lesson-claims", event, |_| {
            crate::with_app(|a| a.hovered_claim = None);
        });
    }
}

/// The URL field of the list: reload with `?lesson-url=`, so that the
/// address bar is the lesson's share link.
fn open_url_field(lang: Lang) {
    let url = dom::value("lesson-url").trim().to_string();
    if url.is_empty() {
        set_text("lesson-list-error", t(lang, "l_url_empty"));
        return;
    }
    let Some(w) = dom::window() else { return };
    let href = w.location().href().unwrap_or_default();
    let target = format!(
        "{}?lesson-url={}&lang={}",
        page_base(&href),
        percent_encode(&url),
        lang.short()
    );
    let _ = w.location().set_href(&target);
}

fn copy(a: &App, field: &str) {
    let text = dom::value(field);
    let ok = !text.is_empty() && dom::copy_text(&text);
    if let Some(e) = dom::by_id::<web_sys::HtmlInputElement>(field) {
        e.select();
    }
    a.banner(t(a.lang, if ok { "copied" } else { "copy_failed" }), !ok);
}

fn fill_share(a: &App) {
    let href = dom::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = page_base(&href).to_string();
    let links = a
        .session
        .lesson()
        .and_then(|l| lesson_links(&base, &l.lesson.id, &l.source));
    match links {
        Some((link, embed)) => {
            dom::set_value("lesson-link", &link);
            dom::set_value("lesson-embed", &embed);
            show("lesson-links", true);
            show("lesson-no-link", false);
        }
        None => {
            show("lesson-links", false);
            show("lesson-no-link", true);
        }
    }
}
