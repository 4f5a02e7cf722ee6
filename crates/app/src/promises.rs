//! Promises (承诺): every promise made to a customer is a tracked item with a due day. A
//! reminder task comes before it falls due; past due it is broken and escalated to the owner's
//! manager (a task on their Today and a `promise.broken` event); keeping or breaking it is
//! recorded on the timeline; broken promises per rep and month are the "promise carefully"
//! figure.

use chrono::{Datelike, Days, NaiveDate};
use huike_domain::TaskKind;
use huike_store::interactions::{self, Interaction};
use huike_store::promises::{self, Promise, PromiseFilter, PromiseItem};
use huike_store::tasks::{self, Task, TaskFilter};
use huike_store::{Conn, customers, new_id, users};
use serde::Deserialize;

use crate::error::{AppError, AppResult, field_error};
use crate::validate::{Checker, Field, field};
use crate::views::Page;
use crate::{Actor, App, Role};

pub const CUSTOMER: Field = field("customer_id", "客户", "Customer");
pub const CONTACT: Field = field("contact_id", "联系人", "Contact");
pub const WHAT: Field = field("what", "承诺内容", "What was promised")
    .max(500)
    .required();
pub const TO_WHOM: Field = field("to_whom", "对谁承诺", "To whom").max(100);
pub const DUE: Field = field("due_date", "兑现日期", "Due date");
pub const OWNER: Field = field("owner_id", "负责人", "Owner");
pub const INTERACTION: Field = field("interaction_id", "沟通记录", "Timeline entry");
pub const TASK: Field = field("task_id", "任务", "Task");
/// The month of the "promise carefully" figure.
pub const MONTH: Field = field("month", "月份", "Month");
pub const NOTE: Field = field("note", "说明", "Note").max(2000);

/// Days before a promise's day that its reminder task falls due (default).
pub const DEFAULT_REMIND_DAYS: u64 = 1;

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PromiseInput {
    pub customer_id: String,
    /// The contact it was promised to, if one.
    pub contact_id: String,
    pub what: String,
    /// Who it was promised to, in words (when not a contact on file).
    pub to_whom: String,
    /// YYYY-MM-DD, today or later.
    pub due_date: String,
    /// Who keeps it; empty means the caller (managers and admins may name someone else).
    pub owner_id: String,
    /// The timeline entry it was made in, if any.
    pub interaction_id: String,
    /// The task it was made in, if any.
    pub task_id: String,
}

/// A promise as users see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PromiseView {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub what: String,
    pub to_whom: String,
    /// YYYY-MM-DD.
    pub due_date: String,
    /// open | kept | broken
    pub status: String,
    /// The day it broke (not kept by its due day), if it did.
    pub broken_on: Option<String>,
    /// Open and past its day.
    pub overdue: bool,
    pub note: String,
    /// Unix ms.
    pub created_at: i64,
}

impl PromiseView {
    fn of(p: PromiseItem, today: NaiveDate) -> PromiseView {
        PromiseView {
            overdue: p.status == "open" && p.due_date < day_text(today),
            id: p.id,
            customer_id: p.customer_id,
            customer_name: p.customer_name,
            contact_id: p.contact_id,
            contact_name: p.contact_name,
            owner_id: p.owner_id,
            owner_name: p.owner_name,
            what: p.what,
            to_whom: p.to_whom,
            due_date: p.due_date,
            status: p.status,
            broken_on: p.broken_on,
            note: p.note,
            created_at: p.created_at,
        }
    }
}

/// A promise made in the same breath as a logged call or a finished task: its terms as the
/// log-a-call and task-done forms send them. All blank means no promise was made.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PromiseAlong {
    pub promise_what: String,
    pub promise_to: String,
    /// YYYY-MM-DD, today or later.
    pub promise_due: String,
}

impl PromiseAlong {
    pub fn is_blank(&self) -> bool {
        self.promise_what.trim().is_empty()
            && self.promise_to.trim().is_empty()
            && self.promise_due.trim().is_empty()
    }
}

pub const ALONG_WHAT: Field = field("promise_what", "承诺内容", "What was promised")
    .max(500)
    .required();
pub const ALONG_TO: Field = field("promise_to", "对谁承诺", "To whom").max(100);
pub const ALONG_DUE: Field = field("promise_due", "兑现日期", "Due date");

