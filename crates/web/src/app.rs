//! The running app: one simulator, the playback clock, what the user has
//! selected, and the DOM panels. Every change to the run goes through a
//! scenario-language line (`Sim::act_line`), so whatever the user does is
//! recorded in the scenario and therefore in the share link.

use std::collections::BTreeMap;

use raft::{NodeId, Role};
use sim::{trace_hash, Scenario, Sim, SimOptions, View};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

use crate::dom::{self, esc, set_html, set_text, show};
use crate::draw::{self, Painter, Scene, TimelineMarks};
use crate::eventlog::{self, format_time, kind, list, marker, role_name, Marker};
use crate::geom::{clamp, message_at, timeline_scale_us, Layout, Pt};
use crate::i18n::{t, tf, Lang, TABLE};
use crate::params::{clamp_speed, percent_encode, step_speed, SPEEDS, SPEED_LABELS};
use crate::style::MsgKind;

/// Longest step of virtual time per animation frame, in real ms: after a
/// stall (a background tab, a breakpoint) the run does not leap ahead.
const FRAME_DT_MS_MAX: f64 = 100.0;
/// How often the side panels are rebuilt while playing, real ms.
const PANELS_EVERY_MS: f64 = 400.0;
/// Entries shown in the event log (the newest).
const LOG_ROWS_MAX: usize = 120;
/// Frame durations kept for `frameStats()`.
pub const FRAME_SAMPLES_MAX: usize = 1200;
/// Farthest a seek may go, µs of virtual time (a limit on work per click).
pub const SEEK_US_MAX: u64 = 3_600_000_000;
/// Node ids go up to this (the simulator's limit).
const NODE_ID_MAX: NodeId = 16;

/// Teaching switches: (scenario name, checkbox id, i18n key).
pub const UNSAFE: [(&str, &str, &str); 4] = [
    (
        "commit-old-terms",
        "sw-commit-old-terms",
        "u_commit_old_terms",
    ),
    (
        "vote-without-log-check",
        "sw-vote-without-log-check",
        "u_vote_without_log_check",
    ),
    (
        "forget-vote-on-restart",
        "sw-forget-vote-on-restart",
        "u_forget_vote_on_restart",
    ),
    ("direct-change", "sw-direct-change", "u_direct_change"),
];

/// Keyboard shortcuts for the help overlay: (keys, i18n key).
pub const SHORTCUTS: [(&str, &str); 14] = [
    ("Space", "k_space"),
    ("S  .", "k_step"),
    ("-  +", "k_speed"),
    ("←  →", "k_seek"),
    ("1 … 9", "k_select"),
    ("Enter  M", "k_menu"),
    ("C", "k_crash"),
    ("T", "k_timeout"),
    ("Q", "k_request"),
    ("P  H", "k_partition"),
    ("R  N", "k_reset"),
    ("L", "k_link"),
    ("?", "k_help"),
    ("Esc", "k_escape"),
];

/// The app state. Lives in a thread-local (see `lib.rs`).
pub struct App {
    /// The simulator.
    pub sim: Sim,
    /// What `reset` returns to.
    pub base: Scenario,
    /// Playing or paused.
    pub playing: bool,
    /// Play stops exactly at this moment (a lesson's Next), never past it.
    pub pause_at_us: Option<u64>,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Virtual time target in µs (fractional, so slow speeds still advance).
    vt_us: f64,
    last_ts: Option<f64>,
    /// UI language.
    pub lang: Lang,
    /// Compact embed view.
    pub embed: bool,
    selected: Option<NodeId>,
    menu_node: Option<NodeId>,
    popup_msg: Option<u64>,
    /// Partition mode: the group chosen for each node.
    pending: Option<Vec<(NodeId, u8)>>,
    /// The last snapshot drawn.
    pub view: View,
    /// The last layout used.
    pub layout: Layout,
    /// Where each message was drawn.
    pub msg_pos: Vec<(u64, Pt)>,
    canvas: HtmlCanvasElement,
    ctx: Ctx,
    painter: Painter,
    timeline_marks: TimelineMarks,
    timeline: HtmlCanvasElement,
    tctx: Ctx,
    size: (f64, f64, f64),
    tl_size: (f64, f64, f64),
    markers: Vec<(u64, Marker)>,
    scanned: usize,
    /// The highest index any node has committed (0: none). Each node
    /// commits indexes in order and a snapshot only holds committed ones,
    /// so a commit above it is the first commit of that index.
    committed_max: u64,
    /// Bumped whenever the recorded past changes (a fork, a new run): the
    /// event log then starts over instead of growing.
    generation: u64,
    /// The event log shows trace[..log_key.0] with (filter, search,
    /// generation, language) = the rest of the key.
    log_key: (usize, String, String, u64, Lang),
    /// Rows in the event log's list (at most LOG_ROWS_MAX).
    log_rows: usize,
    details_key: Option<(sim::view::NodeView, Lang, u64)>,
    safety_key: (usize, Lang),
    seen_violations: usize,
    requests: u64,
    /// The unsafe switch waiting for confirmation.
    confirm: Option<usize>,
    /// Real-time duration of recent frames, µs (integers: sorting them for
    /// the percentiles shares the wasm's one integer sort).
    pub frame_us: Vec<u32>,
    /// performance.now() when the first frame was drawn.
    pub first_frame_ms: Option<f64>,
    dragging: bool,
    /// Total real ms spent per frame phase: simulate, snapshot, paint, panels.
    pub phase_ms: [f64; 4],
    /// Real time (ms) after which the side panels may be rebuilt while playing.
    panels_due_ms: f64,
    /// The last share link made: (its `sim::link_text`, its code).
    link_cache: (String, String),
}

fn ctx2d(c: &HtmlCanvasElement) -> Option<Ctx> {
    c.get_context("2d").ok()??.dyn_into::<Ctx>().ok()
}

impl App {
    /// Builds the app around a simulator. `None` if the canvases are missing.
    pub fn new(
        sim: Sim,
        base: Scenario,
        lang: Lang,
        embed: bool,
        playing: bool,
        speed: f64,
    ) -> Option<App> {
        let canvas: HtmlCanvasElement = dom::by_id("view")?;
        let timeline: HtmlCanvasElement = dom::by_id("timeline")?;
        let ctx = ctx2d(&canvas)?;
        let tctx = ctx2d(&timeline)?;
        let view = sim.view();
        let ids: Vec<NodeId> = view.nodes.iter().map(|n| n.id).collect();
        let vt_us = sim.now_us() as f64;
        Some(App {
            sim,
            base,
            playing,
            pause_at_us: None,
            speed: clamp_speed(speed),
            vt_us,
            last_ts: None,
            lang,
            embed,
            selected: None,
            menu_node: None,
            popup_msg: None,
            pending: None,
            layout: Layout::new(600.0, 400.0, &ids),
            view,
            msg_pos: Vec::new(),
            canvas,
            ctx,
            painter: Painter::default(),
            timeline_marks: TimelineMarks::default(),
            timeline,
            tctx,
            size: (0.0, 0.0, 0.0),
            tl_size: (0.0, 0.0, 0.0),
            markers: Vec::new(),
            scanned: 0,
            committed_max: 0,
            generation: 0,
            log_key: (usize::MAX, String::new(), String::new(), u64::MAX, lang),
            details_key: None,
            safety_key: (usize::MAX, lang),
            log_rows: 0,
            seen_violations: 0,
            requests: 0,
            confirm: None,
            frame_us: Vec::new(),
            first_frame_ms: None,
            dragging: false,
            link_cache: (String::new(), String::new()),
            panels_due_ms: 0.0,
            phase_ms: [0.0; 4],
        })
    }

