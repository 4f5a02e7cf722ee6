//! Which column of the file feeds which field of "customers with contacts".
//!
//! [`suggest_mapping`] guesses from the header texts; the user reviews and overrides the guess
//! in the mapping step (a [`Mapping`] round-trips through JSON), and [`validate_mapping`]
//! checks the result before any row is validated.

use serde::{Deserialize, Serialize};

use super::text::{half_width, is_blank_char};

/// A target field of the customer import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Kind,
    Class,
    Tags,
    Province,
    City,
    District,
    Address,
    Phone,
    Email,
    Wechat,
    Qq,
    Owner,
    FoundedOn,
    FirstTradeOn,
    ContactName,
    ContactTitle,
    ContactPhone,
    ContactEmail,
    ContactPersonality,
    ContactRole,
    ContactBirthday,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::Name,
        Field::Kind,
        Field::Class,
        Field::Tags,
        Field::Province,
        Field::City,
        Field::District,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::Wechat,
        Field::Qq,
        Field::Owner,
        Field::FoundedOn,
        Field::FirstTradeOn,
        Field::ContactName,
        Field::ContactTitle,
        Field::ContactPhone,
        Field::ContactEmail,
        Field::ContactPersonality,
        Field::ContactRole,
        Field::ContactBirthday,
    ];

    /// The customer-level fields (everything that is not about the contact person).
    pub const CUSTOMER: &'static [Field] = &[
        Field::Name,
        Field::Kind,
        Field::Class,
        Field::Tags,
        Field::Province,
        Field::City,
        Field::District,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::Wechat,
        Field::Qq,
        Field::Owner,
        Field::FoundedOn,
        Field::FirstTradeOn,
    ];

    /// The stable key, as in JSON and in [`RowError::field`](super::validate::RowError).
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kind => "kind",
            Field::Class => "class",
            Field::Tags => "tags",
            Field::Province => "province",
            Field::City => "city",
            Field::District => "district",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Wechat => "wechat",
            Field::Qq => "qq",
            Field::Owner => "owner",
            Field::FoundedOn => "founded_on",
            Field::FirstTradeOn => "first_trade_on",
            Field::ContactName => "contact_name",
            Field::ContactTitle => "contact_title",
            Field::ContactPhone => "contact_phone",
            Field::ContactEmail => "contact_email",
            Field::ContactPersonality => "contact_personality",
            Field::ContactRole => "contact_role",
            Field::ContactBirthday => "contact_birthday",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Field::Name => "客户名称",
            Field::Kind => "客户类型",
            Field::Class => "客户等级",
            Field::Tags => "标签",
            Field::Province => "省份",
            Field::City => "城市",
            Field::District => "区县",
            Field::Address => "地址",
            Field::Phone => "电话",
            Field::Email => "邮箱",
            Field::Wechat => "微信",
            Field::Qq => "QQ",
            Field::Owner => "负责人",
            Field::FoundedOn => "成立日期",
            Field::FirstTradeOn => "首次交易日期",
            Field::ContactName => "联系人",
            Field::ContactTitle => "职务",
            Field::ContactPhone => "联系人电话",
            Field::ContactEmail => "联系人邮箱",
            Field::ContactPersonality => "个性类型",
            Field::ContactRole => "角色",
            Field::ContactBirthday => "生日",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Field::Name => "Customer name",
            Field::Kind => "Kind",
            Field::Class => "Class",
            Field::Tags => "Tags",
            Field::Province => "Province",
            Field::City => "City",
            Field::District => "District",
            Field::Address => "Address",
            Field::Phone => "Phone",
            Field::Email => "Email",
            Field::Wechat => "WeChat",
            Field::Qq => "QQ",
            Field::Owner => "Owner",
            Field::FoundedOn => "Founded",
            Field::FirstTradeOn => "First trade",
            Field::ContactName => "Contact name",
            Field::ContactTitle => "Title",
            Field::ContactPhone => "Contact phone",
            Field::ContactEmail => "Contact email",
            Field::ContactPersonality => "Personality",
            Field::ContactRole => "Role",
            Field::ContactBirthday => "Birthday",
        }
    }

    pub fn is_contact(self) -> bool {
        !Field::CUSTOMER.contains(&self)
    }

    /// The rule the customer or contact form applies to this field's text, so an imported
    /// record can be edited and saved again as it is. Codes, dates and birthdays have none:
    /// their cells are parsed leniently into typed values instead.
    pub fn rule(self) -> Option<crate::validate::Field> {
        use crate::{contacts, customers};
        Some(match self {
            Field::Name => customers::NAME,
            Field::Tags => customers::TAGS,
            Field::Province => customers::PROVINCE,
            Field::City => customers::CITY,
            Field::District => customers::DISTRICT,
            Field::Address => customers::ADDRESS,
            Field::Phone => customers::PHONE,
            Field::Email => customers::EMAIL,
            Field::Wechat => customers::WECHAT,
            Field::Qq => customers::QQ,
            Field::ContactName => contacts::NAME,
            Field::ContactTitle => contacts::TITLE,
            Field::ContactPhone => contacts::PHONE,
            Field::ContactEmail => contacts::EMAIL,
            _ => return None,
        })
    }

    /// Most characters a value may have: its form's limit, else 1000.
    pub fn max_chars(self) -> usize {
        self.rule().map_or(1000, |r| r.max)
    }

    /// Header texts recognised for this field (compared after [`normalize_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Name => &[
                "客户名称",
                "公司名称",
                "客户",
                "名称",
                "客户名",
                "Customer",
                "Company",
                "Name",
                "Customer name",
                "Company name",
            ],
            Field::Kind => &["类型", "客户类型", "Kind", "Type", "Customer type"],
            Field::Class => &["客户等级", "等级", "分类", "客户分类", "Class", "Grade"],
            Field::Tags => &["标签", "Tags", "Tag"],
            Field::Province => &["省", "省份", "Province"],
            Field::City => &["市", "城市", "City"],
            Field::District => &["区", "县", "区县", "区/县", "District", "County"],
            Field::Address => &["地址", "详细地址", "Address"],
            Field::Phone => &["电话", "客户电话", "公司电话", "Phone", "Tel", "Telephone"],
            Field::Email => &["邮箱", "电子邮件", "电子邮箱", "Email", "E-mail", "Mail"],
            Field::Wechat => &["微信", "微信号", "WeChat"],
            Field::Qq => &["QQ", "QQ号"],
            Field::Owner => &[
                "负责人",
                "业务员",
                "销售",
                "Owner",
                "Sales rep",
                "Salesperson",
            ],
            Field::FoundedOn => &["成立日期", "成立时间", "Founded", "Founded on"],
            Field::FirstTradeOn => &["首次交易日期", "首次交易", "First trade", "First trade on"],
            Field::ContactName => &["联系人", "联系人姓名", "Contact", "Contact name"],
            Field::ContactTitle => &[
                "职务",
                "职位",
                "联系人职务",
                "Title",
                "Position",
                "Job title",
            ],
            Field::ContactPhone => &[
                "联系人电话",
                "手机",
                "手机号",
                "手机号码",
                "联系人手机",
                "Mobile",
                "Contact phone",
            ],
            Field::ContactEmail => &["联系人邮箱", "Contact email", "Contact e-mail"],
            Field::ContactPersonality => &[
                "个性类型",
                "个性",
                "性格",
                "Personality",
                "Personality type",
            ],
            Field::ContactRole => &["角色", "购买角色", "联系人角色", "Role", "Buying role"],
            Field::ContactBirthday => &["生日", "联系人生日", "Birthday"],
        }
    }
}

