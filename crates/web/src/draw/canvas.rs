//! Canvas state and style caching: thin wrappers around the 2D context that
//! skip a set when the context already holds the value, the fonts, dash
//! patterns and offscreen layers every painter shares.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

use crate::geom::Pt;

/// Fonts: the system UI font, with CJK fallbacks for 中文.
const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// Reusable dash patterns (creating JS arrays every frame would be waste).
pub struct Dashes {
    pub(super) solid: JsValue,
    pub(super) dashed: JsValue,
    pub(super) dotted: JsValue,
    pub(super) cut: JsValue,
}

impl Default for Dashes {
    fn default() -> Self {
        let arr = |v: &[f64]| -> JsValue {
            v.iter()
                .map(|x| JsValue::from_f64(*x))
                .collect::<js_sys::Array>()
                .into()
        };
        Dashes {
            solid: arr(&[]),
            dashed: arr(&[7.0, 4.0]),
            dotted: arr(&[2.0, 3.0]),
            cut: arr(&[5.0, 5.0]),
        }
    }
}

/// The canvas state last set through the helpers below. Chromium parses
/// style strings on every set (fonts are costly) and every set is a call
/// across the wasm/JS boundary; skipping repeats is most of a cheap frame.
/// Invariant: describes the context being drawn on; `forget_styles` is
/// called whenever that context changes or its state is reset (a resize,
/// `restore`, another canvas).
pub(super) struct Last {
    pub(super) fill: String,
    stroke: String,
    font: String,
    align: &'static str,
    baseline: &'static str,
    line_width: f64,
    alpha: f64,
}

thread_local! {
    pub(super) static LAST: std::cell::RefCell<Last> = const {
        std::cell::RefCell::new(Last {
            fill: String::new(),
            stroke: String::new(),
            font: String::new(),
            align: "",
            baseline: "",
            line_width: f64::NAN,
            alpha: f64::NAN,
        })
    };
}

/// Whether `slot` already holds `v`; if not, remembers it.
fn cached_str(slot: &mut String, v: &str) -> bool {
    if slot == v {
        return true;
    }
    slot.clear();
    slot.push_str(v);
    false
}

/// Forgets what the style cache knows: the next set of each style is made.
pub(super) fn forget_styles() {
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        l.fill.clear();
        l.stroke.clear();
        l.font.clear();
        l.align = "";
        l.baseline = "";
        l.line_width = f64::NAN;
        l.alpha = f64::NAN;
    });
}

pub(super) fn fill(ctx: &Ctx, c: &str) {
    if !LAST.with(|l| cached_str(&mut l.borrow_mut().fill, c)) {
        ctx.set_fill_style_str(c);
    }
}

pub(super) fn stroke(ctx: &Ctx, c: &str) {
    if !LAST.with(|l| cached_str(&mut l.borrow_mut().stroke, c)) {
        ctx.set_stroke_style_str(c);
    }
}

pub(super) fn font_set(ctx: &Ctx, f: &str) {
    if !LAST.with(|l| cached_str(&mut l.borrow_mut().font, f)) {
        ctx.set_font(f);
    }
}

pub(super) fn align(ctx: &Ctx, a: &'static str) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().align, a)) != a {
        ctx.set_text_align(a);
    }
}

pub(super) fn baseline(ctx: &Ctx, b: &'static str) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().baseline, b)) != b {
        ctx.set_text_baseline(b);
    }
}

pub(super) fn line_width(ctx: &Ctx, w: f64) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().line_width, w)) != w {
        ctx.set_line_width(w);
    }
}

pub(super) fn alpha(ctx: &Ctx, a: f64) {
    if LAST.with(|l| std::mem::replace(&mut l.borrow_mut().alpha, a)) != a {
        ctx.set_global_alpha(a);
    }
}

/// The CSS font of `px` CSS px and `weight`.
pub(super) fn font(px: f64, weight: u32) -> String {
    format!("{weight} {}px {FONT_FAMILY}", px.round().max(1.0) as i64)
}

pub(super) fn text(ctx: &Ctx, s: &str, x: f64, y: f64) {
    // fill_text only fails on invalid arguments, which finite numbers are not.
    let _ = ctx.fill_text(s, x, y);
}

/// Starts a path holding one circle.
pub(super) fn circle(ctx: &Ctx, c: Pt, r: f64) {
    ctx.begin_path();
    let _ = ctx.arc(c.x, c.y, r.max(0.0), 0.0, std::f64::consts::TAU);
}

/// How a context maps CSS px of the layout to its device px: `p` lands
/// at `p * scale + (x, y)` (device pixel ratio, presentation zoom and the
/// user's pinch-zoom and pan together).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Xf {
    /// Device px per layout px.
    pub scale: f64,
    /// Where the layout's origin lands, device px.
    pub x: f64,
    /// See `x`.
    pub y: f64,
}

impl Xf {
    /// Device px as they are.
    pub const PX: Xf = Xf {
        scale: 1.0,
        x: 0.0,
        y: 0.0,
    };

    /// Makes `ctx` map through this.
    pub fn set(self, ctx: &Ctx) {
        let _ = ctx.set_transform(self.scale, 0.0, 0.0, self.scale, self.x, self.y);
    }
}

/// An offscreen canvas (never attached to the page) used as a cache.
pub(super) struct Layer {
    pub(super) canvas: HtmlCanvasElement,
    pub(super) ctx: Ctx,
}

impl Layer {
    pub(super) fn new() -> Option<Layer> {
        let canvas = crate::dom::doc()?
            .create_element("canvas")
            .ok()?
            .dyn_into::<HtmlCanvasElement>()
            .ok()?;
        let ctx = canvas.get_context("2d").ok()??.dyn_into::<Ctx>().ok()?;
        Some(Layer { canvas, ctx })
    }

    /// Sizes the backing store to `w` x `h` device px (which clears it and
    /// resets its state) and maps CSS px with `xf`.
    pub(super) fn reset(&self, w_px: u32, h_px: u32, xf: Xf) {
        self.canvas.set_width(w_px);
        self.canvas.set_height(h_px);
        xf.set(&self.ctx);
        forget_styles();
    }

    /// Copies the whole layer to `ctx` pixel for pixel (a layer of the
    /// canvas's size, painted through the canvas's `xf`), then maps `ctx`
    /// with `xf` again.
    pub(super) fn blit_px(&self, ctx: &Ctx, xf: Xf, (w, h): (u32, u32)) {
        Xf::PX.set(ctx);
        self.blit(ctx, 0.0, 0.0, w as f64, h as f64);
        xf.set(ctx);
    }

    /// Copies the whole layer to `ctx` at (x, y), `w` x `h` CSS px.
    pub(super) fn blit(&self, ctx: &Ctx, x: f64, y: f64, w: f64, h: f64) {
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&self.canvas, x, y, w, h);
    }
}
