//! Errors at the HTTP edge: JSON problem bodies (RFC 9457) with stable codes for the API.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use huike_app::AppError;
use huike_domain::Lang;

pub fn status(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        AppError::Stale | AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
        if let AppError::Internal(detail) = &e {
            tracing::error!(error = %detail, "request failed");
        }
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
        };
        let mut resp = (st, axum::Json(body)).into_response();
        resp.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/problem+json"),
        );
        resp
    }
}
