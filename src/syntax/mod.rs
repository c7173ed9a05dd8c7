//! Text to syntax tree: the pest grammar in `grammar/topo.pest`, driven one
//! top-level statement at a time.

pub mod ast;
pub mod chunk;
mod fast;
mod salvage;

use crate::diagnostic::{rule, Diagnostic};
use crate::source::{FileId, Span};
use ast::{Ast, Block, Item, ItemKind, RangeSpec, Segment, Statement, Word};
use chunk::Chunk;
use pest::iterators::Pair;
use pest::Parser as _;

/// The keywords that start a top-level statement, in the order of the
/// schema's `statement_keywords` (a test keeps them equal). The chunker
/// needs them before any model exists, as a plain list.
pub const TOP_LEVEL_KEYWORDS: &[&str] = &[
    "site",
    "feed",
    "power",
    "rack",
    "model",
    "server",
    "switch",
    "router",
    "firewall",
    "lb",
    "storage",
    "pdu",
    "device",
    "vm",
    "tier",
    "service",
    "dns",
    "client",
    "cdn",
    "flow",
    "partition",
    "replicate",
    "link",
    "fault-domain",
    "allow",
    "include",
];

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/topo.pest"]
pub struct TopoParser;

/// Parses one file. Syntax errors are returned alongside every statement
/// that did parse.
pub fn parse(file: FileId, text: &str) -> (Ast, Vec<Diagnostic>) {
    parse_chunks(file, text, true)
}

/// Parses one file with the pest grammar alone, without the hand-written
/// recogniser of clean statements: the reference that `parse` must equal.
pub fn parse_by_grammar(file: FileId, text: &str) -> (Ast, Vec<Diagnostic>) {
    parse_chunks(file, text, false)
}

fn parse_chunks(file: FileId, text: &str, recognise: bool) -> (Ast, Vec<Diagnostic>) {
    parse_in_parts(file, text, recognise, parallel_parts(text.len()))
}

/// Statements parse independently: each of `parts` threads takes a run of
/// chunks of about the same size in bytes, and the runs are joined in
/// order, so the tree and the errors are the same as from one thread.
fn parse_in_parts(
    file: FileId,
    text: &str,
    recognise: bool,
    parts: usize,
) -> (Ast, Vec<Diagnostic>) {
    let chunks = chunk::split(file, text);
    let runs = byte_balanced_runs(&chunks.chunks, text.len(), parts);
    let results: Vec<_> = std::thread::scope(|scope| {
        let (last, others) = runs.split_last().expect("at least one run");
        let threads: Vec<_> = others
            .iter()
            .map(|run| {
                let work = move || parse_run(file, text, run, recognise);
                // A thread the system refuses is no error: its run is
                // parsed here instead.
                std::thread::Builder::new()
                    .spawn_scoped(scope, work)
                    .map_err(|_| work)
            })
            .collect();
        let here = parse_run(file, text, last, recognise);
        let mut results: Vec<_> = threads
            .into_iter()
            .map(|t| match t {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(work) => work(),
            })
            .collect();
        results.push(here);
        results
    });
    let mut statements = Vec::with_capacity(results.iter().map(|(s, _)| s.len()).sum());
    let mut errors = Vec::new();
    for (mut s, mut e) in results {
        statements.append(&mut s);
        errors.append(&mut e);
    }
    let ast = Ast {
        statements,
        comments: chunks.comments,
    };
    (ast, errors)
}

/// Files smaller than this parse on one thread: a thread costs more than
/// it saves on a file that parses in a few milliseconds.
const PARALLEL_BYTES: usize = 1 << 20;

/// Whether a file of `len` bytes is parsed on more than one thread.
pub fn parses_on_threads(len: usize) -> bool {
    parallel_parts(len) > 1
}

