//! Sites, power sources, feeds and racks.

use super::args::{count_u32, Args, Value};
use super::resolve::{device_id, feed_id, ids, power_id, site_id};
use super::{Decl, Lowerer, MAX_POWER_DEPTH, MAX_RACK_FEEDS, MAX_RACK_HEIGHT};
use crate::diagnostic::{rule, Diagnostic};
use crate::model::units::Draw;
use crate::model::*;
use crate::text::echo;
use std::collections::HashSet;

impl Lowerer<'_> {
    pub(super) fn lower_site(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut s = Site::new(String::new(), decl.statement.span);
        s.allows = self.block(decl.statement, decl.kind, |l, name, v, _, _| {
            match (name, v) {
                ("role", Value::Word(w)) => s.role = l.pick(w, &SiteRole::ALL),
                ("backs", Value::Ref(e)) => s.backs = site_id(e),
                ("upstream", Value::Ref(e)) => s.upstream = site_id(e),
                ("uplink", Value::Measure(m)) => s.uplink = m.bandwidth(),
                ("entry", Value::Refs(list)) => s.entry = ids(list, device_id),
                _ => {}
            }
        });
        for e in decl.elements {
            let Element::Site(id) = *e else { continue };
            if s.backs.is_some_and(|b| b.value == id) {
                self.invalid(
                    s.backs.map_or(s.span, |b| b.span),
                    "a site cannot back itself",
                );
            }
            let site = &mut self.p.sites[id.index()];
            *site = Site {
                name: std::mem::take(&mut site.name),
                span: site.span,
                node: site.node,
                ..s.clone()
            };
        }
    }

    /// `30A at 208V`, `5kW`, `500kVA`: a circuit's or a source's rating.
    fn circuit(&mut self, args: &mut Args) -> Option<Spanned<Circuit>> {
        let limit = self.take(
            args,
            "a current or power (`30A at 208V`, `5kW`)",
            units::Quantity::as_draw,
        )?;
        let mut span = limit.span;
        let voltage = if args.eat("at") {
            let v = self.take(args, "a voltage", units::Quantity::as_voltage)?;
            span = span.to(v.span);
            Some(v.value)
        } else {
            None
        };
        if matches!(limit.value, Draw::Current(_)) && voltage.is_none() {
            self.invalid(
                span,
                "a circuit in A needs its voltage to give a power budget",
            )
            .help = Some("add the voltage: `circuit 30A at 208V`".into());
            return None;
        }
        if let Some(v) = voltage {
            if v.get() <= 0.0 {
                self.invalid(span, "a circuit's voltage must be above 0 V");
                return None;
            }
        }
        Some(Spanned::new(
            Circuit {
                limit: limit.value,
                voltage,
            },
            span,
        ))
    }

    /// `phases 1` or `phases 3`: the schema bounds the count, the gap is here.
    fn phases(&mut self, n: Spanned<u64>) -> Option<Spanned<u32>> {
        if n.value == 2 {
            self.invalid(n.span, "a circuit has 1 or 3 phases, not 2")
                .help = Some("a split-phase circuit is single-phase at its line-to-line voltage: give that voltage and leave out `phases`".into());
            return None;
        }
        Some(count_u32(n))
    }

    pub(super) fn lower_power(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut s = Power::new(String::new(), decl.statement.span);
        s.allows = self.block(decl.statement, decl.kind, |l, name, v, a, _| {
            match (name, v) {
                ("site", Value::Ref(e)) => s.site = site_id(e),
                ("kind", Value::Word(w)) => s.kind = l.pick(w, &PowerKind::ALL),
                ("capacity", _) => s.capacity = l.circuit(a),
                ("phases", Value::Count(n)) => s.phases = l.phases(n),
                ("from", Value::Ref(e)) => s.from = power_id(e),
                _ => {}
            }
        });
        for e in decl.elements {
            let Element::Power(id) = *e else { continue };
            let source = &mut self.p.powers[id.index()];
            *source = Power {
                name: std::mem::take(&mut source.name),
                span: source.span,
                node: source.node,
                ..s.clone()
            };
        }
    }

    pub(super) fn lower_feed(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut f = Feed::new(String::new(), decl.statement.span);
        f.allows = self.block(decl.statement, decl.kind, |l, name, v, a, _| match (name, v) {
            ("site", Value::Ref(e)) => f.site = site_id(e),
            ("circuit", _) => f.circuit = l.circuit(a),
            ("phases", Value::Count(n)) => f.phases = l.phases(n),
            ("rated", Value::Measure(m)) => {
                let Some(rated) = m.ratio() else { return };
                if rated.value.get() <= 0.0 || rated.value.get() > 100.0 {
                    l.invalid(
                        rated.span,
                        format!(
                            "a breaker is rated for above 0 % and at most 100 % of its capacity, not {}",
                            rated.value
                        ),
                    );
                } else {
                    f.rated = Some(rated);
                }
            }
            ("from", Value::Ref(e)) => f.from = power_id(e),
            _ => {}
        });
        for e in decl.elements {
            let Element::Feed(id) = *e else { continue };
            let feed = &mut self.p.feeds[id.index()];
            *feed = Feed {
                name: std::mem::take(&mut feed.name),
                span: feed.span,
                node: feed.node,
                ..f.clone()
            };
        }
    }

    pub(super) fn lower_rack(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut r = Rack::new(String::new(), decl.statement.span);
        r.allows = self.block(decl.statement, decl.kind, |l, name, v, a, _| match (name, v) {
            ("site", Value::Ref(e)) => r.site = site_id(e),
            ("height", Value::Measure(m)) => {
                let Some(h) = m.rack_units() else { return };
                if h.value.get() == 0 || h.value.get() > MAX_RACK_HEIGHT {
                    l.invalid(h.span, format!("a rack of {}U is not a rack: heights run from 1U to {MAX_RACK_HEIGHT}U (common: 42U, 45U, 47U, 48U)", h.value.get()));
                } else {
                    r.height = Spanned::new(h.value.get(), h.span);
                }
            }
            ("feeds", Value::Refs(list)) => r.feeds = ids(list, feed_id),
            ("max-weight", Value::Measure(m)) => r.max_weight = m.mass(),
            ("weight", Value::Measure(m)) => r.weight = m.mass(),
            ("power", _) => r.power = l.circuit(a).map(Box::new),
            ("voltage", Value::Measure(m)) => r.voltage = m.voltage().map(Box::new),
            ("airflow", Value::Word(w)) => r.airflow = l.pick(w, &Airflow::ALL).map(Box::new),
            ("cooling", Value::Measure(m)) => r.cooling = m.power().map(Box::new),
            _ => {}
        });
        if r.feeds.len() > MAX_RACK_FEEDS {
            let span = r.feeds[MAX_RACK_FEEDS]
                .span
                .to(r.feeds[r.feeds.len() - 1].span);
            self.invalid(
                span,
                format!(
                    "a rack lists {} feeds; a rack has at most {MAX_RACK_FEEDS}",
                    r.feeds.len()
                ),
            );
            r.feeds.truncate(MAX_RACK_FEEDS);
        }
        let mut seen = HashSet::new();
        for f in &r.feeds {
            if !seen.insert(f.value) {
                self.invalid(
                    f.span,
                    format!(
                        "feed `{}` is listed twice",
                        echo(&self.p.feeds[f.value.index()].name)
                    ),
                );
            }
        }
        for e in decl.elements {
            let Element::Rack(id) = *e else { continue };
            let rack = &mut self.p.racks[id.index()];
            *rack = Rack {
                name: std::mem::take(&mut rack.name),
                span: rack.span,
                node: rack.node,
                ..r.clone()
            };
        }
    }

    /// Power sources form a tree: a source that draws from itself, through
    /// any chain, is reported once per cycle and cut loose where the cycle
    /// closes, so later analyses walk a tree.
    pub(super) fn check_power_tree(&mut self) {
        const UNSEEN: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let sources = &self.p.powers;
        let mut state = vec![UNSEEN; sources.len()];
        let mut cycles: Vec<Vec<usize>> = Vec::new();
        for start in 0..sources.len() {
            let mut path = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at {
                match state[i] {
                    DONE => break,
                    ON_PATH => {
                        let from = path.iter().position(|&p| p == i).unwrap_or(0);
                        cycles.push(path[from..].to_vec());
                        break;
                    }
                    _ => {
                        state[i] = ON_PATH;
                        path.push(i);
                        at = sources[i].from.map(|f| f.value.index());
                    }
                }
            }
            for i in path {
                state[i] = DONE;
            }
        }
        for cycle in cycles {
            let closes = *cycle.last().unwrap_or(&0);
            let names: Vec<&str> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&i| self.p.powers[i].name.as_str())
                .collect();
            let span = self.p.powers[closes]
                .from
                .map_or(self.p.powers[closes].span, |f| f.span);
            let mut d = Diagnostic::error(
                rule::INVALID_VALUE,
                span,
                format!("power source cycle: {}", names.join(" → ")),
            )
            .with_label("power sources must form a tree");
            for &i in &cycle[..cycle.len() - 1] {
                if let Some(f) = self.p.powers[i].from {
                    let to = &self.p.powers[f.value.index()].name;
                    d = d.with_related(
                        f.span,
                        format!("`{}` draws from `{}` here", self.p.powers[i].name, to),
                    );
                }
            }
            self.diags.push(d);
            self.p.powers[closes].from = None;
        }
        self.check_power_depth();
    }

    /// A chain of more than [`MAX_POWER_DEPTH`] sources is refused and cut
    /// where it passes the bound, so every walk up the tree stays short.
    fn check_power_depth(&mut self) {
        let n = self.p.powers.len();
        let mut depth: Vec<Option<usize>> = vec![None; n];
        for start in 0..n {
            let mut chain = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at.filter(|&i| depth[i].is_none() && chain.len() <= n) {
                chain.push(i);
                at = self.p.powers[i].from.map(|f| f.value.index());
            }
            let mut d = at.and_then(|i| depth[i]).unwrap_or(0);
            for &i in chain.iter().rev() {
                d += 1;
                if d > MAX_POWER_DEPTH {
                    let source = &self.p.powers[i];
                    let span = source.from.map_or(source.span, |f| f.span);
                    self.invalid(
                        span,
                        format!(
                            "power source `{}` is more than {MAX_POWER_DEPTH} sources below its root",
                            echo(&source.name)
                        ),
                    );
                    self.p.powers[i].from = None;
                    d = 1;
                }
                depth[i] = Some(d);
            }
        }
    }
}
