//! Share links, embed snippets and the plain "open in Raftlab" URL, and
//! the Share dialog's scenario text, which a teacher may edit and open.

use sim::Scenario;

use crate::app::App;
use crate::dom::{self, esc};
use crate::eventlog::format_time;
use crate::i18n::{t, tf, Lang};
use crate::params::percent_encode;

/// What [`App::link_then`]'s caller is told: the link, or why there is none.
type LinkDone = Box<dyn FnOnce(&mut App, Result<String, String>)>;

impl App {
    /// The share link (whole URL) for this run at this moment, to `done`.
    /// The browser compresses it asynchronously (`dom::deflate_raw`); the
    /// last link is kept, so asking again for the same run and moment
    /// answers at once.
    pub fn link_then(&mut self, done: impl FnOnce(&mut App, Result<String, String>) + 'static) {
        self.link_then_boxed(Box::new(done));
    }

    /// [`Self::link_then`] for one callback type: the compressing closure is
    /// then made once, not once per caller.
    #[inline(never)]
    fn link_then_boxed(&mut self, done: LinkDone) {
        if !dom::compression_streams() {
            let why = t(self.lang, "no_streams").to_string();
            done(self, Err(why));
            return;
        }
        let sim = self.session.sim();
        let text = sim::link_text(sim.scenario(), sim.now_us());
        if self.link_cache.0 == text && !self.link_cache.1.is_empty() {
            let url = page_link(&self.link_cache.1);
            done(self, Ok(url));
            return;
        }
        dom::deflate_raw(text.clone().into_bytes(), move |r| {
            let code = r
                .and_then(|packed| dom::base64url(&packed))
                .map(|body| sim::link_from_body(&body));
            crate::with_app(|a| {
                if let Ok(code) = &code {
                    a.link_cache = (text, code.clone());
                }
                done(a, code.map(|c| page_link(&c)));
            });
        });
    }

    /// The run at this moment as an uncompressed URL, made at once: for
    /// "open in Raftlab" from an embed.
    pub fn plain_link(&self) -> String {
        let href = dom::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let sim = self.session.sim();
        plain_url(&href, sim.scenario(), sim.now_us())
    }

    /// Fills the share dialog: the scenario text now, the link and the
    /// embed snippet when the browser has compressed the link.
    pub fn fill_share(&mut self) {
        let sim = self.session.sim();
        dom::set_value(
            "scenario-text",
            &format!("# {}\n{}", format_time(sim.now_us()), sim.scenario()),
        );
        dom::set_value("share-link", "");
        dom::set_value("embed-snippet", "");
        dom::set_text("scenario-status", "");
        self.link_then(|a, r| match r {
            Ok(link) => {
                dom::set_value("share-link", &link);
                let embed = embed_url(&link);
                dom::set_value(
                    "embed-snippet",
                    &format!("<iframe src=\"{}\" width=\"720\" height=\"480\" style=\"border:0;max-width:100%\" title=\"Raftlab\" loading=\"lazy\"></iframe>", esc(&embed)),
                );
            }
            Err(why) => a.banner(&tf(a.lang, "link_failed", &[&why]), true),
        });
    }
}

impl App {
    /// "Open this scenario": the Share dialog's edited text replaces the
    /// run, from its start (a lesson being followed closes: the run is no
    /// longer its). It does not ask: the text began as this run, so what
    /// it drops the teacher deleted on purpose. A text that does not parse
    /// changes nothing and says why, with line and column, under the text.
    /// The link, embed snippet and text then follow the new run.
    pub fn open_edited_scenario(&mut self) {
        match edited_scenario(self.lang, &dom::value("scenario-text")) {
            Ok(sc) => {
                crate::lessons_ui::close(self);
                self.restart_with(sc);
                self.fill_share();
            }
            Err(why) => dom::set_text("scenario-status", &why),
        }
    }
}

/// The scenario `text` describes, or why not ("line L, column C: …").
pub fn edited_scenario(lang: Lang, text: &str) -> Result<Scenario, String> {
    Scenario::parse(text).map_err(|e| tf(lang, "scenario_bad", &[&e.to_string()]))
}

/// `query`'s parameters (no `?`) without those named in `drop`.
fn query_without<'a>(query: &'a str, drop: &[&str]) -> Vec<&'a str> {
    query
        .split('&')
        .filter(|p| !p.is_empty() && !drop.contains(&p.split('=').next().unwrap_or("")))
        .collect()
}

