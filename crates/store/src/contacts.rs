//! Contacts 联系人: people at a customer, with their personality, role, trust and birthday.

use crate::sql::Sql;
use crate::{Conn, Page, Scope, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub qq: String,
    pub personality: Option<String>,
    pub low_key: i64,
    pub buying_role: Option<String>,
    pub personal_interest: i64,
    pub org_interest: i64,
    pub birthday_calendar: Option<String>,
    pub birthday_year: Option<i64>,
    pub birthday_month: Option<i64>,
    pub birthday_day: Option<i64>,
    pub birthday_leap: i64,
    pub family_events: String,
    pub hobbies: String,
    pub preferred_channel: Option<String>,
    pub notes: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "k.id, k.customer_id, k.name, k.title, k.phone, k.email, k.wechat, k.qq, \
    k.personality, k.low_key, k.buying_role, k.personal_interest, k.org_interest, \
    k.birthday_calendar, k.birthday_year, k.birthday_month, k.birthday_day, k.birthday_leap, \
    k.family_events, k.hobbies, k.preferred_channel, k.notes, k.version, k.created_at, \
    k.updated_at";

/// A contact in lists, with its customer's name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ContactListItem {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub personality: Option<String>,
    pub buying_role: Option<String>,
    pub personal_interest: i64,
    pub org_interest: i64,
    pub updated_at: i64,
}

