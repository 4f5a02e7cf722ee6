//! Delivery that loses nothing: outgoing e-mail, SMS and webhooks are outbox rows written in
//! the transaction of the change that caused them; workers claim due rows, send them, and
//! record the result, retrying with exponential backoff and giving up into a dead-letter list
//! an admin can retry or discard. Opt-outs and quiet hours are honoured at send time.

use std::time::Duration;

use chrono::{NaiveTime, Timelike};
use hmac::{KeyInit, Mac};
use huike_store::outbox::{self, Message, OutboxFilter};
use huike_store::{Conn, new_id};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::smtp::SmtpSender;
use crate::views::{OutboxView, Page};
use crate::{Actor, App};

/// How a message goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Email,
    Sms,
    Webhook,
}

impl Via {
    pub fn code(&self) -> &'static str {
        match self {
            Via::Email => "email",
            Via::Sms => "sms",
            Via::Webhook => "webhook",
        }
    }

    pub fn from_code(s: &str) -> Option<Via> {
        [Via::Email, Via::Sms, Via::Webhook]
            .into_iter()
            .find(|v| v.code() == s)
    }
}

/// Where and how messages are delivered (from the configuration).
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// smtps://[user:pass@]host[:port] (TLS), smtp://…?tls=required (STARTTLS), or
    /// smtp://host:port (unencrypted, for a local relay); None keeps e-mail waiting in the
    /// outbox, visible, until it is set.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `回客 <service@example.com>`.
    pub smtp_from: String,
    /// The SMS (or WeChat) gateway's URL; None keeps SMS waiting.
    pub sms_url: Option<String>,
    /// Sent as the gateway request's `Authorization` header, when set.
    pub sms_auth: Option<String>,
    /// The gateway request's JSON body, with `{{to}}`, `{{text}}` and `{{id}}` replaced by the
    /// number, the message and its id (JSON-escaped).
    pub sms_body: String,
    /// Quiet hours in the contact's zone (Asia/Shanghai): messages to people wait until the end.
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
    /// Attempts before a message is dead.
    pub max_attempts: i64,
    /// The first retry's delay; each later one doubles, up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// How long a worker's claim lasts: a message claimed by a worker that died is taken over
    /// after this.
    pub claim: Duration,
    /// Messages one worker claims at once.
    pub batch: i64,
    /// Messages sent at the same time by one worker.
    pub parallel: usize,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            smtp_url: None,
            smtp_from: "回客 Huike <huike@localhost>".into(),
            sms_url: None,
            sms_auth: None,
            sms_body: r#"{"to":"{{to}}","text":"{{text}}","id":"{{id}}"}"#.into(),
            quiet_start: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN),
            quiet_end: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
            max_attempts: 6,
            first_backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(6 * 3600),
            claim: Duration::from_secs(120),
            batch: 200,
            parallel: 32,
        }
    }
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub idem_key: String,
    pub via: Via,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub lang: huike_domain::Lang,
    pub event: String,
    pub customer_id: Option<String>,
    pub contact_id: Option<String>,
    pub task_id: Option<String>,
}

