//! URL query parameters: `?embed&present&controls=lesson&autoplay=0&speed=0.5&lang=zh&scenario=…&lesson=…&lesson-url=…`.
//!
//! The share link itself lives in the `#fragment` (see `sim::decode_link`);
//! the query says how to show it.

use crate::i18n::Lang;

/// Slowest playback speed (simulated seconds per real second).
pub const SPEED_MIN: f64 = 0.01;
/// Fastest playback speed.
pub const SPEED_MAX: f64 = 10.0;
/// The speeds offered in the toolbar.
pub const SPEEDS: [f64; 10] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];
/// `SPEEDS` as text (the select's values and labels).
pub const SPEED_LABELS: [&str; 10] = [
    "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10",
];
/// Default speed: a 20 ms message flight takes 0.4 s to watch.
pub const SPEED_DEFAULT: f64 = 0.05;

/// Which controls the page shows (`controls=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Controls {
    /// Every control (`controls=all`, the default).
    #[default]
    All,
    /// `controls=lesson`: lesson navigation, play/pause and the timeline;
    /// no node or network actions, settings or share.
    Lesson,
}

/// What the query string asks for. Unknown parameters are ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// `?embed`: the compact view for an iframe.
    pub embed: bool,
    /// `?present`: presentation mode (no side panel, large text).
    pub present: bool,
    /// `controls=lesson|all`.
    pub controls: Controls,
    /// A `controls=` value that is neither: the page says so (`bad_controls`).
    pub bad_controls: Option<String>,
    /// `autoplay=0|1|false|true`.
    pub autoplay: Option<bool>,
    /// `speed=0.5`, clamped to [SPEED_MIN, SPEED_MAX].
    pub speed: Option<f64>,
    /// `lang=en|zh`.
    pub lang: Option<Lang>,
    /// `scenario=`: scenario text, or a share-link code (`1.…`).
    pub scenario: Option<String>,
    /// `lesson=NAME`: a bundled lesson (`05-network-partition`).
    pub lesson: Option<String>,
    /// `lesson-url=URL`: a lesson file (or `.txt` scenario) to fetch.
    pub lesson_url: Option<String>,
    /// `t=2.5` (seconds) or `t=2.5s`, `t=300ms`: the moment to show, µs.
    pub at_us: Option<u64>,
}

/// Parses a query string, with or without the leading `?`.
pub fn parse_query(query: &str) -> Params {
    let mut p = Params::default();
    let q = query.strip_prefix('?').unwrap_or(query);
    for pair in q.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), Some(percent_decode(v))),
            None => (percent_decode(pair), None),
        };
        match (k.as_str(), v) {
            // A flag alone, or with a value that is not false, is on.
            ("embed", v) => p.embed = v.as_deref().and_then(parse_bool).unwrap_or(true),
            ("present", v) => p.present = v.as_deref().and_then(parse_bool).unwrap_or(true),
            ("autoplay", v) => p.autoplay = Some(v.as_deref().and_then(parse_bool).unwrap_or(true)),
            ("controls", Some(v)) if v == "lesson" => p.controls = Controls::Lesson,
            ("controls", Some(v)) if v != "all" => p.bad_controls = Some(v),
            ("speed", Some(v)) => p.speed = parse_speed(&v),
            ("lang", Some(v)) => p.lang = Lang::parse(&v),
            ("scenario", Some(v)) if !v.trim().is_empty() => p.scenario = Some(v),
            ("lesson", Some(v)) if !v.trim().is_empty() => p.lesson = Some(v),
            ("lesson-url", Some(v)) if !v.trim().is_empty() => {
                p.lesson_url = Some(v.trim().to_string())
            }
            ("t", Some(v)) => p.at_us = parse_time_us(&v),
            _ => {}
        }
    }
    p
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// A moment as written in a URL: seconds (`2.5`) or a duration with its
/// unit (`2.5s`, `300ms`), read exactly.
pub fn parse_time_us(text: &str) -> Option<u64> {
    let t = text.trim();
    sim::units::parse_duration_us(t).or_else(|| sim::units::parse_fixed(t, 6))
}

/// A speed as written in a URL or the toolbar: `0.05`, `2x`; up to 4
/// decimals, read exactly (no float parsing in the wasm). Clamped.
pub fn parse_speed(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches(['x', '×']);
    let ten_thousandths = sim::units::parse_fixed(t, 4).filter(|&v| v > 0)?;
    Some(clamp_speed(ten_thousandths as f64 / 10_000.0))
}

/// Clamps a speed to the supported range.
pub fn clamp_speed(s: f64) -> f64 {
    crate::geom::clamp(s, SPEED_MIN, SPEED_MAX)
}

