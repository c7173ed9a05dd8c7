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
outside every partition and called (or reached by a flow hop) from
services of more than one. It is information; it becomes a warning when
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
    // Partitions that use each service: as members, or by calling it from outside.
    let mut users: Vec<BTreeSet<usize>> = member.clone();
    let mut callers: Vec<BTreeSet<ServiceId>> = vec![BTreeSet::new(); p.services.len()];
    for (from, to, _) in edges(p) {
        if member[to.index()].is_empty() && !member[from.index()].is_empty() {
            let from_partitions = member[from.index()].clone();
            users[to.index()].extend(from_partitions);
            callers[to.index()].insert(from);
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
                        "partitions {} share `{}`, which carries {} × {} = {} but they send it {} ({}): it limits their scale",
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
                        "partitions {} share `{}`{load}: it couples them, and its capacity limits them all",
                        names.join(", "),
                        echo(&s.name)
                    ),
                )
            }
        };
        let d = Diagnostic::new(RULE.name, severity, s.span, message).with_label("shared layer");
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}
