//! Projects: every open document is the root of one, and a project is every
//! file its last check read (the root and its includes). A change to a file
//! re-checks every project that reads it, after a quiet period, on the
//! worker; a file's published diagnostics are those of every project that
//! reads it, so closing one document keeps what the others still find.

use super::position::uri_to_path;
use super::worker::{Done, Job};
use super::Server;
use crate::diagnostic::{Diagnostic, Severity};
use crate::input::Root;
use crate::model::load::{normalize, Loaded};
use lsp_server::Request;
use lsp_types as lsp;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the editor must be quiet before a check starts: a burst of
/// keystrokes makes one check.
pub(super) const QUIET: Duration = Duration::from_millis(50);

/// What a notification changed.
pub(super) enum Change {
    Nothing,
    /// These files' texts (in the editor or on disk).
    Files(Vec<PathBuf>),
    /// Something any project may read (a file created or deleted, the
    /// configuration): every project is checked again.
    All,
}

/// The checks asked for and running.
pub(super) struct Checks {
    jobs: Sender<Job>,
    /// Roots to check once the editor is quiet.
    pending: BTreeSet<PathBuf>,
    pub(super) deadline: Option<Instant>,
    /// Raised by every change: results of an older generation are stale.
    generation: u64,
    cancel: Arc<AtomicBool>,
    /// The generation of the job the worker has, until it ends (a job
    /// cancelled by a change ends under its old generation).
    running: Option<u64>,
    /// Requests about a document no check has read yet: answered when one
    /// has.
    deferred: Vec<Request>,
    /// Raised by the next edit: the parse asked for this one is not needed.
    parse_superseded: Arc<AtomicBool>,
}

impl Checks {
    pub(super) fn new(jobs: Sender<Job>) -> Checks {
        Checks {
            jobs,
            pending: BTreeSet::new(),
            deadline: None,
            generation: 0,
            cancel: Arc::new(AtomicBool::new(false)),
            running: None,
            deferred: Vec::new(),
            parse_superseded: Arc::new(AtomicBool::new(false)),
        }
    }

    fn busy(&self) -> bool {
        self.running.is_some() || !self.pending.is_empty()
    }
}

impl Server {
    /// Takes note of a change: every project reading a changed file (and a
    /// changed open document's own) is checked after the quiet period; the
    /// check running now is cancelled.
    pub(super) fn changed(&mut self, change: Change) {
        let roots: BTreeSet<PathBuf> = match change {
            Change::Nothing => return,
            Change::All => self.open.keys().cloned().collect(),
            Change::Files(files) => {
                self.parse_ahead(&files);
                let mut roots = BTreeSet::new();
                for file in files {
                    if self.open.contains_key(&file) {
                        roots.insert(file.clone());
                    }
                    roots.extend(self.roots_reading(&file));
                }
                roots
            }
        };
        if roots.is_empty() {
            return;
        }
        let checks = &mut self.checks;
        checks.cancel.store(true, Ordering::Relaxed);
        checks.generation += 1;
        checks.pending.extend(roots);
        checks.deadline = Some(Instant::now() + QUIET);
    }

    /// Parses the open documents among `files`, for every project whose
    /// last check read them, while the quiet period runs: the check that
    /// follows finds the parse ready.
    fn parse_ahead(&mut self, files: &[PathBuf]) {
        self.checks.parse_superseded.store(true, Ordering::Relaxed);
        let superseded = Arc::new(AtomicBool::new(false));
        self.checks.parse_superseded = superseded.clone();
        for file in files {
            let Some(text) = self.open.get(file) else {
                continue;
            };
            let text: Arc<str> = Arc::from(text.as_str());
            for (root, analysis) in &self.analyses {
                let id = analysis
                    .loaded
                    .sources
                    .iter()
                    .find(|(_, f)| normalize(&f.path) == *file)
                    .map(|(id, _)| id);
                if let Some(id) = id {
                    let _ = self.checks.jobs.send(Job::Parse {
                        root: root.clone(),
                        file: file.clone(),
                        id,
                        text: text.clone(),
                        superseded: superseded.clone(),
                    });
                }
            }
        }
    }

    /// The roots whose last check read `file`.
    fn roots_reading(&self, file: &Path) -> Vec<PathBuf> {
        self.analyses
            .iter()
            .filter(|(_, a)| reads(&a.loaded, file))
            .map(|(root, _)| root.clone())
            .collect()
    }

    /// The quiet period is over: the pending roots go to the worker.
    pub(super) fn start_checks(&mut self) {
        self.checks.deadline = None;
        let pending = std::mem::take(&mut self.checks.pending);
        let roots: Vec<(PathBuf, Root)> = pending
            .into_iter()
            .filter(|r| self.open.contains_key(r))
            .map(|r| {
                let root = self.project_root(&r);
                (r, root)
            })
            .collect();
        if roots.is_empty() {
            self.serve_deferred();
            return;
        }
        self.checks.pending = roots.iter().map(|(r, _)| r.clone()).collect();
        self.checks.cancel = Arc::new(AtomicBool::new(false));
        let job = Job::Check {
            generation: self.checks.generation,
            cancel: self.checks.cancel.clone(),
            open: Arc::new(self.open.clone()),
            roots,
        };
        let generation = self.checks.generation;
        self.checks.running = self.checks.jobs.send(job).is_ok().then_some(generation);
    }

