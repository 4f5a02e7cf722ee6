//! Customers 客户档案: the archive rows, visibility-scoped reads, filtered lists and shares.

use crate::sql::Sql;
use crate::{Conn, Page, Scope, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Customer {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub customer_class: Option<String>,
    pub tags: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub qq: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub founded_on: Option<String>,
    pub first_trade_on: Option<String>,
    pub archive: String,
    pub basic_confirmed_at: Option<i64>,
    pub characteristics_confirmed_at: Option<i64>,
    pub business_confirmed_at: Option<i64>,
    pub trading_confirmed_at: Option<i64>,
    pub research_confirmed_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

pub const COLUMNS: &str = "c.id, c.kind, c.name, c.customer_class, c.tags, c.province, c.city, \
    c.district, c.address, c.phone, c.email, c.wechat, c.qq, c.owner_id, c.department_id, \
    c.founded_on, c.first_trade_on, c.archive, c.basic_confirmed_at, \
    c.characteristics_confirmed_at, c.business_confirmed_at, c.trading_confirmed_at, \
    c.research_confirmed_at, c.version, c.created_at, c.updated_at";

/// A row of the customer list, with the owner's and department's names.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CustomerListItem {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub customer_class: Option<String>,
    pub tags: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub phone: String,
    pub email: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub department_name: Option<String>,
    pub basic_confirmed_at: Option<i64>,
    pub characteristics_confirmed_at: Option<i64>,
    pub business_confirmed_at: Option<i64>,
    pub trading_confirmed_at: Option<i64>,
    pub research_confirmed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Owner and department names are looked up per row of the page, not joined in the filter:
/// the COUNT over the same filter then reads one index instead of joining every customer.
const LIST_COLUMNS: &str = "SELECT c.id, c.kind, c.name, c.customer_class, c.tags, c.province, \
    c.city, c.district, c.phone, c.email, c.owner_id, \
    (SELECT u.display_name FROM users u WHERE u.id = c.owner_id) AS owner_name, \
    (SELECT d.name FROM departments d WHERE d.id = c.department_id) AS department_name, \
    c.basic_confirmed_at, c.characteristics_confirmed_at, c.business_confirmed_at, \
    c.trading_confirmed_at, c.research_confirmed_at, c.created_at, c.updated_at";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSort {
    #[default]
    Name,
    Class,
    Region,
    Updated,
    Created,
}

impl CustomerSort {
    pub fn from_code(s: &str) -> Option<Self> {
        Some(match s {
            "name" => Self::Name,
            "class" => Self::Class,
            "region" => Self::Region,
            "updated" => Self::Updated,
            "created" => Self::Created,
            _ => return None,
        })
    }

    fn order_by(&self, desc: bool) -> &'static str {
        match (self, desc) {
            (Self::Name, false) => " ORDER BY c.name ASC, c.id ASC",
            (Self::Name, true) => " ORDER BY c.name DESC, c.id DESC",
            (Self::Class, false) => " ORDER BY c.customer_class ASC, c.name ASC, c.id ASC",
            (Self::Class, true) => " ORDER BY c.customer_class DESC, c.name ASC, c.id ASC",
            (Self::Region, false) => " ORDER BY c.province ASC, c.city ASC, c.name ASC, c.id ASC",
            (Self::Region, true) => " ORDER BY c.province DESC, c.city DESC, c.name ASC, c.id ASC",
            (Self::Updated, false) => " ORDER BY c.updated_at ASC, c.id ASC",
            (Self::Updated, true) => " ORDER BY c.updated_at DESC, c.id DESC",
            (Self::Created, false) => " ORDER BY c.created_at ASC, c.id ASC",
            (Self::Created, true) => " ORDER BY c.created_at DESC, c.id DESC",
        }
    }
}

/// What the list may be narrowed by; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub kind: Option<String>,
    pub class: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    pub tag: Option<String>,
    /// Only customers with at least one archive section confirmed before this moment (or never).
    pub stale_before: Option<i64>,
    /// Restrict to these ids (search results).
    pub ids: Option<Vec<String>>,
}

