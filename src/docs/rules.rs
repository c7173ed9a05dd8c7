//! `docs/rules.md`: every rule of the rule table, in its order, with its
//! default severity, summary and documentation.

use super::{anchor, cell, code, generated_note};
use crate::analyze::{Rule, RULES};
use std::fmt::Write;

const INTRO: &str = "\
analyses of the design, and their severity can be changed:

- `topo.toml` in the project's directory (or a directory above it), under
  `[rules]`: `spof = \"error\"`, `fat-client = \"allow\"`;
- on the command line, which overrides the file: `--deny RULE`,
  `--warn RULE`, `--allow RULE`, and `--deny warnings` to make every
  remaining warning an error;
- in a file: `allow RULE` at the top level silences the rule for that file,
  inside a declaration or part for that element. An `allow` that silences
  nothing is itself reported (`unused-allow`).

`topo rules` lists the rules and `topo explain RULE` prints one of the
entries below. The language itself is described in
[reference.md](reference.md).
";

/// The whole rules document, as Markdown.
pub fn rules() -> String {
    let mut out = generated_note("the rule table (`src/analyze/`)");
    out.push_str("# Rules\n\n");
    let language: Vec<String> = RULES
        .iter()
        .filter(|r| !by_analysis(r))
        .map(|r| code(r.name))
        .collect();
    let _ = write!(
        out,
        "`topo check` reports what it finds as findings, each with a rule name, a\n\
         severity (`error`, `warning` or `info`), a message that states the figures it\n\
         compared, and the place in the file. The rules of the language ({}) are\n\
         reported while the files are read and always stay errors; the others are\n",
        language.join(", ")
    );
    out.push_str(INTRO);
    out.push_str("\n| rule | default | fires when |\n|---|---|---|\n");
    for rule in RULES {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} |",
            code(rule.name),
            anchor(rule.name),
            rule.severity,
            cell(rule.summary)
        );
    }
    for rule in RULES {
        out.push('\n');
        out.push_str(&entry(rule));
    }
    out
}

fn entry(rule: &Rule) -> String {
    let reported = if by_analysis(rule) {
        "the analysis of the design"
    } else {
        "reading the files"
    };
    format!(
        "## {}\n\n**Default severity:** {}. **Reported by:** {reported}.\n\n{}.\n\n{}",
        code(rule.name),
        rule.severity,
        capitalized(rule.summary),
        demoted(rule.doc.trim_end())
    )
}

/// Whether the analysis of the design reports the rule, rather than reading
/// the files (`unused-allow` is reported after every analyzer ran).
fn by_analysis(rule: &Rule) -> bool {
    rule.check.is_some() || rule.name == "unused-allow"
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A rule's documentation one heading level down (its `## Why` becomes
/// `### Why`), so that it sits under the rule's own heading. Lines inside
/// code fences are left alone: a `#` there starts a comment.
fn demoted(doc: &str) -> String {
    let mut fenced = false;
    let mut out = String::new();
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_down_but_comments_in_code_stay() {
        let doc = "## Why\ntext\n```topo\n# a comment\n```\n## Fix\n";
        assert_eq!(
            demoted(doc),
            "### Why\ntext\n```topo\n# a comment\n```\n### Fix\n"
        );
    }

    #[test]
    fn every_rule_has_its_entry_in_order() {
        let text = rules();
        let mut from = 0;
        for rule in RULES {
            let heading = format!("## `{}`\n", rule.name);
            let at = text[from..]
                .find(&heading)
                .unwrap_or_else(|| panic!("{} missing or out of order", rule.name));
            from += at + heading.len();
        }
    }
}
