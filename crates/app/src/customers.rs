//! Customer use cases: create, edit, confirm archive sections, share, list, view, delete.

use huike_domain::people::{ContactTrust, roll_up};
use huike_domain::{Archive, ArchiveSection, BuyingRole, CustomerClass, CustomerKind};
use huike_store::contacts::{self, Contact};
use huike_store::customers::{self, Customer, CustomerFilter, CustomerListItem, CustomerSort};
use huike_store::interactions::{self, TimelineFilter};
use huike_store::orders::{self, OrderFilter};
use huike_store::{Conn, Paging, new_id, users};
use serde::Deserialize;

use crate::access::Role;
use crate::audit;
use crate::error::{AppError, AppResult, field_error};
use crate::search;
use crate::validate::{Checker, Field, TextKind, field, normalize_tags};
use crate::views::{
    ContactView, CustomerPage, CustomerRecord, CustomerRow, HistoryView, OrderRow, Page, ShareView,
    TimelineItem, TrustView,
};
use crate::{Actor, App};

pub const NAME: Field = field("name", "客户名称", "Name").max(200).required();
pub const KIND: Field = field("kind", "客户类型", "Kind");
pub const CLASS: Field = field("customer_class", "客户等级", "Class");
pub const TAGS: Field = field("tags", "标签", "Tags").max(500);
pub const PROVINCE: Field = field("province", "省份", "Province").max(50);
pub const CITY: Field = field("city", "城市", "City").max(50);
pub const DISTRICT: Field = field("district", "区县", "District").max(50);
pub const ADDRESS: Field = field("address", "地址", "Address").max(500);
pub const PHONE: Field = field("phone", "电话", "Phone").kind(TextKind::Phone);
pub const EMAIL: Field = field("email", "邮箱", "E-mail").kind(TextKind::Email);
pub const WECHAT: Field = field("wechat", "微信", "WeChat").max(100);
pub const QQ: Field = field("qq", "QQ", "QQ").max(20).kind(TextKind::Qq);
pub const OWNER: Field = field("owner_id", "负责人", "Owner");
pub const FOUNDED: Field = field("founded_on", "成立日期", "Founded on");
pub const FIRST_TRADE: Field = field("first_trade_on", "首次交易日期", "First trade on");
pub const ARCHIVE: Field = field("archive", "档案", "Archive");
/// The list's class filter.
pub const CLASS_FILTER: Field = field("class", "客户等级", "Class");
/// The orders the list can be sorted in (`CustomerSort::from_code`).
pub const SORTS: &[&str] = &["name", "class", "region", "updated", "created"];

/// What a form or API call sends to create or edit a customer. Everything is a string so a
/// refused form can be shown again exactly as typed.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CustomerInput {
    pub kind: String,
    pub name: String,
    pub customer_class: String,
    pub tags: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub qq: String,
    /// Owning rep's user id; empty means the person saving it (or unchanged on edit).
    pub owner_id: String,
    pub founded_on: String,
    pub first_trade_on: String,
    /// Archive sections; absent leaves the stored archive as it is.
    #[schema(value_type = Option<Object>)]
    pub archive: Option<Archive>,
    /// Sections the user confirms as still correct without changing them.
    pub confirm_sections: Vec<String>,
    /// The version the edit was based on (optimistic locking); absent means "latest".
    #[serde(deserialize_with = "crate::validate::de_whole")]
    pub version: Option<i64>,
}

impl CustomerInput {
    /// The input that shows `c` in an edit form.
    pub fn from_record(c: &CustomerRecord) -> CustomerInput {
        CustomerInput {
            kind: c.kind.clone(),
            name: c.name.clone(),
            customer_class: c.customer_class.clone().unwrap_or_default(),
            tags: c.tags.join(", "),
            province: c.province.clone(),
            city: c.city.clone(),
            district: c.district.clone(),
            address: c.address.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            wechat: c.wechat.clone(),
            qq: c.qq.clone(),
            owner_id: c.owner_id.clone().unwrap_or_default(),
            founded_on: c.founded_on.clone().unwrap_or_default(),
            first_trade_on: c.first_trade_on.clone().unwrap_or_default(),
            archive: Some(c.archive.clone()),
            confirm_sections: Vec::new(),
            version: Some(c.version),
        }
    }
}