pub async fn insert(conn: &mut Conn, c: &Customer) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO customers (id, kind, name, customer_class, tags, province, city, district, \
         address, phone, email, wechat, qq, owner_id, department_id, founded_on, first_trade_on, \
         archive, basic_confirmed_at, characteristics_confirmed_at, business_confirmed_at, \
         trading_confirmed_at, research_confirmed_at, version, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,\
         $23,$24,$25,$26)",
    )
    .bind(&c.id)
    .bind(&c.kind)
    .bind(&c.name)
    .bind(&c.customer_class)
    .bind(&c.tags)
    .bind(&c.province)
    .bind(&c.city)
    .bind(&c.district)
    .bind(&c.address)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(&c.wechat)
    .bind(&c.qq)
    .bind(&c.owner_id)
    .bind(&c.department_id)
    .bind(&c.founded_on)
    .bind(&c.first_trade_on)
    .bind(&c.archive)
    .bind(c.basic_confirmed_at)
    .bind(c.characteristics_confirmed_at)
    .bind(c.business_confirmed_at)
    .bind(c.trading_confirmed_at)
    .bind(c.research_confirmed_at)
    .bind(c.version)
    .bind(c.created_at)
    .bind(c.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes `c` over the stored row if the stored version is still `c.version - 1`.
pub async fn update(conn: &mut Conn, c: &Customer) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE customers SET kind = $1, name = $2, customer_class = $3, tags = $4, \
         province = $5, city = $6, district = $7, address = $8, phone = $9, email = $10, \
         wechat = $11, qq = $12, owner_id = $13, department_id = $14, founded_on = $15, \
         first_trade_on = $16, archive = $17, basic_confirmed_at = $18, \
         characteristics_confirmed_at = $19, business_confirmed_at = $20, \
         trading_confirmed_at = $21, research_confirmed_at = $22, version = $23, \
         updated_at = $24 WHERE id = $25 AND version = $26",
    )
    .bind(&c.kind)
    .bind(&c.name)
    .bind(&c.customer_class)
    .bind(&c.tags)
    .bind(&c.province)
    .bind(&c.city)
    .bind(&c.district)
    .bind(&c.address)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(&c.wechat)
    .bind(&c.qq)
    .bind(&c.owner_id)
    .bind(&c.department_id)
    .bind(&c.founded_on)
    .bind(&c.first_trade_on)
    .bind(&c.archive)
    .bind(c.basic_confirmed_at)
    .bind(c.characteristics_confirmed_at)
    .bind(c.business_confirmed_at)
    .bind(c.trading_confirmed_at)
    .bind(c.research_confirmed_at)
    .bind(c.version)
    .bind(c.updated_at)
    .bind(&c.id)
    .bind(c.version - 1)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    // The owner or department may have changed: the contacts carry a copy of both.
    crate::contacts::mirror_customer_scope(conn, &c.id).await
}

/// The customer if it exists and `scope` may see it; "not yours" and "does not exist" look
/// the same to the caller.
pub async fn get(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Customer> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM customers c WHERE c.id = ")
        .bind(id);
    scope.push_condition(&mut sql, "c");
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

/// Whether `scope` may see the customer.
pub async fn visible(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<bool> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM customers c WHERE c.id = ");
    sql.bind(id);
    scope.push_condition(&mut sql, "c");
    let n: i64 = sql.query_scalar().fetch_one(&mut *conn).await?;
    Ok(n > 0)
}

fn filter_sql(scope: &Scope, f: &CustomerFilter) -> Sql {
    let mut sql = Sql::new(" FROM customers c WHERE 1 = 1");
    scope.push_condition(&mut sql, "c");
    if let Some(v) = &f.kind {
        sql.push(" AND c.kind = ").bind(v);
    }
    if let Some(v) = &f.class {
        sql.push(" AND c.customer_class = ").bind(v);
    }
    if let Some(v) = &f.province {
        sql.push(" AND c.province = ").bind(v);
    }
    if let Some(v) = &f.city {
        sql.push(" AND c.city = ").bind(v);
    }
    if let Some(v) = &f.owner_id {
        sql.push(" AND c.owner_id = ").bind(v);
    }
    if let Some(v) = &f.department_id {
        sql.push(" AND c.department_id = ").bind(v);
    }
    if let Some(v) = &f.tag {
        // Tags are stored comma-separated with surrounding commas: ",vip,华东,".
        sql.push(" AND c.tags LIKE ").bind(format!("%,{v},%"));
    }
    if let Some(cutoff) = f.stale_before {
        sql.push(" AND (");
        for (i, col) in [
            "basic_confirmed_at",
            "characteristics_confirmed_at",
            "business_confirmed_at",
            "trading_confirmed_at",
            "research_confirmed_at",
        ]
        .iter()
        .enumerate()
        {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push("c.")
                .push(col)
                .push(" IS NULL OR c.")
                .push(col)
                .push(" < ")
                .bind(cutoff);
        }
        sql.push(")");
    }
    if let Some(ids) = &f.ids {
        sql.push(" AND c.id IN ").bind_list(ids.iter());
    }
    sql
}

pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    scope: &Scope,
    filter: &CustomerFilter,
    sort: CustomerSort,
    desc: bool,
    paging: crate::Paging,
) -> StoreResult<Page<CustomerListItem>> {
    let scope = &scope.narrowed(conn).await?;
    let order = sort.order_by(desc);
    crate::fetch_page(
        conn,
        counts,
        &filter_sql(scope, filter),
        LIST_COLUMNS,
        order,
        paging,
    )
    .await
}

