//! Greeting campaigns on the web: the list, a campaign's page (its greetings one status at a
//! time with the message each sends; drop, restore, personal wording; send), and the
//! printable card-writing list.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use huike_app::greeting_calendar::{self, CalendarView, FestivalsInput, ThemeInput};
use huike_app::greeting_campaigns::{
    self, CampaignView, GreetingPage, GreetingQuery, GreetingView, PersonalInput, SendInput,
};
use serde::Deserialize;

use super::form::{self, Errors};
use super::{Authed, Ctx, PageResult, app_error, render, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/greetings", get(list))
        .route("/greetings/calendar", get(calendar))
        .route("/greetings/calendar/festivals", post(save_festivals))
        .route("/greetings/calendar/themes/{month}", post(save_theme))
        .route("/greetings/campaigns/{id}", get(campaign))
        .route("/greetings/campaigns/{id}/send", post(send))
        .route("/greetings/campaigns/{id}/cards", get(cards))
        .route("/greetings/{id}/drop", post(drop_one))
        .route("/greetings/{id}/restore", post(restore_one))
        .route("/greetings/{id}/wording", post(wording))
}

#[derive(Template)]
#[template(path = "greetings/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    campaigns: Vec<CampaignView>,
    page: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    page: Option<i64>,
}

async fn list(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let page = q.page.unwrap_or(1).max(1);
    let campaigns = greeting_campaigns::list(&s.app, &actor, page)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(render(&ListPage {
        ctx: &ctx,
        campaigns,
        page,
    }))
}

#[derive(Template)]
#[template(path = "greetings/campaign.html")]
struct CampaignPage<'a> {
    ctx: &'a Ctx,
    c: CampaignView,
    status: String,
    list: GreetingPage,
    /// The first page's link when this is a later one.
    first: Option<String>,
    /// A refused wording: the greeting, why, and what was typed (subject, body).
    failed: Option<(String, Errors, String, String)>,
    sent: Option<String>,
}

impl CampaignPage<'_> {
    fn err_for(&self, id: &str) -> Option<&Errors> {
        match &self.failed {
            Some((g, e, _, _)) if g == id => Some(e),
            _ => None,
        }
    }

    /// What the wording form shows: what was typed when it was refused, else the rep's
    /// wording on file (empty when the template's is used).
    fn typed(&self, g: &GreetingView) -> (String, String) {
        match &self.failed {
            Some((id, _, s, b)) if *id == g.id => (s.clone(), b.clone()),
            _ if g.personal => (g.subject.clone(), g.body.clone()),
            _ => (String::new(), String::new()),
        }
    }

    fn channel_label(&self, code: &Option<String>) -> String {
        match code.as_deref() {
            None => "—".into(),
            Some(c) => huike_domain::Channel::from_code(c)
                .map(|ch| huike_domain::Coded::label(&ch, self.ctx.tr.lang).to_string())
                .unwrap_or_else(|| c.to_string()),
        }
    }

    /// Every refusal of a wording, whichever field it names.
    fn messages(&self, e: &Errors) -> Vec<String> {
        e.others(&[])
    }

    fn thousands(&self, n: &i64) -> String {
        form::thousands(*n)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CampaignQuery {
    status: String,
    after: String,
    /// What the last send did (shown once after sending).
    sent: String,
}

async fn show(
    s: &AppState,
    ctx: &Ctx,
    actor: &huike_app::Actor,
    id: &str,
    q: CampaignQuery,
    failed: Option<(String, Errors, String, String)>,
) -> PageResult {
    let c = greeting_campaigns::view(&s.app, actor, id)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let status = if q.status.is_empty() {
        "planned".to_string()
    } else {
        q.status.clone()
    };
    let list = greeting_campaigns::greetings_page(
        &s.app,
        actor,
        id,
        &GreetingQuery {
            status: status.clone(),
            after: q.after.clone(),
            limit: Some(50),
        },
    )
    .await
    .map_err(|e| app_error(ctx, e))?;
    let first =
        (!q.after.is_empty()).then(|| format!("/greetings/campaigns/{}?status={status}", c.id));
    let code = if failed.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok(render_status(
        code,
        &CampaignPage {
            ctx,
            c,
            status,
            list,
            first,
            failed,
            sent: (!q.sent.is_empty()).then_some(q.sent),
        },
    ))
}

async fn campaign(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    Query(q): Query<CampaignQuery>,
) -> PageResult {
    show(&s, &ctx, &actor, &id, q, None).await
}

async fn send(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let r = greeting_campaigns::send(&s.app, &actor, &id, &SendInput::default())
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&format!(
        "/greetings/campaigns/{id}?status=sent&sent={}-{}-{}",
        r.sent, r.by_hand, r.skipped
    )))
}

#[derive(Template)]
#[template(path = "greetings/cards.html")]
struct CardsPage<'a> {
    ctx: &'a Ctx,
    c: CampaignView,
    cards: Vec<GreetingView>,
}

