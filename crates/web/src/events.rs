//! The page's event listeners, one small function per panel. Lists of
//! buttons are tables of (element id, what a click does).

use wasm_bindgen::JsCast;

use crate::app::App;
use crate::dom::{self, on, on_id, show, target_el};
use crate::geom::Pt;
use crate::i18n::{t, tf, Lang};
use crate::session::Intent;
use crate::settings_ui::PROTOCOL;
use crate::shortcuts::{self, Command};
use crate::start::random_seed;
use crate::unsafe_switches::UNSAFE;
use crate::with_app;

/// A click handler on the app.
type OnClick = fn(&mut App);

/// The toolbar's and the dialogs' buttons.
const CLICKS: [(&str, OnClick); 35] = [
    ("btn-play", |a| {
        a.apply(Intent::TogglePlay);
    }),
    ("btn-step", |a| {
        a.apply(Intent::Step);
    }),
    ("btn-reset", |a| {
        a.apply(Intent::Reset);
    }),
    ("btn-seed", |a| {
        a.apply(Intent::NewSeed(random_seed()));
    }),
    ("btn-request", |a| {
        a.apply(Intent::ClientRequest);
    }),
    ("btn-partition", |a| {
        a.apply(Intent::TogglePartition);
    }),
    ("btn-partition-apply", |a| {
        a.apply(Intent::ApplyPartition);
    }),
    ("btn-partition-cancel", |a| {
        a.apply(Intent::TogglePartition);
    }),
    ("btn-heal", |a| {
        a.apply(Intent::Heal);
    }),
    ("btn-add", |a| {
        a.apply(Intent::AddServer);
    }),
    ("btn-settings", |a| {
        a.fill_settings();
        show("settings-dialog", true);
    }),
    ("btn-settings-apply", App::apply_settings),
    ("btn-share", open_share),
    ("btn-help", |_| show("help-dialog", true)),
    ("btn-more", |_| crate::more_menu::toggle()),
    // Under the open More menu, over the page: a click beside the menu.
    ("more-shade", |_| {}),
    ("banner-close", |_| show("banner", false)),
    ("btn-drop", |a| {
        if let Some(id) = a.session.message() {
            a.apply(Intent::DropMessage(id));
        }
        show("msg-popup", false);
    }),
    ("btn-msg-close", |a| {
        a.apply(Intent::CloseMessage);
    }),
    ("btn-confirm-yes", |a| a.confirm_unsafe(true)),
    ("btn-confirm-no", |a| a.confirm_unsafe(false)),
    ("btn-change", |a| a.change_membership(false)),
    ("btn-unsafe-change", |a| a.change_membership(true)),
    ("btn-copy-link", copy_link),
    ("btn-copy-embed", |a| {
        let s = dom::value("embed-snippet");
        copy_with_notice(a, &s, "embed-snippet");
    }),
    ("btn-export-trace", |a| {
        dom::download_text(
            &a.session.trace_jsonl(),
            "raftlab-trace.jsonl",
            "application/x-ndjson",
        )
    }),
    ("btn-fork-yes", |a| {
        a.apply(Intent::ConfirmFork(true));
    }),
    ("btn-fork-no", |a| {
        a.apply(Intent::ConfirmFork(false));
    }),
    ("btn-fork-undo", |a| {
        a.apply(Intent::UndoFork);
    }),
    ("btn-fork-keep", |a| {
        a.apply(Intent::KeepFork);
    }),
    ("btn-export-png", |a| {
        if let Some(u) = a.png_url() {
            dom::download(&u, "raftlab.png");
        }
    }),
    ("btn-present", |a| a.set_present(!a.present)),
    ("btn-open-scenario", App::open_edited_scenario),
    // Issue 13: the lesson list's review and "Reset progress".
    ("review-btn", crate::lessons_ui::toggle_review),
    ("progress-reset", crate::lessons_ui::reset_progress),
];

/// Every listener of the page (the lessons wire their own).
pub fn wire_events() {
    wire_clicks();
    wire_switches();
    wire_selects();
    wire_node_menu();
    wire_event_log();
    wire_dialogs();
    wire_canvas();
    wire_timeline();
    wire_keyboard();
    wire_window();
}

/// Runs `f` on the app when `id` is clicked.
pub fn click(id: &str, f: impl Fn(&mut App) + 'static) {
    click_boxed(id, Box::new(f));
}

/// [`click`] for one closure type: the event handler around `f` is then
/// made once, not once per button (as `dom::on_id_boxed`).
#[inline(never)]
fn click_boxed(id: &str, f: Box<dyn Fn(&mut App)>) {
    // Any control chosen closes the More menu (its button toggles it).
    let closes = id != "btn-more";
    on_id(id, "click", move |_| {
        if closes {
            crate::more_menu::set_open(false);
        }
        with_app(|a| f(a));
    });
}

fn wire_clicks() {
    for (id, f) in CLICKS {
        click(id, f);
    }
}

fn open_share(a: &mut App) {
    a.fill_share();
    show("share-dialog", true);
}

