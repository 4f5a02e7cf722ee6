//! Configuration: defaults that run with nothing set, an optional `huike.toml`, and
//! `HUIKE_*` environment variables over both.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// sqlite://PATH (default, file created on first start) or postgres://USER@HOST/DB
    pub database_url: String,
    /// Address to listen on.
    pub host: String,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Days after which an archive section is highlighted as stale.
    pub stale_days: i64,
    /// Hours a login lasts.
    pub session_hours: i64,
    /// Login attempts per username and address per minute.
    pub login_per_minute: u32,
    /// Mark cookies Secure (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Log format: "json" or "pretty".
    pub log_format: String,
    /// Run the scheduled jobs (inquiry planning, session sweeping) in this instance.
    pub scheduler: bool,
    /// Days between proactive inquiries of an active customer.
    pub inquiry_every_days: u32,
    /// A customer that bought within this many months counts as active for inquiries.
    pub inquiry_active_months: u32,
    /// Send queued messages from this instance (several instances may).
    pub outbox_workers: bool,
    /// Seconds a worker's claim on a message lasts: a message claimed by an instance that
    /// died is sent by another after this.
    pub outbox_claim_secs: u64,
    /// Messages one worker sends at the same time.
    pub outbox_parallel: usize,
    /// smtps://[user:pass@]host[:port] (TLS), smtp://…?tls=required (STARTTLS), or
    /// smtp://host:port (unencrypted, for a local relay). Unset: e-mail waits in the outbox.
    pub smtp_url: Option<String>,
    /// The sender of e-mail, e.g. "回客 <service@example.com>".
    pub smtp_from: String,
    /// The SMS gateway's URL (POSTed a JSON body). Unset: SMS waits in the outbox.
    pub sms_url: Option<String>,
    /// The SMS gateway request's Authorization header.
    pub sms_auth: Option<String>,
    /// The SMS gateway request's body; {{to}}, {{text}} and {{id}} are replaced.
    pub sms_body: String,
    /// Words not to use refuse a note instead of warning about it.
    pub forbidden_blocking: bool,
    /// Days before a promise's day that its reminder task falls due.
    pub promise_remind_days: u64,
    /// Quiet hours for messages to people, HH:MM in Asia/Shanghai.
    pub quiet_start: String,
    pub quiet_end: String,
    /// Help requests allowed per client address per hour from contact labels' pages.
    pub help_per_hour: u32,
    /// The address customers reach this server at (`https://crm.example.com`), put in front
    /// of the links printed on contact labels; unset, the address the label was printed from.
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/huike.sqlite3".into(),
            host: "127.0.0.1".into(),
            port: 8080,
            stale_days: huike_domain::customer::DEFAULT_STALE_DAYS,
            session_hours: 12,
            login_per_minute: 10,
            secure_cookies: false,
            log_format: "pretty".into(),
            scheduler: true,
            inquiry_every_days: huike_domain::aftersale::DEFAULT_INQUIRY_DAYS,
            inquiry_active_months: 12,
            outbox_workers: true,
            outbox_claim_secs: 120,
            outbox_parallel: 32,
            smtp_url: None,
            smtp_from: huike_app::outbox::DeliverySettings::default().smtp_from,
            sms_url: None,
            sms_auth: None,
            sms_body: huike_app::outbox::DeliverySettings::default().sms_body,
            forbidden_blocking: false,
            promise_remind_days: huike_app::promises::DEFAULT_REMIND_DAYS,
            quiet_start: "21:00".into(),
            quiet_end: "08:00".into(),
            help_per_hour: 5,
            public_url: None,
        }
    }
}

/// `HUIKE_*` variables that are not server settings: read by the CLI or the log set-up
/// directly, so they must not trip the unknown-key check.
const NOT_SETTINGS: &[&str] = &["HUIKE_CONFIG", "HUIKE_LOG", "HUIKE_PASSWORD"];
/// Prefixes of variables the test and bench scripts set for themselves; a server started
/// from such a shell must not refuse them. Anything else unknown is a typo and is refused.
const NOT_SETTING_PREFIXES: &[&str] = &["HUIKE_TEST_", "HUIKE_REQUIRE_", "HUIKE_BENCH_"];

fn is_setting(key: &str) -> bool {
    key.starts_with("HUIKE_")
        && !NOT_SETTINGS.contains(&key)
        && !NOT_SETTING_PREFIXES.iter().any(|p| key.starts_with(p))
}

fn server_env() -> std::collections::HashMap<String, String> {
    std::env::vars().filter(|(k, _)| is_setting(k)).collect()
}

impl Config {
    /// The delivery settings; a quiet-hours time that does not read as HH:MM keeps the default.
    pub fn delivery(&self) -> huike_app::outbox::DeliverySettings {
        let d = huike_app::outbox::DeliverySettings::default();
        let hm =
            |s: &str, dflt| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").unwrap_or(dflt);
        let set = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        huike_app::outbox::DeliverySettings {
            smtp_url: set(&self.smtp_url),
            smtp_from: self.smtp_from.clone(),
            sms_url: set(&self.sms_url),
            sms_auth: set(&self.sms_auth),
            sms_body: self.sms_body.clone(),
            quiet_start: hm(&self.quiet_start, d.quiet_start),
            quiet_end: hm(&self.quiet_end, d.quiet_end),
            claim: std::time::Duration::from_secs(self.outbox_claim_secs.max(1)),
            parallel: self.outbox_parallel.max(1),
            ..d
        }
    }

    /// Reads `huike.toml` (or the file `HUIKE_CONFIG` names) if present, then `HUIKE_*`.
    pub fn load() -> Result<Config, config::ConfigError> {
        let file = std::env::var("HUIKE_CONFIG").unwrap_or_else(|_| "huike.toml".into());
        config::Config::builder()
            .add_source(config::File::with_name(&file).required(false))
            .add_source(
                config::Environment::with_prefix("HUIKE")
                    .try_parsing(true)
                    .source(Some(server_env())),
            )
            .build()?
            .try_deserialize()
    }

    pub fn app_settings(&self) -> huike_app::AppSettings {
        huike_app::AppSettings {
            stale_days: self.stale_days,
            session_hours: self.session_hours,
            login_per_minute: self.login_per_minute,
            inquiry_every_days: self.inquiry_every_days,
            inquiry_active_months: self.inquiry_active_months,
            delivery: self.delivery(),
            forbidden_blocking: self.forbidden_blocking,
            promise_remind_days: self.promise_remind_days,
            help_per_hour: self.help_per_hour,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_variables_are_not_taken_for_settings() {
        assert!(super::is_setting("HUIKE_DATABASE_URL"));
        assert!(
            super::is_setting("HUIKE_DATABSE_URL"),
            "a typo is still refused"
        );
        for k in [
            "HUIKE_TEST_PG",
            "HUIKE_REQUIRE_PG",
            "HUIKE_BENCH_PG",
            "HUIKE_LOG",
            "HUIKE_PASSWORD",
            "PATH",
        ] {
            assert!(!super::is_setting(k), "{k}");
        }
    }
}
