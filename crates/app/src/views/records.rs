//! The other records as users see them: timeline entries, orders, users and departments, API
//! tokens, change history and search hits.

use huike_domain::{Channel, Direction, Lang, format_money};
use huike_store::api_tokens::ApiToken;
use huike_store::departments::Department;
use huike_store::interactions::TimelineEntry;
use huike_store::orders::{Order, OrderLineView, OrderListItem};
use huike_store::users::{User, UserListItem};

use super::{ContactRow, CustomerRow, label};
use crate::access::Role;
use crate::audit::HistoryItem;

/// One interaction on a customer's timeline.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TimelineItem {
    pub id: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    /// visit | phone | sms | email | wechat | qq | fax | letter | event | note
    pub channel: String,
    pub channel_label: String,
    /// inbound | outbound
    pub direction: String,
    pub direction_label: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    /// Unix ms.
    pub occurred_at: i64,
    pub summary: String,
    /// The after-sale task whose outcome this entry records.
    pub task_id: Option<String>,
    /// A problem was found: flagged for the service desk.
    pub problem: bool,
    /// The outgoing message this entry is (an e-mail or SMS sent to the customer).
    pub message_id: Option<String>,
    /// How its delivery stands: pending | sending | sent | held | dead | discarded.
    pub delivery_status: Option<String>,
}

impl TimelineItem {
    pub(crate) fn of(t: TimelineEntry, lang: Lang) -> TimelineItem {
        TimelineItem {
            channel_label: label::<Channel>(Some(&t.channel), lang),
            direction_label: label::<Direction>(Some(&t.direction), lang),
            id: t.id,
            customer_id: t.customer_id,
            contact_id: t.contact_id,
            contact_name: t.contact_name,
            channel: t.channel,
            direction: t.direction,
            user_id: t.user_id,
            user_name: t.user_name,
            occurred_at: t.occurred_at,
            summary: t.summary,
            task_id: t.task_id,
            problem: t.problem == 1,
            message_id: t.message_id,
            delivery_status: t.delivery_status,
        }
    }
}

/// One row of an order list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrderRow {
    pub id: String,
    /// SO-YYYYMMDD-NNNN
    pub number: String,
    pub customer_id: String,
    pub customer_name: String,
    pub salesperson_name: Option<String>,
    pub department_name: Option<String>,
    /// YYYY-MM-DD
    pub order_date: String,
    /// YYYY-MM-DD
    pub delivery_date: Option<String>,
    pub currency: String,
    /// In 分.
    pub total_fen: i64,
    /// The total as shown ("¥1,234.50").
    pub total: String,
    /// open | delivered | cancelled
    pub status: String,
}

impl From<OrderListItem> for OrderRow {
    fn from(o: OrderListItem) -> Self {
        OrderRow {
            total: format_money(o.total_fen, &o.currency),
            id: o.id,
            number: o.number,
            customer_id: o.customer_id,
            customer_name: o.customer_name,
            salesperson_name: o.salesperson_name,
            department_name: o.department_name,
            order_date: o.order_date,
            delivery_date: o.delivery_date,
            status: o.status,
            currency: o.currency,
            total_fen: o.total_fen,
        }
    }
}

/// An order's own fields.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrderRecord {
    pub id: String,
    /// SO-YYYYMMDD-NNNN, given when the order is first saved.
    pub number: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub salesperson_id: Option<String>,
    pub department_id: Option<String>,
    /// YYYY-MM-DD
    pub order_date: String,
    /// YYYY-MM-DD
    pub delivery_date: Option<String>,
    pub currency: String,
    /// In 分.
    pub total_fen: i64,
    /// The total as shown ("¥1,234.50").
    pub total: String,
    pub notes: String,
    /// open | delivered | cancelled (a cancelled order's open follow-ups are cancelled).
    pub status: String,
    /// The doubts the customer still had at the deal: the day-2 call's talking points.
    pub doubts: String,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

