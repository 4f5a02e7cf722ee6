//! How to serve people (§2): the 12 buyer personality types, the low-key responder, the six
//! buying roles, and the trust quadrant per contact and rolled up per customer.

use crate::Lang;
use crate::coded::coded_enum;

coded_enum!(
    /// Buyer personality type 购买者个性类型: each has its traits and the approach that works.
    PersonalityType {
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
    }
);

impl PersonalityType {
    /// How this kind of buyer comes across.
    pub fn traits(&self, lang: Lang) -> &'static str {
        use PersonalityType::*;
        let (zh, en) = match self {
            Composed => ("认真、讲道理、稳重", "serious, rational, steady"),
            Indecisive => (
                "拿不定主意，反复犹豫",
                "hesitant, keeps changing their mind",
            ),
            Boastful => ("爱表现、好面子、认死理", "showy, vain, stubborn"),
            Forthright => (
                "爽快、果断，容易感情用事",
                "direct and decisive, led by feelings",
            ),
            Talkative => (
                "见多识广，主观，说个不停",
                "experienced and opinionated, talks a lot",
            ),
            Taciturn => ("老练内敛，喜怒不形于色", "reserved, shows nothing"),
            FaultFinding => (
                "听不进别人的意见，处处挑剔",
                "rejects others' views, picks at everything",
            ),
            Insincere => (
                "态度友好，却没有真心购买的意思",
                "friendly, with no real intent to buy",
            ),
            ColdArrogant => ("固执、清高、冷淡", "stubborn, proud, cold"),
            Impulsive => ("敏感，情绪多变", "sensitive, changeable, emotional"),
            Resentful => ("没来由地指责、攻击", "attacks without reason"),
            Slippery => ("好胜、固执又精明", "competitive, stubborn, cunning"),
        };
        lang.pick(zh, en)
    }

    /// The service approach that works with this kind of buyer; shown wherever the contact is.
    pub fn approach(&self, lang: Lang) -> &'static str {
        use PersonalityType::*;
        let (zh, en) = match self {
            Composed => (
                "摆事实、做对比、拿出证据，用实际利益说服",
                "analyse and compare, bring evidence, win them with the benefit",
            ),
            Indecisive => (
                "多举成功实例帮他判断，不要急着成交",
                "give worked examples to help them decide; do not rush the close",
            ),
            Boastful => (
                "耐心倾听，给足面子，满足其虚荣心",
                "listen well and let them feel important",
            ),
            Forthright => (
                "开门见山，直截了当，带点人情味",
                "be direct and straightforward, and warm",
            ),
            Talkative => (
                "有耐心，同时把握谈话方向，适时拉回正题",
                "be patient but keep control of the conversation",
            ),
            Taciturn => (
                "用有条理的逻辑引导，注意给对方留下好的第一印象",
                "lead step by step with logic; the first impression counts",
            ),
            FaultFinding => (
                "多肯定、多称赞，虚心向他请教",
                "praise them and ask for their advice",
            ),
            Insincere => (
                "先建立信任，条件上不要轻易让步",
                "build trust first; do not give concessions easily",
            ),
            ColdArrogant => (
                "请熟人引荐，必要时用激将法",
                "get an introduction from someone they know; provoke gently",
            ),
            Impulsive => (
                "言行谨慎，反复强调能得到的好处",
                "choose words and actions with care; stress what they gain",
            ),
            Resentful => (
                "先弄清事实真相，再表示同情并安抚",
                "find out the facts, then sympathise and comfort",
            ),
            Slippery => (
                "营造热销的氛围，让他觉得机不可失",
                "create a selling atmosphere: others are buying, the chance will pass",
            ),
        };
        lang.pick(zh, en)
    }
}

/// The low-key responder 低调反应者: silence is not an objection.
pub mod low_key {
    use crate::Lang;

    const TACTICS_ZH: &[&str] = &[
        "说一句「我明天再来」，看对方的反应",
        "少说话，多展示",
        "确认对方是不是真正做决定的人",
        "对方低调，你也低调回应",
        "直接问：您还在比较，还是已经决定了？",
    ];
    const TACTICS_EN: &[&str] = &[
        "Say \"I'll come back tomorrow\" and watch the reaction",
        "Talk less, show more",
        "Check they are the one who really decides",
        "Be low-key in turn",
        "Ask plainly: are you still choosing, or have you decided?",
    ];
    const MISTAKES_ZH: &[&str] = &[
        "说话太快",
        "把沉默当成反对",
        "反应过度",
        "翻来覆去说同样的话",
    ];
    const MISTAKES_EN: &[&str] = &[
        "Talking too fast",
        "Taking silence for an objection",
        "Over-reacting",
        "Repeating yourself",
    ];

