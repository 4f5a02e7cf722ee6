//! The import service: a file in, a row-by-row report out and, when asked and nothing is
//! wrong, every customer with its contacts, search keys and audit entries written in ONE
//! transaction (any error: nothing is written).
//!
//! Steps and [`Stage`]s: reading the file and validating its rows run on a blocking thread;
//! checking owners and duplicates and writing use the database. [`ImportProgress`] is shared
//! with whoever shows progress (the job registry, the CLI).
//!
//! **Identity of a customer** is its name compared case-, width- and space-insensitively
//! ("华为 技术" = "华为技术", "ＨＵＡＷＥＩ" = "huawei"):
//! - inside the file, rows with the same name are one customer (one row per contact); a later
//!   row giving a customer field a different non-blank value is a `duplicate_customer` error;
//! - against the database, a name that an existing customer already has (whoever owns it) is
//!   a `customer_exists` error: an import only creates customers, it never merges into or
//!   overwrites an existing archive.
//!
//! **Owner**: the importing user, unless an owner column names a user (username, or a
//! display name only one active user has) that the importer may assign: sales reps only
//! themselves, managers people of their department, admins anyone active. The department is
//! the owner's.
//!
//! Writes are multi-row INSERTs sized under each backend's bind-parameter limit
//! ([`huike_store::bulk`]), a few hundred rows per round trip.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Instant;

use huike_domain::Birthday;
use huike_store::audit::AuditEntry;
use huike_store::bulk::{self, ContactRow, CustomerRow, SearchTermRow};
use huike_store::customers::Customer;
use huike_store::users::User;
use huike_store::{Conn, new_id};
use serde::{Deserialize, Serialize};

use super::mapping::{Field, Mapping, normalize_header, suggest_mapping, validate_mapping};
use super::read::{ReadOptions, SourceInfo, read_table_with_info};
use super::text::{excerpt, fold_key};
use super::validate::{ERROR_VALUE_CHARS, ImportCustomer, ImportPlan, RowError};
use crate::access::Role;
use crate::error::{AppError, AppResult, field_error};
use crate::search::{ContactKeysInput, CustomerKeysInput, contact_terms, customer_terms};
use crate::validate::normalize_tags;
use crate::{Actor, App};

/// The report lists at most this many row errors (all are counted in `errors_total`).
pub const MAX_REPORTED_ERRORS: usize = 10_000;
/// Customers looked up per duplicate query and written per batch.
const BATCH: usize = 500;

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Queued,
    /// Reading the file (no row count yet).
    Reading,
    /// Validating rows: `done` of `total` rows.
    Validating,
    /// Checking owners and duplicates against the database: `done` of `total` customers.
    Checking,
    /// Writing: `done` of `total` customers.
    Committing,
    Done,
    Failed,
}

const STAGES: [Stage; 7] = [
    Stage::Queued,
    Stage::Reading,
    Stage::Validating,
    Stage::Checking,
    Stage::Committing,
    Stage::Done,
    Stage::Failed,
];

/// Progress of one import, updated by the import and read by anyone holding the `Arc`.
#[derive(Debug, Default)]
pub struct ImportProgress {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgressSnapshot {
    pub stage: Stage,
    pub done: usize,
    pub total: usize,
}

impl ImportProgress {
    pub fn new() -> Arc<ImportProgress> {
        Arc::new(ImportProgress::default())
    }

