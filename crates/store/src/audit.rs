//! The audit log: who changed which record when, with the record before and after.

use crate::{Conn, StoreResult, new_id};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub at: i64,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

pub struct NewAudit<'a> {
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub at: i64,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(conn: &mut Conn, a: NewAudit<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, entity, entity_id, action, actor_id, actor_name, at, \
         before_json, after_json) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
    )
    .bind(new_id())
    .bind(a.entity)
    .bind(a.entity_id)
    .bind(a.action)
    .bind(a.actor_id)
    .bind(a.actor_name)
    .bind(a.at)
    .bind(a.before.map(|v| v.to_string()))
    .bind(a.after.map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// History of one record, newest first. `entity_ids` lets a customer's history include
/// its contacts' changes.
pub async fn for_records(
    conn: &mut Conn,
    entity_ids: &[String],
    limit: i64,
) -> StoreResult<Vec<AuditEntry>> {
    let mut sql = crate::Sql::new(
        "SELECT id, entity, entity_id, action, actor_id, actor_name, at, before_json, \
         after_json FROM audit_log WHERE entity_id IN ",
    );
    sql.bind_list(entity_ids.iter())
        .push(" ORDER BY at DESC, id DESC LIMIT ")
        .bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}
