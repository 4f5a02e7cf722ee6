//! The OpenAPI document of `/api/v1`. utoipa derives it from the handlers' types; then every
//! rule the checks apply is written into it from the very constants, vocabularies and
//! character predicates the checks use (`huike_app::validate::input_rules` and
//! `query_rules`), so the document states what the server accepts and refuses, and cannot
//! drift from it:
//!
//! - text fields: their length as sent, the control characters refused, "not blank" when
//!   required, QQ digits, user names and web addresses (`pattern`s built from the predicates);
//! - codes: `enum`s of their vocabulary ("" where it means none or the default);
//! - dates: `format: date` (the checks read exactly RFC 3339's full-date);
//! - phones, e-mails, amounts of money, local times and text encodings: formats of our own,
//!   `phone`, `email-address`, `money`, `local-datetime` and `encoding-label`, each described
//!   below, since no regular expression states them exactly;
//! - whole rules: a birthday's calendar, year, month and day together, a family event or an
//!   order line left blank, a manager's department;
//! - rules JSON Schema cannot state, in words beside the schema they belong to: a day that
//!   is today or later (a promise's, a snooze's), a message template that renders
//!   (scripts/api-fuzz-hooks.py keeps the values the fuzzer sends as valid to them);
//! - NUL: no text anywhere may hold it (PostgreSQL cannot store it), so every other string of
//!   an input, query or path says so in its `pattern`.

use huike_app::validate::{self, Field, Rule, TextKind};
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use crate::{
    api, api_calendar, api_delivery, api_faults, api_greetings, api_io, api_labels, api_news,
    api_order_import, api_referrals, api_tasks,
};

/// The formats of our own the document uses, with what they mean (written into the schemas
/// that use them).
pub const PHONE_FORMAT: &str = "phone";
pub const EMAIL_FORMAT: &str = "email-address";
pub const MONEY_FORMAT: &str = "money";
pub const LOCAL_TIME_FORMAT: &str = "local-datetime";
pub const ENCODING_FORMAT: &str = "encoding-label";

const PHONE_MEANING: &str = "Blank (spaces only), or of the format `phone`: a phone number \
as the server reads it (`huike_domain::contact_info::normalize_phone`): a Chinese mobile (11 \
digits, 13–19…, optionally +86/0086, spaces and dashes), a landline with its area code \
(010-12345678, 0755-1234567, optionally with an extension: 转123, ext 123, -123), a 400/800 \
service number, or + and a foreign number of 8–15 digits; full-width digits are read as \
digits. It is stored normalised.";
const EMAIL_MEANING: &str = "Blank (spaces only), or of the format `email-address`: \
local@domain as the server reads it (`normalize_email`): no spaces, one @, a local part of at \
most 64 bytes, at most 254 bytes in all, a domain of dot-separated labels (letters, digits, \
inner hyphens, at most 63 bytes each) ending in a top-level domain of two or more letters. The \
domain is stored lowercased.";
const MONEY_MEANING: &str = "Format `money`: an amount in yuan as typed (`parse_money`): \
digits with at most two decimals, optionally grouped by thousands (1,234.50), optionally with \
¥, ￥, $, € or a three-letter code before it and 元 after it, full-width digits read as digits; \
from 0 to the largest price.";
const ENCODING_MEANING: &str = "The CSV file's text encoding: blank or absent to have it \
guessed, or of the format `encoding-label`: a WHATWG encoding label in any case (utf-8, gbk, \
gb18030, utf-16le, big5 …), spaces around it allowed. A label the reader does not know is \
refused at once (422).";
const LOCAL_TIME_MEANING: &str = "Format `local-datetime`: a time that exists in Asia/Shanghai, \
written YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM, optionally with :SS.";

const DAY_FROM_TODAY_MEANING: &str = "A date (YYYY-MM-DD) that is today or later by the \
server's clock, in Asia/Shanghai; a day in the past is refused (422, `in_the_past`). JSON \
Schema cannot compare a date with today, so this is stated here in words.";
/// A month, YYYY-MM, or empty.
pub const MONTH_PATTERN: &str = "^([0-9]{4}-(0[1-9]|1[0-2]))?$";

