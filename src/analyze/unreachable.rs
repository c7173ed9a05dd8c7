//! `unreachable`: consecutive hops of a flow, or a host and its service's
//! storage, have no network path.

use super::failure::{entry_text, is_quorum, name_list};
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
- every hop of a flow needs enough *serving* instances: up instances that
  a serving instance of the previous hop reaches over **Ethernet** links
  (requests between services never cross Fibre Channel). For
  `ha active-standby` that is the active member (the first one up): a
  standby that the callers reach does not help while the active member is
  up but cut off. The first hop after a client or CDN is reached from
  outside: directly, or where the site declares `entry` devices, over a
  path from an entry device;
- the members of an `ha quorum` service need one member that reaches more
  than half of them;
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
CDNs sit outside and reach a site's services directly, or through its
`entry` devices where it declares them.

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

/// Every host name of a service, for `data` (the message cuts the list).
fn host_names(p: &Project, s: ServiceId) -> Vec<&str> {
    p.services[s.index()]
        .hosts
        .iter()
        .map(|h| p.host_name(h.value))
        .collect()
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let f = cx.failures();
    let hops = f.unreachable.iter().map(|u| {
        let flow = &p.flows[u.flow.index()];
        let to = &p.services[u.to.index()];
        let target = match u.active {
            Some(a) => format!(
                "the active member `{}` of `{}`",
                echo(p.host_name(a)),
                echo(&to.name)
            ),
            None if is_quorum(p, u.to) => format!(
                "a member of `{}` ({}) in its majority",
                echo(&to.name),
                hosts(p, u.to)
            ),
            None => format!("`{}` ({})", echo(&to.name), hosts(p, u.to)),
        };
        let (message, label) = match u.from {
            Some(from) => {
                let from = &p.services[from.index()];
                (
                    format!(
                        "flow `{}`: no network path from `{}` ({}) to {target}",
                        echo(&flow.name),
                        echo(&from.name),
                        hosts(p, u.from.expect("a previous hop")),
                    ),
                    format!("`{}` cannot reach `{}`", echo(&from.name), echo(&to.name)),
                )
            }
            None => (
                format!(
                    "flow `{}`: outside traffic cannot reach {target}: no network path from {}",
                    echo(&flow.name),
                    entry_text(p, u.to)
                ),
                format!("outside traffic cannot reach `{}`", echo(&to.name)),
            ),
        };
        let hop = flow.paths[u.path][u.step].span;
        // `from` is null for outside traffic (a client or CDN, through the
        // site's entry devices where it declares them).
        let mut d = Diagnostic::new(RULE.name, RULE.severity, hop, message)
            .with_label(label)
            .with_data("flow", flow.name.as_str())
            .with_data("from", u.from.map(|f| p.services[f.index()].name.as_str()))
            .with_data("to", to.name.as_str());
        if let Some(a) = u.active {
            d = d.with_data("active", p.host_name(a));
        }
        Finding::new(d.with_subject(&flow.name), flow.allows.clone())
    });
    let quorum = f.no_quorum.iter().map(|&s| {
        let service = &p.services[s.index()];
        let n = service.hosts.len();
        let message = format!(
            "`{}` (ha quorum): no member reaches a majority of its {n} members ({}) with nothing failed; it never serves",
            echo(&service.name),
            hosts(p, s)
        );
        let span = service.ha.map_or(service.span, |h| h.span);
        let d = Diagnostic::new(RULE.name, RULE.severity, span, message)
            .with_label("no majority")
            .with_data("service", service.name.as_str())
            .with_data("members", host_names(p, s));
        Finding::new(d.with_subject(&service.name), service.allows.clone())
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
            .with_label(format!("`{}` cannot reach `{}`", echo(&s.name), echo(array)))
            .with_data("from", s.name.as_str())
            .with_data("to", array.as_str())
            .with_data("hosts_cut_off", n.hosts.len())
            .with_data("hosts", s.hosts.len())
            .with_data(
                "cut_off",
                n.hosts.iter().map(|h| p.host_name(*h)).collect::<Vec<_>>(),
            );
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
        let d = Diagnostic::new(RULE.name, RULE.severity, r.span, message)
            .with_label(format!(
                "`{}` cannot reach `{}`",
                echo(&p.services[from.index()].name),
                echo(&p.services[to.index()].name)
            ))
            .with_data("from", p.services[from.index()].name.as_str())
            .with_data("to", p.services[to.index()].name.as_str());
        Finding::new(
            d.with_subject(&p.services[from.index()].name),
            r.allows.clone(),
        )
    });
    hops.chain(quorum)
        .chain(storage)
        .chain(replications)
        .collect()
}
