//! Record ids (UUIDv7: unique and roughly time-ordered) and the clock in Unix milliseconds.

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
