//! Names to elements: what a reference may name comes from the schema's
//! target; a miss suggests the closest name of the right kind.

use super::{and_more, Lowerer, Span, Spanned, SUGGESTION_WORK};
use crate::diagnostic::{closest, rule, Diagnostic};
use crate::model::names::{each_name, segment_count};
use crate::model::schema::Target;
use crate::model::*;
use crate::syntax::ast::Item;
use crate::text::echo;

/// Whether a reference to `target` may name `e`.
pub(super) fn accepts(target: Target, e: Element) -> bool {
    matches!(
        (target, e),
        (Target::Site, Element::Site(_))
            | (Target::Feed, Element::Feed(_))
            | (Target::Power, Element::Power(_))
            | (Target::Rack, Element::Rack(_))
            | (Target::Model, Element::Model(_))
            | (Target::Device, Element::Device(_))
            | (Target::Host, Element::Device(_) | Element::Vm(_))
            | (Target::Tier, Element::Tier(_))
            | (Target::Service, Element::Service(_))
            | (
                Target::Hop,
                Element::Client(_) | Element::Service(_) | Element::Cdn(_)
            )
            | (Target::Resolvable, Element::Service(_) | Element::Cdn(_))
            | (
                Target::Member,
                Element::Device(_) | Element::Vm(_) | Element::Rack(_)
            )
    )
}

impl Lowerer<'_> {
    pub(super) fn wrong_kind(
        &mut self,
        name: &str,
        e: Element,
        span: Span,
        target: Target,
        others: usize,
    ) {
        let found = self.p.kind_of(e);
        let message = and_more(
            format!("`{}` is a {found}, not a {}", echo(name), target.noun()),
            others,
        );
        let d = Diagnostic::error(rule::INVALID_VALUE, span, message)
            .with_label(format!("expected a {}", target.noun()))
            .with_related(
                self.p.span_of(e),
                format!("`{}` is declared here", echo(name)),
            );
        self.diags.push(d);
    }

    pub(super) fn unknown(&mut self, name: &str, span: Span, target: Target, others: usize) {
        let count = self.p.names.len();
        let names = &self.p.names;
        let candidates: Vec<&str> =
            if self.suggestion_work.saturating_add(count as u64) <= SUGGESTION_WORK {
                names
                    .iter()
                    .filter(|(_, e)| accepts(target, **e))
                    .map(|(n, _)| n.as_str())
                    .collect()
            } else {
                Vec::new()
            };
        let suggestion = closest(name, candidates.iter().copied()).map(str::to_string);
        drop(candidates);
        self.suggestion_work = self.suggestion_work.saturating_add(count as u64);
        let noun = target.noun();
        let message = and_more(format!("unknown {noun} `{}`", echo(name)), others);
        let d = Diagnostic::error(rule::UNKNOWN_NAME, span, message)
            .with_label(format!("no {noun} is called `{}`", echo(name)))
            .with_suggestion(suggestion.as_deref());
        self.diags.push(d);
    }

    /// Resolves one item that may be a range; returns every element. Misses
    /// of a range are reported once, with their count, rather than once per
    /// name; names are looked up without allocating one string each.
    pub(super) fn resolve_item(&mut self, item: &Item, target: Target) -> Vec<Spanned<Element>> {
        let Some(word) = item.word() else {
            self.invalid(
                item.span,
                format!(
                    "expected a {} name, found {}",
                    target.noun(),
                    item.kind.describe()
                ),
            );
            return Vec::new();
        };
        if word.is_dotted() {
            self.invalid(
                item.span,
                format!(
                    "expected a {} name, found a dotted reference",
                    target.noun()
                ),
            );
            return Vec::new();
        }
        let segment = &word.segments()[0];
        let count = match segment_count(segment) {
            Ok(count) => count,
            Err(d) => {
                self.diags.push(d);
                return Vec::new();
            }
        };
        let subject = |_: &Self| format!("`{}`", echo(&item.text()));
        if !self.reserve(count, item.span, subject, "references") {
            return Vec::new();
        }
        let mut found = Vec::with_capacity(count as usize);
        let mut misses = Misses::default();
        let names = &self.p.names;
        let walked = each_name(segment, |name| match names.get(name) {
            Some(&e) if accepts(target, e) => found.push(Spanned::new(e, item.span)),
            Some(&e) => misses.wrong(name, e),
            None => misses.unknown(name),
        });
        if let Err(d) = walked {
            self.diags.push(d);
            return Vec::new();
        }
        self.report_misses(misses, item.span, target);
        found
    }

    /// The errors for the names of one range that were not found or were
    /// of the wrong kind: the first of each, with how many others.
    pub(super) fn report_misses(&mut self, misses: Misses, span: Span, target: Target) {
        if let Some((name, e, others)) = misses.wrong {
            self.wrong_kind(&name, e, span, target, others);
        }
        if let Some((name, others)) = misses.unknown {
            self.unknown(&name, span, target, others);
        }
    }

    /// Resolves one item naming exactly one element.
    pub(super) fn resolve_one(&mut self, item: &Item, target: Target) -> Option<Spanned<Element>> {
        let all = self.resolve_item(item, target);
        if all.len() > 1 {
            self.invalid(
                item.span,
                format!(
                    "expected one {}, found a range of {}",
                    target.noun(),
                    all.len()
                ),
            );
            return None;
        }
        all.into_iter().next()
    }
}

