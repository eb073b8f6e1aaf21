//! The canvas's gestures as plain Rust, from pointer positions alone:
//! dragging a server, panning, pinch-zoom, and the double-tap that resets
//! both. `events.rs` feeds it pointer events and `pointer.rs` applies what
//! it returns. All of it is view state: it never enters the scenario, the
//! run or a share link (a run is its seed and its actions).
//!
//! Points are in the canvas's CSS px as the pointer sees them ("shown");
//! [`Zoom`] maps the picture (the canvas at zoom 1) to them, and the paint
//! and the hit tests use that same map.

use raft::NodeId;

use crate::geom::{clamp, Pt};

/// A press that moves less than this (CSS px) is a click or a tap.
pub const TAP_SLOP_PX: f64 = 8.0;
/// Two taps on empty canvas at most this far apart in time (ms) and space
/// (CSS px) are a double-tap.
const DOUBLE_TAP_MS: f64 = 400.0;
const DOUBLE_TAP_PX: f64 = 30.0;
/// The largest pinch zoom (3 × a phone's node is a projector's).
pub const ZOOM_MAX: f64 = 3.0;

/// The user's pan and zoom: the picture's point `q` is shown at
/// `q * scale + (x, y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Zoom {
    /// 1 (all of the picture) to [`ZOOM_MAX`].
    pub scale: f64,
    /// Where the picture's top left corner is shown, CSS px.
    pub x: f64,
    /// See `x`.
    pub y: f64,
}

impl Zoom {
    /// The whole picture, as laid out.
    pub const NONE: Zoom = Zoom {
        scale: 1.0,
        x: 0.0,
        y: 0.0,
    };

    /// Where the picture's point `q` is shown.
    pub fn show(self, q: Pt) -> Pt {
        Pt {
            x: q.x * self.scale + self.x,
            y: q.y * self.scale + self.y,
        }
    }

    /// The picture's point shown at `p`.
    pub fn unshow(self, p: Pt) -> Pt {
        Pt {
            x: (p.x - self.x) / self.scale,
            y: (p.y - self.y) / self.scale,
        }
    }

    /// Within bounds on a canvas of `w` × `h` CSS px: the scale between 1
    /// and [`ZOOM_MAX`], and the picture always covers the canvas, so a
    /// pan can never lose it (at scale 1 there is nothing to pan to).
    pub fn fit(self, w: f64, h: f64) -> Zoom {
        let scale = clamp(self.scale, 1.0, ZOOM_MAX);
        Zoom {
            scale,
            x: clamp(self.x, w - w * scale, 0.0),
            y: clamp(self.y, h - h * scale, 0.0),
        }
    }
}

/// What the pointers are doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Idle,
    /// One pointer down, not yet moved past [`TAP_SLOP_PX`]; `grab` is the
    /// pressed server and its centre's offset from the pointer.
    Press {
        start: Pt,
        grab: Option<(NodeId, Pt)>,
    },
    /// Moving a server: its centre stays `offset` from the pointer.
    Drag {
        node: NodeId,
        offset: Pt,
    },
    /// Moving the picture; the pointer was last at `last`.
    Pan {
        last: Pt,
    },
    /// Two pointers `d0` apart at `scale0`, over the picture's point `q`.
    Pinch {
        d0: f64,
        scale0: f64,
        q: Pt,
    },
}

/// What a pointer event asks of the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Nothing beyond what `Gestures::zoom` now says.
    None,
    /// Put the server's centre at this shown point.
    Place(NodeId, Pt),
    /// A drag on the whole picture, which has nowhere to pan: the page
    /// scrolls by this much (CSS px, up when positive), as the canvas takes
    /// every touch itself (`touch-action: none`) and a phone's side panels
    /// are below it.
    Scroll(f64),
    /// A double-tap: the servers back where the layout puts them, no zoom.
    Reset,
}

