//! `cdn-origin`: a CDN's origin is not in the presentation tier.

use super::tier_skip::{placed, tier_of};
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{TierCoupling, TierId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "cdn-origin",
    severity: Severity::Error,
    summary: "a CDN's origin is not a service of the presentation tier",
    doc: r#"## What it checks
A `cdn`'s `origin` must be a service in a presentation tier: any tier with
`role presentation` (a load-balancer tier and a web tier both are), or,
when no tier has that role, a tier of the top level (the first tier
declared; in a file whose tiers all have roles, the highest role present).

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
    let coupling = TierCoupling::of(&p.tiers);
    let mut out = Vec::new();
    for cdn in &p.cdns {
        let Some(origin) = cdn.origin else { continue };
        let Some(t) = tier_of(p, origin.value) else {
            continue;
        };
        if coupling.is_presentation(t) {
            continue;
        }
        let presentation: Vec<String> = p
            .tiers
            .iter()
            .enumerate()
            .filter(|(i, _)| coupling.is_presentation(TierId(*i as u32)))
            .take(8)
            .map(|(_, tier)| echo(&tier.name))
            .collect();
        let message = format!(
            "cdn `{}` fetches from `{}` in {}; its origin belongs in a presentation tier ({})",
            echo(&cdn.name),
            echo(&p.services[origin.value.index()].name),
            placed(p, &coupling, t),
            presentation.join(", ")
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, origin.span, message)
            .with_label("not presentation")
            .with_data("level", coupling.level(t))
            .with_data("presentation_level", coupling.presentation_floor());
        out.push(Finding::new(d.with_subject(&cdn.name), cdn.allows.clone()));
    }
    out
}
