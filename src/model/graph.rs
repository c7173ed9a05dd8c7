//! The relations of a project as one petgraph graph.
//!
//! Nodes are elements; edges say what joins them. Analyzers that walk
//! relations (failure propagation, reachability, tiers) read this graph.

use super::{
    CdnId, ClientId, DeviceId, Element, FaultDomainId, FeedId, FlowId, Hop, Host, LinkId,
    PartitionId, PowerId, Project, RackId, ReplicationId, ServiceId, SiteId, TierId, VmId,
};
use petgraph::graph::{DiGraph, NodeIndex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edge {
    /// Device → rack, rack → site, feed → site, power source → site,
    /// device → site.
    PlacedIn,
    /// Rack → feed, feed → power source, power source → the source it
    /// draws from.
    PoweredBy,
    /// Device → device, one edge per declared cable; the link's `medium`
    /// says which network it belongs to (Ethernet or Fibre Channel).
    Link(LinkId),
    /// Service → host (device or vm), vm → device.
    RunsOn,
    /// Vm → the device it fails over to.
    FailsOverTo,
    /// Service → service.
    Calls,
    /// Consecutive hops of a flow's path; from the flow node to the first
    /// hop. An index into `Project::flow_hops`, which says which flow, path
    /// and step: held apart, every edge of the graph stays 8 bytes.
    FlowHop(u32),
    /// Service → its replica.
    Replicates(ReplicationId),
    /// Service → the storage device its data lives on.
    StoredOn,
    /// DNS service → the service or CDN it resolves.
    Resolves,
    /// Service → tier.
    InTier,
    /// Service → partition.
    InPartition,
    /// CDN → origin service.
    Origin,
    /// DR site → the site it backs.
    Backs,
    /// Edge site → its upstream center.
    Upstream,
}

/// Which hop of which flow a `FlowHop` edge is. Indices follow (flow, path,
/// step) order, so edges compare as the triples would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowHop {
    pub flow: FlowId,
    pub path: u32,
    pub step: u32,
}

/// Nodes are the elements themselves (every kind but models). A fault
/// domain is a node without edges: what it holds is its `members` list, and
/// the edge kinds stay the ones tools already know.
pub type Topology = DiGraph<Element, Edge>;

