//! `flow-bandwidth`: a flow's bandwidth `rate` exceeds what the up links
//! can carry between two of its hops.

use super::failure::{forwards, name_list};
use super::maxflow::{Graph, UNBOUNDED};
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{bit_rates_in_one_unit, format_sig3_trim, FlowRate};
use crate::model::{DeviceId, HaMode, Hop, Host, LinkMedium, Project, ServiceId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "flow-bandwidth",
    severity: Severity::Warning,
    summary:
        "a flow's bandwidth `rate` exceeds what the up links can carry between two of its hops",
    doc: r#"## What it checks
Where the project declares any `link`: for each flow whose `rate` is a
bandwidth (`40Gb/s`, `2GB/s`), and each pair of consecutive service hops,
the maximum flow the **Ethernet** links can carry, with everything up,
from the serving instances of the first hop to those of the second. The
figure is a true max-flow of the link graph, so traffic spread over
parallel paths (two uplinks, two spines, a LAG) counts in full:
- a link carries its speed × `count` **in each direction at once** (Ethernet
  is full duplex: a 25GbE cable moves 25 Gb/s each way), so a link is an
  edge of that capacity per direction;
- only a `switch`, `router`, `firewall` or `lb` carries traffic between its
  links; a server or storage array starts or ends the traffic but is never
  crossed (as for `unreachable`);
- the serving instances are the instances that are up (for
  `ha active-standby`, the active member alone); a vm's traffic leaves
  through its host's links;
- a link without `speed` is not a limit.

Not checked: hops from a client or CDN (outside traffic: see
`edge-uplink`), two hops sharing a host (the traffic need not leave it),
and hops with no path at all (`unreachable` reports those). The message
names the narrowest cut: the links that together carry the most the
network can move between the two hops.

## Why
A backup or a bulk copy sized for a 40 Gb/s stream but cabled at 25GbE
takes 60 % longer than planned, every night, and the window it was sized
for is missed. The nominal speed of the fabric does not help if the
stream must squeeze through one server's uplink.

## Example
```topo
link db1 to tor1 { speed 25GbE }
link bk1 to tor1 { speed 100GbE }
flow backup { db -> vault; rate 40Gb/s }
```
From `db1` to `bk1` the links carry 25 Gb/s, short of 40 Gb/s.

## Fix
Add cables (a second NIC port to another switch, or `count 2` for a LAG),
faster links, or spread the stream over more instances.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    if p.links.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for flow in &p.flows {
        let Some(rate) = flow.rate else { continue };
        let FlowRate::Bandwidth(bandwidth) = rate.value else {
            continue;
        };
        let mut seen: Vec<(ServiceId, ServiceId)> = Vec::new();
        for path in &flow.paths {
            for pair in path.windows(2) {
                let (Hop::Service(a), Hop::Service(b)) = (pair[0].value, pair[1].value) else {
                    continue;
                };
                if seen.contains(&(a, b)) {
                    continue;
                }
                seen.push((a, b));
                let f = cx.failures();
                let (from, to) = (serving(p, f, a), serving(p, f, b));
                let Some(Carried { capacity, cut }) = carried(p, &from, &to) else {
                    continue;
                };
                let needed = bandwidth.get();
                if capacity as f64 >= needed {
                    continue;
                }
                let capacity = capacity as f64;
                let (rate_text, capacity_text) = bit_rates_in_one_unit(needed, capacity);
                let hosts = |hosts: &[Host]| name_list(hosts.iter().map(|&h| p.host_name(h)), 4);
                let (sa, sb) = (&p.services[a.index()], &p.services[b.index()]);
                let cut_text = name_list(cut.iter().map(String::as_str), 4);
                let message = format!(
                    "flow `{}`: {rate_text} from `{}` ({}) to `{}` ({}) but the links carry {capacity_text} (the narrowest cut: {} {cut_text})",
                    echo(&flow.name),
                    echo(&sa.name),
                    hosts(&from.hosts),
                    echo(&sb.name),
                    hosts(&to.hosts),
                    if cut.len() == 1 { "link" } else { "links" },
                );
                let d = Diagnostic::new(RULE.name, RULE.severity, rate.span, message)
                    .with_label(format!("{capacity_text} of {rate_text}"))
                    .with_related(
                        pair[1].span,
                        format!("`{}` is reached here", echo(&sb.name)),
                    )
                    .with_data("rate", needed)
                    .with_data("capacity", capacity)
                    .with_data("unit", "B/s")
                    .with_data("from", sa.name.as_str())
                    .with_data("to", sb.name.as_str())
                    .with_data("flow", flow.name.as_str());
                out.push(Finding::new(
                    d.with_subject(&flow.name),
                    flow.allows.clone(),
                ));
            }
        }
    }
    out
}

