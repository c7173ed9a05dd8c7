//! Reading files: the ones given, plus their includes, each once.
//!
//! An include resolves relative to the including file, by name (`a/../b` is
//! `b`), and must stay inside the project root, also through symlinks; it
//! must name a regular `.topo` file. A refused include is a diagnostic on
//! the include that names it; nothing of its target is read.

use crate::diagnostic::{rule, Diagnostic};
use crate::input::{self, Root};
use crate::source::{FileId, Sources, Span};
use crate::syntax::{self, ast::Ast, ast::ItemKind};
use crate::text::{printable, printable_path};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::input::decode;

/// Files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = input::MAX_INPUT_BYTES;
/// Includes nested deeper than this are refused.
pub const MAX_INCLUDE_DEPTH: usize = 64;
/// After this many syntax errors in one file the rest are not reported.
pub const MAX_SYNTAX_ERRORS: usize = 50;

/// Where file contents come from: the disk, or memory (tests, editors).
pub trait FileSystem {
    /// Reads a file the user named.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// Reads an include whose name stays inside `root` and ends in `.topo`;
    /// refuses (without reading it) a target that is not a regular file or
    /// that a symlink takes out of the root.
    fn read_include(&self, path: &Path, root: &Root) -> Result<String, String>;
    /// A stable identity for "the same file".
    fn identity(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
    /// Parses one file read from `path`: a file system that remembers
    /// (an editor's) may answer from what it parsed before.
    fn parse(&self, _path: &Path, id: FileId, text: &str) -> (Arc<Ast>, Vec<Diagnostic>) {
        let (ast, errors) = syntax::parse(id, text);
        (Arc::new(ast), errors)
    }
}

pub struct DiskFileSystem;

impl FileSystem for DiskFileSystem {
    fn read(&self, path: &Path) -> Result<String, String> {
        input::read_text(path)
    }

    fn read_include(&self, path: &Path, root: &Root) -> Result<String, String> {
        root.read_include(path)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
    }
}

/// The disk, plus standard input under [`input::STDIN_NAME`]: `topo check
/// -` reads the piped text as a file in the working directory, whose
/// includes come from the disk.
pub struct StdinAndDisk {
    pub stdin: String,
}

impl StdinAndDisk {
    fn is_stdin(path: &Path) -> bool {
        path == Path::new(input::STDIN_NAME)
    }
}

impl FileSystem for StdinAndDisk {
    fn read(&self, path: &Path) -> Result<String, String> {
        if Self::is_stdin(path) {
            Ok(self.stdin.clone())
        } else {
            DiskFileSystem.read(path)
        }
    }

    fn read_include(&self, path: &Path, root: &Root) -> Result<String, String> {
        DiskFileSystem.read_include(path, root)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        if Self::is_stdin(path) {
            path.to_path_buf()
        } else {
            DiskFileSystem.identity(path)
        }
    }
}

/// Files held in memory, by path.
#[derive(Default)]
pub struct MemoryFileSystem {
    pub files: HashMap<PathBuf, String>,
}

impl FileSystem for MemoryFileSystem {
    fn read(&self, path: &Path) -> Result<String, String> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }

    fn read_include(&self, path: &Path, _root: &Root) -> Result<String, String> {
        self.read(path)
    }
}

/// `a/./b/../c` → `a/c`, without touching the disk; `..` is never dropped.
pub fn normalize(path: &Path) -> PathBuf {
    input::lexical(path)
}

/// A given file that could not be read: bad usage, exit 2.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub path: PathBuf,
    pub reason: String,
}

/// Everything read for one project.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    /// Parsed files, each after the files it includes. Shared, so that an
    /// editor's cache of parses hands them over without a copy.
    pub files: Vec<(FileId, Arc<Ast>)>,
    pub diagnostics: Vec<Diagnostic>,
    pub unreadable: Vec<Unreadable>,
}

/// Loads files from disk; the project root is the directory of the first.
/// Files given together are read in path order, so the order they are
/// named in changes nothing.
pub fn load_files(paths: &[PathBuf]) -> Loaded {
    load_files_in(paths, &Root::of_first(paths.first().map(PathBuf::as_path)))
}

/// Loads files from disk, keeping includes inside `root`.
pub fn load_files_in(paths: &[PathBuf], root: &Root) -> Loaded {
    let mut sorted = paths.to_vec();
    sorted.sort();
    sorted.dedup();
    load_with_root(&DiskFileSystem, &sorted, root)
}

