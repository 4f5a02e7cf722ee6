//! Words not to use (服务禁用语): the list admins keep (seeded with the method's own on first
//! use), the checker built from it, and finding the words in outgoing text with why they push
//! customers away and what to say instead.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use huike_domain::Lang;
use huike_domain::forbidden::{PhraseChecker, PhraseEntry, seed_phrases};
use huike_store::phrases::{self, PhraseRow};
use huike_store::{new_id, settings};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::validate::{Checker, Field, field};
use crate::{Actor, App};

pub const PHRASE: Field = field("phrase", "禁用语", "Phrase").max(100).required();
pub const LANG: Field = field("lang", "语言", "Language");
pub const REASON_ZH: Field = field("reason_zh", "原因（中文）", "Reason (Chinese)")
    .max(500)
    .required();
pub const REASON_EN: Field = field("reason_en", "原因（英文）", "Reason (English)")
    .max(500)
    .required();
pub const BETTER_ZH: Field = field("better_zh", "建议说法（中文）", "Say instead (Chinese)")
    .max(500)
    .required();
pub const BETTER_EN: Field = field("better_en", "建议说法（英文）", "Say instead (English)")
    .max(500)
    .required();
/// The texts a phrase check reads, by name.
pub const TEXTS: Field = field("texts", "文本", "Texts");
pub const INNOCENT: Field = field("innocent", "无害的说法", "Innocent wordings").max(2000);

const SEEDED: &str = "forbidden_phrases_seeded";
/// How long an instance keeps the list before reading it again (edits on this instance are
/// seen at once; other instances see them within this time).
const CACHE_FOR: Duration = Duration::from_secs(30);

/// The checker built from the stored list, shared by requests.
#[derive(Default)]
pub struct PhraseCache {
    inner: RwLock<Option<(Instant, Arc<PhraseChecker>)>>,
}

impl PhraseCache {
    fn fresh(&self) -> Option<Arc<PhraseChecker>> {
        let guard = self.inner.read().ok()?;
        guard
            .as_ref()
            .filter(|(at, _)| at.elapsed() < CACHE_FOR)
            .map(|(_, c)| c.clone())
    }

    fn put(&self, c: Arc<PhraseChecker>) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some((Instant::now(), c));
        }
    }

    fn forget(&self) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = None;
        }
    }
}

fn entry(r: &PhraseRow) -> PhraseEntry {
    PhraseEntry {
        phrase: r.phrase.clone(),
        lang: Lang::from_code(&r.lang).unwrap_or_default(),
        reason_zh: r.reason_zh.clone(),
        reason_en: r.reason_en.clone(),
        better_zh: r.better_zh.clone(),
        better_en: r.better_en.clone(),
        innocent: r
            .innocent
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// Writes the method's list in once, the first time the list is read.
async fn ensure_seeded(app: &App) -> AppResult<()> {
    {
        let mut conn = app.conn().await?;
        if settings::get(&mut conn, SEEDED).await?.is_some() {
            return Ok(());
        }
    }
    let mut tx = app.db.begin_write().await?;
    // Checked again inside the write: two instances starting at once seed once.
    if settings::get(&mut tx, SEEDED).await?.is_none() {
        let now = app.clock.now_ms();
        for (n, e) in seed_phrases().into_iter().enumerate() {
            phrases::upsert(
                &mut tx,
                &PhraseRow {
                    id: format!("seed-{n:03}"),
                    phrase: e.phrase,
                    lang: e.lang.code().to_string(),
                    reason_zh: e.reason_zh,
                    reason_en: e.reason_en,
                    better_zh: e.better_zh,
                    better_en: e.better_en,
                    innocent: e.innocent.join("\n"),
                    created_at: now + n as i64,
                    updated_at: now,
                },
            )
            .await?;
        }
        settings::set(&mut tx, SEEDED, "1").await?;
    }
    app.commit(tx).await?;
    Ok(())
}

/// The checker for the current list.
pub async fn checker(app: &App) -> AppResult<Arc<PhraseChecker>> {
    if let Some(c) = app.phrases.fresh() {
        return Ok(c);
    }
    ensure_seeded(app).await?;
    let rows = {
        let mut conn = app.conn().await?;
        phrases::list(&mut conn).await?
    };
    let c = Arc::new(PhraseChecker::new(rows.iter().map(entry).collect()));
    app.phrases.put(c.clone());
    Ok(c)
}

/// A word not to use found in a text: where, why, and what to say instead.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PhraseWarning {
    /// The field it was found in (subject, body, …).
    pub field: String,
    /// The words as written in the text.
    pub found: String,
    /// Character offsets of the words in the field's text.
    pub start: usize,
    pub end: usize,
    pub reason: String,
    pub better: String,
}

/// Words not to use in `text` (the field named `field`), explained in `lang`.
pub fn find(c: &PhraseChecker, field: &str, text: &str, lang: Lang) -> Vec<PhraseWarning> {
    c.check(text)
        .into_iter()
        .filter_map(|hit| {
            let entry = c.entry(&hit)?;
            let (start, end) = hit.char_range(text);
            Some(PhraseWarning {
                field: field.to_string(),
                found: text.get(hit.start..hit.end).unwrap_or_default().to_string(),
                start,
                end,
                reason: entry.reason(lang).to_string(),
                better: entry.better(lang).to_string(),
            })
        })
        .collect()
}

/// Words not to use in each (field, text), explained in `lang`.
pub async fn check(app: &App, texts: &[(&str, &str)], lang: Lang) -> AppResult<Vec<PhraseWarning>> {
    let c = checker(app).await?;
    Ok(texts
        .iter()
        .flat_map(|(f, t)| find(&c, f, t, lang))
        .collect())
}

/// A phrase as admins see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PhraseView {
    pub id: String,
    pub phrase: String,
    /// zh-CN | en
    pub lang: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub better_zh: String,
    pub better_en: String,
    /// Longer wordings that contain the phrase innocently.
    pub innocent: Vec<String>,
}

