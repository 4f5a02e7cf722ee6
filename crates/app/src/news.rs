//! New-product news: a new product announced to the past buyers of related categories, by a
//! templated message on each contact's own channel (opt-outs respected) or by call tasks for
//! the customers' owners. Each message sent is on the customer's timeline, and a customer
//! hears of a product once however often it is announced.

use std::collections::{HashMap, HashSet};

use huike_domain::{Lang, TaskKind};
use huike_store::interactions::Interaction;
use huike_store::news::{self, News, Recipient};
use huike_store::scope::Scope;
use huike_store::{Conn, new_id, products, tasks, users};
use serde::Deserialize;

use crate::error::{AppError, AppResult, field_error};
use crate::greeting_campaigns::{
    Reachable, Route, opt_outs_by_contact, opted_set, reason_text, route,
};
use crate::outbox::{Outgoing, Via};
use crate::templates::{
    Compiled, ContactFields, CustomerFields, NoteContext, OrderFields, RepFields,
};
use crate::validate::{Checker, Field, field};
use crate::{Actor, App, Role};

pub const CATEGORIES: Field = field("categories", "相关类别", "Related categories");
pub const BOUGHT_FROM: Field = field("bought_from", "购买日期自", "Bought since");
pub const ACTION: Field = field("action", "方式", "How");
pub const LANG: Field = field("lang", "语言", "Language");
/// Send a templated message, or give each customer's owner a call task.
pub const ACTIONS: &[&str] = &["message", "call"];
/// Customers read and written per transaction.
const BATCH: i64 = 2_000;
/// Recipients a preview lists.
const SAMPLE: usize = 20;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewsInput {
    /// Category ids whose past buyers hear of the product (their subcategories count too);
    /// at least one.
    pub categories: Vec<String>,
    /// YYYY-MM-DD: only customers who bought since this day (optional).
    pub bought_from: String,
    /// message (the default) | call
    pub action: String,
    /// The message's language: zh-CN (the default) | en.
    pub lang: String,
}

/// One customer as the news would reach them.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NewsRecipientView {
    pub customer_id: String,
    pub customer_name: String,
    pub contact_name: Option<String>,
    /// email | sms | a channel the rep uses by hand (a call task); none when it cannot go.
    pub channel: Option<String>,
    pub recipient: String,
    /// Why it cannot go, when it cannot.
    pub reason: String,
}

/// Who an announcement would reach, before it is made.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct NewsPreview {
    pub customers: i64,
    /// By message: e-mails and SMS; contacts whose channel is the rep's (a call task); and
    /// those it cannot reach (opted out, no address, no contact).
    pub email: i64,
    pub sms: i64,
    pub by_hand: i64,
    pub skipped: i64,
    /// The first customers, as they would be reached.
    pub sample: Vec<NewsRecipientView>,
}

/// An announcement made.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NewsView {
    pub id: String,
    pub product_id: String,
    pub categories: Vec<String>,
    pub bought_from: Option<String>,
    /// message | call
    pub action: String,
    /// Past buyers found.
    pub customers: i64,
    /// Messages queued (a customer already told of the product is not told again).
    pub sent: i64,
    /// Call tasks made.
    pub tasks: i64,
    /// Not reached: opted out, no address or contact, or already told.
    pub skipped: i64,
    /// Unix ms.
    pub created_at: i64,
}

impl NewsView {
    fn of(n: News) -> NewsView {
        NewsView {
            categories: serde_json::from_str(&n.categories).unwrap_or_default(),
            id: n.id,
            product_id: n.product_id,
            bought_from: n.bought_from,
            action: n.action,
            customers: n.customers,
            sent: n.sent,
            tasks: n.tasks,
            skipped: n.skipped,
            created_at: n.created_at,
        }
    }
}

