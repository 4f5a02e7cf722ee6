//! The order import through the API: one row per order line, the after-sale tasks of each
//! imported order planned from the app's today (the past ones only on request), the same file
//! imported twice making nothing twice, bad rows named with nothing written, and the
//! importer's reach over customers.

use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp};
use crate::on_each_backend;

const HEADERS: &[&str] = &[
    "订单号",
    "客户",
    "联系人",
    "下单日期",
    "交付日期",
    "订单状态",
    "尚存的疑虑",
    "产品",
    "数量",
    "单价",
];

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    // A title above the header, as exported order lists often have.
    ws.write_string(0, 0, "2026 年 3 月订单").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The same rows as CSV text under English headers.
fn csv(rows: &[&[&str]]) -> Vec<u8> {
    let mut out = String::from(
        "Order number,Customer,Contact,Order date,Delivery date,Status,Doubts,SKU,Qty,Unit price\n",
    );
    for row in rows {
        let cells: Vec<String> = row.iter().map(|v| format!("\"{v}\"")).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

/// Imports a file through the API; the status and the report.
async fn import(
    api: &Api,
    name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let r = api
        .client
        .post(format!("{}/imports/orders", api.base))
        .bearer_auth(&api.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// A product AS-1 at 880 yuan and AS-2 at 100 (made by the admin), and a customer of `api`'s
/// user with the contact 王建国.
async fn setup(t: &TestApp, api: &Api, customer: &str) -> String {
    let admin = t.api("admin").await;
    for (sku, price) in [("AS-1", "880"), ("AS-2", "100")] {
        let (st, p) = admin
            .post(
                "/products",
                json!({ "sku": sku, "name": format!("封口机 {sku}"), "unit": "台", "price": price }),
            )
            .await;
        assert!(
            st == StatusCode::CREATED || st == StatusCode::CONFLICT,
            "{p}"
        );
    }
    let id = api.customer(customer).await;
    let (st, k) = api
        .post(
            &format!("/customers/{id}/contacts"),
            json!({ "name": "王建国", "personality": "composed" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{k}");
    id
}

/// The order's tasks as (kind, due date, status), in due order.
async fn tasks_of(api: &Api, order: &str) -> Vec<(String, String, String)> {
    let (st, page) = api
        .get(&format!("/tasks?order_id={order}&per_page=100"))
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let mut v: Vec<(String, String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["kind"].as_str().unwrap().to_string(),
                t["due_date"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    v
}

fn row(kind: &str, due: &str, status: &str) -> (String, String, String) {
    (kind.to_string(), due.to_string(), status.to_string())
}

fn imported_id(report: &Value, number: &str) -> String {
    report["imported"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["number"] == number)
        .and_then(|o| o["id"].as_str())
        .unwrap_or_else(|| panic!("{number} not imported: {report}"))
        .to_string()
}

async fn order_total(api: &Api) -> u64 {
    let (st, page) = api.get("/orders").await;
    assert_eq!(st, StatusCode::OK, "{page}");
    page["total"].as_u64().unwrap()
}

async fn task_total(api: &Api) -> u64 {
    let (st, page) = api.get("/tasks").await;
    assert_eq!(st, StatusCode::OK, "{page}");
    page["total"].as_u64().unwrap()
}

const CUSTOMER: &str = "宁波海曙顺丰包装有限公司";

#[tokio::test]
async fn an_imported_order_gets_one_thank_you_and_three_calls_and_a_second_import_adds_nothing() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-03-30T09:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        setup(&t, &api, CUSTOMER).await;
        // Two lines of one order: the second gives only its line (the order's fields blank).
        let file = workbook(&[
            &[
                "HK-1001",
                CUSTOMER,
                "王建国",
                "2026-03-30",
                "2026-03-30",
                "",
                "担心安装周期太长",
                "AS-1",
                "2",
                "",
            ],
            &["HK-1001", "", "", "", "", "", "", "AS-2", "1", "95.5"],
        ]);
        let (st, report) = import(&api, "orders.xlsx", file.clone(), &[("commit", "true")]).await;
        assert_eq!(st, StatusCode::OK, "{report}");
        assert_eq!(report["committed"], true, "{report}");
        assert_eq!(report["header_row"], 2, "the title row is skipped");
        assert_eq!(
            (report["orders"].as_u64(), report["lines"].as_u64()),
            (Some(1), Some(2))
        );
        assert_eq!(report["tasks"], 4, "{report}");
        let order = imported_id(&report, "HK-1001");

        let (st, o) = api.get(&format!("/orders/{order}")).await;
        assert_eq!(st, StatusCode::OK, "{o}");
        assert_eq!(o["order"]["number"], "HK-1001");
        assert_eq!(o["order"]["status"], "open");
        assert_eq!(o["order"]["doubts"], "担心安装周期太长");
        // 2 × 880 at the catalogue price + 1 × 95.50 as the file says.
        assert_eq!(o["order"]["total_fen"], 185_550, "{o}");
        assert_eq!(o["lines"].as_array().unwrap().len(), 2);

        assert_eq!(
            tasks_of(&api, &order).await,
            vec![
                row("thank_you", "2026-03-30", "open"),
                row("day_2", "2026-04-01", "open"),
                row("day_5", "2026-04-04", "open"),
                row("day_12", "2026-04-11", "open"),
            ]
        );
        let (_, page) = api.get(&format!("/tasks?order_id={order}")).await;
        for task in page["items"].as_array().unwrap() {
            assert_eq!(task["owner_name"], "sales1", "{task}");
            assert_eq!(task["contact_name"], "王建国", "{task}");
            assert!(!task["purpose"].as_str().unwrap().is_empty(), "{task}");
            let doubts = if task["kind"] == "day_2" {
                "担心安装周期太长"
            } else {
                ""
            };
            assert_eq!(task["doubts"], doubts, "{task}");
        }

        // The same file again: the order is skipped, nothing is made twice.
        let (st, again) = import(&api, "orders.xlsx", file, &[("commit", "true")]).await;
        assert_eq!(st, StatusCode::OK, "{again}");
        assert_eq!(again["committed"], true, "{again}");
        assert_eq!(again["imported"], json!([]), "{again}");
        assert_eq!(again["skipped"][0]["number"], "HK-1001", "{again}");
        assert_eq!(again["skipped"][0]["code"], "already_imported");
        assert_eq!(again["skipped"][0]["row"], 3);
        assert!(
            again["skipped"][0]["message_zh"]
                .as_str()
                .unwrap()
                .contains("已导入")
        );
        assert_eq!(again["tasks"], 0);
        assert_eq!(order_total(&api).await, 1);
        assert_eq!(task_total(&api).await, 4);
        assert_eq!(tasks_of(&api, &order).await.len(), 4);
    });
}

#[tokio::test]
async fn past_orders_get_only_the_calls_still_ahead_unless_the_backlog_is_asked_for() {
    on_each_backend!(|t| {
        t.seed_users().await;
        // Five days after the deal: the note (03-30) and the day-2 call (04-01) are past, the
        // day-5 call is today.
        t.app.clock.set("2026-04-04T09:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let customer = setup(&t, &api, CUSTOMER).await;
        let file = csv(&[
            &[
                "HK-1",
                CUSTOMER,
                "王建国",
                "2026/3/30",
                "2026-03-30",
                "",
                "担心售后",
                "AS-1",
                "1",
                "",
            ],
            &[
                "HK-2",
                &customer,
                "",
                "2026-03-30",
                "2026-03-30",
                "已取消",
                "",
                "AS-1",
                "1",
                "",
            ],
        ]);
        let (st, report) = import(&api, "orders.csv", file, &[("commit", "true")]).await;
        assert_eq!(st, StatusCode::OK, "{report}");
        assert_eq!(report["committed"], true, "{report}");
        assert_eq!(report["past_tasks"], false);
        let past = imported_id(&report, "HK-1");
        assert_eq!(
            tasks_of(&api, &past).await,
            vec![
                row("day_5", "2026-04-04", "open"),
                row("day_12", "2026-04-11", "open"),
            ]
        );
        // A cancelled order gets no open work.
        let cancelled = imported_id(&report, "HK-2");
        assert_eq!(tasks_of(&api, &cancelled).await, vec![]);

        // Saving the imported order again (same values) does not bring the past ones back.
        let (st, o) = api.get(&format!("/orders/{past}")).await;
        assert_eq!(st, StatusCode::OK, "{o}");
        let product = o["lines"][0]["product_id"].as_str().unwrap().to_string();
        let (st, saved) = api
            .put(
                &format!("/orders/{past}"),
                json!({
                    "customer_id": customer,
                    "contact_id": o["order"]["contact_id"],
                    "order_date": "2026-03-30",
                    "delivery_date": "2026-03-30",
                    "doubts": "担心售后",
                    "notes": "已电话确认",
                    "lines": [{ "product_id": product, "quantity": "1" }],
                }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{saved}");
        assert_eq!(tasks_of(&api, &past).await.len(), 2);

        // Asked for, the backlog comes too, open.
        let file = csv(&[&[
            "HK-3",
            CUSTOMER,
            "",
            "2026-03-30",
            "2026-03-30",
            "delivered",
            "",
            "AS-1",
            "1",
            "",
        ]]);
        let (st, report) = import(
            &api,
            "orders.csv",
            file,
            &[("commit", "true"), ("past_tasks", "true")],
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{report}");
        assert_eq!(report["past_tasks"], true);
        let backlog = imported_id(&report, "HK-3");
        assert_eq!(
            tasks_of(&api, &backlog).await,
            vec![
                row("thank_you", "2026-03-30", "open"),
                row("day_2", "2026-04-01", "open"),
                row("day_5", "2026-04-04", "open"),
                row("day_12", "2026-04-11", "open"),
            ]
        );
        // Today shows the overdue backlog of that order, and today's call of the first.
        let (_, today) = api.get("/today").await;
        assert_eq!(today["due"], 4, "{today}");
        assert_eq!(today["overdue"], 2, "{today}");
    });
}

#[tokio::test]
async fn a_bad_row_is_named_by_row_column_and_reason_and_nothing_is_written() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-03-30T09:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        setup(&t, &api, CUSTOMER).await;
        let file = csv(&[
            &[
                "HK-1",
                CUSTOMER,
                "",
                "2026-03-30",
                "",
                "",
                "",
                "AS-1",
                "1",
                "",
            ],
            &[
                "HK-2",
                "没有这家公司",
                "",
                "2026-03-30",
                "",
                "",
                "",
                "AS-1",
                "1",
                "",
            ],
            &[
                "HK-3",
                CUSTOMER,
                "",
                "2026-02-30",
                "",
                "",
                "",
                "AS-1",
                "1",
                "",
            ],
            &[
                "HK-4",
                CUSTOMER,
                "",
                "2026-03-30",
                "",
                "",
                "",
                "NO-SUCH",
                "1",
                "",
            ],
            &[
                "HK-5",
                CUSTOMER,
                "",
                "2026-03-30",
                "2026-03-01",
                "",
                "",
                "AS-1",
                "-2",
                "",
            ],
        ]);
        for commit in ["false", "true"] {
            let (st, report) =
                import(&api, "orders.csv", file.clone(), &[("commit", commit)]).await;
            assert_eq!(st, StatusCode::OK, "{report}");
            assert_eq!(report["committed"], false, "{report}");
            let errors: Vec<(u64, &str, &str, &str)> = report["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["row"].as_u64().unwrap(),
                        e["field"].as_str().unwrap(),
                        e["column"].as_str().unwrap_or_default(),
                        e["code"].as_str().unwrap(),
                    )
                })
                .collect();
            assert_eq!(
                errors,
                vec![
                    (3, "customer_id", "Customer", "unknown_customer"),
                    (4, "order_date", "Order date", "invalid_date"),
                    (5, "product", "SKU", "unknown_product"),
                    (6, "delivery_date", "Delivery date", "before_order"),
                    (6, "quantity", "Qty", "invalid_quantity"),
                ],
                "{report}"
            );
            let e = &report["errors"];
            assert_eq!(e[0]["value"], "没有这家公司");
            assert!(
                e[0]["message_zh"]
                    .as_str()
                    .unwrap()
                    .starts_with("第 3 行："),
                "{e}"
            );
            assert!(
                e[0]["message_en"]
                    .as_str()
                    .unwrap()
                    .contains("没有这家公司"),
                "{e}"
            );
            // The order form's own wording.
            assert_eq!(
                e[1]["message_en"],
                "Row 4: Order date must be a real date written YYYY-MM-DD, e.g. 2026-03-30; got \"2026-02-30\"."
            );
            assert_eq!(
                e[2]["message_zh"],
                "第 5 行：没有产品编号（SKU）或 ID 为「NO-SUCH」的产品。"
            );
            assert_eq!(
                e[3]["message_zh"],
                "第 6 行：「交付日期」不能早于下单日期。"
            );
            assert_eq!(
                e[4]["message_en"],
                "Row 6: quantity must be a positive whole number; got \"-2\"."
            );
            assert_eq!(report["errors_total"], 5);
            assert_eq!(report["error_rows"], 4);
        }
        assert_eq!(order_total(&api).await, 0);
        assert_eq!(task_total(&api).await, 0);

        // A file without a required column says which and checks no row.
        let bare = "订单号,客户,产品\nHK-9,x,AS-1\n".as_bytes().to_vec();
        let (st, report) = import(&api, "bare.csv", bare, &[("commit", "true")]).await;
        assert_eq!(st, StatusCode::OK, "{report}");
        let missing: Vec<&str> = report["column_errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["message_en"].as_str().unwrap())
            .collect();
        assert_eq!(missing.len(), 2, "{report}");
        assert!(
            missing[0].contains("Order date") && missing[1].contains("Quantity"),
            "{missing:?}"
        );
        assert_eq!(report["committed"], false);

        // A bad form part or file is refused as the customer import refuses it.
        let (st, p) = import(&api, "orders.csv", csv(&[]), &[("past_tasks", "yes")]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(p["errors"][0]["field"], "past_tasks", "{p}");
        let (st, p) = import(&api, "orders.csv", csv(&[]), &[("mapping", "{}")]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        let (st, p) = import(&api, "orders.xlsx", b"PK\x03\x04broken".to_vec(), &[]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(p["errors"][0]["field"], "file", "{p}");
        assert_eq!(order_total(&api).await, 0);
    });
}

#[tokio::test]
async fn an_import_reaches_only_the_customers_its_user_may_take_orders_for() {
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        t.app.clock.set("2026-03-30T09:00:00+08:00").expect("clock");
        let sales1 = t.api("sales1").await;
        let mine = setup(&t, &sales1, CUSTOMER).await;
        let sales3 = t.api("sales3").await;
        let theirs = sales3.customer("杭州西湖五金有限公司").await;
        let line = |number: &str, customer: &str| -> Vec<String> {
            [
                number,
                customer,
                "",
                "2026-03-30",
                "",
                "",
                "",
                "AS-1",
                "1",
                "",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        let file_of = |rows: Vec<Vec<String>>| {
            let rows: Vec<Vec<&str>> = rows
                .iter()
                .map(|r| r.iter().map(String::as_str).collect())
                .collect();
            let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
            csv(&rows)
        };

        // A rep of the same department who was not given the customer: by name or id, it is
        // not found, and nothing is written.
        let sales2 = t.api("sales2").await;
        let file = file_of(vec![line("HK-1", CUSTOMER), line("HK-2", &mine)]);
        let (st, report) = import(&sales2, "orders.csv", file, &[("commit", "true")]).await;
        assert_eq!(st, StatusCode::OK, "{report}");
        assert_eq!(report["committed"], false, "{report}");
        let codes: Vec<&str> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["unknown_customer", "unknown_customer"], "{report}");

        // The manager of sales1's department may; another department's customer is not found.
        let manager = t.api("manager1").await;
        let file = file_of(vec![line("HK-3", &mine), line("HK-4", &theirs)]);
        let (_, report) = import(&manager, "orders.csv", file, &[("commit", "true")]).await;
        assert_eq!(report["committed"], false, "{report}");
        assert_eq!(report["errors"][0]["row"], 3, "{report}");
        assert_eq!(report["errors"][0]["code"], "unknown_customer");
        let file = file_of(vec![line("HK-3", &mine)]);
        let (_, report) = import(&manager, "orders.csv", file, &[("commit", "true")]).await;
        assert_eq!(report["committed"], true, "{report}");
        // The salesperson is the customer's owner, as on the form; so are the tasks.
        let order = imported_id(&report, "HK-3");
        let (_, o) = sales1.get(&format!("/orders/{order}")).await;
        assert_eq!(o["order"]["salesperson_id"], users.sales1.as_str(), "{o}");
        let (_, page) = sales1.get(&format!("/tasks?order_id={order}")).await;
        assert_eq!(page["total"], 4, "{page}");
        assert!(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["owner_name"] == "sales1")
        );

        // Service agents do not change the archive: no import at all.
        let service = t.api("service1").await;
        let file = file_of(vec![line("HK-5", &mine)]);
        let (st, p) = import(&service, "orders.csv", file, &[("commit", "true")]).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{p}");
        let admin = t.api("admin").await;
        assert_eq!(order_total(&admin).await, 1);
    });
}

/// `huike` against a SQLite file, its clock at `now`.
fn huike(db_url: &str, now: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_huike"))
        .args(args)
        .env("HUIKE_DATABASE_URL", db_url)
        .env("HUIKE_LOG", "warn")
        .env("HUIKE_PASSWORD", "cli-password-1")
        .env("HUIKE_TEST_NOW", now)
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_cli_imports_orders_with_the_calls_ahead_or_the_backlog_and_skips_repeats() {
    let dir = std::env::temp_dir().join(format!("huike_cli_{}", uuid::Uuid::now_v7().simple()));
    let _scratch = crate::helpers::Scratch::dir(dir.clone());
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/huike.sqlite3", dir.display());
    let now = "2026-04-04T09:00:00+08:00";
    let text = |o: &std::process::Output| {
        format!(
            "status {:?}\nstdout:\n{}\nstderr:\n{}",
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let out = huike(
        &url,
        now,
        &["user", "add", "--username", "admin", "--role", "admin"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let customers = dir.join("customers.csv");
    std::fs::write(
        &customers,
        format!("客户名称,电话\n{CUSTOMER},010-88886666\n"),
    )
    .unwrap();
    let out = huike(&url, now, &["import", customers.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO products (id, sku, name, price_fen, created_at, updated_at) \
             VALUES ('p1', 'AS-1', '封口机', 88000, 0, 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let orders = dir.join("orders.csv");
    std::fs::write(
        &orders,
        format!("订单号,客户,下单日期,交付日期,产品,数量\nHK-1,{CUSTOMER},2026-03-30,2026-03-30,AS-1,1\n"),
    )
    .unwrap();
    let file = orders.to_str().unwrap();

    let out = huike(&url, now, &["import-orders", file, "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("dry run: everything is right; 1 orders would be imported"),
        "{}",
        text(&out)
    );
    let out = huike(&url, now, &["import-orders", file]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("imported 1 orders (0 skipped as already imported) with 2 after-sale tasks due today or later"),
        "{}",
        text(&out)
    );
    let out = huike(&url, now, &["import-orders", file, "--past-tasks"]);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("skipped: order \"HK-1\" was imported before"),
        "{}",
        text(&out)
    );
    assert!(
        stdout
            .contains("imported 0 orders (1 skipped as already imported) with 0 after-sale tasks"),
        "{}",
        text(&out)
    );

    let backlog = dir.join("backlog.csv");
    std::fs::write(
        &backlog,
        format!("Order number,Customer,Order date,Delivery date,SKU,Qty\nHK-2,{CUSTOMER},2026-03-30,2026-03-30,AS-1,1\nHK-3,{CUSTOMER},2026-03-30,,NO-SUCH,1\n"),
    )
    .unwrap();
    let out = huike(
        &url,
        now,
        &["import-orders", backlog.to_str().unwrap(), "--past-tasks"],
    );
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("Row 3: no product has the code (SKU) or id \"NO-SUCH\"."),
        "{}",
        text(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing was imported"),
        "{}",
        text(&out)
    );
    std::fs::write(
        &backlog,
        format!("Order number,Customer,Order date,Delivery date,SKU,Qty\nHK-2,{CUSTOMER},2026-03-30,2026-03-30,AS-1,1\n"),
    )
    .unwrap();
    let out = huike(
        &url,
        now,
        &["import-orders", backlog.to_str().unwrap(), "--past-tasks"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("imported 1 orders (0 skipped as already imported) with 4 after-sale tasks, those already due included"),
        "{}",
        text(&out)
    );
}
