//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it.

use crate::analyze::RULES;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Sources, Span};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The path relative to the working directory, with forward slashes.
pub fn uri(name: &str) -> String {
    let path = std::path::Path::new(name);
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| path.to_path_buf());
    relative
        .to_string_lossy()
        .replace('\\', "/")
        .trim_start_matches("./")
        .to_string()
}

fn fnv(text: &str) -> String {
    format!("{:016x}", crate::text::fnv1a(text))
}

fn region(sources: &Sources, span: Span) -> Value {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end.max(span.start));
    json!({
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column.max(if end_line == line { column + 1 } else { 1 }),
    })
}

fn location(sources: &Sources, span: Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&sources.get(span.file).name) },
            "region": region(sources, span),
        }
    })
}

pub fn render(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.name,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = RULES.iter().position(|r| r.name == d.rule);
            // Keyed on the rule and the element, not the line, so findings
            // keep their identity when unrelated lines move.
            let key = match &d.subject {
                Some(subject) => format!("{}:{subject}", d.rule),
                None => format!("{}:{}", d.rule, d.message),
            };
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [location(sources, d.span)],
                "partialFingerprints": { "topoFinding/v1": fnv(&key) },
                // SARIF's property bag: the same `data` as `--format json`.
                "properties": { "data": &d.data },
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            if !d.related.is_empty() {
                result["relatedLocations"] = Value::Array(
                    d.related
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let mut l = location(sources, r.span);
                            l["id"] = json!(i);
                            l["message"] = json!({ "text": r.message });
                            l
                        })
                        .collect(),
                );
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "topo",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("plain data always serializes");
    text.push('\n');
    text
}