impl Outgoing {
    /// The outbox row: pending, first tried at `at` (unix ms). A subject goes with e-mail
    /// only.
    pub fn into_message(self, id: String, at: i64, now: i64) -> Message {
        Message {
            id,
            idem_key: self.idem_key,
            channel: self.via.code().to_string(),
            recipient: self.recipient,
            subject: if self.via == Via::Email {
                self.subject
            } else {
                String::new()
            },
            body: self.body,
            lang: self.lang.code().to_string(),
            event: self.event,
            customer_id: self.customer_id,
            contact_id: self.contact_id,
            task_id: self.task_id,
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: at,
            claimed_by: None,
            claimed_until: None,
            last_error: String::new(),
            sent_at: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Queues a message inside the caller's transaction; queuing the same idempotency key again
/// does nothing. Returns the message's id when it was queued.
pub async fn enqueue(app: &App, conn: &mut Conn, m: Outgoing) -> AppResult<Option<String>> {
    let now = app.clock.now_ms();
    let id = new_id();
    let queued = outbox::enqueue(conn, &m.into_message(id.clone(), now, now)).await?;
    Ok(queued.then_some(id))
}

/// Queues `event` for every active webhook endpoint that subscribed to it, in the caller's
/// transaction. `key` makes it idempotent per endpoint (e.g. the order's id).
pub async fn publish(
    app: &App,
    conn: &mut Conn,
    event: &str,
    key: &str,
    payload: serde_json::Value,
) -> AppResult<usize> {
    let endpoints = huike_store::webhooks::subscribed(conn, event).await?;
    let mut n = 0;
    for w in endpoints {
        let body = serde_json::json!({
            "event": event,
            "occurred_at": app.clock.now().to_rfc3339(),
            "data": payload,
        });
        let queued = enqueue(
            app,
            conn,
            Outgoing {
                idem_key: format!("webhook:{}:{event}:{key}", w.id),
                via: Via::Webhook,
                recipient: w.id,
                subject: String::new(),
                body: body.to_string(),
                lang: huike_domain::Lang::ZhCn,
                event: event.to_string(),
                customer_id: None,
                contact_id: None,
                task_id: None,
            },
        )
        .await?;
        n += usize::from(queued.is_some());
    }
    Ok(n)
}

/// What happened to one claimed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    Sent,
    /// Try again later; the error says why.
    Failed(String),
    /// Never to be sent (opt-out, no address): the reason.
    Held(String),
    /// Not now (quiet hours, channel not configured): wait until then.
    Later(i64, String),
}

/// The senders: an SMTP connection pool when configured, and one HTTP client (both shared by
/// clones).
#[derive(Clone)]
pub struct Deliverer {
    settings: DeliverySettings,
    smtp: Option<std::sync::Arc<SmtpSender>>,
    http: reqwest::Client,
    from: Option<lettre::message::Mailbox>,
}

impl Deliverer {
    pub fn new(settings: DeliverySettings) -> AppResult<Deliverer> {
        let smtp = match &settings.smtp_url {
            Some(url) if !url.trim().is_empty() => Some(std::sync::Arc::new(
                // One kept connection per message sent at once.
                SmtpSender::new(url.trim(), Duration::from_secs(20), settings.parallel)
                    .map_err(|e| AppError::Internal(format!("HUIKE_SMTP_URL: {e}")))?,
            )),
            _ => None,
        };
        let from = settings
            .smtp_from
            .parse()
            .map_err(|e| AppError::Internal(format!("HUIKE_SMTP_FROM: {e}")))
            .ok();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| AppError::Internal(format!("HTTP client: {e}")))?;
        Ok(Deliverer {
            settings,
            smtp,
            http,
            from,
        })
    }

    pub fn settings(&self) -> &DeliverySettings {
        &self.settings
    }

    /// The delay before attempt `attempts + 1`: the first backoff doubled per attempt made.
    pub fn backoff(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
        self.settings
            .first_backoff
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.settings.max_backoff)
    }

    async fn email(&self, m: &Message) -> Sent {
        let (Some(smtp), Some(from)) = (&self.smtp, &self.from) else {
            return Sent::Later(0, "no SMTP server is configured (HUIKE_SMTP_URL)".into());
        };
        let to = match m.recipient.parse::<lettre::message::Mailbox>() {
            Ok(to) => to,
            Err(e) => return Sent::Held(format!("not an e-mail address: {e}")),
        };
        let domain = from.email.domain().to_string();
        let built = lettre::Message::builder()
            .from(from.clone())
            .to(to)
            .subject(m.subject.clone())
            // The message's stable id: a resend after a crash carries the same one.
            .message_id(Some(format!("<{}@{domain}>", m.id)))
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .header(ContentLanguage(m.lang.clone()))
            .body(m.body.clone());
        let email = match built {
            Ok(e) => e,
            Err(e) => return Sent::Held(format!("cannot build the e-mail: {e}")),
        };
        match smtp.send(email).await {
            Ok(()) => Sent::Sent,
            Err(e) if e.permanent => Sent::Held(format!("refused for good: {}", e.reason)),
            Err(e) => Sent::Failed(format!("SMTP: {}", e.reason)),
        }
    }

