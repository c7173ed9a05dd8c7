//! Hover texts for device models and devices: their values, their parts
//! and, for a device, its cables and what runs on it.

use super::facility::fault_domains_of;
use super::{bullets, code, counted, figure, labelled, listed, names, paragraph, word};
use crate::model::graph::Edge;
use crate::model::{
    Airflow, CacheMode, Depth, DeviceId, DeviceProps, Element, Face, Internals, LinkId, Medium,
    Member, ModelId, Part, PartKind, PortGroup, Project, Protection,
};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

pub(super) fn model(p: &Project, m: ModelId, out: &mut String) {
    let model = &p.models[m.index()];
    if let Some(size) = model.props.size {
        out.push_str(&format!("\n\n{}U", size.value));
    }
    if let Some(draw) = model.props.draw {
        out.push_str(&format!(", draws {}", draw.value));
    }
    out.push_str(&format!(", {} parts", model.internals.parts.len()));
    if let Some(parent) = model.parent {
        paragraph(
            out,
            format!("based on `{}`", p.models[parent.value.index()].name),
        );
    }
    props(&model.props, out);
    parts(&model.internals, out);
    let built = p
        .devices
        .iter()
        .filter(|d| d.model.is_some_and(|x| x.value == m))
        .count();
    if let Some(built) = counted(built, "device") {
        paragraph(out, format!("{built} built from it"));
    }
}

pub(super) fn device(p: &Project, d: DeviceId, out: &mut String) {
    let dev = &p.devices[d.index()];
    if let Some(m) = dev.model {
        out.push_str(&format!(" : model `{}`", p.models[m.value.index()].name));
    }
    if let Some(pl) = dev.placement {
        let rack = &p.racks[pl.rack.index()].name;
        let face = word(&Face::ALL, &pl.face);
        match dev.occupied() {
            Some(range) => out.push_str(&format!(
                "\n\nrack `{rack}`, U{}-U{}, {face}",
                range.start(),
                range.end()
            )),
            None => paragraph(out, format!("rack `{rack}`, 0U at its side")),
        }
    } else if let Some(s) = dev.site {
        paragraph(out, format!("site `{}`", p.sites[s.index()].name));
    }
    if let Some(w) = p.device_watts(d) {
        out.push_str(&format!("\n\ndraws {w}"));
    }
    if let Some(m) = dev.internals.memory() {
        out.push_str(&format!(", memory {m}"));
    }
    props(&dev.props, out);
    if let Some(sides) = crate::analyze::oversubscription::summary(p, d) {
        paragraph(out, sides);
    }
    labelled(
        out,
        "feeds",
        names(
            dev.feeds
                .iter()
                .map(|f| p.feeds[f.value.index()].name.as_str()),
        ),
    );
    parts(&dev.internals, out);
    links(p, d, out);
    let node = dev.node;
    let mut runs: Vec<Element> = p
        .graph
        .edges_directed(node, Direction::Incoming)
        .filter(|e| matches!(e.weight(), Edge::RunsOn))
        .map(|e| p.graph[e.source()])
        .collect();
    runs.sort();
    runs.dedup();
    labelled(
        out,
        "runs",
        listed(
            runs.iter()
                .map(|&e| format!("{} `{}`", p.kind_of(e), p.name_of(e))),
        ),
    );
    labelled(
        out,
        "failover host of",
        listed(
            p.graph
                .edges_directed(node, Direction::Incoming)
                .filter(|e| matches!(e.weight(), Edge::FailsOverTo))
                .map(|e| p.graph[e.source()])
                .map(|e| format!("{} `{}`", p.kind_of(e), p.name_of(e))),
        ),
    );
    fault_domains_of(p, Member::Device(d), out);
}