pub fn parse_archive(json: &str) -> Archive {
    serde_json::from_str(json).unwrap_or_default()
}

/// The checked fields of an input, before ownership and archive are applied.
struct Checked {
    kind: CustomerKind,
    name: String,
    class: Option<CustomerClass>,
    tags: String,
    province: String,
    city: String,
    district: String,
    address: String,
    phone: String,
    email: String,
    wechat: String,
    qq: String,
    founded_on: Option<String>,
    first_trade_on: Option<String>,
    confirm: Vec<ArchiveSection>,
}

fn check(input: &CustomerInput, c: &mut Checker) -> Checked {
    // "" is the default, an organisation.
    let kind = c.code(KIND, &input.kind, CustomerKind::from_code);
    let checked = Checked {
        kind: kind.unwrap_or(CustomerKind::Organization),
        name: c.check(NAME, &input.name),
        class: c.code(CLASS, &input.customer_class, CustomerClass::from_code),
        tags: normalize_tags(&c.check(TAGS, &input.tags)),
        province: c.check(PROVINCE, &input.province),
        city: c.check(CITY, &input.city),
        district: c.check(DISTRICT, &input.district),
        address: c.check(ADDRESS, &input.address),
        phone: c.check(PHONE, &input.phone),
        email: c.check(EMAIL, &input.email),
        wechat: c.check(WECHAT, &input.wechat),
        qq: c.check(QQ, &input.qq),
        founded_on: c.date(FOUNDED, &input.founded_on),
        first_trade_on: c.date(FIRST_TRADE, &input.first_trade_on),
        confirm: input
            .confirm_sections
            .iter()
            .filter_map(|s| c.code(ARCHIVE, s, ArchiveSection::from_code))
            .collect(),
    };
    if let Some(archive) = &input.archive
        && let Err(errs) = archive.validate()
    {
        for e in errs {
            c.push(e);
        }
    }
    checked
}

/// Who will own the customer: reps own what they create; managers assign within their
/// department; admins assign to anyone active.
async fn resolve_owner(
    conn: &mut Conn,
    actor: &Actor,
    requested: &str,
    current: Option<&str>,
    c: &mut Checker,
) -> AppResult<(Option<String>, Option<String>)> {
    let requested = requested.trim();
    let wanted = if requested.is_empty() {
        current.unwrap_or(&actor.user_id).to_string()
    } else {
        requested.to_string()
    };
    if actor.role == Role::Sales && wanted != actor.user_id && Some(wanted.as_str()) != current {
        c.fail(
            OWNER,
            "not_allowed",
            "销售只能把客户归到自己名下；请让主管分配。".into(),
            "Sales reps can only own customers themselves; ask a manager to reassign.".into(),
        );
        return Ok((current.map(str::to_string), actor.department_id.clone()));
    }
    let owner = match users::get(conn, &wanted).await {
        Ok(u) if u.active == 1 => u,
        Ok(_) | Err(huike_store::StoreError::NotFound) => {
            c.missing(
                OWNER,
                "unknown_user",
                "「负责人」不是有效的在职用户。".into(),
                "Owner is not an active user.".into(),
            );
            return Ok((None, None));
        }
        Err(e) => return Err(e.into()),
    };
    if actor.role == Role::Manager && owner.department_id != actor.department_id {
        c.fail(
            OWNER,
            "other_department",
            "主管只能把客户分配给本部门的人。".into(),
            "Managers can assign customers only to people in their department.".into(),
        );
    }
    Ok((Some(owner.id), owner.department_id))
}

fn section_column(c: &mut Customer, s: ArchiveSection) -> &mut Option<i64> {
    match s {
        ArchiveSection::Basic => &mut c.basic_confirmed_at,
        ArchiveSection::Characteristics => &mut c.characteristics_confirmed_at,
        ArchiveSection::Business => &mut c.business_confirmed_at,
        ArchiveSection::Trading => &mut c.trading_confirmed_at,
        ArchiveSection::Research => &mut c.research_confirmed_at,
    }
}

