//! Where things are on the canvas, in CSS pixels: the ring of nodes, the log
//! strips, messages in flight, and hit testing for clicks and taps.
//!
//! Pure arithmetic, tested natively. The painter and the hit tester use the
//! same functions, so a click lands on what is drawn.

use raft::NodeId;

/// A point in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pt {
    /// Right from the canvas's left edge.
    pub x: f64,
    /// Down from the canvas's top edge.
    pub y: f64,
}

impl Pt {
    /// Distance to another point.
    pub fn dist(self, o: Pt) -> f64 {
        ((self.x - o.x).powi(2) + (self.y - o.y).powi(2)).sqrt()
    }
}

/// An axis-aligned rectangle in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width (>= 0).
    pub w: f64,
    /// Height (>= 0).
    pub h: f64,
}

impl Rect {
    /// Whether `p` is inside.
    pub fn contains(&self, p: Pt) -> bool {
        p.x >= self.x && p.x <= self.x + self.w && p.y >= self.y && p.y <= self.y + self.h
    }
}

/// Smallest and largest node radius, CSS px.
const NODE_R_MIN: f64 = 16.0;
const NODE_R_MAX: f64 = 38.0;
/// Extra distance around a node or a link that still counts as a hit
/// (fingers are wider than mouse pointers).
pub const HIT_SLOP: f64 = 6.0;
/// Height of the index header above the log strips.
pub const LOG_HEADER_H: f64 = 16.0;
/// Width of the node label column of the log strips.
pub const LOG_LABEL_W: f64 = 34.0;
/// Largest log cell.
const CELL_W_MAX: f64 = 32.0;
/// Smallest log cell: below that the index numbers do not fit.
const CELL_W_MIN: f64 = 16.0;
/// Largest log row.
const ROW_H_MAX: f64 = 32.0;
/// Perpendicular offset of messages from the centre line, so a request and
/// its reply travelling the same link in opposite directions do not overlap.
pub const MSG_LANE: f64 = 5.0;
/// The client glyph (with its label) spans this far left and right of its
/// centre, CSS px.
pub const CLIENT_HALF_W: f64 = 22.0;
/// How far the glyph reaches above its centre, and below it (its label).
pub const CLIENT_ABOVE: f64 = 12.0;
/// See [`CLIENT_ABOVE`].
pub const CLIENT_BELOW: f64 = 24.0;
/// Where a client's flight starts: this far from the glyph's centre.
const CLIENT_R: f64 = 16.0;

/// The positions of everything for one canvas size and one set of nodes.
///
/// Invariant: `ids` and `pos` have the same length; `ids` is sorted.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Canvas size in CSS px.
    pub width: f64,
    /// Canvas size in CSS px.
    pub height: f64,
    /// Centre of the ring.
    pub center: Pt,
    /// Radius of the ring (0 for a single node).
    pub ring_r: f64,
    /// Radius of one node.
    pub node_r: f64,
    /// The area for the log strips.
    pub log: Rect,
    /// Node ids in ring order.
    pub ids: Vec<NodeId>,
    /// Centre of each node, same order as `ids`.
    pub pos: Vec<Pt>,
    /// Centre of the client glyph: the top right corner of the ring's area,
    /// the one corner no node's labels (which hang below the nodes) reach
    /// and no log strip or corner text (top left) takes.
    pub client: Pt,
}

