//! Errors at the HTTP edge, for the API and the pages alike: one status per [`AppError`],
//! internal errors logged once with their cause, and JSON problem bodies (RFC 9457) with
//! stable codes and the request id.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use huike_app::AppError;
use huike_domain::Lang;

/// The one status an error answers with, on every resource, in the API and on pages.
pub fn status(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound | AppError::UnknownReference(_) => StatusCode::NOT_FOUND,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        AppError::Stale | AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Logs what the user is not shown: the cause of an internal error, once, here, inside the
/// request's span (so the line carries the request id).
pub fn report(e: &AppError) {
    if let AppError::Internal(cause) = e {
        tracing::error!(error = %cause, "request failed");
    }
}

/// An API error in the caller's language.
pub struct ApiError(pub AppError, pub Lang);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e, Lang::ZhCn)
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable machine-readable code, e.g. invalid_input, not_found, forbidden.
    pub code: String,
    pub title: String,
    pub status: u16,
    /// One entry per refused field.
    pub errors: Vec<ProblemField>,
    /// The `X-Request-Id` of the request: quote it when reporting a problem.
    pub request_id: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(e, lang) = self;
        let st = status(&e);
        report(&e);
        let body = Problem {
            code: e.code().to_string(),
            title: e.message(lang),
            status: st.as_u16(),
            errors: e
                .field_errors()
                .iter()
                .map(|f| ProblemField {
                    field: f.field.clone(),
                    code: f.code.to_string(),
                    message: f.message(lang).to_string(),
                })
                .collect(),
            request_id: crate::request_id::current().unwrap_or_default(),
        };
        let mut resp = (st, axum::Json(body)).into_response();
        resp.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/problem+json"),
        );
        resp
    }
}

// The problem answers as the OpenAPI document lists them: one type per status, named in each
// operation's `responses(...)`, so every operation declares the same body and content type.

/// Not logged in: no token or session, or one that was revoked or has expired.
#[derive(utoipa::IntoResponses)]
#[response(status = 401, content_type = "application/problem+json")]
pub struct Unauthenticated(pub Problem);

/// The caller's role may not do this.
#[derive(utoipa::IntoResponses)]
#[response(status = 403, content_type = "application/problem+json")]
pub struct Forbidden(pub Problem);

/// Not there, or not visible to the caller (the two answer alike); or the input names a record
/// that is not there (code `unknown_reference`, `errors` names the field).
#[derive(utoipa::IntoResponses)]
#[response(status = 404, content_type = "application/problem+json")]
pub struct NotFound(pub Problem);

/// A value is taken, the record cannot change as asked, or someone else saved it first.
#[derive(utoipa::IntoResponses)]
#[response(status = 409, content_type = "application/problem+json")]
pub struct Conflict(pub Problem);

/// The input was refused; `errors` names each field and why. Nothing was changed.
#[derive(utoipa::IntoResponses)]
#[response(status = 422, content_type = "application/problem+json")]
pub struct Invalid(pub Problem);

/// Too many attempts; try again in a minute.
#[derive(utoipa::IntoResponses)]
#[response(status = 429, content_type = "application/problem+json")]
pub struct RateLimited(pub Problem);
