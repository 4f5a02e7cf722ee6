//! The iCalendar feed of a user's open tasks: a secret URL (revocable) that phone and desktop
//! calendars subscribe to, showing each task as an all-day event on its due day.

use chrono::Days;
use huike_store::calendar_feeds;
use huike_store::tasks::{self, TaskFilter};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::auth::{random_token, sha256_hex};
use crate::error::{AppError, AppResult};
use crate::views::TaskView;
use crate::{Actor, App};

/// Days of past-due work the feed still shows, and days ahead.
const FEED_PAST_DAYS: u64 = 30;
const FEED_AHEAD_DAYS: u64 = 120;
/// Most events in one feed.
const FEED_LIMIT: i64 = 2000;

/// The feed's state for its owner.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FeedView {
    pub on: bool,
    /// The path to subscribe to (`/feeds/<token>.ics`): only in the answer that turns the feed
    /// on, never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Unix ms it was turned on.
    pub since: Option<i64>,
}

pub async fn status(app: &App, actor: &Actor) -> AppResult<FeedView> {
    let mut conn = app.conn().await?;
    let since = calendar_feeds::since(&mut conn, &actor.user_id).await?;
    Ok(FeedView {
        on: since.is_some(),
        path: None,
        since,
    })
}

/// Turns the feed on with a new secret URL (an earlier URL stops working).
pub async fn turn_on(app: &App, actor: &Actor) -> AppResult<FeedView> {
    let token = random_token(24);
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    calendar_feeds::set(&mut tx, &actor.user_id, &sha256_hex(&token), now).await?;
    app.commit(tx).await?;
    Ok(FeedView {
        on: true,
        path: Some(format!("/feeds/{token}.ics")),
        since: Some(now),
    })
}

pub async fn turn_off(app: &App, actor: &Actor) -> AppResult<FeedView> {
    let mut tx = app.db.begin_write().await?;
    calendar_feeds::remove(&mut tx, &actor.user_id).await?;
    app.commit(tx).await?;
    Ok(FeedView {
        on: false,
        path: None,
        since: None,
    })
}

/// The feed behind `token`: the owner's open tasks from a month back to four months ahead,
/// of customers they may still see. An unknown or revoked token is "not found".
pub async fn render(app: &App, token: &str) -> AppResult<String> {
    let mut conn = app.conn().await?;
    let user_id = calendar_feeds::user_of(&mut conn, &sha256_hex(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let user = huike_store::users::get(&mut conn, &user_id).await?;
    if user.active != 1 {
        return Err(AppError::NotFound);
    }
    let actor = crate::auth::actor_from_user(&user)?;
    let today = app.clock.today();
    let day = |d: Option<chrono::NaiveDate>| d.unwrap_or(today).format("%Y-%m-%d").to_string();
    let filter = TaskFilter {
        owner_id: Some(actor.user_id.clone()),
        status: Some("open".into()),
        due_from: Some(day(today.checked_sub_days(Days::new(FEED_PAST_DAYS)))),
        due_to: Some(day(today.checked_add_days(Days::new(FEED_AHEAD_DAYS)))),
        ..Default::default()
    };
    let items = tasks::list_all(&mut conn, &actor.scope(), &filter, FEED_LIMIT).await?;
    let mut cal = Calendar::new();
    cal.name(&format!("回客 · {}", actor.display_name));
    for t in items {
        let v = TaskView::of(t, actor.lang, today);
        let Ok(due) = chrono::NaiveDate::parse_from_str(&v.due_date, "%Y-%m-%d") else {
            continue;
        };
        let mut text = v.purpose.clone();
        if !v.doubts.is_empty() {
            text.push_str(&format!(
                "\n{}：{}",
                actor.lang.pick("尚存的疑虑", "Doubts"),
                v.doubts
            ));
        }
        if let Some(w) = &v.promise_what {
            text.push_str(&format!("\n{}：{w}", actor.lang.pick("承诺", "Promise")));
        }
        let who = match &v.contact_name {
            Some(c) => format!("{} · {c}", v.customer_name),
            None => v.customer_name.clone(),
        };
        cal.push(
            Event::new()
                .uid(&format!("{}@huike", v.id))
                .summary(&format!("{} · {who}", v.kind_label))
                .description(&text)
                .all_day(due)
                .done(),
        );
    }
    Ok(cal.done().to_string())
}
