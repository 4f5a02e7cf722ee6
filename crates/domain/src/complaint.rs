//! Complaints (§5, "a complaint is a gift"): the handling process as a state machine that lets no
//! required step be skipped, and the six steps of the conversation itself.

use crate::coded::coded_enum;
use crate::error::localized_error;

coded_enum!(
    /// Where a complaint ticket stands.
    ComplaintState {
        Accepted => "accepted", "已受理", "Accepted";
        CauseAnalysed => "cause_analysed", "已分析原因", "Cause analysed";
        SolutionProposed => "solution_proposed", "已提出方案", "Solution proposed";
        Resolved => "resolved", "已解决", "Resolved";
        FollowingUp => "following_up", "回访中", "Following up";
        Closed => "closed", "已结案", "Closed";
    }
);

coded_enum!(
    /// What a user does to a ticket.
    ComplaintAction {
        AnalyseCause => "analyse_cause", "分析原因", "Analyse the cause";
        ProposeSolution => "propose_solution", "提出解决方案", "Propose a solution";
        Resolve => "resolve", "确认解决", "Mark resolved";
        FollowUp => "follow_up", "回访征求意见", "Follow up for the customer's opinion";
        ReviewRootCause => "review_root_cause", "检讨根本原因", "Review the root cause";
        Close => "close", "结案", "Close";
        Reopen => "reopen", "重新打开", "Reopen";
    }
);

localized_error!(
    /// Why an action was refused.
    ComplaintRefused {
        NotNow => "not_now",
            "当前状态不能做这一步，不能跳过处理流程中的步骤",
            "that action is not possible in this state; no step of the process may be skipped";
        TooManyFollowUps => "too_many_follow_ups",
            "解决后回访一到两次即可",
            "after resolution, ask the customer's opinion once or twice, not more";
        NeedsFollowUp => "needs_follow_up",
            "结案前至少回访一次，征求客户意见",
            "ask the customer's opinion at least once before closing";
        NeedsReview => "needs_review",
            "结案前先检讨根本原因，防止同类问题再发生",
            "review the root cause before closing, so the same kind does not recur";
    }
);

/// Most times the customer's opinion is asked after resolution (the method says one to two).
pub const MAX_FOLLOW_UPS: u8 = 2;

/// Share of customers kept when a complaint is resolved, and when resolved on the spot (the
/// method's figures, shown in reports), in percent.
pub const KEPT_WHEN_RESOLVED_PCT: u8 = 70;
pub const KEPT_WHEN_RESOLVED_ON_THE_SPOT_PCT: u8 = 95;

/// A ticket's process state: where it is, how often the customer was asked after resolution,
/// whether the root cause was reviewed, and how many solutions were offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ComplaintProcess {
    pub state: ComplaintState,
    pub follow_ups: u8,
    pub root_cause_reviewed: bool,
    /// Solutions offered in turn (the method allows offering several).
    pub solutions_offered: u8,
    pub reopened: u8,
}

impl Default for ComplaintProcess {
    fn default() -> ComplaintProcess {
        ComplaintProcess::new()
    }
}

impl ComplaintProcess {
    /// A newly accepted and recorded complaint.
    pub fn new() -> ComplaintProcess {
        ComplaintProcess {
            state: ComplaintState::Accepted,
            follow_ups: 0,
            root_cause_reviewed: false,
            solutions_offered: 0,
            reopened: 0,
        }
    }

    /// The process after `action`, or why it is refused.
    ///
    /// - accepted → analyse the cause → propose a solution (again, to offer another option)
    ///   → resolved → follow up once or twice → close;
    /// - the root-cause review (检讨) is recorded once resolved or following up, and is required
    ///   to close, as is at least one follow-up;
    /// - reopening is possible from resolved or following up (not once closed), and starts over
    ///   from the cause: follow-ups and review are for the new resolution.
    pub fn apply(&self, action: ComplaintAction) -> Result<ComplaintProcess, ComplaintRefused> {
        use ComplaintAction as A;
        use ComplaintState as S;
        let mut next = *self;
        match (self.state, action) {
            (S::Accepted, A::AnalyseCause) => next.state = S::CauseAnalysed,
            (S::CauseAnalysed | S::SolutionProposed, A::ProposeSolution) => {
                next.state = S::SolutionProposed;
                next.solutions_offered = self.solutions_offered.saturating_add(1);
            }
            (S::SolutionProposed, A::Resolve) => next.state = S::Resolved,
            (S::Resolved | S::FollowingUp, A::FollowUp) => {
                if self.follow_ups >= MAX_FOLLOW_UPS {
                    return Err(ComplaintRefused::TooManyFollowUps);
                }
                next.state = S::FollowingUp;
                next.follow_ups += 1;
            }
            (S::Resolved | S::FollowingUp, A::ReviewRootCause) => next.root_cause_reviewed = true,
            (S::Resolved | S::FollowingUp, A::Close) => {
                if self.follow_ups == 0 {
                    return Err(ComplaintRefused::NeedsFollowUp);
                }
                if !self.root_cause_reviewed {
                    return Err(ComplaintRefused::NeedsReview);
                }
                next.state = S::Closed;
            }
            (S::Resolved | S::FollowingUp, A::Reopen) => {
                next = ComplaintProcess {
                    state: S::Accepted,
                    reopened: self.reopened.saturating_add(1),
                    ..ComplaintProcess::new()
                };
            }
            _ => return Err(ComplaintRefused::NotNow),
        }
        Ok(next)
    }

