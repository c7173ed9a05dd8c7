//! Going from a word to what it names: definition, references, and the
//! document's outline.

use super::position::offset;
use super::{Analysis, Server};
use crate::model::{schema, Element};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::ast::{ItemKind, Statement};
use lsp_types as lsp;

/// The word under the cursor.
pub(super) struct WordAt {
    /// The name it stands for: one of a range's (the first), or the segment
    /// of a dotted word under the cursor.
    pub name: String,
    pub span: Span,
    /// The enclosing statements, outermost first, as `keyword:name`; then
    /// `part-of:OWNER` when the word is the part in a dotted reference.
    pub context: Vec<String>,
    /// The word is the keyword its statement starts with (`rack`, `cores`),
    /// not a name.
    pub is_keyword: bool,
}

impl WordAt {
    /// The keywords of the enclosing statements, outermost first.
    pub fn enclosing_keywords(&self) -> impl Iterator<Item = &str> {
        self.context
            .iter()
            .filter(|c| !c.starts_with("part-of:"))
            .filter_map(|c| c.split_once(':').map(|(k, _)| k))
    }
}

impl Server {
    pub(super) fn word_at(&self, a: &Analysis, file: FileId, pos: lsp::Position) -> Option<WordAt> {
        let source = a.loaded.sources.get(file);
        let at = offset(source, pos, self.encoding);
        let ast = &a.loaded.files.iter().find(|(id, _)| *id == file)?.1;
        let mut stack: Vec<String> = Vec::new();
        let mut statements: &[Statement] = &ast.statements;
        loop {
            let s = statements
                .iter()
                .find(|s| s.span.start <= at && at <= s.span.end)?;
            for (i, item) in s.items.iter().enumerate() {
                if item.span.start <= at && at <= item.span.end {
                    let w = item.word()?;
                    // Within a dotted word, the segment under the cursor.
                    let segment = w
                        .segments()
                        .iter()
                        .find(|g| g.span.start <= at && at <= g.span.end)?;
                    let names = crate::model::names::expand_segment(segment).ok()?;
                    let index = w
                        .segments()
                        .iter()
                        .position(|g| g.span == segment.span)
                        .unwrap_or(0);
                    if index > 0 {
                        let owner = crate::model::names::expand_segment(&w.segments()[0])
                            .ok()?
                            .into_iter()
                            .next()?;
                        stack.push(format!("part-of:{owner}"));
                    }
                    // A request path starts with a hop, not a keyword.
                    let is_keyword = i == 0
                        && w.plain().is_some()
                        && !s.items.iter().any(|x| matches!(x.kind, ItemKind::Arrow));
                    return Some(WordAt {
                        name: names.into_iter().next()?,
                        span: segment.span,
                        context: stack,
                        is_keyword,
                    });
                }
            }
            if let Some(k) = s.keyword() {
                let name = s.args().first().and_then(|i| {
                    crate::model::names::expand_segment(&i.word()?.segments()[0])
                        .ok()?
                        .into_iter()
                        .next()
                });
                stack.push(format!("{k}:{}", name.unwrap_or_default()));
            }
            statements = &s.block.as_ref()?.statements;
        }
    }

    /// Where a name is declared: a top-level element or a part.
    fn declaration(&self, a: &Analysis, name: &str, context: &[String]) -> Option<Span> {
        let p = &a.project;
        // A part of the enclosing model or device, or of a dotted reference.
        let owner = context.iter().rev().find_map(|c| {
            if let Some(owner) = c.strip_prefix("part-of:") {
                return Some(owner.to_string());
            }
            let (kind, name) = c.split_once(':')?;
            (kind == "model" || crate::model::DeviceKind::from_keyword(kind).is_some())
                .then(|| name.to_string())
        });
        if let Some(owner) = owner {
            let internals = match p.element(&owner) {
                Some(Element::Model(m)) => Some(&p.models[m.index()].internals),
                Some(Element::Device(d)) => Some(&p.devices[d.index()].internals),
                _ => None,
            };
            if let Some(part) = internals.and_then(|i| i.parts.iter().find(|x| x.name == name)) {
                if context.last().is_some_and(|c| c.starts_with("part-of:"))
                    || p.element(name).is_none()
                {
                    return Some(part.span);
                }
            }
        }
        p.element(name).map(|e| p.span_of(e))
    }

    pub(super) fn definition(
        &self,
        params: serde_json::Value,
    ) -> Option<lsp::GotoDefinitionResponse> {
        let p: lsp::GotoDefinitionParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position_params;
        let (a, file) = self.find(&doc.text_document.uri)?;
        if let Some(target) = self.include_target(a, file, doc.position) {
            return Some(lsp::GotoDefinitionResponse::Scalar(target));
        }
        let word = self.word_at(a, file, doc.position)?;
        let span = self.declaration(a, &word.name, &word.context)?;
        Some(lsp::GotoDefinitionResponse::Scalar(
            self.location(&a.loaded, span),
        ))
    }

