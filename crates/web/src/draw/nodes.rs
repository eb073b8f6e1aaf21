//! The nodes: halos, bodies, borders and words (the cached node layer, with
//! the client's glyph), and the election timers drawn over the picture
//! every frame.

use raft::{NodeId, Role, Term};
use sim::view::NodeView;
use sim::MembershipRole;
use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{
    align, alpha, baseline, circle, fill, font, font_set, line_width, stroke, text, Dashes,
};
use super::labels::{node_term, role_line, vote_line};
use super::{Scene, Xf};
use crate::geom::{clamp, Layout};
use crate::i18n::Lang;
use crate::style::{okabe, term_tint};

/// Everything the node layer paints from, and nothing else: it is repainted
/// exactly when one of these changes (see `layers::Cached`).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Faces {
    pub(super) layout: Layout,
    /// How the layer maps onto the canvas.
    pub(super) xf: Xf,
    pub(super) lang: Lang,
    pub(super) selected: Option<NodeId>,
    /// Nodes involved in a violation.
    pub(super) highlight: Vec<NodeId>,
    /// One per node, in the view's order.
    pub(super) nodes: Vec<Face>,
}

/// What the node layer shows of one node.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Face {
    pub(super) id: NodeId,
    pub(super) up: bool,
    pub(super) role: Option<Role>,
    /// Where the node stands in the configuration it knows.
    pub(super) membership_role: MembershipRole,
    pub(super) term: Term,
    pub(super) voted_for: Option<NodeId>,
    pub(super) votes_received: Vec<NodeId>,
}

impl Faces {
    /// The node-layer inputs of a scene.
    pub(super) fn of(s: &Scene) -> Faces {
        Faces {
            layout: s.layout.clone(),
            xf: s.xf,
            lang: s.lang,
            selected: s.selected,
            highlight: s.highlight.to_vec(),
            nodes: s
                .view
                .nodes
                .iter()
                .map(|n| Face {
                    id: n.id,
                    up: n.up,
                    role: n.role,
                    membership_role: n.membership_role,
                    term: n.term,
                    voted_for: n.voted_for,
                    votes_received: n.votes_received.clone(),
                })
                .collect(),
        }
    }
}

/// The nodes without their timers: halos, bodies, borders and words.
pub(super) fn nodes(ctx: &Ctx, f: &Faces, d: &Dashes) {
    for n in &f.nodes {
        node(ctx, f, d, n);
    }
    node_labels(ctx, f);
    super::clients::glyph(ctx, &f.layout, f.lang);
}

/// The election timer of a node: a ring that drains until it times out.
/// The one part of a node that changes every frame.
pub(super) fn node_timer(ctx: &Ctx, s: &Scene, n: &NodeView) {
    let l = s.layout;
    let Some(c) = l.pos(n.id) else { return };
    let r = l.node_r;
    let now = s.view.now_us;
    let member = n.membership_role != MembershipRole::NotMember;
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
fn node(ctx: &Ctx, f: &Faces, d: &Dashes, n: &Face) {
    let l = &f.layout;
    let Some(c) = l.pos(n.id) else { return };
    let r = l.node_r;
    // Selection and violation halos.
    if f.highlight.contains(&n.id) {
        stroke(ctx, okabe::VERMILLION);
        line_width(ctx, 6.0);
        circle(ctx, c, r + 14.0);
        ctx.stroke();
    }
    if f.selected == Some(n.id) {
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
fn node_labels(ctx: &Ctx, f: &Faces) {
    let l = &f.layout;
    let r = l.node_r;
    let lang = f.lang;
    let placed = || f.nodes.iter().filter_map(|n| l.pos(n.id).map(|c| (n, c)));
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
        text(ctx, &node_term(lang, n.term), c.x, c.y + r * 0.38);
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
        fill(ctx, if n.up { "#222" } else { "#888" });
        text(
            ctx,
            &role_line(lang, n.role, n.membership_role),
            c.x,
            c.y + r + 15.0,
        );
    }
    font_set(ctx, &font(11.0, 500));
    fill(ctx, "#555");
    for (n, c) in placed().filter(|(n, _)| n.up) {
        if let Some(vote) = vote_line(lang, n.role, n.voted_for, &n.votes_received) {
            text(ctx, &vote, c.x, c.y + r + 29.0);
        }
    }
}
