//! The command line.

mod docs;

use crate::analyze::failure::{self, Candidate};
use crate::check::{check_files_in, Checked};
use crate::config::{self, Levels};
use crate::diagnostic::{closest, rule, Severity};
use crate::input::{self, decode, Root};
use crate::model::Element;
use crate::progress::Progress;
use crate::render;
use crate::report::{self, human::Style};
use crate::text::printable_path;
use crate::write::{self, Existing, WriteError};
use clap::{Args, Parser, Subcommand, ValueEnum};
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
        #[command(flatten)]
        severities: Severities,
        /// Print the findings only, without the summary line
        #[arg(short, long)]
        quiet: bool,
        /// The project root: no include may leave it (default: the directory of the first file)
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

/// How severe each rule is: `topo.toml` (given, or found above the first
/// file), then these flags. `check` and `render` share them, so a diagram
/// marks exactly what `check` reports.
#[derive(Args)]
struct Severities {
    /// Make a rule an error; `--deny warnings` makes every warning one
    #[arg(long, value_name = "RULE")]
    deny: Vec<String>,
    /// Make a rule a warning
    #[arg(long, value_name = "RULE")]
    warn: Vec<String>,
    /// Silence a rule
    #[arg(long, value_name = "RULE")]
    allow: Vec<String>,
    /// A topo.toml to use instead of the one found above the first file
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl Severities {
    /// The levels, or exit 2 after saying why not.
    fn levels(&self, files: &[PathBuf]) -> Result<Levels, ExitCode> {
        levels(
            files,
            self.config.as_deref(),
            &self.deny,
            &self.warn,
            &self.allow,
        )
        .map_err(|message| {
            error(format_args!("{message}"));
            ExitCode::from(2)
        })
    }
}

#[derive(Subcommand)]
enum Import {
    /// NetBox device types (the devicetype-library's YAML) to `model`s
    Netbox {
        /// Device-type YAML files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write to this file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Overwrite the output file when it exists
        #[arg(long)]
        force: bool,
        /// Take `allocated_draw` (typical) instead of `maximum_draw`
        #[arg(long)]
        typical: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum View {
    System,
    Rack,
    Bus,
    Network,
}

impl View {
    fn name(self) -> &'static str {
        match self {
            View::System => "system",
            View::Rack => "rack",
            View::Bus => "bus",
            View::Network => "network",
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Drawing {
    Svg,
    Dot,
    /// One self-contained page: every view, the findings, links between them
    Html,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
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
            root,
        } => {
            let root = match project_root(root.as_deref(), &files) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let levels = match severities.levels(&files) {
                Ok(l) => l,
                Err(code) => return code,
            };
            check(&files, &root, format, &levels, quiet)
        }
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Rules { format } => docs::rules(format),
        Command::Explain { keyword } => docs::explain(&keyword),
        Command::Docs { document, out } => docs::docs(document, out.as_deref()),
        Command::Import(Import::Netbox {
            files,
            output,
            force,
            typical,
        }) => import_netbox(&files, output.as_deref(), force, typical),
        Command::Lsp => match crate::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                error(format_args!("{e}"));
                ExitCode::from(1)
            }
        },
        Command::Serve { file, port, root } => {
            let root = match project_root(root.as_deref(), std::slice::from_ref(&file)) {
                Ok(r) => r,
                Err(code) => return code,
            };
            if let Err(e) = std::fs::metadata(&file) {
                error(format_args!("cannot read `{}`: {e}", file.display()));
                return ExitCode::from(2);
            }
            let ready = |port: u16| {
                eprintln!(
                    "serving {} on http://127.0.0.1:{port}/ (Ctrl-C to stop)",
                    file.display()
                );
            };
            match crate::serve::serve(&file, &root, port, ready) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    error(format_args!("{message}"));
                    ExitCode::from(2)
                }
            }
        }
        Command::Impact {
            file,
            elements,
            format,
            root,
        } => match project_root(root.as_deref(), std::slice::from_ref(&file)) {
            Ok(root) => impact(&file, &root, &elements, format),
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
            let levels = match severities.levels(std::slice::from_ref(&file)) {
                Ok(l) => l,
                Err(code) => return code,
            };
            render(
                &file,
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

/// The project root: `--root DIR` (which must be a directory), else the
/// directory of the first file given.
fn project_root(given: Option<&Path>, files: &[PathBuf]) -> Result<Root, ExitCode> {
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

fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints `text` and exits with `code`; a failed write is exit 2. A closed
/// pipe (`topo check | head -1`) is the reader's choice, not an error: the
/// command's own code, quietly.
fn print(text: &str, code: ExitCode) -> ExitCode {
    match print_checked(text) {
        Ok(()) => code,
        Err(stop) => stop.unwrap_or(code),
    }
}

/// Prints `text`; `Err(Some(2))` after reporting a write error, `Err(None)`
/// when the reader is gone.
fn print_checked(text: &str) -> Result<(), Option<ExitCode>> {
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

/// The rules whose errors mean the model is not what the text says: only
/// they stop `topo impact`. Analyzer findings, whatever their severity or
/// `topo.toml` level, describe the design it is asked about.
const LANGUAGE_RULES: [&str; 5] = [
    rule::SYNTAX,
    rule::UNKNOWN_NAME,
    rule::DUPLICATE_NAME,
    rule::UNIT_MISMATCH,
    rule::INVALID_VALUE,
];

fn impact(file: &Path, root: &Root, elements: &[String], format: Plain) -> ExitCode {
    let checked = match readable(check_files_in(&[file.to_path_buf()], root)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && LANGUAGE_RULES.contains(&d.rule))
        .cloned()
        .collect();
    if !errors.is_empty() {
        let style = Style {
            color: false,
            width: 100,
        };
        eprint!(
            "{}",
            report::human::render(&checked.sources, &errors, style)
        );
        error(format_args!(
            "the project has language errors; fix them before asking what a failure stops"
        ));
        return ExitCode::from(1);
    }
    let p = &checked.project;
    let mut candidates = Vec::new();
    let mut refused = false;
    for element in elements {
        match p.element(element) {
            Some(e) => match Candidate::of(e) {
                Some(c) => candidates.push(c),
                None => {
                    refused = true;
                    error(format_args!(
                        "`{}` is a {}; impact takes devices, vms, racks, feeds, power sources, \
                         fault domains or sites",
                        element,
                        p.kind_of(e)
                    ));
                }
            },
            None => {
                refused = true;
                let mut names: Vec<&str> = p
                    .names
                    .iter()
                    .filter(|(_, e)| Candidate::of(**e).is_some())
                    .map(|(n, _)| n.as_str())
                    .collect();
                names.sort_unstable();
                match closest(element, names) {
                    Some(s) => error(format_args!(
                        "no element is called `{}`; did you mean `{s}`?",
                        element
                    )),
                    None => error(format_args!("no element is called `{}`", element)),
                }
            }
        }
    }
    if refused {
        return ExitCode::from(2);
    }
    let result = failure::impact(p, &candidates);
    let text = match format {
        Plain::Json => report::impact::json(p, &result),
        Plain::Human => report::impact::human(p, &result),
    };
    print(&text, ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn render(
    file: &Path,
    root: &Root,
    levels: &Levels,
    view: View,
    rack: Option<&str>,
    device: Option<&str>,
    format: Drawing,
    output: Option<&Path>,
) -> ExitCode {
    let progress = Progress::start(format!("checking {}", file.display()));
    let mut checked = match readable(check_files_in(&[file.to_path_buf()], root)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // The findings exactly as `check` reports them: the marks follow.
    checked.diagnostics = levels.apply(std::mem::take(&mut checked.diagnostics));
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
                error(format_args!("`{name}` is a {}, not a {kind}", p.kind_of(e)));
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
                    Some(s) => error(format_args!(
                        "no {kind} is called `{name}`; did you mean `{s}`?"
                    )),
                    None => error(format_args!("no {kind} is called `{name}`")),
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
    progress.stage(format!("drawing the {} view", view.name()));
    let text = match (view, format) {
        (View::System, Drawing::Svg) => render::system::svg(p, d),
        (View::System, Drawing::Dot) => render::system::dot(p, d),
        (View::Rack, Drawing::Svg) => render::rack::svg(p, d, rack),
        (View::Rack, Drawing::Dot) => render::rack::dot(p, d, rack),
        (View::Bus, Drawing::Svg) => render::bus::svg(p, d, device),
        (View::Bus, Drawing::Dot) => render::bus::dot(p, d, device),
        (View::Network, Drawing::Svg) => render::network::svg(p, d),
        (View::Network, Drawing::Dot) => render::network::dot(p, d),
        (_, Drawing::Html) => render::html::Page {
            title: &file.display().to_string(),
            sources: &checked.sources,
            diagnostics: d,
            views: render::html::views(p, d),
            live: false,
            problem: None,
        }
        .render(),
    };
    drop(progress);
    emit(&text, output, Existing::Replace)
}

/// Prints `text`, or writes it to `output` when one is given; `existing`
/// says whether a file already at `output` may be replaced.
fn emit(text: &str, output: Option<&Path>, existing: Existing) -> ExitCode {
    let Some(path) = output else {
        return print(text, ExitCode::SUCCESS);
    };
    match write::write(path, text.as_bytes(), existing) {
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

/// Levels from the config file (given, or found above the first file) and flags.
fn levels(
    files: &[PathBuf],
    config: Option<&Path>,
    deny: &[String],
    warn: &[String],
    allow: &[String],
) -> Result<Levels, String> {
    let file = match config {
        Some(path) => Some(path.to_path_buf()),
        None => files.first().and_then(|f| config::find(f)),
    };
    let base = match file {
        Some(path) => Levels::from_file(&path)?,
        None => Levels::default(),
    };
    base.with_flags(deny, warn, allow)
}

fn import_netbox(files: &[PathBuf], output: Option<&Path>, force: bool, typical: bool) -> ExitCode {
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Keep
    };
    // Refused early so no work is wasted; checked again, atomically, when
    // the file is published.
    if let Some(out) = output {
        if !force && std::fs::metadata(out).is_ok_and(|m| m.is_file()) {
            error(format_args!(
                "`{}` exists; pass --force to overwrite it",
                out.display()
            ));
            return ExitCode::from(2);
        }
    }
    let draw = if typical {
        crate::netbox::Draw::Typical
    } else {
        crate::netbox::Draw::Maximum
    };
    let mut models = Vec::new();
    let mut failed = false;
    for path in files {
        let text = match input::read_text(path) {
            Ok(t) => t,
            Err(reason) => {
                error(format_args!(
                    "cannot read `{}`: {reason}",
                    printable_path(path)
                ));
                return ExitCode::from(2);
            }
        };
        match crate::netbox::convert(&text, draw) {
            Ok(m) => {
                for kind in &m.unknown_interfaces {
                    warning(format_args!(
                        "{}: interface type `{kind}` has no known speed; left as a comment",
                        path.display()
                    ));
                }
                if models
                    .iter()
                    .any(|(_, other): &(PathBuf, crate::netbox::Imported)| other.slug == m.slug)
                {
                    error(format_args!(
                        "{}: model `{}` is imported twice",
                        path.display(),
                        m.slug
                    ));
                    failed = true;
                }
                models.push((path.clone(), m));
            }
            Err(e) => {
                error(format_args!("{}: {e}", path.display()));
                failed = true;
            }
        }
    }
    if failed {
        error(format_args!("nothing was written"));
        return ExitCode::from(1);
    }
    let mut text = String::from("# Imported from NetBox device types by `topo import netbox`.\n");
    for (_, m) in &models {
        text.push('\n');
        text.push_str(&m.text);
    }
    emit(&text, output, existing)
}

fn check(files: &[PathBuf], root: &Root, format: Format, levels: &Levels, quiet: bool) -> ExitCode {
    let progress = Progress::start(match files {
        [one] => format!("checking {}", one.display()),
        many => format!("checking {} files", many.len()),
    });
    let mut checked = match readable(check_files_in(files, root)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    checked.diagnostics = levels.apply(std::mem::take(&mut checked.diagnostics));
    let text = match format {
        Format::Json => report::json::render(&checked.sources, &checked.diagnostics),
        Format::Sarif => report::sarif::render(&checked.sources, &checked.diagnostics),
        Format::Github => report::github::render(&checked.sources, &checked.diagnostics),
        Format::Human => {
            let color = color();
            let width = if color { 120 } else { 100 };
            let style = Style { color, width };
            if quiet {
                checked
                    .diagnostics
                    .iter()
                    .map(|d| report::human::render_one(&checked.sources, d, style))
                    .collect()
            } else {
                report::human::render(&checked.sources, &checked.diagnostics, style)
            }
        }
    };
    drop(progress);
    print(
        &text,
        ExitCode::from(if checked.has_errors() { 1 } else { 0 }),
    )
}

fn fmt(files: &[PathBuf], check: bool) -> ExitCode {
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

/// A check whose given files could all be read, or exit 2.
fn readable(checked: Checked) -> Result<Checked, ExitCode> {
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

/// Prints an error line. Messages quote file names, element names and text
/// from files: escaped here, nothing in them can start a line of its own
/// (a workflow command in a CI log) or a terminal escape.
fn error(message: std::fmt::Arguments) {
    eprintln!("error: {}", crate::text::printable(&message.to_string()));
}

/// Prints a warning line, escaped as [`error`] is.
fn warning(message: std::fmt::Arguments) {
    eprintln!("warning: {}", crate::text::printable(&message.to_string()));
}
