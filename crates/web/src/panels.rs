//! The side panels, rebuilt from the session's snapshot: the clock, the
//! event log, the selected node's details and the safety list. Each keeps
//! a key of what it last showed and is rebuilt only when that changes.

use raft::{NodeId, Role};

use crate::app::App;
use crate::dom::{self, esc, set_html, set_text, show};
use crate::eventlog::{self, format_time, kind, list, role_name, same_burst};
use crate::i18n::directives::config_text;
use crate::i18n::words::membership_role_name;
use crate::i18n::{t, tf, violations, Lang};

/// Entries shown in the event log (the newest).
const LOG_ROWS_MAX: usize = 120;
/// ... while playing: under load each refresh brings more than a screenful
/// of new rows, and writing 120 of them into the page (with a tooltip of
/// up to `BURST_TITLE_MAX` sentences each) was the most expensive thing a
/// frame did (the 95th percentile frame). While playing, rows also come
/// without their tooltips; pausing rebuilds the log with all of both.
const LOG_ROWS_PLAYING: usize = 16;
/// Events a grouped log line lists in its tooltip, at most.
const BURST_TITLE_MAX: usize = 20;

/// What each panel last showed.
pub struct PanelCache {
    /// The event log shows trace[..log_key.0] with (filter, search,
    /// generation, language, rows at most) = the rest of the key.
    log_key: (usize, String, String, u64, Lang, usize),
    /// Rows in the event log's list (at most the key's last field).
    log_rows: usize,
    details_key: Option<(sim::view::NodeView, Lang, u64)>,
    safety_key: (usize, Lang),
    /// The "just happened" line shows trace[range] of this generation.
    happened_key: (Option<(usize, usize)>, u64, Lang),
    /// The fork notice shows (question, undo moment).
    fork_key: (Option<(u64, u64)>, Option<u64>, Lang),
    /// What the clock, the note beside it and the play button say (they
    /// change nearly every frame; reading them back from the page costs
    /// more than remembering them). Empty: not known.
    clock: [String; 3],
    /// The cluster in words (`summary`): the list as shown, what the live
    /// region has said, and when it last said entries were committed (real
    /// ms).
    summary: (String, crate::summary::Heard, f64),
}

impl PanelCache {
    /// Nothing shown yet.
    pub fn new(lang: Lang) -> PanelCache {
        PanelCache {
            log_key: (usize::MAX, String::new(), String::new(), u64::MAX, lang, 0),
            log_rows: 0,
            details_key: None,
            safety_key: (usize::MAX, lang),
            happened_key: (None, u64::MAX, lang),
            fork_key: (None, None, lang),
            clock: Default::default(),
            summary: (String::new(), Default::default(), f64::MIN),
        }
    }

    /// The details panel is rebuilt next time.
    pub fn forget_details(&mut self) {
        self.details_key = None;
    }

    /// Everything language-dependent is rebuilt next time.
    pub fn forget_language(&mut self) {
        self.safety_key.0 = usize::MAX;
        self.details_key = None;
        self.summary.0.clear();
        // The page's static text (`apply_i18n`) writes the play button.
        self.clock = Default::default();
    }
}

/// The slow panels: what happened, the event log, the details, the safety list.
pub const SLOW_PANELS: usize = 5;

/// Which of the slow panels follow the run in a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlowPanels {
    /// None: only the clock and the play button.
    None,
    /// The one of this index (in the order of `SLOW_PANELS`).
    One(usize),
    /// All of them.
    All,
}

