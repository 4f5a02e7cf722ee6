//! Import (upload, dry run, all-or-nothing commit, row-by-row report) and list export through
//! the API and the CLI, on both backends. Files are built here (no binary fixtures).

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use huike_app::import::{self, ImportOptions, ImportProgress, ReadOptions, read_table};
use reqwest::StatusCode;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp};
use crate::on_each_backend;

// ---------------------------------------------------------------- files

fn write_row(ws: &mut Worksheet, row: u32, cells: &[&str]) {
    for (c, v) in cells.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(row, c as u16, *v).unwrap();
        }
    }
}

fn workbook(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_row(ws, 0, headers);
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        write_row(ws, r as u32 + 1, &cells);
    }
    wb.save_to_buffer().unwrap()
}

/// Excel and rust_xlsxwriter refuse cells over 32,767 characters, other tools write them:
/// put `value` where `placeholder` is in the shared strings.
fn replace_shared_string(xlsx: &[u8], placeholder: &str, value: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == "xl/sharedStrings.xml" {
            let xml = String::from_utf8(data).unwrap();
            assert!(xml.contains(placeholder));
            data = xml.replace(placeholder, value).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Ten megabytes of text (3 bytes a character in UTF-8).
fn ten_megabytes() -> String {
    "长".repeat(10 * 1024 * 1024 / 3)
}

/// A title row, merged customer cells over three contact rows, blank rows, a customer repeated
/// with a different phone (row 9), a malformed phone (row 7), a 10 MB cell (row 10), and a
/// customer the database already has, written with a space (row 11).
fn messy_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户").unwrap();
    let bold = Format::new().set_bold();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 6, "2026年客户名单", &bold).unwrap();
    write_row(
        ws,
        1,
        &[
            "客户名称*",
            "电话",
            "城市",
            "地址",
            "联系人",
            "手机",
            "角色",
        ],
    );
    ws.merge_range(2, 0, 4, 0, "华为技术有限公司", &plain)
        .unwrap();
    ws.merge_range(2, 1, 4, 1, "0755-28780808", &plain).unwrap();
    ws.merge_range(2, 2, 4, 2, "深圳", &plain).unwrap();
    write_row(
        ws,
        2,
        &["", "", "", "坂田华为基地", "张三", "13812345678", "决策者"],
    );
    write_row(ws, 3, &["", "", "", "", "李四", "139 1234 5678", "采购"]);
    write_row(ws, 4, &["", "", "", "", "王五", "", "使用者"]);
    write_row(
        ws,
        6,
        &["腾讯", "0755-86013388", "深圳", "", "马六", "12345", ""],
    );
    write_row(
        ws,
        8,
        &["华为技术有限公司", "010-12345678", "", "", "赵七", "", ""],
    );
    write_row(
        ws,
        9,
        &[
            "阿里巴巴",
            "0571-85022088",
            "杭州",
            "__BIG__",
            "孙八",
            "",
            "",
        ],
    );
    write_row(
        ws,
        10,
        &["小米 科技", "", "北京", "", "雷九", "13900001111", ""],
    );
    write_row(
        ws,
        11,
        &["京东", "010-89126666", "北京", "", "刘十", "", ""],
    );
    let bytes = wb.save_to_buffer().unwrap();
    replace_shared_string(&bytes, "__BIG__", &ten_megabytes())
}

