//! `dr-capacity`: the services that take over at the DR site cannot carry
//! the load of those they replace.

use super::failure::load::{self, Load};
use super::serving_text::{capacity_text, rps, with_serving_data};
use super::{percent, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ServiceId;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "dr-capacity",
    severity: Severity::Warning,
    summary:
        "the services that take over at the DR site cannot carry the load of those they replace",
    doc: r#"## What it checks
For each service that takes over at a DR site (`takes-over SERVICE`, or
the target of `replicate SERVICE to TARGET`, at a site that `backs` the
primary's site), whether its serving capacity carries the load of the
primaries it replaces: the primary's `load`, else the rps `rate`s of the
flows through it (as `overload` counts them). A taker that replaces
several primaries carries their sum, since their site fails with all of
them. The taker's capacity is its `capacity` × its serving instances: one
for `ha active-standby`, and per shard (its own weights) for a sharded
taker. A taker without a `capacity`, or replacing services without a
load, is not judged.

## Why
A DR site sized for the replica, not for the traffic, recovers the data
and then falls over under the first hour of real load: the failover
works on paper and fails in practice.

## Example
```topo
service orders on p[1..3] { load 3000rps; capacity 1000rps }
service orders-dr on d1 { capacity 1000rps; takes-over orders }
```
`orders-dr` takes over `orders` (3000 rps) on 1 × 1000 rps = 1000 rps:
300 %.

## Fix
Give the DR site as many instances (or as large ones) as the load needs,
or shed load on failover and say so with `allow dr-capacity`.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let f = cx.failures();
    let mut out = Vec::new();
    for (taker, primaries) in f.takers() {
        let t = &p.services[taker.index()];
        let Some(capacity) = t.capacity else {
            continue;
        };
        let replaced: Vec<(ServiceId, f64)> = primaries
            .iter()
            .filter_map(|&s| Some((s, f.loads[s.index()].as_ref()?.rps)))
            .collect();
        if replaced.is_empty() {
            continue;
        }
        let total = Load {
            rps: replaced.iter().map(|(_, r)| r).sum(),
            declared: true,
            flows: Vec::new(),
        };
        let ti = taker.index();
        let Some(groups) = load::serving(p, taker, Some(&total), |j| f.instances[ti][j].up) else {
            continue;
        };
        let list: Vec<String> = replaced
            .iter()
            .map(|(s, r)| format!("`{}` ({})", echo(&p.services[s.index()].name), rps(*r)))
            .collect();
        let what = if replaced.len() == 1 {
            list[0].clone()
        } else {
            format!("{}: {}", list.join(", "), rps(total.rps))
        };
        for g in groups {
            if g.serving == 0 || !g.overloaded() {
                continue;
            }
            let share = g.load / g.total();
            let who = match g.shard {
                Some(k) => format!(
                    "shard {} of `{}` takes over {} of {what} = {}",
                    k + 1,
                    echo(&t.name),
                    percent(g.share),
                    rps(g.load)
                ),
                None => format!("`{}` takes over {what}", echo(&t.name)),
            };
            let message = format!(
                "{who} on {}: {}",
                capacity_text(p, taker, &g),
                percent(share)
            );
            let primary_span = t.takes_over.map_or(capacity.span, |x| x.span);
            let mut d = Diagnostic::new(RULE.name, RULE.severity, primary_span, message)
                .with_label(format!("{} on {}", rps(g.load), rps(g.total())))
                .with_related(capacity.span, "capacity of one instance");
            for (s, _) in replaced.iter().take(3) {
                d = d.with_related(p.services[s.index()].span, "the service taken over");
            }
            d = with_serving_data(d, &g).with_data(
                "replaces",
                replaced
                    .iter()
                    .map(|(s, _)| p.services[s.index()].name.clone())
                    .collect::<Vec<_>>(),
            );
            out.push(Finding::new(d.with_subject(&t.name), t.allows.clone()));
        }
    }
    out
}
