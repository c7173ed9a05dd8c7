//! `pool-exhaustion`: connection pools to a service exceed its `max-connections`.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "pool-exhaustion",
    severity: Severity::Error,
    summary: "connection pools to a service (pool × instances) exceed its max-connections",
    doc: r#"## What it checks
For every service with `max-connections`, the sum over its callers of
`pool SERVICE N` × the caller's instances. Each instance of an application
server opens its own pool.

## Why
The AP server keeps a pool of database connections and reuses them;
the database accepts a fixed number. When the pools together ask for more,
connections are refused as soon as the pools fill, usually under peak load,
and requests fail although every server is up.

## Example
```topo
service shop-ap on ap[1..4] { pool shop-db 60 }    # 4 × 60 = 240
service shop-db on db1 { max-connections 200 }
```

## Fix
Shrink the pools, raise `max-connections` (memory permitting), or put a
connection pooler in front of the database.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    // The pools into each service, gathered once (not a scan of every
    // service for every target).
    let mut incoming: Vec<Vec<(usize, u32)>> = vec![Vec::new(); p.services.len()];
    for (i, caller) in p.services.iter().enumerate() {
        for pool in &caller.pools {
            let (to, size) = pool.value;
            incoming[to.index()].push((i, size));
        }
    }
    for (target, s) in p.services.iter().enumerate() {
        let Some(max) = s.max_connections else {
            continue;
        };
        let mut total = 0u64;
        let mut shares = Vec::new();
        let mut allows = s.allows.clone();
        for &(caller, size) in &incoming[target] {
            let caller = &p.services[caller];
            let n = caller.hosts.len() as u64;
            let opened = n.saturating_mul(u64::from(size));
            total = total.saturating_add(opened);
            if shares.len() < 8 {
                shares.push(format!("{} {n} × {size} = {opened}", echo(&caller.name)));
            } else if shares.len() == 8 {
                shares.push("…".to_string());
            }
            allows.extend(caller.allows.iter().copied());
        }
        if total <= max.value as u64 {
            continue;
        }
        let message = format!(
            "`{}` accepts {} connections but the pools to it open {total}: {}",
            echo(&s.name),
            max.value,
            shares.join(", ")
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, max.span, message)
            .with_label("the connection limit");
        out.push(Finding::new(d.with_subject(&s.name), allows));
    }
    out
}
