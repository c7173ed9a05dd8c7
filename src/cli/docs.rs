//! The commands that print documentation: `rules`, `explain` and `docs`.

use super::output::{emit, error, print};
use super::Plain;
use crate::analyze::RULES;
use crate::docs;
use crate::write::{Durability, Existing};
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

/// A generated document.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(super) enum Document {
    /// The language: statements, parts, properties, units, presets
    Reference,
    /// Every rule's documentation
    Rules,
}

impl Document {
    fn file_name(self) -> &'static str {
        match self {
            Document::Reference => "reference.md",
            Document::Rules => "rules.md",
        }
    }

    fn text(self) -> String {
        match self {
            Document::Reference => docs::reference(),
            Document::Rules => docs::rules(),
        }
    }
}

pub(super) fn rules(format: Plain) -> ExitCode {
    let text = match format {
        Plain::Json => {
            let list: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "severity": r.severity,
                        "summary": r.summary,
                        "reported_by": if r.check.is_some() || r.name == "unused-allow" { "analyzer" } else { "language" },
                    })
                })
                .collect();
            let mut text =
                serde_json::to_string_pretty(&list).expect("plain data always serializes");
            text.push('\n');
            text
        }
        Plain::Human => {
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            RULES
                .iter()
                .map(|r| {
                    format!(
                        "{:width$}  {:7}  {}\n",
                        r.name,
                        r.severity.to_string(),
                        r.summary
                    )
                })
                .collect()
        }
    };
    print(&text, ExitCode::SUCCESS)
}

/// `topo explain WORD`: a rule, a statement or part, or a property.
pub(super) fn explain(word: &str) -> ExitCode {
    match docs::explain::explain(word) {
        Ok(text) => print(&text, ExitCode::SUCCESS),
        Err(unknown) => {
            error(format_args!("{}", unknown.message));
            eprintln!(
                "`topo rules` lists every rule; `topo docs reference` describes every statement and property"
            );
            ExitCode::from(2)
        }
    }
}

/// `topo docs DOCUMENT` prints one document; `--out DIR` writes it (or
/// both) into DIR, through the safe writer.
pub(super) fn docs(document: Option<Document>, out: Option<&Path>) -> ExitCode {
    let Some(dir) = out else {
        let Some(document) = document else {
            error(format_args!(
                "name a document (reference or rules), or pass --out DIR"
            ));
            return ExitCode::from(2);
        };
        return print(&document.text(), ExitCode::SUCCESS);
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        error(format_args!("cannot create `{}`: {e}", dir.display()));
        return ExitCode::from(2);
    }
    let documents = match document {
        Some(one) => vec![one],
        None => vec![Document::Reference, Document::Rules],
    };
    for document in documents {
        let path = dir.join(document.file_name());
        let code = emit(
            &document.text(),
            Some(&path),
            Existing::Replace,
            Durability::Rebuilt,
        );
        if code != ExitCode::SUCCESS {
            return code;
        }
    }
    ExitCode::SUCCESS
}
