//! The scheduler: jobs that run inside `huike serve` on a schedule (planning proactive
//! inquiries, sweeping sessions). Each run of a job for a time slot is claimed by inserting a
//! unique (job, slot) row first, so several instances on one database run each slot once,
//! and a slot missed while every instance was down runs at the next start.

use chrono::{Days, NaiveDateTime, NaiveTime};

use crate::App;
use crate::error::{AppError, AppResult};

/// How often a job runs, in the customer's calendar (Asia/Shanghai).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// Once a day, from this local time on.
    Day { hour: u32, minute: u32 },
    /// Once an hour.
    Hour,
}

/// A job the scheduler knows.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub name: &'static str,
    pub every: Every,
    pub about_zh: &'static str,
    pub about_en: &'static str,
}

pub const PLAN_INQUIRIES: Job = Job {
    name: "plan_inquiries",
    every: Every::Day { hour: 6, minute: 0 },
    about_zh: "为活跃客户安排主动询问任务",
    about_en: "Plans proactive inquiries for active customers",
};

pub const PLAN_GREETINGS: Job = Job {
    name: "plan_greetings",
    every: Every::Day {
        hour: 5,
        minute: 30,
    },
    about_zh: "为每位联系人安排未来一个月的问候（生日、家庭大事、节日、每月主题）",
    about_en: "Plans every contact's greetings for the month ahead (birthdays, family events, festivals, monthly themes)",
};

pub const ESCALATE_PROMISES: Job = Job {
    name: "escalate_promises",
    every: Every::Day { hour: 0, minute: 5 },
    about_zh: "把逾期未兑现的承诺记为未兑现，并上报负责人的主管",
    about_en: "Counts overdue promises as broken and escalates them to the owner's manager",
};

pub const SWEEP_SESSIONS: Job = Job {
    name: "sweep_sessions",
    every: Every::Hour,
    about_zh: "删除过期的登录会话",
    about_en: "Deletes expired login sessions",
};

/// Every job, in the order a tick runs them.
pub const JOBS: &[Job] = &[
    PLAN_INQUIRIES,
    PLAN_GREETINGS,
    ESCALATE_PROMISES,
    SWEEP_SESSIONS,
];

pub fn find(name: &str) -> Option<Job> {
    JOBS.iter().copied().find(|j| j.name == name)
}

/// The slot that has most recently begun at local time `now`: a daily job's slot is the day
/// whose run time has passed (yesterday's before today's run time), an hourly one the hour.
/// Only the latest slot is ever run: the jobs look at the state of the data, so one run
/// catches up every slot missed before it.
pub fn current_slot(every: Every, now: NaiveDateTime) -> String {
    match every {
        Every::Day { hour, minute } => {
            let at = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
            let day = if now.time() >= at {
                now.date()
            } else {
                now.date()
                    .checked_sub_days(Days::new(1))
                    .unwrap_or(now.date())
            };
            day.format("%Y-%m-%d").to_string()
        }
        Every::Hour => now.format("%Y-%m-%dT%H").to_string(),
    }
}

/// What one run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub job: &'static str,
    pub slot: String,
    pub summary: String,
}

/// Runs every job whose current slot no instance has claimed yet; returns the runs made
/// here. Called at start and then every minute by `huike serve`.
pub async fn tick(app: &App, instance: &str) -> AppResult<Vec<RunReport>> {
    let now = app.clock.now_local().naive_local();
    let mut ran = Vec::new();
    for job in JOBS {
        let slot = current_slot(job.every, now);
        if let Some(r) = run_slot(app, *job, &slot, instance).await? {
            ran.push(r);
        }
    }
    Ok(ran)
}

/// Runs `job` now, outside its schedule (`huike jobs run NAME`): its own slot, so the
/// scheduled one still runs.
pub async fn run_now(app: &App, job: Job, instance: &str) -> AppResult<RunReport> {
    let slot = format!(
        "manual:{}",
        app.clock.now().format("%Y-%m-%dT%H:%M:%S%.3fZ")
    );
    run_slot(app, job, &slot, instance).await?.ok_or_else(|| {
        AppError::Internal(format!("the manual slot {slot} of {} was taken", job.name))
    })
}

/// Claims `slot` of `job` and runs it; None when it was claimed already.
async fn run_slot(app: &App, job: Job, slot: &str, instance: &str) -> AppResult<Option<RunReport>> {
    {
        let mut conn = app.conn().await?;
        let claimed =
            huike_store::jobs::claim(&mut conn, job.name, slot, instance, app.clock.now_ms())
                .await?;
        if !claimed {
            return Ok(None);
        }
    }
    let result = run(app, job).await;
    let (outcome, summary) = match &result {
        Ok(s) => ("ok".to_string(), s.clone()),
        Err(e) => (format!("failed: {e}"), String::new()),
    };
    let mut conn = app.conn().await?;
    huike_store::jobs::finish(
        &mut conn,
        job.name,
        slot,
        app.clock.now_ms(),
        &outcome,
        &summary,
    )
    .await?;
    let summary = result?;
    tracing::info!(job = job.name, slot, %summary, "job ran");
    Ok(Some(RunReport {
        job: job.name,
        slot: slot.to_string(),
        summary,
    }))
}

async fn run(app: &App, job: Job) -> AppResult<String> {
    match job.name {
        "plan_inquiries" => {
            let n = crate::tasks::plan_inquiries(app).await?;
            Ok(format!("{n} inquiries planned"))
        }
        "plan_greetings" => {
            let r = crate::greetings::plan(app).await?;
            Ok(format!(
                "{} greetings planned for {} contacts ({} tasks, {} new campaigns)",
                r.greetings, r.contacts, r.tasks, r.campaigns
            ))
        }
        "escalate_promises" => {
            let n = crate::promises::escalate_overdue(app).await?;
            Ok(format!("{n} overdue promises escalated"))
        }
        "sweep_sessions" => {
            crate::auth::sweep_sessions(app).await?;
            Ok("expired sessions deleted".into())
        }
        other => Err(AppError::Internal(format!("no job named {other}"))),
    }
}

/// A job with its last run, for `huike jobs list`.
#[derive(Debug, Clone)]
pub struct JobStatus {
    pub job: Job,
    pub last: Option<huike_store::jobs::JobRun>,
}

pub async fn list(app: &App) -> AppResult<Vec<JobStatus>> {
    let mut conn = app.conn().await?;
    let mut out = Vec::new();
    for job in JOBS {
        out.push(JobStatus {
            job: *job,
            last: huike_store::jobs::last(&mut conn, job.name).await?,
        });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn a_daily_slot_begins_at_its_run_time() {
        let daily = Every::Day { hour: 6, minute: 0 };
        assert_eq!(current_slot(daily, at(2026, 4, 1, 5, 59)), "2026-03-31");
        assert_eq!(current_slot(daily, at(2026, 4, 1, 6, 0)), "2026-04-01");
        assert_eq!(current_slot(daily, at(2027, 1, 1, 0, 30)), "2026-12-31");
        assert_eq!(
            current_slot(Every::Hour, at(2026, 4, 1, 13, 59)),
            "2026-04-01T13"
        );
    }

    #[test]
    fn every_job_is_found_by_name() {
        for j in JOBS {
            assert_eq!(find(j.name).map(|f| f.name), Some(j.name));
        }
        assert!(find("nope").is_none());
    }
}
