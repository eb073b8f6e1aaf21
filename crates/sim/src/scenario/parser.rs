//! The parser: a scenario text line by line, each line through the
//! directive table, then the checks that need the whole text (staged nodes
//! in the cluster, actions aimed at servers that exist). Also one action
//! without `at`, as the UI and `Sim::act_line` give it.

use super::directives::{parse_directive, Directive};
use super::lexer::{tokenize, TokKind};
use super::staged::{slot, Staging};
use super::types::{Action, ParseError, Scenario, Timed};
use super::{NodeId, NODE_ID_MAX, TIMELINE_LEN_MAX};
use crate::claim::Expect;
use crate::units::{format_duration_us, parse_duration_us};

/// One parsed line.
struct Line {
    /// `at TIME`, if the line has it.
    at: Option<u64>,
    /// What the line says.
    directive: Directive,
    /// Every node id it names, with its column.
    named: Vec<(NodeId, usize)>,
}

/// A parsed line: an optional `at` time and a directive (`None`: blank).
fn parse_line(line_no: usize, text: &str) -> Result<Option<Line>, ParseError> {
    let mut toks = tokenize(line_no, text)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let end_column = text.chars().count() + 1;
    let mut at = None;
    if toks[0].kind == TokKind::Word("at".into()) {
        let column = toks.get(1).map_or(end_column, |t| t.column);
        let time = match toks.get(1).map(|t| &t.kind) {
            Some(TokKind::Word(w)) => parse_duration_us(w),
            _ => None,
        };
        let Some(time) = time else {
            return Err(ParseError {
                line: line_no,
                column,
                message: "`at` expects a time such as `800ms` or `1.2s`".into(),
            });
        };
        at = Some(time);
        toks.drain(..2);
        if toks.is_empty() {
            return Err(ParseError {
                line: line_no,
                column: end_column,
                message: "expected a directive after the time".into(),
            });
        }
    }
    let (directive, named) = parse_directive(line_no, toks, end_column)?;
    Ok(Some(Line {
        at,
        directive,
        named,
    }))
}

/// The state of one parse: the scenario so far and what the checks at the
/// end of the text need.
struct Parser {
    sc: Scenario,
    /// Time of the latest timeline line: the timeline is in time order.
    last_at_us: u64,
    /// Where each node's staged state was written (for errors).
    staging: Staging,
    /// The servers that timeline actions and claims aim at, as (line, id,
    /// column): checked at the end, when `nodes` is known.
    aimed_at: Vec<(usize, NodeId, usize)>,
    /// The ids that some action creates (`add`, `add-learner`, `change`,
    /// `unsafe-change`), by node id.
    added: [bool; NODE_ID_MAX as usize + 1],
}

impl Scenario {
    /// Parses a scenario. Never panics; an error names the line and column.
    pub fn parse(text: &str) -> Result<Scenario, ParseError> {
        let mut p = Parser {
            sc: Scenario::default(),
            last_at_us: 0,
            staging: Staging::new(),
            aimed_at: Vec::new(),
            added: [false; NODE_ID_MAX as usize + 1],
        };
        for (i, line) in text.lines().enumerate() {
            p.line(i + 1, line)?;
        }
        p.finish()
    }

    fn push_timed(
        &mut self,
        at_us: u64,
        action: Action,
        last_at_us: &mut u64,
    ) -> Result<(), String> {
        if at_us < *last_at_us {
            return Err(format!(
                "time goes backwards: {} comes after {}; timeline lines must be in time order",
                format_duration_us(at_us),
                format_duration_us(*last_at_us)
            ));
        }
        if self.timeline.len() >= TIMELINE_LEN_MAX {
            return Err(format!("more than {TIMELINE_LEN_MAX} timeline lines"));
        }
        *last_at_us = at_us;
        self.timeline.push(Timed { at_us, action });
        Ok(())
    }
}

