//! The syntax tree: statements made of items, with an optional block.
//! Every node carries its span (which names its file).

use crate::source::Span;
use compact_str::CompactString;

/// One parsed file.
#[derive(Debug, Clone, Default)]
pub struct Ast {
    pub statements: Vec<Statement>,
    /// Every comment, in source order, for the formatter and editors.
    pub comments: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub span: Span,
    /// Exactly as long as it is: a file holds a syntax tree per statement,
    /// and spare capacity would be most of it.
    pub items: Box<[Item]>,
    pub block: Option<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub span: Span,
    pub statements: Box<[Statement]>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub span: Span,
    pub kind: ItemKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A name, a name range or a dotted reference.
    Word(Word),
    /// A bare number (a count).
    Number(f64),
    /// A number with its unit, e.g. `30A`; the unit is checked when lowering.
    /// The unit ends the item, so its span is `Item::unit_span`.
    Quantity {
        value: f64,
        unit: CompactString,
    },
    Str(String),
    Arrow,
    Colon,
}

/// `db[1..2].nic0` is two segments, the first with a range.
///
/// A file of a hundred thousand devices holds millions of words, nearly all
/// one short segment without a range: such a word lives inside its item,
/// and a name of up to 24 bytes inside its segment, with no allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Word(Segments);

/// One segment inline; a dotted word's segments behind one pointer.
#[derive(Debug, Clone, PartialEq)]
enum Segments {
    One(Segment),
    Dotted(Box<[Segment]>),
}

/// In declaration order, so that the name's spare values (its last byte)
/// end the segment and an item of another kind fits before them: an
/// `ItemKind` is then no larger than a word.
#[derive(Debug, Clone, PartialEq)]
#[repr(C)]
pub struct Segment {
    pub span: Span,
    /// The range and what follows it, which only a range may have.
    pub range: Option<Box<RangeSpec>>,
    pub prefix: CompactString,
}

/// `[01..12]`: bounds as written, so that zero padding survives, and the
/// segment's suffix after it (`web[1..2]x`).
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSpec {
    pub span: Span,
    pub low: CompactString,
    pub high: CompactString,
    pub suffix: CompactString,
}

// A file of a hundred thousand devices holds about two million items.
const _: () = assert!(size_of::<Segment>() <= 48);
const _: () = assert!(size_of::<Word>() <= 48);
const _: () = assert!(size_of::<Item>() <= 64);
const _: () = assert!(size_of::<Statement>() <= 64);

impl Statement {
    /// The leading keyword, when the statement starts with a plain name.
    pub fn keyword(&self) -> Option<&str> {
        match self.items.first().map(|i| &i.kind) {
            Some(ItemKind::Word(w)) => w.plain(),
            _ => None,
        }
    }

    pub fn keyword_span(&self) -> Span {
        self.items.first().map(|i| i.span).unwrap_or(self.span)
    }

    /// Items after the keyword.
    pub fn args(&self) -> &[Item] {
        self.items.get(1..).unwrap_or(&[])
    }

    pub fn has_arrow(&self) -> bool {
        self.items.iter().any(|i| i.kind == ItemKind::Arrow)
    }
}

impl Segment {
    /// What follows the range (`x` in `web[1..2]x`); empty without a range.
    pub fn suffix(&self) -> &str {
        self.range.as_ref().map_or("", |r| &r.suffix)
    }
}

impl Word {
    pub fn one(segment: Segment) -> Word {
        Word(Segments::One(segment))
    }

    /// A word of one or more segments.
    pub fn new(mut segments: Vec<Segment>) -> Word {
        if segments.len() == 1 {
            Word::one(segments.pop().expect("one segment"))
        } else {
            Word(Segments::Dotted(segments.into_boxed_slice()))
        }
    }

    pub fn segments(&self) -> &[Segment] {
        match &self.0 {
            Segments::One(s) => std::slice::from_ref(s),
            Segments::Dotted(s) => s,
        }
    }

    /// The name, when the word is one segment with no range.
    pub fn plain(&self) -> Option<&str> {
        match self.segments() {
            [s] if s.range.is_none() => Some(&s.prefix),
            _ => None,
        }
    }

    pub fn is_dotted(&self) -> bool {
        self.segments().len() > 1
    }
}

impl Item {
    /// Where a quantity's unit is written: the end of the item.
    pub fn unit_span(&self) -> Option<Span> {
        match &self.kind {
            ItemKind::Quantity { unit, .. } => Some(Span {
                start: self.span.end - unit.len() as u32,
                ..self.span
            }),
            _ => None,
        }
    }

    /// The item as written (up to number formatting), for messages.
    pub fn text(&self) -> String {
        fn number(v: f64) -> String {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", v as i64)
            } else {
                v.to_string()
            }
        }
        match &self.kind {
            ItemKind::Word(w) => w
                .segments()
                .iter()
                .map(|s| match &s.range {
                    Some(r) => format!("{}[{}..{}]{}", s.prefix, r.low, r.high, r.suffix),
                    None => s.prefix.to_string(),
                })
                .collect::<Vec<_>>()
                .join("."),
            ItemKind::Number(v) => number(*v),
            ItemKind::Quantity { value, unit, .. } => format!("{}{unit}", number(*value)),
            ItemKind::Str(s) => format!("{s:?}"),
            ItemKind::Arrow => "->".into(),
            ItemKind::Colon => ":".into(),
        }
    }
}

impl ItemKind {
    pub fn describe(&self) -> &'static str {
        match self {
            ItemKind::Word(w) if w.plain().is_some() => "a name",
            ItemKind::Word(w) if w.is_dotted() => "a dotted reference",
            ItemKind::Word(_) => "a name range",
            ItemKind::Number(_) => "a number",
            ItemKind::Quantity { .. } => "a quantity",
            ItemKind::Str(_) => "a string",
            ItemKind::Arrow => "`->`",
            ItemKind::Colon => "`:`",
        }
    }
}
