//! Presentation mode (`?present`, the toolbar's Present button, key F):
//! the side panel and the free-play toolbar hide, the page's text grows
//! with the screen (CSS, `body.present`), and the canvas is drawn zoomed,
//! so that its words are legible from the back of a room.
//!
//! The canvas zoom is one scale factor for everything drawn (text, the
//! offsets labels hang at, line widths, nodes): the painter lays the
//! picture out for the canvas's size divided by the zoom and draws it with
//! the zoom in the transform, exactly as a browser zoom would. Scaling the
//! fonts alone would make labels hung at fixed offsets (a node's role and
//! vote lines, the log rows' "next · match") overlap.

use crate::app::App;
use crate::dom;
use crate::geom::clamp;

/// The zoom at a canvas 1024 CSS px wide: the smallest canvas text (10 px)
/// is then 16 px.
const ZOOM_AT_1024: f64 = 1.6;
/// The zoom never lays the picture out on fewer CSS px of height than
/// this: five servers with their labels and log rows still fit.
const LAYOUT_H_MIN: f64 = 262.0;
/// Largest zoom (a 4K screen).
const ZOOM_MAX: f64 = 3.0;

/// The canvas zoom in presentation mode for a canvas of `w` x `h` CSS px:
/// grows with the width, as much as the height allows, never below 1.
pub fn canvas_zoom(w: f64, h: f64) -> f64 {
    let z = (ZOOM_AT_1024 * w / 1024.0).min(h / LAYOUT_H_MIN);
    clamp(z, 1.0, ZOOM_MAX)
}

impl App {
    /// Enters (`true`) or leaves presentation mode. Leaving restores the
    /// page as it was: the mode is one class on `<body>` and the zoom.
    pub fn set_present(&mut self, on: bool) {
        self.present = on;
        if let Some(b) = dom::doc().and_then(|d| d.body()) {
            let _ = b.class_list().toggle_with_force("present", on);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zoom_makes_ten_px_sixteen_at_a_1024_projector() {
        // 1024 x 768, canvas over half the height.
        assert!((canvas_zoom(1024.0, 430.0) * 10.0 - 16.0).abs() < 1e-9);
        // It grows with the screen ...
        let hd = canvas_zoom(1920.0, 640.0);
        assert!(hd > 2.0 && hd <= ZOOM_MAX, "{hd}");
        // ... as far as the height lets the picture fit ...
        assert!((canvas_zoom(1920.0, 400.0) - 400.0 / LAYOUT_H_MIN).abs() < 1e-9);
        // ... and never shrinks it.
        assert_eq!(canvas_zoom(300.0, 200.0), 1.0);
        assert_eq!(canvas_zoom(8000.0, 4000.0), ZOOM_MAX);
    }
}
