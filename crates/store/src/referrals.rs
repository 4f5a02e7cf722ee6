//! Referrals and their rewards: who referred whom, the tree of a customer's referrals, the
//! reward written once when a referred customer's first order is delivered, and the
//! per-rep and per-customer counts.

use crate::sql::Sql;
use crate::{Conn, Scope, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Referral {
    pub id: String,
    pub referrer_id: String,
    pub referrer_contact_id: Option<String>,
    pub prospect_name: String,
    pub prospect_person: String,
    pub prospect_phone: String,
    pub prospect_email: String,
    pub note: String,
    pub referred_on: String,
    pub status: String,
    pub customer_id: Option<String>,
    pub lost_reason: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Reward {
    pub id: String,
    pub referral_id: String,
    pub referrer_id: String,
    pub order_id: Option<String>,
    pub amount_fen: i64,
    pub gift: String,
    pub due_on: String,
    pub status: String,
    pub paid_on: Option<String>,
    pub paid_by: Option<String>,
    pub paid_note: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "r.id, r.referrer_id, r.referrer_contact_id, r.prospect_name, \
     r.prospect_person, r.prospect_phone, r.prospect_email, r.note, r.referred_on, r.status, \
     r.customer_id, r.lost_reason, r.owner_id, r.department_id, r.created_by, r.created_at, \
     r.updated_at";

const REWARD_COLUMNS: &str = "w.id, w.referral_id, w.referrer_id, w.order_id, w.amount_fen, \
     w.gift, w.due_on, w.status, w.paid_on, w.paid_by, w.paid_note, w.owner_id, \
     w.department_id, w.created_at, w.updated_at";

pub async fn insert(conn: &mut Conn, r: &Referral) -> StoreResult<()> {
    Ok(crate::bulk::insert_rows(conn, std::slice::from_ref(r)).await?)
}

pub async fn update(conn: &mut Conn, r: &Referral) -> StoreResult<()> {
    sqlx::query(
        "UPDATE referrals SET status = $1, customer_id = $2, lost_reason = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(&r.status)
    .bind(&r.customer_id)
    .bind(&r.lost_reason)
    .bind(r.updated_at)
    .bind(&r.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A referral the caller may see (its referrer's owner's; a manager's department's).
pub async fn get(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Referral> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM referrals r WHERE r.id = ")
        .bind(id);
    scope.push_owner_condition(&mut sql, "r");
    sql.query_as()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

/// The referral that brought `customer_id`, if any.
pub async fn of_customer(conn: &mut Conn, customer_id: &str) -> StoreResult<Option<Referral>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM referrals r WHERE r.customer_id = ")
        .bind(customer_id);
    Ok(sql.query_as().fetch_optional(&mut *conn).await?)
}

/// The referrals given by any of `referrers`, oldest first (one level of the tree).
pub async fn given_by(conn: &mut Conn, referrers: &[String]) -> StoreResult<Vec<Referral>> {
    if referrers.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM referrals r WHERE r.referrer_id IN ")
        .bind_list(referrers.iter().cloned())
        .push(" ORDER BY r.referred_on, r.id");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// The referrals the caller may see, newest first, optionally of one status.
pub async fn list(
    conn: &mut Conn,
    scope: &Scope,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<Referral>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS).push(" FROM referrals r WHERE 1 = 1");
    scope.push_owner_condition(&mut sql, "r");
    if let Some(s) = status {
        sql.push(" AND r.status = ").bind(s);
    }
    sql.push(" ORDER BY r.referred_on DESC, r.id LIMIT ")
        .bind(limit)
        .push(" OFFSET ")
        .bind(offset);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Writes the reward unless its referral has one; true when written.
pub async fn insert_reward_once(conn: &mut Conn, w: &Reward) -> StoreResult<bool> {
    Ok(crate::bulk::insert_rows_once(conn, std::slice::from_ref(w), "referral_id").await? == 1)
}

pub async fn reward(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Reward> {
    let mut sql = Sql::new("SELECT ");
    sql.push(REWARD_COLUMNS)
        .push(" FROM referral_rewards w WHERE w.id = ")
        .bind(id);
    scope.push_owner_condition(&mut sql, "w");
    sql.query_as()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

pub async fn reward_of(conn: &mut Conn, referral_id: &str) -> StoreResult<Option<Reward>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(REWARD_COLUMNS)
        .push(" FROM referral_rewards w WHERE w.referral_id = ")
        .bind(referral_id);
    Ok(sql.query_as().fetch_optional(&mut *conn).await?)
}

/// The rewards of `referral_ids`, read at once for a list or a tree.
pub async fn rewards_of(conn: &mut Conn, referral_ids: &[String]) -> StoreResult<Vec<Reward>> {
    if referral_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT ");
    sql.push(REWARD_COLUMNS)
        .push(" FROM referral_rewards w WHERE w.referral_id IN ")
        .bind_list(referral_ids.iter().cloned());
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// The names of the customers `ids`, for the referrers a list shows.
pub async fn customer_names(conn: &mut Conn, ids: &[String]) -> StoreResult<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT id, name FROM customers WHERE id IN ");
    sql.bind_list(ids.iter().cloned());
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

pub async fn rewards(
    conn: &mut Conn,
    scope: &Scope,
    status: Option<&str>,
) -> StoreResult<Vec<Reward>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(REWARD_COLUMNS)
        .push(" FROM referral_rewards w WHERE 1 = 1");
    scope.push_owner_condition(&mut sql, "w");
    if let Some(s) = status {
        sql.push(" AND w.status = ").bind(s);
    }
    sql.push(" ORDER BY w.due_on, w.id LIMIT 1000");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

pub async fn pay(
    conn: &mut Conn,
    id: &str,
    on: &str,
    by: &str,
    note: &str,
    now: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE referral_rewards SET status = 'paid', paid_on = $1, paid_by = $2, \
         paid_note = $3, updated_at = $4 WHERE id = $5 AND status = 'due'",
    )
    .bind(on)
    .bind(by)
    .bind(note)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The earliest delivered order of a customer that was not cancelled: (id, delivery day).
pub async fn first_delivered(
    conn: &mut Conn,
    customer_id: &str,
) -> StoreResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, COALESCE(delivery_date, order_date) FROM orders \
         WHERE customer_id = $1 AND status = 'delivered' \
         ORDER BY COALESCE(delivery_date, order_date), id LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Per owner: referrals, converted, rewards due and paid (amounts in 分).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RepCount {
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub referrals: i64,
    pub converted: i64,
    pub rewards_due_fen: i64,
    pub rewards_paid_fen: i64,
}

pub async fn per_rep(conn: &mut Conn, scope: &Scope) -> StoreResult<Vec<RepCount>> {
    let mut sql = Sql::new(
        "SELECT r.owner_id, u.display_name AS owner_name, COUNT(*) AS referrals, \
         CAST(SUM(CASE WHEN r.status = 'customer' THEN 1 ELSE 0 END) AS BIGINT) AS converted, \
         CAST(COALESCE(SUM(CASE WHEN w.status = 'due' THEN w.amount_fen ELSE 0 END), 0) \
           AS BIGINT) AS rewards_due_fen, \
         CAST(COALESCE(SUM(CASE WHEN w.status = 'paid' THEN w.amount_fen ELSE 0 END), 0) \
           AS BIGINT) AS rewards_paid_fen \
         FROM referrals r LEFT JOIN users u ON u.id = r.owner_id \
         LEFT JOIN referral_rewards w ON w.referral_id = r.id WHERE 1 = 1",
    );
    scope.push_owner_condition(&mut sql, "r");
    sql.push(" GROUP BY r.owner_id, u.display_name ORDER BY COUNT(*) DESC, r.owner_id");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Per referring customer: referrals and converted, most referrals first.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CustomerCount {
    pub customer_id: String,
    pub customer_name: String,
    pub referrals: i64,
    pub converted: i64,
}

pub async fn per_customer(
    conn: &mut Conn,
    scope: &Scope,
    limit: i64,
) -> StoreResult<Vec<CustomerCount>> {
    let mut sql = Sql::new(
        "SELECT r.referrer_id AS customer_id, c.name AS customer_name, COUNT(*) AS referrals, \
         CAST(SUM(CASE WHEN r.status = 'customer' THEN 1 ELSE 0 END) AS BIGINT) AS converted \
         FROM referrals r JOIN customers c ON c.id = r.referrer_id WHERE 1 = 1",
    );
    scope.push_owner_condition(&mut sql, "r");
    sql.push(" GROUP BY r.referrer_id, c.name ORDER BY COUNT(*) DESC, c.name LIMIT ")
        .bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}
