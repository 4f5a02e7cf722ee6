//! After-sale tasks as users see them: what to do and why (the method's purpose for the day),
//! whom to call and how to approach them, the doubts left at the deal, and Today's grouping.

use chrono::NaiveDate;
use huike_domain::people::low_key;
use huike_domain::{Lang, Outcome, PersonalityType, TaskKind, TaskStatus};
use huike_store::tasks::TaskItem;

use super::label;

/// One task with everything needed to act on it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub id: String,
    /// thank_you | day_2 | day_5 | day_12 | inquiry | promise
    pub kind: String,
    pub kind_label: String,
    /// open | done | cancelled
    pub status: String,
    pub status_label: String,
    /// YYYY-MM-DD, in the customer's calendar.
    pub due_date: String,
    /// Open and due before today.
    pub overdue: bool,
    /// What the method says this contact is for.
    pub purpose: String,
    /// The doubts the customer still had at the deal: the day-2 call's talking points.
    pub doubts: String,
    pub customer_id: String,
    pub customer_name: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub personality: Option<String>,
    pub personality_label: Option<String>,
    /// How to approach the contact's personality type.
    pub approach: Option<String>,
    /// A low-key responder: the tactics that work with them.
    pub low_key: bool,
    pub low_key_tactics: Vec<String>,
    pub order_id: Option<String>,
    pub order_number: Option<String>,
    /// The promise a promise task is about: what was promised, to whom, by when.
    pub promise_id: Option<String>,
    pub promise_what: Option<String>,
    pub promise_to: Option<String>,
    pub promise_due: Option<String>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    /// reached | not_reached | problem, once done.
    pub outcome: Option<String>,
    pub outcome_label: Option<String>,
    pub outcome_note: String,
    /// Unix ms, once done.
    pub done_at: Option<i64>,
    /// Unix ms.
    pub updated_at: i64,
}

impl TaskView {
    pub(crate) fn of(t: TaskItem, lang: Lang, today: NaiveDate) -> TaskView {
        let kind = TaskKind::from_code(&t.kind);
        let p = t
            .contact_personality
            .as_deref()
            .and_then(PersonalityType::from_code);
        let low = t.contact_low_key == Some(1);
        let open = t.status == TaskStatus::Open.code();
        let overdue =
            open && NaiveDate::parse_from_str(&t.due_date, "%Y-%m-%d").is_ok_and(|d| d < today);
        TaskView {
            kind_label: label::<TaskKind>(Some(&t.kind), lang),
            status_label: label::<TaskStatus>(Some(&t.status), lang),
            overdue,
            purpose: kind
                .map(|k| k.purpose(lang).to_string())
                .unwrap_or_default(),
            // Doubts are the talking points of the call that carries them only.
            doubts: if kind.is_some_and(|k| k.carries_doubts()) {
                t.doubts
            } else {
                String::new()
            },
            personality_label: p.map(|p| p.label(lang).to_string()),
            approach: p.map(|p| p.approach(lang).to_string()),
            low_key: low,
            low_key_tactics: if low {
                low_key::tactics(lang)
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            } else {
                Vec::new()
            },
            outcome_label: t
                .outcome
                .as_deref()
                .map(|o| label::<Outcome>(Some(o), lang)),
            id: t.id,
            kind: t.kind,
            status: t.status,
            due_date: t.due_date,
            customer_id: t.customer_id,
            customer_name: t.customer_name,
            contact_id: t.contact_id,
            contact_name: t.contact_name,
            personality: t.contact_personality,
            order_id: t.order_id,
            order_number: t.order_number,
            promise_id: t.promise_id,
            promise_what: t.promise_what,
            promise_to: t.promise_to,
            promise_due: t.promise_due,
            owner_id: t.owner_id,
            owner_name: t.owner_name,
            outcome: t.outcome,
            outcome_note: t.outcome_note,
            done_at: t.done_at,
            updated_at: t.updated_at,
        }
    }
}

/// Today's tasks of one kind.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TaskGroup {
    pub kind: String,
    pub kind_label: String,
    pub tasks: Vec<TaskView>,
}

/// How far behind one member of a manager's team is.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TeamMemberLoad {
    pub user_id: String,
    pub display_name: String,
    /// Open tasks due today or earlier.
    pub due: i64,
    /// Of those, due before today.
    pub overdue: i64,
    /// `due` stopped at [`crate::tasks::COUNT_CAP`]: there are at least this many.
    pub due_at_least: bool,
    /// `overdue` stopped there.
    pub overdue_at_least: bool,
}

/// A user's Today (今日): their open tasks due today or earlier, grouped by kind, and for a
/// manager their department's load per rep.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TodayView {
    /// YYYY-MM-DD.
    pub today: String,
    /// Open tasks due today or earlier.
    pub due: i64,
    /// Of those, due before today.
    pub overdue: i64,
    /// `due` stopped at [`crate::tasks::COUNT_CAP`]: there are at least this many.
    pub due_at_least: bool,
    /// `overdue` stopped there.
    pub overdue_at_least: bool,
    /// By kind, in the method's order; kinds with nothing due are left out.
    pub groups: Vec<TaskGroup>,
    /// True when there were more due tasks than Today lists (the task list pages them all).
    pub more: bool,
    /// A manager's team: each member with open work due (empty for others).
    pub team: Vec<TeamMemberLoad>,
    /// A manager's team: promises broken this month per rep ("promise carefully").
    pub broken_promises: Vec<crate::promises::BrokenCount>,
    /// The caller's festival and theme greeting campaigns to review and send, from a week
    /// before their day to a week after.
    pub campaigns: Vec<crate::greeting_campaigns::CampaignView>,
}
