//! The client on the canvas: its glyph (in the cached node layer), and, over
//! the picture every frame, its requests flying to a server, their arrival,
//! the answers flying back and its own conclusions. What is drawn when is
//! decided by `crate::clients` (honest about time); this file only paints.

use sim::ClientResult;
use web_sys::CanvasRenderingContext2d as Ctx;

use super::canvas::{
    align, alpha, baseline, circle, fill, font, font_set, line_width, stroke, text,
};
use super::kv::{mono_width, pill_path, prefix_len, MONO_11};
use super::Scene;
use crate::clients::{ClientMark, MarkKind};
use crate::geom::{Layout, Pt, CLIENT_BELOW};
use crate::i18n::{t, tf, Lang};
use crate::style::okabe;

/// Longest command drawn on a flight, in characters (then `…`).
const CMD_CHARS_MAX: usize = 16;

/// How a client label looks: outline colour, fill, text colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LabelStyle {
    /// Outline.
    edge: &'static str,
    /// Inside.
    fill: &'static str,
    /// Text.
    ink: &'static str,
}

/// A request: black on white, like a letter.
const REQUEST_STYLE: LabelStyle = LabelStyle {
    edge: okabe::BLACK,
    fill: "#ffffff",
    ink: okabe::BLACK,
};

/// The style of an answer or a conclusion: success filled green; a
/// redirect outlined orange; refusals and failures outlined vermillion
/// (told apart by their words, not by colour alone).
fn result_style(r: ClientResult) -> LabelStyle {
    match r {
        ClientResult::Ok => LabelStyle {
            edge: okabe::GREEN,
            fill: okabe::GREEN,
            ink: "#ffffff",
        },
        ClientResult::Redirect => LabelStyle {
            edge: okabe::ORANGE,
            fill: "#ffffff",
            ink: "#8a5a00",
        },
        ClientResult::Rejected | ClientResult::Timeout | ClientResult::Unavailable => LabelStyle {
            edge: okabe::VERMILLION,
            fill: "#ffffff",
            ink: okabe::VERMILLION,
        },
    }
}

/// The words of an answer or a conclusion: `ok`, `redirect to 1`, `timeout`.
fn result_words(lang: Lang, r: ClientResult, leader: Option<raft::NodeId>) -> String {
    match (r, leader) {
        (ClientResult::Ok, _) => t(lang, "client_ok").to_string(),
        (ClientResult::Redirect, Some(to)) => tf(lang, "client_redirect_to", &[&to.to_string()]),
        _ => crate::i18n::reasons::client_result(lang, r).to_string(),
    }
}

/// A command as a flight shows it: cut after [`CMD_CHARS_MAX`] characters.
fn short(cmd: &str) -> std::borrow::Cow<'_, str> {
    match prefix_len(cmd, CMD_CHARS_MAX) {
        at if at < cmd.len() => format!("{}…", &cmd[..at]).into(),
        _ => cmd.into(),
    }
}

/// One label on a pill centred on `p`. The font must be [`MONO_11`], the
/// text centred.
fn label(ctx: &Ctx, p: Pt, words: &str, st: LabelStyle) {
    pill_path(ctx, p, mono_width(words, 11.0) + 12.0, 16.0);
    fill(ctx, st.fill);
    ctx.fill();
    stroke(ctx, st.edge);
    line_width(ctx, 2.0);
    ctx.stroke();
    fill(ctx, st.ink);
    text(ctx, words, p.x, p.y + 0.5);
}

/// The client: a small screen on a stand, named below (the node layer).
pub(super) fn glyph(ctx: &Ctx, l: &Layout, lang: Lang) {
    let c = l.client;
    ctx.begin_path();
    ctx.rect(c.x - 13.0, c.y - 11.0, 26.0, 16.0);
    fill(ctx, "#ffffff");
    ctx.fill();
    stroke(ctx, okabe::BLACK);
    line_width(ctx, 2.0);
    ctx.stroke();
    ctx.begin_path();
    ctx.move_to(c.x, c.y + 5.0);
    ctx.line_to(c.x, c.y + 8.0);
    ctx.move_to(c.x - 7.0, c.y + 9.0);
    ctx.line_to(c.x + 7.0, c.y + 9.0);
    ctx.stroke();
    // A prompt on the screen: it is a program that sends commands.
    fill(ctx, okabe::BLACK);
    font_set(ctx, &font(10.0, 800));
    align(ctx, "center");
    baseline(ctx, "middle");
    text(ctx, ">_", c.x, c.y - 3.0);
    font_set(ctx, &font(11.0, 700));
    fill(ctx, "#333333");
    text(ctx, t(lang, "client_label"), c.x, c.y + CLIENT_BELOW - 6.0);
}

