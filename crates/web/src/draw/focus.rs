//! The lesson's marks on the canvas (issue 12): what the narration, or the
//! claim the student points at, is about, and the lesson's names for its
//! servers.
//!
//! The marks are a highlighter, not an alarm: one soft yellow underlay
//! painted before everything else of the frame, so a marked server wears a
//! halo, a marked log entry a border and a marked message a disc, while
//! every word, cell and shape is still painted over it and stays legible.
//! Nothing blinks. Red stays the safety checker's (`nodes::node`), blue the
//! selection's.

use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{align, alpha, baseline, fill, font, font_set, line_width, stroke, text};
use super::labels::name_tag;
use super::logs::cell_boxes;
use super::Scene;
use crate::style::{okabe, MsgKind};

/// How far the halo reaches beyond a server's body, CSS px: past the
/// election timer's ring (at 5 px), short of the violation's (14 px).
const HALO_PX: f64 = 12.0;
/// How far the border reaches around a log cell, CSS px.
const CELL_PAD_PX: f64 = 3.0;
/// The underlay's opacity: strong enough to see, soft enough to read through.
const UNDERLAY_ALPHA: f64 = 0.75;

/// The underlay: halos behind the marked servers, borders behind the
/// marked log entries, discs behind the marked messages in flight. One
/// fill for all of them. Painted right after the background layer.
pub(super) fn underlay(ctx: &Ctx, s: &Scene) {
    let f = s.focus;
    if f.is_empty() {
        return;
    }
    let l = s.layout;
    ctx.begin_path();
    for &id in &f.nodes {
        if let Some(c) = l.pos(id) {
            let r = l.node_r + HALO_PX;
            ctx.move_to(c.x + r, c.y);
            let _ = ctx.arc(c.x, c.y, r, 0.0, std::f64::consts::TAU);
        }
    }
    for b in cell_boxes(s, &f.entries) {
        ctx.rect(
            b.x - CELL_PAD_PX,
            b.y - CELL_PAD_PX,
            b.w + 2.0 * CELL_PAD_PX,
            b.h + 2.0 * CELL_PAD_PX,
        );
    }
    for m in s
        .view
        .messages
        .iter()
        .filter(|m| f.messages.contains(&m.id))
    {
        let Some(&(_, p)) = s.messages.iter().find(|(id, _)| *id == m.id) else {
            continue;
        };
        let r = MsgKind::of(&m.msg).style().size + 6.0;
        ctx.move_to(p.x + r, p.y);
        let _ = ctx.arc(p.x, p.y, r, 0.0, std::f64::consts::TAU);
    }
    alpha(ctx, UNDERLAY_ALPHA);
    fill(ctx, okabe::YELLOW);
    ctx.fill();
    alpha(ctx, 1.0);
}

/// The lesson's name of each named server, in a small tag at the top right
/// of its body, beside the `S1` inside it.
pub(super) fn name_tags(ctx: &Ctx, s: &Scene) {
    if s.names.is_empty() {
        return;
    }
    let l = s.layout;
    let r = l.node_r;
    font_set(ctx, &font(12.0, 800));
    align(ctx, "center");
    baseline(ctx, "middle");
    line_width(ctx, 1.5);
    for &id in &l.ids {
        let (Some(c), Some(name)) = (l.pos(id), name_tag(s.names, id)) else {
            continue;
        };
        let w = ctx.measure_text(name).map_or(10.0, |m| m.width()) + 10.0;
        let (x, y) = (c.x + r * 0.78, c.y - r * 0.92);
        ctx.begin_path();
        let _ = ctx.round_rect_with_f64(x - w / 2.0, y - 9.0, w, 18.0, 9.0);
        fill(ctx, "#ffffff");
        ctx.fill();
        stroke(ctx, okabe::BLACK);
        ctx.stroke();
        fill(ctx, okabe::BLACK);
        text(ctx, name, x, y + 0.5);
    }
}
