//! Hover texts: what an element or a part is, with its computed figures,
//! and what a keyword means, from the schema.

use super::context::block_kinds;
use super::navigation::WordAt;
use super::{Analysis, Server};
use crate::model::schema::{self, Kind, Place, Property, Shape};
use crate::model::{DeviceId, Element, Host, PartKind, Project, RackId, ServiceId};
use lsp_types as lsp;

impl Server {
    pub(super) fn hover(&self, params: serde_json::Value) -> Option<lsp::Hover> {
        let p: lsp::HoverParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position_params;
        let (a, file) = self.find(&doc.text_document.uri)?;
        let word = self.word_at(a, file, doc.position)?;
        let text = if word.is_keyword {
            describe_keyword(&word)?
        } else {
            match a.project.element(&word.name) {
                Some(e) => describe(&a.project, e),
                None => describe_part(a, &word.name, &word.context)?,
            }
        };
        let source = a.loaded.sources.get(word.span.file);
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: text,
            }),
            range: Some(self.range(source, word.span)),
        })
    }
}

/// Hover text for the keyword a statement starts with: the kind of
/// statement it declares at top level, else the property of the enclosing
/// block it sets.
fn describe_keyword(word: &WordAt) -> Option<String> {
    let enclosing = block_kinds(word.enclosing_keywords())?;
    match enclosing.last() {
        None => schema::top_level(&word.name).map(describe_kind),
        Some(kind) => kind
            .property(&word.name)
            .map(|p| describe_property(kind, p)),
    }
}

/// A kind of statement: what it is, how it is written, an example.
pub(super) fn describe_kind(kind: &Kind) -> String {
    let what = match kind.place {
        Place::TopLevel
            if schema::DEVICE_KINDS
                .iter()
                .any(|d| d.keyword == kind.keyword) =>
        {
            "device"
        }
        Place::TopLevel => "statement",
        Place::Part => "part",
        Place::Nested => "block",
    };
    format!(
        "**{what}** `{}`\n\n`{}`\n\n{}",
        kind.keyword,
        kind.header(),
        kind_documentation(kind)
    )
}

/// A property: how it is written, what it means, its default and an example.
pub(super) fn describe_property(kind: &Kind, property: &Property) -> String {
    format!(
        "**property** `{}` of `{}`\n\n`{}`\n\n{}",
        property.name,
        kind.keyword,
        property_syntax(property),
        property_documentation(property)
    )
}

/// How a property is written: `height RACK UNITS`, `feeds FEED...`.
pub(super) fn property_syntax(property: &Property) -> String {
    match property.shape {
        // A request path has no keyword: its syntax is the whole statement.
        Shape::Form { syntax } if property.name == "->" => syntax.to_string(),
        Shape::Flag => property.name.to_string(),
        shape => format!("{} {}", property.name, shape.syntax()),
    }
}

/// The summary and the example of a kind, as Markdown.
pub(super) fn kind_documentation(kind: &Kind) -> String {
    format!("{}\n\nExample: `{}`", kind.summary, kind.example)
}

/// The summary, the default and the example of a property, as Markdown.
pub(super) fn property_documentation(property: &Property) -> String {
    let mut out = property.summary.to_string();
    if let Some(default) = property.default {
        out.push_str(&format!("\n\nDefault: {default}."));
    }
    out.push_str(&format!("\n\nExample: `{}`", property.example));
    out
}

/// Hover text for an element, with its computed figures.
fn describe(p: &Project, e: Element) -> String {
    let kind = p.kind_of(e);
    let name = p.name_of(e);
    let mut out = format!("**{kind}** `{name}`");
    match e {
        Element::Rack(r) => rack_figures(p, r, &mut out),
        Element::Device(d) => device_figures(p, d, &mut out),
        Element::Service(s) => service_figures(p, s, &mut out),
        Element::Model(m) => {
            let model = &p.models[m.index()];
            if let Some(size) = model.props.size {
                out.push_str(&format!("\n\n{}U", size.value));
            }
            if let Some(draw) = model.props.draw {
                out.push_str(&format!(", draws {}", draw.value));
            }
            out.push_str(&format!(", {} parts", model.internals.parts.len()));
        }
        _ => {}
    }
    out
}

