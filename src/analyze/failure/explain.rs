//! A failure's effects in words: what a candidate is, why it stops a flow,
//! and everything it takes down (`topo impact`).

use super::{Candidate, Failures, Reason, Universe};
use crate::model::{DeviceId, FlowId, Project, ServiceId, VmId};
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
            let name = &p.services[service.index()].name;
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

/// Everything that one failure takes down (`topo impact`).
pub struct Impact {
    pub candidate: Candidate,
    pub devices: Vec<DeviceId>,
    pub vms: Vec<VmId>,
    /// (service, instances lost, instances, instances needed)
    pub services_down: Vec<(ServiceId, usize, usize, usize)>,
    pub services_degraded: Vec<(ServiceId, usize, usize, usize)>,
    pub flows: Vec<(FlowId, String)>,
}

pub fn impact(p: &Project, c: Candidate) -> Impact {
    let f = Failures::compute(p, &Universe::with(p, c));
    let devices = (0..p.devices.len())
        .map(|i| DeviceId(i as u32))
        .filter(|&d| f.device_fails_with(d, c))
        .collect();
    let vms = (0..p.vms.len())
        .map(|i| VmId(i as u32))
        .filter(|&v| f.vm_fails_with(v, c))
        .collect();
    let mut services_down = Vec::new();
    let mut services_degraded = Vec::new();
    for (i, instances) in f.instances.iter().enumerate() {
        let s = ServiceId(i as u32);
        let lost = instances
            .iter()
            .filter(|x| f.instance_fails_with(x, c))
            .count();
        let row = (s, lost, instances.len(), f.needed[i]);
        if f.service_fails_with(s, c) {
            services_down.push(row);
        } else if lost > 0 {
            services_degraded.push(row);
        }
    }
    let flows = (0..p.flows.len())
        .map(|i| FlowId(i as u32))
        .filter_map(|flow| {
            let (_, reason) = f.flow_stoppers(flow).find(|(k, _)| *k == c)?;
            Some((flow, reason_text(p, &f, c, reason)))
        })
        .collect();
    Impact {
        candidate: c,
        devices,
        vms,
        services_down,
        services_degraded,
        flows,
    }
}
