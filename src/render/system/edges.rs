//! What connects the boxes: flows (with their labels), calls no flow
//! covers, and replications.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::model::units::FlowRate;
use crate::model::{Content, Element, Hop, Project, ServiceId};

fn hop_element(h: Hop) -> Element {
    match h {
        Hop::Client(c) => Element::Client(c),
        Hop::Service(s) => Element::Service(s),
        Hop::Cdn(c) => Element::Cdn(c),
    }
}

/// "checkout · dynamic · 800 rps"
fn flow_label(p: &Project, f: usize) -> String {
    let flow = &p.flows[f];
    let mut label = flow.name.clone();
    if let Some(c) = flow.content {
        label.push_str(match c.value {
            Content::Static => " · static",
            Content::Dynamic => " · dynamic",
            Content::Results => " · results",
            Content::Raw => " · raw",
        });
    }
    if let Some(r) = flow.rate {
        match r.value {
            FlowRate::Bandwidth(b) => {
                let _ = write!(label, " · {}", b.bits_text());
            }
            FlowRate::Requests(q) => {
                let _ = write!(label, " · {q}");
            }
        }
    }
    label
}

/// Edges: (from, to) -> labels, for flows; plus calls and replications.
pub(super) struct Edges {
    pub(super) flows: BTreeMap<(Element, Element), Vec<String>>,
    pub(super) calls: BTreeSet<(Element, Element)>,
    pub(super) replications: Vec<(Element, Element, String)>,
}

pub(super) fn edges(p: &Project) -> Edges {
    let mut flows: BTreeMap<(Element, Element), Vec<String>> = BTreeMap::new();
    for (i, f) in p.flows.iter().enumerate() {
        for path in &f.paths {
            for pair in path.windows(2) {
                let key = (hop_element(pair[0].value), hop_element(pair[1].value));
                let labels = flows.entry(key).or_default();
                let label = flow_label(p, i);
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
    }
    let mut calls = BTreeSet::new();
    for (i, s) in p.services.iter().enumerate() {
        for c in &s.calls {
            let key = (
                Element::Service(ServiceId(i as u32)),
                Element::Service(c.value),
            );
            if !flows.contains_key(&key) {
                calls.insert(key);
            }
        }
    }
    let replications = p
        .replications
        .iter()
        .map(|r| {
            let mut label = match r.mode.map(|m| m.value) {
                Some(crate::model::ReplicationMode::Sync) => "sync".to_string(),
                Some(crate::model::ReplicationMode::Async) => "async".to_string(),
                None => "replica".to_string(),
            };
            if let Some(rpo) = r.rpo {
                let _ = write!(label, " · rpo {}", rpo.value);
            }
            (
                Element::Service(r.from.value),
                Element::Service(r.to.value),
                label,
            )
        })
        .collect();
    Edges {
        flows,
        calls,
        replications,
    }
}
