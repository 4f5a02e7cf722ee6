//! The yearly greeting calendar admins keep: which festivals are greeted (most important
//! first), the window within which a contact gets one greeting, and each month's theme in
//! both languages. Planning reads it; greetings already planned keep their day.

use chrono::Datelike;
use huike_domain::greeting::ThemeDay;
use huike_domain::{Festival, Lang, PlannerConfig};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::greetings::{PLANNER_KEY, planner_config};
use crate::validate::{Checker, Field, field};
use crate::{Actor, App};

pub const WINDOW: Field = field("window_days", "间隔天数", "Days between greetings");
pub const FESTIVALS: Field = field("festivals", "问候的节日", "Festivals greeted");
pub const DAY: Field = field("day", "日", "Day of the month");
pub const THEME_ZH: Field = field("theme_zh", "主题（中文）", "Theme (Chinese)")
    .max(200)
    .required();
pub const THEME_EN: Field = field("theme_en", "主题（英文）", "Theme (English)")
    .max(200)
    .required();
/// The longest window: a greeting a month is the method's rhythm.
pub const MAX_WINDOW: i64 = 31;

/// One festival of the calendar, greeted or not.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FestivalChoice {
    pub code: String,
    pub label: String,
    /// Its day this year (YYYY-MM-DD).
    pub this_year: String,
    pub greeted: bool,
    /// 1 for the most important among those greeted (it wins when two fall within the
    /// window); none when not greeted.
    pub rank: Option<usize>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ThemeView {
    pub month: u32,
    pub day: u32,
    pub theme_zh: String,
    pub theme_en: String,
}

/// The calendar as admins edit it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CalendarView {
    pub window_days: u32,
    /// The greeted festivals first, in rank order, then the others.
    pub festivals: Vec<FestivalChoice>,
    pub themes: Vec<ThemeView>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FestivalsInput {
    /// A contact gets at most one greeting within this many days (1–31).
    pub window_days: String,
    /// The festivals to greet, most important first (codes; a repeat counts once).
    pub festivals: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ThemeInput {
    /// The day of the month its card goes out (1–31; past the month's end is its last day).
    pub day: String,
    pub theme_zh: String,
    pub theme_en: String,
}

fn view_of(config: &PlannerConfig, today: chrono::NaiveDate, lang: Lang) -> CalendarView {
    let year = today.year();
    let choice = |f: Festival, rank: Option<usize>| FestivalChoice {
        code: f.code().to_string(),
        label: f.label(lang).to_string(),
        this_year: f
            .date_in(year)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        greeted: rank.is_some(),
        rank,
    };
    let mut festivals: Vec<FestivalChoice> = config
        .festivals
        .iter()
        .enumerate()
        .map(|(i, f)| choice(*f, Some(i + 1)))
        .collect();
    festivals.extend(
        Festival::ALL
            .iter()
            .filter(|f| !config.festivals.contains(f))
            .map(|f| choice(*f, None)),
    );
    let mut themes: Vec<ThemeView> = config
        .themes
        .iter()
        .map(|t| ThemeView {
            month: t.month,
            day: t.day,
            theme_zh: t.theme_zh.clone(),
            theme_en: t.theme_en.clone(),
        })
        .collect();
    themes.sort_by_key(|t| t.month);
    CalendarView {
        window_days: config.window_days,
        festivals,
        themes,
    }
}

/// The calendar (every user may read it; admins change it).
pub async fn view(app: &App, actor: &Actor) -> AppResult<CalendarView> {
    let config = planner_config(app).await?;
    Ok(view_of(&config, app.clock.today(), actor.lang))
}

/// A whole number from 1 to `max` written in digits (leading zeros allowed), as the API
/// document states it.
fn whole(c: &mut Checker, f: Field, value: &str, max: i64) -> Option<u32> {
    c.whole(f, value, 1, max)
        .and_then(|n| u32::try_from(n).ok())
}

async fn save(app: &App, config: &PlannerConfig) -> AppResult<()> {
    let json = serde_json::to_string(config)
        .map_err(|e| AppError::Internal(format!("planner settings: {e}")))?;
    let mut tx = app.db.begin_write().await?;
    huike_store::settings::set(&mut tx, PLANNER_KEY, &json).await?;
    app.commit(tx).await?;
    Ok(())
}

/// Sets the festivals greeted (in order of importance) and the window (admins).
pub async fn set_festivals(
    app: &App,
    actor: &Actor,
    input: &FestivalsInput,
) -> AppResult<CalendarView> {
    actor.require_admin()?;
    let mut c = Checker::new();
    let window = whole(&mut c, WINDOW, &input.window_days, MAX_WINDOW);
    let mut festivals: Vec<Festival> = Vec::new();
    for code in input.festivals.iter().filter(|f| !f.is_empty()) {
        match c.code(FESTIVALS, code, Festival::from_code) {
            Some(f) if !festivals.contains(&f) => festivals.push(f),
            _ => {}
        }
    }
    c.finish()?;
    let mut config = planner_config(app).await?;
    config.window_days = window.unwrap_or(config.window_days);
    config.festivals = festivals;
    save(app, &config).await?;
    Ok(view_of(&config, app.clock.today(), actor.lang))
}

/// Sets one month's theme (admins); `month` outside 1–12 is not found.
pub async fn set_theme(
    app: &App,
    actor: &Actor,
    month: &str,
    input: &ThemeInput,
) -> AppResult<CalendarView> {
    actor.require_admin()?;
    let month: u32 = match month.parse() {
        Ok(m) if (1..=12).contains(&m) => m,
        _ => return Err(AppError::NotFound),
    };
    let mut c = Checker::new();
    let day = whole(&mut c, DAY, &input.day, 31);
    let zh = c.check(THEME_ZH, &input.theme_zh);
    let en = c.check(THEME_EN, &input.theme_en);
    c.finish()?;
    let mut config = planner_config(app).await?;
    let theme = ThemeDay {
        month,
        day: day.unwrap_or(15),
        theme_zh: zh,
        theme_en: en,
    };
    match config.themes.iter_mut().find(|t| t.month == month) {
        Some(t) => *t = theme,
        None => config.themes.push(theme),
    }
    save(app, &config).await?;
    Ok(view_of(&config, app.clock.today(), actor.lang))
}
