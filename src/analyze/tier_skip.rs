//! `tier-skip`: a call skips a tier (web calls db directly).

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Hop, Project, ServiceId, TierCoupling, TierId, TierRole};
use crate::source::Span;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "tier-skip",
    severity: Severity::Warning,
    summary: "a call skips a tier (web calls db directly)",
    doc: r#"## What it checks
A `calls` or a flow hop from a service to one two or more levels below
its own skips the tiers of the levels between; calls within a level, and
to the next level down, are fine.

When every tier has a `role`, the levels are the roles: presentation
above application above data, and several tiers may share a role (load
balancers and web servers are both presentation). A `cache` tier stands
beside the data tier: a call into it skips nothing, and an application
tier that calls the data tier past it skips nothing either. Presentation
calling data skips the application tiers (when the file has one).

When no tier has a role, the levels are the declaration order, top to
bottom. A file where only some tiers have a role is judged by declaration
order too: give every tier a role, or none.

## Why
In a 3-tier system each tier talks to the next: the web tier hands
dynamic requests to the application tier, which alone talks to the data
tier with its connection pools and rules. A web server that queries
the database directly bypasses them and couples the presentation to the
schema.

## Example
```topo
tier web { role presentation }
tier ap { role application }
tier db { role data }
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

/// The tier of a service that has one.
pub fn tier_of(p: &Project, s: ServiceId) -> Option<TierId> {
    p.services[s.index()].tier.map(|t| t.value)
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let coupling = TierCoupling::of(&p.tiers);
    let mut out = Vec::new();
    for (from, to, span) in edges(p) {
        let (Some(a), Some(b)) = (tier_of(p, from), tier_of(p, to)) else {
            continue;
        };
        let skipped = coupling.skipped(a, b);
        if skipped.is_empty() {
            continue;
        }
        let mut names: Vec<String> = skipped
            .iter()
            .take(8)
            .map(|t| echo(&p.tiers[t.index()].name))
            .collect();
        if skipped.len() > 8 {
            names.push(format!("… ({} in all)", skipped.len()));
        }
        let (la, lb) = (coupling.level(a), coupling.level(b));
        let message = format!(
            "`{}` ({}) calls `{}` ({}) directly, skipping tier {}",
            echo(&p.services[from.index()].name),
            placed(p, &coupling, a),
            echo(&p.services[to.index()].name),
            placed(p, &coupling, b),
            names.join(", ")
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message)
            .with_label("skips a tier")
            .with_data("from_level", la)
            .with_data("to_level", lb)
            .with_data("skipped", skipped.len());
        out.push(Finding::new(
            d.with_subject(&p.services[from.index()].name),
            p.services[from.index()].allows.clone(),
        ));
    }
    out
}

/// "tier web" in a file without roles, "tier web, presentation" with them:
/// the role is what the level was judged by.
pub fn placed(p: &Project, coupling: &TierCoupling, t: TierId) -> String {
    let tier = &p.tiers[t.index()];
    match tier.role.filter(|_| coupling.by_role) {
        Some(r) => format!(
            "tier {}, {}",
            echo(&tier.name),
            TierRole::ALL
                .iter()
                .find(|(_, x)| *x == r.value)
                .map_or("", |(w, _)| w)
        ),
        None => format!("tier {}", echo(&tier.name)),
    }
}
