//! The canvas's gestures applied to the app: `gestures.rs` decides from
//! the pointers, this moves the dragged server in the layout and resets
//! the layout and the zoom on a double-tap. The DOM listener is
//! `events::canvas_pointer`.

use crate::app::App;
use crate::geom::{Layout, Pt};
use crate::gestures::Outcome;

impl App {
    /// A pointer pressed on the canvas at `p` (its CSS px).
    pub fn pointer_down(&mut self, id: i32, p: Pt) {
        let node = self.layout.node_at(self.unzoom(p));
        let grab = node.and_then(|n| Some((n, self.to_css(self.layout.pos(n)?))));
        self.gestures.down(id, p, grab);
    }

    /// A pointer moved over the canvas, or while it holds the canvas.
    /// Returns how far the page is to scroll (CSS px, down).
    pub fn pointer_move(&mut self, id: i32, p: Pt) -> f64 {
        let size = (
            self.layout.width * self.zoom,
            self.layout.height * self.zoom,
        );
        match self.gestures.moved_to(id, p, size) {
            Outcome::Place(n, c) => self.place(n, c),
            Outcome::Scroll(dy) => return dy,
            Outcome::None | Outcome::Reset => {}
        }
        0.0
    }

    /// A pointer lifted at `at_ms` (the event's time stamp).
    pub fn pointer_up(&mut self, id: i32, at_ms: f64) {
        if self.gestures.up(id, at_ms) == Outcome::Reset {
            self.reset_view();
        }
    }

    /// Puts server `id` where the pointer shows it (canvas CSS px) and
    /// remembers it relative to the canvas's size.
    fn place(&mut self, id: raft::NodeId, shown: Pt) {
        let at = self.unzoom(shown);
        let l = &mut self.layout;
        let Some(q) = l.place(id, at) else {
            return;
        };
        let f = Pt {
            x: q.x / l.width,
            y: q.y / l.height,
        };
        match self.placed.iter_mut().find(|e| e.0 == id) {
            Some(e) => e.1 = f,
            None => self.placed.push((id, f)),
        }
    }

    /// The servers where the layout puts them, and the whole picture.
    pub fn reset_view(&mut self) {
        self.placed.clear();
        self.gestures.reset();
        let l = &self.layout;
        self.layout = Layout::new(l.width, l.height, &l.ids.clone());
    }
}
