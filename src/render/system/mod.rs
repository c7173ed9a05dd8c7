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

pub use dot::dot;
pub use svg::svg;
