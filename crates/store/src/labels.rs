//! Contact-label links: the unguessable token an order's printed labels carry, and the form
//! secret that signs the public help form's time tokens.

use crate::{Conn, StoreResult};

/// What a label's token stands for: never shown on the public page itself.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LabelLink {
    pub token: String,
    pub order_id: String,
    pub customer_id: String,
}

/// The order's token: `token` is written when the order has none yet, else the one on file
/// is kept, so labels printed again still open the same page.
pub async fn link_for_order(
    conn: &mut Conn,
    order_id: &str,
    customer_id: &str,
    token: &str,
    now: i64,
) -> StoreResult<String> {
    sqlx::query(
        "INSERT INTO label_links (token, order_id, customer_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(token)
    .bind(order_id)
    .bind(customer_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT token FROM label_links WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(&mut *conn)
            .await?,
    )
}

pub async fn by_token(conn: &mut Conn, token: &str) -> StoreResult<Option<LabelLink>> {
    Ok(
        sqlx::query_as("SELECT token, order_id, customer_id FROM label_links WHERE token = $1")
            .bind(token)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The secret of public forms, made once (by whichever instance asks first) and kept in the
/// settings, so every instance on the same database checks the same tokens. Read first: a
/// public page is shown far more often than the secret is made.
pub async fn form_secret(conn: &mut Conn, fresh: &str) -> StoreResult<String> {
    if let Some(s) = crate::settings::get(conn, "public_form_secret").await? {
        return Ok(s);
    }
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('public_form_secret', $1) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(fresh)
    .execute(&mut *conn)
    .await?;
    Ok(crate::settings::get(conn, "public_form_secret")
        .await?
        .unwrap_or_default())
}
