//! `port-count`: more links end on a device (or on one of its NICs or
//! HBAs) than it has ports.

use super::link_speed::end_name;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{DeviceId, Endpoint, LinkMedium};
use crate::source::Span;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "port-count",
    severity: Severity::Error,
    summary: "more links end on a device than it has ports",
    doc: r#"## What it checks
The links that end on a device against its ports: its own `ports` plus
its NICs' and HBAs'. A link of `count N` takes N ports at each end. Three
counts, each only where the device declares ports:

- all the links on the device against all its ports;
- where the device has ports of both media (Ethernet and Fibre Channel),
  the links of each medium against the ports of that medium (a link
  without `speed` has no clear medium and counts only in the total);
- the links that end on one NIC or HBA (`web1.nic0`) against that part's
  ports.

A device that declares no ports, NICs or HBAs is not checked. A medium
the device has no port of at all is `link-speed`'s finding, not this one's.

## Why
Every cable takes a port. A drawing with 50 servers on a 48-port leaf
cannot be built: two servers have no uplink, or the leaf is really two.

## Example
```topo
switch leaf1 { ports 48 x 25GbE }
server s[1..50] { nic nic0 { ports 2 x 25GbE } }
link s[1..50] to leaf1 { speed 25GbE }   # 50 links, 48 ports
```

## Fix
Add a switch (and split the links between them), use a device with more
ports, or bundle fewer cables (`count`).
"#,
    check: Some(check),
};

/// Link ends counted on one device.
#[derive(Default)]
struct Ends {
    total: u64,
    ethernet: u64,
    fibre: u64,
    /// By NIC or HBA, for links that end on a part.
    parts: Vec<(u32, u64)>,
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let index = cx.ports();
    let mut ends: Vec<Ends> = (0..p.devices.len()).map(|_| Ends::default()).collect();
    for link in &p.links {
        let n = u64::from(link.count(p).map_or(1, |c| c.value));
        for end in [link.from, link.to] {
            let e = &mut ends[end.device.index()];
            e.total += n;
            match (link.speed(p), link.medium(p)) {
                (None, _) => {}
                (Some(_), LinkMedium::Ethernet) => e.ethernet += n,
                (Some(_), LinkMedium::FibreChannel) => e.fibre += n,
            }
            if let Some(part) = end.part {
                match e.parts.iter_mut().find(|(q, _)| *q == part) {
                    Some((_, c)) => *c += n,
                    None => e.parts.push((part, n)),
                }
            }
        }
    }
    let mut out = Vec::new();
    for (i, device) in p.devices.iter().enumerate() {
        let e = &ends[i];
        if e.total == 0 {
            continue;
        }
        // Most devices have ports to spare: decided from the counts alone.
        let [eth, fc] = index.counts(DeviceId(i as u32));
        if e.parts.is_empty()
            && e.total <= eth + fc
            && (eth == 0 || fc == 0 || (e.ethernet <= eth && e.fibre <= fc))
        {
            continue;
        }
        let ports = || index.device_ports(p, DeviceId(i as u32));
        if ports().next().is_none() {
            continue;
        }
        let sum = |f: &dyn Fn(&super::link_speed::EndPort) -> bool| -> u64 {
            ports()
                .filter(|p| f(p))
                .map(|p| u64::from(p.group.count))
                .sum()
        };
        let mut push = |links: u64, have: u64, what: &str, medium: Option<&str>, spans: &[Span]| {
            let kind = medium.map_or(String::new(), |m| format!("{m} "));
            let message = format!(
                "{links} {kind}{} end on `{}`, which has {have} {kind}{}",
                if links == 1 { "link" } else { "links" },
                echo(what),
                if have == 1 { "port" } else { "ports" },
            );
            let mut d = Diagnostic::new(RULE.name, RULE.severity, device.span, message)
                .with_label(format!("{links} links, {have} ports"));
            let mut seen: Vec<Span> = Vec::new();
            for &s in spans {
                // Groups of one `ports` share its span: name it once.
                if !seen.contains(&s) {
                    seen.push(s);
                    d = d.with_related(s, "the ports");
                }
            }
            let d = d
                .with_data("load", links as f64)
                .with_data("capacity", have as f64)
                .with_data("unit", "ports")
                .with_data("percent", links as f64 / have as f64 * 100.0)
                .with_data("medium", medium.map(str::to_string))
                .with_data("end", what.to_string())
                .with_subject(&device.name);
            out.push(Finding::new(d, device.allows.clone()));
        };
        // A NIC or HBA with more cables than ports: the most specific
        // finding, and the excess it explains is not reported again for
        // the device as a whole.
        let mut explained = 0;
        for &(part, links) in &e.parts {
            let have = sum(&|p| p.part == Some(part));
            if have > 0 && links > have {
                explained += links - have;
                let end = Endpoint {
                    device: DeviceId(i as u32),
                    part: Some(part),
                };
                let s: Vec<Span> = ports()
                    .filter(|q| q.part == Some(part))
                    .map(|q| q.span)
                    .collect();
                push(links, have, &end_name(p, end), None, &s);
            }
        }
        let total = sum(&|_| true);
        if e.total > total + explained {
            let spans: Vec<Span> = ports().map(|p| p.span).collect();
            push(e.total, total, &device.name, None, &spans);
        } else if e.total <= total {
            let eth = sum(&|p| p.medium == LinkMedium::Ethernet);
            let fc = sum(&|p| p.medium == LinkMedium::FibreChannel);
            // Only where the device has both: otherwise the total says it,
            // and a medium it has no port of is link-speed's.
            if eth > 0 && fc > 0 {
                let media = [
                    (e.ethernet, eth, LinkMedium::Ethernet),
                    (e.fibre, fc, LinkMedium::FibreChannel),
                ];
                for (links, have, m) in media {
                    if links > have {
                        let s: Vec<Span> =
                            ports().filter(|p| p.medium == m).map(|p| p.span).collect();
                        push(links, have, &device.name, Some(m.label()), &s);
                    }
                }
            }
        }
    }
    out
}
