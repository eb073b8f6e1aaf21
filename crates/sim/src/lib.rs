//! Deterministic discrete-event simulator for Raft clusters.
//!
//! One seed, the settings and the timeline of actions determine a run bit for
//! bit: virtual time in µs, one event queue ordered by (time, sequence), one
//! ChaCha8 PRNG family with a stream per component, integer probabilities,
//! ordered maps only. No clock, no threads, no files: the crate builds for
//! `wasm32-unknown-unknown`.
//!
//! Entry points: [`Scenario::parse`], [`Sim::new`], [`Sim::run_until`],
//! [`Sim::step`], [`Sim::act`], [`Sim::seek`], [`Sim::view`], [`Sim::trace`]
//! (each event as JSON, [`TraceEvent::to_json`], or as a readable line,
//! [`TraceEvent::to_line`]), [`encode_link`] / [`decode_link`], [`check_all`]
//! for a scenario's `expect` claims ([`claim`]), and [`vopr`] for randomized
//! fault runs.
//!
//! The modules are split by job (ARCHITECTURE.md has the file map); the
//! types other crates need are re-exported here.

pub mod checker;
pub mod claim;
pub mod link;
pub mod rng;
pub mod scenario;
mod sim;
pub mod trace;
pub mod units;
pub mod view;
pub mod vopr;

pub use checker::{Property, Violation};
pub use claim::{check_all, check_claims, Claim, ClaimFailure, Expect, Unmet};
/// A server's key-value store (the replicated state machine), in key order.
pub type Kv = raft::VecMap<String, String>;

pub use link::{
    body_to_standard_base64, decode_link, encode_link, link_body, link_from_body,
    link_from_payload, link_from_text, link_payload, link_text, standard_base64_to_body, LinkError,
    LINK_LEN_MAX, LINK_TEXT_LEN_MAX,
};
pub use scenario::{
    check_live_action, parse_action, parse_live_action, Action, ParseError, Scenario, Setting,
    Settings, Timed,
};
pub use sim::{
    apply_command, command_write, Sim, SimError, SimOptions, CHECKPOINTS_MAX_DEFAULT,
    CHECKPOINT_EVERY_US_DEFAULT, TRACE_WINDOW_PAGE,
};
pub use trace::{
    trace_hash, ChangeResult, ClientResult, DropReason, EntryKind, Ev, MembershipRole, Removal,
    TraceEvent,
};
pub use view::View;
