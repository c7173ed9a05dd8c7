//! `topo import netbox`: NetBox device types to `model`s.

use super::output::{emit, error, note, warning};
use crate::input;
use crate::netbox::Converted;
use crate::text::printable_path;
use crate::write::{Durability, Existing};
use clap::Subcommand;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub(super) enum Import {
    /// NetBox device types (the devicetype-library's YAML) to `model`s
    Netbox {
        /// Device-type YAML files, or directories (every `*.yaml` and `*.yml` below)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write to this file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Overwrite the output file when it exists
        #[arg(long)]
        force: bool,
        /// Prefer `allocated_draw` (typical) over `maximum_draw`
        #[arg(long)]
        typical: bool,
    },
    /// A server's insides from hwloc's XML (`lstopo --of xml`) to a `model`
    Hwloc {
        /// The topology, as `lstopo-no-graphics --of xml` writes it (`-`: standard input)
        file: PathBuf,
        /// Write to this file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Overwrite the output file when it exists
        #[arg(long)]
        force: bool,
    },
}

/// `Existing::Replace` with --force; refuses (exit 2) an output file that
/// exists already without it. Checked again, atomically, when the file is
/// published; refused early here so no work is wasted.
fn may_write(output: Option<&Path>, force: bool) -> Result<Existing, ExitCode> {
    if let Some(out) = output {
        if !force && std::fs::metadata(out).is_ok_and(|m| m.is_file()) {
            error(format_args!(
                "`{}` exists; pass --force to overwrite it",
                out.display()
            ));
            return Err(ExitCode::from(2));
        }
    }
    Ok(if force {
        Existing::Replace
    } else {
        Existing::Keep
    })
}

pub(super) fn import_hwloc(file: &Path, output: Option<&Path>, force: bool) -> ExitCode {
    let existing = match may_write(output, force) {
        Ok(e) => e,
        Err(code) => return code,
    };
    // `-` reads a pipe: `lstopo-no-graphics --of xml | topo import hwloc -`.
    let stdin = file.as_os_str() == "-";
    let read = if stdin {
        input::read_stdin().and_then(input::decode)
    } else {
        input::read_text(file)
    };
    let text = match read {
        Ok(t) => t,
        Err(reason) => {
            error(format_args!(
                "cannot read `{}`: {reason}",
                printable_path(file)
            ));
            return ExitCode::from(2);
        }
    };
    let stem = if stdin {
        String::new()
    } else {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    match crate::import::hwloc::convert(&text, &stem) {
        Ok(model) => emit(&model, output, existing, Durability::Synced),
        Err(e) => {
            error(format_args!("{}: {e}", printable_path(file)));
            error(format_args!("nothing was written"));
            ExitCode::from(1)
        }
    }
}

pub(super) fn import_netbox(
    files: &[PathBuf],
    output: Option<&Path>,
    force: bool,
    typical: bool,
) -> ExitCode {
    let existing = match may_write(output, force) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let draw = if typical {
        crate::netbox::Draw::Typical
    } else {
        crate::netbox::Draw::Maximum
    };
    // The paths named are checked first: a name that is neither a file nor
    // a directory is a mistake in the command, refused before any work.
    let mut found = Vec::new();
    for path in files {
        match yaml_files(path) {
            Ok(mut paths) => found.append(&mut paths),
            Err(reason) => {
                error(format_args!(
                    "cannot read `{}`: {reason}",
                    printable_path(path)
                ));
                return ExitCode::from(2);
            }
        }
    }
    // A bad file is reported and the others are still converted.
    let mut models: Vec<crate::netbox::Imported> = Vec::new();
    let mut modules = Vec::new();
    let mut failed = 0usize;
    for path in &found {
        let shown = printable_path(path);
        let text = match input::read_text(path) {
            Ok(t) => t,
            Err(reason) => {
                error(format_args!("cannot read `{shown}`: {reason}"));
                failed += 1;
                continue;
            }
        };
        let in_module_types = path.components().any(|c| c.as_os_str() == "module-types");
        match crate::netbox::convert_file(&text, in_module_types, draw) {
            Ok(Converted::Device(m)) => {
                for kind in &m.unknown_interfaces {
                    warning(format_args!(
                        "{shown}: interface type `{kind}` has no known speed; left as a comment"
                    ));
                }
                if models.iter().any(|other| other.slug == m.slug) {
                    error(format_args!(
                        "{shown}: model `{}` is imported twice; this one is left out",
                        m.slug
                    ));
                    failed += 1;
                    continue;
                }
                models.push(m);
            }
            Ok(Converted::Module {
                manufacturer,
                model,
            }) => {
                note(format_args!(
                    "{shown}: module type {manufacturer} {model} skipped: topo has no modules (a device type has a `slug` and a `u_height`)"
                ));
                modules.push(format!("{manufacturer} {model} ({shown})"));
            }
            Err(e) => {
                let at = e.at.map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
                error(format_args!("{shown}{at}: {}", e.message));
                failed += 1;
            }
        }
    }
    let mut text = String::from("# Imported from NetBox device types by `topo import netbox`.\n");
    if !modules.is_empty() {
        let _ = writeln!(
            text,
            "# {} module type(s) skipped (topo has no modules): {}",
            modules.len(),
            modules.join(", ").replace(char::is_control, " ")
        );
    }
    for m in &models {
        text.push('\n');
        text.push_str(&m.text);
    }
    if failed > 0 {
        error(format_args!(
            "{failed} of {} file(s) not converted; the other {} written",
            found.len(),
            models.len() + modules.len()
        ));
    }
    match emit(&text, output, existing, Durability::Synced) {
        code if code == ExitCode::SUCCESS && failed > 0 => ExitCode::from(1),
        code => code,
    }
}

/// The YAML files a path names: a file itself (whatever its name), or every
/// `*.yaml` and `*.yml` below a directory, sorted.
fn yaml_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::metadata(path).map_err(|e| input::io_reason(&e))?;
    if !meta.is_dir() {
        input::regular(&meta)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let found = input::files_below(path, is_yaml, "`.yaml` or `.yml`")?;
    if found.is_empty() {
        return Err("it is a directory with no `.yaml` or `.yml` file below it".into());
    }
    Ok(found)
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}