/// The gesture state machine.
#[derive(Clone, Debug)]
pub struct Gestures {
    /// The pan and zoom now.
    pub zoom: Zoom,
    /// The pointers down, (pointer id, where), at most two.
    down: Vec<(i32, Pt)>,
    mode: Mode,
    /// The press under way (or the last one) moved: it is no click.
    moved: bool,
    /// When (ms) and where the last tap on empty canvas was.
    last_tap: Option<(f64, Pt)>,
}

impl Default for Gestures {
    fn default() -> Self {
        Gestures {
            zoom: Zoom::NONE,
            down: Vec::new(),
            mode: Mode::Idle,
            moved: false,
            last_tap: None,
        }
    }
}

fn mid(a: Pt, b: Pt) -> Pt {
    Pt {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    }
}

impl Gestures {
    /// Pointer `id` pressed at `p`, on `node` (the server and its centre,
    /// shown) or on nothing that moves. A second pointer starts a pinch.
    pub fn down(&mut self, id: i32, p: Pt, node: Option<(NodeId, Pt)>) {
        match self.down.len() {
            0 => {
                self.down.push((id, p));
                self.moved = false;
                let grab = node.map(|(n, c)| {
                    (
                        n,
                        Pt {
                            x: c.x - p.x,
                            y: c.y - p.y,
                        },
                    )
                });
                self.mode = Mode::Press { start: p, grab };
            }
            1 => {
                self.down.push((id, p));
                self.moved = true;
                self.last_tap = None;
                self.pinch_from_here();
            }
            _ => {}
        }
    }

    /// The pinch starts again from where both pointers are now.
    fn pinch_from_here(&mut self) {
        if let [(_, a), (_, b)] = self.down[..] {
            self.mode = Mode::Pinch {
                d0: a.dist(b).max(1.0),
                scale0: self.zoom.scale,
                q: self.zoom.unshow(mid(a, b)),
            };
        }
    }

    /// Pointer `id` moved to `p` on a canvas of `w` × `h` CSS px.
    pub fn moved_to(&mut self, id: i32, p: Pt, (w, h): (f64, f64)) -> Outcome {
        let Some(k) = self.down.iter().position(|d| d.0 == id) else {
            return Outcome::None;
        };
        self.down[k].1 = p;
        if let Mode::Press { start, grab } = self.mode {
            if p.dist(start) <= TAP_SLOP_PX {
                return Outcome::None;
            }
            self.moved = true;
            self.last_tap = None;
            self.mode = match grab {
                Some((node, offset)) => Mode::Drag { node, offset },
                None => Mode::Pan { last: start },
            };
        }
        match self.mode {
            Mode::Drag { node, offset } => {
                return Outcome::Place(
                    node,
                    Pt {
                        x: p.x + offset.x,
                        y: p.y + offset.y,
                    },
                )
            }
            Mode::Pan { last } => {
                self.mode = Mode::Pan { last: p };
                if self.zoom.scale <= 1.0 {
                    return Outcome::Scroll(last.y - p.y);
                }
                self.zoom.x += p.x - last.x;
                self.zoom.y += p.y - last.y;
            }
            Mode::Pinch { d0, scale0, q } => {
                if let [(_, a), (_, b)] = self.down[..] {
                    // The picture's point under the fingers' midpoint
                    // stays under it: pinching zooms around the pinch,
                    // and moving both fingers pans.
                    let scale = clamp(scale0 * a.dist(b) / d0, 1.0, ZOOM_MAX);
                    let c = mid(a, b);
                    self.zoom = Zoom {
                        scale,
                        x: c.x - q.x * scale,
                        y: c.y - q.y * scale,
                    };
                }
            }
            Mode::Idle | Mode::Press { .. } => {}
        }
        self.zoom = self.zoom.fit(w, h);
        Outcome::None
    }