/// Adds a contact carrying its customer's owner and department (see
/// [`mirror_customer_scope`] for why the copy exists).
pub async fn insert(conn: &mut Conn, k: &Contact) -> StoreResult<()> {
    let (owner_id, department_id) = crate::customers::scope_of(conn, &k.customer_id)
        .await?
        .unwrap_or_default();
    sqlx::query(
        "INSERT INTO contacts (id, customer_id, name, title, phone, email, wechat, qq, \
         personality, low_key, buying_role, personal_interest, org_interest, birthday_calendar, \
         birthday_year, birthday_month, birthday_day, birthday_leap, family_events, hobbies, \
         preferred_channel, notes, version, created_at, updated_at, owner_id, department_id) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,\
         $22,$23,$24,$25,$26,$27)",
    )
    .bind(&k.id)
    .bind(&k.customer_id)
    .bind(&k.name)
    .bind(&k.title)
    .bind(&k.phone)
    .bind(&k.email)
    .bind(&k.wechat)
    .bind(&k.qq)
    .bind(&k.personality)
    .bind(k.low_key)
    .bind(&k.buying_role)
    .bind(k.personal_interest)
    .bind(k.org_interest)
    .bind(&k.birthday_calendar)
    .bind(k.birthday_year)
    .bind(k.birthday_month)
    .bind(k.birthday_day)
    .bind(k.birthday_leap)
    .bind(&k.family_events)
    .bind(&k.hobbies)
    .bind(&k.preferred_channel)
    .bind(&k.notes)
    .bind(k.version)
    .bind(k.created_at)
    .bind(k.updated_at)
    .bind(owner_id)
    .bind(department_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Copies a customer's owner and department onto its contacts and the search terms of both.
/// Scoped contact lists and searches filter on this copy inside one index instead of testing
/// each row's customer; call it whenever the customer's owner or department may have changed
/// (a new contact and new terms take the copy as they are written). Rows already equal are left alone, so an edit that keeps the
/// owner writes nothing here.
pub async fn mirror_customer_scope(conn: &mut Conn, customer_id: &str) -> StoreResult<()> {
    let Some((owner_id, department_id)) = crate::customers::scope_of(conn, customer_id).await?
    else {
        return Ok(());
    };
    sqlx::query(
        "UPDATE contacts SET owner_id = $1, department_id = $2 \
         WHERE (owner_id IS DISTINCT FROM $1 OR department_id IS DISTINCT FROM $2) \
         AND customer_id = $3",
    )
    .bind(&owner_id)
    .bind(&department_id)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    // By entity_id, the indexed column: the customer's own terms and its contacts'.
    sqlx::query(
        "UPDATE search_terms SET owner_id = $1, department_id = $2 \
         WHERE (owner_id IS DISTINCT FROM $1 OR department_id IS DISTINCT FROM $2) \
         AND (entity_id = $3 OR entity_id IN (SELECT k.id FROM contacts k WHERE k.customer_id = $4))",
    )
    .bind(&owner_id)
    .bind(&department_id)
    .bind(customer_id)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes `k` if the stored version is still `k.version - 1`.
pub async fn update(conn: &mut Conn, k: &Contact) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE contacts SET name = $1, title = $2, phone = $3, email = $4, wechat = $5, \
         qq = $6, personality = $7, low_key = $8, buying_role = $9, personal_interest = $10, \
         org_interest = $11, birthday_calendar = $12, birthday_year = $13, birthday_month = $14, \
         birthday_day = $15, birthday_leap = $16, family_events = $17, hobbies = $18, \
         preferred_channel = $19, notes = $20, version = $21, updated_at = $22 \
         WHERE id = $23 AND version = $24",
    )
    .bind(&k.name)
    .bind(&k.title)
    .bind(&k.phone)
    .bind(&k.email)
    .bind(&k.wechat)
    .bind(&k.qq)
    .bind(&k.personality)
    .bind(k.low_key)
    .bind(&k.buying_role)
    .bind(k.personal_interest)
    .bind(k.org_interest)
    .bind(&k.birthday_calendar)
    .bind(k.birthday_year)
    .bind(k.birthday_month)
    .bind(k.birthday_day)
    .bind(k.birthday_leap)
    .bind(&k.family_events)
    .bind(&k.hobbies)
    .bind(&k.preferred_channel)
    .bind(&k.notes)
    .bind(k.version)
    .bind(k.updated_at)
    .bind(&k.id)
    .bind(k.version - 1)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

/// The contact if its customer is visible to `scope`.
pub async fn get(conn: &mut Conn, scope: &Scope, id: &str) -> StoreResult<Contact> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE k.id = ")
        .bind(id);
    scope.push_condition(&mut sql, "c");
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

pub async fn for_customer(conn: &mut Conn, customer_id: &str) -> StoreResult<Vec<Contact>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM contacts k WHERE k.customer_id = ")
        .bind(customer_id)
        .push(" ORDER BY k.name, k.id");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

pub async fn delete(conn: &mut Conn, id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM search_terms WHERE entity = 'contact' AND entity_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM contacts WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    pub personality: Option<String>,
    pub buying_role: Option<String>,
    pub ids: Option<Vec<String>>,
}

/// The scope is tested on the owner and department mirrored onto each contact, so neither
/// the list nor its count reads a customer row. Sorted by customer name, the customers are
/// joined and carry the scope, so the walk goes customer by customer in name order.
fn filter_sql(scope: &Scope, f: &ContactFilter, join_customers: bool) -> Sql {
    let mut sql = if join_customers {
        let mut sql =
            Sql::new(" FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE 1 = 1");
        scope.push_condition(&mut sql, "c");
        sql
    } else {
        let mut sql = Sql::new(" FROM contacts k WHERE 1 = 1");
        scope.push_contact_condition(&mut sql, "k");
        sql
    };
    push_contact_filters(&mut sql, f);
    sql
}

fn push_contact_filters(sql: &mut Sql, f: &ContactFilter) {
    if let Some(v) = &f.personality {
        sql.push(" AND k.personality = ").bind(v);
    }
    if let Some(v) = &f.buying_role {
        sql.push(" AND k.buying_role = ").bind(v);
    }
    if let Some(ids) = &f.ids {
        sql.push(" AND k.id IN ").bind_list(ids.iter());
    }
}

const LIST_COLUMNS: &str = "SELECT k.id, k.customer_id, \
    (SELECT cn.name FROM customers cn WHERE cn.id = k.customer_id) AS customer_name, k.name, \
    k.title, k.phone, k.email, k.personality, k.buying_role, k.personal_interest, \
    k.org_interest, k.updated_at";

/// Contacts ordered by name (or customer) with a total, restricted to visible customers.
pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    scope: &Scope,
    filter: &ContactFilter,
    by_customer: bool,
    desc: bool,
    paging: crate::Paging,
) -> StoreResult<Page<ContactListItem>> {
    let scope = &scope.narrowed(conn).await?;
    let order = order_by(by_customer, desc);
    // The count never needs the customers: it reads the contacts' own scope index.
    crate::fetch_page_counted(
        conn,
        counts,
        &filter_sql(scope, filter, false),
        &filter_sql(scope, filter, by_customer),
        LIST_COLUMNS,
        order,
        paging,
    )
    .await
}

pub async fn list_all(
    conn: &mut Conn,
    scope: &Scope,
    filter: &ContactFilter,
    limit: i64,
) -> StoreResult<Vec<ContactListItem>> {
    let scope = &scope.narrowed(conn).await?;
    let mut sql = filter_sql(scope, filter, false).prefixed(LIST_COLUMNS);
    sql.push(order_by(false, false)).push(" LIMIT ").bind(limit);
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

fn order_by(by_customer: bool, desc: bool) -> &'static str {
    match (by_customer, desc) {
        (false, false) => " ORDER BY k.name ASC, k.id ASC",
        (false, true) => " ORDER BY k.name DESC, k.id DESC",
        (true, false) => " ORDER BY c.name ASC, k.name ASC, k.id ASC",
        (true, true) => " ORDER BY c.name DESC, k.name ASC, k.id ASC",
    }
}

/// The family events of a customer's contacts, by contact id.
pub async fn family_events_of_customer(
    conn: &mut Conn,
    customer_id: &str,
) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, family_events FROM contacts WHERE customer_id = $1 ORDER BY created_at, id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Replaces a contact's family events (a new version of the contact).
pub async fn set_family_events(
    conn: &mut Conn,
    id: &str,
    events: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE contacts SET family_events = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3",
    )
    .bind(events)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
