//! Notes to customers: the thank-you note (and any message) a rep sends from a task by e-mail
//! or SMS, checked for words not to use (服务禁用语) and queued in the outbox in the same
//! transaction; and a contact's opt-out of a channel.

use huike_domain::{Lang, TaskKind};
use huike_store::{contacts, outbox, tasks};
use serde::Deserialize;

use crate::error::{AppError, AppResult, field_error};
use crate::outbox::{Outgoing, Via};
pub use crate::phrases::PhraseWarning;
use crate::validate::{Checker, Field, field};
use crate::views::OutboxView;
use crate::{Actor, App};

pub const CHANNEL: Field = field("channel", "发送方式", "Send by");
pub const SUBJECT: Field = field("subject", "标题", "Subject").max(200);
pub const BODY: Field = field("body", "正文", "Text").max(5000).required();
pub const LANG: Field = field("lang", "语言", "Language");

/// Words not to use as a refusal (when the setting makes them blocking): each names its field,
/// the words, why, and what to say instead.
pub fn refusal(warnings: &[PhraseWarning]) -> AppError {
    AppError::Invalid(
        warnings
            .iter()
            .map(|w| {
                field_error(
                    &w.field,
                    "forbidden_phrase",
                    format!("「{}」：{}。建议：{}", w.found, w.reason, w.better),
                    format!("\"{}\": {}. Say instead: {}", w.found, w.reason, w.better),
                )
            })
            .collect(),
    )
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NoteInput {
    /// email | sms
    pub channel: String,
    /// The e-mail's subject (not used for SMS).
    pub subject: String,
    /// The note as the rep wrote it for this person.
    pub body: String,
    /// zh-CN | en: the note's language (default: the caller's).
    pub lang: String,
}

/// A queued note, with any words not to use it still holds (when those only warn).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SentNote {
    pub message: OutboxView,
    pub warnings: Vec<PhraseWarning>,
}

