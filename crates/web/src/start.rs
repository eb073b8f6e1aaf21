//! Start-up: which run the page opens (a share link, `?scenario=`, a
//! lesson, or the default), the session and app around it, and the panic
//! overlay with its bug report.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::app::App;
use crate::dom::{self, show};
use crate::i18n::{self, t, tf, Lang};
use crate::params::{self, Params};
use crate::session::Session;
use crate::share::plain_url;
use crate::{api, events, frame, lessons_ui, page};
use sim::{LinkError, Scenario, Sim, SimOptions};

thread_local! {
    /// The scenario and time for a bug report, kept outside the app: a
    /// panic happens while the app is borrowed.
    static CRASH_SCENARIO: RefCell<Option<Scenario>> = const { RefCell::new(None) };
    static CRASH_NOW_US: Cell<u64> = const { Cell::new(0) };
}

/// Reads the URL, then opens the first run (at once, or once the browser
/// has inflated a share link).
pub fn start() -> Result<(), JsValue> {
    install_panic_hook();
    let window = dom::window().ok_or("no window")?;
    let location = window.location();
    let query = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let p = params::parse_query(&query);
    let lang = p
        .lang
        .or_else(|| dom::storage_get("raftlab.lang").and_then(|l| Lang::parse(&l)))
        .or_else(|| window.navigator().language().and_then(|l| Lang::parse(&l)))
        .unwrap_or(Lang::En);

    // Chinese text is a file of its own (see `i18n`): a page that opens in
    // Chinese waits for it; one in English fetches it in the background, so
    // that switching language later is instant.
    if lang == Lang::Zh && !i18n::zh_loaded() {
        fetch_zh(move |loaded| {
            let lang = if loaded.is_ok() { Lang::Zh } else { Lang::En };
            if let Err(e) = open_first_run(p, lang, &hash) {
                fail_start(&e);
            }
            if let Err(why) = loaded {
                crate::with_app(|a| a.banner(&tf(Lang::En, "zh_failed", &[&why]), true));
            }
        });
        return Ok(());
    }
    let opened = open_first_run(p, lang, &hash);
    fetch_zh(|_| {});
    opened
}

/// Fetches `i18n/zh.txt` (next to the page) and loads it; `done` hears
/// whether that worked. Does nothing more once it is loaded.
pub fn fetch_zh(done: impl FnOnce(Result<(), String>) + 'static) {
    if i18n::zh_loaded() {
        return done(Ok(()));
    }
    lessons_ui::fetch_text("i18n/zh.txt".to_string(), Lang::En, move |r| {
        done(r.map(i18n::load_zh))
    });
}

/// Opens the first run, in `lang`: the `#link` (inflated by the browser,
/// which answers asynchronously), else `?scenario=`, else the default.
fn open_first_run(p: Params, lang: Lang, hash: &str) -> Result<(), JsValue> {
    // Which run: the #link, else ?scenario= (a link or scenario text), else
    // ?lesson=, else the default. A link is inflated by the browser, which
    // answers asynchronously: the app starts once it has.
    let fragment = hash.trim_start_matches('#').trim();
    let linked = !fragment.is_empty();
    let link = if linked {
        Some(fragment)
    } else {
        p.scenario
            .as_deref()
            .map(str::trim)
            .filter(|t| t.starts_with("1."))
    };
    let packed = match link.map(|l| sim::link_body(l).and_then(dom::from_base64url)) {
        None => {
            let run = match &p.scenario {
                Some(text) => Run::Text(text.clone()),
                None => Run::Default,
            };
            return begin(p, lang, run, linked);
        }
        Some(Err(e)) => return begin(p, lang, Run::Link(Err(e)), linked),
        Some(Ok(_)) if !dom::compression_streams() => {
            return begin(p, lang, Run::NoStreams, linked)
        }
        Some(Ok(packed)) => packed,
    };
    dom::inflate_raw(packed, move |r| {
        let decoded = r
            .map_err(|why| LinkError::Corrupt {
                reason: format!("cannot decompress: {why}"),
            })
            .and_then(sim::link_from_text);
        if let Err(e) = begin(p, lang, Run::Link(decoded), linked) {
            fail_start(&e);
        }
    });
    Ok(())
}

/// Where the first run comes from.
enum Run {
    /// The default cluster.
    Default,
    /// `?scenario=` scenario text.
    Text(String),
    /// A decoded share link (`#…` or `?scenario=1.…`): scenario and moment.
    Link(Result<(Scenario, u64), LinkError>),
    /// A share link, in a browser that cannot inflate it.
    NoStreams,
}

/// Says on the loading screen that the app could not start.
fn fail_start(e: &JsValue) {
    if let Some(l) = dom::el("loading") {
        l.set_text_content(Some(&format!(
            "Raftlab could not start / Raftlab 无法启动: {}",
            dom::js_message(e)
        )));
        l.set_class_name("loading failed");
    }
}

