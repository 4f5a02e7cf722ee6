//! Festival and theme greetings as campaigns: a rep reviews a day's greetings (previews,
//! drops, personal wording), sends them on each contact's preferred channel through the
//! outbox, and writes the handwritten cards from a printable list. Each greeting sent,
//! skipped or written by hand lands on the contact's timeline.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use huike_domain::{Lang, PlannerConfig};
use huike_store::greetings::{self, Addressed, Campaign};
use huike_store::interactions::Interaction;

use huike_store::{Conn, new_id, users};
use serde::Deserialize;

use crate::error::{AppError, AppResult, field_error};
use crate::greetings::{occasion_line, occasion_name, planner_config};
use crate::outbox::{Outgoing, Via};
use crate::templates::{
    Compiled, ContactFields, CustomerFields, NoteContext, OrderFields, RepFields,
};
use crate::validate::{Checker, Field, field};
use crate::{Actor, App};

pub const STATUS: Field = field("status", "状态", "Status");
pub const SUBJECT: Field = field("subject", "标题", "Subject").max(200);
pub const BODY: Field = field("body", "正文", "Text").max(5000);
pub const LANG: Field = field("lang", "语言", "Language");
pub const FROM: Field = field("from", "起始日", "From");
pub const TO: Field = field("to", "截止日", "To");

/// How many days before its day a campaign shows on Today (cards take time to write).
pub const LEAD_DAYS: u64 = 7;
/// How long after its day an unsent campaign still shows on Today.
pub const LATE_DAYS: u64 = 7;
/// Greetings sent per transaction.
const SEND_BATCH: i64 = 500;
/// Local hour a greeting queued ahead of its day goes out.
const SEND_HOUR: u32 = 9;

/// The statuses a greeting can have, in the order a campaign page shows them.
pub const STATUSES: [&str; 5] = ["planned", "sent", "by_hand", "skipped", "dropped"];

/// A campaign: one rep's greetings of one festival or theme on one day.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CampaignView {
    pub id: String,
    /// festival | theme
    pub occasion: String,
    /// The festival's code or the theme's month.
    pub detail: String,
    /// E.g. 中秋.
    pub name: String,
    /// YYYY-MM-DD.
    pub day: String,
    /// open | sent
    pub status: String,
    /// Greetings planned into it.
    pub size: i64,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    /// How many greetings are in each status (on a campaign's own page; empty on lists).
    pub counts: Vec<StatusCount>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub label: String,
    pub count: i64,
}

/// One greeting as its campaign page shows it, with the message it would send.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct GreetingView {
    pub id: String,
    pub contact_id: String,
    pub contact_name: String,
    pub customer_id: String,
    pub customer_name: String,
    /// The customer's address (for a handwritten card).
    pub address: String,
    pub day: String,
    /// planned | sent | by_hand | skipped | dropped
    pub status: String,
    pub status_label: String,
    /// How it goes (or went): email | sms | letter | wechat | phone …; none when it cannot
    /// reach the contact.
    pub channel: Option<String>,
    /// The address it goes to.
    pub recipient: String,
    /// Why it is (or would be) skipped.
    pub reason: String,
    pub subject: String,
    pub body: String,
    /// True when the rep wrote this greeting's wording.
    pub personal: bool,
}

/// A page of a campaign's greetings in one status; pass `next_after` as `after` for the next.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct GreetingPage {
    pub items: Vec<GreetingView>,
    pub next_after: Option<String>,
}

