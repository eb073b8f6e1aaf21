//! Share links (crates/sim/src/link.rs): no decoder half panics on any
//! input, and a decoded scenario survives encode → decode unchanged.
//!
//! The first byte picks the entry point, so that mutations also reach the
//! scenario parser behind base64 and deflate:
//! - 0: the rest as a fragment or URL → `decode_link`;
//! - 1: the rest as a fragment → `link_payload` (the browser's first half);
//! - 2: the rest as inflated bytes → `link_from_text` (its second half);
//! - 3: the rest packed here as deflate "stored" blocks (valid deflate,
//!   no compression: cheap), then `link_from_payload` → `decode_link`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sim::{
    decode_link, encode_link, link_from_payload, link_from_text, link_payload, link_text,
    LinkError, Scenario, LINK_LEN_MAX,
};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let decoded = match mode % 4 {
        0 => match std::str::from_utf8(rest) {
            Ok(s) => decode_link(s),
            Err(_) => return,
        },
        1 => {
            if let Ok(s) = std::str::from_utf8(rest) {
                if let Ok(packed) = link_payload(s) {
                    // A valid payload re-encodes to the same body.
                    let again = link_from_payload(&packed);
                    assert_eq!(link_payload(&again).as_deref(), Ok(&packed[..]));
                }
            }
            return;
        }
        2 => link_from_text(rest.to_vec()),
        _ => decode_link(&link_from_payload(&stored_deflate(rest))),
    };
    let Ok((sc, view_us)) = decoded else {
        return;
    };
    round_trip(&sc, view_us);
});

/// `bytes` as raw deflate made of stored (uncompressed) blocks (RFC 1951 §3.2.4).
fn stored_deflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 5 * (bytes.len() / 0xFFFF + 1));
    let mut chunks = bytes.chunks(0xFFFF).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    while let Some(chunk) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none())); // BFINAL, BTYPE = 00
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

fn round_trip(sc: &Scenario, view_us: u64) {
    let link = encode_link(sc, view_us);
    assert!(
        link.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
        "link has characters that are not URL-safe: {link}"
    );
    if link.len() > LINK_LEN_MAX {
        // Longer than links may be (the text inside came through
        // `link_from_text`, which allows more): refused, not mangled.
        assert!(matches!(decode_link(&link), Err(LinkError::TooLong { .. })));
        return;
    }
    match decode_link(&link) {
        Ok((again, v)) => {
            assert_eq!(v, view_us, "viewed moment changed");
            assert!(again == *sc, "scenario changed by encode → decode\n{sc}");
        }
        Err(e) => panic!("a link this build encoded does not decode: {e}\n{sc}"),
    }
    // The browser's halves agree with the native ones.
    let text = link_text(sc, view_us);
    assert_eq!(link_from_text(text.into_bytes()), Ok((sc.clone(), view_us)));
}
