//! After-sale tasks: each order's thank-you note and 2-5-12 calls on the method's dates, moved
//! and cancelled with the order, and Today's lists and actions for each role.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp};
use crate::on_each_backend;

/// A product to order (made by the admin) and a customer of `api`'s user with a low-key,
/// composed contact.
async fn setup(t: &TestApp, api: &Api) -> (String, String, String) {
    let admin = t.api("admin").await;
    let (st, p) = admin
        .post(
            "/products",
            json!({ "sku": "AS-1", "name": "封口机", "unit": "台", "price": "880" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let customer = api.customer("宁波海曙顺丰包装有限公司").await;
    let (st, k) = api
        .post(
            &format!("/customers/{customer}/contacts"),
            json!({ "name": "王建国", "personality": "composed", "low_key": true }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{k}");
    (
        p["id"].as_str().unwrap_or_default().to_string(),
        customer,
        k["id"].as_str().unwrap_or_default().to_string(),
    )
}

fn order_body(
    customer: &str,
    contact: &str,
    product: &str,
    ordered: &str,
    delivered: &str,
) -> Value {
    json!({
        "customer_id": customer,
        "contact_id": contact,
        "order_date": ordered,
        "delivery_date": delivered,
        "doubts": "担心安装周期太长",
        "lines": [{ "product_id": product, "quantity": "1" }],
    })
}

/// The order's tasks as (kind, due date, status), in due order.
async fn tasks_of(api: &Api, order: &str) -> Vec<(String, String, String)> {
    let (st, page) = api
        .get(&format!("/tasks?order_id={order}&per_page=100"))
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let mut v: Vec<(String, String, String)> = page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        t["kind"].as_str().unwrap_or_default().to_string(),
                        t["due_date"].as_str().unwrap_or_default().to_string(),
                        t["status"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    v
}

fn row(kind: &str, due: &str, status: &str) -> (String, String, String) {
    (kind.to_string(), due.to_string(), status.to_string())
}

fn task_id(page: &Value, kind: &str) -> String {
    page["items"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["kind"] == kind))
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn an_order_makes_its_thank_you_and_2_5_12_tasks_on_the_methods_dates() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-03-30T09:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (product, customer, contact) = setup(&t, &api).await;

        let (st, o) = api
            .post(
                "/orders",
                order_body(&customer, &contact, &product, "2026-03-28", "2026-03-30"),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        let order = o["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(o["status"], "open");
        assert_eq!(o["doubts"], "担心安装周期太长");
        assert_eq!(
            tasks_of(&api, &order).await,
            vec![
                row("thank_you", "2026-03-28", "open"),
                row("day_2", "2026-04-01", "open"),
                row("day_5", "2026-04-04", "open"),
                row("day_12", "2026-04-11", "open"),
            ]
        );
        // Each with its owner, its purpose from the method, and the doubts on the day-2 call only.
        let (_, page) = api.get(&format!("/tasks?order_id={order}")).await;
        for task in page["items"].as_array().cloned().unwrap_or_default() {
            assert_eq!(task["owner_name"], "sales1", "{task}");
            assert_eq!(task["contact_name"], "王建国");
            assert!(!task["purpose"].as_str().unwrap_or_default().is_empty());
            let doubts = if task["kind"] == "day_2" {
                "担心安装周期太长"
            } else {
                ""
            };
            assert_eq!(task["doubts"], doubts, "{task}");
        }

        // Saving the same order again makes no second set.
        let (st, again) = api
            .put(
                &format!("/orders/{order}"),
                order_body(&customer, &contact, &product, "2026-03-28", "2026-03-30"),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{again}");
        assert_eq!(tasks_of(&api, &order).await.len(), 4);

        // A finished call stays as history when the delivery date moves; the open ones move.
        let (st, done) = api
            .post(
                &format!("/tasks/{}/done", task_id(&page, "day_2")),
                json!({ "outcome": "reached", "note": "已经用上了" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{done}");
        let (st, moved) = api
            .put(
                &format!("/orders/{order}"),
                order_body(&customer, &contact, &product, "2026-03-28", "2026-04-02"),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{moved}");
        assert_eq!(
            tasks_of(&api, &order).await,
            vec![
                row("thank_you", "2026-03-28", "open"),
                row("day_2", "2026-04-01", "done"),
                row("day_5", "2026-04-07", "open"),
                row("day_12", "2026-04-14", "open"),
            ]
        );

        // Cancelling cancels the open ones; reinstating reopens them.
        let mut cancel = order_body(&customer, &contact, &product, "2026-03-28", "2026-04-02");
        cancel["status"] = json!("cancelled");
        let (st, c) = api.put(&format!("/orders/{order}"), cancel).await;
        assert_eq!(st, StatusCode::OK, "{c}");
        assert_eq!(c["status"], "cancelled");
        assert_eq!(
            tasks_of(&api, &order).await,
            vec![
                row("thank_you", "2026-03-28", "cancelled"),
                row("day_2", "2026-04-01", "done"),
                row("day_5", "2026-04-07", "cancelled"),
                row("day_12", "2026-04-14", "cancelled"),
            ]
        );
        let mut reopen = order_body(&customer, &contact, &product, "2026-03-28", "2026-04-02");
        reopen["status"] = json!("open");
        let (st, _) = api.put(&format!("/orders/{order}"), reopen).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(
            tasks_of(&api, &order)
                .await
                .iter()
                .filter(|r| r.2 == "open")
                .count(),
            3
        );

        // Across a year's end, and counted from the order day without a delivery date.
        let (_, o2) = api
            .post(
                "/orders",
                order_body(&customer, &contact, &product, "2027-12-20", "2027-12-30"),
            )
            .await;
        let o2 = o2["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(
            tasks_of(&api, &o2).await,
            vec![
                row("thank_you", "2027-12-20", "open"),
                row("day_2", "2028-01-01", "open"),
                row("day_5", "2028-01-04", "open"),
                row("day_12", "2028-01-11", "open"),
            ]
        );
        let (_, o3) = api
            .post(
                "/orders",
                order_body(&customer, &contact, &product, "2026-03-30", ""),
            )
            .await;
        let o3 = o3["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(
            tasks_of(&api, &o3).await,
            vec![
                row("thank_you", "2026-03-30", "open"),
                row("day_2", "2026-04-01", "open"),
                row("day_5", "2026-04-04", "open"),
                row("day_12", "2026-04-11", "open"),
            ]
        );

        // A status that does not exist is refused, naming the field, and changes nothing.
        let mut bad = order_body(&customer, &contact, &product, "2026-03-30", "");
        bad["status"] = json!("shipped");
        let (st, e) = api.put(&format!("/orders/{o3}"), bad).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "status", "{e}");
    });
}

#[tokio::test]
async fn today_lists_each_users_own_work_and_records_what_was_done() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-01T09:00:00+08:00").expect("clock");
        let sales1 = t.api("sales1").await;
        let (product, customer, contact) = setup(&t, &sales1).await;
        let (st, o) = sales1
            .post(
                "/orders",
                order_body(&customer, &contact, &product, "2026-03-30", "2026-03-30"),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        let order = o["id"].as_str().unwrap_or_default().to_string();

        // The rep's Today: the thank-you note (overdue since 03-30) and today's day-2 call with
        // the doubts, the contact's approach and the low-key tactics.
        let (st, today) = sales1.get("/today").await;
        assert_eq!(st, StatusCode::OK, "{today}");
        assert_eq!(today["today"], "2026-04-01");
        assert_eq!(today["due"], 2, "{today}");
        assert_eq!(today["overdue"], 1, "{today}");
        let kinds: Vec<&str> = today["groups"]
            .as_array()
            .map(|g| g.iter().filter_map(|x| x["kind"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(kinds, ["thank_you", "day_2"]);
        let call = &today["groups"][1]["tasks"][0];
        assert_eq!(call["doubts"], "担心安装周期太长");
        assert_eq!(call["personality"], "composed");
        assert!(
            call["approach"].as_str().is_some_and(|a| !a.is_empty()),
            "{call}"
        );
        assert_eq!(call["low_key"], true);
        assert_eq!(call["low_key_tactics"].as_array().map(Vec::len), Some(5));
        assert_eq!(call["overdue"], false);
        assert_eq!(today["groups"][0]["tasks"][0]["overdue"], true);
        let call_id = call["id"].as_str().unwrap_or_default().to_string();
        let thanks_id = today["groups"][0]["tasks"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();

        // Another rep, of the same department or not, sees none of it.
        for other in ["sales2", "sales3"] {
            let api = t.api(other).await;
            let (_, their) = api.get("/today").await;
            assert_eq!(their["due"], 0, "{other}: {their}");
            let (_, list) = api.get("/tasks").await;
            assert_eq!(list["total"], 0, "{other}: {list}");
            let (st, _) = api.get(&format!("/tasks/{call_id}")).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{other}");
            let (st, _) = api
                .post(
                    &format!("/tasks/{call_id}/done"),
                    json!({ "outcome": "reached" }),
                )
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{other}");
        }
        // The manager sees the department's work per rep.
        let manager = t.api("manager1").await;
        let (_, mt) = manager.get("/today").await;
        let team = mt["team"].as_array().cloned().unwrap_or_default();
        assert_eq!(team.len(), 1, "{mt}");
        assert_eq!(team[0]["display_name"], "sales1");
        assert_eq!(team[0]["due"], 2);
        assert_eq!(team[0]["overdue"], 1);
        let (st, _) = manager.get(&format!("/tasks/{call_id}")).await;
        assert_eq!(st, StatusCode::OK);

        // Done needs an outcome; with one, the outcome is on the timeline.
        let (st, e) = sales1
            .post(&format!("/tasks/{call_id}/done"), json!({ "note": "x" }))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "outcome", "{e}");
        let (st, done) = sales1
            .post(
                &format!("/tasks/{call_id}/done"),
                json!({ "outcome": "problem", "note": "机器漏油" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{done}");
        assert_eq!(done["status"], "done");
        assert_eq!(done["outcome"], "problem");
        let (_, timeline) = sales1
            .get(&format!("/customers/{customer}/interactions"))
            .await;
        let entry = timeline
            .as_array()
            .or_else(|| timeline["items"].as_array())
            .and_then(|a| a.iter().find(|i| i["task_id"] == call_id.as_str()))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(entry["problem"], true, "{timeline}");
        assert_eq!(entry["channel"], "phone");
        assert!(
            entry["summary"]
                .as_str()
                .is_some_and(|s| s.contains("机器漏油") && s.contains("发现问题")),
            "{entry}"
        );
        let (st, _) = sales1
            .post(
                &format!("/tasks/{call_id}/done"),
                json!({ "outcome": "reached" }),
            )
            .await;
        assert_eq!(
            st,
            StatusCode::CONFLICT,
            "a finished task cannot be finished again"
        );

        // Snooze: never into the past; a snoozed task leaves Today.
        let (st, e) = sales1
            .post(
                &format!("/tasks/{thanks_id}/snooze"),
                json!({ "until": "2026-03-31" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["code"], "in_the_past", "{e}");
        let (st, s) = sales1
            .post(
                &format!("/tasks/{thanks_id}/snooze"),
                json!({ "until": "2026-04-03" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{s}");
        assert_eq!(s["due_date"], "2026-04-03");
        let (_, today) = sales1.get("/today").await;
        assert_eq!(today["due"], 0, "{today}");
        // Saving the order again keeps the snoozed date (its dates did not change).
        let (st, _) = sales1
            .put(
                &format!("/orders/{order}"),
                order_body(&customer, &contact, &product, "2026-03-30", "2026-03-30"),
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        let (_, th) = sales1.get(&format!("/tasks/{thanks_id}")).await;
        assert_eq!(th["due_date"], "2026-04-03");

        // Reassign: managers only, and only to someone who can see the customer.
        let users = huike_app::users::pickable(&t.app).await.expect("users");
        let id_of = |name: &str| {
            users
                .iter()
                .find(|u| u.username == name)
                .map(|u| u.id.clone())
                .unwrap_or_default()
        };
        let (st, _) = sales1
            .post(
                &format!("/tasks/{thanks_id}/reassign"),
                json!({ "owner_id": id_of("sales2") }),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, e) = manager
            .post(
                &format!("/tasks/{thanks_id}/reassign"),
                json!({ "owner_id": id_of("sales2") }),
            )
            .await;
        assert_eq!(st, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["errors"][0]["code"], "cannot_see_customer", "{e}");
        let (st, r) = manager
            .post(
                &format!("/tasks/{thanks_id}/reassign"),
                json!({ "owner_id": id_of("manager1") }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["owner_name"], "manager1");
        t.app.clock.set("2026-04-03T09:00:00+08:00").expect("clock");
        let (_, mt) = manager.get("/today").await;
        assert_eq!(mt["due"], 1, "{mt}");
        assert_eq!(mt["groups"][0]["tasks"][0]["id"], thanks_id.as_str());
    });
}

/// A backlog far past what a day holds: Today lists the first 50, earliest first, and the
/// counts stop at 1,000 and say so ("1000+"), on the API, the page and the header.
#[tokio::test]
async fn a_backlog_past_the_count_cap_is_shown_as_at_least_1000() {
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        t.app.clock.set("2026-04-01T09:00:00+08:00").expect("clock");
        let sales1 = t.api("sales1").await;
        let customer = sales1.customer("宁波海曙顺丰包装有限公司").await;
        // 1,002 overdue (from 2026-03-01 on) and 3 due today, written straight to the table as
        // a long absence would leave them.
        let rows: Vec<huike_store::bulk::TaskRow> = (0..1005)
            .map(|i| {
                let due = if i < 1002 {
                    format!("2026-03-{:02}", 1 + i % 31)
                } else {
                    "2026-04-01".to_string()
                };
                huike_store::bulk::TaskRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    idem_key: format!("backlog:{i}"),
                    kind: "inquiry".into(),
                    status: "open".into(),
                    customer_id: customer.clone(),
                    contact_id: None,
                    order_id: None,
                    owner_id: Some(users.sales1.clone()),
                    department_id: None,
                    due_date: due,
                    doubts: String::new(),
                    outcome: None,
                    outcome_note: String::new(),
                    done_at: None,
                    done_on: None,
                    done_by: None,
                    created_at: 0,
                    updated_at: 0,
                    promise_id: None,
                }
            })
            .collect();
        let mut conn = t.app.db.pool().acquire().await.expect("conn");
        huike_store::bulk::insert_tasks(&mut conn, &rows)
            .await
            .expect("tasks");
        drop(conn);

        let (st, today) = sales1.get("/today").await;
        assert_eq!(st, StatusCode::OK, "{today}");
        assert_eq!(today["due"], 1000);
        assert_eq!(today["due_at_least"], true);
        assert_eq!(today["overdue"], 1000);
        assert_eq!(today["overdue_at_least"], true);
        assert_eq!(today["more"], true);
        let listed = &today["groups"][0]["tasks"];
        assert_eq!(listed.as_array().map(Vec::len), Some(50));
        assert_eq!(listed[0]["due_date"], "2026-03-01");

        // The page and the header say "1000+".
        let (client, _) = t.session("sales1").await;
        let html = |path: &'static str| {
            let req = client.get(format!("{}{path}", t.base));
            async move {
                let res = req.send().await.expect("page");
                res.text().await.expect("html")
            }
        };
        let page = html("/").await;
        assert!(page.contains(">1000+</span>"), "the header's count");
        assert!(page.contains("1000+</span> ·"), "the summary's due count");
        // Today fills the header from its own count; every other page counts for it.
        let other = html("/customers").await;
        assert!(
            other.contains(">1000+</span>"),
            "the header's count elsewhere"
        );

        // Below the cap the counts are exact again: finish all but 999 of the overdue ones.
        sqlx::query(
            "UPDATE tasks SET status = 'done' WHERE idem_key LIKE 'backlog:%' \
             AND due_date < '2026-04-01' AND idem_key NOT IN \
             (SELECT idem_key FROM tasks WHERE idem_key LIKE 'backlog:%' \
              AND due_date < '2026-04-01' ORDER BY idem_key LIMIT 999)",
        )
        .execute(t.app.db.pool())
        .await
        .expect("finish");
        let (_, today) = sales1.get("/today").await;
        assert_eq!(today["due"], 1000);
        assert_eq!(today["due_at_least"], true);
        assert_eq!(today["overdue"], 999);
        assert_eq!(today["overdue_at_least"], false);
    });
}

#[tokio::test]
async fn the_today_page_finishes_a_task_without_javascript() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-01T09:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (product, customer, contact) = setup(&t, &api).await;
        let (st, _) = api
            .post(
                "/orders",
                order_body(&customer, &contact, &product, "2026-03-30", "2026-03-30"),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        let (_, today) = api.get("/today").await;
        let call_id = today["groups"][1]["tasks"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();

        let (client, csrf) = t.session("sales1").await;
        let html = client
            .get(format!("{}/", t.base))
            .send()
            .await
            .expect("today")
            .text()
            .await
            .unwrap_or_default();
        assert!(html.contains(&format!("id=\"task-{call_id}\"")), "{html}");
        assert!(html.contains("担心安装周期太长"));
        assert!(
            html.contains("id=\"nav-due\""),
            "the header shows the count due"
        );
        // A plain form post (no htmx): back to Today, the task gone from it.
        let r = client
            .post(format!("{}/tasks/{call_id}/done", t.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("outcome", "reached"),
                ("note", "用得很好"),
            ])
            .send()
            .await
            .expect("done");
        assert_eq!(r.url().path(), "/", "redirected back to Today");
        let html = r.text().await.unwrap_or_default();
        assert!(!html.contains(&format!("id=\"task-{call_id}\"")));
        // With htmx the card comes back in place, showing the outcome.
        let (_, today) = api.get("/today").await;
        let thanks = today["groups"][0]["tasks"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let r = client
            .post(format!("{}/tasks/{thanks}/done", t.base))
            .header("hx-request", "true")
            .form(&[("_csrf", csrf.as_str()), ("outcome", "not_reached")])
            .send()
            .await
            .expect("done");
        assert_eq!(r.status(), StatusCode::OK);
        let card = r.text().await.unwrap_or_default();
        assert!(card.starts_with("<article"), "{card}");
        assert!(card.contains("data-status=\"done\""), "{card}");
        // The customer page's timeline shows what was recorded.
        let page = client
            .get(format!("{}/customers/{customer}", t.base))
            .send()
            .await
            .expect("customer")
            .text()
            .await
            .unwrap_or_default();
        assert!(page.contains("用得很好"), "timeline entry missing");
    });
}

/// The open inquiry tasks as (customer, due date).
async fn inquiries(api: &Api) -> Vec<(String, String)> {
    let (st, page) = api
        .get("/tasks?kind=inquiry&status=open&per_page=100")
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let mut v: Vec<(String, String)> = page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        t["customer_id"].as_str().unwrap_or_default().to_string(),
                        t["due_date"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[tokio::test]
async fn inquiries_are_planned_every_90_days_and_each_slot_runs_once_across_instances() {
    use huike_app::jobs;
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-01-02T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (product, active, contact) = setup(&t, &api).await;
        let line = json!([{ "product_id": product, "quantity": "1" }]);
        let (st, _) = api
            .post("/orders", json!({ "customer_id": active, "contact_id": contact, "order_date": "2026-01-02", "lines": line }))
            .await;
        assert_eq!(st, StatusCode::CREATED);
        // Bought over a year before: not active, never asked.
        let dormant = api.customer("沈阳北方重工配件厂").await;
        let (st, _) = api
            .post(
                "/orders",
                json!({ "customer_id": dormant, "order_date": "2024-12-01", "lines": line }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        // Active, and its inquiry fell due long ago while nobody planned it.
        let overdue = api.customer("无锡新纪元纺织有限公司").await;
        let (st, _) = api
            .post(
                "/orders",
                json!({ "customer_id": overdue, "order_date": "2025-06-01", "lines": line }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);

        // A second instance on the same database, on the same clock.
        let db = huike_store::Db::connect(&t.database_url)
            .await
            .expect("second instance");
        let other = huike_app::App::with_clock(db, t.app.settings.clone(), t.app.clock.clone());

        // 2026-03-25: the active customer's inquiry (due 04-02) is beyond the week planned.
        t.app.clock.set("2026-03-25T07:00:00+08:00").expect("clock");
        let (a, b) = tokio::join!(jobs::tick(&t.app, "one"), jobs::tick(&other, "two"));
        let ran: Vec<_> = a
            .expect("tick one")
            .into_iter()
            .chain(b.expect("tick two"))
            .collect();
        let planned: Vec<_> = ran.iter().filter(|r| r.job == "plan_inquiries").collect();
        assert_eq!(planned.len(), 1, "one instance ran the slot: {ran:?}");
        assert_eq!(planned[0].slot, "2026-03-25");
        assert_eq!(
            inquiries(&api).await,
            vec![(overdue.clone(), "2026-03-25".to_string())]
        );

        // 2026-03-26: now within the week; both instances tick at once, the slot runs once.
        t.app.clock.set("2026-03-26T07:00:00+08:00").expect("clock");
        let (a, b) = tokio::join!(jobs::tick(&t.app, "one"), jobs::tick(&other, "two"));
        let ran: Vec<_> = a
            .expect("tick one")
            .into_iter()
            .chain(b.expect("tick two"))
            .collect();
        assert_eq!(
            ran.iter().filter(|r| r.job == "plan_inquiries").count(),
            1,
            "{ran:?}"
        );
        let mut want = vec![
            (active.clone(), "2026-04-02".to_string()),
            (overdue.clone(), "2026-03-25".to_string()),
        ];
        want.sort();
        assert_eq!(inquiries(&api).await, want);
        // Ticking again in the same slot runs nothing; planning again makes nothing new.
        let again = jobs::tick(&t.app, "one").await.expect("tick");
        assert!(again.iter().all(|r| r.job != "plan_inquiries"), "{again:?}");
        jobs::run_now(&other, jobs::PLAN_INQUIRIES, "cli")
            .await
            .expect("run now");
        assert_eq!(inquiries(&api).await, want);

        // A slot missed while every instance was down runs at the next start: 2026-03-28 at
        // 05:00 is still the 27th's slot, which never ran.
        t.app.clock.set("2026-03-28T05:00:00+08:00").expect("clock");
        let ran = jobs::tick(&other, "restarted").await.expect("tick");
        assert!(
            ran.iter()
                .any(|r| r.job == "plan_inquiries" && r.slot == "2026-03-27"),
            "{ran:?}"
        );

        // Done on 2026-04-03: the next one is 90 days after that, planned a week ahead.
        t.app.clock.set("2026-04-03T15:00:00+08:00").expect("clock");
        let (_, page) = api
            .get(&format!("/tasks?kind=inquiry&customer_id={active}"))
            .await;
        let id = page["items"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (st, d) = api
            .post(
                &format!("/tasks/{id}/done"),
                json!({ "outcome": "reached", "note": "很满意" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{d}");
        t.app.clock.set("2026-06-24T07:00:00+08:00").expect("clock");
        jobs::tick(&t.app, "one").await.expect("tick");
        assert!(!inquiries(&api).await.iter().any(|(c, _)| *c == active));
        t.app.clock.set("2026-06-25T07:00:00+08:00").expect("clock");
        jobs::tick(&t.app, "one").await.expect("tick");
        assert!(
            inquiries(&api)
                .await
                .contains(&(active.clone(), "2026-07-02".to_string())),
            "{:?}",
            inquiries(&api).await
        );
        assert!(!inquiries(&api).await.iter().any(|(c, _)| *c == dormant));
        other.close().await;
    });
}

#[tokio::test]
async fn a_promise_reminds_before_its_day_escalates_after_it_and_counts_when_broken() {
    use huike_app::jobs;
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        let sales1 = t.api("sales1").await;
        let manager = t.api("manager1").await;
        let customer = sales1.customer("嘉兴南湖食品有限公司").await;

        // Refused, naming the field: a day in the past, nothing promised.
        let (st, e) = sales1
            .post(
                "/promises",
                json!({ "customer_id": customer, "what": "寄样品", "due_date": "2026-03-31" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["code"], "in_the_past");
        let (st, e) = sales1
            .post(
                "/promises",
                json!({ "customer_id": customer, "what": " ", "due_date": "2026-04-03" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "what");

        // Records it names that are not there, or not the customer's, are answered 404
        // naming the field, as everywhere in the API (and never reach the database's keys).
        for (field, value) in [
            ("customer_id", "no-such-customer"),
            ("contact_id", "no-such-contact"),
            ("interaction_id", "no-such-entry"),
            ("task_id", "no-such-task"),
        ] {
            let mut input =
                json!({ "customer_id": customer, "what": "寄样品", "due_date": "2026-04-03" });
            input[field] = json!(value);
            let (st, e) = sales1.post("/promises", input).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{field}: {e}");
            assert_eq!(e["errors"][0]["field"], field, "{e}");
        }

        let (st, p) = sales1
            .post(
                "/promises",
                json!({ "customer_id": customer, "what": "周五前寄送样品", "to_whom": "王经理", "due_date": "2026-04-03" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        assert_eq!(p["status"], "open");
        assert_eq!(p["owner_name"], "sales1");
        let id = p["id"].as_str().unwrap_or_default().to_string();
        // The timeline shows it; the reminder falls due the day before.
        let (_, timeline) = sales1
            .get(&format!("/customers/{customer}/interactions"))
            .await;
        assert!(
            timeline.to_string().contains("周五前寄送样品"),
            "{timeline}"
        );
        let (_, reminders) = sales1.get("/tasks?kind=promise").await;
        assert_eq!(reminders["total"], 1, "{reminders}");
        assert_eq!(reminders["items"][0]["due_date"], "2026-04-02");
        assert_eq!(reminders["items"][0]["promise_what"], "周五前寄送样品");
        let (_, today) = sales1.get("/today").await;
        assert_eq!(today["due"], 0, "not yet: {today}");
        t.app.clock.set("2026-04-02T09:00:00+08:00").expect("clock");
        let (_, today) = sales1.get("/today").await;
        assert_eq!(today["groups"][0]["kind"], "promise", "{today}");
        assert_eq!(today["groups"][0]["tasks"][0]["promise_to"], "王经理");

        // The manager has an e-mail address on file (and an English page), so hears of it:
        // an admin sets it on the user page, which refuses one that is not an address.
        let admin = t.api("admin").await;
        let (_, users) = admin.get("/users?per_page=100").await;
        let m1 = users["items"]
            .as_array()
            .and_then(|a| a.iter().find(|u| u["username"] == "manager1"))
            .cloned()
            .unwrap_or(Value::Null);
        let m1_id = m1["id"].as_str().unwrap_or_default().to_string();
        let dep = m1["department_id"].as_str().unwrap_or_default().to_string();
        let (page, csrf) = t.session("admin").await;
        for (email, status) in [
            ("not an address", StatusCode::UNPROCESSABLE_ENTITY),
            ("Manager1@Example.com", StatusCode::OK),
        ] {
            let r = page
                .post(format!("{}/users/{m1_id}", t.base))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("display_name", "manager1"),
                    ("role", "manager"),
                    ("department_id", dep.as_str()),
                    ("locale", "en"),
                    ("active", "on"),
                    ("email", email),
                ])
                .send()
                .await
                .expect("user form");
            assert_eq!(r.status(), status, "{email}");
            let html = r.text().await.unwrap_or_default();
            if status != StatusCode::OK {
                assert!(
                    html.contains("id=\"e-email\""),
                    "the field is named: {html}"
                );
            }
        }

        // The day after its day it is broken and lands on the manager's Today.
        t.app.clock.set("2026-04-03T23:00:00+08:00").expect("clock");
        jobs::tick(&t.app, "one").await.expect("tick");
        let (_, still) = sales1.get(&format!("/promises/{id}")).await;
        assert_eq!(
            still["broken_on"],
            Value::Null,
            "due today is not late: {still}"
        );
        t.app.clock.set("2026-04-04T00:30:00+08:00").expect("clock");
        let ran = jobs::tick(&t.app, "one").await.expect("tick");
        assert!(
            ran.iter()
                .any(|r| r.job == "escalate_promises" && r.slot == "2026-04-04"),
            "{ran:?}"
        );
        let (_, late) = sales1.get(&format!("/promises/{id}")).await;
        assert_eq!(late["broken_on"], "2026-04-04", "{late}");
        assert_eq!(late["overdue"], true);
        let (_, mt) = manager.get("/today").await;
        let escalated = mt["groups"]
            .as_array()
            .and_then(|g| g.iter().find(|x| x["kind"] == "promise"))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(
            escalated["tasks"][0]["promise_what"], "周五前寄送样品",
            "{mt}"
        );
        assert_eq!(escalated["tasks"][0]["owner_name"], "manager1");
        // And an e-mail to the manager, in their language, waits in the outbox.
        let (_, mail) = admin.get("/outbox?channel=email").await;
        let to_manager: Vec<&Value> = mail["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|m| m["recipient"] == "Manager1@example.com")
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(to_manager.len(), 1, "{mail}");
        assert_eq!(
            to_manager[0]["subject"],
            "Promise broken: 嘉兴南湖食品有限公司"
        );
        assert_eq!(to_manager[0]["lang"], "en");
        assert!(
            to_manager[0]["body"]
                .as_str()
                .is_some_and(|b| b.contains("周五前寄送样品") && b.contains("2026-04-03")),
            "{mail}"
        );
        assert_eq!(mt["broken_promises"][0]["display_name"], "sales1", "{mt}");
        assert_eq!(mt["broken_promises"][0]["broken"], 1);

        // Kept late: recorded, but it still counts as broken.
        let (st, kept) = sales1
            .post(
                &format!("/promises/{id}/close"),
                json!({ "kept": true, "note": "晚了一天寄出" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{kept}");
        assert_eq!(kept["status"], "kept");
        let (_, open_promise_tasks) = manager.get("/tasks?kind=promise&status=open").await;
        assert_eq!(open_promise_tasks["total"], 0, "its tasks closed with it");
        let (st, _) = sales1
            .post(&format!("/promises/{id}/close"), json!({ "kept": false }))
            .await;
        assert_eq!(st, StatusCode::CONFLICT);

        // Broken outright before its day: counted in the month it broke.
        let (_, p2) = sales1
            .post("/promises", json!({ "customer_id": customer, "what": "下周上门培训", "due_date": "2026-04-10" }))
            .await;
        let id2 = p2["id"].as_str().unwrap_or_default().to_string();
        let (st, b) = sales1
            .post(
                &format!("/promises/{id2}/close"),
                json!({ "kept": false, "note": "讲师请假" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(b["broken_on"], "2026-04-04");
        let (_, counts) = manager.get("/promises/broken?month=2026-04").await;
        assert_eq!(
            counts,
            json!([{ "user_id": counts[0]["user_id"], "display_name": "sales1", "broken": 2 }])
        );
        let (_, mine) = sales1.get("/promises/broken").await;
        assert_eq!(mine[0]["broken"], 2, "a rep sees their own figure");
        let (_, other) = t.api("sales3").await.get("/promises/broken").await;
        assert_eq!(other, json!([]), "another department's rep sees none of it");
        let (_, may) = manager.get("/promises/broken?month=2026-05").await;
        assert_eq!(may, json!([]));
        // Exactly YYYY-MM, as the document states it.
        for month in ["April", "2026-4", "2026-13", "%202026-04"] {
            let (st, e) = manager
                .get(&format!("/promises/broken?month={month}"))
                .await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{month}: {e}");
            assert_eq!(e["errors"][0]["field"], "month");
        }
    });
}

/// What Python's icalendar library reads from a feed.
fn read_ics(ics: &str) -> Value {
    use std::io::Write;
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/read_ics.py");
    let mut child = std::process::Command::new("/usr/bin/python3")
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with python3-icalendar");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(ics.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("read_ics");
    assert!(
        out.status.success(),
        "the feed does not parse as iCalendar:\n{ics}"
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[tokio::test]
async fn the_calendar_feed_lists_a_users_own_open_tasks_until_revoked() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-01T09:00:00+08:00").expect("clock");
        let sales1 = t.api("sales1").await;
        let (product, customer, contact) = setup(&t, &sales1).await;
        let (st, _) = sales1
            .post(
                "/orders",
                order_body(&customer, &contact, &product, "2026-03-30", "2026-03-30"),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        // Another rep's work, which must never show in sales1's feed.
        let sales2 = t.api("sales2").await;
        let theirs = sales2.customer("台州黄岩模具有限公司").await;
        let (st, _) = sales2
            .post("/orders", json!({ "customer_id": theirs, "order_date": "2026-03-30", "lines": [{ "product_id": product, "quantity": "1" }] }))
            .await;
        assert_eq!(st, StatusCode::CREATED);

        let (_, off) = sales1.get("/calendar-feed").await;
        assert_eq!(off["on"], false);
        let (st, on) = sales1.post("/calendar-feed", json!({})).await;
        assert_eq!(st, StatusCode::OK, "{on}");
        let path = on["path"].as_str().unwrap_or_default().to_string();
        assert!(
            path.starts_with("/feeds/") && path.ends_with(".ics"),
            "{on}"
        );
        let (_, again) = sales1.get("/calendar-feed").await;
        assert_eq!(again["on"], true);
        assert!(again.get("path").is_none(), "the URL is shown once");

        let client = reqwest::Client::new();
        let r = client
            .get(format!("{}{path}", t.base))
            .send()
            .await
            .expect("feed");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/calendar"))
        );
        let cal = read_ics(&r.text().await.unwrap_or_default());
        let mut days: Vec<(String, bool)> = cal["events"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["start"].as_str().unwrap_or_default().to_string(),
                            e["all_day"] == true,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        days.sort();
        assert_eq!(
            days,
            [
                ("2026-03-30", true),
                ("2026-04-01", true),
                ("2026-04-04", true),
                ("2026-04-11", true)
            ]
            .map(|(d, a)| (d.to_string(), a))
        );
        let events = cal["events"].as_array().cloned().unwrap_or_default();
        assert!(
            events.iter().all(|e| e["summary"]
                .as_str()
                .is_some_and(|s| s.contains("宁波海曙顺丰包装有限公司"))),
            "{cal}"
        );
        assert!(
            !cal.to_string().contains("台州黄岩模具有限公司"),
            "another rep's customer leaked"
        );
        let call = events
            .iter()
            .find(|e| e["start"] == "2026-04-01")
            .cloned()
            .unwrap_or(Value::Null);
        assert!(
            call["description"]
                .as_str()
                .is_some_and(|d| d.contains("担心安装周期太长")),
            "{call}"
        );

        // Done work leaves the feed; a new URL replaces the old one; off means 404.
        let (_, today) = sales1.get("/today").await;
        let id = today["groups"][1]["tasks"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (st, _) = sales1
            .post(
                &format!("/tasks/{id}/done"),
                json!({ "outcome": "reached" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        let ics = client
            .get(format!("{}{path}", t.base))
            .send()
            .await
            .expect("feed")
            .text()
            .await
            .unwrap_or_default();
        assert_eq!(read_ics(&ics)["events"].as_array().map(Vec::len), Some(3));
        let (_, renewed) = sales1.post("/calendar-feed", json!({})).await;
        let r = client
            .get(format!("{}{path}", t.base))
            .send()
            .await
            .expect("feed");
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "the old URL stopped working"
        );
        let new_path = renewed["path"].as_str().unwrap_or_default().to_string();
        let r = client
            .get(format!("{}{new_path}", t.base))
            .send()
            .await
            .expect("feed");
        assert_eq!(r.status(), StatusCode::OK);
        let (st, _) = sales1
            .send(reqwest::Method::DELETE, "/calendar-feed", None)
            .await;
        assert_eq!(st, StatusCode::OK);
        let r = client
            .get(format!("{}{new_path}", t.base))
            .send()
            .await
            .expect("feed");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    });
}