    pub fn snapshot(&self) -> ProgressSnapshot {
        let i = usize::from(self.stage.load(Ordering::Acquire));
        ProgressSnapshot {
            stage: STAGES.get(i).copied().unwrap_or(Stage::Failed),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn enter(&self, stage: Stage, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        let i = STAGES.iter().position(|s| *s == stage).unwrap_or(0);
        self.stage
            .store(u8::try_from(i).unwrap_or(0), Ordering::Release);
    }

    pub(crate) fn set_done(&self, done: usize) {
        self.done.store(done, Ordering::Relaxed);
    }
}

/// A mapping chosen by the user: either a whole [`Mapping`] (as the mapping step round-trips
/// it), or overrides of the suggested one, `{"<header text or 1-based column>": "<field key or
/// label>" | null}` (null or "" ignores the column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum MappingInput {
    #[schema(value_type = Object)]
    Full(Mapping),
    Overrides(std::collections::BTreeMap<String, Option<String>>),
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The uploaded file's name (its extension helps tell CSV from a workbook).
    pub file_name: String,
    pub read: ReadOptions,
    pub mapping: Option<MappingInput>,
    /// Write when everything is right; `false` is a dry run.
    pub commit: bool,
    /// Tests only: fail with an internal error after this many customers were written, to
    /// prove the transaction leaves nothing behind.
    #[doc(hidden)]
    pub fail_after_customers: Option<usize>,
}

/// A problem with the mapping, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MappingProblem {
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub import_id: String,
    pub file_name: String,
    #[schema(value_type = Object)]
    pub source: SourceInfo,
    /// 1-based row of the header.
    pub header_row: usize,
    /// The mapping used (suggested, or the user's).
    #[schema(value_type = Object)]
    pub mapping: Mapping,
    /// When not empty, no row was validated: fix the mapping first.
    pub mapping_errors: Vec<MappingProblem>,
    /// Non-blank data rows.
    pub rows_read: usize,
    /// Customers and contacts the file holds (created when `committed`).
    pub customers: usize,
    pub contacts: usize,
    /// Row errors in row order, at most [`MAX_REPORTED_ERRORS`].
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<RowError>,
    pub errors_total: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
    /// Whether anything was written (only when asked and everything was right).
    pub committed: bool,
    pub millis: u64,
}

impl ImportReport {
    /// Nothing is wrong: a commit would (or did) write everything.
    pub fn is_clean(&self) -> bool {
        self.mapping_errors.is_empty() && self.errors_total == 0
    }
}

/// Imports one file for `actor`: validates, checks against the database and, when
/// `opts.commit` and nothing is wrong, writes everything in one transaction.
///
/// A file that cannot be read at all (not a spreadsheet, unknown encoding, too large) is an
/// [`AppError::Invalid`] on the field `file`; a bad mapping, and row errors, are in the report.
pub async fn run(
    app: &App,
    actor: &Actor,
    bytes: Vec<u8>,
    opts: ImportOptions,
    progress: &Arc<ImportProgress>,
) -> AppResult<ImportReport> {
    actor.require_archive_editor()?;
    let started = Instant::now();
    let import_id = new_id();
    progress.enter(Stage::Reading, 0);
    let p = progress.clone();
    let read_opts = opts.read.clone();
    let file_name = opts.file_name.clone();
    let mapping_input = opts.mapping.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        parse(&bytes, &file_name, &read_opts, mapping_input.as_ref(), &p)
    })
    .await
    .map_err(|e| AppError::Internal(format!("import worker: {e}")))??;

    let mut report = ImportReport {
        import_id: import_id.clone(),
        file_name: opts.file_name.clone(),
        source: parsed.source,
        header_row: parsed.header_row,
        mapping: parsed.mapping.clone(),
        mapping_errors: parsed.mapping_errors,
        rows_read: parsed.rows,
        customers: 0,
        contacts: 0,
        errors: Vec::new(),
        errors_total: 0,
        error_rows: 0,
        committed: false,
        millis: 0,
    };
    let Some(plan) = parsed.plan else {
        report.millis = millis(started);
        return Ok(report);
    };
    report.customers = plan.customers.len();
    report.contacts = plan.contact_count();
    let mut errors = plan.errors.clone();

    progress.enter(Stage::Checking, plan.customers.len());
    if !opts.commit || !plan.is_clean() {
        let mut conn = app.conn().await?;
        check(
            &mut conn,
            actor,
            &plan,
            &parsed.mapping,
            &mut errors,
            progress,
        )
        .await?;
    } else {
        let mut tx = app.db.begin_write().await?;
        let owners = check(
            &mut tx,
            actor,
            &plan,
            &parsed.mapping,
            &mut errors,
            progress,
        )
        .await?;
        if errors.is_empty() {
            progress.enter(Stage::Committing, plan.customers.len());
            let w = Write {
                actor_id: actor.user_id.clone(),
                actor_name: actor.display_name.clone(),
                import_id: import_id.clone(),
                file_name: opts.file_name.clone(),
                fail_after: opts.fail_after_customers,
                now_ms: app.clock.now_ms(),
            };
            w.write(&mut tx, Arc::new(plan), owners, progress).await?;
            app.commit(tx).await?;
            report.committed = true;
        }
        // With errors the transaction is dropped: rolled back, nothing written.
    }
    finish_errors(&mut report, errors);
    report.millis = millis(started);
    Ok(report)
}