impl Parser {
    /// One line of the text (blank lines and comments do nothing).
    fn line(&mut self, line_no: usize, text: &str) -> Result<(), ParseError> {
        let Some(Line {
            at,
            directive,
            named,
        }) = parse_line(line_no, text)?
        else {
            return Ok(());
        };
        if at.is_some() {
            self.aimed_at
                .extend(named.iter().map(|&(id, column)| (line_no, id, column)));
        }
        let column = text.chars().position(|c| !c.is_whitespace()).unwrap_or(0) + 1;
        let err = |message: String| ParseError {
            line: line_no,
            column,
            message,
        };
        match at {
            None => self.configure(directive, (line_no, column)),
            Some(at_us) => self.timed(at_us, directive, line_no).map_err(err),
        }
    }

    /// A line without `at`: it configures the initial cluster.
    fn configure(&mut self, directive: Directive, at: (usize, usize)) -> Result<(), ParseError> {
        let (line_no, column) = at;
        let err = |message: &str| ParseError {
            line: line_no,
            column,
            message: message.into(),
        };
        let settings = &mut self.sc.settings;
        match directive {
            Directive::Version(_) => {}
            Directive::Nodes(n) => settings.nodes = n,
            Directive::Seed(s) => settings.seed = s,
            Directive::Run(t) => self.sc.run_us = Some(t),
            Directive::Setting(s) => settings.apply(&s),
            Directive::Term { node, term, column } => {
                self.staging.term(settings, at, node, term, column)?
            }
            Directive::Log {
                node,
                entries,
                columns,
            } => self.staging.log(settings, at, node, entries, &columns)?,
            Directive::Action(_) => {
                return Err(err("this is a timeline action: write it as `at TIME ...`"))
            }
            Directive::Expect { .. } => {
                return Err(err(
                    "a claim is about a moment of the run: write it as `at TIME expect ...`",
                ))
            }
        }
        Ok(())
    }

    /// A line `at AT_US ...`: a timeline action, a setting changed during the
    /// run, or a claim. The error's text is placed at the line's first word.
    fn timed(&mut self, at_us: u64, directive: Directive, line_no: usize) -> Result<(), String> {
        match directive {
            Directive::Expect { claim, column } => {
                if self.sc.expects.len() >= TIMELINE_LEN_MAX {
                    return Err(format!("more than {TIMELINE_LEN_MAX} claims"));
                }
                self.sc.expects.push(Expect {
                    at_us,
                    line: line_no,
                    column,
                    claim,
                });
                Ok(())
            }
            Directive::Version(_)
            | Directive::Nodes(_)
            | Directive::Seed(_)
            | Directive::Run(_)
            | Directive::Term { .. }
            | Directive::Log { .. } => {
                Err("this directive configures the whole run and cannot follow `at`".into())
            }
            Directive::Setting(s) | Directive::Action(Action::Set(s)) => {
                self.sc
                    .push_timed(at_us, Action::Set(s), &mut self.last_at_us)
            }
            Directive::Action(a) => {
                for &id in a.created_nodes() {
                    self.added[slot(id)] = true;
                }
                self.sc.push_timed(at_us, a, &mut self.last_at_us)
            }
        }
    }

    /// The checks that need the whole text.
    fn finish(self) -> Result<Scenario, ParseError> {
        let sc = self.sc;
        self.staging.check_in_cluster(sc.settings.nodes)?;
        // An action or a claim aimed at a server that never exists: not an
        // initial node and created by no action anywhere in the timeline (an
        // action before the `add` is fine: the simulator notes it).
        let nodes = sc.settings.nodes;
        if let Some(&(line, id, column)) = self
            .aimed_at
            .iter()
            .find(|&&(_, id, _)| id > nodes && !self.added[slot(id)])
        {
            return Err(ParseError {
                line,
                column,
                message: format!(
                    "node {id} does not exist: the cluster has {} and no `add {id}`",
                    nodes_text(&(1..=nodes).collect::<Vec<_>>())
                ),
            });
        }
        debug_assert!(
            sc.settings.check_staged().is_ok(),
            "the parser checks every staged invariant"
        );
        Ok(sc)
    }
}