    async fn sms(&self, m: &Message) -> Sent {
        let Some(url) = &self.settings.sms_url else {
            return Sent::Later(0, "no SMS gateway is configured (HUIKE_SMS_URL)".into());
        };
        let esc = |s: &str| {
            let quoted = serde_json::Value::String(s.to_string()).to_string();
            quoted[1..quoted.len() - 1].to_string()
        };
        let body = self
            .settings
            .sms_body
            .replace("{{to}}", &esc(&m.recipient))
            .replace("{{text}}", &esc(&m.body))
            .replace("{{id}}", &esc(&m.id));
        let mut req = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("idempotency-key", &m.id)
            .body(body);
        if let Some(auth) = &self.settings.sms_auth {
            req = req.header("authorization", auth);
        }
        answer(req.send().await)
    }

    async fn webhook(&self, conn: &mut Conn, m: &Message, now: i64) -> Sent {
        let endpoint = match huike_store::webhooks::get(conn, &m.recipient).await {
            Ok(w) if w.active == 1 => w,
            Ok(_) => return Sent::Held("the endpoint was switched off".into()),
            Err(_) => return Sent::Held("the endpoint was removed".into()),
        };
        let ts = (now / 1000).to_string();
        let signature = sign(&endpoint.secret, &ts, &m.body);
        let req = self
            .http
            .post(&endpoint.url)
            .header("content-type", "application/json")
            .header("huike-event", &m.event)
            .header("huike-timestamp", &ts)
            .header("huike-signature", format!("v1={signature}"))
            .header("idempotency-key", &m.id)
            .body(m.body.clone());
        answer(req.send().await)
    }
}

/// The signature a receiver checks: hex HMAC-SHA256 of `timestamp.body` under the endpoint's
/// secret.
pub fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable_mac());
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// HMAC takes keys of any length, so building it cannot fail; this keeps `unwrap` out.
fn unreachable_mac() -> hmac::Hmac<sha2::Sha256> {
    match hmac::Hmac::<sha2::Sha256>::new_from_slice(b"huike") {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts any key length"),
    }
}

fn answer(r: Result<reqwest::Response, reqwest::Error>) -> Sent {
    match r {
        Ok(resp) if resp.status().is_success() => Sent::Sent,
        Ok(resp) => Sent::Failed(format!("the receiver answered {}", resp.status())),
        Err(e) => Sent::Failed(format!("could not reach the receiver: {e}")),
    }
}

/// `Content-Language` on e-mail, so the reader's client knows the note's language.
#[derive(Debug, Clone)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_string()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// The end of the quiet hours `now_local` falls in, if it does.
pub fn quiet_until(
    s: &DeliverySettings,
    now_local: chrono::DateTime<chrono::FixedOffset>,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let t = now_local
        .time()
        .with_nanosecond(0)
        .unwrap_or(now_local.time());
    let (start, end) = (s.quiet_start, s.quiet_end);
    if start == end {
        return None;
    }
    let quiet = if start < end {
        t >= start && t < end
    } else {
        t >= start || t < end
    };
    if !quiet {
        return None;
    }
    let mut day = now_local.date_naive();
    if start > end && t >= start {
        day = day.succ_opt().unwrap_or(day);
    }
    day.and_time(end)
        .and_local_timezone(*now_local.offset())
        .single()
}

