//! The log strips: one row per node, entries coloured by term; committed
//! ones filled, uncommitted ones hatched (copied from the strips of
//! `tape`, one copy per run of cells that look alike); the
//! commit index marked; at the leader, each follower's nextIndex and
//! matchIndex. The row labels and empty slots are in the background layer
//! (`log_slots`).

use raft::{LogIndex, NodeId};
use sim::view::{EntryView, NodeView};
use sim::View;
use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{align, alpha, baseline, fill, font, font_set, line_width, stroke, text};
use super::labels::progress_label;
use super::network::Backdrop;
use super::tape::{runs, LogCache};
use super::Scene;
use crate::geom::{clamp, log_window, Layout, Rect, LOG_LABEL_W};
use crate::i18n::{t, Lang};
use crate::style::okabe;

/// Geometry shared by the two halves of the log strips.
struct LogGeom {
    first: u64,
    last: u64,
    cw: f64,
    x0: f64,
    pad: f64,
}

impl LogGeom {
    /// The window that ends at the newest entry `last_index` of any node.
    fn new(l: &Layout, last_index: LogIndex) -> LogGeom {
        let (cells, cw) = l.log_cells();
        let (first, last) = log_window(last_index, cells);
        // Whole CSS px: with an integral dpr, cells then sit on device
        // pixels and the strips of cells (`tape`) copy 1:1.
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

/// The newest log index any node holds (or has in its snapshot).
fn newest_index(v: &View) -> LogIndex {
    v.nodes
        .iter()
        .map(|n| n.log.last().map_or(n.snapshot_index, |e| e.index))
        .max()
        .unwrap_or(0)
}

/// The still half of the log strips (in the background layer): the header
/// label, each row's label and its empty slots. Slots are positions, not
/// indexes, so they do not move when the window scrolls: any window of the
/// layout's width puts them in the same place (this one starts at 1).
pub(super) fn log_slots(ctx: &Ctx, b: &Backdrop) {
    let l = &b.layout;
    let g = LogGeom::new(l, 0);
    baseline(ctx, "middle");
    align(ctx, "right");
    font_set(ctx, &font(10.0, 600));
    fill(ctx, "#777");
    text(ctx, t(b.lang, "index"), g.x0 - 4.0, l.log.y + 8.0);
    for n in &b.rows {
        let Some(row) = l.log_row(n.id) else { continue };
        let (top, h) = g.cells(row);
        alpha(ctx, if n.up { 1.0 } else { 0.5 });
        align(ctx, "left");
        font_set(ctx, &font(clamp(h * 0.6, 9.0, 13.0), 800));
        fill(
            ctx,
            if b.selected == Some(n.id) {
                okabe::BLUE
            } else {
                "#222"
            },
        );
        let mark = if n.leader { "★" } else { "" };
        // The lesson's name, small under the id, where the row is tall
        // enough for two lines (`focus::name_tags` shows it on the node).
        let two_lines = h >= 20.0 && n.name.is_some();
        let y = if two_lines {
            top + h * 0.32
        } else {
            top + h / 2.0
        };
        text(ctx, &format!("S{}{mark}", n.id), l.log.x + 2.0, y);
        if let Some(name) = n.name.as_deref().filter(|_| two_lines) {
            font_set(ctx, &font(10.0, 700));
            text(ctx, name, l.log.x + 2.0, top + h * 0.76);
        }
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

/// Where the cells of these (node, index) entries are drawn now, CSS px:
/// those inside the window, for marks drawn around them (`focus`).
pub(super) fn cell_boxes(s: &Scene, entries: &[(NodeId, LogIndex)]) -> Vec<Rect> {
    let g = LogGeom::new(s.layout, newest_index(s.view));
    entries
        .iter()
        .filter(|&&(_, i)| i >= g.first && i <= g.last)
        .filter_map(|&(id, i)| {
            let (top, h) = g.cells(s.layout.log_row(id)?);
            Some(Rect {
                x: g.cell_x(i) + 1.0,
                y: top,
                w: g.cw - 2.0,
                h,
            })
        })
        .collect()
}

/// Where one row's cells are: top and height in CSS px, and the row's
/// opacity (a crashed node's row is faded).
#[derive(Clone, Copy)]
struct Row {
    top: f64,
    h: f64,
    alpha: f64,
}

/// The moving half of the log strips, painted every frame.
pub(super) fn logs(ctx: &Ctx, s: &Scene, cache: &mut LogCache) {
    let v = s.view;
    let g = LogGeom::new(s.layout, newest_index(v));
    index_numbers(ctx, s.layout, &g);
    let leader = v.leader.and_then(|id| v.nodes.iter().find(|n| n.id == id));
    for n in &v.nodes {
        let Some(rect) = s.layout.log_row(n.id) else {
            continue;
        };
        let (top, h) = g.cells(rect);
        let row = Row {
            top,
            h,
            alpha: if n.up { 1.0 } else { 0.5 },
        };
        alpha(ctx, row.alpha);
        if n.snapshot_index >= g.first {
            snapshot_prefix(ctx, s.lang, &g, n.snapshot_index, row);
        }
        let start = n.log.partition_point(|e| e.index < g.first);
        let in_window = &n.log[start..];
        let in_window = &in_window[..in_window.partition_point(|e| e.index <= g.last)];
        cells(ctx, cache, &g, (n, s.xf.scale), in_window, row);
        for e in in_window {
            if s.highlight_entries.contains(&(n.id, e.index)) {
                let x = g.cell_x(e.index) + 1.0;
                stroke(ctx, okabe::VERMILLION);
                line_width(ctx, 3.0);
                ctx.stroke_rect(x - 1.0, row.top - 1.0, g.cw, row.h + 2.0);
            }
        }
        if n.up && n.commit_index >= g.first && n.commit_index <= g.last {
            commit_bar(ctx, &g, n.commit_index, row);
        }
        if let Some(ld) = leader {
            if let Some(p) = ld.progress.iter().find(|p| p.id == n.id && p.id != ld.id) {
                follower_progress(ctx, s, &g, n, (p.next_index, p.match_index), row);
            }
        }
        alpha(ctx, 1.0);
    }
}

/// The header: index numbers above the cells (every fifth when narrow).
fn index_numbers(ctx: &Ctx, l: &Layout, g: &LogGeom) {
    baseline(ctx, "middle");
    align(ctx, "center");
    font_set(ctx, &font(10.0, 600));
    fill(ctx, "#777");
    let every = if g.cw >= 20.0 { 1 } else { 5 };
    for i in g.first..=g.last {
        if i % every == 0 || i == g.first {
            text(ctx, &i.to_string(), g.cell_x(i) + g.cw / 2.0, l.log.y + 8.0);
        }
    }
}

/// The part of the window inside the row's snapshot: one grey box.
fn snapshot_prefix(ctx: &Ctx, lang: Lang, g: &LogGeom, snapshot_index: LogIndex, row: Row) {
    let (first, cw) = (g.first, g.cw);
    let end = snapshot_index.min(g.last);
    fill(ctx, "#cfcfcf");
    ctx.fill_rect(
        g.cell_x(first) + 1.0,
        row.top,
        g.cell_x(end) + cw - g.cell_x(first) - 2.0,
        row.h,
    );
    fill(ctx, "#555");
    align(ctx, "center");
    font_set(ctx, &font(9.0, 600));
    text(
        ctx,
        t(lang, "snapshot"),
        (g.cell_x(first) + g.cell_x(end) + g.cw) / 2.0,
        row.top + row.h / 2.0,
    );
}

/// The cells of a row's entries in the window, `commit_index` and
/// after uncommitted: one copy from the strip of each run of neighbours
/// that look alike (`tape`).
fn cells(
    ctx: &Ctx,
    cache: &mut LogCache,
    g: &LogGeom,
    (n, dpr): (&NodeView, f64),
    in_window: &[EntryView],
    row: Row,
) {
    let size = (g.cw, row.h, dpr);
    let window = g.last - g.first + 1;
    for (look, first, count) in runs(in_window, n.commit_index, n.up) {
        let at = (g.cell_x(first), row.top);
        cache.run(ctx, (look, count), at, (size, window), row.alpha);
    }
}

/// commitIndex: a thick bar after the last committed entry.
fn commit_bar(ctx: &Ctx, g: &LogGeom, commit_index: LogIndex, row: Row) {
    let (top, h, pad) = (row.top, row.h, g.pad);
    let x = g.cell_x(commit_index) + g.cw;
    fill(ctx, okabe::BLACK);
    ctx.fill_rect(x - 1.5, top - pad, 3.0, h + 2.0 * pad);
    ctx.begin_path();
    ctx.move_to(x - 4.0, top - pad);
    ctx.line_to(x + 4.0, top - pad);
    ctx.line_to(x, top - pad + 4.0);
    ctx.close_path();
    ctx.fill();
}

/// The leader's bookkeeping for follower `n`: matchIndex as a green
/// underline, nextIndex as a blue arrow, and both as words after the log.
fn follower_progress(
    ctx: &Ctx,
    s: &Scene,
    g: &LogGeom,
    n: &NodeView,
    (next_index, match_index): (LogIndex, LogIndex),
    row: Row,
) {
    let (first, last, cw) = (g.first, g.last, g.cw);
    let (top, h) = (row.top, row.h);
    if match_index >= first {
        let x = g.cell_x(match_index.min(last)) + cw;
        fill(ctx, okabe::GREEN);
        ctx.fill_rect(
            g.cell_x(first) + 1.0,
            top + h + 0.5,
            x - g.cell_x(first) - 2.0,
            2.0,
        );
    }
    if next_index >= first && next_index <= last + 1 {
        let x = g.cell_x(next_index) + cw / 2.0;
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
        .max(next_index);
    let tx = g.cell_x(tail.clamp(first, last)) + cw + 6.0;
    let l = s.layout;
    if tx + 60.0 < l.log.x + l.log.w {
        align(ctx, "left");
        font_set(ctx, &font(10.0, 500));
        fill(ctx, "#555");
        text(
            ctx,
            &progress_label(s.lang, next_index, match_index),
            tx,
            top + h / 2.0,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The background's empty slots sit where the moving half's cells do,
    /// whatever the window: the slots may be painted from the layout alone.
    #[test]
    fn slots_do_not_depend_on_the_window() {
        let l = Layout::new(900.0, 600.0, &[1, 2, 3]);
        let still = LogGeom::new(&l, 0);
        for newest in [0, 3, 40, 1000] {
            let g = LogGeom::new(&l, newest);
            assert_eq!(g.last - g.first, still.last - still.first);
            let xs = |g: &LogGeom| (g.first..=g.last).map(|i| g.cell_x(i)).collect::<Vec<_>>();
            assert_eq!(xs(&g), xs(&still));
        }
    }
}
