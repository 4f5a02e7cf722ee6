//! Bulk loading: many rows per INSERT statement, for demo data and large imports.
//!
//! Each row struct mirrors its table's columns exactly, in schema order. The caller owns the
//! transaction: these functions only write, so a chunk of customers with their contacts,
//! orders and search terms can commit (or roll back) together.

use std::sync::Arc;

use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments, AssertSqlSafe};

/// Rows per statement. Larger statements save round trips but the gain flattens out past a
/// few hundred rows, and the bind count must stay below the backends' limits.
pub const ROWS_PER_STATEMENT: usize = 500;
/// SQLite's default SQLITE_MAX_VARIABLE_NUMBER (since 3.32); PostgreSQL allows 65,535.
pub const MAX_BINDS: usize = 32_766;

/// A row that can be written by [`insert_rows`].
pub trait BulkRow {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    /// Binds this row's values in `COLUMNS` order.
    fn bind(&self, args: &mut AnyArguments) -> Result<(), sqlx::error::BoxDynError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department_id: Option<String>,
    pub password_hash: String,
    pub locale: String,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub email: String,
    pub phone: String,
    pub wechat: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRow {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRow {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub category_id: Option<String>,
    pub unit: String,
    pub price_fen: i64,
    pub currency: String,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
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
    /// The customer's owner and department, mirrored so scoped contact lists read one index.
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
}

/// A timeline entry, exactly as stored (one struct for a single insert and a bulk one).
pub use crate::interactions::Interaction as InteractionRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub salesperson_id: Option<String>,
    pub department_id: Option<String>,
    pub order_date: String,
    pub delivery_date: Option<String>,
    pub currency: String,
    pub total_fen: i64,
    pub notes: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub status: String,
    pub doubts: String,
}

/// An after-sale task as the demo writes its history and backlog: the task row itself.
pub use crate::tasks::Task as TaskRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLineRow {
    pub id: String,
    pub order_id: String,
    pub line_no: i64,
    pub product_id: String,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SearchTermRow {
    pub term: String,
    /// "customer" or "contact".
    pub entity: String,
    pub entity_id: String,
    /// The customer's owner and department, as on the customer.
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
}

/// Implements [`BulkRow`] from the column list; the field list must follow the schema order.
macro_rules! bulk_row {
    ($ty:ty, $table:literal, [$($field:ident),+ $(,)?]) => {
        impl BulkRow for $ty {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];
            fn bind(&self, args: &mut AnyArguments) -> Result<(), sqlx::error::BoxDynError> {
                $(args.add(&self.$field)?;)+
                Ok(())
            }
        }
    };
}

bulk_row!(DepartmentRow, "departments", [id, name, created_at]);
bulk_row!(
    UserRow,
    "users",
    [
        id,
        username,
        display_name,
        role,
        department_id,
        password_hash,
        locale,
        active,
        created_at,
        updated_at,
        email,
        phone,
        wechat
    ]
);
bulk_row!(
    CategoryRow,
    "product_categories",
    [id, name, parent_id, created_at]
);
bulk_row!(
    ProductRow,
    "products",
    [
        id,
        sku,
        name,
        category_id,
        unit,
        price_fen,
        currency,
        active,
        created_at,
        updated_at
    ]
);
bulk_row!(
    CustomerRow,
    "customers",
    [
        id,
        kind,
        name,
        customer_class,
        tags,
        province,
        city,
        district,
        address,
        phone,
        email,
        wechat,
        qq,
        owner_id,
        department_id,
        founded_on,
        first_trade_on,
        archive,
        basic_confirmed_at,
        characteristics_confirmed_at,
        business_confirmed_at,
        trading_confirmed_at,
        research_confirmed_at,
        version,
        created_at,
        updated_at
    ]
);
bulk_row!(
    ContactRow,
    "contacts",
    [
        id,
        customer_id,
        name,
        title,
        phone,
        email,
        wechat,
        qq,
        personality,
        low_key,
        buying_role,
        personal_interest,
        org_interest,
        birthday_calendar,
        birthday_year,
        birthday_month,
        birthday_day,
        birthday_leap,
        family_events,
        hobbies,
        preferred_channel,
        notes,
        version,
        created_at,
        updated_at,
        owner_id,
        department_id
    ]
);
bulk_row!(
    InteractionRow,
    "interactions",
    [
        id,
        customer_id,
        contact_id,
        channel,
        direction,
        user_id,
        occurred_at,
        summary,
        created_at,
        task_id,
        problem,
        message_id
    ]
);
bulk_row!(
    OrderRow,
    "orders",
    [
        id,
        number,
        customer_id,
        contact_id,
        salesperson_id,
        department_id,
        order_date,
        delivery_date,
        currency,
        total_fen,
        notes,
        created_at,
        updated_at,
        status,
        doubts
    ]
);
bulk_row!(
    TaskRow,
    "tasks",
    [
        id,
        idem_key,
        kind,
        status,
        customer_id,
        contact_id,
        order_id,
        owner_id,
        department_id,
        due_date,
        doubts,
        outcome,
        outcome_note,
        done_at,
        done_on,
        done_by,
        created_at,
        updated_at,
        promise_id
    ]
);
bulk_row!(
    OrderLineRow,
    "order_lines",
    [
        id,
        order_id,
        line_no,
        product_id,
        quantity,
        unit_price_fen,
        amount_fen
    ]
);
bulk_row!(
    SearchTermRow,
    "search_terms",
    [term, entity, entity_id, owner_id, department_id]
);

// Audit entries are written as read: one struct for both.
bulk_row!(
    crate::audit::AuditEntry,
    "audit_log",
    [
        id,
        entity,
        entity_id,
        action,
        actor_id,
        actor_name,
        at,
        before_json,
        after_json
    ]
);

bulk_row!(
    crate::greetings::Greeting,
    "greetings",
    [
        id,
        contact_id,
        customer_id,
        owner_id,
        department_id,
        day,
        occasion,
        detail,
        level,
        campaign_id,
        task_id,
        status,
        channel,
        subject,
        body,
        note,
        created_at,
        updated_at
    ]
);
bulk_row!(
    crate::greetings::Campaign,
    "greeting_campaigns",
    [
        id,
        idem_key,
        owner_id,
        department_id,
        occasion,
        detail,
        day,
        status,
        size,
        sent_at,
        sent_by,
        created_at,
        updated_at,
        sent_count,
        by_hand_count,
        skipped_count,
        dropped_count
    ]
);
bulk_row!(
    crate::outbox::Message,
    "outbox",
    [
        id,
        idem_key,
        channel,
        recipient,
        subject,
        body,
        lang,
        event,
        customer_id,
        contact_id,
        task_id,
        status,
        attempts,
        next_attempt_at,
        claimed_by,
        claimed_until,
        last_error,
        sent_at,
        created_at,
        updated_at
    ]
);

bulk_row!(
    crate::faults::FaultCustomer,
    "fault_customers",
    [campaign_id, customer_id, task_id, owner_id, department_id]
);

bulk_row!(
    crate::referrals::Referral,
    "referrals",
    [
        id,
        referrer_id,
        referrer_contact_id,
        prospect_name,
        prospect_person,
        prospect_phone,
        prospect_email,
        note,
        referred_on,
        status,
        customer_id,
        lost_reason,
        owner_id,
        department_id,
        created_by,
        created_at,
        updated_at
    ]
);
bulk_row!(
    crate::referrals::Reward,
    "referral_rewards",
    [
        id,
        referral_id,
        referrer_id,
        order_id,
        amount_fen,
        gift,
        due_on,
        status,
        paid_on,
        paid_by,
        paid_note,
        owner_id,
        department_id,
        created_at,
        updated_at
    ]
);

/// Rows per statement for a table of `columns` columns.
pub fn rows_per_statement(columns: usize) -> usize {
    ROWS_PER_STATEMENT.min(MAX_BINDS / columns.max(1)).max(1)
}

/// How a backend numbers bind parameters in our statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholders {
    /// `$1, $2, …`: PostgreSQL (and what the rest of the store writes).
    Numbered,
    /// Anonymous `?`: SQLite. sqlx looks up every parameter's name, and SQLite finds a name
    /// by scanning all of the statement's names, so numbered parameters cost O(n²) per
    /// statement: 80% of the load time at 500 rows per statement. `?` has no name.
    Anonymous,
}