    // ----- the run -------------------------------------------------------

    /// Something other than time passing changed the run. `forked`: the
    /// known future was dropped, so markers are recomputed from scratch.
    fn changed(&mut self, forked: bool) {
        self.vt_us = self.sim.now_us() as f64;
        self.panels_due_ms = 0.0;
        if forked {
            self.generation += 1;
            self.markers.clear();
            self.scanned = 0;
            self.committed_max = 0;
        }
        self.seen_violations = self.seen_violations.min(self.sim.violations().len());
    }

    /// Runs one line of the scenario language now (a fork if in the past).
    pub fn act(&mut self, line: &str) -> Result<(), String> {
        let in_past = self.sim.horizon_us() > self.sim.now_us();
        self.sim.act_line(line).map_err(|e| e.to_string())?;
        self.changed(in_past);
        self.refresh_view();
        Ok(())
    }

    /// Acts, and shows a failure in the banner.
    fn act_ui(&mut self, line: &str) {
        if let Err(e) = self.act(line) {
            self.banner(&tf(self.lang, "action_failed", &[&e]), true);
        }
    }

    /// Travels to `t_us`.
    pub fn seek(&mut self, t_us: u64) {
        self.pause_at_us = None;
        self.sim.seek(t_us.min(SEEK_US_MAX));
        self.vt_us = self.sim.now_us() as f64;
        self.seen_violations = self.seen_violations.min(self.sim.violations().len());
        self.refresh_view();
    }

    /// Runs exactly one event and pauses.
    pub fn step(&mut self) {
        self.playing = false;
        let _ = self.sim.step();
        self.vt_us = self.sim.now_us() as f64;
        self.refresh_view();
    }

    /// Starts `scenario` from time 0.
    pub fn restart_with(&mut self, scenario: Scenario) {
        match Sim::with_options(scenario.clone(), SimOptions::default()) {
            Ok(sim) => {
                self.sim = sim;
                self.base = scenario;
                self.selected = None;
                self.close_popups();
                self.seen_violations = 0;
                self.changed(true);
                self.refresh_view();
            }
            Err(e) => self.banner(&tf(self.lang, "action_failed", &[&e.to_string()]), true),
        }
    }

    /// Plays or pauses.
    pub fn set_playing(&mut self, on: bool) {
        self.playing = on;
        self.last_ts = None;
        self.pause_at_us = None;
    }

    /// The share link (whole URL) for this run at this moment, to `done`.
    /// The browser compresses it asynchronously (`dom::deflate_raw`); the
    /// last link is kept, so asking again for the same run and moment
    /// answers at once.
    pub fn link_then(&mut self, done: impl FnOnce(&mut App, Result<String, String>) + 'static) {
        if !dom::compression_streams() {
            let why = t(self.lang, "no_streams").to_string();
            done(self, Err(why));
            return;
        }
        let text = sim::link_text(self.sim.scenario(), self.sim.now_us());
        if self.link_cache.0 == text && !self.link_cache.1.is_empty() {
            let url = page_link(&self.link_cache.1);
            done(self, Ok(url));
            return;
        }
        dom::deflate_raw(text.clone().into_bytes(), move |r| {
            let code = r.map(|packed| sim::link_from_payload(&packed));
            crate::with_app(|a| {
                if let Ok(code) = &code {
                    a.link_cache = (text, code.clone());
                }
                done(a, code.map(|c| page_link(&c)));
            });
        });
    }

    /// The run at this moment as an uncompressed URL, made at once: for
    /// "open in Raftlab" from an embed.
    pub fn plain_link(&self) -> String {
        let href = dom::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        plain_url(&href, self.sim.scenario(), self.sim.now_us())
    }

    /// The trace hash of everything up to now (16 hex digits).
    pub fn trace_hash(&self) -> String {
        let n = self.sim.trace_len_now();
        format!(
            "{:016x}",
            trace_hash(&self.sim.trace()[..n.min(self.sim.trace().len())])
        )
    }

    fn refresh_view(&mut self) {
        self.view = self.sim.view();
    }

    // ----- the frame -----------------------------------------------------

