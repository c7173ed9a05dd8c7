//! topo: a language for infrastructure topology, a linter that proves the
//! design holds, and its diagrams.
//!
//! The pipeline runs one way: text → [`syntax`] → [`model`] → findings →
//! reports.

pub mod diagnostic;
pub mod source;
pub mod syntax;
