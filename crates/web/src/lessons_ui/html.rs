//! The lesson panel's pure parts: the list's and the narration's HTML,
//! lesson links, what a file holds, and the teaching-switch warning.
//! Unit-tested natively.

use lessons::{Lesson, Question, Step};
use sim::Unmet;

use crate::dom::esc;
use crate::eventlog::property_name;
use crate::i18n::{claims, t, tf, Lang};
use crate::params::percent_encode;
use crate::progress::Progress;
use crate::session::{Answer, Source};
use crate::unsafe_switches::UNSAFE;

/// The lessons crate's language for a UI language.
pub fn lesson_lang(lang: Lang) -> lessons::Lang {
    match lang {
        Lang::En => lessons::Lang::En,
        Lang::Zh => lessons::Lang::Zh,
    }
}

/// The lesson list: one button per lesson, with its title, summary and,
/// for a lesson that breaks a rule on purpose, a "teaching switch" badge;
/// with the student's score and a ✓ once completed (`progress`).
pub fn list_html(list: &[Lesson], lang: Lang, progress: &Progress) -> String {
    let ll = lesson_lang(lang);
    let mut h = String::new();
    for (i, l) in list.iter().enumerate() {
        // Its place in the course, even while an earlier one is missing.
        let num = lessons::BUNDLED_IDS
            .iter()
            .position(|id| *id == l.id)
            .map_or(i + 1, |k| k + 1);
        let mut badge = if l.expected_violation.is_some() {
            format!(
                " <span class=\"badge warn\">{}</span>",
                esc(t(lang, "l_badge_switch"))
            )
        } else {
            String::new()
        };
        badge.push_str(&progress_badges(progress, &l.id, lang));
        h.push_str(&format!(
            "<li><button class=\"lesson-item\" data-lesson=\"{}\"><span class=\"num\">{}</span><span class=\"lt\">{}{badge}</span><span class=\"ls\">{}</span></button></li>",
            esc(&l.id),
            num,
            esc(l.title(ll)),
            esc(l.summary(ll)),
        ));
    }
    h
}

/// The lessons opened from a link that have progress, as links that open
/// them again (their ids: their titles are in their files).
pub fn own_html(list: &[Lesson], lang: Lang, progress: &Progress) -> String {
    let mut h = String::new();
    for (id, url) in &progress.urls {
        let badges = progress_badges(progress, id, lang);
        if badges.is_empty() || list.iter().any(|l| &l.id == id) {
            continue;
        }
        h.push_str(&format!(
            "<li><a class=\"lesson-item\" href=\"{}\"><span class=\"num\">↗</span><span class=\"lt\">{}{badges}</span><span class=\"ls mono\">{}</span></a></li>",
            esc(&review_href(id, Some(url), None, lang)),
            esc(id),
            esc(url),
        ));
    }
    h
}

/// A lesson's score (once a question is answered) and its ✓ (once completed).
fn progress_badges(progress: &Progress, id: &str, lang: Lang) -> String {
    let mut h = String::new();
    let (right, asked) = progress.score(id);
    if asked > 0 {
        h.push_str(&format!(
            " <span class=\"mark\">{}</span>",
            esc(&score_text(right, asked, lang))
        ));
    }
    if progress.is_done(id) {
        h.push_str(&format!(
            " <span class=\"mark done\" title=\"{0}\" aria-label=\"{0}\">✓</span>",
            esc(t(lang, "q_done"))
        ));
    }
    h
}

/// "Score 2/3".
pub fn score_text(right: usize, asked: usize, lang: Lang) -> String {
    tf(lang, "q_score", &[&right.to_string(), &asked.to_string()])
}

/// A link that opens a lesson (bundled when `url` is `None`) at `at_us`.
pub fn review_href(id: &str, url: Option<&str>, at_us: Option<u64>, lang: Lang) -> String {
    let mut h = match url {
        Some(u) => format!("?lesson-url={}", percent_encode(u)),
        None => format!("?lesson={}", percent_encode(id)),
    };
    if let Some(us) = at_us {
        // Seconds with six decimals: `?t=` reads them exactly.
        h.push_str(&format!("&t={}.{:06}", us / 1_000_000, us % 1_000_000));
    }
    h.push_str("&lang=");
    h.push_str(lang.short());
    h
}

