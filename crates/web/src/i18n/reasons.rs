//! The closed sets of results and reasons the trace carries, each
//! translated by one function. The typed ones are matched on their enum;
//! the reasons that are still sentences (raft's `ProposeError` text, the
//! simulator's notes and details) are read back against the English side
//! of the table with `retranslate`.

use raft::{RejectReason, StepDownReason};
use sim::claim::ClientClaim;
use sim::{ChangeResult, ClientResult, DropReason};

use super::{retranslate, t, Lang};

/// Why a message was lost (`Ev::Drop.reason`).
pub fn drop_reason(lang: Lang, reason: DropReason) -> &'static str {
    t(
        lang,
        match reason {
            DropReason::Loss => "drop_loss",
            DropReason::Partition => "drop_partition",
            DropReason::Cut => "drop_cut",
            DropReason::Crash | DropReason::Down => "drop_down",
            DropReason::Removed => "drop_removed",
            DropReason::User => "drop_user",
            DropReason::UnknownNode => "drop_unknown",
        },
    )
}

/// A client request's outcome (`Ev::Client.result`).
pub fn client_result(lang: Lang, result: ClientResult) -> &'static str {
    client_claim(lang, ClientClaim::from(result))
}

/// A client request's outcome as a claim names it (which adds `pending`).
pub fn client_claim(lang: Lang, result: ClientClaim) -> &'static str {
    t(
        lang,
        match result {
            ClientClaim::Ok => "cr_ok",
            ClientClaim::Redirect => "cr_redirect",
            ClientClaim::Timeout => "cr_timeout",
            ClientClaim::Unavailable => "cr_unavailable",
            ClientClaim::Rejected => "cr_rejected",
            ClientClaim::Pending => "cr_pending",
        },
    )
}

/// raft's refusals of a proposal, configuration change or transfer
/// (`raft::ProposeError`'s text, with the reasons it carries). The more
/// specific templates come first.
const PROPOSE_ERRORS: [&str; 18] = [
    "pe_not_leader",
    "pe_not_leader_try",
    "pe_transfer",
    "pe_pending",
    "pe_no_commit",
    "pe_invalid",
    "pe_unsafe_off",
    "pe_target",
    "pe_log_full",
    "cc_voter",
    "cc_learner",
    "cc_joint",
    "cc_not_member",
    "cc_last_voter",
    "cc_no_voters",
    "cc_same",
    "cc_already_leader",
    "cc_not_voter",
];

/// Why a client request was not answered well (`Ev::Client.reason`): the
/// simulator's own reasons and raft's `ProposeError`.
pub fn client_reason(lang: Lang, reason: &str) -> String {
    const SIM: [&str; 4] = [
        "rs_no_answer",
        "rs_overwritten",
        "rs_not_running",
        "rs_no_leader",
    ];
    let keys: Vec<&str> = SIM.iter().chain(&PROPOSE_ERRORS).copied().collect();
    retranslate(lang, &keys, reason)
}

/// A membership change's or transfer's outcome (`Ev::Change.result`).
pub fn change_result(lang: Lang, result: ChangeResult) -> &'static str {
    t(
        lang,
        match result {
            ChangeResult::Proposed => "chr_proposed",
            ChangeResult::Unavailable => "chr_unavailable",
            ChangeResult::Rejected => "chr_rejected",
        },
    )
}

/// The details of a change's outcome (`Ev::Change.detail`): where it was
/// proposed, or why not.
pub fn change_detail(lang: Lang, detail: &str) -> String {
    const SIM: [&str; 3] = ["rs_unsafe_first", "rs_index_term", "rs_no_leader"];
    let keys: Vec<&str> = SIM.iter().chain(&PROPOSE_ERRORS).copied().collect();
    retranslate(lang, &keys, detail)
}

/// Why a leader stepped down (raft's `Event::SteppedDown`).
pub fn stepdown_reason(lang: Lang, reason: StepDownReason) -> &'static str {
    t(
        lang,
        match reason {
            StepDownReason::CheckQuorum => "sd_check_quorum",
            StepDownReason::RemovedFromConfiguration => "sd_removed",
        },
    )
}

/// Why a node ignored an input (raft's `Event::Rejected`, in verbose
/// traces). Only the reasons a simulation can produce are translated: those
/// about forged input (a message naming another sender, a malformed entry,
/// a reply beyond the log) stay in English, which keeps their text out of
/// the page's download. The more specific templates come first.
pub fn reject_reason(lang: Lang, reason: &RejectReason) -> String {
    const KEYS: [&str; 15] = [
        "rj_timeout_not_voter",
        "rj_transfer_timed_out",
        "rj_vote_not_voter",
        "rj_prevote_not_voter",
        "rj_rv_lease",
        "rj_stale",
        "rj_term_exhausted",
        "rj_ae_two_leaders",
        "rj_ae_conflict",
        "rj_ae_overwrite",
        "rj_aer_member",
        "rj_is_two_leaders",
        "rj_isr_member",
        "rj_tn_leader",
        "rj_tn_voter",
    ];
    // The variants carry terms and ids that the sentence interpolates: the
    // English text is read back against the table's templates.
    retranslate(lang, &KEYS, &reason.to_string())
}

