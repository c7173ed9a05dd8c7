//! `topo lsp`: a language server over stdio.
//!
//! Built on `lsp-server`'s message types with a framing reader of its own
//! (see `transport`): the work is CPU-bound, so an async runtime would add
//! weight without speed. Each open document is checked as the root of its
//! project (with its includes, read from the editor where open and from
//! disk otherwise), on a worker thread (see `worker`), after the editor has
//! been quiet for a moment; requests are answered meanwhile from the last
//! analysis (see `projects`).

use crate::model::load::Loaded;
use crate::model::Project;
use lsp_server::{Message, Request, Response};
use lsp_types as lsp;
use position::Encoding;
use projects::{Checks, Published};
use std::cell::Cell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Instant;
use transport::{Incoming, Output};

mod actions;
mod completion;
mod context;
mod documents;
mod form;
mod hover;
mod navigation;
mod position;
mod projects;
mod rename;
mod tokens;
pub mod transport;
mod worker;
mod workspace;

pub use position::{path_to_uri, uri_to_path};

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
    /// Each open document's last complete analysis, by root.
    analyses: HashMap<PathBuf, Analysis>,
    /// The editor's workspace folders: the project root of the documents
    /// inside them, as `--root` is on the command line.
    workspaces: Vec<PathBuf>,
    /// Each root's last diagnostics, by file.
    diagnostics: Published,
    checks: Checks,
    /// The client registers file watchers the server asks for.
    dynamic_watch: bool,
    /// Set when the client stopped reading: nothing more can be answered.
    write_error: Cell<Option<String>>,
}

/// What the main loop waits for.
enum Event {
    Incoming(Incoming),
    Done(worker::Done),
    /// The input ended.
    End,
}

pub fn run() -> Result<(), String> {
    let incoming =
        transport::spawn_stdin_reader().map_err(|e| format!("cannot start the reader: {e}"))?;
    // One queue for messages and checks; bounded, so that the reader still
    // waits for the server rather than buffering the input.
    let (events, queue) = mpsc::sync_channel(1);
    let forward = events.clone();
    std::thread::Builder::new()
        .name("lsp-events".into())
        .spawn(move || {
            for message in incoming {
                if forward.send(Event::Incoming(message)).is_err() {
                    return;
                }
            }
            let _ = forward.send(Event::End);
        })
        .map_err(|e| format!("cannot start the reader: {e}"))?;
    let (jobs, job_queue) = mpsc::channel();
    worker::spawn(job_queue, events, Event::Done)
        .map_err(|e| format!("cannot start the checker: {e}"))?;
    let mut server = Server {
        output: Output::stdout(),
        phase: Phase::Uninitialized,
        encoding: Encoding::Utf16,
        open: HashMap::new(),
        analyses: HashMap::new(),
        workspaces: Vec::new(),
        diagnostics: HashMap::new(),
        checks: Checks::new(jobs),
        dynamic_watch: false,
        write_error: Cell::new(None),
    };
    server.main_loop(&queue)
}

/// The capabilities answered to `initialize`, with the position encoding
/// chosen from those the client offers.
#[allow(clippy::type_complexity)]
fn initialize(
    params: serde_json::Value,
) -> Result<(Encoding, serde_json::Value, Vec<PathBuf>, bool), String> {
    let params: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("invalid initialize params: {e}"))?;
    #[allow(deprecated)] // `root_uri` is what clients without folders send.
    let workspaces: Vec<PathBuf> = match &params.workspace_folders {
        Some(folders) if !folders.is_empty() => {
            folders.iter().filter_map(|f| uri_to_path(&f.uri)).collect()
        }
        _ => params.root_uri.iter().filter_map(uri_to_path).collect(),
    };
    let dynamic_watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
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
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        semantic_tokens_provider: Some(tokens::capability()),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "topo", "version": env!("CARGO_PKG_VERSION") },
    });
    Ok((encoding, result, workspaces, dynamic_watch))
}

impl Server {
    /// Serves until `exit` or the end of the input. `exit` without
    /// `shutdown` is an error, as LSP asks (exit code 1).
    fn main_loop(&mut self, queue: &Receiver<Event>) -> Result<(), String> {
        loop {
            if let Some(e) = self.write_error.take() {
                return Err(format!("cannot write to the client: {e}"));
            }
            let event = match self.checks.deadline {
                None => queue.recv().unwrap_or(Event::End),
                Some(deadline) => {
                    match queue.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                        Ok(event) => event,
                        Err(RecvTimeoutError::Timeout) => {
                            self.start_checks();
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => Event::End,
                    }
                }
            };
            let message = match event {
                Event::End => return Ok(()),
                Event::Done(done) => {
                    self.checked(done);
                    continue;
                }
                Event::Incoming(Incoming::Message(m)) => m,
                Event::Incoming(Incoming::Invalid { id, code, reason }) => {
                    let sent = self.output.send_error(id, code, &reason);
                    self.note_write(sent);
                    continue;
                }
            };
            match message {
                Message::Request(req) => self.answer(req),
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
                    let change = self.notification(n);
                    self.changed(change);
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Asks the client to report changes to topo files and the
    /// configuration on disk, where it lets servers register watchers.
    fn watch_files(&self) {
        if !self.dynamic_watch {
            return;
        }
        let watchers = ["**/*.topo", "**/topo.toml"]
            .map(|glob| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(glob.into()),
                kind: None,
            })
            .to_vec();
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "topo-watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(
                    lsp::DidChangeWatchedFilesRegistrationOptions { watchers },
                )
                .ok(),
            }],
        };
        self.send(Message::Request(Request::new(
            lsp_server::RequestId::from("topo-watched-files".to_string()),
            "client/registerCapability".into(),
            params,
        )));
    }

    /// Answers a request according to the phase of the conversation.
    fn dispatch(&mut self, req: Request) -> Response {
        let refuse = |code: lsp_server::ErrorCode, text: &str| {
            Response::new_err(req.id.clone(), code as i32, text.to_string())
        };
        match (self.phase, req.method.as_str()) {
            (Phase::Uninitialized, "initialize") => match initialize(req.params) {
                Ok((encoding, result, workspaces, dynamic_watch)) => {
                    self.encoding = encoding;
                    self.workspaces = workspaces;
                    self.dynamic_watch = dynamic_watch;
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
            "workspace/symbol" => self
                .workspace_symbols(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/semanticTokens/full" => self
                .semantic_tokens(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/codeAction" => self
                .code_actions(req.params)
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
            "textDocument/prepareRename" => match self.prepare_rename(req.params) {
                Ok(v) => v.map(|v| serde_json::to_value(v).unwrap_or_default()),
                Err((code, text)) => return Response::new_err(id, code as i32, text),
            },
            "textDocument/rename" => match self.rename(req.params) {
                Ok(v) => v.map(|v| serde_json::to_value(v).unwrap_or_default()),
                Err((code, text)) => return Response::new_err(id, code as i32, text),
            },
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
}
