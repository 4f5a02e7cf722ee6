//! The database under test (generated with `huike demo`, or reused) and the `huike serve`
//! process: start, memory readings from /proc, stop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sqlx::Connection;

use crate::Args;

/// How the data set came to be.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Wall time of `huike demo`, when known (remembered from the run that made it).
    pub seconds: Option<f64>,
    pub reused: bool,
}

/// Size of the database and of its largest tables.
#[derive(Debug, Clone, Default)]
pub struct Sizes {
    pub bytes: u64,
    pub customers: i64,
    pub contacts: i64,
    pub orders: i64,
    pub order_lines: i64,
    pub interactions: i64,
    pub search_terms: i64,
    pub tasks: i64,
    /// Counts are planner estimates (PostgreSQL) rather than exact.
    pub estimated: bool,
}

pub fn backend_label(url: &str) -> &'static str {
    if url.starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    }
}

/// The URL with any password hidden.
pub fn mask(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

pub fn sqlite_path(url: &str) -> PathBuf {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

fn sqlite_files(path: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", path.display())))
        .collect()
}

/// (admin URL on the same server, database name).
fn pg_parts(url: &str) -> anyhow::Result<(String, String)> {
    let (base, rest) = url
        .rsplit_once('/')
        .context("a PostgreSQL URL names its database: postgres://USER@HOST:PORT/DB")?;
    let name = rest.split('?').next().unwrap_or(rest).to_string();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!("use a plain database name (letters, digits, _), not {name:?}");
    }
    Ok((format!("{base}/postgres"), name))
}

/// The URL of the `postgres` maintenance database on the server of `url`, to create and
/// drop databases from.
pub fn pg_admin_url(url: &str) -> anyhow::Result<String> {
    Ok(pg_parts(url)?.0)
}

/// `url` with its database replaced by `name`, any `?` options kept.
pub fn pg_database_url(url: &str, name: &str) -> anyhow::Result<String> {
    let (base, rest) = url
        .rsplit_once('/')
        .context("a PostgreSQL URL names its database: postgres://USER@HOST:PORT/DB")?;
    let options = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    Ok(format!("{base}/{name}{options}"))
}

fn state_file(args: &Args) -> PathBuf {
    let key: String = mask(&args.database_url)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    args.state_dir.join(format!("generated-{key}.txt"))
}

/// Reuses the database when it is there (and not `--regenerate`), else makes it with
/// `huike demo`, timing the whole command.
pub async fn prepare_database(args: &Args) -> anyhow::Result<Generated> {
    let exists = if args.database_url.starts_with("sqlite:") {
        let path = sqlite_path(&args.database_url);
        if args.regenerate {
            for f in sqlite_files(&path) {
                let _ = std::fs::remove_file(f);
            }
        }
        path.exists()
    } else {
        let (admin, name) = pg_parts(&args.database_url)?;
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .with_context(|| format!("cannot reach PostgreSQL at {}", mask(&admin)))?;
        if args.regenerate {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await?;
        }
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_optional(&mut conn)
            .await?;
        let mut has_data = false;
        if found.is_some() {
            let mut db = sqlx::PgConnection::connect(&args.database_url).await?;
            let n: Option<i64> = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM users) WHERE to_regclass('users') IS NOT NULL",
            )
            .fetch_optional(&mut db)
            .await?;
            has_data = n.unwrap_or(0) > 0;
            db.close().await?;
            if !has_data {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await?;
            }
        }
        if !has_data {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await?;
        }
        conn.close().await?;
        has_data
    };

    let state = state_file(args);
    if exists {
        let remembered = std::fs::read_to_string(&state).unwrap_or_default();
        let seconds = remembered
            .split_whitespace()
            .next()
            .and_then(|s| s.parse().ok());
        eprintln!(
            "reusing {} (pass --regenerate to make it again)",
            mask(&args.database_url)
        );
        return Ok(Generated {
            seconds,
            reused: true,
        });
    }

    eprintln!(
        "generating {} customers (seed {}) into {}",
        args.customers,
        args.seed,
        mask(&args.database_url)
    );
    let started = Instant::now();
    // std::process (blocking) keeps the bench off tokio's process feature, so adding this
    // crate to the workspace does not rebuild everything that depends on tokio.
    let status = Command::new(&args.huike)
        .args([
            "demo",
            "--customers",
            &args.customers.to_string(),
            "--seed",
            &args.seed.to_string(),
        ])
        .env("HUIKE_DATABASE_URL", &args.database_url)
        // Its summary and logs go with the bench's progress, not into the result table.
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .context("cannot run huike demo")?;
    if !status.success() {
        bail!("huike demo failed ({status})");
    }
    let seconds = started.elapsed().as_secs_f64();
    std::fs::write(&state, format!("{seconds:.1} {}\n", args.customers))
        .with_context(|| format!("cannot write {}", state.display()))?;
    Ok(Generated {
        seconds: Some(seconds),
        reused: false,
    })
}

