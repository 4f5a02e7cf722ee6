//! Contact use cases: the people at a customer, how to approach them, and their trust.

use huike_domain::{Birthday, BuyingRole, Channel, FamilyEvent, FamilyEventKind, PersonalityType};
use huike_store::contacts::{self, Contact, ContactFilter, ContactListItem};
use huike_store::{customers, new_id};
use serde::Deserialize;

use crate::access::Role;
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::search;
use crate::validate::{Checker, Field, TextKind, de_flag, field};
use crate::views::{ContactRow, ContactView, Page};
use crate::{Actor, App};

pub const NAME: Field = field("name", "姓名", "Name").max(100).required();
pub const TITLE: Field = field("title", "职务", "Title").max(100);
pub const PHONE: Field = field("phone", "电话", "Phone").kind(TextKind::Phone);
pub const EMAIL: Field = field("email", "邮箱", "E-mail").kind(TextKind::Email);
pub const WECHAT: Field = field("wechat", "微信", "WeChat").max(100);
pub const QQ: Field = field("qq", "QQ", "QQ").max(20).kind(TextKind::Qq);
pub const PERSONALITY: Field = field("personality", "个性类型", "Personality type");
pub const ROLE: Field = field("buying_role", "采购角色", "Buying role");
pub const BIRTHDAY: Field = field("birthday", "生日", "Birthday");
pub const FAMILY: Field = field("family_events", "家庭事件", "Family events");
/// A family event's note.
pub const FAMILY_NOTE: Field = field("family_events", "家庭事件", "Family events").max(300);
/// A family event's date.
pub const FAMILY_DATE: Field = field("family_events", "家庭事件日期", "Family event date");
pub const HOBBIES: Field = field("hobbies", "爱好", "Hobbies").max(500);
pub const CHANNEL: Field = field("preferred_channel", "偏好渠道", "Preferred channel");
pub const NOTES: Field = field("notes", "备注", "Notes").max(2000);

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FamilyEventInput {
    /// child_school | moving_house | new_shop | wedding | new_baby | other
    pub kind: String,
    /// YYYY-MM-DD, optional
    pub date: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub qq: String,
    /// One of the 12 personality type codes, or empty.
    pub personality: String,
    #[serde(deserialize_with = "de_flag")]
    pub low_key: bool,
    /// decision_maker | purchaser | user | technical_evaluator | influencer | gatekeeper
    pub buying_role: String,
    /// Trust axis: is the contact's personal interest served?
    #[serde(deserialize_with = "de_flag")]
    pub personal_interest: bool,
    /// Trust axis: is the organisation's interest served?
    #[serde(deserialize_with = "de_flag")]
    pub org_interest: bool,
    /// solar | lunar | empty for no birthday
    pub birthday_calendar: String,
    pub birthday_year: String,
    pub birthday_month: String,
    pub birthday_day: String,
    #[serde(deserialize_with = "de_flag")]
    pub birthday_leap: bool,
    pub family_events: Vec<FamilyEventInput>,
    pub hobbies: String,
    pub preferred_channel: String,
    pub notes: String,
    /// The version the edit was based on (optimistic locking); absent means "latest".
    #[serde(deserialize_with = "crate::validate::de_whole")]
    pub version: Option<i64>,
}

impl ContactInput {
    /// The input that shows `k` in an edit form.
    pub fn from_view(k: &ContactView) -> ContactInput {
        let num = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        ContactInput {
            name: k.name.clone(),
            title: k.title.clone(),
            phone: k.phone.clone(),
            email: k.email.clone(),
            wechat: k.wechat.clone(),
            qq: k.qq.clone(),
            personality: k.personality.clone().unwrap_or_default(),
            low_key: k.low_key,
            buying_role: k.buying_role.clone().unwrap_or_default(),
            personal_interest: k.personal_interest,
            org_interest: k.org_interest,
            birthday_calendar: k.birthday_calendar.clone().unwrap_or_default(),
            birthday_year: num(k.birthday_year),
            birthday_month: num(k.birthday_month),
            birthday_day: num(k.birthday_day),
            birthday_leap: k.birthday_leap,
            family_events: k
                .family_events
                .iter()
                .map(|e| FamilyEventInput {
                    kind: e.kind.clone(),
                    date: e.date.clone().unwrap_or_default(),
                    note: e.note.clone(),
                })
                .collect(),
            hobbies: k.hobbies.clone(),
            preferred_channel: k.preferred_channel.clone().unwrap_or_default(),
            notes: k.notes.clone(),
            version: Some(k.version),
        }
    }
}

