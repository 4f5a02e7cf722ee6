//! Streaming multi-row INSERTs for imports: rows are collected into one statement until the
//! next row would pass the backend's limit on bound parameters, then sent in one round trip.

use crate::sql::{Arg, Sql};
use crate::{Backend, Conn, StoreResult};

/// Most bound parameters one statement may carry: SQLite's `SQLITE_MAX_VARIABLE_NUMBER`
/// (32,766 since 3.32) and PostgreSQL's wire-protocol limit (65,535).
pub fn max_params(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 32_766,
        Backend::Postgres => 65_535,
    }
}

/// Rows per statement are also capped: past about a thousand rows a bigger statement saves
/// nothing measurable and only costs parse time and memory.
const MAX_ROWS_PER_STATEMENT: usize = 1_000;

/// One table's pending rows.
pub struct BulkInsert {
    head: String,
    columns: usize,
    max_rows: usize,
    sql: Option<Sql>,
    rows: usize,
    written: usize,
}

impl BulkInsert {
    /// `INSERT INTO table (columns) VALUES …` for `backend`. Table and column names are ours,
    /// never a user's.
    pub fn new(backend: Backend, table: &str, columns: &[&str]) -> BulkInsert {
        let max_rows =
            (max_params(backend) / columns.len().max(1)).clamp(1, MAX_ROWS_PER_STATEMENT);
        BulkInsert {
            head: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            columns: columns.len(),
            max_rows,
            sql: None,
            rows: 0,
            written: 0,
        }
    }

    /// Adds one row (exactly one value per column, in column order); sends the statement
    /// first when it is full.
    pub async fn push(&mut self, conn: &mut Conn, values: Vec<Arg>) -> StoreResult<()> {
        debug_assert_eq!(values.len(), self.columns);
        if self.rows == self.max_rows {
            self.flush(conn).await?;
        }
        let sql = self.sql.get_or_insert_with(|| Sql::new(&self.head));
        if self.rows > 0 {
            sql.push(", ");
        }
        sql.push("(");
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(v);
        }
        sql.push(")");
        self.rows += 1;
        Ok(())
    }

    /// Sends what is pending.
    pub async fn flush(&mut self, conn: &mut Conn) -> StoreResult<()> {
        if let Some(sql) = self.sql.take() {
            sql.query().execute(&mut *conn).await?;
            self.written += self.rows;
            self.rows = 0;
        }
        Ok(())
    }

    /// Rows sent so far.
    pub fn written(&self) -> usize {
        self.written
    }

    pub fn rows_per_statement(&self) -> usize {
        self.max_rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_under_each_backends_bind_limit() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            for cols in [1, 4, 16, 20, 26] {
                let b = BulkInsert::new(backend, "t", &vec!["c"; cols]);
                assert!(b.rows_per_statement() * cols <= max_params(backend));
                assert!(b.rows_per_statement() >= 1);
            }
        }
    }
}