impl From<PhraseRow> for PhraseView {
    fn from(r: PhraseRow) -> Self {
        PhraseView {
            innocent: entry(&r).innocent,
            id: r.id,
            phrase: r.phrase,
            lang: r.lang,
            reason_zh: r.reason_zh,
            reason_en: r.reason_en,
            better_zh: r.better_zh,
            better_en: r.better_en,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PhraseInput {
    /// The words; `*`, `×` or `…` stand for a short gap of any text.
    pub phrase: String,
    /// zh-CN | en
    pub lang: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub better_zh: String,
    pub better_en: String,
    /// Longer wordings that contain the phrase innocently, one per line.
    pub innocent: String,
}

/// The list (anyone may read it: reps see why a word is flagged).
pub async fn list(app: &App) -> AppResult<Vec<PhraseView>> {
    ensure_seeded(app).await?;
    let mut conn = app.conn().await?;
    Ok(phrases::list(&mut conn)
        .await?
        .into_iter()
        .map(PhraseView::from)
        .collect())
}

fn checked(input: &PhraseInput) -> AppResult<PhraseRow> {
    let mut c = Checker::new();
    let phrase = c.check(PHRASE, &input.phrase);
    let lang = match input.lang.as_str() {
        "" => Some(Lang::ZhCn),
        l => c.code(LANG, l, Lang::from_code),
    };
    let row = PhraseRow {
        id: String::new(),
        phrase,
        lang: lang.unwrap_or_default().code().to_string(),
        reason_zh: c.check(REASON_ZH, &input.reason_zh),
        reason_en: c.check(REASON_EN, &input.reason_en),
        better_zh: c.check(BETTER_ZH, &input.better_zh),
        better_en: c.check(BETTER_EN, &input.better_en),
        innocent: c.check(INNOCENT, &input.innocent),
        created_at: 0,
        updated_at: 0,
    };
    c.finish()?;
    Ok(row)
}

/// Adds a phrase (admins).
pub async fn create(app: &App, actor: &Actor, input: &PhraseInput) -> AppResult<PhraseView> {
    actor.require_admin()?;
    ensure_seeded(app).await?;
    let mut row = checked(input)?;
    let now = app.clock.now_ms();
    row.id = new_id();
    row.created_at = now;
    row.updated_at = now;
    let mut tx = app.db.begin_write().await?;
    phrases::upsert(&mut tx, &row).await?;
    app.commit(tx).await?;
    app.phrases.forget();
    Ok(PhraseView::from(row))
}

/// Changes a phrase (admins).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &PhraseInput,
) -> AppResult<PhraseView> {
    actor.require_admin()?;
    let mut row = checked(input)?;
    let mut tx = app.db.begin_write().await?;
    let before = phrases::get(&mut tx, id).await?;
    row.id = before.id;
    row.created_at = before.created_at;
    row.updated_at = app.clock.now_ms();
    phrases::upsert(&mut tx, &row).await?;
    app.commit(tx).await?;
    app.phrases.forget();
    Ok(PhraseView::from(row))
}

/// Removes a phrase (admins).
pub async fn delete(app: &App, actor: &Actor, id: &str) -> AppResult<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin_write().await?;
    if !phrases::delete(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    app.commit(tx).await?;
    app.phrases.forget();
    Ok(())
}
