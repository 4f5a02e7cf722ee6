//! The search index: prefix-searchable terms per customer and contact, and the range scan
//! that finds them. Works the same on both backends (byte-ordered B-tree on `term`).

use crate::sql::Sql;
use crate::{Conn, Scope, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Hit {
    pub entity: String,
    pub entity_id: String,
    pub term: String,
}

/// Replaces the terms of one customer or contact. Terms are deduplicated here so callers
/// can pass overlapping keys.
pub async fn replace_terms(
    conn: &mut Conn,
    entity: &str,
    entity_id: &str,
    customer_id: &str,
    terms: &[String],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM search_terms WHERE entity_id = $1")
        .bind(entity_id)
        .execute(&mut *conn)
        .await?;
    // Each term carries the customer's owner and department as they are now; a later change
    // of either is copied onto the terms by `contacts::mirror_customer_scope`.
    let (owner_id, department_id) = crate::customers::scope_of(conn, customer_id)
        .await?
        .unwrap_or_default();
    let mut unique: Vec<&String> = terms.iter().filter(|t| !t.is_empty()).collect();
    unique.sort();
    unique.dedup();
    for chunk in unique.chunks(200) {
        let mut sql = Sql::new(
            "INSERT INTO search_terms (term, entity, entity_id, owner_id, department_id) VALUES ",
        );
        for (i, term) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(term.as_str())
                .push(", ")
                .bind(entity)
                .push(", ")
                .bind(entity_id)
                .push(", ")
                .bind(owner_id.clone())
                .push(", ")
                .bind(department_id.clone())
                .push(")");
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Upper bound of the range of strings starting with `prefix`: no valid UTF-8 text that
/// starts with `prefix` sorts at or above `prefix` followed by U+10FFFF in byte order.
fn range_end(prefix: &str) -> String {
    let mut s = prefix.to_string();
    s.push(char::MAX);
    s
}

/// Terms starting with any of `prefixes`, restricted to customers `scope` may see, in term
/// order, at most `cap` rows (one entity may appear under several terms).
pub async fn find(
    conn: &mut Conn,
    scope: &Scope,
    prefixes: &[String],
    cap: i64,
) -> StoreResult<Vec<Hit>> {
    let scope = &scope.narrowed(conn).await?;
    let mut hits = Vec::new();
    for prefix in prefixes.iter().filter(|p| !p.is_empty()) {
        // Everything read here, the scope included, is in the term index's key: the walk in
        // term order tests each key's owner or department as it goes and touches no rows.
        let mut sql = Sql::new(
            "SELECT st.entity, st.entity_id, st.term FROM search_terms st WHERE st.term >= ",
        );
        sql.bind(prefix.as_str())
            .push(" AND st.term < ")
            .bind(range_end(prefix));
        scope.push_term_condition(&mut sql, "st");
        sql.push(" ORDER BY st.term LIMIT ").bind(cap);
        let mut found: Vec<Hit> = sql.query_as().fetch_all(&mut *conn).await?;
        hits.append(&mut found);
    }
    Ok(hits)
}
