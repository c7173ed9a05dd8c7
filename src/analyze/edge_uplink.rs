//! `edge-uplink`: flows leaving an edge site exceed its uplink.

use super::dr_missing_replica::sites_of;
use super::{times, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{BytesPerSecond, FlowRate};
use crate::model::{FlowId, Hop, Project, SiteId, SiteRole};

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
the center (C9), because the link to the center is narrow and costly. A
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
pub fn leaving(p: &Project, site: SiteId) -> Vec<FlowId> {
    let at = |s| sites_of(p, s).contains(&site);
    (0..p.flows.len())
        .map(|i| FlowId(i as u32))
        .filter(|f| {
            p.flows[f.index()].paths.iter().any(|path| {
                path.windows(2)
                    .any(|pair| match (pair[0].value, pair[1].value) {
                        (Hop::Service(a), Hop::Service(b)) => at(a) && !at(b),
                        _ => false,
                    })
            })
        })
        .collect()
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for (i, site) in p.sites.iter().enumerate() {
        let (Some(role), Some(uplink)) = (site.role, site.uplink) else {
            continue;
        };
        if role.value != SiteRole::Edge {
            continue;
        }
        let flows: Vec<(FlowId, BytesPerSecond)> = leaving(p, SiteId(i as u32))
            .into_iter()
            .filter_map(|f| match p.flows[f.index()].rate.map(|r| r.value) {
                Some(FlowRate::Bandwidth(b)) => Some((f, b)),
                _ => None,
            })
            .collect();
        let total: BytesPerSecond = flows.iter().map(|(_, b)| *b).sum();
        if total <= uplink.value {
            continue;
        }
        let parts: Vec<String> = flows
            .iter()
            .map(|(f, b)| {
                format!(
                    "{} {}",
                    p.flows[f.index()].name,
                    BytesPerSecond::bits_text(b)
                )
            })
            .collect();
        let message = format!(
            "edge site `{}` sends {} ({}) over a {} uplink ({} over)",
            site.name,
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
