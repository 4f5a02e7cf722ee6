//! Customer import, the file half: read an uploaded workbook or CSV ([`read`]), map its
//! columns to fields ([`mapping`]), and validate every row into an [`ImportPlan`]
//! ([`validate`]); the service half ([`commit`]) checks the plan against the database
//! (owners, existing customers) and writes it all or nothing, and [`jobs`] runs imports in
//! the background for the web.
//!
//! ```text
//! bytes ──read_table──▶ RawTable ──suggest_mapping──▶ Mapping (user reviews, validate_mapping)
//!                          └──────────── validate_rows(table, &mapping) ──▶ ImportPlan
//!   ImportPlan ──commit::run (owners, duplicates in the database, one transaction)──▶ ImportReport
//! ```
//!
//! Orders come in the same way with their own columns ([`order_columns`]): rows grouped into
//! orders by number ([`order_lines`]), then checked by the order form's rules and written with
//! their after-sale tasks ([`order_commit`]).

pub mod commit;
pub mod jobs;
pub mod mapping;
pub mod order_columns;
pub mod order_commit;
pub mod order_lines;
mod order_references;
pub mod order_report;
pub mod read;
mod text;
pub mod validate;

pub use commit::{
    ImportOptions, ImportProgress, ImportReport, MappingInput, MappingProblem, ProgressSnapshot,
    Stage,
};
pub use jobs::{ImportJobs, JobFailure, JobStatus};
pub use mapping::{ColumnMapping, Field, Mapping, MappingError, suggest_mapping, validate_mapping};
pub use order_commit::OrderImportOptions;
pub use order_report::{ImportedOrder, OrderImportReport, SkippedOrder};
pub use read::{
    FileFormat, RawRow, RawTable, ReadError, ReadOptions, SourceInfo, read_table,
    read_table_headed_by, read_table_with_info,
};
pub use validate::{
    ImportContact, ImportCustomer, ImportPlan, RowError, Validator, validate_rows,
    validate_rows_with_progress,
};
