//! List totals remembered between requests until the next write, so paging through a list
//! or reloading it does not count the same rows again.
//!
//! A capped count walks up to 10,001 index entries; at a million customers that was most of
//! a contact-list request's cost. Every committed write of this process forgets all totals
//! (callers say so with [`Counts::wrote`]); writes by another process (a second server on
//! the same PostgreSQL database, `huike import` beside a running server) are seen once a
//! total is [`FRESH_FOR`] old.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a total is trusted when nothing this process wrote has forgotten it.
pub const FRESH_FOR: Duration = Duration::from_secs(10);
/// Totals remembered at most; past this many all are forgotten (each is one count).
const MAX_REMEMBERED: usize = 10_000;

#[derive(Debug)]
pub struct Counts {
    fresh_for: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Bumped by every write, so a count that ran across a write is not remembered.
    generation: u64,
    totals: HashMap<String, (Instant, i64)>,
}

/// Taken before counting: [`Counts::remember`] keeps the total only if no write came between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

impl Default for Counts {
    fn default() -> Self {
        Counts::new(FRESH_FOR)
    }
}

impl Counts {
    pub fn new(fresh_for: Duration) -> Self {
        Counts {
            fresh_for,
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a cache: after a panic elsewhere it is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A committed write: every remembered total may be wrong now.
    pub fn wrote(&self) {
        let mut state = self.state();
        state.generation += 1;
        state.totals.clear();
    }

    /// The remembered total for `key`, if fresh; otherwise a ticket to remember one.
    pub fn recall(&self, key: &str) -> Result<i64, Ticket> {
        let state = self.state();
        match state.totals.get(key) {
            Some((at, total)) if at.elapsed() < self.fresh_for => Ok(*total),
            _ => Err(Ticket(state.generation)),
        }
    }

    /// Remembers `total` for `key` unless a write came after `ticket` was taken: the count
    /// may then have seen the rows before it.
    pub fn remember(&self, key: String, ticket: Ticket, total: i64) {
        let mut state = self.state();
        if state.generation != ticket.0 {
            return;
        }
        if state.totals.len() >= MAX_REMEMBERED {
            state.totals.clear();
        }
        state.totals.insert(key, (Instant::now(), total));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_recalled_until_a_write() {
        let counts = Counts::default();
        let ticket = counts.recall("k").unwrap_err();
        counts.remember("k".into(), ticket, 7);
        assert_eq!(counts.recall("k"), Ok(7));
        counts.wrote();
        assert!(counts.recall("k").is_err());
    }

    #[test]
    fn a_count_that_ran_across_a_write_is_not_remembered() {
        let counts = Counts::default();
        let ticket = counts.recall("k").unwrap_err();
        counts.wrote();
        counts.remember("k".into(), ticket, 7);
        assert!(counts.recall("k").is_err());
    }

    #[test]
    fn a_total_goes_stale() {
        let counts = Counts::new(Duration::from_millis(20));
        let ticket = counts.recall("k").unwrap_err();
        counts.remember("k".into(), ticket, 7);
        assert_eq!(counts.recall("k"), Ok(7));
        std::thread::sleep(Duration::from_millis(30));
        assert!(counts.recall("k").is_err());
    }
}