/// Loads in-memory files, given as (path, text); includes resolve among them.
pub fn load_sources(files: &[(&str, &str)]) -> Loaded {
    let fs = MemoryFileSystem {
        files: files
            .iter()
            .map(|(p, t)| (normalize(Path::new(p)), t.to_string()))
            .collect(),
    };
    let paths: Vec<PathBuf> = files.iter().map(|(p, _)| PathBuf::from(p)).collect();
    load_with(&fs, &paths)
}

/// Loads through `fs`; the project root is the directory of the first file.
pub fn load_with(fs: &dyn FileSystem, paths: &[PathBuf]) -> Loaded {
    let root = Root::of_first(paths.first().map(PathBuf::as_path));
    load_with_root(fs, paths, &root)
}

pub fn load_with_root(fs: &dyn FileSystem, paths: &[PathBuf], root: &Root) -> Loaded {
    let mut loader = Loader {
        fs,
        root,
        loaded: Loaded::default(),
        seen: HashMap::new(),
        stack: Vec::new(),
    };
    for path in paths {
        let identity = fs.identity(path);
        if loader.seen.contains_key(&identity) {
            continue;
        }
        match fs.read(path) {
            Ok(text) => loader.add(path.clone(), identity, text),
            Err(reason) => loader.loaded.unreadable.push(Unreadable {
                path: path.clone(),
                reason,
            }),
        }
    }
    loader.loaded
}

struct Loader<'a> {
    fs: &'a dyn FileSystem,
    root: &'a Root,
    loaded: Loaded,
    seen: HashMap<PathBuf, FileId>,
    /// Files being loaded, outermost first, to report include cycles.
    stack: Vec<(PathBuf, FileId)>,
}

