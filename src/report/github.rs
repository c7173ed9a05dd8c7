//! `--format github`: GitHub Actions workflow commands, one per finding.

use super::sarif::uri;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;
use std::fmt::Write;

/// Escaping of a workflow command's message, as GitHub decodes it (`%`,
/// `\r`, `\n`); other controls are shown as escapes, so that nothing from
/// a file reaches the log raw.
fn data(text: &str) -> String {
    let encoded = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::text::printable(&encoded).into_owned()
}

/// Escaping of a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let file = sources.get(d.span.file);
        let (line, col) = file.line_col(d.span.start);
        let (end_line, end_col) = file.line_col(d.span.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
            property(&uri(&file.name)),
            property(d.rule),
            data(&d.message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_workflow_commands_require() {
        assert_eq!(data("50 %\nnext"), "50 %25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(
            property("a\n::error file=x,line=1::pwned\x1b[2J.topo"),
            "a%0A%3A%3Aerror file=x%2Cline=1%3A%3Apwned\\u{1b}[2J.topo"
        );
    }
}
