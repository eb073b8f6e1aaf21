//! Small helpers over web-sys: element lookup, listeners, text, clipboard,
//! downloads. Failures (a missing element, a refused clipboard) degrade to
//! doing nothing: the page must keep working.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Window};

/// The window (always present in a browser page).
pub fn window() -> Option<Window> {
    web_sys::window()
}

/// The document.
pub fn doc() -> Option<Document> {
    window()?.document()
}

/// Element by id, as the requested type.
pub fn by_id<T: JsCast>(id: &str) -> Option<T> {
    doc()?.get_element_by_id(id)?.dyn_into::<T>().ok()
}

/// Element by id.
pub fn el(id: &str) -> Option<HtmlElement> {
    by_id::<HtmlElement>(id)
}

/// Moves the keyboard focus to element `id`, if there is one.
pub fn focus(id: &str) {
    if let Some(e) = el(id) {
        let _ = e.focus();
    }
}

/// Whether the user asked for less motion (`prefers-reduced-motion`).
pub fn reduced_motion() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok()?)
        .is_some_and(|m| m.matches())
}

/// Sets `hidden`.
pub fn show(id: &str, visible: bool) {
    if let Some(e) = el(id) {
        e.set_hidden(!visible);
    }
}

/// Whether the element is shown.
pub fn shown(id: &str) -> bool {
    el(id).is_some_and(|e| !e.hidden())
}

/// Sets the text content.
pub fn set_text(id: &str, text: &str) {
    if let Some(e) = el(id) {
        if e.text_content().as_deref() != Some(text) {
            e.set_text_content(Some(text));
        }
    }
}

/// Adds an event listener that lives as long as the page.
pub fn on(target: &web_sys::EventTarget, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    on_boxed(target, event, Box::new(f));
}

/// [`on`] for one closure type, so that its body is not copied into every
/// caller (see [`after_boxed`]).
#[inline(never)]
fn on_boxed(target: &web_sys::EventTarget, event: &str, f: Box<dyn FnMut(web_sys::Event)>) {
    let cb = Closure::wrap(f);
    let _ = target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    // The listener is needed until the page closes: leak it on purpose.
    cb.forget();
}

/// Adds a listener to the element with this id.
pub fn on_id(id: &str, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    on_id_boxed(id, event, Box::new(f));
}

#[inline(never)]
fn on_id_boxed(id: &str, event: &str, f: Box<dyn FnMut(web_sys::Event)>) {
    if let Some(e) = el(id) {
        on_boxed(&e, event, f);
    }
}

/// The element that received the event, if it is an element.
pub fn target_el(e: &web_sys::Event) -> Option<Element> {
    e.target()?.dyn_into::<Element>().ok()
}

/// Escapes text for innerHTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Sets innerHTML if it differs (rewriting identical HTML would reset
/// scroll positions and hover states for nothing).
pub fn set_html(id: &str, html: &str) {
    if let Some(e) = el(id) {
        if e.inner_html() != html {
            e.set_inner_html(html);
        }
    }
}

