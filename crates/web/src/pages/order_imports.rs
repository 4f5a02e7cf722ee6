//! The order import page: upload a file of order lines, check it or import it in one go, and
//! read what was imported, skipped as already there, or refused row by row. Plain form posts:
//! no JavaScript needed.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::response::Response;
use axum::routing::get;
use huike_app::AppError;
use huike_app::import::OrderImportReport;
use huike_app::import::order_columns::OrderColumn;
use huike_domain::money::format_money;

use super::form::Errors;
use super::imports::ErrorRow;
use super::{Authed, Ctx, app_error, render, render_status};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/import/orders", get(page).post(upload))
}

#[derive(Template)]
#[template(path = "import_orders.html")]
struct UploadPage<'a> {
    ctx: &'a Ctx,
    errs: Errors,
    /// Each field with its labels, and whether a file must have it.
    fields: Vec<(&'static str, &'static str, bool)>,
}

fn upload_page(ctx: &Ctx, errs: Errors) -> Response {
    let status = errs.status();
    render_status(
        status,
        &UploadPage {
            ctx,
            errs,
            fields: OrderColumn::ALL
                .iter()
                .map(|c| {
                    let f = c.field();
                    (f.zh, f.en, OrderColumn::REQUIRED.contains(c))
                })
                .collect(),
        },
    )
}

async fn page(Authed(ctx, actor): Authed) -> Response {
    // Those who may not change the archive may not put orders into it either.
    if let Err(e) = actor.require_archive_editor() {
        return app_error(&ctx, e);
    }
    upload_page(&ctx, Errors::none())
}

/// An imported (or importable) order as the result lists it.
pub struct OrderRow {
    pub number: String,
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub order_date: String,
    pub lines: usize,
    pub total: String,
    pub tasks: usize,
}

pub struct SkippedRow {
    pub row: usize,
    pub message: String,
}

#[derive(Template)]
#[template(path = "import_orders_result.html")]
struct ResultPage<'a> {
    ctx: &'a Ctx,
    r: OrderImportReport,
    column_errors: Vec<String>,
    imported: Vec<OrderRow>,
    skipped: Vec<SkippedRow>,
    errors: Vec<ErrorRow>,
    clean: bool,
}

async fn upload(State(s): State<AppState>, Authed(ctx, actor): Authed, mp: Multipart) -> Response {
    let lang = ctx.tr.lang;
    let ran = match crate::api_order_import::read_upload(mp).await {
        Ok((bytes, opts)) => {
            huike_app::import::order_commit::run(&s.app, &actor, bytes, opts).await
        }
        Err(e) => Err(e),
    };
    let r = match ran {
        Ok(r) => r,
        Err(e @ AppError::Invalid(_)) => return upload_page(&ctx, Errors::from_app(&e, lang)),
        Err(e) => return app_error(&ctx, e),
    };
    let pick = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let page = ResultPage {
        ctx: &ctx,
        column_errors: r
            .column_errors
            .iter()
            .map(|m| pick(&m.message_zh, &m.message_en))
            .collect(),
        imported: r
            .imported
            .iter()
            .map(|o| OrderRow {
                number: o.number.clone(),
                id: o.id.clone().unwrap_or_default(),
                customer_id: o.customer_id.clone(),
                customer_name: o.customer_name.clone(),
                order_date: o.order_date.clone(),
                lines: o.lines,
                total: format_money(o.total_fen, &o.currency),
                tasks: o.tasks,
            })
            .collect(),
        skipped: r
            .skipped
            .iter()
            .map(|k| SkippedRow {
                row: k.row,
                message: pick(&k.message_zh, &k.message_en),
            })
            .collect(),
        errors: r
            .errors
            .iter()
            .map(|e| ErrorRow {
                row: e.row,
                column: e.column.clone().unwrap_or_default(),
                message: pick(&e.message_zh, &e.message_en),
                value: e.value.clone(),
            })
            .collect(),
        clean: r.is_clean(),
        r,
    };
    render(&page)
}
