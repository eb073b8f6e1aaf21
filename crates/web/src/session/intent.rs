//! What the user can ask of the session, as typed values: every button,
//! key and click of the page is one of these.

use raft::NodeId;
use sim::scenario::UnsafeSwitch;
use sim::Setting;

/// What a click on the canvas hit (the DOM layer finds it with `geom`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A server.
    Node(NodeId),
    /// A message in flight, by id.
    Message(u64),
    /// The link between two servers.
    Link(NodeId, NodeId),
    /// Nothing: the background.
    Empty,
}

/// A user intent. `Session::apply` turns the ones that change the run
/// into `sim::Action` values (never into text for sim to parse).
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// Play if paused, pause if playing.
    TogglePlay,
    /// Play (`true`) or pause.
    SetPlaying(bool),
    /// Run exactly one event and pause.
    Step,
    /// Travel in time to this moment, µs.
    Seek(u64),
    /// Pause and travel this many µs forward (or back, if negative).
    SeekBy(i64),
    /// Set the speed (simulated seconds per real second), clamped.
    SetSpeed(f64),
    /// One toolbar speed slower (-1) or faster (+1).
    StepSpeed(i32),
    /// The timeline is being dragged (`true`) or was let go.
    SetDragging(bool),
    /// A number key: select that server (in partition mode: move it to the next group).
    Select(NodeId),
    /// A click or tap on the canvas.
    Click(Hit),
    /// Select a server and open its menu.
    OpenMenu(NodeId),
    /// Crash the server, or restart it if it is down.
    Crash(NodeId),
    /// Fire the server's election timer now.
    Timeout(NodeId),
    /// Send a client request to this server.
    Request(NodeId),
    /// Cut the server off from everyone.
    Isolate(NodeId),
    /// Ask the leader to hand leadership to this server.
    Transfer(NodeId),
    /// Snapshot the server's state machine and compact its log.
    Compact(NodeId),
    /// Remove the server from the configuration.
    Remove(NodeId),
    /// Show the server's details.
    Details(NodeId),
    /// A client request to whoever leads.
    ClientRequest,
    /// Remove every partition, isolation and cut.
    Heal,
    /// Add a server with the next free id.
    AddServer,
    /// Lose this message in flight.
    DropMessage(u64),
    /// Close the message popup.
    CloseMessage,
    /// Enter partition mode, or leave it without applying.
    TogglePartition,
    /// Apply the groups chosen in partition mode.
    ApplyPartition,
    /// Close popups and leave partition mode.
    Escape,
    /// Change a protocol setting now (`prevote on`, `backoff hint`, …).
    Set(Setting),
    /// A teaching switch's box was ticked (`true`: asks for confirmation
    /// first) or cleared (turns it off at once).
    AskUnsafe(UnsafeSwitch, bool),
    /// The answer to the pending teaching-switch confirmation.
    ConfirmUnsafe(bool),
    /// Change the voters: by joint consensus, or in one step (`direct`).
    ChangeMembership {
        /// The new voters.
        voters: Vec<NodeId>,
        /// `unsafe-change` (needs the direct-change switch) instead of `change`.
        direct: bool,
    },
    /// Start the base scenario again from time 0.
    Reset,
    /// Start the base scenario again with this seed.
    NewSeed(u64),
    /// Lesson: to the next step (playing there if it is near).
    LessonNext,
    /// Lesson: back to the previous step.
    LessonBack,
    /// Lesson: run it with the rule (`true`) or as written, at the same moment.
    LessonSafe(bool),
    /// Lesson: start its run again at the moment shown.
    LessonRestart,
    /// Lesson: the free-play step's "play freely".
    LessonPlayFree,
    /// Lesson: pick this choice (0-based) of the question shown.
    LessonAnswer(usize),
    /// The answer to "acting here drops the known future: continue?".
    ConfirmFork(bool),
    /// Bring back the future the last fork dropped, at the moment of the fork.
    UndoFork,
    /// Keep the new future: forget the old one (closes the Undo notice).
    KeepFork,
}

/// An intent about one server.
pub type NodeIntent = fn(NodeId) -> Intent;

/// The node menu's buttons: `data-act` value → intent for the menu's node.
/// The page's only list of them.
pub const NODE_MENU: [(&str, NodeIntent); 8] = [
    ("timeout", Intent::Timeout),
    ("crash", Intent::Crash),
    ("request", Intent::Request),
    ("isolate", Intent::Isolate),
    ("transfer", Intent::Transfer),
    ("compact", Intent::Compact),
    ("remove", Intent::Remove),
    ("details", Intent::Details),
];

/// The intent of the node-menu button `data_act` for `node`.
pub fn menu_intent(data_act: &str, node: NodeId) -> Option<Intent> {
    NODE_MENU
        .iter()
        .find(|(name, _)| *name == data_act)
        .map(|(_, intent)| intent(node))
}

/// Why an intent was refused; the page says it in the banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The action could not be taken (i18n `action_failed`, with why).
    Failed(String),
    /// A scenario could not be started (i18n `bad_scenario`, with why).
    BadScenario(String),
    /// Every node id is taken (i18n `too_many_nodes`).
    TooManyNodes,
    /// A lesson's Next at a question not answered yet (i18n `l_answer_first`).
    AnswerFirst,
    /// A seek asked for more than `SEEK_AHEAD_US_MAX` past the known run:
    /// nothing moved (i18n `seek_too_far`).
    SeekTooFar,
}

impl Refusal {
    /// The i18n key of the banner and its argument, if any.
    pub fn message(&self) -> (&'static str, Option<&str>) {
        match self {
            Refusal::Failed(why) => ("action_failed", Some(why)),
            Refusal::BadScenario(why) => ("bad_scenario", Some(why)),
            Refusal::TooManyNodes => ("too_many_nodes", None),
            Refusal::AnswerFirst => ("l_answer_first", None),
            Refusal::SeekTooFar => ("seek_too_far", None),
        }
    }
}