impl Layout {
    /// Lays out `ids` (sorted) on a canvas of `width` x `height` CSS px. On a
    /// wide canvas the ring is on the left and the logs on the right; on a
    /// tall one (a phone) the logs are below the ring.
    pub fn new(width: f64, height: f64, ids: &[NodeId]) -> Layout {
        let width = width.max(1.0);
        let height = height.max(1.0);
        // Sorted and unique, through a set: no extra sorting code in the wasm.
        let mut set = std::collections::BTreeSet::new();
        set.extend(ids.iter().copied());
        let ids: Vec<NodeId> = set.into_iter().collect();
        let n = ids.len().max(1) as f64;
        let rows = n + 1.0;
        let wide = width > height * 1.35;
        let (ring, log) = if wide {
            let ring_w = (width * 0.52).min(height * 1.2);
            // Logs vertically centred beside the ring, as tall as they need.
            let log_h = (LOG_HEADER_H + (n + 0.6) * ROW_H_MAX).min(height - 16.0);
            let log_y = ((height - log_h) / 2.0).max(8.0);
            (
                Rect {
                    x: 0.0,
                    y: 0.0,
                    w: ring_w,
                    h: height,
                },
                Rect {
                    x: ring_w,
                    y: log_y,
                    w: width - ring_w - 8.0,
                    h: log_h,
                },
            )
        } else {
            let log_h = (LOG_HEADER_H + rows * 22.0).min(height * 0.42);
            let ring_h = height - log_h;
            (
                Rect {
                    x: 0.0,
                    y: 0.0,
                    w: width,
                    h: ring_h,
                },
                Rect {
                    x: 4.0,
                    y: ring_h,
                    w: width - 8.0,
                    h: log_h - 4.0,
                },
            )
        };
        let center = Pt {
            x: ring.x + ring.w / 2.0,
            y: ring.y + ring.h / 2.0,
        };
        let half = ring.w.min(ring.h) / 2.0;
        // Node size: room for n circles around the ring, and not more than a
        // fifth of the ring's half-size so labels below the nodes fit.
        let chord = if ids.len() > 1 {
            2.0 * sin_cos(std::f64::consts::PI / n).0
        } else {
            1.0
        };
        let node_r = clamp(
            (half * 0.2).min(half * 0.68 * chord / 2.0 * 0.8),
            NODE_R_MIN,
            NODE_R_MAX,
        );
        let ring_r = if ids.len() <= 1 {
            0.0
        } else {
            (half - node_r - 16.0).max(node_r * 1.5)
        };
        let pos = (0..ids.len())
            .map(|i| {
                // Clockwise from the top.
                let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n;
                let (sin, cos) = sin_cos(a);
                Pt {
                    x: center.x + ring_r * cos,
                    y: center.y + ring_r * sin,
                }
            })
            .collect();
        let client = Pt {
            x: ring.x + ring.w - CLIENT_HALF_W - 6.0,
            y: CLIENT_ABOVE + 8.0,
        };
        Layout {
            width,
            height,
            center,
            ring_r,
            node_r,
            log,
            ids,
            pos,
            client,
        }
    }

    /// The box the client glyph and its label take.
    pub fn client_box(&self) -> Rect {
        Rect {
            x: self.client.x - CLIENT_HALF_W,
            y: self.client.y - CLIENT_ABOVE,
            w: 2.0 * CLIENT_HALF_W,
            h: CLIENT_ABOVE + CLIENT_BELOW,
        }
    }

    /// Where a client's request to node `id` (`outbound`) or its answer
    /// from it is drawn when `done` (0..=1) of the flight is over: between
    /// the glyph and the node's border, the answer in the other lane.
    pub fn client_flight_pos(&self, id: NodeId, done: f64, outbound: bool) -> Option<Pt> {
        let (c, n) = (self.client, self.pos(id)?);
        let d = c.dist(n).max(1e-9);
        let (ux, uy) = ((n.x - c.x) / d, (n.y - c.y) / d);
        let s = Pt {
            x: c.x + ux * CLIENT_R,
            y: c.y + uy * CLIENT_R,
        };
        let e = Pt {
            x: n.x - ux * (self.node_r + 8.0),
            y: n.y - uy * (self.node_r + 8.0),
        };
        let (from, to) = if outbound { (s, e) } else { (e, s) };
        let f = clamp(done, 0.0, 1.0);
        // Right-hand lane of the request's direction, as for messages.
        let lane = if outbound { MSG_LANE } else { -MSG_LANE } * 1.6;
        Some(Pt {
            x: from.x + (to.x - from.x) * f - uy * lane,
            y: from.y + (to.y - from.y) * f + ux * lane,
        })
    }

    /// Centre of node `id`.
    pub fn pos(&self, id: NodeId) -> Option<Pt> {
        self.ids.iter().position(|&i| i == id).map(|k| self.pos[k])
    }

    /// Moves node `id`'s centre to `p`, kept on the canvas; returns where
    /// it went (`None`: no such node). A dragged server (`pointer.rs`).
    pub fn place(&mut self, id: NodeId, p: Pt) -> Option<Pt> {
        let k = self.ids.iter().position(|&i| i == id)?;
        let r = self.node_r;
        let q = Pt {
            x: clamp(p.x, r, (self.width - r).max(r)),
            y: clamp(p.y, r, (self.height - r).max(r)),
        };
        self.pos[k] = q;
        Some(q)
    }

