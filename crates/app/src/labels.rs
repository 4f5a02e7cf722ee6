//! Contact labels (联系标签): a printable sheet of labels for the products of an order, each
//! with the rep's card and a QR code; the code opens a public page with the rep's card and an
//! "I need help" form that becomes a task for that rep about that customer.

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{KeyInit, Mac};
use huike_domain::{Lang, TaskKind};
use huike_store::interactions::{self, Interaction};
use huike_store::scope::Scope;
use huike_store::{customers, labels, new_id, orders, settings, tasks, users};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::validate::{Checker, Field, TextKind, field};
use crate::{Actor, App};

/// One A4 sheet of self-adhesive labels: how many across and down, each label's size, and
/// where the first one starts, all in millimetres as the sheet's maker states them.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct LabelFormat {
    /// e.g. `3x7`.
    pub code: &'static str,
    pub columns: u32,
    pub rows: u32,
    pub width_mm: f32,
    pub height_mm: f32,
    pub top_mm: f32,
    pub left_mm: f32,
    /// From one label's left edge to the next one's.
    pub column_pitch_mm: f32,
    /// From one label's top edge to the next one's.
    pub row_pitch_mm: f32,
}

impl LabelFormat {
    pub fn per_sheet(&self) -> u32 {
        self.columns * self.rows
    }

    /// "21 per sheet, 63.5 × 38.1 mm".
    pub fn label(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!(
                "每张 {} 枚，{} × {} 毫米",
                self.per_sheet(),
                self.width_mm,
                self.height_mm
            ),
            Lang::En => format!(
                "{} per sheet, {} × {} mm",
                self.per_sheet(),
                self.width_mm,
                self.height_mm
            ),
        }
    }
}

/// The common A4 label sheets (210 × 297 mm); the first is the default.
pub const FORMATS: &[LabelFormat] = &[
    LabelFormat {
        code: "3x7",
        columns: 3,
        rows: 7,
        width_mm: 63.5,
        height_mm: 38.1,
        top_mm: 15.15,
        left_mm: 7.21,
        column_pitch_mm: 66.04,
        row_pitch_mm: 38.1,
    },
    LabelFormat {
        code: "3x8",
        columns: 3,
        rows: 8,
        width_mm: 70.0,
        height_mm: 37.0,
        top_mm: 0.5,
        left_mm: 0.0,
        column_pitch_mm: 70.0,
        row_pitch_mm: 37.0,
    },
    LabelFormat {
        code: "2x7",
        columns: 2,
        rows: 7,
        width_mm: 99.1,
        height_mm: 38.1,
        top_mm: 15.15,
        left_mm: 4.65,
        column_pitch_mm: 101.6,
        row_pitch_mm: 38.1,
    },
    LabelFormat {
        code: "2x5",
        columns: 2,
        rows: 5,
        width_mm: 99.1,
        height_mm: 57.0,
        top_mm: 6.0,
        left_mm: 4.65,
        column_pitch_mm: 101.6,
        row_pitch_mm: 57.0,
    },
];

/// Most labels already used that a sheet may name: one less than the largest sheet.
pub const MAX_SKIP: i64 = 23;

/// Most labels one print may hold (ten sheets of the smallest labels and then some).
pub const MAX_LABELS: u32 = 300;

pub const FORMAT: Field = field("format", "标签规格", "Label sheet");
pub const SKIP: Field = field("skip", "跳过已用的标签", "Labels already used");
pub const COUNT: Field = field("count", "标签数量", "Number of labels");
pub const COMPANY: Field = field("company", "公司名称", "Company name").max(100);
pub const MESSAGE: Field = field("message", "需要什么帮助", "How can we help")
    .max(2000)
    .required();
pub const NAME: Field = field("name", "您的称呼", "Your name").max(100);
pub const PHONE: Field = field("phone", "回电号码", "Number to call back")
    .max(40)
    .kind(TextKind::Phone);
pub const FORM_TOKEN: Field = field("form_token", "表单", "Form");

/// A form posted sooner than this after it was shown was not filled in by a person.
pub const FORM_MIN_SECS: i64 = 3;
/// A form older than this must be loaded again.
pub const FORM_MAX_SECS: i64 = 2 * 60 * 60;

