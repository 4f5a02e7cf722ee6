//! Checking every row of a [`RawTable`] against a [`Mapping`] and grouping rows into customers
//! with contacts. Nothing here touches the database: the import service commits a clean
//! [`ImportPlan`] (all or nothing) and checks duplicates against existing customers.
//!
//! Rows naming the same customer (case-, width- and space-insensitive) are one customer with
//! several contacts as long as the later rows' customer fields agree or are blank; a different
//! non-blank value is a `duplicate_customer` error naming the row the first value came from.
//! A row with any error contributes nothing to the plan.
//!
//! Error codes: `required`, `too_long`, `invalid_phone`, `invalid_email`, `invalid_kind`,
//! `invalid_class`, `invalid_date`, `invalid_personality`, `invalid_role`, `invalid_birthday`,
//! `duplicate_customer`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use huike_domain::contact_info::{normalize_email, normalize_phone};
use huike_domain::{Birthday, BuyingRole, CustomerClass, CustomerKind, Lang, PersonalityType};
use serde::{Deserialize, Serialize};

use super::mapping::{Field, Mapping};
use super::read::{RawRow, RawTable};
use super::text::{clean, excerpt, fold_key, half_width, longer_than};
use crate::validate::{Checker, TextKind};

/// Values in errors are cut to this many characters.
pub const ERROR_VALUE_CHARS: usize = 50;
/// The progress callback is called after this many rows (and once at the end).
pub const PROGRESS_EVERY: usize = 1000;

/// A customer to create, with the contacts found for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportCustomer {
    pub name: String,
    /// Organisation unless the file says otherwise.
    pub kind: CustomerKind,
    pub class: Option<CustomerClass>,
    pub tags: Vec<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    /// Normalised by `huike_domain::contact_info::normalize_phone`.
    pub phone: Option<String>,
    /// Normalised by `huike_domain::contact_info::normalize_email`.
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub qq: Option<String>,
    /// A username, as written; the import service resolves it.
    pub owner: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub first_trade_on: Option<NaiveDate>,
    pub contacts: Vec<ImportContact>,
    /// Every row this customer was read from (1-based, as in Excel).
    pub source_rows: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportContact {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub personality: Option<PersonalityType>,
    pub role: Option<BuyingRole>,
    pub birthday: Option<Birthday>,
    /// The row the contact was read from.
    pub source_row: usize,
}

/// One problem with one field of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based row number, as the user sees it in Excel.
    pub row: usize,
    /// The header text of the column, when the error is about a column.
    pub column: Option<String>,
    /// The field key, e.g. "phone" (see [`Field::key`]).
    pub field: String,
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
    /// The offending value, cut to about 50 characters.
    pub value: String,
}

/// The outcome of validating a file: what would be created, and every row error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportPlan {
    pub customers: Vec<ImportCustomer>,
    /// In row order.
    pub errors: Vec<RowError>,
    /// Non-blank data rows read.
    pub rows_read: usize,
}

impl ImportPlan {
    /// No errors: the import service may commit it.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn contact_count(&self) -> usize {
        self.customers.iter().map(|c| c.contacts.len()).sum()
    }

    /// How many distinct rows have at least one error.
    pub fn error_row_count(&self) -> usize {
        let mut rows: Vec<usize> = self.errors.iter().map(|e| e.row).collect();
        rows.dedup();
        rows.len()
    }
}

/// Validates every row. Call [`validate_mapping`](super::mapping::validate_mapping) first:
/// with no name column every row is a `required` error.
pub fn validate_rows(table: &RawTable, mapping: &Mapping) -> ImportPlan {
    validate_rows_with_progress(table, mapping, &|_, _| {})
}

/// [`validate_rows`], calling `progress(rows_done, rows_total)` every [`PROGRESS_EVERY`] rows
/// and once at the end, so a job can report how far a large file has got.
pub fn validate_rows_with_progress(
    table: &RawTable,
    mapping: &Mapping,
    progress: &dyn Fn(usize, usize),
) -> ImportPlan {
    let total = table.rows.len();
    let mut v = Validator::new(&table.headers, mapping);
    for (i, row) in table.rows.iter().enumerate() {
        v.push(row);
        if (i + 1) % PROGRESS_EVERY == 0 && i + 1 < total {
            progress(i + 1, total);
        }
    }
    progress(total, total);
    v.finish()
}

/// A customer-level value as compared between rows of the same customer.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Kind(CustomerKind),
    Class(CustomerClass),
    Tags(Vec<String>),
    Date(NaiveDate),
}

