//! Authoring aid: runs a lesson file and prints its trace without message
//! events (or with them, given `--messages`), then every claim that fails.
//!
//! `cargo run -p lessons --example lesson_trace -- lessons/01-first-election.lesson [--messages] [--until 3s]`

use lessons::Lesson;
use sim::units::{format_duration_us, parse_duration_us};
use sim::Ev;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: lesson_trace FILE [--messages] [--until T] [--scenario]");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let lesson = match Lesson::parse(&text) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    if args.iter().any(|a| a == "--scenario") {
        print!("{}", lesson.scenario);
        return;
    }
    let messages = args.iter().any(|a| a == "--messages");
    let until = args
        .iter()
        .position(|a| a == "--until")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| parse_duration_us(t))
        .unwrap_or(lesson.end_us());
    let mut sim = match lesson.sim() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    sim.run_until(until);
    for e in sim.trace() {
        let msg = matches!(e.ev, Ev::Send { .. } | Ev::Deliver { .. } | Ev::Drop { .. });
        if !messages && (msg || matches!(e.ev, Ev::Reject { .. })) {
            continue;
        }
        println!("{:>9} {}", format_duration_us(e.t), e.to_json());
    }
    let failures = lesson.check();
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "{} steps, {} failed claims, violations: {:?}",
        lesson.steps.len(),
        failures.len(),
        sim.violations()
            .iter()
            .map(|v| v.property.title())
            .collect::<Vec<_>>()
    );
}
