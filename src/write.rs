//! Every file topo writes (`fmt`, `render -o`, `import -o`) goes through here.
//!
//! A regular file is replaced by a temporary file created exclusively
//! (`O_CREAT|O_EXCL`, so a symlink planted at its name is never followed)
//! beside it, given the target's owner, group and mode on the open file
//! (`fchown`, `fchmod`: never by path, which another user could swap),
//! synced (for files a person edits, see [`Durability`]), then renamed over
//! the target: a reader sees the old file or the new one, never half of
//! one. Where a rename would lose something the file has, the file is
//! written in place instead, after its new content is complete:
//! - a file with more than one hard link (a rename would split the links);
//! - a file whose owner or group cannot be given to the new file (topo does
//!   not run as its owner and is not root: the rename would hand the file
//!   to whoever ran topo).
//!
//! A symlink is written through: the file it points to is replaced, the link
//! stays. A target that is not a regular file (`/dev/null`, `/dev/stdout`, a
//! FIFO) is opened and written, never replaced.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// How a write treats a file that is already at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (`fmt`, `render -o`, `import -o --force`).
    Replace,
    /// Leave it, also when it appears while topo runs (`import -o`).
    Keep,
}

/// Whether a write waits until the file is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Synced before the rename, and the directory after it: a crash or a
    /// power cut leaves the old file or the new one (`fmt`, `init`,
    /// `import`, which write the sources people edit).
    Synced,
    /// Renamed without waiting for the disk: readers still see the old file
    /// or the new one, but a power cut may lose the new one. For what is
    /// drawn or generated from the sources again (`render -o`, `docs`); a
    /// rack view of a large data centre is a hundred megabytes, and syncing
    /// it took longer than drawing it.
    Rebuilt,
}

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError {
    Io(io::Error),
    /// `Existing::Keep` and a regular file is at the target.
    Exists,
    /// The file is not what `fmt` read any more.
    Changed(Change),
}

/// How a file differs from the one `fmt` read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Deleted,
    Edited,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Io(e) => write!(f, "{e}"),
            WriteError::Exists => write!(f, "it exists"),
            WriteError::Changed(Change::Deleted) => write!(f, "it was deleted"),
            WriteError::Changed(Change::Edited) => write!(f, "it was changed"),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// What `fmt` read, to tell whether the file changed before it is replaced.
pub struct Snapshot<'a> {
    content: &'a [u8],
    identity: Option<Identity>,
}

/// Device, inode, size and modification time of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
}

impl Identity {
    fn of(meta: &Metadata) -> Self {
        Identity {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
        }
    }
}

impl<'a> Snapshot<'a> {
    /// The content read from `path`, and the file's identity now. Taken after
    /// the read: an edit between the read and this call still shows in the
    /// content, which is compared too.
    pub fn of(path: &Path, content: &'a [u8]) -> Self {
        Snapshot {
            content,
            identity: std::fs::metadata(path).ok().map(|m| Identity::of(&m)),
        }
    }

    /// Whether the file at `path` (symlinks resolved) is still the one read.
    fn check(&self, path: &Path) -> Result<(), WriteError> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(WriteError::Changed(Change::Deleted))
            }
            Err(e) => return Err(e.into()),
        };
        if self.identity.is_some_and(|was| was != Identity::of(&meta))
            || meta.len() != self.content.len() as u64
        {
            return Err(WriteError::Changed(Change::Edited));
        }
        // The same size and time can hide an edit within the clock's
        // granularity: the bytes decide.
        let mut now = Vec::with_capacity(self.content.len());
        File::open(path)?
            .take(self.content.len() as u64 + 1)
            .read_to_end(&mut now)?;
        if now != self.content {
            return Err(WriteError::Changed(Change::Edited));
        }
        Ok(())
    }
}

/// Writes `bytes` to `path` (see the module's comment).
pub fn write(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    durability: Durability,
) -> Result<(), WriteError> {
    write_checked(path, bytes, existing, durability, None)
}

/// Replaces the file `fmt` read with `bytes`, unless it changed meanwhile.
pub fn replace_unchanged(path: &Path, bytes: &[u8], read: &Snapshot) -> Result<(), WriteError> {
    write_checked(
        path,
        bytes,
        Existing::Replace,
        Durability::Synced,
        Some(read),
    )
}

fn write_checked(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    durability: Durability,
    read: Option<&Snapshot>,
) -> Result<(), WriteError> {
    let target = through_links(path)?;
    let meta = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    let Some(meta) = meta else {
        if let Some(read) = read {
            // A deleted file is not brought back.
            read.check(&target)?;
        }
        return create(&target, bytes, existing, durability);
    };
    if meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory").into());
    }
    if !meta.is_file() {
        return write_special(&target, bytes);
    }
    if existing == Existing::Keep {
        return Err(WriteError::Exists);
    }
    if meta.nlink() > 1 {
        return write_in_place(&target, &meta, bytes, durability, read);
    }
    let dir = directory_of(&target);
    let mut temporary = temporary_in(dir, &target, 0o600)?;
    let file = temporary.as_file();
    // Ownership first: chown clears set-user-ID and set-group-ID bits.
    if let Err(e) = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())) {
        if e.kind() == io::ErrorKind::PermissionDenied {
            // Not root and not the owner (or not in the group): a renamed
            // file would belong to whoever runs topo. Writing in place keeps
            // the owner, group and mode; the temporary file is dropped.
            drop(temporary);
            return write_in_place(&target, &meta, bytes, durability, read);
        }
        return Err(e.into());
    }
    file.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    temporary.write_all(bytes)?;
    sync(temporary.as_file(), durability)?;
    if let Some(read) = read {
        pause_for_tests();
        read.check(&target)?;
    }
    temporary
        .persist(&target)
        .map_err(|e| WriteError::Io(e.error))?;
    sync_directory(dir, durability);
    Ok(())
}