/// Parses one directive without `at`, as typed in the UI or given to `act`:
/// an action (`crash 1`) or a setting (`prevote on`, returned as [`Action::Set`]).
pub fn parse_action(line: &str) -> Result<Action, ParseError> {
    parse_action_named(line).map(|(a, _)| a)
}

/// [`parse_action`] for a running simulation whose servers are now
/// `servers` (`Sim::act_line`): an action aimed at a server that is not one
/// of them is refused, naming the id's column, unless the action is the one
/// that creates it (`add`, `add-learner`, `change`, `unsafe-change`). So a
/// session, and the share link made from it, never aims at a server that
/// does not exist.
pub fn parse_live_action(line: &str, servers: &[NodeId]) -> Result<Action, ParseError> {
    let (action, named) = parse_action_named(line)?;
    if action.created_nodes().is_empty() {
        if let Some(&(id, column)) = named.iter().find(|(id, _)| !servers.contains(id)) {
            return Err(no_such_server(id, column, servers));
        }
    }
    Ok(action)
}

/// [`parse_live_action`]'s check for an action that is already typed (the
/// page's menus and buttons): refused with the same words and the column
/// the id has in the action's own line, so the page says the same thing
/// whichever way the action came.
pub fn check_live_action(action: &Action, servers: &[NodeId]) -> Result<(), ParseError> {
    let Some(id) = action
        .target_nodes()
        .into_iter()
        .find(|id| !servers.contains(id))
    else {
        return Ok(());
    };
    // The column of the id in the printed line, as the parser counts (1-based,
    // in characters): the first word after the verb that is it.
    let line = action.to_string();
    let word = id.to_string();
    let mut column = 1;
    for (i, w) in line.split(' ').enumerate() {
        if i > 0 && w == word {
            break;
        }
        column += w.chars().count() + 1;
    }
    Err(no_such_server(id, column, servers))
}

fn no_such_server(id: NodeId, column: usize, servers: &[NodeId]) -> ParseError {
    ParseError {
        line: 1,
        column,
        message: format!(
            "node {id} does not exist: the cluster has {}; `add {id}` creates it",
            nodes_text(servers)
        ),
    }
}

fn parse_action_named(line: &str) -> Result<(Action, Vec<(NodeId, usize)>), ParseError> {
    let Some(Line {
        at,
        directive,
        named,
    }) = parse_line(1, line)?
    else {
        return Err(ParseError {
            line: 1,
            column: 1,
            message: "expected an action such as `crash 1`".into(),
        });
    };
    let err = |message: &str| ParseError {
        line: 1,
        column: 1,
        message: message.into(),
    };
    match (at, directive) {
        (Some(_), _) => Err(err("an action takes effect now: leave out `at TIME`")),
        (None, Directive::Action(a)) => Ok((a, named)),
        (None, Directive::Setting(s)) => Ok((Action::Set(s), named)),
        (None, Directive::Expect { .. }) => Err(err(
            "a claim is not an action: it belongs in a scenario file as `at TIME expect ...`",
        )),
        (None, _) => Err(err(
            "this directive configures a new run (reset the cluster instead)",
        )),
    }
}

/// "nodes 1..5", "nodes 1..5, 7", "node 1", "no nodes": a set of ids in
/// increasing order, runs of three or more as ranges.
fn nodes_text(ids: &[NodeId]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}..{}", ids[i], ids[j]));
        } else {
            parts.extend(ids[i..=j].iter().map(|id| id.to_string()));
        }
        i = j + 1;
    }
    match (ids.len(), parts.is_empty()) {
        (_, true) => "no nodes".into(),
        (1, _) => format!("node {}", parts.join(", ")),
        _ => format!("nodes {}", parts.join(", ")),
    }
}