/// Brings the schema up to date (`huike migrate`) and refreshes the planner statistics (and on
/// PostgreSQL the visibility map) of the tables lists and search filter, so indexes added by
/// a migration since the data was made are known to the planner (SQLite keeps no statistics
/// for a new index until the next ANALYZE).
pub async fn migrate_and_analyze(args: &Args) -> anyhow::Result<()> {
    let status = Command::new(&args.huike)
        .arg("migrate")
        .env("HUIKE_DATABASE_URL", &args.database_url)
        .stdout(Stdio::null())
        .status()
        .context("cannot run huike migrate")?;
    if !status.success() {
        bail!("huike migrate failed ({status})");
    }
    let url = &args.database_url;
    if url.starts_with("sqlite:") {
        let path = sqlite_path(url);
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
        for t in [
            "users",
            "departments",
            "customers",
            "customer_shares",
            "contacts",
            "tasks",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {t}")))
                .execute(&mut conn)
                .await?;
        }
        conn.close().await?;
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        // VACUUM too: a database just loaded has no visibility map and no hint bits, so
        // index-only scans read the table and the first reads write pages, which made every
        // figure of a first run slower than in a database autovacuum keeps (a capped count
        // 14 ms → 1 ms). A no-op when autovacuum has been there already.
        sqlx::query("VACUUM (ANALYZE)").execute(&mut conn).await?;
        conn.close().await?;
    }
    Ok(())
}

/// Removes the open inquiries an earlier run planned, so that each run times the same
/// catch-up over the data set as generated (which has none) instead of finding it done.
pub async fn forget_planned_inquiries(url: &str) -> anyhow::Result<u64> {
    const SQL: &str = "DELETE FROM tasks WHERE kind = 'inquiry' AND status = 'open'";
    let removed = if url.starts_with("sqlite:") {
        let path = sqlite_path(url);
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
        let n = sqlx::query(SQL).execute(&mut conn).await?.rows_affected();
        conn.close().await?;
        n
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let n = sqlx::query(SQL).execute(&mut conn).await?.rows_affected();
        // The next run should not find half a million dead rows in the index it reads.
        sqlx::query("VACUUM (ANALYZE) tasks")
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        n
    };
    Ok(removed)
}

/// File or database size and row counts. On SQLite the demo tables are insert-only, so
/// MAX(rowid) is the row count without scanning 100 million index entries.
pub async fn sizes(url: &str) -> anyhow::Result<Sizes> {
    let tables = [
        "customers",
        "contacts",
        "orders",
        "order_lines",
        "interactions",
        "search_terms",
        "tasks",
    ];
    let mut counts = [0i64; 7];
    let mut s = Sizes::default();
    if url.starts_with("sqlite:") {
        let path = sqlite_path(url);
        s.bytes = sqlite_files(&path)
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
                .await?;
        for (i, t) in tables.iter().enumerate() {
            counts[i] = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COALESCE(MAX(rowid), 0) FROM {t}"
            )))
            .fetch_one(&mut conn)
            .await?;
        }
        conn.close().await?;
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(&mut conn)
            .await?;
        s.bytes = bytes.max(0) as u64;
        for (i, t) in tables.iter().enumerate() {
            let n: f32 = sqlx::query_scalar(
                "SELECT reltuples FROM pg_class WHERE relname = $1 AND relkind = 'r'",
            )
            .bind(t)
            .fetch_one(&mut conn)
            .await?;
            counts[i] = n.max(0.0) as i64;
        }
        s.estimated = true;
        conn.close().await?;
    }
    [
        s.customers,
        s.contacts,
        s.orders,
        s.order_lines,
        s.interactions,
        s.search_terms,
        s.tasks,
    ] = counts;
    Ok(s)
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    pub rss_kb: u64,
    pub hwm_kb: u64,
}

fn read_memory(pid: u32) -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("cannot read /proc/{pid}/status"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok(Memory {
        rss_kb: field("VmRSS:"),
        hwm_kb: field("VmHWM:"),
    })
}

/// A running `huike serve`.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub base: String,
    /// When it said where it listens (Unix milliseconds).
    pub ready_ms: i64,
}

impl Server {
    /// Starts the server on a free port and waits for the line that names its address.
    pub async fn start(args: &Args) -> anyhow::Result<Server> {
        // The scheduler would plan a million customers' inquiries in the middle of the
        // measured reads; its planning is timed on its own (`planning`).
        Server::start_with(args, &[("HUIKE_SCHEDULER", "false".into())]).await
    }

    /// Starts the server with extra settings (`HUIKE_*` variables).
    pub async fn start_with(args: &Args, env: &[(&str, String)]) -> anyhow::Result<Server> {
        let mut child = Command::new(&args.huike)
            .args(["serve", "--port", "0"])
            .env("HUIKE_DATABASE_URL", &args.database_url)
            // The bench logs in a handful of times; keep the limiter out of the way anyway.
            .env("HUIKE_LOGIN_PER_MINUTE", "1000")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot start huike serve")?;
        let pid = child.id();
        let stdout = child.stdout.take().context("no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        // Reads every line (so the server never blocks on a full pipe) and reports the one
        // that says where it listens.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("running at ").nth(1) {
                    let _ = tx.send(rest.trim().trim_end_matches('/').to_string());
                }
            }
        });
        let base =
            tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(120))).await?;
        let Ok(base) = base else {
            let _ = child.kill();
            let _ = child.wait();
            bail!("the server did not say where it listens within 120 s");
        };
        Ok(Server {
            child,
            pid,
            base,
            ready_ms: chrono::Utc::now().timestamp_millis(),
        })
    }

    pub fn memory(&self) -> anyhow::Result<Memory> {
        read_memory(self.pid)
    }

    /// Samples RSS every 200 ms for `d`; resolves to the highest reading.
    pub fn sample_memory_while(&self, d: Duration) -> tokio::task::JoinHandle<u64> {
        let pid = self.pid;
        tokio::spawn(async move {
            let until = Instant::now() + d;
            let mut peak = 0;
            while Instant::now() < until {
                if let Ok(m) = read_memory(pid) {
                    peak = peak.max(m.rss_kb);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            peak
        })
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
