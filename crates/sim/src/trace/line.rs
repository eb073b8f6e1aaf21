//! The trace as readable lines, one per event (the golden files of
//! `crates/sim/tests/golden/` and `raftlab run --lines`):
//!
//! ```text
//! t=0.180109s role node=2 role=Candidate term=1
//! t=0.180109s send id=1 from=2 to=1 deliver_us=204445 msg=RequestVote(term=1 candidate=2 ...)
//! t=0.400000s commit node=1 index=2 term=1 kind=command cmd="set a=5"
//! ```
//!
//! The line is derived from the event's JSON (so it can never disagree with
//! it, and a new event or field needs no code here): the time in seconds
//! with six decimals, the `ev` tag, then every field in the JSON's order as
//! `key=value`. A string is bare when it is one plain word, else quoted as
//! in JSON; an object is `(key=value ...)`, or `Type(...)` when it has a
//! `type` field (messages); an array is `[a,b]`.

use super::TraceEvent;

impl TraceEvent {
    /// The event as one readable line (no newline); see the module doc.
    pub fn to_line(&self) -> String {
        let json = self.to_json();
        let mut out = format!("t={}.{:06}s", self.t / 1_000_000, self.t % 1_000_000);
        for (key, value) in members(&json) {
            match key.as_str() {
                "t" => {}
                "ev" => {
                    out.push(' ');
                    out.push_str(&value_text(value));
                }
                _ => {
                    out.push(' ');
                    out.push_str(&key);
                    out.push('=');
                    out.push_str(&value_text(value));
                }
            }
        }
        out
    }
}

/// The members of a JSON object or the elements of an array (`text` with
/// its brackets), as (key, raw value) in order; keys are empty for arrays.
/// The text is `to_json`'s (serde_json's, byte for byte), so it is well formed.
fn members(text: &str) -> Vec<(String, &str)> {
    let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, 0);
    for (i, c) in inner.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.extend(member(&inner[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.extend(member(&inner[start..]));
    out
}

/// One member (`"key":value`) or element (`value`) of an object or array.
fn member(part: &str) -> Option<(String, &str)> {
    let part = part.trim();
    if part.is_empty() {
        return None;
    }
    Some(split_key(part).unwrap_or((String::new(), part)))
}

/// `"key":value` into the key and the raw value; `None` for a bare value.
fn split_key(member: &str) -> Option<(String, &str)> {
    if !member.starts_with('"') {
        return None;
    }
    let mut escaped = false;
    for (i, c) in member.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                let key: String = serde_json::from_str(&member[..=i]).ok()?;
                let rest = member[i + 1..].trim_start().strip_prefix(':')?;
                return Some((key, rest.trim()));
            }
            _ => {}
        }
    }
    None
}

/// One raw JSON value as the line writes it.
fn value_text(raw: &str) -> String {
    if raw.starts_with('"') {
        let s: String = serde_json::from_str(raw).unwrap_or_default();
        let plain = !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || "_.:@/+-".contains(c));
        return if plain { s } else { raw.to_string() };
    }
    if raw.starts_with('[') {
        let items: Vec<String> = members(raw).iter().map(|(_, v)| value_text(v)).collect();
        return format!("[{}]", items.join(","));
    }
    if raw.starts_with('{') {
        let mut name = String::new();
        let mut fields = Vec::new();
        for (key, value) in members(raw) {
            if key == "type" {
                name = value_text(value);
            } else {
                fields.push(format!("{key}={}", value_text(value)));
            }
        }
        return format!("{name}({})", fields.join(" "));
    }
    raw.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{ClientResult, Ev};

    #[test]
    fn a_line_has_the_time_the_tag_and_every_field_in_order() {
        let e = TraceEvent {
            t: 1_250_000,
            ev: Ev::Client {
                node: 2,
                cmd: "set a=5".into(),
                result: ClientResult::Ok,
                leader: None,
                index: Some(3),
                reason: None,
            },
        };
        assert_eq!(
            e.to_line(),
            r#"t=1.250000s client node=2 cmd="set a=5" result=ok index=3"#
        );
    }

    #[test]
    fn objects_arrays_and_escapes_are_written_readably() {
        assert_eq!(value_text(r#"[[1,2],[3]]"#), "[[1,2],[3]]");
        assert_eq!(
            value_text(r#"{"type":"Vote","term":1,"e":[{"k":"a,b"}],"s":"x \"y\""}"#),
            r#"Vote(term=1 e=[(k="a,b")] s="x \"y\"")"#
        );
        assert_eq!(value_text(r#""""#), r#""""#);
    }
}
