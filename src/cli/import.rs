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
