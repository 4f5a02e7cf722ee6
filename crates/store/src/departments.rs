//! Departments 部门: the unit a manager oversees and revenue is reported by.

use crate::{Conn, StoreResult, new_id};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

pub async fn insert(conn: &mut Conn, name: &str, now: i64) -> StoreResult<Department> {
    let d = Department {
        id: new_id(),
        name: name.to_string(),
        created_at: now,
    };
    sqlx::query("INSERT INTO departments (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&d.id)
        .bind(&d.name)
        .bind(d.created_at)
        .execute(&mut *conn)
        .await?;
    Ok(d)
}

pub async fn list(conn: &mut Conn) -> StoreResult<Vec<Department>> {
    Ok(
        sqlx::query_as("SELECT id, name, created_at FROM departments ORDER BY name")
            .fetch_all(&mut *conn)
            .await?,
    )
}

pub async fn find_by_name(conn: &mut Conn, name: &str) -> StoreResult<Option<Department>> {
    Ok(
        sqlx::query_as("SELECT id, name, created_at FROM departments WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub async fn get(conn: &mut Conn, id: &str) -> StoreResult<Department> {
    Ok(
        sqlx::query_as("SELECT id, name, created_at FROM departments WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?,
    )
}
