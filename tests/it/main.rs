//! End-to-end tests: a real server on a random port with a fresh database, on SQLite and,
//! where reachable, on PostgreSQL (one test binary, so linking happens once).

mod aftersale;
mod api_access;
mod api_records;
mod browser;
mod cli_calendar;
mod delivery;
mod delivery_crash;
mod errors;
mod faults;
mod greetings;
mod helpers;
mod import_export;
mod labels;
mod news;
mod ops;
mod order_import;
mod order_numbers;
mod pages;
mod peers;
mod promise_pages;
mod referrals;
