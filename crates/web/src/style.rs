//! Colours and shapes: the Okabe–Ito palette (safe for the common forms of
//! colour blindness), term colours, and one distinct colour AND shape per
//! message type, so nothing is told by colour alone.

use raft::{Message, Term};

/// Okabe–Ito colours.
pub mod okabe {
    /// Orange.
    pub const ORANGE: &str = "#E69F00";
    /// Sky blue.
    pub const SKY: &str = "#56B4E9";
    /// Bluish green.
    pub const GREEN: &str = "#009E73";
    /// Yellow.
    pub const YELLOW: &str = "#F0E442";
    /// Blue.
    pub const BLUE: &str = "#0072B2";
    /// Vermillion.
    pub const VERMILLION: &str = "#D55E00";
    /// Reddish purple.
    pub const PURPLE: &str = "#CC79A7";
    /// Black (well, nearly: pure black is harsh on screens).
    pub const BLACK: &str = "#1a1a1a";
}

/// Term colours in order: neighbouring terms get clearly different colours.
const TERM_COLOURS: [&str; 7] = [
    okabe::SKY,
    okabe::ORANGE,
    okabe::GREEN,
    okabe::PURPLE,
    okabe::YELLOW,
    okabe::BLUE,
    okabe::VERMILLION,
];

/// The colour of a term (term 0 is grey: nothing happened yet).
pub fn term_colour(term: Term) -> &'static str {
    if term == 0 {
        return "#bbbbbb";
    }
    TERM_COLOURS[((term - 1) % TERM_COLOURS.len() as u64) as usize]
}

/// Text colour that reads on `term_colour(term)`.
pub fn term_text_colour(term: Term) -> &'static str {
    match term_colour(term) {
        okabe::BLUE | okabe::VERMILLION | okabe::GREEN => "#ffffff",
        _ => "#111111",
    }
}

/// A light tint of the term colour for node fills, as `rgba()`.
pub fn term_tint(term: Term, alpha: f64) -> String {
    let hex = term_colour(term);
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0xbbbbbb);
    let a = (crate::geom::clamp(alpha, 0.0, 1.0) * 100.0).round() as u32;
    let a = if a >= 100 {
        "1".to_string()
    } else {
        format!("0.{a:02}")
    };
    format!("rgba({},{},{},{a})", v >> 16, (v >> 8) & 0xff, v & 0xff)
}

/// Shapes used for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// ◆
    Diamond,
    /// ●
    Circle,
    /// ■
    Square,
    /// ▲
    Triangle,
    /// ★
    Star,
}

/// Every drawn message kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MsgKind {
    /// RequestVote.
    RequestVote,
    /// RequestVote reply, granted.
    VoteGranted,
    /// RequestVote reply, denied.
    VoteDenied,
    /// PreVote or its reply.
    PreVote,
    /// AppendEntries carrying entries.
    Append,
    /// AppendEntries without entries.
    Heartbeat,
    /// AppendEntries reply, success.
    AppendOk,
    /// AppendEntries reply, failure.
    AppendFail,
    /// InstallSnapshot or its reply.
    Snapshot,
    /// TimeoutNow (leadership transfer).
    TimeoutNow,
}

/// How a message kind is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MsgStyle {
    /// Outline shape.
    pub shape: Shape,
    /// Colour.
    pub colour: &'static str,
    /// Filled (true) or outlined.
    pub filled: bool,
    /// A glyph drawn on top (✓, ×) or empty.
    pub glyph: &'static str,
    /// Radius in CSS px.
    pub size: f64,
    /// i18n key of the legend text.
    pub legend: &'static str,
}

impl MsgKind {
    /// All kinds in legend order.
    pub const ALL: [MsgKind; 10] = [
        MsgKind::RequestVote,
        MsgKind::VoteGranted,
        MsgKind::VoteDenied,
        MsgKind::PreVote,
        MsgKind::Append,
        MsgKind::Heartbeat,
        MsgKind::AppendOk,
        MsgKind::AppendFail,
        MsgKind::Snapshot,
        MsgKind::TimeoutNow,
    ];

