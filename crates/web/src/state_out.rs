//! `raftlab.state()`: the snapshot as the JS API shows it, with where
//! each node and message is on the canvas and on the screen.
//!
//! Built field by field with the few helpers of [`Js`], not serialized:
//! serde-wasm-bindgen made one ~17 KB function of the whole snapshot (the
//! page's size budget), a call per field costs a few bytes. The shape is
//! the one its `Serializer::json_compatible` gave, which scripts and the
//! browser tests read: plain objects with the keys in field order, `None`
//! as `null`, maps as objects, enums as their serde words, and a `u64` JS
//! cannot hold exactly fails the call rather than being rounded.

use std::cell::Cell;

use js_sys::{Array, Object, Reflect};
use raft::NodeId;
use sim::scenario::BackoffMode;
use sim::trace::role_word;
use sim::view::{EntryView, NetworkView, NodeView, ProgressView};
use sim::{Kv, Settings, Violation};
use wasm_bindgen::JsValue;

use crate::app::App;
use crate::clients::{ClientMark, MarkKind};
use crate::eventlog::property_name;
use crate::geom::Pt;
use crate::session::Focus;

/// Where the canvas is: the zoom of its layout (presentation mode), the
/// pinch-zoom and pan over it, and its top-left corner on the screen.
#[derive(Clone, Copy)]
struct Screen {
    zoom: f64,
    pinch: crate::gestures::Zoom,
    left: f64,
    top: f64,
}

impl Screen {
    /// `p` of the layout in CSS px of the canvas.
    fn css(self, p: Pt) -> Pt {
        self.pinch.show(Pt {
            x: p.x * self.zoom,
            y: p.y * self.zoom,
        })
    }
}

const ORIGIN: Pt = Pt { x: 0.0, y: 0.0 };

impl App {
    /// `state()` for the JS API. Fields are set in the order they always
    /// had (JS keeps insertion order), which scripts and tests see.
    pub fn state_js(&self) -> Result<JsValue, JsValue> {
        let rect = self.canvas().get_bounding_client_rect();
        let at = Screen {
            zoom: self.zoom,
            pinch: self.gestures.zoom,
            left: rect.left(),
            top: rect.top(),
        };
        let v = self.session.view();
        let sim = self.session.sim();
        let js = Js::default();
        let o = Object::new();
        js.num(&o, "time", v.now_us as f64 / 1e6);
        js.u64(&o, "time_us", v.now_us);
        js.u64(&o, "horizon_us", self.session.horizon_us());
        js.u64(&o, "known_us", sim.horizon_us());
        js.flag(&o, "playing", self.session.playing());
        js.num(&o, "speed", self.session.speed());
        js.str(&o, "lang", self.lang.short());
        js.flag(&o, "embed", self.embed);
        js.id_or_null(&o, "leader", v.leader);
        js.id_or_null(&o, "selected", self.session.selected());
        let nodes = js.list(&v.nodes, |n| self.node_js(&js, n, at));
        js.set(&o, "nodes", nodes);
        let messages = js.list(&v.messages, |m| self.message_js(&js, m, at));
        js.set(&o, "messages", messages);
        js.set(&o, "network", network_js(&js, &v.network));
        js.set(
            &o,
            "violations",
            js.list(&v.violations, |x| violation_js(&js, x)),
        );
        js.set(&o, "settings", settings_js(&js, &v.settings));
        let canvas = Object::new();
        js.num(&canvas, "width", self.layout.width * at.zoom);
        js.num(&canvas, "height", self.layout.height * at.zoom);
        // The pinch-zoom (1: the whole picture).
        js.num(&canvas, "zoom", at.pinch.scale);
        js.set(&o, "canvas", canvas.into());
        js.set(
            &o,
            "first_frame_ms",
            self.first_frame_ms.map_or(JsValue::NULL, JsValue::from),
        );
        js.num(&o, "trace_len", sim.trace_len_now() as f64);
        // What the canvas marks for the lesson (`Session::focus`).
        js.set(
            &o,
            "focus",
            focus_js(&js, &self.session.focus(self.hovered_claim)),
        );
        // Where the client glyph's centre is on the canvas (CSS px).
        let c = at.css(self.layout.client);
        js.num(&o, "client_glyph_x", c.x);
        js.num(&o, "client_glyph_y", c.y);
        // What the client is drawn doing now (`crate::clients`), with where.
        // Computed afresh (as the next frame will draw them), so that they
        // match `time_us` right after a seek or an action.
        let mut marks = Vec::new();
        let timing = crate::clients::ClientTiming::of(&v.settings);
        crate::clients::collect(&mut marks, sim, v.leader, timing);
        let marks = js.list(&marks, |m| self.client_mark_js(&js, m, v.now_us, at));
        js.set(&o, "client_marks", marks);
        js.result(o)
    }

