//! Logging interactions on a customer's timeline, on any channel.

use chrono::{NaiveDateTime, TimeZone};
use huike_domain::{Channel, Direction};
use huike_store::interactions::{self, Interaction, TimelineEntry};
use huike_store::{contacts, customers, new_id};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::validate::{Checker, Field, field};
use crate::views::TimelineItem;
use crate::{Actor, App};

pub const CHANNEL: Field = field("channel", "渠道", "Channel");
pub const DIRECTION: Field = field("direction", "方向", "Direction");
pub const WHEN: Field = field("occurred_at", "时间", "When");
pub const SUMMARY: Field = field("summary", "摘要", "Summary").max(4000).required();
pub const CONTACT: Field = field("contact_id", "联系人", "Contact");

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InteractionInput {
    /// visit | phone | sms | email | wechat | qq | fax | letter | event | note
    pub channel: String,
    /// inbound | outbound (default outbound)
    pub direction: String,
    /// Optional contact at the customer.
    pub contact_id: String,
    /// Local time in Asia/Shanghai, "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM"; empty = now.
    pub occurred_at: String,
    pub summary: String,
}

use crate::clock::SHANGHAI;
use crate::promises::PromiseAlong;

/// A local time in Shanghai written "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM", with ":SS"
/// or without, every part with its digits (a datetime-local input sends these), that exists.
pub fn parse_local(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if !(b.len() == 16 || b.len() == 19) {
        return None;
    }
    let date = crate::validate::parse_date(s.get(..10)?)?;
    let shaped = matches!(b[10], b' ' | b'T')
        && b[13] == b':'
        && (b.len() == 16 || b[16] == b':')
        && b[11..]
            .iter()
            .enumerate()
            .all(|(i, c)| matches!(i, 2 | 5) || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let part = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    let seconds = if b.len() == 19 { part(17..19)? } else { 0 };
    let time = chrono::NaiveTime::from_hms_opt(part(11..13)?, part(14..16)?, seconds)?;
    SHANGHAI
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
        .map(|d| d.timestamp_millis())
}

pub async fn log(
    app: &App,
    actor: &Actor,
    customer_id: &str,
    input: &InteractionInput,
) -> AppResult<TimelineItem> {
    log_with_promise(app, actor, customer_id, input, &PromiseAlong::default()).await
}

/// Logs an interaction and, when the promise's terms are filled in, the promise made in it,
/// both in one transaction (the log-a-call form's "promised" fields).
pub async fn log_with_promise(
    app: &App,
    actor: &Actor,
    customer_id: &str,
    input: &InteractionInput,
    promise: &PromiseAlong,
) -> AppResult<TimelineItem> {
    let mut c = Checker::new();
    let terms = crate::promises::check_along(&mut c, app.clock.today(), promise);
    let channel = if input.channel.is_empty() {
        c.fail(
            CHANNEL,
            "required",
            "请选择「渠道」。".into(),
            "Channel is required.".into(),
        );
        None
    } else {
        c.code(CHANNEL, &input.channel, Channel::from_code)
    };
    // "" is the default, outbound.
    let direction = c
        .code(DIRECTION, &input.direction, Direction::from_code)
        .or((input.direction.is_empty()).then_some(Direction::Outbound));
    let summary = c.check(SUMMARY, &input.summary);
    let occurred_at = if input.occurred_at.is_empty() {
        app.clock.now_ms()
    } else {
        match parse_local(&input.occurred_at) {
            Some(t) => t,
            None => {
                c.fail(
                    WHEN,
                    "invalid_datetime",
                    format!(
                        "「时间」应为 2026-03-30 14:30 这样的格式；收到「{}」。",
                        input.occurred_at.trim()
                    ),
                    format!(
                        "When must look like 2026-03-30 14:30; got \"{}\".",
                        input.occurred_at.trim()
                    ),
                );
                0
            }
        }
    };
    let mut tx = app.db.begin_write().await?;
    // Whoever sees the customer logs calls with it: service agents, who do not change the
    // archive, take complaints from any customer (the page offers them the form too).
    if !customers::visible(&mut tx, &actor.scope(), customer_id).await? {
        return Err(AppError::NotFound);
    }
    let contact_id = input.contact_id.trim();
    let contact = if contact_id.is_empty() {
        None
    } else {
        match contacts::get(&mut tx, &actor.scope(), contact_id).await {
            Ok(k) if k.customer_id == customer_id => Some(k),
            _ => {
                c.missing(
                    CONTACT,
                    "unknown_contact",
                    "「联系人」不属于该客户。".into(),
                    "That contact does not belong to this customer.".into(),
                );
                None
            }
        }
    };
    c.finish()?;
    let (Some(channel), Some(direction)) = (channel, direction) else {
        return Err(AppError::Internal("checked values missing".into()));
    };
    let i = Interaction {
        id: new_id(),
        customer_id: customer_id.to_string(),
        contact_id: contact.as_ref().map(|k| k.id.clone()),
        channel: channel.code().to_string(),
        direction: direction.code().to_string(),
        user_id: Some(actor.user_id.clone()),
        occurred_at,
        summary,
        created_at: app.clock.now_ms(),
        task_id: None,
        problem: 0,
        message_id: None,
    };
    interactions::insert(&mut tx, &i).await?;
    if let Some(terms) = terms {
        let owner = huike_store::users::get(&mut tx, &actor.user_id).await?;
        let made = crate::promises::Made {
            customer_id: i.customer_id.clone(),
            contact_id: i.contact_id.clone(),
            interaction_id: i.id.clone(),
            task_id: None,
        };
        crate::promises::record(app, &mut tx, actor, &owner, terms, made).await?;
    }
    app.commit(tx).await?;
    // As the timeline will list it.
    let entry = TimelineEntry {
        id: i.id,
        customer_id: i.customer_id,
        contact_id: i.contact_id,
        contact_name: contact.map(|k| k.name),
        channel: i.channel,
        direction: i.direction,
        user_id: i.user_id,
        user_name: Some(actor.display_name.clone()),
        occurred_at: i.occurred_at,
        summary: i.summary,
        task_id: None,
        problem: 0,
        message_id: None,
        delivery_status: None,
    };
    Ok(TimelineItem::of(entry, actor.lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_read_as_shanghai_time() {
        // 2026-03-30 08:00 in Shanghai is 00:00 UTC.
        assert_eq!(parse_local("2026-03-30 08:00"), Some(1_774_828_800_000));
        assert_eq!(parse_local("2026-03-30T08:00"), Some(1_774_828_800_000));
        assert_eq!(parse_local("30/03/2026"), None);
        assert_eq!(parse_local("2026-03-30 08:00:30"), Some(1_774_828_830_000));
        assert_eq!(parse_local("2026-3-30 08:00"), None);
        assert_eq!(parse_local("2026-02-30 08:00"), None);
        assert_eq!(parse_local("2026-03-30 24:00"), None);
        assert_eq!(parse_local(" 2026-03-30 08:00"), None);
    }
}
