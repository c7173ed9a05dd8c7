//! The boxes and edges of the network view: which devices are drawn, in
//! which box, at which tier, and the links between boxes merged.

use std::collections::HashMap;

use super::{GROUP_ABOVE, MAX_TIER_BOXES, TARGET_RUNS};
use crate::diagnostic::Severity;
use crate::model::{DeviceId, DeviceKind, Element, LinkMedium, PortGroup, Project, RackId};
use crate::render::marks::Marks;

/// What a box stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// One device.
    Device(DeviceId),
    /// The servers of one rack.
    Rack(RackId),
    /// A run of boxes collapsed: its racks (empty outside racks).
    Run(Vec<RackId>),
}

/// One drawn box.
#[derive(Debug, Clone)]
pub struct Node {
    pub what: What,
    /// The first line: a name, a rack, or a range of them.
    pub title: String,
    /// The second line: the kind, or what the box holds.
    pub sub: String,
    /// The `data-element`: the declared name of the device or rack (a run's
    /// first).
    pub element: String,
    /// The devices in the box, in source order.
    pub members: Vec<DeviceId>,
    pub tier: usize,
    /// Index into `Graph::sites`.
    pub site: usize,
    /// Worst severity of the findings about the box's element(s).
    pub severity: Option<Severity>,
    /// Rules of those findings, each once.
    pub rules: Vec<&'static str>,
    /// The tooltip: what the box is, then the findings.
    pub tooltip: String,
}

/// Links between two boxes on one network, merged.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The downstream box (lower tier, or the left side of the first link).
    pub lower: usize,
    pub upper: usize,
    pub medium: LinkMedium,
    /// Each speed with its number of cables, in order of first appearance.
    pub speeds: Vec<(String, u64)>,
}

impl Edge {
    /// `38 × 25GbE`, or `2 × 100GbE + 1 × 25GbE`.
    pub fn label(&self) -> String {
        self.speeds
            .iter()
            .map(|(s, c)| format!("{} × {s}", thousands(*c)))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Number of tiers (0 when there is nothing to draw).
    pub tiers: usize,
    /// Site blocks in source order; "(no site)" last when needed.
    pub sites: Vec<String>,
}

/// `3800` as `3,800`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn forwards(k: DeviceKind) -> bool {
    matches!(
        k,
        DeviceKind::Switch | DeviceKind::Router | DeviceKind::Firewall | DeviceKind::Lb
    )
}

/// The speed of a link as a port is named (`25GbE`, `32GFC`), or `?`.
fn speed_label(p: &Project, link: usize) -> String {
    match p.links[link].speed(p) {
        Some(s) => PortGroup {
            count: 1,
            speed: s.value,
        }
        .speed_label(),
        None => "? (no speed)".to_string(),
    }
}

/// The tier of every device: 0 for endpoints, and for a forwarding device
/// one above the highest forwarding device linked below it. A depth-first
/// walk in source order, iterative so that a long chain cannot overflow
/// the stack; an edge back to a device on the current path is ignored.
fn tiers(p: &Project, drawn: &[bool]) -> Vec<usize> {
    let n = p.devices.len();
    let fwd: Vec<bool> = p
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| drawn[i] && forwards(d.kind))
        .collect();
    let mut down: Vec<Vec<u32>> = vec![Vec::new(); n];
    for l in &p.links {
        let (a, b) = (l.from.device.index(), l.to.device.index());
        if a != b && fwd[a] && fwd[b] {
            down[b].push(a as u32);
        }
    }
    for d in &mut down {
        d.sort_unstable();
        d.dedup();
    }
    let mut tier = vec![0usize; n];
    // 0 unvisited, 1 on the path, 2 done.
    let mut state = vec![0u8; n];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if !fwd[root] || state[root] != 0 {
            continue;
        }
        state[root] = 1;
        tier[root] = 1;
        stack.push((root, 0));
        while let Some(&mut (u, ref mut i)) = stack.last_mut() {
            if let Some(&v) = down[u].get(*i) {
                *i += 1;
                let v = v as usize;
                match state[v] {
                    0 => {
                        state[v] = 1;
                        tier[v] = 1;
                        stack.push((v, 0));
                    }
                    2 => tier[u] = tier[u].max(tier[v] + 1),
                    _ => {}
                }
            } else {
                stack.pop();
                state[u] = 2;
                if let Some(&(parent, _)) = stack.last() {
                    tier[parent] = tier[parent].max(tier[u] + 1);
                }
            }
        }
    }
    tier
}