/// The class of choice button `i`: plain while asking; at the reveal the
/// right one is `right` and a wrong pick `wrong`; while revealing, the
/// pick is `picked`.
pub fn choice_class(answer: Answer, i: usize) -> &'static str {
    let picked = answer.picked() == Some(i);
    match answer {
        Answer::Revealed { right: Some(r), .. } if r == i => "choice right",
        Answer::Revealed { .. } if picked => "choice wrong",
        Answer::Revealing { .. } if picked => "choice picked",
        _ => "choice",
    }
}

/// The line under the choices: what to do, what the run is doing, or the
/// verdict with the explanation; and its class (`ok`, `no` or empty).
pub fn ask_result(q: &Question, answer: Answer, lang: Lang) -> (&'static str, String) {
    let ll = lesson_lang(lang);
    let text_of = |i: usize| q.choices.get(i).map_or("", |c| c.texts.get(ll));
    let why = q.explanation.get(ll);
    match answer {
        Answer::Asking => ("", t(lang, "q_pick").to_string()),
        Answer::Revealing { picked } => ("", tf(lang, "q_watch", &[text_of(picked)])),
        Answer::Revealed {
            picked,
            right: Some(r),
        } if picked == r => ("ok", format!("{} {why}", t(lang, "q_right"))),
        Answer::Revealed { right: Some(r), .. } => (
            "no",
            format!("{} {why}", tf(lang, "q_wrong", &[text_of(r)])),
        ),
        Answer::Revealed { right: None, .. } => ("no", t(lang, "q_ungraded").to_string()),
    }
}

/// The review: each missed question (in the order answered) with its
/// lesson, its prompt, both answers and a link to its step. `known`: the
/// lessons at hand to name them (else their ids are shown).
pub fn review_html(progress: &Progress, known: &[Lesson], lang: Lang) -> String {
    let ll = lesson_lang(lang);
    let mut h = String::new();
    for a in progress.answers.iter().filter(|a| !a.correct()) {
        let lesson = known.iter().find(|l| l.id == a.lesson);
        let q = lesson.and_then(|l| l.questions().map(|(_, q)| q).find(|q| q.id == a.question));
        let title = lesson.map_or(a.lesson.as_str(), |l| l.title(ll));
        let prompt = q.map_or(a.question.as_str(), |q| q.prompt(ll));
        let choice = |i: usize| {
            q.and_then(|q| q.choices.get(i))
                .map_or((i + 1).to_string(), |c| c.texts.get(ll).to_string())
        };
        let url = progress.url(&a.lesson);
        let bundled = lessons::BUNDLED_IDS.contains(&a.lesson.as_str());
        let link = if bundled || url.is_some() {
            let href = review_href(&a.lesson, url.filter(|_| !bundled), Some(a.at_us), lang);
            format!(" <a href=\"{}\">{}</a>", esc(&href), esc(t(lang, "r_go")))
        } else {
            String::new()
        };
        h.push_str(&format!(
            "<li><strong>{}</strong> · {}{link}<small>{}</small></li>",
            esc(title),
            esc(prompt),
            esc(&tf(
                lang,
                "r_answers",
                &[&choice(a.picked), &choice(a.right)]
            ))
        ));
    }
    if h.is_empty() {
        h = format!("<li class=\"hint\">{}</li>", esc(t(lang, "r_none")));
    }
    h
}

/// A step's narration as paragraphs (the file's `\n`).
pub fn text_html(step: &Step, lang: Lang) -> String {
    step.text(lesson_lang(lang))
        .split('\n')
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", esc(p.trim())))
        .collect()
}