/// A promise's checked terms.
pub(crate) struct Terms {
    what: String,
    to_whom: String,
    due: String,
}

/// Checks what, to whom and the day (required, today or later) under the given fields, so a
/// form that carries a promise beside other input names its own fields in the errors.
fn check_terms(
    c: &mut Checker,
    today: NaiveDate,
    [f_what, f_to, f_due]: [Field; 3],
    [what, to_whom, due]: [&str; 3],
) -> Option<Terms> {
    let what = c.check(f_what, what);
    let to_whom = c.check(f_to, to_whom);
    let due = c.day_from_today(f_due, due, today);
    Some(Terms {
        what,
        to_whom,
        due: due?,
    })
}

/// Checks a promise made along another input, into the same checker; None when none was made.
pub(crate) fn check_along(
    c: &mut Checker,
    today: NaiveDate,
    along: &PromiseAlong,
) -> Option<Terms> {
    if along.is_blank() {
        return None;
    }
    check_terms(
        c,
        today,
        [ALONG_WHAT, ALONG_TO, ALONG_DUE],
        [&along.promise_what, &along.promise_to, &along.promise_due],
    )
}

/// Records a promise and plans its reminder, in one transaction; a promise made outside a
/// timeline entry gets one of its own, so the customer's timeline shows every promise.
pub async fn create(app: &App, actor: &Actor, input: &PromiseInput) -> AppResult<PromiseView> {
    let mut c = Checker::new();
    let today = app.clock.today();
    let terms = check_terms(
        &mut c,
        today,
        [WHAT, TO_WHOM, DUE],
        [&input.what, &input.to_whom, &input.due_date],
    );
    if input.customer_id.trim().is_empty() {
        c.fail(
            CUSTOMER,
            "required",
            "请选择「客户」。".into(),
            "Customer is required.".into(),
        );
    }
    c.finish()?;
    let Some(terms) = terms else {
        return Err(AppError::Internal("checked terms missing".into()));
    };
    let mut tx = app.db.begin_write().await?;
    // The records it names, once the input is well formed: one that is not there (or not the
    // customer's) is answered 404, naming the field, as everywhere in the API.
    let mut refs = Checker::new();
    let customer = customers::get(&mut tx, &actor.scope(), input.customer_id.trim())
        .await
        .map_err(|e| match e {
            huike_store::StoreError::NotFound => AppError::UnknownReference(vec![field_error(
                CUSTOMER.key,
                "unknown_customer",
                "「客户」不存在或您无权查看。",
                "Customer is not there, or not visible to you.",
            )]),
            other => other.into(),
        })?;
    let contact_id = match input.contact_id.trim() {
        "" => None,
        id => match huike_store::contacts::get(&mut tx, &actor.scope(), id).await {
            Ok(k) if k.customer_id == customer.id => Some(k.id),
            _ => {
                refs.missing(
                    CONTACT,
                    "unknown_contact",
                    "「联系人」不属于该客户。".into(),
                    "That contact does not belong to this customer.".into(),
                );
                None
            }
        },
    };
    let interaction_id = match input.interaction_id.trim() {
        "" => None,
        id => match interactions::customer_of(&mut tx, id).await {
            Ok(of) if of == customer.id => Some(id.to_string()),
            _ => {
                refs.missing(
                    INTERACTION,
                    "unknown_interaction",
                    "「沟通记录」不是该客户的记录。".into(),
                    "That timeline entry is not this customer's.".into(),
                );
                None
            }
        },
    };
    let task_id = match input.task_id.trim() {
        "" => None,
        id => match tasks::get(&mut tx, &actor.scope(), id).await {
            Ok(t) if t.customer_id == customer.id => Some(t.id),
            _ => {
                refs.missing(
                    TASK,
                    "unknown_task",
                    "「任务」不是该客户的任务。".into(),
                    "That task is not this customer's.".into(),
                );
                None
            }
        },
    };
    let owner = match input.owner_id.trim() {
        "" => Some(users::get(&mut tx, &actor.user_id).await?),
        id if id == actor.user_id => Some(users::get(&mut tx, id).await?),
        id => {
            if !matches!(actor.role, Role::Admin | Role::Manager) {
                return Err(AppError::Forbidden);
            }
            match users::get(&mut tx, id).await {
                Ok(u) => Some(u),
                Err(_) => {
                    refs.missing(
                        OWNER,
                        "unknown_user",
                        "「负责人」不是有效用户。".into(),
                        "Owner is not a known user.".into(),
                    );
                    None
                }
            }
        }
    };
    refs.finish()?;
    let Some(owner) = owner else {
        return Err(AppError::Internal("checked owner missing".into()));
    };
    if actor.role == Role::Manager
        && owner.id != actor.user_id
        && owner.department_id != actor.department_id
    {
        return Err(AppError::invalid(
            OWNER.key,
            "not_in_department",
            "只能指定本部门的人负责。",
            "Choose someone of your department.",
        ));
    }
    let now = app.clock.now_ms();
    let interaction_id = match interaction_id {
        Some(given) => given,
        None => {
            let entry = Interaction {
                id: new_id(),
                customer_id: customer.id.clone(),
                contact_id: contact_id.clone(),
                channel: "note".into(),
                direction: "outbound".into(),
                user_id: Some(actor.user_id.clone()),
                occurred_at: now,
                summary: format!("承诺 / Promise：{}（{}）", terms.what, terms.due),
                created_at: now,
                task_id: None,
                problem: 0,
                message_id: None,
            };
            interactions::insert(&mut tx, &entry).await?;
            entry.id
        }
    };
    let made = Made {
        customer_id: customer.id,
        contact_id,
        interaction_id,
        task_id,
    };
    let id = record(app, &mut tx, actor, &owner, terms, made).await?;
    app.commit(tx).await?;
    view(app, actor, &id).await
}

