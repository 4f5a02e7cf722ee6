//! The import page: upload a workbook or CSV, check the column mapping and the row-by-row
//! report of a dry run (with progress for large files), then import everything in one go.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use huike_app::import::commit::{ImportOptions, MappingInput, Stage};
use huike_app::import::jobs::JobStatus;
use huike_app::import::{ColumnMapping, Field, Mapping};
use huike_app::{Actor, AppError};
use huike_domain::Lang;

use super::form::{self, Errors, Opt};
use super::{Authed, Ctx, PageResult, app_error, render, render_status, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import", get(page).post(upload))
        .route("/import/{id}", get(job).post(rerun))
}

/// Uploaded files kept for the mapping step and the final import: a commit re-reads the very
/// bytes the dry run checked. Kept an hour, at most a few per server, in memory only.
struct Upload {
    user_id: String,
    bytes: Vec<u8>,
    opts: ImportOptions,
    at: Instant,
}

const KEEP: Duration = Duration::from_secs(3600);
const MAX_UPLOADS: usize = 16;

fn uploads() -> &'static Mutex<HashMap<String, Upload>> {
    static U: OnceLock<Mutex<HashMap<String, Upload>>> = OnceLock::new();
    U.get_or_init(Default::default)
}

fn keep_upload(job_id: &str, u: Upload) {
    let mut map = uploads().lock().unwrap_or_else(|e| e.into_inner());
    map.retain(|_, v| v.at.elapsed() < KEEP);
    while map.len() >= MAX_UPLOADS {
        let Some(oldest) = map.iter().min_by_key(|(_, v)| v.at).map(|(k, _)| k.clone()) else {
            break;
        };
        map.remove(&oldest);
    }
    map.insert(job_id.to_string(), u);
}

/// Runs `f` on this user's kept upload of `job_id`, if there is one.
fn with_upload<T>(job_id: &str, actor: &Actor, f: impl FnOnce(&Upload) -> T) -> Option<T> {
    let map = uploads().lock().unwrap_or_else(|e| e.into_inner());
    map.get(job_id)
        .filter(|u| u.user_id == actor.user_id && u.at.elapsed() < KEEP)
        .map(f)
}

fn take_upload(job_id: &str, actor: &Actor) -> Option<(Vec<u8>, ImportOptions)> {
    with_upload(job_id, actor, |u| (u.bytes.clone(), u.opts.clone()))
}

#[derive(Template)]
#[template(path = "import.html")]
struct UploadPage<'a> {
    ctx: &'a Ctx,
    errs: Errors,
    fields: Vec<(&'static str, &'static str)>,
}

fn field_label(f: Field, lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => f.label_zh(),
        Lang::En => f.label_en(),
    }
}

fn upload_page(ctx: &Ctx, errs: Errors) -> Response {
    let status = errs.status();
    render_status(
        status,
        &UploadPage {
            ctx,
            errs,
            fields: Field::ALL
                .iter()
                .map(|f| (f.label_zh(), f.label_en()))
                .collect(),
        },
    )
}

async fn page(Authed(ctx, actor): Authed) -> Response {
    // Service agents do not change the archive, so they cannot import into it either.
    if let Err(e) = actor.require_archive_editor() {
        return super::app_error(&ctx, e);
    }
    upload_page(&ctx, Errors::none())
}

fn start(
    s: &AppState,
    actor: &Actor,
    bytes: Vec<u8>,
    opts: ImportOptions,
) -> Result<String, AppError> {
    let id = s
        .app
        .imports
        .start(&s.app, actor, bytes.clone(), opts.clone())?;
    keep_upload(
        &id,
        Upload {
            user_id: actor.user_id.clone(),
            bytes,
            opts: ImportOptions {
                commit: false,
                ..opts
            },
            at: Instant::now(),
        },
    );
    Ok(id)
}

async fn upload(State(s): State<AppState>, Authed(ctx, actor): Authed, mp: Multipart) -> Response {
    let started = crate::api_io::read_upload(mp)
        .await
        .and_then(|(bytes, mut opts)| {
            // The first step is always a dry run: nothing is written before the user has seen
            // the mapping and the report.
            opts.commit = false;
            start(&s, &actor, bytes, opts)
        });
    match started {
        Ok(id) => see_other(&format!("/import/{id}")),
        Err(e @ AppError::Invalid(_)) | Err(e @ AppError::Conflict(_)) => {
            upload_page(&ctx, Errors::from_app(&e, ctx.tr.lang))
        }
        Err(e) => app_error(&ctx, e),
    }
}

/// A column of the file on the mapping step.
pub struct ColumnRow {
    pub index: usize,
    pub header: String,
    pub field: String,
}

