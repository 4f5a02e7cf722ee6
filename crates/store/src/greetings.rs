//! Greetings and greeting campaigns: what planning reads (contacts with their dates, the
//! greetings already near), writes many at a time, and what a campaign's page and sending read.

use crate::sql::Sql;
use crate::{Conn, Scope, StoreResult};

/// One planned (or sent, skipped …) greeting, exactly as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Greeting {
    pub id: String,
    pub contact_id: String,
    pub customer_id: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub day: String,
    pub occasion: String,
    pub detail: String,
    pub level: i64,
    pub campaign_id: Option<String>,
    pub task_id: Option<String>,
    pub status: String,
    pub channel: Option<String>,
    pub subject: String,
    pub body: String,
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Campaign {
    pub id: String,
    pub idem_key: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub occasion: String,
    pub detail: String,
    pub day: String,
    pub status: String,
    pub size: i64,
    pub sent_at: Option<i64>,
    pub sent_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Its greetings settled so far, by how (the rest of `size` is planned).
    pub sent_count: i64,
    pub by_hand_count: i64,
    pub skipped_count: i64,
    pub dropped_count: i64,
}

const GREETING_COLUMNS: &str = "g.id, g.contact_id, g.customer_id, g.owner_id, g.department_id, \
     g.day, g.occasion, g.detail, g.level, g.campaign_id, g.task_id, g.status, g.channel, \
     g.subject, g.body, g.note, g.created_at, g.updated_at";

const CAMPAIGN_COLUMNS: &str = "m.id, m.idem_key, m.owner_id, m.department_id, m.occasion, \
     m.detail, m.day, m.status, m.size, m.sent_at, m.sent_by, m.created_at, m.updated_at, \
     m.sent_count, m.by_hand_count, m.skipped_count, m.dropped_count";

/// A contact with what the planner needs: its birthday, family events and its customer's
/// founding and first-trade days.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanInput {
    pub id: String,
    pub customer_id: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub birthday_calendar: Option<String>,
    pub birthday_year: Option<i64>,
    pub birthday_month: Option<i64>,
    pub birthday_day: Option<i64>,
    pub birthday_leap: i64,
    pub family_events: String,
    pub founded_on: Option<String>,
    pub first_trade_on: Option<String>,
}

const PLAN_INPUT: &str = "SELECT k.id, k.customer_id, k.owner_id, k.department_id, \
     k.birthday_calendar, k.birthday_year, k.birthday_month, k.birthday_day, k.birthday_leap, \
     k.family_events, c.founded_on, c.first_trade_on \
     FROM contacts k JOIN customers c ON c.id = k.customer_id";

