//! The grammar of `grammar/topo.pest`, recognised by hand for statements
//! that parse.
//!
//! pest pays a stack-guard and call-limit check on every rule, repetition
//! and sequence it enters; on a data centre of 100,000 devices that made
//! parsing the largest stage of a check, at about 3 MB/s. The language is
//! lexical (items on a line, blocks in braces), so a recogniser that walks
//! the bytes once builds the same syntax tree at the speed of a lexer.
//!
//! pest stays the definition and the parser of record: this module either
//! returns exactly the statement pest would build, or `None`, and then pest
//! parses the chunk and reports what is wrong with it. Whenever the input
//! is anything but a clean statement (a character the grammar does not
//! expect, a range that does not close, an unterminated string, a
//! non-ASCII name) it declines rather than guess. `tests/parse_agrees.rs`
//! holds the two to the same trees over every example, every fixture and
//! generated input.

use super::ast::{Block, Item, ItemKind, Name, RangeSpec, Segment, Statement, Word};
use crate::source::{FileId, Span};
use compact_str::CompactString;

/// The statement of the chunk `text[start..end]`, as the grammar's `chunk`
/// rule reads it, or None where pest must have the final word.
pub fn chunk(
    file: FileId,
    text: &str,
    start: usize,
    end: usize,
    scratch: &mut Scratch,
) -> Option<Statement> {
    scratch.items.clear();
    scratch.statements.clear();
    let mut r = Reader {
        file,
        text,
        bytes: &text.as_bytes()[..end],
        pos: start,
        scratch,
    };
    r.separators();
    let statement = r.statement()?;
    r.separators();
    (r.pos == end).then_some(statement)
}

/// Stacks the reader collects a statement's items and a block's statements
/// on, kept from one chunk to the next: each list is then allocated once,
/// at its final length, rather than grown by doubling and shrunk (on a file
/// of a hundred thousand devices the growing was a tenth of a check).
#[derive(Default)]
pub struct Scratch {
    items: Vec<Item>,
    statements: Vec<Statement>,
}

