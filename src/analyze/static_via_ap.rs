//! `static-via-ap`: a static flow reaches below the presentation tier.

use super::tier_skip::{placed, tier_of};
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Content, Hop, TierCoupling};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "static-via-ap",
    severity: Severity::Info,
    summary: "a static flow reaches below the presentation tier",
    doc: r#"## What it checks
A flow with `content static` whose path reaches a service in a tier below
the presentation tiers: every tier with `role presentation` counts (load
balancers and web servers both are), and when no tier has that role the
tiers of the top level do (the first tier declared). When every tier has a
role, the levels are the roles; otherwise the declaration order.

## Why
Not every request needs the AP or DB servers: static content (images,
style sheets, scripts) is served by the web server from its disk, or by a
CDN. Sending it through the application tier spends AP threads and
pool connections on work the web tier does better.

## Example
```topo
flow images { browser -> shop-web -> shop-ap; content static }
```

## Fix
Serve static content from the web tier or a CDN, and end the flow there.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let coupling = TierCoupling::of(&p.tiers);
    let Some(floor) = coupling.presentation_floor() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in &p.flows {
        if f.content.map(|c| c.value) != Some(Content::Static) {
            continue;
        }
        let deep = f.paths.iter().flatten().find_map(|h| match h.value {
            Hop::Service(s) => tier_of(p, s)
                .filter(|&t| !coupling.is_presentation(t) && coupling.level(t) > floor)
                .map(|t| (s, t, h.span)),
            _ => None,
        });
        let Some((s, t, span)) = deep else {
            continue;
        };
        let message = format!(
            "static flow `{}` reaches `{}` in {}, below the presentation tier: static content can stop at the web tier",
            echo(&f.name),
            echo(&p.services[s.index()].name),
            placed(p, &coupling, t)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message)
            .with_label("below the presentation tier")
            .with_data("level", coupling.level(t))
            .with_data("presentation_level", floor);
        out.push(Finding::new(d.with_subject(&f.name), f.allows.clone()));
    }
    out
}
