//! `topo impact`: what several failures together take down, as a tree or
//! as JSON. Both carry the same: every device, vm, service and flow, each
//! with why.

use crate::analyze::failure::{describe, name_list, trip_text, CapacityLeft, Impact, ServiceRow};
use crate::analyze::power::Supply;
use crate::model::units::RequestsPerSecond;
use crate::model::{Host, Project};
use crate::text::echo;
use serde::Serialize;

#[derive(Serialize)]
struct Json<'a> {
    /// The elements failed together.
    elements: Vec<ElementRow<'a>>,
    devices_down: Vec<DeviceRow<'a>>,
    vms_lost: Vec<VmRow<'a>>,
    vms_restarted: Vec<VmRow<'a>>,
    services_down: Vec<ServiceJson<'a>>,
    services_degraded: Vec<ServiceJson<'a>>,
    flows_stopped: Vec<FlowRow<'a>>,
    /// Feeds and sources the moved load overloads, in trip order; always
    /// present, so tools read one shape.
    tripped: Vec<TripRow<'a>>,
}

#[derive(Serialize)]
struct TripRow<'a> {
    element: &'a str,
    /// "feed" or "power".
    kind: &'a str,
    /// In `unit` (VA).
    load: f64,
    capacity: f64,
    unit: &'static str,
    /// To the tenth of a percent.
    percent: f64,
    /// The named elements, then the trips of earlier rounds.
    after: Vec<&'a str>,
    round: usize,
}

#[derive(Serialize)]
struct ElementRow<'a> {
    element: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct DeviceRow<'a> {
    device: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct VmRow<'a> {
    vm: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    restarted_on: Option<&'a str>,
    reason: &'a str,
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    service: &'a str,
    instances_lost: usize,
    instances: usize,
    needed: usize,
    /// The hosts of the instances down.
    lost: Vec<&'a str>,
    instances_cut_off: usize,
    /// The hosts of instances that stay up but that no caller reaches.
    cut_off: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// Where the service has a load and a `capacity`: what still serves
    /// against the load (the worst shard of a sharded service).
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<CapacityJson>,
}

#[derive(Serialize)]
struct CapacityJson {
    /// Counting from 1, as messages do; absent for a service not sharded.
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<usize>,
    /// In `unit` (rps): the load (the shard's share of it).
    load: f64,
    /// `capacity` × the instances that still serve.
    capacity: f64,
    unit: &'static str,
    /// Instances that still serve (one for active-standby), of `of`.
    serving: usize,
    of: usize,
    overloaded: bool,
}

#[derive(Serialize)]
struct FlowRow<'a> {
    flow: &'a str,
    /// The first reason, then all of them.
    reason: &'a str,
    reasons: &'a [String],
}

fn host_name(p: &Project, h: Host) -> &str {
    match h {
        Host::Device(d) => &p.devices[d.index()].name,
        Host::Vm(v) => &p.vms[v.index()].name,
    }
}

fn service_json<'a>(p: &'a Project, list: &'a [ServiceRow]) -> Vec<ServiceJson<'a>> {
    list.iter()
        .map(|r| ServiceJson {
            service: &p.services[r.service.index()].name,
            instances_lost: r.lost.len(),
            instances: r.instances,
            needed: r.needed,
            lost: r.lost.iter().map(|&h| host_name(p, h)).collect(),
            instances_cut_off: r.cut_off.len(),
            cut_off: r.cut_off.iter().map(|&h| host_name(p, h)).collect(),
            note: r.note.as_deref(),
            capacity: r.capacity.as_ref().map(|c| CapacityJson {
                shard: c.shard.map(|k| k + 1),
                load: c.load,
                capacity: c.capacity,
                unit: "rps",
                serving: c.left,
                of: c.of,
                overloaded: c.overloaded(),
            }),
        })
        .collect()
}

fn vm_json<'a>(p: &'a Project, r: &'a crate::analyze::failure::VmRow) -> VmRow<'a> {
    VmRow {
        vm: &p.vms[r.vm.index()].name,
        restarted_on: r.restarted_on.map(|d| p.devices[d.index()].name.as_str()),
        reason: &r.reason,
    }
}

pub fn json(p: &Project, i: &Impact) -> String {
    let out = Json {
        elements: i
            .elements
            .iter()
            .map(|c| ElementRow {
                element: p.name_of(c.element()),
                kind: p.kind_of(c.element()),
            })
            .collect(),
        devices_down: i
            .devices
            .iter()
            .map(|(d, why)| DeviceRow {
                device: &p.devices[d.index()].name,
                reason: why,
            })
            .collect(),
        vms_lost: i
            .vms
            .iter()
            .filter(|r| r.restarted_on.is_none())
            .map(|r| vm_json(p, r))
            .collect(),
        vms_restarted: i
            .vms
            .iter()
            .filter(|r| r.restarted_on.is_some())
            .map(|r| vm_json(p, r))
            .collect(),
        services_down: service_json(p, &i.services_down),
        services_degraded: service_json(p, &i.services_degraded),
        flows_stopped: i
            .flows
            .iter()
            .map(|(f, why)| FlowRow {
                flow: &p.flows[f.index()].name,
                reason: why.first().map_or("", String::as_str),
                reasons: why,
            })
            .collect(),
        tripped: i
            .tripped
            .iter()
            .map(|t| TripRow {
                element: t.supply.name(p),
                kind: match t.supply {
                    Supply::Feed(_) => "feed",
                    Supply::Source(_) => "power",
                },
                load: t.load.get(),
                capacity: t.capacity.va.get(),
                unit: "VA",
                percent: (t.percent * 10.0).round() / 10.0,
                after: t.after.iter().map(|c| p.name_of(c.element())).collect(),
                round: t.round,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("plain data always serializes");
    text.push('\n');
    text
}

/// Names listed on one line of the tree before "and N more".
const NAMES: usize = 12;

/// Rows grouped by their reason, in order of first appearance:
/// "its rack `r1` fails: web1, db1, db2".
fn grouped<'a>(rows: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, reason) in rows {
        match groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, names)) => names.push(name),
            None => groups.push((reason, vec![name])),
        }
    }
    groups
        .into_iter()
        .map(|(reason, names)| format!("{}: {reason}", name_list(names, NAMES)))
        .collect()
}

