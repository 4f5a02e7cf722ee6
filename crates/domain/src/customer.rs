//! The customer archive 客户档案 (§1): customer kinds and classes, archive sections, their fields.

use std::collections::BTreeMap;

use crate::coded::coded_enum;
use crate::{FieldError, Lang};

coded_enum!(
    /// A customer is an organisation or a person.
    CustomerKind {
        Organization => "organization", "企业", "Organisation";
        Person => "person", "个人", "Person";
    }
);

coded_enum!(
    /// Customer value class (ABC analysis).
    CustomerClass {
        A => "A", "A 类", "Class A";
        B => "B", "B 类", "Class B";
        C => "C", "C 类", "Class C";
    }
);

coded_enum!(
    /// The five parts of the archive; each is confirmed (and goes stale) on its own.
    ArchiveSection {
        Basic => "basic", "基础资料", "Basic data";
        Characteristics => "characteristics", "客户特征", "Characteristics";
        Business => "business", "业务状况", "Business status";
        Trading => "trading", "交易现状", "Trading status";
        Research => "research", "客户调研", "Research";
    }
);

/// A section not confirmed for this many days shows as stale (*default*, admin setting).
pub const DEFAULT_STALE_DAYS: i64 = 180;

/// Longest text one archive field (or one competitor field) may hold, in characters.
pub const MAX_ARCHIVE_TEXT: usize = 4000;

/// Most competitors one archive lists: beyond this it is no longer research but a dump.
pub const MAX_COMPETITORS: usize = 50;

const DAY_MS: i64 = 86_400_000;

/// A section never confirmed, or confirmed more than `stale_days` ago, is stale.
/// "用重于管": an archive is only useful while it is current, so staleness is shown.
pub fn is_stale(confirmed_at_ms: Option<i64>, now_ms: i64, stale_days: i64) -> bool {
    match confirmed_at_ms {
        None => true,
        Some(t) => now_ms.saturating_sub(t) > stale_days.saturating_mul(DAY_MS),
    }
}

/// One field of an archive section: its storage key and its label in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FieldSpec {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Free prose (shown as a text area) rather than a short value.
    pub multiline: bool,
}

impl FieldSpec {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

const fn line(key: &'static str, zh: &'static str, en: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        zh,
        en,
        multiline: false,
    }
}

const fn prose(key: &'static str, zh: &'static str, en: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        zh,
        en,
        multiline: true,
    }
}

/// The same seven facts are kept for the owner, the manager and the legal representative.
macro_rules! person_fields {
    ($p:literal, $zh:literal, $en:literal) => {
        [
            line(
                concat!($p, ".name"),
                concat!($zh, "姓名"),
                concat!($en, ": name"),
            ),
            line(
                concat!($p, ".personality"),
                concat!($zh, "性格"),
                concat!($en, ": personality"),
            ),
            line(
                concat!($p, ".hobbies"),
                concat!($zh, "爱好"),
                concat!($en, ": hobbies"),
            ),
            line(
                concat!($p, ".family"),
                concat!($zh, "家庭"),
                concat!($en, ": family"),
            ),
            line(
                concat!($p, ".education"),
                concat!($zh, "学历"),
                concat!($en, ": education"),
            ),
            line(
                concat!($p, ".age"),
                concat!($zh, "年龄"),
                concat!($en, ": age"),
            ),
            line(
                concat!($p, ".ability"),
                concat!($zh, "能力"),
                concat!($en, ": ability"),
            ),
        ]
    };
}

const OWNER: [FieldSpec; 7] = person_fields!("owner", "所有者", "Owner");
const MANAGER: [FieldSpec; 7] = person_fields!("manager", "经营者", "Manager");
const LEGAL_REP: [FieldSpec; 7] = person_fields!("legal_rep", "法人代表", "Legal representative");

const BASIC: [FieldSpec; 24] = {
    let head = [
        line("org_form", "组织形式", "Organisation form"),
        line("business_type", "经营类型", "Business type"),
        line("assets", "资产", "Assets"),
    ];
    let mut all = [head[0]; 24];
    let mut i = 0;
    while i < 3 {
        all[i] = head[i];
        i += 1;
    }
    let mut j = 0;
    while j < 7 {
        all[3 + j] = OWNER[j];
        all[10 + j] = MANAGER[j];
        all[17 + j] = LEGAL_REP[j];
        j += 1;
    }
    all
};

