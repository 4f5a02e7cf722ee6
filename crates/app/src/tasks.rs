//! After-sale tasks (跟进任务): each order's thank-you note and 2-5-12 calls planned in the
//! order's own transaction, Today's lists, and finishing, snoozing and handing over a task.

use chrono::NaiveDate;
use huike_domain::{Channel, OrderStatus, Outcome, TaskKind, TaskStatus, order_follow_ups};
use huike_store::interactions::{self, Interaction};
use huike_store::orders::Order;
use huike_store::tasks::{self, Task, TaskFilter};
use huike_store::{Conn, customers, new_id, users};
use serde::Deserialize;

use crate::error::{AppError, AppResult, field_error};
use crate::promises::PromiseAlong;
use crate::validate::{Checker, Field, field};
use crate::views::{Page, TaskGroup, TaskView, TeamMemberLoad, TodayView};
use crate::{Actor, App, Role};

pub const OUTCOME: Field = field("outcome", "结果", "Outcome");
pub const NOTE: Field = field("note", "记录", "Note").max(2000);
pub const CHANNEL: Field = field("channel", "渠道", "Channel");
pub const UNTIL: Field = field("until", "推迟到", "Snooze until");
pub const OWNER: Field = field("owner_id", "负责人", "Owner");
pub const KIND: Field = field("kind", "类型", "Kind");
pub const STATUS: Field = field("status", "状态", "Status");
pub const DUE_FROM: Field = field("due_from", "到期自", "Due from");
pub const DUE_TO: Field = field("due_to", "到期至", "Due to");

/// Most tasks Today lists at once; the task list pages through the rest. More than a day's
/// calls; and each listed task is four joins, so 200 cost a rep's Today 35–65 ms on
/// PostgreSQL at a million customers (PostgreSQL also read them with parallel workers),
/// 50 about 6 ms.
const TODAY_LIMIT: i64 = 50;

/// The idempotency key of an order's follow-up: planning the same order again finds it.
fn order_key(order_id: &str, kind: TaskKind) -> String {
    format!("order:{order_id}:{}", kind.code())
}

/// Plans an order's follow-ups inside the transaction that saves the order: the thank-you
/// note on the order day and the 2-5-12 calls from delivery (or the order day). Missing tasks
/// are made; open ones follow a changed order or delivery date, salesperson or contact (a
/// snoozed or handed-over task keeps its date and owner while those stay the same); a
/// cancelled order cancels its open tasks and reinstating it reopens them; finished tasks
/// stay as they were. Safe to run any number of times for the same order. `before` is the
/// order as it was, for an update.
pub(crate) async fn plan_order(
    app: &App,
    conn: &mut Conn,
    order: &Order,
    before: Option<&Order>,
) -> AppResult<()> {
    // A new order gets all four, even those already due (a rep entering yesterday's deal
    // still owes the note). A saved order missing some was imported without its past ones:
    // saving it again must not bring them back as overdue work, so only those still ahead
    // are made.
    let not_before = before.map(|_| app.clock.today());
    plan_order_from(app, conn, order, before, not_before).await?;
    Ok(())
}

