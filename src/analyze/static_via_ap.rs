//! `static-via-ap`: a static flow reaches below the presentation tier.

use super::tier_skip::level;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Content, Hop, Project, TierRole};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "static-via-ap",
    severity: Severity::Info,
    summary: "a static flow reaches below the presentation tier",
    doc: r#"## What it checks
A flow with `content static` whose path reaches a service in a tier below
the presentation tier (the first tier with `role presentation`, or the
first tier when none has that role).

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

/// The presentation tier's level: the tier with that role, else the first.
pub fn presentation_level(p: &Project) -> Option<usize> {
    p.tiers
        .iter()
        .find(|t| t.role.is_some_and(|r| r.value == TierRole::Presentation))
        .or(p.tiers.first())
        .map(|t| t.level)
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let Some(top) = presentation_level(p) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in &p.flows {
        if f.content.map(|c| c.value) != Some(Content::Static) {
            continue;
        }
        let deep = f.paths.iter().flatten().find_map(|h| match h.value {
            Hop::Service(s) => level(p, s)
                .filter(|(l, _)| *l > top)
                .map(|(_, tier)| (s, tier, h.span)),
            _ => None,
        });
        let Some((s, tier, span)) = deep else {
            continue;
        };
        let message = format!(
            "static flow `{}` reaches `{}` in tier {tier}, below the presentation tier: static content can stop at the web tier",
            echo(&f.name),
            echo(&p.services[s.index()].name)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message)
            .with_label("below the presentation tier");
        out.push(Finding::new(d.with_subject(&f.name), f.allows.clone()));
    }
    out
}
