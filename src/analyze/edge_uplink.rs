//! `edge-uplink`: flows leaving an edge site exceed its uplink.

use super::dr_missing_replica::sites_of;
use super::{overflow, times, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{BytesPerSecond, FlowRate};
use crate::model::{FlowId, Hop, Project, ServiceId, SiteId, SiteRole};
use crate::text::echo;
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    name: "edge-uplink",
    severity: Severity::Error,
    summary: "flows leaving an edge site exceed its uplink",
    doc: r#"## What it checks
For every site with `role edge` and an `uplink`, the flows with a hop from
a service at the site to a service outside it, summed by their `rate`
(bandwidth rates; a request rate has no bandwidth to add), against the
uplink.

## Why
Edge computing processes data near its source and sends only results to
the center, because the link to the center is narrow and costly. A
design that sends more than the uplink carries loses data or stalls the
edge.

## Example
```topo
site plant7 { role edge; upstream hq; uplink 200Mb/s }
flow video { camera-agg -> ingest; content raw; rate 400Mb/s }   # 2× the uplink
```

## Fix
Process at the edge and send results (`content results`), compress, or
buy a wider uplink.
"#,
    check: Some(check),
};

/// Flows that go from a service at `site` to one outside it.
/// For each site, the flows that leave it: a hop from a service with an
/// instance at the site to one with none there. One pass over the flows,
/// with each service's sites computed once.
pub fn leaving_by_site(p: &Project) -> Vec<Vec<FlowId>> {
    let sites: Vec<BTreeSet<SiteId>> = (0..p.services.len())
        .map(|s| sites_of(p, ServiceId(s as u32)))
        .collect();
    let mut out = vec![Vec::new(); p.sites.len()];
    for (i, flow) in p.flows.iter().enumerate() {
        let mut left = BTreeSet::new();
        for path in &flow.paths {
            for pair in path.windows(2) {
                if let (Hop::Service(a), Hop::Service(b)) = (pair[0].value, pair[1].value) {
                    left.extend(sites[a.index()].difference(&sites[b.index()]).copied());
                }
            }
        }
        for site in left {
            out[site.index()].push(FlowId(i as u32));
        }
    }
    out
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    let wanted = p
        .sites
        .iter()
        .any(|s| s.uplink.is_some() && s.role.is_some_and(|r| r.value == SiteRole::Edge));
    if !wanted {
        return out;
    }
    let leaving = leaving_by_site(p);
    for (i, site) in p.sites.iter().enumerate() {
        let (Some(role), Some(uplink)) = (site.role, site.uplink) else {
            continue;
        };
        if role.value != SiteRole::Edge {
            continue;
        }
        let flows: Vec<(FlowId, BytesPerSecond)> = leaving[i]
            .iter()
            .copied()
            .filter_map(|f| match p.flows[f.index()].rate.map(|r| r.value) {
                Some(FlowRate::Bandwidth(b)) => Some((f, b)),
                _ => None,
            })
            .collect();
        let total: BytesPerSecond = flows.iter().map(|(_, b)| *b).sum();
        if !total.get().is_finite() {
            let what = format!(
                "the rates of the flows leaving edge site `{}`",
                echo(&site.name)
            );
            out.push(overflow(
                uplink.span,
                &what,
                &site.name,
                site.allows.clone(),
            ));
            continue;
        }
        if total <= uplink.value {
            continue;
        }
        let mut parts: Vec<String> = flows
            .iter()
            .take(8)
            .map(|(f, b)| {
                format!(
                    "{} {}",
                    echo(&p.flows[f.index()].name),
                    BytesPerSecond::bits_text(b)
                )
            })
            .collect();
        if flows.len() > 8 {
            parts.push(format!("… ({} flows in all)", flows.len()));
        }
        let message = format!(
            "edge site `{}` sends {} ({}) over a {} uplink ({} over)",
            echo(&site.name),
            BytesPerSecond::bits_text(&total),
            parts.join(" + "),
            BytesPerSecond::bits_text(&uplink.value),
            times(total / uplink.value)
        );
        let mut d = Diagnostic::new(RULE.name, RULE.severity, uplink.span, message)
            .with_label("the uplink");
        for (f, _) in flows.iter().take(8) {
            d = d.with_related(p.flows[f.index()].span, "leaves the site");
        }
        out.push(Finding::new(
            d.with_subject(&site.name),
            site.allows.clone(),
        ));
    }
    out
}