/// How many threads parse a file of `len` bytes (at most four: parsing is
/// a small share of a check on more).
fn parallel_parts(len: usize) -> usize {
    if len < PARALLEL_BYTES {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// `chunks` cut into at most `parts` consecutive runs of about
/// `len / parts` bytes each (at least one run, perhaps empty).
fn byte_balanced_runs(chunks: &[Chunk], len: usize, parts: usize) -> Vec<&[Chunk]> {
    let share = len.div_ceil(parts);
    let mut runs = Vec::with_capacity(parts);
    let mut from = 0;
    for (i, c) in chunks.iter().enumerate() {
        let end = match c {
            Chunk::Statement { end, .. } | Chunk::TooDeep { end, .. } => *end,
            Chunk::StrayClose { at } => *at,
        };
        if runs.len() + 1 < parts && end >= share * (runs.len() + 1) {
            runs.push(&chunks[from..=i]);
            from = i + 1;
        }
    }
    runs.push(&chunks[from..]);
    runs
}

/// The statements of a run of chunks, in order, and their syntax errors.
fn parse_run(
    file: FileId,
    text: &str,
    chunks: &[Chunk],
    recognise: bool,
) -> (Vec<Statement>, Vec<Diagnostic>) {
    let mut statements = Vec::with_capacity(chunks.len());
    let mut errors = Vec::new();
    let mut scratch = fast::Scratch::default();
    for c in chunks {
        match c {
            Chunk::Statement { start, end } => {
                let recogniser = recognise.then_some(&mut scratch);
                let (statement, mut found) = parse_chunk(file, text, *start, *end, recogniser);
                statements.extend(statement);
                errors.append(&mut found);
            }
            Chunk::TooDeep { at, .. } => errors.push(
                Diagnostic::error(
                    rule::SYNTAX,
                    Span::new(file, *at, at + 1),
                    format!("blocks are nested deeper than {} levels", chunk::MAX_DEPTH),
                )
                .with_label("too deep")
                .with_help("topo files nest at most a few levels: model > cpu > memory"),
            ),
            Chunk::StrayClose { at } => errors.push(
                Diagnostic::error(rule::SYNTAX, Span::new(file, *at, at + 1), "unexpected `}`")
                    .with_label("no `{` opens this block"),
            ),
        }
    }
    (statements, errors)
}

/// One statement from `start` to `end`; one that does not parse as a
/// whole is salvaged (see `salvage`): its errors, and what of it parsed.
fn parse_chunk(
    file: FileId,
    text: &str,
    start: usize,
    end: usize,
    recogniser: Option<&mut fast::Scratch>,
) -> (Option<Statement>, Vec<Diagnostic>) {
    if let Some(scratch) = recogniser {
        if let Some(statement) = fast::chunk(file, text, start, end, scratch) {
            return (Some(statement), Vec::new());
        }
    }
    let slice = &text[start..end];
    let mut pairs = match TopoParser::parse(Rule::chunk, slice) {
        Ok(pairs) => pairs,
        Err(e) => {
            let whole = syntax_error(file, text, start, end, &e);
            return salvage::salvage(file, text, start, end, whole);
        }
    };
    let chunk = pairs.next().expect("the chunk rule always yields one pair");
    let builder = Builder {
        file,
        offset: start,
    };
    let statement = chunk
        .into_inner()
        .find(|p| p.as_rule() == Rule::statement)
        .expect("a parsed chunk holds a statement");
    (Some(builder.statement(statement)), Vec::new())
}

fn syntax_error(
    file: FileId,
    text: &str,
    start: usize,
    end: usize,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
    let at = start
        + match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
    let found = text[at..end.max(at)].chars().next();
    let width = found.map_or(0, |c| {
        if c == '\n' || c == '\r' {
            0
        } else {
            c.len_utf8()
        }
    });
    let span = Span::new(file, at, at + width);
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => expected_list(positives),
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    let found_text = match found {
        None => "end of file".to_string(),
        Some('\n' | '\r') => "end of line".to_string(),
        Some(c) => format!("`{}`", crate::text::echo(&c.to_string())),
    };
    // An unterminated string is the most common cause of odd errors at a quote.
    let unterminated = found == Some('"') && !text[at + 1..end.max(at + 1)].contains('"');
    let mut d = Diagnostic::error(
        rule::SYNTAX,
        span,
        if unterminated {
            "unterminated string".to_string()
        } else {
            format!("unexpected {found_text}: expected {expected}")
        },
    )
    .with_label(if unterminated {
        "this string has no closing `\"`".to_string()
    } else {
        format!("expected {expected}")
    });
    if at >= end {
        if let Some(open) = unclosed_brace(&text[start..end]) {
            let open = start + open;
            return Diagnostic::error(
                rule::SYNTAX,
                Span::new(file, open, open + 1),
                "unclosed `{`",
            )
            .with_label("this block is never closed")
            .with_help("add the matching `}`");
        }
    }
    match found {
        Some(',') => {
            d = d.with_help(match without_commas(&text[start..end], at - start) {
                Some(line) => format!("lists are separated by spaces: `{line}`"),
                None => "lists are separated by spaces: `on web1 web2`".to_string(),
            })
        }
        Some('=') => d = d.with_help("properties take no `=`: `height 42U`"),
        _ => {}
    }
    d
}

/// The line of `statement` holding offset `at`, from its last `{` or `;`
/// on, with its commas turned into the spaces the language separates lists
/// by: `feeds r1-a r1-b` for `feeds r1-a, r1-b`. None when it would be too
/// long to quote or holds anything but plain names and commas.
fn without_commas(statement: &str, at: usize) -> Option<String> {
    let line_start = statement[..at].rfind(['\n', '{', ';']).map_or(0, |i| i + 1);
    let line_end = statement[at..]
        .find(['\n', '}', ';', '#'])
        .map_or(statement.len(), |i| at + i);
    let line = &statement[line_start..line_end];
    let plain = line.chars().all(|c| {
        c.is_alphanumeric() || matches!(c, ' ' | '\t' | ',' | '-' | '_' | '.' | '[' | ']')
    });
    let fixed = line.split(',').map(str::trim).collect::<Vec<_>>().join(" ");
    (plain && !fixed.is_empty() && fixed.len() <= 60).then(|| fixed.trim().to_string())
}

/// Offset of the innermost `{` left open at the end of a statement.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    for (i, c) in salvage::code(text, 0, text.len()) {
        match c {
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

fn expected_list(rules: &[Rule]) -> String {
    let mut names: Vec<&str> = rules.iter().filter_map(|r| rule_name(*r)).collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => "a statement".to_string(),
        1 => names[0].to_string(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn rule_name(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::quantity | Rule::number => "a number",
        Rule::unit => "a unit",
        Rule::string | Rule::string_inner => "a string",
        Rule::arrow => "`->`",
        Rule::colon => "`:`",
        Rule::word | Rule::segment | Rule::ident | Rule::tail => "a name",
        Rule::range | Rule::bound => "a range like `[1..4]`",
        Rule::block => "`{`",
        Rule::statement => "a statement",
        Rule::EOI | Rule::chunk | Rule::file => "the end of the statement",
        _ => return None,
    })
}

struct Builder {
    file: FileId,
    offset: usize,
}

impl Builder {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }

    fn statement(&self, pair: Pair<Rule>) -> Statement {
        let mut span = self.span(&pair);
        let mut items: Vec<Item> = Vec::new();
        let mut block = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::block => block = Some(self.block(p)),
                _ => items.push(self.item(p)),
            }
        }
        // pest counts a trailing comment into the span; the statement ends
        // with its last item or block.
        let last = block
            .as_ref()
            .map(|b: &Block| b.span)
            .or(items.last().map(|i| i.span));
        if let Some(last) = last {
            span.end = last.end;
        }
        Statement {
            span,
            items: items.into_boxed_slice(),
            block: block.map(Box::new),
        }
    }

    fn block(&self, pair: Pair<Rule>) -> Block {
        let span = self.span(&pair);
        let statements = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::statement)
            .map(|p| self.statement(p))
            .collect();
        Block { span, statements }
    }

    fn item(&self, pair: Pair<Rule>) -> Item {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::number => ItemKind::Number(parse_number(pair.as_str())),
            Rule::quantity => {
                let mut inner = pair.into_inner();
                let number = inner.next().expect("quantity has a number");
                let unit = inner.next().expect("quantity has a unit");
                ItemKind::from_quantity(parse_number(number.as_str()), unit.as_str())
            }
            Rule::string => {
                let inner = pair.into_inner().next().map_or("", |p| p.as_str());
                ItemKind::Str(Box::new(inner.replace("\\\"", "\"").replace("\\\\", "\\")))
            }
            Rule::arrow => ItemKind::Arrow,
            Rule::colon => ItemKind::Colon,
            Rule::word => {
                let segments = pair.into_inner().map(|s| self.segment(s)).collect();
                ItemKind::from_word(Word::new(segments))
            }
            other => unreachable!("grammar yields no item {other:?}"),
        };
        Item { span, kind }
    }

    fn segment(&self, pair: Pair<Rule>) -> Segment {
        let span = self.span(&pair);
        let mut segment = Segment {
            span,
            prefix: Default::default(),
            range: None,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => segment.prefix = p.as_str().into(),
                Rule::tail => {
                    if let Some(r) = &mut segment.range {
                        r.suffix = p.as_str().into();
                    }
                }
                Rule::range => {
                    let range_span = self.span(&p);
                    let mut bounds = p.into_inner();
                    let low = bounds.next().map_or("", |b| b.as_str()).into();
                    let high = bounds.next().map_or("", |b| b.as_str()).into();
                    segment.range = Some(Box::new(RangeSpec {
                        span: range_span,
                        low,
                        high,
                        suffix: Default::default(),
                    }));
                }
                _ => {}
            }
        }
        segment
    }
}

