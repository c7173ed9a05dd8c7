//! The system view, the bird's-eye view of the whole design: clients,
//! DNS and CDNs on top, services in their tiers from top to bottom, sites
//! as columns, partitions shaded, flows as labelled edges, replication
//! dashed.

use super::{collapse, dot_string, text_width, Svg, INK, LINE, MUTED, RED};
use crate::analyze::failure::{Failures, Universe};
use crate::diagnostic::Diagnostic;
use crate::model::units::FlowRate;
use crate::model::{ClientKind, Content, Element, Hop, Project, ServiceId, ServiceKind, SiteRole};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

const TITLE: f64 = 13.0;
const DETAIL: f64 = 11.0;
const BOX_H: f64 = 46.0;
const ROW_GAP: f64 = 84.0;
const COL_GAP: f64 = 26.0;
const LEFT: f64 = 190.0;

/// A box of the diagram.
#[derive(Clone)]
struct Node {
    element: Element,
    title: String,
    detail: String,
    fill: &'static str,
    red: bool,
    x: f64,
    y: f64,
    w: f64,
}

impl Node {
    fn new(element: Element, title: String, detail: String, fill: &'static str, red: bool) -> Node {
        let w = (text_width(&title, TITLE) * 1.08).max(text_width(&detail, DETAIL)) + 24.0;
        Node {
            element,
            title,
            detail,
            fill,
            red,
            x: 0.0,
            y: 0.0,
            w: w.max(120.0),
        }
    }

