//! Correct our own mistakes first (及时纠正): a fault found in a product, or in a batch of it,
//! finds every customer who bought it and gives each one a tracked contact task for its
//! owner, with the fault notice as talking points; the campaign shows who was reached, who
//! not, and who accepted the remedy.

use huike_domain::{Outcome, TaskKind, TaskStatus};
use huike_store::faults::{self, Batch, FaultCampaign, FaultCustomer};
use huike_store::{new_id, tasks};
use serde::Deserialize;

use crate::error::AppResult;
use crate::validate::{Checker, Field, field};
use crate::views::Page;
use crate::{Actor, App, Role};

pub const TITLE: Field = field("title", "问题", "Fault").max(200).required();
pub const NOTICE: Field = field("notice", "说明与补救", "Notice and remedy")
    .max(2000)
    .required();
pub const ORDER_FROM: Field = field("order_from", "订单日期自", "Orders from");
pub const ORDER_TO: Field = field("order_to", "订单日期至", "Orders to");
pub const ORDER_NUMBERS: Field = field("order_numbers", "订单号", "Order numbers").max(20_000);
/// Most order numbers one campaign may name.
pub const MAX_NUMBERS: usize = 1_000;
/// Tasks written per statement batch.
const WRITE_BATCH: usize = 5_000;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FaultInput {
    /// What went wrong, in a line.
    pub title: String,
    /// What the rep tells the customer: the fault and the remedy offered.
    pub notice: String,
    /// YYYY-MM-DD: only orders from this day (optional).
    pub order_from: String,
    /// YYYY-MM-DD: only orders up to this day (optional; a range given backwards is read
    /// the right way round).
    pub order_to: String,
    /// Only these orders: numbers separated by commas, spaces or new lines (optional).
    pub order_numbers: String,
}

/// Where a campaign stands among the customers the caller may see.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct FaultProgress {
    /// Not contacted yet.
    pub open: i64,
    pub reached: i64,
    pub not_reached: i64,
    pub problem: i64,
    pub remedy_accepted: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FaultView {
    pub id: String,
    pub product_id: String,
    pub product_name: String,
    pub title: String,
    pub notice: String,
    pub order_from: Option<String>,
    pub order_to: Option<String>,
    pub order_numbers: String,
    /// Customers found (a task each), in all.
    pub customers: i64,
    /// Unix ms.
    pub created_at: i64,
    /// Among the customers the caller may see.
    pub progress: FaultProgress,
}

/// One customer of a campaign with its call.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FaultCustomerView {
    pub customer_id: String,
    pub customer_name: String,
    pub owner_name: Option<String>,
    pub task_id: Option<String>,
    /// open | done | cancelled
    pub status: Option<String>,
    /// reached | not_reached | problem | remedy_accepted
    pub outcome: Option<String>,
    pub outcome_label: Option<String>,
    pub outcome_note: Option<String>,
}

/// The order numbers named, split on commas (either width), 、, spaces and new lines.
fn numbers_of(s: &str) -> Vec<String> {
    let mut out: Vec<String> = s
        .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Starts a fault campaign on a product (admins: every buyer; managers: their department's).
/// Every customer with a matching order that was not cancelled gets one open task for its
/// owner, due today; a customer who bought the batch many times gets one.
pub async fn create(
    app: &App,
    actor: &Actor,
    product_id: &str,
    input: &FaultInput,
) -> AppResult<FaultView> {
    actor.require_admin_or_manager()?;
    let mut c = Checker::new();
    let title = c.check(TITLE, &input.title);
    let notice = c.check(NOTICE, &input.notice);
    let from = c.date(ORDER_FROM, &input.order_from);
    let to = c.date(ORDER_TO, &input.order_to);
    let raw_numbers = c.check(ORDER_NUMBERS, &input.order_numbers);
    let numbers = numbers_of(&raw_numbers);
    if numbers.len() > MAX_NUMBERS {
        c.fail(
            ORDER_NUMBERS,
            "too_many",
            format!("「订单号」最多 {MAX_NUMBERS} 个。"),
            format!("At most {MAX_NUMBERS} order numbers."),
        );
    }
    c.finish()?;
    // A range given backwards means the same days.
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) if f > t => (Some(t), Some(f)),
        other => other,
    };
    let started = std::time::Instant::now();
    let mut tx = app.db.begin_write().await?;
    let product = huike_store::products::get(&mut tx, product_id).await?;
    let now = app.clock.now_ms();
    let today = app.clock.today().format("%Y-%m-%d").to_string();
    let campaign = FaultCampaign {
        id: new_id(),
        product_id: product.id.clone(),
        title: title.clone(),
        notice: notice.clone(),
        order_from: from.clone(),
        order_to: to.clone(),
        order_numbers: numbers.join(", "),
        department_id: actor
            .department_id
            .clone()
            .filter(|_| actor.role == Role::Manager),
        created_by: Some(actor.user_id.clone()),
        created_at: now,
        customers: 0,
    };
    faults::insert(&mut tx, &campaign).await?;
    let batch = Batch {
        product_id: product.id.clone(),
        from,
        to,
        numbers,
    };
    let buyers = faults::buyers(&mut tx, &actor.scope(), &batch).await?;
    let talking_points = format!("{title}\n{notice}");
    for chunk in buyers.chunks(WRITE_BATCH) {
        let mut task_rows = Vec::with_capacity(chunk.len());
        let mut reached = Vec::with_capacity(chunk.len());
        for b in chunk {
            let mut t = crate::tasks::open_task(
                TaskKind::Fault,
                format!("fault:{}:{}", campaign.id, b.customer_id),
                &b.customer_id,
                b.owner_id.clone(),
                b.department_id.clone(),
                today.clone(),
                now,
            );
            t.doubts = talking_points.clone();
            reached.push(FaultCustomer {
                campaign_id: campaign.id.clone(),
                customer_id: b.customer_id.clone(),
                task_id: Some(t.id.clone()),
                owner_id: b.owner_id.clone(),
                department_id: b.department_id.clone(),
            });
            task_rows.push(t);
        }
        tasks::insert_many_once(&mut tx, &task_rows).await?;
        faults::insert_customers(&mut tx, &reached).await?;
    }
    faults::set_customers(&mut tx, &campaign.id, buyers.len() as i64).await?;
    app.commit(tx).await?;
    tracing::info!(
        campaign = %campaign.id,
        customers = buyers.len(),
        ms = started.elapsed().as_millis() as u64,
        "fault campaign started"
    );
    view(app, actor, &campaign.id).await
}

