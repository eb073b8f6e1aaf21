//! Scenario text → `sim::Scenario::parse`. For every text that parses:
//! printing and parsing the print gives an equal scenario (and the print is
//! canonical: printing again gives the same text), and a short simulation
//! of it does not panic (see `common::run_short`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sim::Scenario;

#[path = "common.rs"]
mod common;

/// Longer texts are skipped (the fuzzer's -max_len keeps them rare anyway).
const TEXT_MAX: usize = 16 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > TEXT_MAX {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(sc) = Scenario::parse(text) else {
        return;
    };
    let printed = sc.to_string();
    let again = match Scenario::parse(&printed) {
        Ok(again) => again,
        Err(e) => panic!(
            "the printed scenario does not parse: {e}\n--- input\n{text}\n--- printed\n{printed}"
        ),
    };
    assert!(
        again == sc,
        "print/parse round trip changed the scenario\n--- input\n{text}\n--- printed\n{printed}\n--- before\n{sc:?}\n--- after\n{again:?}"
    );
    assert_eq!(printed, again.to_string(), "printing is not canonical");
    common::run_short(sc);
});
