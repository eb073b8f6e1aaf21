//! The log strips' cache: one strip of identical cells per look.
//!
//! A log cell shows nothing but its term, whether it is a configuration
//! entry, whether it is committed and (uncommitted) whether its server is
//! up: its index is where it goes, not what it shows. So every look is
//! painted once onto a strip of a window's worth of identical cells, and a
//! row is a few copies: one per run of neighbours that look alike (under a
//! stream of requests, a committed run and an uncommitted one). The strips
//! never change once painted; a canvas copied from while it changes costs
//! Chromium a rasterization per frame, and each cell's words a `fillText`.

use sim::view::EntryView;
use sim::EntryKind;
use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{
    align, alpha, baseline, fill, font, font_set, forget_styles, line_width, stroke, text, Layer,
    Xf,
};
use crate::geom::clamp;
use crate::style::{term_colour, term_text_colour};

/// Strips kept at most: the looks in view are a few terms, twice
/// (committed or not); past this the oldest strip is dropped.
const STRIPS_MAX: usize = 32;

/// Everything a log cell shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Look {
    term: u64,
    config: bool,
    committed: bool,
    /// Uncommitted cells of a crashed server are hatched more strongly
    /// (the row's fading is applied when the strip is copied). Always
    /// true for committed cells, which do not depend on it.
    up: bool,
}

impl Look {
    /// How entry `e` looks, committed or not, on a server up or down.
    pub(super) fn of(e: &EntryView, committed: bool, up: bool) -> Look {
        Look {
            term: e.term,
            config: e.kind == EntryKind::Config,
            committed,
            up: up || committed,
        }
    }

    /// The label: its term (the paper's figures write the term in the
    /// box), with a gear for a configuration entry.
    fn label(self) -> String {
        if self.config {
            format!("{}⚙", self.term)
        } else {
            self.term.to_string()
        }
    }
}

/// A row's entries (neighbours, in index order) as runs that look alike:
/// (look, first index, how many), in order. Entries up to `commit_index`
/// are committed; `up` is whether their server is.
pub(super) fn runs(
    entries: &[EntryView],
    commit_index: u64,
    up: bool,
) -> impl Iterator<Item = (Look, u64, u64)> + '_ {
    let look = move |e: &EntryView| Look::of(e, e.index <= commit_index, up);
    entries
        .chunk_by(move |a, b| look(a) == look(b))
        .map(move |run| (look(&run[0]), run[0].index, run.len() as u64))
}

/// The size of a strip's cells: (cell width, cell height, dpr), CSS px.
pub(super) type CellSize = (f64, f64, f64);

/// Paints one cell of look `k` with its box at `x` .. `x + cw`, `top` ..
/// `top + h`: committed ones filled in the term's colour; uncommitted ones
/// white, hatched in the term's colour (visibly provisional) and outlined.
/// The hatching is a pattern in device pixels, so the context's transform
/// is set to the identity while it is filled and back to `dpr` after.
/// `opacity` is the context's global alpha (the row's), kept.
pub(super) fn paint_cell(
    ctx: &Ctx,
    k: Look,
    (x, top): (f64, f64),
    (cw, h, dpr): CellSize,
    opacity: f64,
) {
    let colour = term_colour(k.term);
    if k.committed {
        fill(ctx, colour);
        ctx.fill_rect(x + 1.0, top, cw - 2.0, h);
    } else {
        fill(ctx, "#ffffff");
        ctx.fill_rect(x + 1.0, top, cw - 2.0, h);
        if let Some(pattern) = hatch(ctx, colour, dpr) {
            let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
            ctx.set_fill_style_canvas_pattern(&pattern);
            alpha(ctx, opacity * if k.up { 0.55 } else { 0.6 });
            ctx.fill_rect((x + 1.0) * dpr, top * dpr, (cw - 2.0) * dpr, h * dpr);
            alpha(ctx, opacity);
            let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
            // The fill is a pattern the style cache cannot name.
            forget_styles();
        }
        line_width(ctx, 2.0);
        stroke(ctx, colour);
        ctx.stroke_rect(x + 2.0, top + 1.0, cw - 4.0, h - 2.0);
    }
    align(ctx, "center");
    baseline(ctx, "middle");
    font_set(ctx, &font(clamp(h * 0.55, 8.0, 13.0), 700));
    fill(
        ctx,
        if k.committed {
            term_text_colour(k.term)
        } else {
            "#111"
        },
    );
    text(ctx, &k.label(), x + cw / 2.0, top + h / 2.0 + 0.5);
}

