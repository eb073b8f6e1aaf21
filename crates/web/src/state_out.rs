//! `raftlab.state()`: the snapshot as the JS API shows it, with where
//! each node and message is on the canvas and on the screen.

use raft::{NodeId, Role};
use wasm_bindgen::JsValue;

use crate::app::App;
use crate::clients::MarkKind;
use crate::geom::Pt;

impl App {
    /// `state()` for the JS API.
    pub fn state_js(&self) -> Result<JsValue, JsValue> {
        let rect = self.canvas().get_bounding_client_rect();
        let (left, top) = (rect.left(), rect.top());
        // CSS px of the canvas: the layout is zoomed in presentation mode.
        let z = self.zoom;
        let css = |p: Pt| Pt {
            x: p.x * z,
            y: p.y * z,
        };
        let v = self.session.view();
        let nodes = v
            .nodes
            .iter()
            .map(|n| {
                let p = css(self.layout.pos(n.id).unwrap_or(Pt { x: 0.0, y: 0.0 }));
                NodeOut {
                    id: n.id,
                    up: n.up,
                    role: n.role,
                    term: n.term,
                    voted_for: n.voted_for,
                    votes: &n.votes_received,
                    commit: n.commit_index,
                    applied: n.last_applied,
                    log: &n.log,
                    snapshot_index: n.snapshot_index,
                    kv: &n.kv,
                    voters: &n.voters,
                    membership: n.membership_role,
                    progress: &n.progress,
                    x: p.x,
                    y: p.y,
                    r: self.layout.node_r * z,
                    client_x: left + p.x,
                    client_y: top + p.y,
                }
            })
            .collect();
        let messages = v
            .messages
            .iter()
            .map(|m| {
                let p = self
                    .msg_pos
                    .iter()
                    .find(|(id, _)| *id == m.id)
                    .map_or(Pt { x: 0.0, y: 0.0 }, |x| css(x.1));
                MsgOut {
                    id: m.id,
                    from: m.from,
                    to: m.to,
                    r#type: m.msg.type_name(),
                    term: m.msg.term(),
                    sent_us: m.sent_us,
                    deliver_us: m.deliver_us,
                    x: p.x,
                    y: p.y,
                    client_x: left + p.x,
                    client_y: top + p.y,
                }
            })
            .collect();
        let now = v.now_us;
        let at = |p: Option<Pt>| css(p.unwrap_or(Pt { x: 0.0, y: 0.0 }));
        // Computed afresh (as the next frame will draw them), so that they
        // match `time_us` right after a seek or an action.
        let mut marks = Vec::new();
        let timing = crate::clients::ClientTiming::of(&v.settings);
        crate::clients::collect(&mut marks, self.session.sim(), v.leader, timing);
        let client_marks = marks
            .iter()
            .map(|m| {
                let done = m.progress(now);
                let p = at(match m.kind {
                    MarkKind::Request => self.layout.client_flight_pos(m.node, done, true),
                    MarkKind::Answer => self.layout.client_flight_pos(m.node, done, false),
                    MarkKind::Outcome => Some(self.layout.client),
                    MarkKind::Arrival | MarkKind::Written => self.layout.pos(m.node),
                });
                ClientMarkOut {
                    kind: m.kind.name(),
                    node: m.node,
                    text: &m.text,
                    result: m.result,
                    from_us: m.from_us,
                    to_us: m.to_us,
                    x: p.x,
                    y: p.y,
                }
            })
            .collect();
        let c = css(self.layout.client);
        let out = StateOut {
            time: v.now_us as f64 / 1e6,
            time_us: v.now_us,
            horizon_us: self.session.horizon_us(),
            known_us: self.session.sim().horizon_us(),
            playing: self.session.playing(),
            speed: self.session.speed(),
            lang: self.lang.short(),
            embed: self.embed,
            leader: v.leader,
            selected: self.session.selected(),
            nodes,
            messages,
            network: &v.network,
            violations: &v.violations,
            settings: &v.settings,
            canvas: CanvasOut {
                width: self.layout.width * z,
                height: self.layout.height * z,
            },
            first_frame_ms: self.first_frame_ms,
            trace_len: self.session.sim().trace_len_now(),
            focus: self.session.focus(self.hovered_claim),
            client_glyph_x: c.x,
            client_glyph_y: c.y,
            client_marks,
        };
        crate::to_js(&out)
    }
}

/// `state()` as JSON: see the report / README of crates/web for the fields.
#[derive(serde::Serialize)]
struct StateOut<'a> {
    time: f64,
    time_us: u64,
    horizon_us: u64,
    known_us: u64,
    playing: bool,
    speed: f64,
    lang: &'static str,
    embed: bool,
    leader: Option<NodeId>,
    selected: Option<NodeId>,
    nodes: Vec<NodeOut<'a>>,
    messages: Vec<MsgOut>,
    network: &'a sim::view::NetworkView,
    violations: &'a [sim::Violation],
    settings: &'a sim::Settings,
    canvas: CanvasOut,
    first_frame_ms: Option<f64>,
    trace_len: usize,
    /// What the canvas marks for the lesson (`Session::focus`).
    focus: crate::session::Focus,
    /// Where the client glyph's centre is on the canvas (CSS px).
    client_glyph_x: f64,
    client_glyph_y: f64,
    /// What the client is drawn doing now (`crate::clients`), with where.
    client_marks: Vec<ClientMarkOut<'a>>,
}

/// A client mark (`crate::clients::ClientMark`'s fields but the leader)
/// and where it is drawn on the canvas: a flight's label, the client for
/// a conclusion, the server for an arrival or a written value.
#[derive(serde::Serialize)]
struct ClientMarkOut<'a> {
    kind: &'static str,
    node: NodeId,
    text: &'a str,
    result: Option<sim::ClientResult>,
    from_us: u64,
    to_us: u64,
    x: f64,
    y: f64,
}

#[derive(serde::Serialize)]
struct CanvasOut {
    width: f64,
    height: f64,
}

#[derive(serde::Serialize)]
struct NodeOut<'a> {
    id: NodeId,
    up: bool,
    role: Option<Role>,
    term: u64,
    voted_for: Option<NodeId>,
    votes: &'a [NodeId],
    commit: u64,
    applied: u64,
    log: &'a [sim::view::EntryView],
    snapshot_index: u64,
    kv: &'a sim::Kv,
    voters: &'a [NodeId],
    membership: sim::MembershipRole,
    progress: &'a [sim::view::ProgressView],
    x: f64,
    y: f64,
    r: f64,
    client_x: f64,
    client_y: f64,
}

#[derive(serde::Serialize)]
struct MsgOut {
    id: u64,
    from: NodeId,
    to: NodeId,
    r#type: &'static str,
    term: u64,
    sent_us: u64,
    deliver_us: u64,
    x: f64,
    y: f64,
    client_x: f64,
    client_y: f64,
}
