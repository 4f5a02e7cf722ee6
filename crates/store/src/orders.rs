//! Orders and their lines: what was sold to whom, by whom, when and when delivered.

use crate::sql::Sql;
use crate::{Conn, Page, Scope, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Order {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub salesperson_id: Option<String>,
    pub department_id: Option<String>,
    pub order_date: String,
    pub delivery_date: Option<String>,
    pub currency: String,
    pub total_fen: i64,
    pub notes: String,
    /// open | delivered | cancelled
    pub status: String,
    /// The doubts the customer still had at the deal (尚存的疑虑).
    pub doubts: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct OrderLine {
    pub id: String,
    pub order_id: String,
    pub line_no: i64,
    pub product_id: String,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
}

/// An order line with its product's name and SKU.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct OrderLineView {
    pub id: String,
    pub line_no: i64,
    pub product_id: String,
    pub product_name: String,
    pub sku: String,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct OrderListItem {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub customer_name: String,
    pub salesperson_name: Option<String>,
    pub department_name: Option<String>,
    pub order_date: String,
    pub delivery_date: Option<String>,
    pub currency: String,
    pub total_fen: i64,
    pub status: String,
}

pub async fn insert(conn: &mut Conn, o: &Order, lines: &[OrderLine]) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO orders (id, number, customer_id, contact_id, salesperson_id, department_id, \
         order_date, delivery_date, currency, total_fen, notes, status, doubts, created_at, \
         updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
    )
    .bind(&o.id)
    .bind(&o.number)
    .bind(&o.customer_id)
    .bind(&o.contact_id)
    .bind(&o.salesperson_id)
    .bind(&o.department_id)
    .bind(&o.order_date)
    .bind(&o.delivery_date)
    .bind(&o.currency)
    .bind(o.total_fen)
    .bind(&o.notes)
    .bind(&o.status)
    .bind(&o.doubts)
    .bind(o.created_at)
    .bind(o.updated_at)
    .execute(&mut *conn)
    .await?;
    insert_lines(conn, lines).await
}

async fn insert_lines(conn: &mut Conn, lines: &[OrderLine]) -> StoreResult<()> {
    for l in lines {
        sqlx::query(
            "INSERT INTO order_lines (id, order_id, line_no, product_id, quantity, \
             unit_price_fen, amount_fen) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        )
        .bind(&l.id)
        .bind(&l.order_id)
        .bind(l.line_no)
        .bind(&l.product_id)
        .bind(l.quantity)
        .bind(l.unit_price_fen)
        .bind(l.amount_fen)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Replaces the order's header and all its lines.
pub async fn update(conn: &mut Conn, o: &Order, lines: &[OrderLine]) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE orders SET contact_id = $1, salesperson_id = $2, department_id = $3, \
         order_date = $4, delivery_date = $5, currency = $6, total_fen = $7, notes = $8, \
         status = $9, doubts = $10, updated_at = $11 WHERE id = $12",
    )
    .bind(&o.contact_id)
    .bind(&o.salesperson_id)
    .bind(&o.department_id)
    .bind(&o.order_date)
    .bind(&o.delivery_date)
    .bind(&o.currency)
    .bind(o.total_fen)
    .bind(&o.notes)
    .bind(&o.status)
    .bind(&o.doubts)
    .bind(o.updated_at)
    .bind(&o.id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::NotFound);
    }
    sqlx::query("DELETE FROM order_lines WHERE order_id = $1")
        .bind(&o.id)
        .execute(&mut *conn)
        .await?;
    insert_lines(conn, lines).await
}

/// The order if its customer is visible to `scope`.
pub async fn get(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Order> {
    let mut sql = Sql::new(
        "SELECT o.id, o.number, o.customer_id, o.contact_id, o.salesperson_id, o.department_id, \
         o.order_date, o.delivery_date, o.currency, o.total_fen, o.notes, o.status, o.doubts, o.created_at, \
         o.updated_at FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ",
    );
    sql.bind(id);
    scope.push_condition(&mut sql, "c");
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

pub async fn lines(conn: &mut Conn, order_id: &str) -> StoreResult<Vec<OrderLineView>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.line_no, l.product_id, p.name AS product_name, p.sku, l.quantity, \
         l.unit_price_fen, l.amount_fen FROM order_lines l JOIN products p ON p.id = l.product_id \
         WHERE l.order_id = $1 ORDER BY l.line_no",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub customer_id: Option<String>,
    pub salesperson_id: Option<String>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
}

fn filter_sql(scope: &Scope, f: &OrderFilter) -> Sql {
    let mut sql = Sql::new(
        " FROM orders o JOIN customers c ON c.id = o.customer_id \
         LEFT JOIN users u ON u.id = o.salesperson_id \
         LEFT JOIN departments d ON d.id = o.department_id WHERE 1 = 1",
    );
    scope.push_condition(&mut sql, "c");
    if let Some(v) = &f.customer_id {
        sql.push(" AND o.customer_id = ").bind(v);
    }
    if let Some(v) = &f.salesperson_id {
        sql.push(" AND o.salesperson_id = ").bind(v);
    }
    if let Some(v) = &f.from_date {
        sql.push(" AND o.order_date >= ").bind(v);
    }
    if let Some(v) = &f.to_date {
        sql.push(" AND o.order_date <= ").bind(v);
    }
    sql
}

const LIST_COLUMNS: &str = "SELECT o.id, o.number, o.customer_id, c.name AS customer_name, \
    u.display_name AS salesperson_name, d.name AS department_name, o.order_date, \
    o.delivery_date, o.currency, o.total_fen, o.status";

fn order_by(sort: &str, desc: bool) -> &'static str {
    match (sort, desc) {
        ("number", false) => " ORDER BY o.number ASC",
        ("number", true) => " ORDER BY o.number DESC",
        ("total", false) => " ORDER BY o.total_fen ASC, o.id ASC",
        ("total", true) => " ORDER BY o.total_fen DESC, o.id DESC",
        ("customer", false) => " ORDER BY c.name ASC, o.order_date DESC",
        ("customer", true) => " ORDER BY c.name DESC, o.order_date DESC",
        ("date", false) => " ORDER BY o.order_date ASC, o.id ASC",
        _ => " ORDER BY o.order_date DESC, o.id DESC",
    }
}

pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    scope: &Scope,
    f: &OrderFilter,
    sort: &str,
    desc: bool,
    paging: crate::Paging,
) -> StoreResult<Page<OrderListItem>> {
    let scope = &scope.narrowed(conn).await?;
    let order = order_by(sort, desc);
    crate::fetch_page(
        conn,
        counts,
        &filter_sql(scope, f),
        LIST_COLUMNS,
        order,
        paging,
    )
    .await
}

