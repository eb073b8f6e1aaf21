//! `window.raftlab` and its postMessage twin: one table of operations
//! (name, argument, handler, whether postMessage may call it) that both read.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::{App, FrameSample};
use crate::dom;
use crate::i18n::Lang;
use crate::session::Intent;

/// What an operation takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// Nothing.
    None,
    /// A line of the scenario language (`"crash 1"`).
    Line,
    /// A moment: seconds as a number, or a duration such as `"1.5s"`.
    Time,
    /// A number.
    Number,
    /// A language code, `en` or `zh`.
    Lang,
}

impl ArgKind {
    /// What the argument is called in the doc line and the error.
    fn param(self) -> &'static str {
        match self {
            ArgKind::None => "",
            ArgKind::Line => "line",
            ArgKind::Time => "t",
            ArgKind::Number => "x",
            ArgKind::Lang => "code",
        }
    }

    /// What is wrong when the argument is not of this kind.
    fn complaint(self) -> &'static str {
        match self {
            ArgKind::None => "",
            ArgKind::Line => "line must be a string",
            ArgKind::Time => "t is seconds (a number) or a duration such as \"1.5s\"",
            ArgKind::Number => "x is a number",
            ArgKind::Lang => "en or zh",
        }
    }

    /// Reads the argument, if it is of this kind.
    fn read(self, v: &JsValue) -> Option<Arg> {
        match self {
            ArgKind::None => Some(Arg::None),
            ArgKind::Line => v.as_string().map(Arg::Text),
            ArgKind::Time => time_arg(v).map(Arg::TimeUs),
            ArgKind::Number => v.as_f64().map(Arg::Number),
            ArgKind::Lang => v.as_string().and_then(|s| Lang::parse(&s)).map(Arg::Lang),
        }
    }
}

/// An argument, read.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// No argument.
    None,
    /// A string.
    Text(String),
    /// A moment, µs.
    TimeUs(u64),
    /// A number.
    Number(f64),
    /// A language.
    Lang(Lang),
}

/// A handler: the app and the argument read as its kind says.
type Handler = fn(&mut App, Arg) -> Result<JsValue, JsValue>;

/// One operation of `window.raftlab`.
pub struct Op {
    /// Its name in JS.
    pub name: &'static str,
    /// What it takes.
    pub arg: ArgKind,
    /// What it does.
    handler: Handler,
    /// Whether an embedding page may call it by postMessage.
    pub post_message: bool,
}

/// `true`, the answer of an operation that only does something.
fn ok<T>(_done: T) -> Result<JsValue, JsValue> {
    Ok(JsValue::TRUE)
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// Every operation: the one list both `window.raftlab` and postMessage read.
/// One row per operation, each under a comment saying what it does (a
/// comment, not a field: the download carries no documentation; a test
/// checks every row has one).
pub const API: [Op; 16] = [
    // the snapshot: time, nodes (with canvas and client positions), messages, network, violations, settings
    Op {
        name: "state",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| a.state_js(),
    },
    // takes one scenario-language action now (`crash 1`, `prevote on`)
    Op {
        name: "act",
        arg: ArgKind::Line,
        post_message: true,
        handler: |a, arg| match arg {
            Arg::Text(line) => a.session.act_line(&line).map(ok).map_err(|e| error(&e))?,
            _ => Ok(JsValue::FALSE),
        },
    },
    // travels in time to t (seconds, or a duration such as "1.5s")
    Op {
        name: "seek",
        arg: ArgKind::Time,
        post_message: true,
        handler: |a, arg| match arg {
            Arg::TimeUs(t) => ok(a.apply(Intent::Seek(t))),
            _ => Ok(JsValue::FALSE),
        },
    },
    // plays
    Op {
        name: "play",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| ok(a.apply(Intent::SetPlaying(true))),
    },
    // pauses
    Op {
        name: "pause",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| ok(a.apply(Intent::SetPlaying(false))),
    },
    // runs exactly one event and pauses
    Op {
        name: "step",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| ok(a.apply(Intent::Step)),
    },
    // a promise of the share link of this run at this moment
    Op {
        name: "link",
        arg: ArgKind::None,
        post_message: true,
        handler: link,
    },
    // the lesson on screen (step, claims checked now), or null
    Op {
        name: "lesson",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| crate::lessons_ui::state_js(a),
    },
    // sets the speed, simulated seconds per real second
    Op {
        name: "speed",
        arg: ArgKind::Number,
        post_message: true,
        handler: |a, arg| match arg {
            Arg::Number(s) => {
                a.set_speed(s);
                Ok(JsValue::TRUE)
            }
            _ => Ok(JsValue::FALSE),
        },
    },
    // switches the page's language
    Op {
        name: "lang",
        arg: ArgKind::Lang,
        post_message: true,
        handler: |a, arg| match arg {
            Arg::Lang(l) => {
                a.set_lang(l);
                Ok(JsValue::TRUE)
            }
            _ => Ok(JsValue::FALSE),
        },
    },
    // the hash of the trace up to now (16 hex digits)
    Op {
        name: "traceHash",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| Ok(a.session.trace_hash().into()),
    },
    // the trace up to now as JSON Lines
    Op {
        name: "trace",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| Ok(a.session.trace_jsonl().into()),
    },
    // the run as scenario text
    Op {
        name: "scenario",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| Ok(a.session.sim().scenario().to_string().into()),
    },
    // frame-time percentiles and the average per phase, µs
    Op {
        name: "frameStats",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| js_sys::JSON::parse(&frame_stats(a)),
    },
    // starts the frame statistics over
    Op {
        name: "resetFrameStats",
        arg: ArgKind::None,
        post_message: true,
        handler: |a, _| {
            a.frames.clear();
            Ok(JsValue::TRUE)
        },
    },
    // For the browser test of the panic overlay: a deliberate panic
    // inside the app, as a real bug would be. Not by postMessage.
    // panics on purpose (tests the bug-report overlay)
    Op {
        name: "debugPanic",
        arg: ArgKind::None,
        post_message: false,
        handler: |_, _| panic!("raftlab.debugPanic() was called"),
    },
];

/// The operation called `name`.
pub fn op(name: &str) -> Option<&'static Op> {
    API.iter().find(|o| o.name == name)
}