/// The document, as served at `/api/v1/openapi.json`.
pub fn document() -> Value {
    let mut doc = api::ApiDoc::openapi();
    doc.merge(api_io::IoApiDoc::openapi());
    doc.merge(api_order_import::OrderImportDoc::openapi());
    doc.merge(api_calendar::CalendarDoc::openapi());
    doc.merge(api_tasks::TasksDoc::openapi());
    doc.merge(api_greetings::GreetingsDoc::openapi());
    doc.merge(api_faults::FaultsDoc::openapi());
    doc.merge(api_labels::LabelsDoc::openapi());
    doc.merge(api_news::NewsDoc::openapi());
    doc.merge(api_referrals::ReferralsDoc::openapi());
    doc.merge(api_delivery::DeliveryDoc::openapi());
    let mut v = serde_json::to_value(&doc).unwrap_or_default();
    publish_input_rules(&mut v);
    publish_query_rules(&mut v);
    publish_import_upload(&mut v);
    publish_order_import_upload(&mut v);
    publish_festival_years(&mut v);
    publish_template_paths(&mut v);
    forbid_nul(&mut v);
    v
}

// --- regular expressions from the checks' predicates -------------------------------------

/// The characters `pred` holds for, as the inside of a `[...]` class that JSON Schema
/// (ECMA-262), Python's `re` and Rust's `regex` all read alike: `\xHH` and `\uHHHH` escapes,
/// ranges where the characters run on.
pub fn class(pred: impl Fn(char) -> bool) -> String {
    let escape = |c: u32| {
        if c <= 0xFF {
            format!("\\x{c:02X}")
        } else {
            format!("\\u{c:04X}")
        }
    };
    let mut out = String::new();
    let mut run: Option<(u32, u32)> = None;
    let flush = |run: Option<(u32, u32)>, out: &mut String| {
        if let Some((a, b)) = run {
            out.push_str(&escape(a));
            if b > a {
                if b > a + 1 {
                    out.push('-');
                }
                out.push_str(&escape(b));
            }
        }
    };
    // The classes used here hold only characters of the Basic Multilingual Plane.
    for c in (0u32..=0xFFFF).filter_map(char::from_u32) {
        let cp = c as u32;
        if pred(c) {
            run = match run {
                Some((a, b)) if b + 1 == cp => Some((a, cp)),
                other => {
                    flush(other, &mut out);
                    Some((cp, cp))
                }
            };
        }
    }
    flush(run, &mut out);
    out
}

struct Classes {
    /// Control characters the text rules refuse.
    ctl: String,
    /// What trimming removes, less the refused control characters.
    ws: String,
    /// Everything trimming removes.
    blank: String,
    username: String,
}

fn classes() -> &'static Classes {
    static C: std::sync::OnceLock<Classes> = std::sync::OnceLock::new();
    C.get_or_init(|| Classes {
        ctl: class(validate::is_refused_control),
        ws: class(|c| validate::is_blank(c) && !validate::is_refused_control(c)),
        blank: class(validate::is_blank),
        username: class(validate::is_username_char),
    })
}

/// No NUL character.
pub const NUL_FREE: &str = "^[^\\x00]*$";

/// Text without NUL that is not blank (trimming leaves something).
fn non_blank_nul_free() -> String {
    let b = &classes().blank;
    format!("^[^\\x00]*[^\\x00{b}][^\\x00]*$")
}

/// Blank: nothing but what trimming removes.
fn blank() -> String {
    format!("^[{}]*$", classes().blank)
}

/// The pattern of a text field's rule (its length is `maxLength`); none for a phone or an
/// e-mail address, whose format says all (a pattern would let generators make up values that
/// have its shape but are no number or address).
pub fn text_pattern(f: &Field) -> Option<String> {
    let Classes {
        ctl, ws, username, ..
    } = classes();
    Some(match f.kind {
        TextKind::Phone | TextKind::Email => return None,
        TextKind::Qq => format!("^[{ws}]*[0-9]*[{ws}]*$"),
        TextKind::Username => format!("^[{ws}]*[{username}]+[{ws}]*$"),
        TextKind::HttpUrl if f.required => format!("^[{ws}]*https?://[^{ctl}]*$"),
        TextKind::HttpUrl => format!("^[{ws}]*(https?://[^{ctl}]*)?$"),
        _ if f.required => format!("^[^{ctl}]*[^{ctl}{ws}][^{ctl}]*$"),
        _ => format!("^[^{ctl}]*$"),
    })
}