    /// One animation frame at `ts_ms` (performance.now()).
    pub fn frame(&mut self, ts_ms: f64) {
        let hidden = dom::doc().is_some_and(|d| d.hidden());
        let dt = match self.last_ts {
            Some(prev) if !hidden => clamp(ts_ms - prev, 0.0, FRAME_DT_MS_MAX),
            _ => 0.0,
        };
        self.last_ts = if hidden { None } else { Some(ts_ms) };
        let clock = || {
            dom::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now())
        };
        let t0 = clock();
        if self.playing && !self.dragging && dt > 0.0 {
            self.vt_us += dt * 1000.0 * self.speed;
            let mut target = (self.vt_us as u64).min(SEEK_US_MAX);
            if let Some(stop) = self.pause_at_us.filter(|&stop| target >= stop) {
                target = stop;
                self.vt_us = stop as f64;
                self.set_playing(false);
            }
            if target > self.sim.now_us() {
                self.sim.run_until(target);
            }
        }
        let t1 = clock();
        self.refresh_view();
        let t2 = clock();
        let violations = self.view.violations.len();
        if violations > self.seen_violations {
            self.seen_violations = violations;
            self.playing = false;
            self.banner(t(self.lang, "violation_paused"), true);
        }
        self.paint();
        self.paint_timeline();
        let t3 = clock();
        // While playing, the DOM panels (log, details) are refreshed four
        // times a second: rebuilding them every frame costs more than the
        // whole canvas. Paused, they follow every change at once.
        let panels = !self.playing || ts_ms >= self.panels_due_ms;
        if panels {
            self.panels_due_ms = ts_ms + PANELS_EVERY_MS;
        }
        self.update_panels(panels);
        let t4 = clock();
        for (k, d) in [t1 - t0, t2 - t1, t3 - t2, t4 - t3].into_iter().enumerate() {
            self.phase_ms[k] += d;
        }
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
        let ids: Vec<NodeId> = self.view.nodes.iter().map(|n| n.id).collect();
        if self.layout.width != w || self.layout.height != h || self.layout.ids != ids {
            self.layout = Layout::new(w, h, &ids);
        }
        let now = self.view.now_us;
        self.msg_pos = self
            .view
            .messages
            .iter()
            .filter_map(|m| {
                self.layout
                    .message_pos(m.from, m.to, m.sent_us, m.deliver_us, now)
                    .map(|p| (m.id, p))
            })
            .collect();
        let (hl, hle) = self.highlights();
        let scene = Scene {
            view: &self.view,
            layout: &self.layout,
            lang: self.lang,
            selected: self.selected,
            pending_groups: self.pending.as_deref(),
            highlight: &hl,
            highlight_entries: &hle,
            messages: &self.msg_pos,
            selected_message: self.popup_msg,
            dpr: self.size.2,
        };
        draw::paint(&self.ctx, &scene, &mut self.painter);
        if self.first_frame_ms.is_none() {
            self.first_frame_ms = dom::window().and_then(|w| w.performance()).map(|p| p.now());
        }
    }

    fn highlights(&self) -> (Vec<NodeId>, Vec<(NodeId, u64)>) {
        let mut nodes = Vec::new();
        let mut entries = Vec::new();
        for v in &self.view.violations {
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

    /// Scans new trace events for timeline markers.
    fn scan_markers(&mut self) {
        let trace = self.sim.trace();
        if trace.len() < self.scanned {
            self.markers.clear();
            self.committed_max = 0;
            self.scanned = 0;
        }
        for e in &trace[self.scanned..] {
            let first_commit = match &e.ev {
                sim::Ev::Commit { index, .. } => {
                    let first = *index > self.committed_max;
                    self.committed_max = self.committed_max.max(*index);
                    first
                }
                _ => false,
            };
            if let Some(m) = marker(&e.ev, first_commit) {
                self.markers.push((e.t, m));
            }
        }
        self.scanned = trace.len();
    }

    /// The scrubber's time range: the whole known run, at least 10 s.
    pub fn horizon_us(&self) -> u64 {
        self.sim.horizon_us().max(self.sim.now_us()).max(10_000_000)
    }

    fn paint_timeline(&mut self) {
        self.scan_markers();
        let (w, h) = Self::resize(&self.timeline, &self.tctx, &mut self.tl_size);
        let (scale_us, now_us) = (timeline_scale_us(self.horizon_us()), self.sim.now_us());
        draw::paint_timeline(
            &self.tctx,
            &mut self.timeline_marks,
            (w, h, self.tl_size.2),
            scale_us,
            now_us,
            &self.markers,
        );
    }

    /// Time under an x position of the timeline (CSS px).
    pub fn timeline_time(&self, x: f64) -> u64 {
        let pad = draw::TIMELINE_PAD;
        let w = self.tl_size.0.max(20.0);
        let f = clamp((x - pad) / (w - 2.0 * pad), 0.0, 1.0);
        (f * timeline_scale_us(self.horizon_us()) as f64) as u64
    }

    /// Whether the timeline is being dragged.
    pub fn is_dragging(&self) -> bool {
        self.dragging
    }

    /// Starts or stops a timeline drag.
    pub fn set_dragging(&mut self, on: bool) {
        self.dragging = on;
        if on {
            self.playing = false;
        }
    }

    // ----- panels --------------------------------------------------------

    fn update_panels(&mut self, slow_too: bool) {
        let lang = self.lang;
        let now = self.sim.now_us();
        let mut clock = format!("{} / {}", format_time(now), format_time(self.horizon_us()));
        if !self.playing {
            clock.push_str(&format!(" · {}", t(lang, "paused")));
        }
        if self.sim.horizon_us() > now + 1 {
            clock.push_str(&format!(" · {}", t(lang, "in_past")));
        }
        set_text("clock", &clock);
        set_text(
            "play-label",
            t(lang, if self.playing { "pause" } else { "play" }),
        );
        if let Some(b) = dom::el("btn-play") {
            let pressed = if self.playing { "true" } else { "false" };
            // Written only on a change: a write every frame is a DOM mutation.
            if b.get_attribute("aria-pressed").as_deref() != Some(pressed) {
                let _ = b.set_attribute("aria-pressed", pressed);
            }
        }
        if self.embed || !slow_too {
            return;
        }
        self.update_log();
        self.update_details();
        self.update_safety();
    }

    /// The event log, newest first. While time runs forward only the new
    /// events are rendered and prepended (and the oldest rows dropped): under
    /// client load a full rebuild of the list is the most expensive thing a
    /// frame could do. A new filter, a new language, a seek back or a fork
    /// rebuild it.
    fn update_log(&mut self) {
        let filter = dom::value("log-kind");
        let search = dom::value("log-search").to_ascii_lowercase();
        let n = self.sim.trace_len_now().min(self.sim.trace().len());
        let same = (
            &self.log_key.1,
            &self.log_key.2,
            self.log_key.3,
            self.log_key.4,
        ) == (&filter, &search, self.generation, self.lang);
        let from = if same && n >= self.log_key.0 {
            self.log_key.0
        } else {
            0
        };
        if same && from == n {
            return;
        }
        let trace = &self.sim.trace()[from..n];
        // "became leader in term 2" is said better by the Leader event that follows.
        let shown = |e: &sim::TraceEvent| {
            kind(&e.ev).matches(if filter.is_empty() { "all" } else { &filter })
                && !matches!(
                    e.ev,
                    sim::Ev::Role {
                        role: Role::Leader,
                        ..
                    }
                )
        };
        let mut html = String::new();
        let mut rows = 0;
        for e in trace.iter().rev() {
            if rows >= LOG_ROWS_MAX {
                break;
            }
            if !shown(e) {
                continue;
            }
            let sentence = eventlog::describe(self.lang, &e.ev);
            if !search.is_empty() && !sentence.to_ascii_lowercase().contains(&search) {
                continue;
            }
            let cls = match kind(&e.ev) {
                eventlog::Kind::Violation => "ev-violation",
                eventlog::Kind::Fault => "ev-fault",
                eventlog::Kind::Election => "ev-election",
                eventlog::Kind::Client => "ev-client",
                _ => "ev",
            };
            let strong = matches!(e.ev, sim::Ev::Leader { .. }) || cls == "ev-violation";
            html.push_str(&format!(
                "<li class=\"{cls}{}\" data-t=\"{}\" tabindex=\"0\"><time>{}</time> {}</li>",
                if strong { " strong" } else { "" },
                e.t,
                format_time(e.t),
                esc(&sentence)
            ));
            rows += 1;
        }
        self.log_key = (n, filter, search, self.generation, self.lang);
        let Some(list) = dom::el("event-log") else {
            return;
        };
        if from == 0 || rows >= LOG_ROWS_MAX {
            // Set without comparing: reading innerHTML back would serialize the list.
            list.set_inner_html(&html);
            self.log_rows = rows;
        } else if rows > 0 {
            let _ = list.insert_adjacent_html("afterbegin", &html);
            self.log_rows += rows;
            while self.log_rows > LOG_ROWS_MAX {
                match list.last_element_child() {
                    Some(last) => last.remove(),
                    None => break,
                }
                self.log_rows -= 1;
            }
        }
    }

    fn update_details(&mut self) {
        let Some(id) = self.selected else {
            if self.details_key.is_some() {
                self.details_key = None;
                set_html(
                    "details",
                    &format!(
                        "<p class=\"hint\">{}</p>",
                        esc(t(self.lang, "details_hint"))
                    ),
                );
            }
            return;
        };
        let Some(n) = self.view.nodes.iter().find(|n| n.id == id).cloned() else {
            return;
        };
        let key = Some((n.clone(), self.lang, self.view.now_us / 50_000));
        if self.details_key.as_ref().map(|k| (&k.0, k.1)) == key.as_ref().map(|k| (&k.0, k.1)) {
            return;
        }
        self.details_key = key;
        let lang = self.lang;
        let none = t(lang, "none");
        let opt = |v: Option<NodeId>| v.map_or(none.to_string(), |v| v.to_string());
        let mut h = format!(
            "<h3>S{} · {}</h3><dl class=\"kv\">",
            n.id,
            esc(role_name(lang, n.role))
        );
        let mut row = |k: &str, v: String| {
            h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(t(lang, k)), esc(&v)))
        };
        row("term", n.term.to_string());
        row("voted_for", opt(n.voted_for));
        if matches!(n.role, Some(Role::Candidate) | Some(Role::PreCandidate)) {
            row("votes", list(lang, &n.votes_received));
        }
        row("leader_hint", opt(n.leader_hint));
        row("commit_index", n.commit_index.to_string());
        row("last_applied", n.last_applied.to_string());
        row("membership_role", n.membership_role.to_string());
        row("voters", list(lang, &n.voters));
        if !n.outgoing.is_empty() {
            row("old_voters", list(lang, &n.outgoing));
        }
        if !n.learners.is_empty() {
            row("learners", list(lang, &n.learners));
        }
        if n.snapshot_index > 0 {
            row(
                "snapshot",
                format!("≤ {} (term {})", n.snapshot_index, n.snapshot_term),
            );
        }
        if n.up && n.role != Some(Role::Leader) && n.election_deadline_us > 0 {
            row("election_timer", format_time(n.election_deadline_us));
        }
        let kv =
            n.kv.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
        row("kv", if kv.is_empty() { none.to_string() } else { kv });
        h.push_str("</dl>");
        if !n.progress.is_empty() {
            h.push_str(&format!(
                "<h4>{}</h4><table class=\"mono\"><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                esc(t(lang, "progress")),
                esc(t(lang, "node")),
                esc(t(lang, "next_index")),
                esc(t(lang, "match_index"))
            ));
            for p in &n.progress {
                h.push_str(&format!(
                    "<tr><td>S{}</td><td>{}</td><td>{}</td></tr>",
                    p.id, p.next_index, p.match_index
                ));
            }
            h.push_str("</table>");
        }
        h.push_str(&format!(
            "<h4>{}</h4><ol class=\"entries mono\">",
            esc(t(lang, "log"))
        ));
        for e in n.log.iter().rev().take(100) {
            let c = if e.index <= n.commit_index {
                "committed"
            } else {
                "uncommitted"
            };
            h.push_str(&format!(
                "<li class=\"{c}\"><b>{}</b> {} {} · {}</li>",
                e.index,
                esc(t(lang, "term")),
                e.term,
                esc(if e.cmd.is_empty() { e.kind } else { &e.cmd })
            ));
        }
        h.push_str("</ol>");
        set_html("details", &h);
    }

    fn update_safety(&mut self) {
        let key = (self.view.violations.len(), self.lang);
        if key == self.safety_key {
            return;
        }
        self.safety_key = key;
        let mut h = String::new();
        for p in sim::Property::ALL {
            let name = eventlog::property_name(p);
            let bad: Vec<&sim::Violation> = self
                .view
                .violations
                .iter()
                .filter(|v| v.property == p)
                .collect();
            let label = t(self.lang, &format!("p_{name}"));
            if bad.is_empty() {
                h.push_str(&format!(
                    "<li class=\"ok\" data-property=\"{name}\"><span class=\"dot\" aria-hidden=\"true\">✓</span> {} <em>{}</em></li>",
                    esc(label),
                    esc(t(self.lang, "ok"))
                ));
            } else {
                let v = bad[0];
                h.push_str(&format!(
                    "<li class=\"bad\" data-property=\"{name}\" data-t=\"\"><span class=\"dot\" aria-hidden=\"true\">✗</span> {} <em>{}</em><br><small>{} — {} {}</small></li>",
                    esc(label),
                    esc(t(self.lang, "violated")),
                    esc(&v.detail),
                    esc(t(self.lang, "node")),
                    esc(&list(self.lang, &v.nodes))
                ));
            }
        }
        set_html("safety-list", &h);
    }

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

    // ----- language ------------------------------------------------------

    /// Switches language: static text, generated text, the `<html lang>`.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        apply_i18n(lang);
        dom::set_value("lang", lang.short());
        self.safety_key.0 = usize::MAX;
        self.details_key = None;
        self.fill_legend();
        self.fill_help();
        self.fill_confirm_text();
        crate::lessons_ui::set_lang(lang);
    }

    /// The legend: the same shapes as on the canvas.
    pub fn fill_legend(&self) {
        let mut h = String::new();
        for (i, k) in MsgKind::ALL.iter().enumerate() {
            h.push_str(&format!("<li><canvas class=\"icon\" data-kind=\"{i}\" width=\"36\" height=\"36\"></canvas>{}</li>", esc(t(self.lang, k.style().legend))));
        }
        h.push_str(&format!(
            "<li><span class=\"swatch committed\"></span>{}</li>",
            esc(t(self.lang, "legend_committed"))
        ));
        h.push_str(&format!(
            "<li><span class=\"swatch uncommitted\"></span>{}</li>",
            esc(t(self.lang, "legend_uncommitted"))
        ));
        set_html("legend", &h);
        let Some(d) = dom::doc() else { return };
        let Ok(list) = d.query_selector_all("#legend canvas.icon") else {
            return;
        };
        for (i, k) in MsgKind::ALL.iter().enumerate() {
            let Some(c) = list
                .get(i as u32)
                .and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok())
            else {
                continue;
            };
            if let Some(ctx) = ctx2d(&c) {
                let _ = ctx.set_transform(2.0, 0.0, 0.0, 2.0, 0.0, 0.0);
                draw::msg_shape(&ctx, &k.style(), Pt { x: 9.0, y: 9.0 }, 0.95);
            }
        }
    }

    fn fill_help(&self) {
        let mut h = String::new();
        for (keys, k) in SHORTCUTS {
            let keys = keys
                .split("  ")
                .map(|k| format!("<kbd>{}</kbd>", esc(k)))
                .collect::<Vec<_>>()
                .join(" ");
            h.push_str(&format!(
                "<tr><td>{keys}</td><td>{}</td></tr>",
                esc(t(self.lang, k))
            ));
        }
        set_html("help-keys", &h);
    }

    fn fill_confirm_text(&self) {
        if let Some(i) = self.confirm {
            set_text(
                "confirm-text",
                &tf(self.lang, "confirm_text", &[t(self.lang, UNSAFE[i].2)]),
            );
        }
    }

    // ----- interactions --------------------------------------------------

    fn close_popups(&mut self) {
        self.menu_node = None;
        self.popup_msg = None;
        show("node-menu", false);
        show("msg-popup", false);
    }

    /// A click or tap on the canvas at `p` (CSS px).
    pub fn canvas_click(&mut self, p: Pt, slop: f64) {
        if let Some(pending) = self.pending.as_mut() {
            if let Some(id) = self.layout.node_at(p) {
                if let Some((_, g)) = pending.iter_mut().find(|(i, _)| *i == id) {
                    *g = (*g + 1) % 3;
                }
                self.show_pending();
            }
            return;
        }
        if let Some(id) = message_at(&self.msg_pos, p, slop) {
            self.open_message(id, p);
            return;
        }
        if let Some(id) = self.layout.node_at(p) {
            self.open_menu(id);
            return;
        }
        if let Some((a, b)) = self.layout.link_at(p) {
            self.close_popups();
            let cut = self
                .view
                .network
                .cuts
                .iter()
                .any(|c| (c[0] == a && c[1] == b) || (c[0] == b && c[1] == a));
            if cut {
                self.act_ui(&format!("restore {a} {b}"));
                self.act_ui(&format!("restore {b} {a}"));
            } else {
                self.act_ui(&format!("cut {a} {b}"));
                self.act_ui(&format!("cut {b} {a}"));
            }
            return;
        }
        self.close_popups();
        self.selected = None;
    }

    /// Selects a node and opens its action menu next to it.
    pub fn open_menu(&mut self, id: NodeId) {
        self.popup_msg = None;
        show("msg-popup", false);
        self.selected = Some(id);
        self.menu_node = Some(id);
        let Some(n) = self.view.nodes.iter().find(|n| n.id == id) else {
            return;
        };
        set_text(
            "node-menu-title",
            &format!(
                "S{} · {} · {} {}",
                id,
                role_name(self.lang, n.role),
                t(self.lang, "term"),
                n.term
            ),
        );
        set_text(
            "menu-crash",
            t(self.lang, if n.up { "m_crash" } else { "m_restart" }),
        );
        let Some(p) = self.layout.pos(id) else { return };
        let menu_w = 210.0;
        let r = self.layout.node_r;
        let x = if p.x + r + 8.0 + menu_w < self.layout.width {
            p.x + r + 8.0
        } else {
            (p.x - r - 8.0 - menu_w).max(0.0)
        };
        let y = clamp(p.y - r, 0.0, (self.layout.height - 260.0).max(0.0));
        if let Some(m) = dom::el("node-menu") {
            let s = m.style();
            let _ = s.set_property("left", &format!("{}px", x as i64));
            let _ = s.set_property("top", &format!("{}px", y as i64));
            m.set_hidden(false);
            if let Ok(Some(b)) = m.query_selector("button") {
                if let Ok(b) = b.dyn_into::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        }
    }

    /// Runs a node-menu action.
    pub fn menu_action(&mut self, act: &str) {
        let Some(id) = self.menu_node.or(self.selected) else {
            return;
        };
        let up = self
            .view
            .nodes
            .iter()
            .find(|n| n.id == id)
            .is_some_and(|n| n.up);
        match act {
            "timeout" => self.act_ui(&format!("timeout {id}")),
            "crash" => self.act_ui(&format!("{} {id}", if up { "crash" } else { "restart" })),
            "request" => {
                let cmd = self.next_command();
                self.act_ui(&format!("request {id} \"{cmd}\""));
            }
            "isolate" => self.act_ui(&format!("isolate {id}")),
            "transfer" => self.act_ui(&format!("transfer {id}")),
            "compact" => self.act_ui(&format!("compact {id}")),
            "remove" => self.act_ui(&format!("remove {id}")),
            "details" => {
                self.selected = Some(id);
                self.details_key = None;
                if let Some(p) = dom::el("details-panel") {
                    p.scroll_into_view();
                }
            }
            _ => {}
        }
        self.menu_node = None;
        show("node-menu", false);
    }

    fn next_command(&mut self) -> String {
        self.requests += 1;
        let key = ["x", "y", "z", "a", "b"][(self.requests % 5) as usize];
        format!("set {key}={}", self.requests)
    }

    /// A client request to whoever leads.
    pub fn client_request(&mut self) {
        let cmd = self.next_command();
        self.act_ui(&format!("request \"{cmd}\""));
    }

    fn open_message(&mut self, id: u64, p: Pt) {
        self.menu_node = None;
        show("node-menu", false);
        self.playing = false;
        self.popup_msg = Some(id);
        let Some(m) = self.view.messages.iter().find(|m| m.id == id) else {
            return;
        };
        let lang = self.lang;
        set_text(
            "msg-title",
            &format!(
                "#{} {} · {}",
                m.id,
                m.msg.type_name(),
                tf(
                    lang,
                    "msg_from_to",
                    &[&m.from.to_string(), &m.to.to_string()]
                )
            ),
        );
        let mut h = String::new();
        let mut row =
            |k: &str, v: &str| h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(v)));
        row(t(lang, "sent_at"), &format_time(m.sent_us));
        row(t(lang, "arrives_at"), &format_time(m.deliver_us));
        for (k, v) in message_fields(lang, &m.msg) {
            row(k, &v);
        }
        set_html("msg-fields", &h);
        if let Some(el) = dom::el("msg-popup") {
            let w = 260.0;
            let x = if p.x + 14.0 + w < self.layout.width {
                p.x + 14.0
            } else {
                (p.x - 14.0 - w).max(0.0)
            };
            let y = clamp(p.y - 20.0, 0.0, (self.layout.height - 220.0).max(0.0));
            let s = el.style();
            let _ = s.set_property("left", &format!("{}px", x as i64));
            let _ = s.set_property("top", &format!("{}px", y as i64));
            el.set_hidden(false);
        }
    }

    /// Drops the message whose popup is open.
    pub fn drop_message(&mut self) {
        if let Some(id) = self.popup_msg.take() {
            self.act_ui(&format!("drop {id}"));
        }
        show("msg-popup", false);
    }

    /// Closes the message popup.
    pub fn close_message(&mut self) {
        self.popup_msg = None;
        show("msg-popup", false);
    }

    /// Enters or leaves partition mode.
    pub fn toggle_partition_mode(&mut self) {
        if self.pending.is_some() {
            self.pending = None;
            show("partition-bar", false);
            return;
        }
        self.close_popups();
        // Start from the current partition, if any.
        let mut p = Vec::with_capacity(self.view.nodes.len());
        for n in &self.view.nodes {
            let g = self
                .view
                .network
                .groups
                .iter()
                .position(|g| g.contains(&n.id))
                .unwrap_or(0);
            p.push((n.id, g.min(2) as u8));
        }
        self.pending = Some(p);
        show("partition-bar", true);
        self.show_pending();
    }

    fn show_pending(&self) {
        if let Some(p) = &self.pending {
            set_text("partition-groups", &pending_line(p).replace('|', " | "));
        }
    }

    /// Applies the groups chosen in partition mode.
    pub fn apply_partition(&mut self) {
        let Some(p) = self.pending.take() else { return };
        show("partition-bar", false);
        let groups: Vec<Vec<NodeId>> = (0..3u8)
            .map(|g| {
                p.iter()
                    .filter(|(_, v)| *v == g)
                    .map(|&(k, _)| k)
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .collect();
        if groups.len() <= 1 {
            self.act_ui("heal");
        } else {
            self.act_ui(&format!("partition {}", pending_line(&p)));
        }
    }

    /// Adds a server with the next free id.
    pub fn add_server(&mut self) {
        let next = self.view.nodes.iter().map(|n| n.id).max().unwrap_or(0) + 1;
        if next > NODE_ID_MAX {
            self.banner(t(self.lang, "too_many_nodes"), true);
            return;
        }
        self.act_ui(&format!("add {next}"));
    }

    /// The keyboard.
    pub fn key(&mut self, key: &str, shift: bool) -> bool {
        match key {
            " " | "k" => self.set_playing(!self.playing),
            "s" | "." => self.step(),
            "-" | "_" => self.speed = step_speed(self.speed, -1),
            "+" | "=" => self.speed = step_speed(self.speed, 1),
            "ArrowLeft" | "ArrowRight" => {
                let d = if shift { 1_000_000 } else { 100_000 };
                let now = self.sim.now_us();
                self.playing = false;
                self.seek(if key == "ArrowLeft" {
                    now.saturating_sub(d)
                } else {
                    now + d
                });
            }
            "Enter" | "m" => {
                if let Some(id) = self.selected.or(self.view.nodes.first().map(|n| n.id)) {
                    self.open_menu(id);
                }
            }
            "c" => {
                if let Some(id) = self.selected {
                    self.menu_node = Some(id);
                    self.menu_action("crash");
                }
            }
            "t" => {
                if let Some(id) = self.selected {
                    self.menu_node = Some(id);
                    self.menu_action("timeout");
                }
            }
            "q" => self.client_request(),
            "p" => self.toggle_partition_mode(),
            "h" => self.act_ui("heal"),
            "r" => self.restart_with(self.base.clone()),
            "Escape" => {
                self.close_popups();
                self.pending = None;
                show("partition-bar", false);
                close_dialogs();
            }
            k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() && k != "0" => {
                let id: NodeId = k.parse().unwrap_or(0);
                if self.view.nodes.iter().any(|n| n.id == id) {
                    if self.pending.is_some() {
                        if let Some(p) = self.layout.pos(id) {
                            self.canvas_click(p, 0.0);
                        }
                    } else {
                        self.selected = Some(id);
                        self.close_popups();
                    }
                }
            }
            _ => return false,
        }
        dom::set_value("speed", &format_speed(self.speed));
        true
    }

    /// Settings dialog: fill the fields from the current run.
    pub fn fill_settings(&self) {
        let s = &self.view.settings;
        dom::set_value("set-nodes", &self.base.settings.nodes.to_string());
        dom::set_value("set-seed", &self.base.settings.seed.to_string());
        dom::set_value(
            "set-et-min",
            &(s.election_timeout_us_min / 1000).to_string(),
        );
        dom::set_value(
            "set-et-max",
            &(s.election_timeout_us_max / 1000).to_string(),
        );
        dom::set_value("set-hb", &(s.heartbeat_us / 1000).to_string());
        dom::set_value("set-lat-min", &(s.latency_us_min / 1000).to_string());
        dom::set_value("set-lat-max", &(s.latency_us_max / 1000).to_string());
        dom::set_value("set-loss", &ppm_percent(s.loss.0));
        dom::set_checked("sw-prevote", s.pre_vote);
        dom::set_checked("sw-checkquorum", s.check_quorum);
        dom::set_checked("sw-sticky", s.sticky_leader);
        dom::set_checked("sw-hint", s.backoff == sim::scenario::BackoffMode::Hint);
        let u = &s.unsafe_switches;
        for (i, on) in [
            u.commit_old_terms,
            u.vote_without_log_check,
            u.forget_vote_on_restart,
            u.direct_change,
        ]
        .iter()
        .enumerate()
        {
            dom::set_checked(UNSAFE[i].1, *on);
        }
        show("btn-unsafe-change", u.direct_change);
        // Membership boxes: every known node plus one new id.
        let voters: Vec<NodeId> = self
            .view
            .leader
            .and_then(|l| self.view.nodes.iter().find(|n| n.id == l))
            .or(self.view.nodes.first())
            .map(|n| n.voters.clone())
            .unwrap_or_default();
        let max = self.view.nodes.iter().map(|n| n.id).max().unwrap_or(0);
        let mut h = String::new();
        for id in 1..=(max + 1).min(NODE_ID_MAX) {
            h.push_str(&format!(
                "<label class=\"member\"><input type=\"checkbox\" data-id=\"{id}\"{}> S{id}</label>",
                if voters.contains(&id) { " checked" } else { "" }
            ));
        }
        set_html("member-boxes", &h);
    }

    /// The "Start new run" button of the settings dialog.
    pub fn apply_settings(&mut self) {
        // Fixed-point, in thousandths: exact, and no float parsing in the wasm.
        let milli = |id: &str| sim::units::parse_fixed(dom::value(id).trim(), 3);
        let mut s = self.base.settings.clone();
        // A new run starts from empty logs, even after a lesson that staged
        // some (its staged nodes may not even exist in the new cluster).
        s.staged.clear();
        if let Some(n) = milli("set-nodes") {
            s.nodes = u32::try_from(n / 1000).unwrap_or(u32::MAX).clamp(1, 9);
        }
        if let Ok(seed) = dom::value("set-seed").trim().parse::<u64>() {
            s.seed = seed;
        }
        // The fields are in ms; thousandths of a ms are µs.
        let us = milli;
        if let (Some(a), Some(b)) = (us("set-et-min"), us("set-et-max")) {
            s.election_timeout_us_min = a.max(1000);
            s.election_timeout_us_max = b.max(s.election_timeout_us_min);
        }
        if let Some(hb) = us("set-hb") {
            s.heartbeat_us = hb.max(1000);
        }
        if let (Some(a), Some(b)) = (us("set-lat-min"), us("set-lat-max")) {
            s.latency_us_min = a;
            s.latency_us_max = b.max(a);
        }
        if let Some(pct) = sim::units::parse_fixed(dom::value("set-loss").trim(), 4) {
            s.loss = sim::units::Ppm(pct.min(u64::from(sim::units::PPM_MAX)) as u32);
        }
        // Protocol switches as currently set carry over into the new run.
        let cur = &self.view.settings;
        s.pre_vote = cur.pre_vote;
        s.check_quorum = cur.check_quorum;
        s.sticky_leader = cur.sticky_leader;
        s.backoff = cur.backoff;
        s.unsafe_switches = cur.unsafe_switches;
        if let Err(e) = s.check() {
            self.banner(&tf(self.lang, "action_failed", &[&e]), true);
            return;
        }
        self.restart_with(Scenario {
            settings: s,
            timeline: Vec::new(),
            run_us: None,
            expects: Vec::new(),
        });
        close_dialogs();
    }

    /// New run with a fresh random seed.
    pub fn new_seed(&mut self, seed: u64) {
        let mut sc = self.base.clone();
        sc.settings.seed = seed;
        self.restart_with(sc);
    }

    /// A protocol checkbox changed.
    pub fn protocol_switch(&mut self, id: &str) {
        let on = dom::checked(id);
        let line = match id {
            "sw-prevote" => format!("prevote {}", onoff(on)),
            "sw-checkquorum" => format!("check-quorum {}", onoff(on)),
            "sw-sticky" => format!("sticky-leader {}", onoff(on)),
            "sw-hint" => format!("backoff {}", if on { "hint" } else { "decrement" }),
            _ => return,
        };
        self.act_ui(&line);
    }

    /// An unsafe checkbox changed: turning one on needs a confirmation.
    pub fn unsafe_switch(&mut self, i: usize) {
        let Some(&(name, id, _)) = UNSAFE.get(i) else {
            return;
        };
        if dom::checked(id) {
            dom::set_checked(id, false);
            self.confirm = Some(i);
            self.fill_confirm_text();
            show("confirm-dialog", true);
        } else {
            self.act_ui(&format!("unsafe {name} off"));
            show(
                "btn-unsafe-change",
                self.view.settings.unsafe_switches.direct_change,
            );
        }
    }

    /// The confirmation dialog's answer.
    pub fn confirm_unsafe(&mut self, yes: bool) {
        show("confirm-dialog", false);
        let Some(i) = self.confirm.take() else { return };
        if yes {
            let (name, id, _) = UNSAFE[i];
            self.act_ui(&format!("unsafe {name} on"));
            dom::set_checked(id, true);
            show(
                "btn-unsafe-change",
                self.view.settings.unsafe_switches.direct_change,
            );
        }
    }

    /// Membership change from the checkboxes.
    pub fn change_membership(&mut self, unsafe_direct: bool) {
        let Some(d) = dom::doc() else { return };
        let Ok(list) = d.query_selector_all("#member-boxes input[type=checkbox]") else {
            return;
        };
        let mut ids = Vec::new();
        for i in 0..list.length() {
            let Some(e) = list
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                continue;
            };
            if e.checked() {
                if let Some(id) = e.get_attribute("data-id") {
                    ids.push(id);
                }
            }
        }
        if ids.is_empty() {
            return;
        }
        let verb = if unsafe_direct {
            "unsafe-change"
        } else {
            "change"
        };
        self.act_ui(&format!("{verb} {}", ids.join(" ")));
        close_dialogs();
    }

    /// Fills the share dialog: the scenario text now, the link and the
    /// embed snippet when the browser has compressed the link.
    pub fn fill_share(&mut self) {
        dom::set_value(
            "scenario-text",
            &format!(
                "# {}\n{}",
                format_time(self.sim.now_us()),
                self.sim.scenario()
            ),
        );
        dom::set_value("share-link", "");
        dom::set_value("embed-snippet", "");
        self.link_then(|a, r| match r {
            Ok(link) => {
                dom::set_value("share-link", &link);
                let embed = embed_url(&link);
                dom::set_value(
                    "embed-snippet",
                    &format!("<iframe src=\"{}\" width=\"720\" height=\"480\" style=\"border:0;max-width:100%\" title=\"Raftlab\" loading=\"lazy\"></iframe>", esc(&embed)),
                );
            }
            Err(why) => a.banner(&tf(a.lang, "link_failed", &[&why]), true),
        });
    }

    /// Trace up to now as JSON Lines.
    pub fn trace_jsonl(&self) -> String {
        let n = self.sim.trace_len_now().min(self.sim.trace().len());
        let mut s = String::new();
        for e in &self.sim.trace()[..n] {
            s.push_str(&e.to_json());
            s.push('\n');
        }
        s
    }

    /// The PNG of the canvas.
    pub fn png_url(&self) -> Option<String> {
        self.canvas.to_data_url().ok()
    }

    /// `state()` for the JS API.
    pub fn state_js(&self) -> Result<JsValue, JsValue> {
        let rect = self.canvas.get_bounding_client_rect();
        let (left, top) = (rect.left(), rect.top());
        let v = &self.view;
        let nodes = v
            .nodes
            .iter()
            .map(|n| {
                let p = self.layout.pos(n.id).unwrap_or(Pt { x: 0.0, y: 0.0 });
                NodeOut {
                    id: n.id,
                    up: n.up,
                    role: n.role,
                    term: n.term,
                    voted_for: n.voted_for,
                    votes: &n.votes_received,
                    commit: n.commit_index,
                    applied: n.last_applied,
                    log: &n.log,
                    snapshot_index: n.snapshot_index,
                    kv: &n.kv,
                    voters: &n.voters,
                    membership: n.membership_role,
                    progress: &n.progress,
                    x: p.x,
                    y: p.y,
                    r: self.layout.node_r,
                    client_x: left + p.x,
                    client_y: top + p.y,
                }
            })
            .collect();
        let messages = v
            .messages
            .iter()
            .map(|m| {
                let p = self
                    .msg_pos
                    .iter()
                    .find(|(id, _)| *id == m.id)
                    .map_or(Pt { x: 0.0, y: 0.0 }, |x| x.1);
                MsgOut {
                    id: m.id,
                    from: m.from,
                    to: m.to,
                    r#type: m.msg.type_name(),
                    term: m.msg.term(),
                    sent_us: m.sent_us,
                    deliver_us: m.deliver_us,
                    x: p.x,
                    y: p.y,
                    client_x: left + p.x,
                    client_y: top + p.y,
                }
            })
            .collect();
        let out = StateOut {
            time: v.now_us as f64 / 1e6,
            time_us: v.now_us,
            horizon_us: self.horizon_us(),
            known_us: self.sim.horizon_us(),
            playing: self.playing,
            speed: self.speed,
            lang: self.lang.short(),
            embed: self.embed,
            leader: v.leader,
            selected: self.selected,
            nodes,
            messages,
            network: &v.network,
            violations: &v.violations,
            settings: &v.settings,
            canvas: CanvasOut {
                width: self.layout.width,
                height: self.layout.height,
            },
            first_frame_ms: self.first_frame_ms,
            trace_len: self.sim.trace_len_now(),
        };
        crate::to_js(&out)
    }
}