    /// Pointer `id` lifted at `at_ms` (the event's time stamp). A second
    /// quick tap on empty canvas near the first is a [`Outcome::Reset`].
    pub fn up(&mut self, id: i32, at_ms: f64) -> Outcome {
        let Some(k) = self.down.iter().position(|d| d.0 == id) else {
            return Outcome::None;
        };
        let (_, p) = self.down.remove(k);
        let mut out = Outcome::None;
        match self.mode {
            Mode::Press { grab: None, .. } => {
                let double = self
                    .last_tap
                    .is_some_and(|(t, q)| at_ms - t <= DOUBLE_TAP_MS && q.dist(p) <= DOUBLE_TAP_PX);
                self.last_tap = if double { None } else { Some((at_ms, p)) };
                if double {
                    out = Outcome::Reset;
                }
            }
            Mode::Press { .. } => self.last_tap = None,
            _ => {}
        }
        // A pinch that loses one finger goes on as a pan of the other.
        self.mode = match self.down.first() {
            Some(&(_, last)) if self.down.len() == 1 => Mode::Pan { last },
            _ => Mode::Idle,
        };
        out
    }

    /// The browser took pointer `id` away (a system gesture): it ends
    /// like a lift, but nothing it did is a tap.
    pub fn cancel(&mut self, id: i32) {
        self.mode = Mode::Idle;
        self.up(id, 0.0);
        self.moved = true;
        self.last_tap = None;
    }

    /// Whether the click the browser sends after this press is to be
    /// ignored (the press dragged, panned or pinched). Asked once per click.
    pub fn take_moved(&mut self) -> bool {
        std::mem::take(&mut self.moved)
    }

