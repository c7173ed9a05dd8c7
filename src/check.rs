//! `topo check` as a library call: load, lower, analyze.

use crate::diagnostic::{Diagnostic, Severity};
use crate::input::Root;
use crate::model::{self, load::Unreadable, Project};
use crate::source::Sources;
use std::path::PathBuf;

pub struct Checked {
    pub sources: Sources,
    pub project: Project,
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Given files that could not be read (bad usage: exit 2).
    pub unreadable: Vec<Unreadable>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Checks files on disk; includes stay in the directory of the first.
pub fn check_files(paths: &[PathBuf]) -> Checked {
    finish(model::load_files(paths))
}

/// Checks files on disk; includes stay inside `root`.
pub fn check_files_in(paths: &[PathBuf], root: &Root) -> Checked {
    finish(model::load::load_files_in(paths, root))
}

/// Checks files on disk and, when `stdin` holds text, standard input as
/// the file [`crate::input::STDIN_NAME`] among them; includes stay inside
/// `root`.
pub fn check_inputs(paths: &[PathBuf], stdin: Option<String>, root: &Root) -> Checked {
    match stdin {
        Some(text) => {
            let fs = model::load::StdinAndDisk { stdin: text };
            let mut sorted = paths.to_vec();
            sorted.sort();
            sorted.dedup();
            finish(model::load::load_with_root(&fs, &sorted, root))
        }
        None => check_files_in(paths, root),
    }
}

/// Checks in-memory files given as (path, text).
pub fn check_sources(files: &[(&str, &str)]) -> Checked {
    finish(model::load_sources(files))
}

/// Lowers and analyzes loaded files (editors keep the syntax trees).
pub fn analyze_loaded(loaded: &model::Loaded) -> (Project, Vec<Diagnostic>) {
    analyze_loaded_until(loaded, &|| false).expect("never cancelled")
}

/// `analyze_loaded`, asking `cancelled` between lowering and each analyzer:
/// None once it says yes.
pub fn analyze_loaded_until(
    loaded: &model::Loaded,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Project, Vec<Diagnostic>)> {
    let (project, mut diagnostics) = model::lower::lower(loaded);
    if cancelled() {
        return None;
    }
    // Analyzers run even after language errors: they skip what is unknown,
    // and one typo should not hide every physical finding.
    diagnostics.extend(crate::analyze::analyze_until(&project, cancelled)?);
    crate::diagnostic::sort(&mut diagnostics);
    Some((project, diagnostics))
}

fn finish(loaded: model::Loaded) -> Checked {
    let (project, diagnostics) = analyze_loaded(&loaded);
    Checked {
        sources: loaded.sources,
        project,
        diagnostics,
        unreadable: loaded.unreadable,
    }
}
