//! The directive table ([`DIRECTIVES`]): each directive of the language is
//! one row, with its usage and one parse function that reads its arguments
//! with the cursor ([`Args`]). A new directive is a new row and a new function.

use super::cursor::Args;
use super::lexer::{describe, Tok, TokKind};
use super::settings::{BackoffMode, UnsafeSwitch};
use super::staged::{StagedEntry, STAGED_LOG_LEN_MAX};
use super::types::{Action, ParseError, Setting};
use super::{NodeId, FORMAT_VERSION, NODES_MAX};
use crate::claim::Claim;

/// What one directive line means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `raftlab N`: the format version.
    Version(u32),
    /// `nodes N`
    Nodes(u32),
    /// `seed S`
    Seed(u64),
    /// `run T`
    Run(u64),
    /// A setting (initial, or timed).
    Setting(Setting),
    /// A timeline action (needs `at`).
    Action(Action),
    /// `term N T`: node N's currentTerm before time 0.
    Term {
        /// The node.
        node: NodeId,
        /// Its term.
        term: u64,
        /// Column of the term (for errors found against other lines).
        column: usize,
    },
    /// `expect CLAIM` (after `at TIME`): a claim about the run at that moment.
    Expect {
        /// What is claimed.
        claim: Claim,
        /// Column of the claim (its first word).
        column: usize,
    },
    /// `log N T T:"cmd" ...`: node N's log before time 0.
    Log {
        /// The node.
        node: NodeId,
        /// The entries, at indexes 1, 2, ...
        entries: Vec<StagedEntry>,
        /// Column of each entry (for errors found against other lines).
        columns: Vec<usize>,
    },
}

/// One entry of the directive table.
pub struct DirectiveSpec {
    /// The keyword that starts the line.
    pub name: &'static str,
    /// Usage, for error messages and `--help`.
    pub usage: &'static str,
    /// Parses the arguments (after the keyword).
    pub parse: fn(&mut Args) -> Result<Directive, ParseError>,
}