    /// Back to the whole picture.
    pub fn reset(&mut self) {
        self.zoom = Zoom::NONE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: (f64, f64) = (400.0, 600.0);

    fn pt(x: f64, y: f64) -> Pt {
        Pt { x, y }
    }

    #[test]
    fn a_press_that_barely_moves_is_a_click() {
        let mut g = Gestures::default();
        g.down(1, pt(100.0, 100.0), Some((2, pt(104.0, 100.0))));
        assert_eq!(g.moved_to(1, pt(105.0, 103.0), SIZE), Outcome::None);
        assert_eq!(g.up(1, 10.0), Outcome::None);
        assert!(!g.take_moved(), "the click goes through");
        assert_eq!(g.zoom, Zoom::NONE);
    }

    #[test]
    fn dragging_a_server_keeps_it_where_it_was_grabbed() {
        let mut g = Gestures::default();
        // Grabbed 4 px left of its centre.
        g.down(1, pt(100.0, 100.0), Some((2, pt(104.0, 100.0))));
        assert_eq!(
            g.moved_to(1, pt(150.0, 220.0), SIZE),
            Outcome::Place(2, pt(154.0, 220.0))
        );
        assert_eq!(g.up(1, 10.0), Outcome::None);
        assert!(g.take_moved(), "the click after a drag is no click");
        assert!(!g.take_moved(), "asked once");
        assert_eq!(g.zoom, Zoom::NONE, "a drag does not pan");
    }

    #[test]
    fn a_double_tap_on_empty_canvas_resets_and_a_slow_or_far_one_does_not() {
        let mut g = Gestures::default();
        let tap = |g: &mut Gestures, p: Pt, t: f64| {
            g.down(1, p, None);
            g.up(1, t)
        };
        assert_eq!(tap(&mut g, pt(50.0, 50.0), 0.0), Outcome::None);
        assert_eq!(tap(&mut g, pt(60.0, 55.0), 300.0), Outcome::Reset);
        // A third tap starts over rather than resetting again.
        assert_eq!(tap(&mut g, pt(60.0, 55.0), 500.0), Outcome::None);
        assert_eq!(tap(&mut g, pt(60.0, 55.0), 1500.0), Outcome::None, "slow");
        assert_eq!(tap(&mut g, pt(200.0, 55.0), 1600.0), Outcome::None, "far");
        // Taps on a server are its menu, never a reset.
        g.down(1, pt(10.0, 10.0), Some((1, pt(10.0, 10.0))));
        g.up(1, 1700.0);
        assert_eq!(tap(&mut g, pt(10.0, 10.0), 1750.0), Outcome::None);
    }

    #[test]
    fn pinching_zooms_around_the_pinch_and_stays_in_bounds() {
        let mut g = Gestures::default();
        g.down(1, pt(150.0, 300.0), None);
        g.down(2, pt(250.0, 300.0), None);
        // Fingers twice as far apart, around the same midpoint.
        g.moved_to(1, pt(100.0, 300.0), SIZE);
        g.moved_to(2, pt(300.0, 300.0), SIZE);
        assert!((g.zoom.scale - 2.0).abs() < 1e-9, "{:?}", g.zoom);
        // The picture's point under the midpoint is still under it.
        let under = g.zoom.unshow(pt(200.0, 300.0));
        assert!(under.dist(pt(200.0, 300.0)) < 1e-9, "{under:?}");
        // Far apart: no more than the largest zoom.
        g.moved_to(2, pt(2000.0, 300.0), SIZE);
        assert_eq!(g.zoom.scale, ZOOM_MAX);
        // Pinched closed: never smaller than the whole picture.
        g.moved_to(2, pt(101.0, 300.0), SIZE);
        assert_eq!(g.zoom, Zoom::NONE);
        g.up(1, 0.0);
        g.up(2, 0.0);
        assert!(g.take_moved(), "a pinch is no click");
    }

    #[test]
    fn panning_moves_the_zoomed_picture_but_never_off_the_canvas() {
        let mut g = Gestures::default();
        // At zoom 1 there is nothing to pan to: the page scrolls instead.
        g.down(1, pt(100.0, 100.0), None);
        assert_eq!(
            g.moved_to(1, pt(180.0, 140.0), SIZE),
            Outcome::Scroll(-40.0)
        );
        assert_eq!(g.moved_to(1, pt(180.0, 110.0), SIZE), Outcome::Scroll(30.0));
        assert_eq!(g.zoom, Zoom::NONE);
        g.up(1, 0.0);
        g.zoom = Zoom {
            scale: 2.0,
            x: -200.0,
            y: -300.0,
        };
        g.down(1, pt(100.0, 100.0), None);
        g.moved_to(1, pt(150.0, 80.0), SIZE);
        assert_eq!((g.zoom.x, g.zoom.y), (-150.0, -320.0));
        g.moved_to(1, pt(900.0, 80.0), SIZE);
        assert_eq!(g.zoom.x, 0.0, "the left edge stops at the canvas's");
        g.up(1, 0.0);
    }

    #[test]
    fn a_pinch_that_loses_a_finger_pans_with_the_other() {
        let mut g = Gestures::default();
        g.down(1, pt(100.0, 100.0), Some((3, pt(100.0, 100.0))));
        g.down(2, pt(300.0, 100.0), None);
        g.moved_to(2, pt(500.0, 100.0), SIZE);
        assert!(g.zoom.scale > 1.0);
        g.up(2, 0.0);
        g.zoom.x = -100.0;
        let before = g.zoom;
        assert_eq!(
            g.moved_to(1, pt(80.0, 90.0), SIZE),
            Outcome::None,
            "no drag"
        );
        assert_eq!(g.zoom.x, before.x - 20.0);
        // A pointer the machine never saw changes nothing.
        assert_eq!(g.moved_to(7, pt(0.0, 0.0), SIZE), Outcome::None);
        assert_eq!(g.up(7, 0.0), Outcome::None);
    }

    #[test]
    fn a_cancelled_press_is_no_tap() {
        let mut g = Gestures::default();
        g.down(1, pt(50.0, 50.0), None);
        g.up(1, 0.0);
        g.down(1, pt(50.0, 50.0), None);
        g.cancel(1);
        g.down(1, pt(50.0, 50.0), None);
        assert_eq!(g.up(1, 100.0), Outcome::None);
    }

    #[test]
    fn show_and_unshow_are_inverse() {
        let z = Zoom {
            scale: 2.5,
            x: -40.0,
            y: -7.0,
        };
        let p = pt(13.0, 77.0);
        assert!(z.unshow(z.show(p)).dist(p) < 1e-9);
        assert_eq!(Zoom::NONE.show(p), p);
    }
}