/// [`plan_order`], making no new task due before `not_before`: an imported past order gets
/// only the follow-ups still ahead, not a backlog of overdue calls nobody asked for (`None`
/// makes them all, open). Returns how many tasks were made.
pub(crate) async fn plan_order_from(
    app: &App,
    conn: &mut Conn,
    order: &Order,
    before: Option<&Order>,
    not_before: Option<NaiveDate>,
) -> AppResult<usize> {
    let mut made = 0;
    let dates_moved = before
        .is_none_or(|b| b.order_date != order.order_date || b.delivery_date != order.delivery_date);
    let owner_moved = before.is_none_or(|b| b.salesperson_id != order.salesperson_id);
    let contact_moved = before.is_none_or(|b| b.contact_id != order.contact_id);
    let now = app.clock.now_ms();
    let existing = tasks::of_order(conn, &order.id).await?;
    let status = OrderStatus::from_code(&order.status).unwrap_or(OrderStatus::Open);
    if !status.keeps_follow_ups() {
        for mut t in existing {
            if t.status == TaskStatus::Open.code() {
                t.status = TaskStatus::Cancelled.code().to_string();
                t.updated_at = now;
                tasks::update(conn, &t).await?;
            }
        }
        return Ok(made);
    }
    let ordered = NaiveDate::parse_from_str(&order.order_date, "%Y-%m-%d")
        .map_err(|_| AppError::Internal("stored order date unreadable".into()))?;
    let delivered = order
        .delivery_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    for f in order_follow_ups(ordered, delivered) {
        let kind = TaskKind::of(f.kind);
        let key = order_key(&order.id, kind);
        let due = f.due.format("%Y-%m-%d").to_string();
        let doubts = if kind.carries_doubts() {
            order.doubts.clone()
        } else {
            String::new()
        };
        match existing.iter().find(|t| t.idem_key == key) {
            None if not_before.is_some_and(|day| f.due < day) => {}
            None => {
                let task = Task {
                    contact_id: order.contact_id.clone(),
                    order_id: Some(order.id.clone()),
                    doubts,
                    ..open_task(
                        kind,
                        key,
                        &order.customer_id,
                        order.salesperson_id.clone(),
                        order.department_id.clone(),
                        due,
                        now,
                    )
                };
                let inserted = tasks::insert_once(conn, &task).await?;
                made += usize::from(inserted);
            }
            Some(t) if t.status != TaskStatus::Done.code() => {
                let mut next = t.clone();
                let reopened = t.status == TaskStatus::Cancelled.code();
                next.status = TaskStatus::Open.code().to_string();
                if dates_moved || reopened {
                    next.due_date = due;
                }
                if owner_moved || reopened {
                    next.owner_id = order.salesperson_id.clone();
                    next.department_id = order.department_id.clone();
                }
                if contact_moved {
                    next.contact_id = order.contact_id.clone();
                }
                next.doubts = doubts;
                if next != *t {
                    next.updated_at = now;
                    tasks::update(conn, &next).await?;
                }
            }
            Some(_) => {}
        }
    }
    Ok(made)
}

/// The tasks an order made, in any status, for the order's page.
pub async fn of_order(app: &App, actor: &Actor, order_id: &str) -> AppResult<Vec<TaskView>> {
    let mut conn = app.conn().await?;
    let filter = TaskFilter {
        order_id: Some(order_id.to_string()),
        ..Default::default()
    };
    let items = tasks::list_all(&mut conn, &actor.scope(), &filter, 50).await?;
    let today = app.clock.today();
    Ok(items
        .into_iter()
        .map(|t| TaskView::of(t, actor.lang, today))
        .collect())
}

/// Where Today, the header and a manager's team view stop counting open work ("1000+"):
/// enough to see who is behind, without counting a backlog of tens of thousands on every view.
pub const COUNT_CAP: i64 = 1000;

/// The actor's Today: their open tasks due today or earlier, grouped by kind in the method's
/// order, and for a manager the department's open work per member.
pub async fn today(app: &App, actor: &Actor) -> AppResult<TodayView> {
    today_counted(app, actor, None).await
}

/// [`today`] with the actor's (due, overdue) counts when the caller already has them from
/// [`due_counts`] in this request (the page's header), so they are not read twice.
pub async fn today_counted(
    app: &App,
    actor: &Actor,
    counts: Option<(i64, i64)>,
) -> AppResult<TodayView> {
    let today = app.clock.today();
    let day = today.format("%Y-%m-%d").to_string();
    let mut conn = app.conn().await?;
    let filter = TaskFilter {
        owner_id: Some(actor.user_id.clone()),
        status: Some(TaskStatus::Open.code().to_string()),
        due_to: Some(day.clone()),
        ..Default::default()
    };
    let items = tasks::list_all(&mut conn, &actor.scope(), &filter, TODAY_LIMIT + 1).await?;
    let more = items.len() as i64 > TODAY_LIMIT;
    let (due, overdue) = match counts {
        Some(c) => c,
        None => tasks::count_due(&mut conn, &actor.user_id, &day, COUNT_CAP).await?,
    };
    let views: Vec<TaskView> = items
        .into_iter()
        .take(TODAY_LIMIT as usize)
        .map(|t| TaskView::of(t, actor.lang, today))
        .collect();
    let mut groups: Vec<TaskGroup> = Vec::new();
    for kind in TaskKind::ALL {
        let of_kind: Vec<TaskView> = views
            .iter()
            .filter(|t| t.kind == kind.code())
            .cloned()
            .collect();
        if !of_kind.is_empty() {
            groups.push(TaskGroup {
                kind: kind.code().to_string(),
                kind_label: kind.label(actor.lang).to_string(),
                tasks: of_kind,
            });
        }
    }
    let team = match (&actor.role, &actor.department_id) {
        (Role::Manager, Some(dep)) => tasks::due_per_owner(&mut conn, dep, &day, COUNT_CAP)
            .await?
            .into_iter()
            .map(|(user_id, display_name, due, overdue)| TeamMemberLoad {
                user_id,
                display_name,
                due_at_least: due >= COUNT_CAP,
                overdue_at_least: overdue >= COUNT_CAP,
                due,
                overdue,
            })
            .collect(),
        _ => Vec::new(),
    };
    drop(conn);
    let broken_promises = match actor.role {
        Role::Manager => crate::promises::broken_per_rep(app, actor, None).await?,
        _ => Vec::new(),
    };
    let campaigns = crate::greeting_campaigns::for_today(app, actor).await?;
    Ok(TodayView {
        today: day,
        due,
        overdue,
        due_at_least: due >= COUNT_CAP,
        overdue_at_least: overdue >= COUNT_CAP,
        groups,
        more,
        team,
        broken_promises,
        campaigns,
    })
}

