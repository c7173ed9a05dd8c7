//! `topo lsp`: a language server over stdio.
//!
//! Built on `lsp-server`'s message types with a framing reader of its own
//! (see `transport`): the work is CPU-bound and synchronous, so an async
//! runtime would add weight without speed. Each open document is checked as
//! the root of its project (with its includes, read from the editor where
//! open and from disk otherwise); a burst of changes is coalesced into one
//! check.

use crate::check::analyze_loaded;
use crate::diagnostic::Severity;
use crate::input::Root;
use crate::model::load::{load_with_root, normalize, DiskFileSystem, FileSystem, Loaded};
use crate::model::{Element, Project};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{ItemKind, Statement};
use lsp_server::{Message, Notification, Request, Response};
use lsp_types as lsp;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use transport::{Incoming, Output};

mod hover;
pub mod transport;

/// Characters a `file:` URI path keeps escaped: every ASCII character
/// that is neither a path character of RFC 3986 nor `/` (non-ASCII bytes
/// are always escaped), so that any file name makes a valid URI.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

pub fn path_to_uri(path: &Path) -> lsp::Uri {
    let text = path.to_string_lossy();
    // Only on Windows is a backslash a separator; elsewhere it is escaped.
    let text = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
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

/// Where the conversation is: LSP answers requests only between
/// `initialize` and `shutdown`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShuttingDown,
}

struct Server {
    output: Output,
    phase: Phase,
    encoding: Encoding,
    open: HashMap<PathBuf, String>,
    analyses: HashMap<PathBuf, Analysis>,
    /// The editor's workspace folders: the project root of the documents
    /// inside them, as `--root` is on the command line.
    workspaces: Vec<PathBuf>,
    /// Files each root last published diagnostics for, to clear them.
    published: HashMap<PathBuf, Vec<PathBuf>>,
    /// Set when the client stopped reading: nothing more can be answered.
    write_error: Cell<Option<String>>,
}

pub fn run() -> Result<(), String> {
    let incoming =
        transport::spawn_stdin_reader().map_err(|e| format!("cannot start the reader: {e}"))?;
    let mut server = Server {
        output: Output::stdout(),
        phase: Phase::Uninitialized,
        encoding: Encoding::Utf16,
        open: HashMap::new(),
        analyses: HashMap::new(),
        workspaces: Vec::new(),
        published: HashMap::new(),
        write_error: Cell::new(None),
    };
    server.main_loop(&incoming)
}

/// The capabilities answered to `initialize`, with the position encoding
/// chosen from those the client offers.
fn initialize(
    params: serde_json::Value,
) -> Result<(Encoding, serde_json::Value, Vec<PathBuf>), String> {
    let params: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("invalid initialize params: {e}"))?;
    #[allow(deprecated)] // `root_uri` is what clients without folders send.
    let workspaces: Vec<PathBuf> = match &params.workspace_folders {
        Some(folders) if !folders.is_empty() => {
            folders.iter().filter_map(|f| uri_to_path(&f.uri)).collect()
        }
        _ => params.root_uri.iter().filter_map(uri_to_path).collect(),
    };
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
    Ok((encoding, result, workspaces))
}

impl Server {
    /// Serves until `exit` or the end of the input. `exit` without
    /// `shutdown` is an error, as LSP asks (exit code 1).
    fn main_loop(&mut self, incoming: &Receiver<Incoming>) -> Result<(), String> {
        let mut dirty: Vec<PathBuf> = Vec::new();
        loop {
            if let Some(e) = self.write_error.take() {
                return Err(format!("cannot write to the client: {e}"));
            }
            // Coalesce a burst of edits: analyse once the queue is empty.
            let message = if dirty.is_empty() {
                match incoming.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                }
            } else {
                match incoming.try_recv() {
                    Ok(m) => m,
                    Err(_) => {
                        for path in std::mem::take(&mut dirty) {
                            self.analyse(&path);
                        }
                        continue;
                    }
                }
            };
            let message = match message {
                Incoming::Message(m) => m,
                Incoming::Invalid { id, code, reason } => {
                    let sent = self.output.send_error(id, code, &reason);
                    self.note_write(sent);
                    continue;
                }
            };
            match message {
                Message::Request(req) => {
                    for path in std::mem::take(&mut dirty) {
                        self.analyse(&path);
                    }
                    let response = self.dispatch(req);
                    self.send(Message::Response(response));
                }
                Message::Notification(n) if n.method == "exit" => {
                    return match self.phase {
                        Phase::ShuttingDown => Ok(()),
                        _ => Err("the client sent `exit` before `shutdown`".into()),
                    };
                }
                Message::Notification(n) => {
                    if self.phase != Phase::Running {
                        continue;
                    }
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

    /// Answers a request according to the phase of the conversation.
    fn dispatch(&mut self, req: Request) -> Response {
        let refuse = |code: lsp_server::ErrorCode, text: &str| {
            Response::new_err(req.id.clone(), code as i32, text.to_string())
        };
        match (self.phase, req.method.as_str()) {
            (Phase::Uninitialized, "initialize") => match initialize(req.params) {
                Ok((encoding, result, workspaces)) => {
                    self.encoding = encoding;
                    self.workspaces = workspaces;
                    self.phase = Phase::Running;
                    Response::new_ok(req.id, result)
                }
                Err(e) => Response::new_err(req.id, lsp_server::ErrorCode::InvalidParams as i32, e),
            },
            (Phase::Uninitialized, _) => refuse(
                lsp_server::ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first",
            ),
            (Phase::Running, "initialize") => refuse(
                lsp_server::ErrorCode::InvalidRequest,
                "the server is already initialized",
            ),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShuttingDown;
                Response::new_ok(req.id, serde_json::Value::Null)
            }
            (Phase::Running, _) => self.request(req),
            (Phase::ShuttingDown, _) => refuse(
                lsp_server::ErrorCode::InvalidRequest,
                "the server is shutting down",
            ),
        }
    }

    fn send(&self, message: Message) {
        let sent = self.output.send(message);
        self.note_write(sent);
    }

    fn note_write(&self, result: std::io::Result<()>) {
        if let Err(e) = result {
            let first = self.write_error.take();
            self.write_error.set(first.or(Some(e.to_string())));
        }
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
        // The innermost workspace folder holding the document, else its own
        // directory (the command line's default).
        let project_root = self
            .workspaces
            .iter()
            .filter(|w| root.starts_with(w))
            .max_by_key(|w| w.components().count())
            .map_or_else(|| Root::of_first(Some(root)), |w| Root::new(w));
        let loaded = load_with_root(&overlay, &[root.to_path_buf()], &project_root);
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
            Some(e) => hover::describe(&a.project, e),
            None => hover::describe_part(a, &name, &context)?,
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
                Some(k) => crate::model::schema::kinds()
                    .find(|kind| kind.keyword == *k)
                    .map_or_else(Vec::new, |kind| kind.property_names().collect()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_name_makes_a_uri_and_comes_back() {
        let mut name: String = (1u8..0x80).map(char::from).filter(|c| *c != '/').collect();
        name.push_str("é\u{202e}");
        let path = PathBuf::from(format!("/tmp/{name}.topo"));
        let uri = path_to_uri(&path);
        assert_eq!(uri_to_path(&uri), Some(path));
    }
}
