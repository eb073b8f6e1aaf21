//! What the client is doing at one moment, for the canvas: a request on its
//! way to a server, its arrival there, the answer on its way back, the
//! client's own conclusion (timeout, unavailable), and the values an applied
//! entry just wrote. Read from the simulator's timeline and trace; pure, so
//! tested natively. Only the picture: nothing here changes the run.
//!
//! Honest about time. The simulator receives a request at its action's
//! moment T with no network hop (`sim/client.rs`), so a flight can only be
//! drawn where it is known before T:
//!
//! - A request on the timeline (a lesson's, a scenario's, or one clicked
//!   earlier and travelled back to) is known before T: its flight is drawn
//!   during `[T - flight, T)` and lands exactly when the server appends it.
//! - A request the user has just clicked is recorded at now = T: it has no
//!   flight, only its arrival, marked at the server from the trace (as every
//!   request's arrival is).
//! - An answer is drawn from its trace moment on, reaching the client
//!   `flight` later: nothing is drawn before the simulator produced it.
//! - A timeout or "unavailable" is the client's own conclusion (no server
//!   sent it), so it is marked at the client, not drawn travelling.

use raft::NodeId;
use sim::{command_write, Action, ClientResult, EntryKind, Ev, Settings, Sim};

/// Shortest flight: a run with no latency still shows its client.
pub const FLIGHT_US_MIN: u64 = 5_000;
/// Longest flight: on a slow network the request still starts near the
/// moment it is sent, not seconds before.
pub const FLIGHT_US_MAX: u64 = 200_000;
/// How long a conclusion or a written value stays marked, in flights (an
/// arrival flashes for one flight: longer, it would still be shown when
/// the answer leaves).
pub const MARK_FLIGHTS: u64 = 3;
/// At most this many marks are drawn at once (a stream of requests: each
/// writes a value on every server).
pub const MARKS_MAX: usize = 32;

/// How long the client's drawings last, in virtual time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientTiming {
    /// A request's or an answer's flight, µs.
    pub flight_us: u64,
    /// How long a conclusion or a written value is marked, µs.
    pub mark_us: u64,
}

impl ClientTiming {
    /// The timing under `settings`. The client is drawn as one more machine
    /// on the cluster's network, so its messages take the mean one-way
    /// latency the servers' do (20 ms by default: 0.4 s to watch at the
    /// default speed), within [`FLIGHT_US_MIN`, `FLIGHT_US_MAX`].
    pub fn of(settings: &Settings) -> ClientTiming {
        let mean = settings.latency_us_min / 2 + settings.latency_us_max / 2;
        let flight_us = mean.clamp(FLIGHT_US_MIN, FLIGHT_US_MAX);
        ClientTiming {
            flight_us,
            mark_us: flight_us * MARK_FLIGHTS,
        }
    }
}

/// What a mark shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// A request on its way from the client to `node`.
    Request,
    /// A request that just reached `node`.
    Arrival,
    /// An answer on its way back from `node` (ok, redirect, rejected).
    Answer,
    /// The client's own conclusion (timeout, unavailable), at the client.
    Outcome,
    /// A value `node` just wrote by applying an entry (`text` is the key).
    Written,
}

/// One thing to draw about the client, over `[from_us, to_us)`.
///
/// Invariant: `from_us < to_us`; a `Request` ends at the moment its action
/// runs (`to_us` = T), every other mark starts at its trace moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientMark {
    /// What it shows.
    pub kind: MarkKind,
    /// The server concerned (0: none, for a conclusion without one).
    pub node: NodeId,
    /// The command; for `Written`, the key.
    pub text: String,
    /// For an answer or a conclusion: the result.
    pub result: Option<ClientResult>,
    /// For a redirect: the leader the server suggested.
    pub leader: Option<NodeId>,
    /// When the mark starts, µs.
    pub from_us: u64,
    /// When it ends (a flight: when it arrives), µs.
    pub to_us: u64,
}

impl MarkKind {
    /// Its name in `raftlab.state()`: `request`, `arrival`, `answer`,
    /// `outcome`, `written`.
    pub fn name(self) -> &'static str {
        match self {
            MarkKind::Request => "request",
            MarkKind::Arrival => "arrival",
            MarkKind::Answer => "answer",
            MarkKind::Outcome => "outcome",
            MarkKind::Written => "written",
        }
    }
}