impl Placeholders {
    fn of(conn: &AnyConnection) -> Placeholders {
        if crate::Backend::of(conn) == crate::Backend::Sqlite {
            Placeholders::Anonymous
        } else {
            Placeholders::Numbered
        }
    }
}

/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), …` (or with `?`) for `rows` rows.
fn insert_sql(table: &str, columns: &[&str], rows: usize, style: Placeholders) -> String {
    let mut sql = String::with_capacity(64 + rows * columns.len() * 7);
    sql.push_str("INSERT INTO ");
    sql.push_str(table);
    sql.push_str(" (");
    sql.push_str(&columns.join(", "));
    sql.push_str(") VALUES ");
    let mut n = 0usize;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push(',');
            }
            n += 1;
            match style {
                Placeholders::Numbered => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
                Placeholders::Anonymous => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

/// Writes `rows` with as few statements as the bind limit allows. Statements of the full
/// batch size share one SQL text, so the connection's statement cache prepares it once.
pub async fn insert_rows<R: BulkRow>(
    conn: &mut AnyConnection,
    rows: &[R],
) -> Result<(), sqlx::Error> {
    write_rows(conn, rows, "").await.map(|_| ())
}

/// As [`insert_rows`], but a row whose `key` (a column with a unique index) is already on file
/// is left out instead of failing the statement; returns how many rows were written.
pub async fn insert_rows_once<R: BulkRow>(
    conn: &mut AnyConnection,
    rows: &[R],
    key: &str,
) -> Result<u64, sqlx::Error> {
    write_rows(conn, rows, &format!(" ON CONFLICT ({key}) DO NOTHING")).await
}

async fn write_rows<R: BulkRow>(
    conn: &mut AnyConnection,
    rows: &[R],
    suffix: &str,
) -> Result<u64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let style = Placeholders::of(conn);
    let per = rows_per_statement(R::COLUMNS.len());
    let full_rows = per.min(rows.len());
    let statement = |n: usize| -> Arc<str> {
        let mut sql = insert_sql(R::TABLE, R::COLUMNS, n, style);
        sql.push_str(suffix);
        sql.into()
    };
    let full = statement(full_rows);
    let mut written = 0;
    for chunk in rows.chunks(per) {
        let sql = if chunk.len() == full_rows {
            full.clone()
        } else {
            statement(chunk.len())
        };
        let mut args = AnyArguments::default();
        args.reserve(chunk.len() * R::COLUMNS.len(), 0);
        for row in chunk {
            row.bind(&mut args).map_err(sqlx::Error::Encode)?;
        }
        written += sqlx::query_with(AssertSqlSafe(sql), args)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(written)
}

pub async fn insert_departments(
    conn: &mut AnyConnection,
    rows: &[DepartmentRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

pub async fn insert_users(conn: &mut AnyConnection, rows: &[UserRow]) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

/// Parents must come before their children in `rows` (checked row by row on SQLite).
pub async fn insert_categories(
    conn: &mut AnyConnection,
    rows: &[CategoryRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

pub async fn insert_products(
    conn: &mut AnyConnection,
    rows: &[ProductRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

pub async fn insert_customers(
    conn: &mut AnyConnection,
    rows: &[CustomerRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

pub async fn insert_contacts(
    conn: &mut AnyConnection,
    rows: &[ContactRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

pub async fn insert_tasks(conn: &mut AnyConnection, rows: &[TaskRow]) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

pub async fn insert_interactions(
    conn: &mut AnyConnection,
    rows: &[InteractionRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

/// Also raises each day's order-number counter to the highest number written here, in the
/// same transaction, so the app's next order of that day follows on instead of taking a
/// number these rows already have (see [`crate::orders::next_number`]).
pub async fn insert_orders(conn: &mut AnyConnection, rows: &[OrderRow]) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await?;
    raise_order_numbers(conn, rows).await
}

/// A day's order-number counter.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OrderNumberRow {
    day: String,
    last_seq: i64,
}

bulk_row!(OrderNumberRow, "order_numbers", [day, last_seq]);

/// Upserts the highest sequence per day among `rows`; a counter already past it stays.
async fn raise_order_numbers(
    conn: &mut AnyConnection,
    rows: &[OrderRow],
) -> Result<(), sqlx::Error> {
    let mut highest: std::collections::BTreeMap<&str, i64> = Default::default();
    for (day, seq) in rows
        .iter()
        .filter_map(|r| crate::orders::split_number(&r.number))
    {
        let top = highest.entry(day).or_insert(seq);
        *top = (*top).max(seq);
    }
    let counters: Vec<OrderNumberRow> = highest
        .into_iter()
        .map(|(day, last_seq)| OrderNumberRow {
            day: day.to_string(),
            last_seq,
        })
        .collect();
    let style = Placeholders::of(conn);
    for chunk in counters.chunks(rows_per_statement(OrderNumberRow::COLUMNS.len())) {
        let mut sql = insert_sql(
            OrderNumberRow::TABLE,
            OrderNumberRow::COLUMNS,
            chunk.len(),
            style,
        );
        // CASE rather than max()/GREATEST(): the one spelling both backends accept.
        sql.push_str(
            " ON CONFLICT (day) DO UPDATE SET last_seq = CASE \
             WHEN excluded.last_seq > order_numbers.last_seq THEN excluded.last_seq \
             ELSE order_numbers.last_seq END",
        );
        let mut args = AnyArguments::default();
        for row in chunk {
            row.bind(&mut args).map_err(sqlx::Error::Encode)?;
        }
        sqlx::query_with(AssertSqlSafe(sql), args)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert_order_lines(
    conn: &mut AnyConnection,
    rows: &[OrderLineRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

/// Terms must be unique per (term, entity, entity_id): the primary key.
pub async fn insert_search_terms(
    conn: &mut AnyConnection,
    rows: &[SearchTermRow],
) -> Result<(), sqlx::Error> {
    insert_rows(conn, rows).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_under_the_bind_limit() {
        for cols in [3, 4, 7, 9, 10, 13, 25, 26, 100] {
            let per = rows_per_statement(cols);
            assert!(per * cols <= MAX_BINDS, "{cols}");
            assert!(per >= 1);
        }
        assert_eq!(rows_per_statement(26), 500);
        assert_eq!(rows_per_statement(100), 327);
    }

    #[test]
    fn sql_numbers_placeholders_in_order() {
        let sql = insert_sql("t", &["a", "b"], 2, Placeholders::Numbered);
        assert_eq!(sql, "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4)");
        let sql = insert_sql("t", &["a", "b"], 2, Placeholders::Anonymous);
        assert_eq!(sql, "INSERT INTO t (a, b) VALUES (?,?),(?,?)");
    }

    #[test]
    fn columns_follow_the_schema() {
        let schema = crate::db::MIGRATIONS
            .iter()
            .map(|(_, _, sql)| *sql)
            .collect::<Vec<_>>()
            .join("\n");
        let schema = schema.as_str();
        /// The table's columns as last created (directly or as a table renamed to it), then
        /// as added by later `ALTER TABLE … ADD COLUMN`.
        fn check<R: BulkRow>(schema: &str) {
            let renamed_to = format!(" RENAME TO {};", R::TABLE);
            let mut names = vec![R::TABLE.to_string()];
            names.extend(schema.lines().filter_map(|l| {
                l.strip_suffix(renamed_to.as_str())
                    .and_then(|l| l.strip_prefix("ALTER TABLE "))
                    .map(str::to_string)
            }));
            let start = names
                .iter()
                .filter_map(|n| schema.rfind(&format!("CREATE TABLE {n} (")))
                .max()
                .unwrap_or_else(|| panic!("no table {}", R::TABLE));
            let body = &schema[start..];
            let body = &body[..body.find(");").unwrap_or(body.len())];
            let mut cols: Vec<&str> = body
                .lines()
                .skip(1)
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("--"))
                .filter(|l| !l.starts_with("PRIMARY KEY"))
                .filter_map(|l| l.split_whitespace().next())
                .collect();
            let added = format!("ALTER TABLE {} ADD COLUMN ", R::TABLE);
            cols.extend(schema[start..].lines().filter_map(|l| {
                l.strip_prefix(added.as_str())
                    .and_then(|rest| rest.split_whitespace().next())
            }));
            assert_eq!(cols, R::COLUMNS, "{}", R::TABLE);
        }
        check::<DepartmentRow>(schema);
        check::<UserRow>(schema);
        check::<CategoryRow>(schema);
        check::<ProductRow>(schema);
        check::<CustomerRow>(schema);
        check::<ContactRow>(schema);
        check::<InteractionRow>(schema);
        check::<OrderRow>(schema);
        check::<OrderLineRow>(schema);
        check::<TaskRow>(schema);
        check::<OrderNumberRow>(schema);
        check::<SearchTermRow>(schema);
        check::<crate::audit::AuditEntry>(schema);
    }
}