/// How many open tasks the actor has due today or earlier, and of those overdue, each up to
/// [`COUNT_CAP`] (the header's badge, and Today's summary).
pub async fn due_counts(app: &App, actor: &Actor) -> AppResult<(i64, i64)> {
    let day = app.clock.today().format("%Y-%m-%d").to_string();
    let mut conn = app.conn().await?;
    Ok(tasks::count_due(&mut conn, &actor.user_id, &day, COUNT_CAP).await?)
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct TaskQuery {
    /// A user's id; `me` for the caller.
    pub owner_id: Option<String>,
    /// thank_you | day_2 | day_5 | day_12 | inquiry | promise
    pub kind: Option<String>,
    /// open | done | cancelled
    pub status: Option<String>,
    pub customer_id: Option<String>,
    pub order_id: Option<String>,
    /// YYYY-MM-DD inclusive.
    pub due_from: Option<String>,
    /// YYYY-MM-DD inclusive.
    pub due_to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl TaskQuery {
    fn filter(&self, actor: &Actor) -> AppResult<TaskFilter> {
        let ne = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let mut c = Checker::new();
        let kind = c.code(
            KIND,
            self.kind.as_deref().unwrap_or(""),
            TaskKind::from_code,
        );
        let status = c.code(
            STATUS,
            self.status.as_deref().unwrap_or(""),
            TaskStatus::from_code,
        );
        let due_from = c.date(DUE_FROM, self.due_from.as_deref().unwrap_or(""));
        let due_to = c.date(DUE_TO, self.due_to.as_deref().unwrap_or(""));
        c.finish()?;
        Ok(TaskFilter {
            owner_id: ne(&self.owner_id).map(|o| if o == "me" { actor.user_id.clone() } else { o }),
            id: None,
            promise_id: None,
            department_id: None,
            customer_id: ne(&self.customer_id),
            order_id: ne(&self.order_id),
            kind: kind.map(|k| k.code().to_string()),
            status: status.map(|s| s.code().to_string()),
            due_from,
            due_to,
        })
    }
}

/// Tasks of the customers the actor may see, earliest due first.
pub async fn list(app: &App, actor: &Actor, q: &TaskQuery) -> AppResult<Page<TaskView>> {
    let filter = q.filter(actor)?;
    let paging = crate::paging(q.page, q.per_page);
    let mut conn = app.conn().await?;
    let page = tasks::list(&mut conn, app.db.counts(), &actor.scope(), &filter, paging).await?;
    let today = app.clock.today();
    Ok(Page::of(page, |t| TaskView::of(t, actor.lang, today)))
}

/// One task of a customer the actor may see.
pub async fn view(app: &App, actor: &Actor, id: &str) -> AppResult<TaskView> {
    let mut conn = app.conn().await?;
    item(&mut conn, app, actor, id).await
}

async fn item(conn: &mut Conn, app: &App, actor: &Actor, id: &str) -> AppResult<TaskView> {
    let filter = TaskFilter {
        id: Some(id.to_string()),
        ..Default::default()
    };
    let found = tasks::list_all(conn, &actor.scope(), &filter, 1).await?;
    let t = found.into_iter().next().ok_or(AppError::NotFound)?;
    Ok(TaskView::of(t, actor.lang, app.clock.today()))
}

/// The open task the actor may work on: its owner, or a manager or admin who sees its
/// customer. Others who see the customer (a rep it is shared with, a service agent) may
/// read the task but not act on it.
async fn workable(conn: &mut Conn, actor: &Actor, id: &str) -> AppResult<Task> {
    let t = tasks::get(conn, &actor.scope(), id).await?;
    actor.require_worker_of(t.owner_id.as_deref())?;
    if t.status != TaskStatus::Open.code() {
        return Err(AppError::Conflict(field_error(
            "status",
            "task_closed",
            "这项任务已经完成或取消，不能再修改。",
            "This task is already done or cancelled and cannot change.",
        )));
    }
    Ok(t)
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DoneInput {
    /// reached | not_reached | problem
    pub outcome: String,
    /// What was said or done; goes to the customer's timeline.
    pub note: String,
    /// The channel used (visit, phone, sms, email, wechat, …); default phone, or letter for a
    /// thank-you note.
    pub channel: String,
}

/// Finishes a task with its outcome and writes the outcome to the customer's timeline; a
/// problem found is flagged there for the service desk.
pub async fn done(app: &App, actor: &Actor, id: &str, input: &DoneInput) -> AppResult<TaskView> {
    done_with_promise(app, actor, id, input, &PromiseAlong::default()).await
}

/// Finishes a task and, when its terms are filled in, records the promise made in that
/// call, linked to the task and its timeline entry, in one transaction (the Today form's
/// "promised" fields).
pub async fn done_with_promise(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &DoneInput,
    promise: &PromiseAlong,
) -> AppResult<TaskView> {
    let mut c = Checker::new();
    let terms = crate::promises::check_along(&mut c, app.clock.today(), promise);
    let outcome = c.code(OUTCOME, &input.outcome, Outcome::from_code);
    if input.outcome.trim().is_empty() {
        c.fail(
            OUTCOME,
            "required",
            "请选择「结果」：已联系上、未联系上或发现问题。".into(),
            "Choose the outcome: reached, not reached or problem found.".into(),
        );
    }
    let note = c.check(NOTE, &input.note);
    let channel = c.code(CHANNEL, &input.channel, Channel::from_code);
    c.finish()?;
    let Some(outcome) = outcome else {
        return Err(AppError::Internal("checked outcome missing".into()));
    };
    let mut tx = app.db.begin_write().await?;
    let mut t = workable(&mut tx, actor, id).await?;
    let kind = TaskKind::from_code(&t.kind);
    if outcome == Outcome::RemedyAccepted && kind != Some(TaskKind::Fault) {
        return Err(AppError::invalid(
            OUTCOME.key,
            "not_a_fault",
            "「接受补救」只用于产品故障的联系任务。",
            "\"Remedy accepted\" is for fault notices only.",
        ));
    }
    let channel = channel.unwrap_or(if kind == Some(TaskKind::ThankYou) {
        Channel::Letter
    } else {
        Channel::Phone
    });
    let now = app.clock.now_ms();
    let kind_label = kind.map(|k| k.label(actor.lang)).unwrap_or(t.kind.as_str());
    let mut summary = format!("{kind_label}：{}", outcome.label(actor.lang));
    if !note.is_empty() {
        summary.push_str(" — ");
        summary.push_str(&note);
    }
    let entry = Interaction {
        id: new_id(),
        customer_id: t.customer_id.clone(),
        contact_id: t.contact_id.clone(),
        channel: channel.code().to_string(),
        direction: "outbound".to_string(),
        user_id: Some(actor.user_id.clone()),
        occurred_at: now,
        summary,
        created_at: now,
        task_id: Some(t.id.clone()),
        problem: i64::from(outcome == Outcome::Problem),
        message_id: None,
    };
    interactions::insert(&mut tx, &entry).await?;
    if let Some(terms) = terms {
        let owner = huike_store::users::get(&mut tx, &actor.user_id).await?;
        let made = crate::promises::Made {
            customer_id: t.customer_id.clone(),
            contact_id: t.contact_id.clone(),
            interaction_id: entry.id,
            task_id: Some(t.id.clone()),
        };
        crate::promises::record(app, &mut tx, actor, &owner, terms, made).await?;
    }
    t.status = TaskStatus::Done.code().to_string();
    t.outcome = Some(outcome.code().to_string());
    t.outcome_note = note;
    t.done_at = Some(now);
    t.done_on = Some(app.clock.today().format("%Y-%m-%d").to_string());
    t.done_by = Some(actor.user_id.clone());
    t.updated_at = now;
    tasks::update(&mut tx, &t).await?;
    if kind == Some(TaskKind::Inquiry) && outcome == Outcome::Reached {
        // A satisfied customer is the moment to ask for referrals (索取推荐名单).
        let mut ask = open_task(
            TaskKind::ReferralAsk,
            format!("referral_ask:{}", t.id),
            &t.customer_id,
            t.owner_id.clone(),
            t.department_id.clone(),
            app.clock.today().format("%Y-%m-%d").to_string(),
            now,
        );
        ask.contact_id = t.contact_id.clone();
        tasks::insert_once(&mut tx, &ask).await?;
    }
    if kind == Some(TaskKind::Greeting) {
        // The rep greeted the contact personally (or could not reach them).
        let status = if outcome == Outcome::NotReached {
            "skipped"
        } else {
            "by_hand"
        };
        huike_store::greetings::settle_task(&mut tx, &t.id, status, channel.code(), now).await?;
    }
    crate::outbox::publish(
        app,
        &mut tx,
        "task.done",
        &t.id,
        serde_json::json!({
            "id": t.id,
            "kind": t.kind,
            "customer_id": t.customer_id,
            "order_id": t.order_id,
            "outcome": t.outcome,
            "note": t.outcome_note,
            "done_by": t.done_by,
            "done_on": t.done_on,
        }),
    )
    .await?;
    app.commit(tx).await?;
    let mut conn = app.conn().await?;
    item(&mut conn, app, actor, id).await
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SnoozeInput {
    /// YYYY-MM-DD, today or later.
    pub until: String,
}

/// Moves an open task to a later day.
pub async fn snooze(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &SnoozeInput,
) -> AppResult<TaskView> {
    let mut c = Checker::new();
    let until = c.day_from_today(UNTIL, &input.until, app.clock.today());
    c.finish()?;
    let Some(until) = until else {
        return Err(AppError::Internal("checked date missing".into()));
    };
    let mut tx = app.db.begin_write().await?;
    let mut t = workable(&mut tx, actor, id).await?;
    t.due_date = until;
    t.updated_at = app.clock.now_ms();
    tasks::update(&mut tx, &t).await?;
    app.commit(tx).await?;
    let mut conn = app.conn().await?;
    item(&mut conn, app, actor, id).await
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReassignInput {
    /// The user who takes the task over.
    pub owner_id: String,
}

/// Hands an open task to another user (managers within their department, admins anyone). The
/// new owner must be able to see the customer, so the task never lands where it cannot be
/// opened.
pub async fn reassign(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &ReassignInput,
) -> AppResult<TaskView> {
    if !matches!(actor.role, Role::Admin | Role::Manager) {
        return Err(AppError::Forbidden);
    }
    let owner_id = input.owner_id.trim();
    if owner_id.is_empty() {
        return Err(AppError::invalid(
            OWNER.key,
            "required",
            "请选择新的「负责人」。",
            "Choose the new owner.",
        ));
    }
    let mut tx = app.db.begin_write().await?;
    let mut t = workable(&mut tx, actor, id).await?;
    // Well formed either way: an id that names nobody is 404, someone who is there but may
    // not take this task (out of reach, or not seeing the customer) conflicts with what is on
    // file (409), as everywhere in the API.
    let user = users::get(&mut tx, owner_id).await.map_err(|_| {
        AppError::UnknownReference(vec![field_error(
            OWNER.key,
            "unknown_user",
            "「负责人」不是有效用户。",
            "Owner is not a known user.",
        )])
    })?;
    let target = crate::auth::actor_from_user(&user)?;
    let in_reach = user.active == 1
        && matches!(target.role, Role::Sales | Role::Manager | Role::Admin)
        && (actor.role == Role::Admin || target.department_id == actor.department_id);
    if !in_reach {
        return Err(AppError::Conflict(field_error(
            OWNER.key,
            "out_of_reach",
            "「负责人」不是可以指派的用户。",
            "The owner is not a user this task can be given to.",
        )));
    }
    if !customers::visible(&mut tx, &target.scope(), &t.customer_id).await? {
        return Err(AppError::Conflict(field_error(
            OWNER.key,
            "cannot_see_customer",
            format!(
                "{} 看不到这个客户：请先把客户共享给他或移交给他。",
                user.display_name
            ),
            format!(
                "{} cannot see this customer: share it with them or hand it over first.",
                user.display_name
            ),
        )));
    }
    t.owner_id = Some(user.id.clone());
    t.department_id = user.department_id.clone();
    t.updated_at = app.clock.now_ms();
    tasks::update(&mut tx, &t).await?;
    app.commit(tx).await?;
    let mut conn = app.conn().await?;
    item(&mut conn, app, actor, id).await
}

/// A new open task as every planner writes it (order follow-ups, inquiries, promise
/// reminders and escalations); callers fill in the contact, order, promise or doubts.
pub(crate) fn open_task(
    kind: TaskKind,
    idem_key: String,
    customer_id: &str,
    owner_id: Option<String>,
    department_id: Option<String>,
    due_date: String,
    now: i64,
) -> Task {
    Task {
        id: new_id(),
        idem_key,
        kind: kind.code().to_string(),
        status: TaskStatus::Open.code().to_string(),
        customer_id: customer_id.to_string(),
        contact_id: None,
        order_id: None,
        promise_id: None,
        owner_id,
        department_id,
        due_date,
        doubts: String::new(),
        outcome: None,
        outcome_note: String::new(),
        done_at: None,
        done_on: None,
        done_by: None,
        created_at: now,
        updated_at: now,
    }
}

/// How far ahead proactive inquiries are planned, so Today and the calendar feed show the
/// week coming.
pub const INQUIRY_HORIZON_DAYS: u64 = 7;

/// Inquiry tasks written per batch while planning.
const PLAN_BATCH: usize = 5_000;

/// Plans the next proactive inquiry (主动询问) of every active customer: one that bought in
/// the last `inquiry_active_months` months gets an inquiry `inquiry_every_days` after its
/// last order or finished inquiry, whichever is later, once that day is within the planning
/// horizon. A customer with an open inquiry gets no second one; an inquiry that fell due while
/// nobody planned it is due today, never in the past. Returns how many were planned.
pub async fn plan_inquiries(app: &App) -> AppResult<usize> {
    use chrono::{Days, Months};
    let today = app.clock.today();
    let every = app.settings.inquiry_every_days.max(1);
    let active_since = today
        .checked_sub_months(Months::new(app.settings.inquiry_active_months))
        .unwrap_or(today);
    let horizon = today
        .checked_add_days(Days::new(INQUIRY_HORIZON_DAYS))
        .unwrap_or(today);
    // Due within the horizon ⇔ anchored on or before horizon − every.
    let anchor_by = horizon
        .checked_sub_days(Days::new(u64::from(every)))
        .unwrap_or(horizon);
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    let candidates =
        tasks::inquiry_candidates(&mut tx, &fmt(active_since), &fmt(anchor_by)).await?;
    let mut planned = 0;
    // Written many to a statement: a first run (or one after a long stop) plans hundreds of
    // thousands at a million customers, and one INSERT each took over a minute on PostgreSQL.
    let mut batch: Vec<Task> = Vec::with_capacity(PLAN_BATCH);
    for c in candidates {
        let anchor = match &c.last_inquiry {
            Some(i) if *i > c.last_order => i.clone(),
            _ => c.last_order.clone(),
        };
        let Ok(anchor_day) = NaiveDate::parse_from_str(&anchor, "%Y-%m-%d") else {
            continue;
        };
        let Some(due) = huike_domain::aftersale::next_inquiry(anchor_day, every) else {
            continue;
        };
        if due > horizon {
            continue;
        }
        let task = open_task(
            TaskKind::Inquiry,
            format!("inquiry:{}:{anchor}", c.customer_id),
            &c.customer_id,
            c.owner_id,
            c.department_id,
            fmt(due.max(today)),
            now,
        );
        batch.push(task);
        if batch.len() == PLAN_BATCH {
            planned += tasks::insert_many_once(&mut tx, &batch).await? as usize;
            batch.clear();
        }
    }
    planned += tasks::insert_many_once(&mut tx, &batch).await? as usize;
    app.commit(tx).await?;
    Ok(planned)
}
