//! Selling (§3): the seven E.K. Strong steps an opportunity moves through and which moves are
//! allowed, buying signals, the four kinds of objection with their remedies, the five steps of
//! handling one, and the relationship level of a deal.

use crate::Lang;
use crate::coded::coded_enum;
use crate::error::localized_error;

coded_enum!(
    /// The seven steps of a sale (E.K. Strong), in order.
    SellingStep {
        BuildRapport => "build_rapport", "建立联系", "Build rapport";
        SummariseBenefits => "summarise_benefits", "概述产品益处", "Summarise benefits";
        DiscoverNeeds => "discover_needs", "了解需求", "Discover needs";
        RestateNeeds => "restate_needs", "重述需求", "Restate needs";
        DetailBenefits => "detail_benefits", "详述益处", "Detail benefits";
        HandleObjections => "handle_objections", "处理异议", "Handle objections";
        SummariseClose => "summarise_close", "总结和销售", "Summarise and close";
    }
);

localized_error!(
    /// Why a move between selling steps was refused.
    MoveRefused {
        SameStep => "same_step", "已经处在这一步", "the opportunity is already at that step";
        SkipsAStep => "skips_a_step",
            "不能跳过步骤：先了解并重述需求，再详述益处",
            "a step would be skipped: discover and restate needs before detailing benefits";
        TooEarlyForObjections => "too_early_for_objections",
            "还没有介绍产品，谈不上异议",
            "nothing has been presented yet, so there is nothing to object to";
        NoBuyingSignal => "no_buying_signal",
            "要在出现购买信号后才能总结成交",
            "close only after a buying signal";
        TooEarlyToClose => "too_early_to_close",
            "先详述益处或处理完异议，再总结成交",
            "detail the benefits or settle the objections before closing";
        CannotGoBack => "cannot_go_back",
            "只能退回到「了解需求」重新了解",
            "the only way back is to discover needs again";
    }
);

coded_enum!(
    /// What tells the rep the customer is ready (购买信号): then summarise and close.
    BuyingSignal {
        RepeatedPraise => "repeated_praise", "连续正面评价产品", "Repeated positive remarks";
        AsksDelivery => "asks_delivery", "询问送货时间", "Asks about delivery";
        AsksReturns => "asks_returns", "询问能否退换货", "Asks about returns";
        TurnsToApproval => "turns_to_approval", "态度由反对转为赞扬", "Turns from objecting to praising";
        BuyingGesture => "buying_gesture", "表示购买的肢体语言", "Body language of buying";
    }
);

impl SellingStep {
    fn index(&self) -> usize {
        SellingStep::ALL.iter().position(|s| s == self).unwrap_or(0)
    }

    /// The step after this one in the plain sequence.
    pub fn next(&self) -> Option<SellingStep> {
        SellingStep::ALL.get(self.index() + 1).copied()
    }

    /// Whether the opportunity may move from this step to `to`, given the buying signals seen.
    ///
    /// The rules:
    /// - forward one step at a time, except that closing needs a buying signal;
    /// - an objection may come up at any step after something was presented (from 概述产品益处
    ///   on), including at the close;
    /// - from handling an objection the talk goes back to the needs (indifference is cured by
    ///   asking about needs again), on to the benefits, or to the close on a buying signal;
    /// - the close may come from 详述益处 or 处理异议, on a buying signal;
    /// - the only step back is to 了解需求: new needs can surface at any point after it.
    pub fn check_move(&self, to: SellingStep, signals: &[BuyingSignal]) -> Result<(), MoveRefused> {
        use SellingStep::*;
        let (from, to_i) = (self.index(), to.index());
        if *self == to {
            return Err(MoveRefused::SameStep);
        }
        match to {
            HandleObjections => {
                if from < SummariseBenefits.index() {
                    Err(MoveRefused::TooEarlyForObjections)
                } else {
                    Ok(())
                }
            }
            SummariseClose => {
                if !matches!(self, DetailBenefits | HandleObjections) {
                    Err(MoveRefused::TooEarlyToClose)
                } else if signals.is_empty() {
                    Err(MoveRefused::NoBuyingSignal)
                } else {
                    Ok(())
                }
            }
            DiscoverNeeds if from > to_i => Ok(()),
            DetailBenefits if *self == HandleObjections => Ok(()),
            _ if to_i < from => Err(MoveRefused::CannotGoBack),
            _ if to_i == from + 1 => Ok(()),
            _ => Err(MoveRefused::SkipsAStep),
        }
    }

