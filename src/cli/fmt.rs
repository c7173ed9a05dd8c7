//! `topo fmt`: canonical formatting in place, to standard output, or as a diff.

use super::output::{error, print_checked};
use crate::input::{self, decode};
use crate::report::{self, human::Style};
use crate::write::{self, WriteError};
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn fmt(files: &[PathBuf], check: bool) -> ExitCode {
    let mut code = 0u8;
    let mut changed = 0;
    for path in files {
        let stdin = path.as_os_str() == "-";
        let read = if stdin {
            input::read_stdin().and_then(decode)
        } else {
            input::read_text(path)
        };
        let name = if stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let text = match read {
            Ok(t) => t,
            Err(reason) => {
                error(format_args!(
                    "cannot read `{}`: {reason}",
                    crate::text::printable(&name)
                ));
                code = code.max(2);
                continue;
            }
        };
        let formatted = match crate::fmt::format(&text) {
            Ok(f) => f,
            Err(errors) => {
                let mut sources = crate::source::Sources::new();
                sources.add(path.clone(), name.clone(), text.as_str());
                eprint!(
                    "{}",
                    report::human::render(&sources, &errors, Style::plain())
                );
                error(format_args!(
                    "`{name}` has syntax errors; it was not formatted"
                ));
                code = code.max(1);
                continue;
            }
        };
        if check {
            if formatted != text {
                let diff = bounded_diff(&text, &formatted, &name);
                code = code.max(1);
                if let Err(stop) = print_checked(&diff) {
                    if stop.is_some() {
                        code = 2;
                    }
                    // Nobody reads the rest (or it cannot be written).
                    break;
                }
            }
        } else if stdin {
            if let Err(stop) = print_checked(&formatted) {
                if stop.is_some() {
                    code = code.max(2);
                }
                break;
            }
        } else if formatted != text {
            let read = write::Snapshot::of(path, text.as_bytes());
            match write::replace_unchanged(path, formatted.as_bytes(), &read) {
                Ok(()) => changed += 1,
                Err(WriteError::Changed(how)) => {
                    let deleted = if how == write::Change::Deleted {
                        " (it was deleted)"
                    } else {
                        ""
                    };
                    error(format_args!(
                        "`{name}` changed during formatting{deleted}; left as it is"
                    ));
                    code = code.max(1);
                }
                Err(e) => {
                    error(format_args!("cannot write `{name}`: {e}"));
                    code = code.max(2);
                }
            }
        }
    }
    if !check && changed > 0 {
        eprintln!(
            "{changed} file{} reformatted",
            if changed == 1 { "" } else { "s" }
        );
    }
    ExitCode::from(code)
}

/// The unified diff `fmt --check` prints. Myers' diff is quadratic in the
/// worst case: past 300 ms it settles for a correct but longer diff.
fn bounded_diff(text: &str, formatted: &str, name: &str) -> String {
    similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(300))
        .diff_lines(text, formatted)
        .unified_diff()
        .context_radius(2)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}
