//! Message templates as admins saved them, per kind and language.

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct MessageTemplate {
    pub kind: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

pub async fn get(conn: &mut Conn, kind: &str, lang: &str) -> StoreResult<Option<MessageTemplate>> {
    Ok(sqlx::query_as(
        "SELECT kind, lang, subject, body, updated_by, updated_at FROM message_templates \
         WHERE kind = $1 AND lang = $2",
    )
    .bind(kind)
    .bind(lang)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn upsert(conn: &mut Conn, t: &MessageTemplate) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO message_templates (kind, lang, subject, body, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, lang) DO UPDATE SET \
         subject = $3, body = $4, updated_by = $5, updated_at = $6",
    )
    .bind(&t.kind)
    .bind(&t.lang)
    .bind(&t.subject)
    .bind(&t.body)
    .bind(&t.updated_by)
    .bind(t.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
