//! The log strips' caches: per-node tapes of committed cells, and the
//! hatching patterns of uncommitted ones.

use raft::NodeId;
use sim::view::EntryView;
use sim::EntryKind;
use web_sys::{CanvasPattern, CanvasRenderingContext2d as Ctx};

use super::canvas::{align, baseline, fill, font, font_set, forget_styles, text, Layer, LAST};
use crate::geom::clamp;
use crate::style::{term_colour, term_text_colour};

/// The label of a log entry: its term (the paper's figures write the term
/// in the box), with a gear for a configuration entry.
pub(super) fn entry_label(e: &EntryView) -> String {
    match e.kind {
        EntryKind::Config => format!("{}⚙", e.term),
        EntryKind::Command | EntryKind::Noop => e.term.to_string(),
    }
}

/// One committed entry: a box in its term's colour with its label, the
/// box at `x` .. `x + cw`, `top` .. `top + h`.
pub(super) fn entry_cell(ctx: &Ctx, e: &EntryView, x: f64, top: f64, cw: f64, h: f64) {
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
pub(super) struct Tape {
    id: NodeId,
    pub(super) layer: Layer,
    /// Log index of the first cell.
    pub(super) base: u64,
    /// What each cell shows, from `base`: (term, kind); None: empty.
    cells: Vec<Option<(u64, EntryKind)>>,
    /// (cell width, cell height, dpr) it was drawn for.
    key: CellSize,
}

impl Tape {
    /// Draws the cells of `committed` that differ from what the tape holds.
    pub(super) fn update(&mut self, committed: &[EntryView], cw: f64, h: f64) {
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

/// The size of a tape's cells: (cell width, cell height, dpr).
pub(super) type CellSize = (f64, f64, f64);

/// The log strips' caches, kept between frames.
#[derive(Default)]
pub(super) struct LogCache {
    /// Committed log cells, one tape per node.
    tapes: Vec<Tape>,
    /// Hatching patterns: (colour, dpr, pattern), made on first use.
    hatches: Vec<(&'static str, f64, CanvasPattern)>,
}

impl LogCache {
    /// Makes `colour`'s hatching (diagonal stripes every 6 CSS px, drawn
    /// in device px for `dpr`) the fill style of `ctx`, whose transform
    /// must be the identity. False if no pattern could be made.
    pub(super) fn hatch(&mut self, ctx: &Ctx, colour: &'static str, dpr: f64) -> bool {
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
    pub(super) fn tape(
        &mut self,
        id: NodeId,
        key: CellSize,
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
