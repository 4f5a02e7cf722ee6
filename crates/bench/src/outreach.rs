//! Greetings and outreach at scale (`--outreach`): a whole 中秋 planned by the scheduler's job
//! and every rep's campaign queued through the API, timed end to end while pages are read;
//! a rep's 中秋 campaign page; and a product-fault campaign over the data set's order lines.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::server::{self, Server};
use crate::workload::{self, Clients, Req, Stats};
use crate::{Args, USERS, mb};

/// The app's clock for the run: a week before 中秋 2027 (09-15), when the 30-day planning
/// horizon holds the festival and Today shows its campaigns.
const NOW: &str = "2027-09-08T10:00:00+08:00";
const PLAN_AT: &str = "2027-09-08T05:30:00+08:00";
const FESTIVAL_DAY: &str = "2027-09-15";

/// Requests of the pages read while the planning and the sending run: each user opens
/// customers they may see, and the customer list.
fn page_reads(ids: &[Vec<String>]) -> Vec<Req> {
    let mut out = Vec::new();
    for (user, mine) in ids.iter().enumerate() {
        for id in mine.iter().take(100) {
            out.push(Req {
                user,
                path: format!("/customers/{id}"),
                body: None,
            });
            out.push(Req {
                user,
                path: "/customers?per_page=100".into(),
                body: None,
            });
        }
    }
    out
}

fn merge(into: &mut Stats, s: Stats) {
    into.samples.extend(s.samples);
    into.errors += s.errors;
    if into.first_error.is_none() {
        into.first_error = s.first_error;
    }
}

/// Reads pages as people do while the work runs beside them: two readers, each opening a
/// page every 100 ms (20 pages a second), until `done` says the work ended. (A closed loop
/// with no pause would measure how the work shares the two cores with a flood of reads.)
async fn read_while(
    clients: &Clients,
    reqs: &[Req],
    done: impl Fn() -> bool + Send + Sync + 'static,
) -> Stats {
    let done = std::sync::Arc::new(done);
    let started = Instant::now();
    let mut readers = Vec::new();
    for r in 0..2 {
        let clients = clients.clone();
        let reqs: Vec<Req> = reqs.iter().skip(r).step_by(2).cloned().collect();
        let done = done.clone();
        readers.push(tokio::spawn(async move {
            let mut stats = Stats::default();
            let mut i = 0;
            while !done() && !reqs.is_empty() {
                let req = &reqs[i % reqs.len()];
                i += 1;
                let sent = Instant::now();
                let r = clients.users[req.user]
                    .1
                    .get(format!("{}{}", clients.base, req.path))
                    .send()
                    .await;
                let ok = match r {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    Ok(r) => {
                        stats
                            .first_error
                            .get_or_insert_with(|| format!("{} for {}", r.status(), req.path));
                        false
                    }
                    Err(e) => {
                        stats.first_error.get_or_insert_with(|| e.to_string());
                        false
                    }
                };
                let took = sent.elapsed();
                if ok {
                    stats.samples.push((req.user, took));
                } else {
                    stats.errors += 1;
                }
                tokio::time::sleep(Duration::from_millis(100).saturating_sub(took)).await;
            }
            stats
        }));
    }
    let mut all = Stats::default();
    for r in readers {
        if let Ok(s) = r.await {
            merge(&mut all, s);
        }
    }
    all.elapsed = started.elapsed();
    all
}

/// The 中秋 campaigns of the caller, largest first.
async fn festival_campaigns(clients: &Clients, user: usize) -> anyhow::Result<Vec<Value>> {
    let mut out = Vec::new();
    for page in 1..=50 {
        let list = clients
            .get_json(user, &format!("/api/v1/greeting-campaigns?page={page}"))
            .await?;
        let items = list.as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        out.extend(
            items
                .into_iter()
                .filter(|c| c["detail"] == "mid_autumn" && c["day"] == FESTIVAL_DAY),
        );
    }
    out.sort_by_key(|c| std::cmp::Reverse(c["size"].as_i64().unwrap_or(0)));
    Ok(out)
}

/// The product with the most order lines, and how many lines it and the table have.
async fn busiest_product(url: &str) -> anyhow::Result<(String, i64)> {
    use sqlx::Connection;
    let q = "SELECT product_id, COUNT(*) FROM order_lines GROUP BY product_id \
             ORDER BY COUNT(*) DESC LIMIT 1";
    Ok(if url.starts_with("sqlite:") {
        let path = server::sqlite_path(url);
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
                .await?;
        let r = sqlx::query_as(q).fetch_one(&mut conn).await?;
        conn.close().await?;
        r
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let r = sqlx::query_as(q).fetch_one(&mut conn).await?;
        conn.close().await?;
        r
    })
}

