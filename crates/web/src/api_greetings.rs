//! Greetings in the API: a rep's festival and theme campaigns (review, drop, personal wording,
//! send, the card-writing list) and a contact's planned greetings.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::put;
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::contacts::{ComfortInput, ComfortView};
use huike_app::greeting_calendar::{self, CalendarView, FestivalsInput, ThemeInput};
use huike_app::greeting_campaigns::{
    self, CampaignView, ContactGreeting, ContactGreetingQuery, GreetingPage, GreetingQuery,
    GreetingView, PersonalInput, SendInput, SendReport,
};
use huike_app::phrases::PhraseWarning;
use utoipa::OpenApi;

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::{ApiError, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/greeting-campaigns", get(list_campaigns))
        .route("/greeting-campaigns/{id}", get(get_campaign))
        .route(
            "/greeting-campaigns/{id}/greetings",
            get(campaign_greetings),
        )
        .route("/greeting-campaigns/{id}/cards", get(campaign_cards))
        .route("/greeting-campaigns/{id}/send", post(send_campaign))
        .route("/greetings/{id}/drop", post(drop_greeting))
        .route("/greetings/{id}/restore", post(restore_greeting))
        .route("/greetings/{id}/wording", post(personalise_greeting))
        .route("/contacts/{id}/greetings", get(contact_greetings))
        .route("/customers/{id}/comfort", post(comfort_customer))
        .route("/greeting-calendar", get(get_calendar))
        .route("/greeting-calendar/festivals", put(put_festivals))
        .route("/greeting-calendar/themes/{month}", put(put_theme))
}

/// The greeting calendar: the festivals greeted (most important first), the window, and
/// each month's theme.
#[utoipa::path(get, path = "/api/v1/greeting-calendar", tag = "greetings",
    responses((status = 200, body = CalendarView, description = "Success"),
        Unauthenticated))]