/// Something the simulator tells a scenario author (`Ev::Note`): an action
/// that found nothing to act on. The more specific templates come first.
pub fn note_text(lang: Lang, text: &str) -> String {
    const KEYS: [&str; 13] = [
        "nt_timeout_down",
        "nt_drop_none",
        "nt_compact_none",
        "nt_compact_down",
        "nt_compact_error",
        "nt_compacted",
        "nt_not_applied",
        "nt_crash_none",
        "nt_crash_removed",
        "nt_crash_down",
        "nt_restart_none",
        "nt_restart_removed",
        "nt_restart_up",
    ];
    retranslate(lang, &KEYS, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use raft::{ConfChangeProblem, MessageKind, ProposeError, TransferProblem};

    /// English is exactly what the trace says; Chinese carries the same
    /// numbers.
    #[test]
    fn reasons_keep_english_and_translate_to_chinese() {
        assert_eq!(drop_reason(Lang::En, DropReason::Crash), "receiver down");
        assert_eq!(drop_reason(Lang::En, DropReason::Loss), "loss");
        assert_eq!(
            drop_reason(Lang::Zh, DropReason::UnknownNode),
            "没有这个节点"
        );
        assert_eq!(client_result(Lang::En, ClientResult::Timeout), "timeout");
        let r = "entry 4 was overwritten by term 3";
        assert_eq!(client_reason(Lang::En, r), r);
        assert_eq!(client_reason(Lang::Zh, r), "条目 4 被任期 3 的条目覆盖");
        let stale = RejectReason::StaleTerm {
            kind: MessageKind::AppendEntries,
            from: 2,
            term: 1,
            current_term: 3,
        };
        assert_eq!(reject_reason(Lang::En, &stale), stale.to_string());
        assert_eq!(
            reject_reason(Lang::Zh, &stale),
            "来自 2 的过期 AppendEntries：任期 1 < 3"
        );
        assert_eq!(
            stepdown_reason(Lang::Zh, StepDownReason::CheckQuorum),
            "CheckQuorum：没有听到多数派的回应"
        );
        assert_eq!(
            note_text(
                Lang::Zh,
                "compact 2: cannot compact up to 0: only 0 applied"
            ),
            "压缩 2：无法压缩到 0：只应用到 0"
        );
        assert_eq!(
            note_text(Lang::Zh, "compact 2: no such node"),
            "压缩 2：没有这个节点"
        );
        let lease = RejectReason::RequestVoteInLease { from: 3 };
        assert_eq!(
            reject_reason(Lang::Zh, &lease),
            "忽略来自 3 的 RequestVote：仍能听到当前领导者（§6）"
        );
        // Forged input only: left in English.
        let forged = RejectReason::LeaderNotSender {
            kind: MessageKind::TimeoutNow,
            from: 2,
            leader: 3,
        };
        assert_eq!(reject_reason(Lang::Zh, &forged), forged.to_string());
    }

    /// Every value of each typed set has its own Chinese word.
    #[test]
    fn every_typed_result_and_reason_is_translated() {
        for &r in DropReason::ALL {
            assert_ne!(drop_reason(Lang::Zh, r), drop_reason(Lang::En, r));
        }
        for &r in ClientResult::ALL {
            assert_ne!(client_result(Lang::Zh, r), client_result(Lang::En, r));
        }
        for &r in ChangeResult::ALL {
            assert_ne!(change_result(Lang::Zh, r), change_result(Lang::En, r));
        }
        for r in [
            StepDownReason::CheckQuorum,
            StepDownReason::RemovedFromConfiguration,
        ] {
            assert_eq!(stepdown_reason(Lang::En, r), r.to_string());
            assert_ne!(stepdown_reason(Lang::Zh, r), r.to_string());
        }
    }

    /// Every text of raft's `ProposeError` is in the set, in Chinese.
    #[test]
    fn every_propose_error_is_translated() {
        let errors = [
            ProposeError::NotLeader {
                leader_hint: Some(2),
            },
            ProposeError::NotLeader { leader_hint: None },
            ProposeError::TransferInProgress { target: 3 },
            ProposeError::ConfChangePending,
            ProposeError::NoCommitInTerm,
            ProposeError::InvalidConfChange {
                reason: ConfChangeProblem::SameVoters,
            },
            ProposeError::UnsafeSwitchOff,
            ProposeError::InvalidTransferTarget {
                target: 2,
                reason: TransferProblem::NotVoter,
            },
            ProposeError::LogFull,
        ];
        for e in errors {
            let text = e.to_string();
            assert_eq!(change_detail(Lang::En, &text), text);
            assert_ne!(change_detail(Lang::Zh, &text), text, "{text}");
            assert_ne!(client_reason(Lang::Zh, &text), text, "{text}");
        }
    }
}
