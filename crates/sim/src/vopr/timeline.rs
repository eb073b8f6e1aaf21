//! The timeline drawn from a [`Mix`]: a fault phase of weighted random
//! actions, then the heal and a steady client load.

use std::collections::BTreeSet;

use super::mix::{chance, defended, draw_rate, pick};
use super::{Kind, Mix, VoprConfig, STREAM_VOPR_TIMELINE};
use crate::rng::Stream;
use crate::scenario::{Action, BackoffMode, NodeId, Scenario, Setting, Settings, Timed};
use crate::units::{Ppm, US_PER_MS};

/// The generator's belief about the cluster while it writes the timeline.
/// A change may be refused (no leader, one already pending), so this is a
/// guess that only steers choices; liveness does not depend on it.
struct Model {
    /// Ids the timeline may name: the initial servers and those an `add`,
    /// `add-learner` or `change` has named so far.
    known: BTreeSet<NodeId>,
    /// Ids the timeline may still bring in (spare ids not yet named).
    spare: BTreeSet<NodeId>,
    /// Servers believed to be in the configuration.
    members: BTreeSet<NodeId>,
    /// Servers this timeline crashed and has not restarted.
    down: BTreeSet<NodeId>,
    /// Links this timeline cut since the last heal.
    cuts: BTreeSet<(NodeId, NodeId)>,
    /// The current settings.
    settings: Settings,
    /// Last command key.
    key: u64,
}

impl Model {
    fn known(&self) -> Vec<NodeId> {
        self.known.iter().copied().collect()
    }

    fn command(&mut self) -> String {
        self.key += 1;
        format!("set k{}={}", self.key % 7, self.key)
    }

    /// Servers an `add` may name: known non-members and spare ids.
    fn outside(&self) -> Vec<NodeId> {
        self.known
            .iter()
            .chain(&self.spare)
            .copied()
            .filter(|i| !self.members.contains(i))
            .collect()
    }

    fn bring_in(&mut self, id: NodeId) {
        self.spare.remove(&id);
        self.known.insert(id);
    }
}

fn weighted(rng: &mut Stream, weights: &[u32]) -> Option<usize> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return None;
    }
    let mut r = rng.range(0, total - 1);
    for (i, &w) in weights.iter().enumerate() {
        if r < u64::from(w) {
            return Some(i);
        }
        r -= u64::from(w);
    }
    None
}

/// One action of `kind`, or `None` if it makes no sense now. Every kind
/// first draws a node from the known ones (whether it uses it or not), so
/// the stream's position does not depend on the kind's own draws.
// One short arm per kind: a table from kind to its drawing function.
fn draw_action(kind: Kind, mix: &Mix, m: &mut Model, rng: &mut Stream) -> Option<Action> {
    let known = m.known();
    let node = pick(rng, &known);
    Some(match kind {
        Kind::Request => Action::Request {
            to: None,
            cmd: m.command(),
        },
        Kind::RequestTo => Action::Request {
            to: Some(node),
            cmd: m.command(),
        },
        Kind::Crash => draw_crash(mix, m, node)?,
        Kind::Restart => draw_restart(m, rng)?,
        Kind::Timeout => Action::Timeout { node },
        Kind::Partition => draw_partition(&known, rng)?,
        Kind::Isolate => Action::Isolate { node },
        Kind::Cut => draw_cut(m, rng, &known, node)?,
        Kind::Restore => draw_restore(m, rng)?,
        Kind::Heal => {
            m.cuts.clear();
            Action::Heal
        }
        Kind::Transfer => draw_transfer(m, rng, node),
        Kind::Loss => Action::Set(Setting::Loss(draw_rate(rng))),
        Kind::DupReorder => draw_dup_reorder(rng),
        Kind::Compact => Action::Compact { node },
        Kind::Add | Kind::AddLearner => draw_add(kind, m, rng)?,
        Kind::Remove => draw_remove(m, rng)?,
        Kind::Change => draw_change(m, rng, node),
        Kind::Protocol => draw_protocol(mix, m, rng)?,
    })
}

