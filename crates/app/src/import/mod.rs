//! Customer import, the file half: read an uploaded workbook or CSV ([`read`]), map its
//! columns to fields ([`mapping`]), and validate every row into an [`ImportPlan`]
//! ([`validate`]). Committing a clean plan (all or nothing) and checking duplicates against
//! the database belong to the import service.
//!
//! ```text
//! bytes ──read_table──▶ RawTable ──suggest_mapping──▶ Mapping (user reviews, validate_mapping)
//!                          └──────────── validate_rows(table, &mapping) ──▶ ImportPlan
//! ```

pub mod mapping;
pub mod read;
mod text;
pub mod validate;

pub use mapping::{ColumnMapping, Field, Mapping, MappingError, suggest_mapping, validate_mapping};
pub use read::{
    FileFormat, RawRow, RawTable, ReadError, ReadOptions, SourceInfo, read_table,
    read_table_with_info,
};
pub use validate::{
    ImportContact, ImportCustomer, ImportPlan, RowError, Validator, validate_rows,
    validate_rows_with_progress,
};