    /// The five tactics that work with a low-key responder.
    pub fn tactics(lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::ZhCn => TACTICS_ZH,
            Lang::En => TACTICS_EN,
        }
    }

    /// The four mistakes to warn against.
    pub fn mistakes(lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::ZhCn => MISTAKES_ZH,
            Lang::En => MISTAKES_EN,
        }
    }
}

coded_enum!(
    /// A contact's role in the buying organisation: the "six kinds of people" whose combined
    /// trust is the organisation's trust.
    BuyingRole {
        DecisionMaker => "decision_maker", "决策者", "Decision maker";
        Purchaser => "purchaser", "采购者", "Purchaser";
        User => "user", "使用者", "User";
        TechnicalEvaluator => "technical_evaluator", "技术评估者", "Technical evaluator";
        Influencer => "influencer", "影响者", "Influencer";
        Gatekeeper => "gatekeeper", "把关者", "Gatekeeper";
    }
);

coded_enum!(
    /// Trust relationship 互信关系: is the person's own interest served, is the organisation's?
    TrustQuadrant {
        Outsider => "outsider", "局外人", "Outsider";
        Friend => "friend", "朋友", "Friend";
        Supplier => "supplier", "供应商", "Supplier";
        Partner => "partner", "合作伙伴", "Partner";
    }
);

coded_enum!(
    /// The two axes of the trust quadrant.
    TrustAxis {
        Personal => "personal", "个人利益", "Personal interest";
        Organisational => "organisational", "组织利益", "Organisational interest";
    }
);

impl TrustAxis {
    /// What winning this axis takes, for the "which axis is missing" hint.
    pub fn advice(&self, lang: Lang) -> &'static str {
        match self {
            TrustAxis::Personal => lang.pick(
                "了解并照顾对方个人的喜好、兴趣和需要，建立个人之间的信任",
                "learn and serve the person's own tastes, interests and needs; build personal trust",
            ),
            TrustAxis::Organisational => lang.pick(
                "针对机构的需求推荐性价比好的产品和方案，让机构得到实在的好处",
                "meet the organisation's needs with good-value products and solutions",
            ),
        }
    }
}

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

    pub fn personal(&self) -> bool {
        matches!(self, TrustQuadrant::Friend | TrustQuadrant::Partner)
    }

    pub fn organisational(&self) -> bool {
        matches!(self, TrustQuadrant::Supplier | TrustQuadrant::Partner)
    }

    /// The axes still to win on the way to partner, personal first.
    pub fn missing_axes(&self) -> Vec<TrustAxis> {
        let mut out = Vec::new();
        if !self.personal() {
            out.push(TrustAxis::Personal);
        }
        if !self.organisational() {
            out.push(TrustAxis::Organisational);
        }
        out
    }

    /// Order used to pick the best of several quadrants: outsider < supplier < friend < partner.
    ///
    /// Friend ranks above supplier because seed 003 advises against winning as a mere supplier:
    /// a relationship held only by the product's value is lost as soon as a competitor matches
    /// it, while personal trust is the bridge every other selling activity crosses.
    pub fn rank(&self) -> u8 {
        match self {
            TrustQuadrant::Outsider => 0,
            TrustQuadrant::Supplier => 1,
            TrustQuadrant::Friend => 2,
            TrustQuadrant::Partner => 3,
        }
    }
}

/// What is known of one contact's trust: their role (if recorded) and the two axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContactTrust {
    pub role: Option<BuyingRole>,
    pub personal: bool,
    pub organisational: bool,
}

impl ContactTrust {
    pub fn quadrant(&self) -> TrustQuadrant {
        TrustQuadrant::from_axes(self.personal, self.organisational)
    }
}

/// A customer's trust rolled up from its contacts (see [`roll_up`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerTrust {
    pub quadrant: TrustQuadrant,
    /// The axes the customer is still missing (empty for a partner).
    pub missing_axes: Vec<TrustAxis>,
    /// Each role at least one contact holds, with the best quadrant among them, in
    /// [`BuyingRole::ALL`] order.
    pub roles: Vec<(BuyingRole, TrustQuadrant)>,
    /// The roles no contact is recorded in: the gaps in "the six kinds of people".
    pub roles_missing: Vec<BuyingRole>,
}

