//! The after-sale tasks in the API: Today, the task list with its filters, and finishing,
//! snoozing and handing over a task — the same use cases and views as the Today page.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
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

#[derive(OpenApi)]
#[openapi(paths(today, list_tasks, get_task, done_task, snooze_task, reassign_task))]
pub struct TasksDoc;
