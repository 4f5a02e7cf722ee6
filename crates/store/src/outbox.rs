//! The outbox: outgoing messages as rows, written with the change that caused them, claimed
//! atomically by workers (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite's single writer), and
//! marked sent, retried later, or given up on.

use crate::sql::Sql;
use crate::{Backend, Conn, Page, Paging, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Message {
    pub id: String,
    pub idem_key: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub lang: String,
    pub event: String,
    pub customer_id: Option<String>,
    pub contact_id: Option<String>,
    pub task_id: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<i64>,
    pub last_error: String,
    pub sent_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, idem_key, channel, recipient, subject, body, lang, event, \
     customer_id, contact_id, task_id, status, attempts, next_attempt_at, claimed_by, \
     claimed_until, last_error, sent_at, created_at, updated_at";

/// Writes a message unless one with its idempotency key exists; true when written.
pub async fn enqueue(conn: &mut Conn, m: &Message) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO outbox (id, idem_key, channel, recipient, subject, body, lang, event, \
         customer_id, contact_id, task_id, status, attempts, next_attempt_at, claimed_by, \
         claimed_until, last_error, sent_at, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) \
         ON CONFLICT (idem_key) DO NOTHING",
    )
    .bind(&m.id)
    .bind(&m.idem_key)
    .bind(&m.channel)
    .bind(&m.recipient)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(&m.lang)
    .bind(&m.event)
    .bind(&m.customer_id)
    .bind(&m.contact_id)
    .bind(&m.task_id)
    .bind(&m.status)
    .bind(m.attempts)
    .bind(m.next_attempt_at)
    .bind(&m.claimed_by)
    .bind(m.claimed_until)
    .bind(&m.last_error)
    .bind(m.sent_at)
    .bind(m.created_at)
    .bind(m.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the messages whose idempotency keys are not on file yet, many to a statement
/// (a festival campaign queues thousands at once); returns how many were written.
pub async fn enqueue_many(conn: &mut Conn, rows: &[Message]) -> StoreResult<u64> {
    Ok(crate::bulk::insert_rows_once(conn, rows, "idem_key").await?)
}

/// Claims up to `limit` messages for `worker` until `until`: the pending ones that are due and
/// the ones whose earlier claim ran out (a worker that died mid-send). Each claim counts as an
/// attempt. Two workers never get the same row: PostgreSQL skips rows another transaction
/// holds, and SQLite runs one writer at a time.
pub async fn claim(
    conn: &mut Conn,
    worker: &str,
    now: i64,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<Message>> {
    let lock = match Backend::of(conn) {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let mut sql = Sql::new("UPDATE outbox SET status = 'sending', claimed_by = ");
    sql.bind(worker)
        .push(", claimed_until = ")
        .bind(until)
        .push(", attempts = attempts + 1, updated_at = ")
        .bind(now)
        .push(
            " WHERE id IN (SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ",
        )
        .bind(now)
        .push(") OR (status = 'sending' AND claimed_until < ")
        .bind(now)
        .push(") ORDER BY next_attempt_at, id LIMIT ")
        .bind(limit)
        .push(lock)
        .push(") RETURNING ")
        .push(COLUMNS);
    let mut claimed: Vec<Message> = sql.query_as().fetch_all(&mut *conn).await?;
    claimed.sort_by(|a, b| (a.next_attempt_at, &a.id).cmp(&(b.next_attempt_at, &b.id)));
    Ok(claimed)
}

/// Records a send; only the worker holding the claim may (a claim that ran out belongs to
/// whoever took it over). True when recorded.
pub async fn mark_sent(conn: &mut Conn, id: &str, worker: &str, now: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, updated_at = $1, last_error = '', \
         claimed_until = NULL WHERE id = $2 AND claimed_by = $3 AND status = 'sending'",
    )
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a claimed message back: `status` pending (to try again at `next_at`) or dead (given
/// up) or held (never to be sent, e.g. the contact opted out), with the reason.
pub async fn release(
    conn: &mut Conn,
    id: &str,
    worker: &str,
    now: i64,
    status: &str,
    next_at: i64,
    error: &str,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = $1, next_attempt_at = $2, last_error = $3, updated_at = $4, \
         claimed_until = NULL WHERE id = $5 AND claimed_by = $6 AND status = 'sending'",
    )
    .bind(status)
    .bind(next_at)
    .bind(error)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A quiet-hours postponement: back to pending at `next_at`, and the claim not counted as an
/// attempt (nothing was tried).
pub async fn postpone(
    conn: &mut Conn,
    id: &str,
    worker: &str,
    now: i64,
    next_at: i64,
    why: &str,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', next_attempt_at = $1, last_error = $2, \
         attempts = attempts - 1, updated_at = $3, claimed_until = NULL \
         WHERE id = $4 AND claimed_by = $5 AND status = 'sending'",
    )
    .bind(next_at)
    .bind(why)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// [`postpone`] for several messages of one worker's claim in one statement (a claim holds a
/// batch, a couple of hundred at most); returns how many were put back.
pub async fn postpone_all(
    conn: &mut Conn,
    ids: &[String],
    worker: &str,
    now: i64,
    next_at: i64,
    why: &str,
) -> StoreResult<u64> {
    let mut sql = Sql::new(
        "UPDATE outbox SET status = 'pending', attempts = attempts - 1, claimed_until = NULL, \
         next_attempt_at = ",
    );
    sql.bind(next_at)
        .push(", last_error = ")
        .bind(why)
        .push(", updated_at = ")
        .bind(now)
        .push(" WHERE claimed_by = ")
        .bind(worker)
        .push(" AND status = 'sending' AND id IN ")
        .bind_list(ids.iter());
    Ok(sql.query().execute(&mut *conn).await?.rows_affected())
}

/// An admin's retry of a dead message: pending again, now, with its attempts reset.
pub async fn retry(conn: &mut Conn, id: &str, now: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, \
         updated_at = $1 WHERE id = $2 AND status = 'dead'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An admin's discard of a dead message: kept, marked discarded, never sent.
pub async fn discard(conn: &mut Conn, id: &str, now: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'discarded', updated_at = $1 WHERE id = $2 AND status = 'dead'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, id: &str) -> StoreResult<Message> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS).push(" FROM outbox WHERE id = ").bind(id);
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub status: Option<String>,
    pub channel: Option<String>,
    pub customer_id: Option<String>,
}

/// Messages, newest first (the dead-letter list is `status = dead`).
pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    f: &OutboxFilter,
    paging: Paging,
) -> StoreResult<Page<Message>> {
    let mut filter = Sql::new(" FROM outbox WHERE 1 = 1");
    if let Some(v) = &f.status {
        filter.push(" AND status = ").bind(v);
    }
    if let Some(v) = &f.channel {
        filter.push(" AND channel = ").bind(v);
    }
    if let Some(v) = &f.customer_id {
        filter.push(" AND customer_id = ").bind(v);
    }
    let select = format!("SELECT {COLUMNS}");
    crate::fetch_page(
        conn,
        counts,
        &filter,
        &select,
        " ORDER BY created_at DESC, id DESC",
        paging,
    )
    .await
}

/// How many messages are in each status (the outbox page's summary).
pub async fn status_counts(conn: &mut Conn) -> StoreResult<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status")
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// Whether the contact opted out of `channel`.
pub async fn opted_out(conn: &mut Conn, contact_id: &str, channel: &str) -> StoreResult<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM contact_opt_outs WHERE contact_id = $1 AND channel = $2")
            .bind(contact_id)
            .bind(channel)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// The (contact, channel) opt-outs of `contact_ids`, read at once for a batch of messages.
pub async fn opt_outs_of(
    conn: &mut Conn,
    contact_ids: &[String],
) -> StoreResult<Vec<(String, String)>> {
    if contact_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT contact_id, channel FROM contact_opt_outs WHERE contact_id IN ");
    sql.bind_list(contact_ids.iter().cloned());
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Records or withdraws a contact's opt-out of `channel`.
pub async fn set_opt_out(
    conn: &mut Conn,
    contact_id: &str,
    channel: &str,
    out: bool,
    now: i64,
) -> StoreResult<()> {
    if out {
        sqlx::query(
            "INSERT INTO contact_opt_outs (contact_id, channel, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (contact_id, channel) DO NOTHING",
        )
        .bind(contact_id)
        .bind(channel)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("DELETE FROM contact_opt_outs WHERE contact_id = $1 AND channel = $2")
            .bind(contact_id)
            .bind(channel)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
