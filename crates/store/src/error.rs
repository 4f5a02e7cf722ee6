//! Storage errors: the kinds a caller acts on (not found, conflict) and everything else.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    /// A unique constraint refused the write; the string names the constraint or column.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record changed since the caller read it (optimistic locking on `version`).
    #[error("the record was changed by someone else")]
    Stale,
    #[error("database error: {0}")]
    Db(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("bad database URL: {0}")]
    BadUrl(String),
    /// Indexes set aside for a bulk load that could not be built again (name: reason; …).
    #[error("indexes could not be built: {0}")]
    Index(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(ref db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_string())
            }
            other => StoreError::Db(other),
        }
    }
}
