//! The node menu and the message popup: filled and placed next to what
//! was clicked. Which one is open is the session's; this is only the DOM.

use raft::NodeId;
use wasm_bindgen::JsCast;

use crate::app::App;
use crate::dom::{self, esc, set_html, set_text};
use crate::eventlog::{format_time, role_name};
use crate::geom::{clamp, Pt};
use crate::i18n::{t, tf, words};

impl App {
    /// Fills the node menu of `id`, places it next to the node and focuses it.
    pub(crate) fn open_menu(&mut self, id: NodeId) {
        let lang = self.lang;
        let Some(n) = self.session.view().nodes.iter().find(|n| n.id == id) else {
            return;
        };
        set_text(
            "node-menu-title",
            &format!(
                "S{} · {} · {} {}",
                id,
                role_name(lang, n.role),
                t(lang, "term"),
                n.term
            ),
        );
        set_text(
            "menu-crash",
            t(lang, if n.up { "m_crash" } else { "m_restart" }),
        );
        let Some(p) = self.layout.pos(id) else { return };
        // In the canvas's CSS px (the layout is zoomed in presentation
        // mode and by a pinch).
        let z = self.zoom;
        let (p, r, width, height) = (
            self.to_css(p),
            self.layout.node_r * self.scale(),
            self.layout.width * z,
            self.layout.height * z,
        );
        let menu_w = 210.0;
        let x = if p.x + r + 8.0 + menu_w < width {
            p.x + r + 8.0
        } else {
            (p.x - r - 8.0 - menu_w).max(0.0)
        };
        let y = clamp(p.y - r, 0.0, (height - 260.0).max(0.0));
        if let Some(m) = dom::el("node-menu") {
            let s = m.style();
            let _ = s.set_property("left", &format!("{}px", x as i64));
            let _ = s.set_property("top", &format!("{}px", y as i64));
            m.set_hidden(false);
            if let Ok(Some(b)) = m.query_selector("button") {
                if let Ok(b) = b.dyn_into::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        }
    }

    /// Fills the popup of message `id` and places it next to `p`.
    pub(crate) fn open_message(&mut self, id: u64, p: Pt) {
        let lang = self.lang;
        let Some(m) = self.session.view().messages.iter().find(|m| m.id == id) else {
            return;
        };
        set_text(
            "msg-title",
            &format!(
                "#{} {} · {}",
                m.id,
                m.msg.type_name(),
                tf(
                    lang,
                    "msg_from_to",
                    &[&m.from.to_string(), &m.to.to_string()]
                )
            ),
        );
        let mut h = String::new();
        let mut row =
            |k: &str, v: &str| h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(v)));
        row(t(lang, "sent_at"), &format_time(m.sent_us));
        row(t(lang, "arrives_at"), &format_time(m.deliver_us));
        for (k, v) in words::message_fields(lang, &m.msg) {
            row(k, &v);
        }
        set_html("msg-fields", &h);
        if let Some(el) = dom::el("msg-popup") {
            let w = 260.0;
            let (width, height) = (
                self.layout.width * self.zoom,
                self.layout.height * self.zoom,
            );
            let x = if p.x + 14.0 + w < width {
                p.x + 14.0
            } else {
                (p.x - 14.0 - w).max(0.0)
            };
            let y = clamp(p.y - 20.0, 0.0, (height - 220.0).max(0.0));
            let s = el.style();
            let _ = s.set_property("left", &format!("{}px", x as i64));
            let _ = s.set_property("top", &format!("{}px", y as i64));
            el.set_hidden(false);
        }
    }
}