/// `state()` as JSON: see the report / README of crates/web for the fields.
#[derive(serde::Serialize)]
struct StateOut<'a> {
    time: f64,
    time_us: u64,
    horizon_us: u64,
    known_us: u64,
    playing: bool,
    speed: f64,
    lang: &'static str,
    embed: bool,
    leader: Option<NodeId>,
    selected: Option<NodeId>,
    nodes: Vec<NodeOut<'a>>,
    messages: Vec<MsgOut>,
    network: &'a sim::view::NetworkView,
    violations: &'a [sim::Violation],
    settings: &'a sim::Settings,
    canvas: CanvasOut,
    first_frame_ms: Option<f64>,
    trace_len: usize,
}

#[derive(serde::Serialize)]
struct CanvasOut {
    width: f64,
    height: f64,
}

#[derive(serde::Serialize)]
struct NodeOut<'a> {
    id: NodeId,
    up: bool,
    role: Option<Role>,
    term: u64,
    voted_for: Option<NodeId>,
    votes: &'a [NodeId],
    commit: u64,
    applied: u64,
    log: &'a [sim::view::EntryView],
    snapshot_index: u64,
    kv: &'a BTreeMap<String, String>,
    voters: &'a [NodeId],
    membership: &'static str,
    progress: &'a [sim::view::ProgressView],
    x: f64,
    y: f64,
    r: f64,
    client_x: f64,
    client_y: f64,
}

