//! `overload`: a service's (or a shard's) load exceeds its serving capacity
//! with everything up.

use super::failure::load::{Load, Serving};
use super::serving_text::{capacity_text, load_text, rps, with_serving_data};
use super::{overflow, percent, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, ServiceId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "overload",
    severity: Severity::Error,
    summary: "a service's (or a shard's) load exceeds its serving capacity with everything up",
    doc: r#"## What it checks
For a service with a per-instance `capacity` and a load, whether the
instances that serve with everything up carry the load. The load is the
service's `load` when given, else the sum of the rps `rate`s of the flows
through it; a flow counts once for every pass of one of its paths through
the service (`web -> auth -> web` asks `web` twice per request), and
bandwidth rates do not count. The serving capacity is `capacity` × the
instances that serve: for `ha active-standby` only the active member (the
standby adds nothing until it takes over); for a sharded service each
shard (host j holds shard j mod N) carries its weight of the load on its
own instances, and each shard is judged alone. Instances that are never
up (cut off from their storage) do not serve. Flow rates too large to add
up (near 1e308 rps) are an `invalid-value` naming the service, which then
counts as having no load here and in `capacity-n1` and `dr-capacity`.

## Why
A flow's rate is what the users send, whatever the design assumed. When
it exceeds what the serving instances answer, requests queue and time out
with nothing failed: there is no spare to lose, and `capacity-n1` is moot.

## Example
```topo
service shop-web on web[1..4] { capacity 1000rps }
flow checkout { browser -> shop-web; rate 3000rps }
flow browse { browser -> shop-web; rate 2000rps }
```
`shop-web` carries 5000 rps (flows checkout 3000 rps, browse 2000 rps) on
4 × 1000 rps = 4000 rps: 125 %.

## Fix
Add instances (or shard hosts for the hot shard), raise the capacity of
each, or make the standby of an active-standby pair serve (`ha
active-active`).
"#,
    check: Some(check),
};

/// The subject of a shard's or a service's figures.
fn subject_text(p: &Project, s: ServiceId, l: &Load, g: &Serving) -> String {
    let name = echo(&p.services[s.index()].name);
    match g.shard {
        Some(k) => format!(
            "shard {} of `{name}` ({} of {} = {})",
            k + 1,
            percent(g.share),
            rps(l.rps),
            rps(g.load)
        ),
        None => format!("`{name}` carries {}", load_text(p, l)),
    }
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let f = cx.failures();
    let mut out = Vec::new();
    // A load too large to add up is no figure to compare: said once here,
    // and the service counts as having no load in every capacity rule.
    for &id in &f.load_overflow {
        let s = &p.services[id.index()];
        let what = format!("the rates of the flows through `{}`", echo(&s.name));
        out.push(overflow(s.span, &what, &s.name, s.allows.clone()));
    }
    for (i, s) in p.services.iter().enumerate() {
        let id = ServiceId(i as u32);
        let l = f.loads[i].as_ref();
        let Some(groups) = f.serving_now(p, id) else {
            continue;
        };
        let (Some(l), Some(capacity)) = (l, s.capacity) else {
            continue;
        };
        for g in groups {
            // No instance up at all is another rule's finding (storage).
            if g.serving == 0 || !g.overloaded() {
                continue;
            }
            let share = g.load / g.total();
            let message = format!(
                "{} on {}: {}",
                subject_text(p, id, l, &g),
                capacity_text(p, id, &g),
                percent(share)
            );
            let primary = s.load.map_or(capacity.span, |x| x.span);
            let mut d = Diagnostic::new(RULE.name, RULE.severity, primary, message)
                .with_label(format!("{} on {}", rps(g.load), rps(g.total())));
            if s.load.is_some() {
                d = d.with_related(capacity.span, "capacity of one instance");
            } else {
                for (flow, _) in l.flows.iter().take(3) {
                    d = d.with_related(p.flows[flow.index()].span, "a flow through it");
                }
            }
            d = with_serving_data(d, &g);
            if g.shard.is_some() {
                d = d.with_data("service_load", l.rps);
            }
            out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
        }
    }
    out
}