impl CustomerTrust {
    /// The roles that are held but not yet partners, weakest first: where to work next.
    pub fn roles_short_of_partner(&self) -> Vec<BuyingRole> {
        let mut short: Vec<(BuyingRole, TrustQuadrant)> = self
            .roles
            .iter()
            .copied()
            .filter(|(_, q)| *q != TrustQuadrant::Partner)
            .collect();
        short.sort_by_key(|(r, q)| (q.rank(), *r));
        short.into_iter().map(|(r, _)| r).collect()
    }
}

/// Rolls contacts' trust up to the customer.
///
/// Seed 003: the organisation's trust is built on the combined trust of the six kinds of people
/// (与六类客户建立互信的总和，是与机构建立互信的基础). The rule:
///
/// 1. **Per role**, the best quadrant among the contacts holding it (by [`TrustQuadrant::rank`]:
///    outsider < supplier < friend < partner). Roles nobody holds are listed in `roles_missing`.
/// 2. **Personal axis** of the customer: served when any contact's personal interest is served,
///    role or not — there is someone inside who trusts us.
/// 3. **Organisational axis** of the customer: the organisation's interest is judged where the
///    organisation decides, so it is served when a decision maker's organisational interest is
///    served. Only while no decision maker is recorded does any contact's count (the best we
///    know). Recording a decision maker who is not yet convinced therefore *lowers* the
///    customer's quadrant: learning who really decides shows the deal is not won yet.
///
/// The customer's quadrant is [`TrustQuadrant::from_axes`] of those two axes; a customer with no
/// contacts is an outsider.
pub fn roll_up(contacts: &[ContactTrust]) -> CustomerTrust {
    let personal = contacts.iter().any(|c| c.personal);
    let deciders: Vec<&ContactTrust> = contacts
        .iter()
        .filter(|c| c.role == Some(BuyingRole::DecisionMaker))
        .collect();
    let organisational = if deciders.is_empty() {
        contacts.iter().any(|c| c.organisational)
    } else {
        deciders.iter().any(|c| c.organisational)
    };
    let quadrant = TrustQuadrant::from_axes(personal, organisational);

    let mut roles = Vec::new();
    let mut roles_missing = Vec::new();
    for role in BuyingRole::ALL {
        let best = contacts
            .iter()
            .filter(|c| c.role == Some(*role))
            .map(ContactTrust::quadrant)
            .max_by_key(TrustQuadrant::rank);
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;

    fn ct(role: Option<BuyingRole>, personal: bool, organisational: bool) -> ContactTrust {
        ContactTrust {
            role,
            personal,
            organisational,
        }
    }

    #[test]
    fn codes_round_trip() {
        assert_coded::<PersonalityType>();
        assert_coded::<BuyingRole>();
        assert_coded::<TrustQuadrant>();
        assert_coded::<TrustAxis>();
        assert_eq!(
            PersonalityType::ALL.map(|p| p.code()),
            [
                "composed",
                "indecisive",
                "boastful",
                "forthright",
                "talkative",
                "taciturn",
                "fault_finding",
                "insincere",
                "cold_arrogant",
                "impulsive",
                "resentful",
                "slippery"
            ]
        );
        assert_eq!(
            BuyingRole::ALL.map(|r| r.code()),
            [
                "decision_maker",
                "purchaser",
                "user",
                "technical_evaluator",
                "influencer",
                "gatekeeper"
            ]
        );
        assert_eq!(
            TrustQuadrant::ALL.map(|q| q.label(Lang::ZhCn)),
            ["局外人", "朋友", "供应商", "合作伙伴"]
        );
        assert_eq!(TrustAxis::Personal.label(Lang::ZhCn), "个人利益");
        assert_eq!(TrustAxis::Organisational.label(Lang::ZhCn), "组织利益");
    }

    #[test]
    fn every_personality_has_its_own_traits_and_approach_in_both_languages() {
        assert_eq!(PersonalityType::ALL.len(), 12);
        for lang in [Lang::ZhCn, Lang::En] {
            let mut seen = std::collections::HashSet::new();
            for p in PersonalityType::ALL {
                assert!(seen.insert(p.traits(lang)), "{p:?} traits repeat");
                assert!(seen.insert(p.approach(lang)), "{p:?} approach repeats");
            }
        }
        assert_eq!(PersonalityType::Composed.label(Lang::ZhCn), "从容不迫型");
        assert!(
            PersonalityType::Indecisive
                .approach(Lang::En)
                .contains("rush")
        );
        assert!(
            PersonalityType::FaultFinding
                .approach(Lang::ZhCn)
                .contains("请教")
        );
        assert!(
            PersonalityType::ColdArrogant
                .approach(Lang::ZhCn)
                .contains("熟人")
        );
    }

    #[test]
    fn low_key_responders_have_five_tactics_and_four_mistakes() {
        for lang in [Lang::ZhCn, Lang::En] {
            assert_eq!(low_key::tactics(lang).len(), 5);
            assert_eq!(low_key::mistakes(lang).len(), 4);
        }
        assert!(low_key::tactics(Lang::En)[0].contains("tomorrow"));
        assert_eq!(low_key::mistakes(Lang::ZhCn)[1], "把沉默当成反对");
    }

    #[test]
    fn quadrant_from_all_four_axis_combinations_names_the_missing_axes() {
        use TrustAxis::*;
        use TrustQuadrant::*;
        let cases = [
            (false, false, Outsider, vec![Personal, Organisational]),
            (true, false, Friend, vec![Organisational]),
            (false, true, Supplier, vec![Personal]),
            (true, true, Partner, vec![]),
        ];
        for (p, o, q, missing) in cases {
            assert_eq!(TrustQuadrant::from_axes(p, o), q);
            assert_eq!(q.personal(), p);
            assert_eq!(q.organisational(), o);
            assert_eq!(q.missing_axes(), missing, "{q:?}");
        }
        assert!(!Personal.advice(Lang::ZhCn).is_empty());
        assert!(Organisational.advice(Lang::En).contains("organisation"));
    }

    #[test]
    fn roll_up_of_nobody_is_an_outsider_missing_every_role() {
        let t = roll_up(&[]);
        assert_eq!(t.quadrant, TrustQuadrant::Outsider);
        assert_eq!(t.missing_axes.len(), 2);
        assert!(t.roles.is_empty());
        assert_eq!(t.roles_missing, BuyingRole::ALL.to_vec());
    }

    #[test]
    fn roll_up_needs_the_decision_maker_for_the_organisational_axis() {
        use BuyingRole::*;
        // The purchaser is convinced, the decision maker only likes us: a friend.
        let t = roll_up(&[
            ct(Some(DecisionMaker), true, false),
            ct(Some(Purchaser), false, true),
        ]);
        assert_eq!(t.quadrant, TrustQuadrant::Friend);
        assert_eq!(t.missing_axes, vec![TrustAxis::Organisational]);
        assert_eq!(
            t.roles,
            vec![
                (DecisionMaker, TrustQuadrant::Friend),
                (Purchaser, TrustQuadrant::Supplier)
            ]
        );
        assert_eq!(
            t.roles_missing,
            vec![User, TechnicalEvaluator, Influencer, Gatekeeper]
        );

        // The decision maker sees the organisation served, a user trusts us: partner.
        let t = roll_up(&[
            ct(Some(DecisionMaker), false, true),
            ct(Some(User), true, false),
        ]);
        assert_eq!(t.quadrant, TrustQuadrant::Partner);
        assert!(t.missing_axes.is_empty());

        // Two decision makers: one convinced is enough.
        let t = roll_up(&[
            ct(Some(DecisionMaker), false, false),
            ct(Some(DecisionMaker), false, true),
        ]);
        assert_eq!(t.quadrant, TrustQuadrant::Supplier);
        assert_eq!(t.roles, vec![(DecisionMaker, TrustQuadrant::Supplier)]);
    }

    #[test]
    fn without_a_recorded_decision_maker_any_contact_counts() {
        let t = roll_up(&[ct(None, false, true)]);
        assert_eq!(t.quadrant, TrustQuadrant::Supplier);
        assert!(t.roles.is_empty());
        let t = roll_up(&[
            ct(Some(BuyingRole::User), false, true),
            ct(None, true, false),
        ]);
        assert_eq!(t.quadrant, TrustQuadrant::Partner);
    }

    #[test]
    fn recording_an_unconvinced_decision_maker_lowers_the_customer() {
        let before = [ct(Some(BuyingRole::Purchaser), true, true)];
        assert_eq!(roll_up(&before).quadrant, TrustQuadrant::Partner);
        let after = [before[0], ct(Some(BuyingRole::DecisionMaker), false, false)];
        let t = roll_up(&after);
        assert_eq!(t.quadrant, TrustQuadrant::Friend);
        assert_eq!(t.roles_short_of_partner(), vec![BuyingRole::DecisionMaker]);
    }

    #[test]
    fn per_role_the_best_quadrant_wins_with_friend_above_supplier() {
        use BuyingRole::User;
        let best = |cs: &[ContactTrust]| roll_up(cs).roles[0].1;
        assert_eq!(
            best(&[ct(Some(User), false, true), ct(Some(User), true, false)]),
            TrustQuadrant::Friend
        );
        assert_eq!(
            best(&[ct(Some(User), true, false), ct(Some(User), false, true)]),
            TrustQuadrant::Friend
        );
        assert_eq!(
            best(&[ct(Some(User), false, false), ct(Some(User), false, true)]),
            TrustQuadrant::Supplier
        );
        assert_eq!(
            best(&[ct(Some(User), true, false), ct(Some(User), true, true)]),
            TrustQuadrant::Partner
        );
        let ranks: Vec<u8> = [
            TrustQuadrant::Outsider,
            TrustQuadrant::Supplier,
            TrustQuadrant::Friend,
            TrustQuadrant::Partner,
        ]
        .iter()
        .map(TrustQuadrant::rank)
        .collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
    }

    /// The rule restated as plainly as possible, to check `roll_up` against.
    fn expected(cs: &[ContactTrust]) -> CustomerTrust {
        let personal = cs.iter().any(|c| c.personal);
        let has_dm = cs.iter().any(|c| c.role == Some(BuyingRole::DecisionMaker));
        let organisational = cs
            .iter()
            .any(|c| c.organisational && (!has_dm || c.role == Some(BuyingRole::DecisionMaker)));
        let quadrant = TrustQuadrant::from_axes(personal, organisational);
        let mut roles = Vec::new();
        let mut roles_missing = Vec::new();
        for r in BuyingRole::ALL {
            let held: Vec<ContactTrust> =
                cs.iter().copied().filter(|c| c.role == Some(*r)).collect();
            if held.is_empty() {
                roles_missing.push(*r);
                continue;
            }
            let any_partner = held.iter().any(|c| c.personal && c.organisational);
            let any_friend = held.iter().any(|c| c.personal);
            let any_supplier = held.iter().any(|c| c.organisational);
            let q = if any_partner {
                TrustQuadrant::Partner
            } else if any_friend {
                TrustQuadrant::Friend
            } else if any_supplier {
                TrustQuadrant::Supplier
            } else {
                TrustQuadrant::Outsider
            };
            roles.push((*r, q));
        }
        CustomerTrust {
            quadrant,
            missing_axes: quadrant.missing_axes(),
            roles,
            roles_missing,
        }
    }

    #[test]
    fn roll_up_matches_the_rule_for_every_team_of_up_to_three_contacts() {
        let mut one = Vec::new();
        for role in std::iter::once(None).chain(BuyingRole::ALL.iter().copied().map(Some)) {
            for p in [false, true] {
                for o in [false, true] {
                    one.push(ct(role, p, o));
                }
            }
        }
        assert_eq!(one.len(), 28);
        let mut checked = 0;
        for a in &one {
            assert_eq!(roll_up(&[*a]), expected(&[*a]));
            for b in &one {
                assert_eq!(roll_up(&[*a, *b]), expected(&[*a, *b]));
                assert_eq!(
                    roll_up(&[*a, *b]),
                    roll_up(&[*b, *a]),
                    "order must not matter"
                );
                for c in &one {
                    let team = [*a, *b, *c];
                    let t = roll_up(&team);
                    assert_eq!(t, expected(&team));
                    assert_eq!(t, roll_up(&[*c, *a, *b]), "order must not matter");
                    // The customer can be no more than the sum of its people.
                    assert!(!t.quadrant.personal() || team.iter().any(|x| x.personal));
                    assert!(!t.quadrant.organisational() || team.iter().any(|x| x.organisational));
                    assert_eq!(t.roles.len() + t.roles_missing.len(), 6);
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 28 * 28 * 28);
    }

    #[test]
    fn trust_serialises_with_codes() {
        let t = roll_up(&[ct(Some(BuyingRole::User), true, false)]);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["quadrant"], "friend");
        assert_eq!(json["missing_axes"][0], "organisational");
        assert_eq!(json["roles"][0][0], "user");
        assert_eq!(json["roles_missing"][0], "decision_maker");
    }
}
