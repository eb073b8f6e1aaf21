//! The student's progress in the page (issue 13): kept in localStorage as
//! `progress::Progress` text, restored into a lesson when it opens,
//! recorded as the run grades picks and lessons are completed, told to a
//! course page (`course_events`), shown in the review, and cleared by
//! "Reset progress" (after asking).

use std::cell::RefCell;

use super::catalog::{ready, render_list};
use super::html::review_html;
use crate::app::App;
use crate::course_events::post;
use crate::dom::{self, set_html, show};
use crate::i18n::{t, Lang};
use crate::progress::{Progress, Saved, KEY};
use crate::session::{LessonTick, Source};

thread_local! {
    /// The stored progress, read on first use.
    static PROGRESS: RefCell<Option<Progress>> = const { RefCell::new(None) };
}

/// The progress (read from localStorage the first time).
pub(super) fn load() -> Progress {
    PROGRESS.with(|p| {
        p.borrow_mut()
            .get_or_insert_with(|| Progress::parse(&dom::storage_get(KEY).unwrap_or_default()))
            .clone()
    })
}

/// Keeps `p`, in the page and in localStorage.
fn store(p: Progress) {
    dom::storage_set(KEY, &p.to_text());
    PROGRESS.with(|c| *c.borrow_mut() = Some(p));
}

/// After a lesson opened: its saved answers are shown as answered, and
/// the address it came from is kept (the review's link).
pub(super) fn restore(a: &mut App) {
    let Some(l) = a.session.lesson() else { return };
    let id = l.lesson.id.clone();
    let mut p = load();
    if let Source::Url(url) = &l.source {
        p.set_url(&id, url);
        store(p.clone());
    }
    for s in p.of_lesson(&id) {
        a.session
            .lesson_restore_answer(&s.question, s.picked, s.right);
    }
}

/// After a tick: a graded pick and a completed lesson are kept and told
/// to the course page.
pub(super) fn after_tick(a: &App, tick: &LessonTick) {
    let Some(l) = a.session.lesson() else { return };
    let id = l.lesson.id.as_str();
    if let Some(g) = tick.graded {
        let step = l.lesson.steps.get(g.step);
        if let (Some(step), Some(right)) = (step, g.right) {
            let q = step.question.as_ref().map_or("", |q| q.id.as_str());
            let mut p = load();
            p.record(Saved {
                lesson: id.to_string(),
                question: q.to_string(),
                picked: g.picked,
                right,
                at_us: step.at_us,
            });
            store(p);
            post(&format!(
                "{{\"type\":\"raftlab:answer\",\"lesson\":\"{id}\",\"question\":\"{q}\",\"choice\":{},\"correct\":{}}}",
                g.picked,
                g.picked == right
            ));
        }
    }
    if tick.completed {
        let mut p = load();
        p.complete(id);
        store(p);
        let (score, asked) = l.questions.score();
        post(&format!(
            "{{\"type\":\"raftlab:complete\",\"lesson\":\"{id}\",\"score\":{score},\"of\":{asked}}}"
        ));
    }
}

/// Fills the review with the missed questions, named from the bundled
/// lessons fetched so far and the lesson on screen.
fn render_review(a: &App) {
    let mut known = ready();
    known.extend(a.session.lesson().map(|l| l.lesson.clone()));
    set_html("review-items", &review_html(&load(), &known, a.lang));
}

/// The review button: shows (filled) or hides the review.
pub fn toggle_review(a: &mut App) {
    let on = dom::el("review").is_some_and(|e| e.hidden());
    render_review(a);
    show("review", on);
}

/// "Reset progress": asks, then forgets every answer and completed lesson;
/// the lesson on screen asks its questions again.
pub fn reset_progress(a: &mut App) {
    let lang: Lang = a.lang;
    let yes = dom::window()
        .and_then(|w| w.confirm_with_message(t(lang, "r_reset_ask")).ok())
        .unwrap_or(false);
    if !yes {
        return;
    }
    store(Progress::default());
    a.session.lesson_reset_answers();
    super::panel::forget_shown();
    render_list(lang);
    render_review(a);
    a.banner(t(lang, "r_reset_done"), false);
}