impl App {
    /// The clock and play button always; the slow panels `slow` asks for
    /// too (never in an embed).
    pub(crate) fn update_panels(&mut self, slow: SlowPanels) {
        let lang = self.lang;
        let playing = self.session.playing();
        let now = self.session.sim().now_us();
        let clock = format!(
            "{} / {}",
            format_time(now),
            format_time(self.session.horizon_us())
        );
        // Not in the clock: a longer label would move the timeline beside it.
        let mut note = String::new();
        if !playing {
            note.push_str(t(lang, "paused"));
        }
        if self.session.sim().horizon_us() > now + 1 {
            let sep = if note.is_empty() { "" } else { " · " };
            note.push_str(&format!("{sep}{}", t(lang, "in_past")));
        }
        let play = t(lang, if playing { "pause" } else { "play" }).to_string();
        for ((id, text), shown) in ["clock", "time-note", "play-label"]
            .into_iter()
            .zip([clock, note, play])
            .zip(&mut self.panels.clock)
        {
            if *shown != text {
                dom::set_text(id, &text);
                *shown = text;
            }
        }
        if let Some(b) = dom::el("btn-play") {
            let pressed = if playing { "true" } else { "false" };
            // Written only on a change: a write every frame is a DOM mutation.
            if b.get_attribute("aria-pressed").as_deref() != Some(pressed) {
                let _ = b.set_attribute("aria-pressed", pressed);
            }
        }
        self.update_fork();
        if self.embed {
            return;
        }
        const SLOW: [fn(&mut App); SLOW_PANELS] = [
            App::update_happened,
            App::update_log,
            App::update_details,
            App::update_safety,
            App::update_summary,
        ];
        match slow {
            SlowPanels::None => {}
            SlowPanels::One(k) => SLOW.get(k).into_iter().for_each(|f| f(self)),
            SlowPanels::All => SLOW.iter().for_each(|f| f(self)),
        }
    }

    /// The event log, newest first. While time runs forward only the new
    /// events are rendered and prepended (and the oldest rows dropped): under
    /// client load a full rebuild of the list is the most expensive thing a
    /// frame could do. A new filter, a new language, a seek back or a fork
    /// rebuild it.
    fn update_log(&mut self) {
        let filter = dom::value("log-kind");
        let search = dom::value("log-search").to_ascii_lowercase();
        let sim = self.session.sim();
        let n = sim.trace_len_now();
        let generation = self.session.generation();
        let cap = if self.session.playing() {
            LOG_ROWS_PLAYING
        } else {
            LOG_ROWS_MAX
        };
        let key = &self.panels.log_key;
        let same =
            (&key.1, &key.2, key.3, key.4, key.5) == (&filter, &search, generation, self.lang, cap);
        let from = if same && n >= key.0 { key.0 } else { 0 };
        if same && from == n {
            return;
        }
        // Global trace indices; the window holds the latest events.
        let at = from.max(sim.trace_base());
        let (html, rows) = log_rows(self.lang, sim.trace_range(at, n), at, &filter, &search, cap);
        self.panels.log_key = (n, filter, search, generation, self.lang, cap);
        let Some(list) = dom::el("event-log") else {
            return;
        };
        if from == 0 || rows >= cap {
            // Set without comparing: reading innerHTML back would serialize the list.
            list.set_inner_html(&html);
            self.panels.log_rows = rows;
        } else if rows > 0 {
            let _ = list.insert_adjacent_html("afterbegin", &html);
            self.panels.log_rows += rows;
            while self.panels.log_rows > cap {
                match list.last_element_child() {
                    Some(last) => last.remove(),
                    None => break,
                }
                self.panels.log_rows -= 1;
            }
        }
    }

    /// The line above the canvas that says what the last Step, Next or
    /// action produced (`session::happened_line`).
    fn update_happened(&mut self) {
        let range = self.session.happened();
        let key = (range, self.session.generation(), self.lang);
        if key == self.panels.happened_key {
            return;
        }
        self.panels.happened_key = key;
        let line = range.map_or(String::new(), |(from, to)| {
            crate::session::happened_line(self.lang, self.session.sim().trace_range(from, to))
        });
        show("happened", !line.is_empty());
        set_text("happened-text", &line);
        // One line, cut with an ellipsis when long: the whole of it on hover.
        if let Some(p) = dom::el("happened") {
            let _ = p.set_attribute("title", &line);
        }
    }