/// The same kinds of trouble in a GBK CSV with a title line and blank lines.
fn messy_gbk_csv() -> Vec<u8> {
    let text = format!(
        "客户名单（2026）\r\n\r\n客户名称,电话,联系人,手机,地址\r\n\
         华为技术有限公司,0755-28780808,张三,13812345678,\r\n\r\n\
         腾讯,0755-86013388,马六,12345,\r\n\
         华为技术有限公司,010-12345678,赵七,,\r\n\
         小米科技,,雷九,13900001111,\r\n\
         阿里巴巴,0571-85022088,孙八,,{}\r\n",
        "长".repeat(5 * 1024 * 1024)
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(gbk.len() > 10_000_000);
    gbk.into_owned()
}

const GOOD_HEADERS: [&str; 13] = [
    "客户名称",
    "客户类型",
    "客户等级",
    "标签",
    "城市",
    "电话",
    "负责人",
    "联系人",
    "职务",
    "联系人电话",
    "个性类型",
    "角色",
    "生日",
];

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn good_rows() -> Vec<Vec<String>> {
    vec![
        s(&[
            "上海晨光文具股份有限公司",
            "企业",
            "A",
            "文具，老客户",
            "上海",
            "021-57475621",
            "sales1",
            "陈明",
            "采购经理",
            "13812345678",
            "从容不迫型",
            "采购者",
            "1975-04-12",
        ]),
        s(&[
            "上海晨光文具股份有限公司",
            "",
            "",
            "",
            "",
            "",
            "",
            "刘洋",
            "总经理",
            "+86 139-0000-1111",
            "豪爽干练型",
            "决策者",
            "农历1968-09-09",
        ]),
        s(&[
            "王建国",
            "个人",
            "C",
            "",
            "杭州",
            "13700001111",
            "",
            "王建国",
            "",
            "13700001111",
            "沉默寡言型",
            "",
            "",
        ]),
        s(&[
            "深圳市大疆创新科技有限公司",
            "organization",
            "b",
            "无人机; 重点",
            "深圳",
            "0755 2665 6677",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
    ]
}

fn good_workbook() -> Vec<u8> {
    workbook(&GOOD_HEADERS, &good_rows())
}

/// `n` distinct customers with one contact each, as CSV.
fn many_customers_csv(n: usize) -> Vec<u8> {
    let mut text = String::from("客户名称,电话,联系人,手机\n");
    for i in 0..n {
        text.push_str(&format!(
            "批量客户{i}有限公司,021-{:08},联系人{i},139{:08}\n",
            50_000_000 + i,
            i
        ));
    }
    text.into_bytes()
}

// ---------------------------------------------------------------- helpers

async fn counts(t: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for q in [
        "SELECT COUNT(*) FROM customers",
        "SELECT COUNT(*) FROM contacts",
        "SELECT COUNT(*) FROM audit_log",
        "SELECT COUNT(*) FROM search_terms",
    ] {
        out.push(
            sqlx::query_scalar::<_, i64>(q)
                .fetch_one(t.app.db.pool())
                .await
                .unwrap(),
        );
    }
    out
}

/// Uploads a file; returns the status and body of the POST.
async fn upload(
    api: &Api,
    file_name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
    );
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let r = api
        .client
        .post(format!("{}/imports", api.base))
        .bearer_auth(&api.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// Polls the job until it ends; returns its last status.
async fn wait_job(api: &Api, id: &str) -> Value {
    let started = Instant::now();
    loop {
        let (st, v) = api.get(&format!("/imports/{id}")).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        if v["stage"] == "done" || v["stage"] == "failed" {
            return v;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "job hangs: {v}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Uploads and waits: the job's final status.
async fn import_file(api: &Api, file_name: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) -> Value {
    let (st, started) = upload(api, file_name, bytes, fields).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{started}");
    wait_job(api, started["id"].as_str().unwrap()).await
}

fn error_list(report: &Value) -> Vec<(u64, String, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn owned(v: &[(u64, &str, &str)]) -> Vec<(u64, String, String)> {
    v.iter()
        .map(|(r, f, c)| (*r, f.to_string(), c.to_string()))
        .collect()
}

async fn download(api: &Api, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let r = api
        .client
        .get(format!("{}{path}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    let st = r.status();
    let headers = r.headers().clone();
    (st, headers, r.bytes().await.unwrap().to_vec())
}

/// The cells of an exported file, header row first.
fn cells(bytes: &[u8], file_name: &str) -> Vec<Vec<String>> {
    let t = read_table(bytes, file_name, &ReadOptions::default()).unwrap();
    let width = t.headers.len();
    let mut out = vec![t.headers.clone()];
    for r in &t.rows {
        out.push((0..width).map(|i| r.cell(i).to_string()).collect());
    }
    out
}

fn column(table: &[Vec<String>], header: &str) -> Vec<String> {
    let i = table[0].iter().position(|h| h == header).unwrap();
    table[1..].iter().map(|r| r[i].clone()).collect()
}

async fn actor(t: &TestApp, username: &str) -> huike_app::Actor {
    let mut conn = t.app.db.pool().acquire().await.unwrap();
    let u = huike_store::users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap();
    huike_app::auth::actor_from_user(&u).unwrap()
}

// ---------------------------------------------------------------- import

#[tokio::test]
async fn a_messy_workbook_gets_a_row_by_row_report_and_writes_nothing() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let admin = t.api("admin").await;
        admin.customer("小米科技").await;
        let before = counts(&t).await;

        for commit in ["false", "true"] {
            let job =
                import_file(&admin, "客户.xlsx", messy_workbook(), &[("commit", commit)]).await;
            assert_eq!(job["stage"], "done", "{job}");
            let r = &job["report"];
            assert_eq!(r["committed"], false);
            assert_eq!(r["header_row"], 2);
            assert_eq!(r["rows_read"], 8);
            assert_eq!(
                error_list(r),
                owned(&[
                    (7, "contact_phone", "invalid_phone"),
                    (9, "phone", "duplicate_customer"),
                    (10, "address", "too_long"),
                    (11, "name", "customer_exists"),
                ]),
                "{r}"
            );
            assert_eq!(r["errors_total"], 4);
            assert_eq!(r["error_rows"], 4);
            let e = &r["errors"][0];
            assert_eq!(e["column"], "手机");
            assert_eq!(e["value"], "12345");
            assert!(e["message_zh"].as_str().unwrap().contains("第 7 行"));
            assert!(
                e["message_en"]
                    .as_str()
                    .unwrap()
                    .contains("\"12345\" is not a valid mobile")
            );
            let dup = &r["errors"][1];
            assert!(
                dup["message_en"].as_str().unwrap().contains("row 3"),
                "{dup}"
            );
            let long = &r["errors"][2];
            assert!(long["value"].as_str().unwrap().chars().count() <= 51);
            assert!(long["message_en"].as_str().unwrap().len() < 300);
            let exists = &r["errors"][3];
            assert_eq!(exists["column"], "客户名称*");
            assert!(
                exists["message_zh"]
                    .as_str()
                    .unwrap()
                    .contains("已有名为「小米 科技」的客户"),
                "{exists}"
            );
            // The report says what the mapping was.
            let fields: Vec<&str> = r["mapping"]["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["field"].as_str().unwrap_or("-"))
                .collect();
            assert_eq!(
                fields,
                [
                    "name",
                    "phone",
                    "city",
                    "address",
                    "contact_name",
                    "contact_phone",
                    "contact_role"
                ]
            );
            assert_eq!(counts(&t).await, before, "commit={commit} wrote something");
        }
    });
}

#[tokio::test]
async fn a_messy_gbk_csv_gets_a_row_by_row_report_and_writes_nothing() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let sales1 = t.api("sales1").await;
        // Another rep's customer: sales1 cannot see it, but it is still a duplicate.
        t.api("sales3").await.customer("小米科技").await;
        let before = counts(&t).await;
        let job = import_file(
            &sales1,
            "客户名单.csv",
            messy_gbk_csv(),
            &[("commit", "true")],
        )
        .await;
        let r = &job["report"];
        assert_eq!(r["source"]["encoding"], "GBK", "{}", r["source"]);
        assert_eq!(r["header_row"], 3);
        assert_eq!(r["committed"], false);
        assert_eq!(
            error_list(r),
            owned(&[
                (6, "contact_phone", "invalid_phone"),
                (7, "phone", "duplicate_customer"),
                (8, "name", "customer_exists"),
                (9, "address", "too_long"),
            ]),
            "{r}"
        );
        assert_eq!(counts(&t).await, before);
    });
}

#[tokio::test]
async fn a_good_file_imports_completely_and_is_searchable_by_pinyin_initials() {
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        let admin = t.api("admin").await;
        let before = counts(&t).await;

        // A dry run writes nothing and says what would be imported.
        let job = import_file(&admin, "good.xlsx", good_workbook(), &[]).await;
        let r = &job["report"];
        assert_eq!(job["commit"], false);
        assert_eq!(
            (r["customers"].as_u64(), r["contacts"].as_u64()),
            (Some(3), Some(3)),
            "{r}"
        );
        assert_eq!(r["errors_total"], 0, "{r}");
        assert_eq!(r["committed"], false);
        assert_eq!(counts(&t).await, before);

        let job = import_file(&admin, "good.xlsx", good_workbook(), &[("commit", "true")]).await;
        let r = &job["report"];
        assert_eq!(r["committed"], true, "{job}");
        assert_eq!(job["done"], 3);
        assert_eq!(job["total"], 3);
        let after = counts(&t).await;
        assert_eq!(after[0] - before[0], 3);
        assert_eq!(after[1] - before[1], 3);
        // One audit entry per customer and contact, and one for the import.
        assert_eq!(after[2] - before[2], 3 + 3 + 1);

        let (_, list) = admin.get("/customers?per_page=100").await;
        let mut names: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "上海晨光文具股份有限公司",
                "深圳市大疆创新科技有限公司",
                "王建国"
            ]
        );
        let by_name = |n: &str| {
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == n)
                .unwrap()
                .clone()
        };
        let mg = by_name("上海晨光文具股份有限公司");
        // The owner column gave it to sales1 (an admin may assign); the rest are the admin's.
        assert_eq!(mg["owner_id"], users.sales1.as_str());
        assert_eq!(mg["customer_class"], "A");
        assert_eq!(mg["tags"], json!(["文具", "老客户"]));
        assert_eq!(by_name("王建国")["owner_id"], users.admin.as_str());
        assert_eq!(by_name("王建国")["kind"], "person");
        let mg_id = mg["id"].as_str().unwrap();
        let (_, contacts) = admin.get(&format!("/customers/{mg_id}/contacts")).await;
        let mut ks: Vec<(String, String, String)> = contacts
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["name"].as_str().unwrap().to_string(),
                    k["phone"].as_str().unwrap().to_string(),
                    k["buying_role"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        ks.sort();
        assert_eq!(
            ks,
            vec![
                ("刘洋".into(), "13900001111".into(), "decision_maker".into()),
                ("陈明".into(), "13812345678".into(), "purchaser".into()),
            ]
        );
        let liu = contacts
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == "刘洋")
            .unwrap();
        assert_eq!(liu["birthday_calendar"], "lunar");
        assert!(liu["approach"].is_string(), "{liu}");
        // The imported contacts are in their owner's contact list.
        let (_, own) = t.api("sales1").await.get("/contacts?sort=name").await;
        let mut seen: Vec<&str> = own["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap())
            .collect();
        seen.sort();
        assert_eq!(seen, ["刘洋", "陈明"], "{own}");
        let (_, history) = admin.get(&format!("/customers/{mg_id}/history")).await;
        assert!(
            history
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["action"] == "import"),
            "{history}"
        );

        // Searchable by pinyin initials, for the owner.
        let sales1 = t.api("sales1").await;
        for (q, expected) in [
            ("cg", "上海晨光文具股份有限公司"),
            ("cm", "陈明"),
            ("liuyang", "刘洋"),
            ("ly", "刘洋"),
        ] {
            let (_, found) = sales1.get(&format!("/search?q={q}")).await;
            let hits: Vec<&str> = found["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["name"].as_str())
                .collect();
            assert!(hits.contains(&expected), "{q}: {hits:?}");
        }
        let (_, found) = admin.get("/search?q=wjg").await;
        assert!(
            found["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["name"] == "王建国"),
            "{found}"
        );

        // Importing the same file again: every customer already exists, nothing is written.
        let again = counts(&t).await;
        let job = import_file(&admin, "good.xlsx", good_workbook(), &[("commit", "true")]).await;
        let codes: Vec<String> = error_list(&job["report"])
            .into_iter()
            .map(|e| e.2)
            .collect();
        assert_eq!(codes, ["customer_exists"; 3]);
        assert_eq!(counts(&t).await, again);
    });
}

#[tokio::test]
async fn a_failure_injected_mid_commit_leaves_nothing() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let admin = actor(&t, "admin").await;
        let before = counts(&t).await;
        let opts = ImportOptions {
            file_name: "many.csv".into(),
            commit: true,
            fail_after_customers: Some(500),
            ..ImportOptions::default()
        };
        let progress = ImportProgress::new();
        let err = import::commit::run(&t.app, &admin, many_customers_csv(1_200), opts, &progress)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "internal");
        // It had written customers, contacts, terms and audit rows when it failed.
        assert!(progress.snapshot().done >= 500);
        assert_eq!(counts(&t).await, before);

        // The same file without the failure goes in whole.
        let opts = ImportOptions {
            file_name: "many.csv".into(),
            commit: true,
            ..ImportOptions::default()
        };
        let r = import::commit::run(&t.app, &admin, many_customers_csv(1_200), opts, &progress)
            .await
            .unwrap();
        assert!(r.committed);
        let after = counts(&t).await;
        assert_eq!((after[0] - before[0], after[1] - before[1]), (1_200, 1_200));
    });
}