pub struct ErrorRow {
    pub row: usize,
    pub column: String,
    pub message: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage<'a> {
    ctx: &'a Ctx,
    st: JobStatus,
    running: bool,
    percent: usize,
    stage: &'static str,
    columns: Vec<ColumnRow>,
    field_opts: Vec<Opt>,
    mapping_errors: Vec<String>,
    errors: Vec<ErrorRow>,
    failure: String,
    clean: bool,
    can_rerun: bool,
}

fn stage_key(stage: Stage) -> &'static str {
    match stage {
        Stage::Queued => "import.stage_queued",
        Stage::Reading => "import.stage_reading",
        Stage::Validating => "import.stage_validating",
        Stage::Checking => "import.stage_checking",
        Stage::Committing => "import.stage_committing",
        Stage::Done => "import.stage_done",
        Stage::Failed => "import.stage_failed",
    }
}

async fn job(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
) -> PageResult {
    let lang = ctx.tr.lang;
    let st = s
        .app
        .imports
        .status(&actor, &id)
        .map_err(|e| app_error(&ctx, e))?;
    let running = !matches!(st.stage, Stage::Done | Stage::Failed);
    let percent = (st.done * 100).checked_div(st.total).unwrap_or(0).min(100);
    let mut columns = Vec::new();
    let mut mapping_errors = Vec::new();
    let mut errors = Vec::new();
    let mut clean = false;
    if let Some(r) = &st.report {
        columns = r
            .mapping
            .columns
            .iter()
            .map(|c| ColumnRow {
                index: c.index,
                header: c.header.clone(),
                field: c.field.map(|f| f.key().to_string()).unwrap_or_default(),
            })
            .collect();
        mapping_errors = r
            .mapping_errors
            .iter()
            .map(|m| lang.pick(&m.message_zh, &m.message_en).to_string())
            .collect();
        errors = r
            .errors
            .iter()
            .map(|e| ErrorRow {
                row: e.row,
                column: e.column.clone().unwrap_or_default(),
                message: lang.pick(&e.message_zh, &e.message_en).to_string(),
                value: e.value.clone(),
            })
            .collect();
        clean = r.is_clean();
    }
    let failure = st
        .error
        .as_ref()
        .map(|f| {
            let mut m = lang.pick(&f.message_zh, &f.message_en).to_string();
            for fe in &f.errors {
                m.push(' ');
                m.push_str(lang.pick(&fe.message_zh, &fe.message_en));
            }
            m
        })
        .unwrap_or_default();
    let mut field_opts = vec![Opt::new("", ctx.tr.t("import.ignore_column"))];
    field_opts.extend(
        Field::ALL
            .iter()
            .map(|f| Opt::new(f.key(), field_label(*f, lang))),
    );
    Ok(render(&JobPage {
        stage: ctx.tr.t(stage_key(st.stage)),
        // The page polls every second while a job runs: look, do not copy the file.
        can_rerun: !st.commit && with_upload(&id, &actor, |_| ()).is_some(),
        ctx: &ctx,
        running,
        percent,
        columns,
        field_opts,
        mapping_errors,
        errors,
        failure,
        clean,
        st,
    }))
}

/// The mapping as the form sends it: `map.<column index>` = field key ("" ignores it), with
/// the header in `header.<column index>`.
fn mapping_from_form(pairs: &[(String, String)]) -> Mapping {
    let mut cols: std::collections::BTreeMap<usize, ColumnMapping> = Default::default();
    for (k, v) in pairs {
        let (kind, idx) = match k.split_once('.') {
            Some((kind, idx)) => (kind, idx.parse::<usize>().ok()),
            None => continue,
        };
        let Some(idx) = idx else { continue };
        let c = cols.entry(idx).or_insert_with(|| ColumnMapping {
            index: idx,
            header: String::new(),
            field: None,
        });
        match kind {
            "map" => c.field = Field::from_key(v),
            "header" => c.header = v.clone(),
            _ => {}
        }
    }
    Mapping {
        columns: cols.into_values().collect(),
    }
}

/// Checks again with the chosen mapping, or imports for real when asked and the file is clean.
async fn rerun(
    State(s): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let pairs = form::pairs(&body);
    let commit = pairs.iter().any(|(k, v)| k == "action" && v == "commit");
    let Some((bytes, mut opts)) = take_upload(&id, &actor) else {
        return Err(super::error_page(
            &ctx,
            StatusCode::GONE,
            ctx.tr.t("import.upload_gone"),
        ));
    };
    opts.mapping = Some(MappingInput::Full(mapping_from_form(&pairs)));
    opts.commit = commit;
    let new_id = start(&s, &actor, bytes, opts).map_err(|e| app_error(&ctx, e))?;
    Ok(see_other(&format!("/import/{new_id}")))
}
