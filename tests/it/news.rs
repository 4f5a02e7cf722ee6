//! New-product news: the past buyers of the related categories (subcategories included, the
//! product's own buyers and cancelled orders not) hear of a new product once, each on their
//! own channel, opt-outs respected, with each message on the timeline; or each customer's
//! owner gets a call task. A rep reaches only their own customers.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp};
use crate::on_each_backend;

async fn id_of(st: StatusCode, v: Value) -> String {
    assert_eq!(st, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap_or_default().to_string()
}

async fn product(admin: &Api, sku: &str, category: &str) -> String {
    let (st, p) = admin
        .post(
            "/products",
            json!({ "sku": sku, "name": format!("产品{sku}"), "unit": "台", "price": "980",
                    "category_id": category }),
        )
        .await;
    id_of(st, p).await
}

/// A customer of `api`'s user with one contact, who ordered `product` (in `status`).
async fn buyer(
    api: &Api,
    name: &str,
    contact: Value,
    product: &str,
    status: &str,
) -> (String, String) {
    let customer = api.customer(name).await;
    let (st, k) = api
        .post(&format!("/customers/{customer}/contacts"), contact)
        .await;
    let contact = id_of(st, k).await;
    let (st, o) = api
        .post(
            "/orders",
            json!({ "customer_id": customer, "order_date": "2026-05-10", "status": status,
                    "lines": [{ "product_id": product, "quantity": "1" }] }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{o}");
    (customer, contact)
}

/// The news messages in the outbox: (channel, recipient, body).
async fn news_messages(t: &TestApp) -> Vec<(String, String, String)> {
    let mut conn = t.app.db.pool().acquire().await.expect("conn");
    sqlx::query_as(
        "SELECT channel, recipient, body FROM outbox WHERE idem_key LIKE 'news:%' \
         ORDER BY recipient",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("outbox")
}

async fn task_customers(api: &Api) -> BTreeSet<String> {
    let (st, page) = api.get("/tasks?kind=news&per_page=100").await;
    assert_eq!(st, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t["customer_id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_new_product_reaches_past_buyers_of_its_categories_once_on_their_own_channels() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-06-01T10:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let rep = t.api("sales1").await;
        let other = t.api("sales2").await;
        let service = t.api("service1").await;
        let (st, c) = admin
            .post("/categories", json!({ "name": "包装设备" }))
            .await;
        let packing = id_of(st, c).await;
        let (st, c) = admin
            .post(
                "/categories",
                json!({ "name": "封箱机", "parent_id": packing }),
            )
            .await;
        let sealers = id_of(st, c).await;
        let (st, c) = admin
            .post("/categories", json!({ "name": "办公用品" }))
            .await;
        let office = id_of(st, c).await;
        let old = product(&admin, "FX-1", &sealers).await;
        let paper = product(&admin, "BG-1", &office).await;
        let new = product(&admin, "FX-2", &packing).await;

        let mail =
            json!({ "name": "邮件甲", "email": "jia@example.com", "preferred_channel": "email" });
        let (a, a_contact) = buyer(&rep, "甲公司", mail, &old, "delivered").await;
        let sms = json!({ "name": "短信乙", "phone": "13900000002", "preferred_channel": "sms" });
        let (b, _) = buyer(&rep, "乙公司", sms, &old, "open").await;
        let opted =
            json!({ "name": "退订丙", "email": "bing@example.com", "preferred_channel": "email" });
        let (c, c_contact) = buyer(&rep, "丙公司", opted, &old, "delivered").await;
        let (st, _) = rep
            .post(
                &format!("/contacts/{c_contact}/opt-out"),
                json!({ "channel": "email", "out": true }),
            )
            .await;
        assert!(st.is_success());
        let wechat = json!({ "name": "微信丁", "wechat": "ding88", "preferred_channel": "wechat" });
        let (d, _) = buyer(&rep, "丁公司", wechat, &old, "delivered").await;
        // Not told: bought only from another category, only in a cancelled order, or has
        // the new product already.
        buyer(
            &rep,
            "戊公司",
            json!({ "name": "戊", "email": "wu@example.com" }),
            &paper,
            "delivered",
        )
        .await;
        buyer(
            &rep,
            "己公司",
            json!({ "name": "己", "email": "ji@example.com" }),
            &old,
            "cancelled",
        )
        .await;
        buyer(
            &rep,
            "庚公司",
            json!({ "name": "庚", "email": "geng@example.com" }),
            &new,
            "delivered",
        )
        .await;
        // Another rep's buyer.
        let (h, _) = buyer(
            &other,
            "辛公司",
            json!({ "name": "辛", "email": "xin@example.com" }),
            &old,
            "delivered",
        )
        .await;

        let body = json!({ "categories": [packing], "action": "message" });
        // Bad input changes nothing and names the field.
        let (st, bad) = rep
            .post(
                &format!("/products/{new}/news"),
                json!({ "categories": [] }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "categories");
        let (st, bad) = rep
            .post(
                &format!("/products/{new}/news"),
                json!({ "categories": [packing], "action": "fax" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "action");
        let (st, bad) = rep
            .post(
                &format!("/products/{new}/news"),
                json!({ "categories": ["no-such-category"] }),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{bad}");
        let (st, _) = service
            .post(&format!("/products/{new}/news/preview"), body.clone())
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        assert!(news_messages(&t).await.is_empty());

        // The preview: the rep's four buyers of the category (through its subcategory).
        let (st, p) = rep
            .post(&format!("/products/{new}/news/preview"), body.clone())
            .await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert_eq!(
            (
                &p["customers"],
                &p["email"],
                &p["sms"],
                &p["by_hand"],
                &p["skipped"]
            ),
            (&json!(4), &json!(1), &json!(1), &json!(1), &json!(1)),
            "{p}"
        );
        let listed: BTreeSet<String> = p["sample"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r["customer_id"].as_str().map(str::to_string))
            .collect();
        assert_eq!(
            listed,
            BTreeSet::from([a.clone(), b.clone(), c.clone(), d.clone()])
        );
        assert!(news_messages(&t).await.is_empty(), "a preview tells no one");

        // Announced: an e-mail and an SMS, a call task for the WeChat contact, nothing for
        // the one who opted out of e-mail.
        let (st, n) = rep
            .post(&format!("/products/{new}/news"), body.clone())
            .await;
        assert_eq!(st, StatusCode::CREATED, "{n}");
        assert_eq!(
            (&n["customers"], &n["sent"], &n["tasks"], &n["skipped"]),
            (&json!(4), &json!(2), &json!(1), &json!(1)),
            "{n}"
        );
        let sent = news_messages(&t).await;
        let to: Vec<(&str, &str)> = sent
            .iter()
            .map(|(ch, r, _)| (ch.as_str(), r.as_str()))
            .collect();
        assert_eq!(
            to,
            vec![("sms", "13900000002"), ("email", "jia@example.com")]
        );
        let mail_body = &sent[1].2;
        assert!(
            mail_body.contains("邮件甲") && mail_body.contains("产品FX-2"),
            "{mail_body}"
        );
        assert_eq!(task_customers(&rep).await, BTreeSet::from([d.clone()]));
        let (_, timeline) = rep.get(&format!("/customers/{a}/interactions")).await;
        assert!(
            timeline
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .any(|e| e["contact_id"] == a_contact.as_str()
                    && e["summary"]
                        .as_str()
                        .is_some_and(|s| s.contains("产品FX-2"))),
            "{timeline}"
        );
        let (_, timeline) = rep.get(&format!("/customers/{c}/interactions")).await;
        assert!(
            !timeline.to_string().contains("产品FX-2"),
            "the opted-out contact's customer has no news entry: {timeline}"
        );

        // Announced again: no one is told twice.
        let (st, again) = rep
            .post(&format!("/products/{new}/news"), body.clone())
            .await;
        assert_eq!(st, StatusCode::CREATED, "{again}");
        assert_eq!(
            (&again["sent"], &again["tasks"]),
            (&json!(0), &json!(0)),
            "{again}"
        );
        assert_eq!(news_messages(&t).await.len(), 2);
        let (_, past) = rep.get(&format!("/products/{new}/news")).await;
        assert_eq!(past.as_array().map(Vec::len), Some(2));

        // By call, as an admin: every buyer's own owner gets the task, the other rep's too.
        let (st, calls) = admin
            .post(
                &format!("/products/{new}/news"),
                json!({ "categories": [sealers], "action": "call" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{calls}");
        assert_eq!(
            (&calls["customers"], &calls["tasks"]),
            (&json!(5), &json!(4)),
            "{calls}"
        );
        assert_eq!(task_customers(&other).await, BTreeSet::from([h.clone()]));
        assert_eq!(
            task_customers(&rep).await,
            BTreeSet::from([a.clone(), b.clone(), c.clone(), d.clone()])
        );
        assert_eq!(news_messages(&t).await.len(), 2, "calls send no message");

        // The page: tick the category, preview, announce; the announcement is listed.
        let mut page = crate::pages::Browser::login(&t, "sales1").await;
        let (st, html) = page.get(&format!("/products/{new}/news")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(&format!(r#"value="{packing}""#)) && !html.contains("news-send"));
        let (st, html, _) = page
            .post(
                &format!("/products/{new}/news"),
                &[
                    ("bought_from", ""),
                    ("action", "message"),
                    ("lang", "zh-CN"),
                    ("do", "preview"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "no category ticked");
        assert!(html.contains("e-categories"));
        let (st, html, _) = page
            .post(
                &format!("/products/{new}/news"),
                &[
                    ("categories", packing.as_str()),
                    ("action", "message"),
                    ("lang", "zh-CN"),
                    ("do", "preview"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            html.contains("news-preview") && html.contains("news-send") && html.contains("甲公司")
        );
        let (st, _, to) = page
            .post(
                &format!("/products/{new}/news"),
                &[
                    ("categories", packing.as_str()),
                    ("action", "message"),
                    ("lang", "zh-CN"),
                    ("do", "send"),
                ],
            )
            .await;
        assert_eq!(
            (st, to.as_str()),
            (
                StatusCode::SEE_OTHER,
                format!("/products/{new}/news").as_str()
            )
        );
        let (_, html) = page.get(&format!("/products/{new}/news")).await;
        assert_eq!(
            html.matches("<tr><td>").count(),
            4,
            "four announcements listed"
        );
    });
}