/// "; overloaded: 3 of 4 instances left: 3000 rps of 5000 rps load", only
/// where what is left cannot carry the load (the JSON has the figures for
/// every service with a load and a capacity).
fn capacity_text(c: &CapacityLeft) -> String {
    if !c.overloaded() {
        return String::new();
    }
    let shard = c
        .shard
        .map_or(String::new(), |k| format!("shard {}: ", k + 1));
    format!(
        "; overloaded: {shard}{} of {} instances left: {} of {} load",
        c.left,
        c.of,
        RequestsPerSecond::new(c.capacity),
        RequestsPerSecond::new(c.load)
    )
}

pub fn human(p: &Project, i: &Impact) -> String {
    let named: Vec<String> = i.elements.iter().map(|&c| describe(p, c)).collect();
    let mut out = match named.len() {
        1 => format!("{} fails:\n", named[0]),
        _ => format!("{} fail together:\n", named.join(", ")),
    };
    let devices = grouped(
        i.devices
            .iter()
            .map(|(d, why)| (p.devices[d.index()].name.as_str(), why.as_str())),
    );
    let vms = |restarted: bool| {
        grouped(
            i.vms
                .iter()
                .filter(|r| r.restarted_on.is_some() == restarted)
                .map(|r| (p.vms[r.vm.index()].name.as_str(), r.reason.as_str())),
        )
    };
    let service = |r: &ServiceRow| {
        let names = |hosts: &[Host]| name_list(hosts.iter().map(|&h| host_name(p, h)), NAMES);
        let mut what = if r.lost.is_empty() && !r.cut_off.is_empty() {
            String::new()
        } else if r.lost.is_empty() {
            format!("0 of {} instances lost", r.instances)
        } else {
            format!(
                "{} of {} instances lost ({})",
                r.lost.len(),
                r.instances,
                names(&r.lost)
            )
        };
        if !r.cut_off.is_empty() {
            if !what.is_empty() {
                what += ", ";
            }
            what += &format!(
                "{} of {} instances up but cut off ({})",
                r.cut_off.len(),
                r.instances,
                names(&r.cut_off)
            );
        }
        let note = r.note.as_ref().map_or(String::new(), |n| format!("; {n}"));
        format!(
            "{}: {what}, {} left, needs {}{note}{}",
            echo(&p.services[r.service.index()].name),
            r.instances - r.lost.len() - r.cut_off.len(),
            r.needed,
            r.capacity.as_ref().map_or(String::new(), capacity_text)
        )
    };
    let count_vms = |restarted: bool| {
        i.vms
            .iter()
            .filter(|r| r.restarted_on.is_some() == restarted)
            .count()
    };
    let mut sections: Vec<(String, Vec<String>)> = vec![
        (format!("devices down ({})", i.devices.len()), devices),
        (format!("vms lost ({})", count_vms(false)), vms(false)),
        (format!("vms restarted ({})", count_vms(true)), vms(true)),
        (
            format!("services down ({})", i.services_down.len()),
            i.services_down.iter().map(service).collect(),
        ),
        (
            format!("services degraded ({})", i.services_degraded.len()),
            i.services_degraded.iter().map(service).collect(),
        ),
        (
            format!("flows stopped ({})", i.flows.len()),
            i.flows
                .iter()
                .map(|(f, why)| format!("{}: {}", echo(&p.flows[f.index()].name), why.join("; ")))
                .collect(),
        ),
    ];
    // First, as the cause of what follows; absent without a cascade.
    if !i.tripped.is_empty() {
        sections.insert(
            0,
            (
                format!("overloaded and tripped ({})", i.tripped.len()),
                i.tripped.iter().map(|t| trip_text(p, t)).collect(),
            ),
        );
    }
    let last = sections.len() - 1;
    for (n, (head, children)) in sections.iter().enumerate() {
        let (branch, indent) = if n == last {
            ("└─", "   ")
        } else {
            ("├─", "│  ")
        };
        out.push_str(&format!("{branch} {head}\n"));
        for (k, child) in children.iter().enumerate() {
            let twig = if k + 1 == children.len() {
                "└─"
            } else {
                "├─"
            };
            out.push_str(&format!("{indent}{twig} {child}\n"));
        }
    }
    out
}