impl Value {
    fn agrees(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => fold_key(a) == fold_key(b),
            (Value::Tags(a), Value::Tags(b)) => {
                let key = |t: &[String]| {
                    let mut k: Vec<String> = t.iter().map(|s| fold_key(s)).collect();
                    k.sort();
                    k
                };
                key(a) == key(b)
            }
            _ => self == other,
        }
    }

    fn display(&self) -> String {
        match self {
            Value::Text(s) => excerpt(s, ERROR_VALUE_CHARS),
            Value::Kind(k) => k.label(Lang::ZhCn).to_string(),
            Value::Class(c) => c.code().to_string(),
            Value::Tags(t) => excerpt(&t.join("、"), ERROR_VALUE_CHARS),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

struct Group {
    name: String,
    /// Customer field → (value, the row it came from).
    values: BTreeMap<Field, (Value, usize)>,
    contacts: Vec<ImportContact>,
    source_rows: Vec<usize>,
}

/// Row-by-row validation, for callers that stream rows themselves.
pub struct Validator {
    /// (field, column index, header text) for every mapped column.
    columns: Vec<(Field, usize, String)>,
    groups: Vec<Group>,
    by_key: HashMap<String, usize>,
    errors: Vec<RowError>,
    rows_read: usize,
}

impl Validator {
    pub fn new(headers: &[String], mapping: &Mapping) -> Validator {
        let mut columns: Vec<(Field, usize, String)> = Vec::new();
        for c in &mapping.columns {
            if let Some(f) = c.field
                && columns.iter().all(|(g, _, _)| *g != f)
            {
                let header = headers
                    .get(c.index)
                    .filter(|h| !h.is_empty())
                    .unwrap_or(&c.header)
                    .clone();
                columns.push((f, c.index, header));
            }
        }
        Validator {
            columns,
            groups: Vec::new(),
            by_key: HashMap::new(),
            errors: Vec::new(),
            rows_read: 0,
        }
    }

    /// Validates one row and adds it to its customer.
    pub fn push(&mut self, row: &RawRow) {
        self.rows_read += 1;
        let mut r = RowCheck {
            row: row.row_number,
            columns: &self.columns,
            errors: Vec::new(),
            cells: row,
        };
        if self
            .columns
            .iter()
            .all(|(_, i, _)| clean(row.cell(*i)).is_empty())
        {
            return;
        }

        let name = r.text(Field::Name);
        if name.is_none() && r.raw(Field::Name).is_empty() {
            r.error(Field::Name, "required", "", &Msg::Required);
        }
        let mut values: Vec<(Field, Value)> = Vec::new();
        for &field in &Field::CUSTOMER[1..] {
            if let Some(v) = r.customer_value(field) {
                values.push((field, v));
            }
        }
        let contact = r.contact();

        let Some(name) = name else {
            self.errors.append(&mut r.errors);
            return;
        };
        let key = fold_key(&name);
        match self.by_key.get(&key) {
            Some(&gi) => {
                let group = &self.groups[gi];
                for (field, value) in &values {
                    if let Some((earlier, earlier_row)) = group.values.get(field)
                        && !earlier.agrees(value)
                    {
                        let msg = Msg::Conflict {
                            earlier_row: *earlier_row,
                            name: excerpt(&group.name, ERROR_VALUE_CHARS),
                            earlier: earlier.display(),
                            later: value.display(),
                        };
                        r.error(*field, "duplicate_customer", &value.display(), &msg);
                    }
                }
                if r.errors.is_empty() {
                    let group = &mut self.groups[gi];
                    for (field, value) in values {
                        group.values.entry(field).or_insert((value, row.row_number));
                    }
                    group.source_rows.push(row.row_number);
                    if let Some(c) = contact {
                        add_contact(&mut group.contacts, c);
                    }
                }
            }
            None => {
                if r.errors.is_empty() {
                    self.by_key.insert(key, self.groups.len());
                    self.groups.push(Group {
                        name,
                        values: values
                            .into_iter()
                            .map(|(f, v)| (f, (v, row.row_number)))
                            .collect(),
                        contacts: contact.into_iter().collect(),
                        source_rows: vec![row.row_number],
                    });
                }
            }
        }
        self.errors.append(&mut r.errors);
    }

    pub fn finish(self) -> ImportPlan {
        let customers = self.groups.into_iter().map(Group::into_customer).collect();
        ImportPlan {
            customers,
            errors: self.errors,
            rows_read: self.rows_read,
        }
    }
}

/// Exact repeats of a contact (the same row twice) are kept once.
fn add_contact(contacts: &mut Vec<ImportContact>, c: ImportContact) {
    let same = |a: &ImportContact| {
        fold_key(&a.name) == fold_key(&c.name)
            && a.title == c.title
            && a.phone == c.phone
            && a.email == c.email
            && a.personality == c.personality
            && a.role == c.role
            && a.birthday == c.birthday
    };
    if !contacts.iter().any(same) {
        contacts.push(c);
    }
}

impl Group {
    fn into_customer(self) -> ImportCustomer {
        let mut v = self.values;
        let mut text = |f: Field| match v.remove(&f) {
            Some((Value::Text(s), _)) => Some(s),
            _ => None,
        };
        let province = text(Field::Province);
        let city = text(Field::City);
        let district = text(Field::District);
        let address = text(Field::Address);
        let phone = text(Field::Phone);
        let email = text(Field::Email);
        let wechat = text(Field::Wechat);
        let qq = text(Field::Qq);
        let owner = text(Field::Owner);
        let mut date = |f: Field| match v.remove(&f) {
            Some((Value::Date(d), _)) => Some(d),
            _ => None,
        };
        let founded_on = date(Field::FoundedOn);
        let first_trade_on = date(Field::FirstTradeOn);
        let kind = match v.remove(&Field::Kind) {
            Some((Value::Kind(k), _)) => k,
            _ => CustomerKind::Organization,
        };
        let class = match v.remove(&Field::Class) {
            Some((Value::Class(c), _)) => Some(c),
            _ => None,
        };
        let tags = match v.remove(&Field::Tags) {
            Some((Value::Tags(t), _)) => t,
            _ => Vec::new(),
        };
        ImportCustomer {
            name: self.name,
            kind,
            class,
            tags,
            province,
            city,
            district,
            address,
            phone,
            email,
            wechat,
            qq,
            owner,
            founded_on,
            first_trade_on,
            contacts: self.contacts,
            source_rows: self.source_rows,
        }
    }
}

/// The checks of one row.
struct RowCheck<'r> {
    row: usize,
    columns: &'r [(Field, usize, String)],
    cells: &'r RawRow,
    errors: Vec<RowError>,
}

impl RowCheck<'_> {
    fn raw(&self, field: Field) -> &str {
        self.columns
            .iter()
            .find(|(f, _, _)| *f == field)
            .map_or("", |(_, i, _)| clean(self.cells.cell(*i)))
    }

    fn error(&mut self, field: Field, code: &str, value: &str, msg: &Msg) {
        let column = self
            .columns
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, _, h)| h.clone());
        let value = excerpt(value, ERROR_VALUE_CHARS);
        let (zh, en) = msg.render(&value);
        self.errors.push(RowError {
            row: self.row,
            column,
            field: field.key().to_string(),
            code: code.to_string(),
            message_zh: format!("第 {} 行「{}」: {zh}", self.row, field.label_zh()),
            message_en: format!("Row {}, {}: {en}", self.row, field.label_en()),
            value,
        });
    }

    /// The trimmed text of a field; `None` when blank. A field the forms have a rule for is
    /// checked by that very rule (length, control characters, QQ digits), its refusal
    /// reported with the rule's code and reason; phones and e-mails are then parsed below.
    fn text(&mut self, field: Field) -> Option<String> {
        let raw = self.raw(field);
        if raw.is_empty() {
            return None;
        }
        if let Some(rule) = field.rule() {
            // Blank names are reported by the row (a contact's differently); phones and
            // e-mails by their parsers, whose messages quote the value.
            let rule = crate::validate::Field {
                required: false,
                kind: match rule.kind {
                    TextKind::Phone | TextKind::Email => TextKind::Plain,
                    k => k,
                },
                ..rule
            };
            let mut ck = Checker::new();
            let checked = ck.check(rule, raw);
            let problems = ck.into_errors();
            if problems.is_empty() {
                return Some(checked);
            }
            let raw = raw.to_string();
            for p in problems {
                self.error(field, p.code, &raw, &Msg::Rule(p.message_zh, p.message_en));
            }
            return None;
        }
        if longer_than(raw, field.max_chars()) {
            let chars = raw.chars().count();
            let raw = raw.to_string();
            self.error(
                field,
                "too_long",
                &raw,
                &Msg::TooLong {
                    chars,
                    max: field.max_chars(),
                },
            );
            return None;
        }
        Some(raw.to_string())
    }

    /// Parses a non-blank field with `parse`; a failure is a `code` error with `msg`.
    fn parsed<T>(
        &mut self,
        field: Field,
        code: &str,
        parse: impl Fn(&str) -> Result<T, Msg>,
    ) -> Option<T> {
        let s = self.text(field)?;
        match parse(&s) {
            Ok(v) => Some(v),
            Err(msg) => {
                self.error(field, code, &s, &msg);
                None
            }
        }
    }

    fn customer_value(&mut self, field: Field) -> Option<Value> {
        match field {
            Field::Kind => self
                .parsed(field, "invalid_kind", parse_kind)
                .map(Value::Kind),
            Field::Class => self
                .parsed(field, "invalid_class", parse_class)
                .map(Value::Class),
            Field::Tags => self
                .text(field)
                .map(|s| Value::Tags(split_tags(&s)))
                .filter(|v| *v != Value::Tags(Vec::new())),
            Field::Phone => self
                .parsed(field, "invalid_phone", parse_phone)
                .map(Value::Text),
            Field::Email => self
                .parsed(field, "invalid_email", parse_email)
                .map(Value::Text),
            Field::FoundedOn | Field::FirstTradeOn => self
                .parsed(field, "invalid_date", parse_date)
                .map(Value::Date),
            _ => self.text(field).map(Value::Text),
        }
    }

    /// The contact of this row, if any contact field is filled in.
    fn contact(&mut self) -> Option<ImportContact> {
        let any = Field::ALL
            .iter()
            .filter(|f| f.is_contact())
            .any(|f| !self.raw(*f).is_empty());
        if !any {
            return None;
        }
        let name = self.text(Field::ContactName);
        if name.is_none() && self.raw(Field::ContactName).is_empty() {
            self.error(Field::ContactName, "required", "", &Msg::ContactRequired);
        }
        let title = self.text(Field::ContactTitle);
        let phone = self.parsed(Field::ContactPhone, "invalid_phone", parse_phone);
        let email = self.parsed(Field::ContactEmail, "invalid_email", parse_email);
        let personality = self.parsed(
            Field::ContactPersonality,
            "invalid_personality",
            parse_personality,
        );
        let role = self.parsed(Field::ContactRole, "invalid_role", parse_role);
        let birthday = self.parsed(Field::ContactBirthday, "invalid_birthday", parse_birthday);
        Some(ImportContact {
            name: name?,
            title,
            phone,
            email,
            personality,
            role,
            birthday,
            source_row: self.row,
        })
    }
}

