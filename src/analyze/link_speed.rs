//! `link-speed`: a link is faster than the ports at one of its ends, or of
//! the wrong medium for them. Also the ports of a link end, which
//! `port-count` counts.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{BytesPerSecond, ETHERNET_SPEEDS_GBPS, FIBRE_CHANNEL_SPEEDS};
use crate::model::{Device, Endpoint, LinkMedium, PartKind, PortGroup, Project};
use crate::source::Span;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "link-speed",
    severity: Severity::Error,
    summary: "a link is faster than the ports at one of its ends, or of the wrong medium for them (GFC on Ethernet ports)",
    doc: r#"## What it checks
Each link with a `speed` against the ports at each of its ends: the
device's own `ports` and the ports of its NICs and HBAs, or only the
part's when the link ends on one (`web1.nic0`). The link may not be faster
than the fastest port of its medium there, and the end must have a port of
its medium at all: a `GFC` link needs Fibre Channel ports (an HBA's, or
device ports at a `GFC` speed), a `GbE` link Ethernet ones.

`count N` is N parallel cables, each at the link's speed, each in a port of
its own: the comparison is per cable, the link's speed against the port's
(2 × 25GbE into 25GbE ports is right; `port-count` counts the ports). A
device that declares no ports, NICs or HBAs is not checked.

Device `ports` given as a bandwidth read as Fibre Channel when the figure is
a Fibre Channel speed (`25.6Gb/s` is 32GFC), Ethernet otherwise.

## Why
A port runs at most at its own rate: a 100GbE cable into a 25GbE port
either does not link up or negotiates down, and the capacity the drawing
promises is not there. A Fibre Channel cable cannot plug into an Ethernet
port at all.

## Example
```topo
switch tor1 { ports 48 x 25GbE }
server web1 { nic nic0 { ports 2 x 100GbE } }
link web1 to tor1 { speed 100GbE }   # tor1's ports are at most 25GbE
```

## Fix
Cable at the speed of the slower end, or give that end faster ports
(uplink ports on a switch are often a group of their own:
`ports 48 x 25GbE 6 x 100GbE`).
"#,
    check: Some(check),
};

/// A group of ports at a link end, with its medium and where it is declared.
#[derive(Clone, Copy)]
pub(super) struct EndPort {
    pub group: PortGroup,
    pub medium: LinkMedium,
    pub span: Span,
    /// The NIC or HBA it belongs to; None for the device's own ports.
    pub part: Option<usize>,
}

/// The medium of a device's own port group: by its speed, since a device's
/// `ports` may mix both.
fn medium_of(speed: BytesPerSecond) -> LinkMedium {
    let gfc = speed.get() / 1e8;
    if FIBRE_CHANNEL_SPEEDS.iter().any(|&s| (s - gfc).abs() < 1e-9) {
        LinkMedium::FibreChannel
    } else {
        LinkMedium::Ethernet
    }
}

/// Every port group of a device: its own, then its NICs' and HBAs'.
pub(super) fn device_ports(device: &Device) -> Vec<EndPort> {
    let mut out = Vec::new();
    if let Some(ports) = &device.props.ports {
        for group in ports.value.groups() {
            out.push(EndPort {
                group,
                medium: medium_of(group.speed),
                span: ports.span,
                part: None,
            });
        }
    }
    for (i, part) in device.internals.parts.iter().enumerate() {
        let (ports, medium) = match &part.kind {
            PartKind::Nic { ports } => (ports, LinkMedium::Ethernet),
            PartKind::Hba { ports } => (ports, LinkMedium::FibreChannel),
            _ => continue,
        };
        if let Some(ports) = ports {
            for group in ports.value.groups() {
                out.push(EndPort {
                    group,
                    medium,
                    span: ports.span,
                    part: Some(i),
                });
            }
        }
    }
    out
}

/// The ports a link end can plug into, out of its device's `all`: the
/// part's when it ends on a NIC or HBA with ports, else every port of the
/// device.
fn end_ports(all: &[EndPort], end: Endpoint) -> Vec<&EndPort> {
    match end.part {
        Some(part) if all.iter().any(|e| e.part == Some(part)) => {
            all.iter().filter(|e| e.part == Some(part)).collect()
        }
        _ => all.iter().collect(),
    }
}

