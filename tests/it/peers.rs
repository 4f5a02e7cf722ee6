//! Real peers for delivery tests, written in Python by other people's libraries: an SMTP server
//! (aiosmtpd) and an HTTP receiver that checks webhook signatures with Python's `hmac`. Each
//! runs as a child process on a free port it picks itself and reports.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub struct Peer {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
    smtp: bool,
}

impl Peer {
    fn start(script: &str, smtp: bool, auth: Option<&str>) -> Peer {
        let dir =
            std::env::temp_dir().join(format!("huike-peer-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).expect("peer folder");
        let (child, port) = Peer::spawn(script, &dir, None, auth);
        Peer {
            child,
            port,
            dir,
            smtp,
        }
    }

    /// Stops an SMTP peer, closing every connection it holds, and starts it again on the same
    /// port with what it stored so far.
    pub fn restart_smtp(&mut self) {
        assert!(self.smtp, "only the SMTP peer restarts");
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (child, port) = Peer::spawn("smtp_sink.py", &self.dir, Some(self.port), None);
        assert_eq!(port, self.port);
        self.child = child;
    }

    fn spawn(
        script: &str,
        dir: &std::path::Path,
        port: Option<u16>,
        auth: Option<&str>,
    ) -> (Child, u16) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/support")
            .join(script);
        // Debian's python3, where python3-aiosmtpd is installed (scripts/test installs it).
        let mut child = Command::new("/usr/bin/python3")
            .arg(&path)
            .arg(dir)
            .args(port.map(|p| p.to_string()))
            .envs(auth.map(|a| ("SINK_AUTH", a)))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {script}: {e}"));
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the peer's first line");
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{script} said {line:?}, not its port"));
        (child, port)
    }

    /// An SMTP server storing what it accepts.
    pub fn smtp() -> Peer {
        Peer::start("smtp_sink.py", true, None)
    }

    /// An SMTP server that takes mail only after AUTH as `user:password`.
    pub fn smtp_with_auth(user_password: &str) -> Peer {
        Peer::start("smtp_sink.py", true, Some(user_password))
    }

    /// An HTTP receiver recording each POST and checking its signature.
    pub fn http() -> Peer {
        Peer::start("webhook_receiver.py", false, None)
    }

    /// Makes the peer refuse (SMTP 451, HTTP 500) until `refuse(false)`.
    pub fn refuse(&self, on: bool) {
        let flag = self.dir.join(if self.smtp { "REFUSE" } else { "FAIL" });
        if on {
            std::fs::write(flag, b"").expect("flag");
        } else {
            let _ = std::fs::remove_file(flag);
        }
    }

    /// The webhook secret the receiver checks signatures with.
    pub fn set_secret(&self, secret: &str) {
        std::fs::write(self.dir.join("secret"), secret).expect("secret");
    }

    /// The messages an SMTP peer stored, as its parser read them.
    pub fn mails(&self) -> Vec<Value> {
        let mut out = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "json") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    out.push(serde_json::from_str(&text).unwrap_or(Value::Null));
                }
            }
        }
        out
    }

    /// The POSTs an HTTP peer received, in order.
    pub fn posts(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join("received.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits until `done` holds (checked every 50 ms), up to `secs` seconds.
    pub async fn wait_for(&self, secs: u64, done: impl Fn(&Peer) -> bool) -> bool {
        let until = std::time::Instant::now() + Duration::from_secs(secs);
        while std::time::Instant::now() < until {
            if done(self) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        done(self)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