    /// The actions possible now, for the ticket's buttons.
    pub fn allowed_actions(&self) -> Vec<ComplaintAction> {
        ComplaintAction::ALL
            .iter()
            .copied()
            .filter(|a| self.apply(*a).is_ok())
            .collect()
    }
}

coded_enum!(
    /// The six steps of the conversation with a complaining customer, in order.
    HandlingStep {
        Listen => "listen", "倾听", "Listen";
        Restate => "restate", "复述", "Restate";
        Apologise => "apologise", "道歉", "Apologise";
        Acknowledge => "acknowledge", "认同感受", "Acknowledge the feeling";
        StateSolution => "state_solution", "阐明解决措施", "State the solution";
        Thank => "thank", "表示感谢", "Thank the customer";
    }
);

impl HandlingStep {
    /// Whether `step` may be recorded after `done` (the steps so far, which must be the start
    /// of the sequence): exactly the next step.
    pub fn may_follow(done: &[HandlingStep], step: HandlingStep) -> bool {
        done.len() < HandlingStep::ALL.len()
            && HandlingStep::ALL[..done.len()] == *done
            && HandlingStep::ALL[done.len()] == step
    }

    /// The steps still missing from a conversation record, in order.
    pub fn missing(done: &[HandlingStep]) -> Vec<HandlingStep> {
        HandlingStep::ALL
            .iter()
            .copied()
            .filter(|s| !done.contains(s))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::coded::assert_coded;
    use ComplaintAction as A;
    use ComplaintState as S;

    #[test]
    fn codes_and_errors() {
        assert_coded::<ComplaintState>();
        assert_coded::<ComplaintAction>();
        assert_coded::<HandlingStep>();
        crate::error::assert_localized(
            ComplaintRefused::ALL,
            ComplaintRefused::code,
            ComplaintRefused::message,
        );
        assert_eq!(
            HandlingStep::ALL.map(|s| s.label(Lang::ZhCn)),
            [
                "倾听",
                "复述",
                "道歉",
                "认同感受",
                "阐明解决措施",
                "表示感谢"
            ]
        );
    }

    fn at(state: S, follow_ups: u8, reviewed: bool) -> ComplaintProcess {
        ComplaintProcess {
            state,
            follow_ups,
            root_cause_reviewed: reviewed,
            solutions_offered: u8::from(state != S::Accepted && state != S::CauseAnalysed),
            reopened: 0,
        }
    }

    /// The expected outcome of every action in every state (with the follow-up count and review
    /// flag that matter), written out independently of `apply`.
    fn expected(p: ComplaintProcess, a: A) -> Result<S, ComplaintRefused> {
        let open = matches!(p.state, S::Resolved | S::FollowingUp);
        match (p.state, a) {
            (S::Accepted, A::AnalyseCause) => Ok(S::CauseAnalysed),
            (S::CauseAnalysed, A::ProposeSolution) => Ok(S::SolutionProposed),
            (S::SolutionProposed, A::ProposeSolution) => Ok(S::SolutionProposed),
            (S::SolutionProposed, A::Resolve) => Ok(S::Resolved),
            (_, A::FollowUp) if open && p.follow_ups < 2 => Ok(S::FollowingUp),
            (_, A::FollowUp) if open => Err(ComplaintRefused::TooManyFollowUps),
            (_, A::ReviewRootCause) if open => Ok(p.state),
            (_, A::Close) if open && p.follow_ups == 0 => Err(ComplaintRefused::NeedsFollowUp),
            (_, A::Close) if open && !p.root_cause_reviewed => Err(ComplaintRefused::NeedsReview),
            (_, A::Close) if open => Ok(S::Closed),
            (_, A::Reopen) if open => Ok(S::Accepted),
            _ => Err(ComplaintRefused::NotNow),
        }
    }

    #[test]
    fn every_state_and_action_and_context_gives_the_expected_outcome() {
        let mut checked = 0;
        let mut allowed = 0;
        for state in ComplaintState::ALL {
            for follow_ups in 0..=MAX_FOLLOW_UPS {
                for reviewed in [false, true] {
                    let p = at(*state, follow_ups, reviewed);
                    for a in ComplaintAction::ALL {
                        let got = p.apply(*a).map(|n| n.state);
                        assert_eq!(got, expected(p, *a), "{p:?} {a:?}");
                        allowed += usize::from(got.is_ok());
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 3 * 2 * 7);
        assert!(allowed > 0);
    }

    #[test]
    fn the_happy_path_and_what_each_step_records() {
        let mut p = ComplaintProcess::new();
        assert_eq!(p.allowed_actions(), vec![A::AnalyseCause]);
        for a in [
            A::AnalyseCause,
            A::ProposeSolution,
            A::ProposeSolution,
            A::Resolve,
        ] {
            p = p.apply(a).unwrap();
        }
        assert_eq!(p.solutions_offered, 2);
        assert_eq!(p.state, S::Resolved);
        assert_eq!(p.apply(A::Close), Err(ComplaintRefused::NeedsFollowUp));
        p = p.apply(A::FollowUp).unwrap();
        assert_eq!(p.apply(A::Close), Err(ComplaintRefused::NeedsReview));
        p = p.apply(A::ReviewRootCause).unwrap();
        p = p.apply(A::FollowUp).unwrap();
        assert_eq!(p.follow_ups, 2);
        assert_eq!(
            p.apply(A::FollowUp),
            Err(ComplaintRefused::TooManyFollowUps)
        );
        let closed = p.apply(A::Close).unwrap();
        assert_eq!(closed.state, S::Closed);
        assert!(closed.allowed_actions().is_empty());
        assert_eq!(closed.apply(A::Reopen), Err(ComplaintRefused::NotNow));
    }

    #[test]
    fn reopening_starts_over_from_the_cause() {
        let p = at(S::FollowingUp, 1, true).apply(A::Reopen).unwrap();
        assert_eq!(p.state, S::Accepted);
        assert_eq!(
            (p.follow_ups, p.root_cause_reviewed, p.reopened),
            (0, false, 1)
        );
        assert_eq!(p.apply(A::Resolve), Err(ComplaintRefused::NotNow));
        let p = at(S::Resolved, 0, false).apply(A::Reopen).unwrap();
        assert_eq!(p.state, S::Accepted);
        for s in [
            S::Accepted,
            S::CauseAnalysed,
            S::SolutionProposed,
            S::Closed,
        ] {
            assert_eq!(
                at(s, 0, false).apply(A::Reopen),
                Err(ComplaintRefused::NotNow)
            );
        }
    }

    #[test]
    fn no_sequence_reaches_closed_without_every_required_step() {
        // Breadth-first over all action sequences up to length 9 from a new ticket: whenever
        // Closed is reached, the path went through cause, solution, resolution, a follow-up and
        // the review, in that order.
        let mut frontier = vec![(ComplaintProcess::new(), Vec::<A>::new())];
        let mut closings = 0;
        for _ in 0..9 {
            let mut next = Vec::new();
            for (p, path) in &frontier {
                for a in ComplaintAction::ALL {
                    if let Ok(n) = p.apply(*a) {
                        let mut path = path.clone();
                        path.push(*a);
                        if n.state == S::Closed {
                            closings += 1;
                            let pos = |x: A| path.iter().rposition(|y| *y == x).unwrap();
                            let last_reopen = path.iter().rposition(|y| *y == A::Reopen);
                            let after = |x: A| last_reopen.is_none_or(|r| pos(x) > r);
                            assert!(pos(A::AnalyseCause) < pos(A::ProposeSolution), "{path:?}");
                            assert!(pos(A::ProposeSolution) < pos(A::Resolve), "{path:?}");
                            assert!(pos(A::Resolve) < pos(A::FollowUp), "{path:?}");
                            for x in [A::AnalyseCause, A::Resolve, A::FollowUp, A::ReviewRootCause]
                            {
                                assert!(after(x), "{path:?}");
                            }
                        } else {
                            next.push((n, path));
                        }
                    }
                }
            }
            frontier = next;
        }
        assert!(closings > 0);
    }

    #[test]
    fn the_six_conversation_steps_go_in_order() {
        for n in 0..=HandlingStep::ALL.len() {
            let done = &HandlingStep::ALL[..n];
            for step in HandlingStep::ALL {
                assert_eq!(
                    HandlingStep::may_follow(done, *step),
                    HandlingStep::ALL.get(n) == Some(step),
                    "{done:?} + {step:?}"
                );
            }
            assert_eq!(HandlingStep::missing(done), HandlingStep::ALL[n..].to_vec());
        }
        use HandlingStep::*;
        assert!(!HandlingStep::may_follow(&[Restate], Apologise));
        assert!(!HandlingStep::may_follow(&[Listen, Apologise], Acknowledge));
        assert_eq!(
            HandlingStep::missing(&[Listen, Apologise]),
            vec![Restate, Acknowledge, StateSolution, Thank]
        );
        assert_eq!(
            (KEPT_WHEN_RESOLVED_PCT, KEPT_WHEN_RESOLVED_ON_THE_SPOT_PCT),
            (70, 95)
        );
    }
}
