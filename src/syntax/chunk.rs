//! Splits a file into top-level statements before the grammar runs.
//!
//! Parsing one top-level statement at a time lets a syntax error stay local
//! (the next statement still parses) and lets nesting depth be checked
//! without recursion, so hostile input cannot overflow the stack.

use super::TOP_LEVEL_KEYWORDS;
use crate::source::{FileId, Span};

/// Blocks nested deeper than this are refused (real files use four).
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Chunk {
    /// A statement to parse, from `start` to `end`.
    Statement { start: usize, end: usize },
    /// A statement whose blocks nest too deeply; the offset is the first `{`
    /// past the limit.
    TooDeep { start: usize, end: usize, at: usize },
    /// A `}` with no `{`.
    StrayClose { at: usize },
}

/// The bytes that can end a statement or change how the rest is read.
const STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let special = b"\"#{}\n\r;";
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

pub struct Chunks {
    pub chunks: Vec<Chunk>,
    pub comments: Vec<Span>,
}

pub fn split(file: FileId, text: &str) -> Chunks {
    let mut scanner = Scanner {
        file,
        bytes: text.as_bytes(),
        text,
        pos: 0,
        chunks: Vec::new(),
        comments: Vec::new(),
    };
    if text.starts_with('\u{FEFF}') {
        scanner.pos = 3;
    }
    scanner.run();
    Chunks {
        chunks: scanner.chunks,
        comments: scanner.comments,
    }
}

struct Scanner<'a> {
    file: FileId,
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    chunks: Vec<Chunk>,
    comments: Vec<Span>,
}

impl Scanner<'_> {
    fn run(&mut self) {
        loop {
            self.skip_trivia();
            if self.pos >= self.bytes.len() {
                return;
            }
            if self.bytes[self.pos] == b'}' {
                self.chunks.push(Chunk::StrayClose { at: self.pos });
                self.pos += 1;
                continue;
            }
            self.statement();
        }
    }

    fn skip_trivia(&mut self) {
        while let Some(&c) = self.bytes.get(self.pos) {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' => self.pos += 1,
                b'#' => self.comment(),
                _ => return,
            }
        }
    }

    fn comment(&mut self) {
        let start = self.pos;
        while let Some(&c) = self.bytes.get(self.pos) {
            if c == b'\n' || c == b'\r' {
                break;
            }
            self.pos += 1;
        }
        self.comments.push(Span::new(self.file, start, self.pos));
    }

    fn string(&mut self) {
        self.pos += 1;
        while let Some(&c) = self.bytes.get(self.pos) {
            match c {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => self.pos += 2,
                // An unterminated string ends at the line; the grammar reports it.
                b'\n' | b'\r' => return,
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.bytes.len());
    }

    fn statement(&mut self) {
        let start = self.pos;
        let mut depth = 0usize;
        let mut too_deep = None;
        let mut line_starts = Vec::new();
        let bytes = self.bytes;
        let mut pos = self.pos;
        while let Some(&c) = bytes.get(pos) {
            // Most bytes are names and blanks: one table lookup each.
            if !STRUCTURAL[usize::from(c)] {
                pos += 1;
                continue;
            }
            match c {
                b'"' | b'#' => {
                    self.pos = pos;
                    if c == b'"' {
                        self.string();
                    } else {
                        self.comment();
                    }
                    pos = self.pos;
                    continue;
                }
                b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH && too_deep.is_none() {
                        too_deep = Some(pos);
                    }
                }
                b'}' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                b'\n' | b'\r' | b';' if depth == 0 => break,
                b'\n' | b'\r' => line_starts.push(pos + 1),
                _ => {}
            }
            pos += 1;
        }
        self.pos = pos;
        if depth > 0 && too_deep.is_none() {
            // Unclosed block: end the statement before the first later line
            // that starts at column 0 with a top-level keyword, so the rest
            // of the file is still read.
            if let Some(cut) = line_starts.into_iter().find(|&s| self.starts_top_level(s)) {
                self.pos = cut;
            }
        }
        let end = self.pos;
        self.chunks.push(match too_deep {
            Some(at) => Chunk::TooDeep { start, end, at },
            None => Chunk::Statement { start, end },
        });
    }

    fn starts_top_level(&self, at: usize) -> bool {
        let rest = &self.text[at..];
        let word: &str = rest
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .next()
            .unwrap_or("");
        TOP_LEVEL_KEYWORDS.contains(&word) && rest[word.len()..].starts_with([' ', '\t'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(text: &str) -> Vec<&str> {
        split(FileId(0), text)
            .chunks
            .iter()
            .map(|c| match c {
                Chunk::Statement { start, end } | Chunk::TooDeep { start, end, .. } => {
                    &text[*start..*end]
                }
                Chunk::StrayClose { .. } => "}",
            })
            .collect()
    }

    #[test]
    fn splits_on_newlines_semicolons_and_keeps_blocks_whole() {
        let text = "site a { role primary\n backs b }\n# note\nsite b; tier web { role x }\n";
        assert_eq!(
            statements(text),
            vec![
                "site a { role primary\n backs b }",
                "site b",
                "tier web { role x }"
            ]
        );
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let text = "client c { software x \"{\" # }\n}\nsite s";
        assert_eq!(
            statements(text),
            vec!["client c { software x \"{\" # }\n}", "site s"]
        );
    }

    #[test]
    fn unclosed_block_stops_at_next_top_level_keyword() {
        let text = "rack r1 {\n  height 42U\nsite tokyo { role primary }\n";
        assert_eq!(
            statements(text),
            vec!["rack r1 {\n  height 42U\n", "site tokyo { role primary }"]
        );
    }

    #[test]
    fn deep_nesting_is_flagged_without_recursion() {
        let text = format!("model m {}{}", "{".repeat(50_000), "}".repeat(50_001));
        let chunks = split(FileId(0), &text).chunks;
        assert!(matches!(chunks[0], Chunk::TooDeep { .. }));
    }

    #[test]
    fn stray_close_brace_is_reported() {
        assert_eq!(statements("}\nsite a"), vec!["}", "site a"]);
    }

    #[test]
    fn bom_is_skipped() {
        assert_eq!(
            statements("\u{FEFF}site a\r\nsite b\r\n"),
            vec!["site a", "site b"]
        );
    }
}
