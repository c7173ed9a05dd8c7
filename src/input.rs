//! Reading input. Every file topo reads (given files, includes, standard
//! input, `topo.toml`, NetBox YAML) comes through here, so each is at most
//! 64 MiB, is read only if it is a regular file (or a pipe given as `-`),
//! and opening it never blocks: a FIFO, a terminal or `/dev/zero` named as
//! a file is refused before a byte of it is read.

use crate::text::printable_path;
use rustix::fs::OFlags;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{IsTerminal, Read};
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Inputs larger than this are refused.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file by name: a regular file of at most 64 MiB.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    read_regular(path, OFlags::empty())
}

fn read_regular(path: &Path, flags: OFlags) -> Result<Vec<u8>, String> {
    // Refuse special files by name first, so a device is never even opened
    // (opening some has effects of its own).
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    regular(&meta)?;
    // O_NONBLOCK: if the name was swapped for a FIFO since, opening it must
    // not wait for a writer. O_NOCTTY: a terminal never becomes ours.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY | flags).bits() as i32)
        .open(path)
        .map_err(|e| io_reason(&e))?;
    // What counts is the file that was opened, not the name checked above.
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    regular(&meta)?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(Some(meta.len())));
    }
    read_bounded(file, meta.len())
}

/// Reads a file as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, String> {
    read_file(path).and_then(decode)
}

/// Reads standard input (`-`): a pipe, a socket (what many programs use as
/// a pipe) or a redirected file, of at most 64 MiB. A terminal or a device
/// is refused: it would wait for typing or never end.
pub fn read_stdin() -> Result<Vec<u8>, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err("it is a terminal; pipe or redirect a file into it".into());
    }
    let fd = stdin
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| io_reason(&e))?;
    let file = File::from(fd);
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    let t = meta.file_type();
    if !(t.is_fifo() || t.is_socket() || t.is_file()) {
        return Err(format!(
            "it is {}; `-` reads a pipe or a redirected file",
            kind(&meta)
        ));
    }
    read_bounded(file, if t.is_file() { meta.len() } else { 0 })
}

/// Reads at most the limit and one byte more, whatever the metadata said:
/// a file can grow while it is read.
fn read_bounded(reader: impl Read, expected: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(expected.min(MAX_INPUT_BYTES) as usize + 1);
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(None));
    }
    Ok(bytes)
}

fn too_large(size: Option<u64>) -> String {
    let limit = MAX_INPUT_BYTES;
    let mib = limit / 1024 / 1024;
    match size {
        Some(size) => {
            format!("it is {size} bytes, more than the limit of {mib} MiB ({limit} bytes)")
        }
        None => format!("it is more than the limit of {mib} MiB ({limit} bytes)"),
    }
}

/// Ok for a regular file; otherwise why not, e.g. "it is a FIFO, not a regular file".
pub fn regular(meta: &Metadata) -> Result<(), String> {
    if meta.file_type().is_file() {
        Ok(())
    } else {
        Err(format!("it is {}, not a regular file", kind(meta)))
    }
}

/// What a file is, in words.
pub fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        "a regular file"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Why an operation on a file failed, in a few words.
pub fn io_reason(e: &std::io::Error) -> String {
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

/// Where an include may go: the project root, as given and as resolved.
#[derive(Debug, Clone)]
pub struct Root {
    /// Absolute, with `.` and `..` resolved lexically: for comparing names.
    pub lexical: PathBuf,
    /// With symlinks resolved, when the root exists: for comparing targets.
    pub canonical: Option<PathBuf>,
}

impl Root {
    pub fn new(dir: &Path) -> Root {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        Root {
            lexical: absolute(dir),
            canonical: std::fs::canonicalize(dir).ok(),
        }
    }

    /// The default root: the directory of the first file given (or that
    /// directory itself, when a directory is given).
    pub fn of_first(path: Option<&Path>) -> Root {
        let dir = match path {
            Some(p) if p.is_dir() => p,
            Some(p) => p.parent().unwrap_or(Path::new("")),
            None => Path::new(""),
        };
        Root::new(dir)
    }

    /// The root as messages show it.
    pub fn shown(&self) -> String {
        printable_path(self.canonical.as_deref().unwrap_or(&self.lexical)).into_owned()
    }

    /// Whether `path`, taken by name only, stays below the root.
    pub fn contains_lexically(&self, path: &Path) -> bool {
        below(&absolute(path), &self.lexical)
    }

    /// Reads an include from disk once its name stayed inside the root:
    /// resolves symlinks, then the target must still be inside the root, a
    /// `.topo` file, and regular. Nothing of a refused target is read.
    pub fn read_include(&self, path: &Path) -> Result<String, String> {
        let target = self.confine(path)?;
        // The target has no symlink left in it; one planted since is refused.
        read_regular(&target, OFlags::NOFOLLOW).and_then(decode)
    }

    /// The target of `path` with symlinks resolved, if it is inside the root
    /// and named `.topo`.
    pub fn confine(&self, path: &Path) -> Result<PathBuf, String> {
        let Some(root) = &self.canonical else {
            return Err(format!(
                "the project root `{}` does not exist",
                printable_path(&self.lexical)
            ));
        };
        let target = std::fs::canonicalize(path).map_err(|e| io_reason(&e))?;
        if !target.starts_with(root) {
            return Err(format!(
                "it leads to `{}`, outside the project root `{}` (pass --root to widen it)",
                printable_path(&target),
                printable_path(root)
            ));
        }
        if !is_topo(&target) {
            return Err(format!(
                "it leads to `{}`; only .topo files can be included",
                printable_path(&target)
            ));
        }
        Ok(target)
    }
}

/// Whether a file name ends in `.topo`.
pub fn is_topo(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "topo")
}

