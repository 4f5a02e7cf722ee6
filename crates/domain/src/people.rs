//! How to serve people (§2): the 12 buyer personality types, the low-key responder, the six
//! buying roles, and the trust quadrant per contact and per customer.

use crate::Lang;

crate::coded_enum!(PersonalityType {
    Composed => "composed", "从容不迫型", "Composed";
    Indecisive => "indecisive", "优柔寡断型", "Indecisive";
    Boastful => "boastful", "自我吹嘘型", "Boastful";
    Forthright => "forthright", "豪爽干练型", "Forthright";
    Talkative => "talkative", "喋喋不休型", "Talkative";
    Taciturn => "taciturn", "沉默寡言型", "Taciturn";
    FaultFinding => "fault_finding", "吹毛求疵型", "Fault-finding";
    Insincere => "insincere", "虚情假意型", "Insincere";
    ColdArrogant => "cold_arrogant", "冷淡傲慢型", "Cold and arrogant";
    Impulsive => "impulsive", "情感冲动型", "Impulsive";
    Resentful => "resentful", "心怀怨恨型", "Resentful";
    Slippery => "slippery", "圆滑难缠型", "Slippery";
});

impl PersonalityType {
    pub fn traits(&self, lang: Lang) -> &'static str {
        use PersonalityType::*;
        let (zh, en) = match self {
            Composed => ("严肃、理性、沉稳", "serious, rational, steady"),
            Indecisive => ("犹豫不决、反复权衡", "hesitant, keeps wavering"),
            Boastful => ("爱表现、好面子、固执", "showy, vain, stubborn"),
            Forthright => ("直爽、果断、重感情", "direct, decisive, emotional"),
            Talkative => ("经验多、主观、话多", "experienced, subjective, talks a lot"),
            Taciturn => ("内敛、不露声色", "reserved, shows nothing"),
            FaultFinding => ("挑剔、不接受别人的看法", "picky, rejects others' views"),
            Insincere => (
                "表面热情、并无购买意愿",
                "friendly on the surface, no intent to buy",
            ),
            ColdArrogant => ("固执、高傲、冷淡", "stubborn, proud, distant"),
            Impulsive => ("敏感、多变、易冲动", "sensitive, changeable, emotional"),
            Resentful => ("无端指责、满腹怨气", "attacks without reason"),
            Slippery => ("好胜、固执、精明难缠", "competitive, stubborn, cunning"),
        };
        if lang == Lang::ZhCn { zh } else { en }
    }

    pub fn approach(&self, lang: Lang) -> &'static str {
        use PersonalityType::*;
        let (zh, en) = match self {
            Composed => (
                "摆事实、做比较、给证据，从利益上打动",
                "analyse and compare, give evidence, appeal to the benefit",
            ),
            Indecisive => (
                "多举实例帮助判断，不要催促成交",
                "give examples that help decide; never rush the close",
            ),
            Boastful => (
                "耐心倾听，满足其面子和虚荣心",
                "listen well and let them shine",
            ),
            Forthright => ("开门见山，真诚热情", "be direct and warm"),
            Talkative => (
                "保持耐心，适时把话题拉回正轨",
                "stay patient and steer the talk back",
            ),
            Taciturn => (
                "用逻辑引导，重视第一印象",
                "lead with logic; the first impression counts",
            ),
            FaultFinding => (
                "先肯定和称赞，多请教其意见",
                "praise first and ask for their advice",
            ),
            Insincere => (
                "先建立信任，不轻易让步",
                "build trust first; do not concede easily",
            ),
            ColdArrogant => (
                "请熟人引荐，适度激将",
                "get an introduction from an acquaintance; provoke gently",
            ),
            Impulsive => (
                "措辞谨慎，强调能得到的好处",
                "choose words with care; stress what they gain",
            ),
            Resentful => (
                "先弄清事实，表示同情并安抚",
                "find the facts, sympathise, comfort",
            ),
            Slippery => (
                "营造购买氛围，让其觉得机不可失",
                "create a buying atmosphere they do not want to miss",
            ),
        };
        if lang == Lang::ZhCn { zh } else { en }
    }
}

