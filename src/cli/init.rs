//! `topo init [DIR]`: a small starter project that checks clean, with
//! comments that teach; `topo completions SHELL` and `topo man`.

use super::output::{error, print};
use crate::write::{self, Durability, Existing, WriteError};
use std::path::Path;
use std::process::ExitCode;

/// The starter's files: (name, text). Kept as real `.topo` files in the
/// source tree so the tests check and format them like any example.
pub(crate) const STARTER: [(&str, &str); 2] = [
    ("main.topo", include_str!("starter/main.topo")),
    ("models.topo", include_str!("starter/models.topo")),
];

pub(super) fn init(dir: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        error(format_args!("cannot create `{}`: {e}", dir.display()));
        return ExitCode::from(2);
    }
    // Refuse before writing anything, so a half-written starter never
    // mixes with a project already there.
    let taken: Vec<String> = STARTER
        .iter()
        .filter(|(name, _)| dir.join(name).symlink_metadata().is_ok())
        .map(|(name, _)| format!("`{}`", dir.join(name).display()))
        .collect();
    if !taken.is_empty() {
        error(format_args!(
            "{} already exist{}; nothing written",
            taken.join(" and "),
            if taken.len() == 1 { "s" } else { "" }
        ));
        return ExitCode::from(2);
    }
    for (name, text) in STARTER {
        let path = dir.join(name);
        match write::write(&path, text.as_bytes(), Existing::Keep, Durability::Synced) {
            Ok(()) => {}
            Err(WriteError::Exists) => {
                error(format_args!(
                    "`{}` appeared while writing; left as it is",
                    path.display()
                ));
                return ExitCode::from(2);
            }
            Err(e) => {
                error(format_args!("cannot write `{}`: {e}", path.display()));
                return ExitCode::from(2);
            }
        }
    }
    let shown = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    print(
        &format!(
            "wrote {} and {}: two racks on A/B feeds, a 3-tier web shop, DNS and a flow\n\
             next: {shown}topo check .\n",
            dir.join(STARTER[0].0).display(),
            dir.join(STARTER[1].0).display(),
        ),
        ExitCode::SUCCESS,
    )
}

/// The completion script for `shell`, from the command line's own
/// definition, so it never lags behind a new flag.
pub(super) fn completions(shell: clap_complete::Shell) -> ExitCode {
    use clap::CommandFactory;
    let mut command = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "topo", &mut out);
    print(&String::from_utf8_lossy(&out), ExitCode::SUCCESS)
}

/// The manual page (roff), from the same definition.
pub(super) fn man() -> ExitCode {
    use clap::CommandFactory;
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(super::Cli::command()).render(&mut out) {
        error(format_args!("cannot render the manual page: {e}"));
        return ExitCode::from(2);
    }
    print(&String::from_utf8_lossy(&out), ExitCode::SUCCESS)
}