/// Queues a note to the task's contact (by e-mail or SMS) in the outbox. The task's owner, or a
/// manager or admin who sees the customer, may send it; the contact needs an address for the
/// channel (else 409). Words not to use are refused when the setting makes them blocking, else
/// returned as warnings with the message.
pub async fn send(
    app: &App,
    actor: &Actor,
    task_id: &str,
    input: &NoteInput,
) -> AppResult<SentNote> {
    let mut c = Checker::new();
    let via = match input.channel.as_str() {
        "email" => Some(Via::Email),
        "sms" => Some(Via::Sms),
        other => {
            c.fail(
                CHANNEL,
                if other.is_empty() {
                    "required"
                } else {
                    "unknown_value"
                },
                "「发送方式」应为 email（邮件）或 sms（短信）。".into(),
                "Send by must be email or sms.".into(),
            );
            None
        }
    };
    let subject = c.check(SUBJECT, &input.subject);
    let body = c.check(BODY, &input.body);
    let lang = match input.lang.as_str() {
        "" => Some(actor.lang),
        tag => c.code(LANG, tag, Lang::from_code),
    };
    c.finish()?;
    let (Some(via), Some(lang)) = (via, lang) else {
        return Err(AppError::Internal("checked values missing".into()));
    };
    let warnings =
        crate::phrases::check(app, &[("subject", &subject), ("body", &body)], actor.lang).await?;
    if app.settings.forbidden_blocking && !warnings.is_empty() {
        return Err(refusal(&warnings));
    }
    let mut tx = app.db.begin_write().await?;
    let task = tasks::get(&mut tx, &actor.scope(), task_id).await?;
    actor.require_worker_of(task.owner_id.as_deref())?;
    // A well-formed note that the task's contact cannot receive is refused as a conflict with
    // what is on file (409), not as invalid input: the same request goes through once the
    // order names a contact, or the contact has an address for the channel.
    let no_contact = || {
        AppError::Conflict(field_error(
            "contact_id",
            "no_contact",
            "这项任务没有联系人：请先在订单上选择联系人。",
            "This task has no contact: choose one on the order first.",
        ))
    };
    let contact_id = task.contact_id.clone().ok_or_else(no_contact)?;
    let contact = contacts::get(&mut tx, &actor.scope(), &contact_id)
        .await
        .map_err(|_| no_contact())?;
    let recipient = match via {
        Via::Email => contact.email.clone(),
        _ => contact.phone.clone(),
    };
    if recipient.trim().is_empty() {
        return Err(AppError::Conflict(match via {
            Via::Email => field_error(
                CHANNEL.key,
                "no_address",
                format!("{} 没有邮箱地址。", contact.name),
                format!("{} has no e-mail address.", contact.name),
            ),
            _ => field_error(
                CHANNEL.key,
                "no_address",
                format!("{} 没有手机号码。", contact.name),
                format!("{} has no mobile number.", contact.name),
            ),
        }));
    }
    let subject = if subject.is_empty() && via == Via::Email {
        TaskKind::from_code(&task.kind)
            .map(|k| k.label(lang).to_string())
            .unwrap_or_default()
    } else {
        subject
    };
    let id = crate::outbox::enqueue(
        app,
        &mut tx,
        Outgoing {
            // One note per task and send: a retried request does not send twice.
            idem_key: format!("note:{}:{}", task.id, huike_store::new_id()),
            via,
            recipient,
            subject,
            body,
            lang,
            event: String::new(),
            customer_id: Some(task.customer_id.clone()),
            contact_id: Some(contact.id.clone()),
            task_id: Some(task.id.clone()),
        },
    )
    .await?
    .ok_or_else(|| AppError::Internal("a new note's key was taken".into()))?;
    let m = outbox::get(&mut tx, &id).await?;
    // On the timeline as what the customer received, with its delivery status beside it.
    let now = app.clock.now_ms();
    let what = if m.subject.is_empty() {
        m.body.chars().take(60).collect::<String>()
    } else {
        m.subject.clone()
    };
    huike_store::interactions::insert(
        &mut tx,
        &huike_store::interactions::Interaction {
            id: huike_store::new_id(),
            customer_id: task.customer_id.clone(),
            contact_id: Some(contact.id.clone()),
            channel: via.code().to_string(),
            direction: "outbound".into(),
            user_id: Some(actor.user_id.clone()),
            occurred_at: now,
            summary: what,
            created_at: now,
            task_id: Some(task.id.clone()),
            problem: 0,
            message_id: Some(m.id.clone()),
        },
    )
    .await?;
    app.commit(tx).await?;
    Ok(SentNote {
        message: OutboxView::from(m),
        warnings,
    })
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OptOutInput {
    /// email | sms | wechat | phone …: the channel the contact does not want to be reached on.
    pub channel: String,
    /// True to opt out, false to opt back in.
    #[serde(deserialize_with = "crate::validate::de_flag")]
    pub out: bool,
}

/// Records a contact's wish not to be reached on a channel (honoured at send time).
pub async fn set_opt_out(
    app: &App,
    actor: &Actor,
    contact_id: &str,
    input: &OptOutInput,
) -> AppResult<()> {
    let mut c = Checker::new();
    let channel = c.code(
        field("channel", "渠道", "Channel"),
        &input.channel,
        huike_domain::Channel::from_code,
    );
    if input.channel.trim().is_empty() {
        c.fail(
            field("channel", "渠道", "Channel"),
            "required",
            "请选择「渠道」。".into(),
            "Channel is required.".into(),
        );
    }
    c.finish()?;
    let Some(channel) = channel else {
        return Err(AppError::Internal("checked channel missing".into()));
    };
    let mut tx = app.db.begin_write().await?;
    // Anyone who may log calls with the customer may record what the contact asked for.
    contacts::get(&mut tx, &actor.scope(), contact_id).await?;
    outbox::set_opt_out(
        &mut tx,
        contact_id,
        channel.code(),
        input.out,
        app.clock.now_ms(),
    )
    .await?;
    app.commit(tx).await?;
    Ok(())
}
