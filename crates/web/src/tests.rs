//! The API document states the rules the checks apply: every input property has its rule in
//! the document, every coded field its `enum`, every text field its `pattern` and length, and
//! the patterns and the birthday's branches accept exactly what the checks accept.

use std::sync::OnceLock;

use huike_app::contacts::ContactInput;
use huike_app::validate::{self, Checker, Rule, TextKind};
use regex::Regex;
use serde_json::{Value, json};

use crate::api_doc;

fn doc() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(super::openapi)
}

fn schema(name: &str) -> &'static Value {
    let s = &doc()["components"]["schemas"][name];
    assert!(s.is_object(), "{name} is not a schema of the document");
    s
}

/// Where an input states the rule of `key`: its property, or, for an entry that is skipped
/// when blank, the branch that holds for an entry that is not.
fn stated<'a>(s: &'a Value, key: &str, skipped: bool) -> (&'a Value, bool) {
    let holder = if skipped {
        s["allOf"]
            .as_array()
            .and_then(|a| a.iter().find_map(|w| w["anyOf"].get(0)))
            .unwrap_or(&Value::Null)
    } else {
        s
    };
    let required = holder["required"]
        .as_array()
        .is_some_and(|r| r.iter().any(|x| x == key));
    (&holder["properties"][key], required)
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn code_enum(codes: &[&str], required: bool) -> Vec<String> {
    let mut e: Vec<String> = Vec::new();
    if !required {
        e.push(String::new());
    }
    e.extend(codes.iter().map(|c| c.to_string()));
    e
}

/// Properties whose rule is on the whole input (the birthday) or that need none.
const FREE: &[(&str, &str)] = &[
    ("CustomerInput", "version"),
    ("ContactInput", "version"),
    ("ContactInput", "birthday_calendar"),
    ("ContactInput", "birthday_year"),
    ("ContactInput", "birthday_month"),
    ("ContactInput", "birthday_day"),
    ("ContactInput", "birthday_leap"),
];

#[test]
fn every_input_property_has_its_rule_in_the_document() {
    for (name, rules) in validate::input_rules() {
        let s = schema(name);
        let keys: Vec<&str> = rules.iter().filter_map(Rule::key).collect();
        let props = s["properties"].as_object().expect("properties");
        for prop in props.keys() {
            assert!(
                keys.contains(&prop.as_str()) || FREE.contains(&(name, prop.as_str())),
                "{name}.{prop} is in the document with no rule in validate::input_rules"
            );
        }
        let skipped = rules
            .iter()
            .any(|r| matches!(r, Rule::SkippedWhenBlank { .. }));
        for rule in &rules {
            let Some(key) = rule.key() else { continue };
            assert!(
                props.contains_key(key),
                "{name}.{key} is not in the document"
            );
            let (p, required) = stated(s, key, skipped);
            let at = format!("{name}.{key}: {p}");
            match rule {
                Rule::Text(f) => {
                    assert_eq!(p["maxLength"], json!(f.max), "{at}");
                    assert_eq!(
                        p["pattern"].as_str(),
                        api_doc::text_pattern(f).as_deref(),
                        "{at}: a ruled field needs its pattern"
                    );
                    assert_eq!(required, f.required, "{at}");
                    match f.kind {
                        TextKind::Phone => {
                            assert_eq!(p["anyOf"][1]["format"], api_doc::PHONE_FORMAT)
                        }
                        TextKind::Email => {
                            assert_eq!(p["anyOf"][1]["format"], api_doc::EMAIL_FORMAT)
                        }
                        _ => {}
                    }
                }
                Rule::Code {
                    codes, required: r, ..
                } => {
                    assert_eq!(
                        strings(&p["enum"]),
                        code_enum(codes, *r),
                        "{at}: a coded field needs its enum"
                    );
                    assert_eq!(required, *r, "{at}");
                }
                Rule::CodeList { codes, .. } => assert_eq!(
                    strings(&p["items"]["enum"]),
                    code_enum(codes, false),
                    "{at}"
                ),
                Rule::Date { .. } => assert!(p.to_string().contains("\"date\""), "{at}"),
                Rule::DayFromToday { .. } => {
                    assert_eq!(p["format"], "date", "{at}");
                    assert!(
                        p["description"]
                            .as_str()
                            .is_some_and(|d| d.contains("today")),
                        "{at}: the rule JSON Schema cannot state is stated in words"
                    );
                    assert!(required, "{at}");
                }
                Rule::Month { .. } => {
                    assert_eq!(p["pattern"].as_str(), Some(api_doc::MONTH_PATTERN), "{at}")
                }
                Rule::CodeSet { codes, min, .. } => {
                    assert_eq!(strings(&p["items"]["enum"]), *codes, "{at}");
                    assert_eq!(p["minItems"], json!(min), "{at}");
                    assert_eq!(required, *min > 0, "{at}");
                }
                Rule::TextMap { .. } => {
                    assert_eq!(
                        p["additionalProperties"]["pattern"],
                        api_doc::NUL_FREE,
                        "{at}"
                    );
                    assert_eq!(p["propertyNames"]["pattern"], api_doc::NUL_FREE, "{at}");
                }
                Rule::Reference { required: r, .. } => {
                    assert!(p["pattern"].is_string(), "{at}");
                    assert_eq!(required, *r, "{at}");
                }
                Rule::Password { min, max, .. } => {
                    assert_eq!(p["minLength"], json!(min), "{at}");
                    assert_eq!(p["maxLength"], json!(max), "{at}");
                    assert!(required, "{at}");
                }
                Rule::Money { required: r, .. } => {
                    assert!(p.to_string().contains(api_doc::MONEY_FORMAT), "{at}");
                    assert_eq!(required, *r, "{at}");
                }
                Rule::Whole { min, max, .. } => assert_eq!(
                    p["pattern"].as_str(),
                    Some(api_doc::whole_pattern(*min, *max).as_str())
                ),
                Rule::Flag { .. } => assert!(p["anyOf"].is_array(), "{at}"),
                Rule::Currency { .. } | Rule::LocalTime { .. } => {
                    assert!(p["pattern"].is_string() || p["anyOf"].is_array(), "{at}")
                }
                Rule::Items { min, .. } => {
                    if *min > 0 {
                        assert!(
                            p["minItems"] == json!(min) || p["contains"].is_object(),
                            "{at}"
                        );
                    }
                }
                Rule::Archive { .. } => assert!(p["properties"]["sections"].is_object()),
                Rule::SkippedWhenBlank { .. }
                | Rule::Birthday(_)
                | Rule::RequiredWhen { .. }
                | Rule::Renders { .. } => {}
            }
        }
    }
    // The limits as numbers, once, to catch a rule whose constant changed unseen.
    assert_eq!(
        schema("CustomerInput")["properties"]["city"]["maxLength"],
        50
    );
    assert_eq!(
        schema("UserInput")["properties"]["password"]["minLength"],
        8
    );
}

#[test]
fn every_list_query_states_its_codes_on_every_operation_that_reads_it() {
    for (query, rules) in validate::query_rules() {
        let (_, paths) = api_doc::QUERY_USERS
            .iter()
            .find(|(q, _)| *q == query)
            .unwrap_or_else(|| panic!("no operation is listed as reading {query}"));
        for path in *paths {
            let params = &doc()["paths"][*path]["get"]["parameters"];
            assert!(params.is_array(), "GET {path} is not in the document");
            for rule in &rules {
                let Some(key) = rule.key() else { continue };
                let p = params
                    .as_array()
                    .and_then(|a| a.iter().find(|p| p["name"] == key))
                    .unwrap_or_else(|| panic!("GET {path} has no parameter {key}"));
                if let Rule::Month { .. } = rule {
                    assert_eq!(
                        p["schema"]["pattern"].as_str(),
                        Some(api_doc::MONTH_PATTERN),
                        "GET {path} {key}"
                    );
                }
                if let Rule::Code {
                    codes, required, ..
                } = rule
                {
                    assert_eq!(
                        strings(&p["schema"]["enum"]),
                        code_enum(codes, *required),
                        "GET {path} {key}"
                    );
                }
            }
        }
    }
    // Whatever list is added, its sort order and direction are codes.
    for (path, ops) in doc()["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "sort" || p["name"] == "dir" {
                    assert!(
                        p["schema"]["enum"].is_array(),
                        "{method} {path} {}: no enum",
                        p["name"]
                    );
                }
            }
        }
    }
}