pub async fn list_all(
    conn: &mut Conn,
    scope: &Scope,
    f: &OrderFilter,
    limit: i64,
) -> StoreResult<Vec<OrderListItem>> {
    let scope = &scope.narrowed(conn).await?;
    let mut sql = filter_sql(scope, f).prefixed(LIST_COLUMNS);
    sql.push(order_by("date", true)).push(" LIMIT ").bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// The next order number, `SO-YYYYMMDD-NNNN`, for a day, from the day's counter in
/// `order_numbers`. Call it in the transaction that inserts the order: the one upsert both
/// reads and advances the counter, and its row stays locked until that transaction ends
/// (SQLite holds the write lock anyway), so orders saved at once wait for each other instead
/// of taking the same number, and an order that is rolled back gives its number back.
pub async fn next_number(conn: &mut Conn, day_compact: &str) -> StoreResult<String> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO order_numbers (day, last_seq) VALUES ($1, 1) \
         ON CONFLICT (day) DO UPDATE SET last_seq = order_numbers.last_seq + 1 \
         RETURNING last_seq",
    )
    .bind(day_compact)
    .fetch_one(&mut *conn)
    .await?;
    Ok(format_number(day_compact, seq))
}

/// Gives an order inserted with a stand-in its number (from [`next_number`], in the same
/// transaction).
pub async fn set_number(conn: &mut Conn, id: &str, number: &str) -> StoreResult<()> {
    sqlx::query("UPDATE orders SET number = $1 WHERE id = $2")
        .bind(number)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// `SO-YYYYMMDD-NNNN`: at least four digits, more past the 9,999th order of a day.
pub fn format_number(day_compact: &str, seq: i64) -> String {
    format!("SO-{day_compact}-{seq:04}")
}

/// The day (`YYYYMMDD`) and sequence of an order number; None when it is not of the form
/// [`format_number`] makes (the same test as migration 0007's seeding).
pub fn split_number(number: &str) -> Option<(&str, i64)> {
    let (day, seq) = number.strip_prefix("SO-")?.split_once('-')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if day.len() != 8 || !digits(day) || seq.is_empty() || seq.len() > 18 || !digits(seq) {
        return None;
    }
    Some((day, seq.parse().ok()?))
}

/// Which of `numbers` orders already have (an import skips those: importing a file twice
/// makes no second order). Asked one number at a time: an import checks each of its orders
/// once, and the UNIQUE index answers each in one lookup.
pub async fn numbers_taken(conn: &mut Conn, numbers: &[String]) -> StoreResult<Vec<String>> {
    let mut taken = Vec::new();
    for n in numbers {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM orders WHERE number = $1")
            .bind(n)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_some() {
            taken.push(n.clone());
        }
    }
    Ok(taken)
}

/// Whether the customer has any order (a customer with orders is never deleted).
pub async fn any_for_customer(conn: &mut Conn, customer_id: &str) -> StoreResult<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM orders WHERE customer_id = $1 LIMIT 1")
            .bind(customer_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_split_into_their_day_and_sequence() {
        assert_eq!(format_number("20260330", 7), "SO-20260330-0007");
        assert_eq!(format_number("20260330", 10_000), "SO-20260330-10000");
        for seq in [1, 42, 9_999, 10_000, 123_456] {
            let n = format_number("20260330", seq);
            assert_eq!(split_number(&n), Some(("20260330", seq)), "{n}");
        }
        for other in [
            "",
            "SO-",
            "SO-20260330-",
            "SO-2026033-0001",
            "SO-2026-0330-0001",
            "SO-20260330-00x1",
            "PO-20260330-0001",
            "SO-20260330-1234567890123456789",
        ] {
            assert_eq!(split_number(other), None, "{other}");
        }
    }
}
