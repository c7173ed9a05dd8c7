//! The system view, the bird's-eye view of the whole design: clients,
//! DNS and CDNs on top, services in their tiers from top to bottom, sites
//! as columns, partitions shaded, flows as labelled edges, replication
//! dashed.
//!
//! `layout` places the boxes, `edges` gathers what connects them, and the
//! two drawings (`svg`, `dot`) render the same layout.

mod dot;
mod edges;
mod layout;
mod svg;

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::{Element, Project};

pub use dot::dot;
pub use svg::svg;

/// The elements the DOT drawing outlines: those the findings mark (see
/// [`crate::render::marked`]), never a failure model of its own.
fn at_risk(p: &Project, diagnostics: &[Diagnostic]) -> BTreeSet<Element> {
    crate::render::marked(p, diagnostics)
}
