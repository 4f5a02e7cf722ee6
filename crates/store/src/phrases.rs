//! Words not to use as admins keep them.

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct PhraseRow {
    pub id: String,
    pub phrase: String,
    pub lang: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub better_zh: String,
    pub better_en: String,
    /// One innocent wording per line.
    pub innocent: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, phrase, lang, reason_zh, reason_en, better_zh, better_en, innocent, \
     created_at, updated_at";

pub async fn list(conn: &mut Conn) -> StoreResult<Vec<PhraseRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM forbidden_phrases ORDER BY lang DESC, created_at, id"
    )))
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn get(conn: &mut Conn, id: &str) -> StoreResult<PhraseRow> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM forbidden_phrases WHERE id = $1"
    )))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Inserts or replaces a phrase by id.
pub async fn upsert(conn: &mut Conn, p: &PhraseRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO forbidden_phrases (id, phrase, lang, reason_zh, reason_en, better_zh, \
         better_en, innocent, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) \
         ON CONFLICT (id) DO UPDATE SET phrase = $2, lang = $3, reason_zh = $4, reason_en = $5, \
         better_zh = $6, better_en = $7, innocent = $8, updated_at = $10",
    )
    .bind(&p.id)
    .bind(&p.phrase)
    .bind(&p.lang)
    .bind(&p.reason_zh)
    .bind(&p.reason_en)
    .bind(&p.better_zh)
    .bind(&p.better_en)
    .bind(&p.innocent)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, id: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM forbidden_phrases WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
