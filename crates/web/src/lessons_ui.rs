//! Lessons in the browser (issue 6): the lesson list a new visitor sees
//! first, the narration panel (Next/Back travel in time, the step's claims
//! ticked live against the running simulator), share and embed links, and
//! opening a lesson or scenario file from a URL or a file picker.
//!
//! The lesson being shown lives in a thread-local next to `APP` (lib.rs):
//! the app itself knows nothing about lessons, and every function here that
//! touches the run takes `&mut App`. The narration never drives the
//! simulator other than through `App::seek`, `App::set_playing` and
//! `App::restart_with`, so a lesson is an ordinary run: the timeline,
//! the event log, share links and every control keep working.
//!
//! Pure parts (HTML of the list and the narration, link building, what to do
//! with a file, Next/Back targets) are unit-tested natively.

use std::cell::RefCell;

use lessons::{Lesson, Step};
use sim::{Scenario, Sim};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::{App, UNSAFE};
use crate::dom::{self, esc, js_message, on_id, set_html, set_text, show, target_el, then};
use crate::eventlog::property_name;
use crate::i18n::{t, tf, Lang};
use crate::params::{percent_encode, Params};

/// Next plays the run to the next step when that takes at most this many
/// real seconds at the current speed; farther steps are jumped to, so a
/// two-second gap at 0.05× does not keep the student waiting 40 s.
pub const PLAY_TO_NEXT_REAL_S_MAX: f64 = 2.5;
/// While playing, claims are re-checked at most this often (real ms): some
/// claims scan the trace, and four times a second is enough to read them.
const CLAIMS_EVERY_MS: f64 = 250.0;
/// Largest file accepted from a URL or the file picker (the lesson parser's own limit).
pub const FILE_LEN_MAX: usize = lessons::SOURCE_LEN_MAX;

/// Where the lesson came from: decides what its share link can be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// One of the bundled lessons: `?lesson=ID`.
    Bundled,
    /// Fetched from this URL: `?lesson-url=URL`.
    Url(String),
    /// Opened from a local file with this name: no link can carry it.
    File(String),
}

/// The lesson on screen and how far the narration has got.
struct Active {
    lesson: Lesson,
    source: Source,
    /// Running `lesson.safe_scenario()` ("run it again with the rule").
    safe: bool,
    /// The scenario this lesson's run started from (`lesson.scenario` or
    /// the safe one): when the app's run differs, the user changed it.
    run: Scenario,
    /// Next is playing the run to this moment; the frame hook pauses there.
    target_us: Option<u64>,
    /// The user pressed "play freely" on the free-play step.
    free: bool,
    /// What the panel shows: (step, lang, safe, changed, free); `None` = redraw.
    shown: Option<(usize, Lang, bool, bool, bool)>,
    /// The claims as last drawn: (step, time, trace length, results). The
    /// trace length changes when the user acts without time passing.
    claims: Option<(usize, u64, usize, Vec<bool>)>,
    /// Real ms after which claims may be re-checked while playing.
    claims_due_ms: f64,
    /// Whether the run differs from `run` (checked with the claims).
    changed: bool,
    /// Violations already reported (to say "as this lesson expects" once).
    violations_seen: usize,
}