/// The severity, rules and finding lines of a set of elements.
fn fold_marks(
    marks: &Marks,
    p: &Project,
    elements: impl Iterator<Item = Element>,
    tooltip: &mut String,
) -> (Option<Severity>, Vec<&'static str>) {
    let rank = |s: Severity| match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let mut severity: Option<Severity> = None;
    let mut rules: Vec<&'static str> = Vec::new();
    let mut shown = 0;
    for e in elements {
        let Some(m) = marks.get(e) else { continue };
        if severity.is_none_or(|s| rank(m.severity) < rank(s)) {
            severity = Some(m.severity);
        }
        for r in &m.rules {
            if !rules.contains(r) {
                rules.push(r);
            }
        }
        for line in &m.lines {
            // A run may hold thousands of findings; the tooltip shows the
            // first few, the attributes carry every rule.
            if shown < 12 {
                tooltip.push('\n');
                tooltip.push_str(p.name_of(e));
                tooltip.push_str(": ");
                tooltip.push_str(line);
            }
            shown += 1;
        }
    }
    if shown > 12 {
        tooltip.push_str(&format!("\n… and {} more findings", shown - 12));
    }
    (severity, rules)
}

/// `3,800 servers, 2 storage`: what a set of devices holds, by kind.
fn census(p: &Project, members: &[DeviceId]) -> String {
    let mut counts: Vec<(DeviceKind, u64)> = Vec::new();
    for &d in members {
        let k = p.devices[d.index()].kind;
        match counts.iter_mut().find(|(c, _)| *c == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    counts
        .iter()
        .map(|(k, n)| {
            let word = match (k, *n) {
                (DeviceKind::Switch, 1) => "switch".to_string(),
                (DeviceKind::Switch, _) => "switches".to_string(),
                (DeviceKind::Storage, _) => "storage".to_string(),
                (k, 1) => k.keyword().to_string(),
                (k, _) => format!("{}s", k.keyword()),
            };
            format!("{} {word}", thousands(*n))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The graph of the network view, or an empty one when the project
/// declares no forwarding device and no link.
pub fn build(p: &Project, marks: &Marks) -> Graph {
    let mut linked = vec![false; p.devices.len()];
    for l in &p.links {
        linked[l.from.device.index()] = true;
        linked[l.to.device.index()] = true;
    }
    if p.links.is_empty() && !p.devices.iter().any(|d| forwards(d.kind)) {
        return Graph::default();
    }
    let drawn: Vec<bool> = p
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| {
            linked[i]
                || matches!(d.kind, DeviceKind::Server | DeviceKind::Storage)
                || forwards(d.kind)
        })
        .collect();
    let tier = tiers(p, &drawn);

    // Site blocks: declared sites in order, then "(no site)" if used.
    let mut sites: Vec<String> = p.sites.iter().map(|s| s.name.clone()).collect();
    let none = sites.len();
    let site_of = |d: DeviceId| p.devices[d.index()].site.map_or(none, |s| s.index());
    let mut used = vec![false; none + 1];

    // Servers per rack, to decide which racks are grouped.
    let mut per_rack = vec![0usize; p.racks.len()];
    for (i, d) in p.devices.iter().enumerate() {
        if drawn[i] && d.kind == DeviceKind::Server {
            if let Some(pl) = d.placement {
                per_rack[pl.rack.index()] += 1;
            }
        }
    }

    // First pass: a box per device, or per grouped rack.
    let mut nodes: Vec<Node> = Vec::new();
    let mut rack_node: Vec<Option<usize>> = vec![None; p.racks.len()];
    let mut node_of: Vec<Option<usize>> = vec![None; p.devices.len()];
    for (i, d) in p.devices.iter().enumerate() {
        if !drawn[i] {
            continue;
        }
        let id = DeviceId(i as u32);
        let site = site_of(id);
        used[site] = true;
        let grouped_rack = d
            .placement
            .filter(|pl| d.kind == DeviceKind::Server && per_rack[pl.rack.index()] > GROUP_ABOVE)
            .map(|pl| pl.rack);
        if let Some(r) = grouped_rack {
            if let Some(k) = rack_node[r.index()] {
                nodes[k].members.push(id);
                node_of[i] = Some(k);
                continue;
            }
            let name = p.racks[r.index()].name.clone();
            rack_node[r.index()] = Some(nodes.len());
            node_of[i] = Some(nodes.len());
            nodes.push(Node {
                what: What::Rack(r),
                title: name.clone(),
                sub: String::new(),
                element: name,
                members: vec![id],
                tier: 0,
                site,
                severity: None,
                rules: vec![],
                tooltip: String::new(),
            });
            continue;
        }
        node_of[i] = Some(nodes.len());
        nodes.push(Node {
            what: What::Device(id),
            title: d.name.clone(),
            sub: d.kind.keyword().to_string(),
            element: d.name.clone(),
            members: vec![id],
            tier: tier[i],
            site,
            severity: None,
            rules: vec![],
            tooltip: String::new(),
        });
    }

    // Second pass: collapse over-full tiers of a site into runs.
    let max_tier = nodes.iter().map(|n| n.tier).max().unwrap_or(0);
    let mut count: HashMap<(usize, usize), usize> = HashMap::new();
    for n in &nodes {
        *count.entry((n.site, n.tier)).or_default() += 1;
    }
    if count.values().any(|&c| c > MAX_TIER_BOXES) {
        nodes = collapse(p, nodes, &count, &mut node_of);
    }

    // Labels and marks.
    for n in &mut nodes {
        match &n.what {
            What::Device(d) => {
                n.tooltip = format!("{} {}", p.devices[d.index()].kind.keyword(), n.title);
                let (s, r) =
                    fold_marks(marks, p, [Element::Device(*d)].into_iter(), &mut n.tooltip);
                (n.severity, n.rules) = (s, r);
            }
            What::Rack(r) => {
                n.sub = census(p, &n.members);
                n.tooltip = format!("rack {}: {}", n.title, n.sub);
                let elements = std::iter::once(Element::Rack(*r))
                    .chain(n.members.iter().map(|&d| Element::Device(d)));
                (n.severity, n.rules) = fold_marks(marks, p, elements, &mut n.tooltip);
            }
            What::Run(racks) => {
                let held = census(p, &n.members);
                n.sub = if racks.is_empty() {
                    held
                } else {
                    format!("{} racks, {held}", thousands(racks.len() as u64))
                };
                n.tooltip = format!("{}: {}", n.title, n.sub);
                let elements = racks
                    .iter()
                    .map(|&r| Element::Rack(r))
                    .chain(n.members.iter().map(|&d| Element::Device(d)));
                (n.severity, n.rules) = fold_marks(marks, p, elements, &mut n.tooltip);
            }
        }
    }

    // Edges: links between boxes merged per pair and network.
    let mut edges: Vec<Edge> = Vec::new();
    let mut index: HashMap<(usize, usize, LinkMedium), usize> = HashMap::new();
    let mut last_speed: Option<(usize, String)> = None;
    for (li, l) in p.links.iter().enumerate() {
        let (Some(a), Some(b)) = (node_of[l.from.device.index()], node_of[l.to.device.index()])
        else {
            continue;
        };
        if a == b {
            continue;
        }
        let key = (a.min(b), a.max(b), l.medium(p));
        let e = *index.entry(key).or_insert_with(|| {
            let (lower, upper) = if nodes[b].tier < nodes[a].tier {
                (b, a)
            } else {
                (a, b)
            };
            edges.push(Edge {
                lower,
                upper,
                medium: l.medium(p),
                speeds: vec![],
            });
            edges.len() - 1
        });
        // A statement's links share a speed: label it once per run of
        // links with the same speed value.
        let speed = match &last_speed {
            Some((prev, s))
                if p.links[*prev].speed(p).map(|s| s.value) == l.speed(p).map(|s| s.value) =>
            {
                s.clone()
            }
            _ => speed_label(p, li),
        };
        last_speed = Some((li, speed.clone()));
        let cables = u64::from(l.count(p).map_or(1, |c| c.value));
        let speeds = &mut edges[e].speeds;
        match speeds.iter_mut().find(|(s, _)| *s == speed) {
            Some((_, c)) => *c += cables,
            None => speeds.push((speed, cables)),
        }
    }

    // Keep only the site blocks in use.
    let mut remap = vec![usize::MAX; used.len()];
    let mut kept = Vec::new();
    sites.push("(no site)".to_string());
    for (i, name) in sites.into_iter().enumerate() {
        if used[i] {
            remap[i] = kept.len();
            kept.push(name);
        }
    }
    for n in &mut nodes {
        n.site = remap[n.site];
    }
    Graph {
        tiers: max_tier + 1,
        nodes,
        edges,
        sites: kept,
    }
}

/// A round number of items per run giving at most TARGET_RUNS runs.
fn run_size(items: usize) -> usize {
    let need = items.div_ceil(TARGET_RUNS).max(1);
    let mut unit = 1;
    loop {
        for step in [1, 2, 5] {
            let s = step * unit;
            if s >= need {
                return s;
            }
        }
        unit *= 10;
    }
}

/// Collapse every over-full (site, tier) into runs of racks, and boxes
/// outside racks into runs of their kind.
fn collapse(
    p: &Project,
    nodes: Vec<Node>,
    count: &HashMap<(usize, usize), usize>,
    node_of: &mut [Option<usize>],
) -> Vec<Node> {
    // Each rack's ordinal among its site's racks.
    let none = p.sites.len();
    let mut racks_in_site = vec![0usize; none + 1];
    let mut ordinal = vec![0usize; p.racks.len()];
    for (i, r) in p.racks.iter().enumerate() {
        let s = r.site.map_or(none, |s| s.value.index());
        ordinal[i] = racks_in_site[s];
        racks_in_site[s] += 1;
    }
    // Boxes outside racks per (site, tier, kind), to size their runs.
    let rack_of = |n: &Node| -> Option<RackId> {
        match n.what {
            What::Rack(r) => Some(r),
            What::Device(d) => p.devices[d.index()].placement.map(|pl| pl.rack),
            What::Run(_) => None,
        }
    };
    let kind_of = |n: &Node| p.devices[n.members[0].index()].kind;
    let mut loose: HashMap<(usize, usize, DeviceKind), usize> = HashMap::new();
    for n in &nodes {
        if count[&(n.site, n.tier)] > MAX_TIER_BOXES && rack_of(n).is_none() {
            *loose.entry((n.site, n.tier, kind_of(n))).or_default() += 1;
        }
    }
    #[derive(PartialEq, Eq, Hash)]
    enum Key {
        Racks(usize, usize, usize),
        Loose(usize, usize, DeviceKind, usize),
    }
    let mut seen: HashMap<(usize, usize, DeviceKind), usize> = HashMap::new();
    let mut runs: HashMap<Key, usize> = HashMap::new();
    let mut out: Vec<Node> = Vec::new();
    let mut moved = vec![0usize; nodes.len()];
    for (i, n) in nodes.into_iter().enumerate() {
        if count[&(n.site, n.tier)] <= MAX_TIER_BOXES {
            moved[i] = out.len();
            out.push(n);
            continue;
        }
        let rack = rack_of(&n);
        let key = match rack {
            Some(r) => {
                let s = p.racks[r.index()].site.map_or(none, |s| s.value.index());
                let size = run_size(racks_in_site[s]);
                Key::Racks(n.site, n.tier, ordinal[r.index()] / size)
            }
            None => {
                let k = (n.site, n.tier, kind_of(&n));
                let size = run_size(loose[&k]);
                let seq = seen.entry(k).or_default();
                *seq += 1;
                Key::Loose(n.site, n.tier, k.2, (*seq - 1) / size)
            }
        };
        match runs.get(&key) {
            Some(&k) => {
                moved[i] = k;
                let run = &mut out[k];
                run.members.extend(n.members);
                if let (Some(r), What::Run(racks)) = (rack, &mut run.what) {
                    if racks.last() != Some(&r) && !racks.contains(&r) {
                        racks.push(r);
                    }
                }
            }
            None => {
                moved[i] = out.len();
                runs.insert(key, out.len());
                out.push(Node {
                    what: What::Run(rack.into_iter().collect()),
                    title: String::new(),
                    sub: String::new(),
                    element: String::new(),
                    members: n.members,
                    tier: n.tier,
                    site: n.site,
                    severity: None,
                    rules: vec![],
                    tooltip: String::new(),
                });
            }
        }
    }
    for slot in node_of.iter_mut().flatten() {
        *slot = moved[*slot];
    }
    for n in &mut out {
        let What::Run(racks) = &n.what else { continue };
        let (first, last) = if racks.is_empty() {
            (
                p.devices[n.members[0].index()].name.clone(),
                p.devices[n.members[n.members.len() - 1].index()]
                    .name
                    .clone(),
            )
        } else {
            (
                p.racks[racks[0].index()].name.clone(),
                p.racks[racks[racks.len() - 1].index()].name.clone(),
            )
        };
        n.title = if first == last {
            first.clone()
        } else {
            format!("{first}–{last}")
        };
        n.element = first;
    }
    out
}
