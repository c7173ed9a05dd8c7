//! The command line.

use crate::analyze::failure::{self, Candidate};
use crate::check::{check_files, Checked};
use crate::diagnostic::{closest, Severity};
use crate::model::Element;
use crate::render;
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
    /// Draw the design: the system, the racks, or the inside of servers
    Render {
        /// The project's file (its includes are read too)
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
enum View {
    System,
    Rack,
    Bus,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Drawing {
    Svg,
    Dot,
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
        Command::Render {
            file,
            view,
            rack,
            device,
            format,
            output,
        } => render(
            &file,
            view,
            rack.as_deref(),
            device.as_deref(),
            format,
            output.as_deref(),
        ),
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

fn render(
    file: &Path,
    view: View,
    rack: Option<&str>,
    device: Option<&str>,
    format: Drawing,
    output: Option<&Path>,
) -> ExitCode {
    let checked = match readable(check_files(&[file.to_path_buf()])) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let p = &checked.project;
    let d = &checked.diagnostics;
    let pick = |name: Option<&str>,
                kind: &str,
                ok: fn(Element) -> bool|
     -> Result<Option<Element>, ExitCode> {
        let Some(name) = name else { return Ok(None) };
        match p.element(name) {
            Some(e) if ok(e) => Ok(Some(e)),
            Some(e) => {
                eprintln!("error: `{name}` is a {}, not a {kind}", p.kind_of(e));
                Err(ExitCode::from(2))
            }
            None => {
                let mut names: Vec<&str> = p
                    .names
                    .iter()
                    .filter(|(_, e)| ok(**e))
                    .map(|(n, _)| n.as_str())
                    .collect();
                names.sort_unstable();
                match closest(name, names) {
                    Some(s) => {
                        eprintln!("error: no {kind} is called `{name}`; did you mean `{s}`?")
                    }
                    None => eprintln!("error: no {kind} is called `{name}`"),
                }
                Err(ExitCode::from(2))
            }
        }
    };
    let rack = match pick(rack, "rack", |e| matches!(e, Element::Rack(_))) {
        Ok(r) => r.map(|e| match e {
            Element::Rack(r) => r,
            _ => unreachable!("picked a rack"),
        }),
        Err(code) => return code,
    };
    let device = match pick(device, "device", |e| matches!(e, Element::Device(_))) {
        Ok(r) => r.map(|e| match e {
            Element::Device(d) => d,
            _ => unreachable!("picked a device"),
        }),
        Err(code) => return code,
    };
    let text = match (view, format) {
        (View::System, Drawing::Svg) => render::system::svg(p, d),
        (View::System, Drawing::Dot) => render::system::dot(p, d),
        (View::Rack, Drawing::Svg) => render::rack::svg(p, d, rack),
        (View::Rack, Drawing::Dot) => render::rack::dot(p, d, rack),
        (View::Bus, Drawing::Svg) => render::bus::svg(p, d, device),
        (View::Bus, Drawing::Dot) => render::bus::dot(p, d, device),
    };
    match output {
        None => {
            print(&text);
            ExitCode::SUCCESS
        }
        Some(path) => match write_atomically(path, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                ExitCode::from(2)
            }
        },
    }
}

/// Writes through a temporary file in the same directory and a rename, so
/// a reader never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().to_string());
    let temporary = dir.join(format!(".{name}.topo-{}", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
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