    /// The fork notice: the question before acting in the past drops the
    /// known future, then Undo while the old future is kept.
    fn update_fork(&mut self) {
        let fork = self.session.fork();
        let key = (
            fork.and_then(|f| f.question()),
            fork.and_then(|f| f.undo_at()),
            self.lang,
        );
        if key == self.panels.fork_key {
            return;
        }
        self.panels.fork_key = key;
        let lang = self.lang;
        let text = match key {
            (Some((at, drops)), _, _) => {
                tf(lang, "fork_ask", &[&format_time(drops), &format_time(at)])
            }
            (None, Some(at), _) => tf(lang, "fork_done", &[&format_time(at)]),
            _ => String::new(),
        };
        show("fork-bar", !text.is_empty());
        set_text("fork-text", &text);
        for (id, visible) in [
            ("btn-fork-yes", key.0.is_some()),
            ("btn-fork-no", key.0.is_some()),
            ("btn-fork-undo", key.1.is_some()),
            ("btn-fork-keep", key.1.is_some()),
        ] {
            show(id, visible);
        }
    }

    fn update_details(&mut self) {
        let lang = self.lang;
        let Some(id) = self.session.selected() else {
            if self.panels.details_key.is_some() {
                self.panels.details_key = None;
                set_html(
                    "details",
                    &format!("<p class=\"hint\">{}</p>", esc(t(lang, "details_hint"))),
                );
            }
            return;
        };
        let view = self.session.view();
        let Some(n) = view.nodes.iter().find(|n| n.id == id) else {
            return;
        };
        let old = self.panels.details_key.as_ref();
        if old.is_some_and(|k| k.0 == *n && k.1 == lang) {
            return;
        }
        self.panels.details_key = Some((n.clone(), lang, view.now_us / 50_000));
        set_html("details", &details_html(lang, n));
    }

    /// The canvas in words: the list of servers after the canvas, and the
    /// live region's news of what changed since it last spoke.
    fn update_summary(&mut self) {
        use crate::summary::{news, server_line, Heard, COMMIT_NEWS_MS};
        let (lang, view) = (self.lang, self.session.view());
        let list: String = view
            .nodes
            .iter()
            .map(|n| format!("<li>{}</li>", esc(&server_line(lang, n))))
            .collect();
        if list != self.panels.summary.0 {
            set_html("cluster-summary-list", &list);
            self.panels.summary.0 = list;
        }
        let now_ms = crate::frame::now_ms();
        let (before, heard) = (&self.panels.summary.1, Heard::of(view));
        let commits_too = now_ms - self.panels.summary.2 >= COMMIT_NEWS_MS;
        let said = news(lang, before, &heard, commits_too);
        if said.is_empty() {
            return;
        }
        if commits_too && heard.commit() > before.commit() {
            self.panels.summary.2 = now_ms;
        }
        set_text(
            "live",
            &said.join(if lang == Lang::Zh { "。" } else { ". " }),
        );
        // What was not said (commits, too soon) stays news for later.
        self.panels.summary.1 = if commits_too {
            heard
        } else {
            heard.with_commit(before.commit())
        };
    }

    fn update_safety(&mut self) {
        let view = self.session.view();
        let key = (view.violations.len(), self.lang);
        if key == self.panels.safety_key {
            return;
        }
        self.panels.safety_key = key;
        set_html("safety-list", &safety_html(self.lang, &view.violations));
    }
}