impl Reachable for Recipient {
    fn preferred_channel(&self) -> Option<&str> {
        self.preferred_channel.as_deref()
    }
    fn email(&self) -> &str {
        self.email.as_deref().unwrap_or("")
    }
    fn phone(&self) -> &str {
        self.phone.as_deref().unwrap_or("")
    }
    fn address(&self) -> &str {
        &self.address
    }
}

/// What an announcement is about, checked.
struct Plan {
    product: products::Product,
    /// The categories chosen and every one under them.
    categories: Vec<String>,
    chosen: Vec<String>,
    from: Option<String>,
    call: bool,
    lang: Lang,
    /// A rep tells their own customers; a manager their department's; an admin everyone's.
    scope: Scope,
}

async fn plan(app: &App, actor: &Actor, product_id: &str, input: &NewsInput) -> AppResult<Plan> {
    actor.require_archive_editor()?;
    let mut conn = app.conn().await?;
    let product = products::get(&mut conn, product_id).await?;
    let all = products::categories(&mut conn).await?;
    drop(conn);
    let mut c = Checker::new();
    let chosen: Vec<String> = input
        .categories
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    if chosen.is_empty() {
        c.fail(
            CATEGORIES,
            "required",
            "请至少选择一个「相关类别」。".into(),
            "Choose at least one related category.".into(),
        );
    }
    let from = if input.bought_from.is_empty() {
        None
    } else {
        c.date(BOUGHT_FROM, &input.bought_from)
    };
    c.one_of(ACTION, Some(input.action.as_str()), ACTIONS);
    let lang = if input.lang.is_empty() {
        Some(Lang::ZhCn)
    } else {
        c.code(LANG, &input.lang, Lang::from_code)
    };
    c.finish()?;
    if let Some(unknown) = chosen.iter().find(|id| !all.iter().any(|k| &k.id == *id)) {
        return Err(AppError::UnknownReference(vec![field_error(
            CATEGORIES.key,
            "unknown",
            format!("类别「{unknown}」不存在。"),
            format!("There is no category \"{unknown}\"."),
        )]));
    }
    // Every category under a chosen one counts: a parent's buyers bought its children.
    let mut categories: Vec<String> = chosen.clone();
    let mut i = 0;
    while i < categories.len() {
        let parent = categories[i].clone();
        for k in &all {
            if k.parent_id.as_deref() == Some(parent.as_str()) && !categories.contains(&k.id) {
                categories.push(k.id.clone());
            }
        }
        i += 1;
    }
    let scope = match actor.role {
        Role::Sales => Scope::Owner(actor.user_id.clone()),
        _ => actor.scope(),
    };
    Ok(Plan {
        product,
        categories,
        chosen,
        from,
        call: input.action == "call",
        lang: lang.unwrap_or_default(),
        scope,
    })
}

async fn page(conn: &mut Conn, p: &Plan, after: &str) -> AppResult<Vec<Recipient>> {
    Ok(news::audience_page(
        conn,
        &p.scope,
        &p.product.id,
        &p.categories,
        p.from.as_deref(),
        after,
        BATCH,
    )
    .await?)
}

/// How one customer would be reached by message.
fn way(r: &Recipient, opted: &HashSet<&str>) -> Route {
    if r.contact_id.is_none() {
        return Route::Skip("no_contact".into());
    }
    route(r, opted)
}

fn why(code: &str, lang: Lang) -> String {
    if code == "no_contact" {
        lang.pick("客户没有联系人", "The customer has no contact")
            .into()
    } else {
        reason_text(code, lang)
    }
}