/// One call of the API by name: used by `window.raftlab` and postMessage alike.
fn call(name: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let op = op(name).ok_or_else(|| error(&format!("raftlab has no operation {name}")))?;
    let arg = op.arg.read(arg).ok_or_else(|| {
        error(&format!(
            "{}({}): {}",
            op.name,
            op.arg.param(),
            op.arg.complaint()
        ))
    })?;
    crate::with_app(|a| (op.handler)(a, arg)).ok_or_else(|| error("Raftlab is not running"))?
}

/// `link`: a promise, since the browser compresses the link asynchronously.
fn link(a: &mut App, _: Arg) -> Result<JsValue, JsValue> {
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        a.link_then(move |_, r| {
            let _ = match r {
                Ok(link) => resolve.call1(&JsValue::NULL, &link.into()),
                Err(why) => reject.call1(&JsValue::NULL, &js_sys::Error::new(&why)),
            };
        });
    });
    Ok(p.into())
}

/// `frameStats()` as JSON text (hand-built: these are plain numbers): the
/// frames' percentiles, each phase's average over all frames (`avg_*`) and
/// over the slowest 5 % (`slow_*`: what sets the p95).
fn frame_stats(a: &App) -> String {
    let mut v = a.frames.clone();
    crate::small_sort::sort_by_key(&mut v, |f| f.total_us);
    let q = |f: f64| {
        v.get(((v.len() as f64 - 1.0) * f).round().max(0.0) as usize)
            .map_or(0, |s| s.total_us)
    };
    let p95 = q(0.95);
    let avg = |frames: &[FrameSample], k: usize| {
        let sum: u64 = frames.iter().map(|f| u64::from(f.phase_us[k])).sum();
        sum / frames.len().max(1) as u64
    };
    let slow = &v[v.partition_point(|f| f.total_us < p95)..];
    let mut out = format!(
        "{{\"count\":{},\"p50_us\":{},\"p95_us\":{p95},\"max_us\":{}",
        v.len(),
        q(0.5),
        q(1.0)
    );
    for (k, phase) in ["sim", "view", "paint", "panels"].into_iter().enumerate() {
        out += &format!(
            ",\"avg_{phase}_us\":{},\"slow_{phase}_us\":{}",
            avg(&v, k),
            avg(slow, k)
        );
    }
    out.push('}');
    out
}

/// Parses a time given as seconds (number) or as text ("1.5s", "300ms").
fn time_arg(v: &JsValue) -> Option<u64> {
    if let Some(s) = v.as_f64() {
        return (s.is_finite() && s >= 0.0).then(|| (s * 1e6).round() as u64);
    }
    v.as_string()
        .and_then(|s| sim::units::parse_duration_us(s.trim()))
}

