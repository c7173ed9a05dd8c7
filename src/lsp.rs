//! `topo lsp`: a language server over stdio.
//!
//! Built on `lsp-server` (rust-analyzer's transport): the work is CPU-bound
//! and synchronous, so an async runtime would add weight without speed. Each
//! open document is checked as the root of its project (with its includes,
//! read from the editor where open and from disk otherwise); a burst of
//! changes is coalesced into one check.

use crate::check::analyze_loaded;
use crate::diagnostic::Severity;
use crate::input::Root;
use crate::model::load::{load_with, normalize, DiskFileSystem, FileSystem, Loaded};
use crate::model::{DeviceId, Element, Host, PartKind, Project, RackId, ServiceId};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{ItemKind, Statement};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lsp;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Characters a `file:` URI path keeps escaped.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

pub fn path_to_uri(path: &Path) -> lsp::Uri {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", utf8_percent_encode(&text, PATH))
        .parse()
        .expect("an encoded file path is a URI")
}

pub fn uri_to_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// How positions count columns: negotiated with the client.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

fn position(file: &SourceFile, offset: u32, encoding: Encoding) -> lsp::Position {
    let line = file.line_index(offset);
    let start = file.line_range(line).start;
    let mut end = (offset as usize).min(file.text.len());
    while !file.text.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = &file.text[start.min(end)..end];
    let character = match encoding {
        Encoding::Utf8 => prefix.len(),
        Encoding::Utf16 => prefix.encode_utf16().count(),
        Encoding::Utf32 => prefix.chars().count(),
    };
    lsp::Position::new(line as u32, character as u32)
}

fn offset(file: &SourceFile, pos: lsp::Position, encoding: Encoding) -> u32 {
    let line = (pos.line as usize).min(file.line_count() - 1);
    let range = file.line_range(line);
    let text = &file.text[range.clone()];
    let mut units = 0usize;
    for (i, c) in text.char_indices() {
        if units >= pos.character as usize {
            return (range.start + i) as u32;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        };
    }
    range.end as u32
}

/// Open documents over the disk.
struct Overlay<'a> {
    open: &'a HashMap<PathBuf, String>,
}

impl FileSystem for Overlay<'_> {
    fn read(&self, path: &Path) -> Result<String, String> {
        match self.open.get(&normalize(path)) {
            Some(text) => Ok(text.clone()),
            None => DiskFileSystem.read(path),
        }
    }

    /// An open document is read from the editor, but only where the disk
    /// would allow it: a symlink on disk still may not lead out of the root.
    /// A document not yet saved has only its name, which the loader checked.
    fn read_include(&self, path: &Path, root: &Root) -> Result<String, String> {
        match self.open.get(&normalize(path)) {
            Some(text) => {
                if path.symlink_metadata().is_ok() {
                    root.confine(path)?;
                }
                Ok(text.clone())
            }
            None => DiskFileSystem.read_include(path, root),
        }
    }

    fn identity(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
}

/// One analysed project, rooted at an open document.
struct Analysis {
    loaded: Loaded,
    project: Project,
}

struct Server {
    connection: Connection,
    encoding: Encoding,
    open: HashMap<PathBuf, String>,
    analyses: HashMap<PathBuf, Analysis>,
    /// Files each root last published diagnostics for, to clear them.
    published: HashMap<PathBuf, Vec<PathBuf>>,
}

pub fn run() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| e.to_string())?;
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.clone())
        .unwrap_or_default();
    let (encoding, kind) = if offered.contains(&lsp::PositionEncodingKind::UTF8) {
        (Encoding::Utf8, lsp::PositionEncodingKind::UTF8)
    } else if offered.contains(&lsp::PositionEncodingKind::UTF32) {
        (Encoding::Utf32, lsp::PositionEncodingKind::UTF32)
    } else {
        (Encoding::Utf16, lsp::PositionEncodingKind::UTF16)
    };
    let capabilities = lsp::ServerCapabilities {
        position_encoding: Some(kind),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions::default()),
        ..Default::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "topo", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        connection,
        encoding,
        open: HashMap::new(),
        analyses: HashMap::new(),
        published: HashMap::new(),
    };
    server.main_loop()?;
    drop(server);
    threads.join().map_err(|e| e.to_string())
}

