//! Open documents: what the editor sends about them and about files on
//! disk, the diagnostics published, and formatting.

use super::position::{path_to_uri, position, uri_to_path};
use super::projects::Change;
use super::{Analysis, Server};
use crate::model::load::normalize;
use crate::source::{FileId, SourceFile};
use lsp_server::{Message, Notification};
use lsp_types as lsp;
use std::path::Path;

impl Server {
    /// Applies a notification; returns what it changed.
    pub(super) fn notification(&mut self, n: Notification) -> Change {
        self.try_notification(n).unwrap_or(Change::Nothing)
    }

    fn try_notification(&mut self, n: Notification) -> Option<Change> {
        let document = |uri: &lsp::Uri| uri_to_path(uri).map(|p| normalize(&p));
        match n.method.as_str() {
            "initialized" => {
                self.watch_files();
                None
            }
            "textDocument/didOpen" => {
                let p: lsp::DidOpenTextDocumentParams = serde_json::from_value(n.params).ok()?;
                let path = document(&p.text_document.uri)?;
                self.open.insert(path.clone(), p.text_document.text);
                Some(Change::Files(vec![path]))
            }
            "textDocument/didChange" => {
                let p: lsp::DidChangeTextDocumentParams = serde_json::from_value(n.params).ok()?;
                let path = document(&p.text_document.uri)?;
                let text = p.content_changes.into_iter().last()?.text;
                self.open.insert(path.clone(), text);
                Some(Change::Files(vec![path]))
            }
            "textDocument/didSave" => {
                let p: lsp::DidSaveTextDocumentParams = serde_json::from_value(n.params).ok()?;
                Some(Change::Files(vec![document(&p.text_document.uri)?]))
            }
            // The projects that read the closed document now read the disk.
            "textDocument/didClose" => {
                let p: lsp::DidCloseTextDocumentParams = serde_json::from_value(n.params).ok()?;
                let path = document(&p.text_document.uri)?;
                self.open.remove(&path);
                self.forget(&path);
                Some(Change::Files(vec![path]))
            }
            "workspace/didChangeWatchedFiles" => {
                let p: lsp::DidChangeWatchedFilesParams = serde_json::from_value(n.params).ok()?;
                let mut files = Vec::new();
                for event in p.changes {
                    let Some(path) = document(&event.uri) else {
                        continue;
                    };
                    // A new or deleted file may be an include that failed or
                    // now fails; the configuration concerns every project.
                    let everything = event.typ != lsp::FileChangeType::CHANGED
                        || path.file_name().is_some_and(|n| n == "topo.toml");
                    if everything {
                        return Some(Change::All);
                    }
                    files.push(path);
                }
                Some(Change::Files(files))
            }
            _ => None,
        }
    }

    pub(super) fn publish(&self, file: &Path, diagnostics: Vec<lsp::Diagnostic>) {
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
