//! Huike's use cases: every operation a page or the API offers, with authorisation decided
//! here so the HTML pages and the JSON API cannot disagree.

pub mod access;
pub mod audit;
pub mod auth;
pub mod calendar_feed;
pub mod clock;
pub mod contacts;
pub mod customers;
pub mod demo;
pub mod error;
pub mod export;
pub mod faults;
pub mod greeting_calendar;
pub mod greeting_campaigns;
pub mod greetings;
pub mod import;
pub mod jobs;
pub mod labels;
pub mod list_export;
pub mod news;
pub mod notes;
pub mod orders;
pub mod outbox;
pub mod phrases;
pub mod products;
pub mod promises;
pub mod referrals;
pub mod search;
mod smtp;
pub mod tasks;
pub mod templates;
pub mod timeline;
pub mod users;
pub mod validate;
pub mod views;
pub mod webhooks;

pub use access::{Actor, Role};
pub use clock::Clock;
pub use error::{AppError, AppResult};

use huike_store::Db;

/// Settings the services need (the web layer owns the rest of the configuration).
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Days after which an archive section counts as stale.
    pub stale_days: i64,
    /// How long a login lasts.
    pub session_hours: i64,
    /// Failed-or-not login attempts allowed per (username, address) per minute.
    pub login_per_minute: u32,
    /// Most rows one export may hold.
    pub export_limit: i64,
    /// Days between proactive inquiries of an active customer.
    pub inquiry_every_days: u32,
    /// A customer that bought within this many months counts as active.
    pub inquiry_active_months: u32,
    /// Where and how outgoing messages go.
    pub delivery: outbox::DeliverySettings,
    /// Words not to use refuse a note instead of warning about it.
    pub forbidden_blocking: bool,
    /// Days before a promise's day that its reminder falls due.
    pub promise_remind_days: u64,
    /// How many days ahead greetings are planned (a handwritten card needs time to write).
    pub greeting_horizon_days: u64,
    /// Help requests allowed per client address per hour from contact labels' pages.
    pub help_per_hour: u32,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            stale_days: huike_domain::customer::DEFAULT_STALE_DAYS,
            session_hours: 12,
            login_per_minute: 10,
            export_limit: 100_000,
            inquiry_every_days: huike_domain::aftersale::DEFAULT_INQUIRY_DAYS,
            inquiry_active_months: 12,
            delivery: outbox::DeliverySettings::default(),
            forbidden_blocking: false,
            promise_remind_days: promises::DEFAULT_REMIND_DAYS,
            greeting_horizon_days: 30,
            help_per_hour: 5,
        }
    }
}

/// The application: the database plus the state services share.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub settings: AppSettings,
    /// Every "now" and "today" of the use cases; tests fix it.
    pub clock: Clock,
    pub(crate) login_limiter: std::sync::Arc<auth::LoginLimiter>,
    pub(crate) help_limiter: std::sync::Arc<labels::HelpLimiter>,
    /// Background imports started from the web, polled by id.
    pub imports: std::sync::Arc<import::ImportJobs>,
    /// The words-not-to-use checker built from the admins' list.
    pub(crate) phrases: std::sync::Arc<phrases::PhraseCache>,
}

impl App {
    /// An app on the system clock.
    pub fn new(db: Db, settings: AppSettings) -> App {
        App::with_clock(db, settings, Clock::system())
    }

    pub fn with_clock(db: Db, settings: AppSettings, clock: Clock) -> App {
        let limiter = auth::LoginLimiter::new(settings.login_per_minute);
        let help = labels::HelpLimiter::new(settings.help_per_hour);
        App {
            db,
            settings,
            clock,
            login_limiter: std::sync::Arc::new(limiter),
            help_limiter: std::sync::Arc::new(help),
            imports: std::sync::Arc::default(),
            phrases: std::sync::Arc::default(),
        }
    }

    /// A cheap round trip to the database, for readiness checks.
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.db.ping().await?)
    }

    /// Closes the database pool after the work in flight.
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Commits a write, then forgets the list totals it may have changed.
    pub(crate) async fn commit(&self, tx: huike_store::Tx) -> AppResult<()> {
        tx.commit().await.map_err(huike_store::StoreError::from)?;
        self.db.counts().wrote();
        Ok(())
    }

    /// A pooled connection for reads.
    pub(crate) async fn conn(&self) -> AppResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self
            .db
            .pool()
            .acquire()
            .await
            .map_err(huike_store::StoreError::from)?)
    }
}

/// Page number and size from user input, clamped to what lists allow.
pub fn paging(page: Option<i64>, per_page: Option<i64>) -> huike_store::Paging {
    huike_store::Paging {
        page: page.unwrap_or(1).clamp(1, 1_000_000),
        per_page: per_page.unwrap_or(50).clamp(1, 100),
    }
}
