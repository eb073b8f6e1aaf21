//! The bundled lessons in the browser, fetched from `lessons/ID.lesson`
//! next to the page the first time each is needed, and the lesson list.

use std::cell::RefCell;

use lessons::Lesson;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::html::{list_html, own_html};
use crate::dom::{self, js_message, set_html, set_text, then};
use crate::i18n::{t, tf, Lang};

thread_local! {
    /// The bundled lessons as fetched so far, in course order.
    static CATALOG: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// One bundled lesson in the browser: its file is fetched from
/// `lessons/ID.lesson` next to the page the first time it is needed (the
/// texts are ~20 KB gzipped, kept out of the wasm for the size budget).
#[derive(Clone)]
pub(super) enum Entry {
    /// Not requested yet.
    Idle,
    /// Requested; these run when it arrives (or fails).
    Loading(Vec<Waiter>),
    Ready(Box<Lesson>),
    /// Why it could not be loaded, in the language of the moment.
    Failed(String),
}

/// Something to do with a bundled lesson once its file is in.
pub(super) type Waiter = std::rc::Rc<dyn Fn(Result<Lesson, String>)>;

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
pub(super) fn with_bundled(id: &str, lang: Lang, then: Waiter) {
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
pub(super) fn load_list(lang: Lang) {
    for id in lessons::BUNDLED_IDS {
        let redraw = move |_| render_list(crate::with_app(|a| a.lang).unwrap_or(lang));
        with_bundled(id, lang, std::rc::Rc::new(redraw));
    }
}

/// The bundled lessons fetched so far, in course order.
pub(super) fn ready() -> Vec<Lesson> {
    CATALOG.with(|c| {
        c.borrow()
            .iter()
            .filter_map(|e| match e {
                Entry::Ready(l) => Some((**l).clone()),
                _ => None,
            })
            .collect()
    })
}

/// The list as far as it has loaded; a line says what is still loading
/// or what failed.
pub(super) fn render_list(lang: Lang) {
    let ready = ready();
    let (loading, failed) = CATALOG.with(|c| {
        let c = c.borrow();
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
        (loading, failed)
    });
    let p = super::scores::load();
    set_html("lesson-items", &list_html(&ready, lang, &p));
    set_html("lesson-own", &own_html(&ready, lang, &p));
    let status = if !failed.is_empty() {
        tf(lang, "l_list_failed", &[&failed.join("; ")])
    } else if loading {
        t(lang, "l_list_loading").to_string()
    } else {
        String::new()
    };
    set_text("lesson-list-status", &status);
}

/// Fetches a text file; `done` gets its text or why it could not be read.
pub fn fetch_text(url: String, lang: Lang, done: impl FnOnce(Result<String, String>) + 'static) {
    fetch_text_boxed(url, lang, Box::new(done));
}

/// [`fetch_text`] for one callback type: its five closures are then made
/// once, not once per caller (some 5 KB of wasm less, as `dom::then_boxed`).
#[inline(never)]
fn fetch_text_boxed(url: String, lang: Lang, done: Box<dyn FnOnce(Result<String, String>)>) {
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
