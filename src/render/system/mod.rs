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

use crate::analyze::failure::{Failures, Universe};
use crate::diagnostic::Diagnostic;
use crate::model::{Element, Project, ServiceId};

pub use dot::dot;
pub use svg::svg;

/// Services that a single failure can take down.
fn at_risk(p: &Project, diagnostics: &[Diagnostic]) -> BTreeSet<Element> {
    let f = Failures::compute(p, &Universe::spof(p));
    let mut out: BTreeSet<Element> = (0..p.services.len())
        .map(|i| ServiceId(i as u32))
        .filter(|&s| f.service_at_risk(s))
        .map(Element::Service)
        .collect();
    out.extend(crate::render::marked(p, diagnostics));
    out
}
