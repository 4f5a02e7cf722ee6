//! What the use cases return: the records as users see them (codes with their labels in the
//! caller's language, flags as booleans, the method's rules already applied), so the pages and
//! the API render the same values and the OpenAPI schemas describe what is really sent.

mod catalogue;
mod customer;
mod delivery;
mod people;
mod records;
mod tasks;

pub use catalogue::{CategoryView, ProductRecord, ProductRow};
pub use customer::{CustomerPage, CustomerRecord, CustomerRow, SectionView, ShareView, TrustView};
pub use delivery::{OutboxView, WebhookView};
pub use people::{ContactRow, ContactView, FamilyEventView};
pub use records::{
    CreatedToken, DepartmentView, FieldChangeView, HistoryView, OrderDetail, OrderLineRecord,
    OrderRecord, OrderRow, SearchHit, SearchResults, TimelineItem, TokenView, UserRecord, UserRow,
};

pub use tasks::{TaskGroup, TaskView, TeamMemberLoad, TodayView};

use huike_domain::Lang;

/// One page of a list plus the number of matching rows.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Exact up to 10,000; when `total_capped`, at least that many match.
    pub total: i64,
    /// True when more than 10,000 rows match and `total` is that cap.
    pub total_capped: bool,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
    /// Pages of `per_page` rows that `total` fills (at least 1).
    pub pages: i64,
}

/// The rows before page `page` (from 1; anything lower is the first) of `per_page` rows,
/// without overflowing on an absurd page number.
pub fn offset(page: i64, per_page: i64) -> i64 {
    (page.max(1) - 1).saturating_mul(per_page)
}

impl<T> Page<T> {
    /// A stored page with each row turned into its view.
    pub(crate) fn of<S>(p: huike_store::Page<S>, view: impl FnMut(S) -> T) -> Page<T> {
        let pages = p.pages();
        Page {
            items: p.items.into_iter().map(view).collect(),
            total: p.total,
            total_capped: p.total_capped,
            page: p.page,
            per_page: p.per_page,
            pages,
        }
    }
}

/// The label of a stored code in `lang`, or the code itself when it is unknown (a value a
/// newer version wrote), or empty when there is none.
pub(crate) fn label<T: huike_domain::Coded>(code: Option<&str>, lang: Lang) -> String {
    match code {
        None | Some("") => String::new(),
        Some(c) => T::from_code(c)
            .map(|v| v.label(lang).to_string())
            .unwrap_or_else(|| c.to_string()),
    }
}
