//! New-product news on the web: on a product, choose the related categories, see who would
//! hear of it and how, and announce it by message or by call tasks.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use huike_app::news::{self, NewsInput, NewsPreview, NewsView};

use super::form::{self, Errors, Opt};
use super::{Authed, Ctx, PageResult, app_error, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/{id}/news", get(page).post(submit))
}

#[derive(Template)]
#[template(path = "products/news.html")]
struct NewsPage<'a> {
    ctx: &'a Ctx,
    product_id: String,
    product_name: String,
    categories: Vec<Opt>,
    input: NewsInput,
    errs: Errors,
    preview: Option<NewsPreview>,
    past: Vec<NewsView>,
    langs: Vec<Opt>,
}

impl NewsPage<'_> {
    fn chosen(&self, id: &str) -> bool {
        self.input.categories.iter().any(|c| c == id)
    }

    fn when(&self, ms: &i64) -> String {
        form::datetime(*ms)
    }

    fn names(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|id| {
                self.categories
                    .iter()
                    .find(|c| &c.value == id)
                    .map_or(id.as_str(), |c| c.label.as_str())
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    fn messages(&self) -> Vec<String> {
        self.errs.others(&["categories", "bought_from"])
    }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    s: &AppState,
    ctx: &Ctx,
    actor: &huike_app::Actor,
    id: &str,
    input: NewsInput,
    errs: Errors,
    preview: Option<NewsPreview>,
) -> PageResult {
    let past = news::of_product(&s.app, actor, id)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let product = huike_app::products::get(&s.app, id)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let categories = huike_app::products::categories(&s.app)
        .await
        .map_err(|e| app_error(ctx, e))?
        .into_iter()
        .map(|c| Opt::new(c.id, c.name))
        .collect();
    let status = errs.status();
    Ok(render_status(
        status,
        &NewsPage {
            ctx,
            product_id: product.id,
            product_name: product.name,
            categories,
            input,
            errs,
            preview,
            past,
            langs: huike_domain::Lang::ALL
                .iter()
                .map(|l| Opt::new(l.code(), l.label(ctx.tr.lang)))
                .collect(),
        },
    ))
}

async fn page(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let input = NewsInput {
        action: "message".into(),
        lang: "zh-CN".into(),
        ..NewsInput::default()
    };
    show(&s, &ctx, &actor, &id, input, Errors::none(), None).await
}

/// The form as posted: categories are ticked boxes (the key repeats), `do` is the button.
fn read(body: &[u8]) -> (NewsInput, bool) {
    let mut input = NewsInput::default();
    let mut send = false;
    for (k, v) in form::pairs(body) {
        match k.as_str() {
            "categories" => input.categories.push(v),
            "bought_from" => input.bought_from = v,
            "action" => input.action = v,
            "lang" => input.lang = v,
            "do" => send = v == "send",
            _ => {}
        }
    }
    (input, send)
}

async fn submit(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let (input, send) = read(&body);
    let result = if send {
        news::announce(&s.app, &actor, &id, &input)
            .await
            .map(|_| None)
    } else {
        news::preview(&s.app, &actor, &id, &input).await.map(Some)
    };
    match result {
        Ok(None) => Ok(see_other(&format!("/products/{id}/news"))),
        Ok(Some(preview)) => {
            show(&s, &ctx, &actor, &id, input, Errors::none(), Some(preview)).await
        }
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            show(&s, &ctx, &actor, &id, input, errs, None).await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}
