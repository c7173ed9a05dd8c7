//! Hover texts: what an element or a part is, with its stored values and
//! computed figures, and what a keyword means, from the schema.

mod device;
mod facility;
mod software;

use super::context::block_kinds;
use super::navigation::WordAt;
use super::{Analysis, Server};
use crate::model::schema::{self, Kind, Place, Property, Shape};
use crate::model::units::format_sig3;
use crate::model::{Element, Project};
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

/// Hover text for an element: its kind and name, then what is stored
/// about it and the figures worked out from it.
fn describe(p: &Project, e: Element) -> String {
    let mut out = format!("**{}** `{}`", p.kind_of(e), p.name_of(e));
    match e {
        Element::Site(s) => facility::site(p, s, &mut out),
        Element::Power(s) => facility::power(p, s, &mut out),
        Element::Feed(f) => facility::feed(p, f, &mut out),
        Element::Rack(r) => facility::rack(p, r, &mut out),
        Element::Model(m) => device::model(p, m, &mut out),
        Element::Device(d) => device::device(p, d, &mut out),
        Element::FaultDomain(f) => facility::fault_domain(p, f, &mut out),
        Element::Vm(v) => software::vm(p, v, &mut out),
        Element::Tier(t) => software::tier(p, t, &mut out),
        Element::Service(s) => software::service(p, s, &mut out),
        Element::Client(c) => software::client(p, c, &mut out),
        Element::Cdn(c) => software::cdn(p, c, &mut out),
        Element::Flow(f) => software::flow(p, f, &mut out),
        Element::Partition(pt) => software::partition(p, pt, &mut out),
    }
    out
}

/// Hover text for a part: its bus, with what it carries and what is behind
/// it, and its own values.
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
        if let Some(parent) = part.parent.and_then(|i| internals.parts.get(i)) {
            paragraph(&mut out, format!("on `{}`", parent.name));
        }
    }
    let values = device::part_values(internals, part);
    if !values.is_empty() {
        paragraph(&mut out, values.join(", "));
    }
    Some(out)
}

/// How many items a list in a hover shows before it says how many more
/// there are: a fault domain or a core switch may have thousands.
const LIST_LIMIT: usize = 12;

/// The items joined by commas; past [`LIST_LIMIT`], how many more.
fn listed(items: impl IntoIterator<Item = String>) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for item in items {
        if shown.len() < LIST_LIMIT {
            shown.push(item);
        } else {
            more += 1;
        }
    }
    let mut out = shown.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// `3 racks`, `1 rack`; nothing for none.
fn counted(n: usize, noun: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {noun}")),
        n => Some(format!("{n} {noun}s")),
    }
}

/// Names as code, joined by commas; empty when there are none.
fn names<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    listed(items.into_iter().map(code))
}

fn code(name: &str) -> String {
    format!("`{name}`")
}

/// The word of the language for a value, as its `ALL` table lists them.
fn word<T: PartialEq>(all: &[(&'static str, T)], value: &T) -> &'static str {
    all.iter().find(|(_, v)| v == value).map_or("?", |(w, _)| w)
}

/// A plain number, three significant digits without trailing zeros; never
/// `inf` or `NaN`.
fn figure(v: f64) -> String {
    let s = format_sig3(v);
    if s.contains('.') && !s.contains('e') && !s.contains(' ') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Appends a paragraph.
fn paragraph(out: &mut String, text: impl AsRef<str>) {
    out.push_str("\n\n");
    out.push_str(text.as_ref());
}

/// Appends `label` and the list, unless the list is empty.
fn labelled(out: &mut String, label: &str, list: String) {
    if !list.is_empty() {
        paragraph(out, format!("{label} {list}"));
    }
}

/// Appends a Markdown list under `heading`; past [`LIST_LIMIT`] items, how
/// many more.
fn bullets(out: &mut String, heading: &str, items: impl IntoIterator<Item = String>) {
    let mut lines = String::new();
    let mut count = 0usize;
    for item in items {
        if count < LIST_LIMIT {
            lines.push_str(&format!("\n- {item}"));
        }
        count += 1;
    }
    if count == 0 {
        return;
    }
    if count > LIST_LIMIT {
        lines.push_str(&format!("\n- and {} more", count - LIST_LIMIT));
    }
    paragraph(out, format!("{heading}:{lines}"));
}