    /// Every use of the name under the cursor in every project holding the
    /// document: a model declared in an included file is used by its
    /// includers, which are analysed as projects of their own.
    pub(super) fn references(&self, params: serde_json::Value) -> Option<Vec<lsp::Location>> {
        let p: lsp::ReferenceParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position;
        let (a, file) = self.find(&doc.text_document.uri)?;
        let name = self.word_at(a, file, doc.position)?.name;
        let mut out = Vec::new();
        for (a, _) in self.containing(&doc.text_document.uri) {
            let mut found: Vec<lsp::Location> = occurrences(a, &name)
                .into_iter()
                .map(|o| self.location(&a.loaded, o.span))
                .collect();
            if !p.context.include_declaration {
                if let Some(decl) = a.project.element(&name).map(|e| a.project.span_of(e)) {
                    let decl = self.location(&a.loaded, decl);
                    found.retain(|l| *l != decl);
                }
            }
            out.extend(found);
        }
        out.sort_by(|x, y| {
            (x.uri.as_str(), x.range.start.line, x.range.start.character).cmp(&(
                y.uri.as_str(),
                y.range.start.line,
                y.range.start.character,
            ))
        });
        out.dedup();
        Some(out)
    }

    pub(super) fn symbols(&self, params: serde_json::Value) -> Option<lsp::DocumentSymbolResponse> {
        let p: lsp::DocumentSymbolParams = serde_json::from_value(params).ok()?;
        let (a, file) = self.find(&p.text_document.uri)?;
        let source = a.loaded.sources.get(file);
        let ast = &a.loaded.files.iter().find(|(id, _)| *id == file)?.1;
        Some(lsp::DocumentSymbolResponse::Nested(self.symbol_list(
            source,
            &ast.statements,
            true,
        )))
    }

    #[allow(deprecated)]
    fn symbol_list(
        &self,
        source: &SourceFile,
        statements: &[Statement],
        top_level: bool,
    ) -> Vec<lsp::DocumentSymbol> {
        statements
            .iter()
            .filter_map(|s| {
                let keyword = s.keyword()?;
                let name_item = s.args().first()?;
                let name = source.slice(name_item.span).to_string();
                let kind = symbol_kind(keyword, top_level)?;
                let children = s
                    .block
                    .as_ref()
                    .map(|b| self.symbol_list(source, &b.statements, false))
                    .filter(|c| !c.is_empty());
                Some(lsp::DocumentSymbol {
                    name,
                    detail: Some(keyword.to_string()),
                    kind,
                    tags: None,
                    deprecated: None,
                    range: self.range(source, s.span),
                    selection_range: self.range(source, name_item.span),
                    children,
                })
            })
            .collect()
    }
}

/// A written name that stands for `name`.
pub(super) struct Occurrence {
    pub span: Span,
    /// Written as a range (`web[1..4]`), of which `name` is one.
    pub in_range: bool,
    /// The part after a dot (`db1.nic0`): a part's name, not an element's.
    pub dotted_part: bool,
    /// The keyword a statement starts with (`rack`, `cores`).
    pub keyword: bool,
}

/// Every written name in the project's files that stands for `name`.
pub(super) fn occurrences(a: &Analysis, name: &str) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (_, ast) in &a.loaded.files {
        let mut stack: Vec<&Statement> = ast.statements.iter().collect();
        while let Some(s) = stack.pop() {
            let is_path = s.items.iter().any(|x| matches!(x.kind, ItemKind::Arrow));
            for (i, item) in s.items.iter().enumerate() {
                let Some(w) = item.word() else {
                    continue;
                };
                for (j, g) in w.segments().iter().enumerate() {
                    if crate::model::names::expand_segment(g)
                        .is_ok_and(|n| n.iter().any(|x| x == name))
                    {
                        out.push(Occurrence {
                            span: g.span,
                            in_range: g.range.is_some(),
                            dotted_part: j > 0,
                            keyword: i == 0 && !is_path && w.plain().is_some(),
                        });
                    }
                }
            }
            if let Some(b) = &s.block {
                stack.extend(b.statements.iter());
            }
        }
    }
    out
}

/// How the outline shows a declaration, by its keyword: top-level elements,
/// and the parts inside models and devices. Statements that declare nothing
/// (`link`, `allow` …) and properties (`site tokyo` inside a rack) are left
/// out.
pub(super) fn symbol_kind(keyword: &str, top_level: bool) -> Option<lsp::SymbolKind> {
    if !top_level {
        return schema::part(keyword).map(|_| lsp::SymbolKind::FIELD);
    }
    if schema::DEVICE_KINDS.iter().any(|k| k.keyword == keyword) {
        return Some(lsp::SymbolKind::OBJECT);
    }
    Some(match keyword {
        "site" => lsp::SymbolKind::NAMESPACE,
        "feed" | "power" => lsp::SymbolKind::CONSTANT,
        "rack" => lsp::SymbolKind::STRUCT,
        "model" => lsp::SymbolKind::CLASS,
        "tier" => lsp::SymbolKind::ENUM,
        "service" | "dns" => lsp::SymbolKind::FUNCTION,
        "flow" => lsp::SymbolKind::EVENT,
        "client" | "cdn" => lsp::SymbolKind::INTERFACE,
        "partition" | "fault-domain" => lsp::SymbolKind::PACKAGE,
        "vm" => lsp::SymbolKind::OBJECT,
        _ => return None,
    })
}