/// The low-key responder 低调反应者: silence is not an objection.
pub mod low_key {
    use crate::Lang;

    const TACTICS_ZH: &[&str] = &[
        "用「我明天再来」试探其真实态度",
        "少说多展示",
        "确认对方是否真正的决策者",
        "以低调回应低调",
        "直接问：您还在比较，还是已经决定了？",
    ];
    const TACTICS_EN: &[&str] = &[
        "Test with \"I'll come back tomorrow\"",
        "Talk less, show more",
        "Check they are the real decision maker",
        "Be low-key in turn",
        "Ask plainly: still choosing, or decided?",
    ];
    const MISTAKES_ZH: &[&str] = &["说话太快", "把沉默当成反对", "反应过度", "反复重复同样的话"];
    const MISTAKES_EN: &[&str] = &[
        "Talking too fast",
        "Taking silence for an objection",
        "Over-reacting",
        "Repeating yourself",
    ];

    pub fn tactics(lang: Lang) -> &'static [&'static str] {
        if lang == Lang::ZhCn {
            TACTICS_ZH
        } else {
            TACTICS_EN
        }
    }

    pub fn mistakes(lang: Lang) -> &'static [&'static str] {
        if lang == Lang::ZhCn {
            MISTAKES_ZH
        } else {
            MISTAKES_EN
        }
    }
}

crate::coded_enum!(BuyingRole {
    DecisionMaker => "decision_maker", "决策者", "Decision maker";
    Purchaser => "purchaser", "采购者", "Purchaser";
    User => "user", "使用者", "User";
    TechnicalEvaluator => "technical_evaluator", "技术评估者", "Technical evaluator";
    Influencer => "influencer", "影响者", "Influencer";
    Gatekeeper => "gatekeeper", "把关者", "Gatekeeper";
});

crate::coded_enum!(TrustQuadrant {
    Outsider => "outsider", "局外人", "Outsider";
    Friend => "friend", "朋友", "Friend";
    Supplier => "supplier", "供应商", "Supplier";
    Partner => "partner", "合作伙伴", "Partner";
});

crate::coded_enum!(TrustAxis {
    Personal => "personal", "个人利益", "Personal interest";
    Organisational => "organisational", "组织利益", "Organisational interest";
});

impl TrustQuadrant {
    /// Personal interest served × organisational interest served.
    pub fn from_axes(personal: bool, organisational: bool) -> TrustQuadrant {
        match (personal, organisational) {
            (false, false) => TrustQuadrant::Outsider,
            (true, false) => TrustQuadrant::Friend,
            (false, true) => TrustQuadrant::Supplier,
            (true, true) => TrustQuadrant::Partner,
        }
    }

    /// The axes still to win on the way to partner.
    pub fn missing_axes(&self) -> Vec<TrustAxis> {
        match self {
            TrustQuadrant::Outsider => vec![TrustAxis::Personal, TrustAxis::Organisational],
            TrustQuadrant::Friend => vec![TrustAxis::Organisational],
            TrustQuadrant::Supplier => vec![TrustAxis::Personal],
            TrustQuadrant::Partner => vec![],
        }
    }

