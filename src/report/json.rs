//! `--format json`: one object, as the README's "Diagnostics" section gives it.

use super::Summary;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Sources, Span};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Output<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    /// The element the finding is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    /// The figures the finding compared, for tools; always present, an
    /// empty object when the finding has none.
    data: &'a BTreeMap<&'static str, serde_json::Value>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

struct Position<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn position(sources: &Sources, span: Span) -> Position<'_> {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    Position {
        file: &file.name,
        line,
        column,
        end_line,
        end_column,
    }
}

pub fn render(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let output = Output {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let p = position(sources, d.span);
                JsonDiagnostic {
                    rule: d.rule,
                    severity: d.severity,
                    message: &d.message,
                    file: p.file,
                    line: p.line,
                    column: p.column,
                    end_line: p.end_line,
                    end_column: p.end_column,
                    help: d.help.as_deref(),
                    element: d.subject.as_deref(),
                    related: d
                        .related
                        .iter()
                        .map(|r| {
                            let rp = position(sources, r.span);
                            JsonRelated {
                                file: rp.file,
                                line: rp.line,
                                column: rp.column,
                                message: &r.message,
                            }
                        })
                        .collect(),
                    data: &d.data,
                }
            })
            .collect(),
        summary: Summary::of(diagnostics),
    };
    let mut text = serde_json::to_string_pretty(&output).expect("plain data always serializes");
    text.push('\n');
    text
}
