//! The canonical formatter (`topo fmt`).
//!
//! It reprints the syntax tree: one statement per line, two spaces per
//! block level, items separated by one space, and blocks that were written
//! on one line kept on one line (`{ role primary }`). Comments are kept where
//! they were, on their own line or after a statement, and one blank line
//! survives where the source had any. Items are printed exactly as written,
//! so the meaning cannot change; a file with syntax errors is refused.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::{self, ast::Block, ast::Statement};

/// Formats a file, or returns its syntax errors.
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let file = FileId(0);
    let (ast, errors) = syntax::parse(file, text);
    if !errors.is_empty() {
        return Err(errors);
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut p = Printer {
        text,
        lines: line_ends(text),
        comments: &ast.comments,
        used: vec![false; ast.comments.len()],
        first_unused: 0,
        out: String::with_capacity(text.len() + text.len() / 8),
        last_line: None,
    };
    p.statements(&ast.statements, 0, text.len() as u32);
    let mut out = p.out;
    while out.ends_with('\n') {
        out.pop();
    }
    if !out.is_empty() {
        out.push('\n');
    }
    if text.starts_with('\u{FEFF}') {
        out.insert(0, '\u{FEFF}');
    }
    if newline == "\r\n" {
        out = out.replace('\n', "\r\n");
    }
    Ok(out)
}

/// Offsets of every line end: `\n`, and a lone `\r`, which the grammar
/// also takes as one.
fn line_ends(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .map(|i| i as u32)
        .collect()
}

struct Printer<'a> {
    text: &'a str,
    /// Offsets of every line end, to find line numbers.
    lines: Vec<u32>,
    /// Comments in source order. Statements are printed in source order too,
    /// so comments are attached in one pass: every comment before
    /// `first_unused` is printed; one after it may be printed already as a
    /// trailing comment.
    comments: &'a [Span],
    used: Vec<bool>,
    first_unused: usize,
    out: String,
    /// The source line of the last thing printed, to keep blank lines.
    last_line: Option<usize>,
}

