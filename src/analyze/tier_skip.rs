//! `tier-skip`: a call skips a tier (web calls db directly).

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Hop, Project, ServiceId};
use crate::source::Span;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "tier-skip",
    severity: Severity::Warning,
    summary: "a call skips a tier (web calls db directly)",
    doc: r#"## What it checks
Tiers are levels in the order they are declared. A `calls` or a flow hop
from a service of level i to one of level i + 2 or below skips a tier.
Calls within a tier, and to the next tier down, are fine.

## Why
In a 3-tier system each tier talks to the next: the web tier hands
dynamic requests to the application tier, which alone talks to the data
tier with its connection pools and rules. A web server that queries
the database directly bypasses them and couples the presentation to the
schema.

## Example
```topo
tier web; tier ap; tier db
service shop-web on web1 { tier web; calls shop-db }
```

## Fix
Route the call through the application tier, or, if the middle tier is not
needed here, reconsider the tiers.
"#,
    check: Some(check),
};

/// Every service-to-service edge (`calls` and consecutive flow hops), once
/// per pair, at its first occurrence.
pub fn edges(p: &Project) -> Vec<(ServiceId, ServiceId, Span)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, s) in p.services.iter().enumerate() {
        for c in &s.calls {
            if seen.insert((ServiceId(i as u32), c.value)) {
                out.push((ServiceId(i as u32), c.value, c.span));
            }
        }
    }
    for f in &p.flows {
        for path in &f.paths {
            for pair in path.windows(2) {
                if let (Hop::Service(a), Hop::Service(b)) = (pair[0].value, pair[1].value) {
                    if seen.insert((a, b)) {
                        out.push((a, b, pair[1].span));
                    }
                }
            }
        }
    }
    out
}

/// (level, tier name) of a service with a tier.
pub fn level(p: &Project, s: ServiceId) -> Option<(usize, &str)> {
    let t = p.services[s.index()].tier?;
    let tier = &p.tiers[t.value.index()];
    Some((tier.level, tier.name.as_str()))
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for (from, to, span) in edges(p) {
        let (Some((a, a_tier)), Some((b, b_tier))) = (level(p, from), level(p, to)) else {
            continue;
        };
        if b <= a + 1 {
            continue;
        }
        let skipped: Vec<&str> = p.tiers[a + 1..b].iter().map(|t| t.name.as_str()).collect();
        let message = format!(
            "`{}` (tier {a_tier}) calls `{}` (tier {b_tier}) directly, skipping tier {}",
            echo(&p.services[from.index()].name),
            echo(&p.services[to.index()].name),
            skipped.join(", ")
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message).with_label("skips a tier");
        out.push(Finding::new(
            d.with_subject(&p.services[from.index()].name),
            p.services[from.index()].allows.clone(),
        ));
    }
    out
}
