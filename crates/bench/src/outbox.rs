//! The outbox under load: queues e-mails to real contacts of the data set, starts `huike serve`
//! with its delivery workers pointed at a real SMTP server on a local port, and measures how
//! fast they drain and how long each message waited between falling due and being sent.
//!
//! Two runs: a burst (every message due at once: the sustained send rate) and a paced run
//! (messages falling due at a fixed rate: the time from due to sent at that rate).

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use huike_store::outbox::Message;

use crate::Args;
use crate::server::Server;
use crate::workload::percentile;

/// The receiver: a few lines on Debian's aiosmtpd that count what arrives.
const SINK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/support/smtp_counter.py");

/// What one run measured.
#[derive(Debug, Clone)]
pub struct DrainRun {
    pub label: String,
    /// Messages per second falling due (a paced run), or None (a burst).
    pub pace: Option<f64>,
    pub messages: usize,
    /// Messages per second from the first falling due to the last sent.
    pub rate: f64,
    /// Milliseconds from due to sent: p50, p95, max.
    pub wait_ms: [f64; 3],
    /// What the SMTP server counted: messages, distinct Message-IDs.
    pub received: u64,
    pub unique: u64,
    pub unsent: usize,
}

#[derive(Debug)]
pub struct OutboxLoad {
    pub runs: Vec<anyhow::Result<DrainRun>>,
}

struct Sink {
    child: Child,
    port: u16,
}