/// Start-up, once the first run is known: the app, its events, the JS API,
/// the lessons and the animation loop. `linked`: the page has a `#link`.
fn begin(p: Params, lang: Lang, run: Run, linked: bool) -> Result<(), JsValue> {
    let mut error: Option<String> = None;
    let mut at_us = 0;
    let mut autoplay = true;
    let scenario = match run {
        Run::Link(Ok((sc, t))) => {
            autoplay = false;
            at_us = t;
            Some(sc)
        }
        Run::Link(Err(e)) => {
            autoplay = false;
            let key = if linked { "bad_link" } else { "bad_scenario" };
            error = Some(tf(lang, key, &[&e.to_string()]));
            None
        }
        Run::NoStreams => {
            autoplay = false;
            error = Some(tf(lang, "bad_link", &[t(lang, "no_streams")]));
            None
        }
        Run::Text(text) => match Scenario::parse(&text) {
            Ok(sc) => Some(sc),
            Err(e) => {
                error = Some(tf(lang, "bad_scenario", &[&e.to_string()]));
                None
            }
        },
        Run::Default => {
            if let Some(name) = &p.lesson {
                // A known lesson is opened by `lessons_ui::start` below.
                if !lessons_ui::is_bundled(name) {
                    error = Some(tf(lang, "unknown_lesson", &[name]));
                }
            }
            None
        }
    };
    if let Some(at) = p.at_us {
        at_us = at;
    }
    let scenario = scenario.unwrap_or_default();
    let (sim, base) = match Sim::with_options(scenario.clone(), SimOptions::bounded()) {
        Ok(s) => (s, scenario),
        Err(e) => {
            error = Some(tf(lang, "bad_scenario", &[&e.to_string()]));
            let d = Scenario::default();
            (
                Sim::with_options(d.clone(), SimOptions::bounded()).map_err(|e| e.to_string())?,
                d,
            )
        }
    };
    let playing = p.autoplay.unwrap_or(autoplay);
    let speed = p.speed.unwrap_or(params::SPEED_DEFAULT);
    let mut session = Session::new(sim, base, playing, speed);
    if at_us > 0 {
        // However far: the session seeks in steps, in bounded memory.
        session.seek(at_us);
    }
    let mut a = App::new(session, lang, p.embed).ok_or("the page is missing its canvases")?;

    let d = dom::doc().ok_or("no document")?;
    if let Some(b) = d.body() {
        let _ = b.class_list().toggle_with_force("embed", p.embed);
        // `?controls=lesson`: CSS hides the free-play controls.
        a.lesson_controls = p.controls == params::Controls::Lesson;
        let _ = b
            .class_list()
            .toggle_with_force("lesson-controls", a.lesson_controls);
    }
    a.set_present(p.present);
    if let Some(v) = &p.bad_controls {
        error.get_or_insert_with(|| tf(lang, "bad_controls", &[v]));
    }
    page::fill_speed_select(a.session.speed());
    page::fill_node_count_select();
    a.set_lang(lang);
    if let Some(e) = &error {
        a.banner(e, true);
    }
    crate::install_app(a);
    events::wire_events();
    api::install()?;
    lessons_ui::start(&p, linked);
    show("loading", false);
    show("app", true);
    frame::start_frames();
    Ok(())
}

// ----- panic overlay -------------------------------------------------------

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let href = dom::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        // Uncompressed: the browser's compressor would answer after this
        // hook, and the wasm must not run again after a panic.
        let link = CRASH_SCENARIO
            .with(|s| {
                s.try_borrow().ok().and_then(|s| {
                    s.as_ref()
                        .map(|sc| plain_url(&href, sc, CRASH_NOW_US.with(|c| c.get())))
                })
            })
            .unwrap_or(href);
        let report = format!(
            "Raftlab bug report\n{info}\nlink: {link}\nuser agent: {}",
            dom::window()
                .and_then(|w| w.navigator().user_agent().ok())
                .unwrap_or_default()
        );
        dom::set_text("panic-text", &report);
        show("panic-overlay", true);
        show("loading", false);
        // These handlers are plain JS: after a panic the wasm instance must
        // not be entered again.
        if let Some(b) = dom::el("btn-bug") {
            let f = js_sys::Function::new_no_args(
                "var t=document.getElementById('panic-text').textContent;\
                 if(navigator.clipboard){navigator.clipboard.writeText(t).catch(function(){});}\
                 var r=document.createRange();r.selectNodeContents(document.getElementById('panic-text'));\
                 var s=getSelection();s.removeAllRanges();s.addRange(r);",
            );
            b.set_onclick(Some(&f));
        }
        if let Some(b) = dom::el("btn-reload") {
            b.set_onclick(Some(&js_sys::Function::new_no_args("location.reload()")));
        }
    }));
}

/// Keeps the run's scenario and moment where the panic hook can read them.
pub fn remember_for_crash(a: &App) {
    let sim = a.session.sim();
    CRASH_NOW_US.with(|c| c.set(sim.now_us()));
    CRASH_SCENARIO.with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            if s.as_ref() != Some(sim.scenario()) {
                *s = Some(sim.scenario().clone());
            }
        }
    });
}

/// A fresh seed for "new run" (below 10^9, so it is short to read).
pub fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    // getrandom uses crypto.getRandomValues; if that fails, fall back to the clock.
    if getrandom::getrandom(&mut b).is_err() {
        return (js_sys::Date::now() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    u64::from_le_bytes(b) % 1_000_000_000
}
