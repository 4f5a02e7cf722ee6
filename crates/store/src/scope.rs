//! Which customers a caller may see: the visibility rule turned into a SQL condition, so every
//! list, search, export and single-record read carries it in its WHERE clause.

use crate::sql::Sql;
use crate::{Conn, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Admins (and service agents, who take complaints from any customer).
    All,
    /// Managers: customers of their department.
    Department(String),
    /// Sales reps: customers they own or that are shared with them.
    Rep(String),
    /// A sales rep with no shared customers: exactly the customers they own. Lists read this
    /// straight off an owner-leading index in sort order, where the owner-or-shared test of
    /// [`Scope::Rep`] makes the database gather and sort every customer the rep owns.
    Owner(String),
    /// A manager with no department sees nothing rather than everything.
    Nothing,
}

impl Scope {
    /// The cheapest equal condition for this caller: a rep nothing is shared with becomes
    /// [`Scope::Owner`]. One indexed lookup; lists and searches call it before they build SQL.
    pub async fn narrowed(&self, conn: &mut Conn) -> StoreResult<Scope> {
        if let Scope::Rep(user) = self {
            let shared: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM customer_shares WHERE user_id = $1 LIMIT 1")
                    .bind(user)
                    .fetch_optional(&mut *conn)
                    .await?;
            if shared.is_none() {
                return Ok(Scope::Owner(user.clone()));
            }
        }
        Ok(self.clone())
    }

    /// Appends ` AND <condition>` restricting the customers aliased `alias`.
    pub fn push_condition(&self, sql: &mut Sql, alias: &str) {
        self.push(sql, alias, "id", false);
    }

    /// Appends ` AND <condition>` restricting rows aliased `alias` that are one owner's work
    /// (greeting campaigns, fault-notice calls) by their `owner_id` and `department_id`: the
    /// owner sees theirs, a manager their department's. A customer shared with a rep stays
    /// its owner's work.
    pub fn push_owner_condition(&self, sql: &mut Sql, alias: &str) {
        match self {
            Scope::All => {}
            Scope::Department(d) => {
                sql.push(" AND ")
                    .push(alias)
                    .push(".department_id = ")
                    .bind(d.as_str());
            }
            Scope::Rep(u) | Scope::Owner(u) => {
                sql.push(" AND ")
                    .push(alias)
                    .push(".owner_id = ")
                    .bind(u.as_str());
            }
            Scope::Nothing => {
                sql.push(" AND 1 = 0");
            }
        }
    }

    /// Appends ` AND <condition>` restricting the contacts aliased `alias` by the owner and
    /// department mirrored onto each contact from its customer, so no customer row is read.
    pub fn push_contact_condition(&self, sql: &mut Sql, alias: &str) {
        self.push(sql, alias, "customer_id", false);
    }

    /// Appends ` AND <condition>` restricting the search terms aliased `alias` by the owner
    /// and department mirrored onto each term. A shared customer is matched by its own id
    /// or one of its contacts' ids, the entity a term belongs to.
    pub fn push_term_condition(&self, sql: &mut Sql, alias: &str) {
        self.push(sql, alias, "entity_id", true);
    }

    /// `alias` has `owner_id` and `department_id` columns and the customer's id in `id_col`
    /// (or, `with_contacts`, the id of the customer or of one of its contacts).
    fn push(&self, sql: &mut Sql, alias: &str, id_col: &str, with_contacts: bool) {
        match self {
            Scope::All => {}
            Scope::Department(dep) => {
                sql.push(" AND ")
                    .push(alias)
                    .push(".department_id = ")
                    .bind(dep);
            }
            Scope::Rep(user) => {
                // `id IN (shares)` rather than a correlated EXISTS: both sides of the OR are
                // then index lookups (SQLite's multi-index OR), so counting a rep's customers
                // reads their index entries instead of every customer row.
                sql.push(" AND (")
                    .push(alias)
                    .push(".owner_id = ")
                    .bind(user)
                    .push(" OR ")
                    .push(alias)
                    .push(".")
                    .push(id_col)
                    .push(" IN (SELECT s.customer_id FROM customer_shares s WHERE s.user_id = ")
                    .bind(user);
                if with_contacts {
                    sql.push(
                        " UNION ALL SELECT k.id FROM customer_shares s \
                         JOIN contacts k ON k.customer_id = s.customer_id WHERE s.user_id = ",
                    )
                    .bind(user);
                }
                sql.push("))");
            }
            Scope::Owner(user) => {
                sql.push(" AND ")
                    .push(alias)
                    .push(".owner_id = ")
                    .bind(user);
            }
            Scope::Nothing => {
                sql.push(" AND 1 = 0");
            }
        }
    }
}
