//! After-sale tasks: the rows each order, inquiry plan and promise makes, read by owner or
//! department for Today, and moved, finished, snoozed or handed over one at a time.

use crate::sql::Sql;
use crate::{Conn, Page, Paging, Scope, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Task {
    pub id: String,
    pub idem_key: String,
    pub kind: String,
    pub status: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub order_id: Option<String>,
    pub promise_id: Option<String>,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub due_date: String,
    pub doubts: String,
    pub outcome: Option<String>,
    pub outcome_note: String,
    pub done_at: Option<i64>,
    /// YYYY-MM-DD, the customer's day it was done.
    pub done_on: Option<String>,
    pub done_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Writes the tasks whose idempotency keys are not on file yet, many to a statement; returns
/// how many were written.
pub async fn insert_many_once(conn: &mut Conn, rows: &[Task]) -> StoreResult<u64> {
    Ok(crate::bulk::insert_rows_once(conn, rows, "idem_key").await?)
}

/// A task with what Today shows beside it: the customer, the contact and their personality,
/// the owner, and the order it follows up.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TaskItem {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub customer_id: String,
    pub customer_name: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub contact_personality: Option<String>,
    pub contact_low_key: Option<i64>,
    pub order_id: Option<String>,
    pub order_number: Option<String>,
    pub promise_id: Option<String>,
    pub promise_what: Option<String>,
    pub promise_to: Option<String>,
    pub promise_due: Option<String>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub due_date: String,
    pub doubts: String,
    pub outcome: Option<String>,
    pub outcome_note: String,
    pub done_at: Option<i64>,
    pub updated_at: i64,
}

const COLUMNS: &str = "t.id, t.idem_key, t.kind, t.status, t.customer_id, t.contact_id, \
     t.order_id, t.promise_id, t.owner_id, t.department_id, t.due_date, t.doubts, t.outcome, \
     t.outcome_note, \
     t.done_at, t.done_on, t.done_by, t.created_at, t.updated_at";

const ITEM_SELECT: &str = "SELECT t.id, t.kind, t.status, t.customer_id, c.name AS customer_name, \
     t.contact_id, k.name AS contact_name, k.personality AS contact_personality, \
     k.low_key AS contact_low_key, t.order_id, o.number AS order_number, t.promise_id, \
     p.what AS promise_what, p.to_whom AS promise_to, p.due_date AS promise_due, t.owner_id, \
     u.display_name AS owner_name, t.due_date, t.doubts, t.outcome, t.outcome_note, t.done_at, \
     t.updated_at";

const ITEM_FROM: &str = " FROM tasks t JOIN customers c ON c.id = t.customer_id \
     LEFT JOIN contacts k ON k.id = t.contact_id LEFT JOIN orders o ON o.id = t.order_id \
     LEFT JOIN promises p ON p.id = t.promise_id LEFT JOIN users u ON u.id = t.owner_id \
     WHERE 1 = 1";

/// Inserts the task unless one with its idempotency key exists; true when it was inserted.
pub async fn insert_once(conn: &mut Conn, t: &Task) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO tasks (id, idem_key, kind, status, customer_id, contact_id, order_id, \
         promise_id, owner_id, department_id, due_date, doubts, outcome, outcome_note, done_at, \
         done_on, done_by, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) \
         ON CONFLICT (idem_key) DO NOTHING",
    )
    .bind(&t.id)
    .bind(&t.idem_key)
    .bind(&t.kind)
    .bind(&t.status)
    .bind(&t.customer_id)
    .bind(&t.contact_id)
    .bind(&t.order_id)
    .bind(&t.promise_id)
    .bind(&t.owner_id)
    .bind(&t.department_id)
    .bind(&t.due_date)
    .bind(&t.doubts)
    .bind(&t.outcome)
    .bind(&t.outcome_note)
    .bind(t.done_at)
    .bind(&t.done_on)
    .bind(&t.done_by)
    .bind(t.created_at)
    .bind(t.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The tasks an order made, in any status.
pub async fn of_order(conn: &mut Conn, order_id: &str) -> StoreResult<Vec<Task>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM tasks t WHERE t.order_id = ")
        .bind(order_id)
        .push(" ORDER BY t.due_date, t.kind");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// The task if its customer is visible to `scope`.
pub async fn get(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Task> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.id = ")
        .bind(id);
    scope.push_condition(&mut sql, "c");
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

/// Writes back what may change on a task: status, due date, owner, doubts and outcome.
pub async fn update(conn: &mut Conn, t: &Task) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE tasks SET status = $1, due_date = $2, owner_id = $3, department_id = $4, \
         contact_id = $5, doubts = $6, outcome = $7, outcome_note = $8, done_at = $9, \
         done_on = $10, done_by = $11, updated_at = $12 WHERE id = $13",
    )
    .bind(&t.status)
    .bind(&t.due_date)
    .bind(&t.owner_id)
    .bind(&t.department_id)
    .bind(&t.contact_id)
    .bind(&t.doubts)
    .bind(&t.outcome)
    .bind(&t.outcome_note)
    .bind(t.done_at)
    .bind(&t.done_on)
    .bind(&t.done_by)
    .bind(t.updated_at)
    .bind(&t.id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub id: Option<String>,
    pub order_id: Option<String>,
    pub promise_id: Option<String>,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub customer_id: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// YYYY-MM-DD inclusive.
    pub due_from: Option<String>,
    /// YYYY-MM-DD inclusive.
    pub due_to: Option<String>,
}

impl TaskFilter {
    fn push(&self, sql: &mut Sql) {
        if let Some(v) = &self.id {
            sql.push(" AND t.id = ").bind(v);
        }
        if let Some(v) = &self.order_id {
            sql.push(" AND t.order_id = ").bind(v);
        }
        if let Some(v) = &self.promise_id {
            sql.push(" AND t.promise_id = ").bind(v);
        }
        if let Some(v) = &self.owner_id {
            sql.push(" AND t.owner_id = ").bind(v);
        }
        if let Some(v) = &self.department_id {
            sql.push(" AND t.department_id = ").bind(v);
        }
        if let Some(v) = &self.customer_id {
            sql.push(" AND t.customer_id = ").bind(v);
        }
        if let Some(v) = &self.kind {
            sql.push(" AND t.kind = ").bind(v);
        }
        if let Some(v) = &self.status {
            sql.push(" AND t.status = ").bind(v);
        }
        if let Some(v) = &self.due_from {
            sql.push(" AND t.due_date >= ").bind(v);
        }
        if let Some(v) = &self.due_to {
            sql.push(" AND t.due_date <= ").bind(v);
        }
    }
}

/// One page of the tasks visible to `scope`, earliest due first.
pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    scope: &Scope,
    f: &TaskFilter,
    paging: Paging,
) -> StoreResult<Page<TaskItem>> {
    let mut filter = Sql::new(ITEM_FROM);
    f.push(&mut filter);
    scope.push_condition(&mut filter, "c");
    crate::fetch_page(
        conn,
        counts,
        &filter,
        ITEM_SELECT,
        // In the order of the owner's index (owner, status, due date, id), so a page of an
        // owner's open tasks is read straight off it, not sorted from every task due that day.
        " ORDER BY t.due_date, t.id",
        paging,
    )
    .await
}

