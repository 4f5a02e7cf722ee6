//! Contact pages: the list across customers, the contact form, and the contact card with
//! its personality type's approach, shown wherever the contact appears.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use huike_app::AppError;
use huike_app::contacts::{self, ContactInput, ContactQuery, FamilyEventInput};
use huike_app::views::ContactView;
use huike_domain::{BuyingRole, Channel, FamilyEventKind, PersonalityType};

use super::form::{self, Errors, ListNav, Opt, Pager, SortCol, coded_opts};
use super::{Authed, Ctx, PageResult, app_error, render, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts", get(list))
        .route("/contacts/{id}", get(view).post(update))
        .route("/contacts/{id}/edit", get(edit))
        .route("/contacts/{id}/delete", post(delete))
        .route("/customers/{id}/contacts/new", get(new))
        .route("/customers/{id}/contacts", post(create))
}

/// A contact as every page shows it: who they are and how to serve them.
pub struct ContactCard {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub personality: String,
    pub traits: String,
    pub approach: String,
    pub low_key: bool,
    pub low_key_tactics: Vec<String>,
    pub low_key_mistakes: Vec<String>,
    pub role: String,
    pub trust: String,
    pub trust_missing: Vec<String>,
    pub birthday: String,
    pub family: Vec<String>,
    pub hobbies: String,
    pub channel: String,
    pub notes: String,
}

impl ContactCard {
    pub fn of(k: &ContactView) -> ContactCard {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ContactCard {
            id: k.id.clone(),
            customer_id: k.customer_id.clone(),
            name: k.name.clone(),
            title: k.title.clone(),
            phone: k.phone.clone(),
            email: k.email.clone(),
            wechat: k.wechat.clone(),
            personality: text(&k.personality_label),
            traits: text(&k.traits),
            approach: text(&k.approach),
            low_key: k.low_key,
            low_key_tactics: k.low_key_tactics.clone(),
            low_key_mistakes: k.low_key_mistakes.clone(),
            role: text(&k.buying_role_label),
            trust: k.trust_label.clone(),
            trust_missing: k.trust_missing_labels.clone(),
            birthday: text(&k.birthday),
            family: k.family_events.iter().map(|e| e.line()).collect(),
            hobbies: k.hobbies.clone(),
            channel: text(&k.preferred_channel_label),
            notes: k.notes.clone(),
        }
    }
}

pub struct Row {
    pub id: String,
    pub name: String,
    pub title: String,
    pub customer_id: String,
    pub customer: String,
    pub phone: String,
    pub personality: String,
    pub approach: String,
    pub role: String,
    pub trust: String,
}

#[derive(Template)]
#[template(path = "contacts/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    q: ContactQuery,
    rows: Vec<Row>,
    pager: Pager,
    sort_name: SortCol,
    sort_customer: SortCol,
    personalities: Vec<Opt>,
    roles: Vec<Opt>,
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
    Query(q): Query<ContactQuery>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let lang = ctx.tr.lang;
    let page = contacts::list(&s.app, &actor, &q)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let rows = page
        .items
        .iter()
        .map(|k| Row {
            id: k.id.clone(),
            name: k.name.clone(),
            title: k.title.clone(),
            customer_id: k.customer_id.clone(),
            customer: k.customer_name.clone(),
            phone: k.phone.clone(),
            personality: k.personality_label.clone().unwrap_or_default(),
            approach: k.approach.clone().unwrap_or_default(),
            role: k.buying_role_label.clone().unwrap_or_default(),
            trust: k.trust_label.clone(),
        })
        .collect();
    let nav = ListNav::new("/contacts", raw.as_deref());
    Ok(render(&ListPage {
        pager: nav.pager(&page),
        sort_name: nav.sort("name"),
        sort_customer: nav.sort("customer"),
        personalities: coded_opts(PersonalityType::ALL, lang, ctx.tr.t("list.any")),
        roles: coded_opts(BuyingRole::ALL, lang, ctx.tr.t("list.any")),
        query_string: raw.unwrap_or_default(),
        ctx: &ctx,
        q,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "contacts/view.html")]
struct ViewPage<'a> {
    ctx: &'a Ctx,
    k: ContactCard,
    customer_name: String,
}

async fn view(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let k = contacts::get(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let customer = huike_app::customers::get(&s.app, &actor, &k.customer_id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(render(&ViewPage {
        k: ContactCard::of(&k),
        customer_name: customer.name,
        ctx: &ctx,
    }))
}

/// The personality types with their approach, so the form can show it as one picks.
pub struct TypeHelp {
    pub code: &'static str,
    pub label: &'static str,
    pub approach: &'static str,
}

#[derive(Template)]
#[template(path = "contacts/form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    /// The contact being edited, or None for a new one.
    id: Option<String>,
    customer_id: String,
    customer_name: String,
    input: ContactInput,
    events: Vec<FamilyEventInput>,
    errs: Errors,
    others: Vec<String>,
    personalities: Vec<Opt>,
    roles: Vec<Opt>,
    channels: Vec<Opt>,
    calendars: Vec<Opt>,
    event_kinds: Vec<Opt>,
    help: Vec<TypeHelp>,
}

impl FormPage<'_> {
    fn version(&self) -> String {
        self.input
            .version
            .map(|v| v.to_string())
            .unwrap_or_default()
    }
}