/// Every text an input, query or path takes says NUL is refused, or states a closer rule.
#[test]
fn no_string_is_left_without_a_rule() {
    fn check(v: &Value, at: &str) {
        match v {
            Value::Object(o) => {
                if o.get("type") == Some(&json!("string")) {
                    assert!(
                        ["pattern", "enum", "const", "format", "anyOf"]
                            .iter()
                            .any(|k| o.contains_key(*k)),
                        "{at}: a string with no rule"
                    );
                }
                for (k, child) in o {
                    if !matches!(k.as_str(), "enum" | "const" | "default" | "example") {
                        check(child, &format!("{at}.{k}"));
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| check(x, at)),
            _ => {}
        }
    }
    for (name, _) in validate::input_rules() {
        check(schema(name), name);
    }
    for (path, ops) in doc()["paths"].as_object().expect("paths") {
        for op in ops.as_object().expect("operations").values() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                check(&p["schema"], &format!("{path} {}", p["name"]));
            }
        }
    }
    let year = &doc()["paths"]["/api/v1/calendar/festivals"]["get"]["parameters"][0]["schema"];
    assert_eq!(year["minimum"], 1901);
    assert_eq!(year["maximum"], 2100);
}

/// Texts that probe the edges of the text rules: blanks of every kind, control characters
/// inside and around, NUL, line breaks, user name characters and their look-alikes.
const SAMPLES: &[&str] = &[
    "",
    " ",
    "  ",
    "a",
    " a ",
    "a b",
    "\u{3000}",
    "\u{3000}a",
    "\u{a0}",
    "\u{2028}x",
    "\u{b}a",
    "a\u{c}",
    "\u{85}",
    "x\u{85}",
    "a\u{0}b",
    "\u{0}",
    "a\nb",
    "\n",
    "\t",
    "ab\r\n",
    "\u{7f}",
    "\u{9f}x",
    "\u{1c}",
    "12345",
    " 123 ",
    "\t123\n",
    "12a",
    "１２",
    "bob.smith@x",
    "Bob_S-1",
    "bob smith",
    "\u{212a}",
    "é",
    "İ",
    "名字",
    "\u{feff}",
    "http://x",
    " https://例子.cn/a b\u{3000}",
    "https://",
    "ftp://x",
    "HTTP://x",
    "http:/x",
    "\u{b}http://x",
    "http://x\u{85}",
];

