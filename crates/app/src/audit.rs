//! Writing and reading the change history that every customer and contact keeps.

use huike_store::Conn;
use huike_store::audit::{self, AuditEntry, NewAudit};
use serde::Serialize;

use crate::{Actor, App, AppResult};

/// Records a change inside the caller's transaction, so the history and the change commit
/// together or not at all.
#[allow(clippy::too_many_arguments)] // one per column of the entry; a struct would only rename them
pub async fn record<T: Serialize>(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> AppResult<()> {
    let to_json = |v: &T| serde_json::to_value(v).ok();
    audit::record(
        conn,
        NewAudit {
            entity,
            entity_id,
            action,
            actor_id: Some(&actor.user_id),
            actor_name: &actor.display_name,
            at: app.clock.now_ms(),
            before: before.and_then(to_json),
            after: after.and_then(to_json),
        },
    )
    .await?;
    Ok(())
}

/// One field that differs between the before and after of an audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// An audit entry with its changed fields worked out, for display.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryItem {
    pub entry: AuditEntry,
    pub changes: Vec<FieldChange>,
}

/// Fields that change on every save and say nothing to a reader.
const NOISE: &[&str] = &["version", "updated_at", "created_at"];

pub fn diff(entry: AuditEntry) -> HistoryItem {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default()
    };
    let before = parse(&entry.before_json);
    let after = parse(&entry.after_json);
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let changes = keys
        .into_iter()
        .filter(|k| !NOISE.contains(&k.as_str()))
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: show(before.get(k)),
            after: show(after.get(k)),
        })
        .collect();
    HistoryItem { entry, changes }
}
