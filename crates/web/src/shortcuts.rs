//! The keyboard shortcuts: one table that both the key handler and the
//! help overlay read, so a key cannot work without being listed, or be
//! listed without working. Which row a key finds depends on where it was
//! typed and whether a lesson is open ([`lookup`]): in a lesson a
//! presenter's clicker (PageDown, PageUp) and the arrows step the
//! narration, and the keys that would replace the lesson's run are off.

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
    /// Cut or restore a link: the selected server's, to the server whose
    /// number comes next (`canvas_keys`).
    CutLink,
    /// Open the next message in flight, in arrival order (`canvas_keys`).
    NextMessage,
    /// Open the previous message in flight.
    PrevMessage,
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
    /// A lesson's Next.
    LessonNext,
    /// A lesson's Back.
    LessonBack,
    /// Enter or leave presentation mode.
    Present,
}

impl Command {
    /// Whether the command changes the run or opens a free-play control:
    /// off in an embed with `?controls=lesson`.
    pub fn free_play(self) -> bool {
        matches!(
            self,
            Command::Menu
                | Command::Crash
                | Command::Timeout
                | Command::Request
                | Command::Partition
                | Command::Heal
                | Command::CutLink
                | Command::NextMessage
                | Command::PrevMessage
                | Command::Reset
                | Command::NewSeed
                | Command::Link
        )
    }
}

/// When a row's keys work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum During {
    /// Always (rows of `Lesson` come first in a lesson).
    Always,
    /// Only while a lesson is open.
    Lesson,
    /// Not while a lesson is open: the key would replace the lesson's run.
    NoLesson,
}

/// One row of the help overlay and the keys it stands for.
pub struct Shortcut {
    /// The keys as shown, separated by two spaces (`S  .`).
    pub label: &'static str,
    /// The i18n key of what the row says.
    pub help: &'static str,
    /// (key as `KeyboardEvent.key` names it, letters in lower case; command).
    pub keys: &'static [(&'static str, Command)],
    /// When the keys work.
    pub during: During,
}

/// Every shortcut, in the help overlay's order. Invariant: the rows of
/// `During::Lesson` come first (`lookup` takes the first row with the key).
pub const SHORTCUTS: [Shortcut; 19] = [
    Shortcut {
        label: "PgDn  →  Enter",
        help: "k_lesson_next",
        keys: &[
            ("PageDown", Command::LessonNext),
            ("ArrowRight", Command::LessonNext),
            ("Enter", Command::LessonNext),
        ],
        during: During::Lesson,
    },
    Shortcut {
        label: "PgUp  ←",
        help: "k_lesson_back",
        keys: &[
            ("PageUp", Command::LessonBack),
            ("ArrowLeft", Command::LessonBack),
        ],
        during: During::Lesson,
    },
    Shortcut {
        label: "Space",
        help: "k_space",
        keys: &[(" ", Command::TogglePlay), ("k", Command::TogglePlay)],
        during: During::Always,
    },
    Shortcut {
        label: "S  .",
        help: "k_step",
        keys: &[("s", Command::Step), (".", Command::Step)],
        during: During::Always,
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
        during: During::Always,
    },
    Shortcut {
        label: "←  →",
        help: "k_seek",
        keys: &[
            ("ArrowLeft", Command::Back),
            ("ArrowRight", Command::Forward),
        ],
        during: During::Always,
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
        during: During::Always,
    },
    Shortcut {
        label: "Enter  M",
        help: "k_menu",
        keys: &[("Enter", Command::Menu), ("m", Command::Menu)],
        during: During::Always,
    },
    Shortcut {
        label: "C",
        help: "k_crash",
        keys: &[("c", Command::Crash)],
        during: During::Always,
    },
    Shortcut {
        label: "T",
        help: "k_timeout",
        keys: &[("t", Command::Timeout)],
        during: During::Always,
    },
    Shortcut {
        label: "Q",
        help: "k_request",
        keys: &[("q", Command::Request)],
        during: During::Always,
    },
    Shortcut {
        label: "P  H",
        help: "k_partition",
        keys: &[("p", Command::Partition), ("h", Command::Heal)],
        during: During::Always,
    },
    Shortcut {
        label: "X",
        help: "k_cut",
        keys: &[("x", Command::CutLink)],
        during: During::Always,
    },
    Shortcut {
        label: "[  ]",
        help: "k_messages",
        keys: &[("[", Command::PrevMessage), ("]", Command::NextMessage)],
        during: During::Always,
    },
    Shortcut {
        label: "R  N",
        help: "k_reset",
        keys: &[("r", Command::Reset), ("n", Command::NewSeed)],
        during: During::NoLesson,
    },
    Shortcut {
        label: "L",
        help: "k_link",
        keys: &[("l", Command::Link)],
        during: During::Always,
    },
    Shortcut {
        label: "F",
        help: "k_present",
        keys: &[("f", Command::Present)],
        during: During::Always,
    },
    Shortcut {
        label: "?",
        help: "k_help",
        keys: &[("?", Command::Help)],
        during: During::Always,
    },
    Shortcut {
        label: "Esc",
        help: "k_escape",
        keys: &[("Escape", Command::Escape)],
        during: During::Always,
    },
];

