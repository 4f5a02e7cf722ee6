//! Message templates (the thank-you note; later greetings and replies): admins edit them per
//! language, previewed against sample data before saving; a task's note is drafted from them
//! with the customer, contact, order, products and rep. Rendered by minijinja in a sandbox:
//! no file access, a fuel limit against runaway loops, and unknown fields are errors.

use huike_domain::Lang;
use huike_store::templates::{self, MessageTemplate};
use huike_store::{contacts, customers, orders, tasks, users};
use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, field_error};
use crate::phrases::PhraseWarning;
use crate::validate::{Checker, Field, field};
use crate::{Actor, App};

pub const SUBJECT: Field = field("subject", "标题", "Subject").max(200);
pub const BODY: Field = field("body", "正文", "Text").max(5000).required();
/// A draft's language.
pub const LANG: Field = field("lang", "语言", "Language");

/// Steps a template may take when rendering: ample for a letter, stops a runaway loop.
pub const FUEL: u64 = 50_000;

/// The fields a template can use (of [`NoteContext`]), as the API document lists them.
pub const FIELDS: &[&str] = &[
    "customer.name",
    "contact.name",
    "contact.title",
    "order.number",
    "order.date",
    "order.total",
    "products",
    "rep.name",
    "occasion",
];

/// The templates there are, by kind.
pub const KINDS: &[&str] = &["thank_you", "greeting", "news"];

