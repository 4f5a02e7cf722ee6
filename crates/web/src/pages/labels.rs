//! Contact labels on the web (联系标签): an order's printable label sheet, and the public page
//! its QR code opens (the rep's card, a vCard and an "I need help" form; no login).

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use huike_app::labels::{self, FORMATS, HelpInput, LabelSettings, LabelSheet, RepCard, SheetQuery};

use super::form::{Errors, Opt};
use super::{Authed, Ctx, PageResult, app_error, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders/{id}/labels", get(sheet))
        .route("/labels/settings", post(save_settings))
        .route("/l/{token}", get(public))
        .route("/l/{token}/card.vcf", get(vcard))
        .route("/l/{token}/help", post(help))
}

/// The address customers reach the server at: the configured public address, else the one
/// this request came to.
pub fn origin(s: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = s.config.public_url.as_deref().filter(|u| !u.is_empty()) {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// The QR code of `text` as an SVG element that scales to its box (crisp modules, a quiet
/// zone, dark on white).
pub fn qr_svg(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .build();
    // Drop the XML prolog: the element goes inline in HTML.
    Ok(match svg.find("<svg") {
        Some(at) => svg[at..].to_string(),
        None => svg,
    })
}

#[derive(Template)]
#[template(path = "labels/sheet.html")]
struct SheetPage<'a> {
    ctx: &'a Ctx,
    sheet: LabelSheet,
    sheets: Vec<Vec<bool>>,
    qr: String,
    formats: Vec<Opt>,
    q: SheetQuery,
    errs: Errors,
    company: String,
}

impl SheetPage<'_> {
    /// The position of slot `i` on its sheet, in millimetres from the top left corner.
    fn left(&self, i: &usize) -> String {
        let f = &self.sheet.format;
        let col = (*i as u32 % f.columns) as f32;
        format!("{:.2}", f.left_mm + col * f.column_pitch_mm)
    }

    fn top(&self, i: &usize) -> String {
        let f = &self.sheet.format;
        let row = (*i as u32 / f.columns) as f32;
        format!("{:.2}", f.top_mm + row * f.row_pitch_mm)
    }

    /// The QR code's side: the label's height inside its padding, or under half its width
    /// on a wide short label, so the text keeps room.
    fn qr_mm(&self) -> String {
        let f = &self.sheet.format;
        format!("{:.1}", (f.height_mm - 4.0).min(f.width_mm * 0.45))
    }

    /// Text that fits five lines beside the code, and no larger than 9 pt.
    fn font_mm(&self) -> String {
        format!("{:.2}", (self.sheet.format.height_mm * 0.075).min(3.2))
    }

    fn qv<'b>(&self, v: &'b Option<String>) -> &'b str {
        v.as_deref().unwrap_or("")
    }
}

async fn sheet(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    Query(mut q): Query<SheetQuery>,
    headers: HeaderMap,
) -> PageResult {
    // A blank box on the form is the default.
    for v in [&mut q.format, &mut q.skip, &mut q.count] {
        if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
            *v = None;
        }
    }
    let origin = origin(&s, &headers);
    let (sheet, errs) = match labels::sheet(&s.app, &actor, &id, &q, &origin).await {
        Ok(sheet) => (sheet, Errors::none()),
        Err(e) if e.belongs_on_form() => {
            // Bad choices: show the default sheet with the errors beside the choices.
            let errs = Errors::from_app(&e, ctx.tr.lang);
            let sheet = labels::sheet(&s.app, &actor, &id, &SheetQuery::default(), &origin)
                .await
                .map_err(|e| app_error(&ctx, e))?;
            (sheet, errs)
        }
        Err(e) => return Err(app_error(&ctx, e)),
    };
    let qr = qr_svg(&sheet.url)
        .map_err(|e| app_error(&ctx, huike_app::AppError::Internal(format!("QR code: {e}"))))?;
    let company = if ctx.is_admin() {
        labels::label_settings(&s.app)
            .await
            .map_err(|e| app_error(&ctx, e))?
            .company
    } else {
        String::new()
    };
    let status = errs.status();
    Ok(render_status(
        status,
        &SheetPage {
            sheets: sheet.sheets(),
            formats: FORMATS
                .iter()
                .map(|f| Opt::new(f.code, f.label(ctx.tr.lang)))
                .collect(),
            ctx: &ctx,
            sheet,
            qr,
            q,
            errs,
            company,
        },
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    company: String,
    back: String,
}

async fn save_settings(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    axum::Form(f): axum::Form<SettingsForm>,
) -> PageResult {
    labels::set_label_settings(&s.app, &actor, &LabelSettings { company: f.company })
        .await
        .map_err(|e| app_error(&ctx, e))?;
    // Back to the sheet it was set from; never to another site.
    let back = if f.back.starts_with("/orders/") {
        f.back
    } else {
        "/orders".to_string()
    };
    Ok(see_other(&back))
}

#[derive(Template)]
#[template(path = "labels/public.html")]
struct PublicPage<'a> {
    ctx: &'a Ctx,
    token: String,
    card: RepCard,
    form_token: String,
    input: HelpInput,
    errs: Errors,
    sent: bool,
}

async fn public_page(
    s: &AppState,
    ctx: &Ctx,
    token: &str,
    input: HelpInput,
    errs: Errors,
    sent: bool,
    status: StatusCode,
) -> PageResult {
    let (card, form_token) = labels::public_page(&s.app, token)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let mut r = render_status(
        status,
        &PublicPage {
            ctx,
            token: token.to_string(),
            card,
            form_token,
            input,
            errs,
            sent,
        },
    );
    // The link is the key to this page: keep it out of other sites' logs and of caches.
    let h = r.headers_mut();
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert("x-robots-tag", header::HeaderValue::from_static("noindex"));
    Ok(r)
}

async fn public(State(s): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> PageResult {
    public_page(
        &s,
        &ctx,
        &token,
        HelpInput::default(),
        Errors::none(),
        false,
        StatusCode::OK,
    )
    .await
}

async fn vcard(State(s): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> PageResult {
    let card = labels::public_card(&s.app, &token)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/vcard; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"card.vcf\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        labels::vcard(&card),
    )
        .into_response())
}

async fn help(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    axum::Form(input): axum::Form<HelpInput>,
) -> Result<Response, Response> {
    match labels::ask_help(&s.app, &token, &peer.ip().to_string(), &input).await {
        Ok(()) => {
            public_page(
                &s,
                &ctx,
                &token,
                HelpInput::default(),
                Errors::none(),
                true,
                StatusCode::OK,
            )
            .await
        }
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            let mut kept = input;
            kept.website.clear();
            kept.form_token.clear();
            public_page(
                &s,
                &ctx,
                &token,
                kept,
                errs,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn the_qr_code_scales_to_its_box() {
        let svg =
            super::qr_svg("http://127.0.0.1:8080/l/0123456789abcdef0123456789abcdef").unwrap();
        assert!(svg.starts_with("<svg"), "{svg:.80}");
        assert!(
            svg.contains("viewBox"),
            "an SVG without a viewBox does not scale: {svg:.200}"
        );
    }
}
