//! Test servers: one per test and backend, with a throwaway database and the six demo roles.

use std::time::Duration;

use huike_app::App;
use huike_app::users::UserInput;
use huike_store::Db;
use huike_web::{Application, Config};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const PASSWORD: &str = "test-password-1";

/// The backends to run a test on: SQLite always, PostgreSQL when reachable. With
/// HUIKE_REQUIRE_PG=1 (as CI sets) an unreachable PostgreSQL fails the test instead.
pub async fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    let admin_url = std::env::var("HUIKE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    sqlx::any::install_default_drivers();
    match tokio::time::timeout(Duration::from_secs(5), sqlx::AnyPool::connect(&admin_url)).await {
        Ok(Ok(pool)) => {
            pool.close().await;
            out.push(Backend::Postgres(admin_url));
        }
        _ => {
            if std::env::var("HUIKE_REQUIRE_PG").as_deref() == Ok("1") {
                panic!(
                    "PostgreSQL is required (HUIKE_REQUIRE_PG=1) but {admin_url} is not reachable"
                );
            }
            eprintln!(
                "\n*** skipped: no PostgreSQL at {admin_url}; these tests ran on SQLite only ***\n"
            );
        }
    }
    out
}

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// A test's throwaway storage, a PostgreSQL database or a folder (a SQLite file and what a
/// test writes beside it), removed when this is dropped: so also when a test panics
/// half-way, which unwinds through it, not only when it reaches [`TestApp::finish`].
pub struct Scratch {
    /// The server's admin URL and the database's name.
    database: Option<(String, String)>,
    dir: Option<std::path::PathBuf>,
}

impl Scratch {
    pub fn database(admin_url: &str, name: &str) -> Scratch {
        Scratch {
            database: Some((admin_url.to_string(), name.to_string())),
            dir: None,
        }
    }

    pub fn dir(dir: std::path::PathBuf) -> Scratch {
        Scratch {
            database: None,
            dir: Some(dir),
        }
    }

    /// Removes it now, from async code; nothing is left for `Drop` to do.
    pub async fn remove(mut self) {
        if let Some((admin, name)) = self.database.take() {
            drop_database(&admin, &name).await;
        }
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.database.take() {
            // Drop cannot await, and it runs on the test's runtime thread, where blocking on
            // another future panics: a thread of its own with a small runtime of its own,
            // waited for so the database is gone before the test is reported. Nothing here
            // may panic: a panic while a failing test unwinds would abort the whole binary.
            let dropped = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_database(&admin, &name));
                }
            });
            let _ = dropped.join();
        }
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Drops database `name`; WITH (FORCE) ends the connections that a test which panicked
/// left open (its server's pool is still alive while the test unwinds).
async fn drop_database(admin_url: &str, name: &str) {
    use sqlx::Connection;
    let connect = sqlx::AnyConnection::connect(admin_url);
    if let Ok(Ok(mut conn)) = tokio::time::timeout(Duration::from_secs(10), connect).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await;
        let _ = conn.close().await;
    }
}

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub backend: &'static str,
    /// The database's URL, for a second instance on the same data.
    pub database_url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    /// Removed by `finish`, or by its `Drop` when a failing test unwinds through this.
    scratch: Option<Scratch>,
}

pub struct Users {
    pub admin: String,
    pub manager1: String,
    pub sales1: String,
    pub sales2: String,
    pub sales3: String,
    pub service1: String,
}

