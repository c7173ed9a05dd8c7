//! Where every box of the system view goes: the outside world on top, then
//! one row per tier, sites as columns, partitions grouped inside them.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{ClientKind, Element, Project, ServiceId, ServiceKind, SiteRole};
use crate::render::{collapse, text_width};

pub(super) const TITLE: f64 = 13.0;
pub(super) const DETAIL: f64 = 11.0;
pub(super) const BOX_H: f64 = 46.0;
pub(super) const ROW_GAP: f64 = 84.0;
const COL_GAP: f64 = 26.0;
const LEFT: f64 = 190.0;
/// Room under a site's last row, for its title.
pub(super) const SITE_FOOT: f64 = 40.0;

/// A box of the diagram.
#[derive(Clone)]
pub(super) struct Node {
    pub(super) element: Element,
    pub(super) title: String,
    pub(super) detail: String,
    pub(super) fill: &'static str,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
}

impl Node {
    fn new(element: Element, title: String, detail: String, fill: &'static str) -> Node {
        let w = (text_width(&title, TITLE) * 1.08).max(text_width(&detail, DETAIL)) + 24.0;
        Node {
            element,
            title,
            detail,
            fill,
            x: 0.0,
            y: 0.0,
            w: w.max(120.0),
        }
    }

    pub(super) fn center(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

/// Where things go: rows of nodes, site columns, partition groups.
pub(super) struct Layout {
    pub(super) nodes: Vec<Node>,
    pub(super) index: BTreeMap<Element, usize>,
    /// (label, x, y, w, h) of site columns.
    pub(super) sites: Vec<(String, f64, f64, f64, f64)>,
    /// (label, x, y, w, h) of partition groups.
    pub(super) partitions: Vec<(String, f64, f64, f64, f64)>,
    /// (label, y) of rows.
    pub(super) rows: Vec<(String, f64)>,
    pub(super) width: f64,
    pub(super) height: f64,
}

fn hosts(p: &Project, s: ServiceId) -> String {
    let names: Vec<&str> = p.services[s.index()]
        .hosts
        .iter()
        .map(|h| p.host_name(h.value))
        .collect();
    match names.len() {
        0 => "no hosts".to_string(),
        n => format!("×{n} on {}", collapse(&names)),
    }
}

fn service_node(p: &Project, s: ServiceId) -> Node {
    let svc = &p.services[s.index()];
    let (title, fill) = match svc.kind {
        ServiceKind::Dns => (format!("dns {}", svc.name), "#eef2ff"),
        ServiceKind::Service => (svc.name.clone(), "#ffffff"),
    };
    let mut detail = hosts(p, s);
    if let Some(shard) = &svc.shard {
        let n = shard.weights.as_ref().map_or(0, |w| w.value.len());
        let _ = write!(detail, " · {n} shards");
    }
    let shared = p
        .partitions
        .iter()
        .filter(|pt| pt.services.iter().any(|x| x.value == s))
        .count();
    if shared > 1 {
        let _ = write!(detail, " · shared by {shared} partitions");
    }
    if let Some(ha) = svc.ha {
        detail.push_str(match ha.value {
            crate::model::HaMode::ActiveStandby => " · HA a/s",
            crate::model::HaMode::ActiveActive => " · HA a/a",
            crate::model::HaMode::Quorum => " · HA quorum",
        });
    }
    Node::new(Element::Service(s), title, detail, fill)
}

pub(super) fn layout(p: &Project) -> Layout {
    let mut nodes: Vec<Node> = Vec::new();
    // Outside: clients, dns, CDNs.
    let mut outside: Vec<Node> = Vec::new();
    for (i, c) in p.clients.iter().enumerate() {
        let detail = match c.kind.as_ref().map(|k| &k.value) {
            Some(ClientKind::Software { name, version }) => {
                format!(
                    "installed: {name}{}",
                    version.as_ref().map_or(String::new(), |v| format!(" {v}"))
                )
            }
            _ => "browser".to_string(),
        };
        let e = Element::Client(crate::model::ClientId(i as u32));
        outside.push(Node::new(
            e,
            format!("client {}", c.name),
            detail,
            "#f5f7fa",
        ));
    }
    for (i, s) in p.services.iter().enumerate() {
        if s.kind == ServiceKind::Dns {
            let id = ServiceId(i as u32);
            outside.push(service_node(p, id));
        }
    }
    for (i, c) in p.cdns.iter().enumerate() {
        let e = Element::Cdn(crate::model::CdnId(i as u32));
        let detail = c
            .pops
            .map_or("CDN".to_string(), |n| format!("{} PoPs", n.value));
        outside.push(Node::new(e, format!("cdn {}", c.name), detail, "#fdf6e3"));
    }
    // Rows: one per tier, then untiered services.
    let tier_rows = p.tiers.len();
    let untiered = p
        .services
        .iter()
        .any(|s| s.kind == ServiceKind::Service && s.tier.is_none());
    let row_count = tier_rows + usize::from(untiered);
    let row_of = |s: ServiceId| {
        p.services[s.index()]
            .tier
            .map_or(tier_rows, |t| t.value.index())
    };
    // Site of a service: the first site among its hosts.
    let site_of = |s: ServiceId| {
        p.services[s.index()]
            .hosts
            .iter()
            .filter_map(|h| p.host_device(h.value))
            .find_map(|d| p.devices[d.index()].site)
            .map(|s| s.index())
    };
    let partition_of = |s: ServiceId| partition_of(p, s);
    // band (site) -> group (partition) -> row -> services
    let mut bands: BTreeMap<usize, BTreeMap<usize, Vec<Vec<ServiceId>>>> = BTreeMap::new();
    for (i, s) in p.services.iter().enumerate() {
        if s.kind == ServiceKind::Dns {
            continue;
        }
        let id = ServiceId(i as u32);
        let band = site_of(id).unwrap_or(usize::MAX);
        let group = partition_of(id).unwrap_or(usize::MAX);
        let rows = bands
            .entry(band)
            .or_default()
            .entry(group)
            .or_insert_with(|| vec![Vec::new(); row_count]);
        rows[row_of(id)].push(id);
    }
    let top = 56.0;
    let first_row = top + BOX_H + ROW_GAP + 24.0;
    let row_y = |r: usize| first_row + r as f64 * (BOX_H + ROW_GAP);
    let mut x = LEFT;
    // Centres of the services placed so far, to order replicas by.
    let mut placed_x: BTreeMap<ServiceId, f64> = BTreeMap::new();
    let mut sites = Vec::new();
    let mut partitions = Vec::new();
    for (band, groups) in &bands {
        let band_start = x;
        for (group, rows) in groups {
            let group_start = x;
            let mut group_width: f64 = 0.0;
            let mut used_rows = Vec::new();
            // (first node, end) of each row, to centre the rows after.
            let mut row_spans = Vec::new();
            for (r, services) in rows.iter().enumerate() {
                let mut cx = group_start;
                // Replicas of services already placed (in an earlier
                // site) go in the reverse order of their sources, so the
                // replication arcs nest instead of crossing; the others
                // keep declaration order and come first.
                let mut services = services.clone();
                services.sort_by(|&a, &b| {
                    let key = |s: ServiceId| {
                        p.replications
                            .iter()
                            .filter(|rp| rp.to.value == s)
                            .find_map(|rp| placed_x.get(&rp.from.value).copied())
                    };
                    match (key(a), key(b)) {
                        (Some(xa), Some(xb)) => xb.total_cmp(&xa),
                        (None, Some(_)) => std::cmp::Ordering::Less,
                        (Some(_), None) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    }
                });
                for &s in &services {
                    let mut node = service_node(p, s);
                    node.x = cx;
                    node.y = row_y(r);
                    placed_x.insert(s, node.center());
                    cx += node.w + COL_GAP;
                    nodes.push(node);
                }
                if !services.is_empty() {
                    used_rows.push(r);
                    group_width = group_width.max(cx - COL_GAP - group_start);
                    row_spans.push((nodes.len() - services.len(), cx - COL_GAP));
                }
                // Room for the labels of the edges leaving this group's
                // boxes, so that they sit inside it, on their own edge.
                for &s in &services {
                    group_width = group_width.max(super::edges::widest_label(p, s) + 8.0);
                }
            }
            // Rows narrower than their group (widened for a label) are
            // centred in it, and their edges with them.
            for (i, &(first, end)) in row_spans.iter().enumerate() {
                let last = row_spans.get(i + 1).map_or(nodes.len(), |r| r.0);
                let shift = (group_width - (end - group_start)) / 2.0;
                for node in &mut nodes[first..last] {
                    node.x += shift;
                    placed_x.insert(
                        match node.element {
                            Element::Service(s) => s,
                            _ => continue,
                        },
                        node.center(),
                    );
                }
            }
            if *group != usize::MAX {
                if let (Some(&first), Some(&last)) = (used_rows.first(), used_rows.last()) {
                    let y = row_y(first) - 22.0;
                    let h = row_y(last) + BOX_H + 10.0 - y;
                    partitions.push((
                        format!("partition {}", p.partitions[*group].name),
                        group_start - 10.0,
                        y,
                        group_width + 20.0,
                        h,
                    ));
                }
            }
            x = group_start + group_width + COL_GAP * 1.6;
        }
        let band_width = x - COL_GAP * 1.6 - band_start;
        let label = if *band == usize::MAX {
            "no site".to_string()
        } else {
            site_label(p, *band)
        };
        // The site's title goes at its bottom (as architecture diagrams commonly title a boundary):
        // edges enter a site from above, and would strike a title there.
        let y = row_y(0) - 32.0;
        let h = row_y(row_count.max(1) - 1) + BOX_H + SITE_FOOT - y;
        let w = band_width.max(text_width(&label, 12.0) + 10.0);
        sites.push((label, band_start - 18.0, y, w + 36.0, h));
        x = band_start + w + 36.0 + 20.0;
    }
    let mut width = x.max(LEFT + 200.0);
    // The outside row, centred over the services.
    let outside_width: f64 = outside.iter().map(|n| n.w + COL_GAP).sum::<f64>() - COL_GAP;
    let mut ox = LEFT + ((width - LEFT - outside_width) / 2.0).max(0.0);
    for mut node in outside {
        node.x = ox;
        node.y = top;
        ox += node.w + COL_GAP;
        nodes.push(node);
    }
    width = width.max(ox + 20.0);
    let mut rows: Vec<(String, f64)> = p
        .tiers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let role = t.role.map(|r| format!("{:?}", r.value).to_lowercase());
            let label = match role {
                Some(role) => format!("{} ({role})", t.name),
                None => t.name.clone(),
            };
            (label, row_y(i))
        })
        .collect();
    if untiered {
        rows.push(("no tier".to_string(), row_y(tier_rows)));
    }
    let height = row_y(row_count.max(1) - 1) + BOX_H + 90.0;
    let index = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.element, i))
        .collect();
    Layout {
        nodes,
        index,
        sites,
        partitions,
        rows,
        width,
        height,
    }
}

/// The partition a service is drawn in: none when partitions share it,
/// so that a shared service stands outside every partition.
pub(super) fn partition_of(p: &Project, s: ServiceId) -> Option<usize> {
    let mut holders = p
        .partitions
        .iter()
        .enumerate()
        .filter(|(_, pt)| pt.services.iter().any(|x| x.value == s))
        .map(|(i, _)| i);
    match (holders.next(), holders.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    }
}

pub(super) fn site_label(p: &Project, i: usize) -> String {
    let site = &p.sites[i];
    match site.role.map(|r| r.value) {
        Some(SiteRole::Primary) => format!("site {} (primary)", site.name),
        Some(SiteRole::Secondary) => format!("site {} (secondary)", site.name),
        Some(SiteRole::Dr) => format!("site {} (DR)", site.name),
        Some(SiteRole::Edge) => format!("site {} (edge)", site.name),
        None => format!("site {}", site.name),
    }
}
