//! Paints a `sim::View` on a 2D canvas. Reads the snapshot, never the
//! simulator: the picture cannot change the run.

use raft::{NodeId, Role};
use sim::view::{EntryView, NodeView};
use sim::View;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasPattern, CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

use crate::eventlog::{format_time, list, role_name, Marker};
use crate::geom::{clamp, log_window, sin_cos, Layout, Pt, Rect, LOG_LABEL_W};
use crate::i18n::{t, Lang};
use crate::style::{okabe, term_colour, term_text_colour, term_tint, MsgKind, MsgStyle, Shape};

/// Fonts: the system UI font, with CJK fallbacks for 中文.
const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
/// Colours of partition groups A, B, C, … (light, behind everything).
const GROUP_COLOURS: [&str; 4] = [okabe::SKY, okabe::ORANGE, okabe::GREEN, okabe::PURPLE];

/// Everything the painter needs besides the canvas.
pub struct Scene<'a> {
    /// The snapshot.
    pub view: &'a View,
    /// Positions.
    pub layout: &'a Layout,
    /// Language of the labels.
    pub lang: Lang,
    /// The node the user selected.
    pub selected: Option<NodeId>,
    /// Partition mode: the group (0 = A, 1 = B, …) the user gave each node.
    pub pending_groups: Option<&'a [(NodeId, u8)]>,
    /// Nodes involved in a violation.
    pub highlight: &'a [NodeId],
    /// (node, index) log entries involved in a violation.
    pub highlight_entries: &'a [(NodeId, u64)],
    /// Where each message in flight is drawn.
    pub messages: &'a [(u64, Pt)],
    /// The message whose popup is open.
    pub selected_message: Option<u64>,
    /// Device pixels per CSS px of the canvas.
    pub dpr: f64,
}

/// Reusable dash patterns (creating JS arrays every frame would be waste).
pub struct Dashes {
    solid: JsValue,
    dashed: JsValue,
    dotted: JsValue,
    cut: JsValue,
}

impl Default for Dashes {
    fn default() -> Self {
        let arr = |v: &[f64]| -> JsValue {
            v.iter()
                .map(|x| JsValue::from_f64(*x))
                .collect::<js_sys::Array>()
                .into()
        };
        Dashes {
            solid: arr(&[]),
            dashed: arr(&[7.0, 4.0]),
            dotted: arr(&[2.0, 3.0]),
            cut: arr(&[5.0, 5.0]),
        }
    }
}

/// The canvas state last set through the helpers below. Chromium parses
/// style strings on every set (fonts are costly) and every set is a call
/// across the wasm/JS boundary; skipping repeats is most of a cheap frame.
/// Invariant: describes the context being drawn on; `forget_styles` is
/// called whenever that context changes or its state is reset (a resize,
/// `restore`, another canvas).
struct Last {
    fill: String,
    stroke: String,
    font: String,
    align: &'static str,
    baseline: &'static str,
    line_width: f64,
    alpha: f64,
}

thread_local! {
    static LAST: std::cell::RefCell<Last> = const {
        std::cell::RefCell::new(Last {
            fill: String::new(),
            stroke: String::new(),
            font: String::new(),
            align: "",
            baseline: "",
            line_width: f64::NAN,
            alpha: f64::NAN,
        })
    };
}

/// Whether `slot` already holds `v`; if not, remembers it.
fn cached_str(slot: &mut String, v: &str) -> bool {
    if slot == v {
        return true;
    }
    slot.clear();
    slot.push_str(v);
    false
}

fn forget_styles() {
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        l.fill.clear();
        l.stroke.clear();
        l.font.clear();
        l.align = "";
        l.baseline = "";
        l.line_width = f64::NAN;
        l.alpha = f64::NAN;
    });
}

fn fill(ctx: &Ctx, c: &str) {
    if !LAST.with(|l| cached_str(&mut l.borrow_mut().fill, c)) {
        ctx.set_fill_style_str(c);
    }
}

fn stroke(ctx: &Ctx, c: &str) {
    if !LAST.with(|l| cached_str(&mut l.borrow_mut().stroke, c)) {
        ctx.set_stroke_style_str(c);
    }
}

fn font_set(ctx: &Ctx, f: &str) {
    if !LAST.with(|l| cached_str(&mut l.borrow_mut().font, f)) {
        ctx.set_font(f);
    }
}

fn align(ctx: &Ctx, a: &'static str) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().align, a)) != a {
        ctx.set_text_align(a);
    }
}

fn baseline(ctx: &Ctx, b: &'static str) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().baseline, b)) != b {
        ctx.set_text_baseline(b);
    }
}

fn line_width(ctx: &Ctx, w: f64) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().line_width, w)) != w {
        ctx.set_line_width(w);
    }
}

fn alpha(ctx: &Ctx, a: f64) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().alpha, a)) != a {
        ctx.set_global_alpha(a);
    }
}

fn font(px: f64, weight: u32) -> String {
    format!("{weight} {}px {FONT_FAMILY}", px.round().max(1.0) as i64)
}

fn text(ctx: &Ctx, s: &str, x: f64, y: f64) {
    // fill_text only fails on invalid arguments, which finite numbers are not.
    let _ = ctx.fill_text(s, x, y);
}

fn circle(ctx: &Ctx, c: Pt, r: f64) {
    ctx.begin_path();
    let _ = ctx.arc(c.x, c.y, r.max(0.0), 0.0, std::f64::consts::TAU);
}

/// An offscreen canvas (never attached to the page) used as a cache.
struct Layer {
    canvas: HtmlCanvasElement,
    ctx: Ctx,
}

impl Layer {
    fn new() -> Option<Layer> {
        let canvas = crate::dom::doc()?
            .create_element("canvas")
            .ok()?
            .dyn_into::<HtmlCanvasElement>()
            .ok()?;
        let ctx = canvas.get_context("2d").ok()??.dyn_into::<Ctx>().ok()?;
        Some(Layer { canvas, ctx })
    }

    /// Sizes the backing store to `w` x `h` device px (which clears it and
    /// resets its state) and maps CSS px with `dpr`.
    fn reset(&self, w_px: u32, h_px: u32, dpr: f64) {
        self.canvas.set_width(w_px);
        self.canvas.set_height(h_px);
        let _ = self.ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        forget_styles();
    }

