//! The festival calendar and lunar conversion as users reach them: `huike calendar …` (the built
//! binary) and `GET /api/v1/calendar/festivals`.

use std::process::{Command, Output};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Backend, TestApp};

fn huike(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huike"))
        .args(args)
        .output()
        .expect("run the huike binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn festivals_csv_lists_every_festival_of_the_years_in_date_order() {
    let out = huike(&[
        "calendar",
        "festivals",
        "--from",
        "2026",
        "--to",
        "2027",
        "--format",
        "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "year,festival,date");
    assert_eq!(lines.len(), 1 + 2 * 18);
    for row in [
        "2026,元旦,2026-01-01",
        "2026,除夕,2026-02-16",
        "2026,春节,2026-02-17",
        "2026,清明,2026-04-05",
        "2026,端午,2026-06-19",
        "2026,中秋,2026-09-25",
        "2026,国庆,2026-10-01",
        "2026,冬至,2026-12-22",
        "2027,除夕,2027-02-05",
        "2027,中秋,2027-09-15",
        "2027,重阳,2027-10-08",
    ] {
        assert!(lines.contains(&row), "{row} missing");
    }
    let dates: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "rows are in date order");
    for l in &lines[1..] {
        let cols: Vec<&str> = l.split(',').collect();
        assert_eq!(cols.len(), 3, "{l}");
        assert_eq!(&cols[2][..4], cols[0], "year is the date's solar year: {l}");
    }
}

#[test]
fn festivals_refuses_years_outside_the_tables() {
    let out = huike(&["calendar", "festivals", "--from", "1899", "--to", "1900"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1901"));
}

#[test]
fn to_solar_prints_the_date_or_says_why_not() {
    let ok = huike(&[
        "calendar", "to-solar", "--year", "2026", "--month", "8", "--day", "15",
    ]);
    assert!(ok.status.success());
    assert_eq!(stdout(&ok).trim(), "2026-09-25");
    let leap = huike(&[
        "calendar", "to-solar", "--year", "2025", "--month", "6", "--day", "10", "--leap",
    ]);
    assert_eq!(stdout(&leap).trim(), "2025-08-03");
    // 2026 has no leap sixth month.
    let no_leap = huike(&[
        "calendar", "to-solar", "--year", "2026", "--month", "6", "--day", "10", "--leap",
    ]);
    assert!(!no_leap.status.success());
    let err = String::from_utf8_lossy(&no_leap.stderr);
    assert!(err.contains("does not exist"), "{err}");
    // 腊月 of lunar 2026 has 29 days.
    let short = huike(&[
        "calendar", "to-solar", "--year", "2026", "--month", "12", "--day", "30",
    ]);
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("day does not exist"));
}

#[test]
fn to_lunar_prints_the_lunar_date() {
    let out = huike(&["calendar", "to-lunar", "2026-09-25"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out).trim(), "丙午年八月十五 (2026-08-15)");
    let leap = huike(&["calendar", "to-lunar", "2025-08-03"]);
    assert_eq!(stdout(&leap).trim(), "乙巳年闰六月初十 (leap 2025-06-10)");
    let bad = huike(&["calendar", "to-lunar", "2026-02-30"]);
    assert!(!bad.status.success());
}

#[tokio::test]
async fn the_api_lists_a_years_festivals_and_documents_the_endpoint() {
    let t = TestApp::spawn(&Backend::Sqlite).await;
    let c = reqwest::Client::new();
    let r = c
        .get(format!("{}/api/v1/calendar/festivals?year=2026", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["year"], 2026);
    let list = v["festivals"].as_array().unwrap();
    assert_eq!(list.len(), 18);
    let mid = list.iter().find(|f| f["festival"] == "mid_autumn").unwrap();
    assert_eq!(mid["date"], "2026-09-25");
    assert_eq!(mid["name_zh"], "中秋");
    assert_eq!(mid["reckoning"], "lunar");
    let qingming = list.iter().find(|f| f["name_zh"] == "清明").unwrap();
    assert_eq!(qingming["date"], "2026-04-05");
    assert_eq!(qingming["reckoning"], "solar_term");

    let r = c
        .get(format!("{}/api/v1/calendar/festivals?year=2101", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "year");

    let doc: Value = c
        .get(format!("{}/api/v1/openapi.json", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/calendar/festivals"]["get"].is_object());
    assert!(
        doc["paths"]["/api/v1/customers"].is_object(),
        "the rest is still there"
    );
    t.finish().await;
}
