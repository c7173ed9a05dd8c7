//! `single-feed`: a rack with one feed hosts part of a flow, or a device
//! with one PSU sits in a rack with two feeds.

use super::failure::name_list;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{DeviceId, Hop};
use crate::text::echo;
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    name: "single-feed",
    severity: Severity::Warning,
    summary:
        "a rack with one feed hosts part of a flow, or a one-PSU device sits in a two-feed rack",
    doc: r#"## What it checks
Racks with exactly one feed that host an instance (or the storage) of a
service some flow uses; and devices with `psu 1` in a rack with two or
more feeds, which fail with the rack's first feed.

## Why
Power feeds are fault domains, like hosts and racks: a breaker trip or a
PDU failure takes down everything on the feed. A second feed only protects
devices that can draw from it.

## Example
```topo
rack r1 { feeds a }                                  # one feed
server db1 { rack r2 at U1; size 1U; psu 1 }         # r2 has feeds a b
```

## Fix
Give the rack a second feed, and each device a second power supply.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    // Devices that host something a flow needs, and the services they host.
    let mut in_flows = vec![false; p.services.len()];
    for f in &p.flows {
        for path in &f.paths {
            for h in path {
                if let Hop::Service(s) = h.value {
                    in_flows[s.index()] = true;
                }
            }
        }
    }
    let mut hosted: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); p.devices.len()];
    for (i, s) in p.services.iter().enumerate().filter(|(i, _)| in_flows[*i]) {
        let devices = s
            .hosts
            .iter()
            .filter_map(|h| p.host_device(h.value))
            .chain(s.storage.map(|d| d.value));
        for d in devices {
            hosted[d.index()].insert(i);
        }
    }
    for r in &p.racks {
        if r.feeds.len() != 1 {
            continue;
        }
        let busy: Vec<DeviceId> = r
            .devices
            .iter()
            .copied()
            .filter(|d| !hosted[d.index()].is_empty())
            .collect();
        if busy.is_empty() {
            continue;
        }
        let services: BTreeSet<usize> = busy
            .iter()
            .flat_map(|d| hosted[d.index()].iter().copied())
            .collect();
        let message = format!(
            "rack `{}` has one feed (`{}`) and hosts {} of {}, which flows need",
            echo(&r.name),
            p.feeds[r.feeds[0].value.index()].name,
            name_list(busy.iter().map(|d| p.devices[d.index()].name.as_str()), 4),
            name_list(services.iter().map(|s| p.services[*s].name.as_str()), 4)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, r.feeds[0].span, message)
            .with_label("the only feed");
        out.push(Finding::new(d.with_subject(&r.name), r.allows.clone()));
    }
    for d in &p.devices {
        let (Some(psu), Some(pl)) = (d.props.psu, d.placement) else {
            continue;
        };
        let rack = &p.racks[pl.rack.index()];
        if psu.value != 1 || rack.feeds.len() < 2 {
            continue;
        }
        let message = format!(
            "`{}` has one power supply in rack `{}`, which has {} feeds: it fails with feed `{}` alone",
            echo(&d.name),
            echo(&rack.name),
            rack.feeds.len(),
            p.feeds[rack.feeds[0].value.index()].name
        );
        let diagnostic =
            Diagnostic::new(RULE.name, RULE.severity, psu.span, message).with_label("one PSU");
        out.push(Finding::new(
            diagnostic.with_subject(&d.name),
            d.allows.clone(),
        ));
    }
    out
}
