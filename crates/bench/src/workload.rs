//! The requests each scenario sends, the logged-in clients that send them, and the closed-loop
//! runner that measures latency and throughput.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;

use crate::sample::Samples;

/// One logged-in HTTP client per demo user.
#[derive(Clone)]
pub struct Clients {
    pub base: String,
    pub users: Vec<(String, reqwest::Client)>,
    /// Per user, the CSRF token its session's writes send as `X-CSRF-Token`.
    pub csrf: Vec<String>,
}

impl Clients {
    pub async fn login(base: &str, users: &[(&str, &str)]) -> anyhow::Result<Clients> {
        let mut out = Vec::new();
        let mut csrf = Vec::new();
        for (username, _) in users {
            let client = reqwest::Client::builder()
                .cookie_store(true)
                .pool_max_idle_per_host(256)
                .timeout(Duration::from_secs(60))
                .build()?;
            let r = client
                .post(format!("{base}/api/v1/session"))
                .json(&json!({ "username": username, "password": crate::PASSWORD }))
                .send()
                .await
                .with_context(|| format!("cannot log in as {username}"))?;
            if !r.status().is_success() {
                bail!(
                    "logging in as {username} answered {}: is this a `huike demo` database?",
                    r.status()
                );
            }
            let session: serde_json::Value = r.json().await?;
            csrf.push(
                session
                    .get("csrf_token")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            );
            out.push((username.to_string(), client));
        }
        Ok(Clients {
            base: base.to_string(),
            users: out,
            csrf,
        })
    }

    pub async fn get_json(&self, user: usize, path: &str) -> anyhow::Result<serde_json::Value> {
        let r = self.users[user]
            .1
            .get(format!("{}{path}", self.base))
            .send()
            .await?;
        let status = r.status();
        if !status.is_success() {
            bail!("GET {path} as {} answered {status}", self.users[user].0);
        }
        Ok(r.json().await?)
    }
}

/// One request: which user sends it, the path with its query, and for a write its JSON body
/// (sent as a POST).
#[derive(Debug, Clone)]
pub struct Req {
    pub user: usize,
    pub path: String,
    pub body: Option<Arc<serde_json::Value>>,
}

pub struct Scenario {
    pub name: String,
    pub requests: Vec<Req>,
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn round_robin_users(paths: &[String], users: usize) -> Vec<Req> {
    let mut out = Vec::with_capacity(paths.len() * users);
    for p in paths {
        for u in 0..users {
            out.push(Req {
                user: u,
                path: p.clone(),
                body: None,
            });
        }
    }
    out
}

/// The list pages measured: 100 rows, sorted, filtered, with the total; each sent by every
/// user, so the visibility filter is part of what is measured.
pub const CUSTOMER_LISTS: &[&str] = &[
    "/api/v1/customers?per_page=100",
    "/api/v1/customers?per_page=100&sort=updated&dir=desc",
    "/api/v1/customers?per_page=100&class=A&sort=name",
    "/api/v1/customers?per_page=100&province=%E5%B9%BF%E4%B8%9C%E7%9C%81&sort=region",
    "/api/v1/customers?per_page=100&kind=person&sort=created&dir=desc",
    "/api/v1/customers?per_page=100&sort=name&page=5",
];

pub const CONTACT_LISTS: &[&str] = &[
    "/api/v1/contacts?per_page=100",
    "/api/v1/contacts?per_page=100&sort=customer",
    "/api/v1/contacts?per_page=100&personality=composed",
    "/api/v1/contacts?per_page=100&buying_role=purchaser&page=3",
];

pub fn scenarios(s: &Samples, page_urls: &[String]) -> Vec<Scenario> {
    let users = s.customer_ids.len();
    let search = |qs: &[String]| -> Vec<Req> {
        let paths: Vec<String> = qs
            .iter()
            .map(|q| format!("/api/v1/search?q={}", enc(q)))
            .collect();
        round_robin_users(&paths, users)
    };
    let mut out = vec![
        Scenario {
            name: "search: name".into(),
            requests: search(&s.names),
        },
        Scenario {
            name: "search: pinyin initials".into(),
            requests: search(&s.initials),
        },
        Scenario {
            name: "search: full pinyin".into(),
            requests: search(&s.full_pinyin),
        },
        Scenario {
            name: "search: phone suffix".into(),
            requests: search(&s.phone_suffixes),
        },
    ];
    for template in page_urls {
        // Each user opens customers it may see.
        let mut reqs = Vec::new();
        let longest = s.customer_ids.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..longest {
            for (u, ids) in s.customer_ids.iter().enumerate() {
                if let Some(id) = ids.get(i) {
                    reqs.push(Req {
                        user: u,
                        path: template.replace("{id}", id),
                        body: None,
                    });
                }
            }
        }
        out.push(Scenario {
            name: format!("customer page {template}"),
            requests: reqs,
        });
    }
    let lists = |paths: &[&str]| -> Vec<Req> {
        let p: Vec<String> = paths.iter().map(|x| x.to_string()).collect();
        round_robin_users(&p, users)
    };
    // Today as the manager (index 1: the department's team load and broken promises) and as
    // the rep (index 2), in the API and as the home page.
    for (name, user, path) in [
        ("today: rep", 2, "/api/v1/today"),
        ("today: manager", 1, "/api/v1/today"),
        ("today page: rep", 2, "/"),
    ] {
        if user < users {
            out.push(Scenario {
                name: name.into(),
                requests: vec![Req {
                    user,
                    path: path.into(),
                    body: None,
                }],
            });
        }
    }
    out.push(Scenario {
        name: "customer list".into(),
        requests: lists(CUSTOMER_LISTS),
    });
    out.push(Scenario {
        name: "contact list".into(),
        requests: lists(CONTACT_LISTS),
    });
    out
}

/// The writes measured, apart from the reads (they change the data): a rep saving an order of
/// one catalogue line for one of their customers, delivered three days on, with a doubt, so
/// each request also plans the order's thank-you note and 2-5-12 calls in its transaction.
pub fn writes(s: &Samples, today: chrono::NaiveDate) -> Vec<Scenario> {
    const REP: usize = 2;
    let (Some(customers), false) = (s.customer_ids.get(REP), s.product_ids.is_empty()) else {
        return Vec::new();
    };
    let delivery = today + chrono::Days::new(3);
    let requests = customers
        .iter()
        .enumerate()
        .map(|(i, customer)| Req {
            user: REP,
            path: "/api/v1/orders".into(),
            body: Some(Arc::new(json!({
                "customer_id": customer,
                "delivery_date": delivery.format("%Y-%m-%d").to_string(),
                "doubts": "担心安装后的售后响应速度",
                "lines": [{
                    "product_id": s.product_ids[i % s.product_ids.len()],
                    "quantity": "2",
                    "unit_price": "",
                }],
            }))),
        })
        .collect();
    vec![Scenario {
        name: "order create: rep".into(),
        requests,
    }]
}

/// Every scenario's requests interleaved, for the mixed-read load.
pub fn mixed(scenarios: &[Scenario]) -> Vec<Req> {
    let longest = scenarios
        .iter()
        .map(|s| s.requests.len())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..longest {
        for s in scenarios {
            if !s.requests.is_empty() {
                out.push(s.requests[i % s.requests.len()].clone());
            }
        }
    }
    out
}

/// Latencies of one run, with the user of each request.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub samples: Vec<(usize, Duration)>,
    pub errors: usize,
    pub first_error: Option<String>,
    pub elapsed: Duration,
}

pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

impl Stats {
    fn sorted(&self, user: Option<usize>) -> Vec<Duration> {
        let mut v: Vec<Duration> = self
            .samples
            .iter()
            .filter(|(u, _)| user.is_none_or(|x| x == *u))
            .map(|(_, d)| *d)
            .collect();
        v.sort_unstable();
        v
    }

    /// Milliseconds at percentile `p`, of all requests or one user's.
    pub fn p(&self, p: f64, user: Option<usize>) -> f64 {
        percentile(&self.sorted(user), p)
    }

    pub fn rps(&self) -> f64 {
        self.samples.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn line(&self) -> String {
        format!(
            "{} requests, {:.0} req/s, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, {} errors{}",
            self.samples.len(),
            self.rps(),
            self.p(50.0, None),
            self.p(95.0, None),
            self.p(99.0, None),
            self.errors,
            self.first_error
                .as_deref()
                .map(|e| format!(" (first: {e})"))
                .unwrap_or_default()
        )
    }
}

/// Sends `requests` in order (wrapping) from `concurrency` workers, each waiting for its
/// answer before the next request (closed loop), for a 2-second warm-up and then `duration`.
pub async fn run(
    clients: &Clients,
    requests: &[Req],
    concurrency: usize,
    duration: Duration,
) -> Stats {
    if requests.is_empty() {
        return Stats {
            first_error: Some("no requests (nothing sampled)".into()),
            ..Stats::default()
        };
    }
    let requests = Arc::new(requests.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let warmup = Duration::from_secs(2);
    let start = Instant::now();
    let measure_from = start + warmup;
    let until = measure_from + duration;
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let clients = clients.clone();
        let requests = requests.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut stats = Stats::default();
            loop {
                let now = Instant::now();
                if now >= until {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed) % requests.len();
                let req = &requests[i];
                let url = format!("{}{}", clients.base, req.path);
                let sent = Instant::now();
                let outcome = async {
                    let client = &clients.users[req.user].1;
                    let r = match &req.body {
                        Some(body) => {
                            client
                                .post(&url)
                                .header("X-CSRF-Token", &clients.csrf[req.user])
                                .json(&**body)
                                .send()
                                .await?
                        }
                        None => client.get(&url).send().await?,
                    };
                    let status = r.status();
                    let body = r.bytes().await?;
                    Ok::<_, reqwest::Error>((status, body.len()))
                }
                .await;
                let took = sent.elapsed();
                if sent < measure_from {
                    continue;
                }
                match outcome {
                    Ok((status, _)) if status.is_success() => stats.samples.push((req.user, took)),
                    Ok((status, _)) => {
                        stats.errors += 1;
                        stats
                            .first_error
                            .get_or_insert_with(|| format!("{status} for {}", req.path));
                    }
                    Err(e) => {
                        stats.errors += 1;
                        stats
                            .first_error
                            .get_or_insert_with(|| format!("{e} for {}", req.path));
                    }
                }
            }
            stats
        }));
    }
    let mut all = Stats::default();
    for t in tasks {
        if let Ok(s) = t.await {
            all.samples.extend(s.samples);
            all.errors += s.errors;
            if all.first_error.is_none() {
                all.first_error = s.first_error;
            }
        }
    }
    all.elapsed = Instant::now().saturating_duration_since(measure_from);
    all
}