/// At most `limit` tasks visible to `scope`, earliest due first (Today's lists, the feed).
pub async fn list_all(
    conn: &mut Conn,
    scope: &Scope,
    f: &TaskFilter,
    limit: i64,
) -> StoreResult<Vec<TaskItem>> {
    let mut sql = Sql::new(ITEM_SELECT);
    sql.push(ITEM_FROM);
    f.push(&mut sql);
    scope.push_condition(&mut sql, "c");
    sql.push(" ORDER BY t.due_date, t.id LIMIT ").bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Open tasks due on or before `day` per member of a department, and of those the ones due
/// before `day`, each count stopping at `cap`: a manager's view of who is behind. Members with
/// nothing due are left out. (owner id, owner name, due, overdue.)
///
/// Counted per member along the owner's index, at most `cap` entries each: a department's
/// open backlog at a million customers runs to hundreds of thousands of tasks, and counting
/// them all on every view of Today took seconds.
pub async fn due_per_owner(
    conn: &mut Conn,
    department_id: &str,
    day: &str,
    cap: i64,
) -> StoreResult<Vec<(String, String, i64, i64)>> {
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users WHERE department_id = $1 ORDER BY display_name, id",
    )
    .bind(department_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (id, name) in members {
        let (due, overdue) = count_due(conn, &id, day, cap).await?;
        if due > 0 {
            out.push((id, name, due, overdue));
        }
    }
    Ok(out)
}

/// How many open tasks `owner_id` has due on or before `day`, and of those how many before
/// it, each stopping at `cap`. One read along the owner's index (owner, status, due date, id):
/// a backlog of tens of thousands costs no more than `cap` entries (the header shows the count
/// on every page), and since the earliest come first, the overdue among the first `cap` are
/// all of them, or at least `cap`.
pub async fn count_due(
    conn: &mut Conn,
    owner_id: &str,
    day: &str,
    cap: i64,
) -> StoreResult<(i64, i64)> {
    let (due, overdue): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), SUM(CASE WHEN due_date < $2 THEN 1 ELSE 0 END) FROM \
         (SELECT due_date FROM tasks WHERE owner_id = $1 AND status = 'open' \
          AND due_date <= $2 ORDER BY due_date LIMIT $3) x",
    )
    .bind(owner_id)
    .bind(day)
    .bind(cap)
    .fetch_one(&mut *conn)
    .await?;
    Ok((due, overdue.unwrap_or(0)))
}

