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

/// `analyze_loaded`, asking `cancelled` while lowering and between
/// analyzers: None once it says yes.
pub fn analyze_loaded_until(
    loaded: &model::Loaded,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Project, Vec<Diagnostic>)> {
    let lowered = lower_loaded(loaded, cancelled)?;
    analyze_lowered(lowered, cancelled)
}

/// A lowered project without its graph, its diagnostics so far, and what
/// of it is damaged.
struct Lowered {
    project: Project,
    diagnostics: Vec<Diagnostic>,
    damaged: Damaged,
}

fn lower_loaded(loaded: &model::Loaded, cancelled: &dyn Fn() -> bool) -> Option<Lowered> {
    let (project, diagnostics) = model::lower::lower_without_graph_until(loaded, cancelled)?;
    if cancelled() {
        return None;
    }
    // Analyzers run even after language errors: they skip what is unknown,
    // and one typo should not hide every physical finding. But what they
    // say about a declaration with a language error in it is held back:
    // it reads a declaration that is not what was meant (a rack whose
    // `feeds` did not parse has no feeds), and the error comes first.
    let statements = loaded
        .files
        .iter()
        .flat_map(|(_, ast)| ast.statements.iter());
    let damaged = Damaged::new(statements.map(|s| s.span), &project, &diagnostics);
    Some(Lowered {
        project,
        diagnostics,
        damaged,
    })
}

fn analyze_lowered(
    lowered: Lowered,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Project, Vec<Diagnostic>)> {
    let Lowered {
        mut project,
        mut diagnostics,
        damaged,
    } = lowered;
    model::graph::build(&mut project);
    if cancelled() {
        return None;
    }
    let findings = crate::analyze::analyze_until(&project, cancelled)?;
    diagnostics.extend(findings.into_iter().filter(|d| !damaged.covers(d)));
    crate::diagnostic::sort(&mut diagnostics);
    Some((project, diagnostics))
}

/// The rules that say the text is not valid topo, as opposed to findings
/// about the design it describes.
pub const LANGUAGE_RULES: [&str; 5] = [
    crate::diagnostic::rule::SYNTAX,
    crate::diagnostic::rule::UNKNOWN_NAME,
    crate::diagnostic::rule::DUPLICATE_NAME,
    crate::diagnostic::rule::UNIT_MISMATCH,
    crate::diagnostic::rule::INVALID_VALUE,
];

/// Top-level statements with a language error inside, and the elements
/// they declare.
struct Damaged {
    spans: Vec<crate::source::Span>,
    names: std::collections::HashSet<String>,
}

impl Damaged {
    /// `statements` are where the top-level statements are.
    fn new(
        statements: impl Iterator<Item = crate::source::Span>,
        project: &Project,
        diagnostics: &[Diagnostic],
    ) -> Damaged {
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && LANGUAGE_RULES.contains(&d.rule))
            .map(|d| d.span)
            .collect();
        let mut spans = Vec::new();
        if !errors.is_empty() {
            spans.extend(statements.filter(|s| errors.iter().any(|e| within(*e, *s))));
        }
        let names = if spans.is_empty() {
            Default::default()
        } else {
            project
                .names
                .iter()
                .filter(|(_, e)| {
                    let at = project.span_of(**e);
                    spans.iter().any(|s| within(at, *s))
                })
                .map(|(n, _)| n.to_string())
                .collect()
        };
        Damaged { spans, names }
    }

    /// Whether an analyzer's finding is about a damaged declaration: its
    /// subject (or the subject's device, for a part) is one, or it points
    /// into one.
    fn covers(&self, d: &Diagnostic) -> bool {
        if self.spans.is_empty() {
            return false;
        }
        let subject = d
            .subject
            .as_deref()
            .map(|s| s.split_once('.').map_or(s, |(o, _)| o));
        subject.is_some_and(|s| self.names.contains(s))
            || self.spans.iter().any(|s| within(d.span, *s))
    }
}

fn within(inner: crate::source::Span, outer: crate::source::Span) -> bool {
    inner.file == outer.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Hands mimalloc's empty pages back to the system (under another
/// allocator it frees nothing). Lowering calls it after every few thousand
/// syntax trees it has freed, so that the model as it grows takes their
/// pages rather than new ones: mimalloc keeps a freed page for reuse by the
/// same size of allocation, and the model's are of other sizes.
fn hand_back_pages() {
    // SAFETY: `mi_collect` takes no pointer and may be called from any
    // thread at any time; it only returns mimalloc's empty pages.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_collect(true)
    };
}

/// Hands the pages of syntax trees parsed on other threads back to the
/// system, when a file of `sources` was parsed on several. The CLI's
/// allocator (mimalloc) gives each thread its own pages; those of a parsing
/// thread that has ended are reclaimed only now and then, so the graph and
/// the analyzers would take fresh pages while the freed trees still count
/// in the peak. After a parse on one thread it does nothing: those freed
/// pages are reused as they are, and the call would also hand back the
/// pages lowering has freed, for the analyzers to fault in again (0.1 s on
/// two million racks from twenty lines).
fn return_freed_pages(sources: &crate::source::Sources) {
    let threaded = sources
        .iter()
        .any(|(_, file)| crate::syntax::parses_on_threads(file.text.len()));
    if threaded {
        hand_back_pages();
    }
}

/// Lowers the syntax trees it takes over, freeing each once lowered (see
/// [`model::lower::lower_consuming`]), then analyzes.
fn finish(mut loaded: model::Loaded) -> Checked {
    let files = std::mem::take(&mut loaded.files);
    let consumed = model::lower::lower_consuming(&loaded.diagnostics, files, &hand_back_pages);
    return_freed_pages(&loaded.sources);
    let damaged = Damaged::new(
        consumed.statements.into_iter(),
        &consumed.project,
        &consumed.diagnostics,
    );
    let lowered = Lowered {
        project: consumed.project,
        diagnostics: consumed.diagnostics,
        damaged,
    };
    let (project, diagnostics) = analyze_lowered(lowered, &|| false).expect("never cancelled");
    Checked {
        sources: loaded.sources,
        project,
        diagnostics,
        unreadable: loaded.unreadable,
    }
}