impl From<Order> for OrderRecord {
    fn from(o: Order) -> Self {
        OrderRecord {
            total: format_money(o.total_fen, &o.currency),
            id: o.id,
            number: o.number,
            customer_id: o.customer_id,
            contact_id: o.contact_id,
            salesperson_id: o.salesperson_id,
            department_id: o.department_id,
            order_date: o.order_date,
            delivery_date: o.delivery_date,
            currency: o.currency,
            total_fen: o.total_fen,
            notes: o.notes,
            status: o.status,
            doubts: o.doubts,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// One line of an order.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrderLineRecord {
    pub id: String,
    pub line_no: i64,
    pub product_id: String,
    pub product_name: String,
    pub sku: String,
    pub quantity: i64,
    /// In 分.
    pub unit_price_fen: i64,
    /// In 分.
    pub amount_fen: i64,
    /// The amount as shown.
    pub amount: String,
}

impl OrderLineRecord {
    pub(crate) fn of(l: OrderLineView, currency: &str) -> OrderLineRecord {
        OrderLineRecord {
            amount: format_money(l.amount_fen, currency),
            id: l.id,
            line_no: l.line_no,
            product_id: l.product_id,
            product_name: l.product_name,
            sku: l.sku,
            quantity: l.quantity,
            unit_price_fen: l.unit_price_fen,
            amount_fen: l.amount_fen,
        }
    }
}

/// An order with its customer's name and its lines.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrderDetail {
    pub order: OrderRecord,
    pub customer_name: String,
    pub lines: Vec<OrderLineRecord>,
}

/// A user (never the password hash).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// admin | manager | sales | service
    pub role: String,
    pub role_label: String,
    pub department_id: Option<String>,
    /// zh-CN | en
    pub locale: String,
    pub active: bool,
    /// Empty when the user has none.
    pub email: String,
    /// On the user's card and contact labels; empty when none.
    pub phone: String,
    pub wechat: String,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

fn role_label(code: &str, lang: Lang) -> String {
    Role::from_code(code)
        .map(|r| r.label(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

impl UserRecord {
    pub(crate) fn of(u: User, lang: Lang) -> UserRecord {
        UserRecord {
            role_label: role_label(&u.role, lang),
            active: u.active == 1,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            department_id: u.department_id,
            locale: u.locale,
            email: u.email,
            phone: u.phone,
            wechat: u.wechat,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// One row of the user list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub role_label: String,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub active: bool,
    /// Unix ms.
    pub created_at: i64,
}

impl UserRow {
    pub(crate) fn of(u: UserListItem, lang: Lang) -> UserRow {
        UserRow {
            role_label: role_label(&u.role, lang),
            active: u.active == 1,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            department_id: u.department_id,
            department_name: u.department_name,
            created_at: u.created_at,
        }
    }
}

/// A department (部门).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DepartmentView {
    pub id: String,
    pub name: String,
}

impl From<Department> for DepartmentView {
    fn from(d: Department) -> Self {
        DepartmentView {
            id: d.id,
            name: d.name,
        }
    }
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub last_used_at: Option<i64>,
    /// Unix ms; a revoked token is refused.
    pub revoked_at: Option<i64>,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        TokenView {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A token just made: the only time its secret is shown.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub name: String,
    /// `hk_…`: send as `Authorization: Bearer hk_…`.
    pub token: String,
}

/// One field an audit entry changed.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FieldChangeView {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One entry of a record's change history.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HistoryView {
    pub id: String,
    /// customer | contact | …
    pub entity: String,
    pub entity_id: String,
    /// create | update | delete | confirm | share | unshare | import
    pub action: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    /// Unix ms.
    pub at: i64,
    pub changes: Vec<FieldChangeView>,
}

impl From<HistoryItem> for HistoryView {
    fn from(h: HistoryItem) -> Self {
        HistoryView {
            id: h.entry.id,
            entity: h.entry.entity,
            entity_id: h.entry.entity_id,
            action: h.entry.action,
            actor_id: h.entry.actor_id,
            actor_name: h.entry.actor_name,
            at: h.entry.at,
            changes: h
                .changes
                .into_iter()
                .map(|c| FieldChangeView {
                    field: c.field,
                    before: c.before,
                    after: c.after,
                })
                .collect(),
        }
    }
}

/// A customer or a contact that matched a search.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SearchHit {
    Customer(CustomerRow),
    Contact(ContactRow),
}

/// One page of search results.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// The query as it was matched (trimmed, full-width folded).
    pub query: String,
    pub items: Vec<SearchHit>,
    /// Matches found (at most the cap; `more` says whether there may be more).
    pub total: i64,
    /// True when the cap was reached: a longer query narrows the results.
    pub more: bool,
    pub page: i64,
    pub per_page: i64,
}
