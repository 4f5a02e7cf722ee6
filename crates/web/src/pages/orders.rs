//! Order pages: the list with date and salesperson filters, the order with its lines, and
//! the order form (started from a customer's page).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use huike_app::orders::{self, OrderInput, OrderLineInput, OrderQuery};
use huike_app::products;
use huike_app::{Actor, AppError, customers};
use serde::Deserialize;

use super::form::{self, Errors, ListNav, Opt, Pager, SortCol};
use super::{Authed, Ctx, PageResult, app_error, render, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list).post(create))
        .route("/orders/new", get(new))
        .route("/orders/{id}", get(view).post(update))
        .route("/orders/{id}/edit", get(edit))
}

pub struct Row {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub customer: String,
    pub date: String,
    pub delivery: String,
    pub total: String,
    pub salesperson: String,
    pub department: String,
}

#[derive(Template)]
#[template(path = "orders/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    q: OrderQuery,
    rows: Vec<Row>,
    pager: Pager,
    sort_number: SortCol,
    sort_customer: SortCol,
    sort_date: SortCol,
    sort_total: SortCol,
    salespeople: Vec<Opt>,
    query_string: String,
}

impl ListPage<'_> {
    fn qv<'b>(&self, v: &'b Option<String>) -> &'b str {
        v.as_deref().unwrap_or("")
    }
}

async fn list(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<OrderQuery>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let page = orders::list(&s.app, &actor, &q)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let rows = page
        .items
        .iter()
        .map(|o| Row {
            id: o.id.clone(),
            number: o.number.clone(),
            customer_id: o.customer_id.clone(),
            customer: o.customer_name.clone(),
            date: o.order_date.clone(),
            delivery: o.delivery_date.clone().unwrap_or_default(),
            total: form::money(o.total_fen, &o.currency),
            salesperson: o.salesperson_name.clone().unwrap_or_default(),
            department: o.department_name.clone().unwrap_or_default(),
        })
        .collect();
    let nav = ListNav::new("/orders", raw.as_deref());
    Ok(render(&ListPage {
        pager: nav.pager(&page),
        sort_number: nav.sort("number"),
        sort_customer: nav.sort("customer"),
        sort_date: nav.sort("date"),
        sort_total: nav.sort("total"),
        salespeople: super::user_options(&s, &ctx, ctx.tr.t("list.any")).await?,
        query_string: raw.unwrap_or_default(),
        ctx: &ctx,
        q,
        rows,
    }))
}

pub struct LineRow {
    pub product: String,
    pub sku: String,
    pub quantity: i64,
    pub unit_price: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "orders/view.html")]
struct ViewPage<'a> {
    ctx: &'a Ctx,
    v: huike_app::views::OrderDetail,
    lines: Vec<LineRow>,
    total: String,
    status_label: String,
    /// The follow-ups the order made (thank-you note, 2-5-12 calls).
    tasks: Vec<huike_app::views::TaskView>,
}