    /// The kind of a message.
    pub fn of(msg: &Message) -> MsgKind {
        match msg {
            Message::RequestVote { .. } => MsgKind::RequestVote,
            Message::RequestVoteReply { granted: true, .. } => MsgKind::VoteGranted,
            Message::RequestVoteReply { granted: false, .. } => MsgKind::VoteDenied,
            Message::PreVote { .. } | Message::PreVoteReply { .. } => MsgKind::PreVote,
            Message::AppendEntries { entries, .. } if entries.is_empty() => MsgKind::Heartbeat,
            Message::AppendEntries { .. } => MsgKind::Append,
            Message::AppendEntriesReply { success: true, .. } => MsgKind::AppendOk,
            Message::AppendEntriesReply { success: false, .. } => MsgKind::AppendFail,
            Message::InstallSnapshot { .. } | Message::InstallSnapshotReply { .. } => {
                MsgKind::Snapshot
            }
            Message::TimeoutNow { .. } => MsgKind::TimeoutNow,
        }
    }

    /// Its drawing style.
    pub fn style(self) -> MsgStyle {
        use okabe::*;
        let s = |shape, colour, filled, glyph, size, legend| MsgStyle {
            shape,
            colour,
            filled,
            glyph,
            size,
            legend,
        };
        match self {
            MsgKind::RequestVote => s(Shape::Diamond, ORANGE, true, "", 8.0, "legend_rv"),
            MsgKind::VoteGranted => s(Shape::Circle, GREEN, true, "✓", 7.0, "legend_vote_yes"),
            MsgKind::VoteDenied => s(Shape::Circle, VERMILLION, false, "×", 7.0, "legend_vote_no"),
            MsgKind::PreVote => s(Shape::Diamond, PURPLE, false, "", 8.0, "legend_prevote"),
            MsgKind::Append => s(Shape::Square, BLUE, true, "", 7.0, "legend_ae"),
            MsgKind::Heartbeat => s(Shape::Circle, SKY, true, "", 4.5, "legend_hb"),
            MsgKind::AppendOk => s(Shape::Triangle, GREEN, true, "", 7.0, "legend_ae_ok"),
            MsgKind::AppendFail => s(
                Shape::Triangle,
                VERMILLION,
                false,
                "",
                7.0,
                "legend_ae_fail",
            ),
            MsgKind::Snapshot => s(Shape::Square, PURPLE, true, "S", 9.0, "legend_snap"),
            MsgKind::TimeoutNow => s(Shape::Star, BLACK, true, "", 9.0, "legend_timeout_now"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No two message kinds look alike: each (shape, colour, fill, glyph) is unique.
    #[test]
    fn message_kinds_are_distinguishable_without_colour_alone() {
        let mut seen = Vec::new();
        for k in MsgKind::ALL {
            let s = k.style();
            let key = (s.shape, s.colour, s.filled, s.glyph);
            assert!(!seen.contains(&key), "{k:?} looks like another kind");
            seen.push(key);
        }
        // Replies that differ only in outcome also differ in fill or glyph, not only colour.
        let (g, d) = (MsgKind::VoteGranted.style(), MsgKind::VoteDenied.style());
        assert!(g.filled != d.filled && g.glyph != d.glyph);
        let (ok, fail) = (MsgKind::AppendOk.style(), MsgKind::AppendFail.style());
        assert_ne!(ok.filled, fail.filled);
    }

    #[test]
    fn heartbeat_and_append_are_told_apart() {
        let hb = Message::AppendEntries {
            term: 1,
            leader: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![],
            leader_commit: 0,
        };
        assert_eq!(MsgKind::of(&hb), MsgKind::Heartbeat);
        let ae = Message::AppendEntries {
            term: 1,
            leader: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![raft::Entry {
                term: 1,
                index: 1,
                payload: raft::Payload::Noop,
            }],
            leader_commit: 0,
        };
        assert_eq!(MsgKind::of(&ae), MsgKind::Append);
    }

    #[test]
    fn adjacent_terms_differ_and_text_is_readable() {
        for t in 1..20 {
            assert_ne!(term_colour(t), term_colour(t + 1));
        }
        assert_eq!(term_text_colour(6), "#ffffff"); // blue
        assert_eq!(term_text_colour(5), "#111111"); // yellow
        assert_eq!(term_tint(1, 0.5), "rgba(86,180,233,0.50)");
        assert_eq!(term_tint(1, 1.0), "rgba(86,180,233,1)");
    }
}
