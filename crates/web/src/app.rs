//! The DOM layer around the [`Session`]: the canvases and their contexts,
//! the painter, the caches that keep the panels cheap, and telemetry. It
//! reads snapshots from the session and sends it intents; it holds no
//! state of the run itself.

use raft::NodeId;
use sim::Scenario;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

use crate::dom::{self, set_text, show};
use crate::draw::{self, Flash, Painter, Scene, TimelineMarks, Xf};
use crate::geom::{clamp, message_at, timeline_scale_us, Layout, Pt};
use crate::gestures::Gestures;
use crate::i18n::{t, tf, Lang};
use crate::page::{apply_i18n, close_dialogs, format_speed};
use crate::session::{Hit, Intent, Refusal, Session};

/// How often the side panels are rebuilt while playing, real ms.
const PANELS_EVERY_MS: f64 = 400.0;
/// At most this long after the run changes (real ms), the panels follow.
const PANELS_AFTER_CHANGE_MS: f64 = 100.0;
/// Frames kept for `frameStats()`.
pub const FRAME_SAMPLES_MAX: usize = 1200;

/// One frame's real time, whole and by phase, µs (integers: sorting them
/// for the percentiles shares the wasm's one integer sort).
#[derive(Clone, Copy, Debug, Default)]
pub struct FrameSample {
    /// The whole frame callback.
    pub total_us: u32,
    /// Simulate, snapshot (`View`), paint (canvas and timeline), panels.
    pub phase_us: [u32; 4],
}

/// The page: a session, and what it takes to show it.
pub struct App {
    /// The run and everything chosen about it.
    pub session: Session,
    /// UI language.
    pub lang: Lang,
    /// Compact embed view.
    pub embed: bool,
    /// Presentation mode (`present.rs`).
    pub present: bool,
    /// `?controls=lesson`: no free-play controls, canvas clicks included.
    pub lesson_controls: bool,
    /// The canvas is drawn at this zoom (presentation mode; else 1): the
    /// layout is in CSS px divided by it.
    pub zoom: f64,
    /// The last layout used, with the servers the user dragged where
    /// they were dropped (`pointer.rs`).
    pub layout: Layout,
    /// Where the user dropped servers: (server, its centre as a fraction
    /// of the layout's width and height), kept when the canvas is resized.
    /// View state only: never in the run or a link.
    pub(crate) placed: Vec<(NodeId, Pt)>,
    /// Dragging, pinch-zoom and pan on the canvas (`gestures.rs`).
    pub(crate) gestures: Gestures,
    /// Where each message was drawn.
    pub msg_pos: Vec<(u64, Pt)>,
    /// What the client was drawn doing (kept between frames: no allocation
    /// while no client is active).
    pub client_marks: Vec<crate::clients::ClientMark>,
    /// Where the last canvas click was (the message popup opens next to it).
    pub(crate) click_at: Pt,
    /// `X` was pressed with this server selected: the next server number
    /// cuts or restores the link between them (`canvas_keys`).
    pub(crate) link_from: Option<NodeId>,
    canvas: HtmlCanvasElement,
    ctx: Ctx,
    painter: Painter,
    /// The mark of what just happened.
    flash: Flash,
    timeline_marks: TimelineMarks,
    timeline: HtmlCanvasElement,
    tctx: Ctx,
    /// The canvas's (CSS width, CSS height, device pixel ratio).
    size: (f64, f64, f64),
    /// The timeline's (CSS width, CSS height, device pixel ratio).
    tl_size: (f64, f64, f64),
    /// What the side panels show, to rebuild only what changed.
    pub(crate) panels: crate::panels::PanelCache,
    /// Real time (ms) after which the side panels may be rebuilt while playing.
    panels_due_ms: f64,
    /// Real ms after which the rule panel may follow again while playing.
    rules_due_ms: f64,
    /// While playing, the slow panels follow one a frame: the next one's
    /// index in `panels::SLOW_PANELS` (`None`: none is waiting).
    slow_next: Option<usize>,
    /// The session revision the panels last followed.
    seen_revision: u64,
    /// The most recent frames, oldest first (at most `FRAME_SAMPLES_MAX`).
    pub frames: Vec<FrameSample>,
    /// performance.now() when the first frame was drawn.
    pub first_frame_ms: Option<f64>,
    /// The last share link made: (its `sim::link_text`, its code).
    pub(crate) link_cache: (String, String),
    /// The lesson claim under the pointer or the keyboard focus, as (step,
    /// claim index): the canvas marks what it checks (`Session::focus`).
    pub(crate) hovered_claim: Option<(usize, usize)>,
}

