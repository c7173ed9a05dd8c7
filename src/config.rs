//! Severity levels chosen by the user: `topo.toml` and `--deny`, `--warn`,
//! `--allow`, `--deny warnings`. The command line overrides the file, the
//! file overrides each rule's default.

use crate::analyze::{rule, RULES};
use crate::diagnostic::{closest, Diagnostic, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a rule's findings become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
    Allow,
}

impl Level {
    fn parse(text: &str) -> Option<Level> {
        Some(match text {
            "error" | "deny" => Level::Error,
            "warning" | "warn" => Level::Warning,
            "info" | "note" => Level::Info,
            "allow" | "off" => Level::Allow,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Levels {
    rules: BTreeMap<String, Level>,
    deny_warnings: bool,
}

/// The config file for an input: `topo.toml` in its directory or above.
/// Anything of that name counts, so a `topo.toml` that is a FIFO or a
/// directory is reported when read rather than silently passed over.
pub fn find(input: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(input).ok()?;
    // A directory given as the project is searched itself first.
    let mut dir = if absolute.is_dir() {
        Some(absolute.as_path())
    } else {
        absolute.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join("topo.toml");
        if candidate.symlink_metadata().is_ok() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

fn check_rule(name: &str, source: &str) -> Result<(), String> {
    match rule(name) {
        Some(r) if r.check.is_none() && r.name != "unused-allow" => Err(format!(
            "{source}: `{name}` is a language rule; it stays an error"
        )),
        Some(_) => Ok(()),
        None => {
            let hint = closest(name, RULES.iter().map(|r| r.name))
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            Err(format!("{source}: unknown rule `{name}`{hint}"))
        }
    }
}

impl Levels {
    /// Reads `[rules]` of a `topo.toml`.
    pub fn from_file(path: &Path) -> Result<Levels, String> {
        let where_ = crate::text::printable_path(path).into_owned();
        let text = crate::input::read_text(path)
            .map_err(|reason| format!("cannot read `{where_}`: {reason}"))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| format!("{where_}: {}", e.message()))?;
        let mut levels = Levels::default();
        for (key, value) in &table {
            if key != "rules" {
                return Err(format!(
                    "{where_}: unknown section `{key}`; topo.toml has `[rules]`"
                ));
            }
            let Some(rules) = value.as_table() else {
                return Err(format!("{where_}: `rules` must be a table: [rules]"));
            };
            for (name, level) in rules {
                check_rule(name, &where_)?;
                let level = level.as_str().and_then(Level::parse).ok_or_else(|| {
                    format!(
                        "{where_}: `{name}` must be \"error\", \"warning\", \"info\" or \"allow\""
                    )
                })?;
                levels.rules.insert(name.clone(), level);
            }
        }
        Ok(levels)
    }

    /// Applies command-line flags over these levels: `--allow`, then
    /// `--warn`, then `--deny`, so the strictest flag wins a conflict.
    pub fn with_flags(
        mut self,
        deny: &[String],
        warn: &[String],
        allow: &[String],
    ) -> Result<Levels, String> {
        for (names, level) in [
            (allow, Level::Allow),
            (warn, Level::Warning),
            (deny, Level::Error),
        ] {
            for name in names {
                if level == Level::Error && name == "warnings" {
                    self.deny_warnings = true;
                    continue;
                }
                let flag = match level {
                    Level::Allow => "--allow",
                    Level::Warning => "--warn",
                    _ => "--deny",
                };
                check_rule(name, flag)?;
                self.rules.insert(name.clone(), level);
            }
        }
        Ok(self)
    }

    /// The findings with their chosen severities; allowed ones removed.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                match self.rules.get(d.rule) {
                    Some(Level::Allow) => return None,
                    Some(Level::Error) => d.severity = Severity::Error,
                    Some(Level::Warning) => d.severity = Severity::Warning,
                    Some(Level::Info) => d.severity = Severity::Info,
                    None => {}
                }
                if self.deny_warnings && d.severity == Severity::Warning {
                    d.severity = Severity::Error;
                }
                Some(d)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_and_strictest_wins() {
        let l = Levels::default()
            .with_flags(
                &["spof".into()],
                &["spof".into(), "fat-client".into()],
                &["rack-power".into()],
            )
            .unwrap();
        assert_eq!(l.rules.get("spof"), Some(&Level::Error));
        assert_eq!(l.rules.get("fat-client"), Some(&Level::Warning));
        assert_eq!(l.rules.get("rack-power"), Some(&Level::Allow));
    }

    #[test]
    fn unknown_and_language_rules_are_refused() {
        let e = Levels::default()
            .with_flags(&["spoof".into()], &[], &[])
            .unwrap_err();
        assert_eq!(e, "--deny: unknown rule `spoof`; did you mean `spof`?");
        let e = Levels::default()
            .with_flags(&[], &[], &["syntax".into()])
            .unwrap_err();
        assert_eq!(e, "--allow: `syntax` is a language rule; it stays an error");
    }
}
