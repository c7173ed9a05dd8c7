//! Device models, devices and where they are mounted.

use super::args::{count_u32, Args, Value};
use super::parts::PartDrafts;
use super::resolve::{feed_id, ids, model_id, rack_id, site_id};
use super::{Decl, Lowerer, Span, MAX_RACK_HEIGHT};
use crate::diagnostic::{rule, Diagnostic};
use crate::model::schema::{Kind, Target};
use crate::model::units::Quantity;
use crate::model::*;
use crate::syntax::ast::{ItemKind, Statement};
use crate::text::echo;
use std::collections::HashSet;
use std::sync::Arc;

/// A model's resolved properties and part drafts, which devices start from.
#[derive(Clone, Default)]
pub(super) struct Draft {
    /// Shared until the block sets a property: devices of a model then
    /// hold the model's properties, not a copy each.
    props: Arc<DeviceProps>,
    /// Shared until a device adds or changes a part: devices of a model do
    /// not copy its parts.
    pub parts: Arc<PartDrafts>,
    allows: Vec<AllowId>,
    pub internals: Arc<Internals>,
}

/// Where a device declaration places its devices, and the feeds it names.
#[derive(Default)]
struct Mounting {
    rack: Option<(RackId, u32, Face, Span)>,
    site: Option<Spanned<SiteId>>,
    feeds: Vec<Spanned<FeedId>>,
}

/// The words of a placement's face, in the order [`Face::ALL`] gives them.
const FACES: &[&str] = &["front", "rear"];

