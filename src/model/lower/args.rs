//! Reading a block against the schema: which properties it may hold, and
//! each property's arguments by their shape. One code path for every kind
//! of statement, so every kind gives the same messages for the same mistake.

use super::{Lowerer, Span, Spanned};
use crate::diagnostic::{closest, rule, Diagnostic};
use crate::model::schema::{self, Kind, Property, Shape, Target};
use crate::model::units::{
    self, Bits, Bytes, BytesPerSecond, Dimension, Draw, FlowRate, Kilograms, Metres, Percent,
    Quantity, QuantityError, RackUnits, RequestsPerSecond, Seconds, TransfersPerSecond,
    VoltAmperes, Volts, Watts,
};
use crate::model::{AllowId, DeviceKind, Element};
use crate::syntax::ast::{Item, ItemKind, Statement};
use crate::text::echo;

/// A cursor over a statement's arguments.
pub(super) struct Args<'s> {
    pub items: &'s [Item],
    pos: usize,
    /// Where to point when an argument is missing: the end of what was read.
    pub after: Span,
    keyword: &'s str,
}

impl<'s> Args<'s> {
    pub fn of(statement: &'s Statement) -> Args<'s> {
        Args {
            items: statement.args(),
            pos: 0,
            after: statement.keyword_span(),
            keyword: statement.keyword().unwrap_or(""),
        }
    }

    pub fn peek(&self) -> Option<&'s Item> {
        self.items.get(self.pos)
    }

    pub fn next(&mut self) -> Option<&'s Item> {
        let item = self.items.get(self.pos)?;
        self.pos += 1;
        self.after = item.span;
        Some(item)
    }

    pub fn peek_word(&self) -> Option<&'s str> {
        self.peek()?.plain()
    }

    /// Consumes `word` if it comes next.
    pub fn eat(&mut self, word: &str) -> bool {
        if self.peek_word() == Some(word) {
            self.next();
            true
        } else {
            false
        }
    }

    /// Marks every argument read (by a caller that reads the items itself).
    pub fn skip_rest(&mut self) {
        self.pos = self.items.len();
    }

    pub fn is_done(&self) -> bool {
        self.pos >= self.items.len()
    }

    pub fn missing_span(&self) -> Span {
        Span {
            start: self.after.end,
            end: self.after.end,
            ..self.after
        }
    }
}

/// A property's arguments, checked against its shape. Every shape and
/// dimension is read whether or not a property takes it yet: a new property
/// needs only its schema entry and the code that stores its value.
#[allow(dead_code)]
pub(super) enum Value {
    /// The property's presence; the span is its keyword.
    Flag(Span),
    Ref(Spanned<Element>),
    /// Whatever resolved: a list with an unknown name keeps the others.
    Refs(Vec<Spanned<Element>>),
    Measure(Spanned<Measure>),
    Count(Spanned<u64>),
    /// One of the schema's words; the kind's code maps it to its enum.
    Word(Spanned<&'static str>),
    Text(Spanned<String>),
    /// A nested block or a composite form: the kind's code reads the
    /// arguments (and the block) itself.
    Composite,
}

/// A quantity converted to the dimension its property takes.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub(super) enum Measure {
    RackUnits(RackUnits),
    Current(units::Amps),
    Voltage(Volts),
    Power(Watts),
    Mass(Kilograms),
    Bandwidth(BytesPerSecond),
    TransferRate(TransfersPerSecond),
    Width(Bits),
    Size(Bytes),
    Duration(Seconds),
    RequestRate(RequestsPerSecond),
    Ratio(Percent),
    /// A bare number, fractions allowed (a power factor, a ratio like 5:1).
    Number(f64),
    RateOrBandwidth(FlowRate),
    CurrentOrPower(Draw),
    ApparentPower(VoltAmperes),
    Length(Metres),
}

macro_rules! measure_accessors {
    ($($name:ident: $variant:ident -> $ty:ty),* $(,)?) => {
        /// The typed figure, when the property's dimension is this one.
        impl Spanned<Measure> {
            $(pub fn $name(self) -> Option<Spanned<$ty>> {
                match self.value {
                    Measure::$variant(v) => Some(Spanned::new(v, self.span)),
                    _ => None,
                }
            })*
        }
    };
}

