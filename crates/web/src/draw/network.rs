//! The background layer: the paper, partition shading, links, the network
//! state in the corner, and (from `logs`) the log strips' still half.

use raft::{NodeId, Role};
use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{
    align, alpha, baseline, circle, fill, font, font_set, line_width, stroke, text, Dashes,
};
use super::labels::{group_label, name_tag, partition_banner};
use super::logs::log_slots;
use super::{Scene, Xf};
use crate::geom::{Layout, Pt};
use crate::i18n::Lang;
use crate::style::okabe;

/// Colours of partition groups ①, ②, ③, … (their labels).
const GROUP_COLOURS: [&str; 4] = [okabe::SKY, okabe::ORANGE, okabe::GREEN, okabe::PURPLE];
/// The same colours at 22 % over the background (`#fbfbf8`), for the
/// shaded regions: opaque, so where a region's strokes and its fill overlap
/// the tint stays one even shade.
const GROUP_TINTS: [&str; 4] = ["#d7ebf5", "#f6e7c1", "#c4e7db", "#f1dee6"];

/// Everything the background layer paints from, and nothing else: it is
/// repainted exactly when one of these changes (see `layers::Cached`).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Backdrop {
    pub(super) layout: Layout,
    /// How the layer maps onto the canvas.
    pub(super) xf: Xf,
    pub(super) lang: Lang,
    pub(super) selected: Option<NodeId>,
    /// The network's partition groups (empty: none).
    pub(super) groups: Vec<Vec<NodeId>>,
    /// Cut directed links `[from, to]`.
    pub(super) cuts: Vec<[NodeId; 2]>,
    /// Partition mode: the group the user gave each node.
    pub(super) pending_groups: Option<Vec<(NodeId, u8)>>,
    /// One log row label per node, in the view's order.
    pub(super) rows: Vec<RowLabel>,
}

/// What a log row's label shows of its node.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct RowLabel {
    pub(super) id: NodeId,
    pub(super) up: bool,
    pub(super) leader: bool,
    /// The lesson's name for the server, if it has one.
    pub(super) name: Option<String>,
}

impl Backdrop {
    /// The background inputs of a scene.
    pub(super) fn of(s: &Scene) -> Backdrop {
        Backdrop {
            layout: s.layout.clone(),
            xf: s.xf,
            lang: s.lang,
            selected: s.selected,
            groups: s.view.network.groups.clone(),
            cuts: s.view.network.cuts.clone(),
            pending_groups: s.pending_groups.map(<[_]>::to_vec),
            rows: s
                .view
                .nodes
                .iter()
                .map(|n| RowLabel {
                    id: n.id,
                    up: n.up,
                    leader: n.role == Some(Role::Leader),
                    name: name_tag(s.names, n.id).map(str::to_string),
                })
                .collect(),
        }
    }

    fn blocked_by_partition(&self, a: NodeId, b: NodeId) -> bool {
        if self.groups.is_empty() {
            return false;
        }
        let group = |id| self.groups.iter().position(|g| g.contains(&id));
        group(a) != group(b)
    }

    fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cuts.iter().any(|c| c[0] == from && c[1] == to)
    }
}

/// What changes only with the layout, the network, the selection or a
/// crash: the background, partition shading, links, the network state in
/// the corner, and the log strips' labels and empty slots.
pub(super) fn background(ctx: &Ctx, b: &Backdrop, d: &Dashes) {
    let l = &b.layout;
    fill(ctx, "#fbfbf8");
    ctx.fill_rect(0.0, 0.0, l.width, l.height);
    groups(ctx, b);
    links(ctx, b, d);
    log_slots(ctx, b);
    if !b.groups.is_empty() {
        align(ctx, "left");
        baseline(ctx, "top");
        fill(ctx, okabe::VERMILLION);
        font_set(ctx, &font(12.0, 700));
        text(ctx, &partition_banner(b.lang, &b.groups), 8.0, 22.0);
    }
}

