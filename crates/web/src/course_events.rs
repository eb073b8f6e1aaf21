//! Course-page events (issue 13): when Raftlab runs in an iframe, it tells
//! the page around it what the student does, with `postMessage` to the
//! parent frame. Each message is a plain object whose `type` names it:
//!
//! - `{type: "raftlab:step", lesson, step, of}`: the narration shows step
//!   `step` (0-based, as `raftlab.lesson().step`) of `of`;
//! - `{type: "raftlab:answer", lesson, question, choice, correct}`: the run
//!   graded a pick (`choice` 0-based; a run the student changed so that it
//!   cannot grade sends nothing);
//! - `{type: "raftlab:complete", lesson, score, of}`: the last step was
//!   reached with every question answered; `score` right answers of `of`
//!   graded ones.
//!
//! The messages carry no secret, so they go to any origin (`"*"`). A page
//! that is not framed posts nothing.

use wasm_bindgen::JsValue;

use crate::dom;

/// Posts `message` (JSON text of an object whose `type` is one of the
/// above) to the parent frame, if any. The callers write lesson and
/// question ids into it unescaped: ids are lowercase letters, digits and
/// `-` (the lesson parser's rule), so the text is always valid JSON.
pub fn post(message: &str) {
    let Some(w) = dom::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if AsRef::<JsValue>::as_ref(&parent) == AsRef::<JsValue>::as_ref(&w) {
        return;
    }
    if let Ok(msg) = js_sys::JSON::parse(message) {
        let _ = parent.post_message(&msg, "*");
    }
}