/// The birthday stored on a contact, if any.
pub(crate) fn birthday_of(k: &Contact) -> Option<Birthday> {
    let month = u32::try_from(k.birthday_month?).ok()?;
    let day = u32::try_from(k.birthday_day?).ok()?;
    let year = k.birthday_year.and_then(|y| i32::try_from(y).ok());
    match k.birthday_calendar.as_deref()? {
        "solar" => Birthday::new_solar(year, month, day).ok(),
        "lunar" => Birthday::new_lunar(year, month, day, k.birthday_leap == 1).ok(),
        _ => None,
    }
}

/// A birthday's year, month or day: decimal digits ("" is none).
fn parse_num<T: std::str::FromStr>(c: &mut Checker, what: &str, v: &str) -> Option<T> {
    if v.is_empty() {
        return None;
    }
    match v.parse::<T>() {
        Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) => Some(n),
        _ => {
            c.fail(
                BIRTHDAY,
                "invalid_birthday",
                format!("「生日」的{what}应为数字，收到「{v}」。"),
                format!("Birthday {what} must be a number; got \"{v}\"."),
            );
            None
        }
    }
}

/// The birthday the check makes of a calendar ("solar" or "lunar"), year, month, day and
/// leap month flag.
fn make_birthday(
    calendar: &str,
    year: Option<i32>,
    month: u32,
    day: u32,
    leap: bool,
) -> Result<Birthday, huike_domain::birthday::BirthdayError> {
    if calendar == "solar" {
        Birthday::new_solar(year, month, day)
    } else {
        Birthday::new_lunar(year, month, day, leap)
    }
}

/// One way of writing a birthday that the check accepts: its calendar, whether the leap
/// month flag is set (`None`: either, it makes no difference), and the years ("" for none),
/// months and days that go together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthdayShape {
    pub calendar: &'static str,
    pub leap: Option<bool>,
    pub years: Vec<Option<i32>>,
    pub months: Vec<u32>,
    pub days: Vec<u32>,
}

/// Every birthday the check accepts, grouped into shapes for the API document. Found by
/// asking the check itself ([`make_birthday`]) about every calendar, year it could accept,
/// month and day (any others it refuses), so the document states the lunar calendar's
/// leap months and 30-day months and the solar leap years exactly as the check knows them.
pub fn birthday_shapes() -> Vec<BirthdayShape> {
    static SHAPES: std::sync::OnceLock<Vec<BirthdayShape>> = std::sync::OnceLock::new();
    SHAPES.get_or_init(find_birthday_shapes).clone()
}

/// The years a birthday's year is looked for in: the solar range and the lunar calendar's,
/// with a margin that a test shows holds no accepted year.
fn birthday_years() -> std::ops::RangeInclusive<i32> {
    use huike_domain::birthday::{MAX_BIRTH_YEAR, MIN_BIRTH_YEAR};
    use huike_domain::lunar;
    (MIN_BIRTH_YEAR.min(lunar::MIN_YEAR) - 20)..=(MAX_BIRTH_YEAR.max(lunar::MAX_YEAR) + 20)
}

