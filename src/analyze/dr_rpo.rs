//! `dr-rpo`: a recovery target no replication mode can meet.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ReplicationMode;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "dr-rpo",
    severity: Severity::Error,
    summary: "a replication target no mode can meet (async with rpo 0, rto 0)",
    doc: r#"## What it checks
`replicate` targets against their mode: asynchronous replication with
`rpo 0s`, and an `rto` of zero, which no mode meets.

## Why
Asynchronous replication acknowledges a write before the replica has it:
whatever was in flight when the primary site is lost is gone, so its
recovery point is never zero. Only synchronous replication gives `rpo 0s`,
at the cost of write latency. Taking over always takes some time.

## Example
```topo
replicate erp-db to erp-db-dr { mode async; rpo 0s }
```

## Fix
Use `mode sync` where no write may be lost, or accept a recovery point of
seconds to minutes (`rpo 30s`); state the recovery time the failover really
takes.
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
    out
}
