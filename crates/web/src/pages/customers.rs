//! Customer pages: the list with filters, the archive form, and the customer page.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use huike_app::AppError;
use huike_app::customers::{self, CustomerInput, CustomerQuery};
use huike_app::promises::{self, PromiseAlong, PromiseQuery, PromiseView};
use huike_app::timeline::{self, InteractionInput};

use huike_app::views::{CustomerPage, SectionView};
use huike_domain::{
    Archive, ArchiveSection, Channel, Competitor, CustomerClass, CustomerKind, Direction, Lang,
};

use super::contacts::ContactCard;
use super::form::{self, Errors, ListNav, Opt, Pager, SortCol, coded_opts};
use super::{Authed, Ctx, PageResult, app_error, render, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(list).post(create))
        .route("/customers/new", get(new))
        .route("/customers/{id}", get(view).post(update))
        .route("/customers/{id}/edit", get(edit))
        .route("/customers/{id}/confirm", post(confirm))
        .route("/customers/{id}/delete", post(delete))
        .route("/customers/{id}/interactions", post(log_interaction))
        .route("/customers/{id}/share", post(share))
        .route("/customers/{id}/referrals", post(add_referral))
        .route("/customers/{id}/comfort", post(add_comfort))
        .route("/customers/{id}/unshare", post(unshare))
}

/// One row of the customer list.
pub struct Row {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub class: String,
    pub region: String,
    pub phone: String,
    pub owner: String,
    pub stale: bool,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "customers/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    q: CustomerQuery,
    rows: Vec<Row>,
    pager: Pager,
    sort_name: SortCol,
    sort_class: SortCol,
    sort_region: SortCol,
    sort_updated: SortCol,
    kinds: Vec<Opt>,
    classes: Vec<Opt>,
    owners: Vec<Opt>,
    query_string: String,
}

impl ListPage<'_> {
    fn qv<'b>(&self, v: &'b Option<String>) -> &'b str {
        v.as_deref().unwrap_or("")
    }
}

async fn list(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<CustomerQuery>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let lang = ctx.tr.lang;
    let page = customers::list(&s.app, &actor, &q)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let rows = page
        .items
        .iter()
        .map(|c| Row {
            id: c.id.clone(),
            name: c.name.clone(),
            kind: c.kind_label.clone(),
            class: c.customer_class.clone().unwrap_or_default(),
            region: c.region.clone(),
            phone: c.phone.clone(),
            owner: c.owner_name.clone().unwrap_or_default(),
            stale: c.stale,
            updated: form::date(c.updated_at),
        })
        .collect();
    let owners = if actor.require_admin_or_manager().is_ok() {
        super::user_options(&s, &ctx, ctx.tr.t("customers.any_owner")).await?
    } else {
        Vec::new()
    };
    let nav = ListNav::new("/customers", raw.as_deref());
    Ok(render(&ListPage {
        pager: nav.pager(&page),
        sort_name: nav.sort("name"),
        sort_class: nav.sort("class"),
        sort_region: nav.sort("region"),
        sort_updated: nav.sort("updated"),
        kinds: coded_opts(CustomerKind::ALL, lang, ctx.tr.t("list.any")),
        classes: coded_opts(CustomerClass::ALL, lang, ctx.tr.t("list.any")),
        owners,
        query_string: raw.unwrap_or_default(),
        ctx: &ctx,
        q,
        rows,
    }))
}

/// One archive field on the form.
pub struct FieldForm {
    pub name: String,
    pub label: &'static str,
    pub value: String,
    pub multiline: bool,
}

/// One archive section on the form or the page.
pub struct SectionForm {
    pub code: &'static str,
    pub label: &'static str,
    pub stale: bool,
    pub confirmed: String,
    pub filled: String,
    pub fields: Vec<FieldForm>,
}

