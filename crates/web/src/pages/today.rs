//! Today (今日), every user's home page: the after-sale tasks due, grouped by kind, each
//! finished, snoozed or handed over with one or two clicks (htmx swaps the task in place;
//! without JavaScript the form posts and the page comes back).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use chrono::Days;
use huike_app::tasks::{self, DoneInput, ReassignInput, SnoozeInput};
use huike_app::views::{TaskView, TodayView};
use huike_app::{Actor, AppError};
use serde::Deserialize;

use super::form::{self, Errors};
use super::{Authed, Ctx, PageResult, app_error, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page))
        .route("/today", get(page))
        .route("/tasks/{id}/done", post(done))
        .route("/tasks/{id}/snooze", post(snooze))
        .route("/tasks/{id}/reassign", post(reassign))
}

/// Quick snooze choices and the people a manager may hand work to, shared by every card.
pub struct CardChoices {
    pub tomorrow: String,
    pub next_week: String,
    pub today: String,
    /// Empty unless the user may reassign.
    pub owners: Vec<form::Opt>,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage<'a> {
    ctx: &'a Ctx,
    v: TodayView,
    choices: CardChoices,
    /// A refused action: the task it was for, and why.
    failed: Option<(String, Errors)>,
}

impl TodayPage<'_> {
    fn err_for(&self, task_id: &str) -> Option<&Errors> {
        match &self.failed {
            Some((id, e)) if id == task_id => Some(e),
            _ => None,
        }
    }
}

/// One task card, as htmx swaps it in after an action.
#[derive(Template)]
#[template(path = "today_task.html")]
struct TaskCard<'a> {
    ctx: &'a Ctx,
    t: TaskView,
    choices: CardChoices,
    err: Option<Errors>,
}

async fn choices(
    s: &AppState,
    ctx: &Ctx,
    actor: &Actor,
) -> Result<CardChoices, axum::response::Response> {
    let today = s.app.clock.today();
    let day = |n: u64| {
        today
            .checked_add_days(Days::new(n))
            .unwrap_or(today)
            .format("%Y-%m-%d")
            .to_string()
    };
    let owners = if actor.require_admin_or_manager().is_ok() {
        super::user_options(s, ctx, "").await?
    } else {
        Vec::new()
    };
    Ok(CardChoices {
        tomorrow: day(1),
        next_week: day(7),
        today: day(0),
        owners,
    })
}

async fn show(
    s: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    failed: Option<(String, Errors)>,
) -> PageResult {
    let v = tasks::today(&s.app, actor)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let choices = choices(s, ctx, actor).await?;
    Ok(render_status(
        status,
        &TodayPage {
            ctx,
            v,
            choices,
            failed,
        },
    ))
}

async fn page(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    show(&s, &ctx, &actor, None).await
}

fn htmx(h: &HeaderMap) -> bool {
    h.contains_key("hx-request")
}

/// After an action: the card swapped in place for htmx, or Today again for a plain post. A
/// refusal the user can fix (a missing outcome, a date in the past, an owner who cannot see
/// the customer) comes back beside the task; anything else is an error page.
async fn answer(
    s: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    headers: &HeaderMap,
    id: &str,
    result: Result<TaskView, AppError>,
) -> PageResult {
    match result {
        Ok(t) if htmx(headers) => {
            let choices = choices(s, ctx, actor).await?;
            Ok(render_status(
                StatusCode::OK,
                &TaskCard {
                    ctx,
                    t,
                    choices,
                    err: None,
                },
            ))
        }
        Ok(_) => Ok(see_other("/")),
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            if htmx(headers) {
                let t = tasks::view(&s.app, actor, id)
                    .await
                    .map_err(|e| app_error(ctx, e))?;
                let choices = choices(s, ctx, actor).await?;
                // htmx swaps 2xx answers only: the refused card comes back as 200 with its
                // errors shown.
                Ok(render_status(
                    StatusCode::OK,
                    &TaskCard {
                        ctx,
                        t,
                        choices,
                        err: Some(errs),
                    },
                ))
            } else {
                show(s, ctx, actor, Some((id.to_string(), errs))).await
            }
        }
        Err(e) => Err(app_error(ctx, e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DoneForm {
    outcome: String,
    note: String,
    channel: String,
}

async fn done(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<DoneForm>,
) -> PageResult {
    let input = DoneInput {
        outcome: f.outcome,
        note: f.note,
        channel: f.channel,
    };
    let r = tasks::done(&s.app, &actor, &id, &input).await;
    answer(&s, &ctx, &actor, &headers, &id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SnoozeForm {
    until: String,
}

async fn snooze(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<SnoozeForm>,
) -> PageResult {
    let r = tasks::snooze(&s.app, &actor, &id, &SnoozeInput { until: f.until }).await;
    answer(&s, &ctx, &actor, &headers, &id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReassignForm {
    owner_id: String,
}

async fn reassign(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ReassignForm>,
) -> PageResult {
    let input = ReassignInput {
        owner_id: f.owner_id,
    };
    let r = tasks::reassign(&s.app, &actor, &id, &input).await;
    answer(&s, &ctx, &actor, &headers, &id, r).await
}
