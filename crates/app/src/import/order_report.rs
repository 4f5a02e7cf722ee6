//! What an order import found and did: the report the API answers, the page lists and the
//! CLI prints.

use serde::{Deserialize, Serialize};

use super::commit::MappingProblem;
use super::order_columns::OrderColumnMapping;
use super::validate::RowError;

/// An order the file makes (made, when the report is `committed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportedOrder {
    pub number: String,
    /// The new order's id, once written.
    pub id: Option<String>,
    /// The row the order starts on.
    pub row: usize,
    pub customer_id: String,
    pub customer_name: String,
    pub order_date: String,
    pub delivery_date: Option<String>,
    pub status: String,
    pub lines: usize,
    pub currency: String,
    pub total_fen: i64,
    /// After-sale tasks made for it (0 in a dry run).
    pub tasks: usize,
}

/// An order of the file that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkippedOrder {
    pub number: String,
    pub row: usize,
    /// `already_imported`: an order with this number exists.
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

/// What an order import found and did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderImportReport {
    pub import_id: String,
    pub file_name: String,
    /// 1-based row of the header.
    pub header_row: usize,
    /// Each column of the file and the field it feeds.
    pub columns: Vec<OrderColumnMapping>,
    /// A required column missing: no row was checked.
    pub column_errors: Vec<MappingProblem>,
    /// Non-blank data rows.
    pub rows_read: usize,
    /// Orders (distinct order numbers) and lines the file holds.
    pub orders: usize,
    pub lines: usize,
    /// The orders imported (or, in a dry run, that would be).
    pub imported: Vec<ImportedOrder>,
    /// Orders skipped because their number already exists.
    pub skipped: Vec<SkippedOrder>,
    /// Row errors in row order, at most 10,000 (all are counted in `errors_total`).
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<RowError>,
    pub errors_total: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
    /// Whether follow-ups already due were planned too.
    pub past_tasks: bool,
    /// After-sale tasks made in all.
    pub tasks: usize,
    /// Whether the import was carried out (asked, and nothing was wrong): then `imported` are
    /// written, each with its tasks; `false` writes nothing.
    pub committed: bool,
    pub millis: u64,
}

impl OrderImportReport {
    /// Nothing is wrong: a commit would (or did) write everything that is new.
    pub fn is_clean(&self) -> bool {
        self.column_errors.is_empty() && self.errors_total == 0
    }
}
