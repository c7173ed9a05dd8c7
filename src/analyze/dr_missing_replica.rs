//! `dr-missing-replica`: a stateful service at a site backed by a DR site
//! has no replica there.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, ServiceId, SiteId, SiteRole};
use crate::text::echo;
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
A DR site takes over when the primary is lost; it can take over
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
    let is_dr = |dr: &crate::model::Site| {
        dr.backs.is_some() && dr.role.is_some_and(|r| r.value == SiteRole::Dr)
    };
    if !p.sites.iter().any(is_dr) {
        return out;
    }
    // Each service's sites and replications, computed once for every DR site.
    let sites: Vec<BTreeSet<SiteId>> = (0..p.services.len())
        .map(|i| sites_of(p, ServiceId(i as u32)))
        .collect();
    let mut replicas: Vec<Vec<ServiceId>> = vec![Vec::new(); p.services.len()];
    for r in &p.replications {
        replicas[r.from.value.index()].push(r.to.value);
    }
    for (dr_index, dr) in p.sites.iter().enumerate() {
        let (Some(backs), Some(role)) = (dr.backs, dr.role) else {
            continue;
        };
        if role.value != SiteRole::Dr {
            continue;
        }
        let dr_id = SiteId(dr_index as u32);
        for (i, s) in p.services.iter().enumerate() {
            let id = ServiceId(i as u32);
            if s.stateful.is_none() || !sites[i].contains(&backs.value) {
                continue;
            }
            let replicated = replicas[id.index()]
                .iter()
                .any(|to| sites[to.index()].contains(&dr_id));
            if replicated {
                continue;
            }
            let message = format!(
                "stateful `{}` at `{}` has no replica at `{}`, its DR site",
                echo(&s.name),
                echo(&p.sites[backs.value.index()].name),
                echo(&dr.name)
            );
            let d = Diagnostic::new(RULE.name, RULE.severity, s.span, message)
                .with_label("no `replicate` to the DR site")
                .with_related(dr.span, "the DR site")
                .with_help(format!(
                    "run a replica on hosts at `{}` and declare `replicate {} to REPLICA {{ mode async; rpo 5m }}`",
                    echo(&dr.name), echo(&s.name)
                ));
            out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
        }
    }
    out
}