/// The embed URL for a share link: `?embed` added to the query.
pub fn embed_url(link: &str) -> String {
    let (before, frag) = link.split_once('#').unwrap_or((link, ""));
    let (path, query) = before.split_once('?').unwrap_or((before, ""));
    let mut q = query_without(query, &["embed"]);
    q.insert(0, "embed");
    format!("{path}?{}#{frag}", q.join("&"))
}

/// `#code` on the page's URL (without its own fragment).
fn page_link(code: &str) -> String {
    let href = dom::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    link_on(&href, code)
}

/// `#code` on `href` without its fragment and without `present`: a link
/// is opened by students on their own screens, who want the whole page,
/// not the teacher's projector view.
fn link_on(href: &str, code: &str) -> String {
    let (path, q) = kept_query(href, &["present"]);
    let q = q.join("&");
    let sep = if q.is_empty() { "" } else { "?" };
    format!("{path}{sep}{q}#{code}")
}

/// `href` without its fragment, as its path and the query's parameters
/// but those named in `drop`.
fn kept_query<'a>(href: &'a str, drop: &[&str]) -> (&'a str, Vec<&'a str>) {
    let before = href.split('#').next().unwrap_or("");
    let (path, query) = before.split_once('?').unwrap_or((before, ""));
    (path, query_without(query, drop))
}

/// The page at `href` opened on `scenario` at `now_us`, paused, with the
/// scenario as plain text (`?scenario=…&t=…&autoplay=0`): longer than a
/// share link but made without compression, so also from a panic hook.
/// Other parameters of the page (`lang`, `speed`) stay; `embed` and what
/// chose the run go.
pub fn plain_url(href: &str, scenario: &Scenario, now_us: u64) -> String {
    let (path, q) = kept_query(
        href,
        &[
            "embed",
            "present",
            "scenario",
            "t",
            "autoplay",
            "lesson",
            "lesson-url",
        ],
    );
    let mut q: Vec<String> = q.into_iter().map(str::to_string).collect();
    q.push(format!(
        "scenario={}",
        percent_encode(&scenario.to_string())
    ));
    q.push(format!("t={}", sim::units::format_duration_us(now_us)));
    q.push("autoplay=0".to_string());
    format!("{path}?{}", q.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn share_links_drop_presentation_mode_and_keep_the_rest() {
        assert_eq!(
            link_on("http://h/r/?present&lang=zh#old", "1.abc"),
            "http://h/r/?lang=zh#1.abc"
        );
        assert_eq!(link_on("http://h/r/?present=1", "1.x"), "http://h/r/#1.x");
        assert_eq!(
            link_on("http://h/r/?controls=lesson", "1.x"),
            "http://h/r/?controls=lesson#1.x"
        );
        let sc = Scenario::default();
        assert!(!plain_url("http://h/?present", &sc, 0).contains("present"));
    }

    #[test]
    fn an_edited_scenario_opens_or_says_line_and_column() {
        let ok = edited_scenario(Lang::En, "# 1.000 s\nnodes 3\nat 1s crash 1\n");
        assert_eq!(ok.map(|s| s.settings.nodes), Ok(3));
        let why = edited_scenario(Lang::En, "nodes 3\nat 1s crush 1\n").err();
        let why = why.unwrap_or_default();
        assert!(why.contains("line 2, column "), "{why}");
        let zh = edited_scenario(Lang::Zh, "nodes 3\nat 1s crush 1\n").err();
        assert!(zh.is_some_and(|w| w.starts_with("未打开")));
    }

    #[test]
    fn embed_and_plain_urls_keep_the_other_parameters() {
        let l = "http://h/course/raftlab/?lang=zh#1.abc";
        let e = embed_url(l);
        assert_eq!(e, "http://h/course/raftlab/?embed&lang=zh#1.abc");
        assert_eq!(embed_url("http://h/?embed#x"), "http://h/?embed#x");
        let sc = Scenario::parse("nodes 3\nat 1s crash 1\n").expect("valid");
        let plain = plain_url(
            "http://h/course/raftlab/?embed&lang=zh&lesson=x&t=9s#1.abc",
            &sc,
            1_500_000,
        );
        assert!(
            plain.starts_with("http://h/course/raftlab/?lang=zh&scenario="),
            "{plain}"
        );
        assert!(plain.ends_with("&t=1.5s&autoplay=0"), "{plain}");
        // The full page reads back the same run and moment.
        let p = crate::params::parse_query(&plain[plain.find('?').unwrap_or(0)..]);
        assert_eq!(p.lang, Some(Lang::Zh));
        assert!(!p.embed && p.lesson.is_none());
        assert_eq!(p.at_us, Some(1_500_000));
        let text = p.scenario.unwrap_or_default();
        assert_eq!(Scenario::parse(&text).ok(), Some(sc));
    }
}
