//! Secondary indexes set aside while a large data set is bulk-loaded and built once at the
//! end, recorded in `deferred_indexes` so an interrupted load gets them back on next start.
//!
//! Inserting rows in customer order into thirty indexes kept in other orders (names, terms,
//! dates) writes a random page of each for every few rows: at a million customers the load
//! was bound by the disk, not by the CPU. Building an index from finished rows is one sort.

use crate::{Conn, StoreError, StoreResult};

/// Drops the indexes of `tables` that no constraint needs (primary keys stay, so rows still
/// join and conflict as usual), recording each definition in the same transaction.
pub async fn set_aside(conn: &mut Conn, tables: &[&str]) -> StoreResult<()> {
    let postgres = crate::Backend::of(conn) == crate::Backend::Postgres;
    let list = tables
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let query = if postgres {
        format!(
            "SELECT indexname::TEXT, indexdef::TEXT FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename IN ({list}) \
             AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
        )
    } else {
        // Indexes behind PRIMARY KEY and UNIQUE constraints have no statement of their own.
        format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ({list}) ORDER BY name"
        )
    };
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(query))
        .fetch_all(&mut *tx)
        .await?;
    for (name, definition) in &indexes {
        sqlx::query("INSERT INTO deferred_indexes (name, definition) VALUES ($1, $2)")
            .bind(name)
            .bind(definition)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {name}")))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Builds every recorded index, each in its own transaction with its record, so whatever
/// was built stays built. Tries all of them and reports every failure. On SQLite the sorts
/// may use two threads and spill to temporary files rather than memory (the biggest index
/// is gigabytes at a million customers); PostgreSQL gets a larger sort budget per build.
pub async fn rebuild(conn: &mut Conn) -> StoreResult<usize> {
    let postgres = crate::Backend::of(conn) == crate::Backend::Postgres;
    let pending: Vec<(String, String)> =
        sqlx::query_as("SELECT name, definition FROM deferred_indexes ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    if pending.is_empty() {
        return Ok(0);
    }
    if !postgres {
        sqlx::query("PRAGMA threads = 2; PRAGMA temp_store = FILE")
            .execute(&mut *conn)
            .await?;
    }
    let mut failures = Vec::new();
    for (name, definition) in &pending {
        if let Err(e) = build_one(conn, postgres, name, definition).await {
            failures.push(format!("{name}: {e}"));
        }
    }
    if !postgres {
        sqlx::query("PRAGMA temp_store = MEMORY")
            .execute(&mut *conn)
            .await?;
    }
    if failures.is_empty() {
        Ok(pending.len())
    } else {
        Err(StoreError::Index(failures.join("; ")))
    }
}

async fn build_one(
    conn: &mut Conn,
    postgres: bool,
    name: &str,
    definition: &str,
) -> StoreResult<()> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    if postgres {
        sqlx::query("SET LOCAL maintenance_work_mem = '512MB'")
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(definition.to_string()))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM deferred_indexes WHERE name = $1")
        .bind(name)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
