//! Order numbers: orders saved at the same moment each get their own number of the day.

use std::collections::BTreeSet;
use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_each_backend;

/// How many orders are saved at once: well above the PostgreSQL pool (16 connections), so
/// transactions really overlap.
const CONCURRENT: usize = 50;

#[tokio::test]
async fn orders_saved_at_the_same_moment_get_distinct_numbers_of_their_day() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let admin = t.api("admin").await;
        let (st, p) = admin
            .post(
                "/products",
                json!({ "sku": "ON-1", "name": "打包机", "unit": "台", "price": "880" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let api = Arc::new(t.api("sales1").await);
        let customer = api.customer("杭州顺达物流有限公司").await;
        let body = json!({
            "customer_id": customer,
            "order_date": "2026-03-30",
            "lines": [{ "product_id": p["id"], "quantity": "2" }],
        });

        let mut saves = tokio::task::JoinSet::new();
        for _ in 0..CONCURRENT {
            let api = api.clone();
            let body = body.clone();
            saves.spawn(async move { api.post("/orders", body).await });
        }
        let mut numbers = BTreeSet::new();
        let mut refused: Vec<(StatusCode, Value)> = Vec::new();
        while let Some(done) = saves.join_next().await {
            let (st, order) = done.expect("request task");
            if st != StatusCode::CREATED || order.get("errors").is_some() {
                refused.push((st, order));
                continue;
            }
            let number = order["number"].as_str().unwrap_or_default().to_string();
            numbers.insert(number);
        }
        assert!(
            refused.is_empty(),
            "{} of {CONCURRENT} saves were refused, e.g. {:?}",
            refused.len(),
            refused.first()
        );
        assert_eq!(numbers.len(), CONCURRENT, "distinct numbers: {numbers:?}");
        for n in &numbers {
            let seq = n.strip_prefix("SO-20260330-").unwrap_or_default();
            assert!(
                seq.len() == 4 && seq.bytes().all(|b| b.is_ascii_digit()),
                "{n} is not an order number of 2026-03-30"
            );
        }

        // All of them were stored, and the next order carries on after them.
        let (st, list) = api.get("/orders?per_page=100").await;
        assert_eq!(st, StatusCode::OK, "{list}");
        assert_eq!(list["total"], CONCURRENT, "{list}");
        let (st, next) = api.post("/orders", body.clone()).await;
        assert_eq!(st, StatusCode::CREATED, "{next}");
        let next = next["number"].as_str().unwrap_or_default().to_string();
        assert!(
            numbers.iter().all(|n| *n < next),
            "{next} after {numbers:?}"
        );
    });
}