/// Where a key was typed, from the focused element's tag name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A text field or select: the key is the user's text, never a shortcut.
    Field,
    /// A button: it handles Enter and Space itself.
    Button,
    /// Anything else (the canvas, the page).
    Page,
}

impl Target {
    /// The target of an element with this tag name (`Element.tagName`,
    /// upper case for HTML).
    pub fn of_tag(tag: &str) -> Target {
        match tag {
            "INPUT" | "TEXTAREA" | "SELECT" => Target::Field,
            "BUTTON" => Target::Button,
            _ => Target::Page,
        }
    }
}

/// What the page is showing when a key comes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// A lesson is open.
    pub lesson: bool,
    /// `?controls=lesson`: only lesson navigation, play/pause and time.
    pub lesson_controls: bool,
}

/// What `key` (`KeyboardEvent.key`, letters in either case) does when typed
/// in `target` with the page in context `cx`; `None`: nothing, the browser
/// (or the focused element) has it. A key that would replace a lesson's run
/// is off while one is open (the help says so), and so are free-play keys
/// with `?controls=lesson`. Shift only changes how far the arrows go;
/// modifier chords are the caller's to leave alone.
pub fn lookup(key: &str, target: Target, cx: Context) -> Option<Command> {
    let lower;
    let key = if key.chars().count() == 1 {
        lower = key.to_ascii_lowercase();
        lower.as_str()
    } else {
        key
    };
    if target == Target::Field || (target == Target::Button && (key == "Enter" || key == " ")) {
        return None;
    }
    // The lesson's rows come first in the table, so in a lesson → and
    // Enter find Next before their free-play meaning. (Plain loops: the
    // iterator adapters cost the page more code.)
    for row in &SHORTCUTS {
        if row.during == During::Lesson && !cx.lesson {
            continue;
        }
        for &(k, c) in row.keys {
            if k != key {
                continue;
            }
            let off = (cx.lesson_controls && c.free_play())
                || (cx.lesson && row.during == During::NoLesson);
            return (!off).then_some(c);
        }
    }
    None
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

    const FREE: Context = Context {
        lesson: false,
        lesson_controls: false,
    };
    const LESSON: Context = Context {
        lesson: true,
        lesson_controls: false,
    };

    fn run(key: &str, cx: Context) -> Option<Command> {
        lookup(key, Target::Page, cx)
    }

    #[test]
    fn every_shortcut_is_labelled_and_found() {
        for s in &SHORTCUTS {
            assert!(TABLE.iter().any(|e| e.0 == s.help), "{}", s.help);
            let cx = Context {
                lesson: s.during == During::Lesson,
                lesson_controls: false,
            };
            for &(k, c) in s.keys {
                assert_eq!(run(k, cx), Some(c), "{k}");
            }
        }
        assert_eq!(run("N", FREE), Some(Command::NewSeed));
        assert_eq!(run("K", FREE), Some(Command::TogglePlay));
        assert_eq!(run("F", FREE), Some(Command::Present));
        assert_eq!(run("0", FREE), None);
        assert_eq!(run("z", FREE), None);
        assert_eq!(run("ArrowUp", FREE), None);
    }

    #[test]
    fn lesson_rows_come_first() {
        let firsts = SHORTCUTS
            .iter()
            .take_while(|s| s.during == During::Lesson)
            .count();
        assert!(firsts > 0);
        assert!(SHORTCUTS[firsts..]
            .iter()
            .all(|s| s.during != During::Lesson));
    }

    #[test]
    fn in_a_lesson_the_clicker_and_the_arrows_step_the_narration() {
        for k in ["PageDown", "ArrowRight", "Enter"] {
            assert_eq!(run(k, LESSON), Some(Command::LessonNext), "{k}");
        }
        for k in ["PageUp", "ArrowLeft"] {
            assert_eq!(run(k, LESSON), Some(Command::LessonBack), "{k}");
        }
        // Outside a lesson the arrows travel in time, Enter opens the
        // menu, and a clicker's page keys are the browser's.
        assert_eq!(run("ArrowRight", FREE), Some(Command::Forward));
        assert_eq!(run("ArrowLeft", FREE), Some(Command::Back));
        assert_eq!(run("Enter", FREE), Some(Command::Menu));
        assert_eq!(run("PageDown", FREE), None);
        assert_eq!(run("PageUp", FREE), None);
    }

    #[test]
    fn keys_that_replace_a_lessons_run_are_off_in_a_lesson() {
        assert_eq!(run("n", LESSON), None);
        assert_eq!(run("R", LESSON), None);
        assert_eq!(run("n", FREE), Some(Command::NewSeed));
        assert_eq!(run("r", FREE), Some(Command::Reset));
        // The rest of the run's controls still work (the panel then says
        // the run changed).
        assert_eq!(run("c", LESSON), Some(Command::Crash));
        assert_eq!(run(" ", LESSON), Some(Command::TogglePlay));
    }

    #[test]
    fn keys_typed_in_a_text_field_are_text() {
        for tag in ["INPUT", "TEXTAREA", "SELECT"] {
            let t = Target::of_tag(tag);
            assert_eq!(t, Target::Field, "{tag}");
            for k in ["n", "r", " ", "Enter", "PageDown", "ArrowLeft", "?", "f"] {
                assert_eq!(lookup(k, t, LESSON), None, "{tag} {k}");
                assert_eq!(lookup(k, t, FREE), None, "{tag} {k}");
            }
        }
        // A focused button presses itself on Enter and Space; other keys work.
        let b = Target::of_tag("BUTTON");
        assert_eq!(lookup("Enter", b, LESSON), None);
        assert_eq!(lookup(" ", b, FREE), None);
        assert_eq!(lookup("PageDown", b, LESSON), Some(Command::LessonNext));
        assert_eq!(Target::of_tag("canvas"), Target::Page);
    }

    #[test]
    fn lesson_controls_leave_navigation_play_and_time_only() {
        let cx = Context {
            lesson: true,
            lesson_controls: true,
        };
        for k in ["c", "t", "q", "p", "h", "r", "n", "l", "m", "1"] {
            let l = run(k, cx);
            assert!(matches!(l, None | Some(Command::Select(_))), "{k}: {l:?}");
        }
        assert_eq!(run("PageDown", cx), Some(Command::LessonNext));
        assert_eq!(run(" ", cx), Some(Command::TogglePlay));
        assert_eq!(run("s", cx), Some(Command::Step));
    }
}