/// `crash N`, unless N is down already or enough servers are.
fn draw_crash(mix: &Mix, m: &mut Model, node: NodeId) -> Option<Action> {
    if m.down.len() >= mix.crash_max || !m.down.insert(node) {
        return None;
    }
    Some(Action::Crash { node })
}

/// `restart N` of a server this timeline crashed.
fn draw_restart(m: &mut Model, rng: &mut Stream) -> Option<Action> {
    let down: Vec<NodeId> = m.down.iter().copied().collect();
    if down.is_empty() {
        return None;
    }
    let d = pick(rng, &down);
    m.down.remove(&d);
    Some(Action::Restart { node: d })
}

/// Two or three groups, and sometimes servers left unnamed (they form one
/// more group).
fn draw_partition(known: &[NodeId], rng: &mut Stream) -> Option<Action> {
    let groups_n = rng.range(2, 3) as usize;
    let unnamed = chance(rng, 1, 3);
    let mut groups: Vec<Vec<NodeId>> = vec![Vec::new(); groups_n + 1];
    for &id in known {
        let g = rng.range(0, groups_n as u64 - u64::from(!unnamed)) as usize;
        groups[g].push(id);
    }
    groups.truncate(groups_n);
    groups.retain(|g| !g.is_empty());
    if groups.is_empty() {
        return None;
    }
    Some(Action::Partition { groups })
}

/// `cut N TO` to another known server.
fn draw_cut(m: &mut Model, rng: &mut Stream, known: &[NodeId], node: NodeId) -> Option<Action> {
    let to = pick(rng, known);
    if to == node {
        return None;
    }
    m.cuts.insert((node, to));
    Some(Action::Cut { from: node, to })
}

/// `restore A B` of a link this timeline cut.
fn draw_restore(m: &mut Model, rng: &mut Stream) -> Option<Action> {
    let cuts: Vec<(NodeId, NodeId)> = m.cuts.iter().copied().collect();
    if cuts.is_empty() {
        return None;
    }
    let (from, to) = pick(rng, &cuts);
    m.cuts.remove(&(from, to));
    Some(Action::Restore { from, to })
}

/// Mostly to a member; sometimes to anyone (refused, or a learner).
fn draw_transfer(m: &Model, rng: &mut Stream, node: NodeId) -> Action {
    let members: Vec<NodeId> = m.members.iter().copied().collect();
    let to = if members.is_empty() || chance(rng, 1, 5) {
        node
    } else {
        pick(rng, &members)
    };
    Action::Transfer { to }
}

/// `duplicate P%` or `reorder P%`.
fn draw_dup_reorder(rng: &mut Stream) -> Action {
    let p = draw_rate(rng);
    Action::Set(if chance(rng, 1, 2) {
        Setting::Duplicate(p)
    } else {
        Setting::Reorder(p)
    })
}

/// `add N` or `add-learner N` of a server outside the configuration.
fn draw_add(kind: Kind, m: &mut Model, rng: &mut Stream) -> Option<Action> {
    let outside = m.outside();
    if outside.is_empty() {
        return None;
    }
    let node = pick(rng, &outside);
    m.bring_in(node);
    m.members.insert(node);
    Some(if kind == Kind::Add {
        Action::Add { node }
    } else {
        Action::AddLearner { node }
    })
}

/// `remove N` of a member, never the last one.
fn draw_remove(m: &mut Model, rng: &mut Stream) -> Option<Action> {
    let members: Vec<NodeId> = m.members.iter().copied().collect();
    if members.len() <= 1 {
        return None;
    }
    let node = pick(rng, &members);
    m.members.remove(&node);
    Some(Action::Remove { node })
}