    /// A node, with where it is drawn: `x`, `y` and its radius `r` on the
    /// canvas, `client_x`, `client_y` on the screen.
    fn node_js(&self, js: &Js, n: &NodeView, at: Screen) -> JsValue {
        let p = at.css(self.layout.pos(n.id).unwrap_or(ORIGIN));
        let o = Object::new();
        js.num(&o, "id", n.id.into());
        js.flag(&o, "up", n.up);
        js.set(
            &o,
            "role",
            n.role.map_or(JsValue::NULL, |r| role_word(r).into()),
        );
        js.u64(&o, "term", n.term);
        js.id_or_null(&o, "voted_for", n.voted_for);
        js.set(&o, "votes", js.ids(&n.votes_received));
        js.u64(&o, "commit", n.commit_index);
        js.u64(&o, "applied", n.last_applied);
        js.set(&o, "log", js.list(&n.log, |e| entry_js(js, e)));
        js.u64(&o, "snapshot_index", n.snapshot_index);
        js.set(&o, "kv", kv_js(js, &n.kv));
        js.set(&o, "voters", js.ids(&n.voters));
        js.str(&o, "membership", n.membership_role.as_str());
        js.set(&o, "progress", js.list(&n.progress, |p| progress_js(js, p)));
        js.num(&o, "x", p.x);
        js.num(&o, "y", p.y);
        js.num(&o, "r", self.layout.node_r * at.zoom * at.pinch.scale);
        js.num(&o, "client_x", at.left + p.x);
        js.num(&o, "client_y", at.top + p.y);
        o.into()
    }

    /// A message in flight, with where it is drawn (at the origin before
    /// the first frame placed it).
    fn message_js(&self, js: &Js, m: &sim::view::MessageView, at: Screen) -> JsValue {
        let p = self
            .msg_pos
            .iter()
            .find(|(id, _)| *id == m.id)
            .map_or(ORIGIN, |x| at.css(x.1));
        let o = Object::new();
        js.u64(&o, "id", m.id);
        js.num(&o, "from", m.from.into());
        js.num(&o, "to", m.to.into());
        js.str(&o, "type", m.msg.type_name());
        js.u64(&o, "term", m.msg.term());
        js.u64(&o, "sent_us", m.sent_us);
        js.u64(&o, "deliver_us", m.deliver_us);
        js.num(&o, "x", p.x);
        js.num(&o, "y", p.y);
        js.num(&o, "client_x", at.left + p.x);
        js.num(&o, "client_y", at.top + p.y);
        o.into()
    }

    /// A client mark (`ClientMark`'s fields but the leader) and where it is
    /// drawn on the canvas: a flight's label, the client for a conclusion,
    /// the server for an arrival or a written value.
    fn client_mark_js(&self, js: &Js, m: &ClientMark, now_us: u64, at: Screen) -> JsValue {
        let done = m.progress(now_us);
        let l = &self.layout;
        let p = match m.kind {
            MarkKind::Request => l.client_flight_pos(m.node, done, true),
            MarkKind::Answer => l.client_flight_pos(m.node, done, false),
            MarkKind::Outcome => Some(l.client),
            MarkKind::Arrival | MarkKind::Written => l.pos(m.node),
        };
        let p = at.css(p.unwrap_or(ORIGIN));
        let o = Object::new();
        js.str(&o, "kind", m.kind.name());
        js.num(&o, "node", m.node.into());
        js.str(&o, "text", &m.text);
        js.set(
            &o,
            "result",
            m.result.map_or(JsValue::NULL, |r| r.as_str().into()),
        );
        js.u64(&o, "from_us", m.from_us);
        js.u64(&o, "to_us", m.to_us);
        js.num(&o, "x", p.x);
        js.num(&o, "y", p.y);
        o.into()
    }
}

