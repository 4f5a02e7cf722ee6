//! Secondary indexes set aside while a demo set is bulk-loaded and built once at the end.
//!
//! Inserting rows in customer order into thirty indexes kept in other orders (names, terms,
//! dates) writes a random page of each for every few rows: at a million customers the load
//! was bound by the disk, not by the CPU. Building an index from finished rows is one sort.

use sqlx::AnyConnection;

/// The tables a demo load fills in bulk.
const TABLES: &[&str] = &[
    "customers",
    "contacts",
    "interactions",
    "orders",
    "order_lines",
    "search_terms",
];

/// Indexes dropped by [`DeferredIndexes::drop`], with the statements that make them again.
#[derive(Debug, Default)]
pub struct DeferredIndexes {
    /// (name, CREATE INDEX statement) in catalogue order.
    indexes: Vec<(String, String)>,
}

impl DeferredIndexes {
    /// Drops the indexes of the bulk tables that no constraint needs (primary keys stay, so
    /// rows still join and conflict as usual), remembering their definitions.
    pub async fn drop(conn: &mut AnyConnection, sqlite: bool) -> Result<Self, sqlx::Error> {
        let list = TABLES
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let query = if sqlite {
            // Indexes behind PRIMARY KEY and UNIQUE constraints have no statement of their own.
            format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
                 AND tbl_name IN ({list}) ORDER BY name"
            )
        } else {
            format!(
                "SELECT indexname::TEXT, indexdef::TEXT FROM pg_indexes \
                 WHERE schemaname = current_schema() AND tablename IN ({list}) \
                 AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
            )
        };
        let indexes: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(query))
            .fetch_all(&mut *conn)
            .await?;
        for (name, _) in &indexes {
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {name}")))
                .execute(&mut *conn)
                .await?;
        }
        Ok(DeferredIndexes { indexes })
    }

    /// Builds every dropped index again. On SQLite the sorts may use both cores and spill to
    /// temporary files rather than memory (the biggest index is gigabytes at a million
    /// customers); PostgreSQL gets a larger sort budget for this connection only.
    pub async fn restore(self, conn: &mut AnyConnection, sqlite: bool) -> Result<(), sqlx::Error> {
        if self.indexes.is_empty() {
            return Ok(());
        }
        let (before, after): (&[&str], &[&str]) = if sqlite {
            (
                &["PRAGMA threads = 2", "PRAGMA temp_store = FILE"],
                &["PRAGMA temp_store = MEMORY"],
            )
        } else {
            (
                &["SET maintenance_work_mem = '512MB'"],
                &["RESET maintenance_work_mem"],
            )
        };
        for statement in before {
            sqlx::query(*statement).execute(&mut *conn).await?;
        }
        for (_, create) in self.indexes {
            sqlx::query(sqlx::AssertSqlSafe(create))
                .execute(&mut *conn)
                .await?;
        }
        for statement in after {
            sqlx::query(*statement).execute(&mut *conn).await?;
        }
        Ok(())
    }
}