/// A snapshot for the JS API as a plain JS object, the shape `JSON.parse`
/// would give (maps as objects, `None` as `null`). Built directly rather
/// than through JSON text: no float formatting or JSON code in the wasm.
pub fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

/// Puts `window.raftlab` in place: one function per operation, and `version`.
pub fn install() -> Result<(), JsValue> {
    let obj = js_sys::Object::new();
    for op in &API {
        let name = op.name;
        let f = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |arg: JsValue| {
            call(name, &arg)
        });
        js_sys::Reflect::set(&obj, &name.into(), f.as_ref())?;
        f.forget();
    }
    js_sys::Reflect::set(&obj, &"version".into(), &env!("CARGO_PKG_VERSION").into())?;
    let w = dom::window().ok_or("no window")?;
    js_sys::Reflect::set(&w, &"raftlab".into(), &obj)?;
    Ok(())
}

/// `{raftlab: "act", arg: "crash 1", id: 7}` from an embedding page; the
/// answer goes back to the sender as `{raftlab: "reply", id, ok, value | error}`.
pub fn on_post_message(e: web_sys::Event) {
    let Ok(me) = e.dyn_into::<web_sys::MessageEvent>() else {
        return;
    };
    let data = me.data();
    let Some(name) = js_sys::Reflect::get(&data, &"raftlab".into())
        .ok()
        .and_then(|v| v.as_string())
    else {
        return;
    };
    if !op(&name).is_some_and(|o| o.post_message) {
        return;
    }
    let arg = js_sys::Reflect::get(&data, &"arg".into()).unwrap_or(JsValue::UNDEFINED);
    let id = js_sys::Reflect::get(&data, &"id".into()).unwrap_or(JsValue::NULL);
    let reply = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&reply, &"raftlab".into(), &"reply".into());
    let _ = js_sys::Reflect::set(&reply, &"id".into(), &id);
    let post = move |r: Result<JsValue, JsValue>| {
        match r {
            Ok(v) => {
                let _ = js_sys::Reflect::set(&reply, &"ok".into(), &JsValue::TRUE);
                let _ = js_sys::Reflect::set(&reply, &"value".into(), &v);
            }
            Err(err) => {
                let msg = dom::js_message(&err);
                let _ = js_sys::Reflect::set(&reply, &"ok".into(), &JsValue::FALSE);
                let _ = js_sys::Reflect::set(&reply, &"error".into(), &msg.into());
            }
        }
        if let Some(src) = me.source() {
            if let Ok(f) = js_sys::Reflect::get(&src, &"postMessage".into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
            {
                let _ = f.call2(&src, &reply, &"*".into());
            }
        }
    };
    match call(&name, &arg) {
        // `link` answers later: reply when it does.
        Ok(v) if v.is_instance_of::<js_sys::Promise>() => {
            type Post = Box<dyn FnOnce(Result<JsValue, JsValue>)>;
            let post: Rc<RefCell<Option<Post>>> = Rc::new(RefCell::new(Some(Box::new(post))));
            let post2 = post.clone();
            let answer = |p: &RefCell<Option<Post>>, r| {
                if let Some(f) = p.borrow_mut().take() {
                    f(r);
                }
            };
            dom::then(
                &v.unchecked_into(),
                move |v| answer(&post, Ok(v)),
                move |e| answer(&post2, Err(e)),
            );
        }
        r => post(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_named_once_and_documented() {
        let source: Vec<&str> = include_str!("api.rs").lines().collect();
        for (i, o) in API.iter().enumerate() {
            // rustfmt writes each row as `Op {` and then `name: "…",`.
            let name = format!("name: \"{}\",", o.name);
            let at = source.iter().position(|l| l.trim() == name);
            let above = at.and_then(|k| source.get(k.wrapping_sub(2)));
            assert!(
                above.is_some_and(|l| l.trim_start().starts_with("// ")),
                "{}: its row needs a comment saying what it does",
                o.name
            );
            assert!(API[..i].iter().all(|p| p.name != o.name), "{}", o.name);
            assert_eq!(op(o.name).map(|p| p.name), Some(o.name));
        }
        // A panic on purpose is for this page's own tests only.
        assert!(API
            .iter()
            .all(|o| o.post_message == (o.name != "debugPanic")));
        assert!(op("reply").is_none());
    }
}