/// The step's claims, each ticked when it holds now, or followed by why not
/// (in `lang`). `results[i]` is the outcome of `step.expects[i].claim.check(&sim)`.
/// Each item can take the keyboard focus (`tabindex`) and carries its
/// index (`data-k`): pointed at or focused, the canvas marks what it checks.
pub fn claims_html(step: &Step, results: &[Result<(), Unmet>], lang: Lang) -> String {
    let mut h = String::new();
    for (k, (e, r)) in step.expects.iter().zip(results).enumerate() {
        let text = e.to_string();
        let text = text.strip_prefix("expect ").unwrap_or(&text);
        // The sentence is for the student; the claim's source stays in
        // `data-claim` for authors and tests.
        let sentence = claims::sentence(lang, &e.claim);
        match r {
            Ok(()) => h.push_str(&format!(
                "<li class=\"ok\" tabindex=\"0\" data-k=\"{k}\" title=\"{}\" data-claim=\"{}\"><span class=\"dot\" aria-hidden=\"true\">✓</span> {}</li>",
                esc(t(lang, "l_claim_ok")),
                esc(text),
                esc(&sentence)
            )),
            Err(why) => h.push_str(&format!(
                "<li class=\"no\" tabindex=\"0\" data-k=\"{k}\" title=\"{}\" data-claim=\"{}\"><span class=\"dot\" aria-hidden=\"true\">○</span> {} <small>{}</small></li>",
                esc(t(lang, "l_claim_no")),
                esc(text),
                esc(&sentence),
                esc(&claims::unmet(lang, why))
            )),
        }
    }
    h
}

/// The page URL without query and fragment (`https://host/course/raftlab/`).
pub fn page_base(href: &str) -> &str {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    &href[..end]
}

/// (share link, embed link) of a lesson, or `None` for a local file.
pub fn lesson_links(base: &str, id: &str, source: &Source) -> Option<(String, String)> {
    let q = match source {
        Source::Bundled => format!("lesson={}", percent_encode(id)),
        Source::Url(u) => format!("lesson-url={}", percent_encode(u)),
        Source::File(_) => return None,
    };
    Some((format!("{base}?{q}"), format!("{base}?embed&{q}")))
}

/// What a file holds, from its name: `.txt` is a scenario, anything else
/// (`.lesson`, a URL without an extension) a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A lesson file (docs/lessons.md).
    Lesson,
    /// A scenario file (docs/scenarios.md).
    Scenario,
}

/// See [`FileKind`]. A URL's query and fragment are ignored.
pub fn file_kind(name: &str) -> FileKind {
    let path = page_base(name.trim()).to_ascii_lowercase();
    if path.ends_with(".txt") {
        FileKind::Scenario
    } else {
        FileKind::Lesson
    }
}

/// "commit-old-terms" -> the switch's label.
fn switch_label(lang: Lang, name: &str) -> &'static str {
    UNSAFE
        .iter()
        .find(|u| u.switch.name() == name)
        .map_or("", |u| t(lang, u.label))
}

pub(super) fn property_label(lang: Lang, p: sim::Property) -> &'static str {
    t(lang, &format!("p_{}", property_name(p)))
}

/// The teaching-switch warning of a lesson that breaks a rule on purpose.
pub fn warning_text(lesson: &Lesson, lang: Lang) -> Option<String> {
    let p = lesson.expected_violation?;
    let switches = lesson
        .teaching_switches()
        .iter()
        .map(|s| format!("“{}”", switch_label(lang, s.name())))
        .collect::<Vec<_>>()
        .join(", ");
    Some(tf(
        lang,
        "l_switch_on",
        &[&switches, property_label(lang, p)],
    ))
}

