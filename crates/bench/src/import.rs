//! The Excel import timing: writes an N-row workbook, runs the real `huike import FILE --as
//! admin` into a throwaway database of the bench's backend, and times that command.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use rust_xlsxwriter::{Format, Workbook};
use sqlx::Connection;

use crate::Args;
use crate::server::{pg_admin_url, pg_database_url};

/// What the import row of the result table shows.
pub struct ImportTiming {
    pub rows: usize,
    /// The wall time of `huike import`, or why there is none.
    pub outcome: Result<Duration, String>,
}

/// The most data rows a worksheet holds (1,048,576 rows less the header).
const XLSX_MAX_ROWS: usize = 1_048_575;

/// The importing account of the throwaway database.
const IMPORTER: &str = "admin";

/// Times the import of `args.import_rows` rows; never fails the bench by itself, so the HTTP
/// figures measured before it are still printed.
pub async fn run(args: &Args) -> ImportTiming {
    let outcome = time_import(args).await.map_err(|e| format!("{e:#}"));
    if let Err(e) = &outcome {
        eprintln!("  import failed: {e}");
    }
    ImportTiming {
        rows: args.import_rows,
        outcome,
    }
}

/// A temporary directory removed when dropped, however the timing ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Unique enough for names of throwaway files and databases on this machine.
fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{nanos}", std::process::id())
}

async fn time_import(args: &Args) -> anyhow::Result<Duration> {
    let n = args.import_rows;
    if n == 0 || n > XLSX_MAX_ROWS {
        bail!("--import-rows must be between 1 and {XLSX_MAX_ROWS} (one worksheet)");
    }
    let suffix = unique_suffix();
    let dir = TempDir(std::env::temp_dir().join(format!("huike-bench-import-{suffix}")));
    std::fs::create_dir_all(&dir.0)
        .with_context(|| format!("cannot create {}", dir.0.display()))?;
    let file = dir.0.join("customers.xlsx");
    let started = Instant::now();
    write_workbook(&file, n)?;
    eprintln!(
        "wrote {n} rows to {} ({:.1} MB) in {:.1} s",
        file.display(),
        std::fs::metadata(&file)
            .map(|m| m.len() as f64 / 1_048_576.0)
            .unwrap_or(0.0),
        started.elapsed().as_secs_f64()
    );

    if args.database_url.starts_with("sqlite:") {
        let url = format!("sqlite://{}", dir.0.join("import.sqlite3").display());
        import_into(args, &url, &file, n).await
    } else {
        let name = format!("huike_bench_import_{suffix}");
        let admin = pg_admin_url(&args.database_url)?;
        let mut conn = sqlx::PgConnection::connect(&admin).await.with_context(|| {
            format!("cannot reach PostgreSQL at {}", crate::server::mask(&admin))
        })?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .with_context(|| format!("cannot create the database {name}"))?;
        let url = pg_database_url(&args.database_url, &name)?;
        let result = import_into(args, &url, &file, n).await;
        // Dropped whatever the import did; FORCE ends a connection a failed step left open.
        let dropped = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await;
        let _ = conn.close().await;
        if let Err(e) = dropped {
            eprintln!("  could not drop the throwaway database {name}: {e}");
        }
        result
    }
}

/// The columns the import test of the test suite used, one customer with one contact a row.
const HEADERS: [&str; 10] = [
    "客户名称",
    "客户类型",
    "城市",
    "地址",
    "电话",
    "邮箱",
    "联系人",
    "手机",
    "角色",
    "生日",
];

fn row(i: usize) -> [String; 10] {
    [
        format!("测试客户{i}贸易有限公司"),
        "企业".into(),
        "上海".into(),
        format!("浦东新区世纪大道{i}号"),
        format!("021-{:08}", 50_000_000 + i),
        format!("info{i}@example.com"),
        format!("张{i}"),
        format!("139{i:08}"),
        "决策者".into(),
        "1980-05-03".into(),
    ]
}

/// Every cell is text, as people type phone numbers and dates into a customer list.
fn write_workbook(path: &Path, n: usize) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("客户")?;
    let bold = Format::new().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for i in 0..n {
        let r = u32::try_from(i + 1).context("row number")?;
        for (c, value) in row(i).iter().enumerate() {
            sheet.write_string(r, c as u16, value)?;
        }
    }
    workbook
        .save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Runs `huike` with `args` on the database at `url`; its output goes with the bench's
/// progress on stderr, not into the result table.
fn huike(bench: &Args, url: &str, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    let mut cmd = Command::new(&bench.huike);
    cmd.args(args)
        .env("HUIKE_DATABASE_URL", url)
        .stdout(Stdio::from(std::io::stderr()));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let status = cmd
        .status()
        .with_context(|| format!("cannot run huike {}", args[0]))?;
    if !status.success() {
        bail!("huike {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Prepares the empty database (schema and the importing admin, as `huike user add`
/// makes them), then times `huike import` alone and checks every row arrived.
async fn import_into(args: &Args, url: &str, file: &Path, n: usize) -> anyhow::Result<Duration> {
    let password = format!("bench-import-{}", unique_suffix());
    huike(
        args,
        url,
        &["user", "add", "--username", IMPORTER, "--role", "admin"],
        &[("HUIKE_PASSWORD", &password)],
    )?;
    let file = file.to_string_lossy();
    eprintln!(
        "timing huike import ({n} rows) into {}",
        crate::server::mask(url)
    );
    let started = Instant::now();
    huike(args, url, &["import", &file, "--as", IMPORTER], &[])?;
    let took = started.elapsed();

    // The time counts only if the import wrote what the file holds.
    let customers: i64 = if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        let c = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        c
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let c = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        c
    };
    if usize::try_from(customers).ok() != Some(n) {
        bail!("the import wrote {customers} customers, not {n}");
    }
    eprintln!("  imported {n} rows in {:.1} s", took.as_secs_f64());
    Ok(took)
}