fn millis(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn finish_errors(report: &mut ImportReport, mut errors: Vec<RowError>) {
    // Stable: errors of one row keep the order they were found in (fields left to right).
    errors.sort_by_key(|e| e.row);
    report.errors_total = errors.len();
    let mut rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
    rows.dedup();
    report.error_rows = rows.len();
    errors.truncate(MAX_REPORTED_ERRORS);
    report.errors = errors;
}

struct Parsed {
    source: SourceInfo,
    header_row: usize,
    mapping: Mapping,
    mapping_errors: Vec<MappingProblem>,
    rows: usize,
    plan: Option<ImportPlan>,
}

/// Reads and validates (CPU only, run on a blocking thread).
fn parse(
    bytes: &[u8],
    file_name: &str,
    read: &ReadOptions,
    mapping: Option<&MappingInput>,
    progress: &ImportProgress,
) -> AppResult<Parsed> {
    let (table, source) = read_table_with_info(bytes, file_name, read).map_err(|e| {
        AppError::Invalid(vec![field_error(
            "file",
            e.code(),
            e.message_zh(),
            e.message_en(),
        )])
    })?;
    let mapping = match mapping {
        None => suggest_mapping(&table.headers),
        Some(m) => resolve_mapping(m, &table.headers)?,
    };
    let mapping_errors: Vec<MappingProblem> = match validate_mapping(&mapping) {
        Ok(()) => Vec::new(),
        Err(errs) => errs
            .iter()
            .map(|e| MappingProblem {
                code: e.code().to_string(),
                message_zh: e.message_zh(),
                message_en: e.message_en(),
            })
            .collect(),
    };
    let rows = table.rows.len();
    let plan = if mapping_errors.is_empty() {
        progress.enter(Stage::Validating, rows);
        Some(super::validate::validate_rows_with_progress(
            &table,
            &mapping,
            &|done, _| progress.set_done(done),
        ))
    } else {
        None
    };
    Ok(Parsed {
        source,
        header_row: table.header_row,
        mapping,
        mapping_errors,
        rows,
        plan,
    })
}

fn mapping_error(zh: String, en: String) -> AppError {
    AppError::Invalid(vec![field_error("mapping", "invalid_mapping", zh, en)])
}

/// The mapping the user asked for, checked against the file's columns.
fn resolve_mapping(input: &MappingInput, headers: &[String]) -> AppResult<Mapping> {
    match input {
        MappingInput::Full(m) => {
            if let Some(c) = m.columns.iter().find(|c| c.index >= headers.len()) {
                return Err(mapping_error(
                    format!(
                        "映射中的第 {} 列在文件中不存在（文件共 {} 列）",
                        c.index + 1,
                        headers.len()
                    ),
                    format!(
                        "The mapping names column {}, but the file has {} columns",
                        c.index + 1,
                        headers.len()
                    ),
                ));
            }
            Ok(m.clone())
        }
        MappingInput::Overrides(overrides) => {
            let mut mapping = suggest_mapping(headers);
            for (column, field) in overrides {
                let index = find_column(column, headers).ok_or_else(|| {
                    mapping_error(
                        format!("文件中没有「{column}」这一列"),
                        format!("The file has no column \"{column}\""),
                    )
                })?;
                let field = match field.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(f) => Some(find_field(f).ok_or_else(|| {
                        mapping_error(
                            format!("「{f}」不是可导入的字段（列「{column}」）"),
                            format!(
                                "\"{f}\" is not a field that can be imported (column \"{column}\")"
                            ),
                        )
                    })?),
                };
                mapping.set(index, field);
            }
            Ok(mapping)
        }
    }
}