/// Who would hear of the product, and how, without telling anyone.
pub async fn preview(
    app: &App,
    actor: &Actor,
    product_id: &str,
    input: &NewsInput,
) -> AppResult<NewsPreview> {
    let p = plan(app, actor, product_id, input).await?;
    let mut out = NewsPreview::default();
    let mut after = String::new();
    loop {
        let mut conn = app.conn().await?;
        let rows = page(&mut conn, &p, &after).await?;
        let Some(last) = rows.last() else { break };
        after = last.customer_id.clone();
        let ids: Vec<String> = rows.iter().filter_map(|r| r.contact_id.clone()).collect();
        let opted = opt_outs_by_contact(&mut conn, &ids).await?;
        drop(conn);
        for r in &rows {
            out.customers += 1;
            let (channel, recipient, reason) = if p.call {
                (
                    Some("phone".to_string()),
                    r.phone().to_string(),
                    String::new(),
                )
            } else {
                let opted = opted_set(&opted, r.contact_id.as_deref().unwrap_or(""));
                match way(r, &opted) {
                    Route::Send(via, to) => {
                        match via {
                            Via::Email => out.email += 1,
                            _ => out.sms += 1,
                        }
                        (Some(via.code().to_string()), to, String::new())
                    }
                    Route::ByHand(ch) => {
                        out.by_hand += 1;
                        (Some(ch), String::new(), String::new())
                    }
                    Route::Skip(code) => {
                        out.skipped += 1;
                        (None, String::new(), why(&code, actor.lang))
                    }
                }
            };
            if out.sample.len() < SAMPLE {
                out.sample.push(NewsRecipientView {
                    customer_id: r.customer_id.clone(),
                    customer_name: r.customer_name.clone(),
                    contact_name: r.contact_name.clone(),
                    channel,
                    recipient,
                    reason,
                });
            }
        }
    }
    Ok(out)
}

/// Announces the product: messages through the outbox (a contact whose channel is the rep's
/// becomes a call task), or a call task per customer; records what it did.
pub async fn announce(
    app: &App,
    actor: &Actor,
    product_id: &str,
    input: &NewsInput,
) -> AppResult<NewsView> {
    let p = plan(app, actor, product_id, input).await?;
    let template = crate::templates::compiled(app, "news", p.lang).await?;
    let mut reps: HashMap<String, String> = HashMap::new();
    let mut n = News {
        id: new_id(),
        product_id: p.product.id.clone(),
        categories: serde_json::to_string(&p.chosen).unwrap_or_else(|_| "[]".into()),
        bought_from: p.from.clone(),
        action: if p.call { "call" } else { "message" }.into(),
        created_by: Some(actor.user_id.clone()),
        customers: 0,
        sent: 0,
        tasks: 0,
        skipped: 0,
        created_at: app.clock.now_ms(),
    };
    let today = app.clock.today().format("%Y-%m-%d").to_string();
    let mut after = String::new();
    loop {
        let mut tx = app.db.begin_write().await?;
        let rows = page(&mut tx, &p, &after).await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.customer_id.clone();
        let now = app.clock.now_ms();
        let ids: Vec<String> = rows.iter().filter_map(|r| r.contact_id.clone()).collect();
        let opted = opt_outs_by_contact(&mut tx, &ids).await?;
        let keys: Vec<String> = ids
            .iter()
            .map(|k| format!("news:{}:{k}", p.product.id))
            .collect();
        let told: HashSet<String> = news::queued_keys(&mut tx, &keys)
            .await?
            .into_iter()
            .collect();
        for r in &rows {
            if let Some(o) = &r.owner_id
                && !reps.contains_key(o)
            {
                let name = users::get(&mut tx, o)
                    .await
                    .map(|u| u.display_name)
                    .unwrap_or_default();
                reps.insert(o.clone(), name);
            }
        }
        let mut messages = Vec::new();
        let mut entries = Vec::new();
        let mut calls = Vec::new();
        for r in &rows {
            n.customers += 1;
            let rep = r
                .owner_id
                .as_ref()
                .and_then(|o| reps.get(o))
                .cloned()
                .unwrap_or_default();
            let way = if p.call {
                Route::ByHand("phone".into())
            } else {
                way(r, &opted_set(&opted, r.contact_id.as_deref().unwrap_or("")))
            };
            match way {
                Route::Send(via, to) => {
                    let contact = r.contact_id.clone().unwrap_or_default();
                    let key = format!("news:{}:{contact}", p.product.id);
                    if told.contains(&key) {
                        n.skipped += 1;
                        continue;
                    }
                    let (subject, body) = render(&template, r, &p.product.name, &rep)?;
                    let mid = new_id();
                    entries.push(Interaction {
                        id: new_id(),
                        customer_id: r.customer_id.clone(),
                        contact_id: Some(contact.clone()),
                        channel: via.code().to_string(),
                        direction: "outbound".into(),
                        user_id: Some(actor.user_id.clone()),
                        occurred_at: now,
                        summary: match actor.lang {
                            Lang::ZhCn => format!("新品推荐：{}", p.product.name),
                            Lang::En => format!("New-product news: {}", p.product.name),
                        },
                        created_at: now,
                        task_id: None,
                        problem: 0,
                        message_id: Some(mid.clone()),
                    });
                    messages.push(
                        Outgoing {
                            idem_key: key,
                            via,
                            recipient: to,
                            subject,
                            body,
                            lang: p.lang,
                            event: String::new(),
                            customer_id: Some(r.customer_id.clone()),
                            contact_id: Some(contact),
                            task_id: None,
                        }
                        .into_message(mid, now, now),
                    );
                    n.sent += 1;
                }
                Route::ByHand(_) => {
                    let mut t = crate::tasks::open_task(
                        TaskKind::News,
                        format!("news:{}:{}", p.product.id, r.customer_id),
                        &r.customer_id,
                        r.owner_id.clone(),
                        r.department_id.clone(),
                        today.clone(),
                        now,
                    );
                    t.contact_id = r.contact_id.clone();
                    t.doubts = talking_points(&p.product, actor.lang);
                    calls.push(t);
                }
                Route::Skip(_) => n.skipped += 1,
            }
        }
        huike_store::outbox::enqueue_many(&mut tx, &messages).await?;
        huike_store::bulk::insert_rows(&mut tx, &entries).await?;
        let made = tasks::insert_many_once(&mut tx, &calls).await?;
        let made = i64::try_from(made).unwrap_or(0);
        n.tasks += made;
        // A customer who already has the product's call task is not called twice.
        n.skipped += i64::try_from(calls.len()).unwrap_or(0) - made;
        app.commit(tx).await?;
    }
    let mut tx = app.db.begin_write().await?;
    news::insert(&mut tx, &n).await?;
    app.commit(tx).await?;
    Ok(NewsView::of(n))
}