/// The i18n keys this module uses (checked against the table by a test).
pub const KEYS: [&str; 43] = [
    "l_answer_first",
    "q_question",
    "q_pick",
    "q_watch",
    "q_right",
    "q_wrong",
    "q_ungraded",
    "q_held",
    "q_again",
    "q_score",
    "q_done",
    "r_review",
    "r_title",
    "r_none",
    "r_go",
    "r_answers",
    "r_reset",
    "r_reset_ask",
    "r_reset_done",
    "l_list_loading",
    "l_list_failed",
    "l_badge_switch",
    "l_claim_ok",
    "l_claim_no",
    "l_switch_on",
    "l_safe_on",
    "l_step_of",
    "l_bad_file",
    "l_too_big",
    "l_opened",
    "l_fetch_failed",
    "l_network",
    "l_http_status",
    "l_url_empty",
    "l_expected_violation",
    "bad_scenario",
    "copied",
    "copy_failed",
    "unknown_lesson",
    "p_leader-completeness",
    "u_commit_old_terms",
    "u_direct_change",
    "u_vote_without_log_check",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::TABLE;
    use crate::session::{back_target, check_step, next_target, shown_step};

    fn lesson(id: &str) -> Lesson {
        lessons::by_id(id).expect("bundled lesson")
    }

    #[test]
    fn list_shows_every_bundled_lesson_in_both_languages() {
        let all = lessons::all();
        assert_eq!(all.len(), 11);
        for lang in [Lang::En, Lang::Zh] {
            let h = list_html(&all, lang, &Progress::default());
            assert_eq!(h.matches("<li>").count(), 11);
            for l in &all {
                assert!(h.contains(&format!("data-lesson=\"{}\"", l.id)));
                assert!(h.contains(&esc(l.title(lesson_lang(lang)))), "{}", l.id);
            }
            // Lessons 07, 08 and 10 break a rule on purpose and say so.
            assert_eq!(
                h.matches("badge warn").count(),
                3,
                "teaching-switch badges in {lang:?}"
            );
        }
        let zh = list_html(&all, Lang::Zh, &Progress::default());
        assert!(zh.contains("角色与第一次选举"));
    }

    #[test]
    fn next_and_back_walk_the_steps_in_time() {
        let l = lesson("01-first-election");
        let at: Vec<u64> = l.steps.iter().map(|s| s.at_us).collect();
        assert!(at.len() >= 3);
        // Walk forward from the first step to the last, then back.
        let mut now = at[0];
        let mut seen = vec![now];
        while let Some(t) = next_target(&l, now) {
            assert!(t > now, "Next moves forward");
            now = t;
            seen.push(now);
        }
        assert_eq!(seen, at);
        let mut back = vec![now];
        while let Some(t) = back_target(&l, now) {
            assert!(t < now, "Back travels back in time");
            now = t;
            back.push(now);
        }
        back.reverse();
        assert_eq!(back, at);
        // Between two steps (after a scrub) the narration shows the earlier one.
        assert_eq!(shown_step(&l, at[1] + 1), 1);
        assert_eq!(next_target(&l, at[1] + 1), Some(at[2]));
        // Back from there returns to the start of the step shown.
        assert_eq!(back_target(&l, at[1] + 1), Some(at[1]));
    }

    #[test]
    fn claims_are_ticked_at_their_step_and_not_before() {
        let l = lesson("01-first-election");
        let mut sim = l.sim().expect("sim");
        for (i, step) in l.steps.iter().enumerate() {
            sim.seek(step.at_us);
            let r = check_step(step, &sim);
            assert!(r.iter().all(|r| r.is_ok()), "step {i}: {r:?}");
            let h = claims_html(step, &r, Lang::En);
            assert_eq!(h.matches("class=\"ok\"").count(), step.expects.len());
        }
        // At time 0 the claim "candidate 1 term 1" of step 2 does not hold yet.
        sim.seek(0);
        let r = check_step(&l.steps[1], &sim);
        assert!(r.iter().any(|r| r.is_err()));
        let zh = claims_html(&l.steps[1], &r, Lang::Zh);
        assert!(zh.contains("class=\"no\""));
        // Why not, in the page's language.
        for why in r.iter().filter_map(|r| r.as_ref().err()) {
            assert!(zh.contains(&esc(&claims::unmet(Lang::Zh, why))), "{zh}");
            assert!(!zh.contains(&esc(&why.to_string())), "{zh}");
            let en = claims_html(&l.steps[1], &r, Lang::En);
            assert!(en.contains(&esc(&why.to_string())), "{en}");
        }
    }

    /// Rule: every claim can be pointed at, by mouse or keyboard, and says
    /// which claim it is: the canvas marks what that claim checks.
    #[test]
    fn claims_are_focusable_and_numbered() {
        let l = lesson("03-log-replication");
        let step = &l.steps[1];
        let sim = l.sim().expect("sim");
        let h = claims_html(step, &check_step(step, &sim), Lang::En);
        assert_eq!(h.matches("tabindex=\"0\"").count(), step.expects.len());
        for k in 0..step.expects.len() {
            assert!(h.contains(&format!("data-k=\"{k}\"")), "{h}");
        }
    }

    #[test]
    fn share_and_embed_links_name_the_lesson() {
        let base = page_base("https://h/course/raftlab/?lang=zh&lesson=x#1.abc");
        assert_eq!(base, "https://h/course/raftlab/");
        assert_eq!(
            lesson_links(base, "05-network-partition", &Source::Bundled),
            Some((
                "https://h/course/raftlab/?lesson=05-network-partition".into(),
                "https://h/course/raftlab/?embed&lesson=05-network-partition".into()
            ))
        );
        let (link, embed) = lesson_links(
            base,
            "custom",
            &Source::Url("https://u.example/a b.lesson".into()),
        )
        .expect("url link");
        assert_eq!(
            link,
            "https://h/course/raftlab/?lesson-url=https%3A%2F%2Fu.example%2Fa%20b.lesson"
        );
        assert!(embed.contains("?embed&lesson-url="));
        let p = crate::params::parse_query(&link[link.find('?').unwrap_or(0)..]);
        assert_eq!(
            p.lesson_url.as_deref(),
            Some("https://u.example/a b.lesson")
        );
        assert_eq!(
            lesson_links(base, "custom", &Source::File("x.lesson".into())),
            None
        );
    }

    #[test]
    fn txt_files_are_scenarios_everything_else_lessons() {
        assert_eq!(file_kind("split.txt"), FileKind::Scenario);
        assert_eq!(file_kind("https://x/y/SPLIT.TXT?raw=1"), FileKind::Scenario);
        assert_eq!(file_kind("my.lesson"), FileKind::Lesson);
        assert_eq!(file_kind("https://x/lesson?id=3"), FileKind::Lesson);
    }

    #[test]
    fn a_teaching_switch_lesson_names_its_switch_and_property() {
        let l = lesson("08-commit-current-term");
        let w = warning_text(&l, Lang::En).expect("a warning");
        assert!(w.contains(t(Lang::En, "u_commit_old_terms")), "{w}");
        assert!(
            w.contains("Leader Completeness") || w.contains("State Machine"),
            "{w}"
        );
        assert!(warning_text(&l, Lang::Zh).is_some());
        assert_eq!(warning_text(&lesson("01-first-election"), Lang::En), None);
        // Every switch a bundled lesson turns on has a label.
        for l in lessons::all() {
            for s in l.teaching_switches() {
                assert!(!switch_label(Lang::Zh, s.name()).is_empty(), "{}", s.name());
            }
        }
    }

    #[test]
    fn every_key_used_here_exists_in_both_languages() {
        for k in KEYS {
            let e = TABLE.iter().find(|e| e.0 == k);
            assert!(e.is_some_and(|e| !e.1.is_empty() && !e.2.is_empty()), "{k}");
        }
    }

    /// Rule: at the reveal the right choice is green and a wrong pick red,
    /// with the verdict and the explanation; a run that cannot grade says so.
    #[test]
    fn a_revealed_question_marks_the_right_and_the_wrong_choice() {
        let l = Lesson::parse(include_str!(
            "../../../../tests/browser/fixtures/asks.lesson"
        ))
        .expect("fixture");
        let q = l.steps[1].question.as_ref().expect("a question");
        let wrong = Answer::Revealed {
            picked: 2,
            right: Some(0),
        };
        assert_eq!(choice_class(wrong, 0), "choice right");
        assert_eq!(choice_class(wrong, 1), "choice");
        assert_eq!(choice_class(wrong, 2), "choice wrong");
        assert_eq!(choice_class(Answer::Asking, 0), "choice");
        let (class, text) = ask_result(q, wrong, Lang::En);
        assert_eq!(class, "no");
        assert!(
            text.starts_with("✗ Not this time: the run shows Node 2. Two of three"),
            "{text}"
        );
        let right = Answer::Revealed {
            picked: 0,
            right: Some(0),
        };
        assert_eq!(ask_result(q, right, Lang::Zh).0, "ok");
        let none = Answer::Revealed {
            picked: 0,
            right: None,
        };
        assert!(ask_result(q, none, Lang::En).1.contains("not scored"));
    }

    #[test]
    fn narration_keeps_paragraphs_and_escapes() {
        let mut l = lesson("01-first-election");
        l.steps[0].text_en = "a <b>\n\nsecond".into();
        assert_eq!(
            text_html(&l.steps[0], Lang::En),
            "<p>a &lt;b&gt;</p><p>second</p>"
        );
        assert!(text_html(&l.steps[0], Lang::Zh).contains("跟随者"));
    }
}