/// Shaded regions behind each partition group (or the groups being chosen).
fn groups(ctx: &Ctx, b: &Backdrop) {
    let l = &b.layout;
    let mut sets: Vec<(usize, Vec<NodeId>)> = Vec::new();
    if let Some(p) = &b.pending_groups {
        for g in 0..3u8 {
            let members: Vec<NodeId> = p.iter().filter(|(_, v)| *v == g).map(|&(k, _)| k).collect();
            if !members.is_empty() {
                sets.push((g as usize, members));
            }
        }
    } else {
        for (g, members) in b.groups.iter().enumerate() {
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
        let mut pts: Vec<Pt> = members.iter().filter_map(|&id| l.pos(id)).collect();
        // The label goes by the group's first member (lowest id).
        let Some(&first) = pts.first() else {
            continue;
        };
        // All pairwise segments, stroked wide, and the polygon they bound,
        // filled: three members far apart on the ring would otherwise leave
        // a hole in the middle. The members in order around the ring's
        // centre make the polygon convex (they sit on a circle).
        crate::small_sort::sort_by_key(&mut pts, |p| {
            (crate::geom::around(l.center, *p) * 1e6) as i64
        });
        let tint = GROUP_TINTS[g % GROUP_TINTS.len()];
        ctx.begin_path();
        for (i, a) in pts.iter().enumerate() {
            ctx.move_to(a.x, a.y);
            ctx.line_to(a.x + 0.01, a.y);
            for b in &pts[i + 1..] {
                ctx.move_to(a.x, a.y);
                ctx.line_to(b.x, b.y);
            }
        }
        stroke(ctx, tint);
        line_width(ctx, l.node_r * 2.0 + 30.0);
        ctx.stroke();
        if pts.len() >= 3 {
            ctx.begin_path();
            ctx.move_to(pts[0].x, pts[0].y);
            for p in &pts[1..] {
                ctx.line_to(p.x, p.y);
            }
            ctx.close_path();
            fill(ctx, tint);
            ctx.fill();
        }
        // The group's label above its first member: a number, so that a
        // group is never read as a server (`A`, `S1`).
        let c = first;
        fill(ctx, colour);
        font_set(ctx, &font(14.0, 800));
        align(ctx, "center");
        baseline(ctx, "bottom");
        // Above a member in the ring's upper half, below one in its lower
        // half (under its role and vote lines), and never off the canvas,
        // where the label would be cut: then beside the member.
        let above = c.y - l.node_r - 18.0;
        let below = c.y + l.node_r + 48.0;
        let (x, y) = if c.y <= l.center.y && above >= 44.0 {
            (c.x + l.node_r + 12.0, above)
        } else if below <= l.height - 4.0 {
            (c.x + l.node_r + 12.0, below)
        } else {
            (c.x + l.node_r + 40.0, c.y + 7.0)
        };
        text(ctx, &group_label(b.lang, *g), x, y);
    }
    ctx.set_line_cap("butt");
}

/// Every pair of nodes is joined by a light line; broken links are red and
/// dashed, and a cut link carries a scissor mark.
fn links(ctx: &Ctx, b: &Backdrop, d: &Dashes) {
    let l = &b.layout;
    for (i, &from) in l.ids.iter().enumerate() {
        for &to in &l.ids[i + 1..] {
            let Some((pa, pb)) = l.link_segment(from, to) else {
                continue;
            };
            let (ab, ba) = (b.is_cut(from, to), b.is_cut(to, from));
            let part = b.blocked_by_partition(from, to);
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
                let sender = if ab { pa } else { pb };
                stroke(ctx, okabe::VERMILLION);
                let _ = ctx.set_line_dash(&d.cut);
                line_width(ctx, 2.2);
                ctx.begin_path();
                ctx.move_to(sender.x, sender.y);
                ctx.line_to(mid.x, mid.y);
                ctx.stroke();
            }
            alpha(ctx, 1.0);
            if ab || ba {
                scissors(ctx, mid, d);
            }
        }
    }
    let _ = ctx.set_line_dash(&d.solid);
}

/// A scissor mark in a ring at `mid`: the link was cut by hand.
fn scissors(ctx: &Ctx, mid: Pt, d: &Dashes) {
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
