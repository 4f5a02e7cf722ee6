//! Opening the database chosen by URL, tuning each connection, and migrating the schema.

use std::borrow::Cow;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions, Executor, SqlStr};

use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl(
                "expected sqlite://PATH or postgres://USER@HOST/DB".to_string(),
            ))
        }
    }

    /// The backend a connection talks to (the one place its driver's name is read).
    pub fn of(conn: &sqlx::AnyConnection) -> Backend {
        if conn.backend_name() == "PostgreSQL" {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The schema, embedded in the binary so it migrates itself on start. One list for both
/// backends: the files stay in the portable SQL subset.
pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../../../migrations/0001_foundation.sql"),
    ),
    (
        2,
        "list_indexes",
        include_str!("../../../migrations/0002_list_indexes.sql"),
    ),
    (
        3,
        "count_indexes",
        include_str!("../../../migrations/0003_count_indexes.sql"),
    ),
    (
        4,
        "scoped_lists",
        include_str!("../../../migrations/0004_scoped_lists.sql"),
    ),
    (
        5,
        "scoped_search",
        include_str!("../../../migrations/0005_scoped_search.sql"),
    ),
    (
        6,
        "deferred_indexes",
        include_str!("../../../migrations/0006_deferred_indexes.sql"),
    ),
    (
        7,
        "order_numbers",
        include_str!("../../../migrations/0007_order_numbers.sql"),
    ),
    (
        8,
        "tasks",
        include_str!("../../../migrations/0008_tasks.sql"),
    ),
    (
        9,
        "outbox",
        include_str!("../../../migrations/0009_outbox.sql"),
    ),
    (
        10,
        "promises",
        include_str!("../../../migrations/0010_promises.sql"),
    ),
    (
        11,
        "calendar_feeds",
        include_str!("../../../migrations/0011_calendar_feeds.sql"),
    ),
    (
        12,
        "message_templates",
        include_str!("../../../migrations/0012_message_templates.sql"),
    ),
    (
        13,
        "forbidden_phrases",
        include_str!("../../../migrations/0013_forbidden_phrases.sql"),
    ),
    (
        14,
        "user_email",
        include_str!("../../../migrations/0014_user_email.sql"),
    ),
    (
        15,
        "today_at_scale",
        include_str!("../../../migrations/0015_today_at_scale.sql"),
    ),
    (
        16,
        "task_indexes",
        include_str!("../../../migrations/0016_task_indexes.sql"),
    ),
    (
        17,
        "greetings",
        include_str!("../../../migrations/0017_greetings.sql"),
    ),
    (
        18,
        "fault_campaigns",
        include_str!("../../../migrations/0018_fault_campaigns.sql"),
    ),
    (
        19,
        "referrals",
        include_str!("../../../migrations/0019_referrals.sql"),
    ),
    (
        20,
        "contact_labels",
        include_str!("../../../migrations/0020_contact_labels.sql"),
    ),
    (
        21,
        "product_news",
        include_str!("../../../migrations/0021_product_news.sql"),
    ),
    (
        22,
        "campaign_counts",
        include_str!("../../../migrations/0022_campaign_counts.sql"),
    ),
];

fn migrator() -> Migrator {
    migrator_of(MIGRATIONS)
}

