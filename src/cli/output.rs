//! What every command prints: its output, to standard output or a file, and error lines.

use crate::write::{self, Durability, Existing, WriteError};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Prints `text` and exits with `code`; a failed write is exit 2. A closed
/// pipe (`topo check | head -1`) is the reader's choice, not an error: the
/// command's own code, quietly.
pub(super) fn print(text: &str, code: ExitCode) -> ExitCode {
    match print_checked(text) {
        Ok(()) => code,
        Err(stop) => stop.unwrap_or(code),
    }
}

/// Prints `text`; `Err(Some(2))` after reporting a write error, `Err(None)`
/// when the reader is gone.
pub(super) fn print_checked(text: &str) -> Result<(), Option<ExitCode>> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(None),
        Err(e) => {
            error(format_args!("cannot write to standard output: {e}"));
            Err(Some(ExitCode::from(2)))
        }
    }
}

/// Prints `text`, or writes it to `output` when one is given; `existing`
/// says whether a file already at `output` may be replaced.
pub(super) fn emit(
    text: &str,
    output: Option<&Path>,
    existing: Existing,
    durability: Durability,
) -> ExitCode {
    let Some(path) = output else {
        return print(text, ExitCode::SUCCESS);
    };
    match write::write(path, text.as_bytes(), existing, durability) {
        Ok(()) => ExitCode::SUCCESS,
        Err(WriteError::Exists) => {
            error(format_args!(
                "`{}` exists; pass --force to overwrite it",
                path.display()
            ));
            ExitCode::from(2)
        }
        Err(e) => {
            error(format_args!("cannot write `{}`: {e}", path.display()));
            ExitCode::from(2)
        }
    }
}

/// Prints an error line. Messages quote file names, element names and text
/// from files: escaped here, nothing in them can start a line of its own
/// (a workflow command in a CI log) or a terminal escape.
pub(super) fn error(message: std::fmt::Arguments) {
    eprintln!("error: {}", crate::text::printable(&message.to_string()));
}

/// Prints a note: something left out on purpose, escaped as [`error`] is.
pub(super) fn note(message: std::fmt::Arguments) {
    eprintln!("note: {}", crate::text::printable(&message.to_string()));
}

/// Prints a warning line, escaped as [`error`] is.
pub(super) fn warning(message: std::fmt::Arguments) {
    eprintln!("warning: {}", crate::text::printable(&message.to_string()));
}
