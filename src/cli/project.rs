//! Reading the project the commands are given: its root, and its files.

use super::output::error;
use crate::check::{check_inputs, Checked};
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

/// What the command line names as one project: files, directories (every
/// `*.topo` below, sorted) and `-` (standard input, read once).
pub(super) struct Inputs {
    pub files: Vec<PathBuf>,
    pub stdin: Option<String>,
    /// The arguments as given, for titles (`-` as `<stdin>`).
    pub shown: String,
}

impl Inputs {
    /// The arguments expanded, or exit 2 after saying why not.
    pub(super) fn from_args(args: &[PathBuf]) -> Result<Inputs, ExitCode> {
        let mut files = Vec::new();
        let mut stdin = None;
        for arg in args {
            if arg == Path::new("-") {
                if stdin.is_some() {
                    error(format_args!("`-` (standard input) is given twice"));
                    return Err(ExitCode::from(2));
                }
                match input::read_stdin().and_then(input::decode) {
                    Ok(text) => stdin = Some(text),
                    Err(reason) => {
                        error(format_args!("cannot read standard input: {reason}"));
                        return Err(ExitCode::from(2));
                    }
                }
                files.push(PathBuf::from(input::STDIN_NAME));
            } else if arg.is_dir() {
                match input::topo_files_below(arg) {
                    Ok(found) if found.is_empty() => {
                        error(format_args!(
                            "`{}` is a directory with no `.topo` file below it",
                            printable_path(arg)
                        ));
                        return Err(ExitCode::from(2));
                    }
                    Ok(found) => files.extend(found),
                    Err(reason) => {
                        error(format_args!("{reason}"));
                        return Err(ExitCode::from(2));
                    }
                }
            } else {
                files.push(arg.clone());
            }
        }
        let shown = args
            .iter()
            .map(|a| match a == Path::new("-") {
                true => input::STDIN_NAME.to_string(),
                false => printable_path(a).into_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Inputs {
            files,
            stdin,
            shown,
        })
    }

    /// What the progress line says while they are checked.
    pub(super) fn checking(&self) -> String {
        match &self.files[..] {
            [one] => format!("checking {}", one.display()),
            many => format!("checking {} files", many.len()),
        }
    }

    /// The project checked, or exit 2 when a given file cannot be read.
    pub(super) fn check(self, root: &Root) -> Result<Checked, ExitCode> {
        readable(check_inputs(&self.files, self.stdin, root))
    }
}

/// Where to look for `topo.toml` for these arguments: above the first
/// file, in a directory given, in the working directory for `-`.
pub(super) fn config_start(args: &[PathBuf]) -> Option<PathBuf> {
    let first = args.first()?;
    Some(if first == Path::new("-") {
        PathBuf::from(".")
    } else {
        first.clone()
    })
}
