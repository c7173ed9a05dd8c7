//! `dr-rpo`: a recovery target no replication mode can meet, an async
//! replication the network cannot keep up with, and a sync one whose
//! commits wait on a long round trip.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ReplicationMode;
use crate::text::echo;

mod path;

pub static RULE: Rule = Rule {
    name: "dr-rpo",
    severity: Severity::Error,
    summary: "a replication target no mode can meet (async with rpo 0, rto 0), a write rate over the path's capacity, sync over 100 km",
    doc: r#"## What it checks
`replicate` targets against their mode: asynchronous replication with
`rpo 0s`, and an `rto` of zero, which no mode meets.

Where the project declares links, also the network between a host of the
source and a host of the target (over Ethernet, crossing only switches,
routers, firewalls and load balancers, as every path in topo):
- an **async** replication whose `write-rate` exceeds what the path carries
  is an error. What the path carries is the *widest path's narrowest link*:
  of all paths between the two services' hosts, the one whose slowest link
  is fastest, and that link's capacity (speed × `count`). One replication
  stream follows one path (a LAG spreads it over its cables, so `count`
  counts; parallel paths do not add up), so this, not the max-flow, is what
  it can use. A link without `speed` is not a limit; a path of only such
  links is not checked.
- a **sync** replication whose shortest path (by `distance`; a link without
  `distance` counts as none) is longer than 100 km is a warning: light in
  fibre takes 5 µs per km each way, so every commit waits at least 1 ms per
  100 km for the replica's acknowledgement (5,300 km: 53 ms).

No path at all is `unreachable`'s finding, not this rule's.

## Why
Asynchronous replication acknowledges a write before the replica has it:
whatever was in flight when the primary site is lost is gone, so its
recovery point is never zero. Only synchronous replication gives `rpo 0s`,
at the cost of write latency. Taking over always takes some time.

## Example
```topo
replicate erp-db to erp-db-dr { mode async; rpo 0s }
link wan1 to wan2 { speed 1GbE }                  # 125 MB/s
replicate orders to orders-dr { mode async; rpo 1m; write-rate 200MB/s }
```

## Fix
Use `mode sync` where no write may be lost, or accept a recovery point of
seconds to minutes (`rpo 30s`); state the recovery time the failover really
takes. For a write rate over the path: faster or more (`count`) links on
the narrowest hop, or a lower write rate. For sync over distance: accept
the latency, or replicate `async` to the far site and `sync` to a near one.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for r in &p.replications {
        let (from, to) = (
            echo(&p.services[r.from.value.index()].name),
            echo(&p.services[r.to.value.index()].name),
        );
        if let (Some(mode), Some(rpo)) = (r.mode, r.rpo) {
            if mode.value == ReplicationMode::Async && rpo.value.get() == 0.0 {
                let message = format!(
                    "replication of `{from}` to `{to}` is async but promises rpo 0 s: writes acknowledged but not yet copied are lost with the primary"
                );
                let d = Diagnostic::new(RULE.name, RULE.severity, rpo.span, message)
                    .with_label("rpo 0 s")
                    .with_related(mode.span, "async")
                    .with_help("use `mode sync`, or an rpo of seconds to minutes");
                out.push(Finding::new(
                    d.with_subject(&p.services[r.from.value.index()].name),
                    r.allows.clone(),
                ));
            }
        }
        if let Some(rto) = r.rto.filter(|t| t.value.get() == 0.0) {
            let message = format!(
                "replication of `{from}` to `{to}` promises rto 0 s: no failover is instant"
            );
            let d =
                Diagnostic::new(RULE.name, RULE.severity, rto.span, message).with_label("rto 0 s");
            out.push(Finding::new(
                d.with_subject(&p.services[r.from.value.index()].name),
                r.allows.clone(),
            ));
        }
    }
    out.extend(path::check(p));
    out
}