/// What sending a campaign did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SendReport {
    /// Queued in the outbox (e-mail or SMS).
    pub sent: u64,
    /// Left to the rep: a handwritten card, or a message on a channel Huike does not send.
    pub by_hand: u64,
    /// Could not go: opted out of the preferred channel, or no address.
    pub skipped: u64,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct GreetingQuery {
    /// planned (default) | sent | by_hand | skipped | dropped
    pub status: String,
    /// The last id of the previous page.
    pub after: String,
    /// Default 50; at most 200 (more is read as 200, less than 1 as 1).
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SendInput {
    /// zh-CN | en: the messages' language (default: the caller's).
    pub lang: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonalInput {
    /// The e-mail's subject; empty keeps the template's.
    pub subject: String,
    /// This contact's own greeting; empty goes back to the template's.
    pub body: String,
}

fn status_label(status: &str, lang: Lang) -> String {
    match status {
        "planned" => lang.pick("待发送", "To send"),
        "sent" => lang.pick("已发送", "Sent"),
        "by_hand" => lang.pick("手写/亲自发", "By hand"),
        "skipped" => lang.pick("未发送", "Skipped"),
        "dropped" => lang.pick("已移除", "Dropped"),
        other => other,
    }
    .to_string()
}

/// Why a greeting cannot go, in words.
pub fn reason_text(code: &str, lang: Lang) -> String {
    match code.split_once(':') {
        Some(("opted_out", ch)) => {
            let label = huike_domain::Channel::from_code(ch)
                .map(|c| huike_domain::Coded::label(&c, lang).to_string())
                .unwrap_or_else(|| ch.to_string());
            match lang {
                Lang::ZhCn => format!("联系人不接收{label}"),
                Lang::En => format!("The contact opted out of {label}"),
            }
        }
        _ if code == "no_address" => lang
            .pick(
                "没有可用的邮箱、手机或地址",
                "No e-mail address, mobile number or postal address",
            )
            .into(),
        _ => code.to_string(),
    }
}

/// How one greeting goes, decided from the contact's preferred channel and opt-outs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Send(Via, String),
    /// By the rep: a handwritten card (letter) or a channel Huike does not send on.
    ByHand(String),
    Skip(String),
}

/// The contact's preferred channel decides; an opt-out of it means no greeting rather than
/// one on a channel they did not choose. Without a preference: e-mail, else SMS, else a card
/// to the customer's address.
pub(crate) fn route(a: &impl Reachable, opted: &HashSet<&str>) -> Route {
    let email = || (!a.email().trim().is_empty()).then(|| a.email().trim().to_string());
    let mobile = || (!a.phone().trim().is_empty()).then(|| a.phone().trim().to_string());
    match a.preferred_channel().filter(|p| !p.is_empty()) {
        Some(p) if opted.contains(p) => Route::Skip(format!("opted_out:{p}")),
        Some("email") => match email() {
            Some(e) => Route::Send(Via::Email, e),
            None => Route::Skip("no_address".into()),
        },
        Some("sms") => match mobile() {
            Some(m) => Route::Send(Via::Sms, m),
            None => Route::Skip("no_address".into()),
        },
        Some(other) => Route::ByHand(other.to_string()),
        None => {
            if let Some(e) = email().filter(|_| !opted.contains("email")) {
                Route::Send(Via::Email, e)
            } else if let Some(m) = mobile().filter(|_| !opted.contains("sms")) {
                Route::Send(Via::Sms, m)
            } else if !a.address().trim().is_empty() && !opted.contains("letter") {
                Route::ByHand("letter".into())
            } else {
                Route::Skip("no_address".into())
            }
        }
    }
}

/// Where a person can be written to, as [`route`] reads it.
pub(crate) trait Reachable {
    fn preferred_channel(&self) -> Option<&str>;
    fn email(&self) -> &str;
    fn phone(&self) -> &str;
    /// The customer's postal address, for a card.
    fn address(&self) -> &str;
}

impl Reachable for Addressed {
    fn preferred_channel(&self) -> Option<&str> {
        self.preferred_channel.as_deref()
    }
    fn email(&self) -> &str {
        &self.email
    }
    fn phone(&self) -> &str {
        &self.phone
    }
    fn address(&self) -> &str {
        &self.address
    }
}

/// What renders a campaign's greetings: its template, the planner's themes and the rep.
struct Writer {
    template: Compiled,
    config: PlannerConfig,
    rep: String,
    lang: Lang,
}

impl Writer {
    async fn new(app: &App, conn: &mut Conn, owner: Option<&str>, lang: Lang) -> AppResult<Self> {
        let rep = match owner {
            Some(id) => users::get(conn, id)
                .await
                .map(|u| u.display_name)
                .unwrap_or_default(),
            None => String::new(),
        };
        Ok(Writer {
            template: crate::templates::compiled(app, "greeting", lang).await?,
            config: planner_config(app).await?,
            rep,
            lang,
        })
    }

    /// The subject and text for `a`: the rep's own wording, else the template's.
    fn text(&self, a: &Addressed) -> AppResult<(String, String)> {
        let ctx = NoteContext {
            customer: CustomerFields {
                name: a.customer_name.clone(),
            },
            contact: ContactFields {
                name: a.contact_name.clone(),
                title: a.contact_title.clone(),
            },
            order: OrderFields {
                number: String::new(),
                date: String::new(),
                total: String::new(),
            },
            products: Vec::new(),
            rep: RepFields {
                name: self.rep.clone(),
            },
            occasion: occasion_line(&self.config, &a.occasion, &a.detail, self.lang),
        };
        let (s, b) = self.template.render(&ctx)?;
        Ok((
            if a.subject.is_empty() {
                s
            } else {
                a.subject.clone()
            },
            if a.body.is_empty() { b } else { a.body.clone() },
        ))
    }
}

fn view_of(
    w: &Writer,
    a: &Addressed,
    opted: &HashSet<&str>,
    lang: Lang,
) -> AppResult<GreetingView> {
    // A settled greeting shows how it went; a planned one how it would go now.
    let (channel, recipient, reason) = if a.status == "planned" {
        match route(a, opted) {
            Route::Send(via, to) => (Some(via.code().to_string()), to, String::new()),
            Route::ByHand(ch) => (Some(ch), a.address.clone(), String::new()),
            Route::Skip(code) => (None, String::new(), reason_text(&code, lang)),
        }
    } else {
        let to = match a.channel.as_deref() {
            Some("email") => a.email.clone(),
            Some("sms") => a.phone.clone(),
            Some("letter") => a.address.clone(),
            _ => String::new(),
        };
        (a.channel.clone(), to, reason_text(&a.note, lang))
    };
    let (subject, body) = w.text(a)?;
    Ok(GreetingView {
        id: a.id.clone(),
        contact_id: a.contact_id.clone(),
        contact_name: a.contact_name.clone(),
        customer_id: a.customer_id.clone(),
        customer_name: a.customer_name.clone(),
        address: a.address.clone(),
        day: a.day.clone(),
        status: a.status.clone(),
        status_label: status_label(&a.status, lang),
        channel,
        recipient,
        reason,
        subject,
        body,
        personal: !a.body.is_empty() || !a.subject.is_empty(),
    })
}

/// Owners' names by id, each read once for a list of campaigns.
type Names = HashMap<String, Option<String>>;

async fn campaign_view(
    conn: &mut Conn,
    c: Campaign,
    lang: Lang,
    counts: bool,
    names: &mut Names,
) -> AppResult<CampaignView> {
    let owner_name = match &c.owner_id {
        Some(id) => match names.get(id) {
            Some(n) => n.clone(),
            None => {
                let n = users::get(conn, id).await.ok().map(|u| u.display_name);
                names.insert(id.clone(), n.clone());
                n
            }
        },
        None => None,
    };
    let counts = if counts {
        // Kept on the campaign as greetings settle, so the page does not count its rows.
        let settled = c.sent_count + c.by_hand_count + c.skipped_count + c.dropped_count;
        STATUSES
            .iter()
            .map(|s| StatusCount {
                status: s.to_string(),
                label: status_label(s, lang),
                count: match *s {
                    "planned" => (c.size - settled).max(0),
                    "sent" => c.sent_count,
                    "by_hand" => c.by_hand_count,
                    "skipped" => c.skipped_count,
                    "dropped" => c.dropped_count,
                    _ => 0,
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(CampaignView {
        name: occasion_name(&c.occasion, &c.detail, lang),
        id: c.id,
        occasion: c.occasion,
        detail: c.detail,
        day: c.day,
        status: c.status,
        size: c.size,
        owner_id: c.owner_id,
        owner_name,
        counts,
    })
}

fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The open campaigns Today shows: from a week before their day to a week after.
pub async fn for_today(app: &App, actor: &Actor) -> AppResult<Vec<CampaignView>> {
    let today = app.clock.today();
    let from = today
        .checked_sub_days(Days::new(LATE_DAYS))
        .unwrap_or(today);
    let to = today
        .checked_add_days(Days::new(LEAD_DAYS))
        .unwrap_or(today);
    let mut conn = app.conn().await?;
    // Today is the caller's own work: a manager's team's campaigns are on the campaign list.
    let own = huike_store::Scope::Owner(actor.user_id.clone());
    let found = greetings::open_campaigns(&mut conn, &own, &fmt(from), &fmt(to), 20).await?;
    // Every one is the caller's: Today reads no user rows for them.
    let mut names = Names::from([(actor.user_id.clone(), Some(actor.display_name.clone()))]);
    let mut out = Vec::with_capacity(found.len());
    for c in found {
        out.push(campaign_view(&mut conn, c, actor.lang, false, &mut names).await?);
    }
    Ok(out)
}

/// The caller's campaigns (a manager's department's, all for admins), newest day first.
pub async fn list(app: &App, actor: &Actor, page: i64) -> AppResult<Vec<CampaignView>> {
    const PER_PAGE: i64 = 50;
    let mut conn = app.conn().await?;
    let found = greetings::list_campaigns(
        &mut conn,
        &actor.scope(),
        crate::views::offset(page, PER_PAGE),
        PER_PAGE,
    )
    .await?;
    let mut names = Names::new();
    let mut out = Vec::with_capacity(found.len());
    for c in found {
        out.push(campaign_view(&mut conn, c, actor.lang, false, &mut names).await?);
    }
    Ok(out)
}

/// One campaign with its counts per status.
pub async fn view(app: &App, actor: &Actor, id: &str) -> AppResult<CampaignView> {
    let mut conn = app.conn().await?;
    let c = greetings::campaign(&mut conn, &actor.scope(), id).await?;
    campaign_view(&mut conn, c, actor.lang, true, &mut Names::new()).await
}

async fn opt_outs(conn: &mut Conn, rows: &[Addressed]) -> AppResult<HashMap<String, Vec<String>>> {
    let ids: Vec<String> = rows.iter().map(|r| r.contact_id.clone()).collect();
    opt_outs_by_contact(conn, &ids).await
}

/// The channels each of `ids` opted out of.
pub(crate) async fn opt_outs_by_contact(
    conn: &mut Conn,
    ids: &[String],
) -> AppResult<HashMap<String, Vec<String>>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (contact, channel) in huike_store::outbox::opt_outs_of(conn, ids).await? {
        out.entry(contact).or_default().push(channel);
    }
    Ok(out)
}

pub(crate) fn opted_set<'a>(
    map: &'a HashMap<String, Vec<String>>,
    contact: &str,
) -> HashSet<&'a str> {
    map.get(contact)
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// A page of a campaign's greetings in one status, each with the message it sends.
pub async fn greetings_page(
    app: &App,
    actor: &Actor,
    id: &str,
    q: &GreetingQuery,
) -> AppResult<GreetingPage> {
    let mut c = Checker::new();
    let status = if q.status.is_empty() {
        "planned".to_string()
    } else if STATUSES.contains(&q.status.as_str()) {
        q.status.clone()
    } else {
        c.fail(
            STATUS,
            "unknown_value",
            "「状态」应为 planned、sent、by_hand、skipped 或 dropped。".into(),
            "Status must be planned, sent, by_hand, skipped or dropped.".into(),
        );
        String::new()
    };
    // As the other lists' page sizes: out of range is brought into it.
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    c.finish()?;
    let mut conn = app.conn().await?;
    let campaign = greetings::campaign(&mut conn, &actor.scope(), id).await?;
    let rows =
        greetings::campaign_page(&mut conn, &campaign.id, &status, &q.after, limit + 1).await?;
    let opted = opt_outs(&mut conn, &rows).await?;
    let w = Writer::new(app, &mut conn, campaign.owner_id.as_deref(), actor.lang).await?;
    let more = rows.len() as i64 > limit;
    let items = rows
        .iter()
        .take(limit as usize)
        .map(|a| view_of(&w, a, &opted_set(&opted, &a.contact_id), actor.lang))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(GreetingPage {
        next_after: if more {
            items.last().map(|g| g.id.clone())
        } else {
            None
        },
        items,
    })
}

/// The handwritten cards of a campaign: contacts who prefer a letter, with names and
/// addresses, planned or already marked as written by hand.
pub async fn cards(app: &App, actor: &Actor, id: &str) -> AppResult<Vec<GreetingView>> {
    const MOST: i64 = 5_000;
    let mut conn = app.conn().await?;
    let campaign = greetings::campaign(&mut conn, &actor.scope(), id).await?;
    let w = Writer::new(app, &mut conn, campaign.owner_id.as_deref(), actor.lang).await?;
    let none = HashSet::new();
    let mut out = Vec::new();
    for status in ["planned", "by_hand"] {
        let mut after = String::new();
        loop {
            let rows =
                greetings::campaign_page(&mut conn, &campaign.id, status, &after, 500).await?;
            let Some(last) = rows.last() else { break };
            after = last.id.clone();
            for a in &rows {
                let letter = match status {
                    "by_hand" => a.channel.as_deref() == Some("letter"),
                    _ => route(a, &none) == Route::ByHand("letter".into()),
                };
                if letter && (out.len() as i64) < MOST {
                    out.push(view_of(&w, a, &none, actor.lang)?);
                }
            }
        }
    }
    out.sort_by(|a, b| a.customer_name.cmp(&b.customer_name));
    Ok(out)
}

fn lang_or(actor: &Actor, tag: &str) -> AppResult<Lang> {
    if tag.is_empty() {
        return Ok(actor.lang);
    }
    let mut c = Checker::new();
    let lang = c.code(LANG, tag, Lang::from_code);
    c.finish()?;
    lang.ok_or_else(|| AppError::Internal("checked language missing".into()))
}

/// When a greeting queued now goes out: now, or 09:00 on its day when that is later.
fn send_at(now: i64, day: &str) -> i64 {
    let at = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(SEND_HOUR, 0, 0))
        .map(|t| t.and_utc().timestamp_millis() - 8 * 3_600_000)
        .unwrap_or(now);
    at.max(now)
}

/// Sends what is still planned in a campaign: each greeting by its contact's preferred
/// channel through the outbox (from 09:00 on its day when queued ahead), cards and other
/// channels to the rep's by-hand list, the unreachable skipped with the reason. Sending again
/// sends only what was restored or added since; nothing goes twice.
pub async fn send(app: &App, actor: &Actor, id: &str, input: &SendInput) -> AppResult<SendReport> {
    let lang = lang_or(actor, &input.lang)?;
    let campaign = {
        let mut conn = app.conn().await?;
        greetings::campaign(&mut conn, &actor.scope(), id).await?
    };
    actor.require_worker_of(campaign.owner_id.as_deref())?;
    let w = {
        let mut conn = app.conn().await?;
        Writer::new(app, &mut conn, campaign.owner_id.as_deref(), lang).await?
    };
    let name = occasion_name(&campaign.occasion, &campaign.detail, actor.lang);
    let mut report = SendReport::default();
    let mut after = String::new();
    loop {
        let (rows, opted) = {
            let mut conn = app.conn().await?;
            let rows =
                greetings::campaign_page(&mut conn, &campaign.id, "planned", &after, SEND_BATCH)
                    .await?;
            let opted = opt_outs(&mut conn, &rows).await?;
            (rows, opted)
        };
        let Some(last) = rows.last() else { break };
        after = last.id.clone();
        let now = app.clock.now_ms();
        let mut tx = app.db.begin_write().await?;
        // Taken first: on PostgreSQL a second send of the campaign waits here, then finds
        // these greetings settled.
        greetings::mark_campaign_sent(&mut tx, &campaign.id, &actor.user_id, now).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let live: HashSet<String> = greetings::still_planned(&mut tx, &ids)
            .await?
            .into_iter()
            .collect();
        let mut messages = Vec::new();
        let mut entries = Vec::new();
        let mut settled: HashMap<(&str, Option<String>, String), Vec<String>> = HashMap::new();
        for a in rows.iter().filter(|a| live.contains(&a.id)) {
            let opted = opted_set(&opted, &a.contact_id);
            let at = send_at(now, &a.day);
            let entry = |channel: &str, summary: String, message_id: Option<String>| Interaction {
                id: new_id(),
                customer_id: a.customer_id.clone(),
                contact_id: Some(a.contact_id.clone()),
                channel: channel.to_string(),
                direction: "outbound".into(),
                user_id: Some(actor.user_id.clone()),
                occurred_at: at,
                summary,
                created_at: now,
                task_id: None,
                problem: 0,
                message_id,
            };
            match route(a, &opted) {
                Route::Send(via, to) => {
                    let (subject, body) = w.text(a)?;
                    let mid = new_id();
                    entries.push(entry(
                        via.code(),
                        greeting_summary(&name, &subject, &body, actor.lang),
                        Some(mid.clone()),
                    ));
                    messages.push(
                        Outgoing {
                            idem_key: format!("greeting:{}", a.id),
                            via,
                            recipient: to,
                            subject,
                            body,
                            lang,
                            event: String::new(),
                            customer_id: Some(a.customer_id.clone()),
                            contact_id: Some(a.contact_id.clone()),
                            task_id: None,
                        }
                        .into_message(mid, at, now),
                    );
                    settled
                        .entry(("sent", Some(via.code().to_string()), String::new()))
                        .or_default()
                        .push(a.id.clone());
                    report.sent += 1;
                }
                Route::ByHand(ch) => {
                    let what = match (ch.as_str(), actor.lang) {
                        ("letter", Lang::ZhCn) => format!("{name}问候：手写贺卡"),
                        ("letter", Lang::En) => format!("{name} greeting: handwritten card"),
                        (_, Lang::ZhCn) => format!("{name}问候：由负责人亲自发送"),
                        (_, Lang::En) => format!("{name} greeting: sent by the rep in person"),
                    };
                    entries.push(entry(&ch, what, None));
                    settled
                        .entry(("by_hand", Some(ch), String::new()))
                        .or_default()
                        .push(a.id.clone());
                    report.by_hand += 1;
                }
                Route::Skip(code) => {
                    let what = match actor.lang {
                        Lang::ZhCn => {
                            format!("{name}问候未发送：{}", reason_text(&code, actor.lang))
                        }
                        Lang::En => {
                            format!(
                                "{name} greeting not sent: {}",
                                reason_text(&code, actor.lang)
                            )
                        }
                    };
                    entries.push(entry("note", what, None));
                    settled
                        .entry(("skipped", None, code))
                        .or_default()
                        .push(a.id.clone());
                    report.skipped += 1;
                }
            }
        }
        huike_store::outbox::enqueue_many(&mut tx, &messages).await?;
        huike_store::bulk::insert_rows(&mut tx, &entries).await?;
        let mut moved: HashMap<&str, i64> = HashMap::new();
        for ((status, channel, note), ids) in &settled {
            let n = greetings::settle(&mut tx, ids, status, channel.as_deref(), note, now).await?;
            *moved.entry(status).or_default() += i64::try_from(n).unwrap_or(0);
        }
        for (status, n) in moved {
            greetings::count_settled(&mut tx, &campaign.id, status, n).await?;
        }
        app.commit(tx).await?;
    }
    Ok(report)
}

fn greeting_summary(name: &str, subject: &str, body: &str, lang: Lang) -> String {
    let what = if subject.is_empty() {
        body.chars().take(60).collect::<String>()
    } else {
        subject.to_string()
    };
    match lang {
        Lang::ZhCn => format!("{name}问候：{what}"),
        Lang::En => format!("{name} greeting: {what}"),
    }
}

/// A planned greeting the caller may change: in a campaign they see, and theirs to work.
async fn workable(conn: &mut Conn, actor: &Actor, id: &str) -> AppResult<greetings::Greeting> {
    let g = greetings::get(conn, id).await?;
    match &g.campaign_id {
        Some(c) => {
            greetings::campaign(conn, &actor.scope(), c).await?;
        }
        None => {
            huike_store::customers::get(conn, &actor.scope(), &g.customer_id).await?;
        }
    }
    actor.require_worker_of(g.owner_id.as_deref())?;
    Ok(g)
}

fn not_planned(g: &greetings::Greeting) -> AppError {
    AppError::Conflict(field_error(
        "status",
        "not_planned",
        format!(
            "这条问候已处理（{}），不能再修改。",
            status_label(&g.status, Lang::ZhCn)
        ),
        format!(
            "This greeting is settled ({}) and cannot be changed.",
            status_label(&g.status, Lang::En)
        ),
    ))
}

/// Takes a planned greeting out of its campaign (it is not sent), or puts a dropped one back.
pub async fn set_dropped(app: &App, actor: &Actor, id: &str, dropped: bool) -> AppResult<()> {
    let mut tx = app.db.begin_write().await?;
    let mut g = workable(&mut tx, actor, id).await?;
    let from = if dropped { "planned" } else { "dropped" };
    if g.status != from {
        return Err(not_planned(&g));
    }
    g.status = if dropped { "dropped" } else { "planned" }.into();
    g.updated_at = app.clock.now_ms();
    greetings::update(&mut tx, &g).await?;
    if let Some(c) = &g.campaign_id {
        greetings::count_settled(&mut tx, c, "dropped", if dropped { 1 } else { -1 }).await?;
    }
    app.commit(tx).await?;
    Ok(())
}

/// Gives one planned greeting the rep's own wording (checked for words not to use); an empty
/// text goes back to the template's.
pub async fn personalise(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &PersonalInput,
) -> AppResult<Vec<crate::phrases::PhraseWarning>> {
    let mut c = Checker::new();
    let subject = c.check(SUBJECT, &input.subject);
    let body = c.check(BODY, &input.body);
    c.finish()?;
    let warnings =
        crate::phrases::check(app, &[("subject", &subject), ("body", &body)], actor.lang).await?;
    if app.settings.forbidden_blocking && !warnings.is_empty() {
        return Err(crate::notes::refusal(&warnings));
    }
    let mut tx = app.db.begin_write().await?;
    let mut g = workable(&mut tx, actor, id).await?;
    if g.status != "planned" {
        return Err(not_planned(&g));
    }
    g.subject = subject;
    g.body = body;
    g.updated_at = app.clock.now_ms();
    greetings::update(&mut tx, &g).await?;
    app.commit(tx).await?;
    Ok(warnings)
}

/// A contact's greeting as its page lists it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ContactGreeting {
    pub id: String,
    pub day: String,
    /// birthday | family_event | founding | first_trade | festival | theme
    pub occasion: String,
    pub detail: String,
    /// The planner's priority, 0 (birthday) to 4 (monthly theme).
    pub level: i64,
    /// The opening line, e.g. 中秋快乐.
    pub line: String,
    pub status: String,
    pub status_label: String,
    pub channel: Option<String>,
    pub campaign_id: Option<String>,
    pub task_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ContactGreetingQuery {
    /// YYYY-MM-DD; default today.
    pub from: String,
    /// YYYY-MM-DD; default a year after `from`.
    pub to: String,
}

/// A contact's greetings on `from..=to` (default: the coming year).
pub async fn of_contact(
    app: &App,
    actor: &Actor,
    contact_id: &str,
    q: &ContactGreetingQuery,
) -> AppResult<Vec<ContactGreeting>> {
    let mut c = Checker::new();
    let from = c.date(FROM, &q.from);
    let to = c.date(TO, &q.to);
    c.finish()?;
    let parse = |d: Option<String>| d.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let (from, to) = (parse(from), parse(to));
    let today = app.clock.today();
    let from = from.unwrap_or(today);
    let to = to.unwrap_or_else(|| from.checked_add_days(Days::new(366)).unwrap_or(from));
    let mut conn = app.conn().await?;
    huike_store::contacts::get(&mut conn, &actor.scope(), contact_id).await?;
    let config = planner_config(app).await?;
    Ok(
        greetings::of_contact(&mut conn, contact_id, &fmt(from), &fmt(to))
            .await?
            .into_iter()
            .map(|g| ContactGreeting {
                line: occasion_line(&config, &g.occasion, &g.detail, actor.lang),
                status_label: status_label(&g.status, actor.lang),
                id: g.id,
                day: g.day,
                occasion: g.occasion,
                detail: g.detail,
                level: g.level,
                status: g.status,
                channel: g.channel,
                campaign_id: g.campaign_id,
                task_id: g.task_id,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addressed(pref: Option<&str>, email: &str, phone: &str, address: &str) -> Addressed {
        Addressed {
            id: "g".into(),
            contact_id: "k".into(),
            customer_id: "c".into(),
            day: "2026-09-25".into(),
            occasion: "festival".into(),
            detail: "mid_autumn".into(),
            status: "planned".into(),
            channel: None,
            subject: String::new(),
            body: String::new(),
            note: String::new(),
            contact_name: "王".into(),
            contact_title: String::new(),
            email: email.into(),
            phone: phone.into(),
            preferred_channel: pref.map(str::to_string),
            customer_name: "公司".into(),
            address: address.into(),
        }
    }

    #[test]
    fn the_preferred_channel_decides_and_its_opt_out_means_no_greeting() {
        let none = HashSet::new();
        let both = addressed(Some("sms"), "a@b.cn", "13900000000", "");
        assert_eq!(
            route(&both, &none),
            Route::Send(Via::Sms, "13900000000".into())
        );
        let opted: HashSet<&str> = ["sms"].into_iter().collect();
        assert_eq!(route(&both, &opted), Route::Skip("opted_out:sms".into()));
        let card = addressed(Some("letter"), "a@b.cn", "", "北京市");
        assert_eq!(route(&card, &none), Route::ByHand("letter".into()));
        let wechat = addressed(Some("wechat"), "", "", "");
        assert_eq!(route(&wechat, &none), Route::ByHand("wechat".into()));
    }

    #[test]
    fn without_a_preference_email_then_sms_then_a_card_then_nothing() {
        let none = HashSet::new();
        let all = addressed(None, "a@b.cn", "13900000000", "北京市");
        assert_eq!(route(&all, &none), Route::Send(Via::Email, "a@b.cn".into()));
        let no_mail: HashSet<&str> = ["email"].into_iter().collect();
        assert_eq!(
            route(&all, &no_mail),
            Route::Send(Via::Sms, "13900000000".into())
        );
        let post_only = addressed(None, "", "", "北京市");
        assert_eq!(route(&post_only, &none), Route::ByHand("letter".into()));
        let nothing = addressed(None, " ", "", "");
        assert_eq!(route(&nothing, &none), Route::Skip("no_address".into()));
    }

    #[test]
    fn a_greeting_queued_ahead_goes_out_at_nine_on_its_day() {
        // 2026-09-20 10:00 Beijing.
        let now = 1_789_869_600_000;
        // 2026-09-25 09:00 Beijing = 01:00 UTC.
        assert_eq!(send_at(now, "2026-09-25"), 1_790_298_000_000);
        assert_eq!(send_at(now, "2026-09-19"), now);
    }
}
