//! Nothing lost, nothing sent twice: real `huike serve` processes deliver 1,000 queued e-mails
//! to a real SMTP server; two of them on one database never send a message twice, and one
//! killed with SIGKILL mid-batch and started again loses nothing, repeating at most the
//! messages that were in flight when it died (each repeat with the same Message-ID).

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::{Backend, TestApp};
use crate::peers::Peer;

const MESSAGES: usize = 1000;
/// Messages one server sends at once: at most this many can be in flight at a kill.
const PARALLEL: usize = 16;

/// Queues `MESSAGES` e-mails in one transaction; returns their ids.
async fn queue(t: &TestApp) -> BTreeSet<String> {
    crate::helpers::queue_mails(t, "crash-test", MESSAGES).await
}

/// A `huike serve` process on the test's database sending to `sink`, whose claims on messages
/// last `claim_secs` (after which another worker takes them over).
fn serve(t: &TestApp, sink: &Peer, claim_secs: u64) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huike"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("HUIKE_")) {
        cmd.env_remove(k);
    }
    cmd.arg("serve")
        .env("HUIKE_CONFIG", "/nonexistent/huike.toml")
        .env("HUIKE_DATABASE_URL", &t.database_url)
        .env("HUIKE_PORT", "0")
        .env("HUIKE_LOG", "warn")
        .env("HUIKE_SCHEDULER", "false")
        .env("HUIKE_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port))
        .env("HUIKE_SMTP_FROM", "回客 <crash@huike.test>")
        .env("HUIKE_OUTBOX_CLAIM_SECS", claim_secs.to_string())
        .env("HUIKE_OUTBOX_PARALLEL", PARALLEL.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start huike serve")
}

/// Message-ID local parts the sink received, with how often each came.
fn arrivals(sink: &Peer) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for m in sink.mails() {
        let id = m["message_id"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('<')
            .trim_end_matches("@huike.test>")
            .to_string();
        *seen.entry(id).or_insert(0) += 1;
    }
    seen
}

async fn wait_until(secs: u64, done: impl Fn() -> bool) -> bool {
    let until = std::time::Instant::now() + Duration::from_secs(secs);
    while std::time::Instant::now() < until {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done()
}

#[tokio::test]
async fn two_servers_on_one_postgresql_database_send_each_message_once() {
    for backend in crate::helpers::backends().await {
        if matches!(backend, Backend::Sqlite) {
            continue;
        }
        let sink = Peer::smtp();
        let t = TestApp::spawn(&backend).await;
        let ids = queue(&t).await;
        // Claims as long as they are in production (2 min): neither server dies, so none is
        // taken over, and a loaded machine does not make one start sending after its claim.
        let mut a = serve(&t, &sink, 120);
        let mut b = serve(&t, &sink, 120);
        let all = wait_until(120, || arrivals(&sink).len() >= MESSAGES).await;
        // A little longer, so a second copy sent late would be seen.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let _ = a.kill();
        let _ = b.kill();
        let _ = a.wait();
        let _ = b.wait();
        let got = arrivals(&sink);
        assert!(all, "{} of {MESSAGES} arrived", got.len());
        assert_eq!(got.keys().cloned().collect::<BTreeSet<_>>(), ids);
        let twice: Vec<_> = got.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "sent more than once: {twice:?}");
        // Both really worked the queue: the messages were sent by two different workers.
        let workers: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT claimed_by) FROM outbox")
            .fetch_one(t.app.db.pool())
            .await
            .expect("count");
        assert_eq!(workers, 2, "both servers sent some of the messages");
        t.finish().await;
    }
}

#[tokio::test]
async fn a_server_killed_mid_batch_and_restarted_loses_no_message() {
    for backend in crate::helpers::backends().await {
        let sink = Peer::smtp();
        let t = TestApp::spawn(&backend).await;
        eprintln!("-- on {}", t.backend);
        let ids = queue(&t).await;
        // The killed server's claims are taken over after 3 s instead of 2 min.
        let mut first = serve(&t, &sink, 3);
        let started = wait_until(60, || sink.mails().len() >= 100).await;
        // SIGKILL: no shutdown, claims left as they were, sends cut off mid-way.
        first.kill().expect("kill");
        first.wait().expect("reap");
        assert!(started, "the first server sent nothing");
        let at_kill = sink.mails().len();
        let mut second = serve(&t, &sink, 3);
        let all = wait_until(120, || arrivals(&sink).len() >= MESSAGES).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let _ = second.kill();
        let _ = second.wait();
        let got = arrivals(&sink);
        assert!(all, "{} of {MESSAGES} arrived", got.len());
        assert_eq!(
            got.keys().cloned().collect::<BTreeSet<_>>(),
            ids,
            "every message, by its id"
        );
        let repeats: usize = got.values().map(|n| n - 1).sum();
        eprintln!(
            "{}: {at_kill} delivered before the kill, {repeats} sent again after it",
            t.backend
        );
        assert!(
            repeats <= PARALLEL,
            "{repeats} repeats, more than the {PARALLEL} that can be in flight"
        );
        t.finish().await;
    }
}