/// Where a promise was made: the customer (and contact), the timeline entry, the task.
pub(crate) struct Made {
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub interaction_id: String,
    pub task_id: Option<String>,
}

/// Writes a checked promise kept by `owner` and its reminder task, inside the caller's
/// transaction; returns the promise's id.
pub(crate) async fn record(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    owner: &users::User,
    terms: Terms,
    made: Made,
) -> AppResult<String> {
    let now = app.clock.now_ms();
    let today = app.clock.today();
    let id = new_id();
    let p = Promise {
        id: id.clone(),
        customer_id: made.customer_id,
        contact_id: made.contact_id,
        owner_id: Some(owner.id.clone()),
        department_id: owner.department_id.clone(),
        what: terms.what,
        to_whom: terms.to_whom,
        due_date: terms.due.clone(),
        interaction_id: Some(made.interaction_id),
        task_id: made.task_id,
        status: "open".into(),
        broken_on: None,
        closed_at: None,
        closed_by: None,
        note: String::new(),
        created_by: Some(actor.user_id.clone()),
        created_at: now,
        updated_at: now,
    };
    promises::insert(&mut *tx, &p).await?;
    let due_day = NaiveDate::parse_from_str(&terms.due, "%Y-%m-%d").unwrap_or(today);
    let remind = due_day
        .checked_sub_days(Days::new(app.settings.promise_remind_days))
        .unwrap_or(due_day)
        .max(today);
    tasks::insert_once(
        &mut *tx,
        &promise_task(
            &p,
            format!("promise:{id}:remind"),
            &owner.id,
            &owner.department_id,
            remind,
            now,
        ),
    )
    .await?;
    Ok(id)
}

fn promise_task(
    p: &Promise,
    key: String,
    owner: &str,
    department: &Option<String>,
    due: NaiveDate,
    now: i64,
) -> Task {
    Task {
        contact_id: p.contact_id.clone(),
        promise_id: Some(p.id.clone()),
        ..crate::tasks::open_task(
            TaskKind::Promise,
            key,
            &p.customer_id,
            Some(owner.to_string()),
            department.clone(),
            day_text(due),
            now,
        )
    }
}