impl Lowerer<'_> {
    /// Resolves a model and the models it inherits from, in chain order,
    /// without recursion (chains may be long in generated files).
    pub(super) fn resolve_model(
        &mut self,
        id: ModelId,
        decls: &[Decl],
        model_decls: &[Option<usize>],
    ) {
        let model_decl = |m: ModelId| model_decls[m.index()].map(|i| &decls[i]);
        let mut chain = vec![id];
        loop {
            let current = *chain.last().expect("chain is never empty");
            if self.model_drafts[current.index()].is_some() {
                break;
            }
            let Some(decl) = model_decl(current) else {
                break;
            };
            let (parent, _) = self.header(decl.statement, true, false);
            let Some(parent_item) = parent else { break };
            let Some(pe) = self
                .resolve_one(parent_item, Target::Model)
                .and_then(model_id)
            else {
                break;
            };
            let parent_id = pe.value;
            self.p.models[current.index()].parent = Some(pe);
            if let Some(pos) = chain.iter().position(|m| *m == parent_id) {
                let names: Vec<&str> = chain[pos..]
                    .iter()
                    .chain(std::iter::once(&parent_id))
                    .map(|m| self.p.models[m.index()].name.as_str())
                    .collect();
                let message = format!("model inheritance cycle: {}", names.join(" → "));
                self.invalid(pe.span, message).label =
                    Some("this model inherits from itself through this chain".into());
                self.p.models[current.index()].parent = None;
                break;
            }
            chain.push(parent_id);
        }
        // Resolve from the base down.
        while let Some(m) = chain.pop() {
            if self.model_drafts[m.index()].is_some() {
                continue;
            }
            let parent = self.p.models[m.index()].parent;
            let mut base = parent
                .and_then(|p| self.model_drafts[p.value.index()].clone())
                .unwrap_or_default();
            let Some(decl) = model_decl(m) else { continue };
            self.statement = Some(decl.statement.span);
            self.copies = 1;
            if let Some(parent) = parent {
                // A model holds the parts it inherits.
                let model = parent.value.index();
                let subject = move |l: &Self| {
                    format!("the parts of model `{}`", echo(&l.p.models[model].name))
                };
                if !self.reserve(base.parts.list.len() as u64, parent.span, subject, "parts") {
                    base.parts = Arc::default();
                    base.internals = Arc::default();
                }
            }
            let draft = self.device_body(decl.statement, decl.kind, base, &mut Mounting::default());
            let model = &mut self.p.models[m.index()];
            model.props = (*draft.props).clone();
            model.internals = draft.internals.clone();
            model.allows = draft.allows.clone();
            self.model_drafts[m.index()] = Some(draft);
        }
    }

    /// Applies a model's or device's block to a starting draft.
    fn device_body(
        &mut self,
        statement: &Statement,
        kind: &'static Kind,
        mut draft: Draft,
        mounting: &mut Mounting,
    ) -> Draft {
        let mut parts_changed = false;
        let allows = self.block(statement, kind, |l, name, v, a, s| match (name, v) {
            ("size", Value::Measure(m)) => {
                let Some(v) = m.rack_units() else { return };
                if v.value.get() > MAX_RACK_HEIGHT {
                    l.invalid(
                        v.span,
                        format!("a device of {}U is taller than any rack", v.value.get()),
                    );
                } else {
                    Arc::make_mut(&mut draft.props).size =
                        Some(Spanned::new(v.value.get(), v.span));
                }
            }
            ("draw", Value::Measure(m)) => {
                if let Some(draw) = m.draw() {
                    Arc::make_mut(&mut draft.props).draw = Some(draw);
                }
            }
            ("weight", Value::Measure(m)) => {
                if let Some(weight) = m.mass() {
                    Arc::make_mut(&mut draft.props).weight = Some(weight);
                }
            }
            ("psu", Value::Count(n)) => Arc::make_mut(&mut draft.props).psu = Some(count_u32(n)),
            ("fan", Value::Count(n)) => Arc::make_mut(&mut draft.props).fans = Some(count_u32(n)),
            ("redundant", Value::Flag(span)) => {
                Arc::make_mut(&mut draft.props).redundant = Some(span)
            }
            ("airflow", Value::Word(w)) => {
                if let Some(airflow) = l.pick(w, &Airflow::ALL) {
                    Arc::make_mut(&mut draft.props).airflow = Some(airflow);
                }
            }
            ("ports", _) => {
                if let Some(ports) = l.ports(a) {
                    Arc::make_mut(&mut draft.props).ports = Some(ports);
                }
            }
            ("power-factor", Value::Measure(m)) => {
                let Some(pf) = m.number() else { return };
                if pf.value > 0.0 && pf.value <= 1.0 {
                    Arc::make_mut(&mut draft.props).extras_mut().power_factor = Some(pf);
                } else {
                    l.invalid(
                        pf.span,
                        format!(
                            "a power factor is above 0 and at most 1, not {}",
                            Quantity::bare(pf.value)
                        ),
                    )
                    .help = Some(
                        "real power over apparent power: 0.95 for a typical server supply".into(),
                    );
                }
            }
            ("depth", Value::Word(w)) => {
                if let Some(depth) = l.pick(w, &Depth::ALL) {
                    Arc::make_mut(&mut draft.props).extras_mut().depth = Some(depth);
                }
            }
            ("ram", Value::Measure(m)) => {
                if let Some(ram) = m.size() {
                    Arc::make_mut(&mut draft.props).extras_mut().ram = Some(ram);
                }
            }
            ("oversubscription", Value::Measure(m)) => {
                let Some(ratio) = m.number() else { return };
                if ratio.value > 0.0 {
                    Arc::make_mut(&mut draft.props)
                        .extras_mut()
                        .oversubscription = Some(ratio);
                } else {
                    l.invalid(
                        ratio.span,
                        "an oversubscription ratio is above 0 (`3` means 3:1)",
                    );
                }
            }
            ("rack", _) => mounting.rack = l.placement(a, s.span),
            ("site", Value::Ref(e)) => mounting.site = site_id(e),
            ("feeds", Value::Refs(list)) => mounting.feeds = ids(list, feed_id),
            (part, Value::Composite) => {
                a.skip_rest();
                l.part(part, s, &mut draft.parts);
                parts_changed = true;
            }
            _ => {}
        });
        draft.allows.extend(allows);
        if parts_changed {
            draft.internals = Arc::new(self.finish_internals(&draft.parts.list));
        }
        draft
    }

    /// `rack R at U10 [front|rear]`. The whole form is read even when R is
    /// unknown, so one mistake gives one error.
    fn placement(&mut self, a: &mut Args, span: Span) -> Option<(RackId, u32, Face, Span)> {
        let rack = self.take_one(a, Target::Rack).and_then(rack_id);
        let position = if self.take_keyword(a, "at") {
            self.position(a)
        } else {
            None
        };
        let face = match a.next() {
            Some(item) if position.is_some() => {
                let word = self.choice(item, "a rack face", FACES)?;
                self.pick(word, &Face::ALL)?.value
            }
            _ => Face::Front,
        };
        Some((rack?.value, position?.value, face, span))
    }

    /// `U10`: a position in a rack.
    fn position(&mut self, args: &mut Args) -> Option<Spanned<u32>> {
        let item = self.need(args, "a position like `U10`")?;
        if let Some(w) = item.plain() {
            if let Some(n) = w
                .strip_prefix('U')
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                return match n.parse::<u32>() {
                    Ok(n) if n <= 10_000 => Some(Spanned::new(n, item.span)),
                    _ => {
                        self.invalid(
                            item.span,
                            format!("position `{}` is far beyond any rack", echo(w)),
                        );
                        None
                    }
                };
            }
        }
        let d = Diagnostic::error(
            rule::INVALID_VALUE,
            item.span,
            format!(
                "expected a position like `U10`, found {}",
                item.kind.describe()
            ),
        );
        let d =
            d.with_help("a position puts the `U` first: `at U10`; a size puts it last: `size 2U`");
        self.diags.push(d);
        None
    }

    /// `ports N x SPEED [N x SPEED...]`: one group per speed.
    pub(super) fn ports(&mut self, args: &mut Args) -> Option<Spanned<Ports>> {
        let mut groups = Vec::new();
        let mut span: Option<Span> = None;
        loop {
            let count = self.take_count(args, "a number of ports", 1, u32::MAX as u64)?;
            if !self.take_keyword(args, "x") {
                return None;
            }
            let speed = self.take(
                args,
                "a port speed (`25GbE`, `32GFC`)",
                Quantity::as_bandwidth,
            )?;
            span = Some(span.map_or(count.span, |s| s.to(count.span)).to(speed.span));
            groups.push(PortGroup {
                count: count.value as u32,
                speed: speed.value,
            });
            // Another group starts with its count; anything else is left
            // for the caller to report.
            if !matches!(args.peek().map(|i| &i.kind), Some(ItemKind::Number(_))) {
                break;
            }
        }
        let span = span?;
        match Ports::new(&groups) {
            Ok(ports) => Some(Spanned::new(ports, span)),
            Err(why) => {
                self.invalid(span, why);
                None
            }
        }
    }

    pub(super) fn lower_device(&mut self, decl: &Decl) {
        let (model_item, _) = self.header(decl.statement, true, false);
        let mut model = None;
        // Made only without a model: a default draft is three allocations,
        // and most devices start from their model's.
        let mut base = None;
        if let Some(item) = model_item {
            if let Some(m) = self.resolve_one(item, Target::Model).and_then(model_id) {
                model = Some(m);
                let mut from_model = self.model_drafts[m.value.index()]
                    .clone()
                    .unwrap_or_default();
                // Each device holds the model's parts.
                let index = m.value.index();
                let subject = move |l: &Self| {
                    format!("the parts of model `{}`", echo(&l.p.models[index].name))
                };
                if !self.reserve(from_model.parts.list.len() as u64, m.span, subject, "parts") {
                    from_model.parts = Arc::default();
                    from_model.internals = Arc::default();
                }
                base = Some(from_model);
            }
        }
        let base = base.unwrap_or_default();
        let mut mounting = Mounting::default();
        let draft = self.device_body(decl.statement, decl.kind, base, &mut mounting);
        let size = draft.props.size.map_or(1, |s| s.value);
        let depth = draft.props.depth().map_or(Depth::Full, |d| d.value);
        if mounting.rack.is_some() && draft.props.size.is_none() {
            let span = mounting.rack.map_or(decl.statement.span, |r| r.3);
            self.invalid(
                span,
                "a device placed in a rack needs a `size` (in U), on itself or its model",
            )
            .help = Some("add `size 1U`".into());
        }
        self.check_device_feeds(&mounting);
        let site = mounting.site.map(|s| s.value);
        for (i, e) in decl.elements.iter().enumerate() {
            let Element::Device(id) = *e else { continue };
            let placed = mounting.rack.map(|(rack, at, face, span)| Placement {
                rack,
                position: at + i as u32 * size,
                face,
                depth,
                span,
            });
            if let Some(p) = placed {
                self.p.racks[p.rack.index()].devices.push(id);
            }
            let rack_site = placed.and_then(|p| self.p.racks[p.rack.index()].site.map(|s| s.value));
            if let (Some(explicit), Some(from_rack)) = (mounting.site, rack_site) {
                if explicit.value != from_rack {
                    self.invalid(
                        explicit.span,
                        "the device's `site` differs from its rack's site",
                    );
                }
            }
            let d = &mut self.p.devices[id.index()];
            d.model = model;
            d.props = draft.props.clone();
            d.placement = placed;
            d.site = site.or(rack_site);
            d.feeds = mounting.feeds.clone();
            d.internals = draft.internals.clone();
            d.allows = draft.allows.clone();
        }
    }

    /// A device's `feeds` are some of its rack's feeds, each named once.
    fn check_device_feeds(&mut self, mounting: &Mounting) {
        let Some(first) = mounting.feeds.first() else {
            return;
        };
        let Some((rack, ..)) = mounting.rack else {
            self.invalid(
                first.span,
                "`feeds` names feeds of the device's rack, but the device is in no rack",
            )
            .help = Some("mount it with `rack NAME at Un`, or leave out `feeds`".into());
            return;
        };
        let r = &self.p.racks[rack.index()];
        let of_rack: HashSet<FeedId> = r.feeds.iter().map(|f| f.value).collect();
        let (rack_name, rack_span) = (r.name.clone(), r.span);
        let mut seen = HashSet::new();
        for f in &mounting.feeds {
            let name = echo(&self.p.feeds[f.value.index()].name).to_string();
            if !seen.insert(f.value) {
                self.invalid(f.span, format!("feed `{name}` is listed twice"));
            } else if !of_rack.contains(&f.value) {
                let d = Diagnostic::error(
                    rule::INVALID_VALUE,
                    f.span,
                    format!("feed `{name}` is not a feed of rack `{}`", echo(&rack_name)),
                )
                .with_label("not one of the rack's feeds")
                .with_related(rack_span, "the rack's feeds are listed here")
                .with_help("a device connects only to feeds of its own rack: add the feed to the rack's `feeds`, or leave it out here");
                self.diags.push(d);
            }
        }
    }
}
