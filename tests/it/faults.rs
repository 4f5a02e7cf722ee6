//! Correct our own mistakes first (及时纠正): a fault campaign on a product reaches every
//! buyer of the batch once, each through its own owner, and no one else.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::Api;
use crate::on_each_backend;

async fn product(admin: &Api, sku: &str, name: &str) -> String {
    let (st, p) = admin
        .post(
            "/products",
            json!({ "sku": sku, "name": name, "unit": "台", "price": "980" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    p["id"].as_str().unwrap_or_default().to_string()
}

fn order_body(customer: &str, product: &str, day: &str, status: &str) -> Value {
    json!({ "customer_id": customer, "order_date": day, "status": status,
            "lines": [{ "product_id": product, "quantity": "1" }] })
}

async fn order(api: &Api, customer: &str, product: &str, day: &str) -> (String, String) {
    let (st, o) = api
        .post("/orders", order_body(customer, product, day, "open"))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{o}");
    (
        o["id"].as_str().unwrap_or_default().to_string(),
        o["number"].as_str().unwrap_or_default().to_string(),
    )
}

/// The customers a user's fault tasks are for.
async fn fault_customers(api: &Api) -> Vec<String> {
    let (_, page) = api.get("/tasks?kind=fault&per_page=100").await;
    let mut out: Vec<String> = page["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t["customer_id"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_fault_campaign_gives_every_buyer_of_the_batch_exactly_one_task_and_no_one_else() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-05-10T10:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let sales1 = t.api("sales1").await;
        let sales2 = t.api("sales2").await;
        let sales3 = t.api("sales3").await;
        let faulty = product(&admin, "HX-9", "恒温箱").await;
        let other = product(&admin, "HX-1", "干燥箱").await;
        let x = sales1.customer("常熟虞山机电有限公司").await;
        let v = sales1.customer("太仓港区物流有限公司").await;
        let y = sales1.customer("昆山花桥电子有限公司").await;
        let z = sales1.customer("张家港保税贸易有限公司").await;
        let w = sales1.customer("吴江盛泽纺织有限公司").await;
        let u = sales3.customer("南通崇川船舶配件有限公司").await;
        let (_, x_no) = order(&sales1, &x, &faulty, "2026-03-05").await;
        order(&sales1, &v, &faulty, "2026-03-20").await;
        order(&sales1, &v, &faulty, "2026-04-02").await;
        order(&sales1, &y, &faulty, "2026-01-10").await;
        order(&sales1, &z, &other, "2026-03-15").await;
        let (w_order, _) = order(&sales1, &w, &faulty, "2026-03-25").await;
        let (st, c) = sales1
            .put(
                &format!("/orders/{w_order}"),
                order_body(&w, &faulty, "2026-03-25", "cancelled"),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{c}");
        order(&sales3, &u, &faulty, "2026-04-30").await;

        let batch = json!({ "title": "温控器批次缺陷", "notice": "三月、四月出厂的恒温箱温控器可能失灵；我们免费上门更换。",
                             "order_from": "2026-03-01", "order_to": "2026-04-30" });
        // Reps do not start campaigns; bad input names its field and starts nothing.
        let (st, _) = sales1
            .post(
                &format!("/products/{faulty}/fault-campaigns"),
                batch.clone(),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, bad) = admin
            .post(
                &format!("/products/{faulty}/fault-campaigns"),
                json!({ "title": "", "notice": "x", "order_from": "2026-05-01", "order_to": "2026-04-31" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let fields: BTreeSet<&str> = bad["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(fields, BTreeSet::from(["title", "order_to"]));
        assert_eq!(admin.get("/fault-campaigns").await.1, json!([]));

        let (st, f) = admin
            .post(&format!("/products/{faulty}/fault-campaigns"), batch)
            .await;
        assert_eq!(st, StatusCode::CREATED, "{f}");
        assert_eq!(f["customers"], 3);
        assert_eq!(f["progress"]["open"], 3);
        let campaign = f["id"].as_str().unwrap_or_default().to_string();
        // X and V (once, though it bought twice) for sales1; U for sales3; not Y (out of the
        // range), Z (another product), W (cancelled).
        let mut mine = vec![x.clone(), v.clone()];
        mine.sort();
        assert_eq!(fault_customers(&sales1).await, mine);
        assert_eq!(fault_customers(&sales3).await, vec![u.clone()]);
        assert!(fault_customers(&sales2).await.is_empty());
        // Each rep sees the campaign's progress among their own customers only.
        let (_, seen) = sales1.get(&format!("/fault-campaigns/{campaign}")).await;
        assert_eq!(seen["progress"]["open"], 2, "{seen}");
        let (_, list) = sales1
            .get(&format!("/fault-campaigns/{campaign}/customers"))
            .await;
        assert_eq!(list["total"], 2, "{list}");
        let (st, _) = sales2.get(&format!("/fault-campaigns/{campaign}")).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (_, theirs) = sales3.get("/fault-campaigns").await;
        assert_eq!(theirs.as_array().map(Vec::len), Some(1));

        // The task carries the notice; the customer accepting the remedy is recorded.
        let (_, tasks) = sales1
            .get(&format!("/tasks?kind=fault&customer_id={x}"))
            .await;
        let task = tasks["items"][0].clone();
        assert!(
            task["doubts"]
                .as_str()
                .is_some_and(|d| d.contains("免费上门更换")),
            "{task}"
        );
        let (st, done) = sales1
            .post(
                &format!("/tasks/{}/done", task["id"].as_str().unwrap_or_default()),
                json!({ "outcome": "remedy_accepted", "note": "下周二上门" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{done}");
        let (_, seen) = admin.get(&format!("/fault-campaigns/{campaign}")).await;
        assert_eq!(seen["progress"]["remedy_accepted"], 1);
        assert_eq!(seen["progress"]["open"], 2);
        // "Remedy accepted" is for fault notices only.
        let (_, thanks) = sales1
            .get(&format!("/tasks?kind=thank_you&customer_id={y}"))
            .await;
        let (st, refused) = sales1
            .post(
                &format!(
                    "/tasks/{}/done",
                    thanks["items"][0]["id"].as_str().unwrap_or_default()
                ),
                json!({ "outcome": "remedy_accepted" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

        // A manager's campaign by order number covers their department's customers.
        let manager = t.api("manager1").await;
        let (st, f) = manager
            .post(
                &format!("/products/{faulty}/fault-campaigns"),
                json!({ "title": "发错货", "notice": "这张订单发错了型号，我们马上换。", "order_numbers": format!("{x_no}, NOPE-1") }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{f}");
        assert_eq!(f["customers"], 1);
    });
}
