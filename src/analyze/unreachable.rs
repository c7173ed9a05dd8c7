//! `unreachable`: consecutive hops of a flow, or a host and its service's
//! storage, have no network path.

use super::failure::name_list;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, ServiceId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "unreachable",
    severity: Severity::Error,
    summary:
        "consecutive hops of a flow, a host and its service's storage, or a replication's ends have no network path",
    doc: r#"## What it checks
Where the project declares any `link`, with nothing failed:
- every pair of consecutive service hops of a flow needs a path of
  **Ethernet** links between some instance of the one and some instance of
  the other (requests between services never cross Fibre Channel);
- every host of a service with `storage` needs a path to the storage
  device over **Ethernet or Fibre Channel** (one or the other: no path
  mixes them). A host without one runs an instance that is never up, and
  the finding names it;
- every `replicate A to B` needs an **Ethernet** path between a host of
  `A` and a host of `B` (replication is IP traffic, never Fibre Channel).

A link's medium is its speed's unit: `GFC` is Fibre Channel; `GbE`, bits
per second, bytes per second and a link without `speed` are Ethernet (a
cable nobody calls Fibre Channel is read as the data network). Only a
`switch`, `router`, `firewall` or `lb` carries traffic between its links;
a server, storage array, PDU or other device may start or end a path but
never lies in the middle of one, so a dual-homed server does not join two
switches. Instances run on their hosts (a vm on its host); clients and
CDNs sit outside and reach every entry point.

## Why
A request path is only as real as the cables under it. A service
placed on a server nobody cabled, or on a switch island, cannot be reached,
however many instances it has; a database whose hosts have no cable to its
array has no data.

## Example
```topo
link web[1..2] to tor1 { speed 25GbE }
link db1 to tor2 { speed 25GbE }             # tor2 is not joined to tor1
link mon1 to tor1 tor2 { speed 1GbE }        # a server: it does not forward
flow checkout { browser -> shop-web -> shop-db }
```

## Fix
Cable the hosts to the switches that join the tiers, and the switches to
each other; cable database hosts to the storage fabric.
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
    let f = cx.failures();
    let hops = f.unreachable.iter().map(|u| {
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
    });
    let storage = f.no_storage.iter().filter_map(|n| {
        let s = &p.services[n.service.index()];
        let span = s.storage?.span;
        let array = &p.devices[n.storage.index()].name;
        let cut = name_list(n.hosts.iter().map(|h| p.host_name(*h)), 4);
        let message = format!(
            "`{}`: no network path from {} of its {} hosts ({cut}) to its storage `{}` over Ethernet or Fibre Channel; {} never up",
            echo(&s.name),
            n.hosts.len(),
            s.hosts.len(),
            echo(array),
            if n.hosts.len() == 1 { "that instance is" } else { "those instances are" }
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message)
            .with_label(format!("`{}` cannot reach `{}`", echo(&s.name), echo(array)));
        Some(Finding::new(d.with_subject(&s.name), s.allows.clone()))
    });
    let replications = f.replication_unreachable.iter().map(|&r| {
        let r = &p.replications[r.index()];
        let (from, to) = (r.from.value, r.to.value);
        let message = format!(
            "replication of `{}` ({}) to `{}` ({}): no Ethernet path between their hosts",
            echo(&p.services[from.index()].name),
            hosts(p, from),
            echo(&p.services[to.index()].name),
            hosts(p, to)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, r.span, message).with_label(format!(
            "`{}` cannot reach `{}`",
            echo(&p.services[from.index()].name),
            echo(&p.services[to.index()].name)
        ));
        Finding::new(
            d.with_subject(&p.services[from.index()].name),
            r.allows.clone(),
        )
    });
    hops.chain(storage).chain(replications).collect()
}
