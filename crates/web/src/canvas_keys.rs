//! What the mouse picks on the canvas, picked by keyboard: the messages in
//! flight, one after another in the order they arrive (`[` `]`), and the
//! link between two servers (`X`, then the other server's number). Each
//! ends in the same intent as the click, so the keyboard and the mouse
//! cannot disagree about what happens.

use raft::NodeId;
use sim::view::MessageView;

use crate::app::App;
use crate::i18n::{t, tf};
use crate::session::{Hit, Intent};
use crate::shortcuts::Command;

/// The message after `current` in arrival order (`forward`), or before it;
/// from either end when `current` is not in flight, around at the ends.
/// Arrival order is `(deliver_us, id)`: the one that lands next comes first.
/// (A scan, not a sort: std's sort costs the page kilobytes.)
pub fn message_after(messages: &[MessageView], current: Option<u64>, forward: bool) -> Option<u64> {
    let key = |m: &MessageView| (m.deliver_us, m.id);
    let from = current.and_then(|id| messages.iter().find(|m| m.id == id).map(key));
    // The nearest past `from` on the way, else the far end (wrapping round).
    let beyond = |k: (u64, u64)| from.is_some_and(|f| if forward { k > f } else { k < f });
    let better = |a: (u64, u64), b: (u64, u64)| if forward { a < b } else { a > b };
    let mut best: Option<(bool, (u64, u64))> = None;
    for k in messages.iter().map(key) {
        let candidate = (beyond(k), k);
        best = match best {
            Some(b) if b.0 && !candidate.0 => Some(b),
            Some(b) if b.0 == candidate.0 && !better(candidate.1, b.1) => Some(b),
            _ => Some(candidate),
        };
    }
    best.map(|(_, (_, id))| id)
}

impl App {
    /// Opens the popup of the next (or previous) message in flight, as a
    /// click on it would (it pauses the run), with its Drop button focused.
    pub fn pick_message(&mut self, forward: bool) {
        let view = self.session.view();
        let Some(id) = message_after(&view.messages, self.session.message(), forward) else {
            self.banner(t(self.lang, "kb_no_message"), false);
            return;
        };
        // The popup opens beside the message as it is drawn now.
        if let Some(&(_, p)) = self.msg_pos.iter().find(|(m, _)| *m == id) {
            self.click_at = self.to_css(p);
        }
        if self.apply(Intent::Click(Hit::Message(id))) {
            crate::dom::focus("btn-drop");
        }
    }

    /// `X`: the selected server's link is the one to cut or restore; the
    /// next server number names its other end ([`App::link_key`]).
    pub fn arm_link(&mut self) {
        match self.session.selected() {
            Some(id) => {
                self.link_from = Some(id);
                self.banner(&tf(self.lang, "kb_link_pick", &[&id.to_string()]), false);
            }
            None => self.banner(t(self.lang, "kb_link_select"), false),
        }
    }

    /// Takes a key's command while a link end is awaited: a server number
    /// cuts or restores the link (both ways, as a click on the line does)
    /// and is used up; any other key only disarms and goes on as usual.
    pub fn link_key(&mut self, command: Command) -> bool {
        let Some(from) = self.link_from.take() else {
            return false;
        };
        match command {
            Command::Select(to) if to != from && self.has_node(to) => {
                self.apply(Intent::Click(Hit::Link(from, to)));
                true
            }
            _ => false,
        }
    }

    fn has_node(&self, id: NodeId) -> bool {
        self.session.view().nodes.iter().any(|n| n.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::{Scenario, Sim};

    fn in_flight() -> Vec<MessageView> {
        let mut s = Sim::new(Scenario::parse("nodes 5\nseed 3\n").expect("scenario")).expect("sim");
        // Just after the first election's RequestVotes go out.
        while s.view().messages.len() < 3 {
            s.step();
        }
        s.view().messages
    }

    /// `.` walks the messages in the order they arrive, and wraps; `,`
    /// walks back; a message that is gone starts again from an end.
    #[test]
    fn keys_walk_messages_in_arrival_order() {
        let m = in_flight();
        let mut walked = vec![message_after(&m, None, true).expect("one")];
        for _ in 1..m.len() {
            let last = *walked.last().expect("walked");
            walked.push(message_after(&m, Some(last), true).expect("next"));
        }
        let mut arrival: Vec<_> = m.iter().map(|m| (m.deliver_us, m.id)).collect();
        arrival.sort_unstable();
        assert_eq!(walked, arrival.iter().map(|a| a.1).collect::<Vec<_>>());
        let last = *walked.last().expect("last");
        assert_eq!(
            message_after(&m, Some(last), true),
            Some(walked[0]),
            "wraps"
        );
        assert_eq!(
            message_after(&m, Some(walked[0]), false),
            Some(last),
            "back"
        );
        assert_eq!(message_after(&m, None, false), Some(last));
        assert_eq!(message_after(&m, Some(u64::MAX), true), Some(walked[0]));
        assert_eq!(message_after(&[], None, true), None);
    }
}
