//! Open documents: what the editor sends, the analysis of each project
//! rooted at an open document, the diagnostics published for it, and
//! formatting.

use super::position::{path_to_uri, position, uri_to_path};
use super::{Analysis, Server};
use crate::check::analyze_loaded;
use crate::diagnostic::Severity;
use crate::input::Root;
use crate::model::load::{load_with_root, normalize, DiskFileSystem, FileSystem};
use crate::source::{FileId, SourceFile};
use lsp_server::{Message, Notification};
use lsp_types as lsp;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

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

impl Server {
    /// Applies a document notification; returns the document to re-check.
    pub(super) fn notification(&mut self, n: Notification) -> Option<PathBuf> {
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
    pub(super) fn analyse(&mut self, root: &Path) {
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
                    data: self.fix_data(&loaded, d),
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

    /// The analysis holding a document, and the document's file there.
    pub(super) fn find(&self, uri: &lsp::Uri) -> Option<(&Analysis, FileId)> {
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

    pub(super) fn formatting(&self, params: serde_json::Value) -> Option<Vec<lsp::TextEdit>> {
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
}
