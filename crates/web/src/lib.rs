//! Raftlab in the browser: a thin wasm-bindgen boundary over plain Rust.
//!
//! - [`session`]: the page's state without the page (simulator, playback
//!   clock, selection, partition draft, markers, lesson), driven by typed
//!   [`session::Intent`]s; natively tested.
//! - [`clients`]: the client's requests, answers and written values at a
//!   moment, from the timeline and the trace; natively tested.
//! - [`geom`], [`style`], [`eventlog`], [`i18n`], [`params`], [`shortcuts`],
//!   [`unsafe_switches`]: pure logic and tables, natively tested.
//! - [`draw`]: paints a `sim::View` snapshot on a canvas; never touches the sim.
//! - [`app`] and the panels around it ([`panels`], [`popups`],
//!   [`settings_ui`], [`share`], [`state_out`], [`page`]), [`lessons_ui`],
//!   [`rules_ui`] (the paper's rules, the one behind an event highlighted):
//!   the DOM layer, which reads the session and sends it intents.
//! - [`progress`]: answers and completed lessons as stored (a versioned
//!   line format); [`course_events`]: the messages a course page receives.
//! - [`start`] (start-up, panic overlay), [`frame`] (the animation loop),
//!   [`events`] (listeners), [`api`] (`window.raftlab` and postMessage).

pub mod api;
pub mod app;
pub mod canvas_keys;
pub mod clients;
pub mod course_events;
pub mod dom;
pub mod draw;
pub mod eventlog;
pub mod events;
pub mod frame;
pub mod geom;
pub mod gestures;
pub mod i18n;
pub mod lessons_ui;
pub mod more_menu;
pub mod page;
pub mod panels;
pub mod params;
pub mod pointer;
pub mod popups;
pub mod present;
pub mod progress;
pub mod rules_ui;
pub mod session;
pub mod settings_ui;
pub mod share;
pub mod shortcuts;
pub mod small_sort;
pub mod start;
pub mod state_out;
pub mod style;
pub mod summary;
pub mod unsafe_switches;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use app::App;

pub(crate) use api::to_js;

thread_local! {
    /// The one app of this page.
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

/// Runs `f` on the app; `None` before start-up, after a panic, or when
/// called re-entrantly (never the case for browser events, which do not nest).
pub(crate) fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| a.try_borrow_mut().ok().and_then(|mut g| g.as_mut().map(f)))
}

/// Makes `a` the page's app (once, at start-up).
pub(crate) fn install_app(a: App) {
    APP.with(|cell| *cell.borrow_mut() = Some(a));
}

/// Entry point, run by the generated loader.
#[wasm_bindgen(start)]
pub fn main() -> Result<(), JsValue> {
    start::start()
}