/// `web1` or `web1.nic0`.
pub(super) fn end_name(p: &Project, end: Endpoint) -> String {
    let device = &p.devices[end.device.index()];
    match end.part {
        Some(i) => format!("{}.{}", device.name, device.internals.parts[i].name),
        None => device.name.clone(),
    }
}

/// `100GbE`, `32GFC`; None for a speed that is neither.
fn named_speed(speed: BytesPerSecond, medium: LinkMedium) -> Option<String> {
    match medium {
        LinkMedium::Ethernet => {
            let gbps = speed.bits_per_second() / 1e9;
            ETHERNET_SPEEDS_GBPS
                .iter()
                .any(|&s| (s - gbps).abs() < 1e-9)
                .then(|| format!("{gbps}GbE"))
        }
        LinkMedium::FibreChannel => {
            let gfc = speed.get() / 1e8;
            FIBRE_CHANNEL_SPEEDS
                .iter()
                .any(|&s| (s - gfc).abs() < 1e-9)
                .then(|| format!("{gfc}GFC"))
        }
    }
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    // Once per device, not per link end: a leaf ends hundreds of links.
    let ports_of: Vec<Vec<EndPort>> = p.devices.iter().map(device_ports).collect();
    let mut out = Vec::new();
    for link in &p.links {
        let Some(speed) = link.speed else { continue };
        // Named only for a finding: most links are fine, and a data
        // centre has a quarter of a million of them.
        let label = || {
            format!(
                "link {} — {}",
                echo(&end_name(p, link.from.value)),
                echo(&end_name(p, link.to.value))
            )
        };
        for end in [link.from, link.to] {
            let ports = end_ports(&ports_of[end.value.device.index()], end.value);
            if ports.is_empty() {
                continue;
            }
            let name = || end_name(p, end.value);
            let device = &p.devices[end.value.device.index()];
            let same: Vec<&EndPort> = ports
                .iter()
                .copied()
                .filter(|e| e.medium == link.medium)
                .collect();
            let count = link.count().map_or(1, |c| c.value);
            let Some(fastest) = same
                .iter()
                .copied()
                .max_by(|a, b| a.group.speed.get().total_cmp(&b.group.speed.get()))
            else {
                let other = ports[0].medium;
                let written = named_speed(speed.value, link.medium)
                    .unwrap_or_else(|| speed.value.bits_text());
                let message = format!(
                    "{} is {written} but `{}`'s ports are {} only",
                    label(),
                    echo(&name()),
                    other.label()
                );
                let d = Diagnostic::new(RULE.name, RULE.severity, end.span, message)
                    .with_label(format!("a {} link", link.medium.label()))
                    .with_related(ports[0].span, format!("{} ports", other.label()))
                    .with_data("load", speed.value.get())
                    .with_data("capacity", serde_json::Value::Null)
                    .with_data("unit", "B/s")
                    .with_data("count", count as f64)
                    .with_data("medium", link.medium.label())
                    .with_data("port-medium", other.label())
                    .with_subject(&device.name);
                out.push(Finding::new(d, allows(link, device)));
                continue;
            };
            let port = fastest.group.speed;
            if speed.value.get() <= port.get() * (1.0 + 1e-9) {
                continue;
            }
            // Both in the names people cable by, or both in b/s.
            let (written, limit) = match (
                named_speed(speed.value, link.medium),
                named_speed(port, link.medium),
            ) {
                (Some(a), Some(b)) => (a, b),
                _ => (speed.value.bits_text(), port.bits_text()),
            };
            let message = format!(
                "{} is {written} but `{}`'s ports are at most {limit}",
                label(),
                echo(&name())
            );
            let d = Diagnostic::new(RULE.name, RULE.severity, end.span, message)
                .with_label(format!("{written} into {limit} ports"))
                .with_related(fastest.span, "the ports")
                .with_data("load", speed.value.get())
                .with_data("capacity", port.get())
                .with_data("unit", "B/s")
                .with_data("percent", speed.value.get() / port.get() * 100.0)
                .with_data("count", count as f64)
                .with_data("medium", link.medium.label())
                .with_subject(&device.name);
            out.push(Finding::new(d, allows(link, device)));
        }
    }
    out
}

/// An `allow` on the link statement or on the device silences it.
fn allows(link: &crate::model::Link, device: &Device) -> Vec<crate::model::AllowId> {
    let mut a = link.allows.clone();
    a.extend(device.allows.iter().copied());
    a
}