/// Why a value is wrong; rendered with the (cut) value into both languages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Msg {
    /// A form rule's own reason (zh, en), as the form would give it.
    Rule(String, String),
    Required,
    ContactRequired,
    TooLong {
        chars: usize,
        max: usize,
    },
    Phone,
    Email,
    Kind,
    Class,
    Date,
    Personality,
    Role,
    Birthday {
        reason_zh: Option<&'static str>,
        reason_en: Option<&'static str>,
    },
    Conflict {
        earlier_row: usize,
        name: String,
        earlier: String,
        later: String,
    },
}

impl Msg {
    fn render(&self, v: &str) -> (String, String) {
        match self {
            Msg::Rule(zh, en) => (zh.clone(), en.clone()),
            Msg::Required => ("不能为空".into(), "is required but empty".into()),
            Msg::ContactRequired => (
                "这一行填写了联系人信息，但没有联系人姓名".into(),
                "the row has contact details but no contact name".into(),
            ),
            Msg::TooLong { chars, max } => (
                format!("内容有 {chars} 个字符，超过上限 {max} 个字符"),
                format!("{chars} characters, more than the limit of {max}"),
            ),
            Msg::Phone => (
                format!("「{v}」不是有效的手机号或座机号（例如 13812345678 或 010-12345678）"),
                format!(
                    "\"{v}\" is not a valid mobile or landline number (e.g. 13812345678 or 010-12345678)"
                ),
            ),
            Msg::Email => (
                format!("「{v}」不是有效的邮箱地址"),
                format!("\"{v}\" is not a valid email address"),
            ),
            Msg::Kind => (
                format!("「{v}」不是有效的客户类型，应为「企业」或「个人」"),
                format!(
                    "\"{v}\" is not a customer kind: use \"organization\" (企业) or \"person\" (个人)"
                ),
            ),
            Msg::Class => (
                format!("「{v}」不是有效的客户等级，应为 A、B 或 C"),
                format!("\"{v}\" is not a customer class: use A, B or C"),
            ),
            Msg::Date => (
                format!("「{v}」不是有效的日期，应为 YYYY-MM-DD（例如 2020-05-03）"),
                format!("\"{v}\" is not a valid date: use YYYY-MM-DD (e.g. 2020-05-03)"),
            ),
            Msg::Personality => (
                format!(
                    "「{v}」不是已知的个性类型，应为：{}",
                    PersonalityType::ALL
                        .iter()
                        .map(|p| p.label(Lang::ZhCn))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!(
                    "\"{v}\" is not a known personality type; use one of: {}",
                    PersonalityType::ALL
                        .iter()
                        .map(|p| p.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Msg::Role => (
                format!(
                    "「{v}」不是已知的购买角色，应为：{}",
                    BuyingRole::ALL
                        .iter()
                        .map(|p| p.label(Lang::ZhCn))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!(
                    "\"{v}\" is not a known buying role; use one of: {}",
                    BuyingRole::ALL
                        .iter()
                        .map(|p| p.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Msg::Birthday {
                reason_zh,
                reason_en,
            } => {
                let zh = format!(
                    "「{v}」不是有效的生日{}（例如 1980-05-03、05-03、农历八月十五、农历1980-08-15）",
                    reason_zh.map(|r| format!("：{r}")).unwrap_or_default()
                );
                let en = format!(
                    "\"{v}\" is not a valid birthday{} (e.g. 1980-05-03, 05-03, 农历八月十五, lunar 8/15, lunar 1980-08-15)",
                    reason_en.map(|r| format!(": {r}")).unwrap_or_default()
                );
                (zh, en)
            }
            Msg::Conflict {
                earlier_row,
                name,
                earlier,
                later,
            } => (
                format!(
                    "客户「{name}」在第 {earlier_row} 行已出现，但此处的值「{later}」与第 {earlier_row} 行的「{earlier}」不同"
                ),
                format!(
                    "customer \"{name}\" already appears in row {earlier_row} with \"{earlier}\", but this row has \"{later}\""
                ),
            ),
        }
    }
}

/// Folded for matching codes and labels: half-width, lower case, no spaces, "-" or "_".
fn code_key(s: &str) -> String {
    fold_key(s)
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .collect()
}

fn parse_phone(s: &str) -> Result<String, Msg> {
    normalize_phone(s).map_err(|_| Msg::Phone)
}

fn parse_email(s: &str) -> Result<String, Msg> {
    let s = half_width(s);
    normalize_email(&s).map_err(|_| Msg::Email)
}

pub(crate) fn parse_kind(s: &str) -> Result<CustomerKind, Msg> {
    let k = code_key(s);
    match k.as_str() {
        "企业" | "公司" | "单位" | "组织" | "企业客户" | "organization" | "organisation"
        | "org" | "company" => Ok(CustomerKind::Organization),
        "个人" | "个人客户" | "person" | "individual" | "personal" => {
            Ok(CustomerKind::Person)
        }
        _ => CustomerKind::ALL
            .iter()
            .copied()
            .find(|c| code_key(c.label(Lang::ZhCn)) == k || code_key(c.label(Lang::En)) == k)
            .ok_or(Msg::Kind),
    }
}

pub(crate) fn parse_class(s: &str) -> Result<CustomerClass, Msg> {
    let k = code_key(s);
    let k = k.trim_end_matches(['类', '级']).trim_start_matches("class");
    CustomerClass::ALL
        .iter()
        .copied()
        .find(|c| c.code().eq_ignore_ascii_case(k))
        .ok_or(Msg::Class)
}

/// Folded spellings (code, zh label, en label, and aliases) → value, built once.
fn lookup<T: Copy + 'static>(
    cell: &'static std::sync::OnceLock<Vec<(String, T)>>,
    build: impl FnOnce() -> Vec<(String, T)>,
    key: &str,
) -> Option<T> {
    cell.get_or_init(build)
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| *v)
}

pub(crate) fn parse_personality(s: &str) -> Result<PersonalityType, Msg> {
    static TABLE: std::sync::OnceLock<Vec<(String, PersonalityType)>> = std::sync::OnceLock::new();
    let k = code_key(s);
    lookup(
        &TABLE,
        || {
            PersonalityType::ALL
                .iter()
                .flat_map(|p| {
                    [p.code(), p.label(Lang::ZhCn), p.label(Lang::En)]
                        .map(|l| (code_key(l).trim_end_matches('型').to_string(), *p))
                })
                .collect()
        },
        k.trim_end_matches('型'),
    )
    .ok_or(Msg::Personality)
}

pub(crate) fn parse_role(s: &str) -> Result<BuyingRole, Msg> {
    static TABLE: std::sync::OnceLock<Vec<(String, BuyingRole)>> = std::sync::OnceLock::new();
    let build = || {
        let mut t: Vec<(String, BuyingRole)> = BuyingRole::ALL
            .iter()
            .flat_map(|r| {
                [r.code(), r.label(Lang::ZhCn), r.label(Lang::En)].map(|l| (code_key(l), *r))
            })
            .collect();
        for (alias, r) in [
            ("采购", BuyingRole::Purchaser),
            ("采购人", BuyingRole::Purchaser),
            ("采购员", BuyingRole::Purchaser),
            ("守门人", BuyingRole::Gatekeeper),
            ("把关人", BuyingRole::Gatekeeper),
            ("技术评估", BuyingRole::TechnicalEvaluator),
            ("技术评估人", BuyingRole::TechnicalEvaluator),
            ("决策人", BuyingRole::DecisionMaker),
            ("使用人", BuyingRole::User),
            ("用户", BuyingRole::User),
            ("影响人", BuyingRole::Influencer),
        ] {
            t.push((alias.to_string(), r));
        }
        t
    };
    lookup(&TABLE, build, &code_key(s)).ok_or(Msg::Role)
}

/// Splits "a, b；c、d" into tags; blanks and repeats dropped.
pub(crate) fn split_tags(s: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in s.split([',', '，', ';', '；', '、']) {
        let t = clean(t);
        if !t.is_empty() && !tags.iter().any(|x| fold_key(x) == fold_key(t)) {
            tags.push(t.to_string());
        }
    }
    tags
}

/// Splits a date-ish text into its numbers: "1980年5月3日" → [1980, 5, 3]. `None` when
/// something other than digits and separators is in it, or a number is absurdly long.
fn date_numbers(s: &str) -> Option<Vec<(u32, usize)>> {
    let mut out = Vec::new();
    for part in s.split(['-', '/', '.', '年', '月', '日', '号', ' ']) {
        if part.is_empty() {
            continue;
        }
        if part.len() > 8 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push((part.parse().ok()?, part.len()));
    }
    Some(out)
}

/// YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, YYYYMMDD, optionally with a time after.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, Msg> {
    let s = half_width(s);
    let s = clean(&s);
    // Drop a time part: "2020-01-02 09:30:00" or "2020-01-02T09:30".
    let date_part = s.split([' ', 'T']).next().unwrap_or(s);
    let nums = date_numbers(date_part).ok_or(Msg::Date)?;
    let (y, m, d) = match nums.as_slice() {
        [(y, 4), (m, 1..=2), (d, 1..=2)] => (*y, *m, *d),
        [(n, 8)] => (n / 10000, n / 100 % 100, n % 100),
        _ => return Err(Msg::Date),
    };
    let y = i32::try_from(y).map_err(|_| Msg::Date)?;
    if !(1800..=2200).contains(&y) {
        return Err(Msg::Date);
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or(Msg::Date)
}

/// "1980-05-03", "05-03", "5月3日", "农历八月十五", "农历1980-08-15", "农历闰四月初八",
/// "lunar 8/15", "阳历 5/3".
pub(crate) fn parse_birthday(s: &str) -> Result<Birthday, Msg> {
    let bad = Msg::Birthday {
        reason_zh: None,
        reason_en: None,
    };
    let s = half_width(s).to_lowercase();
    let mut s = clean(&s).to_string();
    let mut lunar = false;
    for (prefix, is_lunar) in [
        ("农历", true),
        ("阴历", true),
        ("旧历", true),
        ("lunar", true),
        ("公历", false),
        ("阳历", false),
        ("新历", false),
        ("solar", false),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            lunar = is_lunar;
            s = clean(rest.trim_start_matches([':', '：'])).to_string();
            break;
        }
    }
    let mut leap = false;
    for marker in ["闰", "leap"] {
        if s.contains(marker) {
            leap = true;
            s = s.replacen(marker, "", 1);
        }
    }
    let s = clean(&s).to_string();
    let (year, month, day) = match date_numbers(&s) {
        Some(nums) => match nums.as_slice() {
            [(y, 4), (m, 1..=2), (d, 1..=2)] => (Some(*y), *m, *d),
            [(m, 1..=2), (d, 1..=2)] => (None, *m, *d),
            [(n, 8)] => (Some(n / 10000), n / 100 % 100, n % 100),
            _ => return Err(bad),
        },
        None => chinese_month_day(&s).ok_or(bad)?,
    };
    let year = match year {
        Some(y) => Some(i32::try_from(y).map_err(|_| Msg::Birthday {
            reason_zh: None,
            reason_en: None,
        })?),
        None => None,
    };
    let made = if lunar {
        Birthday::new_lunar(year, month, day, leap)
    } else if leap {
        return Err(Msg::Birthday {
            reason_zh: None,
            reason_en: None,
        });
    } else {
        Birthday::new_solar(year, month, day)
    };
    made.map_err(|e| Msg::Birthday {
        reason_zh: Some(e.message(Lang::ZhCn)),
        reason_en: Some(e.message(Lang::En)),
    })
}

/// "[1980年]八月十五", "正月初一", "腊月廿三", "十一月三十日" → (year, month, day).
fn chinese_month_day(s: &str) -> Option<(Option<u32>, u32, u32)> {
    let (year, rest) = match s.split_once('年') {
        Some((y, rest)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(y.parse().ok()?), rest)
        }
        Some(_) => return None,
        None => (None, s),
    };
    let (m, d) = rest.split_once('月')?;
    let month = match m {
        "正" | "元" => 1,
        "冬" => 11,
        "腊" => 12,
        _ => chinese_number(m)?,
    };
    let d = d.trim_end_matches(['日', '号']);
    let day = chinese_number(d.strip_prefix('初').unwrap_or(d))?;
    Some((year, month, day))
}

/// Chinese or Arabic numbers up to 99: "十五" 15, "廿三" 23, "卅" 30, "初十" (without 初) 10.
fn chinese_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return if s.len() <= 2 { s.parse().ok() } else { None };
    }
    let (mut total, mut cur) = (0u32, None::<u32>);
    for c in s.chars() {
        let digit = match c {
            '〇' | '零' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        match (c, digit) {
            (_, Some(d)) => {
                if cur.is_some() {
                    return None;
                }
                cur = Some(d);
            }
            ('十', None) => {
                total += cur.take().unwrap_or(1) * 10;
            }
            ('廿', None) if cur.is_none() && total == 0 => total = 20,
            ('卅', None) if cur.is_none() && total == 0 => total = 30,
            _ => return None,
        }
    }
    Some(total + cur.unwrap_or(0))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::import::mapping::suggest_mapping;

    fn table(headers: &[&str], rows: &[(usize, &[&str])]) -> RawTable {
        RawTable {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            header_row: 1,
            rows: rows
                .iter()
                .map(|(n, cells)| RawRow {
                    row_number: *n,
                    cells: cells.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        }
    }

    fn plan(headers: &[&str], rows: &[(usize, &[&str])]) -> ImportPlan {
        let t = table(headers, rows);
        validate_rows(&t, &suggest_mapping(&t.headers))
    }

    #[test]
    fn phone_error_message_names_row_field_and_value() {
        let p = plan(&["客户名称", "电话"], &[(7, &["华为", "12345"])]);
        assert_eq!(p.errors.len(), 1);
        let e = &p.errors[0];
        assert_eq!(
            (e.row, e.field.as_str(), e.code.as_str()),
            (7, "phone", "invalid_phone")
        );
        assert_eq!(e.column.as_deref(), Some("电话"));
        assert!(
            e.message_zh
                .starts_with("第 7 行「电话」: 「12345」不是有效的手机号或座机号"),
            "{}",
            e.message_zh
        );
        assert!(
            e.message_en
                .starts_with("Row 7, Phone: \"12345\" is not a valid mobile or landline number")
        );
        assert!(p.customers.is_empty());
        assert!(!p.is_clean());
    }

    #[test]
    fn rows_of_one_customer_group_and_conflicts_are_reported() {
        let h = ["客户名称", "电话", "城市", "联系人", "手机"];
        let p = plan(
            &h,
            &[
                (2, &["华为", "010-12345678", "", "张三", "13812345678"]),
                (3, &["华为 ", "", "深圳", "李四", "+86 139 1234 5678"]),
                (4, &["ＨＵＡＷＥＩ", "", "", "", ""]),
                (5, &["Huawei", "", "", "王五", ""]),
                (6, &["华为", "010 1234 5678", "深圳", "张三", "13812345678"]),
                (7, &["华为", "021-87654321", "", "", ""]),
            ],
        );
        assert_eq!(p.rows_read, 6);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        let e = &p.errors[0];
        assert_eq!(
            (e.row, e.field.as_str(), e.code.as_str()),
            (7, "phone", "duplicate_customer")
        );
        assert!(e.message_zh.contains("第 2 行"), "{}", e.message_zh);
        assert!(e.message_en.contains("row 2"));
        assert_eq!(p.customers.len(), 2);
        let hw = &p.customers[0];
        assert_eq!(hw.name, "华为");
        assert_eq!(hw.phone.as_deref(), Some("010-12345678"));
        assert_eq!(hw.city.as_deref(), Some("深圳"));
        assert_eq!(hw.source_rows, vec![2, 3, 6]);
        let names: Vec<&str> = hw.contacts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["张三", "李四"]);
        assert_eq!(hw.contacts[1].phone.as_deref(), Some("13912345678"));
        assert_eq!(p.customers[1].name, "ＨＵＡＷＥＩ");
        assert_eq!(p.customers[1].source_rows, vec![4, 5]);
    }

    #[test]
    fn field_codes_and_labels() {
        let h = [
            "名称",
            "类型",
            "等级",
            "标签",
            "成立日期",
            "联系人",
            "个性类型",
            "角色",
            "生日",
            "联系人邮箱",
        ];
        let p = plan(
            &h,
            &[
                (
                    2,
                    &[
                        "甲",
                        "个人",
                        "b类",
                        "老客户，VIP；华东、VIP",
                        "2001年3月5日",
                        "张三",
                        "从容不迫型",
                        "采购",
                        "农历八月十五",
                        " Zhang@Example.COM ",
                    ],
                ),
                (
                    3,
                    &[
                        "乙",
                        "企业",
                        "A",
                        "",
                        "20010305",
                        "李四",
                        "cold_arrogant",
                        "Decision maker",
                        "1980-05-03",
                        "",
                    ],
                ),
                (
                    4,
                    &[
                        "丙",
                        "",
                        "",
                        "",
                        "",
                        "王五",
                        "沉默寡言",
                        "守门人",
                        "农历闰四月初八",
                        "",
                    ],
                ),
                (
                    5,
                    &[
                        "丁",
                        "团体",
                        "D",
                        "",
                        "2001-02-30",
                        "赵六",
                        "暴躁型",
                        "老板",
                        "13月1日",
                        "bad@",
                    ],
                ),
            ],
        );
        let codes: Vec<(usize, &str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (5, "kind", "invalid_kind"),
                (5, "class", "invalid_class"),
                (5, "founded_on", "invalid_date"),
                (5, "contact_email", "invalid_email"),
                (5, "contact_personality", "invalid_personality"),
                (5, "contact_role", "invalid_role"),
                (5, "contact_birthday", "invalid_birthday"),
            ]
        );
        let c = &p.customers;
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].kind, CustomerKind::Person);
        assert_eq!(c[0].class, Some(CustomerClass::B));
        assert_eq!(c[0].tags, vec!["老客户", "VIP", "华东"]);
        assert_eq!(c[0].founded_on, NaiveDate::from_ymd_opt(2001, 3, 5));
        let z = &c[0].contacts[0];
        assert_eq!(z.personality, Some(PersonalityType::Composed));
        assert_eq!(z.role, Some(BuyingRole::Purchaser));
        assert_eq!(
            z.birthday,
            Some(Birthday::Lunar {
                year: None,
                month: 8,
                day: 15,
                leap: false
            })
        );
        assert_eq!(z.email.as_deref(), Some("Zhang@example.com"));
        assert_eq!(
            c[1].contacts[0].personality,
            Some(PersonalityType::ColdArrogant)
        );
        assert_eq!(c[1].contacts[0].role, Some(BuyingRole::DecisionMaker));
        assert_eq!(
            c[1].contacts[0].birthday,
            Some(Birthday::Solar {
                year: Some(1980),
                month: 5,
                day: 3
            })
        );
        assert_eq!(c[2].kind, CustomerKind::Organization);
        assert_eq!(
            c[2].contacts[0].personality,
            Some(PersonalityType::Taciturn)
        );
        assert_eq!(c[2].contacts[0].role, Some(BuyingRole::Gatekeeper));
        assert_eq!(
            c[2].contacts[0].birthday,
            Some(Birthday::Lunar {
                year: None,
                month: 4,
                day: 8,
                leap: true
            })
        );
    }

    #[test]
    fn birthdays() {
        let ok = |s: &str| parse_birthday(s).unwrap_or_else(|_| panic!("{s}"));
        assert_eq!(
            ok("05-03"),
            Birthday::Solar {
                year: None,
                month: 5,
                day: 3
            }
        );
        assert_eq!(
            ok("5月3日"),
            Birthday::Solar {
                year: None,
                month: 5,
                day: 3
            }
        );
        assert_eq!(
            ok("农历1980-08-15"),
            Birthday::Lunar {
                year: Some(1980),
                month: 8,
                day: 15,
                leap: false
            }
        );
        assert_eq!(
            ok("lunar 8/15"),
            Birthday::Lunar {
                year: None,
                month: 8,
                day: 15,
                leap: false
            }
        );
        assert_eq!(
            ok("农历腊月廿三"),
            Birthday::Lunar {
                year: None,
                month: 12,
                day: 23,
                leap: false
            }
        );
        assert_eq!(
            ok("农历正月初一"),
            Birthday::Lunar {
                year: None,
                month: 1,
                day: 1,
                leap: false
            }
        );
        assert_eq!(
            ok("农历1980年十一月三十"),
            Birthday::Lunar {
                year: Some(1980),
                month: 11,
                day: 30,
                leap: false
            }
        );
        assert_eq!(
            ok("02-29"),
            Birthday::Solar {
                year: None,
                month: 2,
                day: 29
            }
        );
        for bad in [
            "1981-02-29",
            "农历十三月一",
            "明天",
            "5",
            "农历八月四十",
            "1980-05-03-01",
        ] {
            assert!(parse_birthday(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_and_chinese_numbers() {
        assert_eq!(
            parse_date("2020/1/2"),
            Ok(NaiveDate::from_ymd_opt(2020, 1, 2).unwrap())
        );
        assert_eq!(
            parse_date("2020.01.02 09:30:00"),
            Ok(NaiveDate::from_ymd_opt(2020, 1, 2).unwrap())
        );
        assert!(parse_date("02/01/2020").is_err());
        assert_eq!(chinese_number("十五"), Some(15));
        assert_eq!(chinese_number("二十一"), Some(21));
        assert_eq!(chinese_number("卅"), Some(30));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("五五"), None);
    }

    #[test]
    fn too_long_cells_are_reported_without_the_value() {
        let long = "x".repeat(1_000_001);
        let p = plan(&["客户名称", "地址"], &[(3, &["甲", &long])]);
        let e = &p.errors[0];
        assert_eq!(
            (e.row, e.field.as_str(), e.code.as_str()),
            (3, "address", "too_long")
        );
        assert_eq!(e.value.chars().count(), ERROR_VALUE_CHARS + 1);
        assert!(e.message_zh.contains("1000001 个字符"));
        assert!(e.message_zh.len() < 200);
    }

    #[test]
    fn missing_names_and_contact_names() {
        let p = plan(
            &["客户名称", "联系人", "手机"],
            &[(2, &["", "张三", ""]), (3, &["甲", "", "13812345678"])],
        );
        let codes: Vec<(usize, &str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![(2, "name", "required"), (3, "contact_name", "required")]
        );
    }

    #[test]
    fn progress_is_reported() {
        let rows: Vec<(usize, Vec<String>)> = (0..2500)
            .map(|i| (i + 2, vec![format!("客户{i}")]))
            .collect();
        let t = RawTable {
            headers: vec!["客户名称".into()],
            header_row: 1,
            rows: rows
                .into_iter()
                .map(|(n, cells)| RawRow {
                    row_number: n,
                    cells,
                })
                .collect(),
        };
        let seen = std::cell::RefCell::new(Vec::new());
        let p = validate_rows_with_progress(&t, &suggest_mapping(&t.headers), &|done, total| {
            seen.borrow_mut().push((done, total));
        });
        assert_eq!(p.customers.len(), 2500);
        assert_eq!(
            seen.into_inner(),
            vec![(1000, 2500), (2000, 2500), (2500, 2500)]
        );
    }
}