/// Decimal digits (leading zeros allowed) of one of `numbers`.
fn number_pattern(numbers: &[i64], blank_too: bool) -> String {
    let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
    let one = format!("0*({})", list.join("|"));
    if blank_too {
        format!("^({one})?$")
    } else {
        format!("^{one}$")
    }
}

/// Decimal digits (leading zeros allowed) of a number from 1 to `max`.
/// Digits from `min` (0 or 1) to `max`, leading zeros allowed.
pub fn whole_pattern(min: i64, max: i64) -> String {
    let one = one_to(max);
    if min == 0 {
        one.replacen("^0*(", "^0*(0|", 1)
    } else {
        one
    }
}

pub fn one_to(max: i64) -> String {
    let digits: Vec<u32> = max
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let n = digits.len();
    let mut alts = Vec::new();
    // Fewer digits than `max`: any such number from 1.
    if n > 1 {
        alts.push(if n > 2 {
            format!("[1-9][0-9]{{0,{}}}", n - 2)
        } else {
            "[1-9]".to_string()
        });
    }
    // As many digits: smaller at the first digit that differs, or `max` itself.
    for i in 0..n {
        let low = if i == 0 { 1 } else { 0 };
        let d = digits[i];
        if d > low {
            let prefix: String = digits[..i].iter().map(u32::to_string).collect();
            let range = if d - 1 == low {
                low.to_string()
            } else {
                format!("[{low}-{}]", d - 1)
            };
            let rest = n - i - 1;
            let tail = match rest {
                0 => String::new(),
                1 => "[0-9]".into(),
                r => format!("[0-9]{{{r}}}"),
            };
            alts.push(format!("{prefix}{range}{tail}"));
        }
    }
    alts.push(max.to_string());
    format!("^0*({})$", alts.join("|"))
}

// --- schemas of the rules -------------------------------------------------------------------

fn flag_schema(words: &[&str], value: Option<bool>) -> Value {
    let mut words: Vec<&str> = words.to_vec();
    let boolean = match value {
        Some(b) => json!({"type": "boolean", "const": b}),
        None => json!({"type": "boolean"}),
    };
    words.dedup();
    json!({"anyOf": [boolean, {"type": "string", "enum": words}]})
}

fn all_flag_words() -> Vec<&'static str> {
    validate::FLAG_TRUE
        .iter()
        .chain(validate::FLAG_FALSE)
        .copied()
        .collect()
}