fn copy_link(a: &mut App) {
    a.link_then(|a, r| match r {
        Ok(link) => {
            dom::set_value("share-link", &link);
            copy_with_notice(a, &link, "share-link");
        }
        Err(why) => a.banner(&tf(a.lang, "link_failed", &[&why]), true),
    });
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

/// The protocol and teaching switches of the settings dialog.
fn wire_switches() {
    for (id, _) in PROTOCOL {
        on_id(id, "change", move |_| {
            with_app(|a| a.protocol_switch(id));
        });
    }
    for (i, r) in UNSAFE.iter().enumerate() {
        on_id(r.checkbox, "change", move |_| {
            with_app(|a| a.unsafe_switch(i));
        });
    }
}

/// The speed and language selects.
fn wire_selects() {
    on_id("speed", "change", |_| {
        with_app(|a| {
            if let Some(s) = crate::params::parse_speed(&dom::value("speed")) {
                a.apply(Intent::SetSpeed(s));
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
}

/// The node menu: one listener for all its buttons (`data-act`).
fn wire_node_menu() {
    on_id("node-menu", "click", |e| {
        let act = target_el(&e)
            .and_then(|t| t.closest("[data-act]").ok().flatten())
            .and_then(|b| b.get_attribute("data-act"));
        if let Some(act) = act {
            with_app(|a| a.menu_action(&act));
        }
    });
}

/// The event log: a click on an entry travels to its moment, and the rule
/// panel shows that event's rule.
fn wire_event_log() {
    on_id("event-log", "click", |e| {
        let ev = target_el(&e)
            .and_then(|t| t.closest("[data-ev]").ok().flatten())
            .and_then(|li| li.get_attribute("data-ev"));
        if let Some(i) = ev.and_then(|i| i.parse::<usize>().ok()) {
            crate::rules_ui::select(i);
        }
        let t = target_el(&e)
            .and_then(|t| t.closest("[data-t]").ok().flatten())
            .and_then(|li| li.get_attribute("data-t"));
        if let Some(t) = t.and_then(|t| t.parse::<u64>().ok()) {
            with_app(|a| {
                a.apply(Intent::SetPlaying(false));
                a.apply(Intent::Seek(t));
            });
        }
    });
}

/// Dialogs: close buttons and clicks on the backdrop.
fn wire_dialogs() {
    let Some(d) = dom::doc() else { return };
    let Ok(list) = d.query_selector_all(".dialog") else {
        return;
    };
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

/// The canvas: click or tap (unless the press dragged, panned or
/// pinched), and the pointers for the gestures and the pointer's shape.
fn wire_canvas() {
    let Some(c) = dom::el("view") else { return };
    let canvas = c.clone();
    on(&c, "click", move |e| {
        if let Some(p) = canvas_point(&canvas, e) {
            with_app(|a| {
                if !a.gestures.take_moved() {
                    a.canvas_click(p, 12.0);
                }
            });
        }
    });
    // One handler for the four, so one closure's code.
    for (kind, ev) in ["pointerdown", "pointermove", "pointerup", "pointercancel"]
        .into_iter()
        .enumerate()
    {
        let canvas = c.clone();
        on(&c, ev, move |e| canvas_pointer(&canvas, kind, e));
    }
}

/// A pointer event on the canvas, for `gestures.rs` (through `pointer.rs`):
/// `kind` 0 down, 1 move, 2 up, 3 cancel.
fn canvas_pointer(canvas: &web_sys::HtmlElement, kind: usize, e: web_sys::Event) {
    let Ok(pe) = e.dyn_into::<web_sys::PointerEvent>() else {
        return;
    };
    let Some(p) = canvas_point(canvas, pe.clone().into()) else {
        return;
    };
    let id = pe.pointer_id();
    match kind {
        // The main button alone: another opens the browser's own menu.
        0 if pe.buttons() == 1 => {
            // The gesture goes on outside the canvas.
            let _ = canvas.set_pointer_capture(id);
            with_app(|a| a.pointer_down(id, p));
        }
        1 => {
            let (scroll, hot) = with_app(|a| (a.pointer_move(id, p), a.hot(p))).unwrap_or_default();
            if scroll != 0.0 {
                if let Some(m) = dom::el("main") {
                    m.scroll_by_with_x_and_y(0.0, scroll);
                }
            }
            let _ = canvas
                .style()
                .set_property("cursor", if hot { "pointer" } else { "default" });
        }
        2 => _ = with_app(|a| a.pointer_up(id, crate::frame::now_ms())),
        3 => _ = with_app(|a| a.gestures.cancel(id)),
        _ => {}
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

/// The timeline: drag to travel in time (mouse, pen and touch alike).
fn wire_timeline() {
    let Some(tl) = dom::el("timeline") else {
        return;
    };
    let el = tl.clone();
    let seek_to = move |e: &web_sys::PointerEvent| {
        let r = el.get_bounding_client_rect();
        let x = e.client_x() as f64 - r.left();
        with_app(|a| {
            let t = a.timeline_time(x);
            a.apply(Intent::Seek(t));
        });
    };
    let s1 = seek_to.clone();
    let el2 = tl.clone();
    on(&tl, "pointerdown", move |e| {
        let Ok(pe) = e.dyn_into::<web_sys::PointerEvent>() else {
            return;
        };
        let _ = el2.set_pointer_capture(pe.pointer_id());
        with_app(|a| a.apply(Intent::SetDragging(true)));
        s1(&pe);
    });
    let s2 = seek_to.clone();
    on(&tl, "pointermove", move |e| {
        let Ok(pe) = e.dyn_into::<web_sys::PointerEvent>() else {
            return;
        };
        if pe.buttons() != 0 && with_app(|a| a.session.clock().dragging()).unwrap_or(false) {
            s2(&pe);
        }
    });
    for ev in ["pointerup", "pointercancel"] {
        on(&tl, ev, |_| {
            with_app(|a| a.apply(Intent::SetDragging(false)));
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

/// Keyboard shortcuts (not while typing in a field), from
/// `shortcuts::SHORTCUTS`; which row a key finds is `shortcuts::lookup`'s.
fn wire_keyboard() {
    let Some(d) = dom::doc() else { return };
    on(&d, "keydown", |e| {
        let Ok(k) = e.clone().dyn_into::<web_sys::KeyboardEvent>() else {
            return;
        };
        if k.ctrl_key() || k.meta_key() || k.alt_key() {
            return;
        }
        let target = target_el(&e).map_or(shortcuts::Target::Page, |t| {
            shortcuts::Target::of_tag(&t.tag_name())
        });
        let key = k.key();
        // Escape closes the More menu first, wherever the focus is in it.
        if key == "Escape" && crate::more_menu::is_open() {
            crate::more_menu::escape();
            e.prevent_default();
            return;
        }
        // A digit picks a choice of the lesson question waiting on screen
        // (before the shortcuts, where a digit selects a server).
        if target != shortcuts::Target::Field && crate::lessons_ui::pick_by_key(&key) {
            e.prevent_default();
            return;
        }
        let shift = k.shift_key();
        let handled = with_app(|a| {
            let cx = shortcuts::Context {
                lesson: a.session.lesson().is_some(),
                lesson_controls: a.lesson_controls,
            };
            let c = shortcuts::lookup(&key, target, cx);
            if let Some(c) = c {
                run_shortcut(a, c, shift);
            }
            c.is_some()
        });
        // Before the app is up, only the help works.
        let handled = handled.unwrap_or_else(|| {
            let help = key == "?" && target != shortcuts::Target::Field;
            if help {
                show("help-dialog", true);
            }
            help
        });
        if handled {
            e.prevent_default();
        }
    });
}

/// Does what a shortcut says.
fn run_shortcut(a: &mut App, command: Command, shift: bool) {
    let step_us = shortcuts::seek_step_us(shift);
    let selected = a.session.selected();
    if a.link_key(command) {
        return;
    }
    match command {
        Command::TogglePlay => _ = a.apply(Intent::TogglePlay),
        Command::Step => _ = a.apply(Intent::Step),
        Command::Slower => _ = a.apply(Intent::StepSpeed(-1)),
        Command::Faster => _ = a.apply(Intent::StepSpeed(1)),
        Command::Back => _ = a.apply(Intent::SeekBy(-step_us)),
        Command::Forward => _ = a.apply(Intent::SeekBy(step_us)),
        Command::Select(id) => _ = a.apply(Intent::Select(id)),
        Command::Menu => {
            let first = a.session.view().nodes.first().map(|n| n.id);
            if let Some(id) = selected.or(first) {
                a.apply(Intent::OpenMenu(id));
            }
        }
        Command::Crash => {
            if let Some(id) = selected {
                a.apply(Intent::Crash(id));
            }
        }
        Command::Timeout => {
            if let Some(id) = selected {
                a.apply(Intent::Timeout(id));
            }
        }
        Command::Request => _ = a.apply(Intent::ClientRequest),
        Command::Partition => _ = a.apply(Intent::TogglePartition),
        Command::Heal => _ = a.apply(Intent::Heal),
        Command::CutLink => a.arm_link(),
        Command::NextMessage => a.pick_message(true),
        Command::PrevMessage => a.pick_message(false),
        Command::Reset => _ = a.apply(Intent::Reset),
        Command::NewSeed => _ = a.apply(Intent::NewSeed(random_seed())),
        Command::Link => open_share(a),
        Command::Help => show("help-dialog", true),
        Command::Escape => a.escape(),
        Command::LessonNext => _ = a.apply(Intent::LessonNext),
        Command::LessonBack => _ = a.apply(Intent::LessonBack),
        Command::Present => a.set_present(!a.present),
    }
    dom::set_value("speed", &crate::page::format_speed(a.session.speed()));
}

/// The window: a pasted link, messages from an embedding page, and the
/// embed's "open in Raftlab" link.
fn wire_window() {
    if let Some(w) = dom::window() {
        // A pasted link in the same tab: start over from it.
        on(&w, "hashchange", |_| {
            if let Some(w) = dom::window() {
                let _ = w.location().reload();
            }
        });
        on(&w, "message", crate::api::on_post_message);
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