/// Value of an `<input>`, `<select>` or `<textarea>`.
pub fn value(id: &str) -> String {
    let Some(e) = doc().and_then(|d| d.get_element_by_id(id)) else {
        return String::new();
    };
    js_sys::Reflect::get(&e, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Sets the value of an `<input>`, `<select>` or `<textarea>`.
pub fn set_value(id: &str, v: &str) {
    if let Some(e) = doc().and_then(|d| d.get_element_by_id(id)) {
        let _ = js_sys::Reflect::set(&e, &"value".into(), &v.into());
    }
}

/// `checked` of a checkbox.
pub fn checked(id: &str) -> bool {
    by_id::<web_sys::HtmlInputElement>(id).is_some_and(|e| e.checked())
}

/// Sets `checked` of a checkbox.
pub fn set_checked(id: &str, on: bool) {
    if let Some(e) = by_id::<web_sys::HtmlInputElement>(id) {
        e.set_checked(on);
    }
}

/// Copies text to the clipboard; `false` if the browser refused at once.
/// (The Clipboard API is asynchronous; a later refusal is not reported.)
pub fn copy_text(text: &str) -> bool {
    let Some(w) = window() else { return false };
    let nav = w.navigator();
    let clip = js_sys::Reflect::get(&nav, &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    if clip.is_object() {
        if let Ok(f) = js_sys::Reflect::get(&clip, &"writeText".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            if let Ok(p) = f.call1(&clip, &text.into()) {
                // Swallow an asynchronous refusal instead of an unhandled rejection.
                if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                    let noop = Closure::<dyn FnMut(JsValue)>::new(|_| {});
                    let _ = p.catch(&noop);
                    noop.forget();
                }
                return true;
            }
        }
    }
    false
}

/// Offers `data_url` (or an object URL) as a download named `name`.
pub fn download(href: &str, name: &str) {
    let Some(d) = doc() else { return };
    let Ok(a) = d.create_element("a") else { return };
    let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(href);
    a.set_download(name);
    a.click();
}

/// Downloads text as a file.
pub fn download_text(text: &str, name: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    download(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Runs `f` once after `ms` milliseconds.
pub fn after(ms: i32, f: impl FnOnce() + 'static) {
    after_boxed(ms, Box::new(f));
}

/// [`after`] for one closure type: `Closure::once_into_js` makes a JS
/// shim per closure type it is given, so every caller's closure is boxed
/// into this one (about 500 bytes of wasm saved per call site).
#[inline(never)]
fn after_boxed(ms: i32, f: Box<dyn FnOnce()>) {
    let Some(w) = window() else { return };
    let cb = Closure::once_into_js(f);
    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
}

/// localStorage get (None when storage is disabled).
pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// localStorage set (ignored when storage is disabled).
pub fn storage_set(key: &str, v: &str) {
    if let Some(Ok(Some(s))) = window().map(|w| w.local_storage()) {
        let _ = s.set_item(key, v);
    }
}

/// The message of a JS error value.
pub fn js_message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

/// `promise.then(ok, err)` with one-shot Rust closures (no futures runtime:
/// two callbacks are all this needs).
pub fn then(
    p: &js_sys::Promise,
    ok: impl FnOnce(JsValue) + 'static,
    err: impl FnOnce(JsValue) + 'static,
) {
    then_boxed(p, Box::new(ok), Box::new(err));
}

/// [`then`] for one closure type (see [`after_boxed`]).
#[inline(never)]
fn then_boxed(p: &js_sys::Promise, ok: Box<dyn FnOnce(JsValue)>, err: Box<dyn FnOnce(JsValue)>) {
    let ok = Closure::once_into_js(ok);
    let err = Closure::once_into_js(err);
    if let Ok(f) =
        js_sys::Reflect::get(p, &"then".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call2(p, &ok, &err);
    }
}

#[wasm_bindgen]
extern "C" {
    // The Compression Streams API (web-sys declares it only behind
    // `--cfg web_sys_unstable_apis`; these members are all we use).
    #[wasm_bindgen(extends = js_sys::Object)]
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> web_sys::WritableStream;

    #[wasm_bindgen(extends = js_sys::Object)]
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

/// Whether this browser has the Compression Streams API (Chrome 80,
/// Firefox 113, Safari 16.4 and later): share links need it.
pub fn compression_streams() -> bool {
    window().is_some_and(|w| {
        js_sys::Reflect::has(&w, &"CompressionStream".into()).unwrap_or(false)
            && js_sys::Reflect::has(&w, &"DecompressionStream".into()).unwrap_or(false)
    })
}

/// Compresses bytes to raw deflate with the browser's `CompressionStream`
/// (the wasm carries no compressor of its own); `done` gets the bytes or
/// why not. Always asynchronous, failures included: callers run `done`
/// inside `with_app`, which must not nest.
pub fn deflate_raw(bytes: Vec<u8>, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    let done: BytesDone = Box::new(done);
    match CompressionStream::new("deflate-raw") {
        Ok(cs) => pipe(bytes, &cs.readable(), &cs.writable(), done),
        Err(e) => fail_later(&e, done),
    }
}

/// What a stream's caller is told: boxed, so that [`pipe`] and its
/// closures are made once for both directions, not once per caller.
type BytesDone = Box<dyn FnOnce(Result<Vec<u8>, String>)>;

/// `bytes` as a share link's body (URL-safe base64), with the browser's
/// `btoa` (no base64 code in the wasm download).
pub fn base64url(bytes: &[u8]) -> Result<String, String> {
    // `btoa` reads a "binary string": one character per byte.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let w = window().ok_or("no window")?;
    w.btoa(&binary)
        .map(|s| sim::standard_base64_to_body(&s))
        .map_err(|e| js_message(&e))
}

/// The bytes of a share link's body (URL-safe base64), with the browser's
/// `atob`.
pub fn from_base64url(body: &str) -> Result<Vec<u8>, sim::LinkError> {
    let standard = sim::body_to_standard_base64(body)?;
    let corrupt = |reason: String| sim::LinkError::Corrupt { reason };
    let w = window().ok_or_else(|| corrupt("no window".into()))?;
    let binary = w.atob(&standard).map_err(|e| corrupt(js_message(&e)))?;
    // Every character of `atob`'s answer is one byte (below 256).
    Ok(binary.chars().map(|c| c as u8).collect())
}

/// Inflates raw deflate with the browser's `DecompressionStream` (see
/// [`deflate_raw`]).
pub fn inflate_raw(bytes: Vec<u8>, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    let done: BytesDone = Box::new(done);
    match DecompressionStream::new("deflate-raw") {
        Ok(ds) => pipe(bytes, &ds.readable(), &ds.writable(), done),
        Err(e) => fail_later(&e, done),
    }
}

/// `done(Err(..))` from a timer rather than now (see [`deflate_raw`]).
fn fail_later(e: &JsValue, done: BytesDone) {
    let why = js_message(e);
    after(0, move || done(Err(why)));
}

/// Sends `bytes` through a transform stream and collects what comes out.
fn pipe(
    mut bytes: Vec<u8>,
    readable: &web_sys::ReadableStream,
    writable: &web_sys::WritableStream,
    done: BytesDone,
) {
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = move |r: Result<Vec<u8>, String>| {
        if let Some(f) = done.borrow_mut().take() {
            f(r);
        }
    };
    let started = (|| {
        let input = web_sys::Response::new_with_opt_u8_array(Some(&mut bytes))?
            .body()
            .ok_or_else(|| JsValue::from_str("no stream"))?;
        let pair = web_sys::ReadableWritablePair::new(readable, writable);
        web_sys::Response::new_with_opt_readable_stream(Some(&input.pipe_through(&pair)))?
            .array_buffer()
    })();
    match started {
        Ok(p) => {
            let fail = finish.clone();
            then(
                &p,
                move |buf| finish(Ok(js_sys::Uint8Array::new(&buf).to_vec())),
                move |e| fail(Err(js_message(&e))),
            )
        }
        Err(e) => fail_later(&e, Box::new(finish)),
    }
}
