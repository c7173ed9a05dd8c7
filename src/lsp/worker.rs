//! Checks on a thread of their own, so that requests are answered from the
//! last analysis while a check runs, and a newer edit cancels older work.
//!
//! A job carries a snapshot of the open documents and the roots to check;
//! each root's result comes back as soon as it is ready. The job's
//! cancellation flag is asked after reading, every thousand statements while
//! lowering and between analyzers.
//! Parses are kept per root and file, and reused while a file's text and
//! place in the load order (its `FileId`) stay the same.

use super::Analysis;
use crate::diagnostic::Diagnostic;
use crate::input::Root;
use crate::model::load::{load_with_root, normalize, DiskFileSystem, FileSystem};
use crate::source::FileId;
use crate::syntax::{self, ast::Ast};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;

/// What the worker is asked.
pub(super) enum Job {
    Check {
        generation: u64,
        cancel: Arc<AtomicBool>,
        /// The open documents' texts at the time of the job.
        open: Arc<HashMap<PathBuf, String>>,
        /// Each root and the directory its includes must stay inside.
        roots: Vec<(PathBuf, Root)>,
    },
    /// A root no longer checked: its parses are dropped.
    Forget(PathBuf),
    /// An edited file of a root, parsed while the editor's quiet period
    /// runs, so that the check after it finds the parse ready. Skipped when
    /// `superseded` says a newer edit came first.
    Parse {
        root: PathBuf,
        file: PathBuf,
        id: FileId,
        text: Arc<str>,
        superseded: Arc<AtomicBool>,
    },
}

/// What the worker answers.
pub(super) enum Done {
    Checked {
        generation: u64,
        root: PathBuf,
        analysis: Box<Analysis>,
        diagnostics: Vec<Diagnostic>,
    },
    /// The job ended, finished or cancelled.
    Finished { generation: u64 },
}

/// One file's parse, with the text it was made from.
struct Parsed {
    text: Arc<str>,
    ast: Arc<Ast>,
    errors: Vec<Diagnostic>,
}

type Parses = HashMap<(PathBuf, FileId), Parsed>;

/// Starts the worker; it ends when the job channel closes.
pub(super) fn spawn<T: Send + 'static>(
    jobs: Receiver<Job>,
    done_tx: SyncSender<T>,
    wrap: fn(Done) -> T,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("lsp-check".into())
        .spawn(move || {
            let mut parses: HashMap<PathBuf, Parses> = HashMap::new();
            for job in jobs {
                match job {
                    Job::Forget(root) => {
                        parses.remove(&root);
                    }
                    Job::Parse {
                        root,
                        file,
                        id,
                        text,
                        superseded,
                    } => {
                        if superseded.load(Ordering::Relaxed) {
                            continue;
                        }
                        let kept = parses.entry(root).or_default();
                        let key = (file, id);
                        if kept.get(&key).is_some_and(|p| p.text == text) {
                            continue;
                        }
                        let (ast, errors) = syntax::parse(id, &text);
                        let parsed = Parsed {
                            text,
                            ast: Arc::new(ast),
                            errors,
                        };
                        // The parse it replaces is freed here, off the
                        // check's path.
                        drop(kept.insert(key, parsed));
                    }
                    Job::Check {
                        generation,
                        cancel,
                        open,
                        roots,
                    } => {
                        let cancelled = || cancel.load(Ordering::Relaxed);
                        for (root, project_root) in roots {
                            if cancelled() {
                                break;
                            }
                            let previous = parses.remove(&root).unwrap_or_default();
                            let overlay = Overlay {
                                open: &open,
                                previous: RefCell::new(previous),
                                kept: RefCell::new(HashMap::new()),
                            };
                            let result = check(&overlay, &root, &project_root, &cancelled);
                            parses.insert(root.clone(), overlay.kept.into_inner());
                            let Some((analysis, diagnostics)) = result else {
                                break;
                            };
                            let done = Done::Checked {
                                generation,
                                root,
                                analysis: Box::new(analysis),
                                diagnostics,
                            };
                            if done_tx.send(wrap(done)).is_err() {
                                return;
                            }
                        }
                        if done_tx.send(wrap(Done::Finished { generation })).is_err() {
                            return;
                        }
                    }
                }
            }
        })?;
    Ok(())
}

/// Loads, lowers and analyses one project; None when cancelled.
fn check(
    overlay: &Overlay,
    root: &Path,
    project_root: &Root,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Analysis, Vec<Diagnostic>)> {
    let loaded = load_with_root(overlay, &[root.to_path_buf()], project_root);
    if cancelled() {
        return None;
    }
    let (project, diagnostics) = crate::check::analyze_loaded_until(&loaded, cancelled)?;
    Some((Analysis { loaded, project }, diagnostics))
}

/// Open documents over the disk, with the parses of the root's last check.
struct Overlay<'a> {
    open: &'a HashMap<PathBuf, String>,
    previous: RefCell<Parses>,
    /// The parses this check used: what the next one may reuse.
    kept: RefCell<Parses>,
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
    /// An untitled document has no directory, so it includes nothing.
    fn read_include(&self, path: &Path, root: &Root) -> Result<String, String> {
        if !path.is_absolute() {
            return Err("an untitled document has no directory to include from".into());
        }
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

    fn parse(&self, path: &Path, id: FileId, text: &str) -> (Arc<Ast>, Vec<Diagnostic>) {
        let key = (path.to_path_buf(), id);
        let previous = self.previous.borrow_mut().remove(&key);
        let parsed = match previous.filter(|p| &*p.text == text) {
            Some(parsed) => parsed,
            None => {
                let (ast, errors) = syntax::parse(id, text);
                Parsed {
                    text: Arc::from(text),
                    ast: Arc::new(ast),
                    errors,
                }
            }
        };
        let result = (parsed.ast.clone(), parsed.errors.clone());
        self.kept.borrow_mut().insert(key, parsed);
        result
    }
}
