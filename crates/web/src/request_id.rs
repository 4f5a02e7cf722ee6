//! Request ids: every response carries `X-Request-Id` (a proxy's, or one made here), and the
//! same id is in each log line of the request and in every error a user is shown.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being served, if any (errors put it in what the user sees).
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// A proxy's id is kept when it is short, visible ASCII (it is echoed into headers and logs);
/// anything else is replaced.
fn acceptable(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?.trim();
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\');
    ok.then(|| s.to_string())
}

/// Takes or makes the id, sets it on the request (for the trace span) and the response, and
/// makes it [`current`] while the request is handled.
pub async fn layer(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(acceptable)
        .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string());
    let value = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("-"));
    req.headers_mut().insert(HEADER, value.clone());
    let mut resp = CURRENT.scope(id, next.run(req)).await;
    resp.headers_mut().insert(HEADER, value);
    resp
}

/// The span every request's log lines belong to.
pub fn span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        uri = %req.uri().path(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_id_is_kept_only_when_it_is_safe_to_echo() {
        let ok = HeaderValue::from_static("req-42.abc_DEF");
        assert_eq!(acceptable(&ok).as_deref(), Some("req-42.abc_DEF"));
        for bad in ["", "has space", "quote\"d", &"x".repeat(129)] {
            let v = HeaderValue::from_str(bad).expect("header");
            assert_eq!(acceptable(&v), None, "{bad:?}");
        }
    }
}
