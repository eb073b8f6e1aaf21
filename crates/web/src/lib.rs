//! Raftlab in the browser: a thin wasm-bindgen boundary over plain Rust.
//!
//! - [`geom`], [`style`], [`eventlog`], [`i18n`], [`params`]: pure logic,
//!   unit-tested natively (`cargo test -p web`).
//! - [`draw`]: paints a `sim::View` snapshot on a canvas; never touches the sim.
//! - [`app`]: the app state (simulator, playback clock, selection, panels);
//!   every change to the run is a scenario-language line given to `Sim::act_line`.
//! - this file: start-up, the frame loop, DOM listeners, `window.raftlab`
//!   and its postMessage twin, and the panic overlay.

pub mod app;
pub mod dom;
pub mod draw;
pub mod eventlog;
pub mod geom;
pub mod i18n;
pub mod lessons_ui;
pub mod params;
pub mod style;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use app::{App, UNSAFE};
use dom::{on, on_id, show, target_el};
use geom::Pt;
use i18n::{t, tf, Lang};
use params::Params;
use sim::{LinkError, Scenario, Sim, SimOptions};

thread_local! {
    /// The one app of this page.
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    /// The scenario and time for a bug report, kept outside `APP`: a panic
    /// happens while `APP` is borrowed.
    static CRASH_SCENARIO: RefCell<Option<Scenario>> = const { RefCell::new(None) };
    static CRASH_NOW_US: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` on the app; `None` before start-up, after a panic, or when
/// called re-entrantly (never the case for browser events, which do not nest).
fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| a.try_borrow_mut().ok().and_then(|mut g| g.as_mut().map(f)))
}

/// Entry point, run by the generated loader.
#[wasm_bindgen(start)]
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
    let packed = match link.map(sim::link_payload) {
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
    let (mut sim, base) = match Sim::with_options(scenario.clone(), SimOptions::default()) {
        Ok(s) => (s, scenario),
        Err(e) => {
            error = Some(tf(lang, "bad_scenario", &[&e.to_string()]));
            let d = Scenario::default();
            (
                Sim::with_options(d.clone(), SimOptions::default()).map_err(|e| e.to_string())?,
                d,
            )
        }
    };
    if at_us > 0 {
        sim.seek(at_us.min(app::SEEK_US_MAX));
    }
    let playing = p.autoplay.unwrap_or(autoplay);
    let speed = p.speed.unwrap_or(params::SPEED_DEFAULT);
    let mut a = App::new(sim, base, lang, p.embed, playing, speed)
        .ok_or("the page is missing its canvases")?;

    let d = dom::doc().ok_or("no document")?;
    if p.embed {
        if let Some(b) = d.body() {
            let _ = b.class_list().add_1("embed");
        }
    }
    fill_speed_select(a.speed);
    fill_node_count_select();
    a.set_lang(lang);
    if let Some(e) = &error {
        a.banner(e, true);
    }
    APP.with(|cell| *cell.borrow_mut() = Some(a));
    wire_events();
    install_js_api()?;
    lessons_ui::start(&p, linked);
    show("loading", false);
    show("app", true);
    start_frames();
    Ok(())
}

fn fill_speed_select(current: f64) {
    let mut h = String::new();
    for s in params::SPEED_LABELS {
        h.push_str(&format!("<option value=\"{s}\">{s}×</option>"));
    }
    dom::set_html("speed", &h);
    dom::set_value("speed", &app::format_speed(current));
}

fn fill_node_count_select() {
    let h: String = (1..=9)
        .map(|n| format!("<option value=\"{n}\">{n}</option>"))
        .collect();
    dom::set_html("set-nodes", &h);
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
                        .map(|sc| app::plain_url(&href, sc, CRASH_NOW_US.with(|c| c.get())))
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

fn remember_for_crash(a: &App) {
    CRASH_NOW_US.with(|c| c.set(a.sim.now_us()));
    CRASH_SCENARIO.with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            if s.as_ref() != Some(a.sim.scenario()) {
                *s = Some(a.sim.scenario().clone());
            }
        }
    });
}

// ----- frame loop ----------------------------------------------------------

/// requestAnimationFrame loop. The closure re-registers itself each frame;
/// it lives in an Rc it holds a reference to (the wasm-bindgen example's
/// pattern), so it is never dropped while the page is open.
/// The frame callback, owned by itself (see `start_frames`).
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

fn start_frames() {
    let f: FrameSlot = Rc::new(RefCell::new(None));
    let g = f.clone();
    *g.borrow_mut() = Some(Closure::new(move |ts: f64| {
        let start = now_ms();
        let alive = with_app(|a| {
            a.frame(ts);
            lessons_ui::frame(a, ts);
            remember_for_crash(a);
            // Everything the app does in this frame is counted.
            let spent = now_ms() - start;
            if a.frame_us.len() >= app::FRAME_SAMPLES_MAX {
                a.frame_us.remove(0);
            }
            a.frame_us.push((spent * 1000.0) as u32);
        });
        if alive.is_none() {
            // After a panic: stop animating (the overlay is up).
            return;
        }
        if let (Some(w), Some(cb)) = (dom::window(), f.borrow().as_ref()) {
            let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
        }
    }));
    let first = g.borrow();
    if let (Some(w), Some(cb)) = (dom::window(), first.as_ref()) {
        let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
    }
}

fn now_ms() -> f64 {
    dom::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    // getrandom uses crypto.getRandomValues; if that fails, fall back to the clock.
    if getrandom::getrandom(&mut b).is_err() {
        return (js_sys::Date::now() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    u64::from_le_bytes(b) % 1_000_000_000
}

// ----- DOM events ----------------------------------------------------------

fn click(id: &str, f: impl Fn(&mut App) + 'static) {
    on_id(id, "click", move |_| {
        with_app(|a| f(a));
    });
}

fn wire_events() {
    click("btn-play", |a| a.set_playing(!a.playing));
    click("btn-step", |a| a.step());
    click("btn-reset", |a| a.restart_with(a.base.clone()));
    click("btn-seed", |a| a.new_seed(random_seed()));
    click("btn-request", |a| a.client_request());
    click("btn-partition", |a| a.toggle_partition_mode());
    click("btn-partition-apply", |a| a.apply_partition());
    click("btn-partition-cancel", |a| a.toggle_partition_mode());
    click("btn-heal", |a| {
        if let Err(e) = a.act("heal") {
            a.banner(&e, true);
        }
    });
    click("btn-add", |a| a.add_server());
    click("btn-settings", |a| {
        a.fill_settings();
        show("settings-dialog", true);
    });
    click("btn-settings-apply", |a| a.apply_settings());
    click("btn-share", |a| {
        a.fill_share();
        show("share-dialog", true);
    });
    click("btn-help", |_| show("help-dialog", true));
    click("banner-close", |_| show("banner", false));
    click("btn-drop", |a| a.drop_message());
    click("btn-msg-close", |a| a.close_message());
    click("btn-confirm-yes", |a| a.confirm_unsafe(true));
    click("btn-confirm-no", |a| a.confirm_unsafe(false));
    click("btn-change", |a| a.change_membership(false));
    click("btn-unsafe-change", |a| a.change_membership(true));
    click("btn-copy-link", |a| {
        a.link_then(|a, r| match r {
            Ok(link) => {
                dom::set_value("share-link", &link);
                copy_with_notice(a, &link, "share-link");
            }
            Err(why) => a.banner(&tf(a.lang, "link_failed", &[&why]), true),
        });
    });
    click("btn-copy-embed", |a| {
        let s = dom::value("embed-snippet");
        copy_with_notice(a, &s, "embed-snippet");
    });
    click("btn-export-trace", |a| {
        dom::download_text(
            &a.trace_jsonl(),
            "raftlab-trace.jsonl",
            "application/x-ndjson",
        )
    });
    click("btn-export-png", |a| {
        if let Some(u) = a.png_url() {
            dom::download(&u, "raftlab.png");
        }
    });
    for id in ["sw-prevote", "sw-checkquorum", "sw-sticky", "sw-hint"] {
        on_id(id, "change", move |_| {
            with_app(|a| a.protocol_switch(id));
        });
    }
    for (i, (_, id, _)) in UNSAFE.iter().enumerate() {
        on_id(id, "change", move |_| {
            with_app(|a| a.unsafe_switch(i));
        });
    }
    on_id("speed", "change", |_| {
        with_app(|a| {
            if let Some(s) = params::parse_speed(&dom::value("speed")) {
                a.speed = s;
            }
        });
    });
    on_id("lang", "change", |_| {
        with_app(|a| {
            if let Some(l) = Lang::parse(&dom::value("lang")) {
                dom::storage_set("raftlab.lang", l.short());
                a.set_lang(l);
            }
        });
    });
    // Node menu: one listener for all its buttons.
    on_id("node-menu", "click", |e| {
        let act = target_el(&e)
            .and_then(|t| t.closest("[data-act]").ok().flatten())
            .and_then(|b| b.get_attribute("data-act"));
        if let Some(act) = act {
            with_app(|a| a.menu_action(&act));
        }
    });
    // Event log and safety panel: click = seek.
    {
        let id = "event-log";
        on_id(id, "click", |e| {
            let t = target_el(&e)
                .and_then(|t| t.closest("[data-t]").ok().flatten())
                .and_then(|li| li.get_attribute("data-t"));
            if let Some(t) = t.and_then(|t| t.parse::<u64>().ok()) {
                with_app(|a| {
                    a.set_playing(false);
                    a.seek(t);
                });
            }
        });
    }
    // Dialogs: close buttons and clicks on the backdrop.
    if let Some(d) = dom::doc() {
        if let Ok(list) = d.query_selector_all(".dialog") {
            for i in 0..list.length() {
                let Some(dlg) = list
                    .get(i)
                    .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                else {
                    continue;
                };
                if dlg.id() == "panic-overlay" {
                    continue;
                }
                let me = dlg.clone();
                on(&dlg, "click", move |e| {
                    let Some(t) = target_el(&e) else { return };
                    if t.class_list().contains("close-dialog") || t.is_same_node(Some(&me)) {
                        me.set_hidden(true);
                        if me.id() == "confirm-dialog" {
                            with_app(|a| a.confirm_unsafe(false));
                        }
                    }
                });
            }
        }
    }
    // Canvas: click or tap.
    if let Some(c) = dom::el("view") {
        let canvas = c.clone();
        on(&c, "click", move |e| {
            if let Some(p) = canvas_point(&canvas, e) {
                with_app(|a| a.canvas_click(p, 12.0));
            }
        });
        let canvas = c.clone();
        on(&c, "pointermove", move |e| {
            let Some(p) = canvas_point(&canvas, e) else {
                return;
            };
            let hot = with_app(|a| {
                a.layout.node_at(p).is_some()
                    || geom::message_at(&a.msg_pos, p, 12.0).is_some()
                    || a.layout.link_at(p).is_some()
            })
            .unwrap_or(false);
            let _ = canvas
                .style()
                .set_property("cursor", if hot { "pointer" } else { "default" });
        });
    }
    // Timeline: drag to travel in time (mouse, pen and touch alike).
    if let Some(tl) = dom::el("timeline") {
        let el = tl.clone();
        let seek_to = move |e: &web_sys::PointerEvent| {
            let r = el.get_bounding_client_rect();
            let x = e.client_x() as f64 - r.left();
            with_app(|a| {
                let t = a.timeline_time(x);
                a.seek(t);
            });
        };
        let s1 = seek_to.clone();
        let el2 = tl.clone();
        on(&tl, "pointerdown", move |e| {
            let Ok(pe) = e.dyn_into::<web_sys::PointerEvent>() else {
                return;
            };
            let _ = el2.set_pointer_capture(pe.pointer_id());
            with_app(|a| a.set_dragging(true));
            s1(&pe);
        });
        let s2 = seek_to.clone();
        on(&tl, "pointermove", move |e| {
            let Ok(pe) = e.dyn_into::<web_sys::PointerEvent>() else {
                return;
            };
            if pe.buttons() != 0 && with_app(|a| a.is_dragging()).unwrap_or(false) {
                s2(&pe);
            }
        });
        for ev in ["pointerup", "pointercancel"] {
            on(&tl, ev, |_| {
                with_app(|a| a.set_dragging(false));
            });
        }
        on(&tl, "keydown", |e| {
            let Ok(k) = e.clone().dyn_into::<web_sys::KeyboardEvent>() else {
                return;
            };
            if k.key() == "ArrowLeft" || k.key() == "ArrowRight" {
                // Handled by the document listener; keep the page from scrolling.
                e.prevent_default();
            }
        });
    }
    // Keyboard shortcuts (not while typing in a field).
    if let Some(d) = dom::doc() {
        on(&d, "keydown", |e| {
            let Ok(k) = e.clone().dyn_into::<web_sys::KeyboardEvent>() else {
                return;
            };
            if k.ctrl_key() || k.meta_key() || k.alt_key() {
                return;
            }
            if let Some(t) = target_el(&e) {
                let tag = t.tag_name().to_ascii_lowercase();
                if tag == "input" || tag == "textarea" || tag == "select" {
                    return;
                }
                // Buttons handle Enter and Space themselves.
                if tag == "button" && (k.key() == "Enter" || k.key() == " ") {
                    return;
                }
            }
            let key = k.key();
            let shift = k.shift_key();
            let handled = match key.as_str() {
                "?" => {
                    show("help-dialog", true);
                    true
                }
                "n" | "N" => with_app(|a| a.new_seed(random_seed())).is_some(),
                "l" | "L" => with_app(|a| {
                    a.fill_share();
                    show("share-dialog", true);
                })
                .is_some(),
                other => {
                    // Letters are case-insensitive; Shift only matters for the arrows.
                    let key = if other.chars().count() == 1 {
                        other.to_ascii_lowercase()
                    } else {
                        other.to_string()
                    };
                    with_app(|a| a.key(&key, shift)).unwrap_or(false)
                }
            };
            if handled {
                e.prevent_default();
            }
        });
    }
    if let Some(w) = dom::window() {
        // A pasted link in the same tab: start over from it.
        on(&w, "hashchange", |_| {
            if let Some(w) = dom::window() {
                let _ = w.location().reload();
            }
        });
        on(&w, "message", on_post_message);
    }
    if let Some(a) = dom::el("open-full") {
        let me = a.clone();
        on(&a, "click", move |_| {
            // Made at once (uncompressed): the browser follows the link
            // right after this handler.
            if let Some(url) = with_app(|a| a.plain_link()) {
                let _ = me.set_attribute("href", &url);
            }
        });
    }
}

fn copy_with_notice(a: &App, text: &str, field: &str) {
    let ok = dom::copy_text(text);
    if let Some(e) = dom::by_id::<web_sys::HtmlInputElement>(field) {
        e.select();
    } else if let Some(e) = dom::by_id::<web_sys::HtmlTextAreaElement>(field) {
        e.select();
    }
    a.banner(t(a.lang, if ok { "copied" } else { "copy_failed" }), !ok);
}

// ----- window.raftlab and postMessage ---------------------------------------

/// Parses a time given as seconds (number) or as text ("1.5s", "300ms").
fn time_arg(v: &JsValue) -> Option<u64> {
    if let Some(s) = v.as_f64() {
        return (s.is_finite() && s >= 0.0).then(|| (s * 1e6).round() as u64);
    }
    v.as_string()
        .and_then(|s| sim::units::parse_duration_us(s.trim()))
}

/// A snapshot for the JS API as a plain JS object, the shape `JSON.parse`
/// would give (maps as objects, `None` as `null`). Built directly rather
/// than through JSON text: no float formatting or JSON code in the wasm.
fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

/// One call of the API by name: used by `window.raftlab` and postMessage alike.
fn call(name: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let gone = || JsValue::from(js_sys::Error::new("Raftlab is not running"));
    match name {
        "state" => with_app(|a| a.state_js()).ok_or_else(gone)?,
        "act" => {
            let line = arg
                .as_string()
                .ok_or_else(|| js_sys::Error::new("act(line): line must be a string"))?;
            with_app(|a| a.act(&line))
                .ok_or_else(gone)?
                .map_err(|e| JsValue::from(js_sys::Error::new(&e)))?;
            Ok(JsValue::TRUE)
        }
        "seek" => {
            let t = time_arg(arg).ok_or_else(|| {
                js_sys::Error::new(
                    "seek(t): t is seconds (a number) or a duration such as \"1.5s\"",
                )
            })?;
            with_app(|a| a.seek(t)).ok_or_else(gone)?;
            Ok(JsValue::TRUE)
        }
        "play" => with_app(|a| a.set_playing(true))
            .map(|_| JsValue::TRUE)
            .ok_or_else(gone),
        "pause" => with_app(|a| a.set_playing(false))
            .map(|_| JsValue::TRUE)
            .ok_or_else(gone),
        "step" => with_app(|a| a.step())
            .map(|_| JsValue::TRUE)
            .ok_or_else(gone),
        "link" => {
            // A promise: the browser compresses the link asynchronously.
            let mut gone_now = false;
            let p = js_sys::Promise::new(&mut |resolve, reject| {
                let answered = with_app(|a| {
                    a.link_then(move |_, r| {
                        let _ = match r {
                            Ok(link) => resolve.call1(&JsValue::NULL, &link.into()),
                            Err(why) => reject.call1(&JsValue::NULL, &js_sys::Error::new(&why)),
                        };
                    })
                });
                gone_now = answered.is_none();
            });
            if gone_now {
                return Err(gone());
            }
            Ok(p.into())
        }
        "lesson" => with_app(|a| lessons_ui::state_js(a)).ok_or_else(gone)?,
        "speed" => {
            let s = arg
                .as_f64()
                .ok_or_else(|| js_sys::Error::new("speed(x): x is a number"))?;
            with_app(|a| {
                a.speed = params::clamp_speed(s);
                dom::set_value("speed", &app::format_speed(a.speed));
            })
            .ok_or_else(gone)?;
            Ok(JsValue::TRUE)
        }
        "lang" => {
            let l = arg
                .as_string()
                .and_then(|s| Lang::parse(&s))
                .ok_or_else(|| js_sys::Error::new("lang(code): en or zh"))?;
            with_app(|a| a.set_lang(l)).ok_or_else(gone)?;
            Ok(JsValue::TRUE)
        }
        "traceHash" => with_app(|a| a.trace_hash())
            .map(JsValue::from)
            .ok_or_else(gone),
        "trace" => with_app(|a| a.trace_jsonl())
            .map(JsValue::from)
            .ok_or_else(gone),
        "scenario" => with_app(|a| a.sim.scenario().to_string())
            .map(JsValue::from)
            .ok_or_else(gone),
        "frameStats" => {
            let s = with_app(|a| {
                let mut v = a.frame_us.clone();
                v.sort_unstable();
                let q = |f: f64| {
                    v.get(((v.len() as f64 - 1.0) * f).round().max(0.0) as usize)
                        .copied()
                        .unwrap_or(0)
                };
                // Hand-built: these are plain numbers.
                let n = v.len().max(1) as f64;
                let avg = |k: usize| (a.phase_ms[k] * 1000.0 / n) as u64;
                format!(
                    "{{\"count\":{},\"p50_us\":{},\"p95_us\":{},\"max_us\":{},\"avg_sim_us\":{},\"avg_view_us\":{},\"avg_paint_us\":{},\"avg_panels_us\":{}}}",
                    v.len(),
                    q(0.5),
                    q(0.95),
                    q(1.0),
                    avg(0),
                    avg(1),
                    avg(2),
                    avg(3)
                )
            })
            .ok_or_else(gone)?;
            js_sys::JSON::parse(&s)
        }
        "resetFrameStats" => with_app(|a| {
            a.frame_us.clear();
            a.phase_ms = [0.0; 4];
        })
        .map(|_| JsValue::TRUE)
        .ok_or_else(gone),
        "debugPanic" => {
            // For the browser test of the panic overlay: a deliberate panic
            // inside the app, as a real bug would be.
            with_app(|_| panic!("raftlab.debugPanic() was called"));
            Ok(JsValue::UNDEFINED)
        }
        other => Err(js_sys::Error::new(&format!("raftlab has no operation {other}")).into()),
    }
}

/// The operations of `window.raftlab`.
pub const API: [&str; 16] = [
    "state",
    "act",
    "seek",
    "play",
    "pause",
    "step",
    "link",
    "lesson",
    "speed",
    "lang",
    "traceHash",
    "trace",
    "scenario",
    "frameStats",
    "resetFrameStats",
    "debugPanic",
];

fn install_js_api() -> Result<(), JsValue> {
    let obj = js_sys::Object::new();
    for name in API {
        let f = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |arg: JsValue| {
            call(name, &arg)
        });
        js_sys::Reflect::set(&obj, &name.into(), f.as_ref())?;
        f.forget();
    }
    js_sys::Reflect::set(&obj, &"version".into(), &env!("CARGO_PKG_VERSION").into())?;
    let w = dom::window().ok_or("no window")?;
    js_sys::Reflect::set(&w, &"raftlab".into(), &obj)?;
    Ok(())
}

/// `{raftlab: "act", arg: "crash 1", id: 7}` from an embedding page; the
/// answer goes back to the sender as `{raftlab: "reply", id, ok, value | error}`.
fn on_post_message(e: web_sys::Event) {
    let Ok(me) = e.dyn_into::<web_sys::MessageEvent>() else {
        return;
    };
    let data = me.data();
    let Some(op) = js_sys::Reflect::get(&data, &"raftlab".into())
        .ok()
        .and_then(|v| v.as_string())
    else {
        return;
    };
    if op == "reply" || !API.contains(&op.as_str()) || op == "debugPanic" {
        return;
    }
    let arg = js_sys::Reflect::get(&data, &"arg".into()).unwrap_or(JsValue::UNDEFINED);
    let id = js_sys::Reflect::get(&data, &"id".into()).unwrap_or(JsValue::NULL);
    let reply = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&reply, &"raftlab".into(), &"reply".into());
    let _ = js_sys::Reflect::set(&reply, &"id".into(), &id);
    let post = move |r: Result<JsValue, JsValue>| {
        match r {
            Ok(v) => {
                let _ = js_sys::Reflect::set(&reply, &"ok".into(), &JsValue::TRUE);
                let _ = js_sys::Reflect::set(&reply, &"value".into(), &v);
            }
            Err(err) => {
                let msg = dom::js_message(&err);
                let _ = js_sys::Reflect::set(&reply, &"ok".into(), &JsValue::FALSE);
                let _ = js_sys::Reflect::set(&reply, &"error".into(), &msg.into());
            }
        }
        if let Some(src) = me.source() {
            if let Ok(f) = js_sys::Reflect::get(&src, &"postMessage".into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
            {
                let _ = f.call2(&src, &reply, &"*".into());
            }
        }
    };
    match call(&op, &arg) {
        // `link` answers later: reply when it does.
        Ok(v) if v.is_instance_of::<js_sys::Promise>() => {
            type Post = Box<dyn FnOnce(Result<JsValue, JsValue>)>;
            let post: Rc<RefCell<Option<Post>>> = Rc::new(RefCell::new(Some(Box::new(post))));
            let post2 = post.clone();
            let answer = |p: &RefCell<Option<Post>>, r| {
                if let Some(f) = p.borrow_mut().take() {
                    f(r);
                }
            };
            dom::then(
                &v.unchecked_into(),
                move |v| answer(&post, Ok(v)),
                move |e| answer(&post2, Err(e)),
            );
        }
        r => post(r),
    }
}

/// Where a mouse or pointer event happened, in the canvas's CSS pixels.
fn canvas_point(canvas: &web_sys::Element, e: web_sys::Event) -> Option<Pt> {
    let me = e.dyn_into::<web_sys::MouseEvent>().ok()?;
    let r = canvas.get_bounding_client_rect();
    Some(Pt {
        x: me.client_x() as f64 - r.left(),
        y: me.client_y() as f64 - r.top(),
    })
}