/// The archive's sections on the form or the page; `confirmed` is the saved record's (empty
/// for a new customer, which is not stale: it is being written now).
fn sections(archive: &Archive, confirmed: &[SectionView], lang: Lang) -> Vec<SectionForm> {
    ArchiveSection::ALL
        .iter()
        .map(|s| {
            let saved = confirmed.iter().find(|x| x.section == s.code());
            let at = saved.and_then(|x| x.confirmed_at);
            let (filled, total) = archive.filled(*s);
            SectionForm {
                code: s.code(),
                label: s.label(lang),
                stale: saved.is_some_and(|x| x.stale),
                confirmed: at.map(form::date).unwrap_or_default(),
                filled: format!("{filled}/{total}"),
                fields: s
                    .fields()
                    .iter()
                    .map(|f| FieldForm {
                        name: format!("archive.{}.{}", s.code(), f.key),
                        label: f.label(lang),
                        value: archive.get(*s, f.key).to_string(),
                        multiline: f.multiline,
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "customers/form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    /// None for a new customer.
    id: Option<String>,
    input: CustomerInput,
    errs: Errors,
    sections: Vec<SectionForm>,
    competitors: Vec<Competitor>,
    kinds: Vec<Opt>,
    classes: Vec<Opt>,
    owners: Vec<Opt>,
    others: Vec<String>,
}

impl FormPage<'_> {
    fn version(&self) -> String {
        self.input
            .version
            .map(|v| v.to_string())
            .unwrap_or_default()
    }
}

async fn form_page(
    s: &AppState,
    ctx: &Ctx,
    id: Option<String>,
    input: CustomerInput,
    err: Option<AppError>,
    confirmed: &[SectionView],
) -> Response {
    let lang = ctx.tr.lang;
    let archive = input.archive.clone().unwrap_or_default();
    let mut competitors = archive.competitors.clone();
    competitors.push(Competitor::default());
    competitors.push(Competitor::default());
    let owners = match super::user_options(s, ctx, ctx.tr.t("customers.owner_me")).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let errs = err
        .as_ref()
        .map(|e| Errors::from_app(e, lang))
        .unwrap_or_default();
    let shown = [
        "kind",
        "name",
        "customer_class",
        "tags",
        "province",
        "city",
        "district",
        "address",
        "phone",
        "email",
        "wechat",
        "qq",
        "owner_id",
        "founded_on",
        "first_trade_on",
    ];
    let page = FormPage {
        ctx,
        id,
        sections: sections(&archive, confirmed, lang),
        competitors,
        kinds: coded_opts(CustomerKind::ALL, lang, ctx.tr.t("customers.kind_default")),
        classes: coded_opts(CustomerClass::ALL, lang, ctx.tr.t("list.none")),
        owners,
        others: errs.others(&shown),
        errs,
        input,
    };
    let status = err.as_ref().map_or(StatusCode::OK, crate::problem::status);
    render_status(status, &page)
}

async fn new(State(s): State<AppState>, Authed(ctx, actor): Authed) -> Response {
    if let Err(e) = actor.require_archive_editor() {
        return app_error(&ctx, e);
    }
    form_page(&s, &ctx, None, CustomerInput::default(), None, &[]).await
}

/// Reads the customer form: plain fields, `archive.<section>.<field>` and `comp.<n>.<field>`.
fn input_from_form(pairs: Vec<(String, String)>) -> CustomerInput {
    let mut input = CustomerInput::default();
    let mut archive = Archive::default();
    let mut comps: std::collections::BTreeMap<usize, Competitor> = Default::default();
    for (k, v) in pairs {
        if let Some(rest) = k.strip_prefix("archive.") {
            if let Some((sec, key)) = rest.split_once('.')
                && let Some(section) = ArchiveSection::from_code(sec)
                && section.field(key).is_some()
            {
                archive.set(section, key, &v);
            }
            continue;
        }
        if let Some((n, key)) =
            form::row_field(&k, "comp.", huike_domain::customer::MAX_COMPETITORS + 2)
        {
            let c = comps.entry(n).or_default();
            match key {
                "name" => c.name = v,
                "strengths" => c.strengths = v,
                "weaknesses" => c.weaknesses = v,
                "relation" => c.relation = v,
                _ => {}
            }
            continue;
        }
        match k.as_str() {
            "kind" => input.kind = v,
            "name" => input.name = v,
            "customer_class" => input.customer_class = v,
            "tags" => input.tags = v,
            "province" => input.province = v,
            "city" => input.city = v,
            "district" => input.district = v,
            "address" => input.address = v,
            "phone" => input.phone = v,
            "email" => input.email = v,
            "wechat" => input.wechat = v,
            "qq" => input.qq = v,
            "owner_id" => input.owner_id = v,
            "founded_on" => input.founded_on = v,
            "first_trade_on" => input.first_trade_on = v,
            "version" => input.version = v.trim().parse().ok(),
            _ => {}
        }
    }
    archive.competitors = comps
        .into_values()
        .filter(|c| {
            !(c.name.trim().is_empty()
                && c.strengths.trim().is_empty()
                && c.weaknesses.trim().is_empty()
                && c.relation.trim().is_empty())
        })
        .collect();
    input.archive = Some(archive);
    input
}

async fn create(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    body: axum::body::Bytes,
) -> Response {
    let input = input_from_form(form::pairs(&body));
    match customers::create(&s.app, &actor, &input).await {
        Ok(c) => see_other(&format!("/customers/{}?saved=1", c.id)),
        Err(e) if !e.belongs_on_form() => app_error(&ctx, e),
        Err(e) => form_page(&s, &ctx, None, input, Some(e), &[]).await,
    }
}

async fn edit(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let c = customers::get_for_edit(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(form_page(
        &s,
        &ctx,
        Some(id),
        CustomerInput::from_record(&c),
        None,
        &c.sections,
    )
    .await)
}

async fn update(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = input_from_form(form::pairs(&body));
    match customers::update(&s.app, &actor, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/customers/{id}?saved=1"))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => {
            let confirmed = match customers::get(&s.app, &actor, &id).await {
                Ok(c) => c.sections,
                Err(_) => Vec::new(),
            };
            Ok(form_page(&s, &ctx, Some(id), input, Some(e), &confirmed).await)
        }
    }
}

/// A timeline entry as the page shows it.
pub struct EntryRow {
    pub when: String,
    pub channel: String,
    pub direction: String,
    pub who: String,
    pub contact: String,
    pub summary: String,
    /// A message's delivery status, in words ("已送达"); empty for other entries.
    pub delivery: String,
    pub delivery_code: String,
    /// Flagged: a problem found on a follow-up.
    pub problem: bool,
}

pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub date: String,
    pub delivery: String,
    pub total: String,
    pub salesperson: String,
}

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub what: String,
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "customers/view.html")]
struct ViewPage<'a> {
    ctx: &'a Ctx,
    v: CustomerPage,
    sections: Vec<SectionForm>,
    contacts: Vec<ContactCard>,
    roles: Vec<String>,
    timeline: Vec<EntryRow>,
    orders: Vec<OrderRow>,
    history: Vec<HistoryRow>,
    channels: Vec<Opt>,
    directions: Vec<Opt>,
    contact_opts: Vec<Opt>,
    log_channels: Vec<Opt>,
    log_directions: Vec<Opt>,
    log_contacts: Vec<Opt>,
    tf: TimelineQuery,
    saved: bool,
    errs: Errors,
    interaction: InteractionInput,
    /// A promise typed into the log-a-call form.
    promise: PromiseAlong,
    /// The customer's open promises, earliest due first.
    promises: Vec<PromiseView>,
    /// Its referral tree, flattened: each referral with its generation (0 = its own).
    referrals: Vec<(usize, huike_app::referrals::ReferralView)>,
}

