//! Contact labels in the API (联系标签): an order's label sheet with its public link, and the
//! company name labels carry.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use huike_app::labels::{self, LabelSettings, LabelSheet, SheetQuery};
use utoipa::OpenApi;

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::{ApiError, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders/{id}/labels", get(order_labels))
        .route(
            "/label-settings",
            get(get_label_settings).put(put_label_settings),
        )
}

/// An order's contact labels: the rep's card, the sheet's layout and the public page's
/// address the QR code holds (made the first time it is asked for, then kept).
#[utoipa::path(get, path = "/api/v1/orders/{id}/labels", tag = "labels",
    params(("id" = String, Path, description = "The order's id"), SheetQuery),
    responses((status = 200, body = LabelSheet, description = "Success"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn order_labels(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<SheetQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<LabelSheet>> {
    let origin = crate::pages::labels::origin(&s, &headers);
    Ok(Json(
        labels::sheet(&s.app, &a, &id, &q, &origin)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// The company name printed on labels and rep cards.
#[utoipa::path(get, path = "/api/v1/label-settings", tag = "labels",
    responses((status = 200, body = LabelSettings, description = "Success"),
        Unauthenticated))]
async fn get_label_settings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<LabelSettings>> {
    Ok(Json(
        labels::label_settings(&s.app)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Sets the company name on labels (admins).
#[utoipa::path(put, path = "/api/v1/label-settings", request_body = LabelSettings, tag = "labels",
    responses((status = 200, body = LabelSettings, description = "Saved"),
        Unauthenticated,
        Forbidden,
        Invalid))]
async fn put_label_settings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<LabelSettings>,
) -> ApiResult<Json<LabelSettings>> {
    Ok(Json(
        labels::set_label_settings(&s.app, &a, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(OpenApi)]
#[openapi(paths(order_labels, get_label_settings, put_label_settings))]
pub struct LabelsDoc;