async fn get_calendar(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(
        greeting_calendar::view(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Sets which festivals are greeted, most important first, and the window (admins). Planning
/// from now on uses it; greetings already planned keep their day.
#[utoipa::path(put, path = "/api/v1/greeting-calendar/festivals", request_body = FestivalsInput, tag = "greetings",
    responses((status = 200, body = CalendarView, description = "Saved"),
        Unauthenticated,
        Forbidden,
        Invalid))]
async fn put_festivals(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<FestivalsInput>,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(
        greeting_calendar::set_festivals(&s.app, &a, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Sets a month's theme in both languages and its day (admins).
#[utoipa::path(put, path = "/api/v1/greeting-calendar/themes/{month}", request_body = ThemeInput, tag = "greetings",
    params(("month" = String, Path, description = "1–12")),
    responses((status = 200, body = CalendarView, description = "Saved"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn put_theme(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(month): Path<String>,
    ApiJson(input): ApiJson<ThemeInput>,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(
        greeting_calendar::set_theme(&s.app, &a, &month, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CampaignListQuery {
    /// From 1.
    pub page: Option<i64>,
}

/// The caller's greeting campaigns (a manager's department's; every one for admins), newest
/// day first, 50 a page.
#[utoipa::path(get, path = "/api/v1/greeting-campaigns", params(CampaignListQuery), tag = "greetings",
    responses((status = 200, body = Vec<CampaignView>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_campaigns(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CampaignListQuery>,
) -> ApiResult<Json<Vec<CampaignView>>> {
    Ok(Json(
        greeting_campaigns::list(&s.app, &a, q.page.unwrap_or(1))
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// One campaign with how many of its greetings are in each status.
#[utoipa::path(get, path = "/api/v1/greeting-campaigns/{id}", tag = "greetings",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, body = CampaignView, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_campaign(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<CampaignView>> {
    Ok(Json(
        greeting_campaigns::view(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// A page of a campaign's greetings in one status, each with the message it sends and how.
#[utoipa::path(get, path = "/api/v1/greeting-campaigns/{id}/greetings", params(("id" = String, Path, description = "The campaign's id"), GreetingQuery), tag = "greetings",
    responses((status = 200, body = GreetingPage, description = "Success"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn campaign_greetings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<GreetingQuery>,
) -> ApiResult<Json<GreetingPage>> {
    Ok(Json(
        greeting_campaigns::greetings_page(&s.app, &a, &id, &q)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// The campaign's handwritten cards: contacts who prefer a letter, with names and addresses.
#[utoipa::path(get, path = "/api/v1/greeting-campaigns/{id}/cards", tag = "greetings",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, body = Vec<GreetingView>, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn campaign_cards(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<GreetingView>>> {
    Ok(Json(
        greeting_campaigns::cards(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Sends what is still planned: e-mail and SMS through the outbox (from 09:00 on the day when
/// sent ahead), cards and other channels to the by-hand list, the unreachable skipped with
/// the reason. Sending again sends nothing twice.
#[utoipa::path(post, path = "/api/v1/greeting-campaigns/{id}/send", request_body = SendInput, tag = "greetings",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, body = SendReport, description = "Sent"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn send_campaign(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SendInput>,
) -> ApiResult<Json<SendReport>> {
    Ok(Json(
        greeting_campaigns::send(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Takes a planned greeting out of its campaign: it is not sent.
#[utoipa::path(post, path = "/api/v1/greetings/{id}/drop", tag = "greetings",
    params(("id" = String, Path, description = "The greeting's id")),
    responses((status = 204, description = "Dropped"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
async fn drop_greeting(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    greeting_campaigns::set_dropped(&s.app, &a, &id, true)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts a dropped greeting back into its campaign.
#[utoipa::path(post, path = "/api/v1/greetings/{id}/restore", tag = "greetings",
    params(("id" = String, Path, description = "The greeting's id")),
    responses((status = 204, description = "Restored"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
async fn restore_greeting(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    greeting_campaigns::set_dropped(&s.app, &a, &id, false)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives one planned greeting the rep's own wording (empty goes back to the template's);
/// answers the words not to use it holds, when those only warn.
#[utoipa::path(post, path = "/api/v1/greetings/{id}/wording", request_body = PersonalInput, tag = "greetings",
    params(("id" = String, Path, description = "The greeting's id")),
    responses((status = 200, body = Vec<PhraseWarning>, description = "Saved"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn personalise_greeting(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PersonalInput>,
) -> ApiResult<Json<Vec<PhraseWarning>>> {
    Ok(Json(
        greeting_campaigns::personalise(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// A contact's greetings (planned, sent, by hand, skipped, dropped) on a range of days.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/greetings", params(("id" = String, Path, description = "The contact's id"), ContactGreetingQuery), tag = "greetings",
    responses((status = 200, body = Vec<ContactGreeting>, description = "Success"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn contact_greetings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ContactGreetingQuery>,
) -> ApiResult<Json<Vec<ContactGreeting>>> {
    Ok(Json(
        greeting_campaigns::of_contact(&s.app, &a, &id, &q)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Comfort when things go badly (慰问: a fire, an illness, a bad year): every contact of the
/// customer gets a one-off comfort occasion on the day, which the planner ranks first among
/// family events, and their greetings are planned again. Anyone who may change the customer.
#[utoipa::path(post, path = "/api/v1/customers/{id}/comfort", request_body = ComfortInput, tag = "greetings",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 200, body = ComfortView, description = "Added and planned"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn comfort_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ComfortInput>,
) -> ApiResult<Json<ComfortView>> {
    Ok(Json(
        huike_app::contacts::comfort_customer(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(OpenApi)]
#[openapi(paths(
    comfort_customer,
    list_campaigns,
    get_campaign,
    campaign_greetings,
    campaign_cards,
    send_campaign,
    drop_greeting,
    restore_greeting,
    personalise_greeting,
    contact_greetings,
    get_calendar,
    put_festivals,
    put_theme
))]
pub struct GreetingsDoc;