/// A header as compared with the aliases: half-width, lower case, without spaces, "-", "_",
/// a leading or trailing "*", a trailing "(必填)"/"（必填）" or ":".
pub fn normalize_header(header: &str) -> String {
    let mut s: String = half_width(header)
        .chars()
        .filter(|c| !is_blank_char(*c) && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    loop {
        let before = s.len();
        for suffix in ["(必填)", "(必填项)", "(required)", "*", ":"] {
            if let Some(rest) = s.strip_suffix(suffix) {
                s = rest.to_string();
            }
        }
        if let Some(rest) = s.strip_prefix('*') {
            s = rest.to_string();
        }
        if s.len() == before {
            return s;
        }
    }
}

/// The field a header text names, if any.
pub fn match_header(header: &str) -> Option<Field> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    Field::ALL
        .iter()
        .copied()
        .find(|f| f.aliases().iter().any(|a| normalize_header(a) == h))
}

/// How many cells of a row are known column headers (used to find the header row).
pub fn count_known_headers(cells: &[String]) -> usize {
    cells.iter().filter(|c| match_header(c).is_some()).count()
}

/// A column index given as an integer or a number with no fraction (`1.0`).
fn de_index<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    match crate::validate::de_whole(d)? {
        Some(i) => usize::try_from(i).map_err(serde::de::Error::custom),
        None => Err(serde::de::Error::custom("expected a column index")),
    }
}

