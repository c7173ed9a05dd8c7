//! `link-speed`: a link is faster than the ports at one of its ends, or of
//! the wrong medium for them. Also the ports of a link end, which
//! `port-count` counts.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{BytesPerSecond, ETHERNET_SPEEDS_GBPS, FIBRE_CHANNEL_SPEEDS};
use crate::model::{
    Device, DeviceId, Endpoint, Internals, LinkMedium, PartKind, PortGroup, Project,
};
use crate::source::Span;
use crate::text::echo;
use rustc_hash::FxHashMap;
use std::sync::Arc;

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
pub struct EndPort {
    pub group: PortGroup,
    pub medium: LinkMedium,
    pub span: Span,
    /// The NIC or HBA it belongs to; None for the device's own ports.
    pub part: Option<u32>,
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

/// The port groups of every device, for the rules that read them at
/// every link end: the NICs' and HBAs' groups once per distinct
/// `Internals` (a data centre's servers share their model's), the
/// device's own `ports` read where asked.
pub struct PortIndex {
    /// Per device: its internals' entry in `parts`.
    slot: Vec<u32>,
    /// Per distinct internals: its NICs' and HBAs' port groups.
    parts: Vec<Vec<EndPort>>,
    /// Per device: the fastest port of each medium (Ethernet, Fibre
    /// Channel) among all its ports, `-inf` for none. Compact, so the
    /// check of a quarter of a million link ends need not read the devices.
    fastest: Vec<[f64; 2]>,
    /// Per device: how many ports of each medium it has in all.
    counts: Vec<[u64; 2]>,
}

impl PortIndex {
    pub fn new(p: &Project) -> PortIndex {
        let mut seen: FxHashMap<*const Internals, u32> = FxHashMap::default();
        let mut parts = Vec::new();
        let slot = p
            .devices
            .iter()
            .map(|d| {
                *seen.entry(Arc::as_ptr(&d.internals)).or_insert_with(|| {
                    parts.push(part_ports(&d.internals));
                    (parts.len() - 1) as u32
                })
            })
            .collect();
        let mut index = PortIndex {
            slot,
            parts,
            fastest: Vec::new(),
            counts: Vec::new(),
        };
        let (fastest, counts) = (0..p.devices.len())
            .map(|i| {
                let mut best = [f64::NEG_INFINITY; 2];
                let mut count = [0u64; 2];
                for e in index.device_ports(p, DeviceId(i as u32)) {
                    let m = medium_slot(e.medium);
                    if e.group.speed.get().total_cmp(&best[m]).is_gt() {
                        best[m] = e.group.speed.get();
                    }
                    count[m] += u64::from(e.group.count);
                }
                (best, count)
            })
            .unzip();
        index.fastest = fastest;
        index.counts = counts;
        index
    }

    /// How many Ethernet and Fibre Channel ports a device has in all.
    pub(super) fn counts(&self, device: DeviceId) -> [u64; 2] {
        self.counts[device.index()]
    }

    /// Whether a link of `speed` fits the ports of a device as a whole
    /// (an end on no part): it has a port of the medium at least that fast.
    /// False says nothing: the full check decides.
    fn fits(&self, device: DeviceId, medium: LinkMedium, speed: f64) -> bool {
        let fastest = self.fastest[device.index()][medium_slot(medium)];
        fastest > f64::NEG_INFINITY && speed <= fastest * (1.0 + 1e-9)
    }

    /// Every port group of a device: its own, then its NICs' and HBAs'.
    pub(super) fn device_ports<'a>(
        &'a self,
        p: &'a Project,
        device: DeviceId,
    ) -> impl Iterator<Item = EndPort> + 'a {
        let own = p.devices[device.index()]
            .props
            .ports
            .iter()
            .flat_map(|ports| {
                ports.value.groups().map(move |group| EndPort {
                    group,
                    medium: medium_of(group.speed),
                    span: ports.span,
                    part: None,
                })
            });
        own.chain(
            self.parts[self.slot[device.index()] as usize]
                .iter()
                .copied(),
        )
    }

    /// The ports a link end can plug into: the part's when it ends on a
    /// NIC or HBA with ports, else every port of the device.
    fn end_ports<'a>(
        &'a self,
        p: &'a Project,
        end: Endpoint,
    ) -> impl Iterator<Item = EndPort> + 'a {
        let part = end.part.filter(|&part| {
            self.device_ports(p, end.device)
                .any(|e| e.part == Some(part))
        });
        self.device_ports(p, end.device)
            .filter(move |e| part.is_none() || e.part == part)
    }
}