    /// What the rep does at this step.
    pub fn guidance(&self, lang: Lang) -> &'static str {
        use SellingStep::*;
        let (zh, en) = match self {
            BuildRapport => (
                "寒暄、建立好感，说明来意",
                "Open warmly, build goodwill, say why you came",
            ),
            SummariseBenefits => (
                "简要说明产品能带来的好处，引起兴趣",
                "Briefly say what the product brings, to raise interest",
            ),
            DiscoverNeeds => (
                "多用开放式问题，辅以封闭式问题：目标或挑战、特殊需求、希望的结果、以往经历、个人信息",
                "Ask open questions, then closed ones: goals or challenges, special needs, desired result, past experience, personal information",
            ),
            RestateNeeds => (
                "用自己的话复述客户的需求，请客户确认",
                "Restate the needs in your own words and have the customer confirm",
            ),
            DetailBenefits => (
                "针对确认的需求，详细说明产品的益处",
                "Detail the benefits that meet the confirmed needs",
            ),
            HandleObjections => (
                "按五个步骤处理异议",
                "Handle the objection in the five steps",
            ),
            SummariseClose => (
                "出现购买信号时，总结益处并提出成交",
                "On a buying signal, sum up the benefits and ask for the order",
            ),
        };
        lang.pick(zh, en)
    }
}

coded_enum!(
    /// The four kinds of objection (异议).
    ObjectionKind {
        Misunderstanding => "misunderstanding", "误解", "Misunderstanding";
        Doubt => "doubt", "怀疑", "Doubt";
        Indifference => "indifference", "冷漠", "Indifference";
        Shortcoming => "shortcoming", "举欠缺", "Real shortcoming";
    }
);

impl ObjectionKind {
    /// The remedy the method prescribes.
    pub fn remedy(&self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            ObjectionKind::Misunderstanding => {
                ("提供正确的信息，澄清误解", "Give the correct information")
            }
            ObjectionKind::Doubt => (
                "拿出证明：数据、案例、资质",
                "Show proof: figures, cases, certificates",
            ),
            ObjectionKind::Indifference => (
                "重新询问、了解客户的需求",
                "Ask again about the customer's needs",
            ),
            ObjectionKind::Shortcoming => (
                "用更大的利益抵消所说的不足",
                "Outweigh it with a larger benefit",
            ),
        };
        lang.pick(zh, en)
    }

    /// The selling step the remedy leads to: indifference goes back to discovering needs; the
    /// others go on to the benefits.
    pub fn leads_to(&self) -> SellingStep {
        match self {
            ObjectionKind::Indifference => SellingStep::DiscoverNeeds,
            _ => SellingStep::DetailBenefits,
        }
    }
}

coded_enum!(
    /// The five steps of handling an objection, in order.
    ObjectionStep {
        Pause => "pause", "停顿", "Pause";
        Restate => "restate", "重述异议", "Restate the objection";
        Confirm => "confirm", "确认异议", "Confirm the objection";
        Handle => "handle", "处理异议", "Handle it";
        ConfirmSatisfied => "confirm_satisfied", "确认满意", "Confirm satisfaction";
    }
);

impl ObjectionStep {
    /// The step that must come next; None after the last.
    pub fn next(&self) -> Option<ObjectionStep> {
        let i = ObjectionStep::ALL.iter().position(|s| s == self)?;
        ObjectionStep::ALL.get(i + 1).copied()
    }

    /// Whether `step` may be recorded after the steps already `done` (in order, none skipped,
    /// none repeated).
    pub fn may_follow(done: &[ObjectionStep], step: ObjectionStep) -> bool {
        let expected = match done.last() {
            None => Some(ObjectionStep::Pause),
            Some(last) => last.next(),
        };
        done.len() < ObjectionStep::ALL.len()
            && ObjectionStep::ALL[..done.len()] == *done
            && expected == Some(step)
    }
}