impl Server {
    fn main_loop(&mut self) -> Result<(), String> {
        let mut dirty: Vec<PathBuf> = Vec::new();
        loop {
            // Coalesce a burst of edits: analyse once the queue is empty.
            let message = if dirty.is_empty() {
                match self.connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                }
            } else {
                match self.connection.receiver.try_recv() {
                    Ok(m) => m,
                    Err(_) => {
                        for path in std::mem::take(&mut dirty) {
                            self.analyse(&path);
                        }
                        continue;
                    }
                }
            };
            match message {
                Message::Request(req) => {
                    if self
                        .connection
                        .handle_shutdown(&req)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    for path in std::mem::take(&mut dirty) {
                        self.analyse(&path);
                    }
                    let response = self.request(req);
                    self.send(Message::Response(response));
                }
                Message::Notification(n) => {
                    if let Some(path) = self.notification(n) {
                        if !dirty.contains(&path) {
                            dirty.push(path);
                        }
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }

    /// Applies a document notification; returns the document to re-check.
    fn notification(&mut self, n: Notification) -> Option<PathBuf> {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let p: lsp::DidOpenTextDocumentParams = serde_json::from_value(n.params).ok()?;
                let path = normalize(&uri_to_path(&p.text_document.uri)?);
                self.open.insert(path.clone(), p.text_document.text);
                Some(path)
            }
            "textDocument/didChange" => {
                let p: lsp::DidChangeTextDocumentParams = serde_json::from_value(n.params).ok()?;
                let path = normalize(&uri_to_path(&p.text_document.uri)?);
                let text = p.content_changes.into_iter().last()?.text;
                self.open.insert(path.clone(), text);
                Some(path)
            }
            "textDocument/didSave" => {
                let p: lsp::DidSaveTextDocumentParams = serde_json::from_value(n.params).ok()?;
                Some(normalize(&uri_to_path(&p.text_document.uri)?))
            }
            "textDocument/didClose" => {
                let p: lsp::DidCloseTextDocumentParams = serde_json::from_value(n.params).ok()?;
                let path = normalize(&uri_to_path(&p.text_document.uri)?);
                self.open.remove(&path);
                self.analyses.remove(&path);
                for file in self.published.remove(&path).unwrap_or_default() {
                    self.publish(&file, Vec::new());
                }
                None
            }
            _ => None,
        }
    }

    fn publish(&self, file: &Path, diagnostics: Vec<lsp::Diagnostic>) {
        let params = lsp::PublishDiagnosticsParams {
            uri: path_to_uri(file),
            diagnostics,
            version: None,
        };
        self.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        )));
    }

    /// Checks the project rooted at `root` and publishes its diagnostics.
    fn analyse(&mut self, root: &Path) {
        let overlay = Overlay { open: &self.open };
        let loaded = load_with(&overlay, &[root.to_path_buf()]);
        let (project, diagnostics) = analyze_loaded(&loaded);
        let mut by_file: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> = BTreeMap::new();
        for (_, f) in loaded.sources.iter() {
            by_file.insert(normalize(&f.path), Vec::new());
        }
        for d in &diagnostics {
            let file = loaded.sources.get(d.span.file);
            let related = d
                .related
                .iter()
                .map(|r| lsp::DiagnosticRelatedInformation {
                    location: self.location(&loaded, r.span),
                    message: r.message.clone(),
                })
                .collect::<Vec<_>>();
            let message = match &d.help {
                Some(help) => format!("{}\n{help}", d.message),
                None => d.message.clone(),
            };
            by_file
                .entry(normalize(&file.path))
                .or_default()
                .push(lsp::Diagnostic {
                    range: self.range(file, d.span),
                    severity: Some(match d.severity {
                        Severity::Error => lsp::DiagnosticSeverity::ERROR,
                        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
                    }),
                    code: Some(lsp::NumberOrString::String(d.rule.to_string())),
                    source: Some("topo".into()),
                    message,
                    related_information: (!related.is_empty()).then_some(related),
                    ..Default::default()
                });
        }
        let previous = self.published.remove(root).unwrap_or_default();
        for file in previous {
            if !by_file.contains_key(&file) {
                self.publish(&file, Vec::new());
            }
        }
        let files: Vec<PathBuf> = by_file.keys().cloned().collect();
        for (file, list) in by_file {
            self.publish(&file, list);
        }
        self.published.insert(root.to_path_buf(), files);
        self.analyses
            .insert(root.to_path_buf(), Analysis { loaded, project });
    }

    fn range(&self, file: &SourceFile, span: Span) -> lsp::Range {
        lsp::Range::new(
            position(file, span.start, self.encoding),
            position(file, span.end, self.encoding),
        )
    }

    fn location(&self, loaded: &Loaded, span: Span) -> lsp::Location {
        let file = loaded.sources.get(span.file);
        lsp::Location::new(path_to_uri(&file.path), self.range(file, span))
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/definition" => self
                .definition(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/references" => self
                .references(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/hover" => self
                .hover(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/documentSymbol" => self
                .symbols(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/formatting" => self
                .formatting(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/completion" => self
                .completion(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("no method {}", req.method),
                );
            }
        };
        match result {
            Some(v) => Response::new_ok(id, v),
            None => Response::new_ok(id, serde_json::Value::Null),
        }
    }

    /// The analysis holding a document, and the document's file there.
    fn find(&self, uri: &lsp::Uri) -> Option<(&Analysis, crate::source::FileId)> {
        let path = normalize(&uri_to_path(uri)?);
        let own = self.analyses.get(&path).into_iter();
        let others = self.analyses.values();
        own.chain(others).find_map(|a| {
            a.loaded
                .sources
                .iter()
                .find(|(_, f)| normalize(&f.path) == path)
                .map(|(id, _)| (a, id))
        })
    }

    /// The word under the cursor: its name (one of a range's, when the
    /// cursor is on a range, the first), its span, and its statement path.
    fn word_at(
        &self,
        a: &Analysis,
        file: crate::source::FileId,
        pos: lsp::Position,
    ) -> Option<(String, Span, Vec<String>)> {
        let source = a.loaded.sources.get(file);
        let at = offset(source, pos, self.encoding);
        let ast = &a.loaded.files.iter().find(|(id, _)| *id == file)?.1;
        let mut stack: Vec<String> = Vec::new();
        let mut statements: &[Statement] = &ast.statements;
        loop {
            let s = statements
                .iter()
                .find(|s| s.span.start <= at && at <= s.span.end)?;
            for item in &s.items {
                if item.span.start <= at && at <= item.span.end {
                    let ItemKind::Word(w) = &item.kind else {
                        return None;
                    };
                    // Within a dotted word, the segment under the cursor.
                    let segment = w
                        .segments
                        .iter()
                        .find(|g| g.span.start <= at && at <= g.span.end)?;
                    let names = crate::model::names::expand_segment(segment).ok()?;
                    let index = w
                        .segments
                        .iter()
                        .position(|g| g.span == segment.span)
                        .unwrap_or(0);
                    if index > 0 {
                        let owner = crate::model::names::expand_segment(&w.segments[0])
                            .ok()?
                            .into_iter()
                            .next()?;
                        stack.push(format!("part-of:{owner}"));
                    }
                    return Some((names.into_iter().next()?, segment.span, stack));
                }
            }
            if let Some(k) = s.keyword() {
                let name = s.args().first().and_then(|i| match &i.kind {
                    ItemKind::Word(w) => crate::model::names::expand_segment(&w.segments[0])
                        .ok()?
                        .into_iter()
                        .next(),
                    _ => None,
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

    fn definition(&self, params: serde_json::Value) -> Option<lsp::GotoDefinitionResponse> {
        let p: lsp::GotoDefinitionParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position_params;
        let (a, file) = self.find(&doc.text_document.uri)?;
        let (name, _, context) = self.word_at(a, file, doc.position)?;
        let span = self.declaration(a, &name, &context)?;
        Some(lsp::GotoDefinitionResponse::Scalar(
            self.location(&a.loaded, span),
        ))
    }

    fn references(&self, params: serde_json::Value) -> Option<Vec<lsp::Location>> {
        let p: lsp::ReferenceParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position;
        let (a, file) = self.find(&doc.text_document.uri)?;
        let (name, _, _) = self.word_at(a, file, doc.position)?;
        let mut out = Vec::new();
        for (_, ast) in &a.loaded.files {
            let mut stack: Vec<&Statement> = ast.statements.iter().collect();
            while let Some(s) = stack.pop() {
                for item in &s.items {
                    let ItemKind::Word(w) = &item.kind else {
                        continue;
                    };
                    for g in &w.segments {
                        if crate::model::names::expand_segment(g)
                            .is_ok_and(|names| names.contains(&name))
                        {
                            out.push(self.location(&a.loaded, g.span));
                        }
                    }
                }
                if let Some(b) = &s.block {
                    stack.extend(b.statements.iter());
                }
            }
        }
        if !p.context.include_declaration {
            if let Some(decl) = a.project.element(&name).map(|e| a.project.span_of(e)) {
                let decl = self.location(&a.loaded, decl);
                out.retain(|l| *l != decl);
            }
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

    fn hover(&self, params: serde_json::Value) -> Option<lsp::Hover> {
        let p: lsp::HoverParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position_params;
        let (a, file) = self.find(&doc.text_document.uri)?;
        let (name, span, context) = self.word_at(a, file, doc.position)?;
        let text = match a.project.element(&name) {
            Some(e) => describe(&a.project, e),
            None => describe_part(a, &name, &context)?,
        };
        let source = a.loaded.sources.get(span.file);
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: text,
            }),
            range: Some(self.range(source, span)),
        })
    }

    fn symbols(&self, params: serde_json::Value) -> Option<lsp::DocumentSymbolResponse> {
        let p: lsp::DocumentSymbolParams = serde_json::from_value(params).ok()?;
        let (a, file) = self.find(&p.text_document.uri)?;
        let source = a.loaded.sources.get(file);
        let ast = &a.loaded.files.iter().find(|(id, _)| *id == file)?.1;
        Some(lsp::DocumentSymbolResponse::Nested(
            self.symbol_list(source, &ast.statements),
        ))
    }

    #[allow(deprecated)]
    fn symbol_list(
        &self,
        source: &SourceFile,
        statements: &[Statement],
    ) -> Vec<lsp::DocumentSymbol> {
        statements
            .iter()
            .filter_map(|s| {
                let keyword = s.keyword()?;
                let name_item = s.args().first()?;
                let name = source.slice(name_item.span).to_string();
                let kind = match keyword {
                    "site" => lsp::SymbolKind::NAMESPACE,
                    "feed" => lsp::SymbolKind::CONSTANT,
                    "rack" => lsp::SymbolKind::STRUCT,
                    "model" => lsp::SymbolKind::CLASS,
                    "tier" => lsp::SymbolKind::ENUM,
                    "service" | "dns" => lsp::SymbolKind::FUNCTION,
                    "flow" => lsp::SymbolKind::EVENT,
                    "client" | "cdn" => lsp::SymbolKind::INTERFACE,
                    "partition" => lsp::SymbolKind::PACKAGE,
                    "vm" => lsp::SymbolKind::OBJECT,
                    "cpu" | "chipset" | "nic" | "disk" | "controller" | "hba" | "card" => {
                        lsp::SymbolKind::FIELD
                    }
                    k if crate::model::DeviceKind::from_keyword(k).is_some() => {
                        lsp::SymbolKind::OBJECT
                    }
                    _ => return None,
                };
                let children = s
                    .block
                    .as_ref()
                    .map(|b| self.symbol_list(source, &b.statements))
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

    fn formatting(&self, params: serde_json::Value) -> Option<Vec<lsp::TextEdit>> {
        let p: lsp::DocumentFormattingParams = serde_json::from_value(params).ok()?;
        let path = normalize(&uri_to_path(&p.text_document.uri)?);
        let text = match self.open.get(&path) {
            Some(t) => t.clone(),
            None => crate::input::read_text(&path).ok()?,
        };
        let formatted = crate::fmt::format(&text).ok()?;
        if formatted == text {
            return Some(Vec::new());
        }
        let file = SourceFile::new(path, String::new(), text.as_str());
        let end = position(&file, text.len() as u32, self.encoding);
        Some(vec![lsp::TextEdit::new(
            lsp::Range::new(lsp::Position::new(0, 0), end),
            formatted,
        )])
    }

    fn completion(&self, params: serde_json::Value) -> Option<lsp::CompletionResponse> {
        let p: lsp::CompletionParams = serde_json::from_value(params).ok()?;
        let doc = &p.text_document_position;
        let path = normalize(&uri_to_path(&doc.text_document.uri)?);
        let text = self.open.get(&path)?;
        let file = SourceFile::new(path.clone(), String::new(), text.as_str());
        let at = offset(&file, doc.position, self.encoding) as usize;
        // The enclosing block's keyword, by counting braces before the cursor.
        let before = &text[..at];
        let mut opened: Vec<&str> = Vec::new();
        let mut statement_start = 0;
        for (i, c) in before.char_indices() {
            match c {
                '{' => {
                    let head = before[statement_start..i].trim();
                    opened.push(head.split_whitespace().next().unwrap_or(""));
                    statement_start = i + 1;
                }
                '}' => {
                    opened.pop();
                    statement_start = i + 1;
                }
                '\n' | ';' => statement_start = i + 1,
                _ => {}
            }
        }
        let line_prefix = before[statement_start..].trim_start();
        let first_word = !line_prefix.contains(char::is_whitespace);
        let mut items = Vec::new();
        if first_word {
            let words: Vec<&str> = match opened.last() {
                None => crate::syntax::TOP_LEVEL_KEYWORDS.to_vec(),
                Some(k) => crate::model::lower::properties_of(k).to_vec(),
            };
            for w in words {
                items.push(lsp::CompletionItem {
                    label: w.to_string(),
                    kind: Some(lsp::CompletionItemKind::KEYWORD),
                    ..Default::default()
                });
            }
        } else if let Some(a) = self.analyses.get(&path) {
            let mut names: Vec<(&String, &Element)> = a.project.names.iter().collect();
            names.sort();
            for (name, e) in names {
                items.push(lsp::CompletionItem {
                    label: name.clone(),
                    kind: Some(lsp::CompletionItemKind::REFERENCE),
                    detail: Some(a.project.kind_of(*e).to_string()),
                    ..Default::default()
                });
            }
        }
        Some(lsp::CompletionResponse::Array(items))
    }
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