fn find_birthday_shapes() -> Vec<BirthdayShape> {
    use std::collections::BTreeMap;
    let years: Vec<Option<i32>> = std::iter::once(None)
        .chain(birthday_years().map(Some))
        .collect();
    // (calendar, leap, month, day) → the years it holds in.
    let mut valid: BTreeMap<(&'static str, bool, u32, u32), Vec<Option<i32>>> = BTreeMap::new();
    for calendar in ["solar", "lunar"] {
        for leap in [false, true] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let ys: Vec<Option<i32>> = years
                        .iter()
                        .copied()
                        .filter(|y| {
                            let leap = calendar == "lunar" && leap;
                            make_birthday(calendar, *y, month, day, leap).is_ok()
                        })
                        .collect();
                    if !ys.is_empty() {
                        valid.insert((calendar, leap, month, day), ys);
                    }
                }
            }
        }
    }
    // Where the flag makes no difference, one entry with `None`.
    // A calendar and the leap month flag (`None`: either).
    type Kind = (&'static str, Option<bool>);
    type Years = Vec<Option<i32>>;
    let mut by_leap: BTreeMap<(Kind, u32, u32), Years> = BTreeMap::new();
    for (&(calendar, leap, month, day), ys) in &valid {
        let other = valid.get(&(calendar, !leap, month, day));
        if other == Some(ys) {
            by_leap.insert(((calendar, None), month, day), ys.clone());
        } else {
            by_leap.insert(((calendar, Some(leap)), month, day), ys.clone());
        }
    }
    // Days that share years, per month; then months that share those days and years.
    let mut days: BTreeMap<(Kind, Years, u32), Vec<u32>> = BTreeMap::new();
    for ((kind, month, day), ys) in by_leap {
        days.entry((kind, ys, month)).or_default().push(day);
    }
    let mut shapes: BTreeMap<(Kind, Years, Vec<u32>), Vec<u32>> = BTreeMap::new();
    for ((kind, ys, month), ds) in days {
        shapes.entry((kind, ys, ds)).or_default().push(month);
    }
    shapes
        .into_iter()
        .map(|(((calendar, leap), years, days), months)| BirthdayShape {
            calendar,
            leap,
            years,
            months,
            days,
        })
        .collect()
}

/// Checks the input and writes it onto `k`.
fn check_into(input: &ContactInput, k: &mut Contact, c: &mut Checker) {
    k.name = c.check(NAME, &input.name);
    k.title = c.check(TITLE, &input.title);
    k.phone = c.check(PHONE, &input.phone);
    k.email = c.check(EMAIL, &input.email);
    k.wechat = c.check(WECHAT, &input.wechat);
    k.qq = c.check(QQ, &input.qq);
    k.personality = c
        .code(PERSONALITY, &input.personality, PersonalityType::from_code)
        .map(|p| p.code().to_string());
    k.low_key = i64::from(input.low_key);
    k.buying_role = c
        .code(ROLE, &input.buying_role, BuyingRole::from_code)
        .map(|r| r.code().to_string());
    k.personal_interest = i64::from(input.personal_interest);
    k.org_interest = i64::from(input.org_interest);
    k.hobbies = c.check(HOBBIES, &input.hobbies);
    k.preferred_channel = c
        .code(CHANNEL, &input.preferred_channel, Channel::from_code)
        .map(|x| x.code().to_string());
    k.notes = c.check(NOTES, &input.notes);

    // Birthday: a calendar, a month and a day (and a year if known), or nothing at all.
    let calendar = input.birthday_calendar.as_str();
    let year: Option<i32> = parse_num(c, "年", &input.birthday_year);
    let month: Option<u32> = parse_num(c, "月", &input.birthday_month);
    let day: Option<u32> = parse_num(c, "日", &input.birthday_day);
    k.birthday_calendar = None;
    k.birthday_year = None;
    k.birthday_month = None;
    k.birthday_day = None;
    k.birthday_leap = 0;
    let all_blank = input.birthday_year.is_empty()
        && input.birthday_month.is_empty()
        && input.birthday_day.is_empty();
    match (calendar, month, day) {
        ("", _, _) if all_blank => {}
        ("solar" | "lunar", Some(m), Some(d)) => {
            let leap = calendar == "lunar" && input.birthday_leap;
            match make_birthday(calendar, year, m, d, leap) {
                Ok(_) => {
                    k.birthday_calendar = Some(calendar.to_string());
                    k.birthday_year = year.map(i64::from);
                    k.birthday_month = Some(i64::from(m));
                    k.birthday_day = Some(i64::from(d));
                    k.birthday_leap = i64::from(leap);
                }
                Err(e) => c.fail(
                    BIRTHDAY,
                    "invalid_birthday",
                    format!("「生日」无效：{}", e.message(huike_domain::Lang::ZhCn)),
                    format!(
                        "Birthday is not valid: {}",
                        e.message(huike_domain::Lang::En)
                    ),
                ),
            }
        }
        _ => c.fail(
            BIRTHDAY,
            "incomplete_birthday",
            "「生日」需要选择公历或农历，并填写月和日。".into(),
            "Birthday needs a calendar (solar or lunar), a month and a day.".into(),
        ),
    }

    let mut events = Vec::new();
    for (i, e) in input.family_events.iter().enumerate() {
        if e.kind.trim().is_empty() && e.date.trim().is_empty() && e.note.trim().is_empty() {
            continue;
        }
        let kind = c.code(FAMILY, &e.kind, FamilyEventKind::from_code);
        let date = c
            .date(FAMILY_DATE, &e.date)
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        let note = c.check(FAMILY_NOTE, &e.note);
        match kind {
            Some(kind) => events.push(FamilyEvent { kind, date, note }),
            None if e.kind.trim().is_empty() => c.fail(
                FAMILY,
                "required",
                format!("第 {} 个家庭事件需要选择类型。", i + 1),
                format!("Family event {} needs a kind.", i + 1),
            ),
            None => {}
        }
    }
    k.family_events = serde_json::to_string(&events).unwrap_or_else(|_| "[]".into());
}

