//! The order import: a file of order lines in, a report out and, when asked and nothing is
//! wrong, every new order with its lines, its after-sale tasks and audit entries written in
//! ONE transaction (any error: nothing is written).
//!
//! - **Rows → orders**: [`group_orders`](super::order_lines::group_orders); the header row and
//!   columns are found as the customer import finds its own.
//! - **References**: the customer is an id or an exact name among the customers the importer
//!   may edit (a rep's own and shared ones, a manager's department, an admin's all), so an
//!   import cannot attach an order to a customer its user could not order for on the form;
//!   the contact an id or a name of that customer's; the salesperson a user's username (else
//!   the customer's owner, as on the form); a product its code (SKU) or id.
//! - **Values** pass the order form's own checks (`crate::orders::check_fields`,
//!   `check_line`): the same field names, limits and messages.
//! - **Already imported**: an order number the database has is skipped and reported, so the
//!   same file imported twice makes no second order and no second set of tasks.
//! - **Tasks**: each order's thank-you note and 2-5-12 calls are planned by the same code that
//!   plans a saved order (`crate::tasks::plan_order_from`), but only those due today or later
//!   by the app's clock, unless `past_tasks` asks for the backlog too (made open). A cancelled
//!   order gets none.

use std::collections::HashSet;
use std::time::Instant;

use huike_domain::OrderStatus;
use huike_domain::coded::Coded;
use huike_store::orders::{Order, OrderLine};
use huike_store::{Conn, new_id, orders};

use super::commit::{MAX_REPORTED_ERRORS, MappingProblem};
use super::order_columns::{
    OrderColumn, OrderColumnMapping, count_order_headers, missing_columns, suggest_order_columns,
};
use super::order_lines::{FileOrder, FileOrders, group_orders, order_row_error};
use super::order_references::{References, Refusal};
use super::order_report::{ImportedOrder, OrderImportReport, SkippedOrder};
use super::read::{ReadOptions, read_table_headed_by};
use super::validate::RowError;
use crate::error::{AppError, AppResult, field_error};
use crate::orders::{CheckedLine, OrderFields, OrderInput, OrderLineInput};
use crate::validate::Checker;
use crate::{Actor, App};

#[derive(Debug, Clone, Default)]
pub struct OrderImportOptions {
    /// The uploaded file's name (its extension helps tell CSV from a workbook).
    pub file_name: String,
    pub read: ReadOptions,
    /// Write when everything is right; `false` is a dry run.
    pub commit: bool,
    /// Also plan the follow-ups already due (an open backlog); by default an imported order
    /// gets only those due today or later.
    pub past_tasks: bool,
}

/// An order ready to write.
struct Ready {
    order: Order,
    lines: Vec<OrderLine>,
    report: ImportedOrder,
}

