//! The customer archive 客户档案 (§1): kinds, classes, archive sections and their fields.

use std::collections::BTreeMap;

use crate::{FieldError, Lang};

crate::coded_enum!(CustomerKind {
    Organization => "organization", "企业", "Organisation";
    Person => "person", "个人", "Person";
});

crate::coded_enum!(CustomerClass {
    A => "A", "A 类", "Class A";
    B => "B", "B 类", "Class B";
    C => "C", "C 类", "Class C";
});

crate::coded_enum!(ArchiveSection {
    Basic => "basic", "基础资料", "Basic data";
    Characteristics => "characteristics", "客户特征", "Characteristics";
    Business => "business", "业务状况", "Business status";
    Trading => "trading", "交易现状", "Trading status";
    Research => "research", "客户调研", "Research";
});

pub const DEFAULT_STALE_DAYS: i64 = 180;

/// A section never confirmed, or confirmed longer ago than `stale_days`, is stale.
pub fn is_stale(confirmed_at_ms: Option<i64>, now_ms: i64, stale_days: i64) -> bool {
    match confirmed_at_ms {
        None => true,
        Some(t) => now_ms - t > stale_days * 86_400_000,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub multiline: bool,
}

impl FieldSpec {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn f(key: &'static str, zh: &'static str, en: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        zh,
        en,
        multiline: false,
    }
}
const fn m(key: &'static str, zh: &'static str, en: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        zh,
        en,
        multiline: true,
    }
}

const BASIC: &[FieldSpec] = &[
    f("org_form", "组织形式", "Organisation form"),
    f("business_type", "经营类型", "Business type"),
    f("assets", "资产", "Assets"),
    f("owner.name", "所有者姓名", "Owner: name"),
    f("owner.personality", "所有者性格", "Owner: personality"),
    f("owner.hobbies", "所有者爱好", "Owner: hobbies"),
    f("owner.family", "所有者家庭", "Owner: family"),
    f("owner.education", "所有者学历", "Owner: education"),
    f("owner.age", "所有者年龄", "Owner: age"),
    f("owner.ability", "所有者能力", "Owner: ability"),
    f("manager.name", "经营者姓名", "Manager: name"),
    f("manager.personality", "经营者性格", "Manager: personality"),
    f("manager.hobbies", "经营者爱好", "Manager: hobbies"),
    f("manager.family", "经营者家庭", "Manager: family"),
    f("manager.education", "经营者学历", "Manager: education"),
    f("manager.age", "经营者年龄", "Manager: age"),
    f("manager.ability", "经营者能力", "Manager: ability"),
    f(
        "legal_rep.name",
        "法人代表姓名",
        "Legal representative: name",
    ),
    f(
        "legal_rep.personality",
        "法人代表性格",
        "Legal representative: personality",
    ),
    f(
        "legal_rep.hobbies",
        "法人代表爱好",
        "Legal representative: hobbies",
    ),
    f(
        "legal_rep.family",
        "法人代表家庭",
        "Legal representative: family",
    ),
    f(
        "legal_rep.education",
        "法人代表学历",
        "Legal representative: education",
    ),
    f("legal_rep.age", "法人代表年龄", "Legal representative: age"),
    f(
        "legal_rep.ability",
        "法人代表能力",
        "Legal representative: ability",
    ),
];

const CHARACTERISTICS: &[FieldSpec] = &[
    f("service_region", "服务区域", "Service region"),
    f("growth_potential", "发展潜力", "Growth potential"),
    m("philosophy", "经营理念", "Business philosophy"),
    m("policy", "经营方针", "Business policy"),
    f("employees", "员工人数", "Employees"),
    f("annual_sales", "年销售额", "Annual sales"),
    m("management_style", "管理风格", "Management style"),
];

const BUSINESS: &[FieldSpec] = &[
    f("sales_now", "当前销售业绩", "Sales now"),
    f("sales_before", "以往销售业绩", "Sales before"),
    m("staff_quality", "人员素质", "Staff quality"),
    m(
        "competitor_relations",
        "与竞争对手的关系",
        "Relations with our competitors",
    ),
    m(
        "attitude_to_us",
        "与我方的关系及合作态度",
        "Relation and attitude to us",
    ),
];

const TRADING: &[FieldSpec] = &[
    m("sales_activity", "销售活动", "Its sales activity"),
    m("problems", "存在的问题", "Problems"),
    m("strengths", "优势", "Strengths"),
    m("plans", "未来计划", "Plans"),
    f("credit_standing", "信用状况", "Credit standing"),
    m("trading_terms", "交易条件", "Trading terms"),
    m("credit_problems", "以往信用问题", "Past credit problems"),
];

const RESEARCH: &[FieldSpec] = &[
    m("demand_products", "需求产品", "Products demanded"),
    f("demand_varieties", "需求品种", "Varieties"),
    f("demand_quantities", "需求数量", "Quantities"),
    m(
        "demand_seasonality",
        "需求季节性与时间",
        "Seasonality and timing",
    ),
    m("org_departments", "组织部门", "Departments"),
    f("org_decider", "决策者", "Who decides"),
    f("org_buyer", "采购者", "Who buys"),
    m("purchasing_process", "采购流程", "Purchasing process"),
    m("business_environment", "经营环境", "Business environment"),
];

