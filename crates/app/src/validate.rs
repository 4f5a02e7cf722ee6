//! Turning raw input (form strings, JSON) into checked values, collecting every problem with
//! the field it belongs to and the reason, in both languages.

use chrono::NaiveDate;
use huike_domain::{FieldError, Lang};

use crate::error::{AppError, AppResult, field_error};

/// What a text field holds, beyond its length: checked (and normalised) the same way by the
/// forms, the API and the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Plain,
    /// A mobile or landline number, stored normalised.
    Phone,
    /// An e-mail address, stored normalised.
    Email,
    /// A QQ number: digits only.
    Qq,
}

/// A field as the user sees it: its key in forms and JSON, its name in each language, and the
/// rule its text follows. The field constants of each use case are the one place a limit is
/// stated; the import checks its cells with them too, so an imported record saves again.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Most characters the text may have.
    pub max: usize,
    pub required: bool,
    pub kind: TextKind,
}

/// A field with no text rule beyond the default cap (codes, dates, numbers check themselves).
pub const fn field(key: &'static str, zh: &'static str, en: &'static str) -> Field {
    Field {
        key,
        zh,
        en,
        max: 1000,
        required: false,
        kind: TextKind::Plain,
    }
}

impl Field {
    /// At most `max` characters.
    pub const fn max(mut self, max: usize) -> Field {
        self.max = max;
        self
    }

    /// May not be blank.
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub const fn kind(mut self, kind: TextKind) -> Field {
        self.kind = kind;
        self
    }
}

/// Each input type of the API with the rules of its text fields (by JSON property name = the
/// field's key), so the OpenAPI document states the very limits the checks apply.
pub fn input_rules() -> Vec<(&'static str, Vec<Field>)> {
    use crate::{auth, contacts, customers, orders, products, timeline, users};
    vec![
        (
            "CustomerInput",
            vec![
                customers::NAME,
                customers::TAGS,
                customers::PROVINCE,
                customers::CITY,
                customers::DISTRICT,
                customers::ADDRESS,
                customers::PHONE,
                customers::EMAIL,
                customers::WECHAT,
                customers::QQ,
            ],
        ),
        (
            "ContactInput",
            vec![
                contacts::NAME,
                contacts::TITLE,
                contacts::PHONE,
                contacts::EMAIL,
                contacts::WECHAT,
                contacts::QQ,
                contacts::HOBBIES,
                contacts::NOTES,
            ],
        ),
        (
            "ProductInput",
            vec![products::SKU, products::NAME, products::UNIT],
        ),
        ("CategoryInput", vec![products::CATEGORY_NAME]),
        ("UserInput", vec![users::USERNAME, users::DISPLAY_NAME]),
        ("InteractionInput", vec![timeline::SUMMARY]),
        ("OrderInput", vec![orders::NOTES]),
        ("TokenInput", vec![auth::TOKEN_NAME]),
    ]
}

#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Checker {
        Checker::default()
    }

    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    pub fn fail(&mut self, f: Field, code: &'static str, zh: String, en: String) {
        self.errors.push(field_error(f.key, code, zh, en));
    }

    /// Trimmed text of at most `max` characters; control characters other than line breaks
    /// are refused because they break exports and displays.
    fn text(&mut self, f: Field, value: &str, max: usize) -> String {
        let v = value.trim();
        let n = v.chars().count();
        if n > max {
            self.fail(
                f,
                "too_long",
                format!("「{}」最多 {max} 个字符，现在有 {n} 个字符。", f.zh),
                format!("{} may have at most {max} characters; it has {n}.", f.en),
            );
            return String::new();
        }
        if v.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.fail(
                f,
                "control_character",
                format!("「{}」含有不可见的控制字符。", f.zh),
                format!("{} contains invisible control characters.", f.en),
            );
            return String::new();
        }
        v.to_string()
    }

    /// Text checked by its field's rule: blank when allowed, at most `max` characters, no
    /// control characters, and a phone, e-mail or QQ number in its form (normalised).
    pub fn check(&mut self, f: Field, value: &str) -> String {
        if f.required && value.trim().is_empty() {
            self.fail(
                f,
                "required",
                format!("请填写「{}」。", f.zh),
                format!("{} is required.", f.en),
            );
            return String::new();
        }
        let v = self.text(f, value, f.max);
        match f.kind {
            TextKind::Plain => v,
            TextKind::Phone => self.phone(f, &v),
            TextKind::Email => self.email(f, &v),
            TextKind::Qq => {
                if !v.chars().all(|ch| ch.is_ascii_digit()) {
                    self.fail(
                        f,
                        "invalid_qq",
                        format!("「{}」只能是数字。", f.zh),
                        format!("{} must be digits only.", f.en),
                    );
                    return String::new();
                }
                v
            }
        }
    }

    /// The problems found so far (the import turns them into row errors).
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// An optional calendar date written YYYY-MM-DD.
    pub fn date(&mut self, f: Field, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
            Err(_) => {
                self.fail(
                    f,
                    "invalid_date",
                    format!(
                        "「{}」应为 年-月-日 格式的有效日期，例如 2026-03-30；收到「{v}」。",
                        f.zh
                    ),
                    format!(
                        "{} must be a real date written YYYY-MM-DD, e.g. 2026-03-30; got \"{v}\".",
                        f.en
                    ),
                );
                None
            }
        }
    }

    fn phone(&mut self, f: Field, value: &str) -> String {
        let v = value.trim();
        if v.is_empty() {
            return String::new();
        }
        match huike_domain::contact_info::normalize_phone(v) {
            Ok(p) => p,
            Err(e) => {
                self.fail(
                    f,
                    "invalid_phone",
                    format!("「{}」：{}", f.zh, e.message(Lang::ZhCn)),
                    format!("{}: {}", f.en, e.message(Lang::En)),
                );
                String::new()
            }
        }
    }

    fn email(&mut self, f: Field, value: &str) -> String {
        let v = value.trim();
        if v.is_empty() {
            return String::new();
        }
        match huike_domain::contact_info::normalize_email(v) {
            Ok(p) => p,
            Err(_) => {
                self.fail(
                    f,
                    "invalid_email",
                    format!("「{}」不是有效的邮箱地址：「{v}」。", f.zh),
                    format!("{} is not a valid e-mail address: \"{v}\".", f.en),
                );
                String::new()
            }
        }
    }

    /// A value from a fixed list (by its code); empty means none.
    pub fn code<T>(
        &mut self,
        f: Field,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        match parse(v) {
            Some(t) => Some(t),
            None => {
                self.fail(
                    f,
                    "unknown_value",
                    format!("「{}」没有「{v}」这个选项。", f.zh),
                    format!("{} has no option \"{v}\".", f.en),
                );
                None
            }
        }
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(self) -> AppResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.errors))
        }
    }
}

