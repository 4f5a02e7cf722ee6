//! Huike store crate.
