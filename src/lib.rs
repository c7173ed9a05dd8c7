//! topo: a language for infrastructure topology, a linter that proves the
//! design holds, and its diagrams.
//!
//! The pipeline runs one way: text → [`syntax`] → [`model`] → findings →
//! [`report`].

// The only unsafe code is the YAML pre-scan in `netbox::limits`, which must
// drive the same C-derived parser `serde_norway` uses; it opts in there.
#![deny(unsafe_code)]
// Diagnostics travel by value on error paths only; boxing them buys nothing.
#![allow(clippy::result_large_err)]

pub mod analyze;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod fmt;
pub mod generate;
pub mod import;
pub mod input;
pub mod lsp;
pub mod model;
pub mod netbox;
pub mod progress;
pub mod render;
pub mod report;
pub mod serve;
pub mod source;
pub mod syntax;
pub mod text;
pub mod write;
