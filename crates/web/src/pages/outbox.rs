//! The outbox page (admins): every outgoing message with where it stands, filtered by status;
//! the dead-letter list (`status=dead`) with retry and discard on each message.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use huike_app::outbox::{self, OutboxQuery};
use huike_app::views::{OutboxView, Page};

use super::form;
use super::{Authed, Ctx, PageResult, app_error, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/outbox", get(page))
        .route("/outbox/{id}/retry", post(retry))
        .route("/outbox/{id}/discard", post(discard))
}

pub const STATUSES: &[&str] = &[
    "",
    "pending",
    "sending",
    "sent",
    "held",
    "dead",
    "discarded",
];

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage<'a> {
    ctx: &'a Ctx,
    list: Page<OutboxView>,
    status: String,
}

impl OutboxPage<'_> {
    fn when(&self, ms: &i64) -> String {
        form::datetime(*ms)
    }

    fn status_label(&self, code: &str) -> String {
        if code.is_empty() {
            self.ctx.tr.t("list.any").to_string()
        } else {
            self.ctx.tr.t(&format!("delivery.{code}")).to_string()
        }
    }
}

async fn page(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<OutboxQuery>,
) -> PageResult {
    let list = outbox::list(&s.app, &actor, &q)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(render(&OutboxPage {
        ctx: &ctx,
        list,
        status: q.status.unwrap_or_default(),
    }))
}

async fn retry(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    outbox::retry(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other("/outbox?status=dead"))
}

async fn discard(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    outbox::discard(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other("/outbox?status=dead"))
}
