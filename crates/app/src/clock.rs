//! The app's clock: every "now" and "today" of the use cases and pages reads it, so a test can
//! say what time it is.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Beijing time (Asia/Shanghai), the calendar the method counts days in: one zone for the
/// whole country and no daylight saving, so a fixed +08:00.
pub const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("+08:00 is a valid offset"),
};

/// The environment variable that starts a server at a fixed instant (end-to-end tests only:
/// it is not a setting, and a server that reads it says so in its log).
pub const TEST_NOW_VAR: &str = "HUIKE_TEST_NOW";

/// Marks a clock that follows the system time.
const SYSTEM: i64 = i64::MIN;

/// The time as the app sees it: the system's, or a fixed instant a test set. Clones share
/// the same setting, so a test that moves the clock moves it for the running server too.
#[derive(Clone, Debug)]
pub struct Clock {
    fixed_ms: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// Follows the system time.
    pub fn system() -> Clock {
        Clock {
            fixed_ms: Arc::new(AtomicI64::new(SYSTEM)),
        }
    }

    /// Stands still at `ms` (Unix milliseconds) until set or advanced.
    pub fn fixed(ms: i64) -> Clock {
        let c = Clock::system();
        c.set_ms(ms);
        c
    }

    /// Stands still at an RFC 3339 instant such as `2026-04-01T09:00:00+08:00`.
    pub fn at(rfc3339: &str) -> Result<Clock, chrono::ParseError> {
        Ok(Clock::fixed(parse_instant(rfc3339)?))
    }

    /// The system clock, or the instant [`TEST_NOW_VAR`] names.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var(TEST_NOW_VAR) {
            Ok(v) if !v.trim().is_empty() => Clock::at(v.trim()).map_err(|e| {
                format!("{TEST_NOW_VAR}={v}: not an RFC 3339 time such as 2026-04-01T09:00:00+08:00 ({e})")
            }),
            _ => Ok(Clock::system()),
        }
    }

    /// Whether a test fixed this clock.
    pub fn is_fixed(&self) -> bool {
        self.fixed_ms.load(Ordering::Relaxed) != SYSTEM
    }

    /// Fixes the clock at `ms` (Unix milliseconds).
    pub fn set_ms(&self, ms: i64) {
        // i64::MIN is the "system" marker; no real instant is that far back.
        self.fixed_ms.store(ms.max(SYSTEM + 1), Ordering::Relaxed);
    }

    /// Fixes the clock at an RFC 3339 instant.
    pub fn set(&self, rfc3339: &str) -> Result<(), chrono::ParseError> {
        self.set_ms(parse_instant(rfc3339)?);
        Ok(())
    }

    /// Moves the clock on; a system clock is fixed at its current time first.
    pub fn advance(&self, by: chrono::Duration) {
        self.set_ms(self.now_ms().saturating_add(by.num_milliseconds()));
    }

    /// Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self.fixed_ms.load(Ordering::Relaxed) {
            SYSTEM => Utc::now().timestamp_millis(),
            ms => ms,
        }
    }

    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }

    /// Now, in Beijing time.
    pub fn now_local(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&SHANGHAI)
    }

    /// Today's date in Beijing time: the day the method's schedules count from.
    pub fn today(&self) -> NaiveDate {
        self.now_local().date_naive()
    }
}

fn parse_instant(rfc3339: &str) -> Result<i64, chrono::ParseError> {
    Ok(DateTime::parse_from_rfc3339(rfc3339)?.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_and_moves_only_when_told() {
        let c = Clock::at("2026-04-01T09:00:00+08:00").expect("time");
        assert!(c.is_fixed());
        assert_eq!(c.now_ms(), 1_775_005_200_000);
        assert_eq!(c.now_ms(), 1_775_005_200_000);
        c.advance(chrono::Duration::minutes(90));
        assert_eq!(c.now_local().to_rfc3339(), "2026-04-01T10:30:00+08:00");
    }

    #[test]
    fn today_is_the_beijing_date() {
        // 2026-03-31 16:30 UTC is already 04-01 in Beijing.
        let c = Clock::at("2026-03-31T16:30:00Z").expect("time");
        assert_eq!(
            c.today(),
            NaiveDate::from_ymd_opt(2026, 4, 1).expect("date")
        );
        c.set("2026-03-31T15:59:59Z").expect("time");
        assert_eq!(
            c.today(),
            NaiveDate::from_ymd_opt(2026, 3, 31).expect("date")
        );
    }

    #[test]
    fn clones_share_the_setting() {
        let c = Clock::system();
        assert!(!c.is_fixed());
        let seen_by_server = c.clone();
        c.set("2027-09-15T08:00:00+08:00").expect("time");
        assert_eq!(seen_by_server.today().to_string(), "2027-09-15");
    }

    #[test]
    fn a_system_clock_follows_the_system_time() {
        let c = Clock::system();
        let before = Utc::now().timestamp_millis();
        let t = c.now_ms();
        assert!(t >= before && t <= Utc::now().timestamp_millis());
    }

    #[test]
    fn a_bad_instant_is_refused() {
        assert!(Clock::at("2026-04-01").is_err());
        assert!(Clock::at("yesterday").is_err());
    }
}