/// Typed ids of resolved references: each accepts only what its target
/// resolves to, so a reference of another kind cannot slip through.
macro_rules! typed {
    ($($name:ident: $variant:ident -> $id:ty),* $(,)?) => {$(
        pub(super) fn $name(e: Spanned<Element>) -> Option<Spanned<$id>> {
            match e.value {
                Element::$variant(id) => Some(Spanned::new(id, e.span)),
                _ => None,
            }
        }
    )*};
}

typed!(
    site_id: Site -> SiteId,
    power_id: Power -> PowerId,
    feed_id: Feed -> FeedId,
    rack_id: Rack -> RackId,
    model_id: Model -> ModelId,
    device_id: Device -> DeviceId,
    tier_id: Tier -> TierId,
    service_id: Service -> ServiceId,
);

/// A list of references of one kind.
pub(super) fn ids<T>(
    list: Vec<Spanned<Element>>,
    typed: fn(Spanned<Element>) -> Option<Spanned<T>>,
) -> Vec<Spanned<T>> {
    list.into_iter().filter_map(typed).collect()
}

pub(super) fn hop(e: Spanned<Element>) -> Option<Spanned<Hop>> {
    let h = match e.value {
        Element::Client(c) => Hop::Client(c),
        Element::Service(s) => Hop::Service(s),
        Element::Cdn(c) => Hop::Cdn(c),
        _ => return None,
    };
    Some(Spanned::new(h, e.span))
}

pub(super) fn host(e: Spanned<Element>) -> Option<Spanned<Host>> {
    let h = match e.value {
        Element::Device(d) => Host::Device(d),
        Element::Vm(v) => Host::Vm(v),
        _ => return None,
    };
    Some(Spanned::new(h, e.span))
}

pub(super) fn member(e: Spanned<Element>) -> Option<Spanned<Member>> {
    let m = match e.value {
        Element::Device(d) => Member::Device(d),
        Element::Vm(v) => Member::Vm(v),
        Element::Rack(r) => Member::Rack(r),
        _ => return None,
    };
    Some(Spanned::new(m, e.span))
}

/// The names of one range that did not resolve: the first unknown one and
/// the first of the wrong kind, each with a count of the others.
#[derive(Default)]
pub(super) struct Misses {
    unknown: Option<(String, usize)>,
    wrong: Option<(String, Element, usize)>,
}

impl Misses {
    pub(super) fn unknown(&mut self, name: &str) {
        match &mut self.unknown {
            Some((_, n)) => *n += 1,
            None => self.unknown = Some((name.to_string(), 0)),
        }
    }

    pub(super) fn wrong(&mut self, name: &str, element: Element) {
        match &mut self.wrong {
            Some((_, _, n)) => *n += 1,
            None => self.wrong = Some((name.to_string(), element, 0)),
        }
    }
}
