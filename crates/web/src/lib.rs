//! Huike web crate.
