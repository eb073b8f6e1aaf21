//! Safety violations (`sim::Violation`) as sentences in either language,
//! composed from the violation's typed fields (property, nodes, term,
//! index) rather than its English `detail`.

use raft::NodeId;
use sim::{Property, Violation};

use super::{tf, Lang};
use crate::eventlog::property_name;

/// What the checker found, in `lang`: `nodes 1 and 2 were both elected
/// leader of term 3.` The nodes are in the order the checker lists them
/// (see `sim::checker`).
pub fn sentence(lang: Lang, v: &Violation) -> String {
    let node = |k: usize| v.nodes.get(k).map_or("?".to_string(), NodeId::to_string);
    let (first, second) = (node(0), node(1));
    let (term, index) = (v.term.to_string(), v.index.to_string());
    let other_term = v.other_term.to_string();
    let key = format!("v_{}", property_name(v.property));
    let args: [&str; 5] = match v.property {
        // [other, id]: two leaders of one term.
        Property::ElectionSafety => [&first, &second, &term, "", ""],
        // [id]: the leader that lost its own entry at `index`.
        Property::LeaderAppendOnly => [&first, &term, &index, "", ""],
        // [other, id]: same index and term, different logs.
        Property::LogMatching => [&first, &second, &index, &term, ""],
        // [leader, applier]: the leader of `term` lacks the applier's
        // `index` (of `other_term`).
        Property::LeaderCompleteness => [&first, &term, &index, &second, &other_term],
        // [first, id]: `id` applied `index` of `term`, `first` another
        // entry (of `other_term`).
        Property::StateMachineSafety => [&second, &index, &term, &first, &other_term],
    };
    tf(lang, &key, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In English the sentence is the checker's own.
    #[test]
    fn sentences_match_the_checkers_detail() {
        let v = Violation {
            property: Property::ElectionSafety,
            nodes: vec![1, 2],
            term: 3,
            index: 0,
            other_term: 0,
            detail: "nodes 1 and 2 were both elected leader of term 3.".into(),
        };
        assert_eq!(sentence(Lang::En, &v), v.detail);
        assert_eq!(
            sentence(Lang::Zh, &v),
            "节点 1 和 2 都当选了任期 3 的领导者。"
        );
        let v = Violation {
            property: Property::StateMachineSafety,
            nodes: vec![1, 2],
            term: 3,
            index: 4,
            other_term: 2,
            detail: "node 2 applied entry 4 of term 3, but node 1 had applied a different entry (term 2) at that index.".into(),
        };
        assert_eq!(sentence(Lang::En, &v), v.detail);
    }

    /// Every violation the bundled lessons produce reads, in English,
    /// exactly as the checker's `detail`: the typed fields carry all of it.
    #[test]
    fn every_lesson_violation_reads_as_the_checkers_detail() {
        let mut seen = 0;
        for l in lessons::all() {
            let mut sim = sim::Sim::new(l.scenario.clone()).expect("lesson scenario");
            sim.run_until(l.end_us());
            for v in sim.violations() {
                assert_eq!(sentence(Lang::En, &v), v.detail, "{}", l.id);
                seen += 1;
            }
        }
        assert!(seen > 0, "no lesson shows a violation");
    }
}