struct Reader<'a> {
    file: FileId,
    text: &'a str,
    /// The input up to the chunk's end: nothing past it is ever read.
    bytes: &'a [u8],
    pos: usize,
    scratch: &'a mut Scratch,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// pest's implicit skip between tokens: blanks and comments, never a
    /// line end (a line end separates statements).
    fn skip(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' => self.pos += 1,
                b'#' => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' || c == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// One separator (`;` or a line end), after a skip; false when there is
    /// none (and the skip stays done, as in pest).
    fn separator(&mut self) -> bool {
        self.skip();
        match self.peek() {
            Some(b';' | b'\n') => {
                self.pos += 1;
                true
            }
            Some(b'\r') => {
                self.pos += if self.peek_at(1) == Some(b'\n') { 2 } else { 1 };
                true
            }
            _ => false,
        }
    }

    /// `separator*`, with the skips around them.
    fn separators(&mut self) -> bool {
        let mut any = false;
        while self.separator() {
            any = true;
        }
        any
    }

    /// `statement = { item+ ~ block? }`
    fn statement(&mut self) -> Option<Statement> {
        let start = self.pos;
        // Nested statements use the stack above this mark, after this
        // statement has taken its items off it.
        let mark = self.scratch.items.len();
        while let Some(item) = self.item() {
            self.scratch.items.push(item?);
            self.skip();
        }
        if self.scratch.items.len() == mark {
            return None;
        }
        let items: Box<[Item]> = self.scratch.items.drain(mark..).collect();
        let block = if self.peek() == Some(b'{') {
            Some(self.block()?)
        } else {
            None
        };
        // The statement ends with its block or its last item, never with
        // the blanks or comment after them.
        let last = block
            .as_ref()
            .map_or(items[items.len() - 1].span, |b| b.span);
        Some(Statement {
            span: self.span(start, last.end as usize),
            items,
            block: block.map(Box::new),
        })
    }

    /// `block = { "{" ~ separator* ~ (statement ~ (separator+ | &"}"))* ~ "}" }`
    fn block(&mut self) -> Option<Block> {
        let start = self.pos;
        self.pos += 1;
        self.separators();
        let mark = self.scratch.statements.len();
        loop {
            self.skip();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                break;
            }
            let statement = self.statement()?;
            self.scratch.statements.push(statement);
            if !self.separators() {
                self.skip();
                if self.peek() != Some(b'}') {
                    return None;
                }
            }
        }
        Some(Block {
            span: self.span(start, self.pos),
            statements: self.scratch.statements.drain(mark..).collect(),
        })
    }

    /// The next item (`word | quantity | number | string | arrow | colon`,
    /// tried in that order): None where no item starts, Some(None) where
    /// one starts but is not clean.
    fn item(&mut self) -> Option<Option<Item>> {
        let start = self.pos;
        let c = self.peek()?;
        let kind = match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                self.name().or_else(|| self.word().map(ItemKind::from_word))
            }
            b'0'..=b'9' => Some(self.number_or_quantity()),
            b'-' if matches!(self.peek_at(1), Some(b'0'..=b'9')) => Some(self.number_or_quantity()),
            b'-' if self.peek_at(1) == Some(b'>') => {
                self.pos += 2;
                Some(ItemKind::Arrow)
            }
            b':' => {
                self.pos += 1;
                Some(ItemKind::Colon)
            }
            b'"' => self.string(),
            // A block, a separator, or the end of the statement: no item.
            b'{' | b'}' | b';' | b'\n' | b'\r' => return None,
            _ => return Some(None),
        };
        Some(kind.map(|kind| Item {
            span: self.span(start, self.pos),
            kind,
        }))
    }

    fn is_name_char(&self, at: usize) -> bool {
        match self.bytes.get(at) {
            Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => true,
            Some(b'-') => self.bytes.get(at + 1) != Some(&b'>'),
            _ => false,
        }
    }

    /// `name_char*` from the current position.
    fn name_chars(&mut self) {
        while self.is_name_char(self.pos) {
            self.pos += 1;
        }
    }

    /// A word that is one short name, read straight into its item (nearly
    /// every word); None, having read nothing, for any other.
    fn name(&mut self) -> Option<ItemKind> {
        let start = self.pos;
        self.pos += 1;
        self.name_chars();
        let plain = self.peek() != Some(b'[') && !self.dot_follows();
        match Name::try_from_str(&self.text[start..self.pos]) {
            Ok(name) if plain => Some(ItemKind::Name(name)),
            _ => {
                self.pos = start;
                None
            }
        }
    }

    /// `word = ${ segment ~ ("." ~ segment)* }`
    fn word(&mut self) -> Option<Word> {
        let first = self.segment()?;
        if !self.dot_follows() {
            return Some(Word::one(first));
        }
        let mut segments = vec![first];
        while self.dot_follows() {
            self.pos += 1;
            segments.push(self.segment()?);
        }
        Some(Word::new(segments))
    }

    fn dot_follows(&self) -> bool {
        self.peek() == Some(b'.')
            && matches!(self.peek_at(1), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_'))
    }

    /// `segment = ${ ident ~ (range ~ tail?)? }`; None for a `[` that does
    /// not make a range (pest would stop the word there and fail after it).
    fn segment(&mut self) -> Option<Segment> {
        let start = self.pos;
        self.pos += 1;
        self.name_chars();
        let prefix = CompactString::new(&self.text[start..self.pos]);
        let mut range = None;
        if self.peek() == Some(b'[') {
            let mut r = self.range()?;
            let tail = self.pos;
            self.name_chars();
            r.suffix = CompactString::new(&self.text[tail..self.pos]);
            range = Some(Box::new(r));
        }
        Some(Segment {
            span: self.span(start, self.pos),
            prefix,
            range,
        })
    }

    /// `range = ${ "[" ~ bound ~ ".." ~ bound ~ "]" }`
    fn range(&mut self) -> Option<RangeSpec> {
        let start = self.pos;
        self.pos += 1;
        let low = self.digits()?;
        if self.peek() != Some(b'.') || self.peek_at(1) != Some(b'.') {
            return None;
        }
        self.pos += 2;
        let high = self.digits()?;
        if self.peek() != Some(b']') {
            return None;
        }
        self.pos += 1;
        Some(RangeSpec {
            span: self.span(start, self.pos),
            low: CompactString::new(&self.text[low.0..low.1]),
            high: CompactString::new(&self.text[high.0..high.1]),
            suffix: CompactString::default(),
        })
    }

    /// `ASCII_DIGIT+`: its start and end.
    fn digits(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then_some((start, self.pos))
    }

    /// `quantity = ${ number ~ unit }`, else `number`; the current byte
    /// starts a number (a digit, or `-` and a digit).
    fn number_or_quantity(&mut self) -> ItemKind {
        let start = self.pos;
        self.number();
        let value = super::parse_number(&self.text[start..self.pos]);
        let unit_start = self.pos;
        if self.unit() {
            ItemKind::from_quantity(value, &self.text[unit_start..self.pos])
        } else {
            ItemKind::Number(value)
        }
    }

    /// `number = @{ "-"? ~ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? ~ (^"e" ~ ("-" | "+")? ~ ASCII_DIGIT+)? }`
    fn number(&mut self) {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        self.digits();
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some(b'-' | b'+')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1 + sign;
                self.digits();
            }
        }
    }

    /// `unit = @{ "%" | unit_letter+ ~ ("/" ~ ASCII_ALPHA+)? }` with
    /// `unit_letter = ASCII_ALPHA | "µ"`; false (nothing read) when no
    /// unit follows.
    fn unit(&mut self) -> bool {
        if self.peek() == Some(b'%') {
            self.pos += 1;
            return true;
        }
        let start = self.pos;
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_alphabetic() => self.pos += 1,
                // `µ` is U+00B5, two bytes in UTF-8.
                Some(0xC2) if self.peek_at(1) == Some(0xB5) => self.pos += 2,
                _ => break,
            }
        }
        if self.pos == start {
            return false;
        }
        if self.peek() == Some(b'/') && self.peek_at(1).is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
            while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                self.pos += 1;
            }
        }
        true
    }

    /// `string = ${ "\"" ~ string_inner ~ "\"" }`: characters but `"`,
    /// `\` and line ends, and the escapes `\"` and `\\`.
    fn string(&mut self) -> Option<ItemKind> {
        self.pos += 1;
        let inner = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' if matches!(self.peek_at(1), Some(b'"' | b'\\')) => self.pos += 2,
                b'\\' | b'\n' | b'\r' => return None,
                _ => self.pos += 1,
            }
        }
        let raw = &self.text[inner..self.pos];
        self.pos += 1;
        Some(ItemKind::Str(Box::new(
            raw.replace("\\\"", "\"").replace("\\\\", "\\"),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::super::chunk::{split, Chunk};
    use crate::source::FileId;

    /// Whether the recogniser builds every statement of `text` itself.
    fn recognised(text: &str) -> bool {
        split(FileId(0), text).chunks.iter().all(|c| match c {
            Chunk::Statement { start, end } => {
                super::chunk(FileId(0), text, *start, *end, &mut Default::default()).is_some()
            }
            _ => false,
        })
    }

    #[test]
    fn clean_statements_are_recognised() {
        for text in [
            "link a->b c-->d",
            "x 1e5 2.5e3W 1E-3 4e+2kg 1e400W 1e 1eW 1.5eW",
            "x 1_000 1x 30A1 -5 -5V -> : a:b",
            "x web[01..12]x.nic[1..2] a.b.c _a-b_",
            "x \"a\\\"b\\\\c\" \"\" \"é ü\"",
            "x 5µs 5µ 7GB/s 25% 1%a",
            "rack r {\r\n\r\n  height 42U\r\n  feeds a b\r\n}\r\n",
            "rack r { a { b { c } } ; d }",
            "rack r # c { not a block\n",
            "rack r{a}",
        ] {
            assert!(recognised(text), "{text:?} is left to pest");
        }
    }

    #[test]
    fn anything_unclean_is_left_to_pest() {
        for text in [
            "x 2.5.3",
            "x 1e+",
            "x --5",
            "x - > f",
            "x a. b",
            "x a.[",
            "x a[1..]",
            "x a[1..2",
            "x 7GB/",
            "x 5%%",
            "x \"bad\\n\"",
            "x \"open",
            "rack r { a } tail",
            "rack r { { } }",
            "x é",
            "x a\u{0c}b",
            "x a,b",
            "x a=b",
            "x {",
        ] {
            assert!(!recognised(text), "{text:?} was recognised");
        }
    }

    #[test]
    fn every_example_is_recognised_whole() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "topo") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    recognised(&text),
                    "{} is partly left to pest",
                    path.display()
                );
                seen += 1;
            }
        }
        assert!(seen >= 10, "only {seen} examples");
    }
}
