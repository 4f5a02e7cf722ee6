//! `GET /feeds/<token>.ics`: a user's calendar feed of open tasks, read by calendar apps that
//! cannot log in; the secret token in the URL is the only key, and a revoked one is 404.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use huike_app::AppError;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/feeds/{file}", get(feed))
}

async fn feed(State(s): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match huike_app::calendar_feed::render(&s.app, token).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                // A feed changes as work is done; calendars poll it.
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            ics,
        )
            .into_response(),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            crate::problem::report(&e);
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
