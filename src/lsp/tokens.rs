//! Semantic tokens: what the model knows and a grammar cannot — whether a
//! name declares an element or refers to one, and of which kind; units;
//! presets. Keywords, numbers, strings and comments are left to the
//! TextMate grammar.

use super::position::position;
use super::{Analysis, Server};
use crate::model::internals::Internals;
use crate::model::names::expand_segment;
use crate::model::{presets, schema, Element};
use crate::source::{FileId, Span};
use crate::syntax::ast::{ItemKind, Statement};
use lsp_types as lsp;

/// The token types, in legend order: an index here is a token's type.
const TYPES: [lsp::SemanticTokenType; 11] = [
    lsp::SemanticTokenType::NAMESPACE,
    lsp::SemanticTokenType::STRUCT,
    lsp::SemanticTokenType::CLASS,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::ENUM,
    lsp::SemanticTokenType::EVENT,
    lsp::SemanticTokenType::INTERFACE,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::ENUM_MEMBER,
    lsp::SemanticTokenType::TYPE,
];

const PROPERTY: u32 = 8;
const PRESET: u32 = 9;
const UNIT: u32 = 10;
/// The one modifier, bit 0: the name is declared here.
const DECLARATION: u32 = 1;

pub(super) fn capability() -> lsp::SemanticTokensServerCapabilities {
    lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(lsp::SemanticTokensOptions {
        legend: lsp::SemanticTokensLegend {
            token_types: TYPES.to_vec(),
            token_modifiers: vec![lsp::SemanticTokenModifier::DECLARATION],
        },
        full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
        range: None,
        work_done_progress_options: Default::default(),
    })
}

/// The token type of an element, by the keyword that declares it; the
/// same grouping as the outline's symbol kinds.
fn element_type(keyword: &str) -> u32 {
    match keyword {
        "site" | "partition" | "fault-domain" => 0,
        "rack" => 1,
        "model" => 2,
        "tier" => 5,
        "service" | "dns" => 4,
        "flow" => 6,
        "client" | "cdn" => 7,
        // Feeds, power sources, devices, vms.
        _ => 3,
    }
}

/// One token before encoding: where, and its type and modifiers.
struct Token {
    span: Span,
    kind: u32,
    modifiers: u32,
}

impl Server {
    pub(super) fn semantic_tokens(
        &self,
        params: serde_json::Value,
    ) -> Option<lsp::SemanticTokensResult> {
        let p: lsp::SemanticTokensParams = serde_json::from_value(params).ok()?;
        let (a, file) = self.find(&p.text_document.uri)?;
        let ast = &a.loaded.files.iter().find(|(id, _)| *id == file)?.1;
        let mut tokens = Vec::new();
        collect(a, &ast.statements, None, &mut tokens);
        tokens.retain(|t| t.span.file == file && !t.span.is_empty());
        tokens.sort_by_key(|t| (t.span.start, t.span.end));
        tokens.dedup_by_key(|t| t.span.start);
        Some(lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens {
            result_id: None,
            data: self.encode(a, file, &tokens),
        }))
    }

    /// Relative lines and columns, counted in the negotiated encoding.
    fn encode(&self, a: &Analysis, file: FileId, tokens: &[Token]) -> Vec<lsp::SemanticToken> {
        let source = a.loaded.sources.get(file);
        let mut out = Vec::with_capacity(tokens.len());
        let mut last = lsp::Position::new(0, 0);
        for t in tokens {
            let start = position(source, t.span.start, self.encoding);
            let end = position(source, t.span.end, self.encoding);
            if end.line != start.line {
                continue;
            }
            out.push(lsp::SemanticToken {
                delta_line: start.line - last.line,
                delta_start: if start.line == last.line {
                    start.character - last.character
                } else {
                    start.character
                },
                length: end.character - start.character,
                token_type: t.kind,
                token_modifiers_bitset: t.modifiers,
            });
            last = start;
        }
        out
    }
}

/// The tokens of `statements`; `owner` is the internals of the model or
/// device whose block they are in, whose parts they may name.
fn collect(
    a: &Analysis,
    statements: &[Statement],
    owner: Option<&Internals>,
    out: &mut Vec<Token>,
) {
    let p = &a.project;
    for s in statements {
        let keyword = s.keyword();
        let is_path = s.items.iter().any(|x| matches!(x.kind, ItemKind::Arrow));
        let declares_part = owner.is_some() && keyword.is_some_and(|k| schema::part(k).is_some());
        for (i, item) in s.items.iter().enumerate() {
            if let Some(unit) = item.unit_span() {
                out.push(Token {
                    span: unit,
                    kind: UNIT,
                    modifiers: 0,
                });
                continue;
            }
            let Some(w) = item.word() else {
                continue;
            };
            if i == 0 && !is_path && w.plain().is_some() {
                continue;
            }
            for (j, g) in w.segments().iter().enumerate() {
                let Some(name) = expand_segment(g).ok().and_then(|n| n.into_iter().next()) else {
                    continue;
                };
                let part = owner.is_some_and(|o| o.parts.iter().any(|x| x.name == name));
                let (kind, modifiers) = if j > 0 {
                    (PROPERTY, 0)
                } else if declares_part && i == 1 {
                    (PROPERTY, DECLARATION)
                } else if let Some(e) = p.element(&name).filter(|_| !part) {
                    let declared = p.span_of(e) == g.span;
                    (
                        element_type(p.kind_of(e)),
                        if declared { DECLARATION } else { 0 },
                    )
                } else if part {
                    (PROPERTY, 0)
                } else if presets::bus_preset(&name).is_some()
                    || presets::memory_preset(&name).is_some()
                {
                    (PRESET, 0)
                } else {
                    continue;
                };
                out.push(Token {
                    span: g.span,
                    kind,
                    modifiers,
                });
            }
        }
        if let Some(block) = &s.block {
            // A model's or device's block: its parts are named inside.
            let inner = owner.or_else(|| {
                let name = s.args().first().and_then(|i| {
                    expand_segment(&i.word()?.segments()[0])
                        .ok()?
                        .into_iter()
                        .next()
                })?;
                match p.element(&name)? {
                    Element::Model(m) => Some(&p.models[m.index()].internals),
                    Element::Device(d) => Some(&p.devices[d.index()].internals),
                    _ => None,
                }
            });
            collect(a, &block.statements, inner, out);
        }
    }
}
