//! Times the scheduler's inquiry planning over the whole data set: `huike jobs run
//! plan_inquiries` as the first run (which catches up every customer whose inquiry fell due
//! while nobody planned) and as the next day's run (the steady daily work).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::Args;

/// One timed run: what it was, how long, and the job's own summary.
#[derive(Debug)]
pub struct PlanRun {
    pub label: &'static str,
    pub outcome: anyhow::Result<(Duration, String)>,
}

fn run_once(args: &Args, now: Option<&str>) -> anyhow::Result<(Duration, String)> {
    let mut cmd = Command::new(&args.huike);
    cmd.args(["jobs", "run", "plan_inquiries"])
        .env("HUIKE_DATABASE_URL", &args.database_url)
        .env("HUIKE_LOG", "error")
        .stdout(Stdio::piped());
    if let Some(now) = now {
        // The app's clock, moved a day on for the next day's run.
        cmd.env("HUIKE_TEST_NOW", now);
    }
    let started = Instant::now();
    let out = cmd.output().context("cannot run huike jobs run")?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!("huike jobs run plan_inquiries failed ({})", out.status);
    }
    // The job's own line is the last; log lines may come before it.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout.lines().last().unwrap_or_default().trim().to_string();
    Ok((took, summary))
}

/// Runs the planning today (by the system clock) and then as tomorrow at 06:00, its
/// scheduled time.
pub fn run(args: &Args) -> Vec<PlanRun> {
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(8 + 24))
        .format("%Y-%m-%dT06:00:00+08:00")
        .to_string();
    let first = run_once(args, None);
    eprintln!("  plan_inquiries today: {first:?}");
    let next = run_once(args, Some(&tomorrow));
    eprintln!("  plan_inquiries tomorrow: {next:?}");
    vec![
        PlanRun {
            label: "first run (catch-up)",
            outcome: first,
        },
        PlanRun {
            label: "next day's run",
            outcome: next,
        },
    ]
}
