//! Fault campaigns in the API (及时纠正): start one on a product, list them, and follow a
//! campaign's progress and customers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::faults::{self, FaultCustomerView, FaultInput, FaultView};
use huike_app::views::Page;
use utoipa::OpenApi;

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::{ApiError, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/products/{id}/fault-campaigns", post(start_fault_campaign))
        .route("/fault-campaigns", get(list_fault_campaigns))
        .route("/fault-campaigns/{id}", get(get_fault_campaign))
        .route(
            "/fault-campaigns/{id}/customers",
            get(fault_campaign_customers),
        )
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct FaultPageQuery {
    /// From 1.
    pub page: Option<i64>,
}

/// Starts a fault campaign on a product (admins: every buyer; managers: their department's):
/// each customer with an order of the product (within the batch, if given) that was not
/// cancelled gets one call task for its owner, due today, with the notice as talking points.
#[utoipa::path(post, path = "/api/v1/products/{id}/fault-campaigns", request_body = FaultInput, tag = "faults",
    params(("id" = String, Path, description = "The product's id")),
    responses((status = 201, body = FaultView, description = "Started"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn start_fault_campaign(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FaultInput>,
) -> ApiResult<(StatusCode, Json<FaultView>)> {
    let v = faults::create(&s.app, &a, &id, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The fault campaigns the caller may see (those reaching their customers), newest first.
#[utoipa::path(get, path = "/api/v1/fault-campaigns", params(FaultPageQuery), tag = "faults",
    responses((status = 200, body = Vec<FaultView>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_fault_campaigns(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<FaultPageQuery>,
) -> ApiResult<Json<Vec<FaultView>>> {
    Ok(Json(
        faults::list(&s.app, &a, q.page.unwrap_or(1))
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// A campaign with its progress among the caller's customers.
#[utoipa::path(get, path = "/api/v1/fault-campaigns/{id}", tag = "faults",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, body = FaultView, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_fault_campaign(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<FaultView>> {
    Ok(Json(
        faults::view(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// The campaign's customers the caller may see, 100 a page, with where each call stands.
#[utoipa::path(get, path = "/api/v1/fault-campaigns/{id}/customers", params(("id" = String, Path, description = "The campaign's id"), FaultPageQuery), tag = "faults",
    responses((status = 200, body = Page<FaultCustomerView>, description = "Success"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn fault_campaign_customers(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FaultPageQuery>,
) -> ApiResult<Json<Page<FaultCustomerView>>> {
    Ok(Json(
        faults::customers(&s.app, &a, &id, q.page.unwrap_or(1))
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(OpenApi)]
#[openapi(paths(
    start_fault_campaign,
    list_fault_campaigns,
    get_fault_campaign,
    fault_campaign_customers
))]
pub struct FaultsDoc;