fn code_enum(codes: &[&'static str], required: bool) -> Vec<&'static str> {
    let mut e = Vec::new();
    if !required {
        e.push("");
    }
    e.extend(codes);
    e
}

fn date_schema(required: bool) -> Value {
    if required {
        json!({"type": "string", "format": "date"})
    } else {
        json!({"type": "string", "anyOf": [{"maxLength": 0}, {"format": "date"}]})
    }
}

/// Writes `changes` over the object schema `target`, keeping what they do not name.
fn merge(target: &mut Value, changes: Value) {
    if let (Some(t), Value::Object(c)) = (target.as_object_mut(), changes) {
        for (k, v) in c {
            t.insert(k, v);
        }
    }
}

fn append_description(target: &mut Value, more: &str) {
    let Some(t) = target.as_object_mut() else {
        return;
    };
    let text = match t.get("description").and_then(Value::as_str) {
        Some(d) if !d.is_empty() => format!("{d}\n\n{more}"),
        _ => more.to_string(),
    };
    t.insert("description".into(), Value::String(text));
}

/// What one property rule writes into the property's schema, and whether it makes the
/// property required.
fn property(rule: &Rule) -> (Value, bool) {
    match rule {
        Rule::Text(f) => {
            let mut p = json!({"type": "string", "maxLength": f.max});
            if let Some(pattern) = text_pattern(f) {
                merge(&mut p, json!({ "pattern": pattern }));
            }
            if f.required {
                merge(&mut p, json!({"minLength": 1}));
            }
            // Blank, or a value of the format (the check trims it first).
            let blank_or = |format: &str| {
                json!({"anyOf": [
                    {"pattern": format!("^[{}]*$", classes().ws)},
                    {"format": format}
                ]})
            };
            match f.kind {
                TextKind::Phone => {
                    merge(&mut p, blank_or(PHONE_FORMAT));
                    append_description(&mut p, PHONE_MEANING);
                }
                TextKind::Email => {
                    merge(&mut p, blank_or(EMAIL_FORMAT));
                    append_description(&mut p, EMAIL_MEANING);
                }
                TextKind::Username => {
                    append_description(&mut p, "Letters, digits and . _ - @; stored lowercased.")
                }
                TextKind::HttpUrl => append_description(
                    &mut p,
                    "An address starting with http:// or https:// (in small letters); spaces \
                     around it are trimmed.",
                ),
                _ => {}
            }
            (p, f.required)
        }
        Rule::Code {
            codes, required, ..
        } => (
            json!({"type": "string", "enum": code_enum(codes, *required)}),
            *required,
        ),
        Rule::CodeList { codes, .. } => (
            json!({"type": "array", "items": {"type": "string", "enum": code_enum(codes, false)}}),
            false,
        ),
        Rule::Date { required, .. } => (date_schema(*required), *required),
        Rule::DayFromToday { .. } => {
            let mut p = date_schema(true);
            append_description(&mut p, DAY_FROM_TODAY_MEANING);
            (p, true)
        }
        Rule::Month { .. } => (
            json!({"type": "string", "pattern": MONTH_PATTERN,
                   "description": "A month, written exactly YYYY-MM (2026-04); empty or absent \
                       for the current month."}),
            false,
        ),
        Rule::CodeSet { codes, min, .. } => (
            json!({"type": "array", "minItems": min,
                   "items": {"type": "string", "enum": codes},
                   "description": "Each by its exact name; one named twice counts once."}),
            *min > 0,
        ),
        Rule::TextMap { .. } => (
            json!({"type": "object",
                   "additionalProperties": {"type": "string", "pattern": NUL_FREE},
                   "propertyNames": {"pattern": NUL_FREE}}),
            false,
        ),
        Rule::LocalTime { .. } => {
            let mut p = json!({"type": "string", "anyOf": [
                {"maxLength": 0},
                {"format": LOCAL_TIME_FORMAT}
            ]});
            append_description(&mut p, LOCAL_TIME_MEANING);
            (p, false)
        }
        Rule::Money {
            max_fen, required, ..
        } => {
            let mut p = if *required {
                json!({"type": "string", "format": MONEY_FORMAT})
            } else {
                json!({"type": "string", "anyOf": [{"pattern": blank()}, {"format": MONEY_FORMAT}]})
            };
            append_description(
                &mut p,
                &format!(
                    "{MONEY_MEANING} The largest is {} yuan.{}",
                    huike_domain::money::format_amount(*max_fen),
                    if *required {
                        ""
                    } else {
                        " Blank takes the catalogue price."
                    }
                ),
            );
            (p, *required)
        }
        Rule::Whole { min, max, .. } => {
            debug_assert!(*min == 0 || *min == 1, "whole numbers here start at 0 or 1");
            (
                json!({"type": "string", "pattern": whole_pattern(*min, *max),
                       "description": format!("A whole number from {min} to {max}, in digits.")}),
                true,
            )
        }
        Rule::Currency { .. } => {
            let b = &classes().blank;
            (
                json!({"type": "string", "pattern": format!("^[{b}]*([A-Za-z]{{3}})?[{b}]*$"),
                       "description": "A three-letter currency code (ISO 4217), any case; blank is CNY."}),
                false,
            )
        }
        Rule::Reference { of, required, .. } => {
            let pattern = if *required {
                non_blank_nul_free()
            } else {
                NUL_FREE.to_string()
            };
            let mut p = json!({"type": "string", "pattern": pattern});
            append_description(
                &mut p,
                &format!(
                    "The id of a {of}{}. An id that names none is answered 404 \
                     (`unknown_reference`, naming this field).",
                    if *required { "" } else { "; blank for none" }
                ),
            );
            if *required {
                merge(&mut p, json!({"minLength": 1}));
            }
            (p, *required)
        }
        Rule::Items { min, .. } => {
            let p = if *min > 0 {
                json!({"minItems": min})
            } else {
                json!({})
            };
            (p, *min > 0)
        }
        Rule::Password { min, max, .. } => (
            json!({"type": "string", "minLength": min, "maxLength": max, "pattern": NUL_FREE}),
            true,
        ),
        Rule::Flag { .. } => (flag_schema(&all_flag_words(), None), false),
        Rule::Archive { .. } => (archive_schema(), false),
        Rule::SkippedWhenBlank { .. }
        | Rule::Birthday(_)
        | Rule::RequiredWhen { .. }
        | Rule::Renders { .. } => (json!({}), false),
    }
}

/// The archive as `Archive::validate` checks it: known sections and fields, texts of at most
/// `MAX_ARCHIVE_TEXT` characters, at most `MAX_COMPETITORS` competitors each with a name.
fn archive_schema() -> Value {
    use huike_domain::customer::{MAX_ARCHIVE_TEXT, MAX_COMPETITORS};
    let text = json!({"type": "string", "maxLength": MAX_ARCHIVE_TEXT, "pattern": NUL_FREE});
    let mut sections = Map::new();
    for s in huike_domain::ArchiveSection::ALL {
        let fields: Map<String, Value> = s
            .fields()
            .iter()
            .map(|f| (f.key.to_string(), text.clone()))
            .collect();
        sections.insert(
            s.code().to_string(),
            json!({"type": "object", "properties": fields, "additionalProperties": false}),
        );
    }
    let mut name = text.clone();
    merge(
        &mut name,
        json!({"minLength": 1, "pattern": non_blank_nul_free()}),
    );
    json!({
        "type": ["object", "null"],
        "description": "Archive sections; absent or null leaves the stored archive as it is. \
            `sections` maps a section's code to its fields' texts; `competitors` lists the \
            competitors researched.",
        "properties": {
            "sections": {"type": "object", "properties": sections, "additionalProperties": false},
            "competitors": {
                "type": "array",
                "maxItems": MAX_COMPETITORS,
                "items": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": name,
                        "strengths": text,
                        "weaknesses": text,
                        "relation": text,
                    }
                }
            }
        }
    })
}