impl Sink {
    fn start() -> anyhow::Result<Sink> {
        let mut child = Command::new("/usr/bin/python3")
            .arg(SINK)
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot start the SMTP server (is python3-aiosmtpd installed?)")?;
        let mut line = String::new();
        let stdout = child.stdout.as_mut().context("no stdout")?;
        BufReader::new(stdout).read_line(&mut line)?;
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("the SMTP server said {line:?}"))?;
        Ok(Sink { child, port })
    }

    /// Stops it and reads its counts: (messages, distinct Message-IDs).
    fn finish(mut self) -> anyhow::Result<(u64, u64)> {
        // kill(1) sends SIGTERM, which the sink answers with its counts.
        Command::new("kill")
            .arg(self.child.id().to_string())
            .status()?;
        let mut out = String::new();
        if let Some(mut s) = self.child.stdout.take() {
            s.read_to_string(&mut out)?;
        }
        let _ = self.child.wait();
        let v: serde_json::Value = serde_json::from_str(out.trim())
            .with_context(|| format!("the SMTP server's counts read {out:?}"))?;
        Ok((
            v["received"].as_u64().unwrap_or(0),
            v["unique"].as_u64().unwrap_or(0),
        ))
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Queues `n` e-mails, the i-th due at `due(i)`, under idempotency keys `prefix{i}`.
async fn queue(
    db: &huike_store::Db,
    prefix: &str,
    n: usize,
    due: impl Fn(usize) -> i64,
) -> anyhow::Result<()> {
    let contacts: Vec<(String, String)> =
        sqlx::query_as("SELECT id, customer_id FROM contacts ORDER BY id LIMIT 5000")
            .fetch_all(db.pool())
            .await?;
    if contacts.is_empty() {
        bail!("the data set has no contacts");
    }
    let created = now_ms();
    for chunk in (0..n).collect::<Vec<_>>().chunks(5000) {
        let mut tx = db.begin_write().await?;
        for &i in chunk {
            let (contact, customer) = &contacts[i % contacts.len()];
            huike_store::outbox::enqueue(
                &mut tx,
                &Message {
                    id: format!("{prefix}{i}"),
                    idem_key: format!("{prefix}{i}"),
                    channel: "email".into(),
                    recipient: format!("contact{i}@bench.test"),
                    subject: "感谢您的信任".into(),
                    body: format!(
                        "尊敬的客户，您好！\n\n感谢您选择我们的产品。第 {i} 封：如有任何问题，\
                         请随时联系我们。\n\n此致\n敬礼"
                    ),
                    lang: "zh-CN".into(),
                    event: String::new(),
                    customer_id: Some(customer.clone()),
                    contact_id: Some(contact.clone()),
                    task_id: None,
                    status: "pending".into(),
                    attempts: 0,
                    next_attempt_at: due(i),
                    claimed_by: None,
                    claimed_until: None,
                    last_error: String::new(),
                    sent_at: None,
                    created_at: created,
                    updated_at: created,
                },
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn count_sent(db: &huike_store::Db, prefix: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM outbox WHERE idem_key LIKE '{prefix}%' AND status = 'sent'"
    )))
    .fetch_one(db.pool())
    .await?)
}

async fn one_run(
    args: &Args,
    db: &huike_store::Db,
    label: String,
    n: usize,
    pace: Option<f64>,
) -> anyhow::Result<DrainRun> {
    let prefix = format!("bench-{}-", now_ms());
    // A paced run starts its first message a few seconds on, once the server is up.
    let first_due = now_ms() + if pace.is_some() { 8_000 } else { 0 };
    let due = |i: usize| match pace {
        Some(rate) => first_due + (i as f64 * 1000.0 / rate) as i64,
        None => first_due,
    };
    eprintln!("queuing {n} e-mails ({label})");
    queue(db, &prefix, n, due).await?;
    let sink = Sink::start()?;
    let env = [
        ("HUIKE_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port)),
        ("HUIKE_SMTP_FROM", "回客 <bench@huike.test>".to_string()),
        ("HUIKE_SCHEDULER", "false".into()),
        // Quiet hours would hold messages to people back at night; the bench may run then.
        ("HUIKE_QUIET_START", "00:00".into()),
        ("HUIKE_QUIET_END", "00:00".into()),
    ];
    let started = Instant::now();
    let mut srv = Server::start_with(args, &env).await?;
    let last_due = due(n.saturating_sub(1));
    let allowed = Duration::from_millis(u64::try_from(last_due - now_ms()).unwrap_or(0))
        + Duration::from_secs(60 + n as u64 / 100);
    let mut sent = 0;
    while started.elapsed() < allowed {
        tokio::time::sleep(Duration::from_millis(500)).await;
        sent = count_sent(db, &prefix).await?;
        if sent as usize >= n {
            break;
        }
    }
    srv.stop();
    let (received, unique) = sink.finish()?;
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT idem_key, sent_at FROM outbox WHERE idem_key LIKE '{prefix}%'"
    )))
    .fetch_all(db.pool())
    .await?;
    let mut waits = Vec::with_capacity(rows.len());
    let mut last_sent = first_due;
    for (key, sent_at) in &rows {
        let (Some(i), Some(at)) = (
            key.strip_prefix(&prefix)
                .and_then(|s| s.parse::<usize>().ok()),
            sent_at,
        ) else {
            continue;
        };
        last_sent = last_sent.max(*at);
        waits.push(Duration::from_millis(
            u64::try_from(at - due(i)).unwrap_or(0),
        ));
    }
    waits.sort_unstable();
    // A burst is timed from when the server could first send (it was started after queuing).
    let from = match pace {
        Some(_) => first_due,
        None => srv.ready_ms,
    };
    let span = (last_sent - from).max(1) as f64 / 1000.0;
    // The run's messages stay (sent), as do the timeline entries that show their delivery: a
    // later run queues its own under new keys, so they only add rows.
    Ok(DrainRun {
        label,
        pace,
        messages: n,
        rate: waits.len() as f64 / span,
        wait_ms: [
            percentile(&waits, 50.0),
            percentile(&waits, 95.0),
            waits.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
        ],
        received,
        unique,
        unsent: n.saturating_sub(usize::try_from(sent).unwrap_or(0)),
    })
}

/// The burst of `n` messages, then `n / 5` paced at `pace` per second.
pub async fn run(args: &Args, n: usize, pace: f64) -> OutboxLoad {
    let db = match huike_store::Db::connect(&args.database_url).await {
        Ok(db) => db,
        Err(e) => {
            return OutboxLoad {
                runs: vec![Err(anyhow::anyhow!("cannot open the database: {e}"))],
            };
        }
    };
    let burst = one_run(args, &db, format!("{n} due at once"), n, None).await;
    eprintln!("  {burst:?}");
    let paced_n = (n / 5).max(1);
    let paced = one_run(
        args,
        &db,
        format!("{paced_n} falling due at {pace:.0}/s"),
        paced_n,
        Some(pace),
    )
    .await;
    eprintln!("  {paced:?}");
    db.close().await;
    OutboxLoad {
        runs: vec![burst, paced],
    }
}
