//! The page's teaching switches: which checkbox and which label each
//! `UnsafeSwitch` has. The switch type is raft's, the one definition from
//! the node up (sim re-exports it); this table adds only what is the page's
//! own, the DOM id and the i18n key, and is the one place the page names them.

use sim::scenario::{UnsafeSwitch, UnsafeSwitches};

/// One teaching switch on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnsafeRow {
    /// The simulator's switch.
    pub switch: UnsafeSwitch,
    /// The settings dialog's checkbox.
    pub checkbox: &'static str,
    /// The i18n key of its label.
    pub label: &'static str,
}

/// Every teaching switch, in the simulator's order (`UnsafeSwitch::ALL`).
pub const UNSAFE: [UnsafeRow; 4] = [
    UnsafeRow {
        switch: UnsafeSwitch::CommitOldTerms,
        checkbox: "sw-commit-old-terms",
        label: "u_commit_old_terms",
    },
    UnsafeRow {
        switch: UnsafeSwitch::VoteWithoutLogCheck,
        checkbox: "sw-vote-without-log-check",
        label: "u_vote_without_log_check",
    },
    UnsafeRow {
        switch: UnsafeSwitch::ForgetVoteOnRestart,
        checkbox: "sw-forget-vote-on-restart",
        label: "u_forget_vote_on_restart",
    },
    UnsafeRow {
        switch: UnsafeSwitch::DirectChange,
        checkbox: "sw-direct-change",
        label: "u_direct_change",
    },
];

/// The page's row for `switch`.
pub fn row(switch: UnsafeSwitch) -> &'static UnsafeRow {
    // Every switch has a row (a test checks it); the first is a safe fallback.
    UNSAFE
        .iter()
        .find(|r| r.switch == switch)
        .unwrap_or(&UNSAFE[0])
}

/// Whether `switch` is on in `flags`.
pub fn is_on(flags: &UnsafeSwitches, switch: UnsafeSwitch) -> bool {
    flags.get(switch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::TABLE;

    #[test]
    fn every_unsafe_switch_is_valid_scenario_language() {
        assert_eq!(UNSAFE.map(|r| r.switch), UnsafeSwitch::ALL);
        for r in UNSAFE {
            let name = r.switch.name();
            assert!(
                sim::parse_action(&format!("unsafe {name} on")).is_ok(),
                "{name}"
            );
            assert!(TABLE.iter().any(|e| e.0 == r.label));
            assert_eq!(row(r.switch), &r);
        }
    }
}
