//! Outgoing messages in the API: sending a task's note, a contact's opt-outs, the outbox and its
//! dead-letter list (admins), and webhook endpoints (admins).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use huike_app::notes::{self, NoteInput, OptOutInput, SentNote};
use huike_app::outbox::{self, OutboxQuery};
use huike_app::phrases::{self, PhraseInput, PhraseView, PhraseWarning};
use huike_app::templates::{self, NoteDraft, TemplateInput, TemplateView};
use huike_app::views::{OutboxView, Page, WebhookView};
use huike_app::webhooks::{self, WebhookInput};
use utoipa::OpenApi;

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::{ApiError, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tasks/{id}/send", post(send_note))
        .route("/contacts/{id}/opt-out", post(opt_out))
        .route("/outbox", get(list_outbox))
        .route("/outbox/{id}/retry", post(retry_message))
        .route("/outbox/{id}/discard", post(discard_message))
        .route("/webhooks", get(list_webhooks).post(create_webhook))
        .route("/webhooks/{id}", delete(delete_webhook))
        .route("/tasks/{id}/draft", get(draft_note))
        .route("/templates", get(list_templates))
        .route(
            "/templates/{kind}/{lang}",
            axum::routing::put(save_template),
        )
        .route("/templates/{kind}/{lang}/preview", post(preview_template))
        .route("/phrases", get(list_phrases).post(create_phrase))
        .route("/phrases/check", post(check_phrases))
        .route(
            "/phrases/{id}",
            axum::routing::put(update_phrase).delete(delete_phrase),
        )
}

/// The words not to use, each with why and what to say instead.
#[utoipa::path(get, path = "/api/v1/phrases", tag = "phrases",
    responses((status = 200, body = Vec<PhraseView>, description = "Success"),
        Unauthenticated))]
