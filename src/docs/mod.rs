//! The user's reference, generated: `docs/reference.md` from the language
//! schema, the units and the presets; `docs/rules.md` from the rule table;
//! and the text `topo explain KEYWORD` prints.
//!
//! Prose that explains an idea is written here as constant text; every list
//! of keywords, properties, units, presets and rules is read from the data,
//! so the documents cannot name something the language does not have.

pub mod explain;
mod notes;
mod reference;
mod rules;
mod tables;

use crate::model::schema::{Kind, Property};

pub use reference::reference;
pub use rules::rules;

/// How to bring the committed documents up to date; the test that compares
/// them prints it.
pub const UPDATE_COMMAND: &str = "cargo run -- docs --out docs";

/// Every generated document: its file name under `docs/` and its text.
pub fn files() -> Vec<(&'static str, String)> {
    vec![("reference.md", reference()), ("rules.md", rules())]
}

/// The first lines of every generated document.
fn generated_note(source: &str) -> String {
    format!(
        "<!-- Generated from {source} by `topo docs`; do not edit by hand. \
         Run `{UPDATE_COMMAND}` to update it. -->\n\n"
    )
}

/// Text for one cell of a Markdown table: a `|` would end the cell (also
/// inside backticks), a newline the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `text` as inline code, with a fence of backticks longer than any run in
/// it.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped,
/// spaces as hyphens (`` `max-weight` `` → `max-weight`, `The failure
/// model` → `the-failure-model`).
pub fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_lowercase().next()?),
            _ => None,
        })
        .collect()
}

/// How a property is written: `height RACK-UNITS`, `stateful`, and a
/// request path (`->`) as the whole line it is.
pub fn usage(property: &Property) -> String {
    let syntax = property.shape.syntax();
    match (property.name, syntax.is_empty()) {
        ("->", _) => syntax,
        (name, true) => name.to_string(),
        (name, false) => format!("{name} {syntax}"),
    }
}

/// The facts of a property beyond its summary, as short sentences:
/// "Default: 42U. May be written more than once."
pub fn qualifiers(property: &Property) -> Vec<String> {
    let mut facts = Vec::new();
    if property.required {
        facts.push("Required.".to_string());
    }
    if let Some(default) = property.default {
        facts.push(format!("Default: {default}."));
    }
    if property.repeats {
        facts.push("May be written more than once.".to_string());
    }
    facts
}

/// True when two properties are the same entry (shared by several kinds).
fn same(a: &Property, b: &Property) -> bool {
    a.name == b.name
        && a.summary == b.summary
        && a.example == b.example
        && a.default == b.default
        && a.repeats == b.repeats
        && a.required == b.required
        && a.shape.syntax() == b.shape.syntax()
}

/// Where a kind is written, as a noun: "statement", "device kind", "part".
pub fn place_noun(kind: &Kind) -> &'static str {
    use crate::model::schema::{Place, DEVICE_KINDS};
    match kind.place {
        Place::TopLevel if DEVICE_KINDS.iter().any(|k| std::ptr::eq(k, kind)) => "device kind",
        Place::TopLevel => "statement",
        Place::Part => "part",
        Place::Nested => "nested block",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_github() {
        assert_eq!(anchor("`max-weight`"), "max-weight");
        assert_eq!(anchor("The failure model"), "the-failure-model");
        assert_eq!(anchor("Units and presets: a, b"), "units-and-presets-a-b");
    }

    #[test]
    fn cells_and_code_escape_what_markdown_reads() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(code("x"), "`x`");
        assert_eq!(code("a `b` c"), "`` a `b` c ``");
    }
}