fn medium_slot(medium: LinkMedium) -> usize {
    match medium {
        LinkMedium::Ethernet => 0,
        LinkMedium::FibreChannel => 1,
    }
}

/// The port groups of the NICs and HBAs of one set of internals.
fn part_ports(internals: &Internals) -> Vec<EndPort> {
    let mut out = Vec::new();
    for (i, part) in internals.parts.iter().enumerate() {
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
                    part: Some(i as u32),
                });
            }
        }
    }
    out
}

/// `web1` or `web1.nic0`.
pub(super) fn end_name(p: &Project, end: Endpoint) -> String {
    let device = &p.devices[end.device.index()];
    match end.part {
        Some(i) => format!(
            "{}.{}",
            device.name, device.internals.parts[i as usize].name
        ),
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
    let ports = cx.ports();
    let mut out = Vec::new();
    for link in &p.links {
        let Some(speed) = link.speed(p) else { continue };
        // Named only for a finding: most links are fine, and a data
        // centre has a quarter of a million of them.
        let label = || {
            format!(
                "link {} — {}",
                echo(&end_name(p, link.from)),
                echo(&end_name(p, link.to))
            )
        };
        for end in [link.from_at(p), link.to_at(p)] {
            if end.value.part.is_none()
                && ports.fits(end.value.device, link.medium(p), speed.value.get())
            {
                continue;
            }
            let device = &p.devices[end.value.device.index()];
            let Some(first) = ports.end_ports(p, end.value).next() else {
                continue;
            };
            let name = || end_name(p, end.value);
            let count = link.count(p).map_or(1, |c| c.value);
            let Some(fastest) = ports
                .end_ports(p, end.value)
                .filter(|e| e.medium == link.medium(p))
                .max_by(|a, b| a.group.speed.get().total_cmp(&b.group.speed.get()))
            else {
                let other = first.medium;
                let written = named_speed(speed.value, link.medium(p))
                    .unwrap_or_else(|| speed.value.bits_text());
                let message = format!(
                    "{} is {written} but `{}`'s ports are {} only",
                    label(),
                    echo(&name()),
                    other.label()
                );
                let d = Diagnostic::new(RULE.name, RULE.severity, end.span, message)
                    .with_label(format!("a {} link", link.medium(p).label()))
                    .with_related(first.span, format!("{} ports", other.label()))
                    .with_data("load", speed.value.get())
                    .with_data("capacity", serde_json::Value::Null)
                    .with_data("unit", "B/s")
                    .with_data("count", count as f64)
                    .with_data("medium", link.medium(p).label())
                    .with_data("port-medium", other.label())
                    .with_subject(&device.name);
                out.push(Finding::new(d, allows(p, link, device)));
                continue;
            };
            let port = fastest.group.speed;
            if speed.value.get() <= port.get() * (1.0 + 1e-9) {
                continue;
            }
            // Both in the names people cable by, or both in b/s.
            let (written, limit) = match (
                named_speed(speed.value, link.medium(p)),
                named_speed(port, link.medium(p)),
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
                .with_data("medium", link.medium(p).label())
                .with_subject(&device.name);
            out.push(Finding::new(d, allows(p, link, device)));
        }
    }
    out
}

/// An `allow` on the link statement or on the device silences it.
fn allows(p: &Project, link: &crate::model::Link, device: &Device) -> Vec<crate::model::AllowId> {
    let mut a = link.allows(p).to_vec();
    a.extend(device.allows.iter().copied());
    a
}
