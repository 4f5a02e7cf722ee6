//! Server-rendered pages: the same use cases as the API, as HTML lists and forms.

pub mod assets;
pub mod auth;
pub mod contacts;
pub mod customers;
pub mod exports;
pub mod faults;
pub mod form;
pub mod greetings;
pub mod imports;
pub mod labels;
pub mod news;
pub mod notes;
pub mod order_imports;
pub mod orders;
pub mod outbox;
pub mod products;
pub mod referrals;
pub mod search;
pub mod today;
pub mod tokens;
pub mod users;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use huike_app::{Actor, AppError, auth as app_auth};

use crate::extract::{SESSION_COOKIE, cookie, request_lang};
use crate::i18n::Tr;
use crate::state::AppState;

/// What every page knows about the request: language, the logged-in user, the CSRF token.
#[derive(Clone)]
pub struct Ctx {
    pub tr: Tr,
    pub user: Option<Actor>,
    pub csrf: String,
    /// Path and query of this page, to come back to after a language switch.
    pub here: String,
    /// The user's open tasks due today or earlier and, of those, overdue (each capped at
    /// `COUNT_CAP`): counted once for a page shown, not for a post. The header shows the
    /// first; Today shows both without counting again.
    pub due_counts: Option<(i64, i64)>,
}

impl Ctx {
    /// The header's count of open tasks due.
    pub fn due(&self) -> i64 {
        self.due_counts.map_or(0, |(due, _)| due)
    }

    pub fn user_name(&self) -> &str {
        self.user
            .as_ref()
            .map(|u| {
                if u.display_name.is_empty() {
                    u.username.as_str()
                } else {
                    u.display_name.as_str()
                }
            })
            .unwrap_or("")
    }

    pub fn role_label(&self) -> &'static str {
        self.user
            .as_ref()
            .map(|u| u.role.label(self.tr.lang))
            .unwrap_or("")
    }

    pub fn can_manage_users(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.require_admin_or_manager().is_ok())
    }

    /// A manager's Today adds the team's work due.
    pub fn is_manager(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role == huike_app::Role::Manager)
    }

    pub fn can_edit_catalogue(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.can_edit_catalogue())
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_admin())
    }

    /// New, edit and delete links for customers, contacts and orders, and the import
    /// ([`Actor::can_edit_archive`]: not for service agents).
    pub fn can_edit_archive(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.can_edit_archive())
    }

    /// Deleting a customer is for admins and managers (reps reassign or reclassify).
    pub fn can_delete_customers(&self) -> bool {
        self.can_manage_users()
    }

    pub fn asset_version(&self) -> &'static str {
        assets::VERSION
    }

    /// The search box keeps what was searched for on the results page.
    pub fn search_text(&self) -> String {
        match self.here.split_once('?') {
            Some(("/search", q)) => form::pairs(q.as_bytes())
                .into_iter()
                .find(|(k, _)| k == "q")
                .map(|(_, v)| v)
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// Whether the nav entry for `prefix` is the current section.
    pub fn at(&self, prefix: &str) -> bool {
        self.here.starts_with(prefix)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// A page that needs a login: the context and the actor, or a redirect to the login page.
pub struct Authed(pub Ctx, pub Actor);

impl FromRequestParts<AppState> for Authed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.user.clone() {
            Some(actor) => Ok(Authed(ctx, actor)),
            None => Err(login_redirect(
                &ctx.here,
                parts.headers.contains_key("hx-request"),
            )),
        }
    }
}

fn login_redirect(here: &str, htmx: bool) -> Response {
    let to = format!("/login?next={}", form::url_encode(here));
    if htmx {
        // htmx follows redirects inside the swap target; ask it for a full navigation instead.
        ([("hx-redirect", to)], StatusCode::OK).into_response()
    } else {
        Redirect::to(&to).into_response()
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(today::routes())
        .merge(notes::routes())
        .merge(outbox::routes())
        .merge(greetings::routes())
        .merge(faults::routes())
        .merge(labels::routes())
        .merge(news::routes())
        .merge(referrals::routes())
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::switch_lang))
        .route("/search", get(search::page))
        .merge(customers::routes())
        .merge(contacts::routes())
        .merge(products::routes())
        .merge(orders::routes())
        .merge(users::routes())
        .merge(tokens::routes())
        .merge(exports::routes())
        .merge(imports::routes())
        .merge(order_imports::routes())
}

