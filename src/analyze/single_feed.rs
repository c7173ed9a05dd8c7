//! `single-feed`: a rack with one feed hosts part of a flow, or a device
//! connects to only one feed of a rack with two or more.

use super::failure::name_list;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::connected_feeds;
use crate::model::{DeviceId, FeedId, Hop};
use crate::text::echo;
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    name: "single-feed",
    severity: Severity::Warning,
    summary:
        "a rack with one feed hosts part of a flow, or a device connects to one feed of a rack with several",
    doc: r#"## What it checks
Racks with exactly one feed that host an instance (or the storage) of a
service some flow uses; and devices in a rack with two or more feeds that
connect to only one of them, and so fail with that feed alone. A device
connects to the feeds it names with `feeds`, else to the first N of its
rack's feeds with `psu N` (`psu 1`: the first feed only), else to all of
them: `psu 2` in a rack of three feeds connects to two and is not
reported.

## Why
Power feeds are fault domains, like hosts and racks: a breaker trip or a
PDU failure takes down everything on the feed. A second feed only protects
devices that can draw from it.

## Example
```topo
rack r1 { feeds a }                                  # one feed
server db1 { rack r2 at U1; size 1U; psu 1 }         # r2 has feeds a b
server db2 { rack r2 at U2; size 1U; feeds b }       # b alone
```

## Fix
Give the rack a second feed, and each device a second power supply
cabled to a second feed (`feeds a b`).
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
        let Some(pl) = d.placement else { continue };
        let rack = &p.racks[pl.rack.index()];
        if rack.feeds.len() < 2 {
            continue;
        }
        // The feeds its power supplies connect to (the failure model's
        // rule): named, else the first N with `psu N`, else all of them.
        let connected: BTreeSet<FeedId> = connected_feeds(p, d).iter().map(|f| f.value).collect();
        let [feed] = connected.into_iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        let feed_name = echo(&p.feeds[feed.index()].name);
        let one_psu = d.props.psu.filter(|n| n.value == 1);
        let (span, how, label) = match (d.feeds.first(), one_psu) {
            // It names its feed: point there, whatever its PSU count.
            (Some(named), _) => (
                named.span,
                match one_psu {
                    Some(_) => format!("has one power supply, on feed `{feed_name}`,"),
                    None => format!("connects only to feed `{feed_name}`"),
                },
                "its only feed",
            ),
            (None, Some(psu)) => (psu.span, "has one power supply".to_string(), "one PSU"),
            // Not reached: with no `feeds` and no `psu 1`, a device in a
            // rack of two feeds or more connects to two of them.
            (None, None) => continue,
        };
        let message = format!(
            "`{}` {how} in rack `{}`, which has {} feeds: it fails with feed `{feed_name}` alone",
            echo(&d.name),
            echo(&rack.name),
            rack.feeds.len(),
        );
        let diagnostic = Diagnostic::new(RULE.name, RULE.severity, span, message).with_label(label);
        out.push(Finding::new(
            diagnostic.with_subject(&d.name),
            d.allows.clone(),
        ));
    }
    out
}
