//! Share links, embed snippets and the plain "open in Raftlab" URL.

use sim::Scenario;

use crate::app::App;
use crate::dom::{self, esc};
use crate::eventlog::format_time;
use crate::i18n::{t, tf};
use crate::params::percent_encode;

impl App {
    /// The share link (whole URL) for this run at this moment, to `done`.
    /// The browser compresses it asynchronously (`dom::deflate_raw`); the
    /// last link is kept, so asking again for the same run and moment
    /// answers at once.
    pub fn link_then(&mut self, done: impl FnOnce(&mut App, Result<String, String>) + 'static) {
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
    let base = href.split('#').next().unwrap_or("");
    format!("{base}#{code}")
}

/// The page at `href` opened on `scenario` at `now_us`, paused, with the
/// scenario as plain text (`?scenario=…&t=…&autoplay=0`): longer than a
/// share link but made without compression, so also from a panic hook.
/// Other parameters of the page (`lang`, `speed`) stay; `embed` and what
/// chose the run go.
pub fn plain_url(href: &str, scenario: &Scenario, now_us: u64) -> String {
    let before = href.split('#').next().unwrap_or("");
    let (path, query) = before.split_once('?').unwrap_or((before, ""));
    let mut q: Vec<String> = query_without(
        query,
        &["embed", "scenario", "t", "autoplay", "lesson", "lesson-url"],
    )
    .into_iter()
    .map(str::to_string)
    .collect();
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
