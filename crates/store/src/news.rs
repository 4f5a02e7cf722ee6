//! New-product news: who bought from the related categories (the audience, read in keyset
//! pages within the caller's customers), and the record of each announcement.

use crate::scope::Scope;
use crate::sql::Sql;
use crate::{Conn, StoreResult};

/// A customer who bought from the categories, with the contact the news goes to: the
/// customer's first contact, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub customer_id: String,
    pub customer_name: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub address: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub contact_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub preferred_channel: Option<String>,
}

/// Who to tell of `product`: customers with an order that was not cancelled of a product in
/// `categories` (since `from`, if given), who have not bought `product` itself; after
/// customer id `after`, `limit` of them in id order.
pub async fn audience_page(
    conn: &mut Conn,
    scope: &Scope,
    product: &str,
    categories: &[String],
    from: Option<&str>,
    after: &str,
    limit: i64,
) -> StoreResult<Vec<Recipient>> {
    if categories.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT c.id AS customer_id, c.name AS customer_name, c.owner_id, c.department_id, \
         c.address, k.id AS contact_id, k.name AS contact_name, k.title AS contact_title, \
         k.email, k.phone, k.preferred_channel \
         FROM customers c \
         LEFT JOIN contacts k ON k.id = (SELECT k2.id FROM contacts k2 \
         WHERE k2.customer_id = c.id ORDER BY k2.created_at, k2.id LIMIT 1) \
         WHERE c.id IN (SELECT o.customer_id FROM order_lines l \
         JOIN orders o ON o.id = l.order_id \
         WHERE l.product_id IN (SELECT p.id FROM products p WHERE p.category_id IN ",
    );
    sql.bind_list(categories.iter().cloned())
        .push(") AND o.status <> 'cancelled'");
    if let Some(f) = from {
        sql.push(" AND o.order_date >= ").bind(f);
    }
    sql.push(
        ") AND c.id NOT IN (SELECT o.customer_id FROM order_lines l \
         JOIN orders o ON o.id = l.order_id WHERE l.product_id = ",
    )
    .bind(product)
    .push(" AND o.status <> 'cancelled') AND c.id > ")
    .bind(after);
    scope.push_condition(&mut sql, "c");
    sql.push(" ORDER BY c.id LIMIT ").bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// One announcement and what it did.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct News {
    pub id: String,
    pub product_id: String,
    pub categories: String,
    pub bought_from: Option<String>,
    pub action: String,
    pub created_by: Option<String>,
    pub customers: i64,
    pub sent: i64,
    pub tasks: i64,
    pub skipped: i64,
    pub created_at: i64,
}

pub async fn insert(conn: &mut Conn, n: &News) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO product_news (id, product_id, categories, bought_from, action, created_by, \
         customers, sent, tasks, skipped, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
    )
    .bind(&n.id)
    .bind(&n.product_id)
    .bind(&n.categories)
    .bind(&n.bought_from)
    .bind(&n.action)
    .bind(&n.created_by)
    .bind(n.customers)
    .bind(n.sent)
    .bind(n.tasks)
    .bind(n.skipped)
    .bind(n.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A product's announcements, newest first (the last 100).
pub async fn of_product(conn: &mut Conn, product: &str) -> StoreResult<Vec<News>> {
    Ok(sqlx::query_as(
        "SELECT id, product_id, categories, bought_from, action, created_by, customers, sent, \
         tasks, skipped, created_at FROM product_news WHERE product_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT 100",
    )
    .bind(product)
    .fetch_all(&mut *conn)
    .await?)
}

/// Which of `keys` the outbox already holds.
pub async fn queued_keys(conn: &mut Conn, keys: &[String]) -> StoreResult<Vec<String>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT idem_key FROM outbox WHERE idem_key IN ");
    sql.bind_list(keys.iter().cloned());
    Ok(sql.query_scalar().fetch_all(&mut *conn).await?)
}