async fn view(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let v = orders::view(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let cur = v.order.currency.clone();
    let tasks = huike_app::tasks::of_order(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let status_label = huike_domain::OrderStatus::from_code(&v.order.status)
        .map(|st| st.label(ctx.tr.lang).to_string())
        .unwrap_or_else(|| v.order.status.clone());
    Ok(render(&ViewPage {
        tasks,
        status_label,
        lines: v
            .lines
            .iter()
            .map(|l| LineRow {
                product: l.product_name.clone(),
                sku: l.sku.clone(),
                quantity: l.quantity,
                unit_price: form::money(l.unit_price_fen, &cur),
                amount: form::money(l.amount_fen, &cur),
            })
            .collect(),
        total: form::money(v.order.total_fen, &cur),
        ctx: &ctx,
        v,
    }))
}

#[derive(Template)]
#[template(path = "orders/form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    id: Option<String>,
    customer_name: String,
    input: OrderInput,
    lines: Vec<OrderLineInput>,
    errs: Errors,
    contacts: Vec<Opt>,
    salespeople: Vec<Opt>,
    products: Vec<Opt>,
    statuses: Vec<Opt>,
}

/// Empty line rows the form offers for adding products.
const SPARE_LINES: usize = 3;

async fn form_page(
    s: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: Option<String>,
    input: OrderInput,
    err: Option<AppError>,
) -> PageResult {
    let (customer, customer_contacts) = customers::with_contacts(&s.app, actor, &input.customer_id)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let mut contacts = vec![Opt::new("", ctx.tr.t("list.none"))];
    contacts.extend(
        customer_contacts
            .into_iter()
            .map(|k| Opt::new(k.id, k.name)),
    );
    let catalogue = products::catalogue(&s.app)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let mut product_opts = vec![Opt::new("", ctx.tr.t("orders.pick_product"))];
    product_opts.extend(catalogue.into_iter().filter(|p| p.active).map(|p| {
        let label = format!("{} · {} · {}", p.sku, p.name, p.price);
        Opt::new(p.id, label)
    }));
    let mut lines = input.lines.clone();
    lines.extend((0..SPARE_LINES).map(|_| OrderLineInput::default()));
    let errs = err
        .as_ref()
        .map(|e| Errors::from_app(e, ctx.tr.lang))
        .unwrap_or_default();
    let status = err.as_ref().map_or(StatusCode::OK, crate::problem::status);
    Ok(render_status(
        status,
        &FormPage {
            ctx,
            id,
            customer_name: customer.name,
            lines,
            errs,
            contacts,
            salespeople: super::user_options(s, ctx, ctx.tr.t("orders.owner_default")).await?,
            products: product_opts,
            statuses: huike_domain::OrderStatus::ALL
                .iter()
                .map(|st| Opt::new(st.code(), st.label(ctx.tr.lang)))
                .collect(),
            input,
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    customer_id: String,
}

async fn new(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<NewQuery>,
) -> PageResult {
    // Service agents take no orders: the form does not open, as its save answers 403.
    actor
        .require_archive_editor()
        .map_err(|e| app_error(&ctx, e))?;
    if q.customer_id.is_empty() {
        return Err(super::error_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            ctx.tr.t("orders.pick_customer_first"),
        ));
    }
    let input = OrderInput {
        customer_id: q.customer_id,
        currency: "CNY".into(),
        ..OrderInput::default()
    };
    form_page(&s, &ctx, &actor, None, input, None).await
}

/// Reads the order form; lines come as `line.<n>.product_id|quantity|unit_price` rows and
/// rows left empty are dropped.
fn read(body: &[u8]) -> OrderInput {
    let mut input = OrderInput::default();
    let mut lines: std::collections::BTreeMap<usize, OrderLineInput> = Default::default();
    for (k, v) in form::pairs(body) {
        if let Some((n, key)) = form::row_field(&k, "line.", 500) {
            let l = lines.entry(n).or_default();
            match key {
                "product_id" => l.product_id = v,
                "quantity" => l.quantity = v,
                "unit_price" => l.unit_price = v,
                _ => {}
            }
            continue;
        }
        match k.as_str() {
            "customer_id" => input.customer_id = v,
            "contact_id" => input.contact_id = v,
            "salesperson_id" => input.salesperson_id = v,
            "order_date" => input.order_date = v,
            "delivery_date" => input.delivery_date = v,
            "currency" => input.currency = v,
            "notes" => input.notes = v,
            "doubts" => input.doubts = v,
            "status" => input.status = v,
            _ => {}
        }
    }
    input.lines = lines
        .into_values()
        .filter(|l| {
            !(l.product_id.trim().is_empty()
                && l.quantity.trim().is_empty()
                && l.unit_price.trim().is_empty())
        })
        .collect();
    input
}

async fn create(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    body: axum::body::Bytes,
) -> PageResult {
    let input = read(&body);
    match orders::create(&s.app, &actor, &input).await {
        Ok(o) => Ok(see_other(&format!("/orders/{}", o.id))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => form_page(&s, &ctx, &actor, None, input, Some(e)).await,
    }
}

async fn edit(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    actor
        .require_archive_editor()
        .map_err(|e| app_error(&ctx, e))?;
    let v = orders::view(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let o = &v.order;
    let input = OrderInput {
        customer_id: o.customer_id.clone(),
        contact_id: o.contact_id.clone().unwrap_or_default(),
        salesperson_id: o.salesperson_id.clone().unwrap_or_default(),
        order_date: o.order_date.clone(),
        delivery_date: o.delivery_date.clone().unwrap_or_default(),
        currency: o.currency.clone(),
        notes: o.notes.clone(),
        doubts: o.doubts.clone(),
        status: o.status.clone(),
        lines: v
            .lines
            .iter()
            .map(|l| OrderLineInput {
                product_id: l.product_id.clone(),
                quantity: l.quantity.to_string(),
                unit_price: huike_domain::money::format_amount(l.unit_price_fen),
            })
            .collect(),
    };
    form_page(&s, &ctx, &actor, Some(id), input, None).await
}

async fn update(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = read(&body);
    match orders::update(&s.app, &actor, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/orders/{id}"))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => form_page(&s, &ctx, &actor, Some(id), input, Some(e)).await,
    }
}
