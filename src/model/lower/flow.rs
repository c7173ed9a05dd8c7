//! Flows, partitions, replication, links and fault domains: what joins
//! elements declared elsewhere.

use super::args::{count_u32, Args, Value};
use super::resolve::{hop, ids, member, service_id, Misses};
use super::{and_more, Decl, Lowerer, Span};
use crate::diagnostic::{rule, Diagnostic};
use crate::model::names::{each_name, expand_word, word_count};
use crate::model::schema::Target;
use crate::model::*;
use crate::syntax::ast::{Item, ItemKind, Segment, Statement};
use crate::text::echo;
use std::collections::HashSet;

impl Lowerer<'_> {
    pub(super) fn lower_flow(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let (mut paths, mut content, mut rate) = (Vec::new(), None, None);
        let mut wrote_path = false;
        let allows = self.block(decl.statement, decl.kind, |l, name, v, a, s| {
            match (name, v) {
                ("->", _) => {
                    a.skip_rest();
                    wrote_path = true;
                    if let Some(path) = l.path(s) {
                        paths.push(path);
                    }
                }
                ("content", Value::Word(w)) => content = l.pick(w, &Content::ALL),
                ("rate", Value::Measure(m)) => rate = m.rate_or_bandwidth(),
                _ => {}
            }
        });
        if !wrote_path {
            let span = decl
                .statement
                .args()
                .first()
                .map_or(decl.statement.span, |i| i.span);
            self.invalid(
                span,
                "a flow needs at least one request path, e.g. `browser -> shop-web`",
            );
        }
        for e in decl.elements {
            if let Element::Flow(id) = *e {
                let f = &mut self.p.flows[id.index()];
                f.paths = paths.clone();
                f.content = content;
                f.rate = rate;
                f.allows = allows.clone();
            }
        }
    }

    fn path(&mut self, statement: &Statement) -> Option<Vec<Spanned<Hop>>> {
        let mut hops = Vec::new();
        let mut expect_hop = true;
        let mut ok = true;
        for item in &statement.items {
            match (&item.kind, expect_hop) {
                (ItemKind::Arrow, false) => expect_hop = true,
                (ItemKind::Arrow, true) => {
                    self.error(rule::SYNTAX, item.span, "expected a hop before `->`");
                    ok = false;
                }
                (_, true) => {
                    expect_hop = false;
                    match self.resolve_one(item, Target::Hop).and_then(hop) {
                        Some(h) => hops.push(h),
                        None => ok = false,
                    }
                }
                (_, false) => {
                    self.error(rule::SYNTAX, item.span, "expected `->` between hops");
                    ok = false;
                    break;
                }
            }
        }
        if expect_hop {
            self.error(
                rule::SYNTAX,
                statement.span,
                "a request path cannot end with `->`",
            );
            ok = false;
        }
        (ok && hops.len() >= 2).then_some(hops)
    }

    pub(super) fn lower_partition(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut services = Vec::new();
        let allows = self.block(decl.statement, decl.kind, |_, name, v, _, _| {
            if let ("services", Value::Refs(list)) = (name, v) {
                services.extend(ids(list, service_id));
            }
        });
        for e in decl.elements {
            if let Element::Partition(id) = *e {
                self.p.partitions[id.index()].services = services.clone();
                self.p.partitions[id.index()].allows = allows.clone();
            }
        }
    }

    pub(super) fn lower_replicate(&mut self, decl: &Decl) {
        let statement = decl.statement;
        let mut a = Args::of(statement);
        let from = self.take_one(&mut a, Target::Service).and_then(service_id);
        let to = if self.take_keyword(&mut a, "to") {
            self.take_one(&mut a, Target::Service).and_then(service_id)
        } else {
            None
        };
        self.end(&a);
        let (mut mode, mut rpo, mut rto, mut write_rate) = (None, None, None, None);
        let allows = self.block(statement, decl.kind, |l, name, v, _, _| match (name, v) {
            ("mode", Value::Word(w)) => mode = l.pick(w, &ReplicationMode::ALL),
            ("rpo", Value::Measure(m)) => rpo = m.duration(),
            ("rto", Value::Measure(m)) => rto = m.duration(),
            ("write-rate", Value::Measure(m)) => write_rate = m.bandwidth(),
            _ => {}
        });
        let (Some(from), Some(to)) = (from, to) else {
            return;
        };
        if from.value == to.value {
            self.invalid(to.span, "a service cannot replicate to itself");
            return;
        }
        self.p.replications.push(Replication {
            span: statement.span,
            from,
            to,
            mode,
            rpo,
            rto,
            write_rate,
            allows,
        });
    }

    pub(super) fn lower_link(&mut self, decl: &Decl) {
        let statement = decl.statement;
        let args = statement.args();
        let Some(split) = args.iter().position(|i| i.plain() == Some("to")) else {
            self.error(
                rule::SYNTAX,
                statement.span,
                "a link joins two ends: `link A... to B...`",
            );
            return;
        };
        let left = self.endpoints(&args[..split], statement.keyword_span());
        let right = self.endpoints(&args[split + 1..], args[split].span);
        let mut speed = None;
        let mut medium = LinkMedium::Ethernet;
        let (mut count, mut distance) = (None, None);
        let allows = self.block(statement, decl.kind, |_, name, v, _, s| match (name, v) {
            ("speed", Value::Measure(m)) => {
                speed = m.bandwidth();
                medium = link_medium(s);
            }
            ("count", Value::Count(n)) => count = Some(count_u32(n)),
            ("distance", Value::Measure(m)) => distance = m.length(),
            _ => {}
        });
        let links = (left.len() as u64).saturating_mul(right.len() as u64);
        if !self.reserve(links, statement.span, |_| "this link".into(), "links") {
            return;
        }
        // Every end a range expands to has the range's span: each span is
        // kept once and the links point at it.
        let mut ends: Vec<Span> = Vec::new();
        let mut end_of = |end: &Spanned<Endpoint>| {
            if ends.last() != Some(&end.span) {
                ends.push(end.span);
            }
            (ends.len() - 1) as u32
        };
        let left: Vec<(Spanned<Endpoint>, u32)> = left.iter().map(|e| (*e, end_of(e))).collect();
        let right: Vec<(Spanned<Endpoint>, u32)> = right.iter().map(|e| (*e, end_of(e))).collect();
        let index = self.p.link_statements.len() as u32;
        self.p.link_statements.push(LinkStatement {
            span: statement.span,
            speed,
            medium,
            count,
            distance,
            allows,
            ends,
        });
        for (l, from_end) in &left {
            for (r, to_end) in &right {
                if l.value.device == r.value.device {
                    let name = &self.p.devices[l.value.device.index()].name;
                    let message = format!("a link from `{}` to itself", echo(name));
                    self.invalid(r.span, message);
                    continue;
                }
                self.p.links.push(Link {
                    from: l.value,
                    to: r.value,
                    statement: index,
                    from_end: *from_end,
                    to_end: *to_end,
                });
            }
        }
    }

    fn endpoints(&mut self, items: &[Item], before: Span) -> Vec<Spanned<Endpoint>> {
        if items.is_empty() {
            self.invalid(before, "a link end needs at least one device");
        }
        let mut out = Vec::new();
        for item in items {
            let Some(word) = item.word() else {
                self.invalid(
                    item.span,
                    format!("expected a device, found {}", item.kind.describe()),
                );
                continue;
            };
            if word.segments().len() > 2 {
                self.invalid(item.span, "a link end is `device` or `device.part`");
                continue;
            }
            let count = match word_count(&word) {
                Ok(count) => count,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            let subject = |_: &Self| format!("`{}`", echo(&item.text()));
            if !self.reserve(count, item.span, subject, "link ends") {
                continue;
            }
            if !word.is_dotted() {
                self.device_ends(item, &word.segments()[0], &mut out);
                continue;
            }
            let names = expand_word(&word);
            let names = match names {
                Ok(n) => n,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            if names.first().is_some_and(|n| n.len() > 2) {
                self.invalid(item.span, "a link end is `device` or `device.part`");
                continue;
            }
            // A range of unknown devices or missing parts is one error each.
            let mut unknown: Option<(&str, usize)> = None;
            let mut wrong: Option<(&str, Element, usize)> = None;
            let mut missing: Option<(DeviceId, &str, usize)> = None;
            for name in &names {
                let device = match self.p.names.get(name[0].as_str()) {
                    Some(&Element::Device(d)) => d,
                    Some(&e) => {
                        match &mut wrong {
                            Some((_, _, n)) => *n += 1,
                            None => wrong = Some((&name[0], e, 0)),
                        }
                        continue;
                    }
                    None => {
                        match &mut unknown {
                            Some((_, n)) => *n += 1,
                            None => unknown = Some((&name[0], 0)),
                        }
                        continue;
                    }
                };
                let part = match name.get(1) {
                    None => None,
                    Some(part_name) => {
                        match self.p.devices[device.index()].internals.part(part_name) {
                            Some(i) => Some(i as u32),
                            None => {
                                match &mut missing {
                                    Some((_, _, n)) => *n += 1,
                                    None => missing = Some((device, part_name, 0)),
                                }
                                continue;
                            }
                        }
                    }
                };
                out.push(Spanned::new(Endpoint { device, part }, item.span));
            }
            if let Some((name, e, others)) = wrong {
                self.wrong_kind(name, e, item.span, Target::Device, others);
            }
            if let Some((name, others)) = unknown {
                self.unknown(name, item.span, Target::Device, others);
            }
            if let Some((device, part_name, others)) = missing {
                let internals = self.p.devices[device.index()].internals.clone();
                let suggestion = self.suggest(
                    part_name,
                    internals.parts.len(),
                    internals.parts.iter().map(|p| p.name.as_str()),
                );
                let message = format!(
                    "`{}` has no part `{}`",
                    echo(&self.p.devices[device.index()].name),
                    echo(part_name)
                );
                let d = Diagnostic::error(rule::UNKNOWN_NAME, item.span, and_more(message, others))
                    .with_suggestion(suggestion.as_deref());
                self.diags.push(d);
            }
        }
        out
    }

    /// The devices of a link end without parts (most ends): looked up name
    /// by name without a string or list each.
    fn device_ends(&mut self, item: &Item, segment: &Segment, out: &mut Vec<Spanned<Endpoint>>) {
        let mut misses = Misses::default();
        let (names, devices) = (&self.p.names, &self.p.devices);
        // A range usually names devices declared by one range, in order:
        // the device after the last one found is tried before the map. Every
        // device is in `names` under its own name, so a match is what the
        // map would give.
        let mut last: Option<u32> = None;
        let walked = each_name(segment, |name| {
            let next = last.map(|d| d + 1);
            let found = match next {
                Some(d) if devices.get(d as usize).is_some_and(|x| x.name == name) => {
                    Some(Element::Device(DeviceId(d)))
                }
                _ => names.get(name).copied(),
            };
            match found {
                Some(Element::Device(device)) => {
                    last = Some(device.0);
                    out.push(Spanned::new(Endpoint { device, part: None }, item.span))
                }
                Some(e) => misses.wrong(name, e),
                None => misses.unknown(name),
            }
        });
        if let Err(d) = walked {
            self.diags.push(d);
            return;
        }
        self.report_misses(misses, item.span, Target::Device);
    }

    pub(super) fn lower_fault_domain(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut members: Vec<Spanned<Member>> = Vec::new();
        let allows = self.block(decl.statement, decl.kind, |_, name, v, _, _| {
            if let ("members", Value::Refs(list)) = (name, v) {
                members = ids(list, member);
            }
        });
        let mut seen = HashSet::new();
        for m in &members {
            if !seen.insert(m.value) {
                let name = match m.value {
                    Member::Device(d) => &self.p.devices[d.index()].name,
                    Member::Vm(v) => &self.p.vms[v.index()].name,
                    Member::Rack(r) => &self.p.racks[r.index()].name,
                };
                let message = format!("`{}` is listed twice", echo(name));
                self.invalid(m.span, message);
            }
        }
        for e in decl.elements {
            if let Element::FaultDomain(id) = *e {
                let f = &mut self.p.fault_domains[id.index()];
                f.members = members.clone();
                f.allows = allows.clone();
            }
        }
    }
}

/// The medium a `speed` line names: `GFC` is Fibre Channel; `GbE`, bits
/// and bytes per second are Ethernet.
fn link_medium(speed: &Statement) -> LinkMedium {
    let fibre = speed.args().iter().any(|item| match item.kind.quantity() {
        Some((_, unit)) => {
            crate::model::units::parse_unit(unit).is_ok_and(|u| u.is_fibre_channel())
        }
        None => false,
    });
    if fibre {
        LinkMedium::FibreChannel
    } else {
        LinkMedium::Ethernet
    }
}