pub async fn view(app: &App, actor: &Actor, id: &str) -> AppResult<PromiseView> {
    let mut conn = app.conn().await?;
    let item = promises::item(&mut conn, &actor.scope(), id).await?;
    Ok(PromiseView::of(item, app.clock.today()))
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct PromiseQuery {
    /// A user's id; `me` for the caller.
    pub owner_id: Option<String>,
    pub customer_id: Option<String>,
    /// open | kept | broken
    pub status: Option<String>,
    /// Only open promises past their day.
    pub overdue: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Promises of the customers the actor may see, earliest due first.
pub async fn list(app: &App, actor: &Actor, q: &PromiseQuery) -> AppResult<Page<PromiseView>> {
    let ne = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let today = app.clock.today();
    let filter = PromiseFilter {
        owner_id: ne(&q.owner_id).map(|o| if o == "me" { actor.user_id.clone() } else { o }),
        customer_id: ne(&q.customer_id),
        status: ne(&q.status),
        overdue_on: (q.overdue == Some(true)).then(|| day_text(today)),
    };
    let mut conn = app.conn().await?;
    let page = promises::list(
        &mut conn,
        app.db.counts(),
        &actor.scope(),
        &filter,
        crate::paging(q.page, q.per_page),
    )
    .await?;
    Ok(Page::of(page, |p| PromiseView::of(p, today)))
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CloseInput {
    /// True when it was kept, false when it will not be.
    #[serde(deserialize_with = "crate::validate::de_flag")]
    pub kept: bool,
    pub note: String,
}

/// Records that a promise was kept or broken; its open tasks close with it and the timeline
/// shows it. Keeping it after its day does not undo that it broke.
pub async fn close(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &CloseInput,
) -> AppResult<PromiseView> {
    let mut c = Checker::new();
    let note = c.check(NOTE, &input.note);
    c.finish()?;
    let mut tx = app.db.begin_write().await?;
    let mut p = promises::get(&mut tx, &actor.scope(), id).await?;
    actor.require_worker_of(p.owner_id.as_deref())?;
    if p.status != "open" {
        return Err(AppError::Conflict(field_error(
            "status",
            "promise_closed",
            "这项承诺已经记录过结果。",
            "This promise's outcome is already recorded.",
        )));
    }
    let now = app.clock.now_ms();
    let today = app.clock.today();
    p.status = if input.kept { "kept" } else { "broken" }.into();
    if !input.kept && p.broken_on.is_none() {
        p.broken_on = Some(day_text(today));
    }
    p.closed_at = Some(now);
    p.closed_by = Some(actor.user_id.clone());
    p.note = note.clone();
    p.updated_at = now;
    promises::update(&mut tx, &p).await?;
    close_tasks(&mut tx, &p, input.kept, actor, now, today).await?;
    let mut summary = if input.kept {
        format!("承诺已兑现 / Promise kept：{}", p.what)
    } else {
        format!("承诺未兑现 / Promise broken：{}", p.what)
    };
    if !note.is_empty() {
        summary.push_str(" — ");
        summary.push_str(&note);
    }
    interactions::insert(
        &mut tx,
        &Interaction {
            id: new_id(),
            customer_id: p.customer_id.clone(),
            contact_id: p.contact_id.clone(),
            channel: "note".into(),
            direction: "outbound".into(),
            user_id: Some(actor.user_id.clone()),
            occurred_at: now,
            summary,
            created_at: now,
            task_id: None,
            problem: 0,
            message_id: None,
        },
    )
    .await?;
    if !input.kept {
        broken_event(app, &mut tx, &p).await?;
    }
    app.commit(tx).await?;
    view(app, actor, id).await
}

async fn close_tasks(
    conn: &mut Conn,
    p: &Promise,
    kept: bool,
    actor: &Actor,
    now: i64,
    today: NaiveDate,
) -> AppResult<()> {
    let filter = TaskFilter {
        promise_id: Some(p.id.clone()),
        status: Some("open".into()),
        ..Default::default()
    };
    for item in tasks::list_all(conn, &huike_store::Scope::All, &filter, 100).await? {
        let mut t = tasks::get(conn, &huike_store::Scope::All, &item.id).await?;
        t.status = if kept { "done" } else { "cancelled" }.into();
        if kept {
            t.outcome = Some("reached".into());
            t.done_at = Some(now);
            t.done_on = Some(day_text(today));
            t.done_by = Some(actor.user_id.clone());
        }
        t.updated_at = now;
        tasks::update(conn, &t).await?;
    }
    Ok(())
}

/// An e-mail to a manager with an address on file: which promise of their team broke.
async fn tell_manager(
    app: &App,
    tx: &mut Conn,
    p: &Promise,
    manager: &users::User,
) -> AppResult<()> {
    if manager.email.is_empty() {
        return Ok(());
    }
    let customer = customers::get(&mut *tx, &huike_store::Scope::All, &p.customer_id)
        .await?
        .name;
    let owner = match &p.owner_id {
        Some(id) => users::get(&mut *tx, id).await?.display_name,
        None => String::new(),
    };
    let lang = huike_domain::Lang::from_code(&manager.locale).unwrap_or_default();
    let (subject, body) = match lang {
        huike_domain::Lang::ZhCn => (
            format!("承诺未兑现：{customer}"),
            format!(
                "{}，您好：\n\n{owner} 对客户「{customer}」的承诺「{}」应于 {} 兑现，至今未兑现。\n\
                 已在您的「今日」中加入一项跟进任务。谨慎承诺：答应客户的事，要做到。",
                manager.display_name, p.what, p.due_date
            ),
        ),
        huike_domain::Lang::En => (
            format!("Promise broken: {customer}"),
            format!(
                "Dear {},\n\n{owner} promised {customer} \"{}\" by {}, and it has not been \
                 kept.\nA follow-up task is on your Today. Promise carefully: what we promise \
                 a customer, we do.",
                manager.display_name, p.what, p.due_date
            ),
        ),
    };
    crate::outbox::enqueue(
        app,
        tx,
        crate::outbox::Outgoing {
            idem_key: format!("promise:{}:escalate:{}:email", p.id, manager.id),
            via: crate::outbox::Via::Email,
            recipient: manager.email.clone(),
            subject,
            body,
            lang,
            event: String::new(),
            customer_id: Some(p.customer_id.clone()),
            contact_id: None,
            task_id: None,
        },
    )
    .await?;
    Ok(())
}

async fn broken_event(app: &App, conn: &mut Conn, p: &Promise) -> AppResult<()> {
    crate::outbox::publish(
        app,
        conn,
        "promise.broken",
        &p.id,
        serde_json::json!({
            "id": p.id,
            "customer_id": p.customer_id,
            "owner_id": p.owner_id,
            "what": p.what,
            "due_date": p.due_date,
            "broken_on": p.broken_on,
        }),
    )
    .await?;
    Ok(())
}

/// The escalation job: every open promise past its day counts as broken from the day after
/// it fell due, and lands on the Today of its owner's managers (one task each) with a
/// `promise.broken` event. Returns how many promises it escalated.
pub async fn escalate_overdue(app: &App) -> AppResult<usize> {
    let today = app.clock.today();
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    let overdue = promises::newly_overdue(&mut tx, &day_text(today)).await?;
    let n = overdue.len();
    for mut p in overdue {
        let due = NaiveDate::parse_from_str(&p.due_date, "%Y-%m-%d").unwrap_or(today);
        p.broken_on = Some(day_text(due.succ_opt().unwrap_or(due)));
        p.updated_at = now;
        promises::update(&mut tx, &p).await?;
        if let Some(dep) = &p.department_id {
            for m in users::managers_of(&mut tx, dep).await? {
                tell_manager(app, &mut tx, &p, &m).await?;
                tasks::insert_once(
                    &mut tx,
                    &promise_task(
                        &p,
                        format!("promise:{}:escalate:{}", p.id, m.id),
                        &m.id,
                        &m.department_id,
                        today,
                        now,
                    ),
                )
                .await?;
            }
        }
        broken_event(app, &mut tx, &p).await?;
    }
    app.commit(tx).await?;
    Ok(n)
}

/// Broken promises in a month for one rep.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BrokenCount {
    pub user_id: String,
    pub display_name: String,
    pub broken: i64,
}

/// The "promise carefully" figure of a month (exactly YYYY-MM; "" or none is this month):
/// broken promises per rep, for the actor's department (managers), everyone (admins), or
/// themselves.
pub async fn broken_per_rep(
    app: &App,
    actor: &Actor,
    month: Option<&str>,
) -> AppResult<Vec<BrokenCount>> {
    let today = app.clock.today();
    let mut c = Checker::new();
    let first = c.month(MONTH, month.unwrap_or_default());
    c.finish()?;
    let first = first.unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let (department, owner) = match actor.role {
        Role::Admin => (None, None),
        Role::Manager => match &actor.department_id {
            Some(d) => (Some(d.as_str()), None),
            None => return Ok(Vec::new()),
        },
        _ => (None, Some(actor.user_id.as_str())),
    };
    let mut conn = app.conn().await?;
    Ok(promises::broken_per_owner(
        &mut conn,
        department,
        owner,
        &day_text(first),
        &day_text(last),
    )
    .await?
    .into_iter()
    .map(|(user_id, display_name, broken)| BrokenCount {
        user_id,
        display_name,
        broken,
    })
    .collect())
}