async fn list_phrases(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Vec<PhraseView>>> {
    Ok(Json(
        phrases::list(&s.app)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Adds a phrase not to use (admins).
#[utoipa::path(post, path = "/api/v1/phrases", request_body = PhraseInput, tag = "phrases",
    responses((status = 201, body = PhraseView, description = "Added"),
        Unauthenticated,
        Forbidden,
        Invalid))]
async fn create_phrase(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<PhraseInput>,
) -> ApiResult<(StatusCode, Json<PhraseView>)> {
    let p = phrases::create(&s.app, &a, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Changes a phrase (admins).
#[utoipa::path(put, path = "/api/v1/phrases/{id}", request_body = PhraseInput, tag = "phrases",
    params(("id" = String, Path, description = "The phrase's id")),
    responses((status = 200, body = PhraseView, description = "Saved"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn update_phrase(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PhraseInput>,
) -> ApiResult<Json<PhraseView>> {
    Ok(Json(
        phrases::update(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Removes a phrase (admins).
#[utoipa::path(delete, path = "/api/v1/phrases/{id}", tag = "phrases",
    params(("id" = String, Path, description = "The phrase's id")),
    responses((status = 204, description = "Removed"),
        Unauthenticated,
        Forbidden,
        NotFound))]
async fn delete_phrase(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    phrases::delete(&s.app, &a, &id)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CheckInput {
    /// The texts to check, by field name (e.g. subject, body).
    pub texts: std::collections::BTreeMap<String, String>,
}

/// Finds words not to use in texts about to go out, with why and what to say instead.
#[utoipa::path(post, path = "/api/v1/phrases/check", request_body = CheckInput, tag = "phrases",
    responses((status = 200, body = Vec<PhraseWarning>, description = "The words found"),
        Unauthenticated,
        Invalid))]
async fn check_phrases(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<CheckInput>,
) -> ApiResult<Json<Vec<PhraseWarning>>> {
    let texts: Vec<(&str, &str)> = input
        .texts
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(Json(
        phrases::check(&s.app, &texts, a.lang)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
struct DraftQuery {
    /// zh-CN | en; the caller's language when empty.
    lang: Option<String>,
}

/// The task's note drafted from its template with the customer, contact, order, products and
/// rep, for the rep to edit before sending (POST /tasks/{id}/send) or printing.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/draft", params(("id" = String, Path, description = "The task's id"), DraftQuery), tag = "tasks",
    responses((status = 200, body = NoteDraft, description = "Success"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn draft_note(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DraftQuery>,
) -> ApiResult<Json<NoteDraft>> {
    Ok(Json(
        templates::draft(&s.app, &a, &id, q.lang.as_deref())
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Every message template in both languages, with a preview on sample data (admins).
#[utoipa::path(get, path = "/api/v1/templates", tag = "templates",
    responses((status = 200, body = Vec<TemplateView>, description = "Success"),
        Unauthenticated,
        Forbidden))]
async fn list_templates(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Vec<TemplateView>>> {
    Ok(Json(
        templates::list(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Saves a template (admins) once it renders on sample data; words not to use come back as
/// warnings (or refuse it when blocking).
#[utoipa::path(put, path = "/api/v1/templates/{kind}/{lang}", request_body = TemplateInput, tag = "templates",
    params(("kind" = String, Path, description = "thank_you"), ("lang" = String, Path, description = "zh-CN | en")),
    responses((status = 200, body = TemplateView, description = "Saved"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn save_template(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((kind, lang)): Path<(String, String)>,
    ApiJson(input): ApiJson<TemplateInput>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(
        templates::save(&s.app, &a, &kind, &lang, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// How a template would read on sample data, without saving it (admins).
#[utoipa::path(post, path = "/api/v1/templates/{kind}/{lang}/preview", request_body = TemplateInput, tag = "templates",
    params(("kind" = String, Path, description = "thank_you"), ("lang" = String, Path, description = "zh-CN | en")),
    responses((status = 200, body = TemplateView, description = "Preview"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn preview_template(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((kind, lang)): Path<(String, String)>,
    ApiJson(input): ApiJson<TemplateInput>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(
        templates::preview(&s.app, &a, &kind, &lang, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Queues a note (the thank-you note, or any message) to the task's contact by e-mail or SMS.
/// The task must have a contact with an address for the channel (an e-mail address for
/// `email`, a phone number for `sms`); without one the note is refused with 409 (`no_contact`,
/// `no_address`), which the same request gets past once the contact's details are on file.
/// Words not to use come back as warnings, or refuse the note when the setting makes them
/// blocking.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/send", request_body = NoteInput, tag = "tasks",
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 202, body = SentNote, description = "Queued"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn send_note(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NoteInput>,
) -> ApiResult<(StatusCode, Json<SentNote>)> {
    let sent = notes::send(&s.app, &a, &id, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// Records (or withdraws) a contact's wish not to be reached on a channel; queued messages on
/// that channel are held back when their turn comes.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/opt-out", request_body = OptOutInput, tag = "contacts",
    params(("id" = String, Path, description = "The contact's id")),
    responses((status = 204, description = "Recorded"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn opt_out(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OptOutInput>,
) -> ApiResult<StatusCode> {
    notes::set_opt_out(&s.app, &a, &id, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every outgoing message with where it stands, newest first (admins); `status=dead` is the
/// dead-letter list.
#[utoipa::path(get, path = "/api/v1/outbox", params(OutboxQuery), tag = "outbox",
    responses((status = 200, body = Page<OutboxView>, description = "Success"),
        Unauthenticated,
        Forbidden,
        Invalid))]
async fn list_outbox(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<Json<Page<OutboxView>>> {
    Ok(Json(
        outbox::list(&s.app, &a, &q)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Sends a dead message again, its attempts starting over (admins).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "outbox",
    params(("id" = String, Path, description = "The message's id")),
    responses((status = 200, body = OutboxView, description = "Queued again"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
async fn retry_message(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<OutboxView>> {
    Ok(Json(
        outbox::retry(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Gives up on a dead message for good (admins).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/discard", tag = "outbox",
    params(("id" = String, Path, description = "The message's id")),
    responses((status = 200, body = OutboxView, description = "Discarded"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
async fn discard_message(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<OutboxView>> {
    Ok(Json(
        outbox::discard(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// The webhook endpoints (admins), without their secrets.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookView>, description = "Success"),
        Unauthenticated,
        Forbidden))]
async fn list_webhooks(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Vec<WebhookView>>> {
    Ok(Json(
        webhooks::list(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Registers an endpoint for some events (admins). The answer holds the signing secret, shown
/// this once: each POST carries `Huike-Timestamp` and `Huike-Signature: v1=<hex HMAC-SHA256 of
/// "<timestamp>.<body>">`, and `Idempotency-Key` (the message's id).
#[utoipa::path(post, path = "/api/v1/webhooks", request_body = WebhookInput, tag = "webhooks",
    responses((status = 201, body = WebhookView, description = "Registered"),
        Unauthenticated,
        Forbidden,
        Invalid))]
async fn create_webhook(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<(StatusCode, Json<WebhookView>)> {
    let w = webhooks::create(&s.app, &a, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(w)))
}

/// Removes an endpoint (admins).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "The endpoint's id")),
    responses((status = 204, description = "Removed"),
        Unauthenticated,
        Forbidden,
        NotFound))]
async fn delete_webhook(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&s.app, &a, &id)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(OpenApi)]
#[openapi(paths(
    send_note,
    opt_out,
    list_outbox,
    retry_message,
    discard_message,
    list_webhooks,
    create_webhook,
    delete_webhook,
    draft_note,
    list_templates,
    save_template,
    preview_template,
    list_phrases,
    create_phrase,
    update_phrase,
    delete_phrase,
    check_phrases
))]
pub struct DeliveryDoc;
