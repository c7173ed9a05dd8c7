//! `tier-upcall`: a call goes from a lower tier to a higher one.

use super::tier_skip::{edges, level};
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "tier-upcall",
    severity: Severity::Error,
    summary: "a call goes from a lower tier to a higher one",
    doc: r#"## What it checks
A `calls` or a flow hop from a service to one in a tier declared above its
own (the data tier calling the web tier).

## Why
Requests flow down the tiers and responses come back the same way. A
lower tier that calls up creates a cycle: a failure or a slowdown in
one tier now feeds back into the tier that depends on it, and neither can
be scaled or restarted on its own.

## Example
```topo
service shop-db on db1 { tier db; calls shop-web }
```

## Fix
Reverse the dependency: let the upper tier poll or subscribe, or move the
logic into the lower tier.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for (from, to, span) in edges(p) {
        let (Some((a, a_tier)), Some((b, b_tier))) = (level(p, from), level(p, to)) else {
            continue;
        };
        if b >= a {
            continue;
        }
        let message = format!(
            "`{}` (tier {a_tier}) calls `{}` (tier {b_tier}), a tier above its own",
            echo(&p.services[from.index()].name),
            echo(&p.services[to.index()].name)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message).with_label("calls upward");
        out.push(Finding::new(
            d.with_subject(&p.services[from.index()].name),
            p.services[from.index()].allows.clone(),
        ));
    }
    out
}
