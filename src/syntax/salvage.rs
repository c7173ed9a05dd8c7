//! Taking apart a statement that does not parse as a whole, so that one
//! slip inside a declaration (`feeds hq-a, hq-b`, a missing `}`) does not
//! drop the declaration: its header and each statement of its block are
//! parsed alone; the declaration keeps its name and every property that
//! parses, and each piece that does not is its own syntax error.

use super::ast::{Block, Statement};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// What one lexical scan of a block finds: where each statement of it
/// starts and ends, and where the block closes (none when it never does).
struct Pieces {
    pieces: Vec<(usize, usize)>,
    close: Option<usize>,
}

/// The characters of `text[from..to]` that are code: outside strings and
/// comments (line ends included), with their offsets in `text`.
pub(super) fn code(text: &str, from: usize, to: usize) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    text[from..to].char_indices().filter_map(move |(i, c)| {
        match c {
            '\n' | '\r' => {
                in_comment = false;
                in_string = false;
                return Some((from + i, c));
            }
            _ if in_comment => {}
            _ if in_string => {
                in_string = c != '"' || escaped;
                escaped = c == '\\' && !escaped;
            }
            '"' => {
                in_string = true;
                escaped = false;
            }
            '#' => in_comment = true,
            _ => return Some((from + i, c)),
        }
        None
    })
}

/// The statements of the block that opens just before `from`: split at
/// `;` and line ends outside nested blocks, strings and comments.
fn pieces(text: &str, from: usize, to: usize) -> Pieces {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut piece = from;
    for (at, c) in code(text, from, to) {
        match c {
            '\n' | '\r' | ';' if depth == 0 => {
                out.push((piece, at));
                piece = at + 1;
            }
            '{' => depth += 1,
            '}' if depth == 0 => {
                out.push((piece, at));
                return Pieces {
                    pieces: out,
                    close: Some(at),
                };
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    out.push((piece, to));
    Pieces {
        pieces: out,
        close: None,
    }
}

/// Whether `text` holds nothing but blanks and a comment.
fn blank(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t.starts_with('#')
}

/// The statement from `start` to `end`, whose whole parse failed with
/// `whole`: the header and each piece of its block parsed alone.
pub(super) fn salvage(
    file: FileId,
    text: &str,
    start: usize,
    end: usize,
    whole: Diagnostic,
) -> (Option<Statement>, Vec<Diagnostic>) {
    let Some(open) = code(text, start, end)
        .find(|&(_, c)| c == '{')
        .map(|(at, _)| at)
    else {
        return (None, vec![whole]);
    };
    let header = match super::parse_chunk(file, text, start, open, None) {
        (Some(h), errors) if errors.is_empty() && h.block.is_none() => h,
        _ => return (None, vec![whole]),
    };
    let found = pieces(text, open + 1, end);
    let mut statements = Vec::new();
    let mut errors = Vec::new();
    for (a, b) in found.pieces {
        if blank(&text[a..b]) {
            continue;
        }
        let (statement, mut piece_errors) = super::parse_chunk(file, text, a, b, None);
        statements.extend(statement);
        errors.append(&mut piece_errors);
    }
    let block_end = found.close.map_or(end, |c| c + 1);
    // What the pieces do not explain (a block never closed, text after
    // the block) is the whole statement's error.
    let trailing = !blank(&text[block_end..end]);
    if errors.is_empty() || found.close.is_none() || trailing {
        errors.insert(0, whole);
    }
    let statement = Statement {
        span: Span::new(file, header.span.start as usize, block_end),
        items: header.items,
        block: Some(Box::new(Block {
            span: Span::new(file, open, block_end),
            statements: statements.into_boxed_slice(),
        })),
    };
    (Some(statement), errors)
}
