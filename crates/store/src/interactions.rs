//! The timeline: interactions with a customer on any channel.

use crate::sql::Sql;
use crate::{Conn, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Interaction {
    pub id: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub channel: String,
    pub direction: String,
    pub user_id: Option<String>,
    pub occurred_at: i64,
    pub summary: String,
    pub created_at: i64,
    /// The task whose outcome this entry records.
    pub task_id: Option<String>,
    /// 1 when a problem was found (on a follow-up or inquiry): flagged for the service desk.
    pub problem: i64,
    /// The outgoing message this entry is, if it is one.
    pub message_id: Option<String>,
}

/// A timeline entry with the names of who took part.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TimelineEntry {
    pub id: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub channel: String,
    pub direction: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub occurred_at: i64,
    pub summary: String,
    pub task_id: Option<String>,
    pub problem: i64,
    pub message_id: Option<String>,
    /// The message's delivery status (pending, sent, dead, …), when the entry is a message.
    pub delivery_status: Option<String>,
}

pub async fn insert(conn: &mut Conn, i: &Interaction) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO interactions (id, customer_id, contact_id, channel, direction, user_id, \
         occurred_at, summary, created_at, task_id, problem, message_id) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
    )
    .bind(&i.id)
    .bind(&i.customer_id)
    .bind(&i.contact_id)
    .bind(&i.channel)
    .bind(&i.direction)
    .bind(&i.user_id)
    .bind(i.occurred_at)
    .bind(&i.summary)
    .bind(i.created_at)
    .bind(&i.task_id)
    .bind(i.problem)
    .bind(&i.message_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The customer whose timeline holds the entry `id`.
pub async fn customer_of(conn: &mut Conn, id: &str) -> StoreResult<String> {
    let (customer_id,): (String,) =
        sqlx::query_as("SELECT customer_id FROM interactions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(customer_id)
}

#[derive(Debug, Clone, Default)]
pub struct TimelineFilter {
    pub channel: Option<String>,
    pub direction: Option<String>,
    pub contact_id: Option<String>,
    pub user_id: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// One customer's timeline, newest first.
pub async fn timeline(
    conn: &mut Conn,
    customer_id: &str,
    f: &TimelineFilter,
    limit: i64,
) -> StoreResult<Vec<TimelineEntry>> {
    let mut sql = Sql::new(
        "SELECT i.id, i.customer_id, i.contact_id, k.name AS contact_name, i.channel, \
         i.direction, i.user_id, u.display_name AS user_name, i.occurred_at, i.summary, i.task_id, i.problem, \
         i.message_id, m.status AS delivery_status \
         FROM interactions i LEFT JOIN contacts k ON k.id = i.contact_id \
         LEFT JOIN users u ON u.id = i.user_id LEFT JOIN outbox m ON m.id = i.message_id \
         WHERE i.customer_id = ",
    );
    sql.bind(customer_id);
    if let Some(v) = &f.channel {
        sql.push(" AND i.channel = ").bind(v);
    }
    if let Some(v) = &f.direction {
        sql.push(" AND i.direction = ").bind(v);
    }
    if let Some(v) = &f.contact_id {
        sql.push(" AND i.contact_id = ").bind(v);
    }
    if let Some(v) = &f.user_id {
        sql.push(" AND i.user_id = ").bind(v);
    }
    if let Some(v) = f.from {
        sql.push(" AND i.occurred_at >= ").bind(v);
    }
    if let Some(v) = f.to {
        sql.push(" AND i.occurred_at < ").bind(v);
    }
    sql.push(" ORDER BY i.occurred_at DESC, i.id DESC LIMIT ")
        .bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}
