//! Referrals on the web (索取推荐名单, 猎犬计划): the caller's referrals by status, the rewards
//! due with their payment, and who brings referrals (per rep, per customer).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use huike_app::referrals::{
    self, PayInput, ReferralQuery, ReferralReport, ReferralView, RewardView,
};

use super::form::Opt;
use super::{Authed, Ctx, PageResult, app_error, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/referrals", get(page))
        .route("/referrals/rewards/{id}/pay", post(pay))
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage<'a> {
    ctx: &'a Ctx,
    q: ReferralQuery,
    page: i64,
    items: Vec<ReferralView>,
    statuses: Vec<Opt>,
    due: Vec<RewardView>,
    report: ReferralReport,
}

impl ReferralsPage<'_> {
    fn money(&self, fen: &i64) -> String {
        huike_domain::format_money(*fen, "CNY")
    }

    /// The list's address on another page, keeping the filter.
    fn page_href(&self, page: i64) -> String {
        let mut q = vec![("page", page.to_string())];
        if !self.q.status.is_empty() {
            q.insert(0, ("status", self.q.status.clone()));
        }
        format!(
            "/referrals?{}",
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    }
}

async fn page(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ReferralQuery>,
) -> PageResult {
    let items = referrals::list(&s.app, &actor, &q)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let due = referrals::rewards(&s.app, &actor, "due")
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let report = referrals::report(&s.app, &actor)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let mut statuses = vec![Opt::new("", ctx.tr.t("list.any"))];
    statuses.extend(
        referrals::STATUSES
            .iter()
            .map(|code| Opt::new(*code, referrals::status_label(code, ctx.tr.lang))),
    );
    Ok(render(&ReferralsPage {
        page: q.page.unwrap_or(1).max(1),
        ctx: &ctx,
        q,
        items,
        statuses,
        due,
        report,
    }))
}

async fn pay(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(input): axum::Form<PayInput>,
) -> PageResult {
    referrals::pay(&s.app, &actor, &id, &input)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(see_other("/referrals#rewards"))
}