    /// Copies the whole layer to `ctx` at (x, y), `w` x `h` CSS px.
    fn blit(&self, ctx: &Ctx, x: f64, y: f64, w: f64, h: f64) {
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&self.canvas, x, y, w, h);
    }
}

/// The painter's caches, kept between frames. A frame repaints only what
/// moves (messages, election timers, the log strips' tails, the time):
/// the background (links, partition shading, empty log slots, row labels)
/// and the nodes (bodies, borders, words) are cached images redrawn when
/// their inputs change, and committed log entries sit on per-node tapes.
/// With the style cache and batched paths a frame is a few hundred canvas
/// calls instead of several thousand (each call crosses the wasm/JS
/// boundary, which is most of what a frame costs). Every cache is keyed on
/// exactly what it shows, so the picture is the same as painting it all.
pub struct Painter {
    dashes: Dashes,
    back: Option<Layer>,
    /// What `back` was drawn from (see `back_key`); empty: not drawn yet.
    back_key: Vec<u64>,
    /// Node layer: bodies, borders, halos and words, which change only with
    /// a node's role, term, vote or state, the selection or a violation.
    front: Option<Layer>,
    /// What `front` was drawn from (see `front_key`).
    front_key: Vec<u64>,
    /// Committed log cells, one tape per node.
    tapes: Vec<Tape>,
    /// Hatching patterns: (colour, dpr, pattern), made on first use.
    hatches: Vec<(&'static str, f64, CanvasPattern)>,
}

impl Default for Painter {
    fn default() -> Self {
        Painter {
            dashes: Dashes::default(),
            back: Layer::new(),
            back_key: Vec::new(),
            front: Layer::new(),
            front_key: Vec::new(),
            tapes: Vec::new(),
            hatches: Vec::new(),
        }
    }
}

/// Everything the background layer depends on, as numbers.
fn back_key(s: &Scene) -> Vec<u64> {
    let l = s.layout;
    let mut k = vec![
        l.width.to_bits(),
        l.height.to_bits(),
        s.dpr.to_bits(),
        s.lang as u64,
        s.selected.map_or(u64::MAX, |id| id as u64),
    ];
    k.extend(l.ids.iter().map(|&id| id as u64));
    k.push(u64::MAX);
    for g in &s.view.network.groups {
        k.extend(g.iter().map(|&id| id as u64));
        k.push(u64::MAX - 1);
    }
    k.push(u64::MAX);
    k.extend(
        s.view
            .network
            .cuts
            .iter()
            .map(|c| ((c[0] as u64) << 32) | c[1] as u64),
    );
    k.push(u64::MAX);
    if let Some(p) = s.pending_groups {
        k.extend(p.iter().map(|&(id, g)| ((id as u64) << 8) | g as u64));
    }
    k.push(u64::MAX);
    for n in &s.view.nodes {
        k.push(((n.id as u64) << 2) | (n.up as u64) << 1 | (n.role == Some(Role::Leader)) as u64);
    }
    k
}

/// Everything the node layer depends on, as numbers.
fn front_key(s: &Scene) -> Vec<u64> {
    let l = s.layout;
    let mut k = vec![
        l.width.to_bits(),
        l.height.to_bits(),
        s.dpr.to_bits(),
        s.lang as u64,
        s.selected.map_or(u64::MAX, |id| id as u64),
    ];
    k.extend(s.highlight.iter().map(|&id| id as u64));
    k.push(u64::MAX);
    for n in &s.view.nodes {
        let role = match n.role {
            None => 0,
            Some(Role::Follower) => 1,
            Some(Role::PreCandidate) => 2,
            Some(Role::Candidate) => 3,
            Some(Role::Leader) => 4,
        };
        let membership = match n.membership_role {
            "voter" => 0,
            "learner" => 1,
            "outgoing" => 2,
            "none" => 3,
            _ => 4,
        };
        k.extend([
            n.id as u64,
            n.up as u64 | role << 1 | membership << 4,
            n.term,
            n.voted_for.map_or(u64::MAX, |v| v as u64),
        ]);
        k.extend(n.votes_received.iter().map(|&v| v as u64));
        k.push(u64::MAX);
    }
    k
}

/// The nodes without their timers: halos, bodies, borders and words.
fn nodes(ctx: &Ctx, s: &Scene, d: &Dashes) {
    for n in &s.view.nodes {
        node(ctx, s, d, n);
    }
    node_labels(ctx, s);
}

/// Paints the whole scene. The context's transform must already map CSS px.
pub fn paint(ctx: &Ctx, s: &Scene, p: &mut Painter) {
    let l = s.layout;
    let key = back_key(s);
    if key != p.back_key {
        if let Some(back) = &p.back {
            let (w_px, h_px) = ((l.width * s.dpr).round(), (l.height * s.dpr).round());
            back.reset(w_px as u32, h_px as u32, s.dpr);
            background(&back.ctx, s, &p.dashes);
            p.back_key = key;
        }
    }
    forget_styles();
    match &p.back {
        Some(back) => back.blit(ctx, 0.0, 0.0, l.width, l.height),
        None => background(ctx, s, &p.dashes),
    }
    messages(ctx, s);
    for n in &s.view.nodes {
        node_timer(ctx, s, n);
    }
    let key = front_key(s);
    if key != p.front_key {
        if let Some(front) = &p.front {
            let (w_px, h_px) = ((l.width * s.dpr).round(), (l.height * s.dpr).round());
            front.reset(w_px as u32, h_px as u32, s.dpr);
            nodes(&front.ctx, s, &p.dashes);
            p.front_key = key;
            forget_styles();
        }
    }
    match &p.front {
        Some(front) => front.blit(ctx, 0.0, 0.0, l.width, l.height),
        None => nodes(ctx, s, &p.dashes),
    }
    logs(ctx, s, p);
    // Time in the corner, so an exported PNG explains itself.
    align(ctx, "left");
    baseline(ctx, "top");
    fill(ctx, "#555");
    font_set(ctx, &font(12.0, 500));
    text(
        ctx,
        &format!("t = {}", format_time(s.view.now_us)),
        8.0,
        6.0,
    );
}

/// What changes only with the layout, the network, the selection or a
/// crash: the background, partition shading, links, the network state in
/// the corner, and the log strips' labels and empty slots.
fn background(ctx: &Ctx, s: &Scene, d: &Dashes) {
    let l = s.layout;
    fill(ctx, "#fbfbf8");
    ctx.fill_rect(0.0, 0.0, l.width, l.height);
    groups(ctx, s);
    links(ctx, s, d);
    log_slots(ctx, s);
    if !s.view.network.groups.is_empty() {
        let g = s
            .view
            .network
            .groups
            .iter()
            .map(|g| list(s.lang, g))
            .collect::<Vec<_>>()
            .join("  |  ");
        align(ctx, "left");
        baseline(ctx, "top");
        fill(ctx, okabe::VERMILLION);
        font_set(ctx, &font(12.0, 700));
        text(
            ctx,
            &format!("{}: {g}", t(s.lang, "partitioned")),
            8.0,
            22.0,
        );
    }
}

/// Shaded regions behind each partition group (or the groups being chosen).
fn groups(ctx: &Ctx, s: &Scene) {
    let l = s.layout;
    let mut sets: Vec<(usize, Vec<NodeId>)> = Vec::new();
    if let Some(p) = s.pending_groups {
        for g in 0..3u8 {
            let members: Vec<NodeId> = p.iter().filter(|(_, v)| *v == g).map(|&(k, _)| k).collect();
            if !members.is_empty() {
                sets.push((g as usize, members));
            }
        }
    } else {
        for (g, members) in s.view.network.groups.iter().enumerate() {
            sets.push((g, members.clone()));
        }
    }
    if sets.is_empty() {
        return;
    }
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    for (g, members) in &sets {
        let colour = GROUP_COLOURS[g % GROUP_COLOURS.len()];
        let pts: Vec<Pt> = members.iter().filter_map(|&id| l.pos(id)).collect();
        if pts.is_empty() {
            continue;
        }
        // One path of all pairwise segments, stroked once: the union gets
        // one uniform tint, which reads as one region.
        ctx.begin_path();
        for (i, a) in pts.iter().enumerate() {
            ctx.move_to(a.x, a.y);
            ctx.line_to(a.x + 0.01, a.y);
            for b in &pts[i + 1..] {
                ctx.move_to(a.x, a.y);
                ctx.line_to(b.x, b.y);
            }
        }
        alpha(ctx, 0.22);
        stroke(ctx, colour);
        line_width(ctx, l.node_r * 2.0 + 30.0);
        ctx.stroke();
        alpha(ctx, 1.0);
        // Group letter above its first member.
        let c = pts[0];
        fill(ctx, colour);
        font_set(ctx, &font(15.0, 800));
        align(ctx, "center");
        baseline(ctx, "bottom");
        let letter = ["A", "B", "C", "D"][g % 4];
        let dir = if c.y <= l.center.y { -1.0 } else { 1.0 };
        let y = if dir < 0.0 {
            c.y - l.node_r - 18.0
        } else {
            c.y + l.node_r + 48.0
        };
        text(ctx, letter, c.x + l.node_r + 12.0, y);
    }
    ctx.set_line_cap("butt");
}

fn blocked_by_partition(v: &View, a: NodeId, b: NodeId) -> bool {
    if v.network.groups.is_empty() {
        return false;
    }
    let group = |id| v.network.groups.iter().position(|g| g.contains(&id));
    group(a) != group(b)
}

fn is_cut(v: &View, from: NodeId, to: NodeId) -> bool {
    v.network.cuts.iter().any(|c| c[0] == from && c[1] == to)
}

/// Every pair of nodes is joined by a light line; broken links are red and
/// dashed, and a cut link carries a scissor mark.
fn links(ctx: &Ctx, s: &Scene, d: &Dashes) {
    let l = s.layout;
    let v = s.view;
    for (i, &a) in l.ids.iter().enumerate() {
        for &b in &l.ids[i + 1..] {
            let Some((pa, pb)) = l.link_segment(a, b) else {
                continue;
            };
            let (ab, ba) = (is_cut(v, a, b), is_cut(v, b, a));
            let part = blocked_by_partition(v, a, b);
            let _ = ctx.set_line_dash(&d.solid);
            line_width(ctx, 1.2);
            stroke(ctx, "#cfcfc8");
            if part || (ab && ba) {
                stroke(ctx, okabe::VERMILLION);
                alpha(ctx, if part && !(ab || ba) { 0.45 } else { 0.9 });
                let _ = ctx.set_line_dash(&d.cut);
                line_width(ctx, 1.8);
            }
            ctx.begin_path();
            ctx.move_to(pa.x, pa.y);
            ctx.line_to(pb.x, pb.y);
            ctx.stroke();
            let mid = Pt {
                x: (pa.x + pb.x) / 2.0,
                y: (pa.y + pb.y) / 2.0,
            };
            if ab != ba {
                // One direction cut: the sender's half is red.
                let (from, _) = if ab { (pa, pb) } else { (pb, pa) };
                stroke(ctx, okabe::VERMILLION);
                let _ = ctx.set_line_dash(&d.cut);
                line_width(ctx, 2.2);
                ctx.begin_path();
                ctx.move_to(from.x, from.y);
                ctx.line_to(mid.x, mid.y);
                ctx.stroke();
            }
            alpha(ctx, 1.0);
            if ab || ba {
                // A scissor mark in a ring: the link was cut by hand.
                fill(ctx, "#fff");
                circle(ctx, mid, 12.0);
                ctx.fill();
                stroke(ctx, okabe::VERMILLION);
                line_width(ctx, 2.0);
                let _ = ctx.set_line_dash(&d.solid);
                ctx.stroke();
                fill(ctx, okabe::VERMILLION);
                font_set(ctx, &font(17.0, 700));
                align(ctx, "center");
                baseline(ctx, "middle");
                text(ctx, "✂", mid.x, mid.y);
            }
        }
    }
    let _ = ctx.set_line_dash(&d.solid);
}

/// Adds the outline of one message shape of radius `r` centred on `p` to
/// the current path, as its own sub-path (so many can be filled at once).
fn shape_path(ctx: &Ctx, shape: Shape, p: Pt, r: f64) {
    match shape {
        Shape::Circle => {
            ctx.move_to(p.x + r, p.y);
            let _ = ctx.arc(p.x, p.y, r, 0.0, std::f64::consts::TAU);
        }
        Shape::Square => ctx.rect(p.x - r * 0.85, p.y - r * 0.85, r * 1.7, r * 1.7),
        Shape::Diamond => {
            ctx.move_to(p.x, p.y - r);
            ctx.line_to(p.x + r, p.y);
            ctx.line_to(p.x, p.y + r);
            ctx.line_to(p.x - r, p.y);
            ctx.close_path();
        }
        Shape::Triangle => {
            ctx.move_to(p.x, p.y - r);
            ctx.line_to(p.x + r * 0.95, p.y + r * 0.75);
            ctx.line_to(p.x - r * 0.95, p.y + r * 0.75);
            ctx.close_path();
        }
        Shape::Star => {
            for k in 0..10 {
                let a = -std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::PI / 5.0;
                let rr = if k % 2 == 0 { r } else { r * 0.45 };
                let (sin, cos) = sin_cos(a);
                let (x, y) = (p.x + rr * cos, p.y + rr * sin);
                if k == 0 {
                    ctx.move_to(x, y);
                } else {
                    ctx.line_to(x, y);
                }
            }
            ctx.close_path();
        }
    }
}

/// Fills and outlines the current path in a message style.
fn shape_paint(ctx: &Ctx, st: &MsgStyle, scale: f64) {
    if st.filled {
        fill(ctx, st.colour);
        ctx.fill();
        stroke(ctx, "#ffffff");
        line_width(ctx, 1.0);
        ctx.stroke();
    } else {
        fill(ctx, "#ffffff");
        ctx.fill();
        stroke(ctx, st.colour);
        line_width(ctx, 2.2 * scale.max(0.8));
        ctx.stroke();
    }
}

/// The glyph of a message style (✓, ×, S) on a shape centred on `p`.
fn shape_glyph(ctx: &Ctx, st: &MsgStyle, p: Pt, r: f64) {
    if !st.glyph.is_empty() {
        fill(ctx, if st.filled { "#ffffff" } else { st.colour });
        font_set(ctx, &font(r * 1.5, 800));
        align(ctx, "center");
        baseline(ctx, "middle");
        text(ctx, st.glyph, p.x, p.y + r * 0.08);
    }
}

/// Draws one message shape centred on `p` (the legend icons).
pub fn msg_shape(ctx: &Ctx, st: &MsgStyle, p: Pt, scale: f64) {
    // Another canvas, whose state the style cache does not know.
    forget_styles();
    let r = st.size * scale;
    ctx.begin_path();
    shape_path(ctx, st.shape, p, r);
    shape_paint(ctx, st, scale);
    shape_glyph(ctx, st, p, r);
    forget_styles();
}

/// Messages in flight, one path per kind: a few calls per message instead
/// of a dozen (overlapping dots of one kind share their white outline).
fn messages(ctx: &Ctx, s: &Scene) {
    // `s.messages` holds the drawn ones, in the order of `view.messages`.
    let mut drawn = s.messages.iter().peekable();
    let mut shown: Vec<(MsgKind, Pt, usize)> = Vec::with_capacity(s.messages.len());
    for m in &s.view.messages {
        let Some(&&(_, pos)) = drawn.peek().filter(|(id, _)| *id == m.id) else {
            continue;
        };
        drawn.next();
        let kind = MsgKind::of(&m.msg);
        let entries = match &*m.msg {
            raft::Message::AppendEntries { entries, .. } => entries.len(),
            _ => 0,
        };
        if s.selected_message == Some(m.id) {
            stroke(ctx, okabe::BLACK);
            line_width(ctx, 2.0);
            circle(ctx, pos, kind.style().size + 6.0);
            ctx.stroke();
        }
        shown.push((kind, pos, entries));
    }
    // One path per kind. Identical dots on the same spot are drawn once:
    // a leader that repeats an AppendEntries puts copies a pixel apart,
    // and painting the same shape over itself changes nothing the eye
    // can see (hit testing still knows every message: `s.messages`).
    let spot = |p: Pt| ((p.x * 0.5).round() as i32, (p.y * 0.5).round() as i32);
    shown.sort_by_key(|&(k, p, n)| (k, n.min(99), spot(p)));
    shown.dedup_by_key(|&mut (k, p, n)| (k, n.min(99), spot(p)));
    for group in shown.chunk_by(|a, b| a.0 == b.0) {
        let st = group[0].0.style();
        ctx.begin_path();
        for &(_, pos, _) in group {
            shape_path(ctx, st.shape, pos, st.size);
        }
        shape_paint(ctx, &st, 1.0);
        for &(_, pos, _) in group {
            shape_glyph(ctx, &st, pos, st.size);
        }
    }
    // How many entries an AppendEntries carries, when more than one.
    for &(kind, pos, entries) in &shown {
        if entries > 1 {
            fill(ctx, okabe::BLUE);
            font_set(ctx, &font(10.0, 700));
            align(ctx, "left");
            baseline(ctx, "middle");
            text(
                ctx,
                &entries.to_string(),
                pos.x + kind.style().size + 2.0,
                pos.y,
            );
        }
    }
}

/// The election timer of a node: a ring that drains until it times out.
/// The one part of a node that changes every frame.
fn node_timer(ctx: &Ctx, s: &Scene, n: &NodeView) {
    let l = s.layout;
    let Some(c) = l.pos(n.id) else { return };
    let r = l.node_r;
    let now = s.view.now_us;
    let member = n.membership_role != "none";
    if n.up
        && n.role != Some(Role::Leader)
        && n.election_deadline_us > n.election_start_us
        && member
    {
        let left = (n.election_deadline_us.saturating_sub(now)) as f64
            / (n.election_deadline_us - n.election_start_us) as f64;
        let left = clamp(left, 0.0, 1.0);
        line_width(ctx, 3.5);
        stroke(ctx, "#e4e4de");
        circle(ctx, c, r + 5.0);
        ctx.stroke();
        stroke(
            ctx,
            if left < 0.25 {
                okabe::VERMILLION
            } else {
                "#6b6b6b"
            },
        );
        ctx.begin_path();
        let start = -std::f64::consts::FRAC_PI_2;
        let _ = ctx.arc(
            c.x,
            c.y,
            r + 5.0,
            start,
            start + std::f64::consts::TAU * left,
        );
        ctx.stroke();
    }
}

/// A node's halos, body and border (its words: `node_labels`).
fn node(ctx: &Ctx, s: &Scene, d: &Dashes, n: &NodeView) {
    let l = s.layout;
    let Some(c) = l.pos(n.id) else { return };
    let r = l.node_r;
    // Selection and violation halos.
    if s.highlight.contains(&n.id) {
        stroke(ctx, okabe::VERMILLION);
        line_width(ctx, 6.0);
        circle(ctx, c, r + 14.0);
        ctx.stroke();
    }
    if s.selected == Some(n.id) {
        stroke(ctx, okabe::BLUE);
        alpha(ctx, 0.45);
        line_width(ctx, 6.0);
        circle(ctx, c, r + 10.0);
        ctx.stroke();
        alpha(ctx, 1.0);
    }
    // Body: tinted by term; crashed nodes are grey.
    circle(ctx, c, r);
    if n.up {
        fill(ctx, "#ffffff");
        ctx.fill();
        fill(ctx, &term_tint(n.term, 0.35));
    } else {
        fill(ctx, "#d9d9d9");
    }
    ctx.fill();
    // Border by role: follower plain, candidate dashed, leader thick.
    let (width, dash, colour) = match (n.up, n.role) {
        (false, _) => (2.0, &d.dotted, "#9a9a9a"),
        (true, Some(Role::Leader)) => (6.0, &d.solid, okabe::BLACK),
        (true, Some(Role::Candidate)) => (3.0, &d.dashed, okabe::BLACK),
        (true, Some(Role::PreCandidate)) => (2.5, &d.dotted, okabe::BLACK),
        (true, _) => (2.0, &d.solid, "#333333"),
    };
    let _ = ctx.set_line_dash(dash);
    line_width(ctx, width);
    stroke(ctx, colour);
    circle(ctx, c, r - width / 2.0 + 1.0);
    ctx.stroke();
    let _ = ctx.set_line_dash(&d.solid);
}

/// The words on and under the nodes, one kind of line at a time across all
/// nodes, so that each font is set once per frame (setting a font is one
/// of the costliest canvas calls).
fn node_labels(ctx: &Ctx, s: &Scene) {
    let l = s.layout;
    let r = l.node_r;
    let lang = s.lang;
    let placed = || {
        s.view
            .nodes
            .iter()
            .filter_map(|n| l.pos(n.id).map(|c| (n, c)))
    };
    align(ctx, "center");
    baseline(ctx, "middle");
    // Name and term inside.
    font_set(ctx, &font((r * 0.62).round(), 800));
    for (n, c) in placed() {
        fill(ctx, if n.up { "#111" } else { "#888" });
        text(ctx, &format!("S{}", n.id), c.x, c.y - r * 0.2);
    }
    font_set(ctx, &font(clamp(r * 0.36, 9.0, 14.0).round(), 600));
    for (n, c) in placed() {
        fill(ctx, if n.up { "#111" } else { "#888" });
        let term = if lang == Lang::Zh {
            format!("任期 {}", n.term)
        } else {
            format!("term {}", n.term)
        };
        text(ctx, &term, c.x, c.y + r * 0.38);
    }
    // A crashed node is crossed out.
    for (_, c) in placed().filter(|(n, _)| !n.up) {
        stroke(ctx, "#888");
        line_width(ctx, 2.0);
        ctx.begin_path();
        ctx.move_to(c.x - r * 0.5, c.y - r * 0.5);
        ctx.line_to(c.x + r * 0.5, c.y + r * 0.5);
        ctx.stroke();
    }
    // Role, then vote, below.
    font_set(ctx, &font(12.0, 700));
    for (n, c) in placed() {
        let mut role = role_name(lang, n.role).to_string();
        if n.membership_role == "none" {
            role = format!("{} · {}", role, t(lang, "removed"));
        } else if n.membership_role == "learner" {
            role = format!("{} · {}", role, t(lang, "learner"));
        }
        fill(ctx, if n.up { "#222" } else { "#888" });
        text(ctx, &role, c.x, c.y + r + 15.0);
    }
    font_set(ctx, &font(11.0, 500));
    fill(ctx, "#555");
    for (n, c) in placed().filter(|(n, _)| n.up) {
        let vote = match n.role {
            Some(Role::Candidate) | Some(Role::PreCandidate) => {
                format!("{} {}", t(lang, "votes"), list(lang, &n.votes_received))
            }
            Some(Role::Leader) => continue,
            _ => match n.voted_for {
                Some(v) => format!("{} {v}", t(lang, "voted_for")),
                None => t(lang, "no_vote").to_string(),
            },
        };
        text(ctx, &vote, c.x, c.y + r + 29.0);
    }
}

/// The label of a log entry: its term (the paper's figures write the term
/// in the box), with a gear for a configuration entry.
fn entry_label(e: &EntryView) -> String {
    match e.kind {
        "config" => format!("{}⚙", e.term),
        _ => e.term.to_string(),
    }
}

/// One committed entry: a box in its term's colour with its label, the
/// box at `x` .. `x + cw`, `top` .. `top + h`.
fn entry_cell(ctx: &Ctx, e: &EntryView, x: f64, top: f64, cw: f64, h: f64) {
    fill(ctx, term_colour(e.term));
    ctx.fill_rect(x + 1.0, top, cw - 2.0, h);
    align(ctx, "center");
    baseline(ctx, "middle");
    font_set(ctx, &font(clamp(h * 0.55, 8.0, 13.0), 700));
    fill(ctx, term_text_colour(e.term));
    text(ctx, &entry_label(e), x + cw / 2.0, top + h / 2.0 + 0.5);
}

/// Cells of one tape: enough for the window to move a long way before the
/// tape starts over.
const TAPE_WINDOWS: u64 = 2;

/// A node's committed log entries drawn once onto an offscreen strip where
/// cell k holds index `base + k`, and copied to the canvas with one call
/// per frame, however the window scrolls. A committed entry does not change
/// in a correct run; the tape is still checked against the view every frame
/// (a teaching switch can overwrite committed entries), so what is copied is
/// always what the view says.
struct Tape {
    id: NodeId,
    layer: Layer,
    /// Log index of the first cell.
    base: u64,
    /// What each cell shows, from `base`: (term, kind); None: empty.
    cells: Vec<Option<(u64, &'static str)>>,
    /// (cell width, cell height, dpr) it was drawn for.
    key: (f64, f64, f64),
}

impl Tape {
    /// Draws the cells of `committed` that differ from what the tape holds.
    fn update(&mut self, committed: &[EntryView], cw: f64, h: f64) {
        forget_styles();
        for e in committed {
            let Some(k) = e.index.checked_sub(self.base).map(|k| k as usize) else {
                continue;
            };
            let want = Some((e.term, e.kind));
            match self.cells.get_mut(k) {
                Some(cell) if *cell != want => {
                    *cell = want;
                    let x = k as f64 * cw;
                    self.layer.ctx.clear_rect(x, 0.0, cw, h);
                    entry_cell(&self.layer.ctx, e, x, 0.0, cw, h);
                }
                _ => {}
            }
        }
        forget_styles();
    }
}

impl Painter {
    /// Makes `colour`'s hatching (diagonal stripes every 6 CSS px, drawn
    /// in device px for `dpr`) the fill style of `ctx`, whose transform
    /// must be the identity. False if no pattern could be made.
    fn hatch(&mut self, ctx: &Ctx, colour: &'static str, dpr: f64) -> bool {
        let key = format!("\u{1}hatch {colour}");
        if LAST.with(|l| l.borrow().fill == key) {
            return true;
        }
        if !self.hatches.iter().any(|h| h.0 == colour && h.1 == dpr) {
            let Some(tile) = Layer::new() else {
                return false;
            };
            let side = (6.0 * dpr).round().max(2.0);
            tile.canvas.set_width(side as u32);
            tile.canvas.set_height(side as u32);
            let c = &tile.ctx;
            c.set_stroke_style_str(colour);
            c.set_line_width(1.5 * dpr);
            c.begin_path();
            // Three parallel lines, so the stripe continues across tiles.
            for k in [-side, 0.0, side] {
                c.move_to(k, side);
                c.line_to(k + side, 0.0);
            }
            c.stroke();
            let Ok(Some(pattern)) =
                ctx.create_pattern_with_html_canvas_element(&tile.canvas, "repeat")
            else {
                return false;
            };
            self.hatches.push((colour, dpr, pattern));
        }
        let Some((_, _, pattern)) = self.hatches.iter().find(|h| h.0 == colour && h.1 == dpr)
        else {
            return false;
        };
        ctx.set_fill_style_canvas_pattern(pattern);
        LAST.with(|l| l.borrow_mut().fill = key);
        true
    }