/// Every matching row, for export; bounded by `limit` so one request cannot exhaust memory.
pub async fn list_all(
    conn: &mut Conn,
    scope: &Scope,
    filter: &CustomerFilter,
    sort: CustomerSort,
    desc: bool,
    limit: i64,
) -> StoreResult<Vec<CustomerListItem>> {
    let scope = &scope.narrowed(conn).await?;
    let mut sql = filter_sql(scope, filter).prefixed(LIST_COLUMNS);
    sql.push(sort.order_by(desc)).push(" LIMIT ").bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// Customers whose name equals `name` exactly (duplicate detection on create and import).
pub async fn ids_with_name(conn: &mut Conn, name: &str) -> StoreResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM customers WHERE name = $1")
            .bind(name)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// The owner and department of a customer, to copy onto its contacts and search terms. On
/// PostgreSQL the row is locked until the transaction ends: a contact added while another
/// transaction hands the customer to someone else would otherwise copy the old owner, and
/// that transaction's copy would not see the new contact. (SQLite runs one writer at a time.)
pub async fn scope_of(
    conn: &mut Conn,
    customer_id: &str,
) -> StoreResult<Option<(Option<String>, Option<String>)>> {
    let sql = if crate::Backend::of(conn) == crate::Backend::Postgres {
        "SELECT owner_id, department_id FROM customers WHERE id = $1 FOR SHARE"
    } else {
        "SELECT owner_id, department_id FROM customers WHERE id = $1"
    };
    Ok(sqlx::query_as(sql)
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn delete(conn: &mut Conn, id: &str) -> StoreResult<()> {
    // By entity_id, the indexed column (customer_id is not indexed: a DELETE by it read the
    // whole term table, tens of millions of rows at scale): the customer's own terms, then
    // its contacts'.
    sqlx::query("DELETE FROM search_terms WHERE entity_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM search_terms WHERE entity_id IN \
         (SELECT k.id FROM contacts k WHERE k.customer_id = $1)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM customers WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Share {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
}

pub async fn shares(conn: &mut Conn, customer_id: &str) -> StoreResult<Vec<Share>> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.username, u.display_name FROM customer_shares s \
         JOIN users u ON u.id = s.user_id WHERE s.customer_id = $1 ORDER BY u.username",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_share(
    conn: &mut Conn,
    customer_id: &str,
    user_id: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO customer_shares (customer_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (customer_id, user_id) DO NOTHING",
    )
    .bind(customer_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn remove_share(conn: &mut Conn, customer_id: &str, user_id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM customer_shares WHERE customer_id = $1 AND user_id = $2")
        .bind(customer_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The names of existing customers whose full-name search key is one of `keys` (names
/// folded for comparison) or whose name is one of `names`: the candidates an import checks
/// its new names against.
pub async fn names_like(
    conn: &mut Conn,
    keys: &[String],
    names: &[&str],
) -> StoreResult<Vec<String>> {
    let mut found = Vec::new();
    if !keys.is_empty() {
        let mut by_terms = Sql::new(
            "SELECT c.name FROM search_terms st JOIN customers c ON c.id = st.entity_id \
             WHERE st.entity = 'customer' AND st.term IN ",
        );
        by_terms.bind_list(keys.iter());
        found = by_terms.query_scalar().fetch_all(&mut *conn).await?;
    }
    if !names.is_empty() {
        let mut by_name = Sql::new("SELECT name FROM customers WHERE name IN ");
        by_name.bind_list(names.iter().copied());
        found.extend(
            by_name
                .query_scalar::<String>()
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(found)
}
