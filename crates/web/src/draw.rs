//! Paints a `sim::View` on a 2D canvas. Reads the snapshot, never the
//! simulator: the picture cannot change the run.

use std::collections::BTreeMap;

use raft::{NodeId, Role};
use sim::view::NodeView;
use sim::View;
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d as Ctx;

use crate::eventlog::{format_time, list, role_name};
use crate::geom::{log_window, Layout, Pt, LOG_LABEL_W};
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
    pub pending_groups: Option<&'a BTreeMap<NodeId, u8>>,
    /// Nodes involved in a violation.
    pub highlight: &'a [NodeId],
    /// (node, index) log entries involved in a violation.
    pub highlight_entries: &'a [(NodeId, u64)],
    /// Where each message in flight is drawn.
    pub messages: &'a [(u64, Pt)],
    /// The message whose popup is open.
    pub selected_message: Option<u64>,
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

thread_local! {
    /// The last fill, stroke and font set on the main canvas. Chromium
    /// parses these strings on every set (fonts are costly); skipping
    /// repeats halves the paint time. Cleared at the start of `paint` and
    /// after `restore` (which resets the context's state).
    static LAST: std::cell::RefCell<[String; 3]> = const { std::cell::RefCell::new([String::new(), String::new(), String::new()]) };
}

fn cached(slot: usize, v: &str) -> bool {
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        if l[slot] == v {
            true
        } else {
            l[slot].clear();
            l[slot].push_str(v);
            false
        }
    })
}

fn forget_styles() {
    LAST.with(|l| l.borrow_mut().iter_mut().for_each(String::clear));
}

fn fill(ctx: &Ctx, c: &str) {
    if !cached(0, c) {
        ctx.set_fill_style_str(c);
    }
}

fn stroke(ctx: &Ctx, c: &str) {
    if !cached(1, c) {
        ctx.set_stroke_style_str(c);
    }
}

fn font_set(ctx: &Ctx, f: &str) {
    if !cached(2, f) {
        ctx.set_font(f);
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

/// Paints the whole scene. The context's transform must already map CSS px.
pub fn paint(ctx: &Ctx, s: &Scene, d: &Dashes) {
    let l = s.layout;
    forget_styles();
    fill(ctx, "#fbfbf8");
    ctx.fill_rect(0.0, 0.0, l.width, l.height);
    groups(ctx, s);
    links(ctx, s, d);
    messages(ctx, s);
    for n in &s.view.nodes {
        node(ctx, s, d, n);
    }
    logs(ctx, s);
    // Time and network state in the corner, so an exported PNG explains itself.
    ctx.set_text_align("left");
    ctx.set_text_baseline("top");
    fill(ctx, "#555");
    font_set(ctx, &font(12.0, 500));
    text(
        ctx,
        &format!("t = {}", format_time(s.view.now_us)),
        8.0,
        6.0,
    );
    if !s.view.network.groups.is_empty() {
        let g = s
            .view
            .network
            .groups
            .iter()
            .map(|g| list(s.lang, g))
            .collect::<Vec<_>>()
            .join("  |  ");
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
            let members: Vec<NodeId> = p.iter().filter(|(_, &v)| v == g).map(|(&k, _)| k).collect();
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
        ctx.set_global_alpha(0.22);
        stroke(ctx, colour);
        ctx.set_line_width(l.node_r * 2.0 + 30.0);
        ctx.stroke();
        ctx.set_global_alpha(1.0);
        // Group letter above its first member.
        let c = pts[0];
        fill(ctx, colour);
        font_set(ctx, &font(15.0, 800));
        ctx.set_text_align("center");
        ctx.set_text_baseline("bottom");
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
            ctx.set_line_width(1.2);
            stroke(ctx, "#cfcfc8");
            if part || (ab && ba) {
                stroke(ctx, okabe::VERMILLION);
                ctx.set_global_alpha(if part && !(ab || ba) { 0.45 } else { 0.9 });
                let _ = ctx.set_line_dash(&d.cut);
                ctx.set_line_width(1.8);
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
                ctx.set_line_width(2.2);
                ctx.begin_path();
                ctx.move_to(from.x, from.y);
                ctx.line_to(mid.x, mid.y);
                ctx.stroke();
            }
            ctx.set_global_alpha(1.0);
            if ab || ba {
                // A scissor mark in a ring: the link was cut by hand.
                fill(ctx, "#fff");
                circle(ctx, mid, 12.0);
                ctx.fill();
                stroke(ctx, okabe::VERMILLION);
                ctx.set_line_width(2.0);
                let _ = ctx.set_line_dash(&d.solid);
                ctx.stroke();
                fill(ctx, okabe::VERMILLION);
                font_set(ctx, &font(17.0, 700));
                ctx.set_text_align("center");
                ctx.set_text_baseline("middle");
                text(ctx, "✂", mid.x, mid.y);
            }
        }
    }
    let _ = ctx.set_line_dash(&d.solid);
}

/// Draws one message shape centred on `p`. Also used for the legend icons.
pub fn msg_shape(ctx: &Ctx, st: &MsgStyle, p: Pt, scale: f64) {
    let r = st.size * scale;
    if scale != 1.0 {
        // Legend icons: another canvas, whose state the cache does not know.
        forget_styles();
    }
    ctx.begin_path();
    match st.shape {
        Shape::Circle => {
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
                let (x, y) = (p.x + rr * a.cos(), p.y + rr * a.sin());
                if k == 0 {
                    ctx.move_to(x, y);
                } else {
                    ctx.line_to(x, y);
                }
            }
            ctx.close_path();
        }
    }
    if st.filled {
        fill(ctx, st.colour);
        ctx.fill();
        stroke(ctx, "#ffffff");
        ctx.set_line_width(1.0);
        ctx.stroke();
    } else {
        fill(ctx, "#ffffff");
        ctx.fill();
        stroke(ctx, st.colour);
        ctx.set_line_width(2.2 * scale.max(0.8));
        ctx.stroke();
    }
    if !st.glyph.is_empty() {
        fill(ctx, if st.filled { "#ffffff" } else { st.colour });
        font_set(ctx, &font(r * 1.5, 800));
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        text(ctx, st.glyph, p.x, p.y + r * 0.08);
    }
}

