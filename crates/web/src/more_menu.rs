//! The toolbar's overflow menu on phones and tablets. Which controls it
//! holds is the style sheet's (`www/style.css`, classes `m1` and `m2`):
//! this is the button (`#btn-more`, its `aria-expanded`) and what closes
//! it: Escape (`events::wire_keyboard`), a control chosen in it (every
//! button of `events::click` closes it), or a click beside it (on
//! `#more-shade`, which covers the page under the open menu). The button
//! comes first in the toolbar's order, so Tab goes from it through the
//! menu.

use crate::dom;

/// Whether the menu is open (class `open` on the top bar).
pub fn is_open() -> bool {
    dom::el("topbar").is_some_and(|t| t.class_list().contains("open"))
}

/// Opens or closes the menu.
pub fn set_open(open: bool) {
    if let Some(t) = dom::el("topbar") {
        let _ = t.class_list().toggle_with_force("open", open);
    }
    if let Some(b) = dom::el("btn-more") {
        let _ = b.set_attribute("aria-expanded", if open { "true" } else { "false" });
    }
}

/// The More button.
pub fn toggle() {
    set_open(!is_open());
}

/// Escape: closes the menu and gives the focus back to its button.
pub fn escape() {
    set_open(false);
    if let Some(b) = dom::el("btn-more") {
        let _ = b.focus();
    }
}