/// The month's pattern accepts exactly what the check reads as a month.
#[test]
fn the_month_pattern_accepts_what_the_check_accepts() {
    let re = Regex::new(api_doc::MONTH_PATTERN).expect("the pattern compiles");
    for s in [
        "",
        "2026-04",
        "2026-12",
        "0000-01",
        "2026-13",
        "2026-00",
        "2026-4",
        "26-04",
        " 2026-04",
        "2026-04 ",
        "2026-04-01",
        "２０２６-04",
        "+2026-04",
        "2026/04",
        "202604",
    ] {
        let mut c = Checker::new();
        c.month(huike_app::promises::MONTH, s);
        assert_eq!(re.is_match(s), c.is_ok(), "{s:?}");
    }
}

#[test]
fn text_patterns_accept_what_the_checks_accept() {
    for (name, rules) in validate::input_rules() {
        for rule in rules {
            let Rule::Text(f) = rule else { continue };
            // A phone or an e-mail address is stated by its format (the hooks of
            // scripts/api-fuzz draw from it); what it allows is the parser's to say.
            let Some(pattern) = api_doc::text_pattern(&f) else {
                assert!(matches!(f.kind, TextKind::Phone | TextKind::Email));
                continue;
            };
            let re = Regex::new(&pattern).expect("the pattern compiles");
            for s in SAMPLES.iter().map(|s| s.to_string()).chain([
                "x".repeat(f.max),
                "x".repeat(f.max + 1),
                format!(" {} ", "x".repeat(f.max - 1)),
            ]) {
                let by_document = re.is_match(&s) && s.chars().count() <= f.max;
                let mut c = Checker::new();
                c.check(f, &s);
                let by_check = c.is_ok();
                assert_eq!(
                    by_document, by_check,
                    "{name}.{} with {pattern}: {s:?}",
                    f.key
                );
            }
        }
    }
}

/// The character classes are built from the Basic Multilingual Plane: no character above
/// it is a refused control character, a blank or a user name character.
#[test]
fn the_predicates_hold_for_no_character_above_the_bmp() {
    for c in (0x1_0000u32..=0x10_FFFF).filter_map(char::from_u32) {
        assert!(
            !validate::is_refused_control(c)
                && !validate::is_blank(c)
                && !validate::is_username_char(c),
            "{c:?}"
        );
    }
}