const SHOWN: &[&str] = &[
    "name",
    "title",
    "phone",
    "email",
    "wechat",
    "qq",
    "personality",
    "buying_role",
    "birthday",
    "family_events",
    "hobbies",
    "preferred_channel",
    "notes",
];

/// The number of family-event rows the form offers beyond those already recorded.
const SPARE_EVENTS: usize = 2;

fn form_page(
    ctx: &Ctx,
    id: Option<String>,
    customer_id: String,
    customer_name: String,
    input: ContactInput,
    err: Option<AppError>,
) -> Response {
    let lang = ctx.tr.lang;
    let errs = err
        .as_ref()
        .map(|e| Errors::from_app(e, lang))
        .unwrap_or_default();
    let mut events = input.family_events.clone();
    events.extend((0..SPARE_EVENTS).map(|_| FamilyEventInput::default()));
    let page = FormPage {
        ctx,
        id,
        customer_id,
        customer_name,
        events,
        others: errs.others(SHOWN),
        errs,
        personalities: coded_opts(PersonalityType::ALL, lang, ctx.tr.t("list.none")),
        roles: coded_opts(BuyingRole::ALL, lang, ctx.tr.t("list.none")),
        channels: coded_opts(Channel::ALL, lang, ctx.tr.t("list.none")),
        calendars: vec![
            Opt::new("", ctx.tr.t("contacts.no_birthday")),
            Opt::new("solar", ctx.tr.t("contacts.solar")),
            Opt::new("lunar", ctx.tr.t("contacts.lunar")),
        ],
        event_kinds: coded_opts(FamilyEventKind::ALL, lang, ctx.tr.t("list.none")),
        help: PersonalityType::ALL
            .iter()
            .map(|p| TypeHelp {
                code: p.code(),
                label: p.label(lang),
                approach: p.approach(lang),
            })
            .collect(),
        input,
    };
    let status = err.as_ref().map_or(StatusCode::OK, crate::problem::status);
    render_status(status, &page)
}

/// Reads the contact form; family events come as `fe.<n>.kind|date|note` rows.
fn input_from_form(pairs: Vec<(String, String)>) -> ContactInput {
    let mut i = ContactInput::default();
    let mut events: std::collections::BTreeMap<usize, FamilyEventInput> = Default::default();
    let flag = |v: &str| matches!(v, "1" | "on" | "true");
    for (k, v) in pairs {
        if let Some((n, key)) = form::row_field(&k, "fe.", 100) {
            let e = events.entry(n).or_default();
            match key {
                "kind" => e.kind = v,
                "date" => e.date = v,
                "note" => e.note = v,
                _ => {}
            }
            continue;
        }
        match k.as_str() {
            "name" => i.name = v,
            "title" => i.title = v,
            "phone" => i.phone = v,
            "email" => i.email = v,
            "wechat" => i.wechat = v,
            "qq" => i.qq = v,
            "personality" => i.personality = v,
            "low_key" => i.low_key = flag(&v),
            "buying_role" => i.buying_role = v,
            "personal_interest" => i.personal_interest = flag(&v),
            "org_interest" => i.org_interest = flag(&v),
            "birthday_calendar" => i.birthday_calendar = v,
            "birthday_year" => i.birthday_year = v,
            "birthday_month" => i.birthday_month = v,
            "birthday_day" => i.birthday_day = v,
            "birthday_leap" => i.birthday_leap = flag(&v),
            "hobbies" => i.hobbies = v,
            "preferred_channel" => i.preferred_channel = v,
            "notes" => i.notes = v,
            "version" => i.version = v.trim().parse().ok(),
            _ => {}
        }
    }
    i.family_events = events
        .into_values()
        .filter(|e| {
            !(e.kind.trim().is_empty() && e.date.trim().is_empty() && e.note.trim().is_empty())
        })
        .collect();
    i
}

async fn new(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(customer_id): Path<String>,
) -> PageResult {
    let c = huike_app::customers::get_for_edit(&s.app, &actor, &customer_id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(form_page(
        &ctx,
        None,
        c.id,
        c.name,
        ContactInput::default(),
        None,
    ))
}

async fn create(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(customer_id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = input_from_form(form::pairs(&body));
    let c = huike_app::customers::get(&s.app, &actor, &customer_id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    match contacts::create(&s.app, &actor, &customer_id, &input).await {
        Ok(_) => Ok(see_other(&format!("/customers/{customer_id}#contacts"))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => Ok(form_page(&ctx, None, c.id, c.name, input, Some(e))),
    }
}

async fn edit(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let k = contacts::get_for_edit(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let c = huike_app::customers::get(&s.app, &actor, &k.customer_id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(form_page(
        &ctx,
        Some(id),
        c.id,
        c.name,
        ContactInput::from_view(&k),
        None,
    ))
}

async fn update(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = input_from_form(form::pairs(&body));
    let k = contacts::get(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    match contacts::update(&s.app, &actor, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/customers/{}#contacts", k.customer_id))),
        Err(e) if !e.belongs_on_form() => Err(app_error(&ctx, e)),
        Err(e) => {
            let c = huike_app::customers::get(&s.app, &actor, &k.customer_id)
                .await
                .map_err(|e| app_error(&ctx, e))?;
            Ok(form_page(&ctx, Some(id), c.id, c.name, input, Some(e)))
        }
    }
}

async fn delete(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let customer_id = contacts::delete(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&format!("/customers/{customer_id}#contacts")))
}