/// A referral tree as rows in order, each with its depth, for an indented list.
fn flatten(
    nodes: Vec<huike_app::referrals::ReferralNode>,
    depth: usize,
    out: &mut Vec<(usize, huike_app::referrals::ReferralView)>,
) {
    for n in nodes {
        out.push((depth, n.referral));
        flatten(n.children, depth + 1, out);
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TimelineQuery {
    pub channel: String,
    pub direction: String,
    pub contact_id: String,
    pub saved: String,
}

impl TimelineQuery {
    fn filter(&self) -> customers::TimelineQuery {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        customers::TimelineQuery {
            channel: some(&self.channel),
            direction: some(&self.direction),
            contact_id: some(&self.contact_id),
        }
    }
}

async fn view(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    Query(tf): Query<TimelineQuery>,
) -> PageResult {
    let blank = InteractionInput {
        direction: "outbound".into(),
        ..InteractionInput::default()
    };
    let typed = Typed {
        interaction: blank,
        promise: PromiseAlong::default(),
    };
    view_page(&s, &ctx, &actor, &id, tf, Errors::none(), typed).await
}

/// What the log-a-call form sent: the interaction, and a promise made in it if any.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Typed {
    #[serde(flatten)]
    interaction: InteractionInput,
    #[serde(flatten)]
    promise: PromiseAlong,
}

async fn view_page(
    s: &AppState,
    ctx: &Ctx,
    actor: &huike_app::Actor,
    id: &str,
    tf: TimelineQuery,
    errs: Errors,
    typed: Typed,
) -> PageResult {
    let lang = ctx.tr.lang;
    let open = PromiseQuery {
        customer_id: Some(id.to_string()),
        status: Some("open".into()),
        per_page: Some(50),
        ..PromiseQuery::default()
    };
    let promises = promises::list(&s.app, actor, &open)
        .await
        .map_err(|e| app_error(ctx, e))?
        .items;
    let mut referrals = Vec::new();
    flatten(
        huike_app::referrals::tree(&s.app, actor, id)
            .await
            .map_err(|e| app_error(ctx, e))?,
        0,
        &mut referrals,
    );
    let v = customers::view(&s.app, actor, id, &tf.filter())
        .await
        .map_err(|e| app_error(ctx, e))?;
    let history = customers::history(&s.app, actor, id)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let page = ViewPage {
        ctx,
        sections: sections(&v.customer.archive, &v.customer.sections, lang),
        contacts: v.contacts.iter().map(ContactCard::of).collect(),
        roles: v
            .trust
            .roles
            .iter()
            .map(|r| match lang {
                Lang::ZhCn => format!("{}（{}）", r.role_label, r.quadrant_label),
                Lang::En => format!("{} ({})", r.role_label, r.quadrant_label),
            })
            .collect(),
        timeline: v
            .timeline
            .iter()
            .map(|t| EntryRow {
                when: form::datetime(t.occurred_at),
                channel: t.channel_label.clone(),
                direction: t.direction_label.clone(),
                who: t.user_name.clone().unwrap_or_default(),
                contact: t.contact_name.clone().unwrap_or_default(),
                summary: t.summary.clone(),
                delivery: t
                    .delivery_status
                    .as_deref()
                    .map(|d| ctx.tr.t(&format!("delivery.{d}")).to_string())
                    .unwrap_or_default(),
                delivery_code: t.delivery_status.clone().unwrap_or_default(),
                problem: t.problem,
            })
            .collect(),
        orders: v
            .orders
            .iter()
            .map(|o| OrderRow {
                id: o.id.clone(),
                number: o.number.clone(),
                date: o.order_date.clone(),
                delivery: o.delivery_date.clone().unwrap_or_default(),
                total: o.total.clone(),
                salesperson: o.salesperson_name.clone().unwrap_or_default(),
            })
            .collect(),
        history: history
            .into_iter()
            .map(|h| HistoryRow {
                when: form::datetime(h.at),
                who: h.actor_name.clone(),
                what: format!("{} · {}", h.entity, h.action),
                changes: h
                    .changes
                    .into_iter()
                    .map(|c| (c.field, c.before, c.after))
                    .collect(),
            })
            .collect(),
        channels: coded_opts(Channel::ALL, lang, ctx.tr.t("list.any")),
        directions: coded_opts(Direction::ALL, lang, ctx.tr.t("list.any")),
        contact_opts: {
            let mut o = vec![Opt::new("", ctx.tr.t("list.any"))];
            o.extend(
                v.contacts
                    .iter()
                    .map(|k| Opt::new(k.id.clone(), k.name.clone())),
            );
            o
        },
        log_channels: coded_opts(Channel::ALL, lang, ctx.tr.t("timeline.pick_channel")),
        log_directions: Direction::ALL
            .iter()
            .map(|d| Opt::new(d.code(), d.label(lang)))
            .collect(),
        log_contacts: {
            let mut o = vec![Opt::new("", ctx.tr.t("list.none"))];
            o.extend(
                v.contacts
                    .iter()
                    .map(|k| Opt::new(k.id.clone(), k.name.clone())),
            );
            o
        },
        saved: tf.saved == "1",
        tf,
        errs,
        interaction: typed.interaction,
        promise: typed.promise,
        promises,
        referrals,
        v,
    };
    let status = if page.errs.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render_status(status, &page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    section: String,
}

async fn confirm(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ConfirmForm>,
) -> PageResult {
    customers::confirm_sections(&s.app, &actor, &id, &[f.section])
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&format!("/customers/{id}#archive")))
}

