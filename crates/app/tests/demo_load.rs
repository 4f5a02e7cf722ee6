//! Loading demo data into freshly migrated databases (SQLite always, PostgreSQL when
//! reachable), and an ignored measurement of the load rate (`bench_demo_load`).

// Helpers outside #[test] functions unwrap too: a panic there is a failing test.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use huike_app::demo::{Demo, DemoConfig, DemoSummary, load_demo};
use huike_store::Db;

const TABLES: &[&str] = &[
    "departments",
    "users",
    "product_categories",
    "products",
    "customers",
    "contacts",
    "interactions",
    "orders",
    "order_lines",
    "search_terms",
];

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(db.pool())
        .await
        .unwrap()
}

fn expected(summary: &DemoSummary, table: &str) -> usize {
    match table {
        "departments" => summary.departments,
        "users" => summary.users,
        "product_categories" => summary.categories,
        "products" => summary.products,
        "customers" => summary.customers,
        "contacts" => summary.contacts,
        "interactions" => summary.interactions,
        "orders" => summary.orders,
        "order_lines" => summary.order_lines,
        _ => summary.search_terms,
    }
}

/// Every index of the schema with its definition, as the catalogue holds it.
async fn indexes(db: &Db) -> Vec<(String, String)> {
    let sql = match db.backend() {
        huike_store::Backend::Sqlite => {
            "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name"
        }
        huike_store::Backend::Postgres => {
            "SELECT indexname::TEXT, indexdef::TEXT FROM pg_indexes \
             WHERE schemaname = current_schema() ORDER BY indexname"
        }
    };
    sqlx::query_as(sql).fetch_all(db.pool()).await.unwrap()
}

