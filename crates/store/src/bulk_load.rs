//! The database side of a bulk load into an empty database (the demo data): the connection's
//! settings for its length, the transactions it writes in, and fresh statistics after it.

use sqlx::Connection;

use crate::{Backend, Conn, StoreResult};

/// Settings changed for a load, restored by [`end`].
pub struct Session {
    /// SQLite's `synchronous` level before the load, when it was relaxed.
    previous_sync: Option<i64>,
}

/// Relaxes SQLite's durability on a file database for the load: a crash half-way leaves a
/// demo database to be made again, not customers' data. The connection is closed rather than
/// returned to the pool if the load is dropped before [`end`], so the setting cannot leak.
pub async fn begin(conn: &mut sqlx::pool::PoolConnection<sqlx::Any>) -> StoreResult<Session> {
    if Backend::of(conn) != Backend::Sqlite || !sqlite_is_file(conn).await? {
        return Ok(Session {
            previous_sync: None,
        });
    }
    let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut **conn)
        .await?;
    conn.close_on_drop();
    sqlx::query("PRAGMA synchronous = OFF")
        .execute(&mut **conn)
        .await?;
    // A bigger page cache keeps more of the growing indexes in memory; it is freed with the
    // connection.
    sqlx::query("PRAGMA cache_size = -1048576")
        .execute(&mut **conn)
        .await?;
    Ok(Session {
        previous_sync: Some(level),
    })
}

/// Puts back what [`begin`] changed.
pub async fn end(conn: &mut Conn, session: Session) -> StoreResult<()> {
    if let Some(level) = session.previous_sync {
        let restore = match level {
            0 => "PRAGMA synchronous = OFF",
            1 => "PRAGMA synchronous = NORMAL",
            3 => "PRAGMA synchronous = EXTRA",
            _ => "PRAGMA synchronous = FULL",
        };
        sqlx::query(restore).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A transaction of the load. On SQLite it takes the write lock up front, so another writer
/// cannot make the load fail half-way.
pub async fn transaction(conn: &mut Conn) -> StoreResult<sqlx::Transaction<'_, sqlx::Any>> {
    let begin = match Backend::of(conn) {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
    Ok(conn.begin_with(begin).await?)
}

/// Fresh statistics after the load, so the planners pick the indexes the lists rely on.
///
/// On SQLite the tables the lists filter are analysed in full: a sampled ANALYZE
/// (analysis_limit) guessed ~1,000 customers per department where there are 250,000, and
/// the planner then drove queries from the department index. The two biggest tables are
/// sampled, which keeps this to seconds on a million customers. The write-ahead log is then
/// folded into the file rather than left, gigabytes of it, for the first reader to replay.
///
/// On PostgreSQL, VACUUM as well: it marks the freshly written pages all-visible, without
/// which the list counts and searches cannot be answered from their indexes alone until
/// autovacuum gets round to tables this size.
pub async fn analyze(conn: &mut Conn) -> StoreResult<()> {
    if Backend::of(conn) == Backend::Postgres {
        sqlx::query("VACUUM ANALYZE").execute(&mut *conn).await?;
        return Ok(());
    }
    for table in [
        "users",
        "departments",
        "customers",
        "customer_shares",
        "contacts",
        "interactions",
        "orders",
        "products",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {table}")))
            .execute(&mut *conn)
            .await?;
    }
    for statement in [
        "PRAGMA analysis_limit = 1000",
        "ANALYZE search_terms",
        "ANALYZE order_lines",
        "ANALYZE tasks",
        "PRAGMA wal_checkpoint(TRUNCATE)",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}

/// True unless the main database is in memory (where durability settings mean nothing).
async fn sqlite_is_file(conn: &mut Conn) -> StoreResult<bool> {
    let file: Option<String> =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(file.is_some_and(|f| !f.is_empty()))
}
