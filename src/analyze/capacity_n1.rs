//! `capacity-n1`: after losing one instance, the rest cannot carry the load.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "capacity-n1",
    severity: Severity::Warning,
    summary: "after losing one instance, the others cannot carry the service's load",
    doc: r#"## What it checks
For a service with a total `load` and a per-instance `capacity`, whether
the instances left after losing one (N-1) still carry the load. It applies
to `ha active-active` pairs alike: one survivor must carry both loads.

## Why
Spare capacity is what turns a failure into a non-event. Instances
sized for the average load all run hot; when one dies, the others are
overloaded and the outage spreads instead of being contained.

## Example
```topo
service shop-web on web[1..3] { load 2500rps; capacity 1000rps }
```
After losing one instance, 2 × 1000 rps = 2000 rps remain for 2500 rps.

## Fix
Add instances, or raise the capacity of each (bigger hosts, more workers).
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for (i, s) in p.services.iter().enumerate() {
        let (Some(load), Some(capacity)) = (s.load, s.capacity) else {
            continue;
        };
        let n = s.hosts.len();
        if n == 0 {
            continue;
        }
        let all = capacity.value * n as f64;
        let rest = capacity.value * (n - 1) as f64;
        let message = if all < load.value {
            format!(
                "`{}` needs {}: even with all {n} instances up, {n} × {} = {} is short",
                echo(&s.name),
                load.value,
                capacity.value,
                all
            )
        } else if rest < load.value {
            format!(
                "`{}` needs {}: after losing one of its {n} instances, {} × {} = {} remain",
                echo(&s.name),
                load.value,
                n - 1,
                capacity.value,
                rest
            )
        } else {
            continue;
        };
        // Instances the load needs, as the failure model counts them; null
        // for a capacity of zero, which no count of instances carries.
        let needed = (capacity.value.get() > 0.0).then(|| {
            crate::analyze::failure::instances_needed(p, crate::model::ServiceId(i as u32), None)
        });
        let d = Diagnostic::new(RULE.name, RULE.severity, load.span, message)
            .with_label("the load")
            .with_related(capacity.span, "capacity of one instance")
            .with_data("load", load.value.get())
            .with_data("capacity", capacity.value.get())
            .with_data("unit", "rps")
            .with_data("instances", n)
            .with_data("needed", needed);
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}