/// Every way of writing a birthday the check accepts, and none.
fn birthday_branches(shapes: &[huike_app::contacts::BirthdayShape]) -> Vec<Value> {
    let none = json!({"properties": {
        "birthday_calendar": {"const": ""},
        "birthday_year": {"const": ""},
        "birthday_month": {"const": ""},
        "birthday_day": {"const": ""},
    }});
    let mut out = vec![none];
    for s in shapes {
        let years: Vec<i64> = s.years.iter().flatten().map(|y| i64::from(*y)).collect();
        let no_year = s.years.contains(&None);
        let mut props = Map::new();
        props.insert("birthday_calendar".into(), json!({"const": s.calendar}));
        props.insert(
            "birthday_year".into(),
            if years.is_empty() {
                json!({"const": ""})
            } else {
                json!({"pattern": number_pattern(&years, no_year)})
            },
        );
        let months: Vec<i64> = s.months.iter().map(|m| i64::from(*m)).collect();
        let days: Vec<i64> = s.days.iter().map(|d| i64::from(*d)).collect();
        props.insert(
            "birthday_month".into(),
            json!({"pattern": number_pattern(&months, false)}),
        );
        props.insert(
            "birthday_day".into(),
            json!({"pattern": number_pattern(&days, false)}),
        );
        let mut required = vec!["birthday_calendar", "birthday_month", "birthday_day"];
        if !no_year {
            required.push("birthday_year");
        }
        match s.leap {
            Some(true) => {
                props.insert(
                    "birthday_leap".into(),
                    flag_schema(validate::FLAG_TRUE, Some(true)),
                );
                required.push("birthday_leap");
            }
            Some(false) => {
                props.insert(
                    "birthday_leap".into(),
                    flag_schema(validate::FLAG_FALSE, Some(false)),
                );
            }
            None => {}
        }
        out.push(json!({"properties": props, "required": required}));
    }
    out
}

fn schema_mut<'a>(doc: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    doc.pointer_mut(&format!("/components/schemas/{name}"))
}