/// One column of the file and the field it feeds (`None`: ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// 0-based column index into [`RawTable::headers`](super::read::RawTable) and row cells.
    #[serde(deserialize_with = "de_index")]
    pub index: usize,
    /// The header text, for showing; matching uses `index`.
    pub header: String,
    pub field: Option<Field>,
}

/// The mapping of every column: the mapping step shows it and the user may change it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<ColumnMapping>,
}

impl Mapping {
    /// The column that feeds `field`, if any (the first, should a hand-made mapping repeat it).
    pub fn column_of(&self, field: Field) -> Option<&ColumnMapping> {
        self.columns.iter().find(|c| c.field == Some(field))
    }

    /// The columns no field takes.
    pub fn ignored(&self) -> Vec<&ColumnMapping> {
        self.columns.iter().filter(|c| c.field.is_none()).collect()
    }

    /// Points column `index` at `field` (or ignores it), taking the field away from any other
    /// column so each field stays mapped at most once. Unknown indexes are ignored.
    pub fn set(&mut self, index: usize, field: Option<Field>) {
        if let Some(f) = field {
            for c in &mut self.columns {
                if c.field == Some(f) {
                    c.field = None;
                }
            }
        }
        if let Some(c) = self.columns.iter_mut().find(|c| c.index == index) {
            c.field = field;
        }
    }
}

/// Guesses the field of each column from its header; each field is taken by its first column.
pub fn suggest_mapping(headers: &[String]) -> Mapping {
    let mut taken = Vec::new();
    let columns = headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let field = match_header(header).filter(|f| !taken.contains(f));
            if let Some(f) = field {
                taken.push(f);
            }
            ColumnMapping {
                index,
                header: header.clone(),
                field,
            }
        })
        .collect();
    Mapping { columns }
}

/// What is wrong with a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum MappingError {
    /// No column feeds a required field.
    #[error("no column is mapped to {}", field.label_en())]
    Required { field: Field },
    /// Two columns feed the same field.
    #[error("{} is mapped from more than one column", field.label_en())]
    DuplicateField { field: Field, columns: Vec<usize> },
    /// Two entries name the same column.
    #[error("column {index} is mapped twice")]
    DuplicateColumn { index: usize },
}

impl MappingError {
    pub fn code(&self) -> &'static str {
        match self {
            MappingError::Required { .. } => "required",
            MappingError::DuplicateField { .. } => "duplicate_field",
            MappingError::DuplicateColumn { .. } => "duplicate_column",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            MappingError::Required {
                field: Field::ContactName,
            } => {
                "已选择联系人相关的列，但没有列对应「联系人」：请指定联系人姓名所在的列".to_string()
            }
            MappingError::Required { field } => {
                format!("没有列对应「{}」：这是必填字段，请指定", field.label_zh())
            }
            MappingError::DuplicateField { field, columns } => format!(
                "「{}」对应了多个列（第 {} 列）：每个字段只能对应一列",
                field.label_zh(),
                join_columns(columns)
            ),
            MappingError::DuplicateColumn { index } => format!("第 {} 列被设置了两次", index + 1),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            MappingError::Required { field: Field::ContactName } => {
                "Contact columns are mapped but none is mapped to Contact name: choose the column with the contact's name"
                    .to_string()
            }
            MappingError::Required { field } => {
                format!("No column is mapped to {}: it is required, please choose one", field.label_en())
            }
            MappingError::DuplicateField { field, columns } => format!(
                "{} is mapped from several columns ({}): a field takes one column",
                field.label_en(),
                join_columns(columns)
            ),
            MappingError::DuplicateColumn { index } => format!("Column {} is mapped twice", index + 1),
        }
    }
}