#[tokio::test]
async fn owners_follow_the_importers_rights_and_bad_input_is_named() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let headers = ["客户名称", "负责人", "QQ"];
        let rows = vec![
            s(&["甲公司", "sales2", ""]),
            s(&["乙公司", "nobody", ""]),
            s(&["丙公司", "", "12ab"]),
        ];
        let before = counts(&t).await;
        // A rep may not give customers to a colleague; unknown owners and bad QQ are named.
        let sales1 = t.api("sales1").await;
        let job = import_file(
            &sales1,
            "o.xlsx",
            workbook(&headers, &rows),
            &[("commit", "true")],
        )
        .await;
        assert_eq!(
            error_list(&job["report"]),
            owned(&[
                (2, "owner", "not_allowed"),
                (3, "owner", "unknown_user"),
                (4, "qq", "invalid_qq")
            ]),
            "{job}"
        );
        // A manager may assign within the department (sales2) but not outside it (sales3).
        let manager = t.api("manager1").await;
        let rows = vec![s(&["甲公司", "sales2", ""]), s(&["乙公司", "sales3", ""])];
        let job = import_file(
            &manager,
            "o.xlsx",
            workbook(&headers, &rows),
            &[("commit", "true")],
        )
        .await;
        assert_eq!(
            error_list(&job["report"]),
            owned(&[(3, "owner", "other_department")])
        );
        assert_eq!(counts(&t).await, before);

        // A file that is no spreadsheet fails the job with a reason naming the file.
        let job = import_file(&sales1, "x.xlsx", b"PK\x03\x04 not really".to_vec(), &[]).await;
        assert_eq!(job["stage"], "failed", "{job}");
        assert_eq!(job["error"]["errors"][0]["field"], "file");
        // No name column: a mapping problem, no rows validated.
        let job = import_file(
            &sales1,
            "m.csv",
            "电话,城市\n010-12345678,北京\n".into(),
            &[],
        )
        .await;
        assert_eq!(
            job["report"]["mapping_errors"][0]["code"], "required",
            "{job}"
        );
        // Mapping overrides: the "单位" column read as the customer name.
        let job = import_file(
            &sales1,
            "m.csv",
            "单位,电话\n丁公司,010-12345678\n".into(),
            &[("mapping", r#"{"单位":"name"}"#), ("commit", "true")],
        )
        .await;
        assert_eq!(job["report"]["committed"], true, "{job}");
        let job = import_file(
            &sales1,
            "m.csv",
            "a,b\n1,2\n".into(),
            &[("mapping", r#"{"c":"name"}"#)],
        )
        .await;
        assert_eq!(job["error"]["errors"][0]["field"], "mapping", "{job}");
        // Missing file and bad flags are refused at once.
        let (st, body) = upload(&sales1, "x.csv", Vec::new(), &[("commit", "maybe")]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "commit");
        // So are whatever else the form has not, as the document declares it: a flag other
        // than true or false, a part it does not have, a mapping that is no mapping, an
        // encoding the reader does not know.
        for (part, value, field) in [
            ("commit", "1", "commit"),
            ("dry_run", "true", "body"),
            ("mapping", "null", "mapping"),
            ("mapping", r#"{"columns": 5}"#, "mapping"),
            ("encoding", "klingon", "encoding"),
        ] {
            let (st, body) = upload(&sales1, "x.csv", b"a".to_vec(), &[(part, value)]).await;
            assert_eq!(
                st,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{part}={value}: {body}"
            );
            assert_eq!(body["errors"][0]["field"], field, "{part}={value}");
        }
        // Service agents do not import.
        let service = t.api("service1").await;
        let (st, _) = upload(&service, "x.csv", b"a".to_vec(), &[]).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
    });
}

#[tokio::test]
async fn import_jobs_show_progress_and_are_private() {
    on_each_backend!(|t| {
        t.seed_users().await;
        // Logging in writes: on SQLite that waits while an import holds the write lock, so
        // every client logs in first.
        let sales1 = t.api("sales1").await;
        let sales2 = t.api("sales2").await;
        let admin = t.api("admin").await;
        let (st, started) = upload(
            &sales1,
            "many.csv",
            many_customers_csv(1_500),
            &[("commit", "true")],
        )
        .await;
        assert_eq!(st, StatusCode::ACCEPTED);
        let id = started["id"].as_str().unwrap();
        // One running import per user.
        let (st, busy) = upload(&sales1, "one.csv", many_customers_csv(1), &[]).await;
        assert_eq!(st, StatusCode::CONFLICT, "{busy}");
        // Another rep cannot see the job; the admin can.
        assert_eq!(
            sales2.get(&format!("/imports/{id}")).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(admin.get(&format!("/imports/{id}")).await.0, StatusCode::OK);
        let mut stages = Vec::new();
        let done = loop {
            let (_, v) = sales1.get(&format!("/imports/{id}")).await;
            let stage = v["stage"].as_str().unwrap().to_string();
            assert!(
                v["done"].as_u64() <= v["total"].as_u64() || v["total"] == 0,
                "{v}"
            );
            if stages.last() != Some(&stage) {
                stages.push(stage.clone());
            }
            if stage == "done" || stage == "failed" {
                break v;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        assert_eq!(done["report"]["committed"], true, "{done}");
        assert_eq!(
            (done["done"].as_u64(), done["total"].as_u64()),
            (Some(1_500), Some(1_500))
        );
        eprintln!("stages seen: {stages:?}");
        assert_eq!(stages.last().map(String::as_str), Some("done"));
        assert_eq!(sales1.get("/imports/nope").await.0, StatusCode::NOT_FOUND);

        // The OpenAPI document lists the import and export endpoints.
        let doc: Value = reqwest::get(format!("{}/api/v1/openapi.json", t.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for p in [
            "/api/v1/imports",
            "/api/v1/imports/{id}",
            "/api/v1/customers/export",
            "/api/v1/contacts/export",
            "/api/v1/products/export",
            "/api/v1/orders/export",
        ] {
            assert!(doc["paths"][p].is_object(), "{p} missing from OpenAPI");
        }
    });
}

// ---------------------------------------------------------------- export

#[tokio::test]
async fn a_sales_rep_exports_only_their_own_and_shared_customers() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let sales1 = t.api("sales1").await;
        let sales2 = t.api("sales2").await;
        let own = sales1.customer("北京华信科技有限公司").await;
        let other = sales2.customer("广州白云机械厂").await;
        let shared = sales2.customer("杭州西湖茶业").await;
        let sales2_actor = actor(&t, "sales2").await;
        huike_app::customers::share(&t.app, &sales2_actor, &shared, "sales1")
            .await
            .unwrap();
        for (id, name) in [(&own, "王一"), (&other, "赵二"), (&shared, "钱三")] {
            let api = if *id == own { &sales1 } else { &sales2 };
            let (st, _) = api
                .post(
                    &format!("/customers/{id}/contacts"),
                    json!({ "name": name }),
                )
                .await;
            assert_eq!(st, StatusCode::CREATED);
        }

        for query in [
            "format=xlsx",
            "format=csv",
            "format=csv&encoding=gbk",
            "format=csv&sort=name&dir=desc",
        ] {
            let ext = if query.contains("csv") { "csv" } else { "xlsx" };
            let (st, _, bytes) = download(&sales1, &format!("/customers/export?{query}")).await;
            assert_eq!(st, StatusCode::OK);
            let table = cells(&bytes, &format!("x.{ext}"));
            let mut names = column(&table, "客户名称");
            names.sort();
            assert_eq!(names, ["北京华信科技有限公司", "杭州西湖茶业"], "{query}");
            let (_, _, bytes) = download(&sales1, &format!("/contacts/export?{query}")).await;
            let mut ks = column(&cells(&bytes, &format!("x.{ext}")), "联系人");
            ks.sort();
            assert_eq!(ks, ["王一", "钱三"], "{query}");
        }
        // Filters apply as in the list: only sales1's own customer.
        let (_, _, bytes) = download(
            &sales1,
            &format!(
                "/customers/export?format=csv&owner_id={}",
                actor(&t, "sales1").await.user_id
            ),
        )
        .await;
        assert_eq!(
            column(&cells(&bytes, "x.csv"), "客户名称"),
            ["北京华信科技有限公司"]
        );
        // Another department's rep gets an empty file, the manager all three.
        let (_, _, bytes) = download(&t.api("sales3").await, "/customers/export?format=csv").await;
        assert_eq!(cells(&bytes, "x.csv").len(), 1);
        let (_, _, bytes) = download(&t.api("manager1").await, "/customers/export").await;
        assert_eq!(cells(&bytes, "x.xlsx").len(), 4);
        // Without credentials: refused.
        let r = reqwest::get(format!("{}/api/v1/customers/export", t.base))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn every_list_exports_to_xlsx_and_csv_with_the_expected_rows() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let admin = t.api("admin").await;
        let sales1 = t.api("sales1").await;
        let id = sales1.customer("厦门佳美食品有限公司").await;
        let (_, cat) = admin
            .post("/categories", json!({ "name": "食品机械" }))
            .await;
        let (st, p) = admin
            .post("/products", json!({ "sku": "FM-1", "name": "封口机", "category_id": cat["id"], "unit": "台", "price": "1,234.50", "active": true }))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let (st, o) = sales1
            .post("/orders", json!({ "customer_id": id, "order_date": "2026-03-30", "lines": [{ "product_id": p["id"], "quantity": "3" }] }))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{o}");

        for ext in ["xlsx", "csv"] {
            let (st, headers, bytes) =
                download(&admin, &format!("/customers/export?format={ext}")).await;
            assert_eq!(st, StatusCode::OK);
            let cd = headers["content-disposition"].to_str().unwrap();
            assert!(cd.starts_with("attachment; filename=\"customers-"), "{cd}");
            assert!(
                cd.contains("filename*=UTF-8''%E5%AE%A2%E6%88%B7-") && cd.ends_with(ext),
                "{cd}"
            );
            assert_eq!(headers["x-export-rows"], "1");
            let table = cells(&bytes, &format!("x.{ext}"));
            assert_eq!(
                table[0][..4],
                s(&["客户名称", "客户类型", "客户等级", "标签"])[..]
            );
            assert_eq!(table[1][0], "厦门佳美食品有限公司");
            assert_eq!(table[1][1], "企业");
            assert_eq!(column(&table, "电话"), ["010-88886666"]);
            assert_eq!(column(&table, "负责人"), ["sales1"]);

            let (_, headers, bytes) =
                download(&admin, &format!("/products/export?format={ext}")).await;
            assert!(
                headers["content-type"]
                    .to_str()
                    .unwrap()
                    .contains(if ext == "csv" {
                        "text/csv"
                    } else {
                        "spreadsheetml"
                    })
            );
            let table = cells(&bytes, &format!("x.{ext}"));
            assert_eq!(
                table[1],
                s(&["FM-1", "封口机", "食品机械", "台", "1234.50", "CNY", "在售"])
            );

            let (_, _, bytes) = download(&sales1, &format!("/orders/export?format={ext}")).await;
            let table = cells(&bytes, &format!("x.{ext}"));
            assert_eq!(column(&table, "客户名称"), ["厦门佳美食品有限公司"]);
            assert_eq!(column(&table, "金额"), ["3703.50"]);
            assert_eq!(column(&table, "订单号"), [o["number"].as_str().unwrap()]);
            // Another department sees no orders of this customer.
            let (_, _, bytes) = download(
                &t.api("sales3").await,
                &format!("/orders/export?format={ext}"),
            )
            .await;
            assert_eq!(cells(&bytes, &format!("x.{ext}")).len(), 1);
        }
        // English headers follow the caller's language.
        let r = admin
            .client
            .get(format!("{}/customers/export?format=csv", admin.base))
            .bearer_auth(&admin.token)
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        let table = cells(&r.bytes().await.unwrap(), "x.csv");
        assert_eq!(table[0][0], "Customer name");
        assert_eq!(table[1][1], "Organisation");
        // Bad parameters name the parameter.
        let (st, body) = admin.get("/customers/export?format=pdf").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "format");
        let (_, body) = admin
            .get("/customers/export?format=csv&encoding=latin1")
            .await;
        assert_eq!(body["errors"][0]["field"], "encoding");
    });
}

#[tokio::test]
async fn a_gbk_csv_export_round_trips_through_import() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let admin = t.api("admin").await;
        let job = import_file(&admin, "good.xlsx", good_workbook(), &[("commit", "true")]).await;
        assert_eq!(job["report"]["committed"], true);
        let (st, headers, gbk) = download(
            &admin,
            "/customers/export?format=csv&encoding=gbk&sort=name",
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(headers["content-type"], "text/csv; charset=gbk");
        assert!(std::str::from_utf8(&gbk).is_err(), "not UTF-8");
        let (text, _, bad) = encoding_rs::GBK.decode(&gbk);
        assert!(!bad);
        assert!(
            text.starts_with("客户名称,客户类型,客户等级,标签,"),
            "{text}"
        );
        assert!(
            text.contains("上海晨光文具股份有限公司,企业,A,\"文具, 老客户\",,上海"),
            "{text}"
        );

        // Into the same database: every customer is already there.
        let job = import_file(&admin, "export.csv", gbk.clone(), &[("commit", "true")]).await;
        let r = &job["report"];
        assert_eq!(r["source"]["encoding"], "GBK");
        let codes: Vec<String> = error_list(r).into_iter().map(|e| e.2).collect();
        assert_eq!(codes, ["customer_exists"; 3], "{r}");

        // Into a fresh database: the same customers, classes, tags and owners by name.
        let backend = match t.backend {
            "sqlite" => crate::helpers::Backend::Sqlite,
            _ => crate::helpers::backends().await.pop().unwrap(),
        };
        let t2 = TestApp::spawn(&backend).await;
        t2.seed_users().await;
        let admin2 = t2.api("admin").await;
        let job = import_file(&admin2, "export.csv", gbk, &[("commit", "true")]).await;
        assert_eq!(job["report"]["committed"], true, "{job}");
        let (_, gbk2) = {
            let (st, _, b) = download(
                &admin2,
                "/customers/export?format=csv&encoding=gbk&sort=name",
            )
            .await;
            (st, b)
        };
        let strip_times = |b: &[u8]| -> Vec<Vec<String>> {
            cells(b, "x.csv")
                .into_iter()
                .map(|r| r[..10].to_vec())
                .collect()
        };
        let (first, second) = (
            strip_times(
                &download(
                    &admin,
                    "/customers/export?format=csv&encoding=gbk&sort=name",
                )
                .await
                .2,
            ),
            strip_times(&gbk2),
        );
        assert_eq!(first, second);
        t2.finish().await;
    });
}

// ---------------------------------------------------------------- CLI

fn huike(db_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_huike"))
        .args(args)
        .env("HUIKE_DATABASE_URL", db_url)
        .env("HUIKE_LOG", "warn")
        .env("HUIKE_PASSWORD", "cli-password-1")
        // The test scripts' own variables are in the shell a user runs huike from too.
        .env("HUIKE_TEST_PG", "postgres://example/unused")
        .env("HUIKE_REQUIRE_PG", "1")
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_cli_imports_and_exports_against_a_sqlite_file() {
    let dir = std::env::temp_dir().join(format!("huike_cli_{}", uuid::Uuid::now_v7().simple()));
    // Removed when the test ends, passing or not.
    let _scratch = crate::helpers::Scratch::dir(dir.clone());
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/huike.sqlite3", dir.display());
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
        &["user", "add", "--username", "admin", "--role", "admin"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = huike(
        &url,
        &["user", "add", "--username", "sales1", "--role", "sales"],
    );
    assert!(out.status.success(), "{}", text(&out));

    let messy = dir.join("messy.csv");
    std::fs::write(&messy, messy_gbk_csv()).unwrap();
    let good = dir.join("good.xlsx");
    std::fs::write(&good, good_workbook()).unwrap();

    // The messy file: non-zero exit, row-by-row report, nothing written.
    let out = huike(
        &url,
        &["import", messy.to_str().unwrap(), "--encoding", "gbk"],
    );
    assert!(!out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Row 6, Contact phone: \"12345\" is not a valid mobile"),
        "{}",
        text(&out)
    );
    assert!(stdout.contains("第 7 行「电话」"), "{stdout}");
    assert!(stdout.contains("Row 9, Address: "), "{stdout}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing was imported"),
        "{}",
        text(&out)
    );

    // A dry run of the good file writes nothing; the real run writes everything.
    let out = huike(&url, &["import", good.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("dry run: everything is right; 3 customers and 3 contacts"),
        "{}",
        text(&out)
    );
    let csv_out = dir.join("customers.csv");
    let out = huike(
        &url,
        &[
            "export",
            "customers",
            "--format",
            "csv",
            "--out",
            csv_out.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        cells(&std::fs::read(&csv_out).unwrap(), "c.csv").len(),
        1,
        "the dry run wrote"
    );

    let out = huike(&url, &["import", good.to_str().unwrap(), "--as", "admin"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("imported 3 customers and 3 contacts"),
        "{}",
        text(&out)
    );
    // Again: every customer exists, exit code non-zero.
    let out = huike(&url, &["import", good.to_str().unwrap(), "--json"]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors_total"], 3);
    assert_eq!(report["errors"][0]["code"], "customer_exists");

    // Exports: xlsx of everything; GBK CSV; a rep's export holds only what the rep owns.
    let xlsx_out = dir.join("customers.xlsx");
    let out = huike(
        &url,
        &[
            "export",
            "customers",
            "--format",
            "xlsx",
            "--out",
            xlsx_out.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let table = cells(&std::fs::read(&xlsx_out).unwrap(), "c.xlsx");
    assert_eq!(table.len(), 4);
    let out = huike(
        &url,
        &[
            "export",
            "contacts",
            "--format",
            "csv",
            "--encoding",
            "gbk",
            "--out",
            csv_out.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let bytes = std::fs::read(&csv_out).unwrap();
    assert!(encoding_rs::GBK.decode(&bytes).0.contains("陈明"));
    let out = huike(
        &url,
        &[
            "export",
            "customers",
            "--format",
            "csv",
            "--as",
            "sales1",
            "--out",
            csv_out.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        column(
            &cells(&std::fs::read(&csv_out).unwrap(), "c.csv"),
            "客户名称"
        ),
        ["上海晨光文具股份有限公司"]
    );
    for list in ["products", "orders"] {
        let out = huike(
            &url,
            &[
                "export",
                list,
                "--format",
                "xlsx",
                "--out",
                xlsx_out.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", text(&out));
    }
    // Bad flags are refused by the parser.
    let out = huike(&url, &["export", "invoices", "--out", "x"]);
    assert!(!out.status.success());
    let out = huike(
        &url,
        &["import", dir.join("missing.xlsx").to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot read"),
        "{}",
        text(&out)
    );
}

/// The problem the customer or contact form gives for one field: its code and reason.
async fn form_refusal(api: &Api, path: &str, body: Value, field: &str) -> (String, String) {
    let (st, b) = api.post(path, body).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let e = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error on {field}: {b}"))
        .clone();
    (
        e["code"].as_str().unwrap().to_string(),
        e["message"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_value_the_form_refuses_is_refused_by_the_import_for_the_same_reason() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let api = t.api("admin").await;
        let cid = api.customer("规则公司").await;
        let long_city = "杭".repeat(51);
        let long_title = "总".repeat(101);
        // (import header, cell, form path, form body, form field, import field)
        let cases: Vec<(&str, String, String, Value, &str, &str)> = vec![
            (
                "城市",
                long_city.clone(),
                "/customers".into(),
                json!({"name": "甲", "city": long_city}),
                "city",
                "city",
            ),
            (
                "QQ",
                "12a45".into(),
                "/customers".into(),
                json!({"name": "甲", "qq": "12a45"}),
                "qq",
                "qq",
            ),
            (
                "地址",
                "一楼\u{7}二楼".into(),
                "/customers".into(),
                json!({"name": "甲", "address": "一楼\u{7}二楼"}),
                "address",
                "address",
            ),
            (
                "职务",
                long_title.clone(),
                format!("/customers/{cid}/contacts"),
                json!({"name": "王五", "title": long_title}),
                "title",
                "contact_title",
            ),
        ];
        for (header, cell, path, body, form_field, import_field) in cases {
            let (code, reason) = form_refusal(&api, &path, body, form_field).await;
            let headers = ["客户名称", "联系人", header];
            let rows = vec![s(&["乙公司", "李四", &cell])];
            let job = import_file(&api, "r.xlsx", workbook(&headers, &rows), &[]).await;
            let errors = job["report"]["errors"].as_array().unwrap().clone();
            assert_eq!(errors.len(), 1, "{header}: {job}");
            let e = &errors[0];
            assert_eq!(e["field"], import_field, "{header}: {e}");
            assert_eq!(e["code"], code.as_str(), "{header}: {e}");
            let msg = e["message_zh"].as_str().unwrap();
            assert!(msg.contains(&reason), "{header}: {msg:?} lacks {reason:?}");
        }

        // What the import accepts saves again through the form unchanged.
        let headers = ["客户名称", "城市", "QQ"];
        let at_limit = "杭".repeat(50);
        let rows = vec![s(&["丙公司", &at_limit, "12345"])];
        let job = import_file(
            &api,
            "ok.xlsx",
            workbook(&headers, &rows),
            &[("commit", "true")],
        )
        .await;
        assert_eq!(job["report"]["committed"], true, "{job}");
        let (_, list) = api.get("/customers?per_page=100").await;
        let id = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "丙公司")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (_, page) = api.get(&format!("/customers/{id}")).await;
        let c = &page["customer"];
        let (st, saved) = api
            .put(
                &format!("/customers/{id}"),
                json!({"name": c["name"], "city": c["city"], "qq": c["qq"],
                       "kind": c["kind"], "version": c["version"]}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{saved}");
        assert_eq!(saved["city"], at_limit.as_str());
    });
}
