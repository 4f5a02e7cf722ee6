//! Fault campaigns on the web (及时纠正): the form on a product, the list, and a campaign's
//! progress with its customers.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use huike_app::faults::{self, FaultCustomerView, FaultInput, FaultView};
use huike_app::views::Page;
use serde::Deserialize;

use super::form::Errors;
use super::{Authed, Ctx, PageResult, app_error, render, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/faults", get(list))
        .route("/faults/{id}", get(view))
        .route("/products/{id}/fault", get(new).post(create))
}

#[derive(Template)]
#[template(path = "faults/new.html")]
struct NewPage<'a> {
    ctx: &'a Ctx,
    product_id: String,
    product_name: String,
    input: FaultInput,
    errs: Errors,
}

impl NewPage<'_> {
    fn messages(&self) -> Vec<String> {
        self.errs.others(&[])
    }
}

async fn new_page(
    s: &AppState,
    ctx: &Ctx,
    actor: &huike_app::Actor,
    product_id: &str,
    input: FaultInput,
    errs: Errors,
) -> PageResult {
    actor
        .require_admin_or_manager()
        .map_err(|e| app_error(ctx, e))?;
    let p = huike_app::products::get(&s.app, product_id)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let status = errs.status();
    Ok(render_status(
        status,
        &NewPage {
            ctx,
            product_id: p.id,
            product_name: p.name,
            input,
            errs,
        },
    ))
}

async fn new(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    new_page(&s, &ctx, &actor, &id, FaultInput::default(), Errors::none()).await
}

async fn create(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<FaultInput>,
) -> PageResult {
    match faults::create(&s.app, &actor, &id, &f).await {
        Ok(v) => Ok(see_other(&format!("/faults/{}", v.id))),
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            new_page(&s, &ctx, &actor, &id, f, errs).await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "faults/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    items: Vec<FaultView>,
}

impl ListPage<'_> {
    fn when(&self, ms: &i64) -> String {
        super::form::datetime(*ms)
    }
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
    let items = faults::list(&s.app, &actor, q.page.unwrap_or(1))
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(render(&ListPage { ctx: &ctx, items }))
}

#[derive(Template)]
#[template(path = "faults/view.html")]
struct ViewPage<'a> {
    ctx: &'a Ctx,
    f: FaultView,
    customers: Page<FaultCustomerView>,
}

async fn view(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let f = faults::view(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let customers = faults::customers(&s.app, &actor, &id, q.page.unwrap_or(1))
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(render(&ViewPage {
        ctx: &ctx,
        f,
        customers,
    }))
}