    /// The innermost workspace folder holding the document, else its own
    /// directory (the command line's default).
    fn project_root(&self, root: &Path) -> Root {
        self.workspaces
            .iter()
            .filter(|w| root.starts_with(w))
            .max_by_key(|w| w.components().count())
            .map_or_else(|| Root::of_first(Some(root)), |w| Root::new(w))
    }

    /// A root is no longer open: its analysis goes, and the files it read
    /// keep only what other projects find in them.
    pub(super) fn forget(&mut self, root: &Path) {
        self.checks.pending.remove(root);
        let _ = self.checks.jobs.send(Job::Forget(root.to_path_buf()));
        self.analyses.remove(root);
        if let Some(files) = self.diagnostics.remove(root) {
            self.republish(files.into_keys());
        }
    }

    /// A result from the worker.
    pub(super) fn checked(&mut self, done: Done) {
        match done {
            Done::Checked {
                generation,
                root,
                analysis,
                diagnostics,
            } => {
                if generation != self.checks.generation || !self.open.contains_key(&root) {
                    return;
                }
                self.checks.pending.remove(&root);
                let by_file = self.by_file(&analysis.loaded, &diagnostics);
                let mut files: BTreeSet<PathBuf> = by_file.keys().cloned().collect();
                if let Some(before) = self.diagnostics.insert(root.clone(), by_file) {
                    files.extend(before.into_keys());
                }
                // The model it replaces is freed only once the editor has
                // the diagnostics: on a large project that takes a while.
                let replaced = self.analyses.insert(root, *analysis);
                self.republish(files);
                drop(replaced);
                self.serve_deferred();
            }
            Done::Finished { generation } => {
                if self.checks.running == Some(generation) {
                    self.checks.running = None;
                    self.serve_deferred();
                }
            }
        }
    }

    /// Publishes, for each file, the diagnostics of every project reading
    /// it (once each); a file no project reads any more is cleared.
    fn republish(&self, files: impl IntoIterator<Item = PathBuf>) {
        let mut roots: Vec<&PathBuf> = self.diagnostics.keys().collect();
        roots.sort();
        for file in files {
            let mut list: Vec<lsp::Diagnostic> = Vec::new();
            for root in &roots {
                for d in self.diagnostics[*root].get(&file).into_iter().flatten() {
                    if !list.contains(d) {
                        list.push(d.clone());
                    }
                }
            }
            self.publish(&file, list);
        }
    }

    /// A check's diagnostics for the editor, by file; every file read has
    /// an entry, so that one fixed is cleared.
    fn by_file(
        &self,
        loaded: &Loaded,
        diagnostics: &[Diagnostic],
    ) -> BTreeMap<PathBuf, Vec<lsp::Diagnostic>> {
        let mut by_file: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> = BTreeMap::new();
        for (_, f) in loaded.sources.iter() {
            by_file.insert(normalize(&f.path), Vec::new());
        }
        for d in diagnostics {
            let file = loaded.sources.get(d.span.file);
            let related = d
                .related
                .iter()
                .map(|r| lsp::DiagnosticRelatedInformation {
                    location: self.location(loaded, r.span),
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
                    data: self.fix_data(loaded, d),
                    ..Default::default()
                });
        }
        by_file
    }

    /// Answers a request now, or keeps it while its document awaits its
    /// first check: other requests never wait for a check. `shutdown` waits
    /// for the checks asked for, so that the editor is left with true
    /// diagnostics.
    pub(super) fn answer(&mut self, req: Request) {
        let waits = req.method == "shutdown" || self.awaits_check(&req);
        if self.checks.busy() && waits {
            self.checks.deferred.push(req);
            return;
        }
        let response = self.dispatch(req);
        self.send(lsp_server::Message::Response(response));
    }

    fn serve_deferred(&mut self) {
        for req in std::mem::take(&mut self.checks.deferred) {
            self.answer(req);
        }
    }

    /// A request about a document that no analysis holds yet.
    fn awaits_check(&self, req: &Request) -> bool {
        let Some(uri) = req.params["textDocument"]["uri"].as_str() else {
            return false;
        };
        let Ok(uri) = uri.parse::<lsp::Uri>() else {
            return false;
        };
        let Some(path) = uri_to_path(&uri).map(|p| normalize(&p)) else {
            return false;
        };
        !self.analyses.values().any(|a| reads(&a.loaded, &path))
    }
}

/// Whether a check read `file`.
fn reads(loaded: &Loaded, file: &Path) -> bool {
    loaded
        .sources
        .iter()
        .any(|(_, f)| normalize(&f.path) == file)
}

/// Every root's diagnostics, by file.
pub(super) type Published = HashMap<PathBuf, BTreeMap<PathBuf, Vec<lsp::Diagnostic>>>;
