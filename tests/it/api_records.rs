//! Customers, contacts, timeline, orders and search through the API, with bad input refused.

use reqwest::StatusCode;
use serde_json::json;

use crate::on_each_backend;

#[tokio::test]
async fn search_finds_a_contact_by_pinyin_initials_full_pinyin_and_phone_suffix() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let api = t.api("sales1").await;
        let id = api.customer("上海恒通贸易有限公司").await;
        let (st, body) = api
            .post(
                &format!("/customers/{id}/contacts"),
                json!({ "name": "张三", "phone": "138-1234-5678", "personality": "composed" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        for q in ["zs", "zhangsan", "5678", "12345678", "张三", "ZS"] {
            let (_, found) = api.get(&format!("/search?q={q}")).await;
            let names: Vec<&str> = found["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| i["name"].as_str())
                .collect();
            assert!(names.contains(&"张三"), "query {q} found {names:?}");
        }
        for q in ["htmy", "hengtong", "恒通"] {
            let (_, found) = api.get(&format!("/search?q={q}")).await;
            assert_eq!(
                found["items"][0]["name"], "上海恒通贸易有限公司",
                "query {q}"
            );
        }
        let (_, found) = api.get("/search?q=9999").await;
        assert_eq!(found["items"].as_array().map(Vec::len), Some(0));
    });
}

#[tokio::test]
async fn bad_input_names_each_field_and_changes_nothing() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let api = t.api("sales1").await;
        let (st, body) = api.post("/customers", json!({ "name": "  ", "phone": "12345", "email": "not-mail", "founded_on": "2026-02-30", "customer_class": "D" })).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["code"], "invalid_input");
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str())
            .collect();
        for f in ["name", "phone", "email", "founded_on", "customer_class"] {
            assert!(fields.contains(&f), "{f} not named in {body}");
        }
        let (_, list) = api.get("/customers").await;
        assert_eq!(list["total"], 0);

        let id = api.customer("成都天成电子厂").await;
        let (st, body) = api.post(&format!("/customers/{id}/contacts"), json!({ "name": "李四", "birthday_calendar": "lunar", "birthday_month": "13", "birthday_day": "1", "personality": "grumpy" })).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(
            fields.contains(&"birthday") && fields.contains(&"personality"),
            "{body}"
        );
    });
}

#[tokio::test]
async fn the_customer_view_shows_each_contacts_approach_trust_and_history() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let api = t.api("sales1").await;
        let id = api.customer("宁波瑞丰机械有限公司").await;
        api.post(
            &format!("/customers/{id}/contacts"),
            json!({
                "name": "王五", "personality": "indecisive", "buying_role": "decision_maker",
                "personal_interest": true, "org_interest": false, "low_key": true,
                "birthday_calendar": "lunar", "birthday_month": "8", "birthday_day": "15"
            }),
        )
        .await;
        let (st, v) = api.get(&format!("/customers/{id}")).await;
        assert_eq!(st, StatusCode::OK);
        let k = &v["contacts"][0];
        assert_eq!(
            k["approach"],
            huike_domain::PersonalityType::Indecisive.approach(huike_domain::Lang::ZhCn)
        );
        assert_eq!(k["birthday"], "农历八月十五");
        assert_eq!(k["trust_quadrant"], "friend");
        assert!(k["low_key_tactics"].as_array().map(Vec::len) == Some(5));
        assert_eq!(v["trust"]["quadrant"], "friend");
        assert_eq!(v["trust"]["missing_axes"], json!(["organisational"]));

        // Archive sections: filling one confirms it; the others stay stale.
        let (st, c) = api.put(&format!("/customers/{id}"), json!({
            "name": "宁波瑞丰机械有限公司", "phone": "0574-88886666",
            "archive": { "sections": { "basic": { "owner.hobbies": "钓鱼" } }, "competitors": [] }
        })).await;
        assert_eq!(st, StatusCode::OK, "{c}");
        let (_, v) = api.get(&format!("/customers/{id}")).await;
        let stale: Vec<(String, bool)> = v["customer"]["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                (
                    s["section"].as_str().unwrap_or("").to_string(),
                    s["stale"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        assert!(stale.contains(&("basic".into(), false)), "{stale:?}");
        assert!(stale.contains(&("research".into(), true)), "{stale:?}");

        // History: create of the customer and contact, and the update with before → after.
        let (_, h) = api.get(&format!("/customers/{id}/history")).await;
        let changes = h.as_array().cloned().unwrap_or_default();
        assert!(changes.len() >= 3, "{h}");
        let update = changes
            .iter()
            .find(|e| e["action"] == "update")
            .expect("an update entry");
        let phone = update["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["field"] == "phone")
            .expect("phone change");
        assert_eq!(phone["before"], "010-88886666");
        assert_eq!(phone["after"], "0574-88886666");
        assert_eq!(update["actor_name"], "sales1");

        // A save based on an old version is refused rather than overwriting.
        let (st, body) = api
            .put(
                &format!("/customers/{id}"),
                json!({ "name": "旧版本", "version": 1 }),
            )
            .await;
        assert_eq!(st, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "stale_record");
    });
}