    /// The node under `p`, if any.
    pub fn node_at(&self, p: Pt) -> Option<NodeId> {
        self.ids
            .iter()
            .zip(&self.pos)
            .filter(|(_, c)| c.dist(p) <= self.node_r + HIT_SLOP)
            .min_by(|a, b| a.1.dist(p).total_cmp(&b.1.dist(p)))
            .map(|(&id, _)| id)
    }

    /// The visible part of the link between two nodes: from border to border.
    pub fn link_segment(&self, a: NodeId, b: NodeId) -> Option<(Pt, Pt)> {
        let (pa, pb) = (self.pos(a)?, self.pos(b)?);
        let d = pa.dist(pb);
        if d <= 2.0 * self.node_r {
            return None;
        }
        let (ux, uy) = ((pb.x - pa.x) / d, (pb.y - pa.y) / d);
        let r = self.node_r + 3.0;
        Some((
            Pt {
                x: pa.x + ux * r,
                y: pa.y + uy * r,
            },
            Pt {
                x: pb.x - ux * r,
                y: pb.y - uy * r,
            },
        ))
    }

    /// The link (a < b) under `p`, if any and if `p` is not on a node.
    pub fn link_at(&self, p: Pt) -> Option<(NodeId, NodeId)> {
        if self.node_at(p).is_some() {
            return None;
        }
        let mut best: Option<((NodeId, NodeId), f64)> = None;
        for (i, &a) in self.ids.iter().enumerate() {
            for &b in &self.ids[i + 1..] {
                if let Some((s, e)) = self.link_segment(a, b) {
                    let d = dist_to_segment(p, s, e);
                    if d <= HIT_SLOP && best.is_none_or(|(_, bd)| d < bd) {
                        best = Some(((a, b), d));
                    }
                }
            }
        }
        best.map(|(l, _)| l)
    }

    /// Where a message from `from` to `to` is drawn at `now_us`, or `None`
    /// if one of the nodes is not laid out. A message travels from the
    /// sender's border to the receiver's, offset into its own lane.
    pub fn message_pos(
        &self,
        from: NodeId,
        to: NodeId,
        sent_us: u64,
        deliver_us: u64,
        now_us: u64,
    ) -> Option<Pt> {
        let (s, e) = self.link_segment(from, to).or_else(|| {
            // A node sending to itself or overlapping nodes: draw at the sender.
            self.pos(from).map(|p| (p, p))
        })?;
        let f = progress(sent_us, deliver_us, now_us);
        let d = s.dist(e).max(1e-9);
        // Right-hand lane relative to the direction of travel.
        let (nx, ny) = (-(e.y - s.y) / d, (e.x - s.x) / d);
        Some(Pt {
            x: s.x + (e.x - s.x) * f + nx * MSG_LANE,
            y: s.y + (e.y - s.y) * f + ny * MSG_LANE,
        })
    }

    /// Row rectangle of the log strip for node `id` (cells start after the label).
    pub fn log_row(&self, id: NodeId) -> Option<Rect> {
        let k = self.ids.iter().position(|&i| i == id)?;
        let h = self.row_h();
        Some(Rect {
            x: self.log.x,
            y: self.log.y + LOG_HEADER_H + k as f64 * h,
            w: self.log.w,
            h,
        })
    }

    /// Height of one log row.
    pub fn row_h(&self) -> f64 {
        clamp(
            (self.log.h - LOG_HEADER_H) / (self.ids.len().max(1) as f64 + 0.6),
            8.0,
            ROW_H_MAX,
        )
    }

    /// How many log cells fit in a row, and their width.
    pub fn log_cells(&self) -> (usize, f64) {
        let avail = (self.log.w - LOG_LABEL_W - 4.0).max(0.0);
        let w = clamp(self.row_h() * 1.0, CELL_W_MIN, CELL_W_MAX);
        let n = (avail / w).floor().max(1.0) as usize;
        (n, w)
    }
}

/// Where `p` lies around `center`, as a number that grows with the angle
/// (counterclockwise in the canvas's y-down frame means clockwise on
/// screen; only the order matters): 0 to 4, one per quadrant. Sorting by
/// it orders points around a circle without `atan2`, whose code the wasm
/// would carry.
pub fn around(center: Pt, p: Pt) -> f64 {
    let (dx, dy) = (p.x - center.x, p.y - center.y);
    let spread = dx.abs() + dy.abs();
    if spread == 0.0 {
        return 0.0;
    }
    let r = dx / spread;
    if dy >= 0.0 {
        1.0 - r
    } else {
        3.0 + r
    }
}

