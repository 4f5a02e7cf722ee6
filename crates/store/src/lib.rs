//! Huike's storage: one schema and one set of queries for SQLite (default) and PostgreSQL.
//!
//! Every query goes through sqlx's `Any` driver in the portable SQL subset; the few places
//! where the dialects differ branch on [`Backend`].

pub mod api_tokens;
pub mod audit;
pub mod bulk;
pub mod bulk_load;
pub mod calendar_feeds;
pub mod contacts;
pub mod counts;
pub mod customers;
pub mod db;
pub mod deferred;
pub mod departments;
pub mod error;
pub mod faults;
pub mod greetings;
pub mod ids;
pub mod interactions;
pub mod jobs;
pub mod labels;
pub mod news;
pub mod orders;
pub mod outbox;
pub mod phrases;
pub mod products;
pub mod promises;
pub mod referrals;
pub mod scope;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod tasks;
pub mod templates;
pub mod users;
pub mod webhooks;

pub use counts::Counts;
pub use db::{Backend, Db};
pub use error::{StoreError, StoreResult};
pub use ids::{new_id, now_ms};
pub use scope::Scope;
pub use sql::Sql;

/// A transaction on either backend.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
/// A connection (or transaction, by deref) on either backend.
pub type Conn = sqlx::AnyConnection;

/// Matching rows counted at most, per list request. Counting is a scan of every match, so an
/// exact total of a million customers costs more than the page itself (hundreds of ms on
/// SQLite); past this many the list says "10,000+" (`total_capped`).
pub const COUNT_CAP: i64 = 10_000;

/// One page of a list plus the total number of matching rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Exact up to [`COUNT_CAP`]; when `total_capped`, at least that many match.
    pub total: i64,
    /// True when more than [`COUNT_CAP`] rows match and `total` is the cap.
    pub total_capped: bool,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        if self.per_page <= 0 {
            return 1;
        }
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// Which page of a list, and how many rows a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// From 1.
    pub page: i64,
    pub per_page: i64,
}

/// Runs a list query and its COUNT over the same filter: `select` + `filter` + `order_by`,
/// one page of it, and the total, so every list pages and counts the same way.
pub async fn fetch_page<T>(
    conn: &mut Conn,
    counts: &Counts,
    filter: &Sql,
    select: &str,
    order_by: &str,
    paging: Paging,
) -> StoreResult<Page<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    fetch_page_counted(conn, counts, filter, filter, select, order_by, paging).await
}

/// [`fetch_page`] with the count and the page written differently over the same rows: a join
/// order that counts from an index is not always the one that pages in sort order.
pub async fn fetch_page_counted<T>(
    conn: &mut Conn,
    counts: &Counts,
    count_filter: &Sql,
    filter: &Sql,
    select: &str,
    order_by: &str,
    paging: Paging,
) -> StoreResult<Page<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    // Counts at most COUNT_CAP + 1 matches, so the cost is bounded however many there are.
    let mut count = count_filter.prefixed("SELECT COUNT(*) FROM (SELECT 1 AS one");
    count.push(" LIMIT ").bind(COUNT_CAP + 1).push(") capped");
    let key = count.key();
    let counted: i64 = match counts.recall(&key) {
        Ok(counted) => counted,
        Err(ticket) => {
            let counted = count.query_scalar().fetch_one(&mut *conn).await?;
            counts.remember(key, ticket, counted);
            counted
        }
    };
    let total_capped = counted > COUNT_CAP;
    let total = counted.min(COUNT_CAP);
    let Paging { page, per_page } = paging;
    let mut sql = filter.prefixed(select);
    sql.push(order_by)
        .push(" LIMIT ")
        .bind(per_page)
        .push(" OFFSET ")
        .bind((page - 1).max(0) * per_page);
    let items = sql.query_as().fetch_all(&mut *conn).await?;
    Ok(Page {
        items,
        total,
        total_capped,
        page,
        per_page,
    })
}
