//! `vm-failover`: a vm fails over to its own host, or to one in the same rack.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "vm-failover",
    severity: Severity::Error,
    summary: "a vm fails over to its own host (error) or to a host in the same rack (warning)",
    doc: r#"## What it checks
Each vm's `failover` host against its host: the same host is an error, a
host in the same rack a warning.

## Why
VM failover restarts the vm elsewhere when its host fails. A
failover target on the same host is no target; one in the same rack goes
down with the host whenever the rack does.

## Example
```topo
vm app1 on host1 { failover host2 }   # host1 and host2 both in rack r1
```

## Fix
Fail over to a host in another rack, on other feeds.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for v in &p.vms {
        let (Some(host), Some(failover)) = (v.host, v.failover) else {
            continue;
        };
        let (h, f) = (
            &p.devices[host.value.index()],
            &p.devices[failover.value.index()],
        );
        let (severity, message) = if host.value == failover.value {
            (
                RULE.severity,
                format!(
                    "vm `{}` fails over to its own host `{}`",
                    echo(&v.name),
                    echo(&h.name)
                ),
            )
        } else {
            match (h.placement, f.placement) {
                (Some(a), Some(b)) if a.rack == b.rack => (
                    Severity::Warning,
                    format!(
                        "vm `{}` fails over from `{}` to `{}`, both in rack `{}`: the rack takes both down",
                        echo(&v.name),
                        echo(&h.name),
                        echo(&f.name),
                        echo(&p.racks[a.rack.index()].name)
                    ),
                ),
                _ => continue,
            }
        };
        let d = Diagnostic::new(RULE.name, severity, failover.span, message)
            .with_label("failover host")
            .with_related(host.span, "host");
        out.push(Finding::new(d.with_subject(&v.name), v.allows.clone()));
    }
    out
}
