//! A failure's effects in words: what a candidate is, why it stops a flow,
//! and everything that several failures together take down (`topo impact`).

use std::collections::HashMap;

use super::candidates::{intersection, union};
use super::{Candidate, Failures, Reason, Universe};
use crate::model::{DeviceId, Flow, FlowId, Hop, Host, Project, ServiceId, VmId};
use crate::text::echo;

/// "rack `r1`", "switch `tor1`", "vm `app1`".
pub fn describe(p: &Project, c: Candidate) -> String {
    let e = c.element();
    format!("{} `{}`", p.kind_of(e), echo(p.name_of(e)))
}

/// "web1, web2, web3 and 5 more"
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, most: usize) -> String {
    let names: Vec<String> = names.into_iter().map(echo).collect();
    if names.len() <= most {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..most].join(", "),
        names.len() - most
    )
}

/// Why a flow stops, in words, for the candidate that stops it.
pub fn reason_text(p: &Project, f: &Failures, c: Candidate, reason: &Reason) -> String {
    match reason {
        Reason::Service {
            service,
            of,
            needed,
            ..
        } => {
            let name = echo(&p.services[service.index()].name);
            let left = f.instances[service.index()]
                .iter()
                .filter(|i| !f.instance_fails_with(i, c))
                .count();
            if left == 0 {
                format!("every instance of `{name}` fails with it")
            } else {
                format!("`{name}` keeps {left} of {of} instances but needs {needed}")
            }
        }
        Reason::Dns { entry, dns } => {
            let names: Vec<String> = dns
                .iter()
                .map(|d| format!("`{}`", echo(&p.services[d.index()].name)))
                .collect();
            format!(
                "{} resolving `{}` fails with it",
                names.join(" and "),
                echo(&p.services[entry.index()].name)
            )
        }
        Reason::Path { from, to } => format!(
            "no network path is left from `{}` to `{}`",
            echo(&p.services[from.index()].name),
            echo(&p.services[to.index()].name)
        ),
    }
}

/// Every reason a candidate stops a flow, not only the first one the
/// failure model keeps: the model's reason, then each other hop whose
/// service the candidate takes down and each entry whose `dns` it takes
/// down, in the order of the flow. (A second cut network path is not
/// recovered: the model keeps one reason per flow and candidate.)
pub struct FlowReasons<'a> {
    p: &'a Project,
    f: &'a Failures,
    /// The `dns` services resolving each service.
    resolvers: HashMap<ServiceId, Vec<ServiceId>>,
}

impl<'a> FlowReasons<'a> {
    pub fn new(p: &'a Project, f: &'a Failures) -> FlowReasons<'a> {
        let mut resolvers: HashMap<ServiceId, Vec<ServiceId>> = HashMap::new();
        for (i, s) in p.services.iter().enumerate() {
            for r in &s.resolves {
                if let Hop::Service(target) = r.value {
                    resolvers
                        .entry(target)
                        .or_default()
                        .push(ServiceId(i as u32));
                }
            }
        }
        FlowReasons { p, f, resolvers }
    }

    /// The reasons, first the model's, without repeats.
    pub fn of(&self, flow: &Flow, c: Candidate, first: &Reason) -> Vec<String> {
        let (p, f) = (self.p, self.f);
        let mut out = vec![reason_text(p, f, c, first)];
        let mut push = |text: String| {
            if !out.contains(&text) {
                out.push(text);
            }
        };
        for path in &flow.paths {
            for (step, hop) in path.iter().enumerate() {
                let Hop::Service(s) = hop.value else { continue };
                if f.service_fails_with(s, c) {
                    let reason = Reason::Service {
                        service: s,
                        left: 0,
                        of: f.instances[s.index()].len(),
                        needed: f.needed[s.index()],
                    };
                    push(reason_text(p, f, c, &reason));
                }
                let from_client = step
                    .checked_sub(1)
                    .is_some_and(|i| matches!(path[i].value, Hop::Client(_)));
                let Some(dns) = self.resolvers.get(&s).filter(|_| from_client) else {
                    continue;
                };
                if dns.iter().all(|&d| f.service_fails_with(d, c)) {
                    let reason = Reason::Dns {
                        entry: s,
                        dns: dns.clone(),
                    };
                    push(reason_text(p, f, c, &reason));
                }
            }
        }
        out
    }
}

