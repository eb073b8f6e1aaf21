//! Share links: the whole scenario and the moment being viewed, in a URL
//! fragment. Format (version 1): `1.` followed by URL-safe base64 (no padding)
//! of raw-deflate-compressed UTF-8 text whose first line is the viewed moment
//! in µs and whose remaining lines are the scenario text.
//!
//! Nothing here panics on outside input: every failure is a [`LinkError`].

use std::fmt;

use base64::Engine as _;

use crate::scenario::{ParseError, Scenario};

/// The link format version written by this build.
pub const LINK_VERSION: u32 = 1;
/// Longest fragment accepted, in bytes (the limit).
pub const LINK_LEN_MAX: usize = 16 * 1024;
/// Largest decompressed payload accepted (guards against deflate bombs).
pub const LINK_TEXT_LEN_MAX: usize = 256 * 1024;
/// Deflate level: links are small, so the best compression costs nothing.
const DEFLATE_LEVEL: u8 = 10;

/// Why a link could not be opened. The `Display` text is meant for users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The fragment is longer than [`LINK_LEN_MAX`].
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Made by a newer (or unknown) version of Raftlab.
    Version {
        /// The version found.
        found: String,
    },
    /// Not base64, not deflate, not UTF-8, or cut short.
    Corrupt {
        /// What failed.
        reason: String,
    },
    /// The scenario inside does not parse.
    Scenario(ParseError),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::TooLong { len } => {
                write!(f, "this link is too long ({len} bytes; the limit is {LINK_LEN_MAX})")
            }
            LinkError::Version { found } => write!(
                f,
                "this link was made by a different version of Raftlab (link format {found}; this build reads {LINK_VERSION})"
            ),
            LinkError::Corrupt { reason } => write!(f, "this link is damaged or incomplete ({reason})"),
            LinkError::Scenario(e) => write!(f, "the scenario in this link is invalid: {e}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// Encodes a scenario and the viewed moment (µs) as a fragment, without the `#`.
pub fn encode_link(scenario: &Scenario, view_us: u64) -> String {
    let text = link_text(scenario, view_us);
    link_from_payload(&miniz_oxide::deflate::compress_to_vec(
        text.as_bytes(),
        DEFLATE_LEVEL,
    ))
}

/// What a link carries before compression: the viewed moment (µs) on the
/// first line, then the scenario text.
pub fn link_text(scenario: &Scenario, view_us: u64) -> String {
    format!("{view_us}\n{scenario}")
}

/// The second half of [`encode_link`]: a link from the raw-deflate
/// compression of [`link_text`]. The browser compresses with its own
/// `CompressionStream` (no compressor in the wasm download): any valid
/// deflate stream makes a valid link.
pub fn link_from_payload(packed: &[u8]) -> String {
    link_from_body(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

/// The standard, padded base64 that the browser's `atob` reads, from a
/// link's body (URL-safe, unpadded): `-` `_` become `+` `/`, and `=` pads
/// it to whole groups of four. Any other character is refused here, so the
/// message does not depend on the browser.
pub fn body_to_standard_base64(body: &str) -> Result<String, LinkError> {
    let mut out = String::with_capacity(body.len() + 3);
    for c in body.chars() {
        out.push(match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' => c,
            '-' => '+',
            '_' => '/',
            _ => {
                return Err(LinkError::Corrupt {
                    reason: format!("not URL-safe base64: `{c}` is not one of its letters"),
                })
            }
        });
    }
    if out.len() % 4 == 1 {
        return Err(LinkError::Corrupt {
            reason: "not URL-safe base64: cut short".into(),
        });
    }
    while out.len() % 4 != 0 {
        out.push('=');
    }
    Ok(out)
}

/// A link's body (URL-safe, unpadded) from the standard base64 that the
/// browser's `btoa` writes.
pub fn standard_base64_to_body(standard: &str) -> String {
    standard
        .chars()
        .filter(|&c| c != '=')
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect()
}

/// A link from its body: the URL-safe base64 (no padding) of the payload.
/// The browser encodes with its own `btoa` (no base64 code in the wasm
/// download) and finishes with this.
pub fn link_from_body(body: &str) -> String {
    format!("{LINK_VERSION}.{body}")
}

/// Decodes a fragment (with or without `#`, or a whole URL containing `#`)
/// into the scenario and the viewed moment (µs).
pub fn decode_link(link: &str) -> Result<(Scenario, u64), LinkError> {
    let packed = link_payload(link)?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, LINK_TEXT_LEN_MAX)
        .map_err(|e| LinkError::Corrupt {
            reason: format!("cannot decompress: {:?}", e.status),
        })?;
    link_from_text(text)
}

/// The first half of [`decode_link`]: checks the length and the version
/// and undoes the base64, giving the raw-deflate payload. The browser
/// inflates it with its own `DecompressionStream` (one decompressor less in
/// the wasm download) and finishes with [`link_from_text`].
pub fn link_payload(link: &str) -> Result<Vec<u8>, LinkError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(link_body(link)?)
        .map_err(|e| LinkError::Corrupt {
            reason: format!("not URL-safe base64: {e}"),
        })
}

