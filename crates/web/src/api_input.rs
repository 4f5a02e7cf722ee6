//! Query strings and JSON bodies for the API, refused as JSON problem bodies that name the
//! field and the reason (axum's own extractors answer in plain text).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use huike_app::AppError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::extract::request_lang;
use crate::problem::ApiError;

/// The field a deserializer complaint names ("per_page: invalid digit…" → per_page), else
/// `whole`: the complaint is about the input as a whole.
fn field_of<'a>(detail: &'a str, whole: &'a str) -> &'a str {
    match detail.split_once(": ") {
        Some((path, _))
            if !path.is_empty()
                && path
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']')) =>
        {
            path
        }
        _ => whole,
    }
}

fn refused(field: &str, detail: &str) -> AppError {
    AppError::invalid(
        field,
        "malformed",
        format!("无法读取：{detail}"),
        format!("Cannot be read: {detail}"),
    )
}

/// `Query<T>` whose refusal is a problem body.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => {
                let text = e.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                Err(ApiError(
                    refused(field_of(detail, "query"), detail),
                    request_lang(parts),
                ))
            }
        }
    }
}

/// `Json<T>` whose refusal is a problem body. A NUL character in any text the handler reads
/// is refused too, naming the field (PostgreSQL cannot store one in text): what is read is
/// found by writing `T` out again, so NUL in a property the input does not have (which
/// serde ignores) does not matter. Every input is a JSON object: serde would also read a
/// struct from an array of its fields in order (`[]` as all defaults), which the document
/// does not allow, so a body that is not an object is refused like any other it cannot read.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Serialize, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::RequestExt;
        let (parts, body) = req.with_limited_body().into_parts();
        let lang = request_lang(&parts);
        // The body is read here (within the route's body limit), to see what kind of JSON
        // value it holds once `Json` has read it.
        let bytes = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(b) => b,
            Err(e) => {
                let detail = format!("Failed to buffer the request body: {e}");
                return Err(ApiError(refused("body", &detail), lang));
            }
        };
        let req = Request::from_parts(parts, axum::body::Body::from(bytes.clone()));
        match axum::Json::<T>::from_request(req, state).await {
            Ok(_) if !is_object(&bytes) => {
                Err(ApiError(refused("body", "expected a JSON object"), lang))
            }
            Ok(axum::Json(v)) => match serde_json::to_value(&v).ok().and_then(|j| nul_in(&j)) {
                Some(field) => Err(ApiError(crate::nul_guard::refusal(&field), lang)),
                None => Ok(ApiJson(v)),
            },
            Err(e) => {
                let text = e.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                    .unwrap_or(&text);
                Err(ApiError(refused(field_of(detail, "body"), detail), lang))
            }
        }
    }
}

/// Whether JSON text that was read holds an object (it opens with `{` after any whitespace).
fn is_object(json: &[u8]) -> bool {
    json.iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .is_some_and(|b| *b == b'{')
}

/// Where a NUL character is in `v`: the path of the first text (or key) holding one, written
/// as the refusals of malformed input write it (`lines[0].note`), or `body` for the whole.
fn nul_in(v: &serde_json::Value) -> Option<String> {
    path_to_nul(v).map(|path| if path.is_empty() { "body".into() } else { path })
}

/// The path to the first NUL in `v`, "" when `v` is a text holding one.
fn path_to_nul(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => s.contains('\0').then(String::new),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| path_to_nul(item).map(|rest| join(&format!("[{i}]"), &rest))),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let key = k.replace('\0', "");
            if k.contains('\0') {
                return Some(key);
            }
            path_to_nul(item).map(|rest| join(&key, &rest))
        }),
        _ => None,
    }
}

fn join(head: &str, rest: &str) -> String {
    if rest.is_empty() || rest.starts_with('[') {
        format!("{head}{rest}")
    } else {
        format!("{head}.{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::{field_of, is_object, nul_in};

    #[test]
    fn only_an_object_is_an_object() {
        assert!(is_object(b"{}"));
        assert!(is_object(b" \r\n\t{\"texts\": {}}"));
        assert!(!is_object(b"[]"));
        assert!(!is_object(b"  [{}]"));
        assert!(!is_object(b""));
    }

    #[test]
    fn a_nul_is_found_in_the_field_that_holds_it() {
        let at = |v: serde_json::Value| nul_in(&v);
        assert_eq!(
            at(serde_json::json!({"name": "a", "city": "b\u{0}"})).as_deref(),
            Some("city")
        );
        assert_eq!(
            at(serde_json::json!({"lines": [{"note": "x"}, {"note": "\u{0}"}]})).as_deref(),
            Some("lines[1].note")
        );
        assert_eq!(
            at(serde_json::json!({"tags": ["a", "\u{0}"]})).as_deref(),
            Some("tags[1]")
        );
        assert_eq!(at(serde_json::json!("\u{0}")).as_deref(), Some("body"));
        assert_eq!(at(serde_json::json!({"notes": "C:\\u0000"})), None);
        assert_eq!(at(serde_json::json!({"name": "ok", "n": 1})), None);
    }

    #[test]
    fn a_complaint_names_its_field_when_it_has_one() {
        assert_eq!(
            field_of("per_page: invalid digit found in string", "query"),
            "per_page"
        );
        assert_eq!(
            field_of("lines[0].quantity: invalid type", "body"),
            "lines[0].quantity"
        );
        assert_eq!(
            field_of("expected value at line 1 column 1", "body"),
            "body"
        );
    }
}