#[test]
fn whole_number_patterns_are_exact() {
    for (min, max) in [1, 9, 10, 23, 345, 1000, 2100]
        .into_iter()
        .flat_map(|max| [(0, max), (1, max)])
    {
        let re = Regex::new(&api_doc::whole_pattern(min, max)).expect("compiles");
        for n in 0..=3000i64 {
            assert_eq!(
                re.is_match(&n.to_string()),
                (min..=max).contains(&n),
                "{min}–{max}: {n}"
            );
        }
        assert!(re.is_match(&format!("00{max}")));
        assert_eq!(re.is_match("000"), min == 0);
        for s in ["", "-1", "+1", " 1", "1.0", "1e3"] {
            assert!(!re.is_match(s), "{max}: {s:?}");
        }
    }
    let q = Regex::new(&api_doc::one_to(1_000_000_000)).expect("compiles");
    assert!(q.is_match("1000000000") && q.is_match("999999999"));
    assert!(!q.is_match("1000000001") && !q.is_match("9999999999"));
}

/// Whether `pattern` matches `s`, each pattern compiled once.
fn matches(pattern: &str, s: &str) -> bool {
    thread_local! {
        static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Regex>> =
            std::cell::RefCell::default();
    }
    COMPILED.with(|c| {
        c.borrow_mut()
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(pattern).expect("compiles"))
            .is_match(s)
    })
}

/// A small reader of the JSON Schema the birthday branches are written in: `const`,
/// `pattern`, `enum`, `type`, `anyOf`, `properties` and `required`.
fn holds(schema: &Value, v: &Value) -> bool {
    let Some(o) = schema.as_object() else {
        return true;
    };
    o.iter().all(|(k, rule)| match k.as_str() {
        "const" => v == rule,
        "enum" => rule.as_array().is_some_and(|e| e.contains(v)),
        "type" => match rule.as_str() {
            Some("string") => v.is_string(),
            Some("boolean") => v.is_boolean(),
            _ => true,
        },
        "pattern" => v
            .as_str()
            .is_none_or(|s| matches(rule.as_str().unwrap_or_default(), s)),
        "anyOf" => rule
            .as_array()
            .is_some_and(|a| a.iter().any(|b| holds(b, v))),
        "allOf" => rule
            .as_array()
            .is_some_and(|a| a.iter().all(|b| holds(b, v))),
        "not" => !holds(rule, v),
        "properties" => rule.as_object().is_some_and(|props| {
            props
                .iter()
                .all(|(p, s)| v.get(p).is_none_or(|x| holds(s, x)))
        }),
        "required" => rule.as_array().is_some_and(|r| {
            r.iter()
                .all(|p| p.as_str().is_some_and(|p| v.get(p).is_some()))
        }),
        _ => true,
    })
}

#[test]
fn the_birthday_branches_accept_what_the_check_accepts() {
    let s = schema("ContactInput");
    let whole = &json!({"allOf": s["allOf"].clone()});
    let flags: [Value; 5] = [
        json!(false),
        json!(true),
        json!("on"),
        json!("off"),
        json!(""),
    ];
    let years = [
        "", "1900", "1901", "2020", "2023", "02023", "2100", "2101", "1899", "0", "x",
    ];
    let mut tried = 0;
    for calendar in ["", "solar", "lunar", "Solar", " lunar"] {
        for year in years {
            for month in ["", "1", "2", "02", "4", "6", "12", "13", "0"] {
                for day in ["", "1", "28", "29", "30", "31", "032", "x1"] {
                    for leap in &flags {
                        let mut body = json!({"name": "张三"});
                        let fields = [
                            ("birthday_calendar", calendar),
                            ("birthday_year", year),
                            ("birthday_month", month),
                            ("birthday_day", day),
                        ];
                        for (k, v) in fields {
                            if !v.is_empty() {
                                body[k] = json!(v);
                            }
                        }
                        body["birthday_leap"] = leap.clone();
                        let input: ContactInput =
                            serde_json::from_value(body.clone()).expect("an input");
                        let by_check = huike_app::contacts::input_problems(&input).is_empty();
                        let by_document = holds(whole, &body);
                        assert_eq!(by_document, by_check, "{body}");
                        tried += 1;
                    }
                }
            }
        }
    }
    assert!(tried > 10_000);
}

#[test]
fn every_operation_has_its_own_id() {
    let mut seen = std::collections::BTreeSet::new();
    for (path, ops) in doc()["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            assert!(
                seen.insert(id.clone()),
                "{method} {path}: operation id {id} is taken"
            );
        }
    }
}
