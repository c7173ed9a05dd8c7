//! The syntax tree: statements made of items, with an optional block.
//! Every node carries its span (which names its file).

use crate::source::Span;
use compact_str::CompactString;
use std::borrow::Cow;

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
    /// Boxed: most statements have none, and a statement is then 40 bytes
    /// rather than 64.
    pub block: Option<Box<Block>>,
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

/// What an item is. A file of a hundred thousand devices holds millions of
/// items, nearly all short names: a name of up to 15 bytes and a unit of up
/// to 6 live inside the item, and anything longer behind one pointer, so
/// that an item takes 32 bytes. Build them with [`ItemKind::from_word`] and
/// [`ItemKind::from_quantity`], which choose; read words with [`Item::word`] and
/// [`Item::plain`], quantities with [`ItemKind::quantity`].
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A name of up to 15 bytes, with no range and no dots.
    Name(Name),
    /// Any other word: a longer name, a name range or a dotted reference.
    Word(Box<Word>),
    /// A bare number (a count).
    Number(f64),
    /// A number with its unit, e.g. `30A`; the unit is checked when lowering.
    /// The unit ends the item, so its span is `Item::unit_span`.
    Quantity {
        value: f64,
        unit: Unit,
    },
    /// A quantity whose unit is longer than 6 bytes or not ASCII
    /// (`16kilograms`, `5µs`).
    LongQuantity(Box<(f64, CompactString)>),
    Str(Box<String>),
    Arrow,
    Colon,
}

/// A short name inside its item: ASCII, as the grammar writes names.
pub type Name = tinystr::TinyAsciiStr<15>;
/// A short unit inside its item (`µs` is not ASCII, and is boxed).
pub type Unit = tinystr::TinyAsciiStr<6>;

/// `db[1..2].nic0` is two segments, the first with a range.
///
/// A word of one short name is kept as an [`ItemKind::Name`] instead, and
/// made a `Word` only when asked ([`Item::word`]); a name of up to 24 bytes
/// lives inside its segment, with no allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Word(Segments);

/// One segment inline; a dotted word's segments behind one pointer.
#[derive(Debug, Clone, PartialEq)]
enum Segments {
    One(Segment),
    Dotted(Box<[Segment]>),
}

/// One dot-separated part of a word: a name, perhaps with a range.
#[derive(Debug, Clone, PartialEq)]
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
const _: () = assert!(size_of::<ItemKind>() <= 16);
const _: () = assert!(size_of::<Item>() <= 32);
const _: () = assert!(size_of::<Statement>() <= 40);

impl Statement {
    /// The leading keyword, when the statement starts with a plain name.
    pub fn keyword(&self) -> Option<&str> {
        self.items.first().and_then(Item::plain)
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
    /// The word, when the item is one: a short name is made a word of one
    /// segment on the spot (without allocating, a name being short).
    pub fn word(&self) -> Option<Cow<'_, Word>> {
        match &self.kind {
            ItemKind::Name(name) => Some(Cow::Owned(Word::one(Segment {
                span: self.span,
                range: None,
                prefix: CompactString::new(name.as_str()),
            }))),
            ItemKind::Word(word) => Some(Cow::Borrowed(word)),
            _ => None,
        }
    }

    /// The name, when the item is a word of one segment with no range.
    pub fn plain(&self) -> Option<&str> {
        match &self.kind {
            ItemKind::Name(name) => Some(name.as_str()),
            ItemKind::Word(word) => word.plain(),
            _ => None,
        }
    }

    /// Where a quantity's unit is written: the end of the item.
    pub fn unit_span(&self) -> Option<Span> {
        let (_, unit) = self.kind.quantity()?;
        Some(Span {
            start: self.span.end - unit.len() as u32,
            ..self.span
        })
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
            ItemKind::Name(name) => name.to_string(),
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
            ItemKind::Quantity { value, unit } => format!("{}{unit}", number(*value)),
            ItemKind::LongQuantity(q) => format!("{}{}", number(q.0), q.1),
            ItemKind::Str(s) => format!("{s:?}"),
            ItemKind::Arrow => "->".into(),
            ItemKind::Colon => ":".into(),
        }
    }
}

impl ItemKind {
    /// A word as an item: a short name inside it, anything else boxed.
    pub fn from_word(word: Word) -> ItemKind {
        match word.plain().and_then(|n| Name::try_from_str(n).ok()) {
            Some(name) => ItemKind::Name(name),
            None => ItemKind::Word(Box::new(word)),
        }
    }

    /// A quantity as an item: a short unit inside it, a long one boxed.
    pub fn from_quantity(value: f64, unit: &str) -> ItemKind {
        match Unit::try_from_str(unit).ok() {
            Some(unit) => ItemKind::Quantity { value, unit },
            None => ItemKind::LongQuantity(Box::new((value, CompactString::new(unit)))),
        }
    }

    /// The value and unit of a quantity.
    pub fn quantity(&self) -> Option<(f64, &str)> {
        match self {
            ItemKind::Quantity { value, unit } => Some((*value, unit.as_str())),
            ItemKind::LongQuantity(q) => Some((q.0, q.1.as_str())),
            _ => None,
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            ItemKind::Name(_) => "a name",
            ItemKind::Word(w) if w.plain().is_some() => "a name",
            ItemKind::Word(w) if w.is_dotted() => "a dotted reference",
            ItemKind::Word(_) => "a name range",
            ItemKind::Number(_) => "a number",
            ItemKind::Quantity { .. } | ItemKind::LongQuantity(_) => "a quantity",
            ItemKind::Str(_) => "a string",
            ItemKind::Arrow => "`->`",
            ItemKind::Colon => "`:`",
        }
    }
}