/// A new file at `target`: mode 0666 less the umask, as any new file.
fn create(
    target: &Path,
    bytes: &[u8],
    existing: Existing,
    durability: Durability,
) -> Result<(), WriteError> {
    let dir = directory_of(target);
    let mut temporary = temporary_in(dir, target, 0o666)?;
    temporary.write_all(bytes)?;
    sync(temporary.as_file(), durability)?;
    pause_for_tests();
    match existing {
        Existing::Replace => {
            temporary
                .persist(target)
                .map_err(|e| WriteError::Io(e.error))?;
        }
        // `link`/`renameat2(RENAME_NOREPLACE)`: a file created at the target
        // while topo ran is never replaced, and no check-then-write gap.
        Existing::Keep => match temporary.persist_noclobber(target) {
            Ok(_) => {}
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                return Err(WriteError::Exists)
            }
            Err(e) => return Err(WriteError::Io(e.error)),
        },
    }
    sync_directory(dir, durability);
    Ok(())
}

/// A device, FIFO or other special file: written as it is, never replaced.
/// `/dev/null` as root stays a device; a FIFO's reader gets the bytes.
fn write_special(target: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut file = OpenOptions::new().write(true).open(target)?;
    file.write_all(bytes)?;
    file.flush()?;
    Ok(())
}

/// Truncates and rewrites the file itself: its inode, links, owner, group and
/// mode stay. The content is complete before the file is touched, but a
/// reader may see it half written, and a crash may leave it so: the price of
/// keeping what a rename would lose.
fn write_in_place(
    target: &Path,
    meta: &Metadata,
    bytes: &[u8],
    durability: Durability,
    read: Option<&Snapshot>,
) -> Result<(), WriteError> {
    let mut file = OpenOptions::new()
        .write(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(target)?;
    let opened = file.metadata()?;
    if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
        // Replaced between the look and the open: not the file we decided on.
        return Err(WriteError::Changed(Change::Edited));
    }
    if let Some(read) = read {
        pause_for_tests();
        read.check(target)?;
    }
    file.set_len(0)?;
    file.write_all(bytes)?;
    sync(&file, durability)?;
    Ok(())
}

/// The file a path names once every symlink is followed: the path itself
/// when it is not a link. A dangling link gives where it points.
fn through_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Linux's own limit on links in a row.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&current)?;
                current = directory_of(&current).join(to);
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn directory_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.NAME.XXXXXX.topo-tmp` beside the target, created with `O_EXCL` under a
/// random name: nothing at that name is opened or followed.
fn temporary_in(dir: &Path, target: &Path, mode: u32) -> io::Result<tempfile::NamedTempFile> {
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".topo-tmp")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(dir)
}

fn sync(file: &File, durability: Durability) -> io::Result<()> {
    match durability {
        Durability::Synced => file.sync_all(),
        Durability::Rebuilt => Ok(()),
    }
}

/// Makes the rename durable. Some filesystems cannot sync a directory; the
/// file itself is synced already, so that is not an error.
fn sync_directory(dir: &Path, durability: Durability) {
    if durability == Durability::Rebuilt {
        return;
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Tests change or create a file while topo runs by holding it here, right
/// before a file is replaced or published: with `TOPO_TEST_HOLD=FILE` (debug
/// builds only) it says so on standard error and waits until FILE exists.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(go) = std::env::var_os("TOPO_TEST_HOLD") {
        eprintln!("test: holding");
        let go = PathBuf::from(go);
        for _ in 0..3000 {
            if go.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_or_deleted_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.topo");
        std::fs::write(&path, "site   a\n").unwrap();
        let read = b"site   a\n".to_vec();
        let snapshot = Snapshot::of(&path, &read);
        std::fs::write(&path, "site   b\n").unwrap();
        assert!(matches!(
            replace_unchanged(&path, b"site a\n", &snapshot),
            Err(WriteError::Changed(Change::Edited))
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "site   b\n");
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(
            replace_unchanged(&path, b"site a\n", &snapshot),
            Err(WriteError::Changed(Change::Deleted))
        ));
        assert!(!path.exists());
    }

    #[test]
    fn keep_refuses_an_existing_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.topo");
        write(&path, b"one\n", Existing::Keep, Durability::Synced).unwrap();
        assert!(matches!(
            write(&path, b"two\n", Existing::Keep, Durability::Rebuilt),
            Err(WriteError::Exists)
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_unsynced_write_still_replaces_by_rename() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("view.svg");
        std::fs::write(&path, "old").unwrap();
        let before = std::fs::metadata(&path).unwrap().ino();
        write(&path, b"new", Existing::Replace, Durability::Rebuilt).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_ne!(std::fs::metadata(&path).unwrap().ino(), before);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