/// The serving instances of a hop with everything up: where they run and
/// the devices they send through.
struct Serving {
    hosts: Vec<Host>,
    devices: Vec<DeviceId>,
}

fn serving(p: &Project, f: &super::failure::Failures, s: ServiceId) -> Serving {
    let mut up = f.instances[s.index()].iter().filter(|i| i.up);
    let hosts: Vec<Host> = match p.services[s.index()].ha.map(|h| h.value) {
        // The standby takes no traffic while the active member is up.
        Some(HaMode::ActiveStandby) => up.next().map(|i| i.host).into_iter().collect(),
        _ => up.map(|i| i.host).collect(),
    };
    let mut devices: Vec<DeviceId> = hosts
        .iter()
        .filter_map(|&h| match h {
            Host::Device(d) => Some(d),
            Host::Vm(v) => p.vms[v.index()].host.map(|d| d.value),
        })
        .collect();
    devices.sort_unstable_by_key(|d| d.0);
    devices.dedup();
    Serving { hosts, devices }
}

/// What the links carry between two hops, and the links of the narrowest
/// cut (as text).
struct Carried {
    /// B/s, whole.
    capacity: u64,
    cut: Vec<String>,
}

/// The max-flow of the Ethernet links from the devices of `from` to those
/// of `to`; `None` where it is not checked (no ends, a shared host, no path,
/// or no limit).
///
/// Each device is two nodes, in and out: a forwarding device joins them with
/// an unbounded edge, an endpoint does not, so traffic may leave a source
/// endpoint and enter a sink endpoint but never cross one. A link is an edge
/// out → in each way, with the link's capacity in each direction.
fn carried(p: &Project, from: &Serving, to: &Serving) -> Option<Carried> {
    if from.devices.is_empty()
        || to.devices.is_empty()
        || from.devices.iter().any(|d| to.devices.contains(d))
    {
        return None;
    }
    let n = p.devices.len();
    let (source, sink) = (2 * n, 2 * n + 1);
    let (inn, out) = (|d: usize| 2 * d, |d: usize| 2 * d + 1);
    let mut g = Graph::new(2 * n + 2);
    for (d, device) in p.devices.iter().enumerate() {
        if forwards(device.kind) {
            g.edge(inn(d), out(d), UNBOUNDED);
        }
    }
    for d in &from.devices {
        g.edge(source, out(d.index()), UNBOUNDED);
    }
    for d in &to.devices {
        g.edge(inn(d.index()), sink, UNBOUNDED);
    }
    let mut link_edges: Vec<(usize, usize)> = Vec::new();
    for (li, l) in p.links.iter().enumerate() {
        if l.medium(p) != LinkMedium::Ethernet {
            continue;
        }
        let (a, b) = (l.from.device.index(), l.to.device.index());
        if a == b {
            continue;
        }
        let capacity = link_capacity(p, l);
        link_edges.push((g.edge(out(a), inn(b), capacity), li));
        link_edges.push((g.edge(out(b), inn(a), capacity), li));
    }
    let capacity = g.max_flow(source, sink);
    if capacity == 0 || capacity >= UNBOUNDED {
        return None;
    }
    let edges: Vec<usize> = link_edges.iter().map(|&(e, _)| e).collect();
    let mut links: Vec<usize> = g
        .min_cut(source, &edges)
        .into_iter()
        .filter_map(|e| link_edges.iter().find(|&&(x, _)| x == e).map(|&(_, l)| l))
        .collect();
    links.sort_unstable();
    links.dedup();
    let cut = links.iter().map(|&l| link_text(p, l)).collect();
    Some(Carried { capacity, cut })
}

/// Speed × count in whole B/s; unbounded without a speed.
fn link_capacity(p: &Project, l: &crate::model::Link) -> u64 {
    let Some(speed) = l.speed(p) else {
        return UNBOUNDED;
    };
    let count = l.count(p).map_or(1, |c| c.value) as f64;
    let bytes = speed.value.get() * count;
    if bytes.is_finite() && bytes >= 0.0 {
        (bytes.round() as u64).min(UNBOUNDED - 1)
    } else {
        UNBOUNDED
    }
}

/// "db1 — tor1 25GbE", "tor1 — spine1 2 × 100GbE".
fn link_text(p: &Project, li: usize) -> String {
    let l = &p.links[li];
    let name = |d: DeviceId| echo(&p.devices[d.index()].name);
    let speed = l.speed(p).map_or(String::new(), |s| {
        let bps = s.value.bits_per_second();
        let one = if bps >= 1e9 {
            format!("{}GbE", format_sig3_trim(bps / 1e9))
        } else {
            s.value.bits_text()
        };
        match l.count(p).map(|c| c.value) {
            Some(c) if c > 1 => format!(" {c} × {one}"),
            _ => format!(" {one}"),
        }
    });
    format!("{} — {}{speed}", name(l.from.device), name(l.to.device))
}
