//! Each user's secret calendar feed: the hash of its URL's token.

use crate::{Conn, StoreResult};

/// Turns the feed on with a new token hash, replacing any earlier one.
pub async fn set(conn: &mut Conn, user_id: &str, token_hash: &str, now: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Turns the feed off; true when it was on.
pub async fn remove(conn: &mut Conn, user_id: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The user whose feed token hashes to `token_hash`.
pub async fn user_of(conn: &mut Conn, token_hash: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// When the user's feed was turned on, if it is.
pub async fn since(conn: &mut Conn, user_id: &str) -> StoreResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}
