//! `GET /api/v1/calendar/festivals?year=YYYY`: the festivals of a solar year in date order, from
//! the domain's festival calendar. Public (no token): it is calendar knowledge, not customer data.

use axum::routing::get;
use axum::{Json, Router};
use huike_app::AppError;
use huike_domain::festival::{Reckoning, festivals_in_years};
use huike_domain::{Festival, Lang};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::api_input::ApiQuery;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/calendar/festivals", get(list_festivals))
}

#[derive(Deserialize, IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
pub struct FestivalQuery {
    /// Solar year, 1901–2100.
    pub year: i32,
}

#[derive(Serialize, ToSchema)]
pub struct FestivalDay {
    /// Stable code, e.g. `mid_autumn`.
    pub festival: String,
    /// Chinese name, e.g. 中秋.
    pub name_zh: String,
    pub name_en: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// `solar`, `lunar` or `solar_term`.
    pub reckoning: String,
}

#[derive(Serialize, ToSchema)]
pub struct FestivalYear {
    pub year: i32,
    pub festivals: Vec<FestivalDay>,
}

fn day(f: Festival, date: chrono::NaiveDate) -> FestivalDay {
    FestivalDay {
        festival: f.code().to_string(),
        name_zh: f.label(Lang::ZhCn).to_string(),
        name_en: f.label(Lang::En).to_string(),
        date: date.format("%Y-%m-%d").to_string(),
        reckoning: match f.reckoning() {
            Reckoning::Solar => "solar",
            Reckoning::Lunar => "lunar",
            Reckoning::SolarTerm => "solar_term",
        }
        .to_string(),
    }
}

#[utoipa::path(get, path = "/api/v1/calendar/festivals", params(FestivalQuery), tag = "calendar",
    responses(
        (status = 200, body = FestivalYear, description = "The festivals of that solar year, in date order (lunar festivals and the solar terms 清明 and 冬至 included)"),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json", description = "The year is outside 1901–2100")))]
async fn list_festivals(
    ApiQuery(q): ApiQuery<FestivalQuery>,
) -> Result<Json<FestivalYear>, ApiError> {
    let list = festivals_in_years(q.year, q.year)
        .map_err(|e| ApiError::from(AppError::Invalid(vec![e.field_error("year")])))?;
    Ok(Json(FestivalYear {
        year: q.year,
        festivals: list.into_iter().map(|(f, d)| day(f, d)).collect(),
    }))
}

#[derive(OpenApi)]
#[openapi(paths(list_festivals), components(schemas(FestivalYear, FestivalDay)))]
pub struct CalendarDoc;