fn p_version(a: &mut Args) -> Result<Directive, ParseError> {
    let column = a.column();
    let v = a.conv("a format version number such as `1`", |w| {
        w.parse::<u32>().ok()
    })?;
    if v != FORMAT_VERSION {
        return Err(ParseError {
            line: a.line,
            column,
            message: format!(
                "format version {v} is not supported: this build reads version {FORMAT_VERSION}{}",
                if v > FORMAT_VERSION {
                    " (the scenario was written by a newer Raftlab)"
                } else {
                    ""
                }
            ),
        });
    }
    Ok(Directive::Version(v))
}
fn p_nodes(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Nodes(a.conv(
        &format!("a cluster size 1..={NODES_MAX}"),
        |w| {
            w.parse::<u32>()
                .ok()
                .filter(|n| (1..=NODES_MAX).contains(n))
        },
    )?))
}
fn p_seed(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Seed(
        a.u64("a seed (an unsigned 64-bit integer)")?,
    ))
}
fn p_run(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Run(a.duration()?))
}
fn range(a: &mut Args, positive: bool) -> Result<(u64, u64), ParseError> {
    let column = a.column();
    let min = a.duration()?;
    let max = a.duration()?;
    if min > max || (positive && min == 0) {
        return Err(ParseError {
            line: a.line,
            column,
            message: format!(
                "`{}` expects MIN MAX with {}MIN <= MAX",
                a.name,
                if positive { "0 < " } else { "" }
            ),
        });
    }
    Ok((min, max))
}
fn p_election(a: &mut Args) -> Result<Directive, ParseError> {
    let (min_us, max_us) = range(a, true)?;
    Ok(Directive::Setting(Setting::ElectionTimeout {
        min_us,
        max_us,
    }))
}
fn p_heartbeat(a: &mut Args) -> Result<Directive, ParseError> {
    let column = a.column();
    let every_us = a.duration()?;
    if every_us == 0 {
        return Err(ParseError {
            line: a.line,
            column,
            message: "`heartbeat` must be more than 0".into(),
        });
    }
    Ok(Directive::Setting(Setting::Heartbeat { every_us }))
}
fn p_latency(a: &mut Args) -> Result<Directive, ParseError> {
    let (min_us, max_us) = range(a, false)?;
    Ok(Directive::Setting(Setting::Latency { min_us, max_us }))
}
fn p_loss(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Loss(a.percent()?)))
}
fn p_duplicate(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Duplicate(a.percent()?)))
}
fn p_reorder(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Reorder(a.percent()?)))
}
fn p_prevote(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::PreVote(a.on_off()?)))
}
fn p_check_quorum(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::CheckQuorum(a.on_off()?)))
}
fn p_sticky_leader(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::StickyLeader(a.on_off()?)))
}
fn p_noop(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Noop(a.on_off()?)))
}
fn p_backoff(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Setting(Setting::Backoff(a.conv(
        "`decrement` or `hint`",
        |w| match w {
            "decrement" => Some(BackoffMode::Decrement),
            "hint" => Some(BackoffMode::Hint),
            _ => None,
        },
    )?)))
}
fn p_unsafe(a: &mut Args) -> Result<Directive, ParseError> {
    let names: Vec<&str> = UnsafeSwitch::ALL.iter().map(|s| s.name()).collect();
    let switch = a.conv(&format!("a teaching switch ({})", names.join(", ")), |w| {
        UnsafeSwitch::ALL.into_iter().find(|s| s.name() == w)
    })?;
    Ok(Directive::Setting(Setting::Unsafe(switch, a.on_off()?)))
}
fn p_snapshot_every(a: &mut Args) -> Result<Directive, ParseError> {
    let every = a.conv("a number of entries (> 0) or `off`", |w| {
        if w == "off" {
            Some(None)
        } else {
            w.parse::<u64>().ok().filter(|&n| n > 0).map(Some)
        }
    })?;
    Ok(Directive::Setting(Setting::SnapshotEvery(every)))
}
fn p_term(a: &mut Args) -> Result<Directive, ParseError> {
    let node = a.node()?;
    let column = a.column();
    let term = a.u64("a term number")?;
    Ok(Directive::Term { node, term, column })
}
fn p_log(a: &mut Args) -> Result<Directive, ParseError> {
    const WHAT: &str = "entry terms such as `1 1 4` or `4:\"x=1\"`";
    let node = a.node()?;
    let mut entries: Vec<StagedEntry> = Vec::new();
    let mut columns = Vec::new();
    while !a.at_end() {
        let column = a.column();
        let Some(word) = a.peek_word().map(str::to_string) else {
            return Err(a.expected(WHAT));
        };
        let (digits, with_cmd) = match word.strip_suffix(':') {
            Some(d) => (d, true),
            None => (word.as_str(), false),
        };
        let Some(term) = digits.parse::<u64>().ok().filter(|&t| t > 0) else {
            return Err(a.expected(&format!("{WHAT} (terms start at 1)")));
        };
        a.pos += 1;
        let cmd = if with_cmd { Some(a.string()?) } else { None };
        if let Some(prev) = entries.last().filter(|p| p.term > term) {
            return Err(ParseError {
                line: a.line,
                column,
                message: format!(
                    "entry {} has term {term} after an entry of term {}: terms never decrease along a log (§5.3)",
                    entries.len() + 1,
                    prev.term
                ),
            });
        }
        if entries.len() >= STAGED_LOG_LEN_MAX {
            return Err(a.error(format!(
                "a staged log holds at most {STAGED_LOG_LEN_MAX} entries"
            )));
        }
        entries.push(StagedEntry { term, cmd });
        columns.push(column);
    }
    if entries.is_empty() {
        return Err(a.expected(WHAT));
    }
    Ok(Directive::Log {
        node,
        entries,
        columns,
    })
}
fn p_request(a: &mut Args) -> Result<Directive, ParseError> {
    let to = if a.peek_word().is_some() {
        Some(a.node()?)
    } else {
        None
    };
    let cmd = a.string()?;
    Ok(Directive::Action(Action::Request { to, cmd }))
}
fn p_crash(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Crash { node: a.node()? }))
}
fn p_restart(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Restart { node: a.node()? }))
}
fn p_timeout(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Timeout { node: a.node()? }))
}
fn p_partition(a: &mut Args) -> Result<Directive, ParseError> {
    let mut groups: Vec<Vec<NodeId>> = Vec::new();
    loop {
        let column = a.column();
        let group = a.node_list()?;
        if let Some(n) = group.iter().find(|n| groups.iter().any(|g| g.contains(n))) {
            return Err(ParseError {
                line: a.line,
                column,
                message: format!("node {n} is in two groups"),
            });
        }
        groups.push(group);
        if a.is_bar() {
            a.pos += 1;
        } else {
            break;
        }
    }
    Ok(Directive::Action(Action::Partition { groups }))
}
fn p_isolate(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Isolate { node: a.node()? }))
}
fn link_pair(a: &mut Args) -> Result<(NodeId, NodeId), ParseError> {
    let column = a.column();
    let from = a.node()?;
    let to = a.node()?;
    if from == to {
        return Err(ParseError {
            line: a.line,
            column,
            message: format!("`{}` needs two different nodes", a.name),
        });
    }
    Ok((from, to))
}
fn p_cut(a: &mut Args) -> Result<Directive, ParseError> {
    let (from, to) = link_pair(a)?;
    Ok(Directive::Action(Action::Cut { from, to }))
}
fn p_restore(a: &mut Args) -> Result<Directive, ParseError> {
    let (from, to) = link_pair(a)?;
    Ok(Directive::Action(Action::Restore { from, to }))
}
fn p_heal(_: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Heal))
}
fn p_drop(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Drop {
        id: a.u64("a message id")?,
    }))
}
fn p_add(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Add { node: a.node()? }))
}
fn p_add_learner(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::AddLearner { node: a.node()? }))
}
fn p_remove(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Remove { node: a.node()? }))
}
fn p_change(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Change {
        voters: a.node_list()?,
    }))
}
fn p_unsafe_change(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::UnsafeChange {
        voters: a.node_list()?,
    }))
}
fn p_transfer(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Transfer { to: a.node()? }))
}
fn p_compact(a: &mut Args) -> Result<Directive, ParseError> {
    Ok(Directive::Action(Action::Compact { node: a.node()? }))
}

