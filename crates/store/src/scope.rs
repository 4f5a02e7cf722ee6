//! Which customers a caller may see: the visibility rule turned into a SQL condition, so every
//! list, search, export and single-record read carries it in its WHERE clause.

use crate::sql::Sql;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Admins (and service agents, who take complaints from any customer).
    All,
    /// Managers: customers of their department.
    Department(String),
    /// Sales reps: customers they own or that are shared with them.
    Rep(String),
    /// A manager with no department sees nothing rather than everything.
    Nothing,
}

impl Scope {
    /// Appends ` AND <condition>` restricting the customers aliased `alias`.
    pub fn push_condition(&self, sql: &mut Sql, alias: &str) {
        match self {
            Scope::All => {}
            Scope::Department(dep) => {
                sql.push(" AND ")
                    .push(alias)
                    .push(".department_id = ")
                    .bind(dep);
            }
            Scope::Rep(user) => {
                sql.push(" AND (")
                    .push(alias)
                    .push(".owner_id = ")
                    .bind(user)
                    .push(" OR EXISTS (SELECT 1 FROM customer_shares s WHERE s.customer_id = ")
                    .push(alias)
                    .push(".id AND s.user_id = ")
                    .bind(user)
                    .push("))");
            }
            Scope::Nothing => {
                sql.push(" AND 1 = 0");
            }
        }
    }
}