impl Printer<'_> {
    fn line(&self, offset: u32) -> usize {
        self.lines.partition_point(|&n| n < offset)
    }

    /// Starts a new output line at `depth`, keeping one blank line where the
    /// source had one before the thing that starts at `offset`.
    fn newline(&mut self, depth: usize, offset: u32) {
        let line = self.line(offset);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        if let Some(last) = self.last_line {
            if line > last + 1 && self.blank_between(last, line) {
                self.out.push('\n');
            }
        }
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    /// Whether some line strictly between two source lines is empty.
    fn blank_between(&self, a: usize, b: usize) -> bool {
        (a + 1..b).any(|l| {
            let start = if l == 0 {
                0
            } else {
                self.lines[l - 1] as usize + 1
            };
            let end = self.lines.get(l).map_or(self.text.len(), |&e| e as usize);
            self.text[start..end].trim().is_empty()
        })
    }

    /// Comments on lines of their own, before `before`.
    fn leading_comments(&mut self, depth: usize, before: u32) {
        while let Some(&c) = self.comments.get(self.first_unused) {
            if c.start >= before {
                break;
            }
            let i = self.first_unused;
            self.first_unused += 1;
            if self.used[i] {
                continue;
            }
            self.used[i] = true;
            self.newline(depth, c.start);
            let text = self.text;
            self.out.push_str(text[c.range()].trim_end());
            self.last_line = Some(self.line(c.start));
        }
    }

    /// A comment after code on the line of `offset`, before `limit`.
    fn trailing_comment(&mut self, offset: u32, limit: u32) {
        let line = self.line(offset);
        // Comments before `offset` sit inside the statement and wait for the
        // next `leading_comments`; only the first one after it can trail.
        let after = self.first_unused
            + self.comments[self.first_unused..]
                .iter()
                .take_while(|c| c.start < offset)
                .count();
        let Some(i) = (after..self.comments.len()).find(|&i| !self.used[i]) else {
            return;
        };
        let c = self.comments[i];
        if c.start >= limit || self.line(c.start) != line {
            return;
        }
        self.used[i] = true;
        let text = self.text;
        self.out.push_str("  ");
        self.out.push_str(text[c.range()].trim_end());
    }

    fn statements(&mut self, statements: &[Statement], depth: usize, end: u32) {
        for (i, s) in statements.iter().enumerate() {
            self.leading_comments(depth, s.span.start);
            self.newline(depth, s.span.start);
            self.statement(s, depth);
            // A trailing comment belongs to the last statement on its line.
            let next = statements.get(i + 1).map_or(end, |n| n.span.start);
            self.trailing_comment(s.span.end.saturating_sub(1), next);
            self.last_line = Some(self.line(s.span.end.saturating_sub(1)));
        }
        self.leading_comments(depth, end);
    }

    fn items(&mut self, s: &Statement) {
        for (i, item) in s.items.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            let text = self.text;
            self.out.push_str(&text[item.span.range()]);
        }
    }

    fn statement(&mut self, s: &Statement, depth: usize) {
        self.items(s);
        let Some(block) = &s.block else { return };
        if self.one_line(block) {
            self.inline_block(block);
            return;
        }
        self.out.push_str(" {");
        let first = block
            .statements
            .first()
            .map_or(block.span.end, |f| f.span.start);
        self.trailing_comment(block.span.start, first);
        self.last_line = Some(self.line(block.span.start));
        self.statements(&block.statements, depth + 1, block.span.end - 1);
        self.newline(depth, block.span.end - 1);
        self.out.push('}');
    }

    /// Whether no line ends inside the block: a search in the line ends,
    /// not a scan of the block's text, which nested blocks would repeat.
    fn one_line(&self, block: &Block) -> bool {
        let first_end = self.lines.partition_point(|&n| n < block.span.start);
        self.lines
            .get(first_end)
            .is_none_or(|&n| n >= block.span.end)
    }

    fn inline_block(&mut self, block: &Block) {
        if block.statements.is_empty() {
            self.out.push_str(" {}");
            return;
        }
        self.out.push_str(" { ");
        for (i, s) in block.statements.iter().enumerate() {
            if i > 0 {
                self.out.push_str("; ");
            }
            self.items(s);
            if let Some(inner) = &s.block {
                self.inline_block(inner);
            }
        }
        self.out.push_str(" }");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text).unwrap()
    }

    #[test]
    fn spacing_indentation_and_one_statement_per_line() {
        assert_eq!(
            fmt("site   tokyo{role primary}\nrack r1 {\nsite tokyo;   height 42U\n      feeds a b\n}\n"),
            "site tokyo { role primary }\nrack r1 {\n  site tokyo\n  height 42U\n  feeds a b\n}\n"
        );
    }

    #[test]
    fn comments_stay_where_they_were() {
        let text = "# header\n\nsite a   # trailing\n\n\n# before b\nsite b {\n  # inside\n  role dr # why\n  # last\n}\n";
        assert_eq!(
            fmt(text),
            "# header\n\nsite a  # trailing\n\n# before b\nsite b {\n  # inside\n  role dr  # why\n  # last\n}\n"
        );
    }

    #[test]
    fn trailing_comment_goes_to_the_last_statement_on_its_line() {
        assert_eq!(
            fmt("rack r {\n  site a; height 42U  # both\n}\n"),
            "rack r {\n  site a\n  height 42U  # both\n}\n"
        );
        assert_eq!(
            fmt("rack r {  # about r\n  site a\n}\n"),
            "rack r {  # about r\n  site a\n}\n"
        );
    }

    #[test]
    fn idempotent_and_items_untouched() {
        let text = "server web[01..04]:r650{rack t1 at U1;draw 2.4A}\nflow f{browser->shop-web->db;rate 1e3rps}\n";
        let once = fmt(text);
        assert_eq!(once, "server web[01..04] : r650 { rack t1 at U1; draw 2.4A }\nflow f { browser -> shop-web -> db; rate 1e3rps }\n");
        assert_eq!(fmt(&once), once);
    }

    #[test]
    fn refuses_syntax_errors_and_keeps_crlf_and_bom() {
        assert!(format("site a, b\n").is_err());
        assert_eq!(
            fmt("\u{FEFF}site a\r\nsite b\r\n"),
            "\u{FEFF}site a\r\nsite b\r\n"
        );
        assert_eq!(fmt(""), "");
        // Found by fuzzing: a lone CR ends a line, so the comment before it
        // stays inside the block and before the trailing one.
        assert_eq!(fmt("s{#a\r}#"), "s {  #a\n}  #\n");
        assert_eq!(fmt("# only a comment"), "# only a comment\n");
    }
}
