//! The `--deny`, `--warn`, `--allow` and `--config` flags `check` and `render` share.

use super::output::error;
use crate::config::{self, Levels};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How severe each rule is: `topo.toml` (given, or found above the first
/// file), then these flags. `check` and `render` share them, so a diagram
/// marks exactly what `check` reports.
#[derive(Args)]
pub(super) struct Severities {
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
    /// `first`: where the project starts (see `project::config_start`).
    pub(super) fn levels(&self, first: Option<&Path>) -> Result<Levels, ExitCode> {
        levels(
            first,
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

/// Levels from the config file (given, or found above the first file) and flags.
fn levels(
    first: Option<&Path>,
    config: Option<&Path>,
    deny: &[String],
    warn: &[String],
    allow: &[String],
) -> Result<Levels, String> {
    let file = match config {
        Some(path) => Some(path.to_path_buf()),
        None => first.and_then(config::find),
    };
    let base = match file {
        Some(path) => Levels::from_file(&path)?,
        None => Levels::default(),
    };
    base.with_flags(deny, warn, allow)
}
