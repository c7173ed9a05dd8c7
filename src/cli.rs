//! The command line.

use crate::check::check_files;
use crate::report::{self, human::Style};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
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
}

#[derive(Clone, Copy, ValueEnum)]
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
    }
}

fn check(files: &[PathBuf], format: Format) -> ExitCode {
    let checked = check_files(files);
    if !checked.unreadable.is_empty() {
        for u in &checked.unreadable {
            eprintln!("error: cannot read `{}`: {}", u.path.display(), u.reason);
        }
        return ExitCode::from(2);
    }
    let text = match format {
        Format::Json => report::json::render(&checked.sources, &checked.diagnostics),
        Format::Human => {
            let stdout = std::io::stdout();
            let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let width = if color { 120 } else { 100 };
            report::human::render(
                &checked.sources,
                &checked.diagnostics,
                Style { color, width },
            )
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`topo check | head`) is not an error of the check.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    ExitCode::from(if checked.has_errors() { 1 } else { 0 })
}
