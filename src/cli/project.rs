//! Reading the project the commands are given: its root, and its files.

use super::output::error;
use crate::check::Checked;
use crate::input::{self, Root};
use crate::text::printable_path;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The project root: `--root DIR` (which must be a directory), else the
/// directory of the first file given.
pub(super) fn project_root(given: Option<&Path>, files: &[PathBuf]) -> Result<Root, ExitCode> {
    let Some(dir) = given else {
        return Ok(Root::of_first(files.first().map(PathBuf::as_path)));
    };
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(Root::new(dir)),
        Ok(meta) => {
            error(format_args!(
                "--root `{}` is {}, not a directory",
                printable_path(dir),
                input::kind(&meta)
            ));
            Err(ExitCode::from(2))
        }
        Err(e) => {
            let reason = match e.kind() {
                std::io::ErrorKind::NotFound => "no such directory".into(),
                _ => input::io_reason(&e),
            };
            error(format_args!("--root `{}`: {reason}", printable_path(dir)));
            Err(ExitCode::from(2))
        }
    }
}

/// A check whose given files could all be read, or exit 2.
pub(super) fn readable(checked: Checked) -> Result<Checked, ExitCode> {
    if checked.unreadable.is_empty() {
        return Ok(checked);
    }
    for u in &checked.unreadable {
        error(format_args!(
            "cannot read `{}`: {}",
            printable_path(&u.path),
            u.reason
        ));
    }
    Err(ExitCode::from(2))
}