fn empty_contact(app: &App, customer_id: &str) -> Contact {
    blank_contact(customer_id, app.clock.now_ms())
}

/// What the check refuses in `input` (nothing when it would be saved): the very check a save
/// runs, without the database (the API document's tests compare their rules with it).
pub fn input_problems(input: &ContactInput) -> Vec<huike_domain::FieldError> {
    let mut c = Checker::new();
    check_into(input, &mut blank_contact("", 0), &mut c);
    c.into_errors()
}

fn blank_contact(customer_id: &str, now: i64) -> Contact {
    Contact {
        id: new_id(),
        customer_id: customer_id.to_string(),
        name: String::new(),
        title: String::new(),
        phone: String::new(),
        email: String::new(),
        wechat: String::new(),
        qq: String::new(),
        personality: None,
        low_key: 0,
        buying_role: None,
        personal_interest: 0,
        org_interest: 0,
        birthday_calendar: None,
        birthday_year: None,
        birthday_month: None,
        birthday_day: None,
        birthday_leap: 0,
        family_events: "[]".into(),
        hobbies: String::new(),
        preferred_channel: None,
        notes: String::new(),
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

pub async fn create(
    app: &App,
    actor: &Actor,
    customer_id: &str,
    input: &ContactInput,
) -> AppResult<ContactView> {
    let mut c = Checker::new();
    let mut k = empty_contact(app, customer_id);
    check_into(input, &mut k, &mut c);
    c.finish()?;
    let mut tx = app.db.begin_write().await?;
    if !customers::visible(&mut tx, &actor.edit_scope(), customer_id).await? {
        return Err(
            if actor.role == Role::Service
                && customers::visible(&mut tx, &actor.scope(), customer_id).await?
            {
                AppError::Forbidden
            } else {
                AppError::NotFound
            },
        );
    }
    contacts::insert(&mut tx, &k).await?;
    search::index_contact(&mut tx, &k).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "contact",
        &k.id,
        "create",
        None,
        Some(&k),
    )
    .await?;
    // A new contact gets the month's greetings now, not at tomorrow's planning.
    crate::greetings::replan(app, &mut tx, customer_id, Some(&k.id)).await?;
    app.commit(tx).await?;
    Ok(ContactView::of(k, actor.lang))
}

/// Whether an edit changed what the greeting planner reads (birthday, family events).
fn greeting_dates_changed(a: &contacts::Contact, b: &contacts::Contact) -> bool {
    (
        &a.birthday_calendar,
        a.birthday_year,
        a.birthday_month,
        a.birthday_day,
        a.birthday_leap,
        &a.family_events,
    ) != (
        &b.birthday_calendar,
        b.birthday_year,
        b.birthday_month,
        b.birthday_day,
        b.birthday_leap,
        &b.family_events,
    )
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &ContactInput,
) -> AppResult<ContactView> {
    let mut tx = app.db.begin_write().await?;
    let before = contacts::get(&mut tx, &actor.edit_scope(), id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    if let Some(v) = input.version
        && v != before.version
    {
        return Err(AppError::Stale);
    }
    let mut k = before.clone();
    let mut c = Checker::new();
    check_into(input, &mut k, &mut c);
    c.finish()?;
    k.version = before.version + 1;
    k.updated_at = app.clock.now_ms();
    contacts::update(&mut tx, &k).await?;
    search::index_contact(&mut tx, &k).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "contact",
        &k.id,
        "update",
        Some(&before),
        Some(&k),
    )
    .await?;
    if greeting_dates_changed(&before, &k) {
        crate::greetings::replan(app, &mut tx, &k.customer_id, Some(&k.id)).await?;
    }
    app.commit(tx).await?;
    Ok(ContactView::of(k, actor.lang))
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> AppResult<String> {
    let mut tx = app.db.begin_write().await?;
    let before = contacts::get(&mut tx, &actor.edit_scope(), id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    contacts::delete(&mut tx, id).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "contact",
        id,
        "delete",
        Some(&before),
        None,
    )
    .await?;
    app.commit(tx).await?;
    Ok(before.customer_id)
}

/// A contact the actor may change, for its edit form (403 when only visible to them).
pub async fn get_for_edit(app: &App, actor: &Actor, id: &str) -> AppResult<ContactView> {
    let mut conn = app.conn().await?;
    let k = contacts::get(&mut conn, &actor.edit_scope(), id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    Ok(ContactView::of(k, actor.lang))
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> AppResult<ContactView> {
    let mut conn = app.conn().await?;
    let k = contacts::get(&mut conn, &actor.scope(), id).await?;
    Ok(ContactView::of(k, actor.lang))
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ContactQuery {
    pub personality: Option<String>,
    pub buying_role: Option<String>,
    /// name | customer
    pub sort: Option<String>,
    /// asc | desc
    pub dir: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The orders the list can be sorted in.
pub const SORTS: &[&str] = &["name", "customer"];

impl ContactQuery {
    /// Refuses a sort, direction, personality type or buying role that is not one of their
    /// codes.
    pub fn check(&self) -> AppResult<()> {
        let mut c = Checker::new();
        c.one_of(crate::validate::SORT, self.sort.as_deref(), SORTS);
        c.one_of(
            crate::validate::DIR,
            self.dir.as_deref(),
            crate::validate::DIRECTIONS,
        );
        if let Some(v) = &self.personality {
            c.code(PERSONALITY, v, PersonalityType::from_code);
        }
        if let Some(v) = &self.buying_role {
            c.code(ROLE, v, BuyingRole::from_code);
        }
        c.finish()
    }

    fn filter(&self) -> ContactFilter {
        ContactFilter {
            personality: self.personality.clone().filter(|s| !s.is_empty()),
            buying_role: self.buying_role.clone().filter(|s| !s.is_empty()),
            ids: None,
        }
    }
}

pub async fn list(app: &App, actor: &Actor, q: &ContactQuery) -> AppResult<Page<ContactRow>> {
    q.check()?;
    let paging = crate::paging(q.page, q.per_page);
    let mut conn = app.conn().await?;
    let page = contacts::list(
        &mut conn,
        app.db.counts(),
        &actor.scope(),
        &q.filter(),
        q.sort.as_deref() == Some("customer"),
        q.dir.as_deref() == Some("desc"),
        paging,
    )
    .await?;
    Ok(Page::of(page, |k| ContactRow::of(k, actor.lang)))
}

pub(crate) async fn list_for_export(
    app: &App,
    actor: &Actor,
    q: &ContactQuery,
) -> AppResult<Vec<ContactListItem>> {
    q.check()?;
    let mut conn = app.conn().await?;
    Ok(contacts::list_all(
        &mut conn,
        &actor.scope(),
        &q.filter(),
        app.settings.export_limit,
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The years `birthday_shapes` looks at hold every year the check accepts: the margin at
    /// both ends, and years far outside, accept no birthday.
    #[test]
    fn no_birthday_is_accepted_outside_the_years_looked_at() {
        let range = birthday_years();
        let (first, last) = (*range.start(), *range.end());
        let outside = (first..first + 10).chain(last - 9..=last).chain([
            i32::MIN,
            -1,
            0,
            1,
            1000,
            3000,
            10_000,
            i32::MAX,
        ]);
        for year in outside {
            for calendar in ["solar", "lunar"] {
                for leap in [false, true] {
                    for month in 0..=13 {
                        for day in 0..=32 {
                            assert!(
                                make_birthday(calendar, Some(year), month, day, leap).is_err(),
                                "{calendar} {year}-{month}-{day} leap {leap}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_shapes_know_leap_months_and_leap_years() {
        let shapes = birthday_shapes();
        let holds = |calendar: &str, year: Option<i32>, month: u32, day: u32, leap: bool| {
            shapes.iter().any(|s| {
                s.calendar == calendar
                    && s.leap.is_none_or(|l| l == leap)
                    && s.years.contains(&year)
                    && s.months.contains(&month)
                    && s.days.contains(&day)
            })
        };
        // 2023 had a leap second month (闰二月) of 29 days; 2024 none.
        assert!(holds("lunar", Some(2023), 2, 29, true));
        assert!(!holds("lunar", Some(2023), 2, 30, true));
        assert!(!holds("lunar", Some(2024), 2, 1, true));
        assert!(holds("lunar", None, 2, 30, true));
        assert!(holds("solar", Some(2024), 2, 29, false));
        assert!(holds("solar", Some(2024), 2, 29, true));
        assert!(!holds("solar", Some(2023), 2, 29, false));
        assert!(holds("solar", None, 2, 29, false));
        assert!(!holds("solar", None, 4, 31, false));
        // Every combination the check accepts is in a shape, and only those.
        for calendar in ["solar", "lunar"] {
            for year in [
                None,
                Some(1899),
                Some(1900),
                Some(1984),
                Some(2033),
                Some(2100),
            ] {
                for month in 0..=13 {
                    for day in 0..=32 {
                        for leap in [false, true] {
                            let l = calendar == "lunar" && leap;
                            let ok = make_birthday(calendar, year, month, day, l).is_ok();
                            assert_eq!(
                                holds(calendar, year, month, day, leap),
                                ok,
                                "{calendar} {year:?}-{month}-{day} leap {leap}"
                            );
                        }
                    }
                }
            }
        }
    }
}

pub const COMFORT_DAY: Field = field("date", "慰问日期", "Day of the comfort greeting");
pub const COMFORT_NOTE: Field = field("note", "发生了什么", "What happened").max(500);

/// A one-off comfort occasion for a whole customer (a fire, an illness, a bad year).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ComfortInput {
    /// YYYY-MM-DD, today or later: the day to greet them.
    pub date: String,
    /// What happened, for the rep (optional).
    pub note: String,
}

/// What a customer-wide comfort occasion did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ComfortView {
    /// Contacts given the occasion.
    pub contacts: u64,
    /// Greetings planned again for them (the comfort one among them, when within the planning
    /// horizon).
    pub planned: u64,
}

/// Gives every contact of a customer a comfort occasion (慰问) on a day, which the planner
/// treats like a family event ranked first, and plans their greetings again.
pub async fn comfort_customer(
    app: &App,
    actor: &Actor,
    customer_id: &str,
    input: &ComfortInput,
) -> AppResult<ComfortView> {
    let mut c = Checker::new();
    let day = c.day_from_today(COMFORT_DAY, &input.date, app.clock.today());
    let note = c.check(COMFORT_NOTE, &input.note);
    c.finish()?;
    let date = day.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let mut tx = app.db.begin_write().await?;
    customers::get(&mut tx, &actor.edit_scope(), customer_id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    let all = contacts::family_events_of_customer(&mut tx, customer_id).await?;
    if all.is_empty() {
        return Err(AppError::Conflict(crate::error::field_error(
            "contacts",
            "none",
            "这个客户还没有联系人，无法安排慰问。",
            "The customer has no contacts to comfort yet.",
        )));
    }
    let now = app.clock.now_ms();
    for (id, stored) in &all {
        let mut events: Vec<FamilyEvent> = serde_json::from_str(stored).unwrap_or_default();
        events.push(FamilyEvent {
            kind: FamilyEventKind::Comfort,
            date,
            note: note.clone(),
        });
        let json = serde_json::to_string(&events).unwrap_or_else(|_| "[]".into());
        contacts::set_family_events(&mut tx, id, &json, now).await?;
    }
    let report = crate::greetings::replan(app, &mut tx, customer_id, None).await?;
    app.commit(tx).await?;
    Ok(ComfortView {
        contacts: all.len() as u64,
        planned: report.greetings,
    })
}