/// The 2D context of a canvas.
pub fn ctx2d(c: &HtmlCanvasElement) -> Option<Ctx> {
    c.get_context("2d").ok()??.dyn_into::<Ctx>().ok()
}

impl App {
    /// Builds the page around a session. `None` if the canvases are missing.
    pub fn new(session: Session, lang: Lang, embed: bool) -> Option<App> {
        let canvas: HtmlCanvasElement = dom::by_id("view")?;
        let timeline: HtmlCanvasElement = dom::by_id("timeline")?;
        let ctx = ctx2d(&canvas)?;
        let tctx = ctx2d(&timeline)?;
        let ids: Vec<NodeId> = session.view().nodes.iter().map(|n| n.id).collect();
        Some(App {
            session,
            lang,
            embed,
            present: false,
            lesson_controls: false,
            zoom: 1.0,
            layout: Layout::new(600.0, 400.0, &ids),
            placed: Vec::new(),
            gestures: Gestures::default(),
            msg_pos: Vec::new(),
            client_marks: Vec::new(),
            click_at: Pt { x: 0.0, y: 0.0 },
            link_from: None,
            canvas,
            ctx,
            painter: Painter::default(),
            flash: Flash::default(),
            timeline_marks: TimelineMarks::default(),
            timeline,
            tctx,
            size: (0.0, 0.0, 0.0),
            tl_size: (0.0, 0.0, 0.0),
            panels: crate::panels::PanelCache::new(lang),
            panels_due_ms: 0.0,
            rules_due_ms: 0.0,
            slow_next: None,
            seen_revision: 0,
            frames: Vec::new(),
            first_frame_ms: None,
            link_cache: (String::new(), String::new()),
            hovered_claim: None,
        })
    }

    // ----- intents -------------------------------------------------------

    /// Sends `intent` to the session, says a refusal in the banner, and
    /// brings the popups in line with the session. `true` if it was done.
    pub fn apply(&mut self, intent: Intent) -> bool {
        let opens = matches!(
            intent,
            Intent::Click(Hit::Node(_) | Hit::Message(_)) | Intent::OpenMenu(_)
        );
        let details = matches!(intent, Intent::Details(_));
        let answers = matches!(intent, Intent::LessonAnswer(_));
        let r = self.session.apply(intent);
        if let Err(why) = &r {
            self.refused(why);
        }
        if answers {
            // "Choose an answer first" has been heeded: it would stay over the verdict.
            let asked_first = t(self.lang, Refusal::AnswerFirst.message().0);
            let banner = dom::el("banner-text").and_then(|b| b.text_content());
            if banner.as_deref() == Some(asked_first) {
                show("banner", false);
            }
        }
        self.sync_popups(opens);
        if details {
            self.panels.forget_details();
            if let Some(p) = dom::el("details-panel") {
                p.scroll_into_view();
            }
        }
        r.is_ok()
    }

    /// Says in the banner why the session refused.
    pub fn refused(&self, why: &Refusal) {
        let text = match why.message() {
            (key, Some(arg)) => tf(self.lang, key, &[arg]),
            (key, None) => t(self.lang, key).to_string(),
        };
        self.banner(&text, true);
    }

    /// Starts `scenario` from time 0 (a refusal goes to the banner).
    pub fn restart_with(&mut self, scenario: Scenario) {
        let r = self.session.restart_with(scenario);
        if let Err(why) = &r {
            self.refused(why);
        }
        self.sync_popups(false);
    }

    /// The node menu, the message popup and the partition bar as the
    /// session has them; `opened`: the intent just opened one, so it is
    /// filled and placed.
    pub(crate) fn sync_popups(&mut self, opened: bool) {
        match self.session.menu_node() {
            Some(id) if opened => self.open_menu(id),
            Some(_) => {}
            None => show("node-menu", false),
        }
        match self.session.message() {
            Some(id) if opened => self.open_message(id, self.click_at),
            Some(_) => {}
            None => show("msg-popup", false),
        }
        let draft = self.session.draft();
        show("partition-bar", draft.is_some());
        if let Some(d) = draft {
            set_text("partition-groups", &d.line().replace('|', " | "));
        }
    }