impl ClientMark {
    /// The fraction of the mark done at `now_us`, in [0, 1].
    pub fn progress(&self, now_us: u64) -> f64 {
        crate::geom::progress(self.from_us, self.to_us, now_us)
    }
}

/// Replaces `out` with the marks to draw at the simulator's moment (kept
/// by the caller between frames and reused, see `Writer`). `leader`: the view's leader, whom a request without
/// a named server goes to, as the simulator sends it (`Sim::leader`).
pub fn collect(out: &mut Vec<ClientMark>, sim: &Sim, leader: Option<NodeId>, t: ClientTiming) {
    let mut w = Writer { out, len: 0 };
    let now = sim.now_us();
    requests_ahead(&mut w, sim, leader, now, t);
    let trace = sim.trace_range(0, sim.trace_len_now());
    let since = now.saturating_sub(t.flight_us.max(t.mark_us));
    let first = trace.partition_point(|e| e.t < since);
    for e in &trace[first..] {
        mark_of(&mut w, &e.ev, e.t, now, t);
    }
    w.out.truncate(w.len);
}

/// Writes marks over a kept vector, reusing its entries' text buffers: a
/// stream of requests then costs no allocation per frame.
struct Writer<'a> {
    out: &'a mut Vec<ClientMark>,
    /// How many marks are written (the rest of `out` is stale).
    len: usize,
}

impl Writer<'_> {
    /// Writes the next mark, unless [`MARKS_MAX`] are written.
    fn put(&mut self, m: ClientMark, text: &str) {
        if self.len >= MARKS_MAX {
            return;
        }
        match self.out.get_mut(self.len) {
            Some(old) => {
                let mut buf = std::mem::take(&mut old.text);
                buf.clear();
                buf.push_str(text);
                *old = ClientMark { text: buf, ..m };
            }
            None => self.out.push(ClientMark {
                text: text.to_string(),
                ..m
            }),
        }
        self.len += 1;
    }
}

/// Flights of the timeline's requests that run within one flight of now.
fn requests_ahead(w: &mut Writer, sim: &Sim, leader: Option<NodeId>, now: u64, t: ClientTiming) {
    let timeline = &sim.scenario().timeline;
    // Strictly after now: an action at now has run (the timeline's actions
    // run at the end of their instant), its request is in the log.
    let first = timeline.partition_point(|a| a.at_us <= now);
    for a in timeline[first..]
        .iter()
        .take_while(|a| a.at_us <= now.saturating_add(t.flight_us))
    {
        let Action::Request { to, cmd } = &a.action else {
            continue;
        };
        // Nobody to send to yet: the client waits (and concludes at T).
        let Some(node) = to.or(leader) else { continue };
        let m = ClientMark {
            kind: MarkKind::Request,
            node,
            text: String::new(),
            result: None,
            leader: None,
            from_us: a.at_us.saturating_sub(t.flight_us),
            to_us: a.at_us,
        };
        w.put(m, cmd);
    }
}

/// The marks one trace event at `at` makes, if still shown at `now`.
fn mark_of(w: &mut Writer, ev: &Ev, at: u64, now: u64, t: ClientTiming) {
    let mut push = |kind, node, text: &str, result, leader, len_us: u64| {
        let to_us = at.saturating_add(len_us);
        if now < to_us {
            let m = ClientMark {
                kind,
                node,
                text: String::new(),
                result,
                leader,
                from_us: at,
                to_us,
            };
            w.put(m, text);
        }
    };
    match ev {
        Ev::Request { node, cmd, .. } => {
            push(MarkKind::Arrival, *node, cmd, None, None, t.flight_us);
        }
        Ev::Client {
            node,
            cmd,
            result,
            leader,
            ..
        } => match result {
            ClientResult::Ok => {
                push(
                    MarkKind::Answer,
                    *node,
                    cmd,
                    Some(*result),
                    None,
                    t.flight_us,
                );
            }
            // Refused on arrival: no `request` event, so the arrival is marked here.
            ClientResult::Redirect | ClientResult::Rejected => {
                push(MarkKind::Arrival, *node, cmd, None, None, t.flight_us);
                push(
                    MarkKind::Answer,
                    *node,
                    cmd,
                    Some(*result),
                    *leader,
                    t.flight_us,
                );
            }
            ClientResult::Timeout | ClientResult::Unavailable => {
                push(
                    MarkKind::Outcome,
                    *node,
                    cmd,
                    Some(*result),
                    None,
                    t.mark_us,
                );
            }
        },
        Ev::Commit {
            node,
            kind: EntryKind::Command,
            cmd,
            ..
        } => {
            if let Some((key, _)) = command_write(cmd) {
                push(MarkKind::Written, *node, key, None, None, t.mark_us);
            }
        }
        _ => {}
    }
}

