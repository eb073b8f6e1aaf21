//! The timeline under the canvas: the track, the part already played,
//! markers for elections, leaders, commits, faults and violations (kept in
//! an offscreen layer), and the cursor.

use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{fill, forget_styles, Layer, Xf};
use crate::eventlog::Marker;
use crate::style::okabe;

/// Padding left and right of the timeline track, CSS px.
pub const TIMELINE_PAD: f64 = 8.0;

/// Everything a marker's place depends on: the track's size in CSS px, the
/// device pixels per CSS px and the time at the right end.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scale {
    w: f64,
    h: f64,
    dpr: f64,
    scale_us: u64,
}

/// The timeline's markers, kept in an offscreen layer. Markers only ever
/// get appended (a fork clears them), so a frame draws just the new ones;
/// the whole layer is redrawn only when the size or the scale changes.
pub struct TimelineMarks {
    layer: Option<Layer>,
    /// What the layer's markers were placed for.
    drawn_for: Scale,
    /// Markers already in the layer.
    drawn: usize,
    /// Per marker kind, the last pixel column drawn (markers come in time
    /// order, so one column per kind is drawn once).
    last_x: [i64; 5],
}

impl Default for TimelineMarks {
    fn default() -> Self {
        TimelineMarks {
            layer: Layer::new(),
            drawn_for: Scale {
                w: 0.0,
                h: 0.0,
                dpr: 0.0,
                scale_us: 0,
            },
            drawn: 0,
            last_x: [i64::MIN; 5],
        }
    }
}

/// Paints the timeline: the track, the part already played, markers for
/// elections, leaders, commits, faults and violations, and the cursor.
/// `scale_us` is the time at the right end (see `geom::timeline_scale_us`).
pub fn paint_timeline(
    c: &Ctx,
    tm: &mut TimelineMarks,
    (w, h, dpr): (f64, f64, f64),
    scale_us: u64,
    now_us: u64,
    markers: &[(u64, Marker)],
) {
    let pad = TIMELINE_PAD;
    let hz = scale_us.max(1) as f64;
    let x_of = |t: u64| pad + (w - 2.0 * pad) * (t as f64 / hz);
    c.set_fill_style_str("#f1f1ec");
    c.fill_rect(0.0, 0.0, w, h);
    c.set_fill_style_str("#dcdcd4");
    c.fill_rect(pad, h / 2.0 - 3.0, w - 2.0 * pad, 6.0);
    c.set_fill_style_str("#9a9a92");
    c.fill_rect(pad, h / 2.0 - 3.0, x_of(now_us) - pad, 6.0);
    let scale = Scale {
        w,
        h,
        dpr,
        scale_us,
    };
    let target = match &tm.layer {
        Some(layer) => {
            if scale != tm.drawn_for || markers.len() < tm.drawn {
                layer.reset(
                    (w * dpr).round() as u32,
                    (h * dpr).round() as u32,
                    Xf {
                        scale: dpr,
                        x: 0.0,
                        y: 0.0,
                    },
                );
                tm.drawn_for = scale;
                tm.drawn = 0;
                tm.last_x = [i64::MIN; 5];
            }
            &layer.ctx
        }
        None => {
            // No offscreen canvas: draw them all, every frame.
            tm.drawn = 0;
            tm.last_x = [i64::MIN; 5];
            c
        }
    };
    forget_styles();
    for &(t_us, m) in &markers[tm.drawn..] {
        let x = x_of(t_us);
        let k = m as usize;
        if tm.last_x[k] == x as i64 {
            continue;
        }
        tm.last_x[k] = x as i64;
        let (colour, y, hh) = match m {
            Marker::Commit => (okabe::GREEN, h - 9.0, 6.0),
            Marker::Election => (okabe::ORANGE, 3.0, 6.0),
            Marker::Leader => (okabe::BLUE, 1.0, 10.0),
            Marker::Fault => (okabe::VERMILLION, h - 14.0, 12.0),
            Marker::Violation => ("#b00020", 0.0, h),
        };
        fill(target, colour);
        let wd = if matches!(m, Marker::Violation | Marker::Leader) {
            3.0
        } else {
            2.0
        };
        target.fill_rect(x - wd / 2.0, y, wd, hh);
    }
    forget_styles();
    if let Some(layer) = &tm.layer {
        tm.drawn = markers.len();
        layer.blit(c, 0.0, 0.0, w, h);
    }
    // Cursor.
    let x = x_of(now_us);
    c.set_fill_style_str("#1a1a1a");
    c.fill_rect(x - 1.5, 0.0, 3.0, h);
    c.begin_path();
    let _ = c.arc(x, h / 2.0, 6.0, 0.0, std::f64::consts::TAU);
    c.fill();
}