thread_local! {
    /// The lesson on screen, if any.
    static ACTIVE: RefCell<Option<Active>> = const { RefCell::new(None) };
    /// The bundled lessons as fetched so far, in course order.
    static CATALOG: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// One bundled lesson in the browser: its file is fetched from
/// `lessons/ID.lesson` next to the page the first time it is needed (the
/// texts are ~20 KB gzipped, kept out of the wasm for the size budget).
#[derive(Clone)]
enum Entry {
    /// Not requested yet.
    Idle,
    /// Requested; these run when it arrives (or fails).
    Loading(Vec<Waiter>),
    Ready(Box<Lesson>),
    /// Why it could not be loaded, in the language of the moment.
    Failed(String),
}

/// Something to do with a bundled lesson once its file is in.
type Waiter = std::rc::Rc<dyn Fn(Result<Lesson, String>)>;

fn with_active<R>(f: impl FnOnce(&mut Active) -> R) -> Option<R> {
    ACTIVE.with(|c| c.try_borrow_mut().ok().and_then(|mut g| g.as_mut().map(f)))
}

/// The lessons crate's language for a UI language.
pub fn lesson_lang(lang: Lang) -> lessons::Lang {
    match lang {
        Lang::En => lessons::Lang::En,
        Lang::Zh => lessons::Lang::Zh,
    }
}

/// Whether `id` names a bundled lesson (`05-network-partition`).
pub fn is_bundled(id: &str) -> bool {
    lessons::BUNDLED_IDS.contains(&id.trim())
}

/// Where a bundled lesson's file is, relative to the page.
pub fn bundled_url(id: &str) -> String {
    format!("lessons/{id}.lesson")
}

/// Runs `then` with the bundled lesson `id` (fetched once, then kept),
/// or with why it could not be loaded (asked again, a failed file is
/// fetched again: the network may be back).
fn with_bundled(id: &str, lang: Lang, then: Waiter) {
    let Some(k) = lessons::BUNDLED_IDS.iter().position(|i| *i == id.trim()) else {
        return;
    };
    let id = lessons::BUNDLED_IDS[k];
    let now = CATALOG.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_empty() {
            *c = vec![Entry::Idle; lessons::BUNDLED_IDS.len()];
        }
        match &mut c[k] {
            Entry::Ready(l) => Some(Ok((**l).clone())),
            Entry::Loading(waiting) => {
                waiting.push(then.clone());
                None
            }
            e @ (Entry::Idle | Entry::Failed(_)) => {
                *e = Entry::Loading(vec![then.clone()]);
                let url = bundled_url(id);
                let done = move |r: Result<String, String>| {
                    let r = r.and_then(|text| {
                        lessons::parse_bundled(id, &text).map_err(|e| e.to_string())
                    });
                    let waiting = CATALOG.with(|c| {
                        let mut c = c.borrow_mut();
                        let entry = match &r {
                            Ok(l) => Entry::Ready(Box::new(l.clone())),
                            Err(why) => Entry::Failed(why.clone()),
                        };
                        match std::mem::replace(&mut c[k], entry) {
                            Entry::Loading(w) => w,
                            _ => Vec::new(),
                        }
                    });
                    for w in waiting {
                        w(r.clone());
                    }
                };
                fetch_text(url, lang, done);
                None
            }
        }
    });
    if let Some(r) = now {
        then(r);
    }
}

/// Fetches every bundled lesson for the list, redrawing it as they arrive.
fn load_list(lang: Lang) {
    for id in lessons::BUNDLED_IDS {
        let redraw = move |_| render_list(crate::with_app(|a| a.lang).unwrap_or(lang));
        with_bundled(id, lang, std::rc::Rc::new(redraw));
    }
}

/// The list as far as it has loaded; a line says what is still loading
/// or what failed.
fn render_list(lang: Lang) {
    let (ready, loading, failed) = CATALOG.with(|c| {
        let c = c.borrow();
        let ready: Vec<Lesson> = c
            .iter()
            .filter_map(|e| match e {
                Entry::Ready(l) => Some((**l).clone()),
                _ => None,
            })
            .collect();
        let loading = c
            .iter()
            .any(|e| matches!(e, Entry::Loading(_) | Entry::Idle));
        let failed: Vec<String> = c
            .iter()
            .zip(lessons::BUNDLED_IDS)
            .filter_map(|(e, id)| match e {
                Entry::Failed(why) => Some(format!("{id}: {why}")),
                _ => None,
            })
            .collect();
        (ready, loading, failed)
    });
    set_html("lesson-items", &list_html(&ready, lang));
    let status = if !failed.is_empty() {
        tf(lang, "l_list_failed", &[&failed.join("; ")])
    } else if loading {
        t(lang, "l_list_loading").to_string()
    } else {
        String::new()
    };
    set_text("lesson-list-status", &status);
}

// ----- pure parts ------------------------------------------------------------

