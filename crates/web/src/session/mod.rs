//! The page's state without the page: the simulator, the scenario a reset
//! returns to, the playback clock, what is selected, the partition draft,
//! the timeline markers and the lesson being followed.
//!
//! Plain Rust: no web-sys or wasm-bindgen here or in anything it imports
//! (the one JS call below it is `geom`'s `sin`/`cos`, which uses JS `Math`
//! on wasm only, to save size), so all of it is tested natively
//! (`cargo test -p web`). The
//! DOM layer (`app`, `lessons_ui`) reads it and sends it [`Intent`]s; every
//! intent that changes the run becomes a `sim::Action` given to `Sim::act`,
//! which records it on the timeline (so it is in the share link).

mod beats;
mod clock;
mod draft;
mod focus;
mod fork;
mod happened;
mod intent;
mod lesson;
mod markers;
mod narration;
mod questions;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_lessons;
#[cfg(test)]
mod tests_time;

use raft::NodeId;
use sim::scenario::{UnsafeSwitch, NODE_ID_MAX};
use sim::{Action, Scenario, Setting, Sim, SimOptions, View};

pub use beats::{Beat, Beats, BEAT_REAL_MS_MAX, BEAT_SPEED_MAX};
pub use clock::{Clock, FRAME_DT_MS_MAX};
pub use draft::{pending_line, PartitionDraft, DRAFT_GROUPS};
pub use focus::{resolve, Focus};
pub use fork::Fork;
pub use happened::{concerned, happened_line, Happened, HAPPENED_CLAUSES_MAX};
pub use intent::{menu_intent, Hit, Intent, Refusal, NODE_MENU};
pub use lesson::{
    back_target, check_step, next_step, next_target, shown_step, ClaimsChecked, LessonState,
    LessonTick, Source, CLAIMS_EVERY_MS,
};
pub use markers::Markers;
pub use questions::{Answer, Graded, Questions};

/// A seek past the known run simulates in steps of this much virtual time,
/// the markers reading each step's events before the simulator's trace
/// window lets them go.
const SEEK_STEP_US: u64 = 1_000_000;
/// Farthest one seek simulates past the known run (24 h; i18n
/// `seek_too_far` says so): a limit on the work of one call, not on the
/// run, which plays on and can be sought further again.
pub const SEEK_AHEAD_US_MAX: u64 = 24 * 3_600_000_000;

/// Keys of the client requests the page sends, in turn (`set x=1`, `set y=2`, …).
const REQUEST_KEYS: [&str; 5] = ["x", "y", "z", "a", "b"];

/// One run being watched, and everything the user has chosen about it.
///
/// Invariant: `view` is `sim.view()` as of the last change or frame;
/// `menu_node` and `message` are never both open.
pub struct Session {
    sim: Sim,
    /// What a reset returns to.
    base: Scenario,
    /// The last snapshot taken.
    view: View,
    clock: Clock,
    selected: Option<NodeId>,
    /// The server whose menu is open.
    menu_node: Option<NodeId>,
    /// The message whose popup is open.
    message: Option<u64>,
    /// Partition mode's groups, while in partition mode.
    draft: Option<PartitionDraft>,
    markers: Markers,
    /// Client requests sent from the page (numbers their commands).
    requests: u64,
    /// The teaching switch waiting for confirmation.
    confirm: Option<UnsafeSwitch>,
    /// Violations already announced (a new one pauses the run).
    seen_violations: usize,
    /// Bumped whenever the recorded past changes (a fork, a new run).
    generation: u64,
    /// Bumped whenever the run changes other than by time passing.
    revision: u64,
    lesson: Option<LessonState>,
    /// Acting in the past: the question asked, or the old run for Undo.
    fork: Option<Fork>,
    /// The trace events the last Step, Next or action produced.
    happened: Option<Happened>,
}

impl Session {
    /// A session watching `sim`, whose reset returns to `base`.
    pub fn new(sim: Sim, base: Scenario, playing: bool, speed: f64) -> Session {
        let view = sim.view();
        let clock = Clock::new(playing, speed, sim.now_us());
        Session {
            sim,
            base,
            view,
            clock,
            selected: None,
            menu_node: None,
            message: None,
            draft: None,
            markers: Markers::default(),
            requests: 0,
            confirm: None,
            seen_violations: 0,
            generation: 0,
            revision: 0,
            lesson: None,
            fork: None,
            happened: None,
        }
    }