/// A migrator for `list`: all of [`MIGRATIONS`], or (in tests) the first few.
fn migrator_of(list: &[(i64, &'static str, &'static str)]) -> Migrator {
    let migrations = list
        .iter()
        .map(|(version, name, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*name),
                MigrationType::Simple,
                SqlStr::from_static(sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// List totals of this process, forgotten on every write it commits.
    counts: std::sync::Arc<crate::Counts>,
}

impl Db {
    /// Connects to `url`. For SQLite the file (and its folder) is created when missing.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options: AnyConnectOptions = url
            .parse::<AnyConnectOptions>()
            .map_err(|e| StoreError::BadUrl(e.to_string()))?
            .log_statements(log::LevelFilter::Trace)
            .log_slow_statements(log::LevelFilter::Warn, Duration::from_millis(500));
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            // WAL lets readers run beside the single writer; writers wait instead of failing.
            Backend::Sqlite => pool_options
                .max_connections(8)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                             PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                        Ok(())
                    })
                }),
            // No parallel workers per query: Huike's queries are short index walks with a
            // LIMIT, where starting workers costs more than it saves (a rep's search at a
            // million customers: 42 ms with two workers, 16 ms without), and under load the
            // workers only compete with other requests for the same cores.
            Backend::Postgres => pool_options
                .max_connections(16)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute("SET max_parallel_workers_per_gather = 0")
                            .await?;
                        Ok(())
                    })
                }),
        }
        .connect_with(options)
        .await?;
        Ok(Db {
            pool,
            backend,
            counts: Default::default(),
        })
    }

    /// Remembered list totals; call [`crate::Counts::wrote`] after committing a write.
    pub fn counts(&self) -> &crate::Counts {
        &self.counts
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations, then the few objects that only one backend has, then
    /// builds any index a bulk load set aside and did not get to build (it was killed).
    pub async fn migrate(&self) -> StoreResult<()> {
        migrator().run(&self.pool).await?;
        let rebuilt = crate::deferred::rebuild(&mut *self.pool.acquire().await?).await?;
        if rebuilt > 0 {
            log::warn!("built {rebuilt} indexes that an interrupted bulk load had set aside");
        }
        if self.backend == Backend::Postgres {
            // Prefix search is a range scan on `term`; byte order ("C") makes the range
            // exactly "starts with" whatever the server's default collation is.
            let collation: Option<String> = sqlx::query_scalar(
                "SELECT collation_name::TEXT FROM information_schema.columns \
                 WHERE table_name = 'search_terms' AND column_name = 'term' \
                 AND table_schema = current_schema()",
            )
            .fetch_optional(&self.pool)
            .await?
            .flatten();
            if collation.as_deref() != Some("C") {
                sqlx::query("ALTER TABLE search_terms ALTER COLUMN term TYPE TEXT COLLATE \"C\"")
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once, so
    /// it waits for other writers instead of failing half-way when it upgrades.
    pub async fn begin_write(&self) -> StoreResult<crate::Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Accepts `sqlite://relative/path`, `sqlite:///abs/path` and `sqlite:path`; creates the folder
/// and asks SQLite to create the file.
fn prepare_sqlite_url(url: &str) -> StoreResult<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if path.is_empty() {
        return Err(StoreError::BadUrl("the SQLite URL names no file".into()));
    }
    if path != ":memory:"
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| StoreError::BadUrl(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut out = format!("sqlite://{path}");
    match query {
        Some(q) if q.contains("mode=") => {
            out.push('?');
            out.push_str(q);
        }
        Some(q) => {
            out.push_str("?mode=rwc&");
            out.push_str(q);
        }
        None => out.push_str("?mode=rwc"),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_scheme() {
        assert_eq!(Backend::from_url("sqlite://x").ok(), Some(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("postgres://u@h/d").ok(),
            Some(Backend::Postgres)
        );
        assert!(Backend::from_url("mysql://u@h/d").is_err());
        assert!(Backend::from_url("data/huike.db").is_err());
    }

    /// A database numbered orders before migration 0007: each day's counter starts after
    /// the day's highest number (by value: 10000 is after 9999), and the next order follows.
    #[tokio::test]
    async fn order_counters_start_after_the_orders_already_numbered() -> StoreResult<()> {
        sqlx::any::install_default_drivers();
        // One connection: each one to `sqlite::memory:` is a database of its own.
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await?;
        let before = MIGRATIONS.iter().filter(|(v, _, _)| *v < 7).count();
        migrator_of(&MIGRATIONS[..before]).run(&pool).await?;
        // The orders' customers do not matter here.
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&pool)
            .await?;
        for (i, number) in [
            "SO-20260330-0001",
            "SO-20260330-9999",
            "SO-20260330-10000",
            "SO-20260331-0042",
            "legacy-7",
        ]
        .iter()
        .enumerate()
        {
            sqlx::query(
                "INSERT INTO orders (id, number, customer_id, order_date, created_at, \
                 updated_at) VALUES ($1, $2, 'c', '2026-03-30', 0, 0)",
            )
            .bind(i.to_string())
            .bind(*number)
            .execute(&pool)
            .await?;
        }
        migrator().run(&pool).await?;
        let counters: Vec<(String, i64)> =
            sqlx::query_as("SELECT day, last_seq FROM order_numbers ORDER BY day")
                .fetch_all(&pool)
                .await?;
        assert_eq!(
            counters,
            vec![
                ("20260330".to_string(), 10_000),
                ("20260331".to_string(), 42)
            ]
        );
        let mut conn = pool.acquire().await?;
        let next = crate::orders::next_number(&mut conn, "20260330").await?;
        assert_eq!(next, "SO-20260330-10001");
        let first = crate::orders::next_number(&mut conn, "20260401").await?;
        assert_eq!(first, "SO-20260401-0001");
        Ok(())
    }

    #[test]
    fn sqlite_url_gets_create_mode() {
        let dir = std::env::temp_dir().join(format!("huike-url-{}", crate::new_id()));
        let url = format!("sqlite://{}/db.sqlite3", dir.display());
        let prepared = prepare_sqlite_url(&url).unwrap_or_default();
        assert!(prepared.ends_with("?mode=rwc"), "{prepared}");
        assert!(dir.exists());
        let _ = std::fs::remove_dir_all(dir);
    }
}