/// The client's requests, arrivals, answers and conclusions at the
/// scene's moment (every frame; usually there are none).
pub(super) fn flights(ctx: &Ctx, s: &Scene) {
    if s.clients.is_empty() {
        return;
    }
    let (l, now) = (s.layout, s.view.now_us);
    font_set(ctx, MONO_11);
    align(ctx, "center");
    baseline(ctx, "middle");
    for m in s.clients {
        mark(ctx, s, l, m, now);
    }
    alpha(ctx, 1.0);
}

/// One mark (`Written` is `kv`'s: the values' pill is lit).
fn mark(ctx: &Ctx, s: &Scene, l: &Layout, m: &ClientMark, now: u64) {
    let done = m.progress(now);
    match m.kind {
        MarkKind::Request => {
            let Some(p) = l.client_flight_pos(m.node, done, true) else {
                return;
            };
            label(ctx, p, &short(&m.text), REQUEST_STYLE);
        }
        MarkKind::Arrival => {
            let (Some(c), Some(at)) = (l.pos(m.node), l.client_flight_pos(m.node, 1.0, true))
            else {
                return;
            };
            // A flash around the server that fades, and the command at its door.
            alpha(ctx, 1.0 - done * 0.8);
            stroke(ctx, okabe::BLACK);
            line_width(ctx, 3.0);
            circle(ctx, c, l.node_r + 9.0 + 6.0 * done);
            ctx.stroke();
            label(ctx, at, &short(&m.text), REQUEST_STYLE);
            alpha(ctx, 1.0);
        }
        MarkKind::Answer => {
            let (Some(r), Some(p)) = (m.result, l.client_flight_pos(m.node, done, false)) else {
                return;
            };
            label(ctx, p, &result_words(s.lang, r, m.leader), result_style(r));
        }
        MarkKind::Outcome => {
            let Some(r) = m.result else { return };
            let at = Pt {
                x: l.client.x,
                y: l.client.y + CLIENT_BELOW + 12.0,
            };
            alpha(ctx, 1.0 - done * 0.6);
            label(ctx, at, &result_words(s.lang, r, None), result_style(r));
            alpha(ctx, 1.0);
        }
        MarkKind::Written => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rule: each result reads differently in words; ok alone is filled.
    #[test]
    fn answers_say_their_result_in_both_languages() {
        assert_eq!(result_words(Lang::En, ClientResult::Ok, None), "ok");
        assert_eq!(result_words(Lang::Zh, ClientResult::Ok, None), "成功");
        assert_eq!(
            result_words(Lang::En, ClientResult::Redirect, Some(3)),
            "redirect to 3"
        );
        assert_eq!(
            result_words(Lang::Zh, ClientResult::Redirect, Some(3)),
            "重定向到 3"
        );
        let mut seen = Vec::new();
        for &r in ClientResult::ALL {
            for lang in [Lang::En, Lang::Zh] {
                let w = result_words(lang, r, None);
                assert!(
                    !seen.contains(&(lang, w.clone())),
                    "{r:?} reads like another"
                );
                seen.push((lang, w));
            }
            assert_eq!(result_style(r).fill == okabe::GREEN, r == ClientResult::Ok);
        }
    }

    #[test]
    fn long_commands_are_cut_on_a_character() {
        assert_eq!(short("set a=5"), "set a=5");
        assert_eq!(short("set name=abcdefghijk"), "set name=abcdefg…");
        assert_eq!(
            short("set 名字=一二三四五六七八九十"),
            "set 名字=一二三四五六七八九…"
        );
    }
}
