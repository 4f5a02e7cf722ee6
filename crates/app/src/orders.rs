//! Order use cases: orders with lines in 分, for a customer the actor may see.

use chrono::NaiveDate;
use huike_domain::OrderStatus;
use huike_domain::money::parse_money;
use huike_store::orders::{self, Order, OrderFilter, OrderLine, OrderListItem};
use huike_store::{contacts, customers, new_id, products, users};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::validate::{Checker, Field, field};
use crate::views::{OrderDetail, OrderLineRecord, OrderRecord, OrderRow, Page};
use crate::{Actor, App};

pub const CUSTOMER: Field = field("customer_id", "客户", "Customer");
pub const CONTACT: Field = field("contact_id", "联系人", "Contact");
pub const SALESPERSON: Field = field("salesperson_id", "销售人员", "Salesperson");
pub const ORDER_DATE: Field = field("order_date", "下单日期", "Order date");
pub const DELIVERY_DATE: Field = field("delivery_date", "交付日期", "Delivery date");
pub const CURRENCY: Field = field("currency", "币种", "Currency");
pub const LINES: Field = field("lines", "订单明细", "Lines");
pub const NOTES: Field = field("notes", "备注", "Notes").max(2000);
pub const DOUBTS: Field = field("doubts", "尚存的疑虑", "Doubts left at the deal").max(2000);
pub const STATUS: Field = field("status", "订单状态", "Order status");
/// The most units one order line may have.
pub const MAX_QUANTITY: i64 = 1_000_000_000;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OrderLineInput {
    pub product_id: String,
    /// Whole units.
    pub quantity: String,
    /// Unit price in yuan as typed; empty takes the catalogue price.
    pub unit_price: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OrderInput {
    pub customer_id: String,
    pub contact_id: String,
    /// Empty means the customer's owner (or the actor).
    pub salesperson_id: String,
    /// YYYY-MM-DD; empty means today (Asia/Shanghai).
    pub order_date: String,
    /// YYYY-MM-DD, on or after the order date; optional.
    pub delivery_date: String,
    pub currency: String,
    pub notes: String,
    /// The doubts the customer still had at the deal (尚存的疑虑): the talking points of the
    /// day-2 call.
    pub doubts: String,
    /// open | delivered | cancelled; empty keeps the order's status (open for a new one).
    pub status: String,
    pub lines: Vec<OrderLineInput>,
}

async fn build(
    app: &App,
    actor: &Actor,
    input: &OrderInput,
    id: &str,
) -> AppResult<(Order, Vec<OrderLine>)> {
    let mut c = Checker::new();
    let mut conn = app.conn().await?;
    let customer_id = input.customer_id.trim();
    let customer = if customer_id.is_empty() {
        c.fail(
            CUSTOMER,
            "required",
            "请选择「客户」。".into(),
            "Customer is required.".into(),
        );
        None
    } else {
        Some(
            customers::get(&mut conn, &actor.edit_scope(), customer_id)
                .await
                .map_err(|e| actor.not_editable(e))?,
        )
    };
    let OrderFields {
        order_date,
        delivery_date,
        currency,
        notes,
        doubts,
        status,
    } = check_fields(&mut c, app.clock.today(), input);
    let contact_id = match input.contact_id.trim() {
        "" => None,
        cid => match contacts::get(&mut conn, &actor.scope(), cid).await {
            Ok(k) if Some(&k.customer_id) == customer.as_ref().map(|x| &x.id) => Some(k.id),
            _ => {
                c.missing(
                    CONTACT,
                    "unknown_contact",
                    "「联系人」不属于该客户。".into(),
                    "That contact does not belong to this customer.".into(),
                );
                None
            }
        },
    };
    let salesperson_id = match input.salesperson_id.trim() {
        "" => customer
            .as_ref()
            .and_then(|x| x.owner_id.clone())
            .or_else(|| Some(actor.user_id.clone())),
        sid => match users::get(&mut conn, sid).await {
            Ok(u) => Some(u.id),
            Err(_) => {
                c.missing(
                    SALESPERSON,
                    "unknown_user",
                    "「销售人员」不是有效用户。".into(),
                    "Salesperson is not a known user.".into(),
                );
                None
            }
        },
    };
    let department_id = match &salesperson_id {
        Some(s) => users::get(&mut conn, s)
            .await
            .ok()
            .and_then(|u| u.department_id),
        None => None,
    };
    let lines_in: Vec<&OrderLineInput> = input
        .lines
        .iter()
        .filter(|l| !(l.product_id.trim().is_empty() && l.quantity.trim().is_empty()))
        .collect();
    if lines_in.is_empty() {
        c.fail(
            LINES,
            "required",
            "订单至少需要一行明细。".into(),
            "An order needs at least one line.".into(),
        );
    }
    let mut lines = Vec::new();
    let mut total: i64 = 0;
    for (i, l) in lines_in.iter().enumerate() {
        let n = i + 1;
        let product = match products::get(&mut conn, l.product_id.trim()).await {
            Ok(p) => Some(p),
            Err(_) => {
                c.missing(
                    LINES,
                    "unknown_product",
                    format!("第 {n} 行：请选择有效的产品。"),
                    format!("Line {n}: choose a valid product."),
                );
                None
            }
        };
        let CheckedLine {
            quantity,
            unit_price,
            amount,
        } = check_line(
            &mut c,
            (&format!("第 {n} 行"), &format!("Line {n}")),
            product.as_ref().map(|p| p.price_fen),
            l,
        );
        total = total.saturating_add(amount);
        if let Some(p) = product {
            lines.push(OrderLine {
                id: new_id(),
                order_id: id.to_string(),
                line_no: n as i64,
                product_id: p.id,
                quantity,
                unit_price_fen: unit_price,
                amount_fen: amount,
            });
        }
    }
    c.finish()?;
    let (Some(customer), Some(order_date)) = (customer, order_date) else {
        return Err(AppError::Internal("checked values missing".into()));
    };
    let now = app.clock.now_ms();
    Ok((
        Order {
            id: id.to_string(),
            number: String::new(),
            customer_id: customer.id,
            contact_id,
            salesperson_id,
            department_id,
            order_date,
            delivery_date,
            currency,
            total_fen: total,
            notes,
            status: status.unwrap_or(OrderStatus::Open).code().to_string(),
            doubts,
            created_at: now,
            updated_at: now,
        },
        lines,
    ))
}

/// An order's own values, checked alike for the form, the API and the import.
pub(crate) struct OrderFields {
    pub order_date: Option<String>,
    pub delivery_date: Option<String>,
    pub currency: String,
    pub notes: String,
    pub doubts: String,
    pub status: Option<OrderStatus>,
}

/// Checks an order's dates (an empty order date is `today`), currency, notes, doubts and
/// status: the one set of rules every way of saving an order applies.
pub(crate) fn check_fields(c: &mut Checker, today: NaiveDate, input: &OrderInput) -> OrderFields {
    let order_date = if input.order_date.is_empty() {
        Some(today.format("%Y-%m-%d").to_string())
    } else {
        c.date(ORDER_DATE, &input.order_date)
    };
    let delivery_date = c.date(DELIVERY_DATE, &input.delivery_date);
    if let (Some(o), Some(d)) = (&order_date, &delivery_date)
        && d < o
    {
        c.fail(
            DELIVERY_DATE,
            "before_order",
            "「交付日期」不能早于下单日期。".into(),
            "Delivery date cannot be before the order date.".into(),
        );
    }
    OrderFields {
        order_date,
        delivery_date,
        currency: c.currency(CURRENCY, &input.currency),
        notes: c.check(NOTES, &input.notes),
        doubts: c.check(DOUBTS, &input.doubts),
        status: c.code(STATUS, &input.status, OrderStatus::from_code),
    }
}

/// One order line's numbers.
pub(crate) struct CheckedLine {
    pub quantity: i64,
    pub unit_price: i64,
    pub amount: i64,
}

/// Checks one line's quantity and unit price (empty: `catalogue_price`) and its amount. `at`
/// names the line in the messages, in Chinese and English: its place in the order on the
/// form ("第 2 行", "Line 2"), its row in an imported file.
pub(crate) fn check_line(
    c: &mut Checker,
    at: (&str, &str),
    catalogue_price: Option<i64>,
    l: &OrderLineInput,
) -> CheckedLine {
    let (zh, en) = at;
    let digits = l.quantity.bytes().all(|b| b.is_ascii_digit());
    let quantity = match l.quantity.parse::<i64>() {
        Ok(q) if digits && q > 0 && q <= MAX_QUANTITY => q,
        _ => {
            c.fail(
                LINES,
                "invalid_quantity",
                format!("{zh}：数量应为正整数，收到「{}」。", l.quantity.trim()),
                format!(
                    "{en}: quantity must be a positive whole number; got \"{}\".",
                    l.quantity.trim()
                ),
            );
            0
        }
    };
    let unit_price = if l.unit_price.trim().is_empty() {
        catalogue_price.unwrap_or(0)
    } else {
        match parse_money(&l.unit_price) {
            Ok(v) if (0..=crate::products::MAX_PRICE_FEN).contains(&v) => v,
            _ => {
                c.fail(
                    LINES,
                    "invalid_money",
                    format!("{zh}：单价无效「{}」。", l.unit_price.trim()),
                    format!("{en}: unit price \"{}\" is not valid.", l.unit_price.trim()),
                );
                0
            }
        }
    };
    let amount = quantity.checked_mul(unit_price).unwrap_or_else(|| {
        c.fail(
            LINES,
            "overflow",
            format!("{zh}：金额过大。"),
            format!("{en}: the amount is too large."),
        );
        0
    });
    CheckedLine {
        quantity,
        unit_price,
        amount,
    }
}

pub async fn create(app: &App, actor: &Actor, input: &OrderInput) -> AppResult<OrderRecord> {
    let (mut order, lines) = build(app, actor, input, &new_id()).await?;
    let mut tx = app.db.begin_write().await?;
    let day = NaiveDate::parse_from_str(&order.order_date, "%Y-%m-%d")
        .map(|d| d.format("%Y%m%d").to_string())
        .unwrap_or_default();
    // The number is taken last: the day's counter row stays locked until the commit, so
    // orders saved at once queue for each other over the last few statements only, not the
    // whole save (on PostgreSQL, four reps saving at once waited out each other's saves).
    // Until then the order holds a stand-in no real number can equal.
    order.number = format!("~{}", order.id);
    orders::insert(&mut tx, &order, &lines).await?;
    // Its follow-ups in the same transaction: an order is never saved without them.
    crate::tasks::plan_order(app, &mut tx, &order, None).await?;
    if order.status == "delivered" {
        crate::referrals::reward_if_delivered(app, &mut tx, &order.customer_id).await?;
    }
    order.number = orders::next_number(&mut tx, &day).await?;
    orders::set_number(&mut tx, &order.id, &order.number).await?;
    let record = OrderRecord::from(order.clone());
    crate::outbox::publish(
        app,
        &mut tx,
        "order.created",
        &order.id,
        serde_json::to_value(&record).unwrap_or_default(),
    )
    .await?;
    crate::audit::record(
        app,
        &mut tx,
        actor,
        "order",
        &order.id,
        "create",
        None,
        Some(&order),
    )
    .await?;
    app.commit(tx).await?;
    Ok(OrderRecord::from(order))
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &OrderInput,
) -> AppResult<OrderRecord> {
    let before = {
        let mut conn = app.conn().await?;
        orders::get(&mut conn, &actor.edit_scope(), id)
            .await
            .map_err(|e| actor.not_editable(e))?
    };
    let (mut order, lines) = build(app, actor, input, id).await?;
    order.number = before.number.clone();
    order.created_at = before.created_at;
    if input.status.trim().is_empty() {
        order.status = before.status.clone();
    }
    let mut tx = app.db.begin_write().await?;
    orders::update(&mut tx, &order, &lines).await?;
    crate::tasks::plan_order(app, &mut tx, &order, Some(&before)).await?;
    // A referred customer's first delivered order makes its referrer's reward due.
    if order.status == "delivered" {
        crate::referrals::reward_if_delivered(app, &mut tx, &order.customer_id).await?;
    }
    crate::audit::record(
        app,
        &mut tx,
        actor,
        "order",
        id,
        "update",
        Some(&before),
        Some(&order),
    )
    .await?;
    app.commit(tx).await?;
    Ok(OrderRecord::from(order))
}

/// An order with its lines.
pub async fn view(app: &App, actor: &Actor, id: &str) -> AppResult<OrderDetail> {
    let mut conn = app.conn().await?;
    let order = orders::get(&mut conn, &actor.scope(), id).await?;
    let customer_name = customers::get(&mut conn, &actor.scope(), &order.customer_id)
        .await?
        .name;
    let lines = orders::lines(&mut conn, id).await?;
    Ok(OrderDetail {
        lines: lines
            .into_iter()
            .map(|l| OrderLineRecord::of(l, &order.currency))
            .collect(),
        order: OrderRecord::from(order),
        customer_name,
    })
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct OrderQuery {
    pub customer_id: Option<String>,
    pub salesperson_id: Option<String>,
    /// YYYY-MM-DD inclusive
    pub from: Option<String>,
    /// YYYY-MM-DD inclusive
    pub to: Option<String>,
    /// date | number | total | customer
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The orders the list can be sorted in (the store's `order_by`).
pub const SORTS: &[&str] = &["date", "number", "total", "customer"];
/// The list's first order date.
pub const FROM: Field = field("from", "起始日期", "From");
/// The list's last order date.
pub const TO: Field = field("to", "截止日期", "To");

impl OrderQuery {
    /// Refuses a sort or direction that is not one of their codes, and dates that are not
    /// dates.
    pub fn check(&self) -> AppResult<()> {
        let mut c = Checker::new();
        c.one_of(crate::validate::SORT, self.sort.as_deref(), SORTS);
        c.one_of(
            crate::validate::DIR,
            self.dir.as_deref(),
            crate::validate::DIRECTIONS,
        );
        if let Some(v) = &self.from {
            c.date(FROM, v);
        }
        if let Some(v) = &self.to {
            c.date(TO, v);
        }
        c.finish()
    }

    fn filter(&self) -> OrderFilter {
        let ne = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        OrderFilter {
            customer_id: ne(&self.customer_id),
            salesperson_id: ne(&self.salesperson_id),
            from_date: ne(&self.from),
            to_date: ne(&self.to),
        }
    }
}

pub async fn list(app: &App, actor: &Actor, q: &OrderQuery) -> AppResult<Page<OrderRow>> {
    q.check()?;
    let paging = crate::paging(q.page, q.per_page);
    let mut conn = app.conn().await?;
    let page = orders::list(
        &mut conn,
        app.db.counts(),
        &actor.scope(),
        &q.filter(),
        q.sort
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("date"),
        q.dir.as_deref() != Some("asc"),
        paging,
    )
    .await?;
    Ok(Page::of(page, OrderRow::from))
}

pub(crate) async fn list_for_export(
    app: &App,
    actor: &Actor,
    q: &OrderQuery,
) -> AppResult<Vec<OrderListItem>> {
    q.check()?;
    let mut conn = app.conn().await?;
    Ok(orders::list_all(
        &mut conn,
        &actor.scope(),
        &q.filter(),
        app.settings.export_limit,
    )
    .await?)
}