/// A vm that the failure touches.
pub struct VmRow {
    pub vm: VmId,
    /// The host it restarts on, when it is restarted rather than lost.
    pub restarted_on: Option<DeviceId>,
    pub reason: String,
}

/// A service that loses instances.
pub struct ServiceRow {
    pub service: ServiceId,
    /// The hosts of the instances lost.
    pub lost: Vec<Host>,
    pub instances: usize,
    pub needed: usize,
}

/// Everything that several failures together take down (`topo impact`).
pub struct Impact {
    /// The elements failed together, as named.
    pub elements: Vec<Candidate>,
    /// Devices down, each with why.
    pub devices: Vec<(DeviceId, String)>,
    pub vms: Vec<VmRow>,
    pub services_down: Vec<ServiceRow>,
    pub services_degraded: Vec<ServiceRow>,
    /// Flows that work with everything up and stop, with every reason.
    pub flows: Vec<(FlowId, Vec<String>)>,
}

/// Fails `elements` together (one failure of their group) and lists what
/// goes down: the same failure model as `spof`, asked about the group.
pub fn impact(p: &Project, elements: &[Candidate]) -> Impact {
    let universe = Universe::together(p, elements);
    let Some(c) = universe.group_candidate() else {
        return Impact {
            elements: Vec::new(),
            devices: Vec::new(),
            vms: Vec::new(),
            services_down: Vec::new(),
            services_degraded: Vec::new(),
            flows: Vec::new(),
        };
    };
    let f = Failures::compute(p, &universe);
    let named = |x: Candidate| universe.group.binary_search(&x).is_ok();
    let devices = (0..p.devices.len())
        .map(|i| DeviceId(i as u32))
        .filter(|&d| f.device_fails_with(d, c))
        .map(|d| (d, device_reason(p, d, &named)))
        .collect();
    let vms = (0..p.vms.len())
        .map(|i| VmId(i as u32))
        .filter_map(|v| vm_row(p, &f, v, c, &named))
        .collect();
    let mut services_down = Vec::new();
    let mut services_degraded = Vec::new();
    for (i, instances) in f.instances.iter().enumerate() {
        let s = ServiceId(i as u32);
        let lost: Vec<Host> = instances
            .iter()
            .filter(|x| f.instance_fails_with(x, c))
            .map(|x| x.host)
            .collect();
        let down = f.service_fails_with(s, c);
        if lost.is_empty() && !down {
            continue;
        }
        let row = ServiceRow {
            service: s,
            lost,
            instances: instances.len(),
            needed: f.needed[i],
        };
        if down {
            services_down.push(row);
        } else {
            services_degraded.push(row);
        }
    }
    let reasons = FlowReasons::new(p, &f);
    let flows = (0..p.flows.len())
        .map(|i| FlowId(i as u32))
        .filter_map(|flow| {
            let (_, first) = f.flow_stoppers(flow).find(|(k, _)| *k == c)?;
            let mut why = reasons.of(&p.flows[flow.index()], c, first);
            // A site its DR site recovers stops the flow only until the
            // take-over (`dr-failover`).
            if let (Candidate::Site(site), true) = (c, f.dr_recovers(c, flow)) {
                why.extend(f.take_over(site).map(|t| dr_until(p, t)));
            }
            Some((flow, why))
        })
        .collect();
    let mut named_order: Vec<Candidate> = Vec::new();
    for &e in elements {
        if !named_order.contains(&e) {
            named_order.push(e);
        }
    }
    Impact {
        elements: named_order,
        devices,
        vms,
        services_down,
        services_degraded,
        flows,
    }
}

