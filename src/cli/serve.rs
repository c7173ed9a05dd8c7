//! The commands that keep running: `lsp` and `serve`.

use super::output::error;
use crate::input::Root;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn lsp() -> ExitCode {
    match crate::lsp::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            error(format_args!("{e}"));
            ExitCode::from(1)
        }
    }
}

pub(super) fn serve(file: &Path, root: &Root, port: u16) -> ExitCode {
    if let Err(e) = std::fs::metadata(file) {
        error(format_args!("cannot read `{}`: {e}", file.display()));
        return ExitCode::from(2);
    }
    let ready = |port: u16| {
        eprintln!(
            "serving {} on http://127.0.0.1:{port}/ (Ctrl-C to stop)",
            file.display()
        );
    };
    match crate::serve::serve(file, root, port, ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            error(format_args!("{message}"));
            ExitCode::from(2)
        }
    }
}