async fn cards(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let c = greeting_campaigns::view(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let cards = greeting_campaigns::cards(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(render(&CardsPage {
        ctx: &ctx,
        c,
        cards,
    }))
}

/// Where a greeting's form goes back to: its campaign's page (only such paths are followed).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Back {
    back: String,
}

fn back_to(back: &str) -> String {
    if back.starts_with("/greetings/campaigns/") && !back.contains("//") {
        back.to_string()
    } else {
        "/greetings".to_string()
    }
}

async fn drop_one(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<Back>,
) -> PageResult {
    greeting_campaigns::set_dropped(&s.app, &actor, &id, true)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&back_to(&f.back)))
}

async fn restore_one(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<Back>,
) -> PageResult {
    greeting_campaigns::set_dropped(&s.app, &actor, &id, false)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&back_to(&f.back)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WordingForm {
    subject: String,
    body: String,
    campaign: String,
    back: String,
}

async fn wording(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<WordingForm>,
) -> PageResult {
    let input = PersonalInput {
        subject: f.subject.clone(),
        body: f.body.clone(),
    };
    match greeting_campaigns::personalise(&s.app, &actor, &id, &input).await {
        Ok(_) => Ok(see_other(&back_to(&f.back))),
        Err(e) if e.belongs_on_form() && !f.campaign.is_empty() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            show(
                &s,
                &ctx,
                &actor,
                &f.campaign,
                CampaignQuery::default(),
                Some((id, errs, f.subject, f.body)),
            )
            .await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "greetings/calendar.html")]
struct CalendarPage<'a> {
    ctx: &'a Ctx,
    v: CalendarView,
    /// A refused form: "festivals" or the theme's month, why, and what was typed.
    failed: Option<(String, Errors, ThemeInput)>,
}

impl CalendarPage<'_> {
    fn err_for(&self, which: &str) -> Option<&Errors> {
        match &self.failed {
            Some((w, e, _)) if w == which => Some(e),
            _ => None,
        }
    }

    fn messages(&self, e: &Errors) -> Vec<String> {
        e.others(&[])
    }

    /// A theme row's values: what was typed when it was refused, else what is saved.
    fn theme_values(&self, month: &u32, day: &u32, zh: &str, en: &str) -> (String, String, String) {
        match &self.failed {
            Some((w, _, t)) if *w == month.to_string() => {
                (t.day.clone(), t.theme_zh.clone(), t.theme_en.clone())
            }
            _ => (day.to_string(), zh.to_string(), en.to_string()),
        }
    }

    fn rank_value(&self, rank: &Option<usize>) -> String {
        rank.map(|r| r.to_string()).unwrap_or_default()
    }
}

async fn show_calendar(
    s: &AppState,
    ctx: &Ctx,
    actor: &huike_app::Actor,
    failed: Option<(String, Errors, ThemeInput)>,
) -> PageResult {
    let v = greeting_calendar::view(&s.app, actor)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let code = if failed.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok(render_status(code, &CalendarPage { ctx, v, failed }))
}

async fn calendar(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    show_calendar(&s, &ctx, &actor, None).await
}

/// The festivals form: each festival has a rank box (blank: not greeted); the greeted ones
/// go in rank order, so the order changes without JavaScript.
async fn save_festivals(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    body: axum::body::Bytes,
) -> PageResult {
    let mut window = String::new();
    let mut ranked: Vec<(u32, String)> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    for (k, v) in form::pairs(&body) {
        if k == "window_days" {
            window = v;
        } else if let Some(code) = k.strip_prefix("rank_") {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match v.parse::<u32>() {
                Ok(r) => ranked.push((r, code.to_string())),
                Err(_) => bad.push(code.to_string()),
            }
        }
    }
    if !bad.is_empty() {
        let e = huike_app::AppError::invalid(
            "festivals",
            "invalid_rank",
            "「顺序」应填数字（留空表示不问候）。",
            "The order must be a number (blank: not greeted).",
        );
        let errs = Errors::from_app(&e, ctx.tr.lang);
        return show_calendar(
            &s,
            &ctx,
            &actor,
            Some(("festivals".into(), errs, ThemeInput::default())),
        )
        .await;
    }
    ranked.sort();
    let input = FestivalsInput {
        window_days: window,
        festivals: ranked.into_iter().map(|(_, c)| c).collect(),
    };
    match greeting_calendar::set_festivals(&s.app, &actor, &input).await {
        Ok(_) => Ok(see_other("/greetings/calendar")),
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            show_calendar(
                &s,
                &ctx,
                &actor,
                Some(("festivals".into(), errs, ThemeInput::default())),
            )
            .await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

async fn save_theme(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(month): Path<String>,
    axum::Form(f): axum::Form<ThemeInput>,
) -> PageResult {
    match greeting_calendar::set_theme(&s.app, &actor, &month, &f).await {
        Ok(_) => Ok(see_other(&format!("/greetings/calendar#theme-{month}"))),
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            show_calendar(&s, &ctx, &actor, Some((month, errs, f))).await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}
