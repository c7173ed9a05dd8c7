//! Completion from the schema: at the start of a statement the keywords
//! valid there, and after a keyword the values its arguments take, with
//! names of the analysed project where they are references.

use super::context::{self, block_kinds, declares, first_name, Cursor};
use super::form::{next_places, Place};
use super::hover::{kind_documentation, property_documentation, property_syntax};
use super::position::{offset, uri_to_path};
use super::{Analysis, Server};
use crate::model::load::normalize;
use crate::model::presets;
use crate::model::schema::{self, Kind, Property, Shape, Target};
use crate::model::{Element, Project};
use crate::source::SourceFile;
use lsp_types as lsp;

impl Server {
    pub(super) fn completion(&self, params: serde_json::Value) -> Option<lsp::CompletionResponse> {
        let p: lsp::CompletionParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position;
        let path = normalize(&uri_to_path(&doc.text_document.uri)?);
        let text = self.open.get(&path)?;
        let file = SourceFile::new(path, String::new(), text.as_str());
        let at = offset(&file, doc.position, self.encoding) as usize;
        let cursor = context::scan(&text[..at]);
        let analysis = self.find(&doc.text_document.uri).map(|(a, _)| a);
        let mut items = Items::default();
        if !cursor.quiet {
            complete(&cursor, analysis, &mut items);
        }
        Some(lsp::CompletionResponse::Array(items.list))
    }
}

/// What may be written in one argument place.
enum Slot<'a> {
    /// Names of the project's elements of a kind.
    Names(Target),
    /// The parts of the model or device the cursor is in.
    Parts,
    Words {
        what: &'a str,
        words: Vec<&'a str>,
    },
    /// A connective written as it stands: `to`, `at`, `by`.
    Literal(&'a str),
    BusPresets,
    MemoryPresets,
    Rules,
}

/// The completion items, each label once, in the order added.
#[derive(Default)]
struct Items {
    list: Vec<lsp::CompletionItem>,
}

impl Items {
    fn add(
        &mut self,
        label: &str,
        kind: lsp::CompletionItemKind,
        detail: Option<String>,
        documentation: Option<String>,
    ) {
        if self.list.iter().any(|i| i.label == label) {
            return;
        }
        self.list.push(lsp::CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            documentation: documentation.map(|text| {
                lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: text,
                })
            }),
            // Clients sort by this: keep the schema's order, most used first.
            sort_text: Some(format!("{:04}", self.list.len())),
            ..Default::default()
        });
    }
}

fn complete(cursor: &Cursor, analysis: Option<&Analysis>, items: &mut Items) {
    let Some(kinds) = block_kinds(cursor.blocks.iter().map(|h| h.first().map_or("", |k| k))) else {
        return;
    };
    let statement = &cursor.statement;
    let scope = Scope {
        analysis,
        owner: owner(cursor, &kinds),
        // `vm v2 on …` does not run on itself, and inside `service s2 { … }`
        // s2 does not call itself: the declaration being written is no
        // candidate, in its header or in its block.
        declaring: {
            let header = if kinds.is_empty() {
                Some(statement)
            } else {
                cursor.blocks.first()
            };
            header.and_then(|h| {
                h.first()
                    .and_then(|k| schema::top_level(k))
                    .filter(|kind| after_keyword(kind).starts_with("NAME"))
                    .and_then(|_| h.get(1).cloned())
            })
        },
    };
    let Some(keyword) = statement.first() else {
        match kinds.last() {
            None => statement_keywords(items),
            Some(kind) => property_keywords(kind, &scope, items),
        }
        return;
    };
    let slots = match kinds.last() {
        None => header_slots(keyword, &statement[1..]),
        Some(kind) => property_slots(kind, statement),
    };
    for slot in slots {
        scope.add(&slot, items);
    }
}

/// The keywords that start a top-level statement.
fn statement_keywords(items: &mut Items) {
    for kind in schema::statement_keywords().filter_map(schema::top_level) {
        items.add(
            kind.keyword,
            lsp::CompletionItemKind::KEYWORD,
            Some(kind.header()),
            Some(kind_documentation(kind)),
        );
    }
}

