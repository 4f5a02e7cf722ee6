//! The search results page behind the box in the header (customers and contacts together).

use askama::Template;
use axum::extract::{Query, State};
use huike_app::search;
use huike_app::views::SearchHit;
use serde::Deserialize;

use super::form::Pager;
use super::{Authed, Ctx, PageResult, app_error, render};
use crate::state::AppState;

pub struct Hit {
    pub href: String,
    pub kind: &'static str,
    pub name: String,
    pub detail: String,
    pub approach: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    q: String,
    hits: Vec<Hit>,
    pager: Pager,
    more: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    page: Option<i64>,
}

pub async fn page(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(sq): Query<SearchQuery>,
) -> PageResult {
    let paging = huike_app::paging(sq.page, Some(20));
    let q = sq.q.trim().to_string();
    let (hits, total, more) = if q.is_empty() {
        (Vec::new(), 0, false)
    } else {
        let r = search::search(&s.app, &actor, &q, paging)
            .await
            .map_err(|e| app_error(&ctx, e))?;
        let hits = r
            .items
            .into_iter()
            .map(|i| match i {
                SearchHit::Customer(c) => Hit {
                    href: format!("/customers/{}", c.id),
                    kind: ctx.tr.t("search.customer"),
                    name: c.name,
                    detail: [c.province, c.city, c.phone]
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                    approach: String::new(),
                },
                SearchHit::Contact(k) => Hit {
                    href: format!("/customers/{}#contact-{}", k.customer_id, k.id),
                    kind: ctx.tr.t("search.contact"),
                    name: k.name,
                    detail: [k.customer_name, k.title, k.phone]
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                    approach: match (k.personality_label, k.approach) {
                        (Some(p), Some(a)) => format!("{p}: {a}"),
                        _ => String::new(),
                    },
                },
            })
            .collect();
        (hits, r.total, r.more)
    };
    let pairs = vec![("q".to_string(), q.clone())];
    let shown = hits.len();
    Ok(render(&SearchPage {
        ctx: &ctx,
        pager: Pager::new(
            "/search",
            &pairs,
            paging.page,
            paging.per_page,
            (total, more),
            shown,
        ),
        q,
        hits,
        more,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn paging_keeps_the_query() {
        let p = crate::pages::form::Pager::new(
            "/search",
            &[("q".into(), "zs".into())],
            1,
            20,
            (45, false),
            20,
        );
        assert_eq!(p.next.as_deref(), Some("/search?q=zs&page=2"));
    }
}
