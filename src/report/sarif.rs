//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it.

use crate::analyze::RULES;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Sources, Span};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;

mod line_hash;
mod location;

pub use line_hash::line_hashes;
pub use location::{file_uri, repository_root};

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

/// `topo/v2`: the finding's identity without its position, so that it
/// survives lines moving: the rule, the element, and the related elements
/// (the text of each related span: the names they point at). Two findings
/// that still agree on all of these are told apart by their order: the
/// first keeps the plain key, the n-th appends n.
fn identities(sources: &Sources, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let element = match &d.subject {
                Some(subject) => subject.as_str(),
                None => sources.slice(d.span),
            };
            let mut key = String::new();
            for part in [d.rule, element]
                .into_iter()
                .chain(d.related.iter().map(|r| sources.slice(r.span)))
            {
                // Length-prefixed, so that no two lists join to one text.
                key.push_str(&format!("{}:{part};", part.len()));
            }
            let base = crate::text::fnv1a(&key);
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            let hash = if *n == 1 {
                base
            } else {
                crate::text::fnv1a(&format!("{key}#{n}"))
            };
            format!("{hash:016x}")
        })
        .collect()
}

/// `https://github.com/owner/repo/blob/HEAD/docs/rules.md#rule`, when the
/// package names its repository; SARIF wants an absolute URI here.
fn help_uri(repository: &str, rule: &str) -> Option<String> {
    let repository = repository.trim_end_matches('/');
    (!repository.is_empty()).then(|| {
        format!(
            "{repository}/blob/HEAD/docs/rules.md#{}",
            anchor(&format!("`{rule}`"))
        )
    })
}

/// GitHub's anchor for the heading `` `rule` ``: lowercase, spaces to `-`,
/// other punctuation than `-` and `_` dropped.
fn anchor(rule: &str) -> String {
    rule.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
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

fn location(sources: &Sources, span: Span, root: &Path) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": location::artifact_location(&sources.get(span.file).path, root),
            "region": region(sources, span),
        }
    })
}

/// The SARIF log; artifact URIs are relative to `root` (see
/// [`repository_root`]).
pub fn render(sources: &Sources, diagnostics: &[Diagnostic], root: &Path) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.name,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level(r.severity) },
            });
            if let Some(uri) = help_uri(env!("CARGO_PKG_REPOSITORY"), r.name) {
                rule["helpUri"] = json!(uri);
            }
            rule
        })
        .collect();
    let identities = identities(sources, diagnostics);
    let mut line_hashes: HashMap<_, Vec<String>> = HashMap::new();
    let results: Vec<Value> = diagnostics
        .iter()
        .zip(identities)
        .map(|(d, identity)| {
            let index = RULES.iter().position(|r| r.name == d.rule);
            let line = sources.get(d.span.file).line_col(d.span.start).0;
            let hashes = line_hashes
                .entry(d.span.file)
                .or_insert_with(|| line_hash::line_hashes(&sources.get(d.span.file).text));
            let mut prints = json!({ "topo/v2": identity });
            if let Some(hash) = hashes.get(line - 1) {
                prints["primaryLocationLineHash"] = json!(hash);
            }
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [location(sources, d.span, root)],
                "partialFingerprints": prints,
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
                            let mut l = location(sources, r.span, root);
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
            "originalUriBaseIds": {
                "%SRCROOT%": { "uri": file_uri(root, true) },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("plain data always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_uris_point_at_each_rules_heading() {
        let rules_md = include_str!("../../docs/rules.md");
        for rule in RULES {
            // docs/rules.md titles each rule `` ## `name` ``.
            assert!(rules_md.contains(&format!("\n## `{}`\n", rule.name)));
            assert_eq!(anchor(&format!("`{}`", rule.name)), rule.name);
        }
        assert_eq!(anchor("`Odd Name`: v2!"), "odd-name-v2");
        assert_eq!(
            help_uri("https://github.com/o/r/", "spof").as_deref(),
            Some("https://github.com/o/r/blob/HEAD/docs/rules.md#spof")
        );
        assert_eq!(help_uri("", "spof"), None);
    }
}
