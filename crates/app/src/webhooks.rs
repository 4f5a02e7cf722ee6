//! Webhook endpoints (admins): register a URL for some events, list them, remove them. Each
//! event is posted signed with HMAC-SHA256 over `timestamp.body` (see `outbox::sign`).

use huike_store::new_id;
use huike_store::webhooks::{self, Webhook};
use rand::Rng;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::validate::{Checker, Field, TextKind, field};
use crate::views::WebhookView;
use crate::{Actor, App};

pub const URL: Field = field("url", "地址", "URL")
    .max(2000)
    .required()
    .kind(TextKind::HttpUrl);
pub const EVENTS: Field = field("events", "事件", "Events");

/// The events an endpoint can subscribe to.
pub const EVENT_NAMES: &[&str] = &[
    "order.created",
    "task.done",
    "promise.broken",
    "message.failed",
];

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WebhookInput {
    /// http:// or https:// URL that receives the POSTs (spaces around it are trimmed).
    pub url: String,
    /// At least one of order.created, task.done, promise.broken, message.failed, each exactly.
    pub events: Vec<String>,
}

pub async fn create(app: &App, actor: &Actor, input: &WebhookInput) -> AppResult<WebhookView> {
    actor.require_admin()?;
    let mut c = Checker::new();
    let url = c.check(URL, &input.url);
    let mut events: Vec<String> = Vec::new();
    // Each event by its exact name, as every coded value of the API.
    for e in &input.events {
        let e = e.as_str();
        if !EVENT_NAMES.contains(&e) {
            c.fail(
                EVENTS,
                "unknown_event",
                format!("没有「{e}」这个事件；可选：{}。", EVENT_NAMES.join("、")),
                format!(
                    "There is no event \"{e}\"; choose from {}.",
                    EVENT_NAMES.join(", ")
                ),
            );
        } else if !events.iter().any(|x| x == e) {
            events.push(e.to_string());
        }
    }
    if input.events.is_empty() {
        c.fail(
            EVENTS,
            "required",
            "请至少选择一个「事件」。".into(),
            "Choose at least one event.".into(),
        );
    }
    c.finish()?;
    let mut secret = [0u8; 24];
    rand::rng().fill_bytes(&mut secret);
    let now = app.clock.now_ms();
    let w = Webhook {
        id: new_id(),
        url,
        secret: format!("whsec_{}", hex::encode(secret)),
        events: format!(",{},", events.join(",")),
        active: 1,
        created_at: now,
        updated_at: now,
    };
    let mut tx = app.db.begin_write().await?;
    webhooks::insert(&mut tx, &w).await?;
    app.commit(tx).await?;
    Ok(WebhookView::of(w, true))
}

pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<WebhookView>> {
    actor.require_admin()?;
    let mut conn = app.conn().await?;
    Ok(webhooks::list(&mut conn)
        .await?
        .into_iter()
        .map(|w| WebhookView::of(w, false))
        .collect())
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> AppResult<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin_write().await?;
    if !webhooks::delete(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    app.commit(tx).await?;
    Ok(())
}
