//! [`TraceEvent::to_json`]: the trace's JSON line, written by hand.
//!
//! Byte for byte what the derived `Serialize` gives through serde_json
//! (the trace hashes are pinned, and a test compares the two on whole
//! runs): `t`, the `ev` tag, then the fields in declaration order; `None`
//! as `null`, or left out where the derive skips it; a message tagged by
//! its `type`, an entry's payload by its `kind`, strings escaped as
//! serde_json escapes them. Written by hand because serde's `flatten` and
//! the tagged enums cost the wasm ~4 KB gzipped.

use std::fmt::{self, Write as _};

use raft::{Entry, Membership, Message, NodeId, Payload, Role};

use super::{Ev, Removal, TraceEvent};
use crate::checker::Violation;

impl TraceEvent {
    /// The event as one JSON line (no newline).
    pub fn to_json(&self) -> String {
        let mut j = Json(String::with_capacity(96));
        j.0.push('{');
        j.num("t", self.t);
        j.event(&self.ev);
        j.0.push('}');
        j.0
    }
}

/// JSON text being written. Members are written as `key` then value;
/// [`Json::key`] puts the comma, so nothing tracks "first member".
struct Json(String);

impl Json {
    /// `,"k":` (no comma right after an opening bracket).
    #[inline(never)]
    fn key(&mut self, k: &str) {
        self.sep();
        self.0.push('"');
        self.0.push_str(k);
        self.0.push_str("\":");
    }

    /// The comma before a member or an element, unless it is the first.
    #[inline(never)]
    fn sep(&mut self) {
        if !matches!(self.0.as_bytes().last(), Some(b'{' | b'[')) {
            self.0.push(',');
        }
    }

    #[inline(never)]
    fn num(&mut self, k: &str, v: u64) {
        self.key(k);
        self.u64(v);
    }

    #[inline(never)]
    fn u64(&mut self, v: u64) {
        // Writing to a String cannot fail.
        let _ = write!(self.0, "{v}");
    }

    #[inline(never)]
    fn id(&mut self, k: &str, v: NodeId) {
        self.num(k, v.into());
    }

    #[inline(never)]
    fn flag(&mut self, k: &str, v: bool) {
        self.key(k);
        self.0.push_str(if v { "true" } else { "false" });
    }

    #[inline(never)]
    fn text(&mut self, k: &str, v: &str) {
        self.key(k);
        self.string(v);
    }

