//! `topo import netbox`: NetBox device types to `model`s.

use super::output::{emit, error, warning};
use crate::input;
use crate::text::printable_path;
use crate::write::Existing;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub(super) enum Import {
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
        Ok(model) => emit(&model, output, existing),
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