measure_accessors!(
    rack_units: RackUnits -> RackUnits,
    voltage: Voltage -> Volts,
    power: Power -> Watts,
    mass: Mass -> Kilograms,
    bandwidth: Bandwidth -> BytesPerSecond,
    size: Size -> Bytes,
    duration: Duration -> Seconds,
    request_rate: RequestRate -> RequestsPerSecond,
    ratio: Ratio -> Percent,
    number: Number -> f64,
    rate_or_bandwidth: RateOrBandwidth -> FlowRate,
    draw: CurrentOrPower -> Draw,
    length: Length -> Metres,
);

/// Converts a quantity to `dimension`.
fn measure(q: &Quantity, dimension: Dimension) -> Result<Measure, QuantityError> {
    Ok(match dimension {
        Dimension::RackUnits => Measure::RackUnits(q.as_rack_units()?),
        Dimension::Current => Measure::Current(q.as_current()?),
        Dimension::Voltage => Measure::Voltage(q.as_voltage()?),
        Dimension::Power => Measure::Power(q.as_power()?),
        Dimension::Mass => Measure::Mass(q.as_mass()?),
        Dimension::Bandwidth => Measure::Bandwidth(q.as_bandwidth()?),
        Dimension::TransferRate => Measure::TransferRate(q.as_transfer_rate()?),
        Dimension::Width => Measure::Width(q.as_width()?),
        Dimension::Size => Measure::Size(q.as_size()?),
        Dimension::Duration => Measure::Duration(q.as_duration()?),
        Dimension::RequestRate => Measure::RequestRate(q.as_request_rate()?),
        Dimension::Ratio => Measure::Ratio(q.as_percent()?),
        Dimension::Count => Measure::Number(bare_number(q)?),
        Dimension::RateOrBandwidth => Measure::RateOrBandwidth(q.as_rate_or_bandwidth()?),
        Dimension::CurrentOrPower => Measure::CurrentOrPower(q.as_draw()?),
        Dimension::ApparentPower => Measure::ApparentPower(q.as_apparent_power()?),
        Dimension::Length => Measure::Length(q.as_length()?),
    })
}

/// A bare number with its fraction: a unit is a mismatch, and the figure
/// must be finite and not negative.
fn bare_number(q: &Quantity) -> Result<f64, QuantityError> {
    if q.unit.is_some() {
        return Err(QuantityError::Mismatch {
            expected: Dimension::Count,
            found: q.dimension(),
        });
    }
    if !q.value.is_finite() {
        return Err(QuantityError::OutOfRange {
            what: "the number is too large to use".into(),
        });
    }
    if q.value < 0.0 {
        return Err(QuantityError::Negative);
    }
    Ok(q.value)
}

/// How messages name a kind's block: "a rack", "a device", "memory".
fn context(kind: &Kind) -> String {
    match kind.keyword {
        "replicate" => "a replication".into(),
        "memory" => "memory".into(),
        "power" => "a power source".into(),
        k if DeviceKind::from_keyword(k).is_some() => "a device".into(),
        k => format!("a {k}"),
    }
}

/// Whether a property opens a block of its own (a part, `memory PRESET
/// { … }`, `shard by KEY { … }`), as [`schema::block_kind`] decides it.
fn opens_block(property: &Property) -> bool {
    matches!(property.shape, Shape::Block(_))
        || schema::BLOCKS.iter().any(|k| k.keyword == property.name)
}

