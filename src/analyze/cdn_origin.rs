//! `cdn-origin`: a CDN's origin is not in the presentation tier.

use super::static_via_ap::presentation_level;
use super::tier_skip::level;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "cdn-origin",
    severity: Severity::Error,
    summary: "a CDN's origin is not a service of the presentation tier",
    doc: r#"## What it checks
A `cdn`'s `origin` must be a service in the presentation tier (the tier
with `role presentation`, or the first tier when none has that role).

## Why
A CDN keeps copies of large static content near the users and fetches
misses from its origin: the web tier, which serves static files. An
origin in the application or data tier exposes inner tiers to the internet
and sends cache misses through the AP servers.

## Example
```topo
cdn assets { origin shop-ap }   # shop-ap is in the application tier
```

## Fix
Point the CDN at the web tier: `origin shop-web`.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let Some(top) = presentation_level(p) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for cdn in &p.cdns {
        let Some(origin) = cdn.origin else { continue };
        let Some((l, tier)) = level(p, origin.value) else {
            continue;
        };
        if l == top {
            continue;
        }
        let message = format!(
            "cdn `{}` fetches from `{}` in tier {tier}; its origin belongs in the presentation tier ({})",
            echo(&cdn.name),
            echo(&p.services[origin.value.index()].name),
            echo(&p.tiers[top].name)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, origin.span, message)
            .with_label("not presentation");
        out.push(Finding::new(d.with_subject(&cdn.name), cdn.allows.clone()));
    }
    out
}
