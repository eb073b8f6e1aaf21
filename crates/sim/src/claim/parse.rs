//! Parsing a claim: the text after `expect`, read with the scenario
//! language's cursor ([`Args`]) so that messages and columns are the same.
//! One parse function per claim keyword, in a table ([`CLAIMS`]); the role
//! claims (`leader 3 term 2`) come first and share one function.

use raft::{LogIndex, NodeId};

use super::{Claim, ClientClaim, RoleClaim};
use crate::scenario::{Args, ParseError};
use crate::Property;

/// Parses a property by its paper title (`"Leader Completeness"`) or its
/// kebab-case name (`leader-completeness`), case-insensitively.
pub fn parse_property(text: &str) -> Option<Property> {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "");
    Property::ALL
        .into_iter()
        .find(|p| norm(p.title()) == norm(text))
}

fn property_list() -> String {
    Property::ALL
        .iter()
        .map(|p| format!("\"{}\"", p.title()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A claim keyword's parse function: reads what follows the keyword.
type ClaimParser = fn(&mut Args) -> Result<Claim, ParseError>;

/// Every claim keyword but the roles, in the order messages list them.
const CLAIMS: &[(&str, ClaimParser)] = &[
    ("no-leader", |_| Ok(Claim::NoLeader)),
    ("leaders", p_leaders),
    ("votes", p_votes),
    ("committed", p_committed),
    ("uncommitted", p_uncommitted),
    ("absent", p_absent),
    ("commit-index", p_commit_index),
    ("kv", p_kv),
    ("log-terms", p_log_terms),
    ("logs-match", p_logs_match),
    ("next-index", p_next_index),
    ("rejected-appends", p_rejected_appends),
    ("client", p_client),
    ("violation", p_violation),
    ("no-violation", |_| Ok(Claim::NoViolation)),
];

/// Parses the part after `expect` (to the end of the line). Every node id
/// it names is recorded in `c` ([`Args::named_nodes`]).
pub fn parse_claim(c: &mut Args) -> Result<Claim, ParseError> {
    let column = c.column();
    let Some(word) = c.peek_word().map(str::to_string) else {
        return Err(c.expected("a claim such as `leader 3 term 2`"));
    };
    c.advance();
    let claim = if let Some(role) = RoleClaim::from_name(&word) {
        p_role(c, role)?
    } else if let Some((_, parse)) = CLAIMS.iter().find(|(name, _)| *name == word) {
        parse(c)?
    } else {
        let names: Vec<&str> = RoleClaim::ALL
            .iter()
            .map(|(_, name)| *name)
            .chain(CLAIMS.iter().map(|(name, _)| *name))
            .collect();
        return Err(ParseError {
            line: c.line(),
            column,
            message: format!(
                "unknown claim `{word}`; expected one of: {}",
                names.join(", ")
            ),
        });
    };
    c.finish()?;
    Ok(claim)
}

/// `on N...` after a claim's subject.
fn on_nodes(c: &mut Args) -> Result<Vec<NodeId>, ParseError> {
    if !c.eat("on") {
        return Err(c.expected("`on` and the nodes"));
    }
    c.node_list_until_keyword()
}

/// `[I] "CMD"`.
fn index_and_cmd(c: &mut Args) -> Result<(Option<LogIndex>, String), ParseError> {
    let index = if c.peek_is_string() {
        None
    } else {
        Some(c.u64("a log index or a quoted command")?)
    };
    Ok((index, c.quoted("a quoted command such as \"set a=5\"")?))
}

/// The keyword `w`, or an error saying `what` was expected.
fn keyword(c: &mut Args, w: &str, what: &str) -> Result<(), ParseError> {
    if c.eat(w) {
        Ok(())
    } else {
        Err(c.expected(what))
    }
}

fn p_role(c: &mut Args, role: RoleClaim) -> Result<Claim, ParseError> {
    let nodes = c.node_list_until_keyword()?;
    let term = if c.eat("term") {
        Some(c.u64("a term number")?)
    } else {
        None
    };
    Ok(Claim::Role { role, nodes, term })
}

fn p_leaders(c: &mut Args) -> Result<Claim, ParseError> {
    Ok(Claim::Leaders {
        nodes: c.node_list_until_keyword()?,
    })
}

fn p_votes(c: &mut Args) -> Result<Claim, ParseError> {
    let node = c.node()?;
    keyword(c, "from", "`from` and the voters")?;
    Ok(Claim::Votes {
        node,
        from: c.node_list_until_keyword()?,
    })
}

fn p_committed(c: &mut Args) -> Result<Claim, ParseError> {
    let (index, cmd) = index_and_cmd(c)?;
    Ok(Claim::Committed {
        index,
        cmd,
        nodes: on_nodes(c)?,
    })
}

fn p_uncommitted(c: &mut Args) -> Result<Claim, ParseError> {
    let (index, cmd) = index_and_cmd(c)?;
    Ok(Claim::Uncommitted {
        index,
        cmd,
        nodes: on_nodes(c)?,
    })
}

fn p_absent(c: &mut Args) -> Result<Claim, ParseError> {
    let cmd = c.quoted("a quoted command")?;
    Ok(Claim::Absent {
        cmd,
        nodes: on_nodes(c)?,
    })
}

fn p_commit_index(c: &mut Args) -> Result<Claim, ParseError> {
    let index = c.u64("a log index")?;
    Ok(Claim::CommitIndex {
        index,
        nodes: on_nodes(c)?,
    })
}

fn p_kv(c: &mut Args) -> Result<Claim, ParseError> {
    let (key, value) = c.conv("KEY=VALUE such as `a=5`", |w| {
        w.split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string()))
    })?;
    Ok(Claim::Kv {
        key,
        value,
        nodes: on_nodes(c)?,
    })
}

fn p_log_terms(c: &mut Args) -> Result<Claim, ParseError> {
    let mut terms = Vec::new();
    while c.peek_word().is_some_and(|w| w != "on") {
        terms.push(c.u64("a term number or `on`")?);
    }
    Ok(Claim::LogTerms {
        terms,
        nodes: on_nodes(c)?,
    })
}

fn p_logs_match(c: &mut Args) -> Result<Claim, ParseError> {
    let column = c.column();
    let nodes = c.node_list_until_keyword()?;
    if nodes.len() < 2 {
        return Err(ParseError {
            line: c.line(),
            column,
            message: "`logs-match` compares two or more nodes".into(),
        });
    }
    Ok(Claim::LogsMatch { nodes })
}

fn p_next_index(c: &mut Args) -> Result<Claim, ParseError> {
    let leader = c.node()?;
    keyword(c, "for", "`for` and the follower")?;
    let follower = c.node()?;
    keyword(c, "is", "`is` and the index")?;
    Ok(Claim::NextIndex {
        leader,
        follower,
        index: c.u64("a log index")?,
    })
}

fn p_rejected_appends(c: &mut Args) -> Result<Claim, ParseError> {
    let follower = c.node()?;
    keyword(c, "is", "`is` and a count")?;
    Ok(Claim::RejectedAppends {
        follower,
        count: c.u64("a count")?,
    })
}

fn p_client(c: &mut Args) -> Result<Claim, ParseError> {
    let cmd = c.quoted("a quoted command")?;
    let names: Vec<&str> = ClientClaim::ALL.iter().map(|(_, n)| *n).collect();
    let result = c.conv(&format!("one of {}", names.join(", ")), |w| {
        ClientClaim::ALL
            .iter()
            .find(|(_, n)| *n == w)
            .map(|(r, _)| *r)
    })?;
    Ok(Claim::Client { cmd, result })
}

fn p_violation(c: &mut Args) -> Result<Claim, ParseError> {
    let column = c.column();
    let text = c.quoted("a quoted property name such as \"Leader Completeness\"")?;
    let Some(property) = parse_property(&text) else {
        return Err(ParseError {
            line: c.line(),
            column,
            message: format!(
                "unknown property \"{text}\"; expected one of {}",
                property_list()
            ),
        });
    };
    Ok(Claim::Violation { property })
}
