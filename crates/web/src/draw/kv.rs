//! The state machine on the canvas: each server's key-value values
//! (`a=5 x=8`) in a pill across the lower border of its node, as the seed
//! documents draw the value inside each node. The values are the view's
//! (`NodeView::kv`), so they change exactly when an entry is applied; the
//! pill is lit for a moment after an applied entry wrote one of them.
//!
//! Painted every frame over the node layer rather than in it: under a
//! stream of requests some server applies an entry nearly every frame, and
//! repainting the whole node layer each time costs more than a few pills.
//! The lines are cached per server (rebuilt when its values change) and
//! their width comes from the monospaced font, never from measuring.

use sim::Kv;

use raft::NodeId;
use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{align, baseline, fill, font_set, line_width, stroke, text};
use super::Scene;
use crate::clients::just_written;
use crate::geom::{clamp, Pt};
use crate::style::okabe;

/// The font of values and client labels: monospaced, so a line's width is
/// known from its length without measuring it.
pub(super) const MONO_11: &str = "700 11px ui-monospace,monospace";
/// [`MONO_11`] for small nodes.
const MONO_9: &str = "700 9px ui-monospace,monospace";
/// Width of one ASCII character of a monospaced font, in ems.
pub(super) const MONO_EM: f64 = 0.6;

/// One server's line, and what it was made from.
struct KvLine {
    id: NodeId,
    kv: Kv,
    budget: usize,
    /// `kv_line(kv, budget)`; empty: no pill.
    line: String,
    /// Its width in the font of its pill, CSS px.
    width: f64,
    /// This frame: the pill's centre (`None`: no pill), and whether it is lit.
    at: Option<Pt>,
    fresh: bool,
}

/// The lines of every server, kept between frames.
///
/// Invariant: each entry's `line` and `width` are those of its `kv` and
/// `budget`; the first `view.nodes.len()` entries are this frame's.
#[derive(Default)]
pub(super) struct KvCache {
    lines: Vec<KvLine>,
}

impl KvCache {
    /// The line of server `id` (the `k`-th of the view) for `kv` in
    /// `budget` characters, rebuilt only if one of them changed.
    fn line(&mut self, k: usize, id: NodeId, kv: &Kv, budget: usize, px: f64) -> &mut KvLine {
        if k >= self.lines.len() {
            self.lines.push(KvLine {
                id,
                kv: Kv::new(),
                budget: usize::MAX,
                line: String::new(),
                width: 0.0,
                at: None,
                fresh: false,
            });
        }
        let e = &mut self.lines[k];
        if e.id != id || e.budget != budget || e.kv != *kv {
            e.id = id;
            e.budget = budget;
            e.kv.clone_from(kv);
            e.line = kv_line(kv, budget);
            e.width = mono_width(&e.line, px);
        }
        e
    }
}

/// Width of `s` in a monospaced font of `px` CSS px, without measuring it
/// (a wide character, such as 中, takes about one em).
pub(super) fn mono_width(s: &str, px: f64) -> f64 {
    let mut ems = 0.0;
    for c in s.chars() {
        ems += if c.is_ascii() { MONO_EM } else { 1.0 };
    }
    ems * px
}

/// The length in bytes of the first `chars` characters of `s`.
pub(super) fn prefix_len(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(at, _)| at)
}

/// The font size of the values for nodes of radius `node_r`, CSS px.
fn font_px(node_r: f64) -> f64 {
    if node_r >= 28.0 {
        11.0
    } else {
        9.0
    }
}

/// How many characters fit in a pill under a node of radius `node_r`: the
/// pill may be a little wider than the node (nodes never come closer
/// than a quarter of their diameter, see `geom`).
pub(super) fn kv_budget_chars(node_r: f64) -> usize {
    let w = 2.0 * node_r + 8.0 - 8.0;
    (w / (MONO_EM * font_px(node_r))).floor().max(3.0) as usize
}

/// How far below the node's centre the pill's centre is: across the lower
/// border, below the term line inside, above the role line below.
fn pill_dy(node_r: f64) -> f64 {
    let term_bottom = node_r * 0.38 + clamp(node_r * 0.36, 9.0, 14.0).round() / 2.0;
    let half_h = font_px(node_r) / 2.0 + 2.0;
    (node_r * 0.86).max(term_bottom + 1.0 + half_h)
}

/// A store as one line of at most `budget` characters: `k=v` in key order,
/// then `+N` for the `N` entries that do not fit; an entry too long even
/// alone is cut with `…`.
pub fn kv_line(kv: &Kv, budget: usize) -> String {
    let mut line = String::new();
    let mut used = 0;
    for (shown, (k, v)) in kv.iter().enumerate() {
        let len = k.chars().count() + 1 + v.chars().count();
        let after = kv.len() - shown - 1;
        // A space before it, itself, and room for ` +N` if any follow.
        let more = if after > 0 {
            after.to_string().len() + 2
        } else {
            0
        };
        if used + usize::from(shown > 0) + len + more > budget {
            if shown > 0 {
                line.push_str(" +");
                line.push_str(&(after + 1).to_string());
                return line;
            }
            // Not even the first entry fits: cut it (and drop the count if
            // that leaves no room either).
            let tail = if after > 0 && budget >= more + 2 {
                more
            } else {
                0
            };
            let room = budget.saturating_sub(tail + 1).max(1);
            line = format!("{k}={v}");
            line.truncate(prefix_len(&line, room));
            line.push('…');
            if tail > 0 {
                line.push_str(" +");
                line.push_str(&after.to_string());
            }
            return line;
        }
        if shown > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(k);
        line.push('=');
        line.push_str(v);
        used += len;
    }
    line
}

