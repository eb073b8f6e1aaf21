//! The rule panel: Figure 2 of the paper and the thesis's rules, with the
//! rule behind the latest event, or behind the event-log line the user
//! clicked, highlighted (scrolled into view inside the panel only).
//!
//! The texts are a fetched file (`text.rs`), requested in the background
//! on the first frame; what to highlight is `pick.rs`, from
//! `sim::Sim::rules_at`. The panel is a `<details>`: closed, it costs
//! nothing per frame.

pub mod pick;
pub mod text;

use std::cell::RefCell;

use raft::Rule;
use wasm_bindgen::JsCast;

use crate::app::App;
use crate::dom::{self, set_html, set_text};
use crate::i18n::{t, tf, Lang};
use crate::lessons_ui::fetch_text;
use pick::Pick;
use text::{rule_index, Texts};

/// Where the rule texts are, next to the page.
const RULES_URL: &str = "rules/rules.txt";

/// The texts as far as they came.
enum Load {
    /// Not asked for yet.
    Idle,
    /// Asked for.
    Loading,
    /// Here.
    Ready(Texts),
    /// Could not be had: why, in words for the panel.
    Failed(String),
}

/// The panel's state. Invariant: `shown` describes what the DOM shows.
struct Panel {
    load: Load,
    /// The event-log line clicked (a trace index), and the trace length
    /// when the panel first showed it: it holds until time moves on.
    selected: Option<(usize, Option<usize>)>,
    /// What the DOM shows: (language, texts rendered, trace length,
    /// selected event).
    shown: Option<(Lang, bool, usize, Option<usize>)>,
    /// The rules lit now, and the sentence above the list: unchanged
    /// ones are not written again.
    lit: Vec<Rule>,
    sentence: String,
}

thread_local! {
    static PANEL: RefCell<Panel> = const {
        RefCell::new(Panel {
            load: Load::Idle,
            selected: None,
            shown: None,
            lit: Vec::new(),
            sentence: String::new(),
        })
    };
}

/// The user clicked the event-log line of trace event `i`.
pub fn select(i: usize) {
    PANEL.with(|p| p.borrow_mut().selected = Some((i, None)));
}

/// Once per panel refresh: fetch the texts once, render them in the
/// page's language, and highlight the rules of the selected event or of
/// the latest moment. Cheap when nothing changed; nothing while closed.
pub fn follow(app: &App) {
    let open = dom::el("rules-panel").is_some_and(|p| p.has_attribute("open"));
    let lang = app.lang;
    PANEL.with(|p| {
        let Ok(mut p) = p.try_borrow_mut() else {
            return;
        };
        if matches!(p.load, Load::Idle) {
            p.load = Load::Loading;
            fetch_text(RULES_URL.to_string(), lang, |r| {
                PANEL.with(|p| {
                    let mut p = p.borrow_mut();
                    p.load = match r.map(|s| text::parse(&s)) {
                        Ok(Ok(texts)) => Load::Ready(texts),
                        Ok(Err(line)) => Load::Failed(format!("rules.txt:{line}")),
                        Err(why) => Load::Failed(why),
                    };
                    p.shown = None;
                });
            });
        }
        if open {
            p.show(app, lang);
        }
    });
}

impl Panel {
    fn show(&mut self, app: &App, lang: Lang) {
        let sim = app.session.sim();
        let n = sim.trace_len_now();
        let selected = match self.selected {
            Some((i, Some(seen))) if seen == n && i < n => Some(i),
            Some((i, None)) if i < n => Some(i),
            _ => None,
        };
        self.selected = selected.map(|i| (i, Some(n)));
        let ready = matches!(self.load, Load::Ready(_));
        let key = (lang, ready, n, selected);
        if self.shown == Some(key) {
            return;
        }
        let texts_shown = self.shown.is_some_and(|s| s.0 == lang && s.1);
        if !texts_shown {
            self.lit.clear();
        }
        match &self.load {
            Load::Ready(texts) if !texts_shown => set_html("rules-list", &text::html(texts, lang)),
            Load::Ready(_) => {}
            Load::Failed(why) => {
                set_html(
                    "rules-list",
                    &format!(
                        "<p class=\"error-text\">{}</p>",
                        dom::esc(&tf(lang, "rules_failed", &[why]))
                    ),
                );
            }
            Load::Idle | Load::Loading => {
                set_html(
                    "rules-list",
                    &format!(
                        "<p class=\"hint\">{}</p>",
                        dom::esc(t(lang, "rules_loading"))
                    ),
                );
            }
        }
        let pick = match selected {
            Some(i) => pick::selected(sim, i),
            None => pick::latest(sim),
        };
        // Lighting and scrolling make the browser lay the page out again:
        // only when the lit rules change (and at most four times a second
        // while playing, `App::frame`). Scrolled first, before this frame
        // writes to the page: the layout is then still the one the browser
        // made for the last frame, and reading it costs nothing.
        let relight = ready && pick.rules != self.lit;
        if relight {
            scroll_to(&pick);
        }
        let sentence = pick
            .event
            .and_then(|i| sim.trace_at(i))
            .map(|e| crate::eventlog::describe(lang, &e.ev));
        let which = if selected.is_some() {
            "rules_selected"
        } else {
            "rules_latest"
        };
        let sentence = sentence.map_or(t(lang, "rules_hint").to_string(), |s| {
            tf(lang, which, &[&s])
        });
        if sentence != self.sentence {
            set_text("rules-now", &sentence);
            self.sentence = sentence;
        }
        if relight {
            highlight(&pick);
            self.lit = pick.rules;
        }
        self.shown = Some(key);
    }
}

/// The line of the first picked rule, if the list shows it.
fn first_line(pick: &Pick) -> Option<(web_sys::HtmlElement, web_sys::HtmlElement)> {
    let list = dom::el("rules-list")?;
    let rule = pick.rules.first()?;
    let sel = format!("li[data-rule=\"{}\"]", rule_index(*rule));
    let li = list.query_selector(&sel).ok()??;
    Some((list, li.dyn_into::<web_sys::HtmlElement>().ok()?))
}

/// Scrolls the list, not the page, to the first picked rule's line
/// (scrollIntoView would scroll the page too). Lighting a line does not
/// move it (`.on` changes colours only), so this may come before it.
fn scroll_to(pick: &Pick) {
    if let Some((list, li)) = first_line(pick) {
        let top = li.offset_top() - list.client_height() / 3;
        list.set_scroll_top(top.max(0));
    }
}

/// Marks the picked rules' lines (`on`, the first also `first`).
fn highlight(pick: &Pick) {
    let Some(list) = dom::el("rules-list") else {
        return;
    };
    if let Ok(old) = list.query_selector_all("li.on") {
        for i in 0..old.length() {
            if let Some(e) = old
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                e.set_class_name("");
            }
        }
    }
    for (k, rule) in pick.rules.iter().enumerate() {
        let sel = format!("li[data-rule=\"{}\"]", rule_index(*rule));
        if let Ok(Some(li)) = list.query_selector(&sel) {
            li.set_class_name(if k == 0 { "on first" } else { "on" });
        }
    }
}
