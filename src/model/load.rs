//! Reading files: the ones given, plus their includes, each once.

use crate::diagnostic::{rule, Diagnostic};
use crate::source::{FileId, Sources, Span};
use crate::syntax::{self, ast::Ast, ast::ItemKind};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Includes nested deeper than this are refused.
pub const MAX_INCLUDE_DEPTH: usize = 64;
/// After this many syntax errors in one file the rest are not reported.
pub const MAX_SYNTAX_ERRORS: usize = 50;

/// Where file contents come from: the disk, or memory (tests, editors).
pub trait FileSystem {
    fn read(&self, path: &Path) -> Result<String, String>;
    /// A stable identity for "the same file".
    fn identity(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
}

pub struct DiskFileSystem;

impl FileSystem for DiskFileSystem {
    fn read(&self, path: &Path) -> Result<String, String> {
        let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
        if meta.is_dir() {
            return Err("it is a directory".into());
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(format!(
                "it is {} bytes, more than the limit of {} MiB",
                meta.len(),
                MAX_FILE_BYTES / 1024 / 1024
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| io_reason(&e))?;
        decode(bytes)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
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
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Text must be UTF-8 without NUL bytes; anything else is not a topo file.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("it is a binary file (it contains NUL bytes)".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// `a/./b/../c` → `a/c`, without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
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
    /// Parsed files, each after the files it includes.
    pub files: Vec<(FileId, Ast)>,
    pub diagnostics: Vec<Diagnostic>,
    pub unreadable: Vec<Unreadable>,
}

/// Loads files from disk. Files given together are read in path order, so
/// the order they are named in changes nothing.
pub fn load_files(paths: &[PathBuf]) -> Loaded {
    let mut sorted = paths.to_vec();
    sorted.sort();
    sorted.dedup();
    load_with(&DiskFileSystem, &sorted)
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

pub fn load_with(fs: &dyn FileSystem, paths: &[PathBuf]) -> Loaded {
    let mut loader = Loader {
        fs,
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
        let (ast, mut errors) = syntax::parse(id, &source.text);
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
                    ItemKind::Str(p) => Some((p.clone(), arg.span, s.span)),
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
        match self.fs.read(&path) {
            Ok(text) => self.add(path, identity, text),
            Err(reason) => self.loaded.diagnostics.push(
                Diagnostic::error(
                    rule::INVALID_VALUE,
                    span,
                    format!("cannot include `{}`: {reason}", path.display()),
                )
                .with_label("cannot read this file"),
            ),
        }
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

    #[test]
    fn binary_and_non_utf8_input_is_unreadable() {
        assert!(decode(vec![b's', 0, 1]).unwrap_err().contains("binary"));
        assert!(decode(vec![b's', 0xff]).unwrap_err().contains("not UTF-8"));
    }
}
