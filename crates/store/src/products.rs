//! The product catalogue and its categories.

use crate::sql::Sql;
use crate::{Conn, Page, StoreError, StoreResult};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Product {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub category_id: Option<String>,
    pub unit: String,
    pub price_fen: i64,
    pub currency: String,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ProductListItem {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub category_id: Option<String>,
    pub category_name: Option<String>,
    pub unit: String,
    pub price_fen: i64,
    pub currency: String,
    pub active: i64,
}

pub async fn insert_category(conn: &mut Conn, c: &Category) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO product_categories (id, name, parent_id, created_at) VALUES ($1,$2,$3,$4)",
    )
    .bind(&c.id)
    .bind(&c.name)
    .bind(&c.parent_id)
    .bind(c.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn categories(conn: &mut Conn) -> StoreResult<Vec<Category>> {
    Ok(sqlx::query_as(
        "SELECT id, name, parent_id, created_at FROM product_categories ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn insert(conn: &mut Conn, p: &Product) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO products (id, sku, name, category_id, unit, price_fen, currency, active, \
         created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
    )
    .bind(&p.id)
    .bind(&p.sku)
    .bind(&p.name)
    .bind(&p.category_id)
    .bind(&p.unit)
    .bind(p.price_fen)
    .bind(&p.currency)
    .bind(p.active)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn update(conn: &mut Conn, p: &Product) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE products SET sku = $1, name = $2, category_id = $3, unit = $4, price_fen = $5, \
         currency = $6, active = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&p.sku)
    .bind(&p.name)
    .bind(&p.category_id)
    .bind(&p.unit)
    .bind(p.price_fen)
    .bind(&p.currency)
    .bind(p.active)
    .bind(p.updated_at)
    .bind(&p.id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, id: &str) -> StoreResult<Product> {
    Ok(sqlx::query_as(
        "SELECT id, sku, name, category_id, unit, price_fen, currency, active, created_at, \
         updated_at FROM products WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// The product with this SKU (product code), if any.
pub async fn find_by_sku(conn: &mut Conn, sku: &str) -> StoreResult<Option<Product>> {
    Ok(sqlx::query_as(
        "SELECT id, sku, name, category_id, unit, price_fen, currency, active, created_at, \
         updated_at FROM products WHERE sku = $1",
    )
    .bind(sku)
    .fetch_optional(&mut *conn)
    .await?)
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub category_id: Option<String>,
    /// Name or SKU contains this text.
    pub text: Option<String>,
    pub active_only: bool,
}

fn filter_sql(f: &ProductFilter) -> Sql {
    let mut sql = Sql::new(
        " FROM products p LEFT JOIN product_categories pc ON pc.id = p.category_id WHERE 1 = 1",
    );
    if let Some(v) = &f.category_id {
        sql.push(" AND p.category_id = ").bind(v);
    }
    if let Some(v) = &f.text {
        let pattern = format!("%{}%", v.to_lowercase());
        sql.push(" AND (LOWER(p.name) LIKE ")
            .bind(pattern.clone())
            .push(" OR LOWER(p.sku) LIKE ")
            .bind(pattern)
            .push(")");
    }
    if f.active_only {
        sql.push(" AND p.active = 1");
    }
    sql
}

const LIST_COLUMNS: &str = "SELECT p.id, p.sku, p.name, p.category_id, pc.name AS category_name, \
    p.unit, p.price_fen, p.currency, p.active";

pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    f: &ProductFilter,
    sort: &str,
    desc: bool,
    paging: crate::Paging,
) -> StoreResult<Page<ProductListItem>> {
    let order = order_by(sort, desc);
    crate::fetch_page(conn, counts, &filter_sql(f), LIST_COLUMNS, order, paging).await
}

pub async fn list_all(
    conn: &mut Conn,
    f: &ProductFilter,
    limit: i64,
) -> StoreResult<Vec<ProductListItem>> {
    let mut sql = filter_sql(f).prefixed(LIST_COLUMNS);
    sql.push(order_by("name", false))
        .push(" LIMIT ")
        .bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

fn order_by(sort: &str, desc: bool) -> &'static str {
    match (sort, desc) {
        ("sku", false) => " ORDER BY p.sku ASC",
        ("sku", true) => " ORDER BY p.sku DESC",
        ("price", false) => " ORDER BY p.price_fen ASC, p.name ASC",
        ("price", true) => " ORDER BY p.price_fen DESC, p.name ASC",
        ("category", false) => " ORDER BY pc.name ASC, p.name ASC",
        ("category", true) => " ORDER BY pc.name DESC, p.name ASC",
        (_, true) => " ORDER BY p.name DESC, p.id DESC",
        _ => " ORDER BY p.name ASC, p.id ASC",
    }
}