impl Lowerer<'_> {
    /// Lowers a block against `kind`'s properties. `allow` is recorded for
    /// the element; every other property is read by its shape and handed to
    /// `apply` with its typed value (a property whose arguments are wrong
    /// is reported and not handed on). Arguments left unread, a block on a
    /// property that takes none, a property written twice that does not
    /// repeat and a required property left out are reported. Returns the
    /// element's allows.
    pub(super) fn block<'s>(
        &mut self,
        statement: &'s Statement,
        kind: &'static Kind,
        mut apply: impl FnMut(&mut Self, &'static str, Value, &mut Args<'s>, &'s Statement),
    ) -> Vec<AllowId> {
        let mut allows = Vec::new();
        // One bit per property of the kind (a schema test keeps them at
        // most 64): this runs once per block of a project.
        let mut seen: u64 = 0;
        if let Some(block) = &statement.block {
            for (at, s) in block.statements.iter().enumerate() {
                let Some((index, property)) = self.property(kind, s) else {
                    continue;
                };
                let bit = 1u64 << (index % 64);
                if seen & bit != 0 && !property.repeats {
                    self.written_twice(kind, property, s, &block.statements[..at]);
                    continue;
                }
                seen |= bit;
                if property.name == "allow" {
                    allows.extend(self.element_allows(s));
                    continue;
                }
                let mut a = Args::of(s);
                let before = (self.diags.len(), self.refusals);
                if let Some(value) = self.value(property, &mut a, s) {
                    apply(self, property.name, value, &mut a, s);
                }
                // After an error (or a refusal at the element limit, which
                // may be counted rather than reported) the rest of the line
                // is not worth a second one.
                if (self.diags.len(), self.refusals) == before {
                    self.end(&a);
                }
                if !opens_block(property) {
                    self.no_block(s);
                }
            }
        }
        for (index, property) in kind.properties.iter().enumerate() {
            if property.required && seen & (1u64 << (index % 64)) == 0 {
                self.missing(kind, property, statement);
            }
        }
        allows
    }

    /// The property a statement of the block names, or an error.
    fn property(
        &mut self,
        kind: &'static Kind,
        s: &Statement,
    ) -> Option<(usize, &'static Property)> {
        let name = if s.has_arrow() && kind.property("->").is_some() {
            "->"
        } else {
            match s.keyword() {
                Some(k) => k,
                None => {
                    self.error(
                        rule::SYNTAX,
                        s.items[0].span,
                        format!("expected a property, found {}", s.items[0].kind.describe()),
                    );
                    return None;
                }
            }
        };
        if let Some(found) = kind.properties.iter().position(|p| p.name == name) {
            return Some((found, &kind.properties[found]));
        }
        let context = context(kind);
        // `allow` is listed last, as the one property every block shares.
        let names: Vec<&str> = kind
            .property_names()
            .filter(|n| *n != "allow" && *n != "->")
            .chain(kind.property("allow").map(|p| p.name))
            .collect();
        let suggestion = closest(name, names.iter().copied());
        let d = Diagnostic::error(
            rule::SYNTAX,
            s.keyword_span(),
            format!("unknown property `{}` in {context}", echo(name)),
        )
        .with_label(format!("{context} has no `{}`", echo(name)));
        let d = match suggestion {
            Some(c) => d.with_suggestion(Some(c)),
            None => d.with_help(format!("{context} takes: {}", names.join(", "))),
        };
        self.diags.push(d);
        None
    }

    /// A property given again; `before` holds the statements before it.
    fn written_twice(
        &mut self,
        kind: &Kind,
        property: &Property,
        s: &Statement,
        before: &[Statement],
    ) {
        let first = before
            .iter()
            .find(|b| b.keyword() == Some(property.name))
            .map_or(s.keyword_span(), Statement::keyword_span);
        let d = Diagnostic::error(
            rule::INVALID_VALUE,
            s.keyword_span(),
            format!("`{}` is given twice in {}", property.name, context(kind)),
        )
        .with_label("given again here")
        .with_related(first, "first given here")
        .with_help("give it once: a property that is not a list takes one value");
        self.diags.push(d);
    }

    fn missing(&mut self, kind: &Kind, property: &Property, statement: &Statement) {
        let span = statement
            .args()
            .first()
            .map_or(statement.keyword_span(), |i| i.span);
        let d = Diagnostic::error(
            rule::INVALID_VALUE,
            span,
            format!("{} needs `{}`", context(kind), property.name),
        )
        .with_label(format!("`{}` missing", property.name))
        .with_help(format!("add `{}`", property.example));
        self.diags.push(d);
    }

    /// Reads a property's arguments by its shape.
    fn value(&mut self, property: &Property, args: &mut Args, s: &Statement) -> Option<Value> {
        match property.shape {
            Shape::Flag => Some(Value::Flag(s.keyword_span())),
            Shape::Ref(target) => self.take_one(args, target).map(Value::Ref),
            Shape::Refs(target) => Some(Value::Refs(self.take_list(args, target))),
            Shape::Quantity { dimension, what } => {
                self.take_measure(args, what, dimension).map(Value::Measure)
            }
            Shape::Count { what, min, max } => {
                self.take_count(args, what, min, max).map(Value::Count)
            }
            Shape::Choice { what, words } => self.take_choice(args, what, words).map(Value::Word),
            Shape::Text => self.take_text(args).map(Value::Text),
            Shape::Block(_) | Shape::Form { .. } => Some(Value::Composite),
        }
    }

    pub(super) fn no_block(&mut self, statement: &Statement) {
        if let Some(b) = &statement.block {
            self.error(
                rule::SYNTAX,
                b.span,
                format!("`{}` takes no block", statement.keyword().unwrap_or("")),
            );
        }
    }

    // ---- arguments ----------------------------------------------------------

    pub(super) fn need<'s>(
        &mut self,
        args: &mut Args<'s>,
        what: impl std::fmt::Display,
    ) -> Option<&'s Item> {
        let item = args.next();
        if item.is_none() {
            let span = args.missing_span();
            self.invalid(span, format!("`{}` needs {what}", args.keyword))
                .label = Some(format!("{what} expected here"));
        }
        item
    }

    pub(super) fn end(&mut self, args: &Args) {
        if let Some(extra) = args.peek() {
            let span = extra
                .span
                .to(args.items.last().map_or(extra.span, |i| i.span));
            self.error(
                rule::SYNTAX,
                span,
                format!(
                    "unexpected `{}` after `{}`",
                    echo(&extra.text()),
                    args.keyword
                ),
            )
            .label = Some("not expected here".into());
        }
    }

    fn quantity_of(&mut self, item: &Item) -> Option<Quantity> {
        if let Some((value, unit)) = item.kind.quantity() {
            return match units::quantity_from_parts(value, unit) {
                Ok(q) => Some(q),
                Err(e) => {
                    let d = Diagnostic::error(
                        rule::UNIT_MISMATCH,
                        item.unit_span().unwrap_or(item.span),
                        format!("unknown unit `{}`", echo(unit)),
                    )
                    .with_label("not a unit of the language")
                    .with_suggestion(e.suggestion);
                    self.diags.push(d);
                    None
                }
            };
        }
        match &item.kind {
            ItemKind::Number(v) => Some(Quantity::bare(*v)),
            other => {
                self.invalid(
                    item.span,
                    format!("expected a number, found {}", other.describe()),
                );
                None
            }
        }
    }

    /// One item as a quantity of the given kind.
    pub(super) fn convert<T>(
        &mut self,
        item: &Item,
        convert: impl FnOnce(&Quantity) -> Result<T, QuantityError>,
    ) -> Option<Spanned<T>> {
        let q = self.quantity_of(item)?;
        match convert(&q) {
            Ok(v) => Some(Spanned::new(v, item.span)),
            Err(e) => {
                self.quantity_error(item.span, e);
                None
            }
        }
    }

    fn quantity_error(&mut self, span: Span, e: QuantityError) {
        let d = match e {
            QuantityError::Mismatch { expected, found } => {
                let d = Diagnostic::error(
                    rule::UNIT_MISMATCH,
                    span,
                    format!("expected {expected}, found {found}"),
                )
                .with_label(format!("this is {}", found.phrase()));
                if found == Dimension::Count {
                    // The units the expected dimension is usually written in,
                    // each one way to fix the number where it stands.
                    let end = Span {
                        start: span.end,
                        ..span
                    };
                    expected.common_units().into_iter().fold(
                        d.with_help(
                            "write the unit right after the number, e.g. `30A`, `42U`, `25GbE`",
                        ),
                        |d, unit| d.with_fix(end, unit),
                    )
                } else {
                    d
                }
            }
            QuantityError::NotWhole => {
                Diagnostic::error(rule::INVALID_VALUE, span, "expected a whole number")
            }
            QuantityError::Negative => Diagnostic::error(
                rule::INVALID_VALUE,
                span,
                "a negative value makes no sense here",
            ),
            QuantityError::OutOfRange { what } => {
                Diagnostic::error(rule::INVALID_VALUE, span, what)
            }
        };
        self.diags.push(d);
    }

    /// The next argument as a quantity of the given kind; `what` names it
    /// when it is missing.
    pub(super) fn take<T>(
        &mut self,
        args: &mut Args,
        what: &str,
        convert: impl FnOnce(&Quantity) -> Result<T, QuantityError>,
    ) -> Option<Spanned<T>> {
        let item = self.need(args, what)?;
        self.convert(item, convert)
    }

    pub(super) fn take_measure(
        &mut self,
        args: &mut Args,
        what: &str,
        dimension: Dimension,
    ) -> Option<Spanned<Measure>> {
        self.take(args, what, |q| measure(q, dimension))
    }

    /// A whole number in `min..=max`.
    pub(super) fn take_count(
        &mut self,
        args: &mut Args,
        what: &str,
        min: u64,
        max: u64,
    ) -> Option<Spanned<u64>> {
        let item = self.need(args, what)?;
        let n = self.convert(item, Quantity::as_count)?;
        if n.value > max {
            self.invalid(
                item.span,
                format!("{} is too large for {what} (at most {max})", n.value),
            );
            return None;
        }
        if n.value < min {
            self.invalid(n.span, format!("{what} must be at least {min}"));
            return None;
        }
        Some(n)
    }

    /// One of a fixed set of words.
    fn take_choice(
        &mut self,
        args: &mut Args,
        what: &str,
        words: &'static [&'static str],
    ) -> Option<Spanned<&'static str>> {
        let item = self.need(args, what)?;
        self.choice(item, what, words)
    }

    pub(super) fn choice(
        &mut self,
        item: &Item,
        what: &str,
        words: &'static [&'static str],
    ) -> Option<Spanned<&'static str>> {
        let word = item.plain();
        if let Some(w) = word {
            if let Some(found) = words.iter().find(|n| **n == w) {
                return Some(Spanned::new(*found, item.span));
            }
        }
        let found = word.map_or_else(
            || item.kind.describe().to_string(),
            |w| format!("`{}`", echo(w)),
        );
        let list = words
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let d = Diagnostic::error(
            rule::INVALID_VALUE,
            item.span,
            format!("{found} is not {what}: expected one of {list}"),
        )
        .with_suggestion(word.and_then(|w| closest(w, words.iter().copied())));
        self.diags.push(d);
        None
    }

    /// The model's value for one of the schema's words. The two tables are
    /// kept equal by a test; a word missing here is reported, not dropped.
    pub(super) fn pick<T: Copy>(
        &mut self,
        word: Spanned<&str>,
        table: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        match table.iter().find(|(w, _)| *w == word.value) {
            Some((_, v)) => Some(Spanned::new(*v, word.span)),
            None => {
                self.invalid(
                    word.span,
                    format!("`{}` is not understood here", echo(word.value)),
                );
                None
            }
        }
    }

    pub(super) fn take_word<'s>(
        &mut self,
        args: &mut Args<'s>,
        what: &str,
    ) -> Option<Spanned<&'s str>> {
        let item = self.need(args, what)?;
        match item.plain() {
            Some(w) => Some(Spanned::new(w, item.span)),
            None => {
                self.invalid(
                    item.span,
                    format!("expected {what}, found {}", item.kind.describe()),
                );
                None
            }
        }
    }

    fn take_text(&mut self, args: &mut Args) -> Option<Spanned<String>> {
        let item = self.need(args, "a quoted string")?;
        match &item.kind {
            ItemKind::Str(s) => Some(Spanned::new(s.to_string(), item.span)),
            other => {
                self.invalid(
                    item.span,
                    format!("expected a quoted string, found {}", other.describe()),
                );
                None
            }
        }
    }

    pub(super) fn take_keyword(&mut self, args: &mut Args, keyword: &str) -> bool {
        if args.eat(keyword) {
            return true;
        }
        let span = args.peek().map_or_else(|| args.missing_span(), |i| i.span);
        self.error(rule::SYNTAX, span, format!("expected `{keyword}`"));
        false
    }

    /// A reference's noun in "`x` needs a site".
    pub(super) fn take_one(&mut self, args: &mut Args, target: Target) -> Option<Spanned<Element>> {
        // Formatted only when it is missing: this runs for every reference.
        let item = self.need(args, format_args!("a {}", target.noun()))?;
        self.resolve_one(item, target)
    }

    /// The rest of the arguments as a list of names (ranges expanded).
    pub(super) fn take_list(&mut self, args: &mut Args, target: Target) -> Vec<Spanned<Element>> {
        if args.is_done() {
            let span = args.missing_span();
            self.invalid(
                span,
                format!("`{}` needs at least one {}", args.keyword, target.noun()),
            );
        }
        let mut out = Vec::new();
        while let Some(item) = args.next() {
            out.extend(self.resolve_item(item, target));
        }
        out
    }
}

/// A count the schema bounds to `u32` (`min`/`max` in the table).
pub(super) fn count_u32(n: Spanned<u64>) -> Spanned<u32> {
    Spanned::new(u32::try_from(n.value).unwrap_or(u32::MAX), n.span)
}