/// A customer who may be due a proactive inquiry: it bought recently enough to count as
/// active and has no open inquiry; the next one counts from its last order or finished
/// inquiry, whichever is later.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InquiryCandidate {
    pub customer_id: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    /// YYYY-MM-DD of its latest order that was not cancelled.
    pub last_order: String,
    /// YYYY-MM-DD its latest inquiry was done, if any.
    pub last_inquiry: Option<String>,
}

/// Customers whose latest order falls in `active_since..=anchor_by` and that have no open
/// inquiry. (Those whose last inquiry is after `anchor_by` are not due yet; the caller
/// drops them.)
///
/// Set-based rather than per customer: the recent orders and the inquiry tasks are each read
/// once in order of customer and joined. A correlated lookup per customer made two index
/// probes for each of a million customers and took most of a planning run.
pub async fn inquiry_candidates(
    conn: &mut Conn,
    active_since: &str,
    anchor_by: &str,
) -> StoreResult<Vec<InquiryCandidate>> {
    Ok(sqlx::query_as(
        // Orders before `active_since` cannot make a latest order inside the window, so only
        // recent ones are grouped.
        "SELECT c.id AS customer_id, c.owner_id, c.department_id, o.last_order, \
         i.last_inquiry \
         FROM (SELECT customer_id, MAX(order_date) AS last_order FROM orders \
               WHERE status <> 'cancelled' AND order_date >= $1 GROUP BY customer_id) o \
         JOIN customers c ON c.id = o.customer_id \
         LEFT JOIN (SELECT customer_id, \
                    MAX(CASE WHEN status = 'done' THEN done_on END) AS last_inquiry, \
                    SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open \
                    FROM tasks WHERE kind = 'inquiry' GROUP BY customer_id) i \
           ON i.customer_id = o.customer_id \
         WHERE o.last_order <= $2 AND COALESCE(i.open, 0) = 0",
    )
    .bind(active_since)
    .bind(anchor_by)
    .fetch_all(&mut *conn)
    .await?)
}