/// One worker pass: claims due messages, sends them (several at once), and records each
/// result. Returns how many it claimed.
pub async fn deliver_once(app: &App, d: &Deliverer, worker: &str) -> AppResult<usize> {
    let now = app.clock.now_ms();
    let claim_ms = i64::try_from(d.settings.claim.as_millis()).unwrap_or(120_000);
    let claimed = {
        let mut tx = app.db.begin_write().await?;
        let c = outbox::claim(&mut tx, worker, now, now + claim_ms, d.settings.batch).await?;
        app.commit(tx).await?;
        c
    };
    let n = claimed.len();
    // A claim that runs out is taken over by another worker, which would send again what this
    // one is still sending. So a message is only started in the first half of the claim; what
    // is left then (a slow receiver, an overloaded machine) goes back to the queue unsent.
    let start_by = now + claim_ms / 2;
    let mut pending = claimed.into_iter();
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < d.settings.parallel.max(1) {
            if app.clock.now_ms() > start_by {
                give_back(app, worker, pending.by_ref()).await?;
            }
            let Some(m) = pending.next() else { break };
            let app = app.clone();
            let d = d.clone();
            let worker = worker.to_string();
            running.spawn(async move { deliver_one(&app, &d, &worker, m).await });
        }
        match running.join_next().await {
            Some(Ok(Err(e))) => tracing::warn!(error = %e, "recording a delivery failed"),
            Some(Err(e)) => tracing::warn!(error = %e, "a delivery task stopped"),
            Some(Ok(Ok(()))) => {}
            None => break,
        }
    }
    Ok(n)
}