    // ----- reading ---------------------------------------------------------

    /// The simulator (read-only: changes go through intents).
    pub fn sim(&self) -> &Sim {
        &self.sim
    }
    /// What a reset returns to.
    pub fn base(&self) -> &Scenario {
        &self.base
    }
    /// The last snapshot.
    pub fn view(&self) -> &View {
        &self.view
    }
    /// The playback clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
    /// Whether time runs.
    pub fn playing(&self) -> bool {
        self.clock.playing()
    }
    /// Simulated seconds per real second.
    pub fn speed(&self) -> f64 {
        self.clock.speed()
    }
    /// The selected server.
    pub fn selected(&self) -> Option<NodeId> {
        self.selected
    }
    /// The server whose menu is open.
    pub fn menu_node(&self) -> Option<NodeId> {
        self.menu_node
    }
    /// What the node menu's buttons act on: its node, else the selection.
    pub fn menu_target(&self) -> Option<NodeId> {
        self.menu_node.or(self.selected)
    }
    /// The message whose popup is open.
    pub fn message(&self) -> Option<u64> {
        self.message
    }
    /// Partition mode's groups, while in partition mode.
    pub fn draft(&self) -> Option<&PartitionDraft> {
        self.draft.as_ref()
    }
    /// The teaching switch waiting for confirmation.
    pub fn confirm(&self) -> Option<UnsafeSwitch> {
        self.confirm
    }
    /// Bumped whenever the recorded past changes: views of the past start over.
    pub fn generation(&self) -> u64 {
        self.generation
    }
    /// Bumped whenever the run changes other than by time passing.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// The lesson being followed.
    pub fn lesson(&self) -> Option<&LessonState> {
        self.lesson.as_ref()
    }
    /// Acting in the past: the question asked, or the old run for Undo.
    pub fn fork(&self) -> Option<&Fork> {
        self.fork.as_ref()
    }
    /// The trace range `[from, to)` that the last Step, Next or action
    /// produced (Next's grows while it plays), if nothing moved time since.
    pub fn happened(&self) -> Option<(usize, usize)> {
        self.happened?.range(self.sim.trace_len_now())
    }
    /// Whether [`Session::happened`] is final: no longer growing.
    pub fn happened_settled(&self) -> bool {
        self.happened.is_some_and(|h| h.to.is_some()) || !self.clock.playing()
    }
    /// How much known run lies after now, µs (0 at the end of what is known).
    pub fn future_us(&self) -> u64 {
        self.sim.horizon_us().saturating_sub(self.sim.now_us())
    }

    /// The timeline markers, brought up to date with the trace.
    pub fn markers(&mut self) -> &Markers {
        self.markers.scan(&self.sim);
        &self.markers
    }

    /// The scrubber's time range: the whole known run, at least 10 s.
    pub fn horizon_us(&self) -> u64 {
        self.sim.horizon_us().max(self.sim.now_us()).max(10_000_000)
    }

    /// The trace hash of everything up to now (16 hex digits); events the
    /// trace window let go are re-derived (`Sim::replay`).
    pub fn trace_hash(&self) -> String {
        format!("{:016x}", self.sim.trace_hash_to(self.sim.trace_len_now()))
    }

    /// The whole trace up to now as JSON Lines (re-derived where let go).
    pub fn trace_jsonl(&self) -> String {
        let mut s = String::new();
        self.sim.replay(0, self.sim.trace_len_now(), &mut |_, e| {
            s.push_str(&e.to_json());
            s.push('\n');
        });
        s
    }

    // ----- time ------------------------------------------------------------

    /// One animation frame at `ts_ms` (real ms): runs the simulator as far
    /// as the clock says. `hidden`: the tab is in the background.
    pub fn frame(&mut self, ts_ms: f64, hidden: bool) {
        if let Some(target) = self.clock.advance(ts_ms, hidden, self.sim.now_us()) {
            self.sim.run_until(target);
            self.markers.scan(&self.sim);
        }
    }

    /// Takes a new snapshot.
    pub fn refresh_view(&mut self) {
        self.sim.refresh_view(&mut self.view);
    }