/// The first step of [`link_payload`]: checks the length and the version
/// and gives the body, still in URL-safe base64. The browser decodes it
/// with its own `atob` (no base64 code in the wasm download).
pub fn link_body(link: &str) -> Result<&str, LinkError> {
    let fragment = match link.find('#') {
        Some(i) => &link[i + 1..],
        None => link,
    };
    let fragment = fragment.trim();
    if fragment.len() > LINK_LEN_MAX {
        return Err(LinkError::TooLong {
            len: fragment.len(),
        });
    }
    let Some((version, body)) = fragment.split_once('.') else {
        return Err(LinkError::Corrupt {
            reason: "no version prefix".into(),
        });
    };
    if version != LINK_VERSION.to_string() {
        return Err(LinkError::Version {
            found: version.chars().take(12).collect(),
        });
    }
    Ok(body)
}

/// The second half of [`decode_link`]: the inflated payload (at most
/// [`LINK_TEXT_LEN_MAX`] bytes) to the scenario and the viewed moment (µs).
pub fn link_from_text(bytes: Vec<u8>) -> Result<(Scenario, u64), LinkError> {
    if bytes.len() > LINK_TEXT_LEN_MAX {
        return Err(LinkError::Corrupt {
            reason: "too large when decompressed".into(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| LinkError::Corrupt {
        reason: "not UTF-8 text".into(),
    })?;
    let Some((view, scenario_text)) = text.split_once('\n') else {
        return Err(LinkError::Corrupt {
            reason: "no scenario".into(),
        });
    };
    let view_us: u64 = view.parse().map_err(|_| LinkError::Corrupt {
        reason: "bad time".into(),
    })?;
    let scenario = Scenario::parse(scenario_text).map_err(LinkError::Scenario)?;
    Ok((scenario, view_us))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_browsers_base64_halves_agree_with_the_base64_crate() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        use base64::Engine as _;
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(97).wrapping_add(len))
                .collect();
            let body = URL_SAFE_NO_PAD.encode(&bytes);
            assert_eq!(
                super::standard_base64_to_body(&STANDARD.encode(&bytes)),
                body
            );
            assert_eq!(
                super::body_to_standard_base64(&body).unwrap(),
                STANDARD.encode(&bytes)
            );
        }
        assert!(super::body_to_standard_base64("ab$d").is_err());
        assert!(
            super::body_to_standard_base64("abcde").is_err(),
            "a lone last letter"
        );
    }

    use super::*;

    const TWENTY_ACTIONS: &str = "raftlab 1\nnodes 5\nseed 42\nprevote on\n\
        at 800ms request \"set a=5\"\nat 1s request 3 \"x=1\"\nat 1.2s crash 1\nat 1.5s partition 1 2 | 3 4 5\n\
        at 3s heal\nat 3.5s restart 1\nat 4s timeout 2\nat 4.1s drop 117\nat 5s add 6\nat 6s remove 3\n\
        at 6.5s request \"set b=7\"\nat 7s isolate 4\nat 7.5s cut 1 2\nat 8s restore 1 2\nat 8.5s heal\n\
        at 9s crash 5\nat 9.5s restart 5\nat 10s request 2 \"c=3\"\nat 11s transfer 2\nat 12s unsafe commit-old-terms on\n\
        run 20s\n";

    #[test]
    fn link_round_trips_scenario_and_moment() {
        let sc = Scenario::parse(TWENTY_ACTIONS).expect("valid");
        assert_eq!(sc.timeline.len(), 20);
        let link = encode_link(&sc, 4_321_000);
        assert!(
            link.len() < 500,
            "a 20-action link must fit in 500 characters, got {}",
            link.len()
        );
        assert!(link
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        assert_eq!(decode_link(&link), Ok((sc.clone(), 4_321_000)));
        assert_eq!(
            decode_link(&format!("https://x.org/app/?embed#{link}")),
            Ok((sc, 4_321_000))
        );
    }

    #[test]
    fn bad_links_give_errors_not_panics() {
        let sc = Scenario::parse(TWENTY_ACTIONS).expect("valid");
        let link = encode_link(&sc, 1);
        assert!(matches!(decode_link(""), Err(LinkError::Corrupt { .. })));
        assert!(matches!(
            decode_link("#2.abc"),
            Err(LinkError::Version { .. })
        ));
        assert!(matches!(
            decode_link("1.!!!"),
            Err(LinkError::Corrupt { .. })
        ));
        for cut in 0..link.len() - 1 {
            assert!(decode_link(&link[..cut]).is_err(), "truncated at {cut}");
        }
        let long = format!("1.{}", "A".repeat(LINK_LEN_MAX));
        assert!(matches!(decode_link(&long), Err(LinkError::TooLong { .. })));
        let bad_scenario = {
            let packed = miniz_oxide::deflate::compress_to_vec(b"0\nnodes 99\n", 6);
            format!(
                "1.{}",
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
            )
        };
        assert!(matches!(
            decode_link(&bad_scenario),
            Err(LinkError::Scenario(_))
        ));
        // A deflate bomb: 1 MB of zeros compresses to ~1 KB.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'0'; 1 << 20], 10);
        let bomb = format!(
            "1.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb)
        );
        assert!(matches!(decode_link(&bomb), Err(LinkError::Corrupt { .. })));
    }
}
