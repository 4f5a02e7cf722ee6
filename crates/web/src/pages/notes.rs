//! The note a rep writes from a task (the thank-you note): drafted from the template, edited
//! for the person, checked for words not to use as it is typed (htmx), then sent by e-mail or
//! SMS through the outbox or printed as a letter; and the admins' template editor.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use huike_app::notes::{self, NoteInput, PhraseWarning};
use huike_app::templates::{self, NoteDraft, TemplateInput, TemplateView};
use huike_app::{Actor, AppError};
use serde::Deserialize;

use super::form::Errors;
use super::{Authed, Ctx, PageResult, app_error, render_status};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tasks/{id}/note", get(note_page).post(note_action))
        .route("/phrases/check", post(check))
        .route("/templates", get(templates_page))
        .route("/templates/{kind}/{lang}", post(template_action))
        .route("/phrases", get(phrases_page).post(add_phrase))
        .route("/phrases/{id}/delete", post(delete_phrase))
}

#[derive(Template)]
#[template(path = "notes/phrases_admin.html")]
struct PhrasesPage<'a> {
    ctx: &'a Ctx,
    list: Vec<huike_app::phrases::PhraseView>,
    input: huike_app::phrases::PhraseInput,
    errs: Errors,
}

async fn show_phrases(
    s: &AppState,
    ctx: &Ctx,
    input: huike_app::phrases::PhraseInput,
    errs: Errors,
) -> PageResult {
    let list = huike_app::phrases::list(&s.app)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let status = errs.status();
    Ok(render_status(
        status,
        &PhrasesPage {
            ctx,
            list,
            input,
            errs,
        },
    ))
}

async fn phrases_page(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    actor.require_admin().map_err(|e| app_error(&ctx, e))?;
    show_phrases(&s, &ctx, Default::default(), Errors::none()).await
}