    fn rank(&self) -> u8 {
        match self {
            TrustQuadrant::Outsider => 0,
            TrustQuadrant::Friend | TrustQuadrant::Supplier => 1,
            TrustQuadrant::Partner => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactTrust {
    pub role: Option<BuyingRole>,
    pub personal: bool,
    pub organisational: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustomerTrust {
    pub quadrant: TrustQuadrant,
    pub missing_axes: Vec<TrustAxis>,
    /// Each role held by a contact, with the best quadrant reached among them.
    pub roles: Vec<(BuyingRole, TrustQuadrant)>,
    /// Roles of the buying organisation nobody is recorded in.
    pub roles_missing: Vec<BuyingRole>,
}

/// The organisation's trust is the combined trust of its buying roles (the six kinds of
/// people). Rule: the personal axis is served when any contact's personal interest is; the
/// organisational axis counts only where the organisation decides, so it is served when the
/// decision maker's is (or, with no decision maker recorded, any contact's). So a customer is
/// a partner only when the person who decides sees the organisation's interest served.
pub fn roll_up(contacts: &[ContactTrust]) -> CustomerTrust {
    let personal = contacts.iter().any(|c| c.personal);
    let has_decider = contacts
        .iter()
        .any(|c| c.role == Some(BuyingRole::DecisionMaker));
    let organisational = contacts
        .iter()
        .filter(|c| !has_decider || c.role == Some(BuyingRole::DecisionMaker))
        .any(|c| c.organisational);
    let quadrant = TrustQuadrant::from_axes(personal, organisational);
    let mut roles = Vec::new();
    let mut roles_missing = Vec::new();
    for role in BuyingRole::ALL {
        let best = contacts
            .iter()
            .filter(|c| c.role == Some(*role))
            .map(|c| TrustQuadrant::from_axes(c.personal, c.organisational))
            .max_by_key(|q| (q.rank(), *q == TrustQuadrant::Supplier));
        match best {
            Some(q) => roles.push((*role, q)),
            None => roles_missing.push(*role),
        }
    }
    CustomerTrust {
        quadrant,
        missing_axes: quadrant.missing_axes(),
        roles,
        roles_missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(role: Option<BuyingRole>, p: bool, o: bool) -> ContactTrust {
        ContactTrust {
            role,
            personal: p,
            organisational: o,
        }
    }

    #[test]
    fn quadrant_from_all_four_axis_combinations() {
        assert_eq!(
            TrustQuadrant::from_axes(false, false),
            TrustQuadrant::Outsider
        );
        assert_eq!(TrustQuadrant::from_axes(true, false), TrustQuadrant::Friend);
        assert_eq!(
            TrustQuadrant::from_axes(false, true),
            TrustQuadrant::Supplier
        );
        assert_eq!(TrustQuadrant::from_axes(true, true), TrustQuadrant::Partner);
        assert_eq!(
            TrustQuadrant::Friend.missing_axes(),
            vec![TrustAxis::Organisational]
        );
        assert_eq!(
            TrustQuadrant::Supplier.missing_axes(),
            vec![TrustAxis::Personal]
        );
        assert_eq!(TrustQuadrant::Outsider.missing_axes().len(), 2);
        assert!(TrustQuadrant::Partner.missing_axes().is_empty());
    }

    #[test]
    fn roll_up_needs_the_decision_maker_for_the_organisational_axis() {
        let t = roll_up(&[
            ct(Some(BuyingRole::DecisionMaker), true, false),
            ct(Some(BuyingRole::Purchaser), false, true),
        ]);
        assert_eq!(t.quadrant, TrustQuadrant::Friend);
        assert_eq!(t.missing_axes, vec![TrustAxis::Organisational]);
        assert_eq!(t.roles.len(), 2);
        assert_eq!(t.roles_missing.len(), 4);

        let t = roll_up(&[
            ct(Some(BuyingRole::DecisionMaker), false, true),
            ct(Some(BuyingRole::User), true, false),
        ]);
        assert_eq!(t.quadrant, TrustQuadrant::Partner);

        // With no decision maker recorded, any contact's organisational interest counts.
        let t = roll_up(&[ct(None, false, true)]);
        assert_eq!(t.quadrant, TrustQuadrant::Supplier);
        assert_eq!(roll_up(&[]).quadrant, TrustQuadrant::Outsider);
    }

    #[test]
    fn every_personality_has_traits_and_approach_in_both_languages() {
        assert_eq!(PersonalityType::ALL.len(), 12);
        for p in PersonalityType::ALL {
            assert_eq!(PersonalityType::from_code(p.code()), Some(*p));
            assert_eq!(PersonalityType::from_code(p.label(Lang::ZhCn)), Some(*p));
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(!p.traits(lang).is_empty());
                assert!(!p.approach(lang).is_empty());
            }
        }
        assert_eq!(low_key::tactics(Lang::En).len(), 5);
        assert_eq!(low_key::mistakes(Lang::ZhCn).len(), 4);
    }
}