/// Sections whose content differs between two archives. Competitors belong to research.
fn changed_sections(before: &Archive, after: &Archive) -> Vec<ArchiveSection> {
    ArchiveSection::ALL
        .iter()
        .copied()
        .filter(|s| {
            let a = before.sections.get(s.code());
            let b = after.sections.get(s.code());
            let same = a.map(|m| m.iter().filter(|(_, v)| !v.is_empty()).count())
                == b.map(|m| m.iter().filter(|(_, v)| !v.is_empty()).count())
                && a == b;
            let competitors_changed =
                *s == ArchiveSection::Research && before.competitors != after.competitors;
            !same || competitors_changed
        })
        .collect()
}

fn apply(c: &mut Customer, k: Checked) {
    c.kind = k.kind.code().to_string();
    c.name = k.name;
    c.customer_class = k.class.map(|x| x.code().to_string());
    c.tags = k.tags;
    c.province = k.province;
    c.city = k.city;
    c.district = k.district;
    c.address = k.address;
    c.phone = k.phone;
    c.email = k.email;
    c.wechat = k.wechat;
    c.qq = k.qq;
    c.founded_on = k.founded_on;
    c.first_trade_on = k.first_trade_on;
}

pub async fn create(app: &App, actor: &Actor, input: &CustomerInput) -> AppResult<CustomerRecord> {
    actor.require_archive_editor()?;
    let mut ck = Checker::new();
    let checked = check(input, &mut ck);
    let mut tx = app.db.begin_write().await?;
    let (owner_id, department_id) =
        resolve_owner(&mut tx, actor, &input.owner_id, None, &mut ck).await?;
    ck.finish()?;
    let now = app.clock.now_ms();
    let archive = input.archive.clone().unwrap_or_default();
    let mut c = Customer {
        id: new_id(),
        kind: String::new(),
        name: String::new(),
        customer_class: None,
        tags: String::new(),
        province: String::new(),
        city: String::new(),
        district: String::new(),
        address: String::new(),
        phone: String::new(),
        email: String::new(),
        wechat: String::new(),
        qq: String::new(),
        owner_id,
        department_id,
        founded_on: None,
        first_trade_on: None,
        archive: serde_json::to_string(&archive).unwrap_or_else(|_| "{}".into()),
        basic_confirmed_at: None,
        characteristics_confirmed_at: None,
        business_confirmed_at: None,
        trading_confirmed_at: None,
        research_confirmed_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let confirm = checked.confirm.clone();
    apply(&mut c, checked);
    for s in changed_sections(&Archive::default(), &archive)
        .into_iter()
        .chain(confirm)
    {
        *section_column(&mut c, s) = Some(now);
    }
    customers::insert(&mut tx, &c).await?;
    search::index_customer(&mut tx, &c).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "customer",
        &c.id,
        "create",
        None,
        Some(&c),
    )
    .await?;
    app.commit(tx).await?;
    Ok(record(app, actor, c))
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &CustomerInput,
) -> AppResult<CustomerRecord> {
    let mut ck = Checker::new();
    let checked = check(input, &mut ck);
    let mut tx = app.db.begin_write().await?;
    let before = customers::get(&mut tx, &actor.edit_scope(), id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    if let Some(v) = input.version
        && v != before.version
    {
        return Err(AppError::Stale);
    }
    let (owner_id, department_id) = resolve_owner(
        &mut tx,
        actor,
        &input.owner_id,
        before.owner_id.as_deref(),
        &mut ck,
    )
    .await?;
    ck.finish()?;
    let now = app.clock.now_ms();
    let mut c = before.clone();
    let confirm = checked.confirm.clone();
    apply(&mut c, checked);
    c.owner_id = owner_id;
    c.department_id = department_id;
    let old_archive = parse_archive(&before.archive);
    let mut touched = confirm;
    if let Some(new_archive) = &input.archive {
        touched.extend(changed_sections(&old_archive, new_archive));
        c.archive = serde_json::to_string(new_archive).unwrap_or_else(|_| "{}".into());
    }
    for s in touched {
        *section_column(&mut c, s) = Some(now);
    }
    c.version = before.version + 1;
    c.updated_at = now;
    customers::update(&mut tx, &c).await?;
    search::index_customer(&mut tx, &c).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "customer",
        &c.id,
        "update",
        Some(&before),
        Some(&c),
    )
    .await?;
    // Greetings follow the owner, and the customer's special days are greeting occasions.
    if (&before.owner_id, &before.founded_on, &before.first_trade_on)
        != (&c.owner_id, &c.founded_on, &c.first_trade_on)
    {
        crate::greetings::replan(app, &mut tx, &c.id, None).await?;
    }
    app.commit(tx).await?;
    Ok(record(app, actor, c))
}

