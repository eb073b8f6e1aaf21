//! The page's static parts filled from Rust: translated text, the legend,
//! the help overlay, the selects, and the dialogs' visibility.

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use crate::app::ctx2d;
use crate::dom::{self, esc, set_html, show};
use crate::draw;
use crate::geom::Pt;
use crate::i18n::{t, Lang, TABLE};
use crate::params::{SPEEDS, SPEED_LABELS};
use crate::shortcuts::SHORTCUTS;
use crate::style::MsgKind;

/// Every dialog of the page (not the panic overlay).
const DIALOGS: [&str; 5] = [
    "settings-dialog",
    "share-dialog",
    "help-dialog",
    "confirm-dialog",
    "lesson-list",
];

/// Fills every `data-i18n*` element.
pub fn apply_i18n(lang: Lang) {
    let Some(d) = dom::doc() else { return };
    if let Some(h) = d.document_element() {
        let _ = h.set_attribute("lang", lang.code());
    }
    for (attr, what) in [
        ("data-i18n", 0),
        ("data-i18n-title", 1),
        ("data-i18n-ph", 2),
    ] {
        let Ok(list) = d.query_selector_all(&format!("[{attr}]")) else {
            continue;
        };
        for i in 0..list.length() {
            let Some(e) = list
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let Some(key) = e.get_attribute(attr) else {
                continue;
            };
            if !TABLE.iter().any(|x| x.0 == key) {
                continue;
            }
            let text = t(lang, &key);
            match what {
                0 => e.set_text_content(Some(text)),
                1 => {
                    let _ = e.set_attribute("title", text);
                    // The tooltip names an element that shows no text of
                    // its own (×, ?, the canvas); on a labelled button it
                    // stays a description, so the spoken name is the
                    // visible one (WCAG 2.5.3, label in name).
                    if !e.has_attribute("data-i18n") {
                        let _ = e.set_attribute("aria-label", text);
                    }
                }
                _ => {
                    let _ = e.set_attribute("placeholder", text);
                }
            }
        }
    }
}

/// Hides every dialog (not the panic overlay).
pub fn close_dialogs() {
    for id in DIALOGS {
        show(id, false);
    }
}

/// The legend: the same shapes as on the canvas.
pub fn fill_legend(lang: Lang) {
    let mut h = String::new();
    for (i, k) in MsgKind::ALL.iter().enumerate() {
        h.push_str(&format!("<li><canvas class=\"icon\" data-kind=\"{i}\" width=\"36\" height=\"36\"></canvas>{}</li>", esc(t(lang, k.style().legend))));
    }
    h.push_str(&format!(
        "<li><span class=\"swatch committed\"></span>{}</li>",
        esc(t(lang, "legend_committed"))
    ));
    h.push_str(&format!(
        "<li><span class=\"swatch uncommitted\"></span>{}</li>",
        esc(t(lang, "legend_uncommitted"))
    ));
    set_html("legend", &h);
    let Some(d) = dom::doc() else { return };
    let Ok(list) = d.query_selector_all("#legend canvas.icon") else {
        return;
    };
    for (i, k) in MsgKind::ALL.iter().enumerate() {
        let Some(c) = list
            .get(i as u32)
            .and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        if let Some(ctx) = ctx2d(&c) {
            let _ = ctx.set_transform(2.0, 0.0, 0.0, 2.0, 0.0, 0.0);
            draw::msg_shape(&ctx, &k.style(), Pt { x: 9.0, y: 9.0 }, 0.95);
        }
    }
}

/// The help overlay's table, from the same table the keyboard reads.
pub fn fill_help(lang: Lang) {
    let mut h = String::new();
    for s in &SHORTCUTS {
        let keys = s
            .label
            .split("  ")
            .map(|k| format!("<kbd>{}</kbd>", esc(k)))
            .collect::<Vec<_>>()
            .join(" ");
        h.push_str(&format!(
            "<tr><td>{keys}</td><td>{}</td></tr>",
            esc(t(lang, s.help))
        ));
    }
    set_html("help-keys", &h);
}

/// The toolbar's speed select, showing `current`.
pub fn fill_speed_select(current: f64) {
    let mut h = String::new();
    for s in SPEED_LABELS {
        h.push_str(&format!("<option value=\"{s}\">{s}×</option>"));
    }
    dom::set_html("speed", &h);
    dom::set_value("speed", &format_speed(current));
}

/// The settings dialog's cluster sizes: 1 to the simulator's limit.
pub fn fill_node_count_select() {
    let h: String = (1..=sim::scenario::NODES_MAX)
        .map(|n| format!("<option value=\"{n}\">{n}</option>"))
        .collect();
    dom::set_html("set-nodes", &h);
}

/// The speed as shown in the select.
pub fn format_speed(s: f64) -> String {
    // Labels written out: formatting floats would pull ~25 KB of code into the wasm.
    let k = (0..SPEEDS.len())
        .min_by(|&a, &b| (SPEEDS[a] - s).abs().total_cmp(&(SPEEDS[b] - s).abs()))
        .unwrap_or(6);
    SPEED_LABELS[k].to_string()
}

/// 12_500 ppm -> "1.25" (percent), without float formatting.
pub fn ppm_percent(ppm: u32) -> String {
    let frac = format!("{:04}", ppm % 10_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        (ppm / 10_000).to_string()
    } else {
        format!("{}.{frac}", ppm / 10_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_label_matches_a_select_option() {
        assert_eq!(format_speed(0.05), "0.05");
        assert_eq!(format_speed(1.0), "1");
        assert_eq!(format_speed(0.07), "0.05");
        assert_eq!(ppm_percent(12_500), "1.25");
        assert_eq!(ppm_percent(0), "0");
        assert_eq!(ppm_percent(1_000_000), "100");
    }
}
