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
    /// A user name: ASCII letters, digits and `. _ - @`, stored lowercased.
    Username,
    /// A web address that starts with `http://` or `https://` (a webhook's URL).
    HttpUrl,
}

/// A control character the text rules refuse: every one but the line breaks and the tab,
/// which people paste in notes and addresses.
pub fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// What trimming removes around a text (and all a blank text holds).
pub fn is_blank(c: char) -> bool {
    c.is_whitespace()
}

/// A character a user name may have.
pub fn is_username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')
}

/// A field as the user sees it: its key in forms and JSON, its name in each language, and the
/// rule its text follows. The field constants of each use case are the one place a limit is
/// stated; the import checks its cells with them too, so an imported record saves again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// How one property of an API input is checked, as the OpenAPI document states it. Each is
/// built from the constant or the vocabulary the check itself uses (`input_rules`), so the
/// document and the checks cannot drift apart.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Text checked by [`Checker::check`] with this field rule.
    Text(Field),
    /// One code of a vocabulary, exactly ([`Checker::code`]); "" is none (or the default)
    /// unless `required`.
    Code {
        key: &'static str,
        codes: Vec<&'static str>,
        required: bool,
    },
    /// A list of codes of a vocabulary ("" entries are skipped).
    CodeList {
        key: &'static str,
        codes: Vec<&'static str>,
    },
    /// A list of at least `min` codes of a vocabulary, each exactly (a repeat counts once).
    CodeSet {
        key: &'static str,
        codes: Vec<&'static str>,
        min: usize,
    },
    /// Texts by name (any names): a JSON object whose values are strings.
    TextMap { key: &'static str },
    /// A date as [`Checker::date`] reads it: YYYY-MM-DD that exists; "" unless `required`.
    Date { key: &'static str, required: bool },
    /// A required date that is today or later by the app's clock ([`Checker::day_from_today`]):
    /// a promise's day, a snoozed task's.
    DayFromToday { key: &'static str },
    /// A month written exactly YYYY-MM ([`Checker::month`]); "" is the current month.
    Month { key: &'static str },
    /// A local time "YYYY-MM-DD HH:MM" (or with T, or with seconds), or "" for now.
    LocalTime { key: &'static str },
    /// An amount in yuan as `huike_domain::money::parse_money` reads it, from 0 to `max_fen`
    /// 分; "" unless `required`.
    Money {
        key: &'static str,
        max_fen: i64,
        required: bool,
    },
    /// A whole number written in decimal digits, `min` to `max`.
    Whole {
        key: &'static str,
        min: i64,
        max: i64,
    },
    /// Three letters in any case (stored in capitals), or "" for CNY.
    Currency { key: &'static str },
    /// The id of a record of `of` ("user", "customer" …); "" unless `required`. An id that names
    /// none is answered 404 (`AppError::UnknownReference`), like a path that names none.
    Reference {
        key: &'static str,
        of: &'static str,
        required: bool,
    },
    /// A list of at least `min` entries.
    Items { key: &'static str, min: usize },
    /// A password: `min` to `max` characters of any kind.
    Password {
        key: &'static str,
        min: usize,
        max: usize,
    },
    /// A box ticked or not: a JSON boolean or one of the words forms send (`de_flag`).
    Flag { key: &'static str },
    /// `key` may not be blank when `when_key` is `when_value` (a manager's department).
    RequiredWhen {
        key: &'static str,
        when_key: &'static str,
        when_value: &'static str,
    },
    /// An entry whose `keys` are all blank is skipped unchecked (an empty row of a form).
    SkippedWhenBlank { keys: Vec<&'static str> },
    /// The texts of `keys` are message templates that must render on sample data
    /// (`templates::render`): minijinja syntax, known fields only, a bounded number of steps.
    Renders { keys: Vec<&'static str> },
    /// The contact's birthday, checked as a whole: every way of writing it that the check
    /// accepts (`contacts::birthday_shapes`).
    Birthday(Vec<crate::contacts::BirthdayShape>),
    /// The customer's archive (`huike_domain::Archive::validate`).
    Archive { key: &'static str },
}

impl Rule {
    /// The property the rule is about (none for a rule on the whole input).
    pub fn key(&self) -> Option<&'static str> {
        match self {
            Rule::Text(f) => Some(f.key),
            Rule::Code { key, .. }
            | Rule::CodeList { key, .. }
            | Rule::Date { key, .. }
            | Rule::DayFromToday { key }
            | Rule::Month { key }
            | Rule::CodeSet { key, .. }
            | Rule::TextMap { key }
            | Rule::LocalTime { key }
            | Rule::Money { key, .. }
            | Rule::Whole { key, .. }
            | Rule::Currency { key }
            | Rule::Reference { key, .. }
            | Rule::Items { key, .. }
            | Rule::Password { key, .. }
            | Rule::Flag { key }
            | Rule::Archive { key } => Some(key),
            Rule::SkippedWhenBlank { .. }
            | Rule::Birthday(_)
            | Rule::RequiredWhen { .. }
            | Rule::Renders { .. } => None,
        }
    }
}

/// The codes of a vocabulary, in its order.
pub fn codes<T: huike_domain::coded::Coded>() -> Vec<&'static str> {
    T::all().iter().map(|v| v.code()).collect()
}

fn code(f: Field, codes: Vec<&'static str>) -> Rule {
    Rule::Code {
        key: f.key,
        codes,
        required: false,
    }
}

/// Each input type of the API with the rules of its properties (by JSON property name = the
/// field's key), so the OpenAPI document states the very rules the checks apply. The
/// document's test fails when a property of an input has no rule here.
pub fn input_rules() -> Vec<(&'static str, Vec<Rule>)> {
    use huike_domain::{
        ArchiveSection, BuyingRole, Channel, CustomerClass, CustomerKind, Direction,
        FamilyEventKind, Lang, PersonalityType,
    };

    use crate::{access::Role, auth, contacts, customers, orders, products, timeline, users};
    let text = |fields: &[Field]| fields.iter().copied().map(Rule::Text).collect::<Vec<_>>();
    let with = |mut a: Vec<Rule>, b: Vec<Rule>| {
        a.extend(b);
        a
    };
    vec![
        (
            "CustomerInput",
            with(
                text(&[
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
                ]),
                vec![
                    code(customers::KIND, codes::<CustomerKind>()),
                    code(customers::CLASS, codes::<CustomerClass>()),
                    Rule::Reference {
                        key: customers::OWNER.key,
                        of: "user",
                        required: false,
                    },
                    Rule::Date {
                        key: customers::FOUNDED.key,
                        required: false,
                    },
                    Rule::Date {
                        key: customers::FIRST_TRADE.key,
                        required: false,
                    },
                    Rule::CodeList {
                        key: "confirm_sections",
                        codes: codes::<ArchiveSection>(),
                    },
                    Rule::Archive {
                        key: customers::ARCHIVE.key,
                    },
                ],
            ),
        ),
        (
            "ContactInput",
            with(
                text(&[
                    contacts::NAME,
                    contacts::TITLE,
                    contacts::PHONE,
                    contacts::EMAIL,
                    contacts::WECHAT,
                    contacts::QQ,
                    contacts::HOBBIES,
                    contacts::NOTES,
                ]),
                vec![
                    code(contacts::PERSONALITY, codes::<PersonalityType>()),
                    code(contacts::ROLE, codes::<BuyingRole>()),
                    code(contacts::CHANNEL, codes::<Channel>()),
                    Rule::Flag { key: "low_key" },
                    Rule::Flag {
                        key: "personal_interest",
                    },
                    Rule::Flag {
                        key: "org_interest",
                    },
                    Rule::Items {
                        key: contacts::FAMILY.key,
                        min: 0,
                    },
                    Rule::Birthday(contacts::birthday_shapes()),
                ],
            ),
        ),
        (
            "FamilyEventInput",
            vec![
                Rule::Code {
                    key: "kind",
                    codes: codes::<FamilyEventKind>(),
                    required: true,
                },
                Rule::Date {
                    key: "date",
                    required: false,
                },
                Rule::Text(Field {
                    key: "note",
                    ..contacts::FAMILY_NOTE
                }),
                Rule::SkippedWhenBlank {
                    keys: vec!["kind", "date", "note"],
                },
            ],
        ),
        (
            "ProductInput",
            with(
                text(&[products::SKU, products::NAME, products::UNIT]),
                vec![
                    Rule::Money {
                        key: products::PRICE.key,
                        max_fen: products::MAX_PRICE_FEN,
                        required: true,
                    },
                    Rule::Currency {
                        key: products::CURRENCY.key,
                    },
                    Rule::Reference {
                        key: products::CATEGORY.key,
                        of: "category",
                        required: false,
                    },
                    Rule::Flag { key: "active" },
                ],
            ),
        ),
        (
            "CategoryInput",
            vec![
                Rule::Text(products::CATEGORY_NAME),
                Rule::Reference {
                    key: "parent_id",
                    of: "category",
                    required: false,
                },
            ],
        ),
        (
            "UserInput",
            vec![
                Rule::Text(users::USERNAME),
                Rule::Text(users::DISPLAY_NAME),
                Rule::Text(users::EMAIL),
                Rule::Text(users::PHONE),
                Rule::Text(users::WECHAT),
                Rule::Code {
                    key: users::ROLE.key,
                    codes: Role::ALL.iter().map(|r| r.code()).collect(),
                    required: false,
                },
                Rule::Code {
                    key: users::LOCALE.key,
                    codes: Lang::ALL.iter().map(|l| l.code()).collect(),
                    required: false,
                },
                Rule::Reference {
                    key: users::DEPARTMENT.key,
                    of: "department",
                    required: false,
                },
                Rule::RequiredWhen {
                    key: users::DEPARTMENT.key,
                    when_key: users::ROLE.key,
                    when_value: Role::Manager.code(),
                },
                Rule::Password {
                    key: "password",
                    min: auth::PASSWORD_MIN_CHARS,
                    max: auth::PASSWORD_MAX_CHARS,
                },
                Rule::Flag { key: "active" },
            ],
        ),
        (
            "InteractionInput",
            vec![
                Rule::Text(timeline::SUMMARY),
                Rule::Code {
                    key: timeline::CHANNEL.key,
                    codes: codes::<Channel>(),
                    required: true,
                },
                code(timeline::DIRECTION, codes::<Direction>()),
                Rule::LocalTime {
                    key: timeline::WHEN.key,
                },
                Rule::Reference {
                    key: timeline::CONTACT.key,
                    of: "contact of the customer",
                    required: false,
                },
            ],
        ),
        (
            "OrderInput",
            vec![
                Rule::Text(orders::NOTES),
                Rule::Reference {
                    key: orders::CUSTOMER.key,
                    of: "customer",
                    required: true,
                },
                Rule::Reference {
                    key: orders::CONTACT.key,
                    of: "contact of the customer",
                    required: false,
                },
                Rule::Reference {
                    key: orders::SALESPERSON.key,
                    of: "user",
                    required: false,
                },
                Rule::Date {
                    key: orders::ORDER_DATE.key,
                    required: false,
                },
                Rule::Date {
                    key: orders::DELIVERY_DATE.key,
                    required: false,
                },
                Rule::Currency {
                    key: orders::CURRENCY.key,
                },
                Rule::Items {
                    key: orders::LINES.key,
                    min: 1,
                },
                Rule::Text(orders::DOUBTS),
                code(orders::STATUS, codes::<huike_domain::OrderStatus>()),
            ],
        ),
        (
            "OrderLineInput",
            vec![
                // A blank product is an unknown one (404), unless the quantity is blank too.
                Rule::Reference {
                    key: "product_id",
                    of: "product",
                    required: false,
                },
                Rule::Whole {
                    key: "quantity",
                    min: 1,
                    max: orders::MAX_QUANTITY,
                },
                Rule::Money {
                    key: "unit_price",
                    max_fen: products::MAX_PRICE_FEN,
                    required: false,
                },
                Rule::SkippedWhenBlank {
                    keys: vec!["product_id", "quantity"],
                },
            ],
        ),
        ("TokenInput", vec![Rule::Text(auth::TOKEN_NAME)]),
        // After the sale.
        (
            "DoneInput",
            vec![
                Rule::Code {
                    key: crate::tasks::OUTCOME.key,
                    codes: codes::<huike_domain::Outcome>(),
                    required: true,
                },
                Rule::Text(crate::tasks::NOTE),
                code(crate::tasks::CHANNEL, codes::<Channel>()),
            ],
        ),
        (
            "ReassignInput",
            vec![Rule::Reference {
                key: crate::tasks::OWNER.key,
                of: "user who can see the customer",
                required: true,
            }],
        ),
        (
            "NoteInput",
            vec![
                Rule::Code {
                    key: crate::notes::CHANNEL.key,
                    codes: vec!["email", "sms"],
                    required: true,
                },
                Rule::Text(crate::notes::SUBJECT),
                Rule::Text(crate::notes::BODY),
                code(
                    crate::notes::LANG,
                    Lang::ALL.iter().map(|l| l.code()).collect(),
                ),
            ],
        ),
        (
            "OptOutInput",
            vec![
                Rule::Code {
                    key: "channel",
                    codes: codes::<Channel>(),
                    required: true,
                },
                Rule::Flag { key: "out" },
            ],
        ),
        (
            "CloseInput",
            vec![
                Rule::Flag { key: "kept" },
                Rule::Text(crate::promises::NOTE),
            ],
        ),
        (
            "PhraseInput",
            vec![
                Rule::Text(crate::phrases::PHRASE),
                code(
                    crate::phrases::LANG,
                    Lang::ALL.iter().map(|l| l.code()).collect(),
                ),
                Rule::Text(crate::phrases::REASON_ZH),
                Rule::Text(crate::phrases::REASON_EN),
                Rule::Text(crate::phrases::BETTER_ZH),
                Rule::Text(crate::phrases::BETTER_EN),
                Rule::Text(crate::phrases::INNOCENT),
            ],
        ),
        (
            "PromiseInput",
            vec![
                Rule::Reference {
                    key: crate::promises::CUSTOMER.key,
                    of: "customer",
                    required: true,
                },
                Rule::Reference {
                    key: crate::promises::CONTACT.key,
                    of: "contact of the customer",
                    required: false,
                },
                Rule::Text(crate::promises::WHAT),
                Rule::Text(crate::promises::TO_WHOM),
                Rule::DayFromToday {
                    key: crate::promises::DUE.key,
                },
                Rule::Reference {
                    key: crate::promises::OWNER.key,
                    of: "user",
                    required: false,
                },
                Rule::Reference {
                    key: crate::promises::INTERACTION.key,
                    of: "timeline entry of the customer",
                    required: false,
                },
                Rule::Reference {
                    key: crate::promises::TASK.key,
                    of: "task of the customer",
                    required: false,
                },
            ],
        ),
        (
            "SnoozeInput",
            vec![Rule::DayFromToday {
                key: crate::tasks::UNTIL.key,
            }],
        ),
        (
            "WebhookInput",
            vec![
                Rule::Text(crate::webhooks::URL),
                Rule::CodeSet {
                    key: crate::webhooks::EVENTS.key,
                    codes: crate::webhooks::EVENT_NAMES.to_vec(),
                    min: 1,
                },
            ],
        ),
        (
            "TemplateInput",
            vec![
                Rule::Text(crate::templates::SUBJECT),
                Rule::Text(crate::templates::BODY),
                Rule::Renders {
                    keys: vec![crate::templates::SUBJECT.key, crate::templates::BODY.key],
                },
            ],
        ),
        (
            "CheckInput",
            vec![Rule::TextMap {
                key: crate::phrases::TEXTS.key,
            }],
        ),
        (
            "PersonalInput",
            text(&[
                crate::greeting_campaigns::SUBJECT,
                crate::greeting_campaigns::BODY,
            ]),
        ),
        (
            "FestivalsInput",
            vec![
                Rule::Whole {
                    key: crate::greeting_calendar::WINDOW.key,
                    min: 1,
                    max: crate::greeting_calendar::MAX_WINDOW,
                },
                Rule::CodeList {
                    key: crate::greeting_calendar::FESTIVALS.key,
                    codes: codes::<huike_domain::Festival>(),
                },
            ],
        ),
        (
            "ThemeInput",
            vec![
                Rule::Whole {
                    key: crate::greeting_calendar::DAY.key,
                    min: 1,
                    max: 31,
                },
                Rule::Text(crate::greeting_calendar::THEME_ZH),
                Rule::Text(crate::greeting_calendar::THEME_EN),
            ],
        ),
        (
            "FaultInput",
            vec![
                Rule::Text(crate::faults::TITLE),
                Rule::Text(crate::faults::NOTICE),
                Rule::Text(crate::faults::ORDER_NUMBERS),
                Rule::Date {
                    key: crate::faults::ORDER_FROM.key,
                    required: false,
                },
                Rule::Date {
                    key: crate::faults::ORDER_TO.key,
                    required: false,
                },
            ],
        ),
        (
            "NewsInput",
            vec![
                Rule::Items {
                    key: crate::news::CATEGORIES.key,
                    min: 1,
                },
                Rule::Date {
                    key: crate::news::BOUGHT_FROM.key,
                    required: false,
                },
                code(crate::news::ACTION, crate::news::ACTIONS.to_vec()),
                code(
                    crate::news::LANG,
                    Lang::ALL.iter().map(|l| l.code()).collect(),
                ),
            ],
        ),
        (
            "ComfortInput",
            vec![
                Rule::DayFromToday {
                    key: crate::contacts::COMFORT_DAY.key,
                },
                Rule::Text(crate::contacts::COMFORT_NOTE),
            ],
        ),
        ("LabelSettings", vec![Rule::Text(crate::labels::COMPANY)]),
        (
            "ReferralInput",
            vec![
                Rule::Text(crate::referrals::PROSPECT),
                Rule::Text(crate::referrals::PERSON),
                Rule::Text(crate::referrals::PHONE),
                Rule::Text(crate::referrals::EMAIL),
                Rule::Text(crate::referrals::NOTE),
                Rule::Reference {
                    key: crate::referrals::REFERRER_CONTACT.key,
                    of: "contact of the customer",
                    required: false,
                },
            ],
        ),
        (
            "StatusInput",
            vec![
                Rule::Code {
                    key: crate::referrals::STATUS.key,
                    codes: crate::referrals::SET_STATUSES.to_vec(),
                    required: true,
                },
                Rule::Text(crate::referrals::REASON),
                Rule::RequiredWhen {
                    key: crate::referrals::REASON.key,
                    when_key: crate::referrals::STATUS.key,
                    when_value: "lost",
                },
            ],
        ),
        (
            "ConvertInput",
            vec![Rule::Reference {
                key: crate::referrals::CUSTOMER.key,
                of: "customer",
                required: true,
            }],
        ),
        (
            "PolicyInput",
            vec![
                Rule::Money {
                    key: crate::referrals::AMOUNT.key,
                    max_fen: crate::referrals::MAX_REWARD_FEN,
                    required: true,
                },
                Rule::Text(crate::referrals::GIFT),
            ],
        ),
        ("PayInput", vec![Rule::Text(crate::referrals::PAY_NOTE)]),
        (
            "SendInput",
            vec![code(
                crate::greeting_campaigns::LANG,
                Lang::ALL.iter().map(|l| l.code()).collect(),
            )],
        ),
    ]
}

/// A list's sort order.
pub const SORT: Field = field("sort", "排序", "Sort");
/// A list's sort direction.
pub const DIR: Field = field("dir", "排序方向", "Sort direction");
/// The sort directions (absent or "" is each list's default).
pub const DIRECTIONS: &[&str] = &["asc", "desc"];

/// Each list query of the API with the rules of its parameters: the same rules its `check`
/// applies. Parameters without a rule are free text.
pub fn query_rules() -> Vec<(&'static str, Vec<Rule>)> {
    use huike_domain::{
        BuyingRole, Channel, CustomerClass, CustomerKind, Direction, PersonalityType,
    };

    use crate::{contacts, customers, list_export, orders, products};
    let sort =
        |sorts: &[&'static str]| vec![code(SORT, sorts.to_vec()), code(DIR, DIRECTIONS.to_vec())];
    let with = |mut a: Vec<Rule>, b: Vec<Rule>| {
        a.extend(b);
        a
    };
    vec![
        (
            "CustomerQuery",
            with(
                sort(customers::SORTS),
                vec![
                    code(customers::KIND, codes::<CustomerKind>()),
                    code(customers::CLASS_FILTER, codes::<CustomerClass>()),
                ],
            ),
        ),
        (
            "ContactQuery",
            with(
                sort(contacts::SORTS),
                vec![
                    code(contacts::PERSONALITY, codes::<PersonalityType>()),
                    code(contacts::ROLE, codes::<BuyingRole>()),
                ],
            ),
        ),
        ("ProductQuery", sort(products::SORTS)),
        (
            "OrderQuery",
            with(
                sort(orders::SORTS),
                vec![
                    Rule::Date {
                        key: orders::FROM.key,
                        required: false,
                    },
                    Rule::Date {
                        key: orders::TO.key,
                        required: false,
                    },
                ],
            ),
        ),
        (
            "TimelineQuery",
            vec![
                code(crate::timeline::CHANNEL, codes::<Channel>()),
                code(crate::timeline::DIRECTION, codes::<Direction>()),
            ],
        ),
        (
            "TaskQuery",
            vec![
                code(crate::tasks::KIND, codes::<huike_domain::TaskKind>()),
                code(crate::tasks::STATUS, codes::<huike_domain::TaskStatus>()),
                Rule::Date {
                    key: crate::tasks::DUE_FROM.key,
                    required: false,
                },
                Rule::Date {
                    key: crate::tasks::DUE_TO.key,
                    required: false,
                },
            ],
        ),
        (
            "MonthQuery",
            vec![Rule::Month {
                key: crate::promises::MONTH.key,
            }],
        ),
        (
            "DraftQuery",
            vec![code(
                crate::templates::LANG,
                Lang::ALL.iter().map(|l| l.code()).collect(),
            )],
        ),
        (
            "GreetingQuery",
            vec![code(
                crate::greeting_campaigns::STATUS,
                crate::greeting_campaigns::STATUSES.to_vec(),
            )],
        ),
        (
            "SheetQuery",
            vec![
                code(
                    crate::labels::FORMAT,
                    crate::labels::FORMATS.iter().map(|f| f.code).collect(),
                ),
                Rule::Whole {
                    key: crate::labels::SKIP.key,
                    min: 0,
                    max: crate::labels::MAX_SKIP,
                },
                Rule::Whole {
                    key: crate::labels::COUNT.key,
                    min: 1,
                    max: crate::labels::MAX_LABELS as i64,
                },
            ],
        ),
        (
            "ReferralQuery",
            vec![code(
                crate::referrals::STATUS,
                crate::referrals::STATUSES.to_vec(),
            )],
        ),
        (
            "RewardQuery",
            vec![code(
                crate::referrals::REWARD_STATUS,
                crate::referrals::REWARD_STATUSES.to_vec(),
            )],
        ),
        (
            "ContactGreetingQuery",
            vec![
                Rule::Date {
                    key: crate::greeting_campaigns::FROM.key,
                    required: false,
                },
                Rule::Date {
                    key: crate::greeting_campaigns::TO.key,
                    required: false,
                },
            ],
        ),
        (
            "ExportParams",
            vec![
                code(list_export::FORMAT, list_export::FORMATS.to_vec()),
                code(list_export::ENCODING, list_export::ENCODINGS.to_vec()),
            ],
        ),
    ]
}

#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
    /// References to records that do not exist: answered 404 when nothing else is wrong.
    missing: Vec<FieldError>,
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

    /// The field names a record that does not exist (or that the caller may not use): the
    /// input is well formed, so this is answered 404 unless something else is wrong with it.
    pub fn missing(&mut self, f: Field, code: &'static str, zh: String, en: String) {
        self.missing.push(field_error(f.key, code, zh, en));
    }

    /// Text of at most `max` characters as sent (the spaces around it count: the limit is the
    /// one the API document states for the value), stored trimmed; control characters other
    /// than line breaks and tabs are refused because they break exports and displays.
    fn text(&mut self, f: Field, value: &str, max: usize) -> String {
        let n = value.chars().count();
        if n > max {
            self.fail(
                f,
                "too_long",
                format!("「{}」最多 {max} 个字符，现在有 {n} 个字符。", f.zh),
                format!("{} may have at most {max} characters; it has {n}.", f.en),
            );
            return String::new();
        }
        if value.chars().any(is_refused_control) {
            self.fail(
                f,
                "control_character",
                format!("「{}」含有不可见的控制字符。", f.zh),
                format!("{} contains invisible control characters.", f.en),
            );
            return String::new();
        }
        value.trim().to_string()
    }

    /// Text checked by its field's rule: blank when allowed, at most `max` characters, no
    /// control characters, and a phone, e-mail, QQ number or web address in its form
    /// (normalised).
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
            TextKind::Username => {
                if !v.chars().all(is_username_char) {
                    self.fail(
                        f,
                        "invalid_username",
                        format!("「{}」只能包含字母、数字和 . _ - @。", f.zh),
                        format!("{} may contain only letters, digits and . _ - @.", f.en),
                    );
                    return String::new();
                }
                v.to_lowercase()
            }
            TextKind::HttpUrl => {
                if !(v.is_empty() || v.starts_with("http://") || v.starts_with("https://")) {
                    self.fail(
                        f,
                        "invalid_url",
                        format!("「{}」应以 http:// 或 https:// 开头。", f.zh),
                        format!("{} must start with http:// or https://.", f.en),
                    );
                    return String::new();
                }
                v
            }
        }
    }

    /// The problems found so far (the import turns them into row errors).
    pub fn into_errors(mut self) -> Vec<FieldError> {
        self.errors.append(&mut self.missing);
        self.errors
    }

    /// An optional calendar date written YYYY-MM-DD (RFC 3339's full-date: four-digit year,
    /// two-digit month and day, a day the month has); "" is none.
    pub fn date(&mut self, f: Field, value: &str) -> Option<String> {
        let v = value;
        if v.is_empty() {
            return None;
        }
        match parse_date(v) {
            Some(d) => Some(d.format("%Y-%m-%d").to_string()),
            None => {
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

    /// A required date (as [`Checker::date`] reads it) that is not before `today`: a day
    /// something is still to happen on.
    pub fn day_from_today(&mut self, f: Field, value: &str, today: NaiveDate) -> Option<String> {
        if value.is_empty() {
            self.fail(
                f,
                "required",
                format!("请填写「{}」。", f.zh),
                format!("{} is required.", f.en),
            );
            return None;
        }
        let day = self.date(f, value)?;
        let today = today.format("%Y-%m-%d").to_string();
        if day < today {
            self.fail(
                f,
                "in_the_past",
                format!("「{}」不能早于今天（{today}）。", f.zh),
                format!("{} cannot be before today ({today}).", f.en),
            );
            return None;
        }
        Some(day)
    }

    /// A month written exactly YYYY-MM, as its first day; "" is none.
    pub fn month(&mut self, f: Field, value: &str) -> Option<NaiveDate> {
        if value.is_empty() {
            return None;
        }
        let first = parse_date(&format!("{value}-01"));
        if first.is_none() {
            self.fail(
                f,
                "invalid_month",
                format!("「{}」应为 YYYY-MM，例如 2026-04；收到「{value}」。", f.zh),
                format!("{} must be YYYY-MM, e.g. 2026-04; got \"{value}\".", f.en),
            );
        }
        first
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

    /// A currency code: three letters in any case, stored in capitals, with spaces around it
    /// allowed; blank is CNY.
    pub fn currency(&mut self, f: Field, value: &str) -> String {
        let v = value.trim();
        if v.is_empty() {
            return "CNY".into();
        }
        if v.len() == 3 && v.chars().all(|c| c.is_ascii_alphabetic()) {
            return v.to_ascii_uppercase();
        }
        self.fail(
            f,
            "invalid_currency",
            format!("「{}」应为三位字母代码，例如 CNY；收到「{v}」。", f.zh),
            format!(
                "{} must be a three-letter code such as CNY; got \"{v}\".",
                f.en
            ),
        );
        String::new()
    }

    /// A whole number written in decimal digits from `min` to `max` ([`Rule::Whole`]).
    pub fn whole(&mut self, f: Field, value: &str, min: i64, max: i64) -> Option<i64> {
        let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
        match value.parse::<i64>() {
            Ok(n) if digits && (min..=max).contains(&n) => Some(n),
            _ => {
                self.fail(
                    f,
                    "out_of_range",
                    format!("「{}」应为 {min} 到 {max} 之间的整数。", f.zh),
                    format!("{} must be a whole number from {min} to {max}.", f.en),
                );
                None
            }
        }
    }

    /// A parameter that must be one of `codes` when present ("" is the default).
    pub fn one_of(&mut self, f: Field, value: Option<&str>, codes: &[&str]) {
        if let Some(v) = value {
            self.code(f, v, |s| codes.contains(&s).then_some(()));
        }
    }

    /// A value from a fixed list, by its exact code; "" means none.
    pub fn code<T>(
        &mut self,
        f: Field,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let v = value;
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
        self.errors.is_empty() && self.missing.is_empty()
    }

    /// Refused as invalid when anything is malformed (with the unknown references too, so a
    /// form shows them all), else as an unknown reference when one names nothing.
    pub fn finish(mut self) -> AppResult<()> {
        if !self.errors.is_empty() {
            self.errors.append(&mut self.missing);
            Err(AppError::Invalid(self.errors))
        } else if !self.missing.is_empty() {
            Err(AppError::UnknownReference(self.missing))
        } else {
            Ok(())
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

/// The words a form may send for a ticked box.
pub const FLAG_TRUE: &[&str] = &["on", "true", "1", "yes"];
/// The words a form may send for a box left unticked ("" is what an empty field sends).
pub const FLAG_FALSE: &[&str] = &["off", "false", "0", "no", ""];

/// Accepts a JSON boolean or one of the words forms send ([`FLAG_TRUE`], [`FLAG_FALSE`]);
/// absent is false. Anything else (another word, a number, null) is refused.
pub fn de_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Flag {
        B(bool),
        S(String),
    }
    match <Flag as serde::Deserialize>::deserialize(d) {
        Ok(Flag::B(b)) => Ok(b),
        Ok(Flag::S(s)) if FLAG_TRUE.contains(&s.as_str()) => Ok(true),
        Ok(Flag::S(s)) if FLAG_FALSE.contains(&s.as_str()) => Ok(false),
        _ => Err(serde::de::Error::custom(format!(
            "expected true or false (or one of the words a form sends: {} / {})",
            FLAG_TRUE.join(", "),
            FLAG_FALSE[..FLAG_FALSE.len() - 1].join(", ")
        ))),
    }
}

/// A whole number given as an integer or as a number with no fraction (`1.0`, which JSON
/// Schema counts an integer too); null or absent is none. Forms send it as text.
pub fn de_whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::de::{Error, Visitor};
    struct Whole;
    impl Visitor<'_> for Whole {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::custom(format!("{v} is too large")))
        }
        fn visit_f64<E: Error>(self, v: f64) -> Result<i64, E> {
            // Strictly inside ±2^63: i64::MAX as f64 rounds up to 2^63, and an integer just
            // below i64::MIN, which JSON readers take as a float, rounds to -2^63.
            if v.fract() == 0.0 && v > i64::MIN as f64 && v < i64::MAX as f64 {
                Ok(v as i64)
            } else {
                Err(E::custom(format!("expected a whole number, got {v}")))
            }
        }
    }
    struct Maybe;
    impl<'de> Visitor<'de> for Maybe {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number or null")
        }
        fn visit_none<E: Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }
        fn visit_unit<E: Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
            d.deserialize_i64(Whole).map(Some)
        }
    }
    d.deserialize_option(Maybe)
}

/// A date written exactly YYYY-MM-DD that exists.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    NaiveDate::from_ymd_opt(
        s[0..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..10].parse().ok()?,
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
    fn a_day_from_today_is_required_real_and_not_past() {
        let today = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let mut c = Checker::new();
        assert_eq!(
            c.day_from_today(NAME, "2026-04-01", today),
            Some("2026-04-01".into())
        );
        assert_eq!(c.day_from_today(NAME, "2026-03-31", today), None);
        assert_eq!(c.day_from_today(NAME, "", today), None);
        assert_eq!(c.day_from_today(NAME, "2026-04-31", today), None);
        let codes: Vec<&str> = c.into_errors().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["in_the_past", "required", "invalid_date"]);
    }

    #[test]
    fn a_month_is_exactly_yyyy_mm() {
        let mut c = Checker::new();
        assert_eq!(
            c.month(NAME, "2026-04"),
            NaiveDate::from_ymd_opt(2026, 4, 1)
        );
        assert_eq!(c.month(NAME, ""), None);
        assert!(c.is_ok());
        for bad in ["2026-4", "2026-13", " 2026-04", "2026-04-01", "April"] {
            let mut c = Checker::new();
            assert_eq!(c.month(NAME, bad), None, "{bad}");
            assert!(!c.is_ok(), "{bad}");
        }
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