/// `colour`'s hatching: diagonal stripes every 6 CSS px, drawn in device
/// px for `dpr`, as a repeating pattern of `ctx`. Made when a strip is
/// painted, which is rare.
fn hatch(ctx: &Ctx, colour: &str, dpr: f64) -> Option<web_sys::CanvasPattern> {
    let tile = Layer::new()?;
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
    ctx.create_pattern_with_html_canvas_element(&tile.canvas, "repeat")
        .ok()?
}

/// The strips, kept between frames.
///
/// Invariant: each strip holds `cells` cells of its look at `size`, and
/// nothing else; a change of `size` or `cells` drops them all.
#[derive(Default)]
pub(super) struct LogCache {
    strips: Vec<(Look, Layer)>,
    size: CellSize,
    cells: u64,
}

impl LogCache {
    /// Puts `n` neighbouring cells of look `k` on `ctx` with the first box
    /// at (`x`, `top`), for a window of `cells` cells of `size`. Painted
    /// directly when no offscreen canvas can be made. `opacity` is the
    /// context's global alpha (the row's).
    pub(super) fn run(
        &mut self,
        ctx: &Ctx,
        (k, n): (Look, u64),
        (x, top): (f64, f64),
        (size, cells): (CellSize, u64),
        opacity: f64,
    ) {
        let (cw, h, dpr) = size;
        if size != self.size || cells != self.cells {
            self.strips.clear();
            self.size = size;
            self.cells = cells;
        }
        let strip = match self.strips.iter().position(|s| s.0 == k) {
            Some(i) => Some(i),
            None => self.paint_strip(k),
        };
        let Some(i) = strip.filter(|_| n <= cells) else {
            for j in 0..n {
                paint_cell(ctx, k, (x + j as f64 * cw, top), size, opacity);
            }
            return;
        };
        let w = n as f64 * cw;
        let _ = ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &self.strips[i].1.canvas,
            0.0,
            0.0,
            w * dpr,
            h * dpr,
            x,
            top,
            w,
            h,
        );
    }

    /// Paints the strip of look `k`; its place, or `None` without an
    /// offscreen canvas.
    fn paint_strip(&mut self, k: Look) -> Option<usize> {
        let layer = Layer::new()?;
        let (cw, h, dpr) = self.size;
        layer.reset(
            (self.cells as f64 * cw * dpr).round() as u32,
            (h * dpr).round() as u32,
            Xf {
                scale: dpr,
                x: 0.0,
                y: 0.0,
            },
        );
        for j in 0..self.cells {
            paint_cell(&layer.ctx, k, (j as f64 * cw, 0.0), self.size, 1.0);
        }
        // The style cache described the strip; drawing goes on elsewhere.
        forget_styles();
        if self.strips.len() >= STRIPS_MAX {
            self.strips.remove(0);
        }
        self.strips.push((k, layer));
        Some(self.strips.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(index: u64, term: u64, kind: EntryKind) -> EntryView {
        EntryView {
            index,
            term,
            kind,
            cmd: String::new(),
        }
    }

    /// Rule: a row is drawn as runs of neighbours that look alike; every
    /// entry is in exactly one run, in order, committed exactly when its
    /// index is at most the commit index, and a run changes where the term,
    /// the kind (configuration or not) or committedness does.
    #[test]
    fn a_row_is_runs_of_cells_that_look_alike_covering_every_entry_once() {
        use EntryKind::{Command, Config, Noop};
        let log = [
            entry(4, 1, Noop),
            entry(5, 1, Command),
            entry(6, 2, Command),
            entry(7, 2, Config),
            entry(8, 2, Command),
            entry(9, 2, Command),
            entry(10, 2, Command),
        ];
        let got: Vec<_> = runs(&log, 8, true)
            .map(|(k, first, n)| (k.term, k.config, k.committed, first, n))
            .collect();
        assert_eq!(
            got,
            [
                (1, false, true, 4, 2),
                (2, false, true, 6, 1),
                (2, true, true, 7, 1),
                (2, false, true, 8, 1),
                (2, false, false, 9, 2),
            ]
        );
        let covered: u64 = got.iter().map(|r| r.4).sum();
        assert_eq!(covered, log.len() as u64);
        // A crashed server's uncommitted cells look otherwise; its
        // committed ones do not.
        let down: Vec<_> = runs(&log, 8, false).map(|r| r.0).collect();
        let up: Vec<_> = runs(&log, 8, true).map(|r| r.0).collect();
        assert_eq!(down[..4], up[..4]);
        assert_ne!(down[4], up[4]);
        assert_eq!(runs(&[], 0, true).count(), 0);
    }
}