async fn delete(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    customers::delete(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other("/customers"))
}

async fn log_interaction(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(typed): axum::Form<Typed>,
) -> PageResult {
    match timeline::log_with_promise(&s.app, &actor, &id, &typed.interaction, &typed.promise).await
    {
        Ok(_) => Ok(see_other(&format!("/customers/{id}#timeline"))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            view_page(&s, &ctx, &actor, &id, TimelineQuery::default(), errs, typed).await
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ShareForm {
    username: String,
    user_id: String,
}

async fn share(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ShareForm>,
) -> PageResult {
    match customers::share(&s.app, &actor, &id, &f.username).await {
        Ok(()) => Ok(see_other(&format!("/customers/{id}#sharing"))),
        Err(e @ AppError::Invalid(_)) => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            view_page(
                &s,
                &ctx,
                &actor,
                &id,
                TimelineQuery::default(),
                errs,
                Typed::default(),
            )
            .await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

async fn unshare(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ShareForm>,
) -> PageResult {
    customers::unshare(&s.app, &actor, &id, &f.user_id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&format!("/customers/{id}#sharing")))
}

/// The referral form on a customer's page; a refusal is shown as an error page that names
/// the field (the form holds three short fields).
async fn add_comfort(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<huike_app::contacts::ComfortInput>,
) -> PageResult {
    huike_app::contacts::comfort_customer(&s.app, &actor, &id, &f)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&format!("/customers/{id}#comfort")))
}

async fn add_referral(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<huike_app::referrals::ReferralInput>,
) -> PageResult {
    huike_app::referrals::create(&s.app, &actor, &id, &f)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&format!("/customers/{id}#referrals")))
}
