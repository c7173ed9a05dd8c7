//! The command line: its commands and flags, and which function runs each.

mod check;
mod docs;
mod fmt;
mod impact;
mod import;
mod init;
mod output;
mod project;
mod render;
mod serve;
mod severities;

use check::Format;
use clap::{Parser, Subcommand, ValueEnum};
use import::Import;
use project::{config_start, project_root, Inputs};
use render::{Drawing, View};
use severities::Severities;
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
    /// Colour in findings: auto (when printing to a terminal and NO_COLOR is
    /// unset or empty), always, never
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour what goes to standard output (`stdout`) or to
    /// standard error. NO_COLOR counts when set to anything but empty, as
    /// no-color.org asks.
    pub(crate) fn enabled(self, stdout: bool) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                let terminal = if stdout {
                    std::io::stdout().is_terminal()
                } else {
                    std::io::stderr().is_terminal()
                };
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Lint topology files: exit 0 when clean, 1 on errors, 2 on bad usage
    Check {
        /// The files of one project (their includes are read too); a directory
        /// stands for every `*.topo` below it, `-` for standard input
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        severities: Severities,
        /// Print the findings only, without the summary line
        #[arg(short, long)]
        quiet: bool,
        /// The project root: no include may leave it (default: the directory of the first file).
        /// SARIF paths are relative to the git work tree holding the first file, else to this
        /// directory, else to the working directory
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Format files canonically, in place
    Fmt {
        /// Files to format; `-` reads standard input and writes standard output
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing; show a diff and exit 1 when a file is not formatted
        #[arg(long)]
        check: bool,
    },
    /// Every rule with its default severity
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = Plain::Human)]
        format: Plain,
    },
    /// Run the language server on standard input and output
    Lsp,
    /// Convert other catalogues into topo models
    #[command(subcommand)]
    Import(Import),
    /// What a rule checks and how to fix it, or what a statement, part or property means
    Explain {
        /// A rule (bus-bottleneck), a statement or part (rack, nic), or a
        /// property (max-weight, or rack.max-weight for one statement's)
        keyword: String,
    },
    /// The language reference and the rules, as Markdown
    Docs {
        /// Which document to print
        #[arg(value_enum, required_unless_present = "out")]
        document: Option<docs::Document>,
        /// Write reference.md and rules.md (or only the one named) into DIR
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Draw the design: the system, the racks, the inside of servers, or the network
    Render {
        /// The project's file (its includes are read too); a directory stands
        /// for every `*.topo` below it, `-` for standard input
        file: PathBuf,
        /// Which view to draw
        #[arg(long, value_enum, default_value_t = View::System)]
        view: View,
        /// Only this rack (rack view)
        #[arg(long)]
        rack: Option<String>,
        /// Only this device (bus view)
        #[arg(long)]
        device: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Drawing::Svg)]
        format: Drawing,
        /// Write to this file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The project root: no include may leave it (default: the directory of the first file)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// The same levels `check` uses, so the marks are its findings
        #[command(flatten)]
        severities: Severities,
    },
    /// A live preview on 127.0.0.1: the HTML report, redrawn after every save
    Serve {
        /// The project's file (its includes are read and watched too)
        file: PathBuf,
        /// The port to listen on (0: any free one, printed at start)
        #[arg(long, default_value_t = 7878)]
        port: u16,
        /// The project root: no include may leave it (default: the directory of the first file)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Write a small starter project into DIR (default: here) that checks clean
    Init {
        /// Where to write main.topo and models.topo (created if missing)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a shell completion script: `topo completions bash > /etc/bash_completion.d/topo`
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `topo man > topo.1 && man ./topo.1`
    Man,
    /// What stops working when elements fail together: feeds and sources the moved load trips, devices, vms, services, flows
    Impact {
        /// The project's file (its includes are read too)
        file: PathBuf,
        /// Devices, vms, racks, feeds or sites, failed together
        #[arg(required = true, value_name = "ELEMENT")]
        elements: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Plain::Human)]
        format: Plain,
        /// The project root: no include may leave it (default: the directory of the first file)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Plain {
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
        Command::Check {
            files,
            format,
            severities,
            quiet,
            root: given_root,
        } => {
            let root = match project_root(given_root.as_deref(), &files) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let start = config_start(&files);
            let levels = match severities.levels(start.as_deref()) {
                Ok(l) => l,
                Err(code) => return code,
            };
            let sarif_root =
                crate::report::sarif::repository_root(start.as_deref(), given_root.as_deref());
            let inputs = match Inputs::from_args(&files) {
                Ok(i) => i,
                Err(code) => return code,
            };
            check::check(
                inputs,
                &root,
                &sarif_root,
                format,
                &levels,
                quiet,
                cli.color,
            )
        }
        Command::Fmt { files, check } => fmt::fmt(&files, check),
        Command::Init { dir } => init::init(&dir),
        Command::Completions { shell } => init::completions(shell),
        Command::Man => init::man(),
        Command::Rules { format } => docs::rules(format),
        Command::Explain { keyword } => docs::explain(&keyword),
        Command::Docs { document, out } => docs::docs(document, out.as_deref()),
        Command::Import(Import::Netbox {
            files,
            output,
            force,
            typical,
        }) => import::import_netbox(&files, output.as_deref(), force, typical),
        Command::Import(Import::Hwloc {
            file,
            output,
            force,
        }) => import::import_hwloc(&file, output.as_deref(), force),
        Command::Lsp => serve::lsp(),
        Command::Serve { file, port, root } => {
            match project_root(root.as_deref(), std::slice::from_ref(&file)) {
                Ok(root) => serve::serve(&file, &root, port),
                Err(code) => code,
            }
        }
        Command::Impact {
            file,
            elements,
            format,
            root,
        } => match project_root(root.as_deref(), std::slice::from_ref(&file)) {
            Ok(root) => impact::impact(&file, &root, &elements, format, cli.color),
            Err(code) => code,
        },
        Command::Render {
            file,
            view,
            rack,
            device,
            format,
            output,
            root,
            severities,
        } => {
            let root = match project_root(root.as_deref(), std::slice::from_ref(&file)) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let levels =
                match severities.levels(config_start(std::slice::from_ref(&file)).as_deref()) {
                    Ok(l) => l,
                    Err(code) => return code,
                };
            let inputs = match Inputs::from_args(std::slice::from_ref(&file)) {
                Ok(i) => i,
                Err(code) => return code,
            };
            render::render(
                inputs,
                &root,
                &levels,
                view,
                rack.as_deref(),
                device.as_deref(),
                format,
                output.as_deref(),
            )
        }
    }
}