/// The values a model gives its devices and a device may override.
fn props(props: &DeviceProps, out: &mut String) {
    let mut values = Vec::new();
    if let Some(w) = props.weight {
        values.push(format!("weight {}", w.value));
    }
    if let Some(n) = props.psu {
        values.push(format!("psu {}", n.value));
    }
    if let Some(n) = props.fans {
        values.push(format!("fans {}", n.value));
    }
    if let Some(airflow) = props.airflow {
        values.push(format!("airflow {}", Airflow::name(airflow.value)));
    }
    if props.redundant.is_some() {
        values.push("redundant".into());
    }
    if let Some(pf) = props.power_factor() {
        values.push(format!("power-factor {}", figure(pf.value)));
    }
    if let Some(depth) = props.depth() {
        values.push(format!("depth {}", word(&Depth::ALL, &depth.value)));
    }
    if let Some(ram) = props.ram() {
        values.push(format!("ram {}", ram.value));
    }
    if let Some(ratio) = props.oversubscription() {
        values.push(format!("oversubscription {}:1", figure(ratio.value)));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
    if let Some(ports) = props.ports {
        paragraph(out, format!("ports {}", ports.value.label()));
    }
}

/// Each part with its values and the bus it hangs off.
fn parts(internals: &Internals, out: &mut String) {
    bullets(
        out,
        "parts",
        internals.parts.iter().map(|part| {
            let mut values = part_values(internals, part);
            if let Some(bus) = &part.bus {
                let parent = part
                    .parent
                    .and_then(|i| internals.parts.get(i))
                    .map(|x| format!(" to `{}`", x.name))
                    .unwrap_or_default();
                values.push(format!("bus {}{parent}", bus.spec.label));
            }
            let head = format!("{} `{}`", part.kind.keyword(), part.name);
            if values.is_empty() {
                head
            } else {
                format!("{head}: {}", values.join(", "))
            }
        }),
    );
}

/// What a part states, as the language writes it (its bus aside).
pub(super) fn part_values(internals: &Internals, part: &Part) -> Vec<String> {
    let mut values = Vec::new();
    match &part.kind {
        PartKind::Cpu(cpu) => {
            if let Some(cores) = cpu.cores {
                values.push(format!("cores {}", cores.value));
            }
            if let Some(m) = &cpu.memory {
                let mut text = format!("memory {}", m.preset.name);
                if let Some(total) = m.total() {
                    text.push_str(&format!(" {total}"));
                }
                values.push(text);
            }
            if let Some(size) = cpu.memory_size {
                values.push(format!("memory {}", size.value));
            }
            if let Some(link) = &cpu.socket_link {
                let to = internals.parts.get(link.to).map_or("?", |x| &x.name);
                values.push(format!("bus {} to `{to}`", link.spec.label));
            }
        }
        PartKind::Nic { ports } | PartKind::Hba { ports } => {
            if let Some(ports) = ports {
                values.push(format!("ports {}", ports.value.label()));
            }
        }
        PartKind::Disk(disk) => {
            if let Some(medium) = disk.medium {
                values.push(
                    match medium.value {
                        Medium::Hdd => "hdd",
                        Medium::Ssd => "ssd",
                        Medium::Nvme => "nvme",
                    }
                    .into(),
                );
            }
            if let Some(t) = disk.throughput {
                values.push(format!("throughput {}", t.value));
            }
            if let Some(iops) = disk.iops {
                values.push(format!("iops {}", iops.value));
            }
        }
        PartKind::Controller(c) => {
            if let Some(cache) = c.cache {
                let (size, mode) = cache.value;
                values.push(format!("cache {size} {}", word(&CacheMode::ALL, &mode)));
            }
            if let Some(protection) = c.protection {
                values.push(format!(
                    "protection {}",
                    word(&Protection::ALL, &protection.value)
                ));
            }
        }
        PartKind::Card { throughput } => {
            if let Some(t) = throughput {
                values.push(format!("throughput {}", t.value));
            }
        }
        PartKind::Chipset | PartKind::Bridge => {}
    }
    values
}

/// The device's cables, each with its speed, count and length: `to` the
/// ends on the right of a `link` where the device is on the left
/// (upstream), `from` those where it is on the right.
fn links(p: &Project, d: DeviceId, out: &mut String) {
    let node = p.devices[d.index()].node;
    let mut ids: Vec<LinkId> = [Direction::Outgoing, Direction::Incoming]
        .into_iter()
        .flat_map(|dir| p.graph.edges_directed(node, dir))
        .filter_map(|e| match e.weight() {
            Edge::Link(id) => Some(*id),
            _ => None,
        })
        .collect();
    ids.sort();
    ids.dedup();
    bullets(
        out,
        "links",
        ids.iter()
            .filter_map(|id| p.links.get(id.index()))
            .map(|l| {
                let (here, there, direction) = if l.from.device == d {
                    (l.from, l.to, "to")
                } else {
                    (l.to, l.from, "from")
                };
                let here = here
                    .part
                    .and_then(|i| p.devices[d.index()].internals.parts.get(i as usize))
                    .map(|part| format!("`{}` ", part.name))
                    .unwrap_or_default();
                let other = &p.devices[there.device.index()];
                let there = match there
                    .part
                    .and_then(|i| other.internals.parts.get(i as usize))
                {
                    Some(part) => format!("`{}.{}`", other.name, part.name),
                    None => code(&other.name),
                };
                let speed = l.speed(p).map(|s| {
                    PortGroup {
                        count: 1,
                        speed: s.value,
                    }
                    .speed_label()
                });
                let mut what = match (speed, l.count(p)) {
                    (Some(speed), Some(n)) => format!("{} × {speed}", n.value),
                    (Some(speed), None) => speed,
                    (None, Some(n)) => format!("{} cables, no speed", n.value),
                    (None, None) => "no speed".into(),
                };
                if let Some(distance) = l.distance(p) {
                    what.push_str(&format!(", {}", distance.value));
                }
                format!("{here}{direction} {there}: {what}")
            }),
    );
}
