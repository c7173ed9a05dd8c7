//! Reports: the same findings as text for people or as data for tools.
//! Emitters only format; they never compute findings.

pub mod github;
pub mod human;
pub mod impact;
pub mod json;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl std::fmt::Display for Summary {
    /// "2 errors, 3 warnings, 1 info"
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.infos, "info")
        )
    }
}

/// Whether a character may not reach a terminal or a log raw: C0 and C1
/// controls and DEL (they start terminal escapes and end lines) and the
/// bidirectional formatting characters (they reorder what is shown).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A file name or a text from a file, for people: unsafe characters are
/// written as escapes (`\n`, `\t`, `\r`, `\u{1b}`), so that nothing from a
/// file can start a line, a workflow command or a terminal escape.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// Source text shown in a code frame: each unsafe character other than
/// tab and line breaks becomes one printable character of the same length
/// in bytes (`?`, `¿` or `�`), so byte offsets and columns stay valid.
pub fn inert_source(text: &str) -> Cow<'_, str> {
    let keep = |c: char| matches!(c, '\t' | '\n' | '\r') || !is_unsafe(c);
    if text.chars().all(keep) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if line_break || (c != '\r' && keep(c)) {
            out.push(c);
            continue;
        }
        out.push(match c.len_utf8() {
            1 => '?',
            2 => '¿',
            _ => '\u{fffd}',
        });
    }
    debug_assert_eq!(out.len(), text.len());
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_messages_show_controls_as_escapes() {
        assert_eq!(
            escape_controls("a\n::error file=x::pwned\x1b]0;t\x07\u{202e}.topo"),
            "a\\n::error file=x::pwned\\u{1b}]0;t\\u{7}\\u{202e}.topo"
        );
        assert!(matches!(escape_controls("plain/é.topo"), Cow::Borrowed(_)));
    }

    #[test]
    fn source_keeps_its_length_and_line_breaks() {
        let text = "a\x1b[2J\tb\r\nc\rd\u{9b}e\u{2066}f\n";
        let inert = inert_source(text);
        assert_eq!(inert, "a?[2J\tb\r\nc?d¿e\u{fffd}f\n");
        assert_eq!(inert.len(), text.len());
    }
}