fn p_expect(a: &mut Args) -> Result<Directive, ParseError> {
    let column = a.column();
    let claim = crate::claim::parse_claim(a)?;
    Ok(Directive::Expect { claim, column })
}

/// Every directive of the language (except `at`, which prefixes a timeline
/// line): keyword, usage, parse function.
pub const DIRECTIVES: &[DirectiveSpec] = &[
    spec("raftlab", "raftlab 1", p_version),
    spec("nodes", "nodes N", p_nodes),
    spec("seed", "seed S", p_seed),
    spec("run", "run TIME", p_run),
    spec("term", "term N T", p_term),
    spec("log", "log N T T:\"CMD\" ...", p_log),
    spec("election-timeout", "election-timeout MIN MAX", p_election),
    spec("heartbeat", "heartbeat EVERY", p_heartbeat),
    spec("latency", "latency MIN MAX", p_latency),
    spec("loss", "loss P%", p_loss),
    spec("duplicate", "duplicate P%", p_duplicate),
    spec("reorder", "reorder P%", p_reorder),
    spec("prevote", "prevote on|off", p_prevote),
    spec("check-quorum", "check-quorum on|off", p_check_quorum),
    spec("sticky-leader", "sticky-leader on|off", p_sticky_leader),
    spec("noop", "noop on|off", p_noop),
    spec("backoff", "backoff decrement|hint", p_backoff),
    spec("unsafe", "unsafe SWITCH on|off", p_unsafe),
    spec("snapshot-every", "snapshot-every N|off", p_snapshot_every),
    spec("request", "request [N] \"CMD\"", p_request),
    spec("crash", "crash N", p_crash),
    spec("restart", "restart N", p_restart),
    spec("timeout", "timeout N", p_timeout),
    spec("partition", "partition A B | C D E", p_partition),
    spec("isolate", "isolate N", p_isolate),
    spec("cut", "cut FROM TO", p_cut),
    spec("restore", "restore FROM TO", p_restore),
    spec("heal", "heal", p_heal),
    spec("drop", "drop MESSAGE-ID", p_drop),
    spec("add", "add N", p_add),
    spec("add-learner", "add-learner N", p_add_learner),
    spec("remove", "remove N", p_remove),
    spec("change", "change N...", p_change),
    spec("unsafe-change", "unsafe-change N...", p_unsafe_change),
    spec("transfer", "transfer N", p_transfer),
    spec("compact", "compact N", p_compact),
    spec("expect", "expect CLAIM", p_expect),
];

/// One row of [`DIRECTIVES`].
const fn spec(
    name: &'static str,
    usage: &'static str,
    parse: fn(&mut Args) -> Result<Directive, ParseError>,
) -> DirectiveSpec {
    DirectiveSpec { name, usage, parse }
}

/// Parses one line's tokens (no `at`) with the directive table. Also gives
/// every node id the line names, with its column.
pub(super) fn parse_directive(
    line: usize,
    toks: Vec<Tok>,
    end_column: usize,
) -> Result<(Directive, Vec<(NodeId, usize)>), ParseError> {
    let Some(first) = toks.first() else {
        return Err(ParseError {
            line,
            column: 1,
            message: "expected a directive".into(),
        });
    };
    let column = first.column;
    let TokKind::Word(name) = &first.kind else {
        return Err(ParseError {
            line,
            column,
            message: format!("expected a directive, found {}", describe(&first.kind)),
        });
    };
    let Some(spec) = DIRECTIVES.iter().find(|d| d.name == name) else {
        let names: Vec<&str> = DIRECTIVES.iter().map(|d| d.name).collect();
        return Err(ParseError {
            line,
            column,
            message: format!(
                "unknown directive `{name}`; expected `at` or one of: {}",
                names.join(", ")
            ),
        });
    };
    let mut args = Args::new(line, toks, end_column, spec.name);
    args.pos = 1;
    let d = (spec.parse)(&mut args)?;
    args.finish()?;
    Ok((d, args.named))
}
