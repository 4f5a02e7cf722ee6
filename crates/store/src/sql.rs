//! A small SQL builder for the dynamic parts of queries (filters, sorting, paging) that keeps
//! placeholder numbers and bound values in step, so user input is never spliced into SQL.

use sqlx::any::AnyArguments;
use sqlx::{Any, AssertSqlSafe};

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Int(i64),
    OptText(Option<String>),
    OptInt(Option<i64>),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Int(i64::from(v))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::OptText(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::OptText(v.map(str::to_string))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::OptInt(v)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    /// Appends literal SQL written by us, never by a user.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder and remembers its value.
    pub fn bind(&mut self, arg: impl Into<Arg>) -> &mut Self {
        self.args.push(arg.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(p1, p2, …)` for an IN list.
    pub fn bind_list<A: Into<Arg>>(&mut self, items: impl IntoIterator<Item = A>) -> &mut Self {
        self.text.push('(');
        let mut first = true;
        for item in items {
            if !first {
                self.text.push_str(", ");
            }
            first = false;
            self.bind(item);
        }
        if first {
            // An empty IN list is a syntax error on both backends; NULL matches nothing.
            self.text.push_str("NULL");
        }
        self.text.push(')');
        self
    }

    /// A new query `prefix` + this one's text, with the same bound values: the way a list
    /// and its COUNT share one filter.
    pub fn prefixed(&self, prefix: &str) -> Sql {
        Sql {
            text: format!("{prefix}{}", self.text),
            args: self.args.clone(),
        }
    }

    /// The text and the bound values together: equal keys are the same query.
    pub fn key(&self) -> String {
        format!("{}\u{0}{:?}", self.text, self.args)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(self.text.as_str()));
        for a in &self.args {
            q = bind_arg(q, a);
        }
        q
    }

    pub fn query_as<T>(&self) -> sqlx::query::QueryAs<'_, Any, T, AnyArguments>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<Any, T>(AssertSqlSafe(self.text.as_str()));
        for a in &self.args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(v) => q.bind(*v),
                Arg::OptText(v) => q.bind(v.clone()),
                Arg::OptInt(v) => q.bind(*v),
            };
        }
        q
    }

    pub fn query_scalar<T>(&self) -> sqlx::query::QueryScalar<'_, Any, T, AnyArguments>
    where
        T: sqlx::Type<Any> + for<'r> sqlx::Decode<'r, Any> + Send + Unpin,
    {
        let mut q = sqlx::query_scalar::<Any, T>(AssertSqlSafe(self.text.as_str()));
        for a in &self.args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(v) => q.bind(*v),
                Arg::OptText(v) => q.bind(v.clone()),
                Arg::OptInt(v) => q.bind(*v),
            };
        }
        q
    }
}

fn bind_arg<'q>(
    q: sqlx::query::Query<'q, Any, AnyArguments>,
    a: &Arg,
) -> sqlx::query::Query<'q, Any, AnyArguments> {
    match a {
        Arg::Text(s) => q.bind(s.clone()),
        Arg::Int(v) => q.bind(*v),
        Arg::OptText(v) => q.bind(v.clone()),
        Arg::OptInt(v) => q.bind(*v),
    }
}