/// What a template can use.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoteContext {
    pub customer: CustomerFields,
    pub contact: ContactFields,
    pub order: OrderFields,
    /// The names of the products ordered.
    pub products: Vec<String>,
    pub rep: RepFields,
    /// A greeting's occasion as its opening line (生日快乐, 中秋快乐, the month's theme);
    /// empty in other messages.
    pub occasion: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CustomerFields {
    pub name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContactFields {
    pub name: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderFields {
    pub number: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// As shown, e.g. ¥1,234.50.
    pub total: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RepFields {
    pub name: String,
}

/// Data to preview a template with.
pub fn sample(lang: Lang) -> NoteContext {
    NoteContext {
        customer: CustomerFields {
            name: lang
                .pick("杭州顺达物流有限公司", "Shunda Logistics Ltd.")
                .into(),
        },
        contact: ContactFields {
            name: lang.pick("王建国", "Wang Jianguo").into(),
            title: lang.pick("采购经理", "Purchasing manager").into(),
        },
        order: OrderFields {
            number: "SO-20260330-0001".into(),
            date: "2026-03-30".into(),
            total: "¥12,800.00".into(),
        },
        products: vec![lang.pick("自动封口机", "Sealing machine").into()],
        rep: RepFields {
            name: lang.pick("李明", "Li Ming").into(),
        },
        occasion: lang.pick("中秋快乐", "Happy Mid-Autumn Festival").into(),
    }
}

/// The built-in template of a kind, used until an admin saves one.
pub fn default_template(kind: &str, lang: Lang) -> Option<(&'static str, &'static str)> {
    match (kind, lang) {
        ("thank_you", Lang::ZhCn) => Some((
            "感谢您的信任 —— {{ customer.name }}",
            "尊敬的{{ contact.name }}：\n\n\
             感谢您选择我们的{{ products | join('、') }}（订单 {{ order.number }}）。\
             您的信任对我们非常重要。\n\n\
             接下来的日子里，我会主动跟进使用情况；有任何问题或需要，随时告诉我，我会尽快为您解决。\n\n\
             祝工作顺利！\n\n\
             {{ rep.name }}\n{{ order.date }}",
        )),
        ("thank_you", Lang::En) => Some((
            "Thank you for your trust, {{ customer.name }}",
            "Dear {{ contact.name }},\n\n\
             Thank you for choosing our {{ products | join(', ') }} (order {{ order.number }}). \
             Your trust means a great deal to us.\n\n\
             I will check in with you over the coming days; whenever you have a question or \
             need anything, just tell me and I will take care of it.\n\n\
             With best wishes,\n\n{{ rep.name }}\n{{ order.date }}",
        )),
        ("greeting", Lang::ZhCn) => Some((
            "{{ occasion }} —— {{ rep.name }}",
            "尊敬的{{ contact.name }}：\n\n\
             {{ occasion }}！\n\
             感谢您和{{ customer.name }}一直以来的信任与支持，祝您和家人万事如意。\n\n\
             {{ rep.name }}",
        )),
        ("greeting", Lang::En) => Some((
            "{{ occasion }} from {{ rep.name }}",
            "Dear {{ contact.name }},\n\n\
             {{ occasion }}!\n\
             Thank you and {{ customer.name }} for your trust and support. All the best to \
             you and your family.\n\n\
             {{ rep.name }}",
        )),
        ("news", Lang::ZhCn) => Some((
            "新品推荐：{{ products | join('、') }}",
            "尊敬的{{ contact.name }}：\n\n\
             感谢{{ customer.name }}一直以来的支持。我们新推出了{{ products | join('、') }}，\
             与您选用过的产品相配套，也许正合您的需要。\n\n\
             想了解详情或安排试用，随时告诉我。\n\n\
             {{ rep.name }}",
        )),
        ("news", Lang::En) => Some((
            "New from us: {{ products | join(', ') }}",
            "Dear {{ contact.name }},\n\n\
             Thank you and {{ customer.name }} for your continued support. We have just \
             launched {{ products | join(', ') }}, which goes well with what you have chosen \
             from us before and may be just what you need.\n\n\
             If you would like details or a trial, just let me know.\n\n\
             {{ rep.name }}",
        )),
        _ => None,
    }
}

/// A template compiled once and rendered for many people (a campaign's thousands of
/// greetings), with the same sandbox as [`render`].
pub struct Compiled {
    env: Environment<'static>,
}

impl Compiled {
    pub fn new(subject: &str, body: &str) -> AppResult<Compiled> {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let mut errors = Vec::new();
        for (name, src) in [("subject", subject), ("body", body)] {
            if let Err(e) = env.add_template_owned(name, src.to_string()) {
                errors.push(render_error(name, &e));
            }
        }
        if errors.is_empty() {
            Ok(Compiled { env })
        } else {
            Err(AppError::Invalid(errors))
        }
    }

    pub fn render(&self, ctx: &NoteContext) -> AppResult<(String, String)> {
        let value = minijinja::Value::from(minijinja::value::Serde(ctx));
        let one = |name: &str| -> AppResult<String> {
            self.env
                .get_template(name)
                .and_then(|t| t.render(&value))
                .map_err(|e| AppError::Invalid(vec![render_error(name, &e)]))
        };
        Ok((one("subject")?, one("body")?))
    }
}

/// The template of `kind` in `lang` as it stands: the admins' version, else the built-in one.
pub async fn compiled(app: &App, kind: &str, lang: Lang) -> AppResult<Compiled> {
    let (s, b, _) = current(app, kind, lang).await?;
    Compiled::new(&s, &b)
}

/// A template that does not render: which part, and why.
fn render_error(field: &str, e: &minijinja::Error) -> huike_domain::FieldError {
    let why = e.to_string();
    field_error(
        field,
        "template_error",
        format!("模板无法生成：{why}"),
        format!("The template does not render: {why}"),
    )
}

/// Renders a subject and body with `ctx`.
pub fn render(subject: &str, body: &str, ctx: &NoteContext) -> AppResult<(String, String)> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let value = minijinja::Value::from(minijinja::value::Serde(ctx));
    let mut errors = Vec::new();
    let mut one = |field: &str, src: &str| -> String {
        match env.render_str(src, &value) {
            Ok(s) => s,
            Err(e) => {
                errors.push(render_error(field, &e));
                String::new()
            }
        }
    };
    let s = one("subject", subject);
    let b = one("body", body);
    if errors.is_empty() {
        Ok((s, b))
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// A template as admins see it, with how it reads on sample data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TemplateView {
    pub kind: String,
    /// zh-CN | en
    pub lang: String,
    pub subject: String,
    pub body: String,
    /// False while the built-in default is used.
    pub customized: bool,
    pub preview_subject: String,
    pub preview_body: String,
    /// Words not to use in what the template produces.
    pub warnings: Vec<PhraseWarning>,
}

fn lang_of(tag: &str) -> AppResult<Lang> {
    Lang::from_code(tag).ok_or_else(|| {
        AppError::invalid(
            "lang",
            "unknown_value",
            format!("没有「{tag}」这种语言；可选 zh-CN 或 en。"),
            format!("There is no language \"{tag}\"; use zh-CN or en."),
        )
    })
}

fn kind_of(kind: &str) -> AppResult<&'static str> {
    KINDS
        .iter()
        .copied()
        .find(|k| *k == kind)
        .ok_or(AppError::NotFound)
}

fn view(
    words: &huike_domain::forbidden::PhraseChecker,
    kind: &str,
    lang: Lang,
    subject: String,
    body: String,
    customized: bool,
) -> AppResult<TemplateView> {
    let (ps, pb) = render(&subject, &body, &sample(lang))?;
    let mut warnings = crate::phrases::find(words, "subject", &ps, lang);
    warnings.extend(crate::phrases::find(words, "body", &pb, lang));
    Ok(TemplateView {
        kind: kind.to_string(),
        lang: lang.code().to_string(),
        subject,
        body,
        customized,
        preview_subject: ps,
        preview_body: pb,
        warnings,
    })
}

async fn current(app: &App, kind: &str, lang: Lang) -> AppResult<(String, String, bool)> {
    let mut conn = app.conn().await?;
    Ok(match templates::get(&mut conn, kind, lang.code()).await? {
        Some(t) => (t.subject, t.body, true),
        None => {
            let (s, b) = default_template(kind, lang).ok_or(AppError::NotFound)?;
            (s.to_string(), b.to_string(), false)
        }
    })
}

/// Every template in every language (admins).
pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<TemplateView>> {
    actor.require_admin()?;
    let words = crate::phrases::checker(app).await?;
    let mut out = Vec::new();
    for kind in KINDS {
        for lang in Lang::ALL {
            let (s, b, custom) = current(app, kind, *lang).await?;
            out.push(view(&words, kind, *lang, s, b, custom)?);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TemplateInput {
    pub subject: String,
    /// Jinja text; fields: customer.name, contact.name, contact.title, order.number,
    /// order.date, order.total, products (a list), rep.name.
    pub body: String,
}

fn checked(input: &TemplateInput) -> AppResult<(String, String)> {
    let mut c = Checker::new();
    let subject = c.check(SUBJECT, &input.subject);
    let body = c.check(BODY, &input.body);
    c.finish()?;
    Ok((subject, body))
}

/// How a template would read, without saving it (admins).
pub async fn preview(
    app: &App,
    actor: &Actor,
    kind: &str,
    lang: &str,
    input: &TemplateInput,
) -> AppResult<TemplateView> {
    actor.require_admin()?;
    let kind = kind_of(kind)?;
    let lang = lang_of(lang)?;
    let (s, b) = checked(input)?;
    view(
        &*crate::phrases::checker(app).await?,
        kind,
        lang,
        s,
        b,
        true,
    )
}

/// Saves a template after rendering it on sample data (a template that does not render is
/// refused, naming the part); words not to use come back as warnings, or refuse it when the
/// setting makes them blocking.
pub async fn save(
    app: &App,
    actor: &Actor,
    kind: &str,
    lang: &str,
    input: &TemplateInput,
) -> AppResult<TemplateView> {
    actor.require_admin()?;
    let kind = kind_of(kind)?;
    let lang = lang_of(lang)?;
    let (s, b) = checked(input)?;
    let words = crate::phrases::checker(app).await?;
    let v = view(&words, kind, lang, s.clone(), b.clone(), true)?;
    if app.settings.forbidden_blocking && !v.warnings.is_empty() {
        return Err(crate::notes::refusal(&v.warnings));
    }
    let mut tx = app.db.begin_write().await?;
    templates::upsert(
        &mut tx,
        &MessageTemplate {
            kind: kind.to_string(),
            lang: lang.code().to_string(),
            subject: s,
            body: b,
            updated_by: Some(actor.user_id.clone()),
            updated_at: app.clock.now_ms(),
        },
    )
    .await?;
    app.commit(tx).await?;
    Ok(v)
}

/// A note drafted for a task from its kind's template, for the rep to edit before sending.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoteDraft {
    pub task_id: String,
    /// zh-CN | en
    pub lang: String,
    pub subject: String,
    pub body: String,
    /// Where it can go: the contact's e-mail address and mobile number, when on file.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact_name: Option<String>,
    pub customer_name: String,
}

/// The draft of a task's note in `lang` (zh-CN or en; "" or none is the caller's), from the
/// thank-you template filled with the task's customer, contact, order, products and owner.
pub async fn draft(
    app: &App,
    actor: &Actor,
    task_id: &str,
    lang: Option<&str>,
) -> AppResult<NoteDraft> {
    // Exactly a language's code, as every coded value of the API; "" is the caller's.
    let lang = match lang.filter(|l| !l.is_empty()) {
        Some(l) => lang_of(l)?,
        None => actor.lang,
    };
    let mut conn = app.conn().await?;
    let task = tasks::get(&mut conn, &actor.scope(), task_id).await?;
    let customer = customers::get(&mut conn, &actor.scope(), &task.customer_id).await?;
    let contact = match &task.contact_id {
        Some(id) => contacts::get(&mut conn, &actor.scope(), id).await.ok(),
        None => None,
    };
    let order = match &task.order_id {
        Some(id) => orders::get(&mut conn, &actor.scope(), id).await.ok(),
        None => None,
    };
    let products = match &order {
        Some(o) => orders::lines(&mut conn, &o.id)
            .await?
            .into_iter()
            .map(|l| l.product_name)
            .collect(),
        None => Vec::new(),
    };
    let rep = match &task.owner_id {
        Some(id) => users::get(&mut conn, id)
            .await
            .map(|u| u.display_name)
            .unwrap_or_default(),
        None => actor.display_name.clone(),
    };
    drop(conn);
    let ctx = NoteContext {
        customer: CustomerFields {
            name: customer.name.clone(),
        },
        contact: ContactFields {
            name: contact.as_ref().map(|k| k.name.clone()).unwrap_or_default(),
            title: contact
                .as_ref()
                .map(|k| k.title.clone())
                .unwrap_or_default(),
        },
        order: OrderFields {
            number: order.as_ref().map(|o| o.number.clone()).unwrap_or_default(),
            date: order
                .as_ref()
                .map(|o| o.order_date.clone())
                .unwrap_or_default(),
            total: order
                .as_ref()
                .map(|o| huike_domain::format_money(o.total_fen, &o.currency))
                .unwrap_or_default(),
        },
        products,
        rep: RepFields { name: rep },
        occasion: String::new(),
    };
    let (s, b, _) = current(app, "thank_you", lang).await?;
    let (subject, body) = render(&s, &b, &ctx)?;
    Ok(NoteDraft {
        task_id: task.id,
        lang: lang.code().to_string(),
        subject,
        body,
        email: contact
            .as_ref()
            .map(|k| k.email.clone())
            .filter(|e| !e.is_empty()),
        phone: contact
            .as_ref()
            .map(|k| k.phone.clone())
            .filter(|p| !p.is_empty()),
        contact_name: contact.map(|k| k.name),
        customer_name: customer.name,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_default_notes_render_in_both_languages() {
        for lang in Lang::ALL {
            let (s, b) = default_template("thank_you", *lang).unwrap();
            let (subject, body) = render(s, b, &sample(*lang)).unwrap();
            assert!(subject.contains(&sample(*lang).customer.name), "{subject}");
            assert!(body.contains("SO-20260330-0001"), "{body}");
            assert!(!body.contains("{{"), "{body}");
        }
    }

    #[test]
    fn every_field_the_document_lists_renders_on_sample_data() {
        for field in FIELDS {
            let (_, body) = render("", &format!("{{{{ {field} }}}}"), &sample(Lang::En)).unwrap();
            assert!(!body.is_empty(), "{field}");
        }
    }

    #[test]
    fn an_unknown_field_or_a_runaway_loop_is_refused_naming_the_part() {
        let e = render("{{ contact.nickname }}", "ok", &sample(Lang::ZhCn)).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "subject");
        // Each loop is within range()'s own limit; together they would run 100 million steps.
        let e = render(
            "",
            "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
            &sample(Lang::ZhCn),
        )
        .unwrap_err();
        let fe = &e.field_errors()[0];
        assert_eq!((fe.field.as_str(), fe.code), ("body", "template_error"));
        assert!(fe.message_en.contains("out of fuel"), "{}", fe.message_en);
    }
}
