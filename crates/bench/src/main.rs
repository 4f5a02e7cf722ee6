//! `huike-bench`: generates (or reuses) a demo database, starts the real `huike` server on it,
//! drives it over HTTP as an admin, a manager and a sales rep, times an Excel import, and
//! prints latency, throughput, memory and import time beside the targets of DESIGN.md.

mod import;
mod outbox;
mod outreach;
mod planning;
mod report;
mod sample;
mod server;
mod workload;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;

use crate::report::Report;
use crate::workload::{Clients, Req, Stats, run};

#[derive(Parser, Debug, Clone)]
#[command(
    name = "huike-bench",
    about = "Benchmark Huike at scale over HTTP, and time an Excel import, against DESIGN.md's targets"
)]
pub struct Args {
    /// The release `huike` binary to generate data with and to serve.
    #[arg(long, default_value = "target/release/huike")]
    pub huike: PathBuf,
    /// sqlite://PATH (reused when the file exists) or postgres://USER@HOST/DB (reused when the
    /// database exists and has customers; otherwise created).
    #[arg(long)]
    pub database_url: String,
    /// Customers to generate when the database is new.
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Throw an existing database away and generate it again.
    #[arg(long)]
    pub regenerate: bool,
    /// Seconds each scenario is measured (after a short warm-up).
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Concurrent clients for the single-kind scenarios.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Concurrent clients for the mixed-read scenario.
    #[arg(long, default_value_t = 32)]
    pub mixed_concurrency: usize,
    /// Customer page URLs, `{id}` replaced by a customer id; repeat to add the HTML page
    /// (`--page-url /customers/{id}`) once it exists.
    #[arg(long = "page-url", default_values_t = vec!["/api/v1/customers/{id}".to_string()])]
    pub page_urls: Vec<String>,
    /// Where generation times are remembered between runs.
    #[arg(long, default_value = "bench-data")]
    pub state_dir: PathBuf,
    /// Rows of the timed Excel import (one customer with one contact a row), written as an
    /// .xlsx and imported with `huike import` into a throwaway database of the same backend.
    #[arg(long, default_value_t = 100_000)]
    pub import_rows: usize,
    /// Leave the Excel import timing out.
    #[arg(long)]
    pub skip_import: bool,
    /// Concurrent clients saving orders in the write scenario.
    #[arg(long, default_value_t = 4)]
    pub write_concurrency: usize,
    /// E-mails of the outbox burst (the paced run sends a fifth of them).
    #[arg(long, default_value_t = 100_000)]
    pub outbox_messages: usize,
    /// Messages per second falling due in the paced outbox run.
    #[arg(long, default_value_t = 500.0)]
    pub outbox_pace: f64,
    /// Leave the outbox load out.
    #[arg(long)]
    pub skip_outbox: bool,
    /// Leave the timing of the inquiry planning out.
    #[arg(long)]
    pub skip_planning: bool,
    /// Measure only greetings and outreach: a whole 中秋 planned and queued while pages are
    /// read, a rep's campaign page, and a product fault over all order lines.
    #[arg(long)]
    pub outreach: bool,
}

/// The demo accounts the bench logs in as, and what each may see.
pub const USERS: &[(&str, &str)] = &[
    ("admin", "admin (all)"),
    ("manager1", "manager (department)"),
    ("sales1", "sales (own)"),
];
pub const PASSWORD: &str = "huike-demo";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.huike.exists() {
        bail!(
            "{} not found: build it first (cargo build --release)",
            args.huike.display()
        );
    }
    std::fs::create_dir_all(&args.state_dir)
        .with_context(|| format!("cannot create {}", args.state_dir.display()))?;

    let generated = server::prepare_database(&args).await?;
    server::migrate_and_analyze(&args).await?;
    if args.outreach {
        return outreach::run(&args).await;
    }
    let sizes = server::sizes(&args.database_url).await?;

    let mut srv = server::Server::start(&args).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle_start = srv.memory()?;
    eprintln!(
        "server at {} (pid {}), idle RSS {:.1} MB",
        srv.base,
        srv.pid,
        mb(idle_start.rss_kb)
    );

    let clients = Clients::login(&srv.base, USERS).await?;
    let samples = sample::collect(&clients).await?;
    eprintln!(
        "sampled {} customer ids, {} name queries, {} phone suffixes",
        samples.customer_ids.iter().map(Vec::len).sum::<usize>(),
        samples.names.len(),
        samples.phone_suffixes.len()
    );

    let duration = Duration::from_secs(args.duration);
    let scenarios = workload::scenarios(&samples, &args.page_urls);
    let mut results: Vec<(String, Stats)> = Vec::new();
    for sc in &scenarios {
        eprintln!(
            "running {} ({} clients, {:?})",
            sc.name, args.concurrency, duration
        );
        let stats = run(&clients, &sc.requests, args.concurrency, duration).await;
        eprintln!("  {}", stats.line());
        results.push((sc.name.clone(), stats));
    }

    let mixed: Vec<Req> = workload::mixed(&scenarios);
    eprintln!(
        "running mixed reads ({} clients, {:?})",
        args.mixed_concurrency, duration
    );
    let sampler = srv.sample_memory_while(duration + Duration::from_secs(2));
    let mixed_stats = run(&clients, &mixed, args.mixed_concurrency, duration).await;
    let peak_during = sampler.await.unwrap_or(0);
    eprintln!("  {}", mixed_stats.line());
    tokio::time::sleep(Duration::from_secs(5)).await;
    let after = srv.memory()?;

    // Writes last: they add orders (and their tasks) to the data set the reads measured.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    for sc in workload::writes(&samples, today) {
        eprintln!(
            "running {} ({} clients, {:?})",
            sc.name, args.write_concurrency, duration
        );
        let stats = run(&clients, &sc.requests, args.write_concurrency, duration).await;
        eprintln!("  {}", stats.line());
        results.push((sc.name.clone(), stats));
    }
    srv.stop();

    let planning = if args.skip_planning {
        Vec::new()
    } else {
        let removed = server::forget_planned_inquiries(&args.database_url).await?;
        eprintln!("timing the inquiry planning (removed {removed} open inquiries of earlier runs)");
        planning::run(&args)
    };
    let outbox = if args.skip_outbox {
        None
    } else {
        Some(outbox::run(&args, args.outbox_messages, args.outbox_pace).await)
    };

    // After the server has stopped, so the import has the machine to itself.
    let import = if args.skip_import {
        None
    } else {
        Some(import::run(&args).await)
    };
    let import_failed = import.as_ref().is_some_and(|i| i.outcome.is_err());

    let report = Report {
        backend: server::backend_label(&args.database_url),
        database_url: server::mask(&args.database_url),
        generated,
        sizes,
        results,
        mixed: mixed_stats,
        rss_idle_start_kb: idle_start.rss_kb,
        rss_idle_after_kb: after.rss_kb,
        rss_under_load_kb: peak_during,
        hwm_kb: after.hwm_kb,
        concurrency: args.concurrency,
        mixed_concurrency: args.mixed_concurrency,
        duration_s: args.duration,
        write_concurrency: args.write_concurrency,
        planning,
        outbox,
        import,
    };
    println!("{}", report.render());
    if import_failed {
        bail!("the Excel import failed (see above)");
    }
    Ok(())
}

pub fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}