/// The lesson list: one button per lesson, with its title, summary and,
/// for a lesson that breaks a rule on purpose, a "teaching switch" badge.
pub fn list_html(list: &[Lesson], lang: Lang) -> String {
    let ll = lesson_lang(lang);
    let mut h = String::new();
    for (i, l) in list.iter().enumerate() {
        // Its place in the course, even while an earlier one is missing.
        let num = lessons::BUNDLED_IDS
            .iter()
            .position(|id| *id == l.id)
            .map_or(i + 1, |k| k + 1);
        let badge = if l.expected_violation.is_some() {
            format!(
                " <span class=\"badge warn\">{}</span>",
                esc(t(lang, "l_badge_switch"))
            )
        } else {
            String::new()
        };
        h.push_str(&format!(
            "<li><button class=\"lesson-item\" data-lesson=\"{}\"><span class=\"num\">{}</span><span class=\"lt\">{}{badge}</span><span class=\"ls\">{}</span></button></li>",
            esc(&l.id),
            num,
            esc(l.title(ll)),
            esc(l.summary(ll)),
        ));
    }
    h
}

/// A step's narration as paragraphs (the file's `\n`).
pub fn text_html(step: &Step, lang: Lang) -> String {
    step.text(lesson_lang(lang))
        .split('\n')
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", esc(p.trim())))
        .collect()
}

/// The step's claims, each ticked when it holds now. `results[i]` is the
/// outcome of `step.expects[i].claim.check(&sim)`.
pub fn claims_html(step: &Step, results: &[Result<(), String>], lang: Lang) -> String {
    let mut h = String::new();
    for (e, r) in step.expects.iter().zip(results) {
        let text = e.to_string();
        let text = text.strip_prefix("expect ").unwrap_or(&text);
        match r {
            Ok(()) => h.push_str(&format!(
                "<li class=\"ok\" title=\"{}\"><span class=\"dot\" aria-hidden=\"true\">✓</span> <code>{}</code></li>",
                esc(t(lang, "l_claim_ok")),
                esc(text)
            )),
            Err(why) => h.push_str(&format!(
                "<li class=\"no\" title=\"{}\"><span class=\"dot\" aria-hidden=\"true\">○</span> <code>{}</code> <small>{}</small></li>",
                esc(t(lang, "l_claim_no")),
                esc(text),
                esc(why)
            )),
        }
    }
    h
}

/// The page URL without query and fragment (`https://host/course/raftlab/`).
pub fn page_base(href: &str) -> &str {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    &href[..end]
}

/// (share link, embed link) of a lesson, or `None` for a local file.
pub fn lesson_links(base: &str, id: &str, source: &Source) -> Option<(String, String)> {
    let q = match source {
        Source::Bundled => format!("lesson={}", percent_encode(id)),
        Source::Url(u) => format!("lesson-url={}", percent_encode(u)),
        Source::File(_) => return None,
    };
    Some((format!("{base}?{q}"), format!("{base}?embed&{q}")))
}

/// What a file holds, from its name: `.txt` is a scenario, anything else
/// (`.lesson`, a URL without an extension) a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A lesson file (docs/lessons.md).
    Lesson,
    /// A scenario file (docs/scenarios.md).
    Scenario,
}

/// See [`FileKind`]. A URL's query and fragment are ignored.
pub fn file_kind(name: &str) -> FileKind {
    let path = page_base(name.trim()).to_ascii_lowercase();
    if path.ends_with(".txt") {
        FileKind::Scenario
    } else {
        FileKind::Lesson
    }
}

/// Where Back goes from `now_us`: the step before the one shown.
pub fn back_target(lesson: &Lesson, now_us: u64) -> Option<u64> {
    let k = lesson.step_at(now_us)?;
    let prev = k.checked_sub(1)?;
    lesson.steps.get(prev).map(|s| s.at_us)
}

/// Where Next goes from `now_us`: the step after the one shown (the first
/// step before the lesson has begun).
pub fn next_target(lesson: &Lesson, now_us: u64) -> Option<u64> {
    let k = match lesson.step_at(now_us) {
        Some(k) => k + 1,
        None => 0,
    };
    lesson.steps.get(k).map(|s| s.at_us)
}

