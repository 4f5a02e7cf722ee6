//! Refuses a NUL character anywhere in a request's path, query or form body. PostgreSQL cannot
//! store one in text, so letting it through made a search or a save fail inside the database
//! (a 500 on one backend, not the other); it is bad input, answered 422 with the field named.
//! JSON bodies are checked by the API's extractor (`api_input::ApiJson`) in what the handler
//! reads, so NUL in a property the input does not have is ignored with that property.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use huike_app::AppError;

use crate::extract::request_lang;
use crate::problem::ApiError;

/// The body limit of the router (imports upload whole workbooks); text bodies are far smaller.
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The refusal of a NUL character in `field`.
pub fn refusal(field: &str) -> AppError {
    AppError::invalid(
        field,
        "nul_character",
        "不能包含空字符（NUL）。",
        "Cannot contain the NUL character.",
    )
}

pub async fn layer(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let refuse = |field: String| ApiError(refusal(&field), request_lang(&parts)).into_response();
    if parts.uri.path().contains("%00") {
        return refuse("path".into());
    }
    if let Some(field) = parts.uri.query().and_then(in_urlencoded) {
        return refuse(field);
    }
    let kind = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !kind.starts_with("application/x-www-form-urlencoded") {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    if let Some(field) = std::str::from_utf8(&bytes).ok().and_then(in_urlencoded) {
        return refuse(field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The name of the first parameter whose name or value holds a NUL (`%00` or a raw one).
fn in_urlencoded(text: &str) -> Option<String> {
    if !text.contains("%00") && !text.contains('\0') {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text).unwrap_or_default();
    pairs
        .into_iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', ""))
        .or_else(|| Some("query".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_in_the_parameter_or_field_that_holds_it() {
        assert_eq!(in_urlencoded("q=ab&tag=x%00y").as_deref(), Some("tag"));
        assert_eq!(in_urlencoded("q=ab&tag=xy"), None);
    }
}
