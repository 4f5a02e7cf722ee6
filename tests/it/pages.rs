//! The server-rendered pages: log in, forms with CSRF, refused forms that keep the typing,
//! visibility through the pages, the language switch, search and API tokens.

use huike_domain::{Lang, PersonalityType};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_each_backend;

/// A browser-like client: keeps cookies, does not follow redirects (so tests see them), and
/// reads the CSRF token from the page it last loaded.
pub(crate) struct Browser {
    base: String,
    client: reqwest::Client,
    csrf: String,
}

impl Browser {
    fn new(t: &TestApp) -> Browser {
        Browser {
            base: t.base.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .unwrap(),
            csrf: String::new(),
        }
    }

    pub(crate) async fn login(t: &TestApp, username: &str) -> Browser {
        let mut b = Browser::new(t);
        let (st, _, loc) = b
            .post_raw(
                "/login",
                &[
                    ("username", username),
                    ("password", PASSWORD),
                    ("next", "/customers"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER, "login as {username}");
        assert_eq!(loc, "/customers");
        b.get("/customers").await;
        assert!(!b.csrf.is_empty(), "the page carries the CSRF token");
        b
    }

    pub(crate) async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let st = r.status();
        let body = r.text().await.unwrap();
        if let Some(token) = meta_csrf(&body) {
            self.csrf = token;
        }
        (st, body)
    }

    /// Posts a form as given (no token added); returns status, body and Location.
    async fn post_raw(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("origin", self.base.clone())
            .form(form)
            .send()
            .await
            .unwrap();
        let st = r.status();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (st, r.text().await.unwrap(), loc)
    }

    /// Posts a form with this session's CSRF token, as the page's hidden field does.
    pub(crate) async fn post(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let mut with: Vec<(&str, &str)> = form.to_vec();
        with.push(("_csrf", &self.csrf));
        self.post_raw(path, &with).await
    }
}

fn meta_csrf(html: &str) -> Option<String> {
    let i = html.find(r#"name="csrf-token" content=""#)?;
    let rest = &html[i + r#"name="csrf-token" content=""#.len()..];
    let token = &rest[..rest.find('"')?];
    (!token.is_empty()).then(|| token.to_string())
}

/// Text of the page with tags removed and entities for quotes undone, for content checks.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn id_from(location: &str) -> String {
    location
        .trim_start_matches("/customers/")
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn customer_count(t: &TestApp) -> i64 {
    let mut conn = t.app.db.pool().acquire().await.unwrap();
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM customers")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_rep_creates_a_customer_and_contact_on_the_pages_and_finds_it_by_initials() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let mut b = Browser::login(&t, "sales1").await;
        let (st, _, loc) = b
            .post(
                "/customers",
                &[
                    ("name", "恒通贸易有限公司"),
                    ("kind", "organization"),
                    ("customer_class", "A"),
                    ("province", "浙江省"),
                    ("city", "杭州市"),
                    ("phone", "0571-8888 1234"),
                    ("archive.basic.owner.name", "王建国"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let id = id_from(&loc);
        let (st, _, loc) = b
            .post(
                &format!("/customers/{id}/contacts"),
                &[
                    ("name", "张三"),
                    ("title", "采购经理"),
                    ("phone", "138 0013 5678"),
                    ("personality", "fault_finding"),
                    ("buying_role", "purchaser"),
                    ("personal_interest", "1"),
                    ("birthday_calendar", "lunar"),
                    ("birthday_month", "8"),
                    ("birthday_day", "15"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER, "contact saved");
        assert!(loc.starts_with(&format!("/customers/{id}")));

        let (st, page) = b.get(&format!("/customers/{id}")).await;
        assert_eq!(st, StatusCode::OK);
        let page = text(&page);
        let approach = PersonalityType::FaultFinding.approach(Lang::ZhCn);
        assert!(page.contains("恒通贸易有限公司"));
        assert!(page.contains("张三"));
        assert!(
            page.contains(approach),
            "the contact's approach is on the customer page"
        );
        assert!(page.contains("八月十五"), "lunar birthday shown: {page}");
        assert!(page.contains("王建国"), "archive field shown");
        // Trust: friend (personal axis only), the organisational axis named as missing.
        assert!(page.contains("朋友"));
        assert!(page.contains("组织利益"));

        for q in ["zs", "zhangsan", "htmy", "5678"] {
            let (st, found) = b.get(&format!("/search?q={q}")).await;
            assert_eq!(st, StatusCode::OK);
            let found = text(&found);
            assert!(
                found.contains("张三") || found.contains("恒通贸易有限公司"),
                "search {q} finds it"
            );
        }
        let (_, found) = b.get("/search?q=zs").await;
        assert!(
            text(&found).contains(approach),
            "search shows the approach too"
        );

        // The list shows it; the English switch turns the page and the approach to English.
        let (_, list) = b.get("/customers").await;
        assert!(list.contains("恒通贸易有限公司"));
        let (st, _, loc) = b
            .post(
                "/lang",
                &[("lang", "en"), ("back", &format!("/customers/{id}"))],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(loc, format!("/customers/{id}"));
        let (_, page) = b.get(&loc).await;
        let page = text(&page);
        assert!(page.contains("Timeline"));
        assert!(page.contains(PersonalityType::FaultFinding.approach(Lang::En)));
    });
}

#[tokio::test]
async fn forms_without_the_sessions_csrf_token_are_refused_and_change_nothing() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let b = Browser::login(&t, "sales1").await;
        let before = customer_count(&t).await;
        let (st, body, _) = b.post_raw("/customers", &[("name", "无令牌公司")]).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        assert!(text(&body).contains("未做任何修改"));
        let (st, _, _) = b
            .post_raw("/customers", &[("name", "假令牌公司"), ("_csrf", "forged")])
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // Another session's token does not work either.
        let other = Browser::login(&t, "sales2").await;
        let (st, _, _) = b
            .post_raw(
                "/customers",
                &[("name", "别人的令牌"), ("_csrf", other.csrf.as_str())],
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        assert_eq!(customer_count(&t).await, before, "nothing was written");
        // The same form with the token goes through.
        let (st, _, _) = b.post("/customers", &[("name", "有令牌公司")]).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(customer_count(&t).await, before + 1);

        // A login posted from another site is refused.
        let r = reqwest::Client::new()
            .post(format!("{}/login", t.base))
            .header("origin", "https://evil.example")
            .form(&[("username", "sales1"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    });
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_and_says_which_field_is_wrong() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let b = Browser::login(&t, "sales1").await;
        let before = customer_count(&t).await;
        let (st, body, _) = b
            .post(
                "/customers",
                &[
                    ("name", ""),
                    ("phone", "12ab"),
                    ("email", "wang@"),
                    ("city", "苏州市"),
                    ("archive.basic.owner.hobbies", "钓鱼和书法"),
                    ("founded_on", "2026-02-30"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(customer_count(&t).await, before, "nothing was written");
        // What was typed is still in the form.
        for typed in ["12ab", "wang@", "苏州市", "钓鱼和书法", "2026-02-30"] {
            assert!(body.contains(typed), "the form lost {typed}");
        }
        // Each wrong field is marked and explained next to it.
        for field in ["name", "phone", "email", "founded_on"] {
            assert!(
                body.contains(&format!(r#"id="e-{field}""#)),
                "no message for {field}"
            );
        }
        let page = text(&body);
        assert!(page.contains("客户名称"), "the message names the field");
        // A contact form keeps its typing too, including the birthday.
        let (_, _, loc) = b.post("/customers", &[("name", "好公司")]).await;
        let id = id_from(&loc);
        let (st, body, _) = b
            .post(
                &format!("/customers/{id}/contacts"),
                &[
                    ("name", "李四"),
                    ("email", "not-an-email"),
                    ("birthday_calendar", "solar"),
                    ("birthday_month", "2"),
                    ("birthday_day", "31"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("李四") && body.contains("not-an-email"));
        assert!(body.contains(r#"id="e-email""#));
        assert!(body.contains(r#"id="e-birthday""#));
    });
}

#[tokio::test]
async fn a_rep_cannot_list_read_or_edit_another_reps_customer_through_the_pages() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let mut owner = Browser::login(&t, "sales1").await;
        let (_, _, loc) = owner
            .post("/customers", &[("name", "华信科技有限公司")])
            .await;
        let id = id_from(&loc);
        let (st, _) = owner.get(&format!("/customers/{id}/edit")).await;
        assert_eq!(st, StatusCode::OK);

        for other in ["sales2", "sales3"] {
            let mut b = Browser::login(&t, other).await;
            let (_, list) = b.get("/customers").await;
            assert!(!list.contains("华信科技"), "{other} lists it");
            let (_, found) = b.get("/search?q=hxkj").await;
            assert!(!found.contains("华信科技"), "{other} finds it");
            for path in [
                format!("/customers/{id}"),
                format!("/customers/{id}/edit"),
                format!("/customers/{id}/contacts/new"),
                format!("/orders/new?customer_id={id}"),
            ] {
                let (st, _) = b.get(&path).await;
                assert_eq!(st, StatusCode::NOT_FOUND, "{other} opens {path}");
            }
            let (st, _, _) = b
                .post(&format!("/customers/{id}"), &[("name", "改名了")])
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
            // Reps never delete customers (their own included): refused before any lookup.
            let (st, _, _) = b.post(&format!("/customers/{id}/delete"), &[]).await;
            assert_eq!(st, StatusCode::FORBIDDEN);
        }
        let (_, page) = owner.get(&format!("/customers/{id}")).await;
        assert!(
            page.contains("华信科技有限公司"),
            "unchanged and still there"
        );
        // The manager of the department sees it.
        let mut m = Browser::login(&t, "manager1").await;
        let (_, list) = m.get("/customers").await;
        assert!(list.contains("华信科技"));
    });
}

#[tokio::test]
async fn pages_ask_for_a_login_and_return_to_where_the_user_was_going() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let mut b = Browser::new(&t);
        let (st, _) = b.get("/customers?class=A").await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let (st, body, _) = b
            .post_raw(
                "/login",
                &[
                    ("username", "sales1"),
                    ("password", "wrong"),
                    ("next", "/orders"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("sales1"), "the username stays typed");
        assert!(text(&body).contains("用户名或密码不正确"));
        let (st, _, loc) = b
            .post_raw(
                "/login",
                &[
                    ("username", "sales1"),
                    ("password", PASSWORD),
                    ("next", "/orders"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(loc, "/orders");
        // A "next" pointing to another site is not followed.
        b.get("/customers").await;
        let (_, _, loc) = b
            .post(
                "/login",
                &[
                    ("username", "sales1"),
                    ("password", PASSWORD),
                    ("next", "//evil.example/"),
                ],
            )
            .await;
        assert_eq!(loc, "/", "home (Today) instead");
        // Log out ends the session.
        b.get("/customers").await;
        let (st, _, _) = b.post("/logout", &[]).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let (st, _) = b.get("/customers").await;
        assert_eq!(st, StatusCode::SEE_OTHER);
    });
}

#[tokio::test]
async fn the_tokens_page_shows_a_new_token_once_and_revoking_it_locks_the_api_out() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let mut b = Browser::login(&t, "sales1").await;
        b.get("/tokens").await;
        let (st, body, _) = b.post("/tokens", &[("name", "报表脚本")]).await;
        assert_eq!(st, StatusCode::OK);
        let start = body.find(r#"<code id="new-token">"#).expect("token shown") + 21;
        let token = body[start..start + body[start..].find('<').unwrap()].to_string();
        assert!(token.starts_with("hk_"));
        let api = reqwest::Client::new();
        let call = || {
            api.get(format!("{}/api/v1/customers", t.base))
                .bearer_auth(&token)
                .send()
        };
        assert_eq!(call().await.unwrap().status(), StatusCode::OK);
        let (_, page) = b.get("/tokens").await;
        assert!(!page.contains(&token), "the token is shown only once");
        let id_at = page.find("/tokens/").unwrap() + 8;
        let id = &page[id_at..id_at + page[id_at..].find('/').unwrap()];
        let (st, _, _) = b.post(&format!("/tokens/{id}/revoke"), &[]).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(call().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    });
}

/// One customer of [`every_page_renders_for_every_role`] with its one contact.
struct Seeded {
    owner: &'static str,
    /// Who the owner shares it with, if anyone.
    shared_with: Option<&'static str>,
    name: &'static str,
    contact: &'static str,
    personality: PersonalityType,
    /// The contact's mobile; its last four digits find the contact in the search.
    mobile: &'static str,
    id: String,
    contact_id: String,
    /// An order the owner took for it.
    order_id: String,
}

/// What one role must get on the pages. `sees` and `edits` are for the three seeded
/// customers in order: 甲 (sales1's, 一部), 乙 (sales2's, 一部, not shared) and 丙 (sales3's,
/// 二部, shared with sales1).
struct RoleCase {
    user: &'static str,
    /// Seen: its pages answer 200 and show it, it is listed and found. Not seen: every page of
    /// it answers 404 and shows nothing of it.
    sees: [bool; 3],
    /// Changeable: the customer's, contact's and order's edit links, the customer's new
    /// contact and new order links and the contact's delete button show, and the customer,
    /// contact and order forms open. Not changeable (seen only): none of them shows, and the
    /// forms and saves answer 403. Whoever sees a customer gets its log-a-call form either way.
    edits: [bool; 3],
    /// The delete button on the customer pages it may change.
    deletes: bool,
    /// May create customers and import: the customer list's new-customer link (accesskey n)
    /// and import link show, and their forms open; otherwise neither shows and both are 403.
    creates: bool,
    users_page: StatusCode,
    new_user: StatusCode,
    new_product: StatusCode,
    /// Usernames on the user list, and usernames that must not be on it (when it opens).
    listed: &'static [&'static str],
    unlisted: &'static [&'static str],
}

const ROLE_CASES: [RoleCase; 4] = [
    RoleCase {
        user: "admin",
        sees: [true, true, true],
        edits: [true, true, true],
        deletes: true,
        creates: true,
        users_page: StatusCode::OK,
        new_user: StatusCode::OK,
        new_product: StatusCode::OK,
        listed: &["manager1", "sales2", "sales3", "service1"],
        unlisted: &[],
    },
    RoleCase {
        user: "manager1",
        sees: [true, true, false],
        edits: [true, true, false],
        deletes: true,
        creates: true,
        users_page: StatusCode::OK,
        new_user: StatusCode::FORBIDDEN,
        new_product: StatusCode::OK,
        listed: &["sales1", "sales2"],
        unlisted: &["sales3", "service1"],
    },
    RoleCase {
        user: "sales1",
        sees: [true, false, true],
        edits: [true, false, true],
        deletes: false,
        creates: true,
        users_page: StatusCode::FORBIDDEN,
        new_user: StatusCode::FORBIDDEN,
        new_product: StatusCode::FORBIDDEN,
        listed: &[],
        unlisted: &[],
    },
    RoleCase {
        user: "service1",
        sees: [true, true, true],
        edits: [false, false, false],
        deletes: false,
        creates: false,
        users_page: StatusCode::FORBIDDEN,
        new_user: StatusCode::FORBIDDEN,
        new_product: StatusCode::FORBIDDEN,
        listed: &[],
        unlisted: &[],
    },
];

/// Locale keys showing as text: a key missing from the locale files renders as itself
/// (`customers.title`), so any `<section>.<key>` of the locale files' sections is one.
fn raw_keys(html: &str) -> Vec<String> {
    let sections: std::collections::BTreeSet<&str> = huike_web::i18n::strings(Lang::ZhCn)
        .keys()
        .filter_map(|k| k.split('.').next())
        .collect();
    let page = text(html);
    let mut found = Vec::new();
    for section in sections {
        let at = format!("{section}.");
        for (i, _) in page.match_indices(&at) {
            let word_start = page[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            let key: String = page[i + at.len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if word_start && !key.is_empty() {
                found.push(format!("{at}{key}"));
            }
        }
    }
    found
}

fn contact_id_on(customer_page: &str) -> String {
    let at = customer_page
        .find(r#"id="contact-"#)
        .expect("a contact card")
        + r#"id="contact-"#.len();
    let rest = &customer_page[at..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn order_count(t: &TestApp) -> i64 {
    let mut conn = t.app.db.pool().acquire().await.unwrap();
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM orders")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_page_renders_for_every_role() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let mut seeded = [
            Seeded {
                owner: "sales1",
                shared_with: None,
                name: "甲一商贸有限公司",
                contact: "王五",
                personality: PersonalityType::Taciturn,
                mobile: "139 0000 1111",
                id: String::new(),
                contact_id: String::new(),
                order_id: String::new(),
            },
            Seeded {
                owner: "sales2",
                shared_with: None,
                name: "乙二实业有限公司",
                contact: "赵六",
                personality: PersonalityType::FaultFinding,
                mobile: "139 0000 2222",
                id: String::new(),
                contact_id: String::new(),
                order_id: String::new(),
            },
            Seeded {
                owner: "sales3",
                shared_with: Some("sales1"),
                name: "丙三电子有限公司",
                contact: "孙七",
                personality: PersonalityType::Composed,
                mobile: "139 0000 3333",
                id: String::new(),
                contact_id: String::new(),
                order_id: String::new(),
            },
        ];
        // A product, for each customer's order and so an order attempt below is refused for who
        // is asking, not for its lines.
        let admin = Browser::login(&t, "admin").await;
        let (st, _, loc) = admin
            .post(
                "/products",
                &[
                    ("sku", "FM-1"),
                    ("name", "封口机"),
                    ("unit", "台"),
                    ("price", "100"),
                    ("active", "1"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER, "product saved");
        let product_id = loc.trim_start_matches("/products/").to_string();

        for c in seeded.iter_mut() {
            let mut owner = Browser::login(&t, c.owner).await;
            let (st, _, loc) = owner.post("/customers", &[("name", c.name)]).await;
            assert_eq!(st, StatusCode::SEE_OTHER, "{} creates {}", c.owner, c.name);
            c.id = id_from(&loc);
            let (st, _, _) = owner
                .post(
                    &format!("/customers/{}/contacts", c.id),
                    &[
                        ("name", c.contact),
                        ("personality", c.personality.code()),
                        ("phone", c.mobile),
                    ],
                )
                .await;
            assert_eq!(st, StatusCode::SEE_OTHER, "{} adds {}", c.owner, c.contact);
            if let Some(with) = c.shared_with {
                let (st, _, _) = owner
                    .post(&format!("/customers/{}/share", c.id), &[("username", with)])
                    .await;
                assert_eq!(st, StatusCode::SEE_OTHER, "{} shares {}", c.owner, c.name);
            }
            let (_, page) = owner.get(&format!("/customers/{}", c.id)).await;
            c.contact_id = contact_id_on(&page);
            let (st, _, loc) = owner
                .post(
                    "/orders",
                    &[
                        ("customer_id", c.id.as_str()),
                        ("line.0.product_id", product_id.as_str()),
                        ("line.0.quantity", "2"),
                        ("line.0.unit_price", "100"),
                    ],
                )
                .await;
            assert_eq!(
                st,
                StatusCode::SEE_OTHER,
                "{} orders for {}",
                c.owner,
                c.name
            );
            c.order_id = loc.trim_start_matches("/orders/").to_string();
        }
        for case in &ROLE_CASES {
            let user = case.user;
            let mut b = Browser::login(&t, user).await;
            let api = t.api(user).await;
            for path in [
                "/customers",
                "/customers?sort=name&dir=desc",
                "/customers?stale=true",
                "/contacts",
                "/orders",
                "/products",
                "/tokens",
                "/search?q=a",
                "/search",
            ] {
                let (st, body) = b.get(path).await;
                assert_eq!(st, StatusCode::OK, "{user} {path}");
                assert_eq!(raw_keys(&body), Vec::<String>::new(), "{user} {path}");
                assert_eq!(
                    body.contains(r#"href="/users""#),
                    case.users_page == StatusCode::OK,
                    "{user} {path}: the users link in the menu"
                );
                // A list offers only the new links the role can use: customers (and the
                // import) to who creates them, products to who edits the catalogue; contacts
                // and orders are started from their customer, never from a list.
                let (new_link, may) = match path.split('?').next().unwrap_or_default() {
                    "/customers" => (Some(r#"href="/customers/new""#), case.creates),
                    "/products" => (
                        Some(r#"href="/products/new""#),
                        case.new_product == StatusCode::OK,
                    ),
                    _ => (None, false),
                };
                if let Some(link) = new_link {
                    assert_eq!(body.contains(link), may, "{user} {path}: {link}");
                }
                assert_eq!(
                    body.contains(r#"accesskey="n""#),
                    may,
                    "{user} {path}: the accesskey n link"
                );
                if path.starts_with("/customers") {
                    assert_eq!(
                        body.contains(r#"href="/import""#),
                        case.creates,
                        "{user} {path}: the import link"
                    );
                }
                assert!(
                    !body.contains(r#"href="/contacts/new""#)
                        && !body.contains(r#"href="/orders/new""#),
                    "{user} {path}: a new link without its customer"
                );
            }
            let (_, products) = b.get("/products").await;
            assert!(
                text(&products).contains("封口机"),
                "{user} sees the catalogue"
            );

            // The lists hold exactly the customers and contacts the role sees.
            let (_, customers) = b.get("/customers").await;
            let customers = text(&customers);
            let (_, contacts) = b.get("/contacts").await;
            let contacts = text(&contacts);
            for (c, sees) in seeded.iter().zip(case.sees) {
                assert_eq!(customers.contains(c.name), sees, "{user} lists {}", c.name);
                assert_eq!(
                    contacts.contains(c.contact),
                    sees,
                    "{user} lists {}",
                    c.contact
                );
            }

            for ((c, sees), edits) in seeded.iter().zip(case.sees).zip(case.edits) {
                let (id, kid, oid) = (&c.id, &c.contact_id, &c.order_id);
                let approach = c.personality.approach(Lang::ZhCn);
                let tail = &c.mobile[c.mobile.len() - 4..];
                let (st, found) = b.get(&format!("/search?q={tail}")).await;
                assert_eq!(st, StatusCode::OK);
                let found = text(&found);
                let pages = [
                    format!("/customers/{id}"),
                    format!("/customers/{id}/edit"),
                    format!("/customers/{id}/contacts/new"),
                    format!("/contacts/{kid}"),
                    format!("/contacts/{kid}/edit"),
                    format!("/orders/new?customer_id={id}"),
                    format!("/orders/{oid}"),
                    format!("/orders/{oid}/edit"),
                ];
                if !sees {
                    assert!(!found.contains(c.contact), "{user} finds {}", c.contact);
                    for path in &pages {
                        let (st, body) = b.get(path).await;
                        assert_eq!(st, StatusCode::NOT_FOUND, "{user} {path}");
                        let body = text(&body);
                        assert!(
                            !body.contains(c.name) && !body.contains(c.contact),
                            "{user} {path} shows what is not theirs"
                        );
                    }
                    continue;
                }
                assert!(
                    found.contains(c.contact) && found.contains(approach),
                    "{user} searches {tail}: {found}"
                );
                let (st, page) = b.get(&pages[0]).await;
                assert_eq!(st, StatusCode::OK, "{user} {}", pages[0]);
                assert_eq!(raw_keys(&page), Vec::<String>::new(), "{user} {}", pages[0]);
                let shown = text(&page);
                for what in [c.name, c.contact, approach] {
                    assert!(shown.contains(what), "{user} {}: no {what}", c.name);
                }
                assert_eq!(
                    page.contains(&format!(r#"href="/customers/{id}/edit""#)),
                    edits,
                    "{user} {}: the edit link",
                    c.name
                );
                assert_eq!(
                    page.contains(&format!(r#"action="/customers/{id}/delete""#)),
                    edits && case.deletes,
                    "{user} {}: the delete button",
                    c.name
                );
                for link in [
                    format!(r#"href="/customers/{id}/contacts/new""#),
                    format!(r#"href="/orders/new?customer_id={id}""#),
                ] {
                    assert_eq!(page.contains(&link), edits, "{user} {}: {link}", c.name);
                }
                let (st, contact) = b.get(&pages[3]).await;
                assert_eq!(st, StatusCode::OK, "{user} {}", pages[3]);
                for link in [
                    format!(r#"href="/contacts/{kid}/edit""#),
                    format!(r#"action="/contacts/{kid}/delete""#),
                ] {
                    assert_eq!(
                        contact.contains(&link),
                        edits,
                        "{user} {}: {link}",
                        pages[3]
                    );
                }
                let contact = text(&contact);
                for what in [c.contact, approach, c.name] {
                    assert!(contact.contains(what), "{user} {}: no {what}", pages[3]);
                }
                let (st, order) = b.get(&pages[6]).await;
                assert_eq!(st, StatusCode::OK, "{user} {}", pages[6]);
                assert!(text(&order).contains(c.name), "{user} {}", pages[6]);
                assert_eq!(
                    order.contains(&format!(r#"href="/orders/{oid}/edit""#)),
                    edits,
                    "{user} {}: the edit link",
                    pages[6]
                );
                // Whoever sees a customer logs calls with it (service agents take complaints
                // from any customer): the page offers the form, and the page's and the API's
                // saves take it.
                assert!(
                    page.contains(&format!(r#"action="/customers/{id}/interactions""#)),
                    "{user} {}: the log-a-call form",
                    c.name
                );
                let call = format!("{user}的来电记录");
                let (st, _, _) = b
                    .post(
                        &format!("/customers/{id}/interactions"),
                        &[("channel", "phone"), ("summary", call.as_str())],
                    )
                    .await;
                assert_eq!(st, StatusCode::SEE_OTHER, "{user} logs a call");
                let api_call = format!("{user}经接口记的来电");
                let (st, _) = api
                    .post(
                        &format!("/customers/{id}/interactions"),
                        serde_json::json!({ "channel": "phone", "summary": api_call }),
                    )
                    .await;
                assert_eq!(st, StatusCode::CREATED, "{user} logs a call on the API");
                let (_, page) = b.get(&pages[0]).await;
                let page = text(&page);
                for logged in [&call, &api_call] {
                    assert!(page.contains(logged), "{user}: {logged} is on the timeline");
                }

                if edits {
                    // Each form opens filled in for this customer, contact or order.
                    for (path, filled) in [
                        (&pages[1], format!(r#"value="{}""#, c.name)),
                        (&pages[2], c.name.to_string()),
                        (&pages[4], format!(r#"value="{}""#, c.contact)),
                        (&pages[5], c.name.to_string()),
                        (&pages[7], c.name.to_string()),
                    ] {
                        let (st, body) = b.get(path).await;
                        assert_eq!(st, StatusCode::OK, "{user} {path}");
                        assert!(body.contains(&filled), "{user} {path} lacks {filled}");
                        assert_eq!(raw_keys(&body), Vec::<String>::new(), "{user} {path}");
                    }
                    continue;
                }
                // Seen but not changeable (service): the customer, contact and order forms do
                // not open (403, as their saves answer), and every save is refused and changes
                // nothing.
                for path in [&pages[1], &pages[2], &pages[4], &pages[5], &pages[7]] {
                    let (st, _) = b.get(path).await;
                    assert_eq!(st, StatusCode::FORBIDDEN, "{user} {path}");
                }
                let (st, _, _) = b.post(&pages[0], &[("name", "改过的名字")]).await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} saves {}", c.name);
                let (st, _, _) = b
                    .post(
                        &format!("/customers/{id}/contacts"),
                        &[("name", "新来的联系人")],
                    )
                    .await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} adds a contact");
                // Visible but not theirs to change: 403 on every record, as the customer's.
                let (st, _, _) = b.post(&pages[3], &[("name", "改过的联系人")]).await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} saves {}", c.contact);
                let orders_before = order_count(&t).await;
                let (st, _, _) = b
                    .post(
                        "/orders",
                        &[
                            ("customer_id", id.as_str()),
                            ("line.0.product_id", product_id.as_str()),
                            ("line.0.quantity", "1"),
                            ("line.0.unit_price", "100"),
                        ],
                    )
                    .await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} orders for {}", c.name);
                assert_eq!(order_count(&t).await, orders_before, "{user}: no order");
                let (st, _, _) = b
                    .post(
                        &pages[6],
                        &[
                            ("customer_id", id.as_str()),
                            ("line.0.product_id", product_id.as_str()),
                            ("line.0.quantity", "1"),
                            ("line.0.unit_price", "100"),
                            ("notes", "改过的订单"),
                        ],
                    )
                    .await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} saves {}", pages[6]);
                let (_, order) = b.get(&pages[6]).await;
                assert!(
                    !text(&order).contains("改过的订单"),
                    "{user} changed {}",
                    pages[6]
                );
                let (_, after) = b.get(&pages[0]).await;
                let after = text(&after);
                assert!(after.contains(c.name) && after.contains(c.contact));
                for typed in ["改过的名字", "新来的联系人", "改过的联系人"] {
                    assert!(!after.contains(typed), "{user} changed {}: {typed}", c.name);
                }
            }

            // Creating customers; the user list; the admin-only and catalogue forms.
            if case.creates {
                let (st, body) = b.get("/customers/new").await;
                assert_eq!(st, StatusCode::OK, "{user} /customers/new");
                assert_eq!(
                    raw_keys(&body),
                    Vec::<String>::new(),
                    "{user} /customers/new"
                );
            } else {
                // Refused as the role's refusal (the API's 403), not as a form error, and
                // nothing written; the form does not open either.
                let (st, _) = b.get("/customers/new").await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} /customers/new");
                let (st, _) = b.get("/import").await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} /import");
                let before = customer_count(&t).await;
                let (st, _, _) = b.post("/customers", &[("name", "不该有的公司")]).await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{user} creates a customer");
                assert_eq!(customer_count(&t).await, before, "{user}: nothing written");
            }
            let (st, users) = b.get("/users").await;
            assert_eq!(st, case.users_page, "{user} /users");
            let users = text(&users);
            for name in case.listed {
                assert!(users.contains(name), "{user} /users lacks {name}");
            }
            for name in case.unlisted {
                assert!(!users.contains(name), "{user} /users shows {name}");
            }
            let (st, _) = b.get("/users/new").await;
            assert_eq!(st, case.new_user, "{user} /users/new");
            let (st, _) = b.get("/products/new").await;
            assert_eq!(st, case.new_product, "{user} /products/new");
        }
    });
}

impl Browser {
    /// Uploads a file on the import page and follows the job until it ends.
    async fn upload(&mut self, name: &str, bytes: Vec<u8>) -> (String, String) {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let r = self
            .client
            .post(format!("{}/import?_csrf={}", self.base, self.csrf))
            .header("origin", self.base.clone())
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "upload accepted");
        let loc = r.headers()["location"].to_str().unwrap().to_string();
        (loc.clone(), self.finish_job(&loc).await)
    }

    /// Polls an import job page until it stops refreshing itself.
    async fn finish_job(&mut self, path: &str) -> String {
        for _ in 0..600 {
            let (st, body) = self.get(path).await;
            assert_eq!(st, StatusCode::OK);
            if !body.contains("every 1s") {
                return body;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("import did not finish");
    }
}

/// The `name="…" value="…"` pairs of the mapping form (hidden headers and selected fields).
fn mapping_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(r#"name="header."#) {
        rest = &rest[i + 6..];
        let name = &rest[..rest.find('"').unwrap()];
        let v_at = rest.find(r#"value=""#).unwrap() + 7;
        let value = &rest[v_at..v_at + rest[v_at..].find('"').unwrap()];
        out.push((name.to_string(), value.to_string()));
    }
    let mut rest = html;
    while let Some(i) = rest.find(r#"name="map."#) {
        rest = &rest[i + 6..];
        let name = rest[..rest.find('"').unwrap()].to_string();
        let end = rest.find("</select>").unwrap();
        let select = &rest[..end];
        let chosen = select
            .find("\" selected")
            .map(|j| {
                let start = select[..j].rfind("value=\"").unwrap() + 7;
                select[start..j].to_string()
            })
            .unwrap_or_default();
        out.push((name, chosen));
    }
    out
}

#[tokio::test]
async fn the_import_page_checks_first_reports_by_row_and_then_imports_everything() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let mut b = Browser::login(&t, "sales1").await;
        let (st, page) = b.get("/import").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains(r#"enctype="multipart/form-data""#));
        let before = customer_count(&t).await;

        // A file with a malformed phone: the report names the row and nothing is written.
        let bad = "客户名称,电话,联系人,联系人手机\n甲公司,0571-8888 1234,张三,13800135678\n乙公司,12ab,李四,13900001111\n";
        let (_, report) = b.upload("客户.csv", bad.as_bytes().to_vec()).await;
        let report_text = text(&report);
        assert!(report_text.contains("12ab"), "the bad value is shown");
        assert!(
            report.contains(r#"<td class="num">3</td>"#),
            "row 3 is named"
        );
        assert!(!report.contains(r#"value="commit""#), "no import offered");
        assert_eq!(customer_count(&t).await, before, "a check writes nothing");

        // A good file: checked clean, then imported in one go from the same page.
        let good = "客户名称,电话,联系人,联系人手机\n甲公司,0571-8888 1234,张三,13800135678\n乙公司,021-6666 0000,李四,13900001111\n甲公司,,王五,13700002222\n";
        let (job, report) = b.upload("客户.csv", good.as_bytes().to_vec()).await;
        assert!(
            report.contains(r#"value="commit""#),
            "import offered: {report}"
        );
        assert_eq!(customer_count(&t).await, before);
        let mut form = mapping_fields(&report);
        assert!(form.iter().any(|(k, v)| k == "map.0" && v == "name"));
        form.push(("action".into(), "commit".into()));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (st, _, loc) = b.post(&job, &pairs).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let done = b.finish_job(&loc).await;
        assert!(text(&done).contains("导入完成"), "{done}");
        assert_eq!(customer_count(&t).await, before + 2);
        let (_, found) = b.get("/search?q=ww").await;
        assert!(
            text(&found).contains("王五"),
            "imported contacts are searchable"
        );

        // Another rep cannot see or re-run this user's import.
        let mut other = Browser::login(&t, "sales2").await;
        let (st, _) = other.get(&loc).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    });
}

impl Browser {
    /// Posts the order import form: the file and the other parts as the page sends them.
    async fn import_orders(&mut self, csv: &str, parts: &[(&str, &str)]) -> (StatusCode, String) {
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("订单.csv"),
        );
        for (k, v) in parts {
            form = form.text(k.to_string(), v.to_string());
        }
        let r = self
            .client
            .post(format!("{}/import/orders?_csrf={}", self.base, self.csrf))
            .header("origin", self.base.clone())
            .multipart(form)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
}

#[tokio::test]
async fn the_order_import_page_checks_imports_with_the_backlog_when_ticked_and_skips_repeats() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-04T09:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let (st, p) = admin
            .post(
                "/products",
                serde_json::json!({ "sku": "AS-1", "name": "封口机", "unit": "台", "price": "880" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let api = t.api("sales1").await;
        api.customer("宁波海曙顺丰包装有限公司").await;
        let count = |path: &'static str| {
            let api = &api;
            async move { api.get(path).await.1["total"].as_u64().unwrap() }
        };
        let mut b = Browser::login(&t, "sales1").await;
        let (st, page) = b.get("/orders").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            page.contains(r#"href="/import/orders""#),
            "linked from the order list"
        );
        let (st, page) = b.get("/import/orders").await;
        assert_eq!(st, StatusCode::OK);
        assert!(page.contains(r#"enctype="multipart/form-data""#));
        assert!(page.contains(r#"name="past_tasks" value="true""#), "{page}");
        assert!(text(&page).contains("同时安排已到期的跟进（形成待办积压）"));

        let file = "订单号,客户,下单日期,交付日期,产品,数量\nHK-7,宁波海曙顺丰包装有限公司,2026-03-30,2026-03-30,AS-1,1\n";
        // Checking writes nothing and lists what would be imported.
        let (st, page) = b.import_orders(file, &[("commit", "false")]).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        let shown = text(&page);
        assert!(
            shown.contains("将导入") && shown.contains("HK-7"),
            "{shown}"
        );
        assert_eq!(count("/orders").await, 0);

        // Imported with the backlog ticked: all four tasks, open, listed with the order.
        let (st, page) = b
            .import_orders(file, &[("past_tasks", "true"), ("commit", "true")])
            .await;
        assert_eq!(st, StatusCode::OK, "{page}");
        let shown = text(&page);
        assert!(
            shown.contains("已导入订单") && shown.contains("HK-7"),
            "{shown}"
        );
        assert_eq!(count("/orders").await, 1);
        assert_eq!(count("/tasks?status=open").await, 4);

        // The same file again is skipped, and says so.
        let (_, page) = b.import_orders(file, &[("commit", "true")]).await;
        assert!(text(&page).contains("已导入过"), "{page}");
        assert_eq!(count("/orders").await, 1);
        assert_eq!(count("/tasks").await, 4);

        // A bad row is named by its row; nothing is written.
        let bad = "订单号,客户,下单日期,产品,数量\nHK-8,没有这家公司,2026-03-30,AS-1,1\n";
        let (_, page) = b.import_orders(bad, &[("commit", "true")]).await;
        assert!(page.contains(r#"<td class="num">2</td>"#), "{page}");
        assert!(text(&page).contains("没有这家公司"), "{page}");
        assert_eq!(count("/orders").await, 1);

        // A service agent does not get the page.
        let mut service = Browser::login(&t, "service1").await;
        let (st, _) = service.get("/import/orders").await;
        assert_eq!(st, StatusCode::FORBIDDEN);
    });
}

#[tokio::test]
async fn list_exports_on_the_pages_hold_only_what_the_user_may_see() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let owner = Browser::login(&t, "sales1").await;
        owner
            .post(
                "/customers",
                &[("name", "华信科技有限公司"), ("city", "北京市")],
            )
            .await;
        let other = Browser::login(&t, "sales2").await;
        other.post("/customers", &[("name", "别家公司")]).await;

        let fetch = |b: &Browser, path: &str| {
            let req = b.client.get(format!("{}{path}", b.base));
            async move {
                let r = req.send().await.unwrap();
                let st = r.status();
                let ct = r.headers()["content-type"].to_str().unwrap().to_string();
                let cd = r
                    .headers()
                    .get("content-disposition")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                (st, ct, cd, r.bytes().await.unwrap().to_vec())
            }
        };
        let (st, ct, cd, body) = fetch(&owner, "/customers/export.csv").await;
        assert_eq!(st, StatusCode::OK);
        assert!(ct.starts_with("text/csv"), "{ct}");
        assert!(cd.contains("attachment"), "{cd}");
        let csv = String::from_utf8(body).unwrap();
        assert!(csv.contains("华信科技有限公司"));
        assert!(
            !csv.contains("别家公司"),
            "another rep's customer leaked into the export"
        );
        let (_, _, _, body) = fetch(&other, "/customers/export.csv?city=").await;
        let csv = String::from_utf8(body).unwrap();
        assert!(
            !csv.contains("华信科技"),
            "sales2 exported sales1's customer"
        );
        // Filters apply: a city filter that matches nothing exports only the header.
        let (_, _, _, body) = fetch(&owner, "/customers/export.csv?city=上海市").await;
        assert!(!String::from_utf8(body).unwrap().contains("华信科技"));
        let (st, ct, _, body) = fetch(&owner, "/customers/export.xlsx").await;
        assert_eq!(st, StatusCode::OK);
        assert!(ct.contains("spreadsheetml"), "{ct}");
        assert_eq!(&body[..2], b"PK", "an xlsx is a zip");
        for list in ["contacts", "products", "orders"] {
            let (st, _, _, _) = fetch(&owner, &format!("/{list}/export.xlsx")).await;
            assert_eq!(st, StatusCode::OK, "{list}");
        }
        // GBK on request, for older Excel.
        let (_, _, _, body) = fetch(&owner, "/customers/export.csv?encoding=gbk").await;
        let (text, _, bad) = encoding_rs::GBK.decode(&body);
        assert!(!bad && text.contains("华信科技有限公司"));
    });
}
