//! Who is calling: an API token (`Authorization: Bearer hk_…`) or a login session cookie.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use huike_app::{Actor, AppError, auth};
use huike_domain::Lang;

use crate::problem::ApiError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "huike_session";
pub const LANG_COOKIE: &str = "huike_lang";

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    header_cookie(&parts.headers, name)
}

pub fn header_cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language of the response: the lang cookie, then Accept-Language, then zh-CN.
pub fn request_lang(parts: &Parts) -> Lang {
    if let Some(l) = cookie(parts, LANG_COOKIE).and_then(Lang::from_tag) {
        return l;
    }
    parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|t| Lang::from_tag(t.split(';').next().unwrap_or("")))
        .unwrap_or_default()
}

/// The caller of an API endpoint. Tokens are the API's credential; a session cookie also
/// works for reads from the browser (writes with a cookie need the CSRF header).
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = request_lang(parts);
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(token) = bearer {
            let mut actor = auth::token_actor(&state.app, token)
                .await
                .map_err(|e| ApiError(e, lang))?;
            actor.lang = lang;
            return Ok(ApiActor(actor));
        }
        if let Some(c) = cookie(parts, SESSION_COOKIE) {
            let (mut actor, csrf) = auth::session(&state.app, c)
                .await
                .map_err(|e| ApiError(e, lang))?;
            if !parts.method.is_safe() {
                let sent = parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok());
                if sent != Some(csrf.as_str()) {
                    return Err(ApiError(AppError::Forbidden, lang));
                }
            }
            actor.lang = lang;
            return Ok(ApiActor(actor));
        }
        Err(ApiError(AppError::Unauthenticated, lang))
    }
}

/// The session cookie: HttpOnly (scripts cannot read it), SameSite=Lax (other sites cannot
/// post with it), Secure when served over HTTPS.
pub fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}
