//! Huike domain crate.
