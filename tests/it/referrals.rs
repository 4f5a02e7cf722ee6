//! Referrals (索取推荐名单) and bird-dog rewards (猎犬计划): a good inquiry asks for names, the
//! tree follows three generations, and a reward falls due once, on the referred customer's
//! first delivered order.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::Api;
use crate::on_each_backend;

async fn refer(api: &Api, referrer: &str, name: &str) -> String {
    let (st, r) = api
        .post(
            &format!("/customers/{referrer}/referrals"),
            json!({ "prospect_name": name, "prospect_person": "王经理", "prospect_phone": "13812345678" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["status"], "new");
    r["id"].as_str().unwrap_or_default().to_string()
}

async fn convert(api: &Api, referral: &str, customer: &str) -> Value {
    let (st, r) = api
        .post(
            &format!("/referrals/{referral}/convert"),
            json!({ "customer_id": customer }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    r
}

fn order_body(customer: &str, product: &str, status: &str) -> Value {
    json!({ "customer_id": customer, "order_date": "2026-06-01", "delivery_date": "2026-06-03",
            "status": status, "lines": [{ "product_id": product, "quantity": "2" }] })
}

fn names(nodes: &Value) -> Vec<(String, Vec<String>)> {
    nodes
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|n| {
            (
                n["referral"]["prospect_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                n["children"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|c| c["referral"]["prospect_name"].as_str().map(str::to_string))
                    .collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_referral_tree_spans_three_generations_and_a_reward_falls_due_once_on_the_first_delivery()
{
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-06-01T10:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let rep = t.api("sales1").await;
        let other = t.api("sales2").await;
        // The policy: ¥200 and a tea set per converted referral (admins only).
        let (st, _) = rep
            .put(
                "/referral-policy",
                json!({ "amount": "200", "gift": "茶具一套" }),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, bad) = admin
            .put("/referral-policy", json!({ "amount": "-5", "gift": "" }))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "amount");
        let (st, p) = admin
            .put(
                "/referral-policy",
                json!({ "amount": "¥200.00", "gift": "茶具一套" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert_eq!(p["amount_fen"], 20_000);

        let (st, prod) = admin
            .post(
                "/products",
                json!({ "sku": "RF-1", "name": "封箱机", "unit": "台", "price": "1500" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{prod}");
        let product = prod["id"].as_str().unwrap_or_default().to_string();

        // Three generations: A referred B and C; B referred D; D referred E (a prospect).
        let a = rep.customer("杭州西湖茶业有限公司").await;
        let ab = refer(&rep, &a, "宁波江北包装有限公司").await;
        let ac = refer(&rep, &a, "绍兴柯桥布业有限公司").await;
        let b = rep.customer("宁波江北包装有限公司").await;
        convert(&rep, &ab, &b).await;
        let bd = refer(&rep, &b, "台州黄岩模具有限公司").await;
        let d = rep.customer("台州黄岩模具有限公司").await;
        convert(&rep, &bd, &d).await;
        refer(&rep, &d, "温州瓯海眼镜有限公司").await;
        let (st, lost) = rep
            .post(
                &format!("/referrals/{ac}/status"),
                json!({ "status": "lost" }),
            )
            .await;
        assert_eq!(
            st,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a lost referral needs a reason: {lost}"
        );
        let (st, lost) = rep
            .post(
                &format!("/referrals/{ac}/status"),
                json!({ "status": "lost", "reason": "已有固定供应商" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{lost}");

        let (_, tree) = rep.get(&format!("/customers/{a}/referral-tree")).await;
        assert_eq!(
            names(&tree),
            vec![
                (
                    "宁波江北包装有限公司".to_string(),
                    vec!["台州黄岩模具有限公司".to_string()]
                ),
                ("绍兴柯桥布业有限公司".to_string(), vec![]),
            ],
            "{tree}"
        );
        let third = &tree[0]["children"][0]["children"];
        assert_eq!(
            third[0]["referral"]["prospect_name"],
            "温州瓯海眼镜有限公司"
        );
        assert_eq!(tree[1]["referral"]["status"], "lost");
        // The customer page shows the tree, each generation indented, and records one more.
        let mut page = crate::pages::Browser::login(&t, "sales1").await;
        let (_, html) = page.get(&format!("/customers/{a}")).await;
        for (depth, name) in [
            (0, "宁波江北包装有限公司"),
            (1, "台州黄岩模具有限公司"),
            (2, "温州瓯海眼镜有限公司"),
        ] {
            let at = html
                .find(name)
                .unwrap_or_else(|| panic!("{name} on the page"));
            let li = &html[html[..at].rfind("<li").unwrap_or(0)..at];
            assert!(
                li.contains(&format!("data-depth=\"{depth}\"")),
                "{name}: {li}"
            );
        }
        let (st, _, loc) = page
            .post(
                &format!("/customers/{a}/referrals"),
                &[
                    ("prospect_name", "金华婺城五金有限公司"),
                    ("prospect_person", "陈总"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(loc, format!("/customers/{a}#referrals"));
        // A customer cannot be its own referral.
        let (st, _) = rep
            .post(
                &format!("/referrals/{ac}/convert"),
                json!({ "customer_id": a }),
            )
            .await;
        assert_eq!(st, StatusCode::CONFLICT);
        // B cannot be somebody else's referral too.
        let again = refer(&rep, &d, "宁波江北包装有限公司").await;
        let (st, _) = rep
            .post(
                &format!("/referrals/{again}/convert"),
                json!({ "customer_id": b }),
            )
            .await;
        assert_eq!(st, StatusCode::CONFLICT);

        // B's first order: nothing due while it is open; due once it is delivered, once.
        let (st, o) = rep.post("/orders", order_body(&b, &product, "open")).await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        let order = o["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(admin.get("/referral-rewards").await.1, json!([]));
        let (st, _) = rep
            .put(
                &format!("/orders/{order}"),
                order_body(&b, &product, "delivered"),
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        let (st, _) = rep
            .put(
                &format!("/orders/{order}"),
                order_body(&b, &product, "delivered"),
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        let (st, o2) = rep
            .post("/orders", order_body(&b, &product, "delivered"))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{o2}");
        let (_, due) = admin.get("/referral-rewards?status=due").await;
        let due = due.as_array().cloned().unwrap_or_default();
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0]["referrer_id"], a.as_str());
        assert_eq!(due[0]["order_id"], order.as_str());
        assert_eq!(due[0]["amount_fen"], 20_000);
        assert_eq!(due[0]["gift"], "茶具一套");
        assert_eq!(due[0]["due_on"], "2026-06-03");
        // Paid once, by a manager or admin.
        let reward = due[0]["id"].as_str().unwrap_or_default().to_string();
        let (st, _) = rep
            .post(&format!("/referral-rewards/{reward}/pay"), json!({}))
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, paid) = admin
            .post(
                &format!("/referral-rewards/{reward}/pay"),
                json!({ "note": "转账" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{paid}");
        assert_eq!(paid["status"], "paid");
        assert_eq!(paid["paid_on"], "2026-06-01");
        let (st, _) = admin
            .post(&format!("/referral-rewards/{reward}/pay"), json!({}))
            .await;
        assert_eq!(st, StatusCode::CONFLICT);
        // The referrals page: each referral under its referrer's name, nothing due any more,
        // and paying is for managers and admins there too.
        let (st, html) = page.get("/referrals").await;
        assert_eq!(st, StatusCode::OK);
        let table = &html[html.find(r#"id="referrals""#).expect("the list")..];
        assert!(
            table.contains(&format!(
                r#"<a href="/customers/{a}">杭州西湖茶业有限公司</a>"#
            )),
            "{table}"
        );
        assert!(html.contains("台州黄岩模具有限公司") && !html.contains(r#"id="rewards-due""#));
        let (st, _) = page.get("/referrals?status=lost").await;
        assert_eq!(st, StatusCode::OK);
        let (st, _, _) = page
            .post(
                &format!("/referrals/rewards/{reward}/pay"),
                &[("note", "现金")],
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // The report per rep and per customer.
        let (_, report) = rep.get("/referrals/report").await;
        // A's three, B's one, D's two (one of them a name already referred).
        assert_eq!(report["per_rep"][0]["referrals"], 6, "{report}");
        assert_eq!(report["per_rep"][0]["converted"], 2);
        assert_eq!(report["per_rep"][0]["rewards_paid_fen"], 20_000);
        let of_a = report["per_customer"]
            .as_array()
            .and_then(|l| l.iter().find(|c| c["customer_id"] == a.as_str()))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(
            (&of_a["referrals"], &of_a["converted"]),
            (&json!(3), &json!(1))
        );
        // Another rep sees none of it.
        assert_eq!(other.get("/referrals").await.1, json!([]));
        assert_eq!(other.get("/referrals/report").await.1["per_rep"], json!([]));
        let (st, _) = other.get(&format!("/customers/{a}/referral-tree")).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn a_satisfied_inquiry_asks_for_referrals() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-01-05T10:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let rep = t.api("sales1").await;
        let (_, prod) = admin
            .post(
                "/products",
                json!({ "sku": "RF-2", "name": "打包机", "unit": "台", "price": "800" }),
            )
            .await;
        let customer = rep.customer("嘉善西塘木业有限公司").await;
        let (st, o) = rep
            .post(
                "/orders",
                json!({ "customer_id": customer, "order_date": "2026-01-05",
                        "lines": [{ "product_id": prod["id"], "quantity": "1" }] }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        // 90 days on, the inquiry is planned and done: the customer is satisfied.
        t.app.clock.set("2026-04-05T10:00:00+08:00").expect("clock");
        huike_app::tasks::plan_inquiries(&t.app)
            .await
            .expect("plan");
        let (_, inq) = rep
            .get(&format!("/tasks?kind=inquiry&customer_id={customer}"))
            .await;
        let id = inq["items"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (_, none) = rep
            .get(&format!("/tasks?kind=referral_ask&customer_id={customer}"))
            .await;
        assert_eq!(none["total"], 0);
        let (st, done) = rep
            .post(
                &format!("/tasks/{id}/done"),
                json!({ "outcome": "reached", "note": "很满意" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{done}");
        let (_, ask) = rep
            .get(&format!("/tasks?kind=referral_ask&customer_id={customer}"))
            .await;
        assert_eq!(ask["total"], 1, "{ask}");
        assert_eq!(ask["items"][0]["due_date"], "2026-04-05");
        assert_eq!(ask["items"][0]["status"], "open");
    });
}