/// The next `limit` contacts after `after` in id order (keyset: planning walks every contact
/// in batches without holding them all).
pub async fn plan_inputs(conn: &mut Conn, after: &str, limit: i64) -> StoreResult<Vec<PlanInput>> {
    let mut sql = Sql::new(PLAN_INPUT);
    sql.push(" WHERE k.id > ")
        .bind(after)
        .push(" ORDER BY k.id LIMIT ")
        .bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// The contacts of one customer (planning again after its dates changed).
pub async fn plan_inputs_of_customer(
    conn: &mut Conn,
    customer_id: &str,
) -> StoreResult<Vec<PlanInput>> {
    let mut sql = Sql::new(PLAN_INPUT);
    sql.push(" WHERE k.customer_id = ")
        .bind(customer_id)
        .push(" ORDER BY k.id");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Which contacts' greetings [`standing`] reads.
pub enum Contacts<'a> {
    /// Every contact with an id in `first..=last` (a batch read in id order).
    Between(&'a str, &'a str),
    /// These contacts (one customer's, whose ids can lie far apart).
    These(&'a [String]),
}

/// (contact, day, status) of the greetings on file for `contacts` on days `from..=to`, in
/// contact and day order.
pub async fn standing(
    conn: &mut Conn,
    contacts: Contacts<'_>,
    from: &str,
    to: &str,
) -> StoreResult<Vec<(String, String, String)>> {
    let mut sql = Sql::new("SELECT contact_id, day, status FROM greetings WHERE day >= ");
    sql.bind(from).push(" AND day <= ").bind(to);
    match contacts {
        Contacts::Between(first, last) => {
            sql.push(" AND contact_id >= ")
                .bind(first)
                .push(" AND contact_id <= ")
                .bind(last);
        }
        Contacts::These(ids) => {
            sql.push(" AND contact_id IN ")
                .bind_list(ids.iter().cloned());
        }
    }
    sql.push(" ORDER BY contact_id, day");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Removes the contacts' greetings from `from` on that are still only planned, with their
/// open tasks, and shrinks the campaigns they were in (their dates changed; planning again
/// replaces them). Returns how many were removed.
pub async fn unplan(conn: &mut Conn, contact_ids: &[String], from: &str) -> StoreResult<u64> {
    if contact_ids.is_empty() {
        return Ok(0);
    }
    let mut tasks = Sql::new(
        "DELETE FROM tasks WHERE status = 'open' AND id IN (SELECT task_id FROM greetings \
         WHERE status = 'planned' AND task_id IS NOT NULL AND day >= ",
    );
    tasks
        .bind(from)
        .push(" AND contact_id IN ")
        .bind_list(contact_ids.iter().cloned())
        .push(")");
    tasks.query().execute(&mut *conn).await?;
    // The campaigns they were in shrink by as many.
    let mut sizes = Sql::new(
        "SELECT campaign_id, COUNT(*) FROM greetings WHERE status = 'planned' \
         AND campaign_id IS NOT NULL AND day >= ",
    );
    sizes
        .bind(from)
        .push(" AND contact_id IN ")
        .bind_list(contact_ids.iter().cloned())
        .push(" GROUP BY campaign_id");
    let shrink: Vec<(String, i64)> = sizes.query_as().fetch_all(&mut *conn).await?;
    for (campaign, n) in shrink {
        sqlx::query("UPDATE greeting_campaigns SET size = size - $1 WHERE id = $2")
            .bind(n)
            .bind(campaign)
            .execute(&mut *conn)
            .await?;
    }
    let mut sql = Sql::new("DELETE FROM greetings WHERE status = 'planned' AND day >= ");
    sql.bind(from)
        .push(" AND contact_id IN ")
        .bind_list(contact_ids.iter().cloned());
    Ok(sql.query().execute(&mut *conn).await?.rows_affected())
}

/// Writes the greetings whose (contact, day) is not on file yet; returns how many.
pub async fn insert_many_once(conn: &mut Conn, rows: &[Greeting]) -> StoreResult<u64> {
    Ok(crate::bulk::insert_rows_once(conn, rows, "contact_id, day").await?)
}

/// Campaigns on days `from..=to`, by key (planning adds to them): every rep's, or one
/// owner's (`Some(None)`: those of customers without an owner), which is what planning one
/// customer again needs.
pub async fn campaigns_between(
    conn: &mut Conn,
    from: &str,
    to: &str,
    owner: Option<Option<&str>>,
) -> StoreResult<Vec<Campaign>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(CAMPAIGN_COLUMNS)
        .push(" FROM greeting_campaigns m WHERE m.day >= ")
        .bind(from)
        .push(" AND m.day <= ")
        .bind(to);
    match owner {
        None => {}
        Some(Some(o)) => {
            sql.push(" AND m.owner_id = ").bind(o);
        }
        Some(None) => {
            sql.push(" AND m.owner_id IS NULL");
        }
    }
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Writes campaigns whose key is not on file yet.
pub async fn insert_campaigns_once(conn: &mut Conn, rows: &[Campaign]) -> StoreResult<u64> {
    Ok(crate::bulk::insert_rows_once(conn, rows, "idem_key").await?)
}

/// Adds `n` greetings to a campaign's size.
pub async fn grow_campaign(conn: &mut Conn, id: &str, n: i64, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE greeting_campaigns SET size = size + $1, updated_at = $2 WHERE id = $3")
        .bind(n)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A campaign the caller may see (its owner's, their department's, or any for admins).
pub async fn campaign(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Campaign> {
    let mut sql = Sql::new("SELECT ");
    sql.push(CAMPAIGN_COLUMNS)
        .push(" FROM greeting_campaigns m WHERE m.id = ")
        .bind(id);
    scope.push_owner_condition(&mut sql, "m");
    sql.query_as()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

/// Open campaigns on days `from..=to` the caller may see, earliest first (Today's cards).
pub async fn open_campaigns(
    conn: &mut Conn,
    scope: &Scope,
    from: &str,
    to: &str,
    limit: i64,
) -> StoreResult<Vec<Campaign>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(CAMPAIGN_COLUMNS)
        .push(" FROM greeting_campaigns m WHERE m.status = 'open' AND m.day >= ")
        .bind(from)
        .push(" AND m.day <= ")
        .bind(to);
    scope.push_owner_condition(&mut sql, "m");
    sql.push(" ORDER BY m.day, m.id LIMIT ").bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Campaigns the caller may see, newest day first, a page at a time.
pub async fn list_campaigns(
    conn: &mut Conn,
    scope: &Scope,
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<Campaign>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(CAMPAIGN_COLUMNS)
        .push(" FROM greeting_campaigns m WHERE 1 = 1");
    scope.push_owner_condition(&mut sql, "m");
    sql.push(" ORDER BY m.day DESC, m.id LIMIT ")
        .bind(limit)
        .push(" OFFSET ")
        .bind(offset);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Moves `n` of a campaign's greetings into `status` (sent, by_hand, skipped or dropped);
/// a negative `n` moves them out of it (a dropped greeting restored).
pub async fn count_settled(conn: &mut Conn, id: &str, status: &str, n: i64) -> StoreResult<()> {
    let column = match status {
        "sent" => "sent_count",
        "by_hand" => "by_hand_count",
        "skipped" => "skipped_count",
        "dropped" => "dropped_count",
        _ => return Ok(()),
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE greeting_campaigns SET {column} = {column} + $1 WHERE id = $2"
    )))
    .bind(n)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A greeting with the contact and customer a campaign page and a send need.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Addressed {
    pub id: String,
    pub contact_id: String,
    pub customer_id: String,
    pub day: String,
    pub occasion: String,
    pub detail: String,
    pub status: String,
    pub channel: Option<String>,
    pub subject: String,
    pub body: String,
    pub note: String,
    pub contact_name: String,
    pub contact_title: String,
    pub email: String,
    pub phone: String,
    pub preferred_channel: Option<String>,
    pub customer_name: String,
    pub address: String,
}

const ADDRESSED: &str = "SELECT g.id, g.contact_id, g.customer_id, g.day, g.occasion, \
     g.detail, g.status, g.channel, g.subject, g.body, g.note, k.name AS contact_name, \
     k.title AS contact_title, k.email, k.phone, k.preferred_channel, \
     c.name AS customer_name, c.address \
     FROM greetings g JOIN contacts k ON k.id = g.contact_id \
     JOIN customers c ON c.id = g.customer_id";

/// One status of a campaign's greetings after `after` in id order, `limit` of them.
pub async fn campaign_page(
    conn: &mut Conn,
    campaign_id: &str,
    status: &str,
    after: &str,
    limit: i64,
) -> StoreResult<Vec<Addressed>> {
    let mut sql = Sql::new(ADDRESSED);
    sql.push(" WHERE g.campaign_id = ")
        .bind(campaign_id)
        .push(" AND g.status = ")
        .bind(status)
        .push(" AND g.id > ")
        .bind(after)
        .push(" ORDER BY g.id LIMIT ")
        .bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

pub async fn get(conn: &mut Conn, id: &str) -> StoreResult<Greeting> {
    let mut sql = Sql::new("SELECT ");
    sql.push(GREETING_COLUMNS)
        .push(" FROM greetings g WHERE g.id = ")
        .bind(id);
    sql.query_as()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

/// Of `ids`, those still planned (read inside the sending transaction, after the campaign's
/// row is locked, so two sends never both take one).
pub async fn still_planned(conn: &mut Conn, ids: &[String]) -> StoreResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT id FROM greetings WHERE status = 'planned' AND id IN ");
    sql.bind_list(ids.iter().cloned());
    Ok(sql.query_scalar().fetch_all(&mut *conn).await?)
}

/// Sets status, channel and note of `ids` at once.
pub async fn settle(
    conn: &mut Conn,
    ids: &[String],
    status: &str,
    channel: Option<&str>,
    note: &str,
    now: i64,
) -> StoreResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new("UPDATE greetings SET status = ");
    sql.bind(status)
        .push(", channel = ")
        .bind(channel.map(str::to_string))
        .push(", note = ")
        .bind(note)
        .push(", updated_at = ")
        .bind(now)
        .push(" WHERE id IN ")
        .bind_list(ids.iter().cloned());
    Ok(sql.query().execute(&mut *conn).await?.rows_affected())
}

/// Saves a rep's wording (or drop, or restore) of one planned greeting.
pub async fn update(conn: &mut Conn, g: &Greeting) -> StoreResult<()> {
    sqlx::query(
        "UPDATE greetings SET status = $1, subject = $2, body = $3, note = $4, channel = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&g.status)
    .bind(&g.subject)
    .bind(&g.body)
    .bind(&g.note)
    .bind(&g.channel)
    .bind(g.updated_at)
    .bind(&g.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Locks the campaign's row for this transaction (PostgreSQL; SQLite has one writer anyway)
/// and marks it sent.
pub async fn mark_campaign_sent(conn: &mut Conn, id: &str, by: &str, now: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE greeting_campaigns SET status = 'sent', sent_at = COALESCE(sent_at, $1), \
         sent_by = COALESCE(sent_by, $2), updated_at = $1 WHERE id = $3",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A contact's greetings on days `from..=to`, by day.
pub async fn of_contact(
    conn: &mut Conn,
    contact_id: &str,
    from: &str,
    to: &str,
) -> StoreResult<Vec<Greeting>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(GREETING_COLUMNS)
        .push(" FROM greetings g WHERE g.contact_id = ")
        .bind(contact_id)
        .push(" AND g.day >= ")
        .bind(from)
        .push(" AND g.day <= ")
        .bind(to)
        .push(" ORDER BY g.day");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// The greeting a task stands for, marked given on the channel used.
pub async fn settle_task(
    conn: &mut Conn,
    task_id: &str,
    status: &str,
    channel: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE greetings SET status = $1, channel = $2, updated_at = $3 WHERE task_id = $4",
    )
    .bind(status)
    .bind(channel)
    .bind(now)
    .bind(task_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
