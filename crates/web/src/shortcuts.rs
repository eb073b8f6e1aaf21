//! The keyboard shortcuts: one table that both the key handler and the
//! help overlay read, so a key cannot work without being listed, or be
//! listed without working.

use raft::NodeId;

/// What a shortcut does (the DOM layer carries it out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Play or pause.
    TogglePlay,
    /// One event, then pause.
    Step,
    /// One speed slower.
    Slower,
    /// One speed faster.
    Faster,
    /// Back in time (Shift: farther).
    Back,
    /// Forward in time (Shift: farther).
    Forward,
    /// Select server N (in partition mode: change its group).
    Select(NodeId),
    /// Open the selected (or first) server's menu.
    Menu,
    /// Crash or restart the selected server.
    Crash,
    /// Fire the selected server's election timer.
    Timeout,
    /// A client request to the leader.
    Request,
    /// Enter or leave partition mode.
    Partition,
    /// Heal the network.
    Heal,
    /// Start the run again.
    Reset,
    /// Start again with a fresh seed.
    NewSeed,
    /// Open the share dialog.
    Link,
    /// Open the help overlay.
    Help,
    /// Close popups, dialogs and partition mode.
    Escape,
}

/// One row of the help overlay and the keys it stands for.
pub struct Shortcut {
    /// The keys as shown, separated by two spaces (`S  .`).
    pub label: &'static str,
    /// The i18n key of what the row says.
    pub help: &'static str,
    /// (key as `KeyboardEvent.key` names it, letters in lower case; command).
    pub keys: &'static [(&'static str, Command)],
}

/// Every shortcut, in the help overlay's order.
pub const SHORTCUTS: [Shortcut; 14] = [
    Shortcut {
        label: "Space",
        help: "k_space",
        keys: &[(" ", Command::TogglePlay), ("k", Command::TogglePlay)],
    },
    Shortcut {
        label: "S  .",
        help: "k_step",
        keys: &[("s", Command::Step), (".", Command::Step)],
    },
    Shortcut {
        label: "-  +",
        help: "k_speed",
        keys: &[
            ("-", Command::Slower),
            ("_", Command::Slower),
            ("+", Command::Faster),
            ("=", Command::Faster),
        ],
    },
    Shortcut {
        label: "←  →",
        help: "k_seek",
        keys: &[
            ("ArrowLeft", Command::Back),
            ("ArrowRight", Command::Forward),
        ],
    },
    Shortcut {
        label: "1 … 9",
        help: "k_select",
        keys: &[
            ("1", Command::Select(1)),
            ("2", Command::Select(2)),
            ("3", Command::Select(3)),
            ("4", Command::Select(4)),
            ("5", Command::Select(5)),
            ("6", Command::Select(6)),
            ("7", Command::Select(7)),
            ("8", Command::Select(8)),
            ("9", Command::Select(9)),
        ],
    },
    Shortcut {
        label: "Enter  M",
        help: "k_menu",
        keys: &[("Enter", Command::Menu), ("m", Command::Menu)],
    },
    Shortcut {
        label: "C",
        help: "k_crash",
        keys: &[("c", Command::Crash)],
    },
    Shortcut {
        label: "T",
        help: "k_timeout",
        keys: &[("t", Command::Timeout)],
    },
    Shortcut {
        label: "Q",
        help: "k_request",
        keys: &[("q", Command::Request)],
    },
    Shortcut {
        label: "P  H",
        help: "k_partition",
        keys: &[("p", Command::Partition), ("h", Command::Heal)],
    },
    Shortcut {
        label: "R  N",
        help: "k_reset",
        keys: &[("r", Command::Reset), ("n", Command::NewSeed)],
    },
    Shortcut {
        label: "L",
        help: "k_link",
        keys: &[("l", Command::Link)],
    },
    Shortcut {
        label: "?",
        help: "k_help",
        keys: &[("?", Command::Help)],
    },
    Shortcut {
        label: "Esc",
        help: "k_escape",
        keys: &[("Escape", Command::Escape)],
    },
];

/// The command of a key (`KeyboardEvent.key`): letters in either case;
/// Shift only changes how far the arrows go.
pub fn command(key: &str) -> Option<Command> {
    let lower;
    let key = if key.chars().count() == 1 {
        lower = key.to_ascii_lowercase();
        lower.as_str()
    } else {
        key
    };
    SHORTCUTS
        .iter()
        .flat_map(|s| s.keys)
        .find(|(k, _)| *k == key)
        .map(|&(_, c)| c)
}

/// How far the arrows travel in time, µs: 100 ms, or 1 s with Shift.
pub fn seek_step_us(shift: bool) -> i64 {
    if shift {
        1_000_000
    } else {
        100_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::TABLE;

    #[test]
    fn every_shortcut_is_labelled_and_found() {
        for s in &SHORTCUTS {
            assert!(TABLE.iter().any(|e| e.0 == s.help), "{}", s.help);
            for &(k, c) in s.keys {
                assert_eq!(command(k), Some(c), "{k}");
            }
        }
        assert_eq!(command("N"), Some(Command::NewSeed));
        assert_eq!(command("K"), Some(Command::TogglePlay));
        assert_eq!(command("0"), None);
        assert_eq!(command("x"), None);
        assert_eq!(command("ArrowUp"), None);
    }
}