async fn post_json(
    clients: &Clients,
    user: usize,
    path: &str,
    body: Value,
) -> anyhow::Result<Value> {
    let r = clients.users[user]
        .1
        .post(format!("{}{path}", clients.base))
        .header("X-CSRF-Token", &clients.csrf[user])
        .json(&body)
        .send()
        .await?;
    let status = r.status();
    let text = r.text().await?;
    if !status.is_success() {
        bail!("POST {path} answered {status}: {text}");
    }
    Ok(serde_json::from_str(&text)?)
}

fn row(what: &str, result: String, target: &str) {
    println!("| {what} | {result} | {target} |");
}

fn verdict(ok: bool) -> &'static str {
    if ok { "pass" } else { "**miss**" }
}

pub async fn run(args: &Args) -> anyhow::Result<()> {
    let sizes = server::sizes(&args.database_url).await?;
    let mut srv = Server::start_with(
        args,
        &[
            ("HUIKE_SCHEDULER", "false".into()),
            ("HUIKE_OUTBOX_WORKERS", "false".into()),
            ("HUIKE_TEST_NOW", NOW.into()),
        ],
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let clients = Clients::login(&srv.base, USERS).await?;
    let samples = crate::sample::collect(&clients).await?;
    let reads = page_reads(&samples.customer_ids);
    let quiet = {
        let until = Instant::now() + Duration::from_secs(10);
        read_while(&clients, &reads, move || Instant::now() >= until).await
    };
    eprintln!("pages, nothing else running: {}", quiet.line());

    // 1. The planning job, as the scheduler runs it at 05:30, while pages are read.
    eprintln!("planning the greetings of {PLAN_AT} + 30 days");
    let huike = args.huike.clone();
    let url = args.database_url.clone();
    let planned = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = planned.clone();
    let planner = std::thread::spawn(move || {
        let started = Instant::now();
        let out = Command::new(&huike)
            .args(["jobs", "run", "plan_greetings"])
            .env("HUIKE_DATABASE_URL", &url)
            .env("HUIKE_LOG", "error")
            .env("HUIKE_TEST_NOW", PLAN_AT)
            .stdout(Stdio::piped())
            .output();
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        (started.elapsed(), out)
    });
    let during_plan = read_while(&clients, &reads, move || {
        planned.load(std::sync::atomic::Ordering::SeqCst)
    })
    .await;
    let (plan_took, out) = planner
        .join()
        .map_err(|_| anyhow::anyhow!("the planner thread panicked"))?;
    let out = out.context("cannot run huike jobs run plan_greetings")?;
    if !out.status.success() {
        bail!("plan_greetings failed ({})", out.status);
    }
    let summary = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    eprintln!("  planned in {:.1} s: {summary}", plan_took.as_secs_f64());
    eprintln!("  pages meanwhile: {}", during_plan.line());

    // 2. A rep's 中秋 campaign page, first page of what it will send.
    let rep = USERS.iter().position(|(u, _)| *u == "sales1").unwrap_or(0);
    let mine = festival_campaigns(&clients, rep).await?;
    let Some(campaign) = mine.first() else {
        bail!("sales1 has no 中秋 campaign on {FESTIVAL_DAY}: was the data set planned?");
    };
    let cid = campaign["id"].as_str().unwrap_or_default().to_string();
    let size = campaign["size"].as_i64().unwrap_or(0);
    let api_page = vec![Req {
        user: rep,
        path: format!("/api/v1/greeting-campaigns/{cid}/greetings?status=planned"),
        body: None,
    }];
    let html_page = vec![Req {
        user: rep,
        path: format!("/greetings/campaigns/{cid}"),
        body: None,
    }];
    let campaign_api =
        workload::run(&clients, &api_page, 4, Duration::from_secs(args.duration)).await;
    eprintln!("campaign of {size} (API): {}", campaign_api.line());
    let campaign_html =
        workload::run(&clients, &html_page, 4, Duration::from_secs(args.duration)).await;
    eprintln!("campaign of {size} (page): {}", campaign_html.line());

    // 3. Every rep's 中秋 campaign sent (queued in the outbox), as an admin, while pages are
    // read.
    let admin = USERS.iter().position(|(u, _)| *u == "admin").unwrap_or(0);
    let all = festival_campaigns(&clients, admin).await?;
    let greetings: i64 = all.iter().map(|c| c["size"].as_i64().unwrap_or(0)).sum();
    eprintln!("sending {} campaigns of {greetings} greetings", all.len());
    let send_started = Instant::now();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sender = {
        let clients = clients.clone();
        let done = done.clone();
        let ids: Vec<String> = all
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_string))
            .collect();
        tokio::spawn(async move {
            let mut report = (0i64, 0i64, 0i64);
            let mut failed = None;
            for id in ids {
                match post_json(
                    &clients,
                    admin,
                    &format!("/api/v1/greeting-campaigns/{id}/send"),
                    json!({}),
                )
                .await
                {
                    Ok(r) => {
                        report.0 += r["sent"].as_i64().unwrap_or(0);
                        report.1 += r["by_hand"].as_i64().unwrap_or(0);
                        report.2 += r["skipped"].as_i64().unwrap_or(0);
                    }
                    Err(e) => {
                        failed.get_or_insert(e.to_string());
                    }
                }
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            (report, failed)
        })
    };
    let during_send = {
        let done = done.clone();
        read_while(&clients, &reads, move || {
            done.load(std::sync::atomic::Ordering::SeqCst)
        })
        .await
    };
    let ((sent, by_hand, skipped), failed) = sender.await?;
    let send_took = send_started.elapsed();
    if let Some(e) = failed {
        eprintln!("  a send failed: {e}");
    }
    eprintln!(
        "  sent in {:.1} s: {sent} queued, {by_hand} by hand, {skipped} skipped",
        send_took.as_secs_f64()
    );
    eprintln!("  pages meanwhile: {}", during_send.line());

    // 4. A product fault over the whole order-line table, as an admin (every buyer).
    let (product, lines) = busiest_product(&args.database_url).await?;
    let fault_started = Instant::now();
    let fault = post_json(
        &clients,
        admin,
        &format!("/api/v1/products/{product}/fault-campaigns"),
        json!({ "title": "批次密封圈老化", "notice": "该批次密封圈可能提前老化，我们免费上门更换。" }),
    )
    .await?;
    let fault_took = fault_started.elapsed();
    let buyers = fault["customers"].as_i64().unwrap_or(0);
    eprintln!(
        "fault campaign: {buyers} customers in {:.2} s ({fault})",
        fault_took.as_secs_f64()
    );
    let peak = srv.memory().map(|m| mb(m.hwm_kb)).unwrap_or(0.0);
    srv.stop();

    let end_to_end = plan_took + send_took;
    println!();
    println!(
        "Greetings and outreach, {}: {} customers, {} contacts, {} order lines{}",
        server::backend_label(&args.database_url),
        sizes.customers,
        sizes.contacts,
        sizes.order_lines,
        if sizes.estimated { " (estimates)" } else { "" }
    );
    println!();
    println!("| measured | result | target |");
    println!("|---|---:|---|");
    row(
        "中秋 planned (`plan_greetings`, 30 days ahead)",
        format!("{:.1} s: {summary}", plan_took.as_secs_f64()),
        "",
    );
    row(
        "中秋 queued: every rep's campaign sent",
        format!(
            "{:.1} s: {} campaigns, {sent} messages queued, {by_hand} by hand, {skipped} skipped",
            send_took.as_secs_f64(),
            all.len()
        ),
        "",
    );
    row(
        "中秋 planned and queued, end to end",
        format!("{:.1} s", end_to_end.as_secs_f64()),
        &format!("< 300 s {}", verdict(end_to_end.as_secs() < 300)),
    );
    row(
        "pages (customer page, list), p95: quiet / planning / sending",
        format!(
            "{:.1} / {:.1} / {:.1} ms ({} errors)",
            quiet.p(95.0, None),
            during_plan.p(95.0, None),
            during_send.p(95.0, None),
            during_plan.errors + during_send.errors
        ),
        "customer page < 50 ms, lists < 100 ms",
    );
    row(
        &format!("a rep's 中秋 campaign ({size} contacts), first page (API), p95"),
        format!("{:.1} ms", campaign_api.p(95.0, None)),
        &format!("< 100 ms {}", verdict(campaign_api.p(95.0, None) < 100.0)),
    );
    row(
        &format!("a rep's 中秋 campaign ({size} contacts), first page (HTML), p95"),
        format!("{:.1} ms", campaign_html.p(95.0, None)),
        &format!("< 100 ms {}", verdict(campaign_html.p(95.0, None) < 100.0)),
    );
    row(
        &format!(
            "product fault over {lines} lines of the busiest product ({} in all)",
            sizes.order_lines
        ),
        format!(
            "{:.2} s, {buyers} customers, one task each",
            fault_took.as_secs_f64()
        ),
        &format!("< 10 s {}", verdict(fault_took.as_secs_f64() < 10.0)),
    );
    println!("\nserver peak RSS {peak:.1} MB");
    Ok(())
}