    /// A JSON string, escaped as serde_json does: `"`, `\\` and the control
    /// characters, these as `\n`-style escapes where JSON has one, else
    /// `\u00xx` (lowercase); everything else as is.
    #[inline(never)]
    fn string(&mut self, v: &str) {
        self.0.push('"');
        for c in v.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                '\n' => self.0.push_str("\\n"),
                '\r' => self.0.push_str("\\r"),
                '\t' => self.0.push_str("\\t"),
                '\u{8}' => self.0.push_str("\\b"),
                '\u{c}' => self.0.push_str("\\f"),
                c if c < ' ' => {
                    let _ = write!(self.0, "\\u{:04x}", u32::from(c));
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
    }

    /// A value that serde wrote with `collect_str`: its `Display`, as a string.
    fn shown(&mut self, k: &str, v: &dyn fmt::Display) {
        self.text(k, &v.to_string());
    }

    /// An array of node ids.
    #[inline(never)]
    fn ids(&mut self, k: &str, ids: &mut dyn Iterator<Item = &NodeId>) {
        self.key(k);
        self.0.push('[');
        for &id in ids {
            self.sep();
            self.u64(id.into());
        }
        self.0.push(']');
    }

    /// The `ev` tag.
    fn tag(&mut self, word: &str) {
        self.text("ev", word);
    }

    fn event(&mut self, ev: &Ev) {
        match ev {
            Ev::Role { node, role, term } => {
                self.tag("role");
                self.id("node", *node);
                self.text("role", role_word(*role));
                self.num("term", *term);
            }
            Ev::Leader { node, term, votes } => {
                self.tag("leader");
                self.id("node", *node);
                self.num("term", *term);
                self.ids("votes", &mut votes.iter());
            }
            Ev::Send {
                id,
                from,
                to,
                deliver_us,
                msg,
            } => {
                self.tag("send");
                self.num("id", *id);
                self.id("from", *from);
                self.id("to", *to);
                self.num("deliver_us", *deliver_us);
                self.message(msg);
            }
            Ev::Deliver { id, from, to, msg } => {
                self.tag("deliver");
                self.num("id", *id);
                self.id("from", *from);
                self.id("to", *to);
                self.message(msg);
            }
            Ev::Drop {
                id,
                from,
                to,
                reason,
                msg,
            } => {
                self.tag("drop");
                self.num("id", *id);
                self.id("from", *from);
                self.id("to", *to);
                self.text("reason", reason.as_str());
                self.message(msg);
            }
            Ev::Commit {
                node,
                index,
                term,
                kind,
                cmd,
            } => {
                self.tag("commit");
                self.id("node", *node);
                self.num("index", *index);
                self.num("term", *term);
                self.text("kind", kind.as_str());
                self.text("cmd", cmd);
            }
            Ev::Crash { node } => self.node_only("crash", *node),
            Ev::Removed { node, index, why } => {
                self.tag("removed");
                self.id("node", *node);
                self.num("index", *index);
                self.text("why", removal_word(*why));
            }
            Ev::Restart { node } => self.node_only("restart", *node),
            Ev::Timeout { node, forced } => {
                self.tag("timeout");
                self.id("node", *node);
                self.flag("forced", *forced);
            }
            Ev::Partition { groups } => {
                self.tag("partition");
                self.key("groups");
                self.0.push('[');
                for g in groups {
                    // An id list without a key: the array is an element.
                    self.sep();
                    self.0.push('[');
                    for &id in g {
                        self.sep();
                        self.u64(id.into());
                    }
                    self.0.push(']');
                }
                self.0.push(']');
            }
            Ev::Isolate { node } => self.node_only("isolate", *node),
            Ev::Cut { from, to } => self.link("cut", *from, *to),
            Ev::Restore { from, to } => self.link("restore", *from, *to),
            Ev::Heal => self.tag("heal"),
            Ev::Request {
                node,
                cmd,
                index,
                term,
            } => {
                self.tag("request");
                self.id("node", *node);
                self.text("cmd", cmd);
                self.num("index", *index);
                self.num("term", *term);
            }
            Ev::Client {
                node,
                cmd,
                result,
                leader,
                index,
                reason,
            } => {
                self.tag("client");
                self.id("node", *node);
                self.text("cmd", cmd);
                self.text("result", result.as_str());
                if let Some(l) = leader {
                    self.id("leader", *l);
                }
                if let Some(i) = index {
                    self.num("index", *i);
                }
                if let Some(r) = reason {
                    self.text("reason", r);
                }
            }
            Ev::Change {
                node,
                change,
                result,
                detail,
            } => {
                self.tag("change");
                self.id("node", *node);
                self.shown("change", change);
                self.text("result", result.as_str());
                if let Some(d) = detail {
                    self.text("detail", d);
                }
            }
            Ev::Membership {
                node,
                voters,
                outgoing,
                learners,
            } => {
                self.tag("membership");
                self.id("node", *node);
                self.ids("voters", &mut voters.iter());
                self.ids("outgoing", &mut outgoing.iter());
                self.ids("learners", &mut learners.iter());
            }
            Ev::Stepdown { node, reason } => {
                self.tag("stepdown");
                self.id("node", *node);
                self.shown("reason", reason);
            }
            Ev::Reject { node, reason } => {
                self.tag("reject");
                self.id("node", *node);
                self.shown("reason", reason);
            }
            Ev::Compact { node, index } => {
                self.tag("compact");
                self.id("node", *node);
                self.num("index", *index);
            }
            Ev::Snapshot { node, index, term } => {
                self.tag("snapshot");
                self.id("node", *node);
                self.num("index", *index);
                self.num("term", *term);
            }
            Ev::Setting { setting } => {
                self.tag("setting");
                self.shown("setting", setting);
            }
            Ev::Note { text } => {
                self.tag("note");
                self.text("text", text);
            }
            Ev::Violation(v) => {
                self.tag("violation");
                self.violation(v);
            }
        }
    }

    /// An event with only its node.
    fn node_only(&mut self, tag: &str, node: NodeId) {
        self.tag(tag);
        self.id("node", node);
    }

    /// An event about the directed link `from -> to`.
    fn link(&mut self, tag: &str, from: NodeId, to: NodeId) {
        self.tag(tag);
        self.id("from", from);
        self.id("to", to);
    }

    /// The violation's fields but `other_term` (`detail` says it).
    fn violation(&mut self, v: &Violation) {
        self.text("property", v.property.as_str());
        self.ids("nodes", &mut v.nodes.iter());
        self.num("term", v.term);
        self.num("index", v.index);
        self.text("detail", &v.detail);
    }

    /// `"msg":{"type":...}`.
    fn message(&mut self, m: &Message) {
        self.key("msg");
        self.0.push('{');
        self.text("type", m.type_name());
        match m {
            Message::RequestVote {
                term,
                candidate,
                last_log_index,
                last_log_term,
                transfer,
            } => {
                self.num("term", *term);
                self.id("candidate", *candidate);
                self.num("last_log_index", *last_log_index);
                self.num("last_log_term", *last_log_term);
                self.flag("transfer", *transfer);
            }
            Message::RequestVoteReply { term, granted }
            | Message::PreVoteReply { term, granted } => {
                self.num("term", *term);
                self.flag("granted", *granted);
            }
            Message::PreVote {
                term,
                candidate,
                last_log_index,
                last_log_term,
            } => {
                self.num("term", *term);
                self.id("candidate", *candidate);
                self.num("last_log_index", *last_log_index);
                self.num("last_log_term", *last_log_term);
            }
            Message::AppendEntries {
                term,
                leader,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => {
                self.num("term", *term);
                self.id("leader", *leader);
                self.num("prev_log_index", *prev_log_index);
                self.num("prev_log_term", *prev_log_term);
                self.key("entries");
                self.0.push('[');
                for e in entries {
                    self.entry(e);
                }
                self.0.push(']');
                self.num("leader_commit", *leader_commit);
            }
            Message::AppendEntriesReply {
                term,
                success,
                match_index,
                conflict_term,
                conflict_index,
            } => {
                self.num("term", *term);
                self.flag("success", *success);
                self.num("match_index", *match_index);
                self.key("conflict_term");
                match conflict_term {
                    Some(t) => self.u64(*t),
                    None => self.0.push_str("null"),
                }
                self.num("conflict_index", *conflict_index);
            }
            Message::InstallSnapshot {
                term,
                leader,
                snapshot,
            } => {
                self.num("term", *term);
                self.id("leader", *leader);
                self.key("snapshot");
                self.0.push('{');
                self.num("last_index", snapshot.last_index);
                self.num("last_term", snapshot.last_term);
                self.membership(&snapshot.membership);
                self.text("data", &snapshot.data);
                self.0.push('}');
            }
            Message::InstallSnapshotReply { term, last_index } => {
                self.num("term", *term);
                self.num("last_index", *last_index);
            }
            Message::TimeoutNow { term, leader } => {
                self.num("term", *term);
                self.id("leader", *leader);
            }
        }
        self.0.push('}');
    }

    /// An element of `entries`: `{"term":..,"index":..,"payload":{"kind":..}}`.
    fn entry(&mut self, e: &Entry) {
        self.sep();
        self.0.push('{');
        self.num("term", e.term);
        self.num("index", e.index);
        self.key("payload");
        self.0.push('{');
        match &e.payload {
            Payload::Noop => self.text("kind", "noop"),
            Payload::Command { cmd } => {
                self.text("kind", "command");
                self.text("cmd", cmd);
            }
            Payload::Config { membership } => {
                self.text("kind", "config");
                self.membership(membership);
            }
        }
        self.0.push_str("}}");
    }

    /// `"membership":{"voters":[..],"outgoing":[..],"learners":[..]}`.
    fn membership(&mut self, m: &Membership) {
        self.key("membership");
        self.0.push('{');
        self.ids("voters", &mut m.voters.iter());
        self.ids("outgoing", &mut m.outgoing.iter());
        self.ids("learners", &mut m.learners.iter());
        self.0.push('}');
    }
}

/// A role as serde writes it (`rename_all = "lowercase"`).
pub fn role_word(r: Role) -> &'static str {
    match r {
        Role::Follower => "follower",
        Role::PreCandidate => "precandidate",
        Role::Candidate => "candidate",
        Role::Leader => "leader",
    }
}

/// A removal as serde writes it (`rename_all = "lowercase"`).
fn removal_word(r: Removal) -> &'static str {
    match r {
        Removal::Excluded => "excluded",
        Removal::Lost => "lost",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character below 0x80 and a few past it, escaped as serde_json does.
    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é ünï 中文 \u{2028} \u{1F600}");
        let mut j = Json(String::new());
        j.string(&all);
        assert_eq!(j.0, serde_json::to_string(&all).unwrap());
    }
}