#[tokio::test]
async fn timeline_and_orders_belong_to_the_customer() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let api = t.api("sales1").await;
        let admin = t.api("admin").await;
        let id = api.customer("厦门佳美食品有限公司").await;
        let (st, cat) = admin
            .post("/categories", json!({ "name": "食品机械" }))
            .await;
        assert_eq!(st, StatusCode::CREATED);
        let (st, p) = admin.post("/products", json!({ "sku": "FM-1", "name": "封口机", "category_id": cat["id"], "unit": "台", "price": "1,234.50" })).await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        assert_eq!(p["price_fen"], 123450);
        let (st, _) = api
            .post(
                "/products",
                json!({ "sku": "X", "name": "x", "price": "1" }),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "reps do not edit the catalogue");

        let (st, o) = api.post("/orders", json!({ "customer_id": id, "order_date": "2026-03-30", "delivery_date": "2026-03-30",
            "lines": [{ "product_id": p["id"], "quantity": "3" }] })).await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        assert_eq!(o["total_fen"], 370350);
        let (st, bad) = api.post("/orders", json!({ "customer_id": id, "order_date": "2026-03-30", "delivery_date": "2026-03-01", "lines": [] })).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = bad["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(
            fields.contains(&"delivery_date") && fields.contains(&"lines"),
            "{bad}"
        );

        for (channel, summary) in [
            ("phone", "第二天回访"),
            ("wechat", "发送使用说明"),
            ("visit", "上门拜访"),
        ] {
            let (st, _) = api.post(&format!("/customers/{id}/interactions"), json!({ "channel": channel, "summary": summary, "occurred_at": "2026-04-01 10:00" })).await;
            assert_eq!(st, StatusCode::CREATED);
        }
        let (st, _) = api
            .post(
                &format!("/customers/{id}/interactions"),
                json!({ "channel": "pigeon", "summary": "x" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, tl) = api
            .get(&format!("/customers/{id}/interactions?channel=wechat"))
            .await;
        assert_eq!(tl.as_array().map(Vec::len), Some(1));
        let (_, v) = api.get(&format!("/customers/{id}")).await;
        assert_eq!(v["orders_total"], 1);
        assert_eq!(v["timeline"].as_array().map(Vec::len), Some(3));

        // Another department's rep cannot order for this customer.
        let (st, _) = t
            .api("sales3")
            .await
            .post(
                "/orders",
                json!({ "customer_id": id, "lines": [{ "product_id": p["id"], "quantity": "1" }] }),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn list_totals_follow_each_write_at_once() {
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        let sales1 = t.api("sales1").await;
        let manager1 = t.api("manager1").await;
        // Totals are remembered between requests: each write must make the next view exact.
        assert_eq!(total_of(&sales1, "/customers").await, 0);
        assert_eq!(total_of(&manager1, "/customers?class=A").await, 0);
        let id = sales1.customer("成都天府餐饮有限公司").await;
        assert_eq!(total_of(&sales1, "/customers").await, 1);
        assert_eq!(total_of(&sales1, "/contacts").await, 0);
        let (st, _) = sales1
            .post(
                &format!("/customers/{id}/contacts"),
                json!({ "name": "刘备" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        assert_eq!(total_of(&sales1, "/contacts").await, 1);
        // An edit that changes what a filter matches, by another user, right after the
        // total was remembered.
        assert_eq!(total_of(&manager1, "/customers?class=A").await, 0);
        let (st, body) = manager1
            .put(
                &format!("/customers/{id}"),
                json!({ "name": "成都天府餐饮有限公司", "customer_class": "A" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert_eq!(total_of(&manager1, "/customers?class=A").await, 1);
        // Handed to a colleague: gone from the first rep's totals, in the second's.
        let sales2 = t.api("sales2").await;
        assert_eq!(total_of(&sales1, "/customers").await, 1);
        assert_eq!(total_of(&sales1, "/contacts").await, 1);
        assert_eq!(total_of(&sales2, "/contacts").await, 0);
        let (st, body) = manager1
            .put(
                &format!("/customers/{id}"),
                json!({ "name": "成都天府餐饮有限公司", "owner_id": users.sales2 }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert_eq!(total_of(&sales1, "/customers").await, 0);
        assert_eq!(total_of(&sales1, "/contacts").await, 0);
        assert_eq!(total_of(&sales2, "/contacts").await, 1);
    });
}

/// The total of the list at `path` as `api`'s user sees it.
async fn total_of(api: &crate::helpers::Api, path: &str) -> serde_json::Value {
    api.get(path).await.1["total"].clone()
}

#[tokio::test]
async fn a_malformed_query_or_body_is_a_problem_body_naming_the_field() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let api = t.api("sales1").await;
        let (st, body) = api.get("/customers?per_page=abc").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["code"], "invalid_input", "{body}");
        assert_eq!(body["errors"][0]["field"], "per_page", "{body}");
        assert_eq!(body["errors"][0]["code"], "malformed", "{body}");
        // A JSON body of the wrong shape: the field is named and nothing is written.
        let (st, body) = api
            .post("/customers", json!({ "name": ["not", "a", "string"] }))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["errors"][0]["field"], "name", "{body}");
        assert_eq!(api.get("/customers").await.1["total"], 0);
        // Not JSON at all.
        let r = api
            .client
            .post(format!("{}/customers", api.base))
            .bearer_auth(&api.token)
            .header("content-type", "application/json")
            .body("{ not json")
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value = r.json().await.expect("a problem body");
        assert_eq!(body["errors"][0]["field"], "body", "{body}");
    });
}