const CHARACTERISTICS: &[FieldSpec] = &[
    line("service_region", "服务区域", "Service region"),
    line("growth_potential", "发展潜力", "Growth potential"),
    prose("philosophy", "经营理念", "Business philosophy"),
    prose("policy", "经营方针", "Business policy"),
    line("employees", "员工人数", "Employees"),
    line("annual_sales", "年销售额", "Annual sales"),
    prose("management_style", "管理风格", "Management style"),
];

const BUSINESS: &[FieldSpec] = &[
    prose("sales_now", "目前销售业绩", "Sales performance now"),
    prose("sales_before", "以往销售业绩", "Sales performance before"),
    prose("staff_quality", "人员素质", "Staff quality"),
    prose(
        "competitor_relations",
        "与竞争对手的关系",
        "Relations with our competitors",
    ),
    prose(
        "attitude_to_us",
        "与我方的关系及合作态度",
        "Relation and cooperation attitude towards us",
    ),
];

const TRADING: &[FieldSpec] = &[
    prose(
        "sales_activity",
        "客户自身的销售活动",
        "Its own sales activity",
    ),
    prose("problems", "存在的问题", "Problems"),
    prose("strengths", "优势", "Strengths"),
    prose("plans", "未来计划", "Plans"),
    line("credit_standing", "信用状况", "Credit standing"),
    prose("trading_terms", "交易条件", "Trading terms"),
    prose("credit_problems", "以往的信用问题", "Past credit problems"),
];

const RESEARCH: &[FieldSpec] = &[
    prose("demand_products", "需求的产品", "Products in demand"),
    prose("demand_varieties", "需求的品种", "Varieties in demand"),
    prose("demand_quantities", "需求的数量", "Quantities in demand"),
    prose(
        "demand_seasonality",
        "需求的特点与时间规律",
        "Seasonality and timing of demand",
    ),
    prose(
        "org_departments",
        "组织架构及分工",
        "Departments and their roles",
    ),
    line("org_decider", "谁做决策", "Who decides"),
    line("org_buyer", "谁负责采购", "Who buys"),
    prose(
        "purchasing_process",
        "采购方式与流程",
        "How purchasing works",
    ),
    prose("business_environment", "业务环境", "Business environment"),
];

impl ArchiveSection {
    /// Every field this section holds, in the order a form shows them.
    pub fn fields(&self) -> &'static [FieldSpec] {
        match self {
            ArchiveSection::Basic => &BASIC,
            ArchiveSection::Characteristics => CHARACTERISTICS,
            ArchiveSection::Business => BUSINESS,
            ArchiveSection::Trading => TRADING,
            ArchiveSection::Research => RESEARCH,
        }
    }

    pub fn field(&self, key: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.key == key)
    }
}

/// A competitor researched for this customer (§1 research: list, strengths and weaknesses,
/// their relations with the customer).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Competitor {
    pub name: String,
    pub strengths: String,
    pub weaknesses: String,
    pub relation: String,
}

impl Competitor {
    fn fields(&self) -> [(&'static str, &'static str, &'static str, &str); 4] {
        [
            ("name", "名称", "name", &self.name),
            ("strengths", "优势", "strengths", &self.strengths),
            ("weaknesses", "弱点", "weaknesses", &self.weaknesses),
            ("relation", "与客户的关系", "relation", &self.relation),
        ]
    }

    /// One line for a change history: "name｜strengths｜weaknesses｜relation".
    fn summary(&self) -> String {
        [
            self.name.as_str(),
            &self.strengths,
            &self.weaknesses,
            &self.relation,
        ]
        .join("｜")
    }
}

/// The archive's sections as field → text maps (keyed by section code, then field key),
/// plus the competitors researched. Absent and empty mean the same: nothing recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Archive {
    pub sections: BTreeMap<String, BTreeMap<String, String>>,
    pub competitors: Vec<Competitor>,
}

/// One field that differs between two versions of an archive, for the change history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArchiveChange {
    /// Section code; competitors count as research.
    pub section: String,
    /// Field key, or "competitors" for the competitor list.
    pub key: String,
    pub before: String,
    pub after: String,
}