/// `v` limited to `lo..=hi` (a NaN becomes `lo`). Used instead of
/// `f64::clamp`, whose panic message formats floats: that alone links ~20 KB
/// of float printing into the wasm (clippy.toml disallows it).
pub fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// `(sin a, cos a)`. In the browser from JS's `Math`: Rust's own (libm)
/// would add ~3 KB gzipped to the download for a few angles per layout.
/// Natively (the tests) from std; only drawing depends on it, never a run.
#[cfg(target_arch = "wasm32")]
pub fn sin_cos(a: f64) -> (f64, f64) {
    (js_sys::Math::sin(a), js_sys::Math::cos(a))
}

/// `(sin a, cos a)` (see the wasm version).
#[cfg(not(target_arch = "wasm32"))]
pub fn sin_cos(a: f64) -> (f64, f64) {
    a.sin_cos()
}

/// The window of log indexes `[first, last]` to show when `cells` fit and
/// the longest log ends at `last_index`: the newest entries win.
pub fn log_window(last_index: u64, cells: usize) -> (u64, u64) {
    let cells = cells.max(1) as u64;
    let last = last_index.max(cells);
    (last + 1 - cells, last)
}

/// Fraction of the flight done at `now_us`, in [0, 1].
pub fn progress(sent_us: u64, deliver_us: u64, now_us: u64) -> f64 {
    if deliver_us <= sent_us {
        return 1.0;
    }
    clamp(
        now_us.saturating_sub(sent_us) as f64 / (deliver_us - sent_us) as f64,
        0.0,
        1.0,
    )
}

/// Distance from `p` to the segment `a`-`b`.
pub fn dist_to_segment(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return p.dist(a);
    }
    let f = clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    p.dist(Pt {
        x: a.x + f * dx,
        y: a.y + f * dy,
    })
}

/// The message (id) whose drawn position is nearest to `p`, within `slop` px.
pub fn message_at(positions: &[(u64, Pt)], p: Pt, slop: f64) -> Option<u64> {
    positions
        .iter()
        .filter(|(_, q)| q.dist(p) <= slop)
        .min_by(|a, b| a.1.dist(p).total_cmp(&b.1.dist(p)))
        .map(|(id, _)| *id)
}