fn entry_js(js: &Js, e: &EntryView) -> JsValue {
    let o = Object::new();
    js.u64(&o, "index", e.index);
    js.u64(&o, "term", e.term);
    js.str(&o, "kind", e.kind.as_str());
    js.str(&o, "cmd", &e.cmd);
    o.into()
}

fn progress_js(js: &Js, p: &ProgressView) -> JsValue {
    let o = Object::new();
    js.num(&o, "id", p.id.into());
    js.u64(&o, "next_index", p.next_index);
    js.u64(&o, "match_index", p.match_index);
    o.into()
}

/// The key-value store as an object, keys in the store's order.
fn kv_js(js: &Js, kv: &Kv) -> JsValue {
    let o = Object::new();
    for (k, v) in kv.iter() {
        js.str(&o, k, v);
    }
    o.into()
}

/// Partition groups and cut links `[from, to]`, as arrays of ids.
fn network_js(js: &Js, n: &NetworkView) -> JsValue {
    let o = Object::new();
    js.set(&o, "groups", js.list(&n.groups, |g| js.ids(g)));
    js.set(&o, "cuts", js.list(&n.cuts, |c| js.ids(c)));
    o.into()
}

/// A violation; `other_term` stays out, as it always did (`detail` says it).
fn violation_js(js: &Js, v: &Violation) -> JsValue {
    let o = Object::new();
    js.str(&o, "property", property_name(v.property));
    js.set(&o, "nodes", js.ids(&v.nodes));
    js.u64(&o, "term", v.term);
    js.u64(&o, "index", v.index);
    js.str(&o, "detail", &v.detail);
    o.into()
}

/// The settings, as `Settings`' serde: `staged` only when some node is
/// staged, keyed by the node's id as a string.
fn settings_js(js: &Js, s: &Settings) -> JsValue {
    let o = Object::new();
    js.num(&o, "nodes", s.nodes.into());
    js.u64(&o, "seed", s.seed);
    js.u64(&o, "election_timeout_us_min", s.election_timeout_us_min);
    js.u64(&o, "election_timeout_us_max", s.election_timeout_us_max);
    js.u64(&o, "heartbeat_us", s.heartbeat_us);
    js.u64(&o, "latency_us_min", s.latency_us_min);
    js.u64(&o, "latency_us_max", s.latency_us_max);
    js.num(&o, "loss", s.loss.0.into());
    js.num(&o, "duplicate", s.duplicate.0.into());
    js.num(&o, "reorder", s.reorder.0.into());
    js.flag(&o, "pre_vote", s.pre_vote);
    js.flag(&o, "check_quorum", s.check_quorum);
    js.flag(&o, "sticky_leader", s.sticky_leader);
    js.flag(&o, "noop", s.noop);
    js.str(&o, "backoff", backoff_word(s.backoff));
    let u = &s.unsafe_switches;
    let switches = Object::new();
    js.flag(&switches, "commit_old_terms", u.commit_old_terms);
    js.flag(
        &switches,
        "vote_without_log_check",
        u.vote_without_log_check,
    );
    js.flag(
        &switches,
        "forget_vote_on_restart",
        u.forget_vote_on_restart,
    );
    js.flag(&switches, "direct_change", u.direct_change);
    js.set(&o, "unsafe_switches", switches.into());
    js.set(&o, "snapshot_every", js.u64_or_null(s.snapshot_every));
    if !s.staged.is_empty() {
        let staged = Object::new();
        for (id, n) in s.staged.iter() {
            let node = Object::new();
            js.set(&node, "term", js.u64_or_null(n.term));
            let log = js.list(&n.log, |e| {
                let entry = Object::new();
                js.u64(&entry, "term", e.term);
                let cmd = e.cmd.as_deref().map_or(JsValue::NULL, JsValue::from);
                js.set(&entry, "cmd", cmd);
                entry.into()
            });
            js.set(&node, "log", log);
            js.set(&staged, &id.to_string(), node.into());
        }
        js.set(&o, "staged", staged.into());
    }
    o.into()
}

