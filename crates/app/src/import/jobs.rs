//! Import jobs for the web: an upload starts a dry run or a commit in the background and the
//! page or API client polls its progress and, at the end, its report. Jobs live in memory
//! (a restart forgets them; a commit is one transaction, so it either happened or not), are
//! visible to the user who started them (and admins), and are forgotten an hour after they end.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::commit::{self, ImportOptions, ImportProgress, ImportReport, Stage};
use crate::access::Role;
use crate::error::{AppError, AppResult, field_error};
use crate::{Actor, App};

/// Finished jobs are kept this long for polling.
pub const KEEP_FINISHED: Duration = Duration::from_secs(3600);

/// Why a job failed as a whole (row errors are in the report instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JobFailure {
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
    /// Field-level detail (e.g. `file`: not a spreadsheet).
    pub errors: Vec<JobFailureField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JobFailureField {
    pub field: String,
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

impl JobFailure {
    fn from_error(e: &AppError) -> JobFailure {
        JobFailure {
            code: e.code().to_string(),
            message_zh: e.message(huike_domain::Lang::ZhCn),
            message_en: e.message(huike_domain::Lang::En),
            errors: e
                .field_errors()
                .iter()
                .map(|f| JobFailureField {
                    field: f.field.clone(),
                    code: f.code.to_string(),
                    message_zh: f.message_zh.clone(),
                    message_en: f.message_en.clone(),
                })
                .collect(),
        }
    }
}

/// What a poll sees.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct JobStatus {
    pub id: String,
    pub file_name: String,
    /// Whether the job was asked to write (`false`: dry run).
    pub commit: bool,
    pub stage: Stage,
    /// Rows (validating) or customers (checking, committing) done so far, of `total`.
    pub done: usize,
    pub total: usize,
    pub elapsed_ms: u64,
    /// When `stage` is `done`.
    pub report: Option<ImportReport>,
    /// When `stage` is `failed`: nothing was written.
    pub error: Option<JobFailure>,
}

struct Job {
    user_id: String,
    file_name: String,
    commit: bool,
    progress: Arc<ImportProgress>,
    started: Instant,
    outcome: Mutex<Option<(Instant, Result<ImportReport, JobFailure>)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves plain data that is still consistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The registry the [`App`] carries.
#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<String, Arc<Job>>>,
}

impl ImportJobs {
    /// Starts an import in the background and returns its id at once. One running import per
    /// user: a second upload while one runs is refused.
    pub fn start(
        &self,
        app: &App,
        actor: &Actor,
        bytes: Vec<u8>,
        opts: ImportOptions,
    ) -> AppResult<String> {
        if actor.role == Role::Service {
            return Err(AppError::Forbidden);
        }
        let id = huike_store::new_id();
        let job = Arc::new(Job {
            user_id: actor.user_id.clone(),
            file_name: opts.file_name.clone(),
            commit: opts.commit,
            progress: ImportProgress::new(),
            started: Instant::now(),
            outcome: Mutex::new(None),
        });
        {
            let mut jobs = lock(&self.jobs);
            jobs.retain(|_, j| {
                lock(&j.outcome)
                    .as_ref()
                    .is_none_or(|(ended, _)| ended.elapsed() < KEEP_FINISHED)
            });
            let running = jobs
                .values()
                .any(|j| j.user_id == actor.user_id && lock(&j.outcome).is_none());
            if running {
                return Err(AppError::Conflict(field_error(
                    "file",
                    "import_running",
                    "您已有一个导入正在进行，请等它结束后再上传。",
                    "You already have an import running; wait for it to finish.",
                )));
            }
            jobs.insert(id.clone(), job.clone());
        }
        let app = app.clone();
        let actor = actor.clone();
        tokio::spawn(async move {
            let result = commit::run(&app, &actor, bytes, opts, &job.progress).await;
            let stage = if result.is_ok() {
                Stage::Done
            } else {
                Stage::Failed
            };
            if let Err(e) = &result {
                tracing::warn!(error = %e, file = %job.file_name, "import failed");
            }
            *lock(&job.outcome) = Some((
                Instant::now(),
                result.map_err(|e| JobFailure::from_error(&e)),
            ));
            let snap = job.progress.snapshot();
            job.progress.enter(stage, snap.total);
            job.progress.set_done(snap.total);
        });
        Ok(id)
    }

    /// The job's state; another user's job (unless the caller is an admin) is not found.
    pub fn status(&self, actor: &Actor, id: &str) -> AppResult<JobStatus> {
        let job = lock(&self.jobs)
            .get(id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        if job.user_id != actor.user_id && actor.role != Role::Admin {
            return Err(AppError::NotFound);
        }
        let outcome = lock(&job.outcome).clone();
        let snap = job.progress.snapshot();
        let elapsed = |end: Instant| {
            u64::try_from(end.duration_since(job.started).as_millis()).unwrap_or(u64::MAX)
        };
        let (stage, elapsed_ms, report, error) = match outcome {
            None => (snap.stage, elapsed(Instant::now()), None, None),
            Some((end, Ok(r))) => (Stage::Done, elapsed(end), Some(r), None),
            Some((end, Err(f))) => (Stage::Failed, elapsed(end), None, Some(f)),
        };
        Ok(JobStatus {
            id: id.to_string(),
            file_name: job.file_name.clone(),
            commit: job.commit,
            stage,
            done: snap.done,
            total: snap.total,
            elapsed_ms,
            report,
            error,
        })
    }

    /// Waits until the job has ended (for the CLI and tests); polls every 20 ms.
    pub async fn wait(&self, actor: &Actor, id: &str) -> AppResult<JobStatus> {
        loop {
            let s = self.status(actor, id)?;
            if matches!(s.stage, Stage::Done | Stage::Failed) {
                return Ok(s);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
