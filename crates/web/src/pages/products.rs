//! Product catalogue pages: list with categories, create and edit (admins and managers).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use huike_app::AppError;
use huike_app::products::{self, CategoryInput, ProductInput, ProductQuery};

use super::form::{self, Errors, ListNav, Opt, Pager, SortCol};
use super::{Authed, Ctx, PageResult, app_error, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/products", get(list).post(create))
        .route("/products/new", get(new))
        .route("/products/categories", post(create_category))
        .route("/products/{id}", get(view).post(update))
        .route("/products/{id}/edit", get(edit))
}

pub struct Row {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub unit: String,
    pub price: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "products/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    q: ProductQuery,
    rows: Vec<Row>,
    pager: Pager,
    sort_sku: SortCol,
    sort_name: SortCol,
    sort_category: SortCol,
    sort_price: SortCol,
    categories: Vec<Opt>,
    query_string: String,
    errs: Errors,
    category_name: String,
}

impl ListPage<'_> {
    fn qv<'b>(&self, v: &'b Option<String>) -> &'b str {
        v.as_deref().unwrap_or("")
    }
}

async fn category_opts(s: &AppState, ctx: &Ctx, empty: &str) -> Result<Vec<Opt>, Response> {
    let mut v = vec![Opt::new("", empty)];
    v.extend(
        products::categories(&s.app)
            .await
            .map_err(|e| app_error(ctx, e))?
            .into_iter()
            .map(|c| Opt::new(c.id, c.name)),
    );
    Ok(v)
}

async fn list_page(
    s: &AppState,
    ctx: &Ctx,
    q: ProductQuery,
    raw: Option<String>,
    errs: Errors,
    category_name: String,
) -> PageResult {
    let page = products::list(&s.app, &q)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let rows = page
        .items
        .iter()
        .map(|p| Row {
            id: p.id.clone(),
            sku: p.sku.clone(),
            name: p.name.clone(),
            category: p.category_name.clone().unwrap_or_default(),
            unit: p.unit.clone(),
            price: p.price.clone(),
            active: p.active,
        })
        .collect();
    let nav = ListNav::new("/products", raw.as_deref());
    let status = errs.status();
    Ok(render_status(
        status,
        &ListPage {
            pager: nav.pager(&page),
            sort_sku: nav.sort("sku"),
            sort_name: nav.sort("name"),
            sort_category: nav.sort("category"),
            sort_price: nav.sort("price"),
            categories: category_opts(s, ctx, ctx.tr.t("list.any")).await?,
            query_string: raw.unwrap_or_default(),
            ctx,
            q,
            rows,
            errs,
            category_name,
        },
    ))
}

async fn list(
    State(s): State<AppState>,
    Authed(ctx, _): Authed,
    Query(q): Query<ProductQuery>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    list_page(&s, &ctx, q, raw, Errors::none(), String::new()).await
}

async fn create_category(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    axum::Form(input): axum::Form<CategoryInput>,
) -> PageResult {
    match products::create_category(&s.app, &actor, &input).await {
        Ok(_) => Ok(see_other("/products")),
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            list_page(&s, &ctx, ProductQuery::default(), None, errs, input.name).await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "products/form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    id: Option<String>,
    input: ProductInput,
    errs: Errors,
    categories: Vec<Opt>,
    read_only: bool,
}

async fn form_page(
    s: &AppState,
    ctx: &Ctx,
    id: Option<String>,
    input: ProductInput,
    err: Option<AppError>,
    read_only: bool,
) -> Response {
    let categories = match category_opts(s, ctx, ctx.tr.t("list.none")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let errs = err
        .as_ref()
        .map(|e| Errors::from_app(e, ctx.tr.lang))
        .unwrap_or_default();
    let status = err.as_ref().map_or(StatusCode::OK, crate::problem::status);
    render_status(
        status,
        &FormPage {
            ctx,
            id,
            input,
            errs,
            categories,
            read_only,
        },
    )
}

async fn new(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    if !actor.can_edit_catalogue() {
        return Err(app_error(&ctx, AppError::Forbidden));
    }
    let input = ProductInput {
        currency: "CNY".into(),
        active: true,
        ..ProductInput::default()
    };
    Ok(form_page(&s, &ctx, None, input, None, false).await)
}

fn read(body: &[u8]) -> ProductInput {
    let mut input: ProductInput = serde_urlencoded::from_bytes(body).unwrap_or_default();
    input.active = form::pairs(body)
        .iter()
        .any(|(k, v)| k == "active" && matches!(v.as_str(), "1" | "on" | "true"));
    input
}

async fn create(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    body: axum::body::Bytes,
) -> PageResult {
    let input = read(&body);
    match products::create(&s.app, &actor, &input).await {
        Ok(p) => Ok(see_other(&format!("/products/{}", p.id))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => Ok(form_page(&s, &ctx, None, input, Some(e), false).await),
    }
}

fn input_of(p: &huike_app::views::ProductRecord) -> ProductInput {
    ProductInput {
        sku: p.sku.clone(),
        name: p.name.clone(),
        category_id: p.category_id.clone().unwrap_or_default(),
        unit: p.unit.clone(),
        price: huike_domain::money::format_amount(p.price_fen),
        currency: p.currency.clone(),
        active: p.active,
    }
}

async fn view(
    State(s): State<AppState>,
    Authed(ctx, _): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let p = products::get(&s.app, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(form_page(&s, &ctx, Some(id), input_of(&p), None, true).await)
}

async fn edit(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    if !actor.can_edit_catalogue() {
        return Err(app_error(&ctx, AppError::Forbidden));
    }
    let p = products::get(&s.app, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(form_page(&s, &ctx, Some(id), input_of(&p), None, false).await)
}

async fn update(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = read(&body);
    match products::update(&s.app, &actor, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/products/{id}"))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => Ok(form_page(&s, &ctx, Some(id), input, Some(e), false).await),
    }
}
