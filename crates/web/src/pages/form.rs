//! Small helpers the pages share: form pairs, field errors, options, paging links, dates.

use std::collections::HashMap;

use huike_app::AppError;
use huike_domain::{Coded, Lang};

use crate::i18n::Tr;

/// The `key=value` pairs of a query string or urlencoded body (bad input gives none).
pub fn pairs(bytes: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(bytes).unwrap_or_default()
}

/// For a repeated row of a form (`prefix` + `<n>.<key>`, e.g. `line.2.quantity`): the row
/// number and the key, when `name` is one and `n` is below `max_rows`.
pub fn row_field<'a>(name: &'a str, prefix: &str, max_rows: usize) -> Option<(usize, &'a str)> {
    let (n, key) = name.strip_prefix(prefix)?.split_once('.')?;
    let n = n.parse::<usize>().ok().filter(|n| *n < max_rows)?;
    Some((n, key))
}

/// Percent-encodes one value for a query string.
pub fn url_encode(v: &str) -> String {
    serde_urlencoded::to_string([("v", v)])
        .map(|s| s.trim_start_matches("v=").to_string())
        .unwrap_or_default()
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    if a.len() != b.len() || b.is_empty() {
        return false;
    }
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// A relative path inside this site to return to, never another site; else Today, the home
/// page.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

/// Field errors of a refused form, in the page's language, keyed by field name.
#[derive(Debug, Default, Clone)]
pub struct Errors {
    map: HashMap<String, String>,
    /// A message for the whole form (shown above it).
    pub summary: String,
}

impl Errors {
    pub fn none() -> Errors {
        Errors::default()
    }

    pub fn from_app(e: &AppError, lang: Lang) -> Errors {
        let mut map = HashMap::new();
        for fe in e.field_errors() {
            let msg = fe.message(lang).to_string();
            map.entry(fe.field.clone())
                .and_modify(|m: &mut String| {
                    m.push(' ');
                    m.push_str(&msg);
                })
                .or_insert(msg);
        }
        Errors {
            map,
            summary: e.message(lang),
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    pub fn get(&self, field: &str) -> &str {
        self.map.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn any(&self) -> bool {
        !self.summary.is_empty() || !self.map.is_empty()
    }

    /// The status of a form shown again: 422 with errors, else 200.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.any() {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            axum::http::StatusCode::OK
        }
    }

    /// Errors whose field no input on the form shows (listed in the summary instead).
    pub fn others(&self, shown: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = self
            .map
            .iter()
            .filter(|(k, _)| !shown.contains(&k.as_str()) && !k.starts_with("archive."))
            .map(|(_, m)| m.clone())
            .collect();
        v.sort();
        v
    }
}

/// One option of a select.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Opt {
        Opt {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// The options for a coded vocabulary, preceded by an empty choice labelled `empty`.
pub fn coded_opts<T: Coded + 'static>(all: &[T], lang: Lang, empty: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", empty)];
    v.extend(all.iter().map(|x| Opt::new(x.code(), x.label(lang))));
    v
}

/// A list page's query string with one parameter replaced (for sort and page links).
pub fn with_param(query: &[(String, String)], key: &str, value: &str) -> String {
    let mut out: Vec<(String, String)> = query
        .iter()
        .filter(|(k, v)| k != key && !v.is_empty() && (key == "page" || k != "page"))
        .cloned()
        .collect();
    if !value.is_empty() {
        out.push((key.to_string(), value.to_string()));
    }
    serde_urlencoded::to_string(&out).unwrap_or_default()
}

/// Paging as the list pages show it.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    /// "12" or, when the count stopped at its cap, "…".
    pub pages: String,
    /// "1,234" or "10,000+" when the count stopped at its cap.
    pub total: String,
    pub first_row: i64,
    pub last_row: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `capped`: the count stopped at its cap (the store counts at most
    /// 10,000 rows so a list stays fast over millions), so there may be
    /// more pages than the total says.
    pub fn new(
        path: &str,
        query: &[(String, String)],
        page: i64,
        per_page: i64,
        (total, capped): (i64, bool),
        shown: usize,
    ) -> Pager {
        let pages = if per_page > 0 {
            ((total + per_page - 1) / per_page).max(1)
        } else {
            1
        };
        let more = if capped {
            shown as i64 == per_page
        } else {
            page < pages
        };
        let link = |p: i64| format!("{path}?{}", with_param(query, "page", &p.to_string()));
        let first_row = if shown == 0 {
            0
        } else {
            (page - 1) * per_page + 1
        };
        Pager {
            page,
            pages: if capped {
                "…".to_string()
            } else {
                pages.to_string()
            },
            total: if capped {
                format!("{}+", thousands(total))
            } else {
                thousands(total)
            },
            first_row,
            last_row: first_row + shown as i64 - if shown == 0 { 0 } else { 1 },
            prev: (page > 1).then(|| link(page - 1)),
            next: more.then(|| link(page + 1)),
        }
    }
}

/// 12345 → "12,345".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A list page's links: its path and query, for the pager and the sortable headers.
pub struct ListNav {
    path: &'static str,
    pairs: Vec<(String, String)>,
}

impl ListNav {
    /// `raw` is the request's query string as sent.
    pub fn new(path: &'static str, raw: Option<&str>) -> ListNav {
        ListNav {
            path,
            pairs: raw.map(|r| pairs(r.as_bytes())).unwrap_or_default(),
        }
    }

    pub fn pager<T>(&self, page: &huike_app::views::Page<T>) -> Pager {
        Pager::new(
            self.path,
            &self.pairs,
            page.page,
            page.per_page,
            (page.total, page.total_capped),
            page.items.len(),
        )
    }

    pub fn sort(&self, key: &str) -> SortCol {
        sort_col(self.path, &self.pairs, key)
    }
}

/// A sortable column header: its link and the arrow showing the current order.
#[derive(Debug, Clone)]
pub struct SortCol {
    pub href: String,
    pub arrow: &'static str,
    /// aria-sort value
    pub aria: &'static str,
}

pub fn sort_col(path: &str, query: &[(String, String)], key: &str) -> SortCol {
    let get = |k: &str| {
        query
            .iter()
            .find(|(q, _)| q == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let current = get("sort") == key;
    let desc = get("dir") == "desc";
    let next_dir = if current && !desc { "desc" } else { "asc" };
    let mut q: Vec<(String, String)> = query
        .iter()
        .filter(|(k, v)| k != "sort" && k != "dir" && k != "page" && !v.is_empty())
        .cloned()
        .collect();
    q.push(("sort".into(), key.into()));
    q.push(("dir".into(), next_dir.into()));
    SortCol {
        href: format!(
            "{path}?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        ),
        arrow: match (current, desc) {
            (false, _) => "",
            (true, false) => "▲",
            (true, true) => "▼",
        },
        aria: match (current, desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        },
    }
}

/// A stored instant (ms) as a local Shanghai date and time.
pub fn datetime(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| {
            d.with_timezone(&huike_app::clock::SHANGHAI)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

pub fn date(ms: i64) -> String {
    datetime(ms).chars().take(10).collect()
}

pub fn money(fen: i64, currency: &str) -> String {
    huike_domain::format_money(fen, currency)
}

/// "是/否" or "yes/no".
pub fn yes_no(tr: &Tr, v: bool) -> &'static str {
    match (tr.lang, v) {
        (Lang::ZhCn, true) => "是",
        (Lang::ZhCn, false) => "否",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/customers/1"), "/customers/1");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
    }

    #[test]
    fn paging_links_keep_filters_and_drop_empty_values() {
        let q = vec![
            ("class".to_string(), "A".to_string()),
            ("city".to_string(), String::new()),
            ("page".to_string(), "2".to_string()),
        ];
        let p = Pager::new("/customers", &q, 2, 100, (250, false), 100);
        assert_eq!(p.pages, "3");
        assert_eq!(p.first_row, 101);
        assert_eq!(p.last_row, 200);
        assert_eq!(p.prev.as_deref(), Some("/customers?class=A&page=1"));
        assert_eq!(p.next.as_deref(), Some("/customers?class=A&page=3"));
        let s = sort_col("/customers", &q, "name");
        assert_eq!(s.href, "/customers?class=A&sort=name&dir=asc");
        assert_eq!(s.arrow, "");
    }

    #[test]
    fn repeated_rows_are_read_by_number_and_key() {
        assert_eq!(
            row_field("line.2.quantity", "line.", 10),
            Some((2, "quantity"))
        );
        assert_eq!(row_field("line.12.quantity", "line.", 10), None);
        assert_eq!(row_field("line.x.quantity", "line.", 10), None);
        assert_eq!(row_field("name", "line.", 10), None);
    }

    #[test]
    fn a_capped_count_says_so_and_still_pages_on() {
        let p = Pager::new("/customers", &[], 100, 100, (10_000, true), 100);
        assert_eq!(p.total, "10,000+");
        assert_eq!(p.next.as_deref(), Some("/customers?page=101"));
        let last = Pager::new("/customers", &[], 101, 100, (10_000, true), 40);
        assert_eq!(last.next, None);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc"));
        assert!(!same_secret("", ""));
        assert!(!same_secret("ab", "abc"));
    }
}