impl Archive {
    /// The field's text, "" when nothing is recorded.
    pub fn get(&self, section: ArchiveSection, key: &str) -> &str {
        self.sections
            .get(section.code())
            .and_then(|s| s.get(key))
            .map_or("", String::as_str)
    }

    /// Sets a field, trimmed. An empty value removes the field (and an emptied section), so an
    /// archive edited back to its old content compares equal to it.
    pub fn set(&mut self, section: ArchiveSection, key: &str, value: &str) {
        let v = value.trim();
        if v.is_empty() {
            if let Some(map) = self.sections.get_mut(section.code()) {
                map.remove(key);
                if map.is_empty() {
                    self.sections.remove(section.code());
                }
            }
        } else {
            self.sections
                .entry(section.code().to_string())
                .or_default()
                .insert(key.to_string(), v.to_string());
        }
    }

    /// How many of the section's fields hold something, and how many it has.
    pub fn filled(&self, section: ArchiveSection) -> (usize, usize) {
        let fields = section.fields();
        let filled = fields
            .iter()
            .filter(|f| !self.get(section, f.key).is_empty())
            .count();
        (filled, fields.len())
    }

    pub fn is_empty(&self) -> bool {
        self.sections.values().all(BTreeMap::is_empty) && self.competitors.is_empty()
    }