impl Loader<'_> {
    fn add(&mut self, path: PathBuf, identity: PathBuf, text: String) {
        let name = path.display().to_string();
        let id = self.loaded.sources.add(path.clone(), name, text);
        self.seen.insert(identity.clone(), id);
        let source = self.loaded.sources.get(id);
        let (ast, mut errors) = self.fs.parse(&identity, id, &source.text);
        if errors.len() > MAX_SYNTAX_ERRORS {
            let last = errors[MAX_SYNTAX_ERRORS - 1].span;
            errors.truncate(MAX_SYNTAX_ERRORS);
            errors.push(
                Diagnostic::error(
                    rule::SYNTAX,
                    last,
                    format!("too many syntax errors; stopped reporting after {MAX_SYNTAX_ERRORS}"),
                )
                .with_help("is this a topo file?"),
            );
        }
        self.loaded.diagnostics.extend(errors);
        let includes: Vec<(String, Span, Span)> = ast
            .statements
            .iter()
            .filter(|s| s.keyword() == Some("include") && s.block.is_none())
            .filter_map(|s| match s.args() {
                [arg] => match &arg.kind {
                    ItemKind::Str(p) => Some((p.to_string(), arg.span, s.span)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        self.stack.push((identity, id));
        for (target, span, _) in includes {
            self.include(&path, &target, span);
        }
        self.stack.pop();
        // Included files come before their includer, as if pasted in place.
        self.loaded.files.push((id, ast));
    }

    fn include(&mut self, from: &Path, target: &str, span: Span) {
        let path = normalize(&from.parent().unwrap_or(Path::new("")).join(target));
        if let Err(reason) = self.allowed(target, &path) {
            self.refuse(target, &path, span, reason);
            return;
        }
        let identity = self.fs.identity(&path);
        if let Some(pos) = self.stack.iter().position(|(p, _)| *p == identity) {
            let mut chain: Vec<String> = self.stack[pos..]
                .iter()
                .map(|(_, id)| self.loaded.sources.get(*id).name.clone())
                .collect();
            chain.push(self.loaded.sources.get(self.stack[pos].1).name.clone());
            self.loaded.diagnostics.push(
                Diagnostic::error(
                    rule::INVALID_VALUE,
                    span,
                    format!("include cycle: {}", chain.join(" → ")),
                )
                .with_label("this include leads back to a file being read"),
            );
            return;
        }
        if self.seen.contains_key(&identity) {
            return;
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            self.loaded.diagnostics.push(Diagnostic::error(
                rule::INVALID_VALUE,
                span,
                format!("includes are nested deeper than {MAX_INCLUDE_DEPTH} files"),
            ));
            return;
        }
        match self.fs.read_include(&path, self.root) {
            Ok(text) => self.add(path, identity, text),
            Err(reason) => self.refuse(target, &path, span, reason),
        }
    }

    /// The checks on the include's name alone, before the disk is asked.
    fn allowed(&self, target: &str, path: &Path) -> Result<(), String> {
        if Path::new(target).has_root() {
            return Err(
                "it is an absolute path; an include is relative to the including file".into(),
            );
        }
        if !self.root.contains_lexically(path) {
            return Err(format!(
                "it is outside the project root `{}` (pass --root to widen it)",
                self.root.shown()
            ));
        }
        if !input::is_topo(path) {
            return Err("only .topo files can be included".into());
        }
        Ok(())
    }

    fn refuse(&mut self, target: &str, path: &Path, span: Span, reason: String) {
        let mut diagnostic = Diagnostic::error(
            rule::INVALID_VALUE,
            span,
            format!("cannot include `{}`: {reason}", printable(target)),
        )
        .with_label("not included");
        // Where a relative include was looked for, when that is not plain.
        if Path::new(target) != path && !Path::new(target).has_root() {
            diagnostic = diagnostic.with_help(format!("looked for `{}`", printable_path(path)));
        }
        self.loaded.diagnostics.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_load_once_and_relative_to_the_includer() {
        let loaded = load_sources(&[
            (
                "dc/main.topo",
                "include \"models/a.topo\"\ninclude \"models/b.topo\"",
            ),
            ("dc/models/a.topo", "include \"b.topo\"\nsite a"),
            ("dc/models/b.topo", "site b"),
        ]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let names: Vec<_> = loaded.sources.iter().map(|(_, f)| f.name.clone()).collect();
        assert_eq!(
            names,
            ["dc/main.topo", "dc/models/a.topo", "dc/models/b.topo"]
        );
    }

    #[test]
    fn include_cycles_and_missing_files_are_reported() {
        let loaded = load_sources(&[
            ("a.topo", "include \"b.topo\"\ninclude \"missing.topo\""),
            ("b.topo", "include \"a.topo\""),
        ]);
        let messages: Vec<_> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(
            messages,
            [
                "include cycle: a.topo → b.topo → a.topo",
                "cannot include `missing.topo`: no such file"
            ]
        );
    }

    #[test]
    fn self_include_is_a_cycle() {
        let loaded = load_sources(&[("a.topo", "include \"a.topo\"")]);
        assert_eq!(
            loaded.diagnostics[0].message,
            "include cycle: a.topo → a.topo"
        );
    }

    fn memory(files: &[(&str, &str)]) -> MemoryFileSystem {
        MemoryFileSystem {
            files: files
                .iter()
                .map(|(p, t)| (normalize(Path::new(p)), t.to_string()))
                .collect(),
        }
    }

    #[test]
    fn parent_directories_are_not_dropped() {
        let fs = memory(&[
            ("main.topo", "include \"../../common.topo\""),
            ("common.topo", "site decoy"),
            ("../../common.topo", "site real"),
        ]);
        let loaded = load_with_root(&fs, &["main.topo".into()], &Root::new(Path::new("../..")));
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let names: Vec<_> = loaded.sources.iter().map(|(_, f)| f.name.clone()).collect();
        assert_eq!(names, ["main.topo", "../../common.topo"]);
    }

    #[test]
    fn includes_stay_inside_the_root_and_name_topo_files() {
        let fs = memory(&[
            (
                "dc/main.topo",
                "include \"../common.topo\"\ninclude \"/etc/passwd\"\ninclude \"notes.txt\"\ninclude \"a/../b.topo\"",
            ),
            ("common.topo", "site secret"),
            ("dc/notes.txt", "site secret"),
            ("dc/b.topo", "site b"),
        ]);
        let loaded = load_with(&fs, &["dc/main.topo".into()]);
        let messages: Vec<_> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0]
            .starts_with("cannot include `../common.topo`: it is outside the project root `"));
        assert!(
            messages[0].ends_with("dc` (pass --root to widen it)"),
            "{}",
            messages[0]
        );
        assert_eq!(
            messages[1],
            "cannot include `/etc/passwd`: it is an absolute path; an include is relative to the including file"
        );
        assert_eq!(
            messages[2],
            "cannot include `notes.txt`: only .topo files can be included"
        );
        let names: Vec<_> = loaded.sources.iter().map(|(_, f)| f.name.clone()).collect();
        assert_eq!(names, ["dc/main.topo", "dc/b.topo"]);
    }
}
