//! Outgoing messages and webhook endpoints as admins see them.

use huike_store::outbox::Message;
use huike_store::webhooks::Webhook;

/// One message in the outbox, with where it stands.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OutboxView {
    /// The message's stable id (the e-mail Message-ID's local part, a webhook's
    /// Idempotency-Key).
    pub id: String,
    /// email | sms | webhook
    pub channel: String,
    /// An e-mail address, a mobile number, or a webhook endpoint's id.
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// zh-CN | en
    pub lang: String,
    /// The webhook event; empty for messages to people.
    pub event: String,
    pub customer_id: Option<String>,
    pub contact_id: Option<String>,
    pub task_id: Option<String>,
    /// pending | sending | sent | held | dead | discarded
    pub status: String,
    pub attempts: i64,
    /// Unix ms of the next try, while pending.
    pub next_attempt_at: i64,
    /// Why the last try failed or the message waits.
    pub last_error: String,
    /// Unix ms.
    pub sent_at: Option<i64>,
    /// Unix ms.
    pub created_at: i64,
}

impl From<Message> for OutboxView {
    fn from(m: Message) -> Self {
        OutboxView {
            id: m.id,
            channel: m.channel,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            lang: m.lang,
            event: m.event,
            customer_id: m.customer_id,
            contact_id: m.contact_id,
            task_id: m.task_id,
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            sent_at: m.sent_at,
            created_at: m.created_at,
        }
    }
}

/// A webhook endpoint. Its secret is shown once, when it is registered.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    /// The events posted to it.
    pub events: Vec<String>,
    pub active: bool,
    /// The signing secret: only in the answer to registering the endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Unix ms.
    pub created_at: i64,
}

impl WebhookView {
    pub(crate) fn of(w: Webhook, with_secret: bool) -> WebhookView {
        WebhookView {
            events: crate::validate::tag_list(&w.events),
            active: w.active == 1,
            secret: with_secret.then_some(w.secret),
            id: w.id,
            url: w.url,
            created_at: w.created_at,
        }
    }
}