fn messages(ctx: &Ctx, s: &Scene) {
    for m in &s.view.messages {
        let Some(&(_, p)) = s.messages.iter().find(|(id, _)| *id == m.id) else {
            continue;
        };
        let st = MsgKind::of(&m.msg).style();
        if s.selected_message == Some(m.id) {
            stroke(ctx, okabe::BLACK);
            ctx.set_line_width(2.0);
            circle(ctx, p, st.size + 6.0);
            ctx.stroke();
        }
        msg_shape(ctx, &st, p, 1.0);
        if let raft::Message::AppendEntries { entries, .. } = &*m.msg {
            if entries.len() > 1 {
                fill(ctx, okabe::BLUE);
                font_set(ctx, &font(10.0, 700));
                ctx.set_text_align("left");
                ctx.set_text_baseline("middle");
                text(ctx, &entries.len().to_string(), p.x + st.size + 2.0, p.y);
            }
        }
    }
}

fn node(ctx: &Ctx, s: &Scene, d: &Dashes, n: &NodeView) {
    let l = s.layout;
    let Some(c) = l.pos(n.id) else { return };
    let r = l.node_r;
    let lang = s.lang;
    let now = s.view.now_us;
    let member = n.membership_role != "none";
    // Selection and violation halos.
    if s.highlight.contains(&n.id) {
        stroke(ctx, okabe::VERMILLION);
        ctx.set_line_width(6.0);
        circle(ctx, c, r + 14.0);
        ctx.stroke();
    }
    if s.selected == Some(n.id) {
        stroke(ctx, okabe::BLUE);
        ctx.set_global_alpha(0.45);
        ctx.set_line_width(6.0);
        circle(ctx, c, r + 10.0);
        ctx.stroke();
        ctx.set_global_alpha(1.0);
    }
    // Election timer: a ring that drains until the node times out.
    if n.up
        && n.role != Some(Role::Leader)
        && n.election_deadline_us > n.election_start_us
        && member
    {
        let left = (n.election_deadline_us.saturating_sub(now)) as f64
            / (n.election_deadline_us - n.election_start_us) as f64;
        let left = left.clamp(0.0, 1.0);
        ctx.set_line_width(3.5);
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
    ctx.set_line_width(width);
    stroke(ctx, colour);
    circle(ctx, c, r - width / 2.0 + 1.0);
    ctx.stroke();
    let _ = ctx.set_line_dash(&d.solid);
    // Name and term inside.
    let ink = if n.up { "#111" } else { "#888" };
    fill(ctx, ink);
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    font_set(ctx, &font((r * 0.62).round(), 800));
    text(ctx, &format!("S{}", n.id), c.x, c.y - r * 0.2);
    font_set(ctx, &font((r * 0.36).clamp(9.0, 14.0).round(), 600));
    let term = if lang == Lang::Zh {
        format!("任期 {}", n.term)
    } else {
        format!("term {}", n.term)
    };
    text(ctx, &term, c.x, c.y + r * 0.38);
    if !n.up {
        stroke(ctx, "#888");
        ctx.set_line_width(2.0);
        ctx.begin_path();
        ctx.move_to(c.x - r * 0.5, c.y - r * 0.5);
        ctx.line_to(c.x + r * 0.5, c.y + r * 0.5);
        ctx.stroke();
    }
    // Role and vote below.
    let mut role = role_name(lang, n.role).to_string();
    if !member {
        role = format!("{} · {}", role, t(lang, "removed"));
    } else if n.membership_role == "learner" {
        role = format!("{} · {}", role, t(lang, "learner"));
    }
    let vote = match n.role {
        Some(Role::Candidate) | Some(Role::PreCandidate) => {
            format!("{} {}", t(lang, "votes"), list(lang, &n.votes_received))
        }
        Some(Role::Leader) => String::new(),
        _ => match n.voted_for {
            Some(v) => format!("{} {v}", t(lang, "voted_for")),
            None => t(lang, "no_vote").to_string(),
        },
    };
    let (y1, y2) = (c.y + r + 15.0, c.y + r + 29.0);
    font_set(ctx, &font(12.0, 700));
    fill(ctx, if n.up { "#222" } else { "#888" });
    text(ctx, &role, c.x, y1);
    if !vote.is_empty() && n.up {
        font_set(ctx, &font(11.0, 500));
        fill(ctx, "#555");
        text(ctx, &vote, c.x, y2);
    }
}

/// Log strips: one row per node, entries coloured by term; committed ones
/// filled, uncommitted ones hatched; the commit index marked; at the leader,
/// each follower's nextIndex and matchIndex.
fn logs(ctx: &Ctx, s: &Scene) {
    let l = s.layout;
    let v = s.view;
    let lang = s.lang;
    let (cells, cw) = l.log_cells();
    let last_index = v
        .nodes
        .iter()
        .map(|n| n.log.last().map_or(n.snapshot_index, |e| e.index))
        .max()
        .unwrap_or(0);
    let (first, last) = log_window(last_index, cells);
    let row_h = l.row_h();
    let x0 = l.log.x + LOG_LABEL_W;
    let cell_x = |i: u64| x0 + (i - first) as f64 * cw;
    // Header: index numbers.
    ctx.set_text_baseline("middle");
    ctx.set_text_align("right");
    font_set(ctx, &font(10.0, 600));
    fill(ctx, "#777");
    text(ctx, t(lang, "index"), x0 - 4.0, l.log.y + 8.0);
    ctx.set_text_align("center");
    let every = if cw >= 20.0 { 1 } else { 5 };
    for i in first..=last {
        if i % every == 0 || i == first {
            text(ctx, &i.to_string(), cell_x(i) + cw / 2.0, l.log.y + 8.0);
        }
    }
    let leader = v.leader.and_then(|id| v.nodes.iter().find(|n| n.id == id));
    let pad = (row_h * 0.12).max(1.5);
    for n in &v.nodes {
        let Some(row) = l.log_row(n.id) else { continue };
        let (top, h) = (row.y + pad, row.h - 2.0 * pad);
        ctx.set_global_alpha(if n.up { 1.0 } else { 0.5 });
        // Label.
        ctx.set_text_align("left");
        font_set(ctx, &font((h * 0.6).clamp(9.0, 13.0), 800));
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
        // Empty slots.
        stroke(ctx, "#e2e2dc");
        ctx.set_line_width(1.0);
        for i in first..=last {
            ctx.stroke_rect(cell_x(i) + 1.0, top, cw - 2.0, h);
        }
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
            ctx.set_text_align("center");
            font_set(ctx, &font(9.0, 600));
            text(
                ctx,
                t(lang, "snapshot"),
                (cell_x(first) + cell_x(end) + cw) / 2.0,
                top + h / 2.0,
            );
        }
        for e in n.log.iter().filter(|e| e.index >= first && e.index <= last) {
            let x = cell_x(e.index) + 1.0;
            let w = cw - 2.0;
            let committed = e.index <= n.commit_index;
            let colour = term_colour(e.term);
            if committed {
                fill(ctx, colour);
                ctx.fill_rect(x, top, w, h);
            } else {
                fill(ctx, "#ffffff");
                ctx.fill_rect(x, top, w, h);
                // Hatching: uncommitted entries are visibly provisional.
                ctx.save();
                ctx.begin_path();
                ctx.rect(x, top, w, h);
                ctx.clip();
                stroke(ctx, colour);
                ctx.set_line_width(1.5);
                ctx.begin_path();
                let mut k = -h;
                while k < w {
                    ctx.move_to(x + k, top + h);
                    ctx.line_to(x + k + h, top);
                    k += 6.0;
                }
                ctx.set_global_alpha(if n.up { 0.55 } else { 0.3 });
                ctx.stroke();
                ctx.restore();
                forget_styles();
                stroke(ctx, colour);
                ctx.set_line_width(2.0);
                ctx.stroke_rect(x + 1.0, top + 1.0, w - 2.0, h - 2.0);
            }
            if s.highlight_entries.contains(&(n.id, e.index)) {
                stroke(ctx, okabe::VERMILLION);
                ctx.set_line_width(3.0);
                ctx.stroke_rect(x - 1.0, top - 1.0, w + 2.0, h + 2.0);
            }
            // Term number (the paper's figures write the term in the box).
            ctx.set_text_align("center");
            font_set(ctx, &font((h * 0.55).clamp(8.0, 13.0), 700));
            let label = match e.kind {
                "config" => format!("{}⚙", e.term),
                _ => e.term.to_string(),
            };
            if committed {
                fill(ctx, term_text_colour(e.term));
            } else {
                fill(ctx, "#111");
            }
            text(ctx, &label, x + w / 2.0, top + h / 2.0 + 0.5);
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
                    ctx.set_text_align("left");
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
        ctx.set_global_alpha(1.0);
    }
}