/// The newest events of `trace` (which starts at trace index `base`) as
/// log rows (at most [`LOG_ROWS_MAX`]) that pass the filter and the search,
/// and how many there are. A burst (`eventlog::same_burst`: one node's
/// commits at one moment, a leader's heartbeats) is one row, whose
/// `data-ev` is the trace index of its last event. Bursts are runs of
/// neighbours in the trace, so a row never straddles two calls (time
/// runs forward by whole moments; only Step could split one).
fn log_rows(
    lang: Lang,
    trace: &[sim::TraceEvent],
    base: usize,
    filter: &str,
    search: &str,
    rows_max: usize,
) -> (String, usize) {
    // Tooltips only in the full log of a paused run (see LOG_ROWS_PLAYING).
    let titles = rows_max == LOG_ROWS_MAX;
    // "became leader in term 2" is said better by the Leader event that follows.
    let shown = |e: &sim::TraceEvent| {
        kind(&e.ev).matches(if filter.is_empty() { "all" } else { filter })
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
    // Newest first, one burst (a run of neighbours, `same_burst`) at a time.
    let mut end = trace.len();
    while end > 0 && rows < rows_max {
        let mut start = end - 1;
        while start > 0 && same_burst(&trace[start - 1], &trace[start]) {
            start -= 1;
        }
        let burst = &trace[start..end];
        if shown(&burst[0]) {
            rows += log_row(lang, &mut html, burst, base + end - 1, search, titles);
        }
        end = start;
    }
    (html, rows)
}

/// Writes one log row for `burst` (neighbours in the trace, the last at
/// trace index `last`) if it matches `search`. Returns the rows written.
fn log_row(
    lang: Lang,
    html: &mut String,
    burst: &[sim::TraceEvent],
    last: usize,
    search: &str,
    titles: bool,
) -> usize {
    let e = &burst[0];
    let sentence = eventlog::describe_burst(lang, burst);
    if !search.is_empty() && !sentence.to_ascii_lowercase().contains(search) {
        return 0;
    }
    let cls = match kind(&e.ev) {
        eventlog::Kind::Violation => "ev-violation",
        eventlog::Kind::Fault => "ev-fault",
        eventlog::Kind::Election => "ev-election",
        eventlog::Kind::Client => "ev-client",
        _ => "ev",
    };
    let strong = matches!(e.ev, sim::Ev::Leader { .. }) || cls == "ev-violation";
    // A grouped line lists its events on hover.
    let mut title = String::new();
    for e in burst
        .iter()
        .take(BURST_TITLE_MAX)
        .filter(|_| titles && burst.len() > 1)
    {
        if !title.is_empty() {
            title.push('\n');
        }
        title.push_str(&eventlog::describe(lang, &e.ev));
    }
    html.push_str(&format!(
        "<li class=\"{cls}{}\" data-t=\"{}\" data-ev=\"{last}\" tabindex=\"0\" title=\"{}\"><time>{}</time> {}</li>",
        if strong { " strong" } else { "" },
        e.t,
        esc(&title),
        format_time(e.t),
        esc(&sentence)
    ));
    1
}

/// The details panel of one node.
fn details_html(lang: Lang, n: &sim::view::NodeView) -> String {
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
    row(
        "membership_role",
        membership_role_name(lang, n.membership_role).to_string(),
    );
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
            tf(
                lang,
                "details_snapshot",
                &[&n.snapshot_index.to_string(), &n.snapshot_term.to_string()],
            ),
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
            esc(&match e.kind {
                sim::EntryKind::Command => e.cmd.clone(),
                sim::EntryKind::Noop => t(lang, "ev_commit_noop").to_string(),
                sim::EntryKind::Config => config_text(lang, &e.cmd),
            })
        ));
    }
    h.push_str("</ol>");
    h
}

/// The safety list: each property of Figure 3, holding or with its first violation.
fn safety_html(lang: Lang, violations: &[sim::Violation]) -> String {
    let mut h = String::new();
    for p in sim::Property::ALL {
        let name = eventlog::property_name(p);
        let label = t(lang, &format!("p_{name}"));
        match violations.iter().find(|v| v.property == p) {
            None => h.push_str(&format!(
                "<li class=\"ok\" data-property=\"{name}\"><span class=\"dot\" aria-hidden=\"true\">✓</span> {} <em>{}</em></li>",
                esc(label),
                esc(t(lang, "ok"))
            )),
            Some(v) => h.push_str(&format!(
                "<li class=\"bad\" data-property=\"{name}\" data-t=\"\"><span class=\"dot\" aria-hidden=\"true\">✗</span> {} <em>{}</em><br><small>{} — {} {}</small></li>",
                esc(label),
                esc(t(lang, "violated")),
                esc(&violations::sentence(lang, v)),
                esc(t(lang, "node")),
                esc(&list(lang, &v.nodes))
            )),
        }
    }
    h
}