    /// The tape of node `id` for cells of `key` = (width, height, dpr),
    /// covering the window `first..=last`; started over if it does not.
    /// None if no offscreen canvas can be made.
    fn tape(
        &mut self,
        id: NodeId,
        key: (f64, f64, f64),
        first: u64,
        last: u64,
    ) -> Option<&mut Tape> {
        let (cw, h, dpr) = key;
        let cap = (last - first + 1) * TAPE_WINDOWS;
        let i = match self.tapes.iter().position(|t| t.id == id) {
            Some(i) => i,
            None => {
                self.tapes.push(Tape {
                    id,
                    layer: Layer::new()?,
                    base: 0,
                    cells: Vec::new(),
                    key: (0.0, 0.0, 0.0),
                });
                self.tapes.len() - 1
            }
        };
        let tape = &mut self.tapes[i];
        let fits = first >= tape.base && last < tape.base + tape.cells.len() as u64;
        if tape.key != key || !fits {
            tape.layer.reset(
                (cap as f64 * cw * dpr).round() as u32,
                (h * dpr).round() as u32,
                dpr,
            );
            tape.key = key;
            tape.base = first;
            tape.cells = vec![None; cap as usize];
        }
        Some(tape)
    }
}

/// Geometry shared by the two halves of the log strips.
struct LogGeom {
    first: u64,
    last: u64,
    cw: f64,
    x0: f64,
    pad: f64,
}

impl LogGeom {
    fn new(s: &Scene) -> LogGeom {
        let l = s.layout;
        let (cells, cw) = l.log_cells();
        let last_index = s
            .view
            .nodes
            .iter()
            .map(|n| n.log.last().map_or(n.snapshot_index, |e| e.index))
            .max()
            .unwrap_or(0);
        let (first, last) = log_window(last_index, cells);
        // Whole CSS px: with an integral dpr, cells then sit on device
        // pixels and the cached committed cells (`Tape`) copy 1:1.
        LogGeom {
            first,
            last,
            cw: cw.floor().max(1.0),
            x0: (l.log.x + LOG_LABEL_W).round(),
            pad: (l.row_h() * 0.12).max(1.5),
        }
    }

