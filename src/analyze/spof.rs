//! `spof`: one element's failure stops a flow.

use super::failure::{describe, reason_texts, Candidate};
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AllowId, FlowId, Project};
use crate::text::echo;
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    name: "spof",
    severity: Severity::Warning,
    summary: "one element's failure alone stops a flow",
    doc: r#"## What it checks
Every element that can fail (device, vm, rack, feed, power source, fault
domain, and site when the project has more than one) is failed alone, and
every flow is followed end to end, hop by hop: each hop needs enough
*serving* instances — up instances that outside traffic reaches (through
the site's `entry` devices where it declares them) or, where the project
declares links, that a serving instance of the hop before reaches. For
`ha active-standby` only the active member (the first one up) serves, even
when it is cut off (a partition is not a failover); for `ha quorum` only
members that a majority leader reaches; a sharded service needs a serving
instance for every shard (host j holds shard j mod N). The entry hop needs
a `dns` that resolves it. A feed fails with
its site and the power source it draws `from`, and a source with its site
and its own `from`, up the tree. A device fails with its rack, its site and
every `fault-domain` holding it or its rack, and loses power when every feed
its power supplies connect to fails: the feeds it names with `feeds`, else
the first N of its rack's with `psu N`, else all of its rack's (a rack
without feeds takes nothing down by power). A vm fails with a fault domain
holding it, and with its host unless its failover host is up; an instance
with its `storage`. A `redundant` device is not a candidate itself (its single
parts are `redundant-part`). One finding per element names every flow it
stops and, for each, every reason: each service (or shard, or quorum) on
its path that the element takes down, the `dns` of its entry, the network
path it cuts, or the active member it cuts off (past three reasons, "and N
more"). A site whose DR site takes a flow
over (its stopped services replaced by their `takes-over` services or
replicas there, and the flow works again) stops that flow only until the
take-over: `dr-failover` reports it instead.

## Why
In a distributed system the failure of one small part must be contained:
HA pairs, dual feeds and dual switches exist so that no single
failure stops a request path. A design that still has a single
point of failure has it where nobody looked: both DB servers in one rack,
one ToR switch, one feed.

## Example
```topo
server db[1..2] : r750 { rack r1 at U20 }   # both in rack r1
service shop-db on db1 db2 { ha active-standby }
flow checkout { browser -> shop-web -> shop-db }
```
Rack `r1` stops `checkout`: every instance of `shop-db` fails with it.

## Fix
Spread the instances over racks, feeds and switches, give racks a second
feed from a second UPS and servers a second PSU, cable every server to two
switches, and keep a pair out of one fault domain. Where a
single point is accepted, say so with `allow spof` on the element, or on
the flow.
"#,
    check: Some(check),
};

pub fn element_allows(p: &Project, c: Candidate) -> Vec<AllowId> {
    match c {
        Candidate::Device(d) => p.devices[d.index()].allows.clone(),
        Candidate::Vm(v) => p.vms[v.index()].allows.clone(),
        Candidate::Rack(r) => p.racks[r.index()].allows.clone(),
        Candidate::Feed(f) => p.feeds[f.index()].allows.clone(),
        Candidate::Site(s) => p.sites[s.index()].allows.clone(),
        Candidate::Power(x) => p.powers[x.index()].allows.clone(),
        Candidate::FaultDomain(x) => p.fault_domains[x.index()].allows.clone(),
    }
}

/// Reasons named per flow before "and N more".
const REASONS: usize = 3;
/// Flows given a related span before "and N more".
const RELATED: usize = 8;

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let f = cx.failures();
    let mut stops: BTreeMap<Candidate, Vec<(FlowId, Vec<String>)>> = BTreeMap::new();
    let mut out = Vec::new();
    for i in 0..p.flows.len() {
        let flow = FlowId(i as u32);
        let flow_allows = &p.flows[i].allows;
        let allowed = flow_allows
            .iter()
            .any(|a| p.allows[a.index()].rule == RULE.name);
        for (c, reason) in f.flow_stoppers(flow) {
            // A site whose DR site takes the flow over reports it as
            // `dr-failover` instead.
            if f.dr_recovers(c, flow) {
                continue;
            }
            if allowed {
                // The flow accepts its single points: a finding its own
                // `allow spof` silences, so the allow counts as used.
                let d = Diagnostic::new(RULE.name, RULE.severity, p.flows[i].span, "");
                out.push(Finding::new(d, flow_allows.clone()));
                continue;
            }
            stops
                .entry(c)
                .or_default()
                .push((flow, reason_texts(p, reason)));
        }
    }
    for (c, flows) in stops {
        let parts: Vec<String> = flows
            .iter()
            .map(|(flow, why)| {
                format!(
                    "flow `{}` ({})",
                    echo(&p.flows[flow.index()].name),
                    cut(why, REASONS)
                )
            })
            .collect();
        let message = format!(
            "{} is a single point of failure: it stops {}",
            describe(p, c),
            parts.join("; ")
        );
        let mut d = Diagnostic::new(RULE.name, RULE.severity, p.span_of(c.element()), message)
            .with_label("fails alone");
        for (k, (flow, _)) in flows.iter().take(RELATED).enumerate() {
            let name = echo(&p.flows[flow.index()].name);
            // The last span shown says how many flows have none.
            let more = flows.len().saturating_sub(RELATED);
            let text = if k + 1 == RELATED && more > 0 {
                format!("flow `{name}` stops (and {more} more flows)")
            } else {
                format!("flow `{name}` stops")
            };
            d = d.with_related(p.flows[flow.index()].span, text);
        }
        // Every flow, not just those the message names before "and N more".
        let names: Vec<&str> = flows
            .iter()
            .map(|(flow, _)| p.flows[flow.index()].name.as_str())
            .collect();
        let d = d
            .with_data("flows", names)
            .with_data("element_kind", p.kind_of(c.element()));
        out.push(Finding::new(
            d.with_subject(p.name_of(c.element())),
            element_allows(p, c),
        ));
    }
    out
}

/// "a, b, c, and 2 more"
fn cut(items: &[String], most: usize) -> String {
    if items.len() <= most {
        return items.join(", ");
    }
    format!(
        "{}, and {} more",
        items[..most].join(", "),
        items.len() - most
    )
}
