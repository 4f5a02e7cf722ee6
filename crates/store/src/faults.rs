//! Fault campaigns (及时纠正): a product's buyers found in one query, the campaign and its
//! customers written many at a time, and its progress read from the tasks it made.

use crate::sql::Sql;
use crate::{Conn, Page, Scope, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct FaultCampaign {
    pub id: String,
    pub product_id: String,
    pub title: String,
    pub notice: String,
    pub order_from: Option<String>,
    pub order_to: Option<String>,
    pub order_numbers: String,
    pub department_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub customers: i64,
}

/// A customer a campaign reaches, exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultCustomer {
    pub campaign_id: String,
    pub customer_id: String,
    pub task_id: Option<String>,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
}

const COLUMNS: &str = "m.id, m.product_id, m.title, m.notice, m.order_from, m.order_to, \
     m.order_numbers, m.department_id, m.created_by, m.created_at, m.customers";

pub async fn insert(conn: &mut Conn, c: &FaultCampaign) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO fault_campaigns (id, product_id, title, notice, order_from, order_to, \
         order_numbers, department_id, created_by, created_at, customers) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&c.id)
    .bind(&c.product_id)
    .bind(&c.title)
    .bind(&c.notice)
    .bind(&c.order_from)
    .bind(&c.order_to)
    .bind(&c.order_numbers)
    .bind(&c.department_id)
    .bind(&c.created_by)
    .bind(c.created_at)
    .bind(c.customers)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_customers(conn: &mut Conn, id: &str, n: i64) -> StoreResult<()> {
    sqlx::query("UPDATE fault_campaigns SET customers = $1 WHERE id = $2")
        .bind(n)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A customer who bought the product, with the owner its task goes to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Buyer {
    pub customer_id: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
}

/// What a campaign covers: the product, and optionally a range of order days and order
/// numbers; cancelled orders never count.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub product_id: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub numbers: Vec<String>,
}

/// Every customer within `scope` with an order of the batch, once each, in id order. The
/// product's lines are read off the (product, order) index and joined to their orders, so
/// the work grows with the product's lines, not with all lines.
pub async fn buyers(conn: &mut Conn, scope: &Scope, b: &Batch) -> StoreResult<Vec<Buyer>> {
    let mut sql = Sql::new(
        "SELECT c.id AS customer_id, c.owner_id, c.department_id FROM customers c \
         WHERE c.id IN (SELECT o.customer_id FROM order_lines l \
         JOIN orders o ON o.id = l.order_id WHERE l.product_id = ",
    );
    sql.bind(b.product_id.as_str())
        .push(" AND o.status <> 'cancelled'");
    if let Some(f) = &b.from {
        sql.push(" AND o.order_date >= ").bind(f.as_str());
    }
    if let Some(t) = &b.to {
        sql.push(" AND o.order_date <= ").bind(t.as_str());
    }
    if !b.numbers.is_empty() {
        sql.push(" AND o.number IN ")
            .bind_list(b.numbers.iter().cloned());
    }
    sql.push(")");
    scope.push_condition(&mut sql, "c");
    sql.push(" ORDER BY c.id");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

pub async fn insert_customers(conn: &mut Conn, rows: &[FaultCustomer]) -> StoreResult<()> {
    Ok(crate::bulk::insert_rows(conn, rows).await?)
}

/// A campaign, if the caller may see it: admins every one, others one they made or that
/// reaches a customer of theirs (their department's, for a manager).
pub async fn get(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<FaultCampaign> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM fault_campaigns m WHERE m.id = ")
        .bind(id);
    push_visible(&mut sql, scope);
    sql.query_as()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

fn push_visible(sql: &mut Sql, scope: &Scope) {
    if *scope == Scope::All {
        return;
    }
    sql.push(" AND EXISTS (SELECT 1 FROM fault_customers f WHERE f.campaign_id = m.id");
    scope.push_owner_condition(sql, "f");
    sql.push(")");
}

/// The campaigns the caller may see, newest first.
pub async fn list(
    conn: &mut Conn,
    scope: &Scope,
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<FaultCampaign>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM fault_campaigns m WHERE 1 = 1");
    push_visible(&mut sql, scope);
    sql.push(" ORDER BY m.created_at DESC, m.id LIMIT ")
        .bind(limit)
        .push(" OFFSET ")
        .bind(offset);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// (task status, outcome, count) over the campaign's customers the caller may see.
pub async fn progress(
    conn: &mut Conn,
    scope: &Scope,
    id: &str,
) -> StoreResult<Vec<(String, Option<String>, i64)>> {
    let mut sql = Sql::new(
        "SELECT t.status, t.outcome, COUNT(*) FROM fault_customers f \
         JOIN tasks t ON t.id = f.task_id WHERE f.campaign_id = ",
    );
    sql.bind(id);
    scope.push_owner_condition(&mut sql, "f");
    sql.push(" GROUP BY t.status, t.outcome");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// One customer of a campaign with where its call stands.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Reached {
    pub customer_id: String,
    pub customer_name: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub task_id: Option<String>,
    pub status: Option<String>,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
}

/// A page of the campaign's customers the caller may see, by customer name.
pub async fn customers(
    conn: &mut Conn,
    scope: &Scope,
    id: &str,
    page: i64,
    per_page: i64,
) -> StoreResult<Page<Reached>> {
    let mut filter = Sql::new(" WHERE f.campaign_id = ");
    filter.bind(id);
    scope.push_owner_condition(&mut filter, "f");
    let count = filter.prefixed("SELECT COUNT(*) FROM fault_customers f");
    let total: i64 = count.query_scalar().fetch_one(&mut *conn).await?;
    let mut sql = filter.prefixed(
        "SELECT f.customer_id, c.name AS customer_name, f.owner_id, \
         u.display_name AS owner_name, f.task_id, t.status, t.outcome, \
         t.outcome_note FROM fault_customers f JOIN customers c ON c.id = f.customer_id \
         LEFT JOIN users u ON u.id = f.owner_id LEFT JOIN tasks t ON t.id = f.task_id",
    );
    sql.push(" ORDER BY c.name, f.customer_id LIMIT ")
        .bind(per_page)
        .push(" OFFSET ")
        .bind((page.max(1) - 1).saturating_mul(per_page));
    let items = sql.query_as().fetch_all(&mut *conn).await?;
    Ok(Page {
        items,
        total,
        total_capped: false,
        page: page.max(1),
        per_page,
    })
}
