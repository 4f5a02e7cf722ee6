//! Huike app crate.
