//! Monthly greetings (§4, Joe Girard's card every month): every contact's greetings planned a
//! month ahead from the stored birthdays, family events and the customer's special days,
//! festival and theme greetings grouped into each rep's campaigns, personal ones as tasks.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use huike_domain::greeting::{FamilyDate, Scratch};
use huike_domain::{
    Birthday, FamilyEvent, Greeting, GreetingContact, GreetingPlanner, Lang, Occasion,
    PlannerConfig, TaskKind,
};
use huike_store::greetings::{self, Campaign, Contacts, PlanInput};
use huike_store::{new_id, tasks};

use crate::App;
use crate::error::AppResult;

/// The settings row holding the planner's configuration (window, festivals, themes) as JSON.
pub const PLANNER_KEY: &str = "greeting_planner";

/// Contacts planned per batch: each batch is read, planned and written in its own short
/// transaction, so pages keep answering while millions are planned.
const BATCH: i64 = 5_000;

/// The planner's configuration: the admins' saved one, else the product's default.
pub async fn planner_config(app: &App) -> AppResult<PlannerConfig> {
    let mut conn = app.conn().await?;
    config_in(&mut conn).await
}

/// [`planner_config`] read on the caller's connection (inside its transaction).
async fn config_in(conn: &mut huike_store::Conn) -> AppResult<PlannerConfig> {
    Ok(huike_store::settings::get(conn, PLANNER_KEY)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// What a planning run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PlanReport {
    pub contacts: u64,
    pub greetings: u64,
    pub tasks: u64,
    pub campaigns: u64,
}

/// Stored codes of an occasion: (occasion, detail).
pub fn occasion_codes(o: &Occasion) -> (&'static str, String) {
    match o {
        Occasion::Birthday => ("birthday", String::new()),
        Occasion::FamilyEvent { event } => ("family_event", event.code().to_string()),
        Occasion::Founding => ("founding", String::new()),
        Occasion::FirstTrade => ("first_trade", String::new()),
        Occasion::Festival { festival } => ("festival", festival.code().to_string()),
        Occasion::Theme { month } => ("theme", month.to_string()),
    }
}

/// Whether greetings of this occasion are sent as a campaign (shared by many contacts on one
/// day) rather than as a personal task.
pub fn is_campaign(occasion: &str) -> bool {
    matches!(occasion, "festival" | "theme")
}

/// The line a greeting opens with, e.g. 中秋快乐 or the month's theme.
pub fn occasion_line(config: &PlannerConfig, occasion: &str, detail: &str, lang: Lang) -> String {
    use huike_domain::{FamilyEventKind, Festival};
    match occasion {
        "birthday" => lang.pick("祝您生日快乐", "Happy birthday").into(),
        "family_event" if detail == "comfort" => lang
            .pick(
                "听说您最近遇到了困难，向您致以诚挚的慰问，有需要帮忙的地方请随时告诉我",
                "I heard times are hard for you; you are in our thoughts, and if there is \
                 anything I can do, just tell me",
            )
            .into(),
        "family_event" => {
            let what = FamilyEventKind::from_code(detail)
                .map(|k| k.label(lang))
                .unwrap_or(detail);
            match lang {
                Lang::ZhCn => format!("恭贺{what}"),
                Lang::En => format!("Congratulations: {what}"),
            }
        }
        "founding" => lang
            .pick("祝贺贵公司成立周年", "Happy founding anniversary")
            .into(),
        "first_trade" => lang
            .pick(
                "今天是我们合作的周年纪念日",
                "Today is the anniversary of our first trade",
            )
            .into(),
        "festival" => {
            let name = Festival::from_code(detail)
                .map(|f| f.label(lang))
                .unwrap_or(detail);
            match lang {
                Lang::ZhCn => format!("{name}快乐"),
                Lang::En => format!("Happy {name}"),
            }
        }
        "theme" => {
            let month: u32 = detail.parse().unwrap_or(0);
            config
                .themes
                .iter()
                .find(|t| t.month == month)
                .map(|t| t.theme(lang).to_string())
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

/// The name of a campaign's occasion, e.g. 中秋 or "June theme".
pub fn occasion_name(occasion: &str, detail: &str, lang: Lang) -> String {
    use huike_domain::Festival;
    match occasion {
        "festival" => Festival::from_code(detail)
            .map(|f| f.label(lang).to_string())
            .unwrap_or_else(|| detail.to_string()),
        "theme" => match lang {
            Lang::ZhCn => format!("{detail}月主题"),
            Lang::En => format!("Theme of month {detail}"),
        },
        other => other.to_string(),
    }
}

fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// What the planner knows about a stored contact (`id` is its place in the batch).
fn planner_contact(i: usize, c: &PlanInput) -> GreetingContact {
    let birthday = match (
        c.birthday_calendar.as_deref(),
        c.birthday_month,
        c.birthday_day,
    ) {
        (Some(cal), Some(m), Some(d)) => {
            let year = c.birthday_year.and_then(|y| i32::try_from(y).ok());
            let (m, d) = (u32::try_from(m).unwrap_or(0), u32::try_from(d).unwrap_or(0));
            if cal == "lunar" {
                Birthday::new_lunar(year, m, d, c.birthday_leap != 0).ok()
            } else {
                Birthday::new_solar(year, m, d).ok()
            }
        }
        _ => None,
    };
    let family = serde_json::from_str::<Vec<FamilyEvent>>(&c.family_events)
        .unwrap_or_default()
        .iter()
        .filter_map(FamilyDate::from_event)
        .collect();
    GreetingContact {
        id: i as u64,
        birthday,
        family,
        founded: c.founded_on.as_deref().and_then(parse_day),
        first_trade: c.first_trade_on.as_deref().and_then(parse_day),
        last_greeted: None,
    }
}

/// Plans greetings for every contact on the days from today to the horizon. Runs daily: a day
/// already planned gains only what is new (a contact added, a birthday entered).
pub async fn plan(app: &App) -> AppResult<PlanReport> {
    let today = app.clock.today();
    let to = today
        .checked_add_days(Days::new(app.settings.greeting_horizon_days))
        .unwrap_or(today);
    plan_range(app, today, to).await
}

/// The greetings on file near a batch of contacts: per contact, its days and whether each
/// still counts (a skipped or dropped one holds its day but does not keep the window).
type Standing = HashMap<String, Vec<(NaiveDate, bool)>>;

fn standing_of(rows: Vec<(String, String, String)>) -> Standing {
    let mut standing: Standing = HashMap::new();
    for (contact, day, status) in rows {
        if let Some(d) = parse_day(&day) {
            standing
                .entry(contact)
                .or_default()
                .push((d, !matches!(status.as_str(), "skipped" | "dropped")));
        }
    }
    standing
}

/// Plans greetings on `from..=to` for every contact, in batches. A greeting already on file
/// is kept: nothing new is planned on its day, nor (unless it was skipped or dropped) fewer
/// than the window's days from it.
pub async fn plan_range(app: &App, from: NaiveDate, to: NaiveDate) -> AppResult<PlanReport> {
    let config = planner_config(app).await?;
    let planner = GreetingPlanner::new(&config, from, to);
    let w = u64::from(config.window_days.max(1));
    let near_from = fmt(from.checked_sub_days(Days::new(w)).unwrap_or(from));
    let near_to = fmt(to.checked_add_days(Days::new(w)).unwrap_or(to));
    let mut campaigns: HashMap<String, String> = {
        let mut conn = app.conn().await?;
        greetings::campaigns_between(&mut conn, &fmt(from), &fmt(to), None)
            .await?
            .into_iter()
            .map(|c| (c.idem_key, c.id))
            .collect()
    };
    let mut report = PlanReport::default();
    let mut scratch = Scratch::default();
    let mut after = String::new();
    loop {
        let (inputs, standing) = {
            let mut conn = app.conn().await?;
            let inputs = greetings::plan_inputs(&mut conn, &after, BATCH).await?;
            let (Some(first), Some(last)) = (inputs.first(), inputs.last()) else {
                break;
            };
            let rows = greetings::standing(
                &mut conn,
                Contacts::Between(&first.id, &last.id),
                &near_from,
                &near_to,
            )
            .await?;
            (inputs, standing_of(rows))
        };
        if let Some(last) = inputs.last() {
            after = last.id.clone();
        }
        report.contacts += inputs.len() as u64;
        let planned = plan_batch(&planner, w, &inputs, &standing, &mut scratch);
        write(app, &inputs, &planned, &mut campaigns, &mut report).await?;
    }
    Ok(report)
}

/// The batch's new greetings: what the planner finds, less what a greeting on file rules out.
fn plan_batch(
    planner: &GreetingPlanner,
    window: u64,
    inputs: &[PlanInput],
    standing: &Standing,
    scratch: &mut Scratch,
) -> Vec<Greeting> {
    let w = i64::try_from(window).unwrap_or(i64::MAX);
    let mut out = Vec::new();
    for (i, c) in inputs.iter().enumerate() {
        let on_file = standing.get(&c.id);
        let pc = planner_contact(i, c);
        planner.plan_contact(&pc, scratch, |g| {
            let ruled_out = on_file.is_some_and(|days| {
                days.iter().any(|(d, counts)| {
                    let apart = (*d - g.date).num_days().abs();
                    apart == 0 || (*counts && apart < w)
                })
            });
            if !ruled_out {
                out.push(g);
            }
        });
    }
    out
}

/// A batch's rows, ready to write.
#[derive(Default)]
struct Prepared {
    campaigns: Vec<Campaign>,
    tasks: Vec<huike_store::tasks::Task>,
    greetings: Vec<greetings::Greeting>,
    /// Greetings added to each campaign.
    grown: HashMap<String, i64>,
}

/// The rows of a batch's greetings: the campaigns they start (`campaigns` maps each key on
/// file to its id), the tasks of the personal ones, then the greetings.
fn prepare(
    inputs: &[PlanInput],
    planned: &[Greeting],
    campaigns: &mut HashMap<String, String>,
    now: i64,
) -> Prepared {
    let mut out = Prepared::default();
    for g in planned {
        let Some(c) = usize::try_from(g.contact).ok().and_then(|i| inputs.get(i)) else {
            continue;
        };
        let (occasion, detail) = occasion_codes(&g.occasion);
        let day = fmt(g.date);
        let mut row = greetings::Greeting {
            id: new_id(),
            contact_id: c.id.clone(),
            customer_id: c.customer_id.clone(),
            owner_id: c.owner_id.clone(),
            department_id: c.department_id.clone(),
            day: day.clone(),
            occasion: occasion.to_string(),
            detail: detail.clone(),
            level: i64::from(g.occasion.level()),
            campaign_id: None,
            task_id: None,
            status: "planned".into(),
            channel: None,
            subject: String::new(),
            body: String::new(),
            note: String::new(),
            created_at: now,
            updated_at: now,
        };
        if is_campaign(occasion) {
            let key = format!(
                "{occasion}:{detail}:{day}:{}",
                c.owner_id.as_deref().unwrap_or("none")
            );
            let id = match campaigns.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let id = new_id();
                    campaigns.insert(key.clone(), id.clone());
                    out.campaigns.push(Campaign {
                        id: id.clone(),
                        idem_key: key,
                        owner_id: c.owner_id.clone(),
                        department_id: c.department_id.clone(),
                        occasion: occasion.to_string(),
                        detail,
                        day,
                        status: "open".into(),
                        size: 0,
                        sent_at: None,
                        sent_by: None,
                        created_at: now,
                        updated_at: now,
                        sent_count: 0,
                        by_hand_count: 0,
                        skipped_count: 0,
                        dropped_count: 0,
                    });
                    id
                }
            };
            *out.grown.entry(id.clone()).or_default() += 1;
            row.campaign_id = Some(id);
        } else {
            let mut t = crate::tasks::open_task(
                TaskKind::Greeting,
                format!("greeting:{}:{}", c.id, row.day),
                &c.customer_id,
                c.owner_id.clone(),
                c.department_id.clone(),
                row.day.clone(),
                now,
            );
            t.contact_id = Some(c.id.clone());
            // The occasion, as the rep's talking point on Today (personal occasions do not
            // read the planner's themes).
            t.doubts = occasion_line(&PlannerConfig::default(), occasion, &detail, Lang::ZhCn);
            row.task_id = Some(t.id.clone());
            out.tasks.push(t);
        }
        out.greetings.push(row);
    }
    out
}

/// Writes prepared rows in the caller's transaction.
async fn store(
    tx: &mut huike_store::Conn,
    p: &Prepared,
    report: &mut PlanReport,
    now: i64,
) -> AppResult<()> {
    report.campaigns += greetings::insert_campaigns_once(tx, &p.campaigns).await?;
    report.tasks += tasks::insert_many_once(tx, &p.tasks).await?;
    report.greetings += greetings::insert_many_once(tx, &p.greetings).await?;
    for (id, n) in &p.grown {
        greetings::grow_campaign(tx, id, *n, now).await?;
    }
    Ok(())
}

/// Writes a batch's greetings in a transaction of its own.
async fn write(
    app: &App,
    inputs: &[PlanInput],
    planned: &[Greeting],
    campaigns: &mut HashMap<String, String>,
    report: &mut PlanReport,
) -> AppResult<()> {
    if planned.is_empty() {
        return Ok(());
    }
    let now = app.clock.now_ms();
    let prepared = prepare(inputs, planned, campaigns, now);
    let mut tx = app.db.begin_write().await?;
    store(&mut tx, &prepared, report, now).await?;
    app.commit(tx).await?;
    Ok(())
}

/// Plans a customer's contacts (or only `contact`) again inside the caller's transaction,
/// after their dates or the customer's owner changed: greetings from today on that are still
/// only planned (and their tasks) are replaced by what the planner finds now; those already
/// sent, written by hand, skipped or dropped stay and keep their window.
pub async fn replan(
    app: &App,
    tx: &mut huike_store::Conn,
    customer_id: &str,
    contact: Option<&str>,
) -> AppResult<PlanReport> {
    let today = app.clock.today();
    let to = today
        .checked_add_days(Days::new(app.settings.greeting_horizon_days))
        .unwrap_or(today);
    let mut inputs = greetings::plan_inputs_of_customer(tx, customer_id).await?;
    if let Some(only) = contact {
        inputs.retain(|c| c.id == only);
    }
    let mut report = PlanReport {
        contacts: inputs.len() as u64,
        ..PlanReport::default()
    };
    if inputs.is_empty() {
        return Ok(report);
    }
    let ids: Vec<String> = inputs.iter().map(|c| c.id.clone()).collect();
    greetings::unplan(tx, &ids, &fmt(today)).await?;
    let config = config_in(tx).await?;
    let planner = GreetingPlanner::new(&config, today, to);
    let w = u64::from(config.window_days.max(1));
    let near_from = fmt(today.checked_sub_days(Days::new(w)).unwrap_or(today));
    let near_to = fmt(to.checked_add_days(Days::new(w)).unwrap_or(to));
    // By id, not by id range: one customer's contacts were added at different times, so a
    // range between them could hold millions of others'.
    let standing =
        standing_of(greetings::standing(tx, Contacts::These(&ids), &near_from, &near_to).await?);
    let planned = plan_batch(&planner, w, &inputs, &standing, &mut Scratch::default());
    // One customer's contacts share its owner.
    let owner = inputs.first().and_then(|c| c.owner_id.clone());
    let mut campaigns: HashMap<String, String> =
        greetings::campaigns_between(tx, &fmt(today), &fmt(to), Some(owner.as_deref()))
            .await?
            .into_iter()
            .map(|c| (c.idem_key, c.id))
            .collect();
    let now = app.clock.now_ms();
    let prepared = prepare(&inputs, &planned, &mut campaigns, now);
    store(tx, &prepared, &mut report, now).await?;
    Ok(report)
}
