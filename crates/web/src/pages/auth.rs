//! Log in, log out and switch the page language.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use huike_app::auth as app_auth;
use serde::Deserialize;

use super::form::{Errors, safe_next};
use super::{Ctx, render, render_status, see_other};
use crate::extract::{LANG_COOKIE, SESSION_COOKIE, header_cookie, session_cookie};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    errs: Errors,
    username: String,
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

pub async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.user.is_some() {
        return see_other(safe_next(&q.next));
    }
    render(&LoginPage {
        ctx: &ctx,
        errs: Errors::none(),
        username: String::new(),
        next: q.next,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: String,
}

pub async fn login(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ctx: Ctx,
    Form(f): Form<LoginForm>,
) -> Response {
    match app_auth::login(&s.app, &f.username, &f.password, &addr.ip().to_string()).await {
        Ok(session) => {
            let max_age = s.config.session_hours * 3600;
            let cookie = session_cookie(&session.cookie_value, max_age, s.config.secure_cookies);
            (
                StatusCode::SEE_OTHER,
                [
                    (header::SET_COOKIE, cookie),
                    (header::LOCATION, safe_next(&f.next).to_string()),
                ],
            )
                .into_response()
        }
        Err(e) if !e.belongs_on_form() && !matches!(e, huike_app::AppError::RateLimited) => {
            super::app_error(&ctx, e)
        }
        Err(e) => {
            let status = crate::problem::status(&e);
            render_status(
                status,
                &LoginPage {
                    errs: Errors::from_app(&e, ctx.tr.lang),
                    ctx: &ctx,
                    username: f.username,
                    next: f.next,
                },
            )
        }
    }
}

pub async fn logout(State(s): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(c) = header_cookie(&headers, SESSION_COOKIE) {
        let _ = app_auth::logout(&s.app, c).await;
    }
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
            ),
            (header::LOCATION, "/login".to_string()),
        ],
    )
        .into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangForm {
    lang: String,
    back: String,
}

pub async fn switch_lang(Form(f): Form<LangForm>) -> Response {
    let lang = huike_domain::Lang::from_code(&f.lang).unwrap_or_default();
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                format!(
                    "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
                    lang.code()
                ),
            ),
            (header::LOCATION, safe_next(&f.back).to_string()),
        ],
    )
        .into_response()
}
