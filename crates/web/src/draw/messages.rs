//! Messages: the shape of each kind (also the legend's icons) and the
//! messages in flight.

use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{
    align, baseline, circle, fill, font, font_set, forget_styles, line_width, stroke, text,
};
use super::Scene;
use crate::geom::{sin_cos, Pt};
use crate::style::{okabe, MsgKind, MsgStyle, Shape};

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

/// The unit vector from `from` towards `to` on the canvas (zero for a
/// message to itself).
fn heading(s: &Scene, from: raft::NodeId, to: raft::NodeId) -> Pt {
    let zero = Pt { x: 0.0, y: 0.0 };
    let Some((a, b)) = s.layout.link_segment(from, to) else {
        return zero;
    };
    let d = a.dist(b);
    if d < 1e-9 {
        return zero;
    }
    Pt {
        x: (b.x - a.x) / d,
        y: (b.y - a.y) / d,
    }
}

/// A small arrowhead just ahead of a message of radius `r` at `p` heading
/// `u`, as its own sub-path: the direction of travel, paused or not.
fn arrow_path(ctx: &Ctx, p: Pt, u: Pt, r: f64) {
    let (tip, back, half) = (r + 6.0, r + 1.5, 3.5);
    ctx.move_to(p.x + u.x * tip, p.y + u.y * tip);
    ctx.line_to(p.x + u.x * back - u.y * half, p.y + u.y * back + u.x * half);
    ctx.line_to(p.x + u.x * back + u.y * half, p.y + u.y * back - u.x * half);
}

/// Messages in flight, one path per kind: a few calls per message instead
/// of a dozen (overlapping dots of one kind share their white outline),
/// and one path for all their arrowheads.
pub(super) fn messages(ctx: &Ctx, s: &Scene) {
    // `s.messages` holds the drawn ones, in the order of `view.messages`.
    let mut drawn = s.messages.iter().peekable();
    let mut shown: Vec<(MsgKind, Pt, usize, Pt)> = Vec::with_capacity(s.messages.len());
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
        shown.push((kind, pos, entries, heading(s, m.from, m.to)));
    }
    // One path per kind. Identical dots on the same spot are drawn once:
    // a leader that repeats an AppendEntries puts copies a pixel apart,
    // and painting the same shape over itself changes nothing the eye
    // can see (hit testing still knows every message: `s.messages`).
    let spot = |p: Pt| ((p.x * 0.5).round() as i32, (p.y * 0.5).round() as i32);
    crate::small_sort::sort_by_key(&mut shown, |&(k, p, n, _)| (k, n.min(99), spot(p)));
    shown.dedup_by_key(|&mut (k, p, n, _)| (k, n.min(99), spot(p)));
    ctx.begin_path();
    for &(kind, pos, _, u) in &shown {
        arrow_path(ctx, pos, u, kind.style().size);
    }
    fill(ctx, "#444");
    ctx.fill();
    for group in shown.chunk_by(|a, b| a.0 == b.0) {
        let st = group[0].0.style();
        ctx.begin_path();
        for &(_, pos, _, _) in group {
            shape_path(ctx, st.shape, pos, st.size);
        }
        shape_paint(ctx, &st, 1.0);
        for &(_, pos, _, _) in group {
            shape_glyph(ctx, &st, pos, st.size);
        }
    }
    // How many entries an AppendEntries carries, when more than one.
    for &(kind, pos, entries, _) in &shown {
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