    /// A click or tap on the canvas at `p` (CSS px).
    pub fn canvas_click(&mut self, p: Pt, slop: f64) {
        if self.lesson_controls {
            return;
        }
        self.click_at = p;
        let (p, slop) = (self.unzoom(p), slop / self.scale());
        let hit = if self.session.draft().is_some() {
            self.layout.node_at(p).map_or(Hit::Empty, Hit::Node)
        } else if let Some(id) = message_at(&self.msg_pos, p, slop) {
            Hit::Message(id)
        } else if let Some(id) = self.layout.node_at(p) {
            Hit::Node(id)
        } else if let Some((a, b)) = self.layout.link_at(p) {
            Hit::Link(a, b)
        } else {
            Hit::Empty
        };
        self.apply(Intent::Click(hit));
    }

    /// Whether something clickable is under `p` (the pointer's shape).
    pub fn hot(&self, p: Pt) -> bool {
        let p = self.unzoom(p);
        !self.lesson_controls
            && (self.layout.node_at(p).is_some()
                || message_at(&self.msg_pos, p, 12.0 / self.scale()).is_some()
                || self.layout.link_at(p).is_some())
    }

    /// A point in the canvas's CSS px in layout units: the pinch-zoom
    /// and pan undone, then the presentation zoom (the paint's mapping,
    /// backwards).
    pub(crate) fn unzoom(&self, p: Pt) -> Pt {
        let q = self.gestures.zoom.unshow(p);
        Pt {
            x: q.x / self.zoom,
            y: q.y / self.zoom,
        }
    }

    /// A point of the layout in the canvas's CSS px (the paint's mapping).
    pub(crate) fn to_css(&self, p: Pt) -> Pt {
        self.gestures.zoom.show(Pt {
            x: p.x * self.zoom,
            y: p.y * self.zoom,
        })
    }

    /// Canvas CSS px per layout px: presentation zoom times pinch-zoom.
    pub(crate) fn scale(&self) -> f64 {
        self.zoom * self.gestures.zoom.scale
    }

    /// A node-menu button (`data-act`) for the menu's node.
    pub fn menu_action(&mut self, data_act: &str) {
        let Some(id) = self.session.menu_target() else {
            return;
        };
        if let Some(intent) = crate::session::menu_intent(data_act, id) {
            self.apply(intent);
        }
        show("node-menu", false);
    }

    /// Sets the speed and shows it in the select.
    pub fn set_speed(&mut self, speed: f64) {
        let _ = self.session.apply(Intent::SetSpeed(speed));
        dom::set_value("speed", &format_speed(self.session.speed()));
    }

    // ----- the frame -----------------------------------------------------

