//! Referrals (索取推荐名单) and bird-dog rewards (猎犬计划): a satisfied customer's names are
//! recorded as prospects, followed to a first order, shown as a tree of who brought whom,
//! counted per rep and per customer; the reward the policy sets falls due, once, when the
//! referred customer's first order is delivered, and its payment is recorded.

use std::collections::{HashMap, HashSet};

use huike_domain::money::parse_money;
use huike_store::referrals::{self, Referral, Reward};
use huike_store::{Conn, customers, new_id};
use serde::Deserialize;

use crate::error::{AppError, AppResult, field_error};
use crate::validate::{Checker, Field, TextKind, field};
use crate::{Actor, App};

pub const PROSPECT: Field = field("prospect_name", "被推荐的客户", "Referred customer")
    .max(200)
    .required();
pub const PERSON: Field = field("prospect_person", "联系人", "Contact person").max(100);
pub const PHONE: Field = field("prospect_phone", "电话", "Phone").kind(TextKind::Phone);
pub const EMAIL: Field = field("prospect_email", "邮箱", "E-mail").kind(TextKind::Email);
pub const NOTE: Field = field("note", "备注", "Note").max(1000);
pub const REFERRER_CONTACT: Field = field("referrer_contact_id", "推荐人", "Referred by");
pub const STATUS: Field = field("status", "状态", "Status");
pub const REASON: Field = field("reason", "原因", "Reason").max(500);
pub const CUSTOMER: Field = field("customer_id", "成为的客户", "Became customer");
pub const AMOUNT: Field = field("amount", "每个奖励金额", "Reward per referral");
pub const GIFT: Field = field("gift", "礼品", "Gift").max(200);
pub const REWARD_STATUS: Field = field("status", "状态", "Status");
/// Where a reward stands.
pub const REWARD_STATUSES: [&str; 2] = ["due", "paid"];
pub const PAY_NOTE: Field = field("note", "备注", "Note").max(500);
/// The settings row holding the reward policy.
pub const POLICY_KEY: &str = "referral_reward";
/// The largest reward, in 分: as large as a price may be.
pub const MAX_REWARD_FEN: i64 = crate::products::MAX_PRICE_FEN;
/// Generations a tree shows.
pub const TREE_DEPTH: usize = 6;
/// The statuses a rep sets by hand (a customer is linked with `convert`).
pub const SET_STATUSES: [&str; 2] = ["contacted", "lost"];

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReferralInput {
    pub prospect_name: String,
    pub prospect_person: String,
    pub prospect_phone: String,
    pub prospect_email: String,
    pub note: String,
    /// The contact at the referring customer who gave the name (optional).
    pub referrer_contact_id: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusInput {
    /// contacted | lost
    pub status: String,
    /// Why it was lost (required then).
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConvertInput {
    /// The customer the prospect became.
    pub customer_id: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PolicyInput {
    /// Paid per converted referral, in yuan (e.g. 200 or ¥200.00); 0 for a gift only.
    pub amount: String,
    /// A gift instead of or besides the money.
    pub gift: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PayInput {
    pub note: String,
}

/// The reward policy: what a converted referral earns its referrer.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub struct Policy {
    pub amount_fen: i64,
    pub gift: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RewardView {
    pub id: String,
    pub referral_id: String,
    pub referrer_id: String,
    pub order_id: Option<String>,
    pub amount_fen: i64,
    /// As shown, e.g. ¥200.00.
    pub amount: String,
    pub gift: String,
    pub due_on: String,
    /// due | paid
    pub status: String,
    pub paid_on: Option<String>,
    pub paid_note: String,
    /// The referring customer's name (in the rewards list).
    pub referrer_name: String,
}

impl From<Reward> for RewardView {
    fn from(w: Reward) -> RewardView {
        RewardView {
            amount: huike_domain::format_money(w.amount_fen, "CNY"),
            id: w.id,
            referral_id: w.referral_id,
            referrer_id: w.referrer_id,
            order_id: w.order_id,
            amount_fen: w.amount_fen,
            gift: w.gift,
            due_on: w.due_on,
            status: w.status,
            paid_on: w.paid_on,
            paid_note: w.paid_note,
            referrer_name: String::new(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReferralView {
    pub id: String,
    pub referrer_id: String,
    pub referrer_contact_id: Option<String>,
    pub prospect_name: String,
    pub prospect_person: String,
    pub prospect_phone: String,
    pub prospect_email: String,
    pub note: String,
    pub referred_on: String,
    /// new | contacted | customer | lost
    pub status: String,
    pub status_label: String,
    /// The customer the prospect became.
    pub customer_id: Option<String>,
    pub lost_reason: String,
    pub reward: Option<RewardView>,
    /// The referring customer's name (in lists; empty in a tree, which hangs under it).
    pub referrer_name: String,
}

/// A referral with the referrals of the customer it became, and theirs.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReferralNode {
    pub referral: ReferralView,
    #[schema(no_recursion)]
    pub children: Vec<ReferralNode>,
}

pub fn status_label(s: &str, lang: huike_domain::Lang) -> String {
    match s {
        "new" => lang.pick("新推荐", "New"),
        "contacted" => lang.pick("已联系", "Contacted"),
        "customer" => lang.pick("已成交", "Became a customer"),
        "lost" => lang.pick("未成", "Lost"),
        other => other,
    }
    .to_string()
}

fn view_of(r: Referral, reward: Option<Reward>, lang: huike_domain::Lang) -> ReferralView {
    ReferralView {
        status_label: status_label(&r.status, lang),
        id: r.id,
        referrer_id: r.referrer_id,
        referrer_contact_id: r.referrer_contact_id,
        prospect_name: r.prospect_name,
        prospect_person: r.prospect_person,
        prospect_phone: r.prospect_phone,
        prospect_email: r.prospect_email,
        note: r.note,
        referred_on: r.referred_on,
        status: r.status,
        customer_id: r.customer_id,
        lost_reason: r.lost_reason,
        reward: reward.map(RewardView::from),
        referrer_name: String::new(),
    }
}

async fn view(conn: &mut Conn, r: Referral, lang: huike_domain::Lang) -> AppResult<ReferralView> {
    let reward = referrals::reward_of(conn, &r.id).await?;
    Ok(view_of(r, reward, lang))
}

/// Views of many referrals with their rewards, two queries in all.
async fn views(
    conn: &mut Conn,
    rows: Vec<Referral>,
    lang: huike_domain::Lang,
) -> AppResult<Vec<ReferralView>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut rewards: HashMap<String, Reward> = referrals::rewards_of(conn, &ids)
        .await?
        .into_iter()
        .map(|w| (w.referral_id.clone(), w))
        .collect();
    let mut referrers: Vec<String> = rows.iter().map(|r| r.referrer_id.clone()).collect();
    referrers.sort();
    referrers.dedup();
    let names: HashMap<String, String> = referrals::customer_names(conn, &referrers)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let reward = rewards.remove(&r.id);
            let name = names.get(&r.referrer_id).cloned().unwrap_or_default();
            let mut v = view_of(r, reward, lang);
            v.referrer_name = name;
            v
        })
        .collect())
}

/// Records a referral a customer gave (anyone who may change the customer).
pub async fn create(
    app: &App,
    actor: &Actor,
    referrer_id: &str,
    input: &ReferralInput,
) -> AppResult<ReferralView> {
    let mut c = Checker::new();
    let prospect_name = c.check(PROSPECT, &input.prospect_name);
    let prospect_person = c.check(PERSON, &input.prospect_person);
    let prospect_phone = c.check(PHONE, &input.prospect_phone);
    let prospect_email = c.check(EMAIL, &input.prospect_email);
    let note = c.check(NOTE, &input.note);
    c.finish()?;
    let mut tx = app.db.begin_write().await?;
    let referrer = customers::get(&mut tx, &actor.edit_scope(), referrer_id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    let referrer_contact_id = match input.referrer_contact_id.trim() {
        "" => None,
        id => {
            let k = huike_store::contacts::get(&mut tx, &actor.scope(), id)
                .await
                .map_err(|_| AppError::UnknownReference(vec![unknown_contact()]))?;
            if k.customer_id != referrer.id {
                return Err(AppError::UnknownReference(vec![unknown_contact()]));
            }
            Some(k.id)
        }
    };
    let now = app.clock.now_ms();
    let r = Referral {
        id: new_id(),
        referrer_id: referrer.id.clone(),
        referrer_contact_id,
        prospect_name,
        prospect_person,
        prospect_phone,
        prospect_email,
        note,
        referred_on: app.clock.today().format("%Y-%m-%d").to_string(),
        status: "new".into(),
        customer_id: None,
        lost_reason: String::new(),
        owner_id: referrer.owner_id.clone(),
        department_id: referrer.department_id.clone(),
        created_by: Some(actor.user_id.clone()),
        created_at: now,
        updated_at: now,
    };
    referrals::insert(&mut tx, &r).await?;
    app.commit(tx).await?;
    Ok(view_of(r, None, actor.lang))
}

fn unknown_contact() -> huike_domain::FieldError {
    field_error(
        REFERRER_CONTACT.key,
        "unknown",
        "推荐人应是该客户的联系人。",
        "Referred by must be a contact of this customer.",
    )
}

/// Marks a referral contacted, or lost with the reason.
pub async fn set_status(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &StatusInput,
) -> AppResult<ReferralView> {
    let mut c = Checker::new();
    let status = c.code(STATUS, &input.status, |s| {
        SET_STATUSES.iter().copied().find(|x| *x == s)
    });
    if input.status.is_empty() {
        c.fail(
            STATUS,
            "required",
            "请选择「状态」：contacted（已联系）或 lost（未成）。".into(),
            "Status is required: contacted or lost.".into(),
        );
    }
    let reason = c.check(REASON, &input.reason);
    if status == Some("lost") && reason.trim().is_empty() {
        c.fail(
            REASON,
            "required",
            "未成的推荐请写明原因。".into(),
            "Say why the referral was lost.".into(),
        );
    }
    c.finish()?;
    let Some(status) = status else {
        return Err(AppError::Internal("checked status missing".into()));
    };
    let mut tx = app.db.begin_write().await?;
    let mut r = referrals::get(&mut tx, &actor.scope(), id).await?;
    actor.require_worker_of(r.owner_id.as_deref())?;
    if r.status == "customer" {
        return Err(AppError::Conflict(field_error(
            STATUS.key,
            "converted",
            "这条推荐已成交，状态不能再改。",
            "This referral became a customer; its status stays.",
        )));
    }
    r.status = status.to_string();
    r.lost_reason = if status == "lost" {
        reason
    } else {
        String::new()
    };
    r.updated_at = app.clock.now_ms();
    referrals::update(&mut tx, &r).await?;
    app.commit(tx).await?;
    let mut conn = app.conn().await?;
    view(&mut conn, r, actor.lang).await
}

/// Links the customer the prospect became. If its first order is already delivered, the
/// reward falls due at once.
pub async fn convert(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &ConvertInput,
) -> AppResult<ReferralView> {
    let mut tx = app.db.begin_write().await?;
    let mut r = referrals::get(&mut tx, &actor.scope(), id).await?;
    actor.require_worker_of(r.owner_id.as_deref())?;
    let unknown = || {
        AppError::UnknownReference(vec![field_error(
            CUSTOMER.key,
            "unknown",
            "没有这个客户。",
            "There is no such customer.",
        )])
    };
    let customer = customers::get(&mut tx, &actor.scope(), input.customer_id.trim())
        .await
        .map_err(|_| unknown())?;
    // A well-formed id that conflicts with what is on file (the referral's own referrer),
    // answered like the other conflicts of a conversion.
    if customer.id == r.referrer_id {
        return Err(AppError::Conflict(field_error(
            CUSTOMER.key,
            "self",
            "客户不能推荐自己。",
            "A customer cannot refer itself.",
        )));
    }
    if let Some(other) = referrals::of_customer(&mut tx, &customer.id).await?
        && other.id != r.id
    {
        return Err(AppError::Conflict(field_error(
            CUSTOMER.key,
            "already_referred",
            format!("「{}」已记为另一条推荐带来的客户。", customer.name),
            format!(
                "{} is already recorded as another referral's.",
                customer.name
            ),
        )));
    }
    r.status = "customer".into();
    r.customer_id = Some(customer.id.clone());
    r.lost_reason = String::new();
    r.updated_at = app.clock.now_ms();
    referrals::update(&mut tx, &r).await?;
    reward_if_delivered(app, &mut tx, &customer.id).await?;
    app.commit(tx).await?;
    let mut conn = app.conn().await?;
    view(&mut conn, r, actor.lang).await
}

/// The reward policy (every user may read it).
pub async fn policy(app: &App) -> AppResult<Policy> {
    let mut conn = app.conn().await?;
    Ok(read_policy(&mut conn).await?)
}

async fn read_policy(conn: &mut Conn) -> huike_store::StoreResult<Policy> {
    Ok(huike_store::settings::get(conn, POLICY_KEY)
        .await?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// Sets the reward policy (admins); rewards already due keep their amount.
pub async fn set_policy(app: &App, actor: &Actor, input: &PolicyInput) -> AppResult<Policy> {
    actor.require_admin()?;
    let mut c = Checker::new();
    let amount_fen = match parse_money(&input.amount) {
        Ok(fen) if (0..=MAX_REWARD_FEN).contains(&fen) => fen,
        Ok(_) => {
            c.fail(
                AMOUNT,
                "out_of_range",
                "「每个奖励金额」不能为负数，也不能超过单价的上限。".into(),
                "Reward per referral cannot be negative or above the largest price.".into(),
            );
            0
        }
        Err(e) => {
            c.fail(
                AMOUNT,
                "invalid_money",
                format!("「每个奖励金额」无效：{e}"),
                format!("Reward per referral is not valid: {e}"),
            );
            0
        }
    };
    let gift = c.check(GIFT, &input.gift);
    c.finish()?;
    let p = Policy { amount_fen, gift };
    let json = serde_json::to_string(&p)
        .map_err(|e| AppError::Internal(format!("referral policy: {e}")))?;
    let mut tx = app.db.begin_write().await?;
    huike_store::settings::set(&mut tx, POLICY_KEY, &json).await?;
    app.commit(tx).await?;
    Ok(p)
}

/// Writes the reward of the referral that brought `customer_id` when the customer has a
/// delivered order; at most once per referral, whatever saves it (order saves, conversion).
pub async fn reward_if_delivered(app: &App, tx: &mut Conn, customer_id: &str) -> AppResult<()> {
    let Some(r) = referrals::of_customer(tx, customer_id).await? else {
        return Ok(());
    };
    if r.status != "customer" || referrals::reward_of(tx, &r.id).await?.is_some() {
        return Ok(());
    }
    let Some((order_id, day)) = referrals::first_delivered(tx, customer_id).await? else {
        return Ok(());
    };
    let policy = read_policy(tx).await?;
    let now = app.clock.now_ms();
    referrals::insert_reward_once(
        tx,
        &Reward {
            id: new_id(),
            referral_id: r.id.clone(),
            referrer_id: r.referrer_id.clone(),
            order_id: Some(order_id),
            amount_fen: policy.amount_fen,
            gift: policy.gift,
            due_on: day,
            status: "due".into(),
            paid_on: None,
            paid_by: None,
            paid_note: String::new(),
            owner_id: r.owner_id.clone(),
            department_id: r.department_id.clone(),
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    Ok(())
}

/// Records a due reward as paid (admins and managers).
pub async fn pay(app: &App, actor: &Actor, id: &str, input: &PayInput) -> AppResult<RewardView> {
    actor.require_admin_or_manager()?;
    let mut c = Checker::new();
    let note = c.check(PAY_NOTE, &input.note);
    c.finish()?;
    let mut tx = app.db.begin_write().await?;
    let w = referrals::reward(&mut tx, &actor.scope(), id).await?;
    let today = app.clock.today().format("%Y-%m-%d").to_string();
    if !referrals::pay(
        &mut tx,
        &w.id,
        &today,
        &actor.user_id,
        &note,
        app.clock.now_ms(),
    )
    .await?
    {
        return Err(AppError::Conflict(field_error(
            "status",
            "already_paid",
            "这笔奖励已经付过了。",
            "This reward was paid already.",
        )));
    }
    let w = referrals::reward(&mut tx, &actor.scope(), id).await?;
    app.commit(tx).await?;
    Ok(RewardView::from(w))
}

/// The referrals a customer gave, and those the customers they became gave, up to
/// [`TREE_DEPTH`] generations (a customer met twice is shown once).
pub async fn tree(app: &App, actor: &Actor, customer_id: &str) -> AppResult<Vec<ReferralNode>> {
    let mut conn = app.conn().await?;
    customers::get(&mut conn, &actor.scope(), customer_id).await?;
    let mut seen: HashSet<String> = HashSet::from([customer_id.to_string()]);
    // Generation by generation, one query each.
    let mut levels: Vec<Vec<Referral>> = Vec::new();
    let mut frontier = vec![customer_id.to_string()];
    for _ in 0..TREE_DEPTH {
        let found = referrals::given_by(&mut conn, &frontier).await?;
        if found.is_empty() {
            break;
        }
        frontier = found
            .iter()
            .filter_map(|r| r.customer_id.clone())
            .filter(|c| seen.insert(c.clone()))
            .collect();
        levels.push(found);
        if frontier.is_empty() {
            break;
        }
    }
    // Built from the deepest level up.
    let mut below: Vec<(String, ReferralNode)> = Vec::new();
    for level in levels.into_iter().rev() {
        let mut here = Vec::with_capacity(level.len());
        let viewed = views(&mut conn, level.clone(), actor.lang).await?;
        for (r, referral) in level.into_iter().zip(viewed) {
            let children = match &r.customer_id {
                Some(c) => {
                    let (mine, rest): (Vec<_>, Vec<_>) =
                        below.into_iter().partition(|(by, _)| by == c);
                    below = rest;
                    mine.into_iter().map(|(_, n)| n).collect()
                }
                None => Vec::new(),
            };
            here.push((r.referrer_id, ReferralNode { referral, children }));
        }
        below = here;
    }
    Ok(below.into_iter().map(|(_, n)| n).collect())
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// new | contacted | customer | lost; empty for all.
    pub status: String,
    /// From 1.
    pub page: Option<i64>,
}

pub const STATUSES: [&str; 4] = ["new", "contacted", "customer", "lost"];

/// The referrals of the caller's customers (a manager's department's), newest first.
pub async fn list(app: &App, actor: &Actor, q: &ReferralQuery) -> AppResult<Vec<ReferralView>> {
    const PER_PAGE: i64 = 50;
    let mut c = Checker::new();
    let status = c.code(STATUS, &q.status, |s| {
        STATUSES.iter().copied().find(|x| *x == s)
    });
    c.finish()?;
    let mut conn = app.conn().await?;
    let page = q.page.unwrap_or(1).max(1);
    let found = referrals::list(
        &mut conn,
        &actor.scope(),
        status,
        crate::views::offset(page, PER_PAGE),
        PER_PAGE,
    )
    .await?;
    views(&mut conn, found, actor.lang).await
}

/// Rewards due (or paid) among the caller's customers' referrals, earliest first.
pub async fn rewards(app: &App, actor: &Actor, status: &str) -> AppResult<Vec<RewardView>> {
    let mut c = Checker::new();
    let status = c.code(STATUS, status, |s| {
        ["due", "paid"].into_iter().find(|x| *x == s)
    });
    c.finish()?;
    let mut conn = app.conn().await?;
    let found = referrals::rewards(&mut conn, &actor.scope(), status).await?;
    let mut referrers: Vec<String> = found.iter().map(|w| w.referrer_id.clone()).collect();
    referrers.sort();
    referrers.dedup();
    let names: HashMap<String, String> = referrals::customer_names(&mut conn, &referrers)
        .await?
        .into_iter()
        .collect();
    Ok(found
        .into_iter()
        .map(|w| {
            let name = names.get(&w.referrer_id).cloned().unwrap_or_default();
            let mut v = RewardView::from(w);
            v.referrer_name = name;
            v
        })
        .collect())
}

/// Referrals per rep and the customers who refer most.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReferralReport {
    pub per_rep: Vec<RepLine>,
    pub per_customer: Vec<CustomerLine>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RepLine {
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub referrals: i64,
    pub converted: i64,
    pub rewards_due_fen: i64,
    pub rewards_paid_fen: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CustomerLine {
    pub customer_id: String,
    pub customer_name: String,
    pub referrals: i64,
    pub converted: i64,
}

pub async fn report(app: &App, actor: &Actor) -> AppResult<ReferralReport> {
    let mut conn = app.conn().await?;
    let scope = actor.scope();
    Ok(ReferralReport {
        per_rep: referrals::per_rep(&mut conn, &scope)
            .await?
            .into_iter()
            .map(|r| RepLine {
                owner_id: r.owner_id,
                owner_name: r.owner_name,
                referrals: r.referrals,
                converted: r.converted,
                rewards_due_fen: r.rewards_due_fen,
                rewards_paid_fen: r.rewards_paid_fen,
            })
            .collect(),
        per_customer: referrals::per_customer(&mut conn, &scope, 50)
            .await?
            .into_iter()
            .map(|c| CustomerLine {
                customer_id: c.customer_id,
                customer_name: c.customer_name,
                referrals: c.referrals,
                converted: c.converted,
            })
            .collect(),
    })
}
