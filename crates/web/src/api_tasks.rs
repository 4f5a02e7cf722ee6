//! The after-sale tasks in the API: Today, the task list with its filters, and finishing,
//! snoozing and handing over a task — the same use cases and views as the Today page.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::calendar_feed::{self, FeedView};
use huike_app::promises::{self, BrokenCount, CloseInput, PromiseInput, PromiseQuery, PromiseView};
use huike_app::tasks::{self, DoneInput, ReassignInput, SnoozeInput, TaskQuery};
use huike_app::views::{Page, TaskView, TodayView};
use utoipa::OpenApi;

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::{ApiError, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/today", get(today))
        .route("/tasks", get(list_tasks))
        .route("/tasks/{id}", get(get_task))
        .route("/tasks/{id}/done", post(done_task))
        .route("/tasks/{id}/snooze", post(snooze_task))
        .route("/tasks/{id}/reassign", post(reassign_task))
        .route("/promises", get(list_promises).post(create_promise))
        .route("/promises/broken", get(broken_promises))
        .route("/promises/{id}", get(get_promise))
        .route("/promises/{id}/close", post(close_promise))
        .route(
            "/calendar-feed",
            get(feed_status).post(feed_on).delete(feed_off),
        )
}

/// Whether the caller's calendar feed of open tasks is on.
#[utoipa::path(get, path = "/api/v1/calendar-feed", tag = "tasks",
    responses((status = 200, body = FeedView, description = "Success"),
        Unauthenticated))]
async fn feed_status(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<FeedView>> {
    Ok(Json(
        calendar_feed::status(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Turns the caller's calendar feed on with a new secret URL (shown in this answer only; an
/// earlier URL stops working). Calendars subscribe to it without logging in.
#[utoipa::path(post, path = "/api/v1/calendar-feed", tag = "tasks",
    responses((status = 200, body = FeedView, description = "On, with its path"),
        Unauthenticated))]
async fn feed_on(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Json<FeedView>> {
    Ok(Json(
        calendar_feed::turn_on(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Turns the caller's calendar feed off; its URL stops working.
#[utoipa::path(delete, path = "/api/v1/calendar-feed", tag = "tasks",
    responses((status = 200, body = FeedView, description = "Off"),
        Unauthenticated))]
async fn feed_off(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Json<FeedView>> {
    Ok(Json(
        calendar_feed::turn_off(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// The caller's Today: open tasks due today or earlier, grouped by kind in the method's
/// order; for a manager also the department's open work per member.
#[utoipa::path(get, path = "/api/v1/today", tag = "tasks",
    responses((status = 200, body = TodayView, description = "Success"),
        Unauthenticated))]
async fn today(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Json<TodayView>> {
    Ok(Json(
        tasks::today(&s.app, &a)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// A page of the tasks of the customers the caller may see, earliest due first.
#[utoipa::path(get, path = "/api/v1/tasks", params(TaskQuery), tag = "tasks",
    responses((status = 200, body = Page<TaskView>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_tasks(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> ApiResult<Json<Page<TaskView>>> {
    Ok(Json(
        tasks::list(&s.app, &a, &q)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 200, body = TaskView, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_task(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<TaskView>> {
    Ok(Json(
        tasks::view(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Finishes an open task with its outcome; the outcome and note go to the customer's
/// timeline (a problem found is flagged there).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/done", request_body = DoneInput, tag = "tasks",
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 200, body = TaskView, description = "Done"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn done_task(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DoneInput>,
) -> ApiResult<Json<TaskView>> {
    Ok(Json(
        tasks::done(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Moves an open task to a later day (today or after).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/snooze", request_body = SnoozeInput, tag = "tasks",
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 200, body = TaskView, description = "Snoozed"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn snooze_task(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SnoozeInput>,
) -> ApiResult<Json<TaskView>> {
    Ok(Json(
        tasks::snooze(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Hands an open task to another user who can see its customer (managers within their
/// department, admins anyone).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reassign", request_body = ReassignInput, tag = "tasks",
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 200, body = TaskView, description = "Reassigned"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn reassign_task(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReassignInput>,
) -> ApiResult<Json<TaskView>> {
    Ok(Json(
        tasks::reassign(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Records a promise made to a customer; its reminder task falls due a day (setting) before it.
#[utoipa::path(post, path = "/api/v1/promises", request_body = PromiseInput, tag = "promises",
    responses((status = 201, body = PromiseView, description = "Recorded"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn create_promise(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<PromiseInput>,
) -> ApiResult<(axum::http::StatusCode, Json<PromiseView>)> {
    let p = promises::create(&s.app, &a, &input)
        .await
        .map_err(|e| ApiError(e, a.lang))?;
    Ok((axum::http::StatusCode::CREATED, Json(p)))
}

/// Promises of the customers the caller may see, earliest due first.
#[utoipa::path(get, path = "/api/v1/promises", params(PromiseQuery), tag = "promises",
    responses((status = 200, body = Page<PromiseView>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_promises(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PromiseQuery>,
) -> ApiResult<Json<Page<PromiseView>>> {
    Ok(Json(
        promises::list(&s.app, &a, &q)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
struct MonthQuery {
    /// YYYY-MM; this month when empty.
    month: Option<String>,
}

/// "Promise carefully": promises broken in a month per rep (managers: their department;
/// admins: everyone; others: themselves).
#[utoipa::path(get, path = "/api/v1/promises/broken", params(MonthQuery), tag = "promises",
    responses((status = 200, body = Vec<BrokenCount>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn broken_promises(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> ApiResult<Json<Vec<BrokenCount>>> {
    Ok(Json(
        promises::broken_per_rep(&s.app, &a, q.month.as_deref())
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[utoipa::path(get, path = "/api/v1/promises/{id}", tag = "promises",
    params(("id" = String, Path, description = "The promise's id")),
    responses((status = 200, body = PromiseView, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_promise(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<PromiseView>> {
    Ok(Json(
        promises::view(&s.app, &a, &id)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

/// Records that a promise was kept or broken.
#[utoipa::path(post, path = "/api/v1/promises/{id}/close", request_body = CloseInput, tag = "promises",
    params(("id" = String, Path, description = "The promise's id")),
    responses((status = 200, body = PromiseView, description = "Recorded"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn close_promise(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CloseInput>,
) -> ApiResult<Json<PromiseView>> {
    Ok(Json(
        promises::close(&s.app, &a, &id, &input)
            .await
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(OpenApi)]
#[openapi(paths(
    today,
    list_tasks,
    get_task,
    done_task,
    snooze_task,
    reassign_task,
    create_promise,
    list_promises,
    broken_promises,
    get_promise,
    close_promise,
    feed_status,
    feed_on,
    feed_off
))]
pub struct TasksDoc;