    /// One animation frame at `ts_ms` (performance.now()): the session's
    /// time advances and the page follows. Returns the real time of each
    /// phase (see `FrameSample`), µs.
    pub fn frame(&mut self, ts_ms: f64) -> [u32; 4] {
        let hidden = dom::doc().is_some_and(|d| d.hidden());
        let clock = || {
            dom::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now())
        };
        let t0 = clock();
        self.session.frame(ts_ms, hidden);
        let t1 = clock();
        self.session.refresh_view();
        let t2 = clock();
        if self.session.take_new_violation() {
            self.banner(t(self.lang, "violation_paused"), true);
        }
        self.paint();
        self.paint_flash(ts_ms);
        self.paint_timeline();
        let t3 = clock();
        if self.session.revision() != self.seen_revision {
            // The run changed: the panels follow within a tenth of a second
            // even while playing (at once when they last followed longer
            // ago), not on every frame of a stream of actions (a script
            // acting fifty times a second).
            self.seen_revision = self.session.revision();
            self.panels_due_ms = self.panels_due_ms.min(ts_ms + PANELS_AFTER_CHANGE_MS);
        }
        // While playing, the DOM panels (log, details) are refreshed a few
        // times a second, and one of them a frame: rebuilding them all in
        // one frame costs more than the whole canvas, and such frames set
        // the 95th percentile. Paused, they all follow every change at once.
        let playing = self.session.playing();
        let slow = if !playing {
            self.slow_next = None;
            crate::panels::SlowPanels::All
        } else {
            if self.slow_next.is_none() && ts_ms >= self.panels_due_ms {
                self.panels_due_ms = ts_ms + PANELS_EVERY_MS;
                self.slow_next = Some(0);
            }
            self.slow_next.map_or(crate::panels::SlowPanels::None, |k| {
                let next = k + 1;
                self.slow_next = (next < crate::panels::SLOW_PANELS).then_some(next);
                crate::panels::SlowPanels::One(k)
            })
        };
        // The rule panel keeps its own pace: while playing it follows a few
        // times a second even when the run changes every frame (a stream of
        // requests), since lighting and scrolling to a rule makes the
        // browser lay the page out again; and not in a frame of the other
        // panels, so that no frame does both. Before the other panels write
        // to the page: the layout it reads is then still the one the
        // browser made for the last frame.
        let slow_idle = matches!(slow, crate::panels::SlowPanels::None);
        if !self.embed && (!playing || (ts_ms >= self.rules_due_ms && slow_idle)) {
            self.rules_due_ms = ts_ms + PANELS_EVERY_MS;
            crate::rules_ui::follow(self);
        }
        self.update_panels(slow);
        let t4 = clock();
        [t1 - t0, t2 - t1, t3 - t2, t4 - t3].map(|ms| (ms * 1000.0) as u32)
    }

    fn resize(canvas: &HtmlCanvasElement, ctx: &Ctx, size: &mut (f64, f64, f64)) -> (f64, f64) {
        let dpr = clamp(
            dom::window().map_or(1.0, |w| w.device_pixel_ratio()),
            1.0,
            4.0,
        );
        let (w, h) = (
            canvas.client_width().max(1) as f64,
            canvas.client_height().max(1) as f64,
        );
        if (w, h, dpr) != *size {
            *size = (w, h, dpr);
            canvas.set_width((w * dpr).round() as u32);
            canvas.set_height((h * dpr).round() as u32);
        }
        // Drawing in CSS px on a device-px backing store: crisp on high DPI.
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        (w, h)
    }

    fn paint(&mut self) {
        let (w, h) = Self::resize(&self.canvas, &self.ctx, &mut self.size);
        let z = if self.present {
            crate::present::canvas_zoom(w, h)
        } else {
            1.0
        };
        self.zoom = z;
        // The canvas may have been resized under a zoom.
        let g = self.gestures.zoom.fit(w, h);
        self.gestures.zoom = g;
        let dpr = self.size.2;
        let xf = Xf {
            scale: dpr * z * g.scale,
            x: dpr * g.x,
            y: dpr * g.y,
        };
        xf.set(&self.ctx);
        let (w, h) = (w / z, h / z);
        let view = self.session.view();
        let ids: Vec<NodeId> = view.nodes.iter().map(|n| n.id).collect();
        if self.layout.width != w || self.layout.height != h || self.layout.ids != ids {
            self.layout = Layout::new(w, h, &ids);
            for &(id, f) in &self.placed {
                self.layout.place(
                    id,
                    Pt {
                        x: f.x * w,
                        y: f.y * h,
                    },
                );
            }
        }
        let now = view.now_us;
        self.msg_pos = view
            .messages
            .iter()
            .filter_map(|m| {
                self.layout
                    .message_pos(m.from, m.to, m.sent_us, m.deliver_us, now)
                    .map(|p| (m.id, p))
            })
            .collect();
        let timing = crate::clients::ClientTiming::of(&view.settings);
        crate::clients::collect(
            &mut self.client_marks,
            self.session.sim(),
            view.leader,
            timing,
        );
        let (hl, hle) = highlights(view);
        let focus = self.session.focus(self.hovered_claim);
        let scene = Scene {
            view,
            layout: &self.layout,
            lang: self.lang,
            selected: self.session.selected(),
            pending_groups: self.session.draft().map(|d| d.groups()),
            highlight: &hl,
            highlight_entries: &hle,
            messages: &self.msg_pos,
            selected_message: self.session.message(),
            clients: &self.client_marks,
            xf,
            // As `resize` sized the backing store.
            px: (
                (self.size.0 * self.size.2).round() as u32,
                (self.size.1 * self.size.2).round() as u32,
            ),
            hud: dpr * z,
            focus: &focus,
            names: self.session.server_names(),
        };
        draw::paint(&self.ctx, &scene, &mut self.painter);
        if self.first_frame_ms.is_none() {
            self.first_frame_ms = dom::window().and_then(|w| w.performance()).map(|p| p.now());
        }
    }

    /// Rings what the last Step, Next or action concerned, for a moment
    /// of real time once it is final (Next's, when its play stops).
    fn paint_flash(&mut self, ts_ms: f64) {
        let s = &self.session;
        let key = s
            .happened()
            .filter(|_| s.happened_settled())
            .map(|(from, to)| {
                // `follow` indexes the kept window, `happened` is global.
                let base = s.sim().trace_base();
                (
                    s.generation(),
                    from.saturating_sub(base),
                    to.saturating_sub(base),
                )
            });
        self.flash
            .follow(key, s.sim().trace(), ts_ms, dom::reduced_motion);
        self.flash
            .paint(&self.ctx, &self.layout, &self.msg_pos, ts_ms);
    }

    fn paint_timeline(&mut self) {
        let (w, h) = Self::resize(&self.timeline, &self.tctx, &mut self.tl_size);
        let scale_us = timeline_scale_us(self.session.horizon_us());
        let now_us = self.session.sim().now_us();
        draw::paint_timeline(
            &self.tctx,
            &mut self.timeline_marks,
            (w, h, self.tl_size.2),
            scale_us,
            now_us,
            self.session.markers().list(),
        );
    }

    /// Time under an x position of the timeline (CSS px).
    pub fn timeline_time(&self, x: f64) -> u64 {
        let pad = draw::TIMELINE_PAD;
        let w = self.tl_size.0.max(20.0);
        let f = clamp((x - pad) / (w - 2.0 * pad), 0.0, 1.0);
        (f * timeline_scale_us(self.session.horizon_us()) as f64) as u64
    }

    /// The canvas element (for `state()`'s client coordinates and the PNG).
    pub fn canvas(&self) -> &HtmlCanvasElement {
        &self.canvas
    }

    // ----- messages and language -----------------------------------------

    /// Shows a message at the top; errors stay, notices fade.
    pub fn banner(&self, text: &str, error: bool) {
        set_text("banner-text", text);
        if let Some(b) = dom::el("banner") {
            b.set_class_name(if error { "banner error" } else { "banner" });
            b.set_hidden(false);
        }
        if !error {
            let text = text.to_string();
            dom::after(2500, move || {
                if dom::el("banner-text")
                    .and_then(|e| e.text_content())
                    .as_deref()
                    == Some(text.as_str())
                {
                    show("banner", false);
                }
            });
        }
    }

    /// Switches language: static text, generated text, the `<html lang>`.
    pub fn set_lang(&mut self, lang: Lang) {
        if lang == Lang::Zh && !crate::i18n::zh_loaded() {
            // Chinese text is fetched (see `start::fetch_zh`); switch once
            // it is here.
            crate::start::fetch_zh(|loaded| {
                crate::with_app(|a| match loaded {
                    Ok(()) => a.set_lang(Lang::Zh),
                    Err(why) => a.banner(&tf(Lang::En, "zh_failed", &[&why]), true),
                });
            });
            return;
        }
        self.lang = lang;
        apply_i18n(lang);
        dom::set_value("lang", lang.short());
        self.panels.forget_language();
        crate::page::fill_legend(lang);
        crate::page::fill_help(lang);
        self.fill_confirm_text();
        self.session.lesson_forget_claims();
        crate::lessons_ui::set_lang(lang);
    }

    /// Escape: close popups, dialogs and partition mode.
    pub fn escape(&mut self) {
        self.apply(Intent::Escape);
        close_dialogs();
    }

    /// The PNG of the canvas.
    pub fn png_url(&self) -> Option<String> {
        self.canvas.to_data_url().ok()
    }
}

/// The nodes and (node, index) entries a violation involves, to highlight.
fn highlights(view: &sim::View) -> (Vec<NodeId>, Vec<(NodeId, u64)>) {
    let mut nodes = Vec::new();
    let mut entries = Vec::new();
    for v in &view.violations {
        for &n in &v.nodes {
            if !nodes.contains(&n) {
                nodes.push(n);
            }
            if v.index > 0 {
                entries.push((n, v.index));
            }
        }
    }
    (nodes, entries)
}