/// Joint consensus to a random non-empty set of known and spare ids.
fn draw_change(m: &mut Model, rng: &mut Stream, node: NodeId) -> Action {
    let pool: Vec<NodeId> = m.known.iter().chain(&m.spare).copied().collect();
    let mut voters: Vec<NodeId> = pool.into_iter().filter(|_| chance(rng, 1, 2)).collect();
    if voters.is_empty() {
        voters.push(node);
    }
    voters.sort_unstable();
    for &v in &voters {
        m.bring_in(v);
    }
    m.members = voters.iter().copied().collect();
    Action::Change { voters }
}

/// A protocol switch flipped, unless that would leave a mix with
/// membership changes without a defence against disruptive servers.
fn draw_protocol(mix: &Mix, m: &mut Model, rng: &mut Stream) -> Option<Action> {
    let s = &m.settings;
    // The paper's §6 rule (sticky-leader) is mostly left as it is.
    let setting = match rng.range(0, 14 + u64::from(mix.sticky_toggle)) {
        0..=2 => Setting::PreVote(!s.pre_vote),
        3..=5 => Setting::CheckQuorum(!s.check_quorum),
        6..=8 => Setting::Noop(!s.noop),
        9..=11 => Setting::Backoff(match s.backoff {
            BackoffMode::Decrement => BackoffMode::Hint,
            BackoffMode::Hint => BackoffMode::Decrement,
        }),
        12..=14 => Setting::SnapshotEvery(match s.snapshot_every {
            Some(_) => None,
            None => Some(pick(rng, &[1, 5, 20])),
        }),
        _ => Setting::StickyLeader(!s.sticky_leader),
    };
    let mut next = m.settings.clone();
    next.apply(&setting);
    if mix.membership() && !defended(&next) {
        return None;
    }
    m.settings = next;
    Some(Action::Set(setting))
}

/// The scenario for `mix`: a fault phase drawn from it, then the heal and a
/// steady load. `seed` keys both the timeline and the simulation.
pub fn generate_from(mix: &Mix, seed: u64, config: &VoprConfig) -> Scenario {
    let mut rng = Stream::other(seed, STREAM_VOPR_TIMELINE);
    let mut sc = Scenario {
        settings: mix.settings.clone(),
        ..Scenario::default()
    };
    sc.settings.seed = seed;
    let n = sc.settings.nodes;
    let mut m = Model {
        known: (1..=n).collect(),
        spare: (n + 1..=n + mix.spare).collect(),
        members: (1..=n).collect(),
        down: BTreeSet::new(),
        cuts: BTreeSet::new(),
        settings: sc.settings.clone(),
        key: 0,
    };
    let mut timeline = Vec::new();
    let mut t = 0;
    // Faults and load until the heal.
    loop {
        t += rng.range(mix.gap_us_min, mix.gap_us_max);
        if t >= config.heal_at_us {
            break;
        }
        let Some(i) = weighted(&mut rng, &mix.weights) else {
            break;
        };
        if let Some(action) = draw_action(Kind::ALL[i], mix, &mut m, &mut rng) {
            timeline.push(Timed { at_us: t, action });
        }
    }
    // Heal everything; from now on only load.
    let h = config.heal_at_us;
    let mut heal = vec![Action::Heal];
    heal.extend(m.down.iter().map(|&node| Action::Restart { node }));
    heal.extend(
        [
            Setting::Loss(Ppm(0)),
            Setting::Duplicate(Ppm(0)),
            Setting::Reorder(Ppm(0)),
        ]
        .map(Action::Set),
    );
    timeline.extend(heal.into_iter().map(|action| Timed { at_us: h, action }));
    let mut t = h;
    loop {
        t += 200 * US_PER_MS;
        if t >= config.duration_us {
            break;
        }
        timeline.push(Timed {
            at_us: t,
            action: Action::Request {
                to: None,
                cmd: m.command(),
            },
        });
    }
    sc.timeline = timeline;
    sc.run_us = Some(config.duration_us);
    sc
}