/// A column named by its header text or its 1-based number.
fn find_column(column: &str, headers: &[String]) -> Option<usize> {
    let wanted = normalize_header(column);
    headers
        .iter()
        .position(|h| h == column)
        .or_else(|| headers.iter().position(|h| normalize_header(h) == wanted))
        .or_else(|| {
            column
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=headers.len()).contains(n))
                .map(|n| n - 1)
        })
}

/// A field by key ("contact_phone") or label in either language ("联系人电话", "Contact phone").
fn find_field(s: &str) -> Option<Field> {
    Field::from_key(s).or_else(|| {
        let k = normalize_header(s);
        Field::ALL
            .iter()
            .copied()
            .find(|f| normalize_header(f.label_zh()) == k || normalize_header(f.label_en()) == k)
    })
}

/// A row error in the same shape and wording as validation's.
fn row_error(
    mapping: &Mapping,
    row: usize,
    field: Field,
    code: &str,
    value: &str,
    zh: &str,
    en: &str,
) -> RowError {
    RowError {
        row,
        column: mapping.column_of(field).map(|c| c.header.clone()),
        field: field.key().to_string(),
        code: code.to_string(),
        message_zh: format!("第 {row} 行「{}」: {zh}", field.label_zh()),
        message_en: format!("Row {row}, {}: {en}", field.label_en()),
        value: excerpt(value, ERROR_VALUE_CHARS),
    }
}

/// Who will own a customer.
#[derive(Debug, Clone)]
struct Owner {
    id: Option<String>,
    department_id: Option<String>,
}

/// The checks that need the database or mirror the limits of the customer and contact forms:
/// owners, field lengths, and duplicates of existing customers. Adds row errors; returns the
/// owner of every customer of the plan.
async fn check(
    conn: &mut Conn,
    actor: &Actor,
    plan: &ImportPlan,
    mapping: &Mapping,
    errors: &mut Vec<RowError>,
    progress: &ImportProgress,
) -> AppResult<Vec<Owner>> {
    let users = huike_store::users::list_all(conn).await?;
    let me = users.iter().find(|u| u.id == actor.user_id);
    let default_owner = Owner {
        id: Some(actor.user_id.clone()),
        department_id: me
            .map(|u| u.department_id.clone())
            .unwrap_or_else(|| actor.department_id.clone()),
    };
    let mut owners = Vec::with_capacity(plan.customers.len());
    for (i, chunk) in plan.customers.chunks(BATCH).enumerate() {
        for c in chunk {
            let row = c.source_rows.first().copied().unwrap_or(0);
            owners.push(match &c.owner {
                None => default_owner.clone(),
                Some(name) => match resolve_owner(actor, &users, name) {
                    Ok(o) => o,
                    Err((code, zh, en)) => {
                        errors.push(row_error(mapping, row, Field::Owner, code, name, &zh, &en));
                        default_owner.clone()
                    }
                },
            });
        }
        check_existing(conn, chunk, mapping, errors).await?;
        progress.set_done((i * BATCH + chunk.len()).min(plan.customers.len()));
    }
    Ok(owners)
}

