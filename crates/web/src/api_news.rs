//! New-product news in the API: who would hear of a product, announcing it, and the
//! product's announcements.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::news::{self, NewsInput, NewsPreview, NewsView};
use utoipa::OpenApi;

use crate::api_input::ApiJson;
use crate::extract::ApiActor;
use crate::problem::{ApiError, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/products/{id}/news",
            get(list_product_news).post(announce_product_news),
        )
        .route("/products/{id}/news/preview", post(preview_product_news))
}

/// Who would hear of the product and how, telling no one: the past buyers of the categories
/// among the caller's customers (a rep's own, a manager's department's, everyone's for an
/// admin) who have not bought the product itself, counted by the way each would be reached,
/// with the first twenty.
#[utoipa::path(post, path = "/api/v1/products/{id}/news/preview", request_body = NewsInput, tag = "news",
    params(("id" = String, Path, description = "The new product's id")),
    responses((status = 200, body = NewsPreview, description = "Success"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn preview_product_news(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewsInput>,
) -> ApiResult<Json<NewsPreview>> {
    Ok(Json(
        news::preview(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Announces the product to those past buyers: by message (the `news` template, on each
/// contact's preferred channel, opt-outs respected; a contact whose channel is the rep's
/// becomes a call task), or by a call task per customer for its owner. A customer already
/// told of the product, or with its call task, is not told again.
#[utoipa::path(post, path = "/api/v1/products/{id}/news", request_body = NewsInput, tag = "news",
    params(("id" = String, Path, description = "The new product's id")),
    responses((status = 201, body = NewsView, description = "Announced"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn announce_product_news(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewsInput>,
) -> ApiResult<(StatusCode, Json<NewsView>)> {
    let v = news::announce(&s.app, &a, &id, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The product's announcements, newest first (the last 100).
#[utoipa::path(get, path = "/api/v1/products/{id}/news", tag = "news",
    params(("id" = String, Path, description = "The product's id")),
    responses((status = 200, body = Vec<NewsView>, description = "Success"),
        Unauthenticated,
        Forbidden,
        NotFound))]
async fn list_product_news(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<NewsView>>> {
    Ok(Json(
        news::of_product(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(OpenApi)]
#[openapi(paths(preview_product_news, announce_product_news, list_product_news))]
pub struct NewsDoc;
