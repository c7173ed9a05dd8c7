//! `unreachable`: consecutive hops of a flow have no network path.

use super::failure::name_list;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, ServiceId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "unreachable",
    severity: Severity::Error,
    summary: "consecutive hops of a flow have no network path between their instances",
    doc: r#"## What it checks
Where the project declares any `link`, every pair of consecutive service
hops of a flow needs a path of links between some instance of the one and
some instance of the other, with nothing failed. Instances run on their
hosts (a vm on its host); clients and CDNs sit outside and reach every entry
point.

## Why
A request path is only as real as the cables under it. A service
placed on a server nobody cabled, or on a switch island, cannot be reached,
however many instances it has.

## Example
```topo
link web[1..2] to tor1 { speed 25GbE }
link db1 to tor2 { speed 25GbE }             # tor2 is not joined to tor1
flow checkout { browser -> shop-web -> shop-db }
```

## Fix
Cable the hosts to the switches that join the tiers, and the switches to
each other.
"#,
    check: Some(check),
};

fn hosts(p: &Project, s: ServiceId) -> String {
    name_list(
        p.services[s.index()]
            .hosts
            .iter()
            .map(|h| p.host_name(h.value)),
        4,
    )
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    cx.failures()
        .unreachable
        .iter()
        .map(|u| {
            let flow = &p.flows[u.flow.index()];
            let (from, to) = (&p.services[u.from.index()], &p.services[u.to.index()]);
            let message = format!(
                "flow `{}`: no network path from `{}` ({}) to `{}` ({})",
                echo(&flow.name),
                echo(&from.name),
                hosts(p, u.from),
                echo(&to.name),
                hosts(p, u.to)
            );
            let hop = flow.paths[u.path][u.step].span;
            let d = Diagnostic::new(RULE.name, RULE.severity, hop, message).with_label(format!(
                "`{}` cannot reach `{}`",
                echo(&from.name),
                echo(&to.name)
            ));
            Finding::new(d.with_subject(&flow.name), flow.allows.clone())
        })
        .collect()
}