/// "until DR site `osaka` takes over: RTO 30 min, RPO 5 min (...)"
fn dr_until(p: &Project, t: &super::dr::TakeOver) -> String {
    let sites: Vec<String> = t
        .dr_sites
        .iter()
        .map(|d| format!("`{}`", echo(&p.sites[d.index()].name)))
        .collect();
    format!(
        "until DR site {} takes over: {}",
        sites.join(" and "),
        crate::analyze::dr_failover::figures(p, &t.replications)
    )
}

/// Why a device is down: named, with its rack or site, or out of power.
fn device_reason(p: &Project, d: DeviceId, named: &impl Fn(Candidate) -> bool) -> String {
    let device = &p.devices[d.index()];
    if named(Candidate::Device(d)) {
        return "named to fail".into();
    }
    let rack = device.placement.map(|pl| pl.rack);
    if let Some(r) = rack.filter(|&r| named(Candidate::Rack(r))) {
        return format!("its rack `{}` fails", echo(&p.racks[r.index()].name));
    }
    if let Some(s) = device.site.filter(|&s| named(Candidate::Site(s))) {
        return format!("its site `{}` fails", echo(&p.sites[s.index()].name));
    }
    let Some(r) = rack else {
        return "it fails with the named elements".into();
    };
    let feeds: Vec<String> = p.racks[r.index()]
        .feeds
        .iter()
        .filter(|f| named(Candidate::Feed(f.value)))
        .map(|f| format!("`{}`", echo(&p.feeds[f.value.index()].name)))
        .collect();
    match feeds.len() {
        0 => "it loses power".into(),
        1 => format!("it loses power: feed {} fails", feeds[0]),
        _ => format!("it loses power: feeds {} fail", feeds.join(", ")),
    }
}

/// A vm that is lost, or restarted on its failover host.
fn vm_row(
    p: &Project,
    f: &Failures,
    v: VmId,
    c: Candidate,
    named: &impl Fn(Candidate) -> bool,
) -> Option<VmRow> {
    let (host, failover) = f.vm_hosts[v.index()];
    let host_down = host.is_some_and(|h| f.device_fails_with(h, c));
    let name = |d: DeviceId| echo(&p.devices[d.index()].name);
    if f.vm_fails_with(v, c) {
        let reason = if named(Candidate::Vm(v)) {
            "named to fail".to_string()
        } else {
            match (host.filter(|_| host_down), failover) {
                (Some(h), Some(o)) => format!(
                    "its host `{}` fails and so does its failover host `{}`",
                    name(h),
                    name(o)
                ),
                (Some(h), None) => {
                    format!("its host `{}` fails and it has no failover host", name(h))
                }
                (None, _) => "it fails with the named elements".into(),
            }
        };
        return Some(VmRow {
            vm: v,
            restarted_on: None,
            reason,
        });
    }
    let (Some(h), Some(o), true) = (host, failover, host_down) else {
        return None;
    };
    Some(VmRow {
        vm: v,
        restarted_on: Some(o),
        reason: format!(
            "its host `{}` fails: it restarts on `{}` (an outage while it restarts)",
            name(h),
            name(o)
        ),
    })
}

/// The candidates whose failure alone causes an outage of every instance
/// of a service (`ha-same-domain`): like [`Failures::common`], but a vm
/// counts as down with its host even where its failover host would
/// restart it, since a restart is an outage for an HA pair.
pub fn outage_common(p: &Project, f: &Failures, service: ServiceId) -> Vec<Candidate> {
    let outage = |i: &super::Instance| -> Vec<u32> {
        match p.host_device(i.host) {
            Some(h) if matches!(i.host, Host::Vm(_)) => union(&i.kill, &f.device_kill[h.index()]),
            _ => i.kill.clone(),
        }
    };
    let mut members = f.instances[service.index()].iter();
    let Some(first) = members.next() else {
        return Vec::new();
    };
    members
        .fold(outage(first), |acc, i| intersection(&acc, &outage(i)))
        .into_iter()
        .map(|c| f.numbering.candidate(c))
        .collect()
}
