//! Referrals in the API (索取推荐名单, 猎犬计划): record a customer's referrals, follow them to
//! a customer, the referral tree, the reward policy, rewards due and paid, and the report.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::referrals::{
    self, ConvertInput, PayInput, Policy, PolicyInput, ReferralInput, ReferralNode, ReferralQuery,
    ReferralReport, ReferralView, RewardView, StatusInput,
};
use utoipa::OpenApi;

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::{ApiError, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/referrals", post(create_referral))
        .route("/customers/{id}/referral-tree", get(referral_tree))
        .route("/referrals", get(list_referrals))
        .route("/referrals/report", get(referral_report))
        .route("/referrals/{id}/status", post(set_referral_status))
        .route("/referrals/{id}/convert", post(convert_referral))
        .route(
            "/referral-policy",
            get(get_referral_policy).put(put_referral_policy),
        )
        .route("/referral-rewards", get(list_referral_rewards))
        .route("/referral-rewards/{id}/pay", post(pay_referral_reward))
}

/// Records a referral the customer gave: the prospect's name and how to reach them.
#[utoipa::path(post, path = "/api/v1/customers/{id}/referrals", request_body = ReferralInput, tag = "referrals",
    params(("id" = String, Path, description = "The referring customer's id")),
    responses((status = 201, body = ReferralView, description = "Recorded"),
        Unauthenticated, Forbidden, NotFound, Invalid))]
async fn create_referral(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReferralInput>,
) -> ApiResult<(StatusCode, Json<ReferralView>)> {
    let v = referrals::create(&s.app, &a, &id, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Who the customer brought, and who those brought, six generations deep.
#[utoipa::path(get, path = "/api/v1/customers/{id}/referral-tree", tag = "referrals",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 200, body = Vec<ReferralNode>, description = "Success"),
        Unauthenticated, NotFound))]
async fn referral_tree(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ReferralNode>>> {
    Ok(Json(
        referrals::tree(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// The referrals of the caller's customers (a manager's department's), newest first.
#[utoipa::path(get, path = "/api/v1/referrals", params(ReferralQuery), tag = "referrals",
    responses((status = 200, body = Vec<ReferralView>, description = "Success"),
        Unauthenticated, Invalid))]
async fn list_referrals(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ReferralQuery>,
) -> ApiResult<Json<Vec<ReferralView>>> {
    Ok(Json(
        referrals::list(&s.app, &a, &q)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Referrals, conversions and rewards per rep, and the customers who refer most.
#[utoipa::path(get, path = "/api/v1/referrals/report", tag = "referrals",
    responses((status = 200, body = ReferralReport, description = "Success"),
        Unauthenticated))]
async fn referral_report(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<ReferralReport>> {
    Ok(Json(
        referrals::report(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Marks a referral contacted, or lost with the reason.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/status", request_body = StatusInput, tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, body = ReferralView, description = "Saved"),
        Unauthenticated, Forbidden, NotFound, Conflict, Invalid))]
async fn set_referral_status(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StatusInput>,
) -> ApiResult<Json<ReferralView>> {
    Ok(Json(
        referrals::set_status(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Links the customer the prospect became; its first delivered order makes the reward due.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/convert", request_body = ConvertInput, tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, body = ReferralView, description = "Linked"),
        Unauthenticated, Forbidden, NotFound, Conflict, Invalid))]
async fn convert_referral(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ConvertInput>,
) -> ApiResult<Json<ReferralView>> {
    Ok(Json(
        referrals::convert(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// The bird-dog reward per converted referral.
#[utoipa::path(get, path = "/api/v1/referral-policy", tag = "referrals",
    responses((status = 200, body = Policy, description = "Success"), Unauthenticated))]
async fn get_referral_policy(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Policy>> {
    Ok(Json(
        referrals::policy(&s.app)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Sets the reward per converted referral (admins); rewards already due keep theirs.
#[utoipa::path(put, path = "/api/v1/referral-policy", request_body = PolicyInput, tag = "referrals",
    responses((status = 200, body = Policy, description = "Saved"),
        Unauthenticated, Forbidden, Invalid))]
async fn put_referral_policy(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<PolicyInput>,
) -> ApiResult<Json<Policy>> {
    Ok(Json(
        referrals::set_policy(&s.app, &a, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RewardQuery {
    /// due | paid; empty for both.
    pub status: String,
}

/// Rewards of the caller's customers' referrals, earliest due first.
#[utoipa::path(get, path = "/api/v1/referral-rewards", params(RewardQuery), tag = "referrals",
    responses((status = 200, body = Vec<RewardView>, description = "Success"),
        Unauthenticated, Invalid))]
async fn list_referral_rewards(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<RewardQuery>,
) -> ApiResult<Json<Vec<RewardView>>> {
    Ok(Json(
        referrals::rewards(&s.app, &a, &q.status)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Records a due reward as paid (admins and managers).
#[utoipa::path(post, path = "/api/v1/referral-rewards/{id}/pay", request_body = PayInput, tag = "referrals",
    params(("id" = String, Path, description = "The reward's id")),
    responses((status = 200, body = RewardView, description = "Paid"),
        Unauthenticated, Forbidden, NotFound, Conflict, Invalid))]
async fn pay_referral_reward(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PayInput>,
) -> ApiResult<Json<RewardView>> {
    Ok(Json(
        referrals::pay(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(OpenApi)]
#[openapi(paths(
    create_referral,
    referral_tree,
    list_referrals,
    referral_report,
    set_referral_status,
    convert_referral,
    get_referral_policy,
    put_referral_policy,
    list_referral_rewards,
    pay_referral_reward
))]
pub struct ReferralsDoc;
