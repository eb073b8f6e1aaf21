//! The mark of what just happened: a ring around each server and message
//! that the last Step, Next or action concerned, widening and fading for
//! [`FLASH_MS`] of real time, so the eye finds where the line above the
//! canvas points. Thin and in the accent of the event (an election blue, a
//! commit green, a fault vermillion), so it is not taken for the lesson's
//! soft yellow highlighter (`focus`), which stays and does not move. With
//! `prefers-reduced-motion` the ring keeps its size and only fades.

use raft::NodeId;
use sim::TraceEvent;
use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{alpha, line_width, stroke};
use crate::eventlog::{kind, Kind};
use crate::geom::{Layout, Pt};
use crate::session::concerned;
use crate::style::okabe;

/// How long a mark lasts, real ms.
pub const FLASH_MS: f64 = 1000.0;
/// Messages marked at most (the newest sent): a long Next sends hundreds.
const FLASH_MESSAGES_MAX: usize = 16;

/// What is marked, and since when.
///
/// Invariant: `nodes` and `messages` are what the events of `key`'s range
/// concern (the newest [`FLASH_MESSAGES_MAX`] messages are marked);
/// `since_ms` is when that range was first seen.
#[derive(Default)]
pub struct Flash {
    /// (generation, from, to) of the range marked.
    key: Option<(u64, usize, usize)>,
    since_ms: f64,
    nodes: Vec<NodeId>,
    messages: Vec<u64>,
    /// The colour of the rings (`accent`).
    colour: &'static str,
    /// Rings that fade without widening (`prefers-reduced-motion`).
    still: bool,
}

/// The colour a mark of `events` takes: that of the weightiest kind among
/// them (a violation over a fault over an election, ...), in the colours
/// the timeline's markers use.
fn accent(events: &[TraceEvent]) -> &'static str {
    // Weightiest first.
    const ACCENTS: [(Kind, &str); 6] = [
        (Kind::Violation, "#b00020"),
        (Kind::Fault, okabe::VERMILLION),
        (Kind::Election, okabe::BLUE),
        (Kind::Membership, okabe::PURPLE),
        (Kind::Client, okabe::GREEN),
        (Kind::Replication, okabe::GREEN),
    ];
    let kinds: Vec<Kind> = events.iter().map(|e| kind(&e.ev)).collect();
    ACCENTS
        .iter()
        .find(|(k, _)| kinds.contains(k))
        .map_or(okabe::BLACK, |&(_, c)| c)
}

impl Flash {
    /// Follows what just happened: `key` is (generation, from, to) of the
    /// session's settled happened range, `None` while there is none (or it
    /// still grows). A new one starts a mark at `ts_ms`, widening unless
    /// `reduced_motion()` (asked only then: the user may change it).
    pub fn follow(
        &mut self,
        key: Option<(u64, usize, usize)>,
        trace: &[TraceEvent],
        ts_ms: f64,
        reduced_motion: impl FnOnce() -> bool,
    ) {
        if key == self.key {
            return;
        }
        self.key = key;
        let range = key
            .and_then(|(_, from, to)| trace.get(from..to))
            .unwrap_or(&[]);
        (self.nodes, self.messages) = concerned(range);
        self.colour = accent(range);
        self.since_ms = ts_ms;
        self.still = reduced_motion();
    }

    /// Paints the rings at `ts_ms` (nothing once the mark is over).
    /// `messages`: where each message in flight is drawn.
    pub fn paint(&self, ctx: &Ctx, layout: &Layout, messages: &[(u64, Pt)], ts_ms: f64) {
        let f = (ts_ms - self.since_ms) / FLASH_MS;
        if !(0.0..1.0).contains(&f) || (self.nodes.is_empty() && self.messages.is_empty()) {
            return;
        }
        let grow = if self.still { 0.0 } else { f };
        ctx.begin_path();
        let ring = |p: Pt, r: f64| {
            ctx.move_to(p.x + r, p.y);
            let _ = ctx.arc(p.x, p.y, r, 0.0, std::f64::consts::TAU);
        };
        for p in self.nodes.iter().filter_map(|&id| layout.pos(id)) {
            ring(p, layout.node_r + 8.0 + 10.0 * grow);
        }
        let newest = &self.messages[self.messages.len().saturating_sub(FLASH_MESSAGES_MAX)..];
        for (_, p) in messages.iter().filter(|(id, _)| newest.contains(id)) {
            ring(*p, 9.0 + 6.0 * grow);
        }
        alpha(ctx, 1.0 - f);
        stroke(ctx, self.colour);
        line_width(ctx, 2.0);
        ctx.stroke();
        alpha(ctx, 1.0);
    }
}