/// Writes each input's rules into its schema (`validate::input_rules`).
fn publish_input_rules(doc: &mut Value) {
    let rules = validate::input_rules();
    // The checked form of an entry that may be left blank, for lists that need one.
    let mut checked_entries: Map<String, Value> = Map::new();
    for (name, props) in &rules {
        let Some(schema) = schema_mut(doc, name) else {
            tracing::warn!(schema = name, "no such input schema to state rules on");
            continue;
        };
        let skip_keys = props.iter().find_map(|r| match r {
            Rule::SkippedWhenBlank { keys } => Some(keys.clone()),
            _ => None,
        });
        let mut strict = Map::new();
        let mut required: Vec<String> = Vec::new();
        let mut whole: Vec<Value> = Vec::new();
        for rule in props {
            match rule {
                Rule::Birthday(shapes) => {
                    whole.push(json!({"anyOf": birthday_branches(shapes)}));
                    append_description(
                        schema,
                        "The birthday is a calendar (solar or lunar), a month and a day, and \
                         a year when known (decimal digits); or all of them empty. With a \
                         year, the day must have existed that year (the lunar leap month, a \
                         lunar month's 30th, 29 February).",
                    );
                }
                Rule::Renders { keys } => {
                    use huike_app::templates::{FIELDS, FUEL};
                    append_description(
                        schema,
                        &format!(
                            "{} are templates (minijinja: `{{{{ … }}}}`, `{{% … %}}`, `{{# … #}}`) \
                             that must render on sample data, else they are refused (422, \
                             `template_error`, naming the part): correct syntax, only the \
                             fields {}, and at most {FUEL} rendering steps. Text with none of \
                             the three openings renders as it is.",
                            keys.iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(" and "),
                            FIELDS.join(", "),
                        ),
                    )
                }
                Rule::RequiredWhen {
                    key,
                    when_key,
                    when_value,
                } => {
                    let mut other = Map::new();
                    other.insert(when_key.to_string(), json!({"not": {"const": when_value}}));
                    let mut given = Map::new();
                    given.insert(key.to_string(), json!({"pattern": non_blank_nul_free()}));
                    whole.push(json!({"anyOf": [
                        {"properties": other},
                        {"properties": given, "required": [key]},
                    ]}));
                    append_description(
                        schema,
                        &format!("`{key}` is required when `{when_key}` is `{when_value}`."),
                    );
                }
                _ => {}
            }
            let Some(key) = rule.key() else { continue };
            let (p, req) = property(rule);
            if req {
                required.push(key.to_string());
            }
            strict.insert(key.to_string(), p);
        }
        // An entry that may be left blank keeps its properties as declared (any text without
        // NUL): the rules hold for an entry that is not blank.
        if skip_keys.is_none()
            && let Some(Value::Object(target)) = schema.get_mut("properties")
        {
            for (key, p) in &strict {
                let entry = target.entry(key.clone()).or_insert_with(|| json!({}));
                // An `anyOf` or a new type says all itself.
                if (p.get("anyOf").is_some() || p.get("type").is_some())
                    && let Some(e) = entry.as_object_mut()
                {
                    e.remove("type");
                    e.remove("format");
                }
                merge(entry, p.clone());
                if required.contains(key)
                    && let Some(e) = entry.as_object_mut()
                {
                    // The empty default serde fills in is exactly what is refused.
                    e.remove("default");
                }
            }
        }
        if let Some(keys) = skip_keys {
            let blank_props: Map<String, Value> = keys
                .iter()
                .map(|k| (k.to_string(), json!({"type": "string", "pattern": blank()})))
                .collect();
            // Its required properties are never blank, so an entry that holds them is checked.
            let checked = json!({"properties": strict, "required": required});
            checked_entries.insert(name.to_string(), checked.clone());
            whole.push(json!({"anyOf": [checked, {"properties": blank_props}]}));
            append_description(
                schema,
                &format!(
                    "An entry whose {} are all blank is skipped.",
                    keys.join(", ")
                ),
            );
        } else if let Some(obj) = schema.as_object_mut() {
            let list = obj
                .entry("required")
                .or_insert_with(|| json!([]))
                .as_array_mut()
                .expect("required is an array");
            for r in required {
                if !list.iter().any(|x| x == &Value::String(r.clone())) {
                    list.push(Value::String(r));
                }
            }
        }
        if !whole.is_empty()
            && let Some(obj) = schema.as_object_mut()
        {
            obj.insert("allOf".into(), Value::Array(whole));
        }
    }
    // A list that needs an entry needs one that is not blank.
    for (name, props) in &rules {
        for rule in props {
            let Rule::Items { key, min } = rule else {
                continue;
            };
            let Some(items) =
                doc.pointer_mut(&format!("/components/schemas/{name}/properties/{key}"))
            else {
                continue;
            };
            let item = items
                .pointer("/items/$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map(str::to_string);
            if let Some(checked) = item.and_then(|i| checked_entries.get(&i))
                && *min > 0
                && let Some(o) = items.as_object_mut()
            {
                o.remove("minItems");
                o.insert("contains".into(), checked.clone());
                if *min > 1 {
                    o.insert("minContains".into(), json!(min));
                }
            }
        }
    }
}

/// Which operations read each list query (`validate::query_rules`).
pub const QUERY_USERS: &[(&str, &[&str])] = &[
    (
        "CustomerQuery",
        &["/api/v1/customers", "/api/v1/customers/export"],
    ),
    (
        "ContactQuery",
        &["/api/v1/contacts", "/api/v1/contacts/export"],
    ),
    (
        "ProductQuery",
        &["/api/v1/products", "/api/v1/products/export"],
    ),
    ("OrderQuery", &["/api/v1/orders", "/api/v1/orders/export"]),
    ("TimelineQuery", &["/api/v1/customers/{id}/interactions"]),
    ("TaskQuery", &["/api/v1/tasks"]),
    ("MonthQuery", &["/api/v1/promises/broken"]),
    ("DraftQuery", &["/api/v1/tasks/{id}/draft"]),
    (
        "GreetingQuery",
        &["/api/v1/greeting-campaigns/{id}/greetings"],
    ),
    ("ContactGreetingQuery", &["/api/v1/contacts/{id}/greetings"]),
    ("ReferralQuery", &["/api/v1/referrals"]),
    ("RewardQuery", &["/api/v1/referral-rewards"]),
    ("SheetQuery", &["/api/v1/orders/{id}/labels"]),
    (
        "ExportParams",
        &[
            "/api/v1/customers/export",
            "/api/v1/contacts/export",
            "/api/v1/products/export",
            "/api/v1/orders/export",
        ],
    ),
];

/// Writes each list query's rules into the GET operations that read it.
fn publish_query_rules(doc: &mut Value) {
    for (query, rules) in validate::query_rules() {
        let Some((_, paths)) = QUERY_USERS.iter().find(|(q, _)| *q == query) else {
            tracing::warn!(query, "no operation is known to read this query");
            continue;
        };
        for path in *paths {
            let pointer = format!("/paths/{}/get/parameters", path.replace('/', "~1"));
            let Some(Value::Array(params)) = doc.pointer_mut(&pointer) else {
                tracing::warn!(path, "no such operation to state query rules on");
                continue;
            };
            for rule in &rules {
                let Some(key) = rule.key() else { continue };
                let Some(param) = params
                    .iter_mut()
                    .find(|p| p["name"] == key && p["in"] == "query")
                else {
                    tracing::warn!(path, key, "no such query parameter");
                    continue;
                };
                let (schema, _) = property(rule);
                param["schema"] = schema;
            }
        }
    }
}

/// The import's form: `commit` is `true` or `false`, `mapping` a JSON object sent as a part
/// of type application/json (a whole mapping, or overrides header → field).
fn publish_import_upload(doc: &mut Value) {
    use huike_app::import::Field as ImportField;
    let fields: Vec<Value> = ImportField::ALL
        .iter()
        .map(|f| Value::String(f.key().to_string()))
        .chain(std::iter::once(Value::Null))
        .collect();
    let mapping = json!({
        "description": "A whole mapping (`{\"columns\":[{\"index\":0,\"header\":\"…\",\"field\":\"name\"},…]}`) \
            or overrides of the suggested one, header text or 1-based column → field key or \
            label, null or \"\" to ignore the column (`{\"手机\":\"contact_phone\",\"备注\":null}`).",
        "anyOf": [
            {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
            {
                "type": "object",
                "required": ["columns"],
                "properties": {"columns": {"type": "array", "items": {
                    "type": "object",
                    "required": ["index", "header"],
                    "properties": {
                        "index": {"type": "integer", "minimum": 0, "maximum": i64::MAX},
                        "header": {"type": "string"},
                        "field": {"enum": fields},
                    }
                }}}
            }
        ]
    });
    if let Some(Value::Object(upload)) = doc.pointer_mut("/components/schemas/ImportUpload") {
        // The server refuses a part the form does not have.
        upload.insert("additionalProperties".into(), json!(false));
        if let Some(Value::Object(props)) = upload.get_mut("properties") {
            props.insert("mapping".into(), mapping);
            props.insert(
                "commit".into(),
                json!({"type": "boolean", "description": "`true` writes when nothing is wrong \
                    (all or nothing); `false` (the default) is a dry run."}),
            );
            props.insert(
                "encoding".into(),
                json!({"type": "string", "description": ENCODING_MEANING,
                       "anyOf": [{"pattern": blank()}, {"format": ENCODING_FORMAT}]}),
            );
            // A part is text: whatever it holds is the sheet's name.
            props.insert(
                "sheet".into(),
                json!({"description": "The worksheet to read, by name (the part's text, \
                    whatever it is); the first when absent."}),
            );
        }
    }
    let form = "/paths/~1api~1v1~1imports/post/requestBody/content/multipart~1form-data";
    if let Some(Value::Object(content)) = doc.pointer_mut(form) {
        content.insert(
            "encoding".into(),
            json!({"mapping": {"contentType": "application/json"}}),
        );
    }
}

/// The order import's form: the parts it has and no other, `commit` and `past_tasks` `true`
/// or `false`, and the encoding as the customer import reads it.
fn publish_order_import_upload(doc: &mut Value) {
    let pointer = "/components/schemas/OrderImportUpload";
    if let Some(Value::Object(upload)) = doc.pointer_mut(pointer) {
        upload.insert("additionalProperties".into(), json!(false));
        if let Some(Value::Object(props)) = upload.get_mut("properties") {
            props.insert(
                "encoding".into(),
                json!({"type": "string", "description": ENCODING_MEANING,
                       "anyOf": [{"pattern": blank()}, {"format": ENCODING_FORMAT}]}),
            );
            props.insert(
                "sheet".into(),
                json!({"description": "The worksheet to read, by name (the part's text, \
                    whatever it is); the first when absent."}),
            );
        }
    }
}

/// The festival calendar's years (`huike_domain::festival::MIN_YEAR`, `MAX_YEAR`).
fn publish_festival_years(doc: &mut Value) {
    use huike_domain::festival::{MAX_YEAR, MIN_YEAR};
    let pointer = "/paths/~1api~1v1~1calendar~1festivals/get/parameters";
    if let Some(Value::Array(params)) = doc.pointer_mut(pointer) {
        for p in params.iter_mut().filter(|p| p["name"] == "year") {
            merge(
                &mut p["schema"],
                json!({"minimum": MIN_YEAR, "maximum": MAX_YEAR}),
            );
        }
    }
}

/// A template's kind and language in its paths: a kind there is not is answered 404, a
/// language there is not 422 (`huike_app::templates::KINDS`, `Lang::ALL`).
fn publish_template_paths(doc: &mut Value) {
    let langs: Vec<&str> = huike_domain::Lang::ALL.iter().map(|l| l.code()).collect();
    for (path, method) in [
        ("/api/v1/templates/{kind}/{lang}", "put"),
        ("/api/v1/templates/{kind}/{lang}/preview", "post"),
    ] {
        let pointer = format!("/paths/{}/{method}/parameters", path.replace('/', "~1"));
        let Some(Value::Array(params)) = doc.pointer_mut(&pointer) else {
            tracing::warn!(path, "no such operation to state its path's codes on");
            continue;
        };
        for p in params.iter_mut() {
            let codes: &[&str] = match p["name"].as_str() {
                Some("kind") => huike_app::templates::KINDS,
                Some("lang") => &langs,
                _ => continue,
            };
            p["schema"] = json!({"type": "string", "enum": codes});
        }
    }
}

/// No text anywhere may hold NUL: every string of an input, query or path parameter that no
/// rule describes more closely says so.
fn forbid_nul(doc: &mut Value) {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(o) => {
                let is_string = match o.get("type") {
                    Some(Value::String(t)) => t == "string",
                    Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                    _ => false,
                };
                let described = ["pattern", "enum", "const", "format", "anyOf", "$ref"]
                    .iter()
                    .any(|k| o.contains_key(*k));
                if is_string && !described {
                    o.insert("pattern".into(), Value::String(NUL_FREE.into()));
                }
                for (k, child) in o.iter_mut() {
                    // A pattern is a string, not a schema; examples and defaults are values.
                    if !matches!(
                        k.as_str(),
                        "enum" | "const" | "default" | "example" | "examples"
                    ) {
                        walk(child);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    for (name, _) in validate::input_rules() {
        if let Some(s) = schema_mut(doc, name) {
            walk(s);
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for ops in paths.values_mut() {
            let Some(ops) = ops.as_object_mut() else {
                continue;
            };
            for op in ops.values_mut() {
                if let Some(Value::Array(params)) = op.get_mut("parameters") {
                    for p in params.iter_mut() {
                        if let Some(s) = p.get_mut("schema") {
                            walk(s);
                        }
                    }
                }
            }
        }
    }
}