    /// Whether the snapshot shows a violation not seen before; if so, the
    /// run pauses (the page says why). While a lesson's Next plays, it is
    /// told where that play stops: there the narration is about it.
    pub fn take_new_violation(&mut self) -> bool {
        let violations = self.view.violations.len();
        let lesson_playing =
            self.clock.playing() && self.lesson.as_ref().is_some_and(|l| l.target_us.is_some());
        if violations > self.seen_violations && !lesson_playing {
            self.seen_violations = violations;
            self.clock.pause();
            return true;
        }
        false
    }

    /// Travels to `t_us`, however far: past the known run it simulates in
    /// steps, so the markers see every event (memory stays bounded).
    pub fn seek(&mut self, t_us: u64) {
        self.clock.forget_stop();
        // Within the known run the simulator's checkpoints take it there
        // (stepping through known history would cost its whole length);
        // only new time is simulated in steps. The markers have already
        // seen every known event.
        let known = self.sim.horizon_us();
        self.sim.seek(t_us.min(known));
        while t_us.saturating_sub(self.sim.now_us()) > SEEK_STEP_US {
            self.sim.run_until(self.sim.now_us() + SEEK_STEP_US);
            self.markers.scan(&self.sim);
        }
        self.sim.seek(t_us);
        self.markers.scan(&self.sim);
        self.clock.sync(self.sim.now_us());
        self.forget_unseen_violations();
        self.refresh_view();
    }

    /// [`Session::seek`] for the user and scripts: refused, with nothing
    /// moved, more than [`SEEK_AHEAD_US_MAX`] past the known run.
    fn seek_asked(&mut self, t_us: u64) -> Result<(), Refusal> {
        if t_us > self.sim.horizon_us().saturating_add(SEEK_AHEAD_US_MAX) {
            return Err(Refusal::SeekTooFar);
        }
        self.seek(t_us);
        Ok(())
    }

    /// Runs exactly one event and pauses.
    pub fn step(&mut self) {
        self.clock.pause();
        let from = self.sim.trace_len_now();
        let _ = self.sim.step();
        self.happened = Some(Happened {
            from,
            to: Some(self.sim.trace_len_now()),
        });
        self.clock.sync(self.sim.now_us());
        self.refresh_view();
    }

    /// Starts `scenario` from time 0; it becomes what a reset returns to.
    pub fn restart_with(&mut self, scenario: Scenario) -> Result<(), Refusal> {
        let sim = Sim::with_options(scenario.clone(), SimOptions::bounded())
            .map_err(|e| Refusal::Failed(e.to_string()))?;
        self.sim = sim;
        self.markers.clear();
        self.base = scenario;
        self.selected = None;
        self.close_popups();
        self.fork = None;
        self.happened = None;
        self.seen_violations = 0;
        self.changed(true);
        self.refresh_view();
        Ok(())
    }

    /// Something other than time passing changed the run. `forked`: the
    /// known future was dropped, and the markers with it (those of the
    /// past stay: the trace window may have let its events go).
    fn changed(&mut self, forked: bool) {
        self.clock.sync(self.sim.now_us());
        self.revision += 1;
        if forked {
            self.generation += 1;
            self.markers.cut(self.sim.trace_len_now());
        }
        self.forget_unseen_violations();
    }

    /// Violations no longer in the run (after travelling back) are not "seen".
    fn forget_unseen_violations(&mut self) {
        self.seen_violations = self.seen_violations.min(self.sim.violations().len());
    }

    // ----- actions ---------------------------------------------------------

    /// Takes `action` now, unless it is aimed at a server that does not
    /// exist; in the past it asks first (see [`Session::act_all`]).
    pub fn act(&mut self, action: Action) -> Result<(), Refusal> {
        self.act_all(vec![action])
    }

    /// Takes `actions` now, in order, unless one is aimed at a server that
    /// does not exist. While viewing the past, acting would drop the known
    /// future: the run pauses and the session asks ([`Fork::Asking`];
    /// `Intent::ConfirmFork` answers).
    pub fn act_all(&mut self, actions: Vec<Action>) -> Result<(), Refusal> {
        let ids = self.sim.node_ids();
        for action in &actions {
            if let Err(why) = sim::check_live_action(action, &ids) {
                return Err(Refusal::Failed(why.to_string()));
            }
        }
        let drops_us = self.future_us();
        if drops_us > 0 {
            self.clock.pause();
            self.fork = Some(Fork::Asking {
                actions,
                at_us: self.sim.now_us(),
                drops_us,
            });
            return Ok(());
        }
        self.take(actions);
        Ok(())
    }

