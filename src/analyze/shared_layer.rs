//! `shared-layer`: partitions share a service.

use super::tier_skip::edges;
use super::{overflow, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{FlowRate, RequestsPerSecond};
use crate::model::{Hop, ServiceId};
use crate::text::echo;
use std::collections::{BTreeMap, BTreeSet};

pub static RULE: Rule = Rule {
    name: "shared-layer",
    severity: Severity::Info,
    summary: "partitions share a service (warning when it cannot carry what they send)",
    doc: r#"## What it checks
A service that several partitions use: listed in more than one, or
outside every partition and reached from services of more than one, by
`calls` and flow hops, directly or through other services outside every
partition (partitions that call `stock-api` and `price-api`, which both
call `inventory`, share `inventory` too; the message names the services
between). A path stops at a service of a partition: that partition uses
what it calls. It is information; it becomes a warning when
the shared service's capacity (per-instance `capacity` × instances) is
below what the partitions send it (the rates of their flows through it, or
else their `load`).

## Why
Fully independent partitions scale by adding copies. A layer they
share, such as one common database, couples them again: it must be
updated for all of them, its failure stops all of them, and its capacity is
the limit of all of them together.

## Example
```topo
partition retail    { services web-retail ap-retail }
partition wholesale { services web-wholesale ap-wholesale }
service ap-retail on rt1 { calls orders }
service ap-wholesale on ws1 { calls orders }   # orders is shared
```

## Fix
Accept it knowingly (it is a shared architecture by design), give the shared
service the capacity of all partitions together, or split it per partition.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut member: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); p.services.len()];
    for (i, part) in p.partitions.iter().enumerate() {
        for s in &part.services {
            member[s.value.index()].insert(i);
        }
    }
    // Partitions that use each service: as members, or by reaching it from
    // outside through services of no partition (a partition's service calls
    // `stock-api`, which calls `inventory`: the partition uses both). The
    // walk stops at another partition's member: that one is its own.
    let mut users: Vec<BTreeSet<usize>> = member.clone();
    // The partition's services that start such a walk (their `load` is what
    // the partition sends when no flow rate says), and for each (service,
    // partition) the services between, along the first path found.
    let mut callers: Vec<BTreeSet<ServiceId>> = vec![BTreeSet::new(); p.services.len()];
    let mut via: BTreeMap<(usize, usize), Vec<ServiceId>> = BTreeMap::new();
    let mut out_edges: Vec<Vec<ServiceId>> = vec![Vec::new(); p.services.len()];
    for (from, to, _) in edges(p) {
        out_edges[from.index()].push(to);
    }
    for (m, parts) in member.iter().enumerate() {
        if parts.is_empty() {
            continue;
        }
        // Breadth first, so the path named is a shortest one.
        let mut before: BTreeMap<usize, Option<usize>> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::new();
        for &to in &out_edges[m] {
            if member[to.index()].is_empty() && !before.contains_key(&to.index()) {
                before.insert(to.index(), None);
                queue.push_back(to.index());
            }
        }
        while let Some(x) = queue.pop_front() {
            users[x].extend(parts.iter().copied());
            callers[x].insert(ServiceId(m as u32));
            for &k in parts {
                via.entry((x, k)).or_insert_with(|| {
                    let mut path = Vec::new();
                    let mut at = before[&x];
                    while let Some(y) = at {
                        path.push(ServiceId(y as u32));
                        at = before[&y];
                    }
                    path.reverse();
                    path
                });
            }
            for &to in &out_edges[x] {
                if member[to.index()].is_empty() && !before.contains_key(&to.index()) {
                    before.insert(to.index(), Some(x));
                    queue.push_back(to.index());
                }
            }
        }
    }
    let mut out = Vec::new();
    // The flows with a request rate through each service, in flow order,
    // gathered once rather than scanned for every shared service.
    let mut through: Vec<Vec<usize>> = vec![Vec::new(); p.services.len()];
    if users.iter().any(|u| u.len() >= 2) {
        for (fi, f) in p.flows.iter().enumerate() {
            if !matches!(f.rate.map(|r| r.value), Some(FlowRate::Requests(_))) {
                continue;
            }
            let mut services: Vec<usize> = f
                .paths
                .iter()
                .flatten()
                .filter_map(|h| match h.value {
                    Hop::Service(x) => Some(x.index()),
                    _ => None,
                })
                .collect();
            services.sort_unstable();
            services.dedup();
            for x in services {
                through[x].push(fi);
            }
        }
    }
    for (i, s) in p.services.iter().enumerate() {
        if users[i].len() < 2 {
            continue;
        }
        let id = ServiceId(i as u32);
        let mut names: Vec<String> = users[i]
            .iter()
            .take(8)
            .map(|&k| p.partitions[k].name.clone())
            .collect();
        if users[i].len() > 8 {
            names.push(format!("… ({} in all)", users[i].len()));
        }
        let reached = through_clause(p, i, &users[i], &via);
        // What the partitions send: rates of flows through the service, by partition.
        let mut sent: BTreeMap<usize, RequestsPerSecond> = BTreeMap::new();
        for f in through[i].iter().map(|&fi| &p.flows[fi]) {
            let Some(FlowRate::Requests(rate)) = f.rate.map(|r| r.value) else {
                continue;
            };
            let partition = f
                .paths
                .iter()
                .flatten()
                .filter_map(|h| match h.value {
                    Hop::Service(x) if x != id => member[x.index()].iter().next().copied(),
                    _ => None,
                })
                .next();
            if let Some(k) = partition {
                *sent.entry(k).or_default() += rate;
            }
        }
        if sent.is_empty() {
            for c in &callers[i] {
                if let (Some(load), Some(&k)) =
                    (p.services[c.index()].load, member[c.index()].iter().next())
                {
                    *sent.entry(k).or_default() += load.value;
                }
            }
        }
        let total: RequestsPerSecond = sent.values().copied().sum();
        let capacity = s.capacity.map(|c| c.value * s.hosts.len() as f64);
        if !total.get().is_finite() || capacity.is_some_and(|c| !c.get().is_finite()) {
            let what = format!("the rates sent to or served by `{}`", echo(&s.name));
            out.push(overflow(s.span, &what, &s.name, s.allows.clone()));
            continue;
        }
        let (severity, message) = match capacity {
            Some(cap) if total.get() > 0.0 && cap < total => {
                let mut parts: Vec<String> = sent
                    .iter()
                    .take(8)
                    .map(|(k, r)| format!("{} {r}", echo(&p.partitions[*k].name)))
                    .collect();
                if sent.len() > 8 {
                    parts.push(format!("… ({} in all)", sent.len()));
                }
                (
                    Severity::Warning,
                    format!(
                        "partitions {} share `{}`{reached}, which carries {} × {} = {} but they send it {} ({}): it limits their scale",
                        names.join(", "),
                        echo(&s.name),
                        s.hosts.len(),
                        s.capacity.map(|c| c.value).unwrap_or_default(),
                        cap,
                        total,
                        parts.join(" + ")
                    ),
                )
            }
            _ => {
                let load = if total.get() > 0.0 {
                    match capacity {
                        Some(cap) => format!(" ({total} of its {cap})"),
                        None => format!(" ({total})"),
                    }
                } else {
                    String::new()
                };
                (
                    RULE.severity,
                    format!(
                        "partitions {} share `{}`{reached}{load}: it couples them, and its capacity limits them all",
                        names.join(", "),
                        echo(&s.name)
                    ),
                )
            }
        };
        let d = Diagnostic::new(RULE.name, severity, s.span, message)
            .with_label("shared layer")
            .with_data("partitions", users[i].len())
            .with_data("load", (total.get() > 0.0).then(|| total.get()))
            .with_data("capacity", capacity.map(|c| c.get()))
            .with_data("unit", "rps");
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}