fn join_columns(columns: &[usize]) -> String {
    columns
        .iter()
        .map(|c| (c + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The customer name must be mapped; contact columns need the contact name; no field or
/// column twice.
pub fn validate_mapping(mapping: &Mapping) -> Result<(), Vec<MappingError>> {
    let mut errors = Vec::new();
    let mut seen_columns = Vec::new();
    for c in &mapping.columns {
        if seen_columns.contains(&c.index) {
            if !errors.contains(&MappingError::DuplicateColumn { index: c.index }) {
                errors.push(MappingError::DuplicateColumn { index: c.index });
            }
        } else {
            seen_columns.push(c.index);
        }
    }
    for &field in Field::ALL {
        let columns: Vec<usize> = mapping
            .columns
            .iter()
            .filter(|c| c.field == Some(field))
            .map(|c| c.index)
            .collect();
        if columns.len() > 1 {
            errors.push(MappingError::DuplicateField { field, columns });
        }
    }
    if mapping.column_of(Field::Name).is_none() {
        errors.push(MappingError::Required { field: Field::Name });
    }
    let any_contact = mapping
        .columns
        .iter()
        .any(|c| c.field.is_some_and(Field::is_contact));
    if any_contact && mapping.column_of(Field::ContactName).is_none() {
        errors.push(MappingError::Required {
            field: Field::ContactName,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_headers_with_marks_and_full_width_map() {
        let m = suggest_mapping(&headers(&[
            "客户名称*",
            "类型",
            "ＱＱ",
            "电话（必填）",
            "联系人",
            "手机",
            "备注",
            "个性类型",
            "角色",
            "生日",
        ]));
        let f: Vec<Option<Field>> = m.columns.iter().map(|c| c.field).collect();
        assert_eq!(
            f,
            vec![
                Some(Field::Name),
                Some(Field::Kind),
                Some(Field::Qq),
                Some(Field::Phone),
                Some(Field::ContactName),
                Some(Field::ContactPhone),
                None,
                Some(Field::ContactPersonality),
                Some(Field::ContactRole),
                Some(Field::ContactBirthday),
            ]
        );
        assert_eq!(m.ignored().len(), 1);
        assert_eq!(m.ignored()[0].header, "备注");
        assert!(validate_mapping(&m).is_ok());
    }

    #[test]
    fn english_headers_ignore_case_and_spaces() {
        let m = suggest_mapping(&headers(&[
            "COMPANY",
            "e-mail",
            "Sales Rep",
            "contact name",
            "Contact Phone",
            "Tel",
        ]));
        let f: Vec<Option<Field>> = m.columns.iter().map(|c| c.field).collect();
        assert_eq!(
            f,
            vec![
                Some(Field::Name),
                Some(Field::Email),
                Some(Field::Owner),
                Some(Field::ContactName),
                Some(Field::ContactPhone),
                Some(Field::Phone)
            ]
        );
    }

    #[test]
    fn each_field_is_taken_once() {
        let m = suggest_mapping(&headers(&["客户名称", "名称", "电话"]));
        assert_eq!(m.columns[0].field, Some(Field::Name));
        assert_eq!(m.columns[1].field, None);
    }

    #[test]
    fn overriding_and_checking() {
        let mut m = suggest_mapping(&headers(&["单位", "联系人电话"]));
        assert_eq!(
            validate_mapping(&m),
            Err(vec![
                MappingError::Required { field: Field::Name },
                MappingError::Required {
                    field: Field::ContactName
                }
            ])
        );
        m.set(0, Some(Field::Name));
        m.set(1, Some(Field::Phone));
        assert!(validate_mapping(&m).is_ok());
        m.columns[1].field = Some(Field::Name);
        let errs = validate_mapping(&m).unwrap_err();
        assert_eq!(errs[0].code(), "duplicate_field");
        assert!(errs[0].message_zh().contains("第 1, 2 列"));
        // The mapping round-trips through JSON (the mapping step).
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"field\":\"name\""));
        assert_eq!(serde_json::from_str::<Mapping>(&json).unwrap(), m);
    }

    #[test]
    fn keys_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_key(f.key()), Some(*f));
            assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(f.key()));
        }
    }
}