    fn center(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

/// Where things go: rows of nodes, site columns, partition groups.
struct Layout {
    nodes: Vec<Node>,
    index: BTreeMap<Element, usize>,
    /// (label, x, y, w, h) of site columns.
    sites: Vec<(String, f64, f64, f64, f64)>,
    /// (label, x, y, w, h) of partition groups.
    partitions: Vec<(String, f64, f64, f64, f64)>,
    /// (label, y) of rows.
    rows: Vec<(String, f64)>,
    width: f64,
    height: f64,
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

fn service_node(p: &Project, s: ServiceId, red: bool) -> Node {
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
    Node::new(Element::Service(s), title, detail, fill, red)
}

fn layout(p: &Project, at_risk: &BTreeSet<Element>) -> Layout {
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
            at_risk.contains(&e),
        ));
    }
    for (i, s) in p.services.iter().enumerate() {
        if s.kind == ServiceKind::Dns {
            let id = ServiceId(i as u32);
            outside.push(service_node(p, id, at_risk.contains(&Element::Service(id))));
        }
    }
    for (i, c) in p.cdns.iter().enumerate() {
        let e = Element::Cdn(crate::model::CdnId(i as u32));
        let detail = c
            .pops
            .map_or("CDN".to_string(), |n| format!("{} PoPs", n.value));
        outside.push(Node::new(
            e,
            format!("cdn {}", c.name),
            detail,
            "#fdf6e3",
            at_risk.contains(&e),
        ));
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
    let partition_of = |s: ServiceId| {
        p.partitions
            .iter()
            .position(|pt| pt.services.iter().any(|x| x.value == s))
    };
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
    let mut sites = Vec::new();
    let mut partitions = Vec::new();
    for (band, groups) in &bands {
        let band_start = x;
        for (group, rows) in groups {
            let group_start = x;
            let mut group_width: f64 = 0.0;
            let mut used_rows = Vec::new();
            for (r, services) in rows.iter().enumerate() {
                let mut cx = group_start;
                for &s in services {
                    let mut node = service_node(p, s, at_risk.contains(&Element::Service(s)));
                    node.x = cx;
                    node.y = row_y(r);
                    cx += node.w + COL_GAP;
                    nodes.push(node);
                }
                if !services.is_empty() {
                    used_rows.push(r);
                    group_width = group_width.max(cx - COL_GAP - group_start);
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
        let y = row_y(0) - 50.0;
        let h = row_y(row_count.max(1) - 1) + BOX_H + 18.0 - y;
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

fn site_label(p: &Project, i: usize) -> String {
    let site = &p.sites[i];
    match site.role.map(|r| r.value) {
        Some(SiteRole::Primary) => format!("site {} (primary)", site.name),
        Some(SiteRole::Secondary) => format!("site {} (secondary)", site.name),
        Some(SiteRole::Dr) => format!("site {} (DR)", site.name),
        Some(SiteRole::Edge) => format!("site {} (edge)", site.name),
        None => format!("site {}", site.name),
    }
}

fn hop_element(h: Hop) -> Element {
    match h {
        Hop::Client(c) => Element::Client(c),
        Hop::Service(s) => Element::Service(s),
        Hop::Cdn(c) => Element::Cdn(c),
    }
}

/// "checkout · dynamic · 800 rps"
fn flow_label(p: &Project, f: usize) -> String {
    let flow = &p.flows[f];
    let mut label = flow.name.clone();
    if let Some(c) = flow.content {
        label.push_str(match c.value {
            Content::Static => " · static",
            Content::Dynamic => " · dynamic",
            Content::Results => " · results",
            Content::Raw => " · raw",
        });
    }
    if let Some(r) = flow.rate {
        match r.value {
            FlowRate::Bandwidth(b) => {
                let _ = write!(label, " · {}", b.bits_text());
            }
            FlowRate::Requests(q) => {
                let _ = write!(label, " · {q}");
            }
        }
    }
    label
}

/// Edges: (from, to) -> labels, for flows; plus calls and replications.
struct Edges {
    flows: BTreeMap<(Element, Element), Vec<String>>,
    calls: BTreeSet<(Element, Element)>,
    replications: Vec<(Element, Element, String)>,
}

fn edges(p: &Project) -> Edges {
    let mut flows: BTreeMap<(Element, Element), Vec<String>> = BTreeMap::new();
    for (i, f) in p.flows.iter().enumerate() {
        for path in &f.paths {
            for pair in path.windows(2) {
                let key = (hop_element(pair[0].value), hop_element(pair[1].value));
                let labels = flows.entry(key).or_default();
                let label = flow_label(p, i);
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
    }
    let mut calls = BTreeSet::new();
    for (i, s) in p.services.iter().enumerate() {
        for c in &s.calls {
            let key = (
                Element::Service(ServiceId(i as u32)),
                Element::Service(c.value),
            );
            if !flows.contains_key(&key) {
                calls.insert(key);
            }
        }
    }
    let replications = p
        .replications
        .iter()
        .map(|r| {
            let mut label = match r.mode.map(|m| m.value) {
                Some(crate::model::ReplicationMode::Sync) => "sync".to_string(),
                Some(crate::model::ReplicationMode::Async) => "async".to_string(),
                None => "replica".to_string(),
            };
            if let Some(rpo) = r.rpo {
                let _ = write!(label, " · rpo {}", rpo.value);
            }
            (
                Element::Service(r.from.value),
                Element::Service(r.to.value),
                label,
            )
        })
        .collect();
    Edges {
        flows,
        calls,
        replications,
    }
}

/// Services that a single failure can take down.
fn at_risk(p: &Project, diagnostics: &[Diagnostic]) -> BTreeSet<Element> {
    let f = Failures::compute(p, &Universe::spof(p));
    let mut out: BTreeSet<Element> = (0..p.services.len())
        .map(|i| ServiceId(i as u32))
        .filter(|&s| f.service_at_risk(s))
        .map(Element::Service)
        .collect();
    out.extend(super::marked(p, diagnostics));
    out
}

/// Label boxes already placed, to keep labels from overlapping.
struct Placed(Vec<(f64, f64, f64, f64)>);

impl Placed {
    fn free(&self, x: f64, y: f64, w: f64, h: f64) -> bool {
        !self.0.iter().any(|&(ax, ay, aw, ah)| {
            (x - w / 2.0) < ax + aw
                && ax < (x + w / 2.0)
                && (y - h / 2.0) < ay + ah
                && ay < (y + h / 2.0)
        })
    }

    /// The free spot nearest to (x, y), trying small moves first; the
    /// label's centre.
    fn place(&mut self, x: f64, y: f64, w: f64, h: f64) -> (f64, f64) {
        let step = h + 2.0;
        let mut spot = (x, y);
        'search: for ring in 0..8 {
            let r = ring as f64;
            for (dx, dy) in [
                (0.0, r),
                (0.0, -r),
                (r, 0.0),
                (-r, 0.0),
                (r, r),
                (-r, r),
                (r, -r),
                (-r, -r),
            ] {
                let (cx, cy) = (x + dx * w * 0.6, y + dy * step);
                if self.free(cx, cy, w, h) {
                    spot = (cx, cy);
                    break 'search;
                }
            }
        }
        self.0.push((spot.0 - w / 2.0, spot.1 - h / 2.0, w, h));
        spot
    }
}

pub fn svg(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let risk = at_risk(p, diagnostics);
    let l = layout(p, &risk);
    let e = edges(p);
    let mut s = Svg::new();
    s.raw(&format!(
        r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" style="fill:{LINE}"/></marker><marker id="arrow-ink" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" style="fill:#3e4c59"/></marker></defs>
"#
    ));
    s.text(
        20.0,
        28.0,
        16.0,
        "start",
        &format!("font-weight:bold;fill:{INK}"),
        "System view",
    );
    for (label, y) in &l.rows {
        s.text(
            20.0,
            y + BOX_H / 2.0 + 4.0,
            12.0,
            "start",
            &format!("fill:{MUTED};font-style:italic"),
            label,
        );
        s.line(
            20.0,
            y + BOX_H + ROW_GAP / 2.0,
            l.width - 20.0,
            y + BOX_H + ROW_GAP / 2.0,
            "stroke:#eef0f2;stroke-width:1",
        );
    }
    s.text(
        20.0,
        56.0 + BOX_H / 2.0 + 4.0,
        12.0,
        "start",
        &format!("fill:{MUTED};font-style:italic"),
        "outside",
    );
    for (label, x, y, w, h) in &l.sites {
        s.rect(
            *x,
            *y,
            *w,
            *h,
            10.0,
            "fill:#fbfcfd;stroke:#7b8794;stroke-width:1.2",
        );
        s.text(
            x + 12.0,
            y + 18.0,
            12.0,
            "start",
            &format!("font-weight:bold;fill:{INK}"),
            label,
        );
    }
    for (label, x, y, w, h) in &l.partitions {
        s.rect(
            *x,
            *y,
            *w,
            *h,
            8.0,
            "fill:#e3f1ec;stroke:#7fbfa5;stroke-width:1;stroke-dasharray:4 3",
        );
        s.text(x + 8.0, y + 13.0, 10.0, "start", "fill:#2f7d62", label);
    }
    // Labels keep clear of boxes and of the site and partition titles.
    let mut placed = Placed(Vec::new());
    for n in &l.nodes {
        placed.0.push((n.x, n.y, n.w, BOX_H));
    }
    for (label, x, y, _, _) in &l.sites {
        placed
            .0
            .push((*x, *y, text_width(label, 12.0) + 24.0, 26.0));
    }
    for (label, x, y, _, _) in &l.partitions {
        placed
            .0
            .push((*x, *y, text_width(label, 10.0) + 16.0, 18.0));
    }
    let anchor = |el: &Element| l.index.get(el).map(|&i| &l.nodes[i]);
    let mut labels: Vec<(f64, f64, Vec<String>)> = Vec::new();
    let edge = |s: &mut Svg, from: &Node, to: &Node, style: &str| -> (f64, f64) {
        if to.y > from.y {
            let (x1, y1, x2, y2) = (from.center(), from.y + BOX_H, to.center(), to.y);
            s.curve(x1, y1, x2, y2, style);
            ((x1 + x2) / 2.0, (y1 + y2) / 2.0)
        } else if to.y < from.y {
            let (x1, y1, x2, y2) = (from.center(), from.y, to.center(), to.y + BOX_H);
            s.curve(x1, y1, x2, y2, style);
            ((x1 + x2) / 2.0, (y1 + y2) / 2.0)
        } else {
            let (x1, x2, y) = (from.center(), to.center(), from.y);
            let d = format!(
                "M{x1:.1} {y:.1} C{x1:.1} {:.1} {x2:.1} {:.1} {x2:.1} {y:.1}",
                y - 46.0,
                y - 46.0
            );
            s.path(&d, style);
            ((x1 + x2) / 2.0, y - 34.0)
        }
    };
    for (a, b) in &e.calls {
        if let (Some(from), Some(to)) = (anchor(a), anchor(b)) {
            edge(
                &mut s,
                from,
                to,
                &format!("fill:none;stroke:{LINE};stroke-width:1;marker-end:url(#arrow)"),
            );
        }
    }
    for (a, b, label) in &e.replications {
        if let (Some(from), Some(to)) = (anchor(a), anchor(b)) {
            let (mx, my) = edge(&mut s, from, to, "fill:none;stroke:#7b5ea7;stroke-width:1.4;stroke-dasharray:6 4;marker-end:url(#arrow)");
            labels.push((mx, my, vec![label.clone()]));
        }
    }
    for ((a, b), flow_labels) in &e.flows {
        if let (Some(from), Some(to)) = (anchor(a), anchor(b)) {
            let (mx, my) = edge(
                &mut s,
                from,
                to,
                "fill:none;stroke:#3e4c59;stroke-width:1.4;marker-end:url(#arrow-ink)",
            );
            labels.push((mx, my, flow_labels.clone()));
        }
    }
    for n in &l.nodes {
        let stroke = if n.red {
            format!("stroke:{RED};stroke-width:2.5")
        } else {
            "stroke:#52606d;stroke-width:1.2".to_string()
        };
        s.rect(
            n.x,
            n.y,
            n.w,
            BOX_H,
            6.0,
            &format!("fill:{};{stroke}", n.fill),
        );
        s.text(
            n.center(),
            n.y + 19.0,
            TITLE,
            "middle",
            &format!("font-weight:bold;fill:{INK}"),
            &n.title,
        );
        s.text(
            n.center(),
            n.y + 36.0,
            DETAIL,
            "middle",
            &format!("fill:{MUTED}"),
            &n.detail,
        );
    }
    for (x, y, lines) in labels {
        let w = lines
            .iter()
            .map(|t| text_width(t, 10.0))
            .fold(0.0, f64::max)
            + 8.0;
        let h = lines.len() as f64 * 13.0 + 4.0;
        let (x, y) = placed.place(x, y, w, h);
        s.label(x, y, 10.0, &format!("fill:{INK}"), &lines);
    }
    // Legend.
    let ly = l.height - 34.0;
    s.rect(
        20.0,
        ly,
        26.0,
        16.0,
        4.0,
        &format!("fill:#ffffff;stroke:{RED};stroke-width:2.5"),
    );
    s.text(
        54.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "a single failure can stop it, or it has an error",
    );
    s.line(
        360.0,
        ly + 8.0,
        400.0,
        ly + 8.0,
        "stroke:#3e4c59;stroke-width:1.4",
    );
    s.text(
        408.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "flow",
    );
    s.line(
        450.0,
        ly + 8.0,
        490.0,
        ly + 8.0,
        &format!("stroke:{LINE};stroke-width:1"),
    );
    s.text(
        498.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "calls",
    );
    s.line(
        545.0,
        ly + 8.0,
        585.0,
        ly + 8.0,
        "stroke:#7b5ea7;stroke-width:1.4;stroke-dasharray:6 4",
    );
    s.text(
        593.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "replication",
    );
    s.finish(l.width.max(700.0), l.height, "topo system view")
}

fn dot_id(p: &Project, e: Element) -> String {
    dot_string(&format!("{}:{}", p.kind_of(e), p.name_of(e)))
}

pub fn dot(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let risk = at_risk(p, diagnostics);
    let l = layout(p, &risk);
    let e = edges(p);
    let mut out = String::new();
    let _ = writeln!(out, "digraph system {{");
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, newrank=true, nodesep=0.35, ranksep=0.7, fontname={}, fontsize=12];",
        dot_string(super::FONT)
    );
    let _ = writeln!(out, "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#52606d\", fontname={}, fontsize=11];", dot_string(super::FONT));
    let _ = writeln!(
        out,
        "  edge [fontname={}, fontsize=9, color=\"#3e4c59\"];",
        dot_string(super::FONT)
    );
    let node_line = |n: &Node| -> String {
        let mut attrs = format!(
            "label={}, fillcolor=\"{}\"",
            dot_string(&format!("{}\n{}", n.title, n.detail)),
            n.fill
        );
        if n.red {
            attrs.push_str(&format!(", color=\"{RED}\", penwidth=2.5"));
        }
        format!("{} [{attrs}];", dot_id(p, n.element))
    };
    // Outside nodes share the top rank.
    let outside: Vec<&Node> = l.nodes.iter().filter(|n| n.y < 100.0).collect();
    let _ = writeln!(out, "  subgraph outside {{");
    let _ = writeln!(out, "    rank=min;");
    for n in &outside {
        let _ = writeln!(out, "    {}", node_line(n));
    }
    let _ = writeln!(out, "  }}");
    // Sites as clusters, partitions nested.
    let site_of = |n: &Node| -> Option<usize> {
        let Element::Service(s) = n.element else {
            return None;
        };
        p.services[s.index()]
            .hosts
            .iter()
            .filter_map(|h| p.host_device(h.value))
            .find_map(|d| p.devices[d.index()].site)
            .map(|s| s.index())
    };
    let partition_of = |n: &Node| -> Option<usize> {
        let Element::Service(s) = n.element else {
            return None;
        };
        p.partitions
            .iter()
            .position(|pt| pt.services.iter().any(|x| x.value == s))
    };
    let inner: Vec<&Node> = l.nodes.iter().filter(|n| n.y >= 100.0).collect();
    let mut by_site: BTreeMap<Option<usize>, BTreeMap<Option<usize>, Vec<&Node>>> = BTreeMap::new();
    for n in &inner {
        by_site
            .entry(site_of(n))
            .or_default()
            .entry(partition_of(n))
            .or_default()
            .push(n);
    }
    for (site, groups) in &by_site {
        let indent = if site.is_some() { "    " } else { "  " };
        if let Some(si) = site {
            let label = site_label(p, *si);
            let _ = writeln!(
                out,
                "  subgraph {} {{",
                dot_string(&format!("cluster_site_{}", p.sites[*si].name))
            );
            let _ = writeln!(
                out,
                "    label={}; style=\"rounded\"; color=\"#7b8794\";",
                dot_string(&label)
            );
        }
        for (partition, nodes) in groups {
            if let Some(pi) = partition {
                let _ = writeln!(
                    out,
                    "{indent}subgraph {} {{",
                    dot_string(&format!("cluster_partition_{}", p.partitions[*pi].name))
                );
                let _ = writeln!(out, "{indent}  label={}; style=\"rounded,filled,dashed\"; fillcolor=\"#e3f1ec\"; color=\"#7fbfa5\";", dot_string(&format!("partition {}", p.partitions[*pi].name)));
            }
            for n in nodes {
                let _ = writeln!(out, "{indent}  {}", node_line(n));
            }
            if partition.is_some() {
                let _ = writeln!(out, "{indent}}}");
            }
        }
        if site.is_some() {
            let _ = writeln!(out, "  }}");
        }
    }
    // Tiers share ranks.
    for (i, _) in p.tiers.iter().enumerate() {
        let members: Vec<String> = inner
            .iter()
            .filter(|n| matches!(n.element, Element::Service(s) if p.services[s.index()].tier.map(|t| t.value.index()) == Some(i)))
            .map(|n| dot_id(p, n.element))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  {{ rank=same; {}; }}", members.join("; "));
        }
    }
    for ((a, b), labels) in &e.flows {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, penwidth=1.4];",
            dot_id(p, *a),
            dot_id(p, *b),
            dot_string(&labels.join("\n"))
        );
    }
    for (a, b) in &e.calls {
        let _ = writeln!(
            out,
            "  {} -> {} [color=\"{LINE}\"];",
            dot_id(p, *a),
            dot_id(p, *b)
        );
    }
    for (a, b, label) in &e.replications {
        let _ = writeln!(
            out,
            "  {} -> {} [style=dashed, color=\"#7b5ea7\", label={}, constraint=false];",
            dot_id(p, *a),
            dot_id(p, *b),
            dot_string(label)
        );
    }
    let _ = writeln!(out, "}}");
    out
}