async fn view_of(
    conn: &mut huike_store::Conn,
    actor: &Actor,
    m: FaultCampaign,
) -> AppResult<FaultView> {
    let product_name = huike_store::products::get(conn, &m.product_id)
        .await
        .map(|p| p.name)
        .unwrap_or_default();
    let mut progress = FaultProgress::default();
    for (status, outcome, n) in faults::progress(conn, &actor.scope(), &m.id).await? {
        if status == TaskStatus::Open.code() {
            progress.open += n;
            continue;
        }
        match outcome.as_deref().and_then(Outcome::from_code) {
            Some(Outcome::Reached) => progress.reached += n,
            Some(Outcome::NotReached) => progress.not_reached += n,
            Some(Outcome::Problem) => progress.problem += n,
            Some(Outcome::RemedyAccepted) => progress.remedy_accepted += n,
            None => {}
        }
    }
    Ok(FaultView {
        id: m.id,
        product_id: m.product_id,
        product_name,
        title: m.title,
        notice: m.notice,
        order_from: m.order_from,
        order_to: m.order_to,
        order_numbers: m.order_numbers,
        customers: m.customers,
        created_at: m.created_at,
        progress,
    })
}

/// A campaign the caller may see, with its progress among their customers.
pub async fn view(app: &App, actor: &Actor, id: &str) -> AppResult<FaultView> {
    let mut conn = app.conn().await?;
    let m = faults::get(&mut conn, &actor.scope(), id).await?;
    view_of(&mut conn, actor, m).await
}

/// The campaigns the caller may see, newest first, 50 a page.
pub async fn list(app: &App, actor: &Actor, page: i64) -> AppResult<Vec<FaultView>> {
    const PER_PAGE: i64 = 50;
    let mut conn = app.conn().await?;
    let found = faults::list(
        &mut conn,
        &actor.scope(),
        crate::views::offset(page, PER_PAGE),
        PER_PAGE,
    )
    .await?;
    let mut out = Vec::with_capacity(found.len());
    for m in found {
        out.push(view_of(&mut conn, actor, m).await?);
    }
    Ok(out)
}

/// A page of a campaign's customers the caller may see, with their calls.
pub async fn customers(
    app: &App,
    actor: &Actor,
    id: &str,
    page: i64,
) -> AppResult<Page<FaultCustomerView>> {
    const PER_PAGE: i64 = 100;
    let mut conn = app.conn().await?;
    faults::get(&mut conn, &actor.scope(), id).await?;
    let p = faults::customers(&mut conn, &actor.scope(), id, page, PER_PAGE).await?;
    Ok(Page::of(p, |r| FaultCustomerView {
        outcome_label: r
            .outcome
            .as_deref()
            .and_then(Outcome::from_code)
            .map(|o| o.label(actor.lang).to_string()),
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        owner_name: r.owner_name,
        task_id: r.task_id,
        status: r.status,
        outcome: r.outcome,
        outcome_note: r.outcome_note,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_are_split_on_any_separator_and_counted_once() {
        assert_eq!(
            numbers_of("SO-1, SO-2，SO-3、SO-4\nSO-5  SO-1"),
            ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5"]
        );
        assert!(numbers_of(" , ").is_empty());
    }
}
