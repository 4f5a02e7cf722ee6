//! The server-rendered pages: log in, forms with CSRF, refused forms that keep the typing,
//! visibility through the pages, the language switch, search and API tokens.

use huike_domain::{Lang, PersonalityType};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_each_backend;

/// A browser-like client: keeps cookies, does not follow redirects (so tests see them), and
/// reads the CSRF token from the page it last loaded.
struct Browser {
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

    async fn login(t: &TestApp, username: &str) -> Browser {
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

    async fn get(&mut self, path: &str) -> (StatusCode, String) {
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
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
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
        assert_eq!(loc, "/customers");
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

#[tokio::test]
async fn every_page_renders_for_every_role() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let rep = Browser::login(&t, "sales1").await;
        let (_, _, loc) = rep.post("/customers", &[("name", "样例公司")]).await;
        let id = id_from(&loc);
        rep.post(
            &format!("/customers/{id}/contacts"),
            &[
                ("name", "王五"),
                ("personality", "taciturn"),
                ("low_key", "1"),
            ],
        )
        .await;
        for user in ["admin", "manager1", "sales1", "service1"] {
            let mut b = Browser::login(&t, user).await;
            for path in [
                "/customers",
                "/customers?sort=name&dir=desc",
                "/customers?stale=true",
                "/customers/new",
                "/contacts",
                "/orders",
                "/products",
                "/tokens",
                "/search?q=a",
                "/search",
            ] {
                let path = path.to_string();
                let path = path.as_str();
                let (st, body) = b.get(path).await;
                assert_eq!(st, StatusCode::OK, "{user} {path}");
                assert!(
                    !body.contains("customers."),
                    "{user} {path} shows a raw key"
                );
            }
            let (st, body) = b.get(&format!("/customers/{id}")).await;
            let can_see = user != "sales1" || body.contains("王五");
            assert!(can_see, "{user} customer page");
            if st == StatusCode::OK {
                assert!(text(&body).contains(PersonalityType::Taciturn.approach(Lang::ZhCn)));
            }
            let (st, _) = b.get("/users").await;
            let expect = if matches!(user, "admin" | "manager1") {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(st, expect, "{user} /users");
        }
    });
}
