//! Lesson text → `lessons::Lesson::parse`: never panics. For lessons that
//! parse, the cheap read-only methods must not panic either, the scenario
//! part round-trips through its printer (with its `expect` claims put back:
//! the same claims at the same moments), and, when the run is short and
//! cheap (see `common::cheap_to_run`), `Lesson::check` runs without panicking.

#![no_main]

use lessons::{Lang, Lesson};
use libfuzzer_sys::fuzz_target;
use sim::Scenario;

#[path = "common.rs"]
mod common;

const TEXT_MAX: usize = 16 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > TEXT_MAX {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(lesson) = Lesson::parse(text) else {
        return;
    };
    for lang in Lang::ALL {
        let _ = lesson.title(lang);
        let _ = lesson.summary(lang);
        for step in &lesson.steps {
            let _ = step.text(lang);
        }
    }
    let end = lesson.end_us();
    for t in [0, end / 2, end, u64::MAX] {
        let _ = lesson.step_at(t);
    }
    let _ = lesson.teaching_switches();
    let _ = lesson.expects();
    let safe = lesson.safe_scenario();
    assert!(
        !common::uses_teaching_switch(&safe),
        "safe_scenario keeps a teaching switch"
    );

    let printed = lesson.scenario.to_string();
    match Scenario::parse(&printed) {
        Ok(again) => assert!(again == lesson.scenario, "scenario round trip\n{printed}"),
        Err(e) => {
            panic!("the lesson's scenario prints as text that does not parse: {e}\n{printed}")
        }
    }

    // The lesson files its claims under its steps; put back into the
    // scenario and printed, they parse back to the same claims at the same
    // moments.
    let mut with_claims = lesson.scenario.clone();
    with_claims.expects = lesson.expects();
    let printed = with_claims.to_string();
    match Scenario::parse(&printed) {
        Ok(again) => {
            let mut a = again.expects.clone();
            let mut b = with_claims.expects.clone();
            a.sort_by_key(|e| (e.at_us, e.claim.to_string()));
            b.sort_by_key(|e| (e.at_us, e.claim.to_string()));
            assert!(a == b, "claims changed by print/parse\n{printed}");
        }
        Err(e) => panic!(
            "the lesson's scenario and claims print as text that does not parse: {e}\n{printed}"
        ),
    }

    if common::cheap_to_run(&lesson.scenario) && end <= common::RUN_US {
        let _ = lesson.check();
    }
});
