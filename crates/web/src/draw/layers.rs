//! Cached layers: an offscreen image of one part of the picture together
//! with the inputs it was painted from. Each layer's painter reads nothing
//! but its input struct, so whatever it shows is in the comparison that
//! decides whether to repaint it: no key list to keep in step by hand.

use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{forget_styles, Layer, Xf};

/// One cached layer, painted from inputs of type `K`.
///
/// Invariant: when `drawn_from` is `Some(k)`, `layer` holds exactly what the
/// painter paints from `k` (the painter reads only `k`).
pub(super) struct Cached<K> {
    layer: Option<Layer>,
    drawn_from: Option<K>,
}

impl<K: PartialEq> Cached<K> {
    /// A layer not painted yet; without an offscreen canvas, every `show`
    /// paints onto the target directly.
    pub(super) fn new() -> Self {
        Cached {
            layer: Layer::new(),
            drawn_from: None,
        }
    }

    /// Puts the picture of `inputs` on `ctx`: the cached image, repainted
    /// first if `inputs` differ from what it was painted from. `(w, h)` is
    /// the size of `ctx` in device px, `xf` its mapping (which `inputs`
    /// hold too: the layer is painted as the canvas shows it, so a zoomed
    /// picture stays sharp and the layer is never larger than the canvas).
    pub(super) fn show(
        &mut self,
        ctx: &Ctx,
        inputs: K,
        (w, h): (u32, u32),
        xf: Xf,
        paint: impl Fn(&Ctx, &K),
    ) {
        let Some(layer) = &self.layer else {
            paint(ctx, &inputs);
            return;
        };
        if self.drawn_from.as_ref() != Some(&inputs) {
            layer.reset(w, h, xf);
            paint(&layer.ctx, &inputs);
            self.drawn_from = Some(inputs);
            // The style cache described the layer; drawing goes on on `ctx`.
            forget_styles();
        }
        layer.blit_px(ctx, xf, (w, h));
    }
}