/// Decimals with an optional exponent; what is too large for an f64
/// (`1e400`) becomes infinity, which lowering reports as an invalid value.
fn parse_number(text: &str) -> f64 {
    text.parse().unwrap_or(f64::INFINITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every chunk the runs hold, in order.
    fn joined<'c>(runs: &[&'c [Chunk]]) -> Vec<&'c Chunk> {
        runs.iter().flat_map(|r| r.iter()).collect()
    }

    #[test]
    fn runs_hold_every_chunk_once_in_order_and_about_evenly() {
        let text = "site a\n".repeat(1000) + &"rack r { height 42U }\n".repeat(1000);
        let chunks = chunk::split(FileId(0), &text).chunks;
        for parts in 1..=5 {
            let runs = byte_balanced_runs(&chunks, text.len(), parts);
            assert_eq!(runs.len(), parts);
            assert_eq!(joined(&runs), chunks.iter().collect::<Vec<_>>());
            let bytes = |run: &[Chunk]| match (run.first(), run.last()) {
                (Some(Chunk::Statement { start, .. }), Some(Chunk::Statement { end, .. })) => {
                    end - start
                }
                _ => 0,
            };
            let share = text.len() / parts;
            for run in &runs {
                assert!(
                    bytes(run).abs_diff(share) < 30,
                    "{parts} parts: {} bytes of {share}",
                    bytes(run)
                );
            }
        }
        // Fewer chunks than threads: the runs still hold each once.
        let few = chunk::split(FileId(0), "site a\nsite b").chunks;
        let runs = byte_balanced_runs(&few, 13, 4);
        assert!(runs.len() <= 4);
        assert_eq!(joined(&runs), few.iter().collect::<Vec<_>>());
        assert_eq!(byte_balanced_runs(&[], 0, 3).concat(), Vec::<Chunk>::new());
    }

    #[test]
    fn several_threads_parse_the_same_tree_and_errors_as_one() {
        // Clean statements, statements left to pest, syntax errors and
        // stray braces spread over the whole file, so every thread meets
        // some of each.
        let mut text = String::new();
        for i in 0..3000 {
            match i % 500 {
                7 => text.push_str("rack bad { height 42U 7 }\n"),
                100 => text.push_str("}\n"),
                250 => text.push_str("site s = x\n"),
                _ => text.push_str(&format!(
                    "link r{i:04}-s01 to r{i:04}-tor-a r{i:04}-tor-b {{ speed 25GbE }}\n"
                )),
            }
        }
        let one = parse_in_parts(FileId(0), &text, true, 1);
        assert!(one.1.len() >= 12, "{} errors", one.1.len());
        // The stray braces and the six broken sites leave no statement.
        assert_eq!(one.0.statements.len(), 2988);
        for parts in [2, 3, 7] {
            let several = parse_in_parts(FileId(0), &text, true, parts);
            assert_eq!(several.0.statements, one.0.statements, "{parts} threads");
            assert_eq!(several.0.comments, one.0.comments);
            assert_eq!(several.1, one.1, "{parts} threads");
        }
    }

    fn parse_ok(text: &str) -> Ast {
        let (ast, errors) = parse(FileId(0), text);
        assert!(errors.is_empty(), "{errors:?}");
        ast
    }

    #[test]
    fn quantities_words_ranges_and_strings() {
        let ast = parse_ok("nic n { ports 2 x 25GbE; bus pcie4 x8 to cpu0 }\nclient pos { software pos \"4.\\\"2\" }");
        let nic = &ast.statements[0];
        assert_eq!(nic.keyword(), Some("nic"));
        let ports = &nic.block.as_ref().unwrap().statements[0];
        assert_eq!(ports.items[1].kind, ItemKind::Number(2.0));
        assert!(
            matches!(&ports.items[3].kind, ItemKind::Quantity { value, unit, .. } if *value == 25.0 && unit.as_str() == "GbE")
        );
        let client = &ast.statements[1].block.as_ref().unwrap().statements[0];
        assert_eq!(
            client.items[2].kind,
            ItemKind::Str(Box::new("4.\"2".into()))
        );
    }

    #[test]
    fn short_names_and_units_live_inside_their_item() {
        let ast =
            parse_ok("server abcdefghijklmno abcdefghijklmnop { weight 16kg; draw 3kilowatts }");
        let s = &ast.statements[0];
        // Fifteen bytes inside, sixteen behind a pointer; read the same.
        assert!(matches!(&s.items[1].kind, ItemKind::Name(n) if n.as_str() == "abcdefghijklmno"));
        assert!(matches!(&s.items[2].kind, ItemKind::Word(_)));
        assert_eq!(s.items[2].plain(), Some("abcdefghijklmnop"));
        let word = s.items[1].word().unwrap();
        assert_eq!(word.segments()[0].span, s.items[1].span);
        assert_eq!(word.plain(), Some("abcdefghijklmno"));
        let block = &s.block.as_ref().unwrap().statements;
        assert!(
            matches!(&block[0].items[1].kind, ItemKind::Quantity { unit, .. } if unit.as_str() == "kg")
        );
        assert!(matches!(&block[1].items[1].kind, ItemKind::LongQuantity(_)));
        assert_eq!(block[1].items[1].kind.quantity(), Some((3.0, "kilowatts")));
        assert_eq!(block[1].items[1].text(), "3kilowatts");
        let unit = block[1].items[1].unit_span().unwrap();
        assert_eq!((unit.start, unit.end), (61, 70));
        // The grammar's parser builds the same tree.
        let text = "server abcdefghijklmno abcdefghijklmnop { weight 16kg; draw 3kilowatts }";
        let (by_grammar, errors) = super::parse_by_grammar(FileId(0), text);
        assert!(errors.is_empty());
        assert_eq!(by_grammar.statements, ast.statements);
        assert_eq!(std::mem::size_of::<crate::syntax::ast::Item>(), 32);
    }

    #[test]
    fn ranges_and_dotted_references() {
        let ast = parse_ok("link web[01..12] db1.nic0 to tor1");
        let ItemKind::Word(w) = &ast.statements[0].items[1].kind else {
            panic!()
        };
        let r = w.segments()[0].range.as_ref().unwrap();
        assert_eq!(
            (
                w.segments()[0].prefix.as_str(),
                r.low.as_str(),
                r.high.as_str()
            ),
            ("web", "01", "12")
        );
        let ItemKind::Word(d) = &ast.statements[0].items[2].kind else {
            panic!()
        };
        assert_eq!(d.segments().len(), 2);
        assert_eq!(d.segments()[1].prefix, "nic0");
    }

    #[test]
    fn flow_paths_with_and_without_spaces() {
        let ast = parse_ok("flow f { browser -> shop-web->shop-ap; content dynamic }");
        let path = &ast.statements[0].block.as_ref().unwrap().statements[0];
        assert!(path.has_arrow());
        assert_eq!(path.items.len(), 5);
    }

    #[test]
    fn spans_are_absolute_byte_offsets() {
        let text = "# c\nsite a\nrack r1 { height 42U }";
        let ast = parse_ok(text);
        let rack = &ast.statements[1];
        assert_eq!(&text[rack.span.range()], "rack r1 { height 42U }");
        let height = &rack.block.as_ref().unwrap().statements[0];
        assert_eq!(&text[height.items[1].span.range()], "42U");
        assert_eq!(ast.comments.len(), 1);
    }

    #[test]
    fn errors_recover_at_the_next_statement() {
        let (ast, errors) = parse(
            FileId(0),
            "site a, b\nsite c\nrack r { height 4@U }\nsite d",
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        // `site a, b` is lost; `rack r` keeps its name, its bad line not.
        assert_eq!(ast.statements.len(), 3);
        assert_eq!(ast.statements[1].keyword(), Some("rack"));
        assert_eq!(
            ast.statements[1].block.as_ref().unwrap().statements.len(),
            0
        );
        assert!(errors[0]
            .help
            .as_deref()
            .unwrap()
            .contains("separated by spaces"));
    }

    #[test]
    fn numbers_take_an_exponent() {
        let ast = parse_ok("x 1e5 2.5e3W 1E-3 4e+2kg 1e400W");
        let values: Vec<f64> = ast.statements[0].items[1..]
            .iter()
            .map(|i| match &i.kind {
                ItemKind::Number(v) => *v,
                other => other.quantity().unwrap().0,
            })
            .collect();
        assert_eq!(values[..4], [1e5, 2500.0, 0.001, 400.0]);
        assert!(values[4].is_infinite());
    }

    #[test]
    fn crlf_bom_and_blank_lines_in_blocks() {
        let ast = parse_ok("\u{FEFF}rack r {\r\n\r\n  height 42U\r\n  feeds a b\r\n}\r\n");
        assert_eq!(
            ast.statements[0].block.as_ref().unwrap().statements.len(),
            2
        );
    }
}