/// The record as the actor sees it, staleness as of the app's clock.
fn record(app: &App, actor: &Actor, c: Customer) -> CustomerRecord {
    CustomerRecord::of(c, actor.lang, app.clock.now_ms(), app.settings.stale_days)
}

/// Marks sections as checked and still correct, without changing them.
pub async fn confirm_sections(
    app: &App,
    actor: &Actor,
    id: &str,
    sections: &[String],
) -> AppResult<CustomerRecord> {
    let mut ck = Checker::new();
    let parsed: Vec<ArchiveSection> = sections
        .iter()
        .filter_map(|s| ck.code(ARCHIVE, s, ArchiveSection::from_code))
        .collect();
    ck.finish()?;
    let mut tx = app.db.begin_write().await?;
    let before = customers::get(&mut tx, &actor.edit_scope(), id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    let mut c = before.clone();
    let now = app.clock.now_ms();
    for s in parsed {
        *section_column(&mut c, s) = Some(now);
    }
    c.version += 1;
    c.updated_at = now;
    customers::update(&mut tx, &c).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "customer",
        &c.id,
        "confirm",
        Some(&before),
        Some(&c),
    )
    .await?;
    app.commit(tx).await?;
    Ok(record(app, actor, c))
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> AppResult<()> {
    if !matches!(actor.role, Role::Admin | Role::Manager) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.db.begin_write().await?;
    let before = customers::get(&mut tx, &actor.edit_scope(), id).await?;
    if orders::any_for_customer(&mut tx, id).await? {
        return Err(AppError::Conflict(field_error(
            "id",
            "has_orders",
            "该客户已有订单，不能删除；可以把它降级或转给他人。",
            "This customer has orders and cannot be deleted; reclassify or reassign it instead.",
        )));
    }
    customers::delete(&mut tx, id).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "customer",
        id,
        "delete",
        Some(&before),
        None,
    )
    .await?;
    app.commit(tx).await?;
    Ok(())
}

