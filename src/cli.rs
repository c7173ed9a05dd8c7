//! The command line.

use crate::analyze::failure::{self, Candidate};
use crate::check::{check_files, Checked};
use crate::diagnostic::{closest, Severity};
use crate::report::{self, human::Style};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "topo",
    version,
    about = "Infrastructure topology: a language, a linter that proves the design holds, and its diagrams"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint topology files: exit 0 when clean, 1 on errors, 2 on bad usage
    Check {
        /// The files of one project (their includes are read too)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// What stops working when one element fails: devices, vms, services, flows
    Impact {
        /// The project's file (its includes are read too)
        file: PathBuf,
        /// A device, vm, rack, feed or site
        element: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

/// Exit codes: 0 clean, 1 findings at error level, 2 bad usage or unreadable input.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check { files, format } => check(&files, format),
        Command::Impact {
            file,
            element,
            format,
        } => impact(&file, &element, format),
    }
}

fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`topo check | head`) is not an error of the command.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn impact(file: &Path, element: &str, format: Format) -> ExitCode {
    let checked = match readable(check_files(&[file.to_path_buf()])) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if checked.has_errors() {
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        let style = Style {
            color: false,
            width: 100,
        };
        eprint!(
            "{}",
            report::human::render(&checked.sources, &errors, style)
        );
        eprintln!("error: the project has errors; fix them before asking what a failure stops");
        return ExitCode::from(1);
    }
    let p = &checked.project;
    let Some(candidate) = p.element(element).and_then(Candidate::of) else {
        let known = p.element(element).map(|e| p.kind_of(e));
        match known {
            Some(kind) => eprintln!(
                "error: `{element}` is a {kind}; impact takes a device, vm, rack, feed or site"
            ),
            None => {
                let names = p
                    .names
                    .iter()
                    .filter(|(_, e)| Candidate::of(**e).is_some())
                    .map(|(n, _)| n.as_str());
                let mut sorted: Vec<&str> = names.collect();
                sorted.sort_unstable();
                match closest(element, sorted) {
                    Some(s) => {
                        eprintln!("error: no element is called `{element}`; did you mean `{s}`?")
                    }
                    None => eprintln!("error: no element is called `{element}`"),
                }
            }
        }
        return ExitCode::from(2);
    };
    let result = failure::impact(p, candidate);
    print(&match format {
        Format::Json => report::impact::json(p, &result),
        Format::Human => report::impact::human(p, &result),
    });
    ExitCode::SUCCESS
}

fn check(files: &[PathBuf], format: Format) -> ExitCode {
    let checked = match readable(check_files(files)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let text = match format {
        Format::Json => report::json::render(&checked.sources, &checked.diagnostics),
        Format::Human => {
            let color = color();
            let width = if color { 120 } else { 100 };
            report::human::render(
                &checked.sources,
                &checked.diagnostics,
                Style { color, width },
            )
        }
    };
    print(&text);
    ExitCode::from(if checked.has_errors() { 1 } else { 0 })
}

/// A check whose given files could all be read, or exit 2.
fn readable(checked: Checked) -> Result<Checked, ExitCode> {
    if checked.unreadable.is_empty() {
        return Ok(checked);
    }
    for u in &checked.unreadable {
        eprintln!("error: cannot read `{}`: {}", u.path.display(), u.reason);
    }
    Err(ExitCode::from(2))
}