    /// Parses one line of the scenario language and takes it now: for text
    /// from outside (`raftlab.act(line)`), which does not ask (a script
    /// has no one to answer) but can be undone like any fork. The error has
    /// line and column.
    pub fn act_line(&mut self, line: &str) -> Result<(), String> {
        let action =
            sim::parse_live_action(line, &self.sim.node_ids()).map_err(|e| e.to_string())?;
        self.take(vec![action]);
        Ok(())
    }

    /// Takes `actions` now, forking if in the past (the old run is kept
    /// for Undo), and remembers what they produced.
    fn take(&mut self, actions: Vec<Action>) {
        let forks = self.future_us() > 0;
        if forks {
            self.fork = Some(Fork::Undoable {
                old: Box::new(self.sim.scenario().clone()),
                at_us: self.sim.now_us(),
                known_us: self.sim.horizon_us(),
            });
        }
        let from = self.sim.trace_len_now();
        for action in actions {
            self.sim.act(action);
        }
        self.changed(forks);
        self.happened = Some(Happened {
            from: from.min(self.sim.trace_len_now()),
            to: Some(self.sim.trace_len_now()),
        });
        self.refresh_view();
    }

    /// The next client command: `set x=1`, `set y=2`, …
    fn next_command(&mut self) -> String {
        self.requests += 1;
        let key = REQUEST_KEYS[(self.requests % REQUEST_KEYS.len() as u64) as usize];
        format!("set {key}={}", self.requests)
    }

    fn close_popups(&mut self) {
        self.menu_node = None;
        self.message = None;
    }

    fn is_up(&self, id: NodeId) -> bool {
        self.view.nodes.iter().any(|n| n.id == id && n.up)
    }

    /// Does what the user asked.
    pub fn apply(&mut self, intent: Intent) -> Result<(), Refusal> {
        match intent {
            Intent::TogglePlay => {
                self.happened = None;
                self.clock.set_playing(!self.clock.playing());
            }
            Intent::SetPlaying(on) => {
                self.happened = self.happened.filter(|_| !on);
                self.clock.set_playing(on);
            }
            Intent::Step => self.step(),
            Intent::Seek(t_us) => {
                self.happened = None;
                return self.seek_asked(t_us);
            }
            Intent::SeekBy(d_us) => {
                self.happened = None;
                self.clock.pause();
                let now = self.sim.now_us();
                return self.seek_asked(now.saturating_add_signed(d_us));
            }
            Intent::SetSpeed(s) => self.clock.set_speed(s),
            Intent::StepSpeed(dir) => self
                .clock
                .set_speed(crate::params::step_speed(self.clock.speed(), dir)),
            Intent::SetDragging(on) => self.clock.set_dragging(on),
            Intent::Select(id) => self.select(id),
            Intent::Click(hit) => return self.click(hit),
            Intent::OpenMenu(id) => self.open_menu(id),
            Intent::Crash(_)
            | Intent::Timeout(_)
            | Intent::Request(_)
            | Intent::Isolate(_)
            | Intent::Transfer(_)
            | Intent::Compact(_)
            | Intent::Remove(_)
            | Intent::Details(_) => return self.node_intent(intent),
            Intent::ClientRequest => {
                let cmd = self.next_command();
                return self.act(Action::Request { to: None, cmd });
            }
            Intent::Heal => return self.act(Action::Heal),
            Intent::AddServer => return self.add_server(),
            Intent::DropMessage(id) => {
                if self.message == Some(id) {
                    self.message = None;
                }
                return self.act(Action::Drop { id });
            }
            Intent::CloseMessage => self.message = None,
            Intent::TogglePartition => {
                if self.draft.take().is_none() {
                    self.close_popups();
                    self.draft = Some(PartitionDraft::from_view(&self.view));
                }
            }
            Intent::ApplyPartition => {
                if let Some(d) = self.draft.take() {
                    return self.act(d.action());
                }
            }
            Intent::Escape => {
                self.close_popups();
                self.draft = None;
            }
            Intent::Set(setting) => return self.act(Action::Set(setting)),
            Intent::AskUnsafe(switch, true) => self.confirm = Some(switch),
            Intent::AskUnsafe(switch, false) => {
                return self.act(Action::Set(Setting::Unsafe(switch, false)))
            }
            Intent::ConfirmUnsafe(yes) => {
                if let Some(switch) = self.confirm.take().filter(|_| yes) {
                    return self.act(Action::Set(Setting::Unsafe(switch, true)));
                }
            }
            Intent::ChangeMembership { voters, direct } => {
                if voters.is_empty() {
                    return Ok(());
                }
                return self.act(if direct {
                    Action::UnsafeChange { voters }
                } else {
                    Action::Change { voters }
                });
            }
            Intent::Reset => return self.restart_with(self.base.clone()),
            Intent::NewSeed(seed) => {
                let mut sc = self.base.clone();
                sc.settings.seed = seed;
                return self.restart_with(sc);
            }
            Intent::LessonNext => {
                let from = self.sim.trace_len_now();
                self.happened = Some(Happened { from, to: None });
                return self.lesson_next();
            }
            Intent::LessonBack => {
                self.happened = None;
                self.lesson_back();
            }
            Intent::ConfirmFork(yes) => self.confirm_fork(yes),
            Intent::UndoFork => return self.undo_fork(),
            Intent::KeepFork => {
                self.fork = self.fork.take().filter(|f| f.question().is_some());
            }
            Intent::LessonSafe(safe) => return self.lesson_safe(safe),
            Intent::LessonRestart => return self.lesson_restart(),
            Intent::LessonPlayFree => self.lesson_play_free(),
            Intent::LessonAnswer(choice) => return self.lesson_answer(choice),
        }
        Ok(())
    }