/// Imports one order file for `actor` (who must be allowed to change the archive, as for the
/// customer import and the order form).
///
/// A file that cannot be read at all is an [`AppError::Invalid`] on the field `file`; missing
/// columns and row errors are in the report.
pub async fn run(
    app: &App,
    actor: &Actor,
    bytes: Vec<u8>,
    opts: OrderImportOptions,
) -> AppResult<OrderImportReport> {
    actor.require_archive_editor()?;
    let started = Instant::now();
    let (file_name, read) = (opts.file_name.clone(), opts.read.clone());
    let (header_row, columns, column_errors, grouped) =
        tokio::task::spawn_blocking(move || parse(&bytes, &file_name, &read))
            .await
            .map_err(|e| AppError::Internal(format!("import worker: {e}")))??;
    let mut report = OrderImportReport {
        import_id: new_id(),
        file_name: opts.file_name.clone(),
        header_row,
        columns,
        column_errors,
        rows_read: grouped.rows_read,
        orders: grouped.orders.len(),
        lines: grouped.line_count(),
        imported: Vec::new(),
        skipped: Vec::new(),
        errors: Vec::new(),
        errors_total: 0,
        error_rows: 0,
        past_tasks: opts.past_tasks,
        tasks: 0,
        committed: false,
        millis: 0,
    };
    if !report.column_errors.is_empty() {
        report.millis = millis(started);
        return Ok(report);
    }
    let FileOrders {
        orders: file_orders,
        errors: mut row_errors,
        ..
    } = grouped;
    let mut ready = Vec::new();
    {
        let mut conn = app.conn().await?;
        let numbers: Vec<String> = file_orders.iter().map(|o| o.number.clone()).collect();
        let taken: HashSet<String> = orders::numbers_taken(&mut conn, &numbers)
            .await?
            .into_iter()
            .collect();
        let mut refs = References::load(&mut conn, actor).await?;
        for o in &file_orders {
            if taken.contains(&o.number) {
                report.skipped.push(already_imported(o));
                continue;
            }
            match check_order(app, &mut conn, &mut refs, &report.columns, o).await? {
                Ok(r) => ready.push(r),
                Err(mut errs) => row_errors.append(&mut errs),
            }
        }
    }
    if opts.commit && row_errors.is_empty() {
        let mut tx = app.db.begin_write().await?;
        // Another import may have written a number since the check: it is skipped too.
        let numbers: Vec<String> = ready.iter().map(|r| r.order.number.clone()).collect();
        let taken: HashSet<String> = orders::numbers_taken(&mut tx, &numbers)
            .await?
            .into_iter()
            .collect();
        let not_before = (!opts.past_tasks).then(|| app.clock.today());
        for mut r in ready {
            if taken.contains(&r.order.number) {
                report.skipped.push(SkippedOrder {
                    row: r.report.row,
                    ..already_imported(&FileOrder {
                        number: r.order.number.clone(),
                        ..FileOrder::default()
                    })
                });
                continue;
            }
            orders::insert(&mut tx, &r.order, &r.lines).await?;
            r.report.tasks =
                crate::tasks::plan_order_from(app, &mut tx, &r.order, None, not_before).await?;
            report.tasks += r.report.tasks;
            let record = crate::views::OrderRecord::from(r.order.clone());
            crate::outbox::publish(
                app,
                &mut tx,
                "order.created",
                &r.order.id,
                serde_json::to_value(&record).unwrap_or_default(),
            )
            .await?;
            crate::audit::record(
                app,
                &mut tx,
                actor,
                "order",
                &r.order.id,
                "import",
                None,
                Some(&r.order),
            )
            .await?;
            r.report.id = Some(r.order.id.clone());
            report.imported.push(r.report);
        }
        let summary = serde_json::json!({
            "file_name": report.file_name,
            "orders": report.imported.len(),
            "skipped": report.skipped.len(),
            "tasks": report.tasks,
            "past_tasks": opts.past_tasks,
            "rows": report.rows_read,
        });
        crate::audit::record(
            app,
            &mut tx,
            actor,
            "import",
            &report.import_id,
            "import",
            None,
            Some(&summary),
        )
        .await?;
        app.commit(tx).await?;
        report.committed = true;
    } else {
        report.imported = ready.into_iter().map(|r| r.report).collect();
    }
    row_errors.sort_by_key(|e| e.row);
    report.errors_total = row_errors.len();
    let mut rows: Vec<usize> = row_errors.iter().map(|e| e.row).collect();
    rows.dedup();
    report.error_rows = rows.len();
    row_errors.truncate(MAX_REPORTED_ERRORS);
    report.errors = row_errors;
    report.millis = millis(started);
    Ok(report)
}