type Refusal = (&'static str, String, String);

fn resolve_owner(actor: &Actor, users: &[User], name: &str) -> Result<Owner, Refusal> {
    let active = || users.iter().filter(|u| u.active == 1);
    let by_username = active().find(|u| u.username.eq_ignore_ascii_case(name.trim()));
    let user = match by_username {
        Some(u) => u,
        None => {
            let by_name: Vec<&User> = active().filter(|u| u.display_name == name.trim()).collect();
            match by_name.as_slice() {
                [u] => *u,
                [] => {
                    return Err((
                        "unknown_user",
                        format!("「{name}」不是在职用户的用户名或姓名"),
                        format!("\"{name}\" is not the username or name of an active user"),
                    ));
                }
                _ => {
                    return Err((
                        "ambiguous_user",
                        format!("有多个用户叫「{name}」，请改用用户名"),
                        format!("Several users are called \"{name}\"; use the username instead"),
                    ));
                }
            }
        }
    };
    match actor.role {
        Role::Sales if user.id != actor.user_id => Err((
            "not_allowed",
            format!("销售只能把客户归到自己名下，不能指定「{name}」；请让主管分配"),
            format!(
                "Sales reps can only own customers themselves, not assign them to \"{name}\"; ask a manager"
            ),
        )),
        Role::Manager if user.department_id != actor.department_id => Err((
            "other_department",
            format!("「{name}」不在您的部门，主管只能把客户分配给本部门的人"),
            format!(
                "\"{name}\" is not in your department; managers assign customers only within it"
            ),
        )),
        _ => Ok(Owner {
            id: Some(user.id.clone()),
            department_id: user.department_id.clone(),
        }),
    }
}

/// `customer_exists` for every customer of `chunk` whose name an existing customer has.
/// Candidates come from the search index (whose full-name key is the folded name) and from
/// exact name matches; the folded names are then compared here.
async fn check_existing(
    conn: &mut Conn,
    chunk: &[ImportCustomer],
    mapping: &Mapping,
    errors: &mut Vec<RowError>,
) -> AppResult<()> {
    if chunk.is_empty() {
        return Ok(());
    }
    let keys: Vec<String> = chunk.iter().map(|c| fold_key(&c.name)).collect();
    let names: Vec<&str> = chunk.iter().map(|c| c.name.as_str()).collect();
    let found = huike_store::customers::names_like(conn, &keys, &names).await?;
    let existing: HashSet<String> = found.iter().map(|n| fold_key(n)).collect();
    for (c, key) in chunk.iter().zip(&keys) {
        if existing.contains(key) {
            let row = c.source_rows.first().copied().unwrap_or(0);
            let name = excerpt(&c.name, ERROR_VALUE_CHARS);
            errors.push(row_error(
                mapping,
                row,
                Field::Name,
                "customer_exists",
                &c.name,
                &format!("系统中已有名为「{name}」的客户（名称相同即视为同一客户），导入不会重复创建或覆盖它"),
                &format!(
                    "a customer named \"{name}\" already exists (the same name is the same customer); an import neither duplicates nor overwrites it"
                ),
            ));
        }
    }
    Ok(())
}

/// Rows of one batch of customers, ready to bind.
#[derive(Default)]
struct Prepared {
    customers: Vec<CustomerRow>,
    contacts: Vec<ContactRow>,
    terms: Vec<SearchTermRow>,
    audit: Vec<AuditEntry>,
}

/// Batches prepared ahead of the writer: enough to keep it busy, bounded in memory.
const PREPARED_AHEAD: usize = 4;

struct Write {
    actor_id: String,
    actor_name: String,
    import_id: String,
    file_name: String,
    fail_after: Option<usize>,
    /// The time every written record and audit entry carries.
    now_ms: i64,
}

impl Write {
    fn audit_row(&self, entity: &str, id: &str, at: i64, after: String) -> AuditEntry {
        AuditEntry {
            id: new_id(),
            entity: entity.to_string(),
            entity_id: id.to_string(),
            action: "import".to_string(),
            actor_id: Some(self.actor_id.clone()),
            actor_name: self.actor_name.clone(),
            at,
            before_json: None,
            after_json: Some(after),
        }
    }

    /// The rows of one batch: records, their search keys (the CPU-heavy part) and audit
    /// entries.
    fn prepare(&self, batch: &[ImportCustomer], owners: &[Owner], now: i64) -> Prepared {
        let mut p = Prepared::default();
        for (c, owner) in batch.iter().zip(owners) {
            let id = new_id();
            let record = customer_record(c, owner, &id, now);
            let keys = customer_terms(&CustomerKeysInput {
                name: &record.name,
                phone: &record.phone,
                email: &record.email,
                wechat: &record.wechat,
                qq: &record.qq,
            });
            let (owner_id, department_id) = (record.owner_id.clone(), record.department_id.clone());
            p.terms.extend(keys.into_iter().map(|term| SearchTermRow {
                term,
                entity: "customer".to_string(),
                entity_id: id.clone(),
                owner_id: owner_id.clone(),
                department_id: department_id.clone(),
            }));
            let after = serde_json::to_string(&record).unwrap_or_default();
            p.audit.push(self.audit_row("customer", &id, now, after));
            p.customers.push(customer_row(record));
            for k in &c.contacts {
                let kid = new_id();
                let (calendar, year, month, day, leap) = birthday_columns(k.birthday);
                p.contacts.push(ContactRow {
                    id: kid.clone(),
                    customer_id: id.clone(),
                    name: k.name.clone(),
                    title: k.title.clone().unwrap_or_default(),
                    phone: k.phone.clone().unwrap_or_default(),
                    email: k.email.clone().unwrap_or_default(),
                    wechat: String::new(),
                    qq: String::new(),
                    personality: k.personality.map(|x| x.code().to_string()),
                    low_key: 0,
                    buying_role: k.role.map(|r| r.code().to_string()),
                    personal_interest: 0,
                    org_interest: 0,
                    birthday_calendar: calendar.map(str::to_string),
                    birthday_year: year,
                    birthday_month: month,
                    birthday_day: day,
                    birthday_leap: leap,
                    family_events: "[]".to_string(),
                    hobbies: String::new(),
                    preferred_channel: None,
                    notes: String::new(),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                    owner_id: owner_id.clone(),
                    department_id: department_id.clone(),
                });
                let keys = contact_terms(&ContactKeysInput {
                    name: &k.name,
                    phone: k.phone.as_deref().unwrap_or(""),
                    email: k.email.as_deref().unwrap_or(""),
                    wechat: "",
                });
                p.terms.extend(keys.into_iter().map(|term| SearchTermRow {
                    term,
                    entity: "contact".to_string(),
                    entity_id: kid.clone(),
                    owner_id: owner_id.clone(),
                    department_id: department_id.clone(),
                }));
                let after = serde_json::json!({
                    "customer_id": id,
                    "name": k.name,
                    "title": k.title,
                    "phone": k.phone,
                    "email": k.email,
                    "personality": k.personality.map(|x| x.code()),
                    "buying_role": k.role.map(|r| r.code()),
                    "birthday": k.birthday,
                });
                p.audit
                    .push(self.audit_row("contact", &kid, now, after.to_string()));
            }
        }
        p
    }

    /// Writes the plan inside the caller's transaction. A blocking thread prepares batches
    /// (search keys are CPU work) while this task sends the previous ones, so the write lock
    /// is held for about the longer of the two rather than their sum. In every batch the
    /// customers are sent before their contacts, so foreign keys hold at each statement.
    async fn write(
        self,
        tx: &mut Conn,
        plan: Arc<ImportPlan>,
        owners: Vec<Owner>,
        progress: &ImportProgress,
    ) -> AppResult<()> {
        let now = self.now_ms;
        let this = Arc::new(self);
        let (send, mut receive) = tokio::sync::mpsc::channel::<Prepared>(PREPARED_AHEAD);
        let producer = {
            let this = this.clone();
            let plan = plan.clone();
            tokio::task::spawn_blocking(move || {
                for (batch, owners) in plan.customers.chunks(BATCH).zip(owners.chunks(BATCH)) {
                    let prepared = this.prepare(batch, owners, now);
                    if send.blocking_send(prepared).is_err() {
                        // The writer stopped (an error): nothing more to do.
                        return;
                    }
                }
            })
        };
        let mut written = 0;
        while let Some(p) = receive.recv().await {
            written += p.customers.len();
            // Customers before their contacts, so foreign keys hold at each statement.
            bulk::insert_rows(tx, &p.customers).await?;
            bulk::insert_rows(tx, &p.contacts).await?;
            bulk::insert_rows(tx, &p.terms).await?;
            bulk::insert_rows(tx, &p.audit).await?;
            progress.set_done(written);
            if this.fail_after.is_some_and(|n| written >= n) {
                return Err(AppError::Internal(format!(
                    "injected failure after {written} customers"
                )));
            }
        }
        producer
            .await
            .map_err(|e| AppError::Internal(format!("import worker: {e}")))?;
        if written != plan.customers.len() {
            return Err(AppError::Internal(format!(
                "import worker stopped after {written} of {} customers",
                plan.customers.len()
            )));
        }
        let summary = serde_json::json!({
            "file_name": this.file_name,
            "customers": plan.customers.len(),
            "contacts": plan.contact_count(),
            "rows": plan.rows_read,
        });
        let entry = this.audit_row("import", &this.import_id, now, summary.to_string());
        bulk::insert_rows(tx, &[entry]).await?;
        Ok(())
    }
}

fn customer_record(c: &ImportCustomer, owner: &Owner, id: &str, now: i64) -> Customer {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    Customer {
        id: id.to_string(),
        kind: c.kind.code().to_string(),
        name: c.name.clone(),
        customer_class: c.class.map(|x| x.code().to_string()),
        tags: normalize_tags(&c.tags.join(",")),
        province: c.province.clone().unwrap_or_default(),
        city: c.city.clone().unwrap_or_default(),
        district: c.district.clone().unwrap_or_default(),
        address: c.address.clone().unwrap_or_default(),
        phone: c.phone.clone().unwrap_or_default(),
        email: c.email.clone().unwrap_or_default(),
        wechat: c.wechat.clone().unwrap_or_default(),
        qq: c.qq.clone().unwrap_or_default(),
        owner_id: owner.id.clone(),
        department_id: owner.department_id.clone(),
        founded_on: date(c.founded_on),
        first_trade_on: date(c.first_trade_on),
        archive: "{}".into(),
        basic_confirmed_at: None,
        characteristics_confirmed_at: None,
        business_confirmed_at: None,
        trading_confirmed_at: None,
        research_confirmed_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn customer_row(c: Customer) -> CustomerRow {
    CustomerRow {
        id: c.id,
        kind: c.kind,
        name: c.name,
        customer_class: c.customer_class,
        tags: c.tags,
        province: c.province,
        city: c.city,
        district: c.district,
        address: c.address,
        phone: c.phone,
        email: c.email,
        wechat: c.wechat,
        qq: c.qq,
        owner_id: c.owner_id,
        department_id: c.department_id,
        founded_on: c.founded_on,
        first_trade_on: c.first_trade_on,
        archive: c.archive,
        basic_confirmed_at: c.basic_confirmed_at,
        characteristics_confirmed_at: c.characteristics_confirmed_at,
        business_confirmed_at: c.business_confirmed_at,
        trading_confirmed_at: c.trading_confirmed_at,
        research_confirmed_at: c.research_confirmed_at,
        version: c.version,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

type BirthdayColumns = (
    Option<&'static str>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
);

fn birthday_columns(b: Option<Birthday>) -> BirthdayColumns {
    match b {
        None => (None, None, None, None, 0),
        Some(Birthday::Solar { year, month, day }) => (
            Some("solar"),
            year.map(i64::from),
            Some(i64::from(month)),
            Some(i64::from(day)),
            0,
        ),
        Some(Birthday::Lunar {
            year,
            month,
            day,
            leap,
        }) => (
            Some("lunar"),
            year.map(i64::from),
            Some(i64::from(month)),
            Some(i64::from(day)),
            i64::from(leap),
        ),
    }
}
