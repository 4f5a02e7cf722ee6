//! Loading a demo data set into the database: the fixed records first, then customers in
//! chunks, each chunk (customers with their contacts, timeline, orders and search terms) in
//! one transaction on one connection.
//!
//! Generation runs on its own thread, one chunk ahead of the writer, so the two CPU cores
//! the targets assume are both busy: one building rows, one (SQLite's worker) writing them.

use std::time::{Duration, Instant};

use huike_store::bulk::{
    self, ContactRow, CustomerRow, InteractionRow, OrderLineRow, OrderRow, SearchTermRow, TaskRow,
};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool};

use super::{Demo, DemoConfig, search_terms_for};

/// The tables a demo load fills in bulk.
const BULK_TABLES: &[&str] = &[
    "customers",
    "contacts",
    "interactions",
    "orders",
    "order_lines",
    "search_terms",
    "tasks",
];

/// Customers per transaction: large enough that commits are rare, small enough that a
/// chunk's rows (about 60 per customer) stay a few tens of megabytes.
pub const CHUNK_CUSTOMERS: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoProgress {
    pub customers_done: usize,
    pub customers_total: usize,
}

/// What was written and how long it took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub departments: usize,
    pub users: usize,
    pub categories: usize,
    pub products: usize,
    pub customers: usize,
    pub contacts: usize,
    pub interactions: usize,
    pub orders: usize,
    pub order_lines: usize,
    pub search_terms: usize,
    /// Follow-up tasks of the orders: done history and the open backlog.
    pub tasks: usize,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the database already has users: demo data goes into an empty database \
         (point HUIKE_DATABASE_URL at a new one)"
    )]
    NotEmpty,
    #[error("cannot hash the demo password: {0}")]
    Hash(String),
    #[error("database error while loading demo data: {0}")]
    Db(#[from] sqlx::Error),
    #[error("while loading demo data: {0}")]
    Store(#[from] huike_store::StoreError),
    #[error("the demo data generator stopped before it finished")]
    Generator,
}

/// A chunk of customers flattened into rows per table.
#[derive(Debug, Default)]
struct Chunk {
    customers: Vec<CustomerRow>,
    contacts: Vec<ContactRow>,
    interactions: Vec<InteractionRow>,
    orders: Vec<OrderRow>,
    order_lines: Vec<OrderLineRow>,
    search_terms: Vec<SearchTermRow>,
    tasks: Vec<TaskRow>,
}

impl Chunk {
    fn build(bundles: impl Iterator<Item = super::CustomerBundle>, size: usize) -> Chunk {
        let mut c = Chunk {
            customers: Vec::with_capacity(size),
            contacts: Vec::with_capacity(size * 4),
            interactions: Vec::with_capacity(size * 4),
            orders: Vec::with_capacity(size * 4),
            order_lines: Vec::with_capacity(size * 12),
            search_terms: Vec::with_capacity(size * 16),
            tasks: Vec::with_capacity(size * 16),
        };
        for b in bundles {
            search_terms_for(&b, &mut c.search_terms);
            c.customers.push(b.customer);
            c.contacts.extend(b.contacts);
            c.interactions.extend(b.interactions);
            for o in b.orders {
                super::generate::follow_ups(&o.order, &mut c.tasks);
                c.orders.push(o.order);
                c.order_lines.extend(o.lines);
            }
        }
        // In key order the chunk's terms go into the term index page after page instead of
        // landing all over it: several times faster once the index outgrows the cache.
        c.search_terms.sort_unstable();
        c
    }
}

/// Writes a whole demo data set for `cfg` through one connection of `pool`.
///
/// Users get `hash_password(DEMO_PASSWORD)`; `progress` is called after each committed
/// chunk. On SQLite (a file) `synchronous` is OFF while loading and restored after: a
/// crash mid-load can lose the last chunks but, in WAL mode, not corrupt the file. The
/// loading connection (with a 1 GiB page cache) is closed afterwards rather than returned
/// to the pool, so neither setting outlives the load, even if it is cancelled half-way.
///
/// Expects an empty database: the demo users, departments and SKUs are fixed, so a second
/// load fails on their unique keys (and the first transaction rolls back).
pub async fn load_demo(
    pool: &AnyPool,
    cfg: &DemoConfig,
    hash_password: impl Fn(&str) -> String,
    progress: impl Fn(DemoProgress),
) -> Result<DemoSummary, DemoError> {
    sqlx::any::install_default_drivers();
    let started = Instant::now();
    let mut conn = pool.acquire().await?;
    let session = huike_store::bulk_load::begin(&mut conn).await?;
    let result = load_all(&mut conn, cfg, hash_password, progress).await;
    huike_store::bulk_load::end(&mut conn, session).await?;
    let mut summary = result?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

async fn load_all(
    conn: &mut PoolConnection<Any>,
    cfg: &DemoConfig,
    hash_password: impl Fn(&str) -> String,
    progress: impl Fn(DemoProgress),
) -> Result<DemoSummary, DemoError> {
    let demo = Demo::new(cfg);
    let mut summary = DemoSummary::default();

    let users: Vec<_> = demo
        .users()
        .iter()
        .cloned()
        .map(|u| {
            let hash = hash_password(&u.password);
            u.into_row(hash)
        })
        .collect();
    let mut tx = huike_store::bulk_load::transaction(conn).await?;
    bulk::insert_departments(&mut tx, demo.departments()).await?;
    bulk::insert_users(&mut tx, &users).await?;
    bulk::insert_categories(&mut tx, demo.categories()).await?;
    bulk::insert_products(&mut tx, demo.products()).await?;
    tx.commit().await?;
    summary.departments = demo.departments().len();
    summary.users = users.len();
    summary.categories = demo.categories().len();
    summary.products = demo.products().len();

    let total = cfg.customers;
    progress(DemoProgress {
        customers_done: 0,
        customers_total: total,
    });
    // The secondary indexes are built after the rows, each with one sort: see
    // `huike_store::deferred`. They are built again even when the load fails half-way, and
    // on the next start if the process dies before that.
    huike_store::deferred::set_aside(conn, BULK_TABLES).await?;
    let loaded = load_customers(conn, &demo, total, &mut summary, &progress).await;
    let rebuilt = huike_store::deferred::rebuild(conn).await;
    loaded?;
    rebuilt?;

    huike_store::bulk_load::analyze(conn).await?;
    Ok(summary)
}

/// Generates the customers on a thread of their own and writes them chunk by chunk, one
/// transaction each, counting into `summary`.
async fn load_customers(
    conn: &mut PoolConnection<Any>,
    demo: &Demo,
    total: usize,
    summary: &mut DemoSummary,
    progress: &impl Fn(DemoProgress),
) -> Result<(), DemoError> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Chunk>(1);
    let generator = demo.clone();
    std::thread::Builder::new()
        .name("huike-demo-gen".into())
        .spawn(move || {
            let mut customers = generator.customers();
            while customers.remaining() > 0 {
                let size = customers.remaining().min(CHUNK_CUSTOMERS);
                let chunk = Chunk::build(customers.by_ref().take(size), size);
                // The writer hung up (an error): stop generating.
                if sender.blocking_send(chunk).is_err() {
                    return;
                }
            }
        })
        .map_err(|_| DemoError::Generator)?;

    while let Some(chunk) = receiver.recv().await {
        let mut tx = huike_store::bulk_load::transaction(conn).await?;
        bulk::insert_customers(&mut tx, &chunk.customers).await?;
        bulk::insert_contacts(&mut tx, &chunk.contacts).await?;
        bulk::insert_interactions(&mut tx, &chunk.interactions).await?;
        bulk::insert_orders(&mut tx, &chunk.orders).await?;
        bulk::insert_order_lines(&mut tx, &chunk.order_lines).await?;
        bulk::insert_search_terms(&mut tx, &chunk.search_terms).await?;
        bulk::insert_tasks(&mut tx, &chunk.tasks).await?;
        tx.commit().await?;
        summary.customers += chunk.customers.len();
        summary.contacts += chunk.contacts.len();
        summary.interactions += chunk.interactions.len();
        summary.orders += chunk.orders.len();
        summary.order_lines += chunk.order_lines.len();
        summary.search_terms += chunk.search_terms.len();
        summary.tasks += chunk.tasks.len();
        progress(DemoProgress {
            customers_done: summary.customers,
            customers_total: total,
        });
    }
    if summary.customers != total {
        return Err(DemoError::Generator);
    }
    Ok(())
}

/// Fills an empty database with the demo data set for `cfg`: what `huike demo` and
/// `serve --demo` run. Every demo user gets the password [`super::DEMO_PASSWORD`], hashed
/// once (argon2id is slow on purpose; thirty hashes of one password would cost seconds).
pub async fn generate(
    app: &crate::App,
    cfg: &DemoConfig,
    progress: impl Fn(DemoProgress),
) -> Result<DemoSummary, DemoError> {
    let users = huike_store::users::count(&mut *app.db.pool().acquire().await?).await?;
    if users > 0 {
        return Err(DemoError::NotEmpty);
    }
    let hash = crate::auth::hash_password(super::DEMO_PASSWORD)
        .map_err(|e| DemoError::Hash(e.to_string()))?;
    let summary = load_demo(app.db.pool(), cfg, |_| hash.clone(), progress).await;
    app.db.counts().wrote();
    summary
}
