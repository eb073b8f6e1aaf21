//! The animation loop: one `requestAnimationFrame` callback that advances
//! the session, paints, follows the lesson and times itself.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::{App, FrameSample, FRAME_SAMPLES_MAX};
use crate::{dom, lessons_ui, start, with_app};

/// The frame callback, owned by itself (see `start_frames`).
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Starts the requestAnimationFrame loop. The closure re-registers itself
/// each frame; it lives in an Rc it holds a reference to (the wasm-bindgen
/// example's pattern), so it is never dropped while the page is open.
pub fn start_frames() {
    let f: FrameSlot = Rc::new(RefCell::new(None));
    let g = f.clone();
    *g.borrow_mut() = Some(Closure::new(move |ts: f64| {
        let alive = with_app(|a| one_frame(a, ts));
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

/// Everything one frame does, timed as a whole for `frameStats()`.
fn one_frame(a: &mut App, ts: f64) {
    let start = now_ms();
    let phase_us = a.frame(ts);
    lessons_ui::frame(a, ts);
    start::remember_for_crash(a);
    let total_us = ((now_ms() - start) * 1000.0) as u32;
    if a.frames.len() >= FRAME_SAMPLES_MAX {
        a.frames.remove(0);
    }
    a.frames.push(FrameSample { total_us, phase_us });
}

/// performance.now(), ms (0 without a window).
pub(crate) fn now_ms() -> f64 {
    dom::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
