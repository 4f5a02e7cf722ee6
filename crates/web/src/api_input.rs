//! Query strings and JSON bodies for the API, refused as JSON problem bodies that name the
//! field and the reason (axum's own extractors answer in plain text).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use huike_app::AppError;
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

/// `Json<T>` whose refusal is a problem body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let lang = request_lang(&parts);
        let req = Request::from_parts(parts, body);
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
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

#[cfg(test)]
mod tests {
    use super::field_of;

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
