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

pub mod commit;
pub mod jobs;
pub mod mapping;
pub mod read;
mod text;
pub mod validate;

pub use commit::{
    ImportOptions, ImportProgress, ImportReport, MappingInput, MappingProblem, ProgressSnapshot,
    Stage,
};
pub use jobs::{ImportJobs, JobFailure, JobStatus};
pub use mapping::{ColumnMapping, Field, Mapping, MappingError, suggest_mapping, validate_mapping};
pub use read::{
    FileFormat, RawRow, RawTable, ReadError, ReadOptions, SourceInfo, read_table,
    read_table_with_info,
};
pub use validate::{
    ImportContact, ImportCustomer, ImportPlan, RowError, Validator, validate_rows,
    validate_rows_with_progress,
};
