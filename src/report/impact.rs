//! `topo impact`: what one failure takes down, as a tree or as JSON.

use crate::analyze::failure::{describe, Impact};
use crate::model::Project;
use serde::Serialize;

#[derive(Serialize)]
struct Json<'a> {
    element: &'a str,
    kind: &'a str,
    fails: Fails<'a>,
    services_down: Vec<ServiceRow<'a>>,
    services_degraded: Vec<ServiceRow<'a>>,
    flows_stopped: Vec<FlowRow<'a>>,
}

#[derive(Serialize)]
struct Fails<'a> {
    devices: Vec<&'a str>,
    vms: Vec<&'a str>,
}

#[derive(Serialize)]
struct ServiceRow<'a> {
    service: &'a str,
    instances_lost: usize,
    instances: usize,
    needed: usize,
}

#[derive(Serialize)]
struct FlowRow<'a> {
    flow: &'a str,
    reason: &'a str,
}

fn rows<'a>(
    p: &'a Project,
    list: &[(crate::model::ServiceId, usize, usize, usize)],
) -> Vec<ServiceRow<'a>> {
    list.iter()
        .map(|&(s, lost, of, needed)| ServiceRow {
            service: &p.services[s.index()].name,
            instances_lost: lost,
            instances: of,
            needed,
        })
        .collect()
}

pub fn json(p: &Project, i: &Impact) -> String {
    let e = i.candidate.element();
    let out = Json {
        element: p.name_of(e),
        kind: p.kind_of(e),
        fails: Fails {
            devices: i
                .devices
                .iter()
                .map(|d| p.devices[d.index()].name.as_str())
                .collect(),
            vms: i
                .vms
                .iter()
                .map(|v| p.vms[v.index()].name.as_str())
                .collect(),
        },
        services_down: rows(p, &i.services_down),
        services_degraded: rows(p, &i.services_degraded),
        flows_stopped: i
            .flows
            .iter()
            .map(|(f, why)| FlowRow {
                flow: &p.flows[f.index()].name,
                reason: why,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("plain data always serializes");
    text.push('\n');
    text
}

pub fn human(p: &Project, i: &Impact) -> String {
    let mut out = format!("{} fails:\n", describe(p, i.candidate));
    let devices: Vec<&str> = i
        .devices
        .iter()
        .map(|d| p.devices[d.index()].name.as_str())
        .collect();
    let vms: Vec<&str> = i
        .vms
        .iter()
        .map(|v| p.vms[v.index()].name.as_str())
        .collect();
    let line = |label: &str, items: &[&str]| -> String {
        if items.is_empty() {
            format!("{label} (0)")
        } else {
            format!("{label} ({}): {}", items.len(), items.join(", "))
        }
    };
    let service = |&(s, lost, of, needed): &(crate::model::ServiceId, usize, usize, usize)| {
        format!(
            "{}: {lost} of {of} instances lost, {} left, needs {needed}",
            p.services[s.index()].name,
            of - lost
        )
    };
    let sections: Vec<(String, Vec<String>)> = vec![
        (line("devices", &devices), Vec::new()),
        (line("vms", &vms), Vec::new()),
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
                .map(|(f, why)| format!("{}: {why}", p.flows[f.index()].name))
                .collect(),
        ),
    ];
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
