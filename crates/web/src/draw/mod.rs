//! Paints a `sim::View` on a 2D canvas. Reads the snapshot, never the
//! simulator: the picture cannot change the run.
//!
//! One job per file: `canvas` (the style cache and drawing helpers),
//! `layers` (cached offscreen layers keyed on their inputs), `network`
//! (background, partition groups, links), `nodes` (bodies, words, timers),
//! `messages` (shapes and messages in flight), `logs` and `tape` (the log
//! strips and their caches), `timeline`, `focus` (a lesson's marks on
//! what its narration names, and its names for the servers), `flash` (the
//! mark of what just happened), `kv` (each server's values), `clients`
//! (the client, its requests and answers), and `labels` (the painted
//! words, as plain tested functions).

mod canvas;
mod clients;
mod flash;
mod focus;
mod kv;
pub mod labels;
mod layers;
mod logs;
mod messages;
mod network;
mod nodes;
mod tape;
mod timeline;

use raft::NodeId;
use sim::View;
use web_sys::CanvasRenderingContext2d as Ctx;

use crate::eventlog::format_time;
use crate::geom::{Layout, Pt};
use crate::i18n::Lang;
use crate::session::Focus;
pub use canvas::Xf;
use canvas::{align, baseline, fill, font, font_set, forget_styles, text, Dashes};
use layers::Cached;
use network::Backdrop;
use nodes::Faces;
use tape::LogCache;

pub use flash::{Flash, FLASH_MS};
pub use messages::msg_shape;
pub use timeline::{paint_timeline, TimelineMarks, TIMELINE_PAD};

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
    /// Partition mode: the group (0 = ①, 1 = ②, …) the user gave each node.
    pub pending_groups: Option<&'a [(NodeId, u8)]>,
    /// Nodes involved in a violation.
    pub highlight: &'a [NodeId],
    /// (node, index) log entries involved in a violation.
    pub highlight_entries: &'a [(NodeId, u64)],
    /// Where each message in flight is drawn.
    pub messages: &'a [(u64, Pt)],
    /// The message whose popup is open.
    pub selected_message: Option<u64>,
    /// What the client is doing (`crate::clients::collect`).
    pub clients: &'a [crate::clients::ClientMark],
    /// How the layout maps onto the canvas's device px.
    pub xf: Xf,
    /// The canvas's backing store, device px.
    pub px: (u32, u32),
    /// Device px per CSS px of the words that stay put under a pinch-zoom
    /// (the time in the corner).
    pub hud: f64,
    /// What the lesson's narration, or the claim pointed at, is about.
    pub focus: &'a Focus,
    /// The lesson's names for its servers (`name` lines).
    pub names: &'a [(NodeId, String)],
}

/// The painter's caches, kept between frames. A frame repaints only what
/// moves (messages, election timers, the log strips' tails, the time):
/// the background (links, partition shading, empty log slots, row labels)
/// and the nodes (bodies, borders, words) are cached images redrawn when
/// their inputs change, and log cells are copied from strips painted once
/// per look (`tape`).
/// With the style cache and batched paths a frame is a few hundred canvas
/// calls instead of several thousand (each call crosses the wasm/JS
/// boundary, which is most of what a frame costs). Every cache is keyed on
/// exactly what it shows, so the picture is the same as painting it all.
pub struct Painter {
    dashes: Dashes,
    /// Background layer, painted from a `Backdrop`.
    back: Cached<Backdrop>,
    /// Node layer: bodies, borders, halos and words, which change only with
    /// a node's role, term, vote or state, the selection or a violation.
    front: Cached<Faces>,
    /// Committed log cells and hatching patterns.
    logs: LogCache,
    /// Each server's line of values.
    kv: kv::KvCache,
}

impl Default for Painter {
    fn default() -> Self {
        Painter {
            dashes: Dashes::default(),
            back: Cached::new(),
            front: Cached::new(),
            logs: LogCache::default(),
            kv: kv::KvCache::default(),
        }
    }
}

/// Paints the whole scene. The context's transform must already map CSS px.
pub fn paint(ctx: &Ctx, s: &Scene, p: &mut Painter) {
    let (px, xf) = (s.px, s.xf);
    // The canvas may have been resized since the last frame, which resets
    // its state behind the style cache's back.
    forget_styles();
    let d = &p.dashes;
    p.back.show(ctx, Backdrop::of(s), px, xf, |c, b| {
        network::background(c, b, d)
    });
    // Under everything that moves, so that all of it stays legible.
    focus::underlay(ctx, s);
    messages::messages(ctx, s);
    for n in &s.view.nodes {
        nodes::node_timer(ctx, s, n);
    }
    p.front
        .show(ctx, Faces::of(s), px, xf, |c, f| nodes::nodes(c, f, d));
    kv::kv_pills(ctx, s, &mut p.kv);
    clients::flights(ctx, s);
    focus::name_tags(ctx, s);
    logs::logs(ctx, s, &mut p.logs);
    // Time in the corner, so an exported PNG explains itself; it stays
    // there under a pinch-zoom.
    Xf {
        scale: s.hud,
        x: 0.0,
        y: 0.0,
    }
    .set(ctx);
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
    xf.set(ctx);
}
