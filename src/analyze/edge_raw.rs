//! `edge-raw`: an edge site sends raw content to the center.

use super::edge_uplink::leaving_by_site;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Content, SiteRole};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "edge-raw",
    severity: Severity::Info,
    summary: "an edge site sends raw content to the center",
    doc: r#"## What it checks
Flows with `content raw` that leave a site with `role edge` (a hop from a
service at the site to one outside it).

## Why
The point of edge computing is to process near the source and send only
results. Raw data leaving the edge uses the uplink for what the edge
could have reduced, and puts the processing back in the center.

## Example
```topo
flow sensors { plant-agg -> ingest; content raw; rate 80Mb/s }
```

## Fix
Process at the edge and send `content results`, or accept it where the
center must see raw data.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    if !p
        .sites
        .iter()
        .any(|s| s.role.map(|r| r.value) == Some(SiteRole::Edge))
    {
        return out;
    }
    let leaving = leaving_by_site(p);
    for (i, site) in p.sites.iter().enumerate() {
        if site.role.map(|r| r.value) != Some(SiteRole::Edge) {
            continue;
        }
        for &f in &leaving[i] {
            let flow = &p.flows[f.index()];
            let Some(content) = flow.content.filter(|c| c.value == Content::Raw) else {
                continue;
            };
            let message = format!(
                "flow `{}` sends raw content from edge site `{}` to the center: process it there and send results",
                echo(&flow.name), echo(&site.name)
            );
            let d =
                Diagnostic::new(RULE.name, RULE.severity, content.span, message).with_label("raw");
            out.push(Finding::new(
                d.with_subject(&flow.name),
                flow.allows.iter().chain(&site.allows).copied().collect(),
            ));
        }
    }
    out
}
