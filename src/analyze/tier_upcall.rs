//! `tier-upcall`: a call goes from a lower tier to a higher one.

use super::tier_skip::{edges, placed, tier_of};
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::TierCoupling;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "tier-upcall",
    severity: Severity::Error,
    summary: "a call goes from a lower tier to a higher one",
    doc: r#"## What it checks
A `calls` or a flow hop from a service to one in a tier of a higher level
than its own (the data tier calling the web tier).

When every tier has a `role`, the levels are the roles: presentation
above application above data, with a `cache` tier beside the data tier.
Tiers of one role are one level, so a load-balancer tier calling a web
tier (both presentation) is not an upcall, in either direction. When no
tier has a role, or only some do, the levels are the declaration order.

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
    let coupling = TierCoupling::of(&p.tiers);
    let mut out = Vec::new();
    for (from, to, span) in edges(p) {
        let (Some(a), Some(b)) = (tier_of(p, from), tier_of(p, to)) else {
            continue;
        };
        if !coupling.is_upcall(a, b) {
            continue;
        }
        let message = format!(
            "`{}` ({}) calls `{}` ({}), a tier above its own",
            echo(&p.services[from.index()].name),
            placed(p, &coupling, a),
            echo(&p.services[to.index()].name),
            placed(p, &coupling, b)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message)
            .with_label("calls upward")
            .with_data("from_level", coupling.level(a))
            .with_data("to_level", coupling.level(b));
        out.push(Finding::new(
            d.with_subject(&p.services[from.index()].name),
            p.services[from.index()].allows.clone(),
        ));
    }
    out
}