/// The time at the right end of the timeline for a run known up to
/// `horizon_us`: the horizon rounded up to a "nice" step (1, 2 or 5 times a
/// power of ten, at least a tenth of the horizon). While the run grows, the
/// scale then changes about ten times per decade instead of every frame,
/// so the drawn markers stay where they are (and are not redrawn).
pub fn timeline_scale_us(horizon_us: u64) -> u64 {
    let h = horizon_us.max(1);
    let mut step: u64 = 1;
    'find: while step <= u64::MAX / 10 {
        for k in [1, 2, 5] {
            if step * k >= h.div_ceil(10) {
                step *= k;
                break 'find;
            }
        }
        step *= 10;
    }
    h.div_ceil(step).saturating_mul(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn around_orders_points_as_their_angle_does() {
        let c = Pt { x: 10.0, y: 10.0 };
        let at = |deg: f64| {
            let a = deg.to_radians();
            Pt {
                x: c.x + 5.0 * a.cos(),
                y: c.y + 5.0 * a.sin(),
            }
        };
        let keys: Vec<f64> = (0..36).map(|k| around(c, at(k as f64 * 10.0))).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert!(keys[0] >= 0.0 && keys[35] < 4.0);
    }

    fn ids(n: u32) -> Vec<NodeId> {
        (1..=n).collect()
    }

    #[test]
    fn ring_starts_at_the_top_and_goes_clockwise() {
        let l = Layout::new(1000.0, 600.0, &ids(4));
        let (p1, p2) = (l.pos(1).unwrap(), l.pos(2).unwrap());
        assert!(
            (p1.x - l.center.x).abs() < 1e-6 && p1.y < l.center.y,
            "node 1 on top"
        );
        assert!(
            p2.x > l.center.x && (p2.y - l.center.y).abs() < 1e-6,
            "node 2 to the right"
        );
    }

    #[test]
    fn nodes_do_not_overlap_and_stay_on_canvas() {
        for (w, h) in [
            (1280.0, 700.0),
            (390.0, 560.0),
            (300.0, 300.0),
            (800.0, 450.0),
        ] {
            for n in 1..=9 {
                let l = Layout::new(w, h, &ids(n));
                for (i, a) in l.pos.iter().enumerate() {
                    assert!(
                        a.x - l.node_r >= 0.0 && a.x + l.node_r <= w,
                        "{w}x{h} n={n}: x off canvas"
                    );
                    assert!(
                        a.y - l.node_r >= 0.0 && a.y + l.node_r <= h,
                        "{w}x{h} n={n}: y off canvas"
                    );
                    for b in &l.pos[i + 1..] {
                        assert!(a.dist(*b) > 2.0 * l.node_r, "{w}x{h} n={n}: nodes overlap");
                    }
                }
                assert!(l.log.y + l.log.h <= h + 1e-9 && l.log.x + l.log.w <= w + 1e-9);
            }
        }
    }

    /// What a node takes with its words: its circle, the timer ring and
    /// halos, and the role and vote lines below it.
    fn node_box(l: &Layout, c: Pt) -> Rect {
        let half_w = (l.node_r + 14.0).max(46.0);
        Rect {
            x: c.x - half_w,
            y: c.y - l.node_r - 14.0,
            w: 2.0 * half_w,
            h: 2.0 * l.node_r + 14.0 + 36.0,
        }
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    }

    /// Rule: the client glyph stays on the canvas and clear of every node
    /// (with its words), of the log grid and of the time in the top left
    /// corner, at the canvas sizes of 1024×768 and 1440×900 windows (and
    /// 1280×800, a phone, small and wide ones), for 1 to 9 nodes.
    #[test]
    fn client_glyph_collides_with_no_node_log_or_corner_text() {
        for (w, h) in [
            (684.0, 387.0),
            (1100.0, 615.0),
            (940.0, 515.0),
            (390.0, 544.0),
            (800.0, 450.0),
            (1280.0, 700.0),
            (1600.0, 500.0),
        ] {
            for n in 1..=9 {
                let l = Layout::new(w, h, &ids(n));
                let b = l.client_box();
                assert!(b.x >= 0.0 && b.y >= 0.0, "{w}x{h} n={n}: on canvas");
                assert!(b.x + b.w <= w && b.y + b.h <= h, "{w}x{h} n={n}: on canvas");
                for &c in &l.pos {
                    assert!(!overlap(&b, &node_box(&l, c)), "{w}x{h} n={n}: on a node");
                }
                assert!(!overlap(&b, &l.log), "{w}x{h} n={n}: on the logs");
                let time = Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 160.0,
                    h: 34.0,
                };
                assert!(!overlap(&b, &time), "{w}x{h} n={n}: on the time");
            }
        }
    }

    /// Rule: a request goes from the client to the node's border, its
    /// answer comes back the same way in the other lane.
    #[test]
    fn client_flights_run_between_the_glyph_and_the_node() {
        let l = Layout::new(684.0, 387.0, &ids(3));
        let n = l.pos(2).unwrap();
        let start = l.client_flight_pos(2, 0.0, true).unwrap();
        let end = l.client_flight_pos(2, 1.0, true).unwrap();
        assert!(start.dist(l.client) < CLIENT_R + 2.0 * MSG_LANE);
        let to_border = end.dist(n) - l.node_r;
        assert!(
            to_border > 0.0 && to_border < 8.0 + 2.0 * MSG_LANE,
            "{to_border}"
        );
        let back_start = l.client_flight_pos(2, 0.0, false).unwrap();
        assert!(
            (back_start.dist(end) - 3.2 * MSG_LANE).abs() < 1e-6,
            "other lane"
        );
        assert_eq!(l.client_flight_pos(9, 0.5, true), None);
    }

    #[test]
    fn clicking_a_node_centre_or_edge_hits_it() {
        let l = Layout::new(800.0, 500.0, &ids(5));
        for &id in &l.ids {
            let p = l.pos(id).unwrap();
            assert_eq!(l.node_at(p), Some(id));
            assert_eq!(
                l.node_at(Pt {
                    x: p.x + l.node_r + 2.0,
                    y: p.y
                }),
                Some(id)
            );
        }
        assert_eq!(l.node_at(l.center), None);
    }

    #[test]
    fn a_placed_node_is_hit_where_it_was_put_and_stays_on_the_canvas() {
        let mut l = Layout::new(800.0, 500.0, &ids(3));
        let to = Pt { x: 420.0, y: 260.0 };
        assert_eq!(l.place(2, to), Some(to));
        assert_eq!(l.node_at(to), Some(2));
        assert_eq!(l.pos(2), Some(to));
        let off = l.place(1, Pt { x: -50.0, y: 900.0 }).unwrap();
        assert_eq!(
            off,
            Pt {
                x: l.node_r,
                y: 500.0 - l.node_r
            }
        );
        assert_eq!(l.place(9, to), None);
    }

    #[test]
    fn clicking_the_middle_of_a_link_hits_that_link() {
        let l = Layout::new(800.0, 500.0, &ids(5));
        let (a, b) = (l.pos(1).unwrap(), l.pos(3).unwrap());
        let mid = Pt {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        };
        assert_eq!(l.link_at(mid), Some((1, 3)));
        assert_eq!(l.link_at(Pt { x: 1.0, y: 1.0 }), None);
        assert_eq!(l.link_at(a), None, "a node wins over its links");
    }

    #[test]
    fn message_moves_from_sender_to_receiver_at_its_latency() {
        let l = Layout::new(800.0, 500.0, &ids(3));
        let (s, e) = l.link_segment(1, 2).unwrap();
        let start = l.message_pos(1, 2, 1000, 3000, 1000).unwrap();
        let mid = l.message_pos(1, 2, 1000, 3000, 2000).unwrap();
        let end = l.message_pos(1, 2, 1000, 3000, 9000).unwrap();
        assert!((start.dist(s) - MSG_LANE).abs() < 1e-6);
        assert!((end.dist(e) - MSG_LANE).abs() < 1e-6);
        let c = Pt {
            x: (s.x + e.x) / 2.0,
            y: (s.y + e.y) / 2.0,
        };
        assert!((mid.dist(c) - MSG_LANE).abs() < 1e-6);
        // The reply travels in the other lane.
        let back = l.message_pos(2, 1, 1000, 3000, 2000).unwrap();
        assert!((back.dist(mid) - 2.0 * MSG_LANE).abs() < 1e-6);
    }

    #[test]
    fn message_hit_prefers_the_nearest() {
        let ps = [(1, Pt { x: 10.0, y: 10.0 }), (2, Pt { x: 14.0, y: 10.0 })];
        assert_eq!(message_at(&ps, Pt { x: 13.0, y: 10.0 }, 8.0), Some(2));
        assert_eq!(message_at(&ps, Pt { x: 40.0, y: 10.0 }, 8.0), None);
    }

    #[test]
    fn progress_is_clamped() {
        assert_eq!(progress(10, 20, 0), 0.0);
        assert_eq!(progress(10, 20, 15), 0.5);
        assert_eq!(progress(10, 20, 99), 1.0);
        assert_eq!(progress(10, 10, 10), 1.0);
    }

    #[test]
    fn log_window_shows_the_newest_entries() {
        assert_eq!(log_window(3, 10), (1, 10));
        assert_eq!(log_window(25, 10), (16, 25));
    }

    #[test]
    fn log_rows_fit_in_the_log_area() {
        for n in 1..=9 {
            let l = Layout::new(390.0, 600.0, &ids(n));
            let last = l.log_row(n).unwrap();
            assert!(last.y + last.h <= l.log.y + l.log.h + 1e-9, "n={n}");
            assert!(l.log_cells().0 >= 8, "n={n}: at least 8 cells on a phone");
        }
    }

    /// The scale covers the horizon, stays within 25 % of it,
    /// and changes rarely as the run grows.
    #[test]
    fn timeline_scale_covers_the_run_and_changes_rarely() {
        assert_eq!(timeline_scale_us(10_000_000), 10_000_000);
        assert_eq!(timeline_scale_us(10_000_001), 12_000_000);
        let mut changes = 0;
        let mut prev = 0;
        for h in (10_000_000..100_000_000u64).step_by(16_667) {
            let s = timeline_scale_us(h);
            assert!(s >= h && s as f64 <= h as f64 * 1.25 + 1.0, "{h} -> {s}");
            if s != prev {
                changes += 1;
                prev = s;
            }
        }
        assert!(changes <= 40, "{changes} scale changes from 10 s to 100 s");
        assert_eq!(timeline_scale_us(0), 1);
        assert!(timeline_scale_us(u64::MAX) >= u64::MAX / 2);
    }
}
