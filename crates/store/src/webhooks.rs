//! Webhook endpoints: where an admin wants events posted, with the secret that signs them.

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub secret: String,
    /// ",order.created,task.done,"
    pub events: String,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, url, secret, events, active, created_at, updated_at";

pub async fn insert(conn: &mut Conn, w: &Webhook) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO webhooks (id, url, secret, events, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&w.id)
    .bind(&w.url)
    .bind(&w.secret)
    .bind(&w.events)
    .bind(w.active)
    .bind(w.created_at)
    .bind(w.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, id: &str) -> StoreResult<Webhook> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM webhooks WHERE id = $1"
    )))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn list(conn: &mut Conn) -> StoreResult<Vec<Webhook>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM webhooks ORDER BY created_at, id"
    )))
    .fetch_all(&mut *conn)
    .await?)
}

/// The active endpoints that subscribed to `event`.
pub async fn subscribed(conn: &mut Conn, event: &str) -> StoreResult<Vec<Webhook>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM webhooks WHERE active = 1 AND events LIKE $1 ORDER BY id"
    )))
    .bind(format!("%,{event},%"))
    .fetch_all(&mut *conn)
    .await?)
}

/// Removes an endpoint; true when there was one.
pub async fn delete(conn: &mut Conn, id: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM webhooks WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