    fn cell_x(&self, i: u64) -> f64 {
        self.x0 + i.saturating_sub(self.first) as f64 * self.cw
    }

    /// Top and height of the cells of a row.
    fn cells(&self, row: Rect) -> (f64, f64) {
        (
            (row.y + self.pad).round(),
            (row.h - 2.0 * self.pad).round().max(1.0),
        )
    }
}

/// The still half of the log strips (in the background layer): the header
/// label, each row's label and its empty slots. Slots are positions, not
/// indexes, so they do not move when the window scrolls.
fn log_slots(ctx: &Ctx, s: &Scene) {
    let l = s.layout;
    let g = LogGeom::new(s);
    baseline(ctx, "middle");
    align(ctx, "right");
    font_set(ctx, &font(10.0, 600));
    fill(ctx, "#777");
    text(ctx, t(s.lang, "index"), g.x0 - 4.0, l.log.y + 8.0);
    for n in &s.view.nodes {
        let Some(row) = l.log_row(n.id) else { continue };
        let (top, h) = g.cells(row);
        alpha(ctx, if n.up { 1.0 } else { 0.5 });
        align(ctx, "left");
        font_set(ctx, &font(clamp(h * 0.6, 9.0, 13.0), 800));
        fill(
            ctx,
            if s.selected == Some(n.id) {
                okabe::BLUE
            } else {
                "#222"
            },
        );
        let mark = if n.role == Some(Role::Leader) {
            "★"
        } else {
            ""
        };
        text(
            ctx,
            &format!("S{}{mark}", n.id),
            l.log.x + 2.0,
            top + h / 2.0,
        );
        // Empty slots: one path per row, stroked once.
        stroke(ctx, "#e2e2dc");
        line_width(ctx, 1.0);
        ctx.begin_path();
        for i in g.first..=g.last {
            ctx.rect(g.cell_x(i) + 1.0, top, g.cw - 2.0, h);
        }
        ctx.stroke();
    }
    alpha(ctx, 1.0);
}

/// Log strips: one row per node, entries coloured by term; committed ones
/// filled, uncommitted ones hatched; the commit index marked; at the leader,
/// each follower's nextIndex and matchIndex. (Labels and empty slots are in
/// the background: `log_slots`.)
fn logs(ctx: &Ctx, s: &Scene, p: &mut Painter) {
    let l = s.layout;
    let v = s.view;
    let lang = s.lang;
    let g = LogGeom::new(s);
    let (first, last, cw) = (g.first, g.last, g.cw);
    let cell_x = |i: u64| g.cell_x(i);
    // Header: index numbers.
    baseline(ctx, "middle");
    align(ctx, "center");
    font_set(ctx, &font(10.0, 600));
    fill(ctx, "#777");
    let every = if cw >= 20.0 { 1 } else { 5 };
    for i in first..=last {
        if i % every == 0 || i == first {
            text(ctx, &i.to_string(), cell_x(i) + cw / 2.0, l.log.y + 8.0);
        }
    }
    let leader = v.leader.and_then(|id| v.nodes.iter().find(|n| n.id == id));
    let pad = g.pad;
    for n in &v.nodes {
        let Some(row) = l.log_row(n.id) else { continue };
        let (top, h) = g.cells(row);
        let row_alpha = if n.up { 1.0 } else { 0.5 };
        alpha(ctx, row_alpha);
        // Snapshot prefix.
        if n.snapshot_index >= first {
            let end = n.snapshot_index.min(last);
            fill(ctx, "#cfcfcf");
            ctx.fill_rect(
                cell_x(first) + 1.0,
                top,
                cell_x(end) + cw - cell_x(first) - 2.0,
                h,
            );
            fill(ctx, "#555");
            align(ctx, "center");
            font_set(ctx, &font(9.0, 600));
            text(
                ctx,
                t(lang, "snapshot"),
                (cell_x(first) + cell_x(end) + cw) / 2.0,
                top + h / 2.0,
            );
        }
        // Committed entries come from the row's tape (one copy per frame);
        // only the uncommitted tail is drawn here.
        let start = n.log.partition_point(|e| e.index < first);
        let in_window = &n.log[start..];
        let in_window = &in_window[..in_window.partition_point(|e| e.index <= last)];
        let split = in_window.partition_point(|e| e.index <= n.commit_index);
        let (committed, uncommitted) = in_window.split_at(split);
        let mut cached = p.tape(n.id, (cw, h, s.dpr), first, last);
        if let Some(tape) = cached.as_mut() {
            tape.update(committed, cw, h);
        }
        match (cached, committed.first(), committed.last()) {
            (Some(tape), Some(lo), Some(hi)) => {
                let k = (lo.index - tape.base) as f64;
                let n_cells = (hi.index - lo.index + 1) as f64;
                let d = s.dpr;
                let _ = ctx
                    .draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                        &tape.layer.canvas,
                        k * cw * d,
                        0.0,
                        n_cells * cw * d,
                        h * d,
                        cell_x(lo.index),
                        top,
                        n_cells * cw,
                        h,
                    );
            }
            (None, _, _) => {
                for e in committed {
                    entry_cell(ctx, e, cell_x(e.index), top, cw, h);
                }
            }
            _ => {}
        }
        // Uncommitted entries: white, hatched in the term's colour (visibly
        // provisional), outlined. The hatching is a repeating pattern
        // filled in device pixels (one call per cell, crisp stripes that
        // line up across cells) rather than a clipped stroke per line.
        fill(ctx, "#ffffff");
        for e in uncommitted {
            ctx.fill_rect(cell_x(e.index) + 1.0, top, cw - 2.0, h);
        }
        if !uncommitted.is_empty() {
            let d = s.dpr;
            let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
            alpha(ctx, row_alpha * if n.up { 0.55 } else { 0.6 });
            for e in uncommitted {
                if p.hatch(ctx, term_colour(e.term), d) {
                    let x = cell_x(e.index) + 1.0;
                    ctx.fill_rect(x * d, top * d, (cw - 2.0) * d, h * d);
                }
            }
            let _ = ctx.set_transform(d, 0.0, 0.0, d, 0.0, 0.0);
            alpha(ctx, row_alpha);
        }
        line_width(ctx, 2.0);
        for e in uncommitted {
            stroke(ctx, term_colour(e.term));
            ctx.stroke_rect(cell_x(e.index) + 2.0, top + 1.0, cw - 4.0, h - 2.0);
        }
        align(ctx, "center");
        baseline(ctx, "middle");
        font_set(ctx, &font(clamp(h * 0.55, 8.0, 13.0), 700));
        fill(ctx, "#111");
        for e in uncommitted {
            let x = cell_x(e.index) + cw / 2.0;
            text(ctx, &entry_label(e), x, top + h / 2.0 + 0.5);
        }
        for e in in_window {
            if s.highlight_entries.contains(&(n.id, e.index)) {
                let x = cell_x(e.index) + 1.0;
                stroke(ctx, okabe::VERMILLION);
                line_width(ctx, 3.0);
                ctx.stroke_rect(x - 1.0, top - 1.0, cw, h + 2.0);
            }
        }
        // commitIndex: a thick bar after the last committed entry.
        if n.up && n.commit_index >= first && n.commit_index <= last {
            let x = cell_x(n.commit_index) + cw;
            fill(ctx, okabe::BLACK);
            ctx.fill_rect(x - 1.5, top - pad, 3.0, h + 2.0 * pad);
            ctx.begin_path();
            ctx.move_to(x - 4.0, top - pad);
            ctx.line_to(x + 4.0, top - pad);
            ctx.line_to(x, top - pad + 4.0);
            ctx.close_path();
            ctx.fill();
        }
        // The leader's bookkeeping for this follower.
        if let Some(ld) = leader {
            if let Some(p) = ld.progress.iter().find(|p| p.id == n.id && p.id != ld.id) {
                if p.match_index >= first {
                    let x = cell_x(p.match_index.min(last)) + cw;
                    fill(ctx, okabe::GREEN);
                    ctx.fill_rect(
                        cell_x(first) + 1.0,
                        top + h + 0.5,
                        x - cell_x(first) - 2.0,
                        2.0,
                    );
                }
                if p.next_index >= first && p.next_index <= last + 1 {
                    let x = cell_x(p.next_index) + cw / 2.0;
                    fill(ctx, okabe::BLUE);
                    ctx.begin_path();
                    ctx.move_to(x, top + h - 4.0);
                    ctx.line_to(x + 4.5, top + h + 3.0);
                    ctx.line_to(x - 4.5, top + h + 3.0);
                    ctx.close_path();
                    ctx.fill();
                }
                let tail = n
                    .log
                    .last()
                    .map_or(n.snapshot_index, |e| e.index)
                    .max(p.next_index);
                let tx = cell_x(tail.clamp(first, last)) + cw + 6.0;
                if tx + 60.0 < l.log.x + l.log.w {
                    align(ctx, "left");
                    font_set(ctx, &font(10.0, 500));
                    fill(ctx, "#555");
                    text(
                        ctx,
                        &format!(
                            "{} {} · {} {}",
                            t(lang, "next_index"),
                            p.next_index,
                            t(lang, "match_index"),
                            p.match_index
                        ),
                        tx,
                        top + h / 2.0,
                    );
                }
            }
        }
        alpha(ctx, 1.0);
    }
}

/// Padding left and right of the timeline track, CSS px.
pub const TIMELINE_PAD: f64 = 8.0;

/// The timeline's markers, kept in an offscreen layer. Markers only ever
/// get appended (a fork clears them), so a frame draws just the new ones;
/// the whole layer is redrawn only when the size or the scale changes.
pub struct TimelineMarks {
    layer: Option<Layer>,
    /// (width, height, dpr, scale) the layer was drawn for.
    key: (f64, f64, f64, u64),
    /// Markers already in the layer.
    drawn: usize,
    /// Per marker kind, the last pixel column drawn (markers come in time
    /// order, so one column per kind is drawn once).
    last_x: [i64; 5],
}

impl Default for TimelineMarks {
    fn default() -> Self {
        TimelineMarks {
            layer: Layer::new(),
            key: (0.0, 0.0, 0.0, 0),
            drawn: 0,
            last_x: [i64::MIN; 5],
        }
    }
}

/// Paints the timeline: the track, the part already played, markers for
/// elections, leaders, commits, faults and violations, and the cursor.
/// `scale_us` is the time at the right end (see `geom::timeline_scale_us`).
pub fn paint_timeline(
    c: &Ctx,
    tm: &mut TimelineMarks,
    (w, h, dpr): (f64, f64, f64),
    scale_us: u64,
    now_us: u64,
    markers: &[(u64, Marker)],
) {
    let pad = TIMELINE_PAD;
    let hz = scale_us.max(1) as f64;
    let x_of = |t: u64| pad + (w - 2.0 * pad) * (t as f64 / hz);
    c.set_fill_style_str("#f1f1ec");
    c.fill_rect(0.0, 0.0, w, h);
    c.set_fill_style_str("#dcdcd4");
    c.fill_rect(pad, h / 2.0 - 3.0, w - 2.0 * pad, 6.0);
    c.set_fill_style_str("#9a9a92");
    c.fill_rect(pad, h / 2.0 - 3.0, x_of(now_us) - pad, 6.0);
    let key = (w, h, dpr, scale_us);
    let target = match &tm.layer {
        Some(layer) => {
            if key != tm.key || markers.len() < tm.drawn {
                layer.reset((w * dpr).round() as u32, (h * dpr).round() as u32, dpr);
                tm.key = key;
                tm.drawn = 0;
                tm.last_x = [i64::MIN; 5];
            }
            &layer.ctx
        }
        None => {
            // No offscreen canvas: draw them all, every frame.
            tm.drawn = 0;
            tm.last_x = [i64::MIN; 5];
            c
        }
    };
    forget_styles();
    for &(t_us, m) in &markers[tm.drawn..] {
        let x = x_of(t_us);
        let k = m as usize;
        if tm.last_x[k] == x as i64 {
            continue;
        }
        tm.last_x[k] = x as i64;
        let (colour, y, hh) = match m {
            Marker::Commit => (okabe::GREEN, h - 9.0, 6.0),
            Marker::Election => (okabe::ORANGE, 3.0, 6.0),
            Marker::Leader => (okabe::BLUE, 1.0, 10.0),
            Marker::Fault => (okabe::VERMILLION, h - 14.0, 12.0),
            Marker::Violation => ("#b00020", 0.0, h),
        };
        fill(target, colour);
        let wd = if matches!(m, Marker::Violation | Marker::Leader) {
            3.0
        } else {
            2.0
        };
        target.fill_rect(x - wd / 2.0, y, wd, hh);
    }
    forget_styles();
    if let Some(layer) = &tm.layer {
        tm.drawn = markers.len();
        layer.blit(c, 0.0, 0.0, w, h);
    }
    // Cursor.
    let x = x_of(now_us);
    c.set_fill_style_str("#1a1a1a");
    c.fill_rect(x - 1.5, 0.0, 3.0, h);
    c.begin_path();
    let _ = c.arc(x, h / 2.0, 6.0, 0.0, std::f64::consts::TAU);
    c.fill();
}