coded_enum!(
    /// The relationship level of a deal.
    DealRelation {
        WinLose => "win_lose", "一输一赢", "Win-lose";
        WinWin => "win_win", "双赢", "Win-win";
        GrowTogether => "grow_together", "共赢", "Grow together";
    }
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;
    use SellingStep::*;

    #[test]
    fn codes_and_errors() {
        assert_coded::<SellingStep>();
        assert_coded::<BuyingSignal>();
        assert_coded::<ObjectionKind>();
        assert_coded::<ObjectionStep>();
        assert_coded::<DealRelation>();
        crate::error::assert_localized(MoveRefused::ALL, MoveRefused::code, MoveRefused::message);
        assert_eq!(SellingStep::ALL.len(), 7);
        assert_eq!(
            SellingStep::ALL.map(|s| s.label(Lang::ZhCn)),
            [
                "建立联系",
                "概述产品益处",
                "了解需求",
                "重述需求",
                "详述益处",
                "处理异议",
                "总结和销售"
            ]
        );
        for s in SellingStep::ALL {
            assert!(!s.guidance(Lang::ZhCn).is_empty() && s.guidance(Lang::En).is_ascii());
        }
        assert_eq!(BuildRapport.next(), Some(SummariseBenefits));
        assert_eq!(SummariseClose.next(), None);
    }

    /// Every move the method allows, written out; every other pair must be refused.
    const ALLOWED: &[(SellingStep, SellingStep)] = &[
        (BuildRapport, SummariseBenefits),
        (SummariseBenefits, DiscoverNeeds),
        (SummariseBenefits, HandleObjections),
        (DiscoverNeeds, RestateNeeds),
        (DiscoverNeeds, HandleObjections),
        (RestateNeeds, DetailBenefits),
        (RestateNeeds, DiscoverNeeds),
        (RestateNeeds, HandleObjections),
        (DetailBenefits, HandleObjections),
        (DetailBenefits, SummariseClose),
        (DetailBenefits, DiscoverNeeds),
        (HandleObjections, DiscoverNeeds),
        (HandleObjections, DetailBenefits),
        (HandleObjections, SummariseClose),
        (SummariseClose, HandleObjections),
        (SummariseClose, DiscoverNeeds),
    ];

    #[test]
    fn every_allowed_and_every_refused_move() {
        let signal = [BuyingSignal::AsksDelivery];
        let mut allowed = 0;
        for from in SellingStep::ALL {
            for to in SellingStep::ALL {
                let r = from.check_move(*to, &signal);
                if ALLOWED.contains(&(*from, *to)) {
                    assert_eq!(r, Ok(()), "{from:?} → {to:?}");
                    allowed += 1;
                } else {
                    assert!(r.is_err(), "{from:?} → {to:?} must be refused");
                }
            }
        }
        assert_eq!(allowed, ALLOWED.len());
        assert_eq!(allowed, 16);
    }

    #[test]
    fn refusals_say_why() {
        let s = [BuyingSignal::RepeatedPraise];
        assert_eq!(
            DiscoverNeeds.check_move(DiscoverNeeds, &s),
            Err(MoveRefused::SameStep)
        );
        assert_eq!(
            BuildRapport.check_move(DiscoverNeeds, &s),
            Err(MoveRefused::SkipsAStep)
        );
        assert_eq!(
            DiscoverNeeds.check_move(DetailBenefits, &s),
            Err(MoveRefused::SkipsAStep)
        );
        assert_eq!(
            BuildRapport.check_move(HandleObjections, &s),
            Err(MoveRefused::TooEarlyForObjections)
        );
        assert_eq!(
            RestateNeeds.check_move(SummariseClose, &s),
            Err(MoveRefused::TooEarlyToClose)
        );
        assert_eq!(
            DetailBenefits.check_move(RestateNeeds, &s),
            Err(MoveRefused::CannotGoBack)
        );
        assert_eq!(
            SummariseClose.check_move(BuildRapport, &s),
            Err(MoveRefused::CannotGoBack)
        );
        // Closing needs a buying signal, from both steps that may close.
        assert_eq!(
            DetailBenefits.check_move(SummariseClose, &[]),
            Err(MoveRefused::NoBuyingSignal)
        );
        assert_eq!(
            HandleObjections.check_move(SummariseClose, &[]),
            Err(MoveRefused::NoBuyingSignal)
        );
        // Without signals every other allowed move stays allowed.
        for (from, to) in ALLOWED.iter().filter(|(_, to)| *to != SummariseClose) {
            assert_eq!(from.check_move(*to, &[]), Ok(()));
        }
    }

    #[test]
    fn each_objection_kind_has_its_remedy() {
        use ObjectionKind::*;
        let cases = [
            (
                Misunderstanding,
                "正确的信息",
                "correct information",
                DetailBenefits,
            ),
            (Doubt, "证明", "proof", DetailBenefits),
            (Indifference, "需求", "needs", DiscoverNeeds),
            (Shortcoming, "更大的利益", "larger benefit", DetailBenefits),
        ];
        for (kind, zh, en, step) in cases {
            assert!(kind.remedy(Lang::ZhCn).contains(zh), "{kind:?}");
            assert!(kind.remedy(Lang::En).contains(en), "{kind:?}");
            assert_eq!(kind.leads_to(), step);
            // The remedy's step is always reachable from handling the objection.
            assert_eq!(HandleObjections.check_move(kind.leads_to(), &[]), Ok(()));
        }
        assert_eq!(
            ObjectionKind::ALL.map(|k| k.label(Lang::ZhCn)),
            ["误解", "怀疑", "冷漠", "举欠缺"]
        );
    }

    #[test]
    fn the_five_handling_steps_go_in_order() {
        use ObjectionStep::*;
        assert_eq!(
            ObjectionStep::ALL.map(|s| s.label(Lang::ZhCn)),
            ["停顿", "重述异议", "确认异议", "处理异议", "确认满意"]
        );
        // After each prefix of the sequence, exactly the next step may follow.
        for n in 0..=ObjectionStep::ALL.len() {
            let done = &ObjectionStep::ALL[..n];
            for step in ObjectionStep::ALL {
                let expected = ObjectionStep::ALL.get(n) == Some(step);
                assert_eq!(
                    ObjectionStep::may_follow(done, *step),
                    expected,
                    "{done:?} + {step:?}"
                );
            }
        }
        // A history that is itself out of order accepts nothing.
        assert!(!ObjectionStep::may_follow(&[Restate], Confirm));
        assert!(!ObjectionStep::may_follow(&[Pause, Pause], Restate));
        assert_eq!(ConfirmSatisfied.next(), None);
    }
}
