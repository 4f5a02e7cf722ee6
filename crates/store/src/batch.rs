//! Streaming multi-row INSERTs for imports: rows are collected into one statement until the
//! next row would pass the backend's limit on bound parameters, then sent in one round trip.
//!
//! Placeholders are `?` on SQLite and `$n` on PostgreSQL. SQLite treats `$n` as a *named*
//! parameter and looks each one up in a list while preparing, which costs time quadratic in the
//! number of parameters: a 20,000-parameter statement spent most of its time being prepared.
//! Anonymous `?` are numbered as they come.

use sqlx::AssertSqlSafe;

use crate::sql::Arg;
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
    backend: Backend,
    head: String,
    columns: usize,
    max_rows: usize,
    text: String,
    args: Vec<Arg>,
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
            backend,
            head: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            columns: columns.len(),
            max_rows,
            text: String::new(),
            args: Vec::new(),
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
        if self.rows == 0 {
            self.text.clear();
            self.text.push_str(&self.head);
        } else {
            self.text.push_str(", ");
        }
        self.text.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.args.push(v);
            match self.backend {
                Backend::Sqlite => self.text.push('?'),
                Backend::Postgres => {
                    self.text.push('$');
                    self.text.push_str(&self.args.len().to_string());
                }
            }
        }
        self.text.push(')');
        self.rows += 1;
        Ok(())
    }

    /// Sends what is pending.
    pub async fn flush(&mut self, conn: &mut Conn) -> StoreResult<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut q = sqlx::query(AssertSqlSafe(self.text.as_str()));
        for a in self.args.drain(..) {
            q = match a {
                Arg::Text(s) => q.bind(s),
                Arg::Int(v) => q.bind(v),
                Arg::OptText(v) => q.bind(v),
                Arg::OptInt(v) => q.bind(v),
            };
        }
        q.execute(&mut *conn).await?;
        self.written += self.rows;
        self.rows = 0;
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
