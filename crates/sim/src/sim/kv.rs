//! The replicated state machine: a key-value store per node, and the image
//! of it that a snapshot carries.

use crate::Kv;

/// Applies a command to the key-value store: `set k=v` or `k=v` stores
/// `v` under `k`; anything else is a no-op (free text is allowed).
pub fn apply_command(kv: &mut Kv, cmd: &str) {
    if let Some((k, v)) = command_write(cmd) {
        kv.insert(k.to_string(), v.to_string());
    }
}

/// The `(key, value)` a command writes when applied ([`apply_command`]),
/// or `None` for a command that changes nothing. The page reads it to mark
/// the value an applied entry just wrote.
pub fn command_write(cmd: &str) -> Option<(&str, &str)> {
    let body = cmd.trim();
    let body = body.strip_prefix("set ").unwrap_or(body);
    let (k, v) = body.split_once('=')?;
    let (k, v) = (k.trim(), v.trim());
    (!k.is_empty() && !k.contains(char::is_whitespace)).then_some((k, v))
}

/// The state machine's snapshot image: for each key in order,
/// `KEY=LEN:VALUE` with LEN the value's length in bytes. Keys never hold `=`
/// or whitespace (see [`apply_command`]); the length lets a value hold
/// anything. A hand-made format rather than JSON so that the browser build
/// carries no JSON parser (issue 5's size budget).
pub(super) fn kv_image(kv: &Kv) -> String {
    let mut image = String::new();
    for (k, v) in kv {
        image.push_str(&format!("{k}={}:{v}", v.len()));
    }
    image
}

/// The store a [`kv_image`] describes.
pub(super) fn kv_from_image(data: &str) -> Kv {
    // A snapshot comes from another node of the same simulation; if it were
    // ever unreadable, what was read up to the damage is kept.
    let mut kv = Kv::new();
    let mut rest = data;
    while let Some((k, tail)) = rest.split_once('=') {
        let Some((len, tail)) = tail.split_once(':') else {
            break;
        };
        let Some((v, tail)) = len
            .parse::<usize>()
            .ok()
            .and_then(|n| Some((tail.get(..n)?, tail.get(n..)?)))
        else {
            break;
        };
        kv.insert(k.to_string(), v.to_string());
        rest = tail;
    }
    kv
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A snapshot installs exactly the store it was taken from, whatever
        /// the values hold (`=`, `:`, digits, new lines, non-ASCII).
        #[test]
        fn snapshot_image_round_trips(kv in proptest::collection::btree_map("[a-z0-9_.-]{1,8}", "\\PC{0,12}|[=:0-9\n]{0,6}", 0..8)) {
            let kv: Kv = kv.into_iter().collect();
            prop_assert_eq!(kv_from_image(&kv_image(&kv)), kv);
        }
    }

    /// What a command writes is exactly what applying it stores.
    #[test]
    fn command_write_names_what_apply_command_stores() {
        assert_eq!(command_write("set a=5"), Some(("a", "5")));
        assert_eq!(command_write(" x = 8 "), Some(("x", "8")));
        assert_eq!(command_write("hello"), None);
        assert_eq!(command_write("set a b=1"), None);
        for cmd in ["set a=5", "x=8", "hello", "set =1", "set k=v=w"] {
            let mut kv = Kv::new();
            apply_command(&mut kv, cmd);
            let written: Vec<(&str, &str)> =
                kv.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert_eq!(
                written,
                command_write(cmd).into_iter().collect::<Vec<_>>(),
                "{cmd}"
            );
        }
    }

    #[test]
    fn snapshot_image_reads_what_survives_damage() {
        let kv: Kv = [("a".to_string(), "1".to_string())].into_iter().collect();
        assert_eq!(kv_from_image("a=1:1b=9:x"), kv);
        assert_eq!(kv_from_image(""), Kv::new());
    }
}
