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

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use huike_domain::OrderStatus;
use huike_domain::coded::Coded;
use huike_store::customers::Customer;
use huike_store::orders::{Order, OrderLine};
use huike_store::products::Product;
use huike_store::users::User;
use huike_store::{Conn, Scope, StoreError, contacts, customers, new_id, orders, products};
use serde::{Deserialize, Serialize};

use super::commit::{MAX_REPORTED_ERRORS, MappingProblem};
use super::order_columns::{
    OrderColumn, OrderColumnMapping, count_order_headers, missing_columns, suggest_order_columns,
};
use super::order_lines::{FileOrder, FileOrders, group_orders, order_row_error};
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

/// An order the file makes (made, when the report is `committed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportedOrder {
    pub number: String,
    /// The new order's id, once written.
    pub id: Option<String>,
    /// The row the order starts on.
    pub row: usize,
    pub customer_id: String,
    pub customer_name: String,
    pub order_date: String,
    pub delivery_date: Option<String>,
    pub status: String,
    pub lines: usize,
    pub currency: String,
    pub total_fen: i64,
    /// After-sale tasks made for it (0 in a dry run).
    pub tasks: usize,
}

/// An order of the file that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkippedOrder {
    pub number: String,
    pub row: usize,
    /// `already_imported`: an order with this number exists.
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

/// What an order import found and did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderImportReport {
    pub import_id: String,
    pub file_name: String,
    /// 1-based row of the header.
    pub header_row: usize,
    /// Each column of the file and the field it feeds.
    pub columns: Vec<OrderColumnMapping>,
    /// A required column missing: no row was checked.
    pub column_errors: Vec<MappingProblem>,
    /// Non-blank data rows.
    pub rows_read: usize,
    /// Orders (distinct order numbers) and lines the file holds.
    pub orders: usize,
    pub lines: usize,
    /// The orders imported (or, in a dry run, that would be).
    pub imported: Vec<ImportedOrder>,
    /// Orders skipped because their number already exists.
    pub skipped: Vec<SkippedOrder>,
    /// Row errors in row order, at most 10,000 (all are counted in `errors_total`).
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<RowError>,
    pub errors_total: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
    /// Whether follow-ups already due were planned too.
    pub past_tasks: bool,
    /// After-sale tasks made in all.
    pub tasks: usize,
    /// Whether anything was written (only when asked and everything was right).
    pub committed: bool,
    pub millis: u64,
}

impl OrderImportReport {
    /// Nothing is wrong: a commit would (or did) write everything that is new.
    pub fn is_clean(&self) -> bool {
        self.column_errors.is_empty() && self.errors_total == 0
    }
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

type Refusal = (&'static str, String, String);

/// What the file's references resolve to, looked up once per distinct value.
struct References {
    actor: Actor,
    users: Vec<User>,
    customers: HashMap<String, Result<Customer, Refusal>>,
    contacts: HashMap<String, Vec<contacts::Contact>>,
    products: HashMap<String, Option<Product>>,
}

impl References {
    async fn load(conn: &mut Conn, actor: &Actor) -> AppResult<References> {
        Ok(References {
            actor: actor.clone(),
            users: huike_store::users::list_all(conn).await?,
            customers: HashMap::new(),
            contacts: HashMap::new(),
            products: HashMap::new(),
        })
    }

    /// A customer the importer may edit, by id or by its exact name when only one such
    /// customer has it. One the importer may not edit is not found, as on the form.
    async fn customer(&mut self, conn: &mut Conn, v: &str) -> AppResult<Result<Customer, Refusal>> {
        if let Some(found) = self.customers.get(v) {
            return Ok(found.clone());
        }
        let scope = self.actor.edit_scope();
        let found = match editable(conn, &scope, v).await? {
            Some(c) => Ok(c),
            None => {
                let mut named = Vec::new();
                for id in customers::ids_with_name(conn, v).await? {
                    if let Some(c) = editable(conn, &scope, &id).await? {
                        named.push(c);
                    }
                }
                match named.len() {
                    1 => Ok(named.remove(0)),
                    0 => Err((
                        "unknown_customer",
                        format!(
                            "「客户」「{v}」不存在，或不是您可以下单的客户：请填写客户的完整名称或编号"
                        ),
                        format!(
                            "Customer \"{v}\" does not exist or is not one you may take orders for: give its exact name or id"
                        ),
                    )),
                    n => Err((
                        "ambiguous_customer",
                        format!("「客户」「{v}」对应 {n} 个客户：请改填客户编号"),
                        format!("Customer \"{v}\" names {n} customers: give its id instead"),
                    )),
                }
            }
        };
        self.customers.insert(v.to_string(), found.clone());
        Ok(found)
    }

    /// The customer's contact with this id or name (a name two of its contacts have is
    /// ambiguous).
    async fn contact(
        &mut self,
        conn: &mut Conn,
        customer_id: &str,
        v: &str,
    ) -> AppResult<Result<String, Refusal>> {
        if !self.contacts.contains_key(customer_id) {
            let list = contacts::for_customer(conn, customer_id).await?;
            self.contacts.insert(customer_id.to_string(), list);
        }
        let list = self
            .contacts
            .get(customer_id)
            .map_or(&[][..], Vec::as_slice);
        if let Some(k) = list.iter().find(|k| k.id == v) {
            return Ok(Ok(k.id.clone()));
        }
        let named: Vec<&contacts::Contact> = list.iter().filter(|k| k.name.trim() == v).collect();
        Ok(match named.as_slice() {
            [k] => Ok(k.id.clone()),
            // The order form's own refusal.
            [] => Err((
                "unknown_contact",
                "「联系人」不属于该客户。".to_string(),
                "That contact does not belong to this customer.".to_string(),
            )),
            _ => Err((
                "ambiguous_contact",
                format!(
                    "该客户有 {} 位联系人叫「{v}」：请改填联系人编号",
                    named.len()
                ),
                format!(
                    "{} contacts of this customer are called \"{v}\": give the contact's id instead",
                    named.len()
                ),
            )),
        })
    }

    /// An active user by username (any case) or id.
    fn salesperson(&self, v: &str) -> Option<&User> {
        self.users
            .iter()
            .filter(|u| u.active == 1)
            .find(|u| u.username.eq_ignore_ascii_case(v) || u.id == v)
    }

    fn department_of(&self, user_id: &str) -> Option<String> {
        self.users
            .iter()
            .find(|u| u.id == user_id)
            .and_then(|u| u.department_id.clone())
    }

    /// A product by its code (SKU) or id.
    async fn product(&mut self, conn: &mut Conn, v: &str) -> AppResult<Option<Product>> {
        if let Some(p) = self.products.get(v) {
            return Ok(p.clone());
        }
        let found = match products::find_by_sku(conn, v).await? {
            Some(p) => Some(p),
            None => match products::get(conn, v).await {
                Ok(p) => Some(p),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
        };
        self.products.insert(v.to_string(), found.clone());
        Ok(found)
    }
}

/// The customer if `scope` may edit it.
async fn editable(conn: &mut Conn, scope: &Scope, id: &str) -> AppResult<Option<Customer>> {
    match customers::get(conn, scope, id).await {
        Ok(c) => Ok(Some(c)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
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
