//! `dr-missing-replica`: a stateful service at a site backed by a DR site
//! has no replica there.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, ServiceId, SiteId, SiteRole};
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    name: "dr-missing-replica",
    severity: Severity::Warning,
    summary: "a stateful service at a site backed by a DR site has no replica there",
    doc: r#"## What it checks
For every site that another site backs (`site osaka { role dr; backs
tokyo }`), every `stateful` service with instances at the backed site
needs a `replicate` to a service with instances at the DR site.

## Why
A DR site takes over when the primary is lost (C11); it can take over
only the data it has. Servers and services can be rebuilt there, data
cannot: it must be synchronised continuously.

## Example
```topo
site tokyo { role primary }
site osaka { role dr; backs tokyo }
service erp-db on db1 db2 { stateful }   # at tokyo, with no replicate
```

## Fix
Run a replica at the DR site and declare it:
`replicate erp-db to erp-db-dr { mode async; rpo 5m; rto 30m }`.
"#,
    check: Some(check),
};

/// The sites a service has instances at.
pub fn sites_of(p: &Project, s: ServiceId) -> BTreeSet<SiteId> {
    p.services[s.index()]
        .hosts
        .iter()
        .filter_map(|h| p.host_device(h.value))
        .filter_map(|d| p.devices[d.index()].site)
        .collect()
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for dr in &p.sites {
        let (Some(backs), Some(role)) = (dr.backs, dr.role) else {
            continue;
        };
        if role.value != SiteRole::Dr {
            continue;
        }
        let dr_id = p
            .sites
            .iter()
            .position(|s| std::ptr::eq(s, dr))
            .map(|i| SiteId(i as u32));
        let Some(dr_id) = dr_id else { continue };
        for (i, s) in p.services.iter().enumerate() {
            let id = ServiceId(i as u32);
            if s.stateful.is_none() || !sites_of(p, id).contains(&backs.value) {
                continue;
            }
            let replicated = p
                .replications
                .iter()
                .any(|r| r.from.value == id && sites_of(p, r.to.value).contains(&dr_id));
            if replicated {
                continue;
            }
            let message = format!(
                "stateful `{}` at `{}` has no replica at `{}`, its DR site",
                s.name,
                p.sites[backs.value.index()].name,
                dr.name
            );
            let d = Diagnostic::new(RULE.name, RULE.severity, s.span, message)
                .with_label("no `replicate` to the DR site")
                .with_related(dr.span, "the DR site")
                .with_help(format!(
                    "run a replica on hosts at `{}` and declare `replicate {} to REPLICA {{ mode async; rpo 5m }}`",
                    dr.name, s.name
                ));
            out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
        }
    }
    out
}
