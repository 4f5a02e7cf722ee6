//! `huike jobs list|run NAME`: the scheduled jobs, when each last ran, and running one now.

use anyhow::{Result, bail};
use clap::Subcommand;
use huike_app::App;

#[derive(Subcommand)]
pub enum JobsCommand {
    /// List the scheduled jobs with their last run.
    List,
    /// Run a job now, outside its schedule (its scheduled run still happens).
    Run {
        /// The job's name, as `huike jobs list` shows it.
        name: String,
    },
}

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&huike_app::clock::SHANGHAI)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

pub async fn run(app: &App, cmd: JobsCommand) -> Result<()> {
    match cmd {
        JobsCommand::List => {
            println!(
                "{:<16} {:<14} {:<20} {:<10} ABOUT / LAST RUN",
                "JOB", "EVERY", "LAST SLOT", "OUTCOME"
            );
            for s in huike_app::jobs::list(app).await.map_err(crate::explain)? {
                let every = match s.job.every {
                    huike_app::jobs::Every::Day { hour, minute } => {
                        format!("day {hour:02}:{minute:02}")
                    }
                    huike_app::jobs::Every::Hour => "hour".to_string(),
                };
                let (slot, outcome, detail) = match &s.last {
                    Some(r) => (
                        r.slot.clone(),
                        r.outcome.clone().unwrap_or_else(|| "running".into()),
                        format!("{} — {}", when(r.started_at), r.summary),
                    ),
                    None => ("-".into(), "never ran".into(), String::new()),
                };
                println!(
                    "{:<16} {:<14} {:<20} {:<10} {} {}",
                    s.job.name, every, slot, outcome, s.job.about_en, detail
                );
            }
        }
        JobsCommand::Run { name } => {
            let Some(job) = huike_app::jobs::find(&name) else {
                let names: Vec<&str> = huike_app::jobs::JOBS.iter().map(|j| j.name).collect();
                bail!("there is no job named {name}: one of {}", names.join(", "));
            };
            let instance = format!("cli-{}", std::process::id());
            let r = huike_app::jobs::run_now(app, job, &instance)
                .await
                .map_err(crate::explain)?;
            println!("{} ({}): {}", r.job, r.slot, r.summary);
        }
    }
    Ok(())
}