/// The properties of the enclosing block; in a flow, also the hops a
/// request path starts with.
fn property_keywords(kind: &Kind, scope: &Scope, items: &mut Items) {
    for property in kind.properties.iter().filter(|p| p.name != "->") {
        items.add(
            property.name,
            lsp::CompletionItemKind::PROPERTY,
            Some(property_syntax(property)),
            Some(property_documentation(property)),
        );
    }
    if kind.property("->").is_some() {
        scope.add(&Slot::Names(Target::Hop), items);
    }
}

/// What may follow in a top-level statement's header: the model after `:`,
/// else what its written form (`service NAME on HOST...`) has next.
fn header_slots(keyword: &str, written: &[String]) -> Vec<Slot<'static>> {
    if written.last().is_some_and(|w| w == ":") {
        return vec![Slot::Names(Target::Model)];
    }
    let Some(kind) = schema::top_level(keyword) else {
        return Vec::new();
    };
    next_places(after_keyword(kind), written)
        .into_iter()
        // `model NAME [: PARENT]` takes a model after its `:`, handled above.
        .filter_map(|place| place_slot(place, "", true))
        .collect()
}

/// What may follow in a statement inside a block of `kind`: the values of
/// the property it sets, or the next hop of a request path.
fn property_slots(kind: &'static Kind, statement: &[String]) -> Vec<Slot<'static>> {
    let keyword = statement[0].as_str();
    let written = &statement[1..];
    if statement.iter().any(|w| w == "->") {
        return match kind.property("->") {
            Some(path) => form_slots(path, statement),
            None => Vec::new(),
        };
    }
    let Some(property) = kind.property(keyword) else {
        return Vec::new();
    };
    match property.shape {
        Shape::Choice { what, words } if written.is_empty() => vec![Slot::Words {
            what,
            words: words.to_vec(),
        }],
        Shape::Ref(target) if written.is_empty() => vec![Slot::Names(target)],
        Shape::Refs(target) => vec![Slot::Names(target)],
        Shape::Form { .. } => form_slots(property, written),
        Shape::Block(_) => match schema::block_kind(Some(kind.keyword), keyword) {
            Some(block) => next_places(after_keyword(block), written)
                .into_iter()
                .filter_map(|place| place_slot(place, property.name, false))
                .collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A kind's header after its keyword: `NAME on HOST... { … }`.
fn after_keyword(kind: &'static Kind) -> &'static str {
    kind.form.split_once(' ').map_or("", |(_, rest)| rest)
}

fn form_slots(property: &'static Property, written: &[String]) -> Vec<Slot<'static>> {
    let Shape::Form { syntax } = property.shape else {
        return Vec::new();
    };
    next_places(syntax, written)
        .into_iter()
        .filter_map(|place| place_slot(place, property.name, false))
        .collect()
}

/// What fills a place of a syntax line. Placeholders that name elements
/// complete with their names; quantities, numbers and new names (`NAME`)
/// with nothing.
fn place_slot<'s>(place: Place<'s>, property: &str, in_header: bool) -> Option<Slot<'s>> {
    if let Some(words) = place.choices() {
        return Some(Slot::Words {
            what: "",
            words: words.collect(),
        });
    }
    if place.is_literal() {
        // Punctuation (`:`, `->`) is typed, not chosen.
        return place
            .text
            .chars()
            .all(|c| c.is_ascii_alphabetic())
            .then_some(Slot::Literal(place.text));
    }
    Some(match place.text {
        // A model's parent is a model; a bus's is a part.
        "PARENT" if in_header => Slot::Names(Target::Model),
        "PARENT" => Slot::Parts,
        "PRESET" if property == "memory" => Slot::MemoryPresets,
        "PRESET" => Slot::BusPresets,
        text => match TARGETS.into_iter().find(|t| t.placeholder() == text)? {
            Target::Rule => Slot::Rules,
            Target::Part => Slot::Parts,
            target => Slot::Names(target),
        },
    })
}

/// Every kind of reference, to read a placeholder (`HOST`, `SERVICE`) as
/// the target it names.
const TARGETS: [Target; 14] = [
    Target::Site,
    Target::Feed,
    Target::Power,
    Target::Rack,
    Target::Model,
    Target::Device,
    Target::Host,
    Target::Tier,
    Target::Service,
    Target::Hop,
    Target::Resolvable,
    Target::Member,
    Target::Part,
    Target::Rule,
];

/// The model or device whose block the cursor is in: the first name its
/// header declares.
fn owner(cursor: &Cursor, kinds: &[&Kind]) -> Option<String> {
    let outer = kinds.first()?;
    let declares_parts = outer.property("cpu").is_some();
    let name = cursor.blocks.first()?.get(1)?;
    declares_parts.then(|| first_name(name))
}

/// What completion reads besides the schema.
struct Scope<'a> {
    analysis: Option<&'a Analysis>,
    owner: Option<String>,
    /// The word a top-level statement's header declares: its names are
    /// not offered as references in the same statement.
    declaring: Option<String>,
}

impl Scope<'_> {
    fn add(&self, slot: &Slot, items: &mut Items) {
        match slot {
            Slot::Names(target) => {
                if let Some(a) = self.analysis {
                    self.names(&a.project, *target, items);
                }
            }
            Slot::Parts => self.parts(items),
            Slot::Words { what, words } => {
                let detail = (!what.is_empty()).then(|| what.to_string());
                for word in words {
                    items.add(
                        word,
                        lsp::CompletionItemKind::ENUM_MEMBER,
                        detail.clone(),
                        None,
                    );
                }
            }
            Slot::Literal(word) => items.add(word, lsp::CompletionItemKind::KEYWORD, None, None),
            Slot::BusPresets => {
                for preset in presets::bus_presets() {
                    // Memory presets are for `memory`, not for a part's bus.
                    if presets::memory_preset(preset.name).is_none() {
                        preset_item(preset, items);
                    }
                }
            }
            Slot::MemoryPresets => {
                for name in presets::memory_preset_names() {
                    if let Some(preset) = presets::memory_preset(name) {
                        preset_item(preset, items);
                    }
                }
            }
            Slot::Rules => {
                for rule in crate::analyze::RULES.iter().filter(|r| r.check.is_some()) {
                    items.add(
                        rule.name,
                        lsp::CompletionItemKind::VALUE,
                        Some(rule.summary.to_string()),
                        None,
                    );
                }
            }
        }
    }

    /// The names of the project's elements that `target` may name, sorted.
    fn names(&self, project: &Project, target: Target, items: &mut Items) {
        let keywords = target.keywords();
        let mut found: Vec<(&str, &'static str)> = project
            .names
            .iter()
            .map(|(name, e)| (name.as_str(), project.kind_of(*e)))
            .filter(|(name, kind)| {
                keywords.contains(kind)
                    && !self.declaring.as_ref().is_some_and(|w| declares(w, name))
            })
            .collect();
        found.sort();
        for (name, kind) in found {
            items.add(
                name,
                lsp::CompletionItemKind::REFERENCE,
                Some(kind.to_string()),
                None,
            );
        }
    }

    /// The parts of the enclosing model or device, in declaration order.
    fn parts(&self, items: &mut Items) {
        let (Some(a), Some(owner)) = (self.analysis, &self.owner) else {
            return;
        };
        let p = &a.project;
        let internals = match p.element(owner) {
            Some(Element::Model(m)) => &p.models[m.index()].internals,
            Some(Element::Device(d)) => &p.devices[d.index()].internals,
            _ => return,
        };
        for part in &internals.parts {
            items.add(
                &part.name,
                lsp::CompletionItemKind::FIELD,
                Some(part.kind.keyword().to_string()),
                None,
            );
        }
    }
}

fn preset_item(preset: &presets::BusPreset, items: &mut Items) {
    items.add(
        preset.name,
        lsp::CompletionItemKind::CONSTANT,
        Some(preset.title.to_string()),
        Some(preset.describe()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new kind of reference fails to compile here until it is added to
    /// `TARGETS` too.
    #[test]
    fn every_target_is_listed() {
        for target in TARGETS {
            match target {
                Target::Site
                | Target::Feed
                | Target::Power
                | Target::Rack
                | Target::Model
                | Target::Device
                | Target::Host
                | Target::Tier
                | Target::Service
                | Target::Hop
                | Target::Resolvable
                | Target::Member
                | Target::Part
                | Target::Rule => {}
            }
        }
        let placeholders: std::collections::BTreeSet<&str> =
            TARGETS.iter().map(|t| t.placeholder()).collect();
        assert_eq!(placeholders.len(), TARGETS.len());
    }
}
