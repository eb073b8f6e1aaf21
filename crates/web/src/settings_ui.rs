//! The settings dialog: its fields filled from the run, a new run from
//! them, the protocol and teaching switches, and membership changes.

use raft::NodeId;
use sim::scenario::{BackoffMode, NODES_MAX, NODE_ID_MAX};
use sim::{Scenario, Setting};
use wasm_bindgen::JsCast;

use crate::app::App;
use crate::dom::{self, set_html, set_text, show};
use crate::i18n::{t, tf};
use crate::page::{close_dialogs, ppm_percent};
use crate::session::Intent;
use crate::unsafe_switches::{self, UNSAFE};

/// A setting turned on (`true`) or off.
type Switch = fn(bool) -> Setting;

/// The protocol checkboxes: (checkbox id, the setting it turns on or off).
pub const PROTOCOL: [(&str, Switch); 4] = [
    ("sw-prevote", Setting::PreVote),
    ("sw-checkquorum", Setting::CheckQuorum),
    ("sw-sticky", Setting::StickyLeader),
    ("sw-hint", |on| {
        Setting::Backoff(if on {
            BackoffMode::Hint
        } else {
            BackoffMode::Decrement
        })
    }),
];

impl App {
    /// Settings dialog: fill the fields from the current run.
    pub fn fill_settings(&self) {
        let base = self.session.base();
        let view = self.session.view();
        let s = &view.settings;
        dom::set_value("set-nodes", &base.settings.nodes.to_string());
        dom::set_value("set-seed", &base.settings.seed.to_string());
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
        dom::set_checked("sw-hint", s.backoff == BackoffMode::Hint);
        for r in UNSAFE {
            dom::set_checked(
                r.checkbox,
                unsafe_switches::is_on(&s.unsafe_switches, r.switch),
            );
        }
        self.show_unsafe_change();
        // Membership boxes: every known node plus one new id.
        let voters: Vec<NodeId> = view
            .leader
            .and_then(|l| view.nodes.iter().find(|n| n.id == l))
            .or(view.nodes.first())
            .map(|n| n.voters.clone())
            .unwrap_or_default();
        let max = view.nodes.iter().map(|n| n.id).max().unwrap_or(0);
        let mut h = String::new();
        for id in 1..=(max + 1).min(NODE_ID_MAX) {
            h.push_str(&format!(
                "<label class=\"member\"><input type=\"checkbox\" data-id=\"{id}\"{}> S{id}</label>",
                if voters.contains(&id) { " checked" } else { "" }
            ));
        }
        set_html("member-boxes", &h);
    }

    /// The `unsafe-change` button is there only while its switch is on.
    fn show_unsafe_change(&self) {
        let flags = &self.session.view().settings.unsafe_switches;
        show(
            "btn-unsafe-change",
            unsafe_switches::is_on(flags, sim::scenario::UnsafeSwitch::DirectChange),
        );
    }

    /// The "Start new run" button of the settings dialog.
    pub fn apply_settings(&mut self) {
        // Fixed-point, in thousandths: exact, and no float parsing in the wasm.
        let milli = |id: &str| sim::units::parse_fixed(dom::value(id).trim(), 3);
        let mut s = self.session.base().settings.clone();
        // A new run starts from empty logs, even after a lesson that staged
        // some (its staged nodes may not even exist in the new cluster).
        s.staged.clear();
        if let Some(n) = milli("set-nodes") {
            s.nodes = u32::try_from(n / 1000)
                .unwrap_or(u32::MAX)
                .clamp(1, NODES_MAX);
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
        let cur = &self.session.view().settings;
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

    /// A protocol checkbox changed.
    pub fn protocol_switch(&mut self, id: &str) {
        let on = dom::checked(id);
        if let Some((_, setting)) = PROTOCOL.iter().find(|(box_id, _)| *box_id == id) {
            self.apply(Intent::Set(setting(on)));
        }
    }

    /// A teaching switch's checkbox changed: turning one on needs a confirmation.
    pub fn unsafe_switch(&mut self, i: usize) {
        let Some(r) = UNSAFE.get(i) else {
            return;
        };
        let on = dom::checked(r.checkbox);
        if on {
            dom::set_checked(r.checkbox, false);
        }
        self.apply(Intent::AskUnsafe(r.switch, on));
        if on {
            self.fill_confirm_text();
            show("confirm-dialog", true);
        } else {
            self.show_unsafe_change();
        }
    }

    /// The confirmation dialog's answer.
    pub fn confirm_unsafe(&mut self, yes: bool) {
        show("confirm-dialog", false);
        let Some(switch) = self.session.confirm() else {
            return;
        };
        self.apply(Intent::ConfirmUnsafe(yes));
        if yes {
            dom::set_checked(unsafe_switches::row(switch).checkbox, true);
            self.show_unsafe_change();
        }
    }

    /// The confirmation dialog's question, in the page's language.
    pub(crate) fn fill_confirm_text(&self) {
        if let Some(switch) = self.session.confirm() {
            let label = t(self.lang, unsafe_switches::row(switch).label);
            set_text("confirm-text", &tf(self.lang, "confirm_text", &[label]));
        }
    }

    /// Membership change from the checkboxes.
    pub fn change_membership(&mut self, direct: bool) {
        let Some(d) = dom::doc() else { return };
        let Ok(list) = d.query_selector_all("#member-boxes input[type=checkbox]") else {
            return;
        };
        let mut voters = Vec::new();
        for i in 0..list.length() {
            let Some(e) = list
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                continue;
            };
            let id = e.get_attribute("data-id").and_then(|id| id.parse().ok());
            if let Some(id) = id.filter(|_| e.checked()) {
                voters.push(id);
            }
        }
        if voters.is_empty() {
            return;
        }
        self.apply(Intent::ChangeMembership { voters, direct });
        close_dialogs();
    }
}
