//! Pipeline check only; replaced by the real app.
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let doc = web_sys::window().ok_or("no window")?.document().ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = doc.get_element_by_id("view").ok_or("no canvas")?.dyn_into()?;
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d")?.dyn_into()?;
    ctx.fill_rect(10.0, 10.0, 50.0, 50.0);
    Ok(())
}