#[derive(serde::Serialize)]
struct MsgOut {
    id: u64,
    from: NodeId,
    to: NodeId,
    r#type: &'static str,
    term: u64,
    sent_us: u64,
    deliver_us: u64,
    x: f64,
    y: f64,
    client_x: f64,
    client_y: f64,
}

/// A message's fields as (name, value) rows for its popup.
pub fn message_fields(lang: Lang, msg: &raft::Message) -> Vec<(&'static str, String)> {
    use raft::Message as M;
    let entries = |es: &[raft::Entry]| -> String {
        if es.is_empty() {
            return format!("[] ({})", t(lang, "legend_hb"));
        }
        es.iter()
            .map(|e| {
                let what = match &e.payload {
                    raft::Payload::Noop => "no-op".to_string(),
                    raft::Payload::Command { cmd } => cmd.clone(),
                    raft::Payload::Config { membership } => {
                        format!(
                            "config {}",
                            list(lang, &membership.voters.iter().copied().collect::<Vec<_>>())
                        )
                    }
                };
                format!("{}@{} {what}", e.index, e.term)
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let opt = |v: Option<u64>| v.map_or("—".to_string(), |v| v.to_string());
    match msg {
        M::RequestVote {
            term,
            candidate,
            last_log_index,
            last_log_term,
            transfer,
        } => vec![
            ("term", term.to_string()),
            ("candidate", candidate.to_string()),
            ("last_log_index", last_log_index.to_string()),
            ("last_log_term", last_log_term.to_string()),
            ("transfer", transfer.to_string()),
        ],
        M::RequestVoteReply { term, granted } | M::PreVoteReply { term, granted } => {
            vec![("term", term.to_string()), ("granted", granted.to_string())]
        }
        M::PreVote {
            term,
            candidate,
            last_log_index,
            last_log_term,
        } => vec![
            ("term", term.to_string()),
            ("candidate", candidate.to_string()),
            ("last_log_index", last_log_index.to_string()),
            ("last_log_term", last_log_term.to_string()),
        ],
        M::AppendEntries {
            term,
            leader,
            prev_log_index,
            prev_log_term,
            entries: es,
            leader_commit,
        } => vec![
            ("term", term.to_string()),
            ("leader", leader.to_string()),
            ("prev_log_index", prev_log_index.to_string()),
            ("prev_log_term", prev_log_term.to_string()),
            ("entries", entries(es)),
            ("leader_commit", leader_commit.to_string()),
        ],
        M::AppendEntriesReply {
            term,
            success,
            match_index,
            conflict_term,
            conflict_index,
        } => vec![
            ("term", term.to_string()),
            ("success", success.to_string()),
            ("match_index", match_index.to_string()),
            ("conflict_term", opt(*conflict_term)),
            ("conflict_index", conflict_index.to_string()),
        ],
        M::InstallSnapshot {
            term,
            leader,
            snapshot,
        } => vec![
            ("term", term.to_string()),
            ("leader", leader.to_string()),
            ("last_index", snapshot.last_index.to_string()),
            ("last_term", snapshot.last_term.to_string()),
        ],
        M::InstallSnapshotReply { term, last_index } => {
            vec![
                ("term", term.to_string()),
                ("last_index", last_index.to_string()),
            ]
        }
        M::TimeoutNow { term, leader } => {
            vec![("term", term.to_string()), ("leader", leader.to_string())]
        }
    }
}

/// 12_500 ppm -> "1.25" (percent), without float formatting.
pub fn ppm_percent(ppm: u32) -> String {
    let frac = format!("{:04}", ppm % 10_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        (ppm / 10_000).to_string()
    } else {
        format!("{}.{frac}", ppm / 10_000)
    }
}

fn onoff(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// `1 2 | 3 4 5` from a group assignment: (node, group), by node id.
pub fn pending_line(p: &[(NodeId, u8)]) -> String {
    (0..3u8)
        .map(|g| {
            p.iter()
                .filter(|(_, v)| *v == g)
                .map(|(k, _)| k.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The speed as shown in the select.
pub fn format_speed(s: f64) -> String {
    // Labels written out: formatting floats would pull ~25 KB of code into the wasm.
    let k = (0..SPEEDS.len())
        .min_by(|&a, &b| (SPEEDS[a] - s).abs().total_cmp(&(SPEEDS[b] - s).abs()))
        .unwrap_or(6);
    SPEED_LABELS[k].to_string()
}

/// `query`'s parameters (no `?`) without those named in `drop`.
fn query_without<'a>(query: &'a str, drop: &[&str]) -> Vec<&'a str> {
    query
        .split('&')
        .filter(|p| !p.is_empty() && !drop.contains(&p.split('=').next().unwrap_or("")))
        .collect()
}

/// The embed URL for a share link: `?embed` added to the query.
pub fn embed_url(link: &str) -> String {
    let (before, frag) = link.split_once('#').unwrap_or((link, ""));
    let (path, query) = before.split_once('?').unwrap_or((before, ""));
    let mut q = query_without(query, &["embed"]);
    q.insert(0, "embed");
    format!("{path}?{}#{frag}", q.join("&"))
}

/// `#code` on the page's URL (without its own fragment).
fn page_link(code: &str) -> String {
    let href = dom::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = href.split('#').next().unwrap_or("");
    format!("{base}#{code}")
}

/// The page at `href` opened on `scenario` at `now_us`, paused, with the
/// scenario as plain text (`?scenario=…&t=…&autoplay=0`): longer than a
/// share link but made without compression, so also from a panic hook.
/// Other parameters of the page (`lang`, `speed`) stay; `embed` and what
/// chose the run go.
pub fn plain_url(href: &str, scenario: &Scenario, now_us: u64) -> String {
    let before = href.split('#').next().unwrap_or("");
    let (path, query) = before.split_once('?').unwrap_or((before, ""));
    let mut q: Vec<String> = query_without(
        query,
        &["embed", "scenario", "t", "autoplay", "lesson", "lesson-url"],
    )
    .into_iter()
    .map(str::to_string)
    .collect();
    q.push(format!(
        "scenario={}",
        percent_encode(&scenario.to_string())
    ));
    q.push(format!("t={}", sim::units::format_duration_us(now_us)));
    q.push("autoplay=0".to_string());
    format!("{path}?{}", q.join("&"))
}

/// Fills every `data-i18n*` element.
pub fn apply_i18n(lang: Lang) {
    let Some(d) = dom::doc() else { return };
    if let Some(h) = d.document_element() {
        let _ = h.set_attribute("lang", lang.code());
    }
    for (attr, what) in [
        ("data-i18n", 0),
        ("data-i18n-title", 1),
        ("data-i18n-ph", 2),
    ] {
        let Ok(list) = d.query_selector_all(&format!("[{attr}]")) else {
            continue;
        };
        for i in 0..list.length() {
            let Some(e) = list
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let Some(key) = e.get_attribute(attr) else {
                continue;
            };
            if !TABLE.iter().any(|x| x.0 == key) {
                continue;
            }
            let text = t(lang, &key);
            match what {
                0 => e.set_text_content(Some(text)),
                1 => {
                    let _ = e.set_attribute("title", text);
                    let _ = e.set_attribute("aria-label", text);
                }
                _ => {
                    let _ = e.set_attribute("placeholder", text);
                }
            }
        }
    }
}

/// Hides every dialog (not the panic overlay).
pub fn close_dialogs() {
    for id in [
        "settings-dialog",
        "share-dialog",
        "help-dialog",
        "confirm-dialog",
        "lesson-list",
    ] {
        show(id, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_line_lists_groups_in_order() {
        let p = [(1, 1), (2, 1), (3, 0), (4, 0), (5, 0)];
        assert_eq!(pending_line(&p), "3 4 5 | 1 2");
        // The line is valid scenario language.
        assert!(sim::parse_action(&format!("partition {}", pending_line(&p))).is_ok());
    }

    #[test]
    fn embed_and_plain_urls_keep_the_other_parameters() {
        let l = "http://h/course/raftlab/?lang=zh#1.abc";
        let e = embed_url(l);
        assert_eq!(e, "http://h/course/raftlab/?embed&lang=zh#1.abc");
        assert_eq!(embed_url("http://h/?embed#x"), "http://h/?embed#x");
        let sc = Scenario::parse("nodes 3\nat 1s crash 1\n").expect("valid");
        let plain = plain_url(
            "http://h/course/raftlab/?embed&lang=zh&lesson=x&t=9s#1.abc",
            &sc,
            1_500_000,
        );
        assert!(
            plain.starts_with("http://h/course/raftlab/?lang=zh&scenario="),
            "{plain}"
        );
        assert!(plain.ends_with("&t=1.5s&autoplay=0"), "{plain}");
        // The full page reads back the same run and moment.
        let p = crate::params::parse_query(&plain[plain.find('?').unwrap_or(0)..]);
        assert_eq!(p.lang, Some(Lang::Zh));
        assert!(!p.embed && p.lesson.is_none());
        assert_eq!(p.at_us, Some(1_500_000));
        let text = p.scenario.unwrap_or_default();
        assert_eq!(Scenario::parse(&text).ok(), Some(sc));
    }

    #[test]
    fn every_unsafe_switch_is_valid_scenario_language() {
        for (name, _, key) in UNSAFE {
            assert!(
                sim::parse_action(&format!("unsafe {name} on")).is_ok(),
                "{name}"
            );
            assert!(TABLE.iter().any(|e| e.0 == key));
        }
        for (_, key) in SHORTCUTS {
            assert!(TABLE.iter().any(|e| e.0 == key), "{key}");
        }
    }

    #[test]
    fn speed_label_matches_a_select_option() {
        assert_eq!(format_speed(0.05), "0.05");
        assert_eq!(format_speed(1.0), "1");
        assert_eq!(format_speed(0.07), "0.05");
        assert_eq!(ppm_percent(12_500), "1.25");
        assert_eq!(ppm_percent(0), "0");
        assert_eq!(ppm_percent(1_000_000), "100");
    }
}