fn millis(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

type Parsed = (
    usize,
    Vec<OrderColumnMapping>,
    Vec<MappingProblem>,
    FileOrders,
);

/// Reads the file and groups its rows (CPU only, run on a blocking thread).
fn parse(bytes: &[u8], file_name: &str, read: &ReadOptions) -> AppResult<Parsed> {
    let (table, _) =
        read_table_headed_by(bytes, file_name, read, count_order_headers).map_err(|e| {
            AppError::Invalid(vec![field_error(
                "file",
                e.code(),
                e.message_zh(),
                e.message_en(),
            )])
        })?;
    let columns = suggest_order_columns(&table.headers);
    let missing = missing_columns(&columns);
    let grouped = if missing.is_empty() {
        group_orders(&table, &columns)
    } else {
        FileOrders {
            rows_read: table.rows.len(),
            ..FileOrders::default()
        }
    };
    Ok((table.header_row, columns, missing, grouped))
}

fn already_imported(o: &FileOrder) -> SkippedOrder {
    let n = &o.number;
    SkippedOrder {
        number: n.clone(),
        row: o.first_row(),
        code: "already_imported".to_string(),
        message_zh: format!("订单「{n}」已导入过（系统中已有此订单号），本次跳过"),
        message_en: format!(
            "order \"{n}\" was imported before (an order with this number exists); skipped"
        ),
    }
}

/// A date cell as the order form reads it: cells the customer import reads as dates
/// (2026/3/30, 2026年3月30日, Excel dates) are written YYYY-MM-DD; anything else is passed
/// on as it is, for the form's check to refuse with its own reason.
fn date_cell(v: &str) -> String {
    match super::validate::parse_date(v) {
        Ok(d) => d.format("%Y-%m-%d").to_string(),
        Err(_) => v.to_string(),
    }
}

/// Resolves and checks one order of the file: the order ready to write, or its row errors.
async fn check_order(
    app: &App,
    conn: &mut Conn,
    refs: &mut References,
    columns: &[OrderColumnMapping],
    o: &FileOrder,
) -> AppResult<Result<Ready, Vec<RowError>>> {
    let mut errors = Vec::new();
    let refusal = |column: OrderColumn, (code, zh, en): Refusal| {
        order_row_error(
            columns,
            o.row_of(column),
            column,
            code,
            o.value(column),
            (&zh, &en),
        )
    };
    let customer_cell = o.value(OrderColumn::Customer);
    let customer = if customer_cell.is_empty() {
        errors.push(refusal(
            OrderColumn::Customer,
            (
                "required",
                "请选择「客户」。".into(),
                "Customer is required.".into(),
            ),
        ));
        None
    } else {
        match refs.customer(conn, customer_cell).await? {
            Ok(c) => Some(c),
            Err(r) => {
                errors.push(refusal(OrderColumn::Customer, r));
                None
            }
        }
    };

    // The order's own values, through the form's checks.
    let status_cell = o.value(OrderColumn::Status);
    let input = OrderInput {
        order_date: date_cell(o.value(OrderColumn::OrderDate)),
        delivery_date: date_cell(o.value(OrderColumn::DeliveryDate)),
        currency: o.value(OrderColumn::Currency).to_string(),
        notes: o.value(OrderColumn::Notes).to_string(),
        doubts: o.value(OrderColumn::Doubts).to_string(),
        status: OrderStatus::from_code_or_label(status_cell)
            .map_or_else(|| status_cell.to_string(), |s| s.code().to_string()),
        ..OrderInput::default()
    };
    let mut c = Checker::new();
    if input.order_date.is_empty() {
        // The form takes today for a blank order date; a file's order has a day of its own,
        // and today would plan its thank-you note for a deal long past.
        c.check(crate::orders::ORDER_DATE.required(), "");
    }
    let OrderFields {
        order_date,
        delivery_date,
        currency,
        notes,
        doubts,
        status,
    } = crate::orders::check_fields(&mut c, app.clock.today(), &input);
    for e in c.into_errors() {
        let column = OrderColumn::of_key(&e.field).unwrap_or(OrderColumn::Number);
        errors.push(order_row_error(
            columns,
            o.row_of(column),
            column,
            e.code,
            o.value(column),
            (&e.message_zh, &e.message_en),
        ));
    }

    let contact_id = match (&customer, o.value(OrderColumn::Contact)) {
        (_, "") | (None, _) => None,
        (Some(cu), v) => match refs.contact(conn, &cu.id, v).await? {
            Ok(id) => Some(id),
            Err(r) => {
                errors.push(refusal(OrderColumn::Contact, r));
                None
            }
        },
    };
    let salesperson_id = match o.value(OrderColumn::Salesperson) {
        // As on the form: the customer's owner, else the importer.
        "" => customer
            .as_ref()
            .and_then(|cu| cu.owner_id.clone())
            .or_else(|| Some(refs.actor.user_id.clone())),
        v => match refs.salesperson(v) {
            Some(u) => Some(u.id.clone()),
            None => {
                errors.push(refusal(
                    OrderColumn::Salesperson,
                    (
                        "unknown_user",
                        "「销售人员」不是有效用户。".into(),
                        "Salesperson is not a known user.".into(),
                    ),
                ));
                None
            }
        },
    };

    let id = new_id();
    let mut lines = Vec::new();
    let mut total: i64 = 0;
    for (i, l) in o.lines.iter().enumerate() {
        let r = l.row;
        let product = refs.product(conn, &l.product).await?;
        if product.is_none() {
            errors.push(order_row_error(
                columns,
                r,
                OrderColumn::Product,
                "unknown_product",
                &l.product,
                (
                    &format!("没有产品编号（SKU）或 ID 为「{}」的产品。", l.product),
                    &format!("no product has the code (SKU) or id \"{}\".", l.product),
                ),
            ));
        }
        let mut lc = Checker::new();
        let CheckedLine {
            quantity,
            unit_price,
            amount,
        } = crate::orders::check_line(
            &mut lc,
            (&format!("第 {r} 行"), &format!("Row {r}")),
            product.as_ref().map(|p| p.price_fen),
            &OrderLineInput {
                product_id: l.product.clone(),
                quantity: l.quantity.clone(),
                unit_price: l.unit_price.clone(),
            },
        );
        for e in lc.into_errors() {
            let (column, value) = match e.code {
                "invalid_money" => (OrderColumn::UnitPrice, &l.unit_price),
                _ => (OrderColumn::Quantity, &l.quantity),
            };
            // The form's line message already names the row.
            let mut err = order_row_error(columns, r, column, e.code, value, ("", ""));
            err.message_zh = e.message_zh;
            err.message_en = e.message_en;
            errors.push(err);
        }
        total = total.saturating_add(amount);
        if let Some(p) = product {
            lines.push(OrderLine {
                id: new_id(),
                order_id: id.clone(),
                line_no: i64::try_from(i + 1).unwrap_or(i64::MAX),
                product_id: p.id,
                quantity,
                unit_price_fen: unit_price,
                amount_fen: amount,
            });
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let (Some(customer), Some(order_date)) = (customer, order_date) else {
        return Err(AppError::Internal("checked values missing".into()));
    };
    let now = app.clock.now_ms();
    let status = status.unwrap_or(OrderStatus::Open).code().to_string();
    let order = Order {
        id: id.clone(),
        number: o.number.clone(),
        customer_id: customer.id.clone(),
        contact_id,
        department_id: salesperson_id
            .as_deref()
            .and_then(|s| refs.department_of(s)),
        salesperson_id,
        order_date: order_date.clone(),
        delivery_date: delivery_date.clone(),
        currency: currency.clone(),
        total_fen: total,
        notes,
        status: status.clone(),
        doubts,
        created_at: now,
        updated_at: now,
    };
    Ok(Ok(Ready {
        report: ImportedOrder {
            number: o.number.clone(),
            id: None,
            row: o.first_row(),
            customer_id: customer.id,
            customer_name: customer.name,
            order_date,
            delivery_date,
            status,
            lines: lines.len(),
            currency,
            total_fen: total,
            tasks: 0,
        },
        order,
        lines,
    }))
}