impl ArchiveSection {
    pub fn fields(&self) -> &'static [FieldSpec] {
        match self {
            ArchiveSection::Basic => BASIC,
            ArchiveSection::Characteristics => CHARACTERISTICS,
            ArchiveSection::Business => BUSINESS,
            ArchiveSection::Trading => TRADING,
            ArchiveSection::Research => RESEARCH,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Competitor {
    pub name: String,
    pub strengths: String,
    pub weaknesses: String,
    pub relation: String,
}

/// The archive's sections as field → text maps, plus the competitors researched.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Archive {
    pub sections: BTreeMap<String, BTreeMap<String, String>>,
    pub competitors: Vec<Competitor>,
}

pub const MAX_ARCHIVE_TEXT: usize = 4000;

impl Archive {
    pub fn get(&self, section: ArchiveSection, key: &str) -> &str {
        self.sections
            .get(section.code())
            .and_then(|s| s.get(key))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Sets a field; an empty value removes it so "unchanged" compares equal.
    pub fn set(&mut self, section: ArchiveSection, key: &str, value: &str) {
        let v = value.trim();
        let map = self.sections.entry(section.code().to_string()).or_default();
        if v.is_empty() {
            map.remove(key);
        } else {
            map.insert(key.to_string(), v.to_string());
        }
        if map.is_empty() {
            self.sections.remove(section.code());
        }
    }

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        for (sec, fields) in &self.sections {
            let Some(section) = ArchiveSection::from_code(sec) else {
                errs.push(FieldError::new(
                    format!("archive.{sec}"),
                    "unknown_section",
                    format!("档案没有「{sec}」这一部分。"),
                    format!("The archive has no section \"{sec}\"."),
                ));
                continue;
            };
            for (key, value) in fields {
                let name = format!("archive.{sec}.{key}");
                match section.fields().iter().find(|f| f.key == key) {
                    None => errs.push(FieldError::new(
                        name,
                        "unknown_field",
                        format!("「{}」没有字段「{key}」。", section.label(Lang::ZhCn)),
                        format!("{} has no field \"{key}\".", section.label(Lang::En)),
                    )),
                    Some(spec) if value.chars().count() > MAX_ARCHIVE_TEXT => {
                        errs.push(FieldError::new(
                            name,
                            "too_long",
                            format!("「{}」最多 {MAX_ARCHIVE_TEXT} 个字符。", spec.zh),
                            format!(
                                "{} may have at most {MAX_ARCHIVE_TEXT} characters.",
                                spec.en
                            ),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        for (i, c) in self.competitors.iter().enumerate() {
            let total = c.name.chars().count()
                + c.strengths.chars().count()
                + c.weaknesses.chars().count()
                + c.relation.chars().count();
            if c.name.trim().is_empty() || total > MAX_ARCHIVE_TEXT {
                errs.push(FieldError::new(
                    format!("archive.competitors.{i}"),
                    "invalid_competitor",
                    format!(
                        "第 {} 个竞争对手需要名称，且内容不超过 {MAX_ARCHIVE_TEXT} 字。",
                        i + 1
                    ),
                    format!(
                        "Competitor {} needs a name and at most {MAX_ARCHIVE_TEXT} characters.",
                        i + 1
                    ),
                ));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_stale_when_never_or_long_ago_confirmed() {
        let day = 86_400_000;
        assert!(is_stale(None, 1000 * day, 180));
        assert!(!is_stale(Some(900 * day), 1000 * day, 180));
        assert!(is_stale(Some(819 * day), 1000 * day, 180));
    }

    #[test]
    fn archive_refuses_unknown_fields_and_overlong_text() {
        let mut a = Archive::default();
        a.set(ArchiveSection::Basic, "owner.hobbies", "钓鱼");
        assert_eq!(a.get(ArchiveSection::Basic, "owner.hobbies"), "钓鱼");
        assert!(a.validate().is_ok());
        a.sections
            .entry("basic".into())
            .or_default()
            .insert("shoe_size".into(), "42".into());
        let errs = a.validate().unwrap_err();
        assert_eq!(errs[0].field, "archive.basic.shoe_size");
        a.set(ArchiveSection::Basic, "shoe_size", "");
        a.set(
            ArchiveSection::Trading,
            "problems",
            &"长".repeat(MAX_ARCHIVE_TEXT + 1),
        );
        assert_eq!(a.validate().unwrap_err()[0].code, "too_long");
    }

    #[test]
    fn every_section_lists_fields() {
        for s in ArchiveSection::ALL {
            assert!(!s.fields().is_empty());
        }
        assert_eq!(
            ArchiveSection::Basic
                .fields()
                .iter()
                .filter(|f| f.key.ends_with(".personality"))
                .count(),
            3
        );
    }
}
