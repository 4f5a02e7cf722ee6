//! Promises in the pages: made while finishing a Today task or logging a call (in the same
//! transaction, refused whole when its day is wrong, nothing typed lost), listed on the
//! customer's page, and kept or broken with one click there or on the promise's Today card.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp};
use crate::on_each_backend;

/// sales1's customer with a contact and an order delivered 2026-03-30: (customer, day-2 task).
async fn customer_with_call_due(t: &TestApp, api: &Api) -> (String, String) {
    let admin = t.api("admin").await;
    let (st, p) = admin
        .post(
            "/products",
            json!({ "sku": "PR-1", "name": "净水器", "unit": "台", "price": "1200" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let customer = api.customer("杭州西湖清泉贸易有限公司").await;
    let (st, k) = api
        .post(
            &format!("/customers/{customer}/contacts"),
            json!({ "name": "陈美玲", "personality": "composed" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{k}");
    let (st, o) = api
        .post(
            "/orders",
            json!({
                "customer_id": customer,
                "contact_id": k["id"],
                "order_date": "2026-03-30",
                "delivery_date": "2026-03-30",
                "lines": [{ "product_id": p["id"], "quantity": "1" }],
            }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{o}");
    let (st, tasks) = api
        .get(&format!(
            "/tasks?order_id={}&kind=day_2",
            o["id"].as_str().unwrap_or("")
        ))
        .await;
    assert_eq!(st, StatusCode::OK, "{tasks}");
    let call = tasks["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!call.is_empty(), "{tasks}");
    (customer, call)
}

/// The customer's promises as (what, due date, status), by due date.
async fn promises_of(api: &Api, customer: &str) -> Vec<(String, String, String)> {
    let (st, page) = api
        .get(&format!("/promises?customer_id={customer}&per_page=100"))
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let mut v: Vec<(String, String, String)> = page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
                    (s("what"), s("due_date"), s("status"))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

fn promise_id(page: &Value, what: &str) -> String {
    page["items"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["what"] == what))
        .and_then(|p| p["id"].as_str())
        .unwrap_or_default()
        .to_string()
}

fn p(what: &str, due: &str, status: &str) -> (String, String, String) {
    (what.to_string(), due.to_string(), status.to_string())
}

#[tokio::test]
async fn a_promise_made_in_a_call_is_recorded_with_it_and_kept_or_broken_from_the_pages() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-01T09:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (customer, call) = customer_with_call_due(&t, &api).await;
        let (client, csrf) = t.session("sales1").await;

        // A day already past: refused whole, the task still open, what was typed shown again.
        let r = client
            .post(format!("{}/tasks/{call}/done", t.base))
            .header("hx-request", "true")
            .form(&[
                ("_csrf", csrf.as_str()),
                ("outcome", "reached"),
                ("note", "安装顺利"),
                ("promise_what", "寄送滤芯更换视频"),
                ("promise_due", "2026-03-20"),
            ])
            .send()
            .await
            .expect("done");
        assert_eq!(r.status(), StatusCode::OK);
        let card = r.text().await.unwrap_or_default();
        assert!(card.contains("data-status=\"open\""), "{card}");
        assert!(card.contains("2026-04-01"), "the error names today: {card}");
        assert!(card.contains("value=\"寄送滤芯更换视频\""), "{card}");
        assert!(card.contains("value=\"安装顺利\""), "{card}");
        assert!(promises_of(&api, &customer).await.is_empty());

        // A good day: the task is done and the promise recorded with its reminder the day before.
        let r = client
            .post(format!("{}/tasks/{call}/done", t.base))
            .header("hx-request", "true")
            .form(&[
                ("_csrf", csrf.as_str()),
                ("outcome", "reached"),
                ("note", "安装顺利"),
                ("promise_what", "寄送滤芯更换视频"),
                ("promise_due", "2026-04-08"),
            ])
            .send()
            .await
            .expect("done");
        let card = r.text().await.unwrap_or_default();
        assert!(card.contains("data-status=\"done\""), "{card}");
        assert_eq!(
            promises_of(&api, &customer).await,
            vec![p("寄送滤芯更换视频", "2026-04-08", "open")]
        );
        let (_, reminders) = api
            .get(&format!("/tasks?customer_id={customer}&kind=promise"))
            .await;
        assert_eq!(
            reminders["items"][0]["due_date"], "2026-04-07",
            "{reminders}"
        );

        // Logging a call with a promise but no day: refused, nothing written, all kept.
        let (_, before) = api
            .get(&format!("/customers/{customer}/interactions"))
            .await;
        let r = client
            .post(format!("{}/customers/{customer}/interactions", t.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("channel", "phone"),
                ("direction", "inbound"),
                ("summary", "客户来电询问保修期"),
                ("promise_what", "三天内发来保修条款"),
            ])
            .send()
            .await
            .expect("log");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap_or_default();
        assert!(page.contains("id=\"e-promise_due\""), "the day is named");
        assert!(page.contains("客户来电询问保修期"), "the summary is kept");
        assert!(
            page.contains("value=\"三天内发来保修条款\""),
            "the promise is kept"
        );
        let (_, after) = api
            .get(&format!("/customers/{customer}/interactions"))
            .await;
        assert_eq!(before, after, "no entry was written");

        // With its day: the call and the promise are both recorded.
        let r = client
            .post(format!("{}/customers/{customer}/interactions", t.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("channel", "phone"),
                ("direction", "inbound"),
                ("summary", "客户来电询问保修期"),
                ("promise_what", "三天内发来保修条款"),
                ("promise_due", "2026-04-04"),
            ])
            .send()
            .await
            .expect("log");
        assert_eq!(r.url().path(), format!("/customers/{customer}"));
        let page = r.text().await.unwrap_or_default();
        assert_eq!(
            promises_of(&api, &customer).await,
            vec![
                p("三天内发来保修条款", "2026-04-04", "open"),
                p("寄送滤芯更换视频", "2026-04-08", "open"),
            ]
        );
        // The customer's page lists both open promises, with their buttons.
        assert!(page.contains("id=\"promises\""), "{page}");
        let (_, list) = api.get(&format!("/promises?customer_id={customer}")).await;
        let terms = promise_id(&list, "三天内发来保修条款");
        let video = promise_id(&list, "寄送滤芯更换视频");
        assert!(page.contains(&format!("action=\"/promises/{terms}/close\"")));
        assert!(page.contains(&format!("action=\"/promises/{video}/close\"")));

        // Kept from the customer's page: back there, no longer listed as open.
        let r = client
            .post(format!("{}/promises/{terms}/close", t.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("kept", "true"),
                ("back", &format!("/customers/{customer}#promises")),
            ])
            .send()
            .await
            .expect("close");
        assert_eq!(r.url().path(), format!("/customers/{customer}"));
        let page = r.text().await.unwrap_or_default();
        assert!(!page.contains(&format!("action=\"/promises/{terms}/close\"")));
        // A back link elsewhere is not followed.
        let r = client
            .post(format!("{}/promises/{video}/close", t.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("kept", "bogus-but-not-true"),
                ("back", "https://elsewhere.test/"),
                ("note", "供应商断货"),
            ])
            .send()
            .await
            .expect("close");
        assert_eq!(r.url().path(), "/");
        assert_eq!(
            promises_of(&api, &customer).await,
            vec![
                p("三天内发来保修条款", "2026-04-04", "kept"),
                p("寄送滤芯更换视频", "2026-04-08", "broken"),
            ]
        );
    });
}

#[tokio::test]
async fn a_promise_task_on_today_is_closed_with_kept_or_not_kept() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-01T09:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (customer, _) = customer_with_call_due(&t, &api).await;
        let (st, made) = api
            .post(
                "/promises",
                json!({ "customer_id": customer, "what": "上门更换滤芯", "due_date": "2026-04-03" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{made}");
        t.app.clock.set("2026-04-02T09:00:00+08:00").expect("clock");
        let (_, tasks) = api
            .get(&format!("/tasks?customer_id={customer}&kind=promise"))
            .await;
        let task = tasks["items"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let pid = made["id"].as_str().unwrap_or_default().to_string();

        let (client, csrf) = t.session("sales1").await;
        let html = client
            .get(format!("{}/", t.base))
            .send()
            .await
            .expect("today")
            .text()
            .await
            .unwrap_or_default();
        assert!(html.contains(&format!("id=\"task-{task}\"")), "{html}");
        assert!(html.contains(&format!("action=\"/promises/{pid}/close\"")));

        let r = client
            .post(format!("{}/promises/{pid}/close", t.base))
            .header("hx-request", "true")
            .form(&[
                ("_csrf", csrf.as_str()),
                ("kept", "true"),
                ("task_id", task.as_str()),
                ("note", "已上门更换"),
            ])
            .send()
            .await
            .expect("close");
        assert_eq!(r.status(), StatusCode::OK);
        let card = r.text().await.unwrap_or_default();
        assert!(card.starts_with("<article"), "{card}");
        assert!(card.contains("data-status=\"done\""), "{card}");
        let (_, p) = api.get(&format!("/promises/{pid}")).await;
        assert_eq!(p["status"], "kept", "{p}");

        // Closing it again is refused on the card, which stays as it was.
        let r = client
            .post(format!("{}/promises/{pid}/close", t.base))
            .header("hx-request", "true")
            .form(&[
                ("_csrf", csrf.as_str()),
                ("kept", "false"),
                ("task_id", task.as_str()),
            ])
            .send()
            .await
            .expect("close");
        let card = r.text().await.unwrap_or_default();
        assert!(card.contains("data-status=\"done\""), "{card}");
        let (_, p) = api.get(&format!("/promises/{pid}")).await;
        assert_eq!(p["status"], "kept", "{p}");
    });
}
