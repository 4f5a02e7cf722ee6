//! Today (今日), every user's home page: the after-sale tasks due, grouped by kind, each
//! finished, snoozed or handed over with one or two clicks (htmx swaps the task in place;
//! without JavaScript the form posts and the page comes back).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use chrono::Days;
use huike_app::promises::{self, CloseInput, PromiseAlong};
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
        .route("/promises/{id}/close", post(close_promise))
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
    /// A refused action: the task it was for, why, and what was typed.
    failed: Option<(String, Errors, Typed)>,
    blank: Typed,
}

impl TodayPage<'_> {
    fn err_for(&self, task_id: &str) -> Option<&Errors> {
        match &self.failed {
            Some((id, e, _)) if id == task_id => Some(e),
            _ => None,
        }
    }

    fn typed_for(&self, task_id: &str) -> &Typed {
        match &self.failed {
            Some((id, _, typed)) if id == task_id => typed,
            _ => &self.blank,
        }
    }
}

/// What the user typed into a card's forms, shown again when an action is refused so that
/// nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub note: String,
    pub promise_what: String,
    pub promise_to: String,
    pub promise_due: String,
}

/// One task card, as htmx swaps it in after an action.
#[derive(Template)]
#[template(path = "today_task.html")]
struct TaskCard<'a> {
    ctx: &'a Ctx,
    t: TaskView,
    choices: CardChoices,
    err: Option<Errors>,
    typed: Typed,
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
    failed: Option<(String, Errors, Typed)>,
) -> PageResult {
    // The counts the guard made for the header serve Today too; after a post it counts.
    let v = tasks::today_counted(&s.app, actor, ctx.due_counts)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let ctx = &Ctx {
        due_counts: Some((v.due, v.overdue)),
        ..ctx.clone()
    };
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
            blank: Typed::default(),
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
    typed: Typed,
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
                    typed: Typed::default(),
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
                        typed,
                    },
                ))
            } else {
                show(s, ctx, actor, Some((id.to_string(), errs, typed))).await
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
    promise_what: String,
    promise_to: String,
    promise_due: String,
}

async fn done(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<DoneForm>,
) -> PageResult {
    let typed = Typed {
        note: f.note.clone(),
        promise_what: f.promise_what.clone(),
        promise_to: f.promise_to.clone(),
        promise_due: f.promise_due.clone(),
    };
    let input = DoneInput {
        outcome: f.outcome,
        note: f.note,
        channel: f.channel,
    };
    let promise = PromiseAlong {
        promise_what: f.promise_what,
        promise_to: f.promise_to,
        promise_due: f.promise_due,
    };
    let r = tasks::done_with_promise(&s.app, &actor, &id, &input, &promise).await;
    answer(&s, &ctx, &actor, &headers, &id, r, typed).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct KeepForm {
    /// "true" when kept.
    kept: String,
    note: String,
    /// The promise task the buttons were on, to show it again.
    task_id: String,
    /// Where to go back to when the buttons were on a customer's page.
    back: String,
}

/// Kept or not: the buttons on a promise's task card.
async fn close_promise(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<KeepForm>,
) -> PageResult {
    let typed = Typed {
        note: f.note.clone(),
        ..Typed::default()
    };
    let input = CloseInput {
        kept: f.kept == "true",
        note: f.note,
    };
    let closed = promises::close(&s.app, &actor, &id, &input).await;
    if f.task_id.is_empty() {
        // Only back to a customer's page: a form field must not send users elsewhere.
        let back = if f.back.starts_with("/customers/") {
            f.back.as_str()
        } else {
            "/"
        };
        return match closed {
            Ok(_) => Ok(see_other(back)),
            Err(e) => Err(app_error(&ctx, e)),
        };
    }
    let r = match closed {
        Ok(_) => tasks::view(&s.app, &actor, &f.task_id).await,
        Err(e) => Err(e),
    };
    answer(&s, &ctx, &actor, &headers, &f.task_id, r, typed).await
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
    answer(&s, &ctx, &actor, &headers, &id, r, Typed::default()).await
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
    answer(&s, &ctx, &actor, &headers, &id, r, Typed::default()).await
}