/// The next slower (`dir < 0`) or faster toolbar speed.
pub fn step_speed(current: f64, dir: i32) -> f64 {
    let k = SPEEDS
        .iter()
        .position(|&s| s >= current - 1e-9)
        .unwrap_or(SPEEDS.len() - 1);
    let k = if dir < 0 {
        k.saturating_sub(1)
    } else {
        (k + 1).min(SPEEDS.len() - 1)
    };
    SPEEDS[k]
}

/// Decodes `%XX` escapes and `+` (as a space). Invalid escapes are kept as
/// written; invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes everything but unreserved characters as `%XX`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            // By hand: `format!("{:02X}")` would link hex formatting.
            let hex = |d: u8| (if d < 10 { b'0' + d } else { b'A' + d - 10 }) as char;
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b & 15));
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_flag_alone_and_with_values() {
        assert!(parse_query("?embed").embed);
        assert!(parse_query("embed=1&x=2").embed);
        assert!(!parse_query("?embed=0").embed);
        assert!(!parse_query("").embed);
    }

    #[test]
    fn present_and_lesson_controls() {
        let p = parse_query("?present&controls=lesson");
        assert!(p.present && !p.embed);
        assert_eq!(p.controls, Controls::Lesson);
        assert_eq!(p.bad_controls, None);
        assert!(!parse_query("?present=0").present);
        assert!(parse_query("?present=yes").present);
        assert_eq!(parse_query("?embed").controls, Controls::All);
        assert_eq!(parse_query("?controls=all").controls, Controls::All);
    }

    #[test]
    fn a_bad_controls_value_is_kept_for_the_message() {
        let p = parse_query("?controls=teacher&embed");
        assert_eq!(p.controls, Controls::All);
        assert_eq!(p.bad_controls.as_deref(), Some("teacher"));
        assert_eq!(parse_query("?controls=").bad_controls.as_deref(), Some(""));
        assert_eq!(parse_query("?controls=lesson").bad_controls, None);
    }

    #[test]
    fn speed_is_clamped_and_garbage_ignored() {
        assert_eq!(parse_query("?speed=0.5").speed, Some(0.5));
        assert_eq!(parse_query("?speed=100").speed, Some(SPEED_MAX));
        assert_eq!(parse_query("?speed=0.0001").speed, Some(SPEED_MIN));
        assert_eq!(parse_query("?speed=2x").speed, Some(2.0));
        assert_eq!(parse_query("?speed=abc").speed, None);
        assert_eq!(parse_query("?speed=-1").speed, None);
        assert_eq!(parse_query("?speed=NaN").speed, None);
    }

    #[test]
    fn the_moment_is_seconds_or_a_duration() {
        assert_eq!(parse_query("?t=2.5").at_us, Some(2_500_000));
        assert_eq!(parse_query("?t=2.5s").at_us, Some(2_500_000));
        assert_eq!(parse_query("?t=300ms").at_us, Some(300_000));
        assert_eq!(parse_query("?t=1.033299s").at_us, Some(1_033_299));
        assert_eq!(parse_query("?t=soon").at_us, None);
        assert_eq!(parse_query("?t=").at_us, None);
    }

    #[test]
    fn lang_autoplay_lesson_and_scenario() {
        let p = parse_query(
            "?lang=zh&autoplay=false&lesson=first-election&scenario=nodes+3%0Aat+1s+crash+1",
        );
        assert_eq!(p.lang, Some(Lang::Zh));
        assert_eq!(p.autoplay, Some(false));
        assert_eq!(p.lesson.as_deref(), Some("first-election"));
        assert_eq!(p.scenario.as_deref(), Some("nodes 3\nat 1s crash 1"));
        assert_eq!(parse_query("?autoplay").autoplay, Some(true));
    }

    #[test]
    fn lesson_url_is_decoded_and_blank_ignored() {
        let p = parse_query("?embed&lesson-url=https%3A%2F%2Fx.org%2Fa.lesson%3Fv%3D2");
        assert_eq!(p.lesson_url.as_deref(), Some("https://x.org/a.lesson?v=2"));
        assert!(p.embed);
        assert_eq!(parse_query("?lesson-url=").lesson_url, None);
        assert_eq!(parse_query("?lesson-url=%20").lesson_url, None);
    }

    #[test]
    fn percent_coding_round_trips_and_survives_garbage() {
        let s = "nodes 3\nat 1s request \"set a=5\" # 中文";
        assert_eq!(percent_decode(&percent_encode(s)), s);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
        assert_eq!(percent_encode("a b\n/é"), "a%20b%0A%2F%C3%A9");
    }

    #[test]
    fn speed_steps_through_the_toolbar_values() {
        assert_eq!(step_speed(0.1, 1), 0.2);
        assert_eq!(step_speed(0.1, -1), 0.05);
        assert_eq!(step_speed(10.0, 1), 10.0);
        assert_eq!(step_speed(0.01, -1), 0.01);
        assert_eq!(step_speed(0.3, 1), 1.0);
    }
}