/// The rep's card as the label and the public page show it: the rep and the company, never
/// the customer.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct RepCard {
    /// Empty when the order has no rep who is still active.
    pub name: String,
    pub phone: String,
    pub wechat: String,
    pub email: String,
    pub company: String,
}

/// What a label sheet prints.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LabelSheet {
    /// The public page's full address, which the QR code holds.
    pub url: String,
    pub order_id: String,
    pub order_number: String,
    pub card: RepCard,
    pub format: LabelFormat,
    /// Labels left blank at the start of the first sheet (already used).
    pub skip: u32,
    pub count: u32,
}

impl LabelSheet {
    /// The sheets to print: for each, the slots in order, `true` where a label is printed.
    pub fn sheets(&self) -> Vec<Vec<bool>> {
        let per = self.format.per_sheet();
        let total = self.skip + self.count;
        let pages = total.div_ceil(per).max(1);
        (0..pages)
            .map(|p| {
                (0..per)
                    .map(|i| {
                        let n = p * per + i;
                        n >= self.skip && n < total
                    })
                    .collect()
            })
            .collect()
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SheetQuery {
    /// 3x7 | 3x8 | 2x7 | 2x5 (default 3x7).
    pub format: Option<String>,
    /// Labels already used on the first sheet, 0 to 23 (on a smaller sheet, whole sheets
    /// are passed over).
    pub skip: Option<String>,
    /// Labels to print, 1 to 300 (default: the order's quantity).
    pub count: Option<String>,
}

/// The label sheet of an order the caller may see, making the order's public link the first
/// time; `origin` is the address customers reach the server at, before the link's path.
pub async fn sheet(
    app: &App,
    actor: &Actor,
    order_id: &str,
    q: &SheetQuery,
    origin: &str,
) -> AppResult<LabelSheet> {
    let mut c = Checker::new();
    let format = match q.format.as_deref().map(str::trim).unwrap_or("") {
        "" => Some(FORMATS[0]),
        code => {
            let found = FORMATS.iter().find(|f| f.code == code).copied();
            if found.is_none() {
                let codes: Vec<&str> = FORMATS.iter().map(|f| f.code).collect();
                c.fail(
                    FORMAT,
                    "unknown",
                    format!("「标签规格」须为 {} 之一。", codes.join("、")),
                    format!("Label sheet must be one of {}.", codes.join(", ")),
                );
            }
            found
        }
    };
    let skip = q
        .skip
        .as_deref()
        .and_then(|v| c.whole(SKIP, v, 0, MAX_SKIP));
    let count = q
        .count
        .as_deref()
        .and_then(|v| c.whole(COUNT, v, 1, i64::from(MAX_LABELS)));
    c.finish()?;
    let format = format.ok_or_else(|| AppError::Internal("checked format missing".into()))?;

    let mut tx = app.db.begin_write().await?;
    let order = orders::get(&mut tx, &actor.scope(), order_id).await?;
    let count = match count {
        Some(n) => n,
        None => {
            let quantity: i64 = orders::lines(&mut tx, order_id)
                .await?
                .iter()
                .map(|l| l.quantity)
                .sum();
            quantity.clamp(1, i64::from(MAX_LABELS))
        }
    };
    let token = labels::link_for_order(
        &mut tx,
        &order.id,
        &order.customer_id,
        &fresh_token(),
        app.clock.now_ms(),
    )
    .await?;
    let (card, _) = card_of(&mut tx, &order).await?;
    app.commit(tx).await?;
    Ok(LabelSheet {
        url: format!("{origin}/l/{token}"),
        order_id: order.id,
        order_number: order.number,
        card,
        format,
        // Whole sheets already used are passed over.
        skip: u32::try_from(skip.unwrap_or(0)).unwrap_or(0) % format.per_sheet(),
        count: u32::try_from(count).unwrap_or(1),
    })
}

fn fresh_token() -> String {
    use rand::Rng;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The rep a label names: the order's salesperson while active, else the customer's owner.
async fn rep_of(
    conn: &mut huike_store::Conn,
    order: &orders::Order,
) -> AppResult<Option<users::User>> {
    let owner = customers::get(conn, &Scope::All, &order.customer_id)
        .await?
        .owner_id;
    for id in [order.salesperson_id.as_ref(), owner.as_ref()]
        .into_iter()
        .flatten()
    {
        let u = users::get(conn, id).await?;
        if u.active == 1 {
            return Ok(Some(u));
        }
    }
    Ok(None)
}

async fn card_of(
    conn: &mut huike_store::Conn,
    order: &orders::Order,
) -> AppResult<(RepCard, Option<users::User>)> {
    let rep = rep_of(conn, order).await?;
    let company = company(conn).await?;
    let card = match &rep {
        Some(u) => RepCard {
            name: u.display_name.clone(),
            phone: u.phone.clone(),
            wechat: u.wechat.clone(),
            email: u.email.clone(),
            company,
        },
        None => RepCard {
            company,
            ..RepCard::default()
        },
    };
    Ok((card, rep))
}

const COMPANY_KEY: &str = "label_company";

async fn company(conn: &mut huike_store::Conn) -> AppResult<String> {
    Ok(settings::get(conn, COMPANY_KEY).await?.unwrap_or_default())
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LabelSettings {
    /// The company name printed on labels and rep cards.
    pub company: String,
}

pub async fn label_settings(app: &App) -> AppResult<LabelSettings> {
    let mut conn = app.conn().await?;
    Ok(LabelSettings {
        company: company(&mut conn).await?,
    })
}

/// Sets the company name on labels (admins).
pub async fn set_label_settings(
    app: &App,
    actor: &Actor,
    input: &LabelSettings,
) -> AppResult<LabelSettings> {
    actor.require_admin()?;
    let mut c = Checker::new();
    let name = c.check(COMPANY, &input.company);
    c.finish()?;
    let mut tx = app.db.begin_write().await?;
    let before = company(&mut tx).await?;
    settings::set(&mut tx, COMPANY_KEY, &name).await?;
    crate::audit::record(
        app,
        &mut tx,
        actor,
        "setting",
        COMPANY_KEY,
        "update",
        Some(&before),
        Some(&name),
    )
    .await?;
    app.commit(tx).await?;
    Ok(LabelSettings { company: name })
}

/// The rep's card a label's token opens. An unknown token is not found, the same as any
/// other page that does not exist.
pub async fn public_card(app: &App, token: &str) -> AppResult<RepCard> {
    let mut conn = app.conn().await?;
    let link = labels::by_token(&mut conn, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let order = orders::get(&mut conn, &Scope::All, &link.order_id).await?;
    Ok(card_of(&mut conn, &order).await?.0)
}

/// The public page: the rep's card and a fresh form token for its help form.
pub async fn public_page(app: &App, token: &str) -> AppResult<(RepCard, String)> {
    let card = public_card(app, token).await?;
    let mut conn = app.conn().await?;
    let form_token = form_token(&mut conn, token, app.clock.now_ms()).await?;
    Ok((card, form_token))
}

async fn secret(conn: &mut huike_store::Conn) -> AppResult<String> {
    Ok(labels::form_secret(conn, &fresh_token()).await?)
}

fn mac(secret: &str, token: &str, issued_ms: i64) -> AppResult<hmac::Hmac<sha2::Sha256>> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    mac.update(format!("{token}.{issued_ms}").as_bytes());
    Ok(mac)
}

fn signature(secret: &str, token: &str, issued_ms: i64) -> AppResult<String> {
    Ok(hex::encode(
        mac(secret, token, issued_ms)?.finalize().into_bytes(),
    ))
}

/// `<issued ms>.<signature>`: the form remembers when it was shown, and nobody can forge an
/// earlier time.
async fn form_token(
    conn: &mut huike_store::Conn,
    token: &str,
    issued_ms: i64,
) -> AppResult<String> {
    let secret = secret(conn).await?;
    Ok(format!(
        "{issued_ms}.{}",
        signature(&secret, token, issued_ms)?
    ))
}

/// The vCard (3.0) of the rep's card, for saving to a phone's contacts.
pub fn vcard(card: &RepCard) -> String {
    fn esc(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for ch in s.chars() {
            match ch {
                '\\' => out.push_str("\\\\"),
                ',' => out.push_str("\\,"),
                ';' => out.push_str("\\;"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c => out.push(c),
            }
        }
        out
    }
    let name = if card.name.is_empty() {
        &card.company
    } else {
        &card.name
    };
    let mut v = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    v.push_str(&format!("FN:{}\r\nN:{};;;;\r\n", esc(name), esc(name)));
    if !card.company.is_empty() {
        v.push_str(&format!("ORG:{}\r\n", esc(&card.company)));
    }
    if !card.phone.is_empty() {
        v.push_str(&format!("TEL;TYPE=WORK,VOICE:{}\r\n", esc(&card.phone)));
    }
    if !card.email.is_empty() {
        v.push_str(&format!("EMAIL;TYPE=INTERNET:{}\r\n", esc(&card.email)));
    }
    if !card.wechat.is_empty() {
        v.push_str(&format!("NOTE:WeChat {}\r\n", esc(&card.wechat)));
    }
    v.push_str("END:VCARD\r\n");
    v
}

/// The help form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HelpInput {
    pub message: String,
    pub name: String,
    pub phone: String,
    pub form_token: String,
    /// A field people never see: whatever fills it is a robot.
    pub website: String,
}

/// Limits help requests per client address in memory, per instance (as the login limit).
pub struct HelpLimiter {
    inner: DefaultKeyedRateLimiter<String>,
}

impl HelpLimiter {
    pub fn new(per_hour: u32) -> HelpLimiter {
        let n = NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN);
        HelpLimiter {
            inner: RateLimiter::keyed(Quota::per_hour(n)),
        }
    }

    fn check(&self, client: &str) -> bool {
        self.inner.check_key(&client.to_string()).is_ok()
    }
}

/// A customer's "I need help" from a label's page: a task due today for the rep on the card
/// (the customer's words as its talking points) and an entry on the customer's timeline.
/// Refused beyond the rate limit, when the form was not filled in by a person (the hidden
/// field filled, posted too fast, or a token not ours), or when it is stale.
pub async fn ask_help(app: &App, token: &str, client: &str, input: &HelpInput) -> AppResult<()> {
    if !app.help_limiter.check(client) {
        return Err(AppError::RateLimited);
    }
    let mut conn = app.conn().await?;
    let link = labels::by_token(&mut conn, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = app.clock.now_ms();
    let mut c = Checker::new();
    let message = c.check(MESSAGE, &input.message);
    let name = c.check(NAME, &input.name);
    let phone = c.check(PHONE, &input.phone);
    let secret = secret(&mut conn).await?;
    drop(conn);
    let checked = check_form_token(&secret, token, &input.form_token, now);
    if !input.website.trim().is_empty() || checked.is_err() {
        let stale = checked == Err(Stale::Expired);
        let (zh, en) = if stale {
            (
                "表单已过期，请刷新页面后重新填写。",
                "The form has expired: reload the page and fill it in again.",
            )
        } else {
            (
                "无法确认表单是由本人填写的，请刷新页面后重新填写。",
                "We could not confirm the form was filled in by a person: reload the page and \
                 fill it in again.",
            )
        };
        c.fail(
            FORM_TOKEN,
            if stale { "expired" } else { "refused" },
            zh.into(),
            en.into(),
        );
    }
    c.finish()?;

    let mut tx = app.db.begin_write().await?;
    let order = orders::get(&mut tx, &Scope::All, &link.order_id).await?;
    let rep = rep_of(&mut tx, &order).await?;
    let mut doubts = message.clone();
    if !name.is_empty() || !phone.is_empty() {
        doubts.push_str(&format!("\n— {name} {phone}"));
    }
    let mut task = crate::tasks::open_task(
        TaskKind::Help,
        format!("help:{}", new_id()),
        &link.customer_id,
        rep.as_ref().map(|u| u.id.clone()),
        rep.as_ref().and_then(|u| u.department_id.clone()),
        app.clock.today().format("%Y-%m-%d").to_string(),
        now,
    );
    task.order_id = Some(order.id.clone());
    task.doubts = doubts.trim().to_string();
    tasks::insert_once(&mut tx, &task).await?;
    interactions::insert(
        &mut tx,
        &Interaction {
            id: new_id(),
            customer_id: link.customer_id.clone(),
            contact_id: None,
            channel: huike_domain::Channel::Note.code().to_string(),
            direction: huike_domain::Direction::Inbound.code().to_string(),
            user_id: None,
            occurred_at: now,
            summary: format!("客户通过联系标签求助：{}", task.doubts),
            created_at: now,
            task_id: Some(task.id.clone()),
            problem: 0,
            message_id: None,
        },
    )
    .await?;
    crate::outbox::publish(
        app,
        &mut tx,
        "help.requested",
        &task.id,
        serde_json::json!({
            "task_id": task.id,
            "customer_id": task.customer_id,
            "order_id": task.order_id,
            "owner_id": task.owner_id,
        }),
    )
    .await?;
    app.commit(tx).await?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
enum Stale {
    Forged,
    TooFast,
    Expired,
}

fn check_form_token(secret: &str, token: &str, form_token: &str, now: i64) -> Result<(), Stale> {
    let (issued, sig) = form_token.split_once('.').ok_or(Stale::Forged)?;
    let issued: i64 = issued.parse().map_err(|_| Stale::Forged)?;
    // The MAC's own comparison, which takes the same time wherever the bytes differ.
    let sig = hex::decode(sig).map_err(|_| Stale::Forged)?;
    mac(secret, token, issued)
        .map_err(|_| Stale::Forged)?
        .verify_slice(&sig)
        .map_err(|_| Stale::Forged)?;
    let age = now - issued;
    if age < FORM_MIN_SECS * 1000 {
        return Err(Stale::TooFast);
    }
    if age > FORM_MAX_SECS * 1000 {
        return Err(Stale::Expired);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_fit_on_a4() {
        for f in FORMATS {
            let right = f.left_mm + f.column_pitch_mm * (f.columns - 1) as f32 + f.width_mm;
            let bottom = f.top_mm + f.row_pitch_mm * (f.rows - 1) as f32 + f.height_mm;
            assert!(right <= 210.01, "{} is {right} mm wide", f.code);
            assert!(bottom <= 297.01, "{} is {bottom} mm tall", f.code);
        }
    }

    #[test]
    fn a_sheet_skips_the_used_labels_and_spills_onto_a_second_page() {
        let sheet = LabelSheet {
            url: String::new(),
            order_id: String::new(),
            order_number: String::new(),
            card: RepCard::default(),
            format: FORMATS[0],
            skip: 19,
            count: 5,
        };
        let pages = sheet.sheets();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].iter().filter(|b| **b).count(), 2);
        assert!(pages[0][19] && pages[0][20] && !pages[0][18]);
        assert_eq!(pages[1].iter().filter(|b| **b).count(), 3);
        assert!(pages[1][0] && pages[1][2] && !pages[1][3]);
    }

    #[test]
    fn a_form_token_holds_only_for_a_person_in_time() {
        let t = "abc";
        let issued = 1_000_000;
        let sig = signature("s", t, issued).unwrap();
        let token = format!("{issued}.{sig}");
        assert_eq!(
            check_form_token("s", t, &token, issued + 500),
            Err(Stale::TooFast)
        );
        assert_eq!(check_form_token("s", t, &token, issued + 60_000), Ok(()));
        assert_eq!(
            check_form_token("s", t, &token, issued + FORM_MAX_SECS * 1000 + 1),
            Err(Stale::Expired)
        );
        assert_eq!(
            check_form_token("s", "other", &token, issued + 60_000),
            Err(Stale::Forged)
        );
        let earlier = format!("{}.{sig}", issued - 60_000);
        assert_eq!(
            check_form_token("s", t, &earlier, issued + 1_000),
            Err(Stale::Forged)
        );
        assert_eq!(
            check_form_token("s", t, "garbage", issued),
            Err(Stale::Forged)
        );
    }

    #[test]
    fn a_vcard_escapes_what_it_must() {
        let v = vcard(&RepCard {
            name: "李明".into(),
            phone: "13812345678".into(),
            wechat: "liming_88".into(),
            email: "li@example.com".into(),
            company: "杭州回客, 有限公司".into(),
        });
        assert!(v.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n"));
        assert!(v.contains("FN:李明\r\n"));
        assert!(v.contains("ORG:杭州回客\\, 有限公司\r\n"));
        assert!(v.contains("TEL;TYPE=WORK,VOICE:13812345678\r\n"));
        assert!(v.ends_with("END:VCARD\r\n"));
    }
}