/// Starts a new path holding a pill (a rectangle with round ends) of
/// `w` x `h` centred on `c`.
pub(super) fn pill_path(ctx: &Ctx, c: Pt, w: f64, h: f64) {
    ctx.begin_path();
    pill_subpath(ctx, c, w, h);
}

/// Adds a pill to the current path, as its own sub-path.
fn pill_subpath(ctx: &Ctx, c: Pt, w: f64, h: f64) {
    let r = h / 2.0;
    let (x0, x1) = (c.x - w / 2.0 + r, c.x + w / 2.0 - r);
    let half_pi = std::f64::consts::FRAC_PI_2;
    ctx.move_to(x0, c.y - r);
    ctx.line_to(x1.max(x0), c.y - r);
    let _ = ctx.arc(x1.max(x0), c.y, r, -half_pi, half_pi);
    ctx.line_to(x0, c.y + r);
    let _ = ctx.arc(x0, c.y, r, half_pi, 3.0 * half_pi);
    ctx.close_path();
}

/// The pills of every server with values, lit where `s.clients` say a
/// value was just written.
pub(super) fn kv_pills(ctx: &Ctx, s: &Scene, cache: &mut KvCache) {
    let l = s.layout;
    let px = font_px(l.node_r);
    let (dy, budget) = (pill_dy(l.node_r), kv_budget_chars(l.node_r));
    // Where each pill goes this frame (`at` None: no pill), then one path
    // per look and the words: a few canvas calls per pill, not a dozen.
    for (k, n) in s.view.nodes.iter().enumerate() {
        let c = l.pos(n.id);
        let e = cache.line(k, n.id, &n.kv, budget, px);
        e.at = c.filter(|_| !e.line.is_empty()).map(|c| Pt {
            x: c.x,
            y: c.y + dy,
        });
        e.fresh = just_written(s.clients, n.id);
    }
    let shown = cache.lines.len().min(s.view.nodes.len());
    let lines = &cache.lines[..shown];
    for (fresh, inside, edge, width) in [
        (false, "#ffffff", "#555555", 1.0),
        (true, okabe::YELLOW, okabe::BLACK, 2.0),
    ] {
        ctx.begin_path();
        let mut any = false;
        for e in lines.iter().filter(|e| e.fresh == fresh) {
            if let Some(at) = e.at {
                pill_subpath(ctx, at, e.width + px, px + 4.0);
                any = true;
            }
        }
        if any {
            fill(ctx, inside);
            ctx.fill();
            stroke(ctx, edge);
            line_width(ctx, width);
            ctx.stroke();
        }
    }
    font_set(ctx, if px >= 11.0 { MONO_11 } else { MONO_9 });
    align(ctx, "center");
    baseline(ctx, "middle");
    fill(ctx, "#111111");
    for e in lines {
        if let Some(at) = e.at {
            text(ctx, &e.line, at.x, at.y + 0.5);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(pairs: &[(&str, &str)]) -> Kv {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Rule: every value shows while they fit; then as many as fit and
    /// `+N`; a value too long alone is cut with an ellipsis. Never longer
    /// than the budget.
    #[test]
    fn values_fit_their_pill_with_a_count_or_an_ellipsis() {
        assert_eq!(kv_line(&kv(&[("a", "5"), ("x", "8")]), 10), "a=5 x=8");
        let four = kv(&[("a", "5"), ("b", "7"), ("x", "8"), ("y", "2")]);
        assert_eq!(kv_line(&four, 10), "a=5 b=7 +2");
        assert_eq!(kv_line(&four, 7), "a=5 +3");
        let long = kv(&[("name", "a-very-long-value")]);
        assert_eq!(kv_line(&long, 10), "name=a-ve…");
        let two = kv(&[("k", "long-value"), ("z", "1")]);
        assert_eq!(kv_line(&two, 8), "k=lo… +1");
        assert_eq!(kv_line(&two, 4), "k=l…", "no room for the count");
        for budget in 3..20 {
            for m in [&four, &long, &two] {
                let line = kv_line(m, budget);
                assert!(line.chars().count() <= budget.max(3), "{line:?} > {budget}");
            }
        }
    }

    /// Rule: at 1024×768 (nodes of radius 33–35 px) a pill holds two values.
    #[test]
    fn a_pill_holds_two_values_at_1024x768() {
        assert!(kv_budget_chars(33.0) >= "a=5 x=8".len());
        assert!(
            kv_budget_chars(16.0) >= 5,
            "even the smallest node shows a=5"
        );
    }

    /// Rule: the pill sits below the term line inside the node and above the
    /// role line below it (`nodes::node_labels`: role at r + 15, 12 px).
    #[test]
    fn the_pill_is_between_the_term_and_the_role_line() {
        for r in [16.0, 20.0, 28.0, 33.0, 38.0] {
            let half_h = font_px(r) / 2.0 + 2.0;
            let term_bottom = r * 0.38 + clamp(r * 0.36, 9.0, 14.0).round() / 2.0;
            assert!(pill_dy(r) - half_h > term_bottom, "r={r}");
            assert!(pill_dy(r) + half_h < r + 15.0 - 6.0, "r={r}");
        }
    }
}