impl TestApp {
    pub async fn spawn(backend: &Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// A server whose configuration `tune` adjusts first (an SMTP server, workers on, …).
    pub async fn spawn_with(backend: &Backend, tune: impl FnOnce(&mut Config)) -> TestApp {
        let name = format!("huike_test_{}", uuid::Uuid::now_v7().simple());
        // The scratch guard exists from the moment there is something to remove, so a panic
        // below (a failed migration, say) leaves nothing behind either.
        let (url, scratch, label) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                (
                    format!("sqlite://{}/huike.sqlite3", dir.display()),
                    Scratch::dir(dir),
                    "sqlite",
                )
            }
            Backend::Postgres(admin) => {
                let pool = sqlx::AnyPool::connect(admin)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&pool)
                    .await
                    .expect("create test database");
                pool.close().await;
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .unwrap_or_default();
                (
                    format!("{base}/{name}"),
                    Scratch::database(admin, &name),
                    "postgres",
                )
            }
        };
        let config = Config {
            database_url: url.clone(),
            port: 0,
            login_per_minute: 20,
            // Tests run the jobs and deliver messages themselves, on the clock they set.
            scheduler: false,
            outbox_workers: false,
            ..Config::default()
        };
        let mut config = config;
        tune(&mut config);
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let app = App::new(db, config.app_settings());
        let server = Application::build_with_app(config, app)
            .await
            .expect("build server");
        let base = format!("http://{}", server.addr());
        let app = server.state().app.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            let _ = server
                .run_until(async {
                    let _ = rx.await;
                })
                .await;
        });
        TestApp {
            base,
            app,
            backend: label,
            database_url: url,
            stop: Some(tx),
            server: Some(handle),
            scratch: Some(scratch),
        }
    }

    /// Creates two departments and one user per role (plus reps in both departments).
    pub async fn seed_users(&self) -> Users {
        let d1 = huike_app::users::create_department(&self.app, None, "一部")
            .await
            .expect("dept");
        let d2 = huike_app::users::create_department(&self.app, None, "二部")
            .await
            .expect("dept");
        let mk = |u: &str, role: &str, dep: Option<&str>| UserInput {
            username: u.into(),
            display_name: u.into(),
            role: role.into(),
            department_id: dep.unwrap_or_default().into(),
            password: PASSWORD.into(),
            locale: "zh-CN".into(),
            active: true,
            ..UserInput::default()
        };
        let mut ids = Vec::new();
        for (u, r, d) in [
            ("admin", "admin", None),
            ("manager1", "manager", Some(d1.id.as_str())),
            ("sales1", "sales", Some(d1.id.as_str())),
            ("sales2", "sales", Some(d1.id.as_str())),
            ("sales3", "sales", Some(d2.id.as_str())),
            ("service1", "service", None),
        ] {
            ids.push(
                huike_app::users::create(&self.app, None, &mk(u, r, d))
                    .await
                    .expect("user")
                    .id,
            );
        }
        Users {
            admin: ids[0].clone(),
            manager1: ids[1].clone(),
            sales1: ids[2].clone(),
            sales2: ids[3].clone(),
            sales3: ids[4].clone(),
            service1: ids[5].clone(),
        }
    }

    /// Logs in through the API; returns a cookie-carrying client and its CSRF token.
    pub async fn session(&self, username: &str) -> (reqwest::Client, String) {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let r = client
            .post(format!("{}/api/v1/session", self.base))
            .json(&json!({ "username": username, "password": PASSWORD }))
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), StatusCode::OK, "login as {username}");
        let body: Value = r.json().await.expect("json");
        (
            client,
            body["csrf_token"].as_str().unwrap_or_default().to_string(),
        )
    }

    /// An API client authenticating with a fresh token of `username`.
    pub async fn api(&self, username: &str) -> Api {
        let (client, csrf) = self.session(username).await;
        let r = client
            .post(format!("{}/api/v1/tokens", self.base))
            .header("x-csrf-token", csrf)
            .json(&json!({ "name": "tests" }))
            .send()
            .await
            .expect("token");
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.expect("json");
        Api {
            base: format!("{}/api/v1", self.base),
            token: body["token"].as_str().unwrap_or_default().to_string(),
            token_id: body["id"].as_str().unwrap_or_default().to_string(),
            client: reqwest::Client::new(),
        }
    }

    /// Stops the server and removes its database.
    pub async fn finish(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = h.await;
        }
        self.app.db.close().await;
        if let Some(scratch) = self.scratch.take() {
            scratch.remove().await;
        }
    }
}

pub struct Api {
    pub base: String,
    pub token: String,
    pub token_id: String,
    pub client: reqwest::Client,
}

impl Api {
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    /// Creates a customer and returns its id.
    pub async fn customer(&self, name: &str) -> String {
        let (st, body) = self
            .post(
                "/customers",
                json!({ "name": name, "kind": "organization", "phone": "010-88886666" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap_or_default().to_string()
    }
}

/// Runs `f` once per backend with a fresh server.
#[macro_export]
macro_rules! on_each_backend {
    (|$app:ident| $body:block) => {
        for backend in $crate::helpers::backends().await {
            let $app = $crate::helpers::TestApp::spawn(&backend).await;
            eprintln!("-- on {}", $app.backend);
            $body
            $app.finish().await;
        }
    };
}

/// Queues `n` e-mails to distinct customers in one transaction (keys `{key}:0` …); returns
/// their outbox ids.
pub async fn queue_mails(t: &TestApp, key: &str, n: usize) -> std::collections::BTreeSet<String> {
    use huike_app::outbox::{Outgoing, Via, enqueue};
    let mut tx = t.app.db.begin_write().await.expect("tx");
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..n {
        let id = enqueue(
            &t.app,
            &mut tx,
            Outgoing {
                idem_key: format!("{key}:{i}"),
                via: Via::Email,
                recipient: format!("customer{i}@example.com"),
                subject: format!("第 {i} 封"),
                body: format!("您好，这是第 {i} 封邮件。"),
                lang: huike_domain::Lang::ZhCn,
                event: String::new(),
                customer_id: None,
                contact_id: None,
                task_id: None,
            },
        )
        .await
        .expect("enqueue")
        .expect("queued");
        ids.insert(id);
    }
    tx.commit().await.expect("commit");
    ids
}
