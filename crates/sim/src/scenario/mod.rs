//! The scenario language: plain text, one directive per line, `#` starts a
//! comment. Lines without `at` configure the initial cluster; `at TIME ...`
//! lines are the timeline. The full reference is docs/scenarios.md.
//!
//! Parsing is table-driven ([`DIRECTIVES`]): each directive is one entry with
//! one parse function, so new directives (e.g. lesson narration) are added
//! without restructuring. Printing a [`Scenario`] gives text that parses back
//! to an equal `Scenario`.
//!
//! One job per file:
//! - `types`: [`Setting`], [`Action`], [`Timed`], [`Scenario`], [`ParseError`];
//! - `settings`: [`Settings`] and the teaching switches;
//! - `staged`: persistent state before time 0 (`term N T`, `log N ...`) and its checks;
//! - `lexer`: [`tokenize`] a line into [`Tok`]s;
//! - `cursor`: [`Args`], reading one line's tokens;
//! - `directives`: the [`DIRECTIVES`] table and one parse function per directive;
//! - `parser`: [`Scenario::parse`], [`parse_action`], [`parse_live_action`],
//!   [`check_live_action`];
//! - `printer`: the `Display` impls (text that parses back);
//! - `serde_text`: actions and settings serialized as their directive text.

mod cursor;
mod directives;
mod lexer;
mod parser;
mod printer;
mod serde_text;
mod settings;
mod staged;
mod types;

pub use cursor::Args;
pub use directives::{Directive, DirectiveSpec, DIRECTIVES};
pub use lexer::{describe, tokenize, Tok, TokKind};
pub use parser::{check_live_action, parse_action, parse_live_action};
pub(crate) use printer::{join, quote};
pub use settings::{BackoffMode, Settings, UnsafeSwitch, UnsafeSwitches};
pub use staged::{auto_command, StagedEntry, StagedNode, STAGED_LOG_LEN_MAX};
pub use types::{Action, ParseError, Scenario, Setting, Timed};

/// A server's id, as in the `raft` crate (1-based).
pub type NodeId = u32;

/// The scenario format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest node id a scenario may name (initial nodes are 1..=9, `add` may go beyond).
pub const NODE_ID_MAX: NodeId = 16;
/// Largest initial cluster.
pub const NODES_MAX: u32 = 9;
/// Longest client command, in bytes ("put a limit on everything").
pub const CMD_LEN_MAX: usize = 200;
/// Most timeline lines in one scenario (a link is limited to 16 KB anyway).
pub const TIMELINE_LEN_MAX: usize = 100_000;