/// " through `stock-api`" when the partitions reach the service through
/// services of no partition: one path for all, or each partition's own
/// (" (p1 through `a`; p2 through `b` → `c`; p3 directly)"); empty when
/// every partition uses it directly.
fn through_clause(
    p: &crate::model::Project,
    service: usize,
    users: &BTreeSet<usize>,
    via: &BTreeMap<(usize, usize), Vec<ServiceId>>,
) -> String {
    let path = |k: usize| -> String {
        via.get(&(service, k))
            .map(|v| {
                v.iter()
                    .map(|s| format!("`{}`", echo(&p.services[s.index()].name)))
                    .collect::<Vec<_>>()
                    .join(" → ")
            })
            .unwrap_or_default()
    };
    let paths: Vec<(usize, String)> = users.iter().map(|&k| (k, path(k))).collect();
    if paths.iter().all(|(_, v)| v.is_empty()) {
        return String::new();
    }
    if paths.iter().all(|(_, v)| *v == paths[0].1) {
        return format!(" through {}", paths[0].1);
    }
    let mut each: Vec<String> = paths
        .iter()
        .take(8)
        .map(|(k, v)| {
            let name = echo(&p.partitions[*k].name);
            if v.is_empty() {
                format!("{name} directly")
            } else {
                format!("{name} through {v}")
            }
        })
        .collect();
    if paths.len() > 8 {
        each.push(format!("… ({} in all)", paths.len()));
    }
    format!(" ({})", each.join("; "))
}