/// Loads `customers` demo customers into `db` and checks what arrived.
async fn load_and_check(db: &Db, customers: usize) -> DemoSummary {
    // The load sets the secondary indexes aside and builds them at the end: all must be back.
    let schema = indexes(db).await;
    assert!(schema.iter().any(|(name, _)| name == "search_terms_term"));
    let cfg = DemoConfig::new(customers, 1);
    let reports = std::sync::Mutex::new(Vec::new());
    let summary = load_demo(
        db.pool(),
        &cfg,
        |p| format!("test-hash:{p}"),
        |p| reports.lock().unwrap().push(p),
    )
    .await
    .unwrap();
    let reports = reports.into_inner().unwrap();
    assert_eq!(indexes(db).await, schema, "indexes after the load");
    assert_eq!(reports.first().map(|p| p.customers_done), Some(0));
    assert_eq!(reports.last().map(|p| p.customers_done), Some(customers));
    assert!(reports.iter().all(|p| p.customers_total == customers));

    assert_eq!(summary.customers, customers);
    assert_eq!(summary.departments, 4);
    assert_eq!(summary.users, 1 + 4 + 20 + 4);
    assert!(summary.products >= 180);
    assert!(summary.contacts >= 2 * customers && summary.contacts <= 4 * customers);
    assert!(summary.order_lines >= 7 * customers && summary.order_lines <= 13 * customers);
    for table in TABLES {
        let n = count(db, table).await;
        eprintln!("  {table:<20} {n:>9}");
        assert_eq!(n as usize, expected(&summary, table), "{table}");
    }

    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
        .bind("admin")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(hash, "test-hash:huike-demo");

    // Totals agree with their lines in the database, not only in the generator.
    let wrong: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o WHERE o.total_fen <> \
         (SELECT SUM(l.amount_fen) FROM order_lines l WHERE l.order_id = o.id)",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(wrong, 0);

    // Every contact carries its customer's owner and department (scoped contact lists read
    // that copy).
    let (contacts, mirrored): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), SUM(CASE WHEN k.owner_id = c.owner_id \
         AND k.department_id = c.department_id THEN 1 ELSE 0 END) \
         FROM contacts k JOIN customers c ON c.id = k.customer_id",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(contacts as usize, summary.contacts);
    assert_eq!(mirrored, contacts);

    // What was written is what the generator makes: the first customer, field for field.
    let first = Demo::new(&cfg).customers().next().unwrap();
    let (name, phone, archive): (String, String, String) =
        sqlx::query_as("SELECT name, phone, archive FROM customers WHERE id = $1")
            .bind(&first.customer.id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(
        (name, phone, archive),
        (
            first.customer.name.clone(),
            first.customer.phone.clone(),
            first.customer.archive.clone()
        )
    );

    // Phone-suffix search is a prefix search on the reversed digits.
    let digits: String = first
        .customer
        .phone
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let tail: String = digits.chars().rev().take(4).collect();
    let hits: Vec<String> = sqlx::query_scalar(
        "SELECT entity_id FROM search_terms WHERE term >= $1 AND term < $2 AND entity = 'customer'",
    )
    .bind(format!("~{tail}"))
    .bind(format!("~{tail}\u{10FFFF}"))
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert!(hits.contains(&first.customer.id));
    // Each day's order-number counter is at or past the day's highest demo number, so the
    // first order saved after the load does not clash with a demo order.
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM orders")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let counters: std::collections::HashMap<String, i64> =
        sqlx::query_as("SELECT day, last_seq FROM order_numbers")
            .fetch_all(db.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let mut latest = ("", 0i64);
    for n in &numbers {
        let (day, seq) = huike_store::orders::split_number(n).unwrap();
        assert!(
            counters.get(day).is_some_and(|&c| c >= seq),
            "{n}: {counters:?}"
        );
        latest = latest.max((day, seq));
    }
    let mut tx = db.begin_write().await.unwrap();
    let next = huike_store::orders::next_number(&mut tx, latest.0)
        .await
        .unwrap();
    assert!(!numbers.contains(&next), "{next} is a demo order's number");
    tx.rollback().await.unwrap();

    // A load killed after setting the indexes aside: the next start builds them again.
    let mut conn = db.pool().acquire().await.unwrap();
    huike_store::deferred::set_aside(&mut conn, &["customers", "search_terms"])
        .await
        .unwrap();
    drop(conn);
    assert!(indexes(db).await.len() < schema.len(), "indexes set aside");
    db.migrate().await.unwrap();
    assert_eq!(indexes(db).await, schema, "indexes after the next start");
    summary
}

#[tokio::test]
async fn demo_data_loads_into_sqlite() {
    let dir = std::env::temp_dir().join(format!("huike-demo-{}", uuid::Uuid::now_v7().simple()));
    let scratch = Scratch::dir(dir.clone());
    let url = format!("sqlite://{}/huike.sqlite3", dir.display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    eprintln!("sqlite:");
    load_and_check(&db, 200).await;
    let problems: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert!(problems.is_empty(), "foreign keys: {problems:?}");
    // The loader leaves durability as it found it for everyone else.
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sync, 1, "synchronous should be NORMAL again");
    db.close().await;
    scratch.remove().await;
}

/// The PostgreSQL server to use: HUIKE_TEST_PG, else the local default. None (and a loud
/// note) when unreachable, unless HUIKE_REQUIRE_PG=1 makes that a failure.
async fn postgres_admin_url() -> Option<String> {
    let url = std::env::var("HUIKE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    sqlx::any::install_default_drivers();
    match tokio::time::timeout(Duration::from_secs(5), sqlx::AnyPool::connect(&url)).await {
        Ok(Ok(pool)) => {
            pool.close().await;
            Some(url)
        }
        _ if std::env::var("HUIKE_REQUIRE_PG").as_deref() == Ok("1") => {
            panic!("PostgreSQL is required (HUIKE_REQUIRE_PG=1) but {url} is not reachable")
        }
        _ => {
            eprintln!(
                "\n*** skipped: no PostgreSQL at {url}; demo load tested on SQLite only ***\n"
            );
            None
        }
    }
}

/// A test's throwaway storage, a PostgreSQL database or a SQLite folder, removed when this
/// is dropped: also when a check fails half-way and the panic unwinds through it.
struct Scratch {
    /// The server's admin URL and the database's name.
    database: Option<(String, String)>,
    dir: Option<std::path::PathBuf>,
}

impl Scratch {
    fn dir(dir: std::path::PathBuf) -> Scratch {
        Scratch {
            database: None,
            dir: Some(dir),
        }
    }

    /// Removes it now, from async code; nothing is left for `Drop` to do.
    async fn remove(mut self) {
        if let Some((admin, name)) = self.database.take() {
            drop_pg_database(&admin, &name).await;
        }
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// Leaves it in place, to be looked at after the run.
    fn keep(mut self) {
        self.database = None;
        self.dir = None;
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.database.take() {
            // Drop cannot await, and on the test's runtime thread blocking on a future
            // panics: a thread with a small runtime of its own, waited for. Nothing here may
            // panic, or a failing test that unwinds through it aborts the binary.
            let dropped = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_pg_database(&admin, &name));
                }
            });
            let _ = dropped.join();
        }
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A throwaway database on the server at `admin_url`: its URL, and the guard that drops it.
async fn create_pg_database(admin_url: &str) -> (String, Scratch) {
    let name = format!("huike_test_{}", uuid::Uuid::now_v7().simple());
    let admin = sqlx::AnyPool::connect(admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    let url = format!("{base}/{name}");
    let scratch = Scratch {
        database: Some((admin_url.to_string(), name)),
        dir: None,
    };
    (url, scratch)
}

/// WITH (FORCE) ends the connections a failed test's pool still holds.
async fn drop_pg_database(admin_url: &str, name: &str) {
    use sqlx::Connection;
    let connect = sqlx::AnyConnection::connect(admin_url);
    if let Ok(Ok(mut admin)) = tokio::time::timeout(Duration::from_secs(10), connect).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
        let _ = admin.close().await;
    }
}

#[tokio::test]
async fn demo_data_loads_into_postgres() {
    let Some(admin_url) = postgres_admin_url().await else {
        return;
    };
    let (url, scratch) = create_pg_database(&admin_url).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    eprintln!("postgres:");
    load_and_check(&db, 200).await;
    db.close().await;
    scratch.remove().await;
}

fn file_size(path: &std::path::Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn print_rates(label: &str, s: &DemoSummary) {
    let secs = s.elapsed.as_secs_f64();
    let rows =
        s.customers + s.contacts + s.interactions + s.orders + s.order_lines + s.search_terms;
    println!(
        "{label}: {} customers in {secs:.1} s = {:.0} customers/s, {:.0} rows/s \
         ({} contacts, {} interactions, {} orders, {} order lines, {} search terms)",
        s.customers,
        s.customers as f64 / secs,
        rows as f64 / secs,
        s.contacts,
        s.interactions,
        s.orders,
        s.order_lines,
        s.search_terms
    );
}

/// A measurement, not a check, so a normal run reports it as ignored:
/// `cargo test --release -p huike-app --test demo_load -- --ignored --nocapture`, with
/// HUIKE_BENCH_DEMO=N customers (default 100,000), HUIKE_BENCH_DEMO_PG=1 to load PostgreSQL
/// too, HUIKE_BENCH_DEMO_KEEP=1 to keep the SQLite file.
#[tokio::test]
#[ignore = "measures demo generation alone and the demo load into SQLite (and PostgreSQL with \
            HUIKE_BENCH_DEMO_PG=1) in customers/s and rows/s; run: HUIKE_BENCH_DEMO=100000 \
            cargo test --release -p huike-app --test demo_load -- --ignored --nocapture"]
async fn bench_demo_load() {
    let n = match std::env::var("HUIKE_BENCH_DEMO") {
        Ok(v) => v
            .parse::<usize>()
            .unwrap_or_else(|_| panic!("HUIKE_BENCH_DEMO={v:?} is not a number of customers")),
        Err(_) => 100_000,
    };
    let cfg = DemoConfig::new(n, 1);

    // Generation alone, to see how the time splits between making rows and writing them.
    let started = Instant::now();
    let demo = Demo::new(&cfg);
    let mut lines = 0usize;
    let mut terms = Vec::new();
    for b in demo.customers() {
        lines += b.orders.iter().map(|o| o.lines.len()).sum::<usize>();
        terms.clear();
        huike_app::demo::search_terms_for(&b, &mut terms);
    }
    let generate = started.elapsed().as_secs_f64();
    println!(
        "generate only: {n} customers ({lines} order lines) in {generate:.1} s = {:.0} customers/s",
        n as f64 / generate
    );

    let dir = std::env::temp_dir().join(format!("huike-bench-{}", uuid::Uuid::now_v7().simple()));
    let scratch = Scratch::dir(dir.clone());
    let path = dir.join("huike.sqlite3");
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let summary = load_demo(
        db.pool(),
        &cfg,
        |p| format!("bench:{p}"),
        |p| {
            if p.customers_done % 100_000 == 0 && p.customers_done > 0 {
                eprintln!("  {}/{}", p.customers_done, p.customers_total);
            }
        },
    )
    .await
    .unwrap();
    db.close().await;
    print_rates("sqlite", &summary);
    println!(
        "sqlite file: {:.1} MB ({})",
        file_size(&path) as f64 / 1_048_576.0,
        path.display()
    );
    // HUIKE_BENCH_DEMO_KEEP=1 keeps the file, to inspect or to benchmark queries against.
    if std::env::var("HUIKE_BENCH_DEMO_KEEP").is_err() {
        scratch.remove().await;
    } else {
        scratch.keep();
    }

    if std::env::var("HUIKE_BENCH_DEMO_PG").is_ok() {
        // Asked for explicitly: an unreachable server is a failed run, not a quiet skip.
        let admin_url = postgres_admin_url()
            .await
            .expect("HUIKE_BENCH_DEMO_PG is set but PostgreSQL is not reachable");
        let (url, scratch) = create_pg_database(&admin_url).await;
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let summary = load_demo(db.pool(), &cfg, |p| format!("bench:{p}"), |_| {}).await;
        let size: Option<i64> = sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(db.pool())
            .await
            .ok();
        db.close().await;
        scratch.remove().await;
        print_rates("postgres", &summary.unwrap());
        if let Some(size) = size {
            println!("postgres database: {:.1} MB", size as f64 / 1_048_576.0);
        }
    }
}
