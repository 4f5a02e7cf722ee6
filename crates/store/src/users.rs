//! User accounts: staff who log in, with their role and department.

use crate::sql::Sql;
use crate::{Conn, Page, StoreResult};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department_id: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub locale: String,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Where Huike writes to them; empty when none.
    pub email: String,
    /// On the rep's card and contact labels; empty when none.
    pub phone: String,
    pub wechat: String,
}

/// A user as lists show it, with the department's name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct UserListItem {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub active: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "id, username, display_name, role, department_id, password_hash, locale, \
                       active, created_at, updated_at, email, phone, wechat";

pub async fn insert(conn: &mut Conn, u: &User) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, department_id, password_hash, \
         locale, active, created_at, updated_at, email, phone, wechat) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
    )
    .bind(&u.id)
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.role)
    .bind(&u.department_id)
    .bind(&u.password_hash)
    .bind(&u.locale)
    .bind(u.active)
    .bind(u.created_at)
    .bind(u.updated_at)
    .bind(&u.email)
    .bind(&u.phone)
    .bind(&u.wechat)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn update(conn: &mut Conn, u: &User) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE users SET display_name = $1, role = $2, department_id = $3, locale = $4, \
         active = $5, updated_at = $6, email = $7, phone = $8, wechat = $9 WHERE id = $10",
    )
    .bind(&u.display_name)
    .bind(&u.role)
    .bind(&u.department_id)
    .bind(&u.locale)
    .bind(u.active)
    .bind(u.updated_at)
    .bind(&u.email)
    .bind(&u.phone)
    .bind(&u.wechat)
    .bind(&u.id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

pub async fn set_password(conn: &mut Conn, id: &str, hash: &str, now: i64) -> StoreResult<()> {
    let done = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, id: &str) -> StoreResult<User> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS).push(" FROM users WHERE id = ").bind(id);
    Ok(sql.query_as().fetch_one(&mut *conn).await?)
}

pub async fn find_by_username(conn: &mut Conn, username: &str) -> StoreResult<Option<User>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM users WHERE username = ")
        .bind(username);
    Ok(sql.query_as().fetch_optional(&mut *conn).await?)
}

pub async fn count(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *conn)
        .await?)
}

/// Users ordered by username; `department` restricts to one department (for managers).
pub async fn list(
    conn: &mut Conn,
    counts: &crate::Counts,
    department: Option<&str>,
    paging: crate::Paging,
) -> StoreResult<Page<UserListItem>> {
    let mut filter =
        Sql::new(" FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE 1 = 1");
    if let Some(dep) = department {
        filter.push(" AND u.department_id = ").bind(dep);
    }
    crate::fetch_page(
        conn,
        counts,
        &filter,
        "SELECT u.id, u.username, u.display_name, u.role, u.department_id, \
         d.name AS department_name, u.active, u.created_at",
        " ORDER BY u.username",
        paging,
    )
    .await
}

/// Every user, for pickers.
pub async fn list_all(conn: &mut Conn) -> StoreResult<Vec<User>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS).push(" FROM users ORDER BY username");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

/// The active managers of a department: whom an overdue promise of its people escalates to.
pub async fn managers_of(conn: &mut Conn, department_id: &str) -> StoreResult<Vec<User>> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(" FROM users WHERE role = 'manager' AND active = 1 AND department_id = ")
        .bind(department_id)
        .push(" ORDER BY username");
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}