/// A customer the actor may change, for its edit form (403 when only visible to them).
pub async fn get_for_edit(app: &App, actor: &Actor, id: &str) -> AppResult<CustomerRecord> {
    let mut conn = app.conn().await?;
    let c = customers::get(&mut conn, &actor.edit_scope(), id)
        .await
        .map_err(|e| actor.not_editable(e))?;
    Ok(record(app, actor, c))
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> AppResult<CustomerRecord> {
    let mut conn = app.conn().await?;
    let c = customers::get(&mut conn, &actor.scope(), id).await?;
    Ok(record(app, actor, c))
}

/// The list query as pages and the API send it.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CustomerQuery {
    pub kind: Option<String>,
    pub class: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub owner_id: Option<String>,
    pub tag: Option<String>,
    /// Only customers with a stale archive section.
    pub stale: Option<bool>,
    /// name | class | region | updated | created
    pub sort: Option<String>,
    /// asc | desc
    pub dir: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl CustomerQuery {
    /// Refuses a sort, direction, kind or class that is not one of the list's codes.
    pub fn check(&self) -> AppResult<()> {
        use huike_domain::coded::Coded;
        let mut c = Checker::new();
        c.one_of(crate::validate::SORT, self.sort.as_deref(), SORTS);
        c.one_of(
            crate::validate::DIR,
            self.dir.as_deref(),
            crate::validate::DIRECTIONS,
        );
        if let Some(k) = &self.kind {
            c.code(KIND, k, CustomerKind::from_code);
        }
        if let Some(k) = &self.class {
            c.code(CLASS_FILTER, k, <CustomerClass as Coded>::from_code);
        }
        c.finish()
    }

    pub fn filter(&self, app: &App) -> CustomerFilter {
        CustomerFilter {
            kind: non_empty(&self.kind),
            class: non_empty(&self.class),
            province: non_empty(&self.province),
            city: non_empty(&self.city),
            owner_id: non_empty(&self.owner_id),
            department_id: None,
            tag: non_empty(&self.tag),
            // From the start of the current minute: the same list asked for again within
            // the minute is the same query, so its remembered total is used.
            stale_before: self.stale.unwrap_or(false).then(|| {
                app.clock.now_ms() / 60_000 * 60_000 - app.settings.stale_days * 86_400_000
            }),
            ids: None,
        }
    }

    pub fn sort(&self) -> (CustomerSort, bool) {
        let sort = self
            .sort
            .as_deref()
            .and_then(CustomerSort::from_code)
            .unwrap_or_default();
        (sort, self.dir.as_deref() == Some("desc"))
    }
}

pub async fn list(app: &App, actor: &Actor, q: &CustomerQuery) -> AppResult<Page<CustomerRow>> {
    q.check()?;
    let paging = crate::paging(q.page, q.per_page);
    let (sort, desc) = q.sort();
    let mut conn = app.conn().await?;
    let page = customers::list(
        &mut conn,
        app.db.counts(),
        &actor.scope(),
        &q.filter(app),
        sort,
        desc,
        paging,
    )
    .await?;
    let now = app.clock.now_ms();
    Ok(Page::of(page, |c| {
        CustomerRow::of(c, actor.lang, now, app.settings.stale_days)
    }))
}

/// Every customer the list shows (bounded), for export.
pub(crate) async fn list_for_export(
    app: &App,
    actor: &Actor,
    q: &CustomerQuery,
) -> AppResult<Vec<CustomerListItem>> {
    q.check()?;
    let (sort, desc) = q.sort();
    let mut conn = app.conn().await?;
    Ok(customers::list_all(
        &mut conn,
        &actor.scope(),
        &q.filter(app),
        sort,
        desc,
        app.settings.export_limit,
    )
    .await?)
}

/// A customer the actor may see and its contacts: what a form that picks one of them needs,
/// without the timeline, orders and history of [`view`].
pub async fn with_contacts(
    app: &App,
    actor: &Actor,
    id: &str,
) -> AppResult<(CustomerRecord, Vec<ContactView>)> {
    let mut conn = app.conn().await?;
    let customer = customers::get(&mut conn, &actor.scope(), id).await?;
    let contacts = contacts::for_customer(&mut conn, id).await?;
    Ok((
        record(app, actor, customer),
        contacts
            .into_iter()
            .map(|k| ContactView::of(k, actor.lang))
            .collect(),
    ))
}

pub async fn view(
    app: &App,
    actor: &Actor,
    id: &str,
    timeline_filter: &TimelineQuery,
) -> AppResult<CustomerPage> {
    let mut conn = app.conn().await?;
    let scope = actor.scope();
    let customer = customers::get(&mut conn, &scope, id).await?;
    let can_edit = customers::visible(&mut conn, &actor.edit_scope(), id).await?;
    let owner_name = match &customer.owner_id {
        Some(o) => users::get(&mut conn, o).await.ok().map(|u| u.display_name),
        None => None,
    };
    let department_name = match &customer.department_id {
        Some(d) => huike_store::departments::get(&mut conn, d)
            .await
            .ok()
            .map(|d| d.name),
        None => None,
    };
    let contacts = contacts::for_customer(&mut conn, id).await?;
    let trust = roll_up(&contact_trust(&contacts));
    let timeline = interactions::timeline(&mut conn, id, &timeline_filter.filter(), 100).await?;
    let order_page = orders::list(
        &mut conn,
        app.db.counts(),
        &scope,
        &OrderFilter {
            customer_id: Some(id.to_string()),
            ..Default::default()
        },
        "date",
        true,
        Paging {
            page: 1,
            per_page: 20,
        },
    )
    .await?;
    let shares = customers::shares(&mut conn, id).await?;
    let lang = actor.lang;
    Ok(CustomerPage {
        customer: record(app, actor, customer),
        owner_name,
        department_name,
        contacts: contacts
            .into_iter()
            .map(|k| ContactView::of(k, lang))
            .collect(),
        trust: TrustView::of(&trust, lang),
        timeline: timeline
            .into_iter()
            .map(|t| TimelineItem::of(t, lang))
            .collect(),
        orders: order_page.items.into_iter().map(OrderRow::from).collect(),
        orders_total: order_page.total,
        shares: shares.into_iter().map(ShareView::from).collect(),
        can_edit,
    })
}

fn contact_trust(contacts: &[Contact]) -> Vec<ContactTrust> {
    contacts
        .iter()
        .map(|k| ContactTrust {
            role: k.buying_role.as_deref().and_then(BuyingRole::from_code),
            personal: k.personal_interest == 1,
            organisational: k.org_interest == 1,
        })
        .collect()
}

/// The change history of a customer and its contacts, newest first.
pub async fn history(app: &App, actor: &Actor, id: &str) -> AppResult<Vec<HistoryView>> {
    let mut conn = app.conn().await?;
    customers::get(&mut conn, &actor.scope(), id).await?;
    let mut ids = vec![id.to_string()];
    ids.extend(
        contacts::for_customer(&mut conn, id)
            .await?
            .into_iter()
            .map(|k| k.id),
    );
    let entries = huike_store::audit::for_records(&mut conn, &ids, 200).await?;
    Ok(entries
        .into_iter()
        .map(|e| HistoryView::from(audit::diff(e)))
        .collect())
}

/// Shares the customer with another user (owner, managers and admins may).
pub async fn share(app: &App, actor: &Actor, id: &str, username: &str) -> AppResult<()> {
    let mut tx = app.db.begin_write().await?;
    customers::get(&mut tx, &actor.edit_scope(), id).await?;
    let user = users::find_by_username(&mut tx, username.trim())
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "username",
                "unknown_user",
                format!("没有用户名为「{}」的用户。", username.trim()),
                format!("There is no user named \"{}\".", username.trim()),
            )
        })?;
    customers::add_share(&mut tx, id, &user.id, app.clock.now_ms()).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "customer",
        id,
        "share",
        None,
        Some(&serde_json::json!({ "shared_with": user.username })),
    )
    .await?;
    app.commit(tx).await?;
    Ok(())
}

