//! Customers as users see them: the record with its archive and section staleness, the list
//! row, and the customer page with its contacts, trust, timeline and orders.

use huike_domain::customer::is_stale;
use huike_domain::people::CustomerTrust;
use huike_domain::{Archive, ArchiveSection, CustomerKind, Lang};
use huike_store::customers::{Customer, CustomerListItem, Share};

use super::{ContactView, OrderRow, TimelineItem, label};
use crate::validate::tag_list;

/// The five archive sections' confirmation times, in [`ArchiveSection::ALL`] order.
fn confirmations(times: [Option<i64>; 5]) -> impl Iterator<Item = (ArchiveSection, Option<i64>)> {
    ArchiveSection::ALL.iter().copied().zip(times)
}

/// Province, city and district as one line.
pub(crate) fn region(province: &str, city: &str, district: &str) -> String {
    [province, city, district]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One section of the archive: when it was last confirmed and whether that is too long ago.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SectionView {
    /// basic | characteristics | business | trading | research
    pub section: String,
    pub label: String,
    /// Unix ms; absent when never confirmed.
    pub confirmed_at: Option<i64>,
    /// Not confirmed within the stale period (setting, 180 days by default).
    pub stale: bool,
}

/// A customer record with its whole archive.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CustomerRecord {
    pub id: String,
    /// organization | person
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    /// A | B | C
    pub customer_class: Option<String>,
    pub tags: Vec<String>,
    pub province: String,
    pub city: String,
    pub district: String,
    /// Province, city and district as one line.
    pub region: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub qq: String,
    pub owner_id: Option<String>,
    pub department_id: Option<String>,
    /// YYYY-MM-DD
    pub founded_on: Option<String>,
    /// YYYY-MM-DD
    pub first_trade_on: Option<String>,
    /// The archive sections (field → text) and the competitors.
    #[schema(value_type = Object)]
    pub archive: Archive,
    /// Every section, in order, with its confirmation time.
    pub sections: Vec<SectionView>,
    /// Whether any section is stale.
    pub stale: bool,
    /// Send it back with an edit: a save based on an older version is refused.
    pub version: i64,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

impl CustomerRecord {
    pub(crate) fn of(c: Customer, lang: Lang, now: i64, stale_days: i64) -> CustomerRecord {
        let sections: Vec<SectionView> = confirmations([
            c.basic_confirmed_at,
            c.characteristics_confirmed_at,
            c.business_confirmed_at,
            c.trading_confirmed_at,
            c.research_confirmed_at,
        ])
        .map(|(s, at)| SectionView {
            section: s.code().to_string(),
            label: s.label(lang).to_string(),
            confirmed_at: at,
            stale: is_stale(at, now, stale_days),
        })
        .collect();
        CustomerRecord {
            kind_label: label::<CustomerKind>(Some(&c.kind), lang),
            region: region(&c.province, &c.city, &c.district),
            tags: tag_list(&c.tags),
            archive: crate::customers::parse_archive(&c.archive),
            stale: sections.iter().any(|s| s.stale),
            sections,
            id: c.id,
            kind: c.kind,
            name: c.name,
            customer_class: c.customer_class,
            province: c.province,
            city: c.city,
            district: c.district,
            address: c.address,
            phone: c.phone,
            email: c.email,
            wechat: c.wechat,
            qq: c.qq,
            owner_id: c.owner_id,
            department_id: c.department_id,
            founded_on: c.founded_on,
            first_trade_on: c.first_trade_on,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }

    /// When each section was last confirmed.
    pub fn confirmed(&self) -> Vec<(ArchiveSection, Option<i64>)> {
        self.sections
            .iter()
            .filter_map(|s| ArchiveSection::from_code(&s.section).map(|x| (x, s.confirmed_at)))
            .collect()
    }
}

/// One row of the customer list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CustomerRow {
    pub id: String,
    /// organization | person
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    /// A | B | C
    pub customer_class: Option<String>,
    pub tags: Vec<String>,
    pub province: String,
    pub city: String,
    pub district: String,
    pub region: String,
    pub phone: String,
    pub email: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub department_name: Option<String>,
    /// Whether any archive section is stale.
    pub stale: bool,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

impl CustomerRow {
    pub(crate) fn of(c: CustomerListItem, lang: Lang, now: i64, stale_days: i64) -> CustomerRow {
        let stale = confirmations([
            c.basic_confirmed_at,
            c.characteristics_confirmed_at,
            c.business_confirmed_at,
            c.trading_confirmed_at,
            c.research_confirmed_at,
        ])
        .any(|(_, at)| is_stale(at, now, stale_days));
        CustomerRow {
            kind_label: label::<CustomerKind>(Some(&c.kind), lang),
            region: region(&c.province, &c.city, &c.district),
            tags: tag_list(&c.tags),
            stale,
            id: c.id,
            kind: c.kind,
            name: c.name,
            customer_class: c.customer_class,
            province: c.province,
            city: c.city,
            district: c.district,
            phone: c.phone,
            email: c.email,
            owner_id: c.owner_id,
            owner_name: c.owner_name,
            department_name: c.department_name,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A user the customer is shared with.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ShareView {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
}

impl From<Share> for ShareView {
    fn from(s: Share) -> Self {
        ShareView {
            user_id: s.user_id,
            username: s.username,
            display_name: s.display_name,
        }
    }
}

/// The customer's trust rolled up from its contacts (the method's four quadrants).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TrustView {
    /// outsider | supplier | friend | partner
    pub quadrant: String,
    pub label: String,
    /// personal | organisational: what is still missing to become a partner.
    pub missing_axes: Vec<String>,
    pub missing_labels: Vec<String>,
    /// Each buying role a contact holds, with the best quadrant among them.
    pub roles: Vec<RoleTrust>,
    /// The buying roles no contact is recorded in.
    pub roles_missing: Vec<String>,
    pub roles_missing_labels: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RoleTrust {
    pub role: String,
    pub role_label: String,
    pub quadrant: String,
    pub quadrant_label: String,
}

impl TrustView {
    pub(crate) fn of(t: &CustomerTrust, lang: Lang) -> TrustView {
        TrustView {
            quadrant: t.quadrant.code().to_string(),
            label: t.quadrant.label(lang).to_string(),
            missing_axes: t
                .missing_axes
                .iter()
                .map(|a| a.code().to_string())
                .collect(),
            missing_labels: t
                .missing_axes
                .iter()
                .map(|a| a.label(lang).to_string())
                .collect(),
            roles: t
                .roles
                .iter()
                .map(|(r, q)| RoleTrust {
                    role: r.code().to_string(),
                    role_label: r.label(lang).to_string(),
                    quadrant: q.code().to_string(),
                    quadrant_label: q.label(lang).to_string(),
                })
                .collect(),
            roles_missing: t
                .roles_missing
                .iter()
                .map(|r| r.code().to_string())
                .collect(),
            roles_missing_labels: t
                .roles_missing
                .iter()
                .map(|r| r.label(lang).to_string())
                .collect(),
        }
    }
}

/// Everything the customer page shows.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CustomerPage {
    pub customer: CustomerRecord,
    pub owner_name: Option<String>,
    pub department_name: Option<String>,
    /// Each with the approach for their personality type.
    pub contacts: Vec<ContactView>,
    pub trust: TrustView,
    /// Newest first, at most 100 (filtered as asked).
    pub timeline: Vec<TimelineItem>,
    /// The 20 newest.
    pub orders: Vec<OrderRow>,
    pub orders_total: i64,
    pub shares: Vec<ShareView>,
    /// Whether the caller may change this customer.
    pub can_edit: bool,
}