/// Splits tags typed with any common separator and stores them as ",a,b," so one tag can be
/// matched exactly with LIKE.
pub fn normalize_tags(raw: &str) -> String {
    let mut tags: Vec<String> = Vec::new();
    for t in raw.split([',', '，', ';', '；', '、', ' ']).map(str::trim) {
        // Each tag once, wherever it repeats, in the order first typed.
        if !t.is_empty() && !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    if tags.is_empty() {
        String::new()
    } else {
        format!(",{},", tags.join(","))
    }
}

/// The stored ",a,b," form back to a list.
pub fn tag_list(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Accepts a JSON boolean or the strings forms send ("on", "true", "1", "yes"; anything
/// else, or absent, is false).
pub fn de_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Flag {
        B(bool),
        S(String),
        I(i64),
    }
    Ok(
        match <Option<Flag> as serde::Deserialize>::deserialize(d)? {
            Some(Flag::B(b)) => b,
            Some(Flag::S(s)) => matches!(
                s.trim().to_lowercase().as_str(),
                "on" | "true" | "1" | "yes"
            ),
            Some(Flag::I(i)) => i != 0,
            None => false,
        },
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const NAME: Field = field("name", "名称", "Name");

    #[test]
    fn too_long_text_names_the_field_and_the_limit() {
        let mut c = Checker::new();
        c.text(NAME, &"字".repeat(11), 10);
        let e = c.finish().unwrap_err();
        let f = &e.field_errors()[0];
        assert_eq!(f.field, "name");
        assert_eq!(f.code, "too_long");
        assert!(f.message_zh.contains("10"));
    }

    #[test]
    fn dates_must_be_real() {
        let mut c = Checker::new();
        assert_eq!(c.date(NAME, "2026-02-28"), Some("2026-02-28".into()));
        assert_eq!(c.date(NAME, "2026-02-30"), None);
        assert!(!c.is_ok());
    }

    #[test]
    fn tags_accept_chinese_separators() {
        assert_eq!(normalize_tags("vip，华东、 重点"), ",vip,华东,重点,");
        assert_eq!(tag_list(",vip,华东,"), vec!["vip", "华东"]);
        assert_eq!(normalize_tags("  "), "");
    }

    #[test]
    fn a_tag_repeated_anywhere_in_the_list_is_kept_once() {
        assert_eq!(normalize_tags("vip, 华东, vip"), ",vip,华东,");
        assert_eq!(normalize_tags("a b a b c"), ",a,b,c,");
    }

    #[test]
    fn a_field_rule_checks_length_requiredness_and_kind() {
        const CITY: Field = field("city", "城市", "City").max(5);
        const QQ: Field = field("qq", "QQ", "QQ").max(20).kind(TextKind::Qq);
        const NAME: Field = field("name", "名称", "Name").required();
        let mut c = Checker::new();
        assert_eq!(c.check(CITY, " 杭州 "), "杭州");
        assert_eq!(c.check(CITY, "一二三四五六"), "");
        assert_eq!(c.check(QQ, "12345"), "12345");
        assert_eq!(c.check(QQ, "12a45"), "");
        assert_eq!(c.check(NAME, "  "), "");
        let codes: Vec<(String, &str)> = c
            .into_errors()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("city".into(), "too_long"),
                ("qq".into(), "invalid_qq"),
                ("name".into(), "required")
            ]
        );
    }
}