/// The step shown at `now_us` (the first one before the lesson begins).
pub fn shown_step(lesson: &Lesson, now_us: u64) -> usize {
    lesson.step_at(now_us).unwrap_or(0)
}

/// Checks the step's claims against the run as it is now.
pub fn check_step(step: &Step, sim: &Sim) -> Vec<Result<(), String>> {
    step.expects.iter().map(|e| e.claim.check(sim)).collect()
}

/// "commit-old-terms" -> the switch's label.
fn switch_label(lang: Lang, name: &str) -> &'static str {
    UNSAFE
        .iter()
        .find(|u| u.0 == name)
        .map_or("", |u| t(lang, u.2))
}

fn property_label(lang: Lang, p: sim::Property) -> &'static str {
    t(lang, &format!("p_{}", property_name(p)))
}

/// The teaching-switch warning of a lesson that breaks a rule on purpose.
pub fn warning_text(lesson: &Lesson, lang: Lang) -> Option<String> {
    let p = lesson.expected_violation?;
    let switches = lesson
        .teaching_switches()
        .iter()
        .map(|s| format!("“{}”", switch_label(lang, s.name())))
        .collect::<Vec<_>>()
        .join(", ");
    Some(tf(
        lang,
        "l_switch_on",
        &[&switches, property_label(lang, p)],
    ))
}

// ----- opening a lesson ---------------------------------------------------