    /// A number key: in partition mode the server changes group, else it
    /// is selected. Ids not in the view are ignored.
    fn select(&mut self, id: NodeId) {
        if !self.view.nodes.iter().any(|n| n.id == id) {
            return;
        }
        if let Some(d) = self.draft.as_mut() {
            d.cycle(id);
        } else {
            self.selected = Some(id);
            self.close_popups();
        }
    }

    fn open_menu(&mut self, id: NodeId) {
        self.message = None;
        self.selected = Some(id);
        self.menu_node = Some(id);
    }

    /// A click: in partition mode only servers count (each click moves it
    /// to the next group); else a message opens its popup (and pauses), a
    /// server its menu, a link is cut or restored (both ways), and the
    /// background clears the selection.
    fn click(&mut self, hit: Hit) -> Result<(), Refusal> {
        if let Some(d) = self.draft.as_mut() {
            if let Hit::Node(id) = hit {
                d.cycle(id);
            }
            return Ok(());
        }
        match hit {
            Hit::Message(id) => {
                self.menu_node = None;
                self.clock.pause();
                self.message = Some(id);
            }
            Hit::Node(id) => self.open_menu(id),
            Hit::Link(a, b) => {
                self.close_popups();
                let cut = self
                    .view
                    .network
                    .cuts
                    .iter()
                    .any(|c| (c[0] == a && c[1] == b) || (c[0] == b && c[1] == a));
                let both = if cut {
                    [
                        Action::Restore { from: a, to: b },
                        Action::Restore { from: b, to: a },
                    ]
                } else {
                    [
                        Action::Cut { from: a, to: b },
                        Action::Cut { from: b, to: a },
                    ]
                };
                self.act_all(both.into())?;
            }
            Hit::Empty => {
                self.close_popups();
                self.selected = None;
            }
        }
        Ok(())
    }

    /// A node-menu action (or its key); the menu closes either way.
    fn node_intent(&mut self, intent: Intent) -> Result<(), Refusal> {
        self.menu_node = None;
        let action = match intent {
            Intent::Crash(node) if self.is_up(node) => Action::Crash { node },
            Intent::Crash(node) => Action::Restart { node },
            Intent::Timeout(node) => Action::Timeout { node },
            Intent::Request(node) => Action::Request {
                to: Some(node),
                cmd: self.next_command(),
            },
            Intent::Isolate(node) => Action::Isolate { node },
            Intent::Transfer(to) => Action::Transfer { to },
            Intent::Compact(node) => Action::Compact { node },
            Intent::Remove(node) => Action::Remove { node },
            Intent::Details(node) => {
                self.selected = Some(node);
                return Ok(());
            }
            _ => return Ok(()),
        };
        self.act(action)
    }

    /// Adds a server with the next free id (one above the highest).
    fn add_server(&mut self) -> Result<(), Refusal> {
        let next = self.view.nodes.iter().map(|n| n.id).max().unwrap_or(0) + 1;
        if next > NODE_ID_MAX {
            return Err(Refusal::TooManyNodes);
        }
        self.act(Action::Add { node: next })
    }
}