/// Puts claimed messages that were not started back in the queue, due now and without
/// counting the claim as an attempt.
async fn give_back(app: &App, worker: &str, rest: impl Iterator<Item = Message>) -> AppResult<()> {
    let ids: Vec<String> = rest.map(|m| m.id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    outbox::postpone_all(
        &mut tx,
        &ids,
        worker,
        now,
        now,
        "not started within the claim",
    )
    .await?;
    app.commit(tx).await?;
    tracing::info!(messages = ids.len(), "claimed messages given back unsent");
    Ok(())
}

async fn deliver_one(app: &App, d: &Deliverer, worker: &str, m: Message) -> AppResult<()> {
    let now = app.clock.now_ms();
    let via = Via::from_code(&m.channel);
    // Messages to people honour the contact's opt-out and quiet hours; webhooks go any time.
    if let (Some(contact), Some(v @ (Via::Email | Via::Sms))) = (&m.contact_id, via) {
        let mut conn = app.conn().await?;
        if outbox::opted_out(&mut conn, contact, v.code()).await? {
            outbox::release(
                &mut conn,
                &m.id,
                worker,
                now,
                "held",
                now,
                "the contact opted out",
            )
            .await?;
            return Ok(());
        }
        if let Some(until) = quiet_until(&d.settings, app.clock.now_local()) {
            outbox::postpone(
                &mut conn,
                &m.id,
                worker,
                now,
                until.timestamp_millis(),
                "quiet hours",
            )
            .await?;
            return Ok(());
        }
    }
    let result = match via {
        Some(Via::Email) => d.email(&m).await,
        Some(Via::Sms) => d.sms(&m).await,
        Some(Via::Webhook) => {
            let mut conn = app.conn().await?;
            d.webhook(&mut conn, &m, now).await
        }
        None => Sent::Held(format!("unknown channel {}", m.channel)),
    };
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    match result {
        Sent::Sent => {
            outbox::mark_sent(&mut tx, &m.id, worker, now).await?;
        }
        Sent::Held(why) => {
            outbox::release(&mut tx, &m.id, worker, now, "held", now, &why).await?;
        }
        Sent::Later(_, why) => {
            // Waiting for configuration: look again in a minute, without using up attempts.
            outbox::postpone(&mut tx, &m.id, worker, now, now + 60_000, &why).await?;
        }
        Sent::Failed(why) => {
            if m.attempts >= d.settings.max_attempts {
                outbox::release(&mut tx, &m.id, worker, now, "dead", now, &why).await?;
                tracing::warn!(message = %m.id, channel = %m.channel, error = %why, "message given up");
                if m.channel != Via::Webhook.code() || m.event != "message.failed" {
                    publish(
                        app,
                        &mut tx,
                        "message.failed",
                        &m.id,
                        serde_json::json!({ "id": m.id, "channel": m.channel, "error": why }),
                    )
                    .await?;
                }
            } else {
                let wait = i64::try_from(d.backoff(m.attempts).as_millis()).unwrap_or(i64::MAX);
                outbox::release(
                    &mut tx,
                    &m.id,
                    worker,
                    now,
                    "pending",
                    now.saturating_add(wait),
                    &why,
                )
                .await?;
            }
        }
    }
    app.commit(tx).await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct OutboxQuery {
    /// pending | sending | sent | held | dead | discarded
    pub status: Option<String>,
    /// email | sms | webhook
    pub channel: Option<String>,
    pub customer_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The outbox (admins): every message with its status; `status=dead` is the dead-letter list.
pub async fn list(app: &App, actor: &Actor, q: &OutboxQuery) -> AppResult<Page<OutboxView>> {
    actor.require_admin()?;
    let ne = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let filter = OutboxFilter {
        status: ne(&q.status),
        channel: ne(&q.channel),
        customer_id: ne(&q.customer_id),
    };
    let mut conn = app.conn().await?;
    let page = outbox::list(
        &mut conn,
        app.db.counts(),
        &filter,
        crate::paging(q.page, q.per_page),
    )
    .await?;
    Ok(Page::of(page, OutboxView::from))
}

/// An admin sends a dead message again (its attempts start over).
pub async fn retry(app: &App, actor: &Actor, id: &str) -> AppResult<OutboxView> {
    actor.require_admin()?;
    let mut tx = app.db.begin_write().await?;
    if !outbox::retry(&mut tx, id, app.clock.now_ms()).await? {
        return Err(not_dead(&mut tx, id).await);
    }
    let m = outbox::get(&mut tx, id).await?;
    app.commit(tx).await?;
    Ok(OutboxView::from(m))
}

/// An admin gives up on a dead message for good.
pub async fn discard(app: &App, actor: &Actor, id: &str) -> AppResult<OutboxView> {
    actor.require_admin()?;
    let mut tx = app.db.begin_write().await?;
    if !outbox::discard(&mut tx, id, app.clock.now_ms()).await? {
        return Err(not_dead(&mut tx, id).await);
    }
    let m = outbox::get(&mut tx, id).await?;
    app.commit(tx).await?;
    Ok(OutboxView::from(m))
}

/// Not found, or found but not in the dead-letter list.
async fn not_dead(conn: &mut Conn, id: &str) -> AppError {
    match outbox::get(conn, id).await {
        Ok(_) => AppError::Conflict(crate::error::field_error(
            "status",
            "not_dead",
            "只有已放弃发送的消息可以重发或丢弃。",
            "Only a message that was given up can be retried or discarded.",
        )),
        Err(e) => e.into(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn quiet_hours_end_at_eight_the_next_morning() {
        let s = DeliverySettings::default();
        let tz = crate::clock::SHANGHAI;
        let at = |d: u32, h: u32, m: u32| tz.with_ymd_and_hms(2026, 4, d, h, m, 0).unwrap();
        assert_eq!(quiet_until(&s, at(1, 20, 59)), None);
        assert_eq!(quiet_until(&s, at(1, 21, 0)), Some(at(2, 8, 0)));
        assert_eq!(quiet_until(&s, at(2, 7, 59)), Some(at(2, 8, 0)));
        assert_eq!(quiet_until(&s, at(2, 8, 0)), None);
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let d = Deliverer::new(DeliverySettings::default()).unwrap();
        assert_eq!(d.backoff(1), Duration::from_secs(30));
        assert_eq!(d.backoff(2), Duration::from_secs(60));
        assert_eq!(d.backoff(3), Duration::from_secs(120));
        assert_eq!(d.backoff(30), Duration::from_secs(6 * 3600));
    }

    #[test]
    fn a_signature_covers_the_secret_the_timestamp_and_the_body() {
        // The receiver-side check (Python's hmac) is in the webhook delivery test.
        let s = sign("secret", "1775000000", "{}");
        assert_eq!(s.len(), 64, "hex of 32 bytes");
        assert_ne!(s, sign("other", "1775000000", "{}"));
        assert_ne!(s, sign("secret", "1775000001", "{}"));
        assert_ne!(s, sign("secret", "1775000000", "{ }"));
    }
}