fn rack_figures(p: &Project, r: RackId, out: &mut String) {
    let rack = &p.racks[r.index()];
    let used: crate::model::units::Watts =
        rack.devices.iter().filter_map(|&d| p.device_watts(d)).sum();
    out.push_str(&format!(
        "\n\n{}U, {} devices",
        rack.height.value,
        rack.devices.len()
    ));
    match p.rack_budget(r).and_then(|b| b.circuit.watts()) {
        Some(limit) => {
            let amps = p
                .rack_voltage(r)
                .map(|v| format!(" ({})", used.to_amps(v)))
                .unwrap_or_default();
            out.push_str(&format!(
                "\n\npower: {used}{amps} of {limit}, {:.0} %",
                used / limit * 100.0
            ));
        }
        None => out.push_str(&format!("\n\npower: {used}, no budget")),
    }
    let weight: crate::model::units::Kilograms = rack
        .devices
        .iter()
        .filter_map(|&d| p.devices[d.index()].props.weight.map(|w| w.value))
        .sum::<crate::model::units::Kilograms>()
        + rack
            .weight
            .map_or(crate::model::units::Kilograms::new(0.0), |w| w.value);
    match rack.max_weight {
        Some(max) => out.push_str(&format!("\n\nweight: {weight} of {}", max.value)),
        None => out.push_str(&format!("\n\nweight: {weight}")),
    }
}

fn device_figures(p: &Project, d: DeviceId, out: &mut String) {
    let dev = &p.devices[d.index()];
    if let Some(m) = dev.model {
        out.push_str(&format!(" : model `{}`", p.models[m.value.index()].name));
    }
    if let (Some(pl), Some(range)) = (dev.placement, dev.occupied()) {
        out.push_str(&format!(
            "\n\nrack `{}`, U{}-U{}",
            p.racks[pl.rack.index()].name,
            range.start(),
            range.end()
        ));
    }
    if let Some(w) = p.device_watts(d) {
        out.push_str(&format!("\n\ndraws {w}"));
    }
    if let Some(m) = dev.internals.memory() {
        out.push_str(&format!(", memory {m}"));
    }
}

fn service_figures(p: &Project, s: ServiceId, out: &mut String) {
    let svc = &p.services[s.index()];
    let hosts: Vec<&str> = svc.hosts.iter().map(|h| p.host_name(h.value)).collect();
    out.push_str(&format!(
        "\n\n{} instances on {}",
        hosts.len(),
        hosts.join(", ")
    ));
    if let Some(t) = svc.tier {
        out.push_str(&format!("\n\ntier `{}`", p.tiers[t.value.index()].name));
    }
    if let (Some(load), Some(cap)) = (svc.load, svc.capacity) {
        out.push_str(&format!(
            "\n\nload {} over {} × {}",
            load.value,
            hosts.len(),
            cap.value
        ));
    }
    let vms = svc
        .hosts
        .iter()
        .filter(|h| matches!(h.value, Host::Vm(_)))
        .count();
    if vms > 0 {
        out.push_str(&format!(" ({vms} on vms)"));
    }
}

/// Hover text for a part: its bus, with what it carries and what is behind it.
fn describe_part(a: &Analysis, name: &str, context: &[String]) -> Option<String> {
    let p = &a.project;
    let owner = context
        .iter()
        .rev()
        .find_map(|c| c.split_once(':').map(|(_, n)| n.to_string()))?;
    let internals = match p.element(&owner)? {
        Element::Model(m) => &p.models[m.index()].internals,
        Element::Device(d) => &p.devices[d.index()].internals,
        _ => return None,
    };
    let i = internals.part(name)?;
    let part = &internals.parts[i];
    let mut out = format!("**{}** `{name}` in `{owner}`", part.kind.keyword());
    let demand = crate::analyze::bus_bottleneck::demand(internals);
    if let Some(bus) = &part.bus {
        let want = demand.total[i];
        let cap = bus.spec.bandwidth;
        let verdict = if want.get() > cap.get() * (1.0 + 1e-9) {
            " — a bottleneck"
        } else {
            ""
        };
        out.push_str(&format!(
            "\n\nbus {}: carries {cap}, behind it {want}{verdict}",
            bus.spec.label
        ));
    }
    if let PartKind::Cpu(cpu) = &part.kind {
        if let Some(m) = &cpu.memory {
            if let Some(total) = m.total() {
                out.push_str(&format!("\n\nmemory {} {total}", m.preset.name));
            }
        }
    }
    Some(out)
}