/// The lesson's marks: ids, and entries as `[node, index]`.
fn focus_js(js: &Js, f: &Focus) -> JsValue {
    let o = Object::new();
    js.set(&o, "nodes", js.ids(&f.nodes));
    let entries = js.list(&f.entries, |&(node, index)| {
        let pair = Array::new();
        pair.push(&node.into());
        pair.push(&js.number(index));
        pair.into()
    });
    js.set(&o, "entries", entries);
    js.set(&o, "messages", js.list(&f.messages, |&id| js.number(id)));
    o.into()
}

/// A back-off mode as serde writes it (`rename_all = "lowercase"`).
fn backoff_word(b: BackoffMode) -> &'static str {
    match b {
        BackoffMode::Decrement => "decrement",
        BackoffMode::Hint => "hint",
    }
}

/// Writes JS values for `state()`. Each helper is one call at each field,
/// not inlined: that is the point (size). Remembers the first `u64` too
/// big for a JS number, which fails the call as serde-wasm-bindgen did:
/// a seed of 2^64 - 1 is valid scenario text.
#[derive(Default)]
struct Js {
    too_big: Cell<Option<u64>>,
}

impl Js {
    /// `o[key] = v`.
    #[inline(never)]
    fn set(&self, o: &Object, key: &str, v: JsValue) {
        // A fresh plain object takes any key: Reflect.set cannot throw here
        // (and on `__proto__` it does what `o[key] = v` did).
        let _ = Reflect::set(o, &JsValue::from_str(key), &v);
    }

    #[inline(never)]
    fn num(&self, o: &Object, key: &str, v: f64) {
        self.set(o, key, v.into());
    }

    #[inline(never)]
    fn u64(&self, o: &Object, key: &str, v: u64) {
        self.set(o, key, self.number(v));
    }

    #[inline(never)]
    fn flag(&self, o: &Object, key: &str, v: bool) {
        self.set(o, key, v.into());
    }

    #[inline(never)]
    fn str(&self, o: &Object, key: &str, v: &str) {
        self.set(o, key, v.into());
    }

    #[inline(never)]
    fn id_or_null(&self, o: &Object, key: &str, v: Option<NodeId>) {
        self.set(o, key, v.map_or(JsValue::NULL, JsValue::from));
    }

    /// `v` as a JS number (exact up to 2^53; past it, noted for `result`).
    #[inline(never)]
    fn number(&self, v: u64) -> JsValue {
        if v > js_sys::Number::MAX_SAFE_INTEGER as u64 && self.too_big.get().is_none() {
            self.too_big.set(Some(v));
        }
        (v as f64).into()
    }

    fn u64_or_null(&self, v: Option<u64>) -> JsValue {
        v.map_or(JsValue::NULL, |v| self.number(v))
    }

    /// An array of node ids.
    #[inline(never)]
    fn ids(&self, ids: &[NodeId]) -> JsValue {
        let a = Array::new();
        for &id in ids {
            a.push(&id.into());
        }
        a.into()
    }

    /// An array of `f` of each item.
    fn list<T>(&self, items: &[T], mut f: impl FnMut(&T) -> JsValue) -> JsValue {
        let a = Array::new();
        for x in items {
            a.push(&f(x));
        }
        a.into()
    }

    /// `o`, or the error serde-wasm-bindgen gave for a number too big.
    fn result(&self, o: Object) -> Result<JsValue, JsValue> {
        match self.too_big.get() {
            None => Ok(o.into()),
            Some(v) => Err(js_sys::Error::new(&format!(
                "{v} can't be represented as a JavaScript number"
            ))
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use raft::Role;

    /// The words are the ones serde wrote (and `state()` showed).
    #[test]
    fn words_are_serdes() {
        let word = |v: serde_json::Value| v.as_str().map(str::to_owned);
        for r in [
            Role::Follower,
            Role::PreCandidate,
            Role::Candidate,
            Role::Leader,
        ] {
            let serde = word(serde_json::to_value(r).unwrap());
            assert_eq!(serde.as_deref(), Some(role_word(r)));
        }
        for b in [BackoffMode::Decrement, BackoffMode::Hint] {
            let serde = word(serde_json::to_value(b).unwrap());
            assert_eq!(serde.as_deref(), Some(backoff_word(b)));
        }
    }
}
