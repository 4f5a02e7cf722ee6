//! Contact labels (联系标签): an order's label sheet names its rep; its QR code (read by zbar
//! from the sheet Chromium prints to PDF) opens a public page that shows the rep's card and
//! no customer data, whose help form is guarded against robots, rate-limited, and lands as a
//! task for that rep about that customer.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, PASSWORD, TestApp};
use crate::on_each_backend;
use crate::pages::Browser;

const CUSTOMER: &str = "宁波江北包装有限公司";
const CONTACT: &str = "周海燕";
const CONTACT_PHONE: &str = "13957412345";

/// The rep's card on file (through the users page, as an admin edits it) and the company
/// name labels carry.
async fn rep_card(t: &TestApp, rep_id: &str) {
    let mut admin = Browser::login(t, "admin").await;
    let (st, _) = admin.get(&format!("/users/{rep_id}")).await;
    assert_eq!(st, StatusCode::OK);
    let (st, body, _) = admin
        .post(
            &format!("/users/{rep_id}"),
            &[
                ("display_name", "李明"),
                ("role", "sales"),
                ("department_id", ""),
                ("locale", "zh-CN"),
                ("active", "1"),
                ("phone", "138 0571 2345"),
                ("wechat", "liming_huike"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
    let api = t.api("admin").await;
    let (st, s) = api
        .put(
            "/label-settings",
            json!({ "company": "杭州回客科技有限公司" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{s}");
}

/// A customer of `rep` with a contact, and an order of three items; returns (customer,
/// order id, order number).
async fn sold(rep: &Api, admin: &Api) -> (String, String, String) {
    let customer = rep.customer(CUSTOMER).await;
    let (st, k) = rep
        .post(
            &format!("/customers/{customer}/contacts"),
            json!({ "name": CONTACT, "phone": CONTACT_PHONE }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{k}");
    let (st, p) = admin
        .post(
            "/products",
            json!({ "sku": "LB-1", "name": "封箱机", "unit": "台", "price": "1500" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let (st, o) = rep
        .post(
            "/orders",
            json!({ "customer_id": customer, "order_date": "2026-06-01", "status": "open",
                    "lines": [{ "product_id": p["id"], "quantity": "3" }] }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{o}");
    (
        customer,
        o["id"].as_str().unwrap_or_default().to_string(),
        o["number"].as_str().unwrap_or_default().to_string(),
    )
}

/// The hidden form token on the public page.
fn form_token(html: &str) -> String {
    let at = html
        .find(r#"name="form_token" value=""#)
        .expect("the help form's token");
    let rest = &html[at + r#"name="form_token" value=""#.len()..];
    rest[..rest.find('"').unwrap_or(0)].to_string()
}

async fn help_tasks(api: &Api) -> Vec<Value> {
    let (st, page) = api.get("/tasks?kind=help&per_page=100").await;
    assert_eq!(st, StatusCode::OK, "{page}");
    page["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_label_opens_the_reps_card_without_customer_data_and_its_help_form_reaches_the_rep_once_guarded_and_rate_limited()
 {
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        t.app.clock.set("2026-06-02T10:00:00+08:00").expect("clock");
        rep_card(&t, &users.sales1).await;
        let admin = t.api("admin").await;
        let rep = t.api("sales1").await;
        let other = t.api("sales2").await;
        let (customer, order, number) = sold(&rep, &admin).await;

        // Only admins name the company.
        let (st, _) = rep
            .put("/label-settings", json!({ "company": "别家公司" }))
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // The sheet: one label per item sold, the rep's card, and a link kept across prints.
        let (st, sheet) = rep.get(&format!("/orders/{order}/labels")).await;
        assert_eq!(st, StatusCode::OK, "{sheet}");
        assert_eq!(sheet["count"], 3);
        assert_eq!(sheet["format"]["code"], "3x7");
        assert_eq!(sheet["card"]["name"], "李明");
        assert_eq!(sheet["card"]["phone"], "13805712345");
        assert_eq!(sheet["card"]["wechat"], "liming_huike");
        assert_eq!(sheet["card"]["company"], "杭州回客科技有限公司");
        let url = sheet["url"].as_str().unwrap_or_default().to_string();
        assert!(url.starts_with(&format!("{}/l/", t.base)), "{url}");
        let token = url.rsplit('/').next().unwrap_or_default().to_string();
        assert_eq!(token.len(), 32, "128 random bits: {token}");
        let (_, again) = rep
            .get(&format!(
                "/orders/{order}/labels?format=2x5&skip=3&count=12"
            ))
            .await;
        assert_eq!(again["url"], url.as_str());
        assert_eq!(
            (again["skip"].clone(), again["count"].clone()),
            (json!(3), json!(12))
        );
        // Another rep's customer's order is not theirs to print; bad choices name the field.
        let (st, _) = other.get(&format!("/orders/{order}/labels")).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, bad) = rep.get(&format!("/orders/{order}/labels?format=A5")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "format");
        let (st, bad) = rep.get(&format!("/orders/{order}/labels?count=0")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "count");

        // The public page, with no login: the rep's card, and nothing of the customer.
        let public = reqwest::Client::new();
        let r = public.get(&url).send().await.expect("public page");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()
                .get("referrer-policy")
                .and_then(|v| v.to_str().ok()),
            Some("no-referrer")
        );
        let html = r.text().await.expect("body");
        for shown in [
            "李明",
            "13805712345",
            "liming_huike",
            "杭州回客科技有限公司",
        ] {
            assert!(html.contains(shown), "the card shows {shown}");
        }
        for secret in [
            CUSTOMER,
            CONTACT,
            CONTACT_PHONE,
            "010-88886666",
            number.as_str(),
            customer.as_str(),
            order.as_str(),
        ] {
            assert!(!html.contains(secret), "the public page shows {secret}");
        }
        let r = public
            .get(format!("{url}/card.vcf"))
            .send()
            .await
            .expect("vcard");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/vcard")),
        );
        let card = r.text().await.expect("vcard body");
        assert!(
            card.contains("FN:李明\r\n") && card.contains("TEL;TYPE=WORK,VOICE:13805712345\r\n"),
            "{card}"
        );
        assert!(!card.contains(CUSTOMER));
        let r = public
            .get(format!("{}/l/{}", t.base, "0".repeat(32)))
            .send()
            .await
            .expect("unknown");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);

        // The help form: a robot's posts are refused and change nothing.
        let fresh = form_token(&html);
        let help = format!("{url}/help");
        let post = |form: Vec<(&'static str, String)>| {
            let public = public.clone();
            let help = help.clone();
            async move {
                let r = public.post(&help).form(&form).send().await.expect("post");
                let st = r.status();
                (st, r.text().await.unwrap_or_default())
            }
        };
        let words = "封箱机卡带了，胶带切不断，请尽快来看看。".to_string();
        // 1. Posted the moment it was shown: no person types that fast.
        let (st, body) = post(vec![
            ("message", words.clone()),
            ("form_token", fresh.clone()),
        ])
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains(&words), "what was typed is kept on the form");
        t.app.clock.advance(chrono::Duration::seconds(40));
        // 2. The hidden field filled in.
        let (st, _) = post(vec![
            ("message", words.clone()),
            ("form_token", fresh.clone()),
            ("website", "http://spam.example".into()),
        ])
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        // 3. A token not ours (an earlier time, signed by guesswork).
        let forged = format!("1780000000000.{}", "ab".repeat(32));
        let (st, _) = post(vec![("message", words.clone()), ("form_token", forged)]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            help_tasks(&rep).await.is_empty(),
            "refused posts make no task"
        );
        // 4. A person, 40 seconds later, with a number to call back.
        let (st, body) = post(vec![
            ("message", words.clone()),
            ("name", "周女士".into()),
            ("phone", "13957412345".into()),
            ("form_token", fresh.clone()),
        ])
        .await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert!(body.contains("help-sent"));
        let tasks = help_tasks(&rep).await;
        assert_eq!(tasks.len(), 1, "{tasks:?}");
        assert_eq!(tasks[0]["customer_id"], customer.as_str());
        assert_eq!(tasks[0]["order_id"], order.as_str());
        assert_eq!(tasks[0]["due_date"], "2026-06-02");
        let doubts = tasks[0]["doubts"].as_str().unwrap_or_default();
        assert!(
            doubts.contains(&words) && doubts.contains("13957412345"),
            "{doubts}"
        );
        assert!(
            help_tasks(&other).await.is_empty(),
            "only the rep on the card gets it"
        );
        let (_, timeline) = rep
            .get(&format!("/customers/{customer}/interactions"))
            .await;
        let entries = timeline.as_array().cloned().unwrap_or_default();
        assert!(
            entries.iter().any(|e| e["direction"] == "inbound"
                && e["summary"].as_str().is_some_and(|s| s.contains(&words))),
            "{timeline}"
        );
        // 5. The same form three hours on has expired.
        t.app.clock.advance(chrono::Duration::hours(3));
        let (st, body) = post(vec![
            ("message", words.clone()),
            ("form_token", fresh.clone()),
        ])
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("过期") || body.contains("expired"), "{body}");
        // 6. Five posts an hour from one address; the sixth is turned away.
        let (st, _) = post(vec![
            ("message", words.clone()),
            ("form_token", fresh.clone()),
        ])
        .await;
        assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(help_tasks(&rep).await.len(), 1, "one request, one task");
    });
}

/// Runs a program the project did not write; `None` when it is missing outside CI.
fn tool(name: &str) -> Option<std::process::Command> {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(std::process::Command::new(name));
    }
    let msg = format!("skipped: no {name} (scripts/test installs it)");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    eprintln!("\n*** LABEL TEST {msg} ***\n");
    None
}

/// The QR codes zbar finds on a PNG, as text.
fn decode(png: &std::path::Path) -> Vec<String> {
    let Some(mut zbar) = tool("zbarimg") else {
        return Vec::new();
    };
    let out = zbar
        .args(["--quiet", "--raw"])
        .arg(png)
        .output()
        .expect("zbarimg");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

#[tokio::test]
async fn in_chromium_a_label_sheet_prints_on_a4_and_every_qr_code_opens_the_public_page() {
    use thirtyfour::common::print::{PrintMargins, PrintPage, PrintParameters};
    use thirtyfour::prelude::*;

    let Some((driver, binary)) = crate::browser::start_driver().await else {
        return;
    };
    if tool("zbarimg").is_none() || tool("pdftoppm").is_none() || tool("pdfinfo").is_none() {
        return;
    }
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        rep_card(&t, &users.sales1).await;
        let admin = t.api("admin").await;
        let rep = t.api("sales1").await;
        let (_, order, _) = sold(&rep, &admin).await;
        let b = crate::browser::open_browser(&driver, &binary).await;
        let dir = std::env::temp_dir().join(format!("huike-labels-{}", t.backend));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let run = async {
            b.goto(format!("{}/login", t.base)).await?;
            crate::browser::type_into(&b, "f-username", "sales1").await;
            crate::browser::type_into(&b, "f-password", PASSWORD).await;
            crate::browser::wait_for(&b, By::Css("button[type=submit]"))
                .await?
                .click()
                .await?;
            crate::browser::wait_for(&b, By::Css("header nav")).await?;
            // From the order page to its labels: 5 labels after 19 used ones on a sheet of
            // 21, so 2 land on the first sheet and 3 on a second.
            b.goto(format!("{}/orders/{order}", t.base)).await?;
            crate::browser::wait_for(&b, By::Id("labels-link"))
                .await?
                .click()
                .await?;
            crate::browser::wait_for(&b, By::Id("public-link")).await?;
            b.goto(format!(
                "{}/orders/{order}/labels?format=3x7&skip=19&count=5",
                t.base
            ))
            .await?;
            let url = crate::browser::wait_for(&b, By::Id("public-link"))
                .await?
                .text()
                .await?;
            assert!(url.starts_with(&format!("{}/l/", t.base)), "{url}");
            let pdf = b
                .print_page(PrintParameters {
                    page: PrintPage {
                        width: 21.0,
                        height: 29.7,
                    },
                    margin: PrintMargins {
                        top: 0.0,
                        bottom: 0.0,
                        left: 0.0,
                        right: 0.0,
                    },
                    shrink_to_fit: false,
                    background: true,
                    ..PrintParameters::default()
                })
                .await?;
            let pdf_path = dir.join("labels.pdf");
            std::fs::write(&pdf_path, &pdf).expect("write the PDF");
            // Two A4 pages (595 × 842 points), as poppler reads the file.
            let info = tool("pdfinfo")
                .expect("pdfinfo")
                .arg(&pdf_path)
                .output()
                .expect("pdfinfo");
            let info = String::from_utf8_lossy(&info.stdout).to_string();
            let field = |name: &str| {
                info.lines()
                    .find(|l| l.starts_with(name))
                    .map(|l| l[name.len()..].trim().to_string())
                    .unwrap_or_default()
            };
            assert_eq!(field("Pages:"), "2", "{info}");
            assert!(field("Page size:").ends_with("(A4)"), "{info}");
            let status = tool("pdftoppm")
                .expect("pdftoppm")
                .args(["-r", "200", "-png"])
                .arg(&pdf_path)
                .arg(dir.join("page"))
                .status()
                .expect("pdftoppm");
            assert!(status.success());
            let mut pages: Vec<_> = std::fs::read_dir(&dir)
                .expect("pages")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "png"))
                .collect();
            pages.sort();
            assert_eq!(pages.len(), 2);
            let first = decode(&pages[0]);
            let second = decode(&pages[1]);
            assert_eq!(first.len(), 2, "the first sheet's codes: {first:?}");
            assert_eq!(second.len(), 3, "the second sheet's codes: {second:?}");
            assert!(
                first.iter().chain(&second).all(|u| *u == url),
                "{first:?} {second:?}"
            );

            // The code's address, opened by someone with no login, shows the rep's card and
            // the help form.
            b.delete_all_cookies().await?;
            b.goto(&url).await?;
            let title = crate::browser::wait_for(&b, By::Tag("h1"))
                .await?
                .text()
                .await?;
            assert_eq!(title.trim(), "李明");
            crate::browser::wait_for(&b, By::Id("help-form")).await?;
            assert!(!b.source().await?.contains(CUSTOMER));
            WebDriverResult::Ok(())
        };
        let result = run.await;
        let _ = std::fs::remove_dir_all(&dir);
        crate::browser::end_journey(b, result).await;
    });
}