pub async fn unshare(app: &App, actor: &Actor, id: &str, user_id: &str) -> AppResult<()> {
    let mut tx = app.db.begin_write().await?;
    customers::get(&mut tx, &actor.edit_scope(), id).await?;
    customers::remove_share(&mut tx, id, user_id).await?;
    audit::record(
        app,
        &mut tx,
        actor,
        "customer",
        id,
        "unshare",
        Some(&serde_json::json!({ "shared_with": user_id })),
        None,
    )
    .await?;
    app.commit(tx).await?;
    Ok(())
}

/// Which timeline entries to show: by channel, direction or contact (empty = all).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct TimelineQuery {
    /// visit | phone | sms | email | wechat | qq | fax | letter | event | note
    pub channel: Option<String>,
    /// inbound | outbound
    pub direction: Option<String>,
    pub contact_id: Option<String>,
}

impl TimelineQuery {
    /// Refuses a channel or direction that is not one of their codes.
    pub fn check(&self) -> AppResult<()> {
        let mut c = Checker::new();
        if let Some(v) = &self.channel {
            c.code(
                crate::timeline::CHANNEL,
                v,
                huike_domain::Channel::from_code,
            );
        }
        if let Some(v) = &self.direction {
            c.code(
                crate::timeline::DIRECTION,
                v,
                huike_domain::Direction::from_code,
            );
        }
        c.finish()
    }

    fn filter(&self) -> TimelineFilter {
        TimelineFilter {
            channel: non_empty(&self.channel),
            direction: non_empty(&self.direction),
            contact_id: non_empty(&self.contact_id),
            ..Default::default()
        }
    }
}

/// Timeline entries for one customer (visible to the actor), newest first.
pub async fn timeline(
    app: &App,
    actor: &Actor,
    id: &str,
    q: &TimelineQuery,
) -> AppResult<Vec<TimelineItem>> {
    q.check()?;
    let mut conn = app.conn().await?;
    customers::get(&mut conn, &actor.scope(), id).await?;
    Ok(interactions::timeline(&mut conn, id, &q.filter(), 500)
        .await?
        .into_iter()
        .map(|t| TimelineItem::of(t, actor.lang))
        .collect())
}