/// Resolves the session and language for every page request, and refuses any change that
/// does not carry this session's CSRF token (a hidden form field, the `X-CSRF-Token` header
/// htmx sends, or `_csrf` in the query for file uploads).
pub async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let lang = request_lang(&parts);
    let mut ctx = Ctx {
        tr: Tr::new(lang),
        user: None,
        csrf: String::new(),
        here: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into()),
        due_counts: None,
    };
    if let Some(c) = cookie(&parts, SESSION_COOKIE)
        && let Ok((mut actor, csrf)) = app_auth::session(&s.app, c).await
    {
        actor.lang = lang;
        if parts.method == axum::http::Method::GET {
            // The header's count; a failure here must not cost the page itself.
            ctx.due_counts = huike_app::tasks::due_counts(&s.app, &actor).await.ok();
        }
        ctx.user = Some(actor);
        ctx.csrf = csrf;
    }
    let body = if parts.method.is_safe() {
        body
    } else {
        match check_csrf(&parts, body, &ctx).await {
            Ok(body) => body,
            Err(()) => {
                return error_page(&ctx, StatusCode::FORBIDDEN, ctx.tr.t("error.csrf"));
            }
        }
    };
    parts.extensions.insert(ctx);
    next.run(Request::from_parts(parts, body)).await
}

const FORM_LIMIT: usize = 2 * 1024 * 1024;

async fn check_csrf(parts: &Parts, body: Body, ctx: &Ctx) -> Result<Body, ()> {
    if ctx.user.is_none() {
        // Login and the language switch have no session yet: refuse posts from other sites.
        return if same_origin(&parts.headers) {
            Ok(body)
        } else {
            Err(())
        };
    }
    let expected = ctx.csrf.as_str();
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok());
    if header_token.is_some_and(|t| form::same_secret(t, expected)) {
        return Ok(body);
    }
    if let Some(q) = parts.uri.query()
        && form::pairs(q.as_bytes())
            .iter()
            .any(|(k, v)| k == "_csrf" && form::same_secret(v, expected))
    {
        return Ok(body);
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(());
    }
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| ())?;
    if form::pairs(&bytes)
        .iter()
        .any(|(k, v)| k == "_csrf" && form::same_secret(v, expected))
    {
        Ok(Body::from(bytes))
    } else {
        Err(())
    }
}

/// True when the browser says the request comes from this site (or says nothing, as
/// non-browser clients do; they cannot ride on a victim's cookies anyway).
fn same_origin(h: &HeaderMap) -> bool {
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    match (h.get(header::ORIGIN).and_then(|v| v.to_str().ok()), host) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host),
        (Some(_), None) => false,
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    title: String,
    message: &'a str,
}

pub fn error_page(ctx: &Ctx, status: StatusCode, message: &str) -> Response {
    let title = format!("{} {}", status.as_u16(), ctx.tr.t("error.title"));
    render_status(
        status,
        &ErrorPage {
            ctx,
            title,
            message,
        },
    )
}

pub fn render<T: Template>(t: &T) -> Response {
    render_status(StatusCode::OK, t)
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// A use-case error on a page: not found/forbidden pages, a login redirect, or a message;
/// the status is the API's ([`crate::problem::status`]).
pub fn app_error(ctx: &Ctx, e: AppError) -> Response {
    if matches!(e, AppError::Unauthenticated) {
        return login_redirect(&ctx.here, false);
    }
    crate::problem::report(&e);
    let mut message = e.message(ctx.tr.lang);
    if let (AppError::Internal(_), Some(id)) = (&e, crate::request_id::current()) {
        message = format!("{message} ({}: {id})", ctx.tr.t("error.request_id"));
    }
    error_page(ctx, crate::problem::status(&e), &message)
}

pub type PageResult = Result<Response, Response>;

/// Active users as select options (owner, salesperson), after an empty choice `empty`.
pub async fn user_options(
    s: &AppState,
    ctx: &Ctx,
    empty: &str,
) -> Result<Vec<form::Opt>, Response> {
    let mut v = vec![form::Opt::new("", empty)];
    v.extend(
        huike_app::users::pickable(&s.app)
            .await
            .map_err(|e| app_error(ctx, e))?
            .into_iter()
            .map(|u| {
                let label = if u.display_name.is_empty() {
                    u.username
                } else {
                    format!("{} ({})", u.display_name, u.username)
                };
                form::Opt::new(u.id, label)
            }),
    );
    Ok(v)
}

/// Redirect after a successful POST (303, so a reload does not post again).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}