async fn add_phrase(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    axum::Form(input): axum::Form<huike_app::phrases::PhraseInput>,
) -> PageResult {
    match huike_app::phrases::create(&s.app, &actor, &input).await {
        Ok(_) => Ok(super::see_other("/phrases")),
        Err(e) if e.belongs_on_form() => {
            let errs = Errors::from_app(&e, ctx.tr.lang);
            show_phrases(&s, &ctx, input, errs).await
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

async fn delete_phrase(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    huike_app::phrases::delete(&s.app, &actor, &id)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    Ok(super::see_other("/phrases"))
}

#[derive(Template)]
#[template(path = "notes/note.html")]
struct NotePage<'a> {
    ctx: &'a Ctx,
    draft: NoteDraft,
    warnings: Vec<PhraseWarning>,
    errs: Errors,
    /// Set once the note is queued: which way it went.
    queued: String,
}

#[derive(Template)]
#[template(path = "notes/letter.html")]
struct LetterPage<'a> {
    ctx: &'a Ctx,
    draft: NoteDraft,
}

#[derive(Template)]
#[template(path = "notes/phrases.html")]
struct PhrasesFragment<'a> {
    ctx: &'a Ctx,
    warnings: Vec<PhraseWarning>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LangQuery {
    lang: String,
}

async fn note_page(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> PageResult {
    let draft = templates::draft(&s.app, &actor, &id, Some(&q.lang))
        .await
        .map_err(|e| app_error(&ctx, e))?;
    let warnings = huike_app::phrases::check(
        &s.app,
        &[("subject", &draft.subject), ("body", &draft.body)],
        actor.lang,
    )
    .await
    .map_err(|e| app_error(&ctx, e))?;
    Ok(render_status(
        StatusCode::OK,
        &NotePage {
            ctx: &ctx,
            draft,
            warnings,
            errs: Errors::none(),
            queued: String::new(),
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoteForm {
    subject: String,
    body: String,
    lang: String,
    /// email | sms | print
    action: String,
}

async fn note_action(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<NoteForm>,
) -> PageResult {
    let mut draft = templates::draft(&s.app, &actor, &id, Some(&f.lang))
        .await
        .map_err(|e| app_error(&ctx, e))?;
    // What the rep wrote replaces the draft.
    draft.subject = f.subject.clone();
    draft.body = f.body.clone();
    if f.action == "print" {
        return Ok(render_status(
            StatusCode::OK,
            &LetterPage { ctx: &ctx, draft },
        ));
    }
    let input = NoteInput {
        channel: f.action.clone(),
        subject: f.subject,
        body: f.body,
        lang: f.lang,
    };
    let (status, warnings, errs, queued) = match notes::send(&s.app, &actor, &id, &input).await {
        Ok(sent) => (StatusCode::OK, sent.warnings, Errors::none(), input.channel),
        Err(e) if e.belongs_on_form() => (
            crate::problem::status(&e),
            Vec::new(),
            Errors::from_app(&e, ctx.tr.lang),
            String::new(),
        ),
        Err(e) => return Err(app_error(&ctx, e)),
    };
    Ok(render_status(
        status,
        &NotePage {
            ctx: &ctx,
            draft,
            warnings,
            errs,
            queued,
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckForm {
    subject: String,
    body: String,
}

/// Words not to use in what is being typed: the list beside the editor, swapped by htmx.
async fn check(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    axum::Form(f): axum::Form<CheckForm>,
) -> PageResult {
    let warnings = huike_app::phrases::check(
        &s.app,
        &[("subject", &f.subject), ("body", &f.body)],
        actor.lang,
    )
    .await
    .map_err(|e| app_error(&ctx, e))?;
    Ok(render_status(
        StatusCode::OK,
        &PhrasesFragment {
            ctx: &ctx,
            warnings,
        },
    ))
}

#[derive(Template)]
#[template(path = "notes/templates.html")]
struct TemplatesPage<'a> {
    ctx: &'a Ctx,
    list: Vec<TemplateView>,
    /// The template just previewed or refused, with its problems.
    focus: Option<(String, String)>,
    errs: Errors,
    saved: bool,
}

impl TemplatesPage<'_> {
    fn is_focus(&self, t: &TemplateView) -> bool {
        self.focus
            .as_ref()
            .is_some_and(|(k, l)| *k == t.kind && *l == t.lang)
    }
}

async fn show_templates(
    s: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    edited: Option<TemplateView>,
    errs: Errors,
    saved: bool,
) -> PageResult {
    let mut list = templates::list(&s.app, actor)
        .await
        .map_err(|e| app_error(ctx, e))?;
    let focus = edited.as_ref().map(|t| (t.kind.clone(), t.lang.clone()));
    if let Some(e) = edited {
        for t in list.iter_mut() {
            if t.kind == e.kind && t.lang == e.lang {
                *t = e.clone();
            }
        }
    }
    let status = errs.status();
    Ok(render_status(
        status,
        &TemplatesPage {
            ctx,
            list,
            focus,
            errs,
            saved,
        },
    ))
}

async fn templates_page(State(s): State<AppState>, Authed(ctx, actor): Authed) -> PageResult {
    show_templates(&s, &ctx, &actor, None, Errors::none(), false).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TemplateForm {
    subject: String,
    body: String,
    /// preview | save
    action: String,
}

async fn template_action(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((kind, lang)): Path<(String, String)>,
    axum::Form(f): axum::Form<TemplateForm>,
) -> PageResult {
    let input = TemplateInput {
        subject: f.subject.clone(),
        body: f.body.clone(),
    };
    let result = if f.action == "save" {
        templates::save(&s.app, &actor, &kind, &lang, &input).await
    } else {
        templates::preview(&s.app, &actor, &kind, &lang, &input).await
    };
    match result {
        Ok(v) => {
            show_templates(
                &s,
                &ctx,
                &actor,
                Some(v),
                Errors::none(),
                f.action == "save",
            )
            .await
        }
        Err(e) if e.belongs_on_form() => {
            // Keep what was typed, with the reasons beside it.
            let kept = TemplateView {
                kind: kind.clone(),
                lang: lang.clone(),
                subject: f.subject,
                body: f.body,
                customized: true,
                preview_subject: String::new(),
                preview_body: String::new(),
                warnings: Vec::new(),
            };
            let errs = Errors::from_app(&e, ctx.tr.lang);
            show_templates(&s, &ctx, &actor, Some(kept), errs, false).await
        }
        Err(e @ AppError::NotFound) | Err(e) => Err(app_error(&ctx, e)),
    }
}
