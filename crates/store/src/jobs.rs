//! Scheduled job runs: one row per (job, time slot), inserted to claim the slot, so with
//! several instances on one database each slot runs exactly once.

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct JobRun {
    pub job: String,
    pub slot: String,
    pub instance: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub outcome: Option<String>,
    pub summary: String,
}

/// Claims `slot` of `job` for this instance: true when this call inserted the row (run it),
/// false when the slot was claimed already (by this or another instance).
pub async fn claim(
    conn: &mut Conn,
    job: &str,
    slot: &str,
    instance: &str,
    now: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO job_runs (job, slot, instance, started_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (job, slot) DO NOTHING",
    )
    .bind(job)
    .bind(slot)
    .bind(instance)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records how a claimed run ended.
pub async fn finish(
    conn: &mut Conn,
    job: &str,
    slot: &str,
    now: i64,
    outcome: &str,
    summary: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE job_runs SET finished_at = $1, outcome = $2, summary = $3 \
         WHERE job = $4 AND slot = $5",
    )
    .bind(now)
    .bind(outcome)
    .bind(summary)
    .bind(job)
    .bind(slot)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The latest run of `job`, if it ever ran.
pub async fn last(conn: &mut Conn, job: &str) -> StoreResult<Option<JobRun>> {
    Ok(sqlx::query_as(
        "SELECT job, slot, instance, started_at, finished_at, outcome, summary FROM job_runs \
         WHERE job = $1 ORDER BY started_at DESC, slot DESC LIMIT 1",
    )
    .bind(job)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Every run of `job` for `slot` (at most one: the tests count them).
pub async fn runs_of(conn: &mut Conn, job: &str, slot: &str) -> StoreResult<Vec<JobRun>> {
    Ok(sqlx::query_as(
        "SELECT job, slot, instance, started_at, finished_at, outcome, summary FROM job_runs \
         WHERE job = $1 AND slot = $2",
    )
    .bind(job)
    .bind(slot)
    .fetch_all(&mut *conn)
    .await?)
}