fn render(
    template: &Compiled,
    r: &Recipient,
    product: &str,
    rep: &str,
) -> AppResult<(String, String)> {
    template.render(&NoteContext {
        customer: CustomerFields {
            name: r.customer_name.clone(),
        },
        contact: ContactFields {
            name: r.contact_name.clone().unwrap_or_default(),
            title: r.contact_title.clone().unwrap_or_default(),
        },
        order: OrderFields {
            number: String::new(),
            date: String::new(),
            total: String::new(),
        },
        products: vec![product.to_string()],
        rep: RepFields {
            name: rep.to_string(),
        },
        occasion: String::new(),
    })
}

fn talking_points(p: &products::Product, lang: Lang) -> String {
    let price = huike_domain::money::format_amount(p.price_fen);
    match lang {
        Lang::ZhCn => format!("新品：{}（{}，{} 元/{}）", p.name, p.sku, price, p.unit),
        Lang::En => format!("New: {} ({}, {} per {})", p.name, p.sku, price, p.unit),
    }
}

/// A product's announcements, newest first.
pub async fn of_product(app: &App, actor: &Actor, product_id: &str) -> AppResult<Vec<NewsView>> {
    actor.require_archive_editor()?;
    let mut conn = app.conn().await?;
    products::get(&mut conn, product_id).await?;
    Ok(news::of_product(&mut conn, product_id)
        .await?
        .into_iter()
        .map(NewsView::of)
        .collect())
}