/// Builds the graph once every element is lowered, and records each
/// element's node index.
pub fn build(project: &mut Project) {
    let p = &*project;
    let nodes = p.sites.len()
        + p.feeds.len()
        + p.racks.len()
        + p.devices.len()
        + p.vms.len()
        + p.tiers.len()
        + p.services.len()
        + p.clients.len()
        + p.cdns.len()
        + p.flows.len()
        + p.partitions.len()
        + p.powers.len()
        + p.fault_domains.len();
    let mut g = Topology::with_capacity(nodes, p.devices.len() * 2 + p.links.len());
    macro_rules! add_nodes {
        ($field:ident, $variant:ident, $id:ident) => {
            for (i, e) in project.$field.iter_mut().enumerate() {
                e.node = g.add_node(Element::$variant($id(i as u32)));
            }
        };
    }
    add_nodes!(sites, Site, SiteId);
    add_nodes!(feeds, Feed, FeedId);
    add_nodes!(racks, Rack, RackId);
    add_nodes!(devices, Device, DeviceId);
    add_nodes!(vms, Vm, VmId);
    add_nodes!(tiers, Tier, TierId);
    add_nodes!(services, Service, ServiceId);
    add_nodes!(clients, Client, ClientId);
    add_nodes!(cdns, Cdn, CdnId);
    add_nodes!(flows, Flow, FlowId);
    add_nodes!(partitions, Partition, PartitionId);
    add_nodes!(powers, Power, PowerId);
    add_nodes!(fault_domains, FaultDomain, FaultDomainId);

    let p = &*project;
    let site = |s: SiteId| p.sites[s.index()].node;
    let device = |d: DeviceId| p.devices[d.index()].node;
    let service = |s: ServiceId| p.services[s.index()].node;
    let hop = |h: Hop| -> NodeIndex {
        match h {
            Hop::Client(c) => p.clients[c.index()].node,
            Hop::Service(s) => service(s),
            Hop::Cdn(c) => p.cdns[c.index()].node,
        }
    };
    for s in &p.sites {
        if let Some(b) = s.backs {
            g.add_edge(s.node, site(b.value), Edge::Backs);
        }
        if let Some(u) = s.upstream {
            g.add_edge(s.node, site(u.value), Edge::Upstream);
        }
    }
    let power = |s: PowerId| p.powers[s.index()].node;
    for s in &p.powers {
        if let Some(site_id) = s.site {
            g.add_edge(s.node, site(site_id.value), Edge::PlacedIn);
        }
        if let Some(from) = s.from {
            g.add_edge(s.node, power(from.value), Edge::PoweredBy);
        }
    }
    for f in &p.feeds {
        if let Some(s) = f.site {
            g.add_edge(f.node, site(s.value), Edge::PlacedIn);
        }
        if let Some(from) = f.from {
            g.add_edge(f.node, power(from.value), Edge::PoweredBy);
        }
    }
    for r in &p.racks {
        if let Some(s) = r.site {
            g.add_edge(r.node, site(s.value), Edge::PlacedIn);
        }
        for f in &r.feeds {
            g.add_edge(r.node, p.feeds[f.value.index()].node, Edge::PoweredBy);
        }
    }
    for d in &p.devices {
        match (d.placement, d.site) {
            (Some(pl), _) => {
                g.add_edge(d.node, p.racks[pl.rack.index()].node, Edge::PlacedIn);
            }
            (None, Some(s)) => {
                g.add_edge(d.node, site(s), Edge::PlacedIn);
            }
            (None, None) => {}
        }
    }
    for v in &p.vms {
        if let Some(h) = v.host {
            g.add_edge(v.node, device(h.value), Edge::RunsOn);
        }
        if let Some(f) = v.failover {
            g.add_edge(v.node, device(f.value), Edge::FailsOverTo);
        }
    }
    for (i, l) in p.links.iter().enumerate() {
        g.add_edge(
            device(l.from.device),
            device(l.to.device),
            Edge::Link(LinkId(i as u32)),
        );
    }
    for s in &p.services {
        for h in &s.hosts {
            let target = match h.value {
                Host::Device(d) => device(d),
                Host::Vm(v) => p.vms[v.index()].node,
            };
            g.add_edge(s.node, target, Edge::RunsOn);
        }
        if let Some(t) = s.tier {
            g.add_edge(s.node, p.tiers[t.value.index()].node, Edge::InTier);
        }
        for c in &s.calls {
            g.add_edge(s.node, service(c.value), Edge::Calls);
        }
        if let Some(st) = s.storage {
            g.add_edge(s.node, device(st.value), Edge::StoredOn);
        }
        for r in &s.resolves {
            g.add_edge(s.node, hop(r.value), Edge::Resolves);
        }
    }
    for c in &p.cdns {
        if let Some(o) = c.origin {
            g.add_edge(c.node, service(o.value), Edge::Origin);
        }
    }
    let mut flow_hops = Vec::new();
    for (fi, f) in p.flows.iter().enumerate() {
        let flow = FlowId(fi as u32);
        for (pi, path) in f.paths.iter().enumerate() {
            let mut previous = f.node;
            for (step, h) in path.iter().enumerate() {
                let next = hop(h.value);
                let index = flow_hops.len() as u32;
                flow_hops.push(FlowHop {
                    flow,
                    path: pi as u32,
                    step: step as u32,
                });
                g.add_edge(previous, next, Edge::FlowHop(index));
                previous = next;
            }
        }
    }
    for pt in &p.partitions {
        for s in &pt.services {
            g.add_edge(service(s.value), pt.node, Edge::InPartition);
        }
    }
    for (i, r) in p.replications.iter().enumerate() {
        g.add_edge(
            service(r.from.value),
            service(r.to.value),
            Edge::Replicates(ReplicationId(i as u32)),
        );
    }
    project.graph = g;
    project.flow_hops = flow_hops;
}

// Every element has edges: a data centre's graph has hundreds of thousands.
const _: () = assert!(std::mem::size_of::<Edge>() <= 8);
