//! The network view: the fabric as an engineer sketches it. Switches,
//! routers, firewalls, load balancers and storage each get a box; servers
//! too, except that the servers of a rack holding more than
//! [`GROUP_ABOVE`] (4) of them share one box (`r12` / `38 servers`, its
//! `data-element` the rack's name). Every link is drawn with its count and
//! speed; parallel links between the same two boxes and on the same
//! network merge into one edge labelled with their total (`38 × 25GbE`,
//! `2 × 100GbE + 1 × 25GbE` when speeds differ).
//!
//! Tiers come from the links' direction (the left side of `link A to B` is
//! downstream): endpoints (servers, storage, any device that forwards
//! nothing) sit at the bottom; a switch, router, firewall or load balancer
//! stands one tier above the highest forwarding device below it, so a leaf
//! is tier 1, a spine tier 2 and a router above the spines tier 3. Links
//! between an endpoint and a forwarding device do not lift either (a SAN
//! cabled `link fcsw1 to san1` still draws the array at the bottom). Cycles
//! are broken where a depth-first walk in source order meets a device
//! already on its path. Within a tier, boxes keep source order; with more
//! than one site, each site is a column block of its own (devices without a
//! site in a last block).
//!
//! Large data centres: when one tier of one site would hold more than
//! [`MAX_TIER_BOXES`] (60) boxes, that tier's boxes are collapsed into runs
//! of racks (the site's racks in source order, a round number of racks per
//! run chosen to give at most [`TARGET_RUNS`] (30) runs:
//! `r0001–r0100` / `100 racks, 3,800 servers`); boxes outside racks are
//! collapsed into runs of the same kind. Because runs follow the racks, the
//! top-of-rack switches of a run end up in the box above its servers' box,
//! and the edges between runs stay few. A run's `data-element` is its first
//! rack (or device) and `data-members` lists every rack (or device) in it;
//! it carries the highest severity of its members' findings.
//!
//! Ethernet is drawn solid in slate, Fibre Channel dashed in purple; the
//! legend says so. A project with no forwarding device and no link draws a
//! note saying so instead of a blank picture.
//!
//! `graph` builds the boxes and edges, `layout` places them, and `svg` and
//! `dot` draw the same graph.

mod dot;
mod graph;
mod layout;
mod svg;

pub use dot::dot;
pub use svg::svg;

/// A rack's servers share one box when the rack holds more than this many.
pub const GROUP_ABOVE: usize = 4;
/// A tier of a site holding more boxes than this is collapsed into runs.
pub const MAX_TIER_BOXES: usize = 60;
/// At most this many runs per collapsed tier.
pub const TARGET_RUNS: usize = 30;

/// What the picture says when there is no network to draw.
pub const EMPTY_NOTE: &str =
    "No network: this project declares no switch, router, firewall, load balancer or link.";
