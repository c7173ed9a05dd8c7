//! Tiers, virtual machines, services (and `dns`), clients and CDNs.

use super::args::{count_u32, Args, Value};
use super::resolve::{device_id, hop, host, ids, service_id, tier_id};
use super::{and_more, Decl, Lowerer};
use crate::model::schema::{self, Target};
use crate::model::units::{self, Quantity};
use crate::model::*;
use crate::syntax::ast::{ItemKind, Statement};
use crate::text::echo;
use std::collections::HashSet;

impl Lowerer<'_> {
    pub(super) fn lower_tier(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut role = None;
        let allows = self.block(decl.statement, decl.kind, |l, name, v, _, _| {
            if let ("role", Value::Word(w)) = (name, v) {
                role = l.pick(w, &TierRole::ALL);
            }
        });
        for e in decl.elements {
            if let Element::Tier(id) = *e {
                self.p.tiers[id.index()].role = role;
                self.p.tiers[id.index()].allows = allows.clone();
            }
        }
    }

    pub(super) fn lower_vm(&mut self, decl: &Decl) {
        let (_, on) = self.header(decl.statement, false, true);
        let host = match on {
            [] => {
                self.invalid(
                    decl.statement.span,
                    "a vm needs its host: `vm NAME on HOST`",
                );
                None
            }
            [item] => self.resolve_one(item, Target::Device),
            [_, second, ..] => {
                self.invalid(
                    second.span,
                    "a vm runs on one host; name other hosts with `failover`",
                );
                None
            }
        };
        let (mut failover, mut ram) = (None, None);
        let allows = self.block(decl.statement, decl.kind, |_, name, v, _, _| {
            match (name, v) {
                ("failover", Value::Ref(e)) => failover = device_id(e),
                ("ram", Value::Measure(m)) => ram = m.size(),
                _ => {}
            }
        });
        let host = host.and_then(device_id);
        for e in decl.elements {
            if let Element::Vm(id) = *e {
                let v = &mut self.p.vms[id.index()];
                v.host = host;
                v.failover = failover;
                v.ram = ram;
                v.allows = allows.clone();
            }
        }
    }

    pub(super) fn lower_service(&mut self, decl: &Decl) {
        let (_, on) = self.header(decl.statement, false, true);
        let mut hosts: Vec<Spanned<Host>> = Vec::new();
        let mut listed = HashSet::new();
        for item in on {
            // One error per item: a range listed again repeats every name.
            let mut repeated: Option<(Host, usize)> = None;
            for h in self
                .resolve_item(item, Target::Host)
                .into_iter()
                .filter_map(host)
            {
                if !listed.insert(h.value) {
                    match &mut repeated {
                        Some((_, n)) => *n += 1,
                        None => repeated = Some((h.value, 0)),
                    }
                    continue;
                }
                hosts.push(h);
            }
            if let Some((host, others)) = repeated {
                let message = format!("host `{}` is listed twice", echo(self.p.host_name(host)));
                self.invalid(item.span, and_more(message, others));
            }
        }
        if on.is_empty() {
            let what = decl.keyword();
            self.invalid(
                decl.statement
                    .args()
                    .first()
                    .map_or(decl.statement.span, |i| i.span),
                format!("a {what} needs the hosts it runs on: `{what} NAME on HOST...`"),
            );
        }
        let mut s = Service::new(String::new(), decl.statement.span, ServiceKind::Service);
        s.hosts = hosts;
        s.allows = self.block(decl.statement, decl.kind, |l, name, v, a, st| {
            match (name, v) {
                ("tier", Value::Ref(e)) => s.tier = tier_id(e),
                ("calls", Value::Refs(list)) => s.calls.extend(ids(list, service_id)),
                ("resolves", Value::Refs(list)) => s.resolves.extend(ids(list, hop)),
                ("load", Value::Measure(m)) => s.load = m.request_rate(),
                ("capacity", Value::Measure(m)) => s.capacity = m.request_rate(),
                ("pool", _) => {
                    let target = l.take_one(a, Target::Service).and_then(service_id);
                    if let Some(target) = target {
                        if let Some(n) = l.take_count(a, "a pool size", 1, u32::MAX as u64) {
                            s.pools.push(Spanned::new(
                                (target.value, n.value as u32),
                                target.span.to(n.span),
                            ));
                        }
                    }
                }
                ("stateful", Value::Flag(span)) => s.stateful = Some(span),
                ("ha", Value::Word(w)) => s.ha = l.pick(w, &HaMode::ALL),
                ("max-connections", Value::Count(n)) => s.max_connections = Some(count_u32(n)),
                ("cache", Value::Measure(m)) => s.cache = m.size(),
                ("storage", Value::Ref(e)) => s.storage = device_id(e),
                ("shard", _) => s.shard = l.shard(st, a).map(Box::new),
                ("process-model", _) => {
                    s.process_model = l
                        .take_word(a, "a process model (`prefork`, `threaded`, `event`)")
                        .map(|w| Box::new(Spanned::new(w.value.to_string(), w.span)))
                }
                ("workers", Value::Count(n)) => s.workers = Some(count_u32(n)),
                ("threads", Value::Count(n)) => s.threads = Some(count_u32(n)),
                ("takes-over", Value::Ref(e)) => s.takes_over = service_id(e),
                _ => {}
            }
        });
        // Host j holds shard j mod N: every shard needs as many hosts.
        if let Some(w) = s.shard.as_ref().and_then(|x| x.weights.as_ref()) {
            let (shards, hosts) = (w.value.len(), s.hosts.len());
            if shards > 0 && hosts > 0 && hosts % shards != 0 {
                self.invalid(
                    w.span,
                    format!(
                        "{hosts} {} not divide into {shards} shards: host j holds shard j mod {shards}, so the host count must be a multiple of {shards}",
                        if hosts == 1 { "host does" } else { "hosts do" }
                    ),
                );
            }
        }
        for e in decl.elements {
            let Element::Service(id) = *e else { continue };
            if s.takes_over.is_some_and(|t| t.value == id) {
                let span = s.takes_over.map_or(s.span, |t| t.span);
                self.invalid(span, "a service cannot take itself over");
            }
            let target = &mut self.p.services[id.index()];
            *target = Service {
                name: std::mem::take(&mut target.name),
                span: target.span,
                kind: target.kind,
                node: target.node,
                ..s.clone()
            };
        }
    }

    /// `shard by KEY { weights 25% 25% ... }`
    fn shard(&mut self, statement: &Statement, args: &mut Args) -> Option<Shard> {
        if !self.take_keyword(args, "by") {
            return None;
        }
        let key = self.take_word(args, "a shard key")?;
        self.end(args);
        let mut shard = Shard {
            key: key.value.to_string(),
            span: statement.span,
            weights: None,
        };
        let kind = schema::block_kind(Some("service"), "shard")?;
        self.block(statement, kind, |l, _, _, a, s| {
            let mut weights = Vec::new();
            let start = a.peek().map(|i| i.span);
            while !a.is_done() {
                match l.take(a, "a weight in %", Quantity::as_percent) {
                    Some(w) => weights.push(w),
                    None => break,
                }
            }
            let Some(start) = start else {
                l.invalid(
                    s.span,
                    "`weights` needs one percentage per shard, e.g. `weights 25% 25% 50%`",
                );
                return;
            };
            let span = start.to(a.after);
            if !l.reserve(
                weights.len() as u64,
                span,
                |_| "these weights".into(),
                "weights",
            ) {
                return;
            }
            let sum: f64 = weights.iter().map(|w| w.value.get()).sum();
            if !sum.is_finite() {
                l.invalid(span, "shard weights are too large to add up");
            } else if !weights.is_empty() && (sum - 100.0).abs() > 0.01 {
                l.invalid(
                    span,
                    format!(
                        "shard weights sum to {} %, not 100 %",
                        units::format_sig3(sum)
                    ),
                );
            }
            shard.weights = Some(Spanned::new(weights, span));
        });
        Some(shard)
    }

    pub(super) fn lower_client(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut kind = None;
        let allows = self.block(decl.statement, decl.kind, |l, name, _, a, s| match name {
            "browser" => kind = Some(Spanned::new(ClientKind::Browser, s.span)),
            "software" => {
                if let Some(name) = l.take_word(a, "the name of the installed software") {
                    let version = match a.peek().map(|i| &i.kind) {
                        Some(ItemKind::Str(v)) => {
                            a.next();
                            Some(v.to_string())
                        }
                        _ => None,
                    };
                    kind = Some(Spanned::new(
                        ClientKind::Software {
                            name: name.value.to_string(),
                            version,
                        },
                        s.span,
                    ));
                }
            }
            _ => {}
        });
        for e in decl.elements {
            if let Element::Client(id) = *e {
                self.p.clients[id.index()].kind = kind.clone();
                self.p.clients[id.index()].allows = allows.clone();
            }
        }
    }

    pub(super) fn lower_cdn(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let (mut origin, mut pops) = (None, None);
        let allows = self.block(decl.statement, decl.kind, |_, name, v, _, _| {
            match (name, v) {
                ("origin", Value::Ref(e)) => origin = service_id(e),
                ("pops", Value::Count(n)) => pops = Some(count_u32(n)),
                _ => {}
            }
        });
        for e in decl.elements {
            if let Element::Cdn(id) = *e {
                let c = &mut self.p.cdns[id.index()];
                c.origin = origin;
                c.pops = pops;
                c.allows = allows.clone();
            }
        }
    }
}