    /// Refuses unknown sections and fields, texts over [`MAX_ARCHIVE_TEXT`] characters,
    /// nameless competitors and more than [`MAX_COMPETITORS`] of them. Reports every problem.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        for (sec, fields) in &self.sections {
            let Some(section) = ArchiveSection::from_code(sec) else {
                errs.push(FieldError::new(
                    format!("archive.{sec}"),
                    "unknown_section",
                    format!("档案没有「{sec}」这一部分"),
                    format!("the archive has no section \"{sec}\""),
                ));
                continue;
            };
            for (key, value) in fields {
                let field = format!("archive.{sec}.{key}");
                match section.field(key) {
                    None => errs.push(FieldError::new(
                        field,
                        "unknown_field",
                        format!("「{}」没有「{key}」这一项", section.label(Lang::ZhCn)),
                        format!("{} has no field \"{key}\"", section.label(Lang::En)),
                    )),
                    Some(spec) => {
                        if let Some(e) = too_long(&field, spec.zh, spec.en, value) {
                            errs.push(e);
                        }
                    }
                }
            }
        }
        if self.competitors.len() > MAX_COMPETITORS {
            errs.push(FieldError::new(
                "archive.competitors",
                "too_many",
                format!("竞争对手最多 {MAX_COMPETITORS} 个"),
                format!("at most {MAX_COMPETITORS} competitors"),
            ));
        }
        for (i, c) in self.competitors.iter().enumerate() {
            let n = i + 1;
            if c.name.trim().is_empty() {
                errs.push(FieldError::new(
                    format!("archive.competitors.{i}.name"),
                    "required",
                    format!("第 {n} 个竞争对手需要填写名称"),
                    format!("competitor {n} needs a name"),
                ));
            }
            for (key, zh, en, value) in c.fields() {
                let field = format!("archive.competitors.{i}.{key}");
                let zh = format!("第 {n} 个竞争对手的{zh}");
                let en = format!("competitor {n}: {en}");
                if let Some(e) = too_long(&field, &zh, &en, value) {
                    errs.push(e);
                }
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// Every field whose text differs from `after`, for the archive's change history.
    pub fn changes(&self, after: &Archive) -> Vec<ArchiveChange> {
        let mut out = Vec::new();
        let mut sections: Vec<&String> =
            self.sections.keys().chain(after.sections.keys()).collect();
        sections.sort();
        sections.dedup();
        for sec in sections {
            let empty = BTreeMap::new();
            let a = self.sections.get(sec).unwrap_or(&empty);
            let b = after.sections.get(sec).unwrap_or(&empty);
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let before = a.get(key).map_or("", String::as_str);
                let now = b.get(key).map_or("", String::as_str);
                if before != now {
                    out.push(ArchiveChange {
                        section: sec.clone(),
                        key: key.clone(),
                        before: before.to_string(),
                        after: now.to_string(),
                    });
                }
            }
        }
        if self.competitors != after.competitors {
            let list = |cs: &[Competitor]| {
                cs.iter()
                    .map(Competitor::summary)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            out.push(ArchiveChange {
                section: ArchiveSection::Research.code().to_string(),
                key: "competitors".to_string(),
                before: list(&self.competitors),
                after: list(&after.competitors),
            });
        }
        out
    }
}

fn too_long(field: &str, zh: &str, en: &str, value: &str) -> Option<FieldError> {
    (value.chars().count() > MAX_ARCHIVE_TEXT).then(|| {
        FieldError::new(
            field,
            "too_long",
            format!("「{zh}」最多 {MAX_ARCHIVE_TEXT} 个字"),
            format!("{en}: at most {MAX_ARCHIVE_TEXT} characters"),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;

    #[test]
    fn codes_round_trip() {
        assert_coded::<CustomerKind>();
        assert_coded::<CustomerClass>();
        assert_coded::<ArchiveSection>();
        assert_eq!(CustomerClass::A.code(), "A");
        assert_eq!(
            ArchiveSection::ALL.map(|s| s.label(Lang::ZhCn)),
            ["基础资料", "客户特征", "业务状况", "交易现状", "客户调研"]
        );
    }

    #[test]
    fn sections_are_stale_when_never_or_long_ago_confirmed() {
        let day = DAY_MS;
        let now = 1000 * day;
        assert!(is_stale(None, now, 180));
        assert!(!is_stale(Some(now), now, 180));
        assert!(!is_stale(Some(now - 180 * day), now, 180));
        assert!(is_stale(Some(now - 180 * day - 1), now, 180));
        // Confirmed "in the future" (a skewed clock) is fresh, not an overflow.
        assert!(!is_stale(Some(now + day), now, 180));
        assert!(!is_stale(Some(i64::MIN), i64::MAX, i64::MAX));
        assert_eq!(DEFAULT_STALE_DAYS, 180);
    }

    #[test]
    fn every_field_the_method_names_is_in_its_section() {
        let keys = |s: ArchiveSection| s.fields().iter().map(|f| f.key).collect::<Vec<_>>();
        let basic = keys(ArchiveSection::Basic);
        for k in ["org_form", "business_type", "assets"] {
            assert!(basic.contains(&k), "{k}");
        }
        for who in ["owner", "manager", "legal_rep"] {
            for fact in [
                "name",
                "personality",
                "hobbies",
                "family",
                "education",
                "age",
                "ability",
            ] {
                let k = format!("{who}.{fact}");
                assert!(basic.contains(&k.as_str()), "{k}");
            }
        }
        assert_eq!(basic.len(), 24);
        assert_eq!(
            keys(ArchiveSection::Characteristics),
            [
                "service_region",
                "growth_potential",
                "philosophy",
                "policy",
                "employees",
                "annual_sales",
                "management_style"
            ]
        );
        assert_eq!(
            keys(ArchiveSection::Business),
            [
                "sales_now",
                "sales_before",
                "staff_quality",
                "competitor_relations",
                "attitude_to_us"
            ]
        );
        assert_eq!(
            keys(ArchiveSection::Trading),
            [
                "sales_activity",
                "problems",
                "strengths",
                "plans",
                "credit_standing",
                "trading_terms",
                "credit_problems"
            ]
        );
        assert_eq!(
            keys(ArchiveSection::Research),
            [
                "demand_products",
                "demand_varieties",
                "demand_quantities",
                "demand_seasonality",
                "org_departments",
                "org_decider",
                "org_buyer",
                "purchasing_process",
                "business_environment"
            ]
        );
        // Keys are unique across the whole archive and every label exists in both languages.
        let mut all = std::collections::HashSet::new();
        for s in ArchiveSection::ALL {
            for f in s.fields() {
                assert!(all.insert(f.key), "duplicate {}", f.key);
                assert!(!f.label(Lang::ZhCn).is_empty() && f.label(Lang::En).is_ascii());
            }
        }
        assert_eq!(
            ArchiveSection::Basic
                .field("legal_rep.age")
                .unwrap()
                .label(Lang::ZhCn),
            "法人代表年龄"
        );
        assert_eq!(
            ArchiveSection::Basic
                .field("owner.hobbies")
                .unwrap()
                .label(Lang::En),
            "Owner: hobbies"
        );
    }

    #[test]
    fn set_get_and_remove() {
        let mut a = Archive::default();
        assert_eq!(a.get(ArchiveSection::Basic, "owner.hobbies"), "");
        a.set(ArchiveSection::Basic, "owner.hobbies", "  钓鱼 ");
        assert_eq!(a.get(ArchiveSection::Basic, "owner.hobbies"), "钓鱼");
        assert_eq!(a.filled(ArchiveSection::Basic), (1, 24));
        a.set(ArchiveSection::Basic, "owner.hobbies", " ");
        assert_eq!(a, Archive::default());
        assert!(a.is_empty());
        // Removing from a section that was never written is a no-op.
        a.set(ArchiveSection::Trading, "plans", "");
        assert!(a.sections.is_empty());
    }

    #[test]
    fn validation_refuses_unknown_keys_overlong_text_and_nameless_competitors() {
        let mut a = Archive::default();
        a.set(ArchiveSection::Basic, "owner.hobbies", "钓鱼");
        a.set(
            ArchiveSection::Trading,
            "problems",
            &"长".repeat(MAX_ARCHIVE_TEXT),
        );
        assert!(a.validate().is_ok());

        a.set(ArchiveSection::Basic, "shoe_size", "42");
        a.sections
            .entry("gossip".into())
            .or_default()
            .insert("x".into(), "y".into());
        a.set(
            ArchiveSection::Trading,
            "problems",
            &"长".repeat(MAX_ARCHIVE_TEXT + 1),
        );
        a.competitors.push(Competitor {
            name: " ".into(),
            weaknesses: "x".repeat(MAX_ARCHIVE_TEXT + 1),
            ..Default::default()
        });
        let errs = a.validate().unwrap_err();
        let got: Vec<(&str, &str)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("archive.basic.shoe_size", "unknown_field"),
                ("archive.gossip", "unknown_section"),
                ("archive.trading.problems", "too_long"),
                ("archive.competitors.0.name", "required"),
                ("archive.competitors.0.weaknesses", "too_long"),
            ]
        );
        assert!(errs[2].message(Lang::ZhCn).contains("存在的问题"));

        let many = Archive {
            competitors: vec![
                Competitor {
                    name: "甲".into(),
                    ..Default::default()
                };
                MAX_COMPETITORS + 1
            ],
            ..Default::default()
        };
        assert_eq!(many.validate().unwrap_err()[0].code, "too_many");
    }

    #[test]
    fn changes_name_every_field_that_differs() {
        let mut before = Archive::default();
        before.set(ArchiveSection::Basic, "assets", "100万");
        before.set(ArchiveSection::Trading, "plans", "扩张");
        let mut after = before.clone();
        assert!(before.changes(&after).is_empty());
        after.set(ArchiveSection::Basic, "assets", "200万");
        after.set(ArchiveSection::Trading, "plans", "");
        after.set(ArchiveSection::Research, "org_buyer", "王经理");
        after.competitors.push(Competitor {
            name: "某公司".into(),
            strengths: "便宜".into(),
            ..Default::default()
        });
        let ch = before.changes(&after);
        let got: Vec<(&str, &str, &str, &str)> = ch
            .iter()
            .map(|c| {
                (
                    c.section.as_str(),
                    c.key.as_str(),
                    c.before.as_str(),
                    c.after.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("basic", "assets", "100万", "200万"),
                ("research", "org_buyer", "", "王经理"),
                ("trading", "plans", "扩张", ""),
                ("research", "competitors", "", "某公司｜便宜｜｜"),
            ]
        );
    }

    #[test]
    fn archive_json_is_sections_and_competitors_and_tolerates_missing_parts() {
        let mut a = Archive::default();
        a.set(ArchiveSection::Basic, "assets", "100万");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"sections":{"basic":{"assets":"100万"}},"competitors":[]}"#
        );
        assert_eq!(serde_json::from_str::<Archive>(&json).unwrap(), a);
        assert_eq!(
            serde_json::from_str::<Archive>("{}").unwrap(),
            Archive::default()
        );
        let c: Archive = serde_json::from_str(r#"{"competitors":[{"name":"乙"}]}"#).unwrap();
        assert_eq!(c.competitors[0].name, "乙");
    }
}
