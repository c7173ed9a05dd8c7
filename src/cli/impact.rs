//! `topo impact`: what stops working when the named elements fail together.

use super::output::{error, print};
use super::project::readable;
use super::Plain;
use crate::analyze::failure::{self, Candidate};
use crate::check::check_files_in;
use crate::diagnostic::{closest, Severity};
use crate::input::Root;
use crate::report::{self, human::Style};
use std::path::Path;
use std::process::ExitCode;

/// What stops when `elements` fail together. Only language errors (see
/// `check::LANGUAGE_RULES`) stop it: they mean the model is not what the
/// text says; analyzer findings, whatever their severity or `topo.toml`
/// level, describe the design it is asked about.
pub(super) fn impact(
    file: &Path,
    root: &Root,
    elements: &[String],
    format: Plain,
    color: super::Color,
) -> ExitCode {
    let checked = match readable(check_files_in(&[file.to_path_buf()], root)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && crate::check::LANGUAGE_RULES.contains(&d.rule))
        .cloned()
        .collect();
    if !errors.is_empty() {
        let style = Style {
            color: color.enabled(false),
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