/// Whether `marks` say that `node` just wrote a value.
pub fn just_written(marks: &[ClientMark], node: NodeId) -> bool {
    marks
        .iter()
        .any(|m| m.kind == MarkKind::Written && m.node == node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::Scenario;

    /// Lesson 3's cluster: leader 1 of term 1 by 400 ms, latency 10–30 ms.
    const LESSON_3: &str = "nodes 3\nseed 1\nelection-timeout 150ms 300ms\nheartbeat 50ms\n\
        latency 10ms 30ms\nat 500ms request \"set a=5\"\n";

    fn sim(text: &str) -> Sim {
        Sim::new(Scenario::parse(text).expect("scenario")).expect("sim")
    }

    fn marks_at(sim: &mut Sim, t_us: u64) -> Vec<ClientMark> {
        sim.run_until(t_us);
        let mut out = Vec::new();
        collect(
            &mut out,
            sim,
            sim.leader(),
            ClientTiming::of(&sim.view().settings),
        );
        out
    }

    /// Whether `marks` say that `node` just wrote `key`.
    fn written(marks: &[ClientMark], node: NodeId, key: &str) -> bool {
        marks
            .iter()
            .any(|m| m.kind == MarkKind::Written && m.node == node && m.text == key)
    }

    fn kinds(marks: &[ClientMark]) -> Vec<MarkKind> {
        marks.iter().map(|m| m.kind).collect()
    }

    /// The moment of the first trace event that `pick` accepts.
    fn moment(sim: &Sim, pick: impl Fn(&Ev) -> bool) -> u64 {
        sim.trace().iter().find(|e| pick(&e.ev)).expect("event").t
    }

    #[test]
    fn flight_is_the_mean_latency_within_bounds() {
        let mut s = Settings::default();
        assert_eq!(ClientTiming::of(&s).flight_us, 20_000, "10–30 ms");
        assert_eq!(ClientTiming::of(&s).mark_us, 60_000);
        (s.latency_us_min, s.latency_us_max) = (0, 0);
        assert_eq!(ClientTiming::of(&s).flight_us, FLIGHT_US_MIN);
        (s.latency_us_min, s.latency_us_max) = (1_000_000, 3_000_000);
        assert_eq!(ClientTiming::of(&s).flight_us, FLIGHT_US_MAX);
    }

    /// Rule: a request known before its moment T flies during
    /// [T - flight, T) and lands exactly at its trace moment.
    #[test]
    fn a_timeline_request_flies_before_its_moment_and_lands_when_appended() {
        let mut s = sim(LESSON_3);
        let m = marks_at(&mut s, 490_000);
        assert_eq!(kinds(&m), [MarkKind::Request]);
        let flight = &m[0];
        assert_eq!((flight.node, flight.text.as_str()), (1, "set a=5"));
        assert_eq!((flight.from_us, flight.to_us), (480_000, 500_000));
        assert_eq!(flight.progress(490_000), 0.5);
        // Before the flight starts, nothing.
        assert!(marks_at(&mut sim(LESSON_3), 479_999).is_empty());
        // It lands exactly when the leader appends it.
        let m = marks_at(&mut s, 500_000);
        let appended = moment(&s, |e| matches!(e, Ev::Request { .. }));
        assert_eq!(appended, flight.to_us);
        assert_eq!(kinds(&m), [MarkKind::Arrival], "landed: no flight left");
        assert_eq!((m[0].node, m[0].from_us), (1, appended));
    }

    /// Rule: a request clicked now cannot be anticipated: no flight is drawn
    /// (none lands after the entry is in the log), its arrival is marked.
    #[test]
    fn a_clicked_request_has_no_flight_and_its_arrival_is_marked() {
        let mut s = sim("nodes 3\nseed 1\n");
        s.run_until(700_000);
        s.act(Action::Request {
            to: None,
            cmd: "set x=1".into(),
        });
        let m = marks_at(&mut s, 700_000);
        assert!(!kinds(&m).contains(&MarkKind::Request), "{m:?}");
        assert_eq!(kinds(&m), [MarkKind::Arrival]);
        assert_eq!(m[0].from_us, 700_000);
        // Travelled back to before it, the click is on the timeline: known.
        s.seek(690_000);
        let m = marks_at(&mut s, 690_000);
        assert_eq!(kinds(&m), [MarkKind::Request]);
        assert_eq!(m[0].to_us, 700_000);
    }

    /// Rule: an answer leaves the server at its trace moment and reaches
    /// the client one flight later; nothing is drawn before.
    #[test]
    fn the_ok_answer_leaves_at_its_moment_and_arrives_a_flight_later() {
        let mut s = sim(LESSON_3);
        s.run_until(700_000);
        let ok = moment(&s, |e| {
            matches!(
                e,
                Ev::Client {
                    result: ClientResult::Ok,
                    ..
                }
            )
        });
        let mut s = sim(LESSON_3);
        let before = marks_at(&mut s, ok - 1);
        assert!(!kinds(&before).contains(&MarkKind::Answer), "{before:?}");
        let m = marks_at(&mut s, ok);
        let answer = m
            .iter()
            .find(|m| m.kind == MarkKind::Answer)
            .expect("answer");
        assert_eq!(answer.result, Some(ClientResult::Ok));
        assert_eq!(
            (answer.node, answer.from_us, answer.to_us),
            (1, ok, ok + 20_000)
        );
        assert!(written(&m, 1, "a"), "the leader applied a=5 at {ok}");
        let later = marks_at(&mut s, ok + 20_000);
        assert!(!kinds(&later).contains(&MarkKind::Answer));
    }

    /// Rule: a value is marked where and when its entry is applied, for
    /// `MARK_FLIGHTS` flights.
    #[test]
    fn a_written_value_is_marked_at_each_server_when_it_applies() {
        let mut s = sim(LESSON_3);
        s.run_until(700_000);
        let applied = |node| {
            moment(
                &s,
                |e| matches!(e, Ev::Commit { node: n, kind: EntryKind::Command, .. } if *n == node),
            )
        };
        let (at1, at2) = (applied(1), applied(2));
        assert!(at1 < at2, "the leader applies first");
        let mut s = sim(LESSON_3);
        let m = marks_at(&mut s, at1);
        assert!(written(&m, 1, "a") && !written(&m, 2, "a"));
        assert!(just_written(&m, 1) && !just_written(&m, 2));
        let m = marks_at(&mut s, at2);
        assert!(written(&m, 2, "a"));
        let m = marks_at(&mut s, at2 + 60_000);
        assert!(!just_written(&m, 2), "marked for a moment only");
    }

    /// Rule: with nobody to ask, the client concludes by itself: marked at
    /// the client, never drawn travelling.
    #[test]
    fn a_request_without_a_leader_is_concluded_at_the_client() {
        let mut s = sim("nodes 3\nseed 1\nat 10ms request \"set a=1\"\n");
        let m = marks_at(&mut s, 5_000);
        assert!(m.is_empty(), "no leader to fly to: {m:?}");
        let m = marks_at(&mut s, 10_000);
        assert_eq!(kinds(&m), [MarkKind::Outcome]);
        assert_eq!(m[0].result, Some(ClientResult::Unavailable));
    }

    /// Rule: a server that is not the leader answers with a redirect at once.
    #[test]
    fn a_request_to_a_follower_arrives_and_is_redirected() {
        let mut s = sim("nodes 3\nseed 1\nat 450ms request 2 \"set a=1\"\n");
        let m = marks_at(&mut s, 445_000);
        assert_eq!(kinds(&m), [MarkKind::Request]);
        assert_eq!(m[0].node, 2);
        let m = marks_at(&mut s, 450_000);
        assert_eq!(kinds(&m), [MarkKind::Arrival, MarkKind::Answer]);
        assert_eq!(m[1].result, Some(ClientResult::Redirect));
        assert_eq!(m[1].leader, Some(1));
    }
}
