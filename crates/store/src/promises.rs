//! Promises made to customers: recorded, listed, closed as kept or broken, found when overdue,
//! and counted as broken per owner and month.

use crate::sql::Sql;
use crate::{Conn, Page, Paging, Scope, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Promise {
    pub id: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub what: String,
    pub to_whom: String,
    pub due_date: String,
    pub interaction_id: Option<String>,
    pub task_id: Option<String>,
    pub status: String,
    pub broken_on: Option<String>,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub note: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A promise with the names a list shows.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PromiseItem {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub what: String,
    pub to_whom: String,
    pub due_date: String,
    pub status: String,
    pub broken_on: Option<String>,
    pub closed_at: Option<i64>,
    pub note: String,
    pub created_at: i64,
}

const COLUMNS: &str = "p.id, p.customer_id, p.contact_id, p.owner_id, p.department_id, p.what, \
     p.to_whom, p.due_date, p.interaction_id, p.task_id, p.status, p.broken_on, p.closed_at, \
     p.closed_by, p.note, p.created_by, p.created_at, p.updated_at";

pub async fn insert(conn: &mut Conn, p: &Promise) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO promises (id, customer_id, contact_id, owner_id, department_id, what, \
         to_whom, due_date, interaction_id, task_id, status, broken_on, closed_at, closed_by, \
         note, created_by, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)",
    )
    .bind(&p.id)
    .bind(&p.customer_id)
    .bind(&p.contact_id)
    .bind(&p.owner_id)
    .bind(&p.department_id)
    .bind(&p.what)
    .bind(&p.to_whom)
    .bind(&p.due_date)
    .bind(&p.interaction_id)
    .bind(&p.task_id)
    .bind(&p.status)
    .bind(&p.broken_on)
    .bind(p.closed_at)
    .bind(&p.closed_by)
    .bind(&p.note)
    .bind(&p.created_by)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes back what changes on a promise: its status, the day it broke, how it closed.
pub async fn update(conn: &mut Conn, p: &Promise) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE promises SET status = $1, broken_on = $2, closed_at = $3, closed_by = $4, \
         note = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&p.status)
    .bind(&p.broken_on)
    .bind(p.closed_at)
    .bind(&p.closed_by)
    .bind(&p.note)
    .bind(p.updated_at)
    .bind(&p.id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

/// The promise if its customer is visible to `scope`.
pub async fn get(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Promise> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM promises p JOIN customers c ON c.id = p.customer_id WHERE p.id = ")
        .bind(id);
    scope.push_condition(&mut sql, "c");
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

const ITEM_SELECT: &str = "SELECT p.id, p.customer_id, c.name AS customer_name, p.contact_id, \
     k.name AS contact_name, p.owner_id, u.display_name AS owner_name, p.what, p.to_whom, \
     p.due_date, p.status, p.broken_on, p.closed_at, p.note, p.created_at";

const ITEM_FROM: &str = " FROM promises p JOIN customers c ON c.id = p.customer_id \
     LEFT JOIN contacts k ON k.id = p.contact_id LEFT JOIN users u ON u.id = p.owner_id \
     WHERE 1 = 1";

/// One promise with its names, if its customer is visible to `scope`.
pub async fn item(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<PromiseItem> {
    let mut sql = Sql::new(ITEM_SELECT);
    sql.push(ITEM_FROM).push(" AND p.id = ").bind(id);
    scope.push_condition(&mut sql, "c");
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

#[derive(Debug, Clone, Default)]
pub struct PromiseFilter {
    pub owner_id: Option<String>,
    pub customer_id: Option<String>,
    pub status: Option<String>,
    /// Open and due before this day.
    pub overdue_on: Option<String>,
}

/// One page of the promises of customers visible to `scope`, earliest due first.
pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    scope: &Scope,
    f: &PromiseFilter,
    paging: Paging,
) -> StoreResult<Page<PromiseItem>> {
    let mut filter = Sql::new(ITEM_FROM);
    if let Some(v) = &f.owner_id {
        filter.push(" AND p.owner_id = ").bind(v);
    }
    if let Some(v) = &f.customer_id {
        filter.push(" AND p.customer_id = ").bind(v);
    }
    if let Some(v) = &f.status {
        filter.push(" AND p.status = ").bind(v);
    }
    if let Some(v) = &f.overdue_on {
        filter
            .push(" AND p.status = 'open' AND p.due_date < ")
            .bind(v);
    }
    scope.push_condition(&mut filter, "c");
    crate::fetch_page(
        conn,
        counts,
        &filter,
        ITEM_SELECT,
        " ORDER BY p.due_date, p.id",
        paging,
    )
    .await
}

/// Open promises due before `day` that have not been counted as broken yet.
pub async fn newly_overdue(conn: &mut Conn, day: &str) -> StoreResult<Vec<Promise>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM promises p WHERE p.status = 'open' AND p.broken_on IS NULL AND p.due_date < ")
        .bind(day)
        .push(" ORDER BY p.due_date, p.id");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Broken promises per owner whose day of breaking falls in `from..=to` (YYYY-MM-DD), for
/// owners in `department` (or everyone): (owner id, owner name, count), most first.
pub async fn broken_per_owner(
    conn: &mut Conn,
    department: Option<&str>,
    owner: Option<&str>,
    from: &str,
    to: &str,
) -> StoreResult<Vec<(String, String, i64)>> {
    let mut sql = Sql::new(
        "SELECT p.owner_id, u.display_name, COUNT(*) FROM promises p \
         JOIN users u ON u.id = p.owner_id WHERE p.broken_on >= ",
    );
    sql.bind(from).push(" AND p.broken_on <= ").bind(to);
    if let Some(d) = department {
        sql.push(" AND p.department_id = ").bind(d);
    }
    if let Some(o) = owner {
        sql.push(" AND p.owner_id = ").bind(o);
    }
    sql.push(" GROUP BY p.owner_id, u.display_name ORDER BY COUNT(*) DESC, u.display_name");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}
