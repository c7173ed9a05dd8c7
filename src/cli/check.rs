//! `topo check`: the findings, in one of the report formats.

use super::output::print;
use super::project::Inputs;
use crate::config::Levels;
use crate::input::Root;
use crate::progress::Progress;
use crate::report::{self, human::Style};
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(super) enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

pub(super) fn check(
    inputs: Inputs,
    root: &Root,
    sarif_root: &Path,
    format: Format,
    levels: &Levels,
    quiet: bool,
    color: super::Color,
) -> ExitCode {
    let progress = Progress::start(inputs.checking());
    let mut checked = match inputs.check(root) {
        Ok(c) => c,
        Err(code) => return code,
    };
    checked.diagnostics = levels.apply(std::mem::take(&mut checked.diagnostics));
    let text = match format {
        Format::Json => report::json::render(&checked.sources, &checked.diagnostics),
        Format::Sarif => report::sarif::render(&checked.sources, &checked.diagnostics, sarif_root),
        Format::Github => report::github::render(&checked.sources, &checked.diagnostics),
        Format::Human => {
            let color = color.enabled(true);
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
