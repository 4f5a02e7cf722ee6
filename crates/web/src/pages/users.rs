//! User accounts pages: admins create and edit accounts; managers see their department's.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use huike_app::access::Role;
use huike_app::users::{self, UserInput};
use huike_app::{Actor, AppError};
use huike_domain::Lang;
use serde::Deserialize;

use super::form::{self, Errors, Opt, Pager};
use super::{Authed, Ctx, PageResult, app_error, render, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/new", get(new))
        .route("/users/{id}", get(edit).post(update))
}

pub struct Row {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<Row>,
    pager: Pager,
    can_create: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    page: Option<i64>,
}

async fn list(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let p = users::list(&s.app, Some(&actor), huike_app::paging(q.page, None))
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let rows: Vec<Row> = p
        .items
        .iter()
        .map(|u| Row {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: Role::from_code(&u.role)
                .map(|r| r.label(ctx.tr.lang).to_string())
                .unwrap_or_else(|| u.role.clone()),
            department: u.department_name.clone().unwrap_or_default(),
            active: u.active,
        })
        .collect();
    Ok(render(&ListPage {
        pager: Pager::new(
            "/users",
            &[],
            p.page,
            p.per_page,
            (p.total, p.total_capped),
            rows.len(),
        ),
        can_create: actor.is_admin(),
        ctx: &ctx,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    id: Option<String>,
    input: UserInput,
    errs: Errors,
    roles: Vec<Opt>,
    departments: Vec<Opt>,
    locales: Vec<Opt>,
    can_edit: bool,
}

async fn form_page(
    s: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: Option<String>,
    input: UserInput,
    err: Option<AppError>,
) -> Response {
    let lang = ctx.tr.lang;
    let departments = match users::departments(&s.app).await {
        Ok(d) => d,
        Err(e) => return app_error(ctx, e),
    };
    let mut deps = vec![Opt::new("", ctx.tr.t("list.none"))];
    deps.extend(departments.into_iter().map(|d| Opt::new(d.id, d.name)));
    let errs = err
        .as_ref()
        .map(|e| Errors::from_app(e, lang))
        .unwrap_or_default();
    let status = err.as_ref().map_or(StatusCode::OK, crate::problem::status);
    render_status(
        status,
        &FormPage {
            ctx,
            id,
            input,
            errs,
            roles: [Role::Admin, Role::Manager, Role::Sales, Role::Service]
                .iter()
                .map(|r| Opt::new(r.code(), r.label(lang)))
                .collect(),
            departments: deps,
            locales: Lang::ALL
                .iter()
                .map(|l| Opt::new(l.code(), l.native_name()))
                .collect(),
            can_edit: actor.is_admin(),
        },
    )
}

async fn new(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    actor.require_admin().map_err(|e| app_error(&ctx, e))?;
    let input = UserInput {
        role: "sales".into(),
        active: true,
        locale: "zh-CN".into(),
        ..UserInput::default()
    };
    Ok(form_page(&s, &ctx, &actor, None, input, None).await)
}

fn flagged(mut input: UserInput, raw: &[(String, String)]) -> UserInput {
    // An unticked checkbox sends nothing, which the form decoder reads as "keep the default".
    input.active = raw
        .iter()
        .any(|(k, v)| k == "active" && matches!(v.as_str(), "1" | "on" | "true"));
    input
}

fn read(body: &[u8]) -> UserInput {
    let raw = form::pairs(body);
    let input: UserInput = serde_urlencoded::from_bytes(body).unwrap_or_default();
    flagged(input, &raw)
}

async fn create(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    body: axum::body::Bytes,
) -> PageResult {
    let input = read(&body);
    match users::create(&s.app, Some(&actor), &input).await {
        Ok(_) => Ok(see_other("/users")),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => {
            let mut shown = input;
            shown.password.clear();
            Ok(form_page(&s, &ctx, &actor, None, shown, Some(e)).await)
        }
    }
}

async fn edit(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let u = users::get(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let input = UserInput {
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        department_id: u.department_id.unwrap_or_default(),
        password: String::new(),
        locale: u.locale,
        active: u.active,
        email: u.email,
        phone: u.phone,
        wechat: u.wechat,
    };
    Ok(form_page(&s, &ctx, &actor, Some(id), input, None).await)
}

async fn update(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = read(&body);
    match users::update(&s.app, &actor, &id, &input).await {
        Ok(_) => Ok(see_other("/users")),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => {
            let mut shown = input;
            shown.password.clear();
            Ok(form_page(&s, &ctx, &actor, Some(id), shown, Some(e)).await)
        }
    }
}