/// Starts `lesson`'s run and shows its narration at the first step.
pub fn open(a: &mut App, lesson: Lesson, source: Source) {
    if let Err(e) = lesson.sim() {
        a.banner(&tf(a.lang, "bad_scenario", &[&e.0]), true);
        return;
    }
    let run = lesson.scenario.clone();
    a.restart_with(run.clone());
    a.set_playing(false);
    if let Some(first) = lesson.steps.first() {
        if first.at_us > 0 {
            a.seek(first.at_us);
        }
    }
    let violations_seen = a.sim.violations().len();
    ACTIVE.with(|c| {
        *c.borrow_mut() = Some(Active {
            lesson,
            source,
            safe: false,
            run,
            target_us: None,
            free: false,
            shown: None,
            claims: None,
            claims_due_ms: 0.0,
            changed: false,
            violations_seen,
        })
    });
    show("lesson-list", false);
    show("lesson-share", false);
    show("lesson-panel", true);
    render(a, 0.0);
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
                    a.banner(&tf(lang, "l_bad_file", &[name, &e.0]), true);
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
pub fn close(_a: &mut App) {
    ACTIVE.with(|c| {
        if let Ok(mut g) = c.try_borrow_mut() {
            *g = None;
        }
    });
    show("lesson-panel", false);
}

/// Fetches a lesson (or `.txt` scenario) file and opens it.
pub fn fetch_and_open(url: String, lang: Lang) {
    set_text("lesson-list-error", "");
    if let Some(a) = dom::el("banner") {
        a.set_hidden(true);
    }
    let url2 = url.clone();
    fetch_text(url, lang, move |r| {
        with_app_global(|a| match r {
            Ok(text) => open_text(a, &url2, &text, Source::Url(url2.clone())),
            Err(why) => a.banner(&tf(lang, "l_fetch_failed", &[&url2, &why]), true),
        })
    });
}

/// Fetches a text file; `done` gets its text or why it could not be read.
fn fetch_text(url: String, lang: Lang, done: impl FnOnce(Result<String, String>) + 'static) {
    let Some(w) = dom::window() else { return };
    // Whichever of the callbacks below runs first takes `done`.
    let done = std::rc::Rc::new(RefCell::new(Some(done)));
    let finish = move |r: Result<String, String>| {
        if let Some(f) = done.borrow_mut().take() {
            f(r);
        }
    };
    let (finish2, finish3) = (finish.clone(), finish.clone());
    let on_response = move |resp: JsValue| {
        let Ok(resp) = resp.dyn_into::<web_sys::Response>() else {
            finish2(Err(t(lang, "l_network").to_string()));
            return;
        };
        if !resp.ok() {
            let status = format!("{} {}", resp.status(), resp.status_text());
            finish2(Err(tf(lang, "l_http_status", &[status.trim()])));
            return;
        }
        let Ok(p) = resp.text() else {
            finish2(Err(t(lang, "l_network").to_string()));
            return;
        };
        let finish4 = finish2.clone();
        then(
            &p,
            move |text| finish2(Ok(text.as_string().unwrap_or_default())),
            move |e| finish4(Err(js_message(&e))),
        );
    };
    let p = w.fetch_with_str(&url);
    then(&p, on_response, move |e| {
        finish3(Err(format!(
            "{} ({})",
            t(lang, "l_network"),
            js_message(&e)
        )))
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
        fetch_and_open(url, lang);
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
                        a.seek(t);
                    }
                    if autoplay {
                        a.set_playing(true);
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
    with_active(|act| {
        act.shown = None;
        act.claims = None;
    });
}

fn click(id: &str, f: impl Fn(&mut App) + 'static) {
    on_id(id, "click", move |_| {
        crate::with_app(|a| f(a));
    });
}

fn wire() {
    click("btn-lessons", |a| show_list(true, a.lang));
    click("lesson-free", |a| show_list(false, a.lang));
    click("lesson-menu", |a| show_list(true, a.lang));
    click("lesson-next", next);
    click("lesson-back", back);
    click("lesson-close", close);
    click("lesson-safe", |a| run_safe(a, true));
    click("lesson-unsafe", |a| run_safe(a, false));
    click("lesson-restart", restart);
    click("lesson-play-free", |a| {
        with_active(|act| {
            act.free = true;
            act.target_us = None;
        });
        a.set_playing(true);
        render(a, 0.0);
    });
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

fn fill_share(_a: &App) {
    let href = dom::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = page_base(&href).to_string();
    let links = with_active(|act| lesson_links(&base, &act.lesson.id, &act.source)).flatten();
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

/// Next: play to the next step's moment and pause there (or jump, if that
/// would take long); pressed again while playing there, jump at once.
pub fn next(a: &mut App) {
    let now = a.sim.now_us();
    let Some(Some(target)) = with_active(|act| next_target(&act.lesson, now)) else {
        return;
    };
    let animating = with_active(|act| act.target_us == Some(target)).unwrap_or(false);
    let real_s = (target - now) as f64 / 1e6 / a.speed.max(1e-6);
    if !animating && target > now && real_s <= PLAY_TO_NEXT_REAL_S_MAX {
        with_active(|act| act.target_us = Some(target));
        a.set_playing(true);
        a.pause_at_us = Some(target);
    } else {
        with_active(|act| act.target_us = None);
        a.set_playing(false);
        a.seek(target);
    }
    render(a, 0.0);
}

/// Back: travel in time to the previous step's moment.
pub fn back(a: &mut App) {
    let now = a.sim.now_us();
    let Some(Some(target)) = with_active(|act| {
        act.target_us = None;
        back_target(&act.lesson, now)
    }) else {
        return;
    };
    a.set_playing(false);
    a.seek(target);
    render(a, 0.0);
}

/// "Run it again with the rule" (`safe`) or back to the lesson's own run,
/// at the same moment.
fn run_safe(a: &mut App, safe: bool) {
    let Some(run) = with_active(|act| {
        act.safe = safe;
        act.target_us = None;
        act.run = if safe {
            act.lesson.safe_scenario()
        } else {
            act.lesson.scenario.clone()
        };
        act.violations_seen = 0;
        act.run.clone()
    }) else {
        return;
    };
    restart_at_same_moment(a, run);
    with_active(|act| act.violations_seen = a.view.violations.len());
    render(a, 0.0);
}

/// Starts the lesson's run again at the moment shown.
fn restart(a: &mut App) {
    let Some(run) = with_active(|act| {
        act.target_us = None;
        act.run.clone()
    }) else {
        return;
    };
    restart_at_same_moment(a, run);
    render(a, 0.0);
}

/// Replaces the run by `run`, paused at the moment now shown.
fn restart_at_same_moment(a: &mut App, run: sim::Scenario) {
    let now = a.sim.now_us();
    a.restart_with(run);
    a.set_playing(false);
    a.seek(now);
}

// ----- every frame -----------------------------------------------------------

/// After each animation frame: stop at Next's target, follow the timeline
/// (`step_at(now)`), tick the claims, and say so when an expected violation
/// shows up. Does nothing without a lesson.
pub fn frame(a: &mut App, ts_ms: f64) {
    let active = ACTIVE.with(|c| c.try_borrow().map(|g| g.is_some()).unwrap_or(false));
    if active {
        render(a, ts_ms);
    }
}

fn render(a: &mut App, ts_ms: f64) {
    ACTIVE.with(|c| {
        let Ok(mut g) = c.try_borrow_mut() else {
            return;
        };
        let Some(act) = g.as_mut() else { return };
        act.update(a, ts_ms);
    });
}

impl Active {
    fn update(&mut self, a: &mut App, ts_ms: f64) {
        let lang = a.lang;
        // Next's animation ends when the app reaches the step's moment
        // (`App::pause_at_us` stops the run exactly there) or the user pauses.
        if self.target_us.is_some() && !a.playing {
            self.target_us = None;
        }
        let now = a.sim.now_us();
        let events = a.sim.trace_len_now();
        let k = shown_step(&self.lesson, now);
        let Some(step) = self.lesson.steps.get(k) else {
            return;
        };
        // Claims: whenever the run moved, throttled while playing.
        let stale = self
            .claims
            .as_ref()
            .is_none_or(|(ck, ct, ce, _)| (*ck, *ct, *ce) != (k, now, events));
        if stale && (!a.playing || ts_ms >= self.claims_due_ms || ts_ms == 0.0) {
            self.claims_due_ms = ts_ms + CLAIMS_EVERY_MS;
            self.changed = a.sim.scenario() != &self.run;
            let results = check_step(step, &a.sim);
            let ticks: Vec<bool> = results.iter().map(|r| r.is_ok()).collect();
            let same = self
                .claims
                .as_ref()
                .is_some_and(|(ck, _, _, old)| *ck == k && *old == ticks);
            if !same {
                set_html("lesson-claims", &claims_html(step, &results, lang));
            }
            self.claims = Some((k, now, events, ticks));
        }
        // Text, counter, buttons: when the step (or the situation) changes.
        let key = (k, lang, self.safe, self.changed, self.free);
        if self.shown != Some(key) {
            self.shown = Some(key);
            let ll = lesson_lang(lang);
            let n = self.lesson.steps.len();
            set_text("lesson-title", self.lesson.title(ll));
            set_text(
                "lesson-count",
                &tf(lang, "l_step_of", &[&(k + 1).to_string(), &n.to_string()]),
            );
            set_html("lesson-text", &text_html(step, lang));
            set_button_disabled("lesson-back", k == 0);
            set_button_disabled("lesson-next", k + 1 >= n);
            let last_free = step.free_play && k + 1 == n;
            show("lesson-free-box", last_free && !self.free);
            show("lesson-next", !last_free);
            match warning_text(&self.lesson, lang) {
                Some(w) if !self.safe => {
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
                w.set_class_name(if self.safe {
                    "lesson-note safe"
                } else {
                    "lesson-note warn"
                });
            }
            show("lesson-changed", self.changed);
        }
        // The safety panel flags what the lesson expects: say that it is the point.
        let violations = a.view.violations.len();
        if violations > self.violations_seen {
            self.violations_seen = violations;
            if let Some(p) = self.lesson.expected_violation {
                if !self.safe && a.view.violations.iter().any(|v| v.property == p) {
                    a.banner(
                        &tf(lang, "l_expected_violation", &[property_label(lang, p)]),
                        true,
                    );
                }
            }
        } else if violations < self.violations_seen {
            self.violations_seen = violations;
        }
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
/// id, title, step (0-based), steps, each step's moment, and the shown
/// step's claims checked now.
pub fn state_js(a: &App) -> Result<JsValue, JsValue> {
    with_active(|act| {
        let now = a.sim.now_us();
        let k = shown_step(&act.lesson, now);
        let claims = act
            .lesson
            .steps
            .get(k)
            .map(|s| {
                s.expects
                    .iter()
                    .map(|e| {
                        let r = e.claim.check(&a.sim);
                        ClaimOut {
                            claim: e.to_string(),
                            ok: r.is_ok(),
                            why: r.err(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let out = LessonOut {
            id: &act.lesson.id,
            title: act.lesson.title(lesson_lang(a.lang)),
            step: k,
            steps: act.lesson.steps.len(),
            at_us: act.lesson.steps.iter().map(|s| s.at_us).collect(),
            free_play: act.lesson.steps.last().is_some_and(|s| s.free_play),
            claims,
            safe: act.safe,
            changed: a.sim.scenario() != &act.run,
            expected_violation: act.lesson.expected_violation.map(property_name),
            source: match act.source {
                Source::Bundled => "bundled",
                Source::Url(_) => "url",
                Source::File(_) => "file",
            },
        };
        crate::to_js(&out)
    })
    .unwrap_or(Ok(JsValue::NULL))
}

/// The i18n keys this module uses (checked against the table by a test).
pub const KEYS: [&str; 24] = [
    "l_list_loading",
    "l_list_failed",
    "l_badge_switch",
    "l_claim_ok",
    "l_claim_no",
    "l_switch_on",
    "l_safe_on",
    "l_step_of",
    "l_bad_file",
    "l_too_big",
    "l_opened",
    "l_fetch_failed",
    "l_network",
    "l_http_status",
    "l_url_empty",
    "l_expected_violation",
    "bad_scenario",
    "copied",
    "copy_failed",
    "unknown_lesson",
    "p_leader-completeness",
    "u_commit_old_terms",
    "u_direct_change",
    "u_vote_without_log_check",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::TABLE;

    fn lesson(id: &str) -> Lesson {
        lessons::by_id(id).expect("bundled lesson")
    }

    #[test]
    fn list_shows_every_bundled_lesson_in_both_languages() {
        let all = lessons::all();
        assert_eq!(all.len(), 11);
        for lang in [Lang::En, Lang::Zh] {
            let h = list_html(&all, lang);
            assert_eq!(h.matches("<li>").count(), 11);
            for l in &all {
                assert!(h.contains(&format!("data-lesson=\"{}\"", l.id)));
                assert!(h.contains(&esc(l.title(lesson_lang(lang)))), "{}", l.id);
            }
            // Lessons 07, 08 and 10 break a rule on purpose and say so.
            assert_eq!(
                h.matches("badge warn").count(),
                3,
                "teaching-switch badges in {lang:?}"
            );
        }
        let zh = list_html(&all, Lang::Zh);
        assert!(zh.contains("角色与第一次选举"));
    }

    #[test]
    fn next_and_back_walk_the_steps_in_time() {
        let l = lesson("01-first-election");
        let at: Vec<u64> = l.steps.iter().map(|s| s.at_us).collect();
        assert!(at.len() >= 3);
        // Walk forward from the first step to the last, then back.
        let mut now = at[0];
        let mut seen = vec![now];
        while let Some(t) = next_target(&l, now) {
            assert!(t > now, "Next moves forward");
            now = t;
            seen.push(now);
        }
        assert_eq!(seen, at);
        let mut back = vec![now];
        while let Some(t) = back_target(&l, now) {
            assert!(t < now, "Back travels back in time");
            now = t;
            back.push(now);
        }
        back.reverse();
        assert_eq!(back, at);
        // Between two steps (after a scrub) the narration shows the earlier one.
        assert_eq!(shown_step(&l, at[1] + 1), 1);
        assert_eq!(next_target(&l, at[1] + 1), Some(at[2]));
        assert_eq!(back_target(&l, at[1] + 1), Some(at[0]));
    }

    #[test]
    fn claims_are_ticked_at_their_step_and_not_before() {
        let l = lesson("01-first-election");
        let mut sim = l.sim().expect("sim");
        for (i, step) in l.steps.iter().enumerate() {
            sim.seek(step.at_us);
            let r = check_step(step, &sim);
            assert!(r.iter().all(|r| r.is_ok()), "step {i}: {r:?}");
            let h = claims_html(step, &r, Lang::En);
            assert_eq!(h.matches("class=\"ok\"").count(), step.expects.len());
        }
        // At time 0 the claim "candidate 1 term 1" of step 2 does not hold yet.
        sim.seek(0);
        let r = check_step(&l.steps[1], &sim);
        assert!(r.iter().any(|r| r.is_err()));
        assert!(claims_html(&l.steps[1], &r, Lang::Zh).contains("class=\"no\""));
    }

    #[test]
    fn share_and_embed_links_name_the_lesson() {
        let base = page_base("https://h/course/raftlab/?lang=zh&lesson=x#1.abc");
        assert_eq!(base, "https://h/course/raftlab/");
        assert_eq!(
            lesson_links(base, "05-network-partition", &Source::Bundled),
            Some((
                "https://h/course/raftlab/?lesson=05-network-partition".into(),
                "https://h/course/raftlab/?embed&lesson=05-network-partition".into()
            ))
        );
        let (link, embed) = lesson_links(
            base,
            "custom",
            &Source::Url("https://u.example/a b.lesson".into()),
        )
        .expect("url link");
        assert_eq!(
            link,
            "https://h/course/raftlab/?lesson-url=https%3A%2F%2Fu.example%2Fa%20b.lesson"
        );
        assert!(embed.contains("?embed&lesson-url="));
        let p = crate::params::parse_query(&link[link.find('?').unwrap_or(0)..]);
        assert_eq!(
            p.lesson_url.as_deref(),
            Some("https://u.example/a b.lesson")
        );
        assert_eq!(
            lesson_links(base, "custom", &Source::File("x.lesson".into())),
            None
        );
    }

    #[test]
    fn txt_files_are_scenarios_everything_else_lessons() {
        assert_eq!(file_kind("split.txt"), FileKind::Scenario);
        assert_eq!(file_kind("https://x/y/SPLIT.TXT?raw=1"), FileKind::Scenario);
        assert_eq!(file_kind("my.lesson"), FileKind::Lesson);
        assert_eq!(file_kind("https://x/lesson?id=3"), FileKind::Lesson);
    }

    #[test]
    fn a_teaching_switch_lesson_names_its_switch_and_property() {
        let l = lesson("08-commit-current-term");
        let w = warning_text(&l, Lang::En).expect("a warning");
        assert!(w.contains(t(Lang::En, "u_commit_old_terms")), "{w}");
        assert!(
            w.contains("Leader Completeness") || w.contains("State Machine"),
            "{w}"
        );
        assert!(warning_text(&l, Lang::Zh).is_some());
        assert_eq!(warning_text(&lesson("01-first-election"), Lang::En), None);
        // Every switch a bundled lesson turns on has a label.
        for l in lessons::all() {
            for s in l.teaching_switches() {
                assert!(!switch_label(Lang::Zh, s.name()).is_empty(), "{}", s.name());
            }
        }
    }

    #[test]
    fn every_key_used_here_exists_in_both_languages() {
        for k in KEYS {
            let e = TABLE.iter().find(|e| e.0 == k);
            assert!(e.is_some_and(|e| !e.1.is_empty() && !e.2.is_empty()), "{k}");
        }
    }

    #[test]
    fn narration_keeps_paragraphs_and_escapes() {
        let mut l = lesson("01-first-election");
        l.steps[0].text_en = "a <b>\n\nsecond".into();
        assert_eq!(
            text_html(&l.steps[0], Lang::En),
            "<p>a &lt;b&gt;</p><p>second</p>"
        );
        assert!(text_html(&l.steps[0], Lang::Zh).contains("跟随者"));
    }
}
