//! API tokens page: create a token (shown once), see when each was last used, revoke it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use huike_app::auth;
use serde::Deserialize;

use super::form::{self, Errors};
use super::{Authed, Ctx, PageResult, app_error, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(page).post(create))
        .route("/tokens/{id}/revoke", post(revoke))
        .route("/calendar-feed/on", post(feed_on))
        .route("/calendar-feed/off", post(feed_off))
}

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub revoked: String,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<TokenRow>,
    /// The plain token just created: shown once, never again.
    created: String,
    name: String,
    errs: Errors,
    /// The calendar feed: whether it is on, and its full URL right after turning it on.
    feed: huike_app::calendar_feed::FeedView,
    feed_url: String,
}

async fn show(
    s: &AppState,
    ctx: &Ctx,
    actor: &huike_app::Actor,
    created: String,
    name: String,
    errs: Errors,
) -> PageResult {
    show_with_feed(s, ctx, actor, created, name, errs, String::new()).await
}

async fn show_with_feed(
    s: &AppState,
    ctx: &Ctx,
    actor: &huike_app::Actor,
    created: String,
    name: String,
    errs: Errors,
    feed_url: String,
) -> PageResult {
    let feed = huike_app::calendar_feed::status(&s.app, actor)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let tokens = auth::list_tokens(&s.app, actor)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let rows = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: form::datetime(t.created_at),
            last_used: t.last_used_at.map(form::datetime).unwrap_or_default(),
            revoked: t.revoked_at.map(form::datetime).unwrap_or_default(),
        })
        .collect();
    let status = errs.status();
    Ok(render_status(
        status,
        &TokensPage {
            ctx,
            rows,
            created,
            name,
            errs,
            feed,
            feed_url,
        },
    ))
}

async fn feed_on(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    headers: axum::http::HeaderMap,
) -> PageResult {
    let f = huike_app::calendar_feed::turn_on(&s.app, &actor)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    // The full URL a calendar app needs, on the host this page was reached at.
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if s.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    let url = format!("{scheme}://{host}{}", f.path.unwrap_or_default());
    show_with_feed(
        &s,
        &ctx,
        &actor,
        String::new(),
        String::new(),
        Errors::none(),
        url,
    )
    .await
}

async fn feed_off(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    huike_app::calendar_feed::turn_off(&s.app, &actor)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other("/tokens"))
}

async fn page(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    show(
        &s,
        &ctx,
        &actor,
        String::new(),
        String::new(),
        Errors::none(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewToken {
    name: String,
}

async fn create(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    axum::Form(f): axum::Form<NewToken>,
) -> PageResult {
    match auth::create_token(&s.app, &actor, &f.name).await {
        Ok(t) => show(&s, &ctx, &actor, t.token, String::new(), Errors::none()).await,
        Err(e @ huike_app::AppError::Invalid(_)) => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            show(&s, &ctx, &actor, String::new(), f.name, errs).await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

async fn revoke(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    auth::revoke_token(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other("/tokens"))
}
