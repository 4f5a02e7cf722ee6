//! Contacts as users see them: who they are, their personality type's approach (and the
//! low-key tactics where flagged), their trust quadrant with the missing axis, birthday and
//! family events.

use huike_domain::people::low_key;
use huike_domain::{
    BuyingRole, Channel, FamilyEvent, FamilyEventKind, Lang, PersonalityType, TrustQuadrant,
};
use huike_store::contacts::{Contact, ContactListItem};

use super::label;

/// A family event (a child starting school, moving house, opening a shop, …).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FamilyEventView {
    pub kind: String,
    pub kind_label: String,
    /// YYYY-MM-DD, when known.
    pub date: Option<String>,
    pub note: String,
}

impl FamilyEventView {
    /// "搬家 · 2026-05-01 · 新房在浦东" as the contact card shows it.
    pub fn line(&self) -> String {
        [
            Some(self.kind_label.as_str()),
            self.date.as_deref(),
            Some(self.note.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// A contact with everything the method says about serving them.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ContactView {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub qq: String,
    /// One of the 12 personality types' codes.
    pub personality: Option<String>,
    pub personality_label: Option<String>,
    /// The type's traits.
    pub traits: Option<String>,
    /// How to serve this type.
    pub approach: Option<String>,
    /// A low-key responder (低调型): shown with tactics and the mistakes to avoid.
    pub low_key: bool,
    pub low_key_tactics: Vec<String>,
    pub low_key_mistakes: Vec<String>,
    /// One of the six buying roles' codes.
    pub buying_role: Option<String>,
    pub buying_role_label: Option<String>,
    pub personal_interest: bool,
    pub org_interest: bool,
    /// outsider | supplier | friend | partner
    pub trust_quadrant: String,
    pub trust_label: String,
    /// personal | organisational: the axes still to win.
    pub trust_missing_axes: Vec<String>,
    pub trust_missing_labels: Vec<String>,
    /// solar | lunar
    pub birthday_calendar: Option<String>,
    pub birthday_year: Option<i64>,
    pub birthday_month: Option<i64>,
    pub birthday_day: Option<i64>,
    pub birthday_leap: bool,
    /// The birthday as shown ("3月5日", "农历闰四月初八").
    pub birthday: Option<String>,
    pub family_events: Vec<FamilyEventView>,
    pub hobbies: String,
    pub preferred_channel: Option<String>,
    pub preferred_channel_label: Option<String>,
    pub notes: String,
    pub version: i64,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

fn some_label<T: huike_domain::Coded>(code: &Option<String>, lang: Lang) -> Option<String> {
    Some(label::<T>(code.as_deref(), lang)).filter(|s| !s.is_empty())
}

impl ContactView {
    pub(crate) fn of(k: Contact, lang: Lang) -> ContactView {
        let p = k
            .personality
            .as_deref()
            .and_then(PersonalityType::from_code);
        let trust = TrustQuadrant::from_axes(k.personal_interest == 1, k.org_interest == 1);
        let low = k.low_key == 1;
        let lines = |v: &[&str]| -> Vec<String> {
            if low {
                v.iter().map(|s| s.to_string()).collect()
            } else {
                Vec::new()
            }
        };
        let events: Vec<FamilyEvent> = serde_json::from_str(&k.family_events).unwrap_or_default();
        ContactView {
            personality_label: p.map(|p| p.label(lang).to_string()),
            traits: p.map(|p| p.traits(lang).to_string()),
            approach: p.map(|p| p.approach(lang).to_string()),
            low_key: low,
            low_key_tactics: lines(low_key::tactics(lang)),
            low_key_mistakes: lines(low_key::mistakes(lang)),
            buying_role_label: some_label::<BuyingRole>(&k.buying_role, lang),
            personal_interest: k.personal_interest == 1,
            org_interest: k.org_interest == 1,
            trust_quadrant: trust.code().to_string(),
            trust_label: trust.label(lang).to_string(),
            trust_missing_axes: trust
                .missing_axes()
                .iter()
                .map(|a| a.code().to_string())
                .collect(),
            trust_missing_labels: trust
                .missing_axes()
                .iter()
                .map(|a| a.label(lang).to_string())
                .collect(),
            birthday: crate::contacts::birthday_of(&k).map(|b| b.display(lang)),
            birthday_leap: k.birthday_leap == 1,
            family_events: events
                .into_iter()
                .map(|e| FamilyEventView {
                    kind: e.kind.code().to_string(),
                    kind_label: label::<FamilyEventKind>(Some(e.kind.code()), lang),
                    date: e.date.map(|d| d.format("%Y-%m-%d").to_string()),
                    note: e.note,
                })
                .collect(),
            preferred_channel_label: some_label::<Channel>(&k.preferred_channel, lang),
            id: k.id,
            customer_id: k.customer_id,
            name: k.name,
            title: k.title,
            phone: k.phone,
            email: k.email,
            wechat: k.wechat,
            qq: k.qq,
            personality: k.personality,
            buying_role: k.buying_role,
            birthday_calendar: k.birthday_calendar,
            birthday_year: k.birthday_year,
            birthday_month: k.birthday_month,
            birthday_day: k.birthday_day,
            hobbies: k.hobbies,
            preferred_channel: k.preferred_channel,
            notes: k.notes,
            version: k.version,
            created_at: k.created_at,
            updated_at: k.updated_at,
        }
    }
}

/// One row of the contact list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ContactRow {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub personality: Option<String>,
    pub personality_label: Option<String>,
    /// How to serve their personality type.
    pub approach: Option<String>,
    pub buying_role: Option<String>,
    pub buying_role_label: Option<String>,
    /// outsider | supplier | friend | partner
    pub trust_quadrant: String,
    pub trust_label: String,
    /// Unix ms.
    pub updated_at: i64,
}

impl ContactRow {
    pub(crate) fn of(k: ContactListItem, lang: Lang) -> ContactRow {
        let trust = TrustQuadrant::from_axes(k.personal_interest == 1, k.org_interest == 1);
        let p = k
            .personality
            .as_deref()
            .and_then(PersonalityType::from_code);
        ContactRow {
            personality_label: p.map(|p| p.label(lang).to_string()),
            approach: p.map(|p| p.approach(lang).to_string()),
            buying_role_label: some_label::<BuyingRole>(&k.buying_role, lang),
            trust_quadrant: trust.code().to_string(),
            trust_label: trust.label(lang).to_string(),
            id: k.id,
            customer_id: k.customer_id,
            customer_name: k.customer_name,
            name: k.name,
            title: k.title,
            phone: k.phone,
            email: k.email,
            personality: k.personality,
            buying_role: k.buying_role,
            updated_at: k.updated_at,
        }
    }
}