/// The name standard input goes by in findings (`topo check -`).
pub const STDIN_NAME: &str = "<stdin>";

/// At most this many `.topo` files are taken from one directory tree.
pub const MAX_DIRECTORY_FILES: usize = 100_000;
/// Directories nested deeper than this below the one given are not read.
pub const MAX_DIRECTORY_DEPTH: usize = 32;

/// Every `*.topo` file below `dir`, sorted by path, for `topo check DIR`.
/// Hidden entries (`.git`, `.cache`) and symbolic links to directories are
/// skipped: the first holds no project, the second could loop or leave the
/// tree. A symbolic link to a file is taken by its name; reading it later
/// applies the usual checks.
pub fn topo_files_below(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), 0usize)];
    while let Some((here, depth)) = pending.pop() {
        let entries = std::fs::read_dir(&here)
            .map_err(|e| format!("cannot list `{}`: {}", printable_path(&here), io_reason(&e)))?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                format!("cannot list `{}`: {}", printable_path(&here), io_reason(&e))
            })?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // `topo check .` names `a/b.topo`, not `./a/b.topo`.
            let path = match entry.path().strip_prefix(".") {
                Ok(rest) => rest.to_path_buf(),
                Err(_) => entry.path(),
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < MAX_DIRECTORY_DEPTH {
                    pending.push((path, depth + 1));
                }
            } else if is_topo(&path) && (kind.is_file() || kind.is_symlink()) {
                found.push(path);
                if found.len() > MAX_DIRECTORY_FILES {
                    return Err(format!(
                        "`{}` holds more than {MAX_DIRECTORY_FILES} `.topo` files",
                        printable_path(dir)
                    ));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `path` made absolute against the working directory, without touching
/// the disk; `..` is resolved lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    lexical(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Whether lexically normalized `path` is `root` or below it.
fn below(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|rest| {
        !matches!(
            rest.components().next(),
            Some(std::path::Component::ParentDir)
        )
    })
}

/// `a/./b/../c` → `a/c`, without touching the disk. A `..` removes only a
/// name before it, never another `..`: `../../x` stays `../../x`.
pub fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_components_are_never_dropped() {
        assert_eq!(lexical(Path::new("a/./b/../c")), Path::new("a/c"));
        assert_eq!(
            lexical(Path::new("../../common.topo")),
            Path::new("../../common.topo")
        );
        assert_eq!(
            lexical(Path::new("../../dc/models/m.topo")),
            Path::new("../../dc/models/m.topo")
        );
        assert_eq!(lexical(Path::new("a/../../b")), Path::new("../b"));
        assert_eq!(lexical(Path::new("/../etc")), Path::new("/etc"));
    }

    #[test]
    fn below_the_root_by_name() {
        let root = Path::new("/p/dc");
        assert!(below(Path::new("/p/dc/m.topo"), root));
        assert!(below(Path::new("/p/dc"), root));
        assert!(!below(Path::new("/p/dcx/m.topo"), root));
        assert!(!below(Path::new("/p/common.topo"), root));
    }

    #[test]
    fn binary_and_non_utf8_input_is_unreadable() {
        assert!(decode(vec![b's', 0, 1]).unwrap_err().contains("binary"));
        assert!(decode(vec![b's', 0xff]).unwrap_err().contains("not UTF-8"));
    }
}
