//! Refuses a NUL character anywhere in a request's path, query or text body. PostgreSQL cannot
//! store one in text, so letting it through made a search or a save fail inside the database
//! (a 500 on one backend, not the other); it is bad input, answered 422 with the field named.

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

pub async fn layer(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let refuse = |field: String| {
        let e = AppError::invalid(
            &field,
            "nul_character",
            "不能包含空字符（NUL）。",
            "Cannot contain the NUL character.",
        );
        ApiError(e, request_lang(&parts)).into_response()
    };
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
    let json = kind.starts_with("application/json");
    let form = kind.starts_with("application/x-www-form-urlencoded");
    if !json && !form {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let found = if json {
        in_json(&bytes)
    } else {
        std::str::from_utf8(&bytes).ok().and_then(in_urlencoded)
    };
    if let Some(field) = found {
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

/// The top-level field of a JSON body whose text holds a NUL (only `\u0000` can put one
/// there: a raw NUL byte is not JSON, and the body reader refuses it).
fn in_json(bytes: &[u8]) -> Option<String> {
    if !bytes.windows(6).any(|w| w == b"\\u0000") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    fn holds_nul(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(a) => a.iter().any(holds_nul),
            serde_json::Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
            _ => false,
        }
    }
    match &value {
        serde_json::Value::Object(m) => m
            .iter()
            .find(|(k, v)| k.contains('\0') || holds_nul(v))
            .map(|(k, _)| k.replace('\0', "")),
        other => holds_nul(other).then(|| "body".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_in_the_parameter_or_field_that_holds_it() {
        assert_eq!(in_urlencoded("q=ab&tag=x%00y").as_deref(), Some("tag"));
        assert_eq!(in_urlencoded("q=ab&tag=xy"), None);
        assert_eq!(
            in_json(br#"{"name":"a","city":"b\u0000"}"#).as_deref(),
            Some("city")
        );
        assert_eq!(
            in_json(br#"{"lines":[{"note":"\u0000"}]}"#).as_deref(),
            Some("lines")
        );
        // An escaped backslash followed by the text u0000 is not a NUL.
        assert_eq!(in_json(br#"{"notes":"C:\\u0000"}"#), None);
        assert_eq!(in_json(br#"{"name":"ok"}"#), None);
    }
}
