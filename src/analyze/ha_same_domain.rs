//! `ha-same-domain`: one failure takes down every member of an HA service.

use super::failure::{describe, outage_common, Candidate, Instance};
use super::spof::element_allows;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{HaMode, Host, Member, Project, ServiceId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "ha-same-domain",
    severity: Severity::Warning,
    summary: "one failure domain holds every member of an HA service (error when it is one host)",
    doc: r#"## What it checks
For every service with `ha`, the failure candidates that take down all of
its members at once: a host, a rack, a feed, a power source upstream of the
feeds, a fault domain holding the members (their hosts, the hosts' racks or
the vms themselves), or a site where the project has more than one. One host is an error; any other shared domain a warning.
A switch or a storage array that every member needs is not a domain the
members stand in: `spof` reports it with the flows it stops.
A vm counts as down with its host even when its `failover` host would
restart it: for an HA service a restart of every member is an outage.
An `allow ha-same-domain` on the service, or on the shared domain (the
host, rack, feed, power source, fault domain or site), accepts it. A site
is left out when a DR site backs it, a service there takes this one over
(`takes-over`, or a `replicate` target), and every flow through this
service that the site stops works again after the take-over
(`dr-failover` reports that).

## Why
A standby or an active-active pair only helps when its members do not fail
together. Two vms on one host, two servers in one rack, or two racks
on one feed (or two feeds from one UPS) make the pair a single point of
failure that looks redundant.

## Example
```topo
server db[1..2] : r750 { rack r1 at U20 }
service shop-db on db1 db2 { ha active-standby }   # rack r1 holds both
```

## Fix
Place the members in different racks on different feeds (and, for a
standby that must survive a site, at another site); put the vms of a
pair on different hosts, not on one host with a failover host.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let f = cx.failures();
    let mut out = Vec::new();
    for (i, s) in p.services.iter().enumerate() {
        let Some(ha) = s.ha else { continue };
        let members = &f.instances[i];
        if members.is_empty() {
            continue;
        }
        let mut common = outage_common(p, f, ServiceId(i as u32));
        // The rule is about where the members stand: their hosts and the
        // racks, feeds and sites around them. A switch or a storage array
        // that every member needs is a single point of failure, which
        // `spof` reports with the flows it stops.
        common.retain(|&c| match c {
            Candidate::Device(d) => members.iter().any(|m| p.host_device(m.host) == Some(d)),
            Candidate::Vm(v) => members.iter().any(|m| m.host == Host::Vm(v)),
            Candidate::Rack(_) | Candidate::Feed(_) | Candidate::Power(_) => true,
            // Losing the whole site is what its DR site is for, when a
            // service there takes this one over and the flows come back.
            Candidate::Site(site) => !f.dr_covers(p, site, ServiceId(i as u32)),
            // A fault domain counts where it holds a member: its host, the
            // host's rack, or the vm itself (one holding only a switch or
            // the storage array is `spof`'s, like the switch itself).
            Candidate::FaultDomain(x) => p.fault_domains[x.index()]
                .members
                .iter()
                .any(|m| members.iter().any(|i| holds(p, m.value, i.host))),
        });
        // An `allow ha-same-domain` on a shared domain accepts that domain:
        // a finding its allow silences (so the allow counts as used), and
        // the domain leaves the list.
        common.retain(|&c| {
            let allows = element_allows(p, c);
            let accepted = allows.iter().any(|a| p.allows[a.index()].rule == RULE.name);
            if accepted {
                let d = Diagnostic::new(RULE.name, RULE.severity, ha.span, "");
                out.push(Finding::new(d, allows));
            }
            !accepted
        });
        if common.is_empty() {
            continue;
        }
        let mode = match ha.value {
            HaMode::ActiveStandby => "active-standby",
            HaMode::ActiveActive => "active-active",
            HaMode::Quorum => "quorum",
        };
        let same_host = common.iter().find(|c| {
            matches!(c, Candidate::Device(d) if members.iter().all(|m| p.host_device(m.host) == Some(*d)))
        });
        // The domains the message names: the one host, or every shared one.
        let named: Vec<&str> = match same_host {
            Some(host) => vec![p.name_of(host.element())],
            None => common.iter().map(|c| p.name_of(c.element())).collect(),
        };
        let hosts: Vec<&str> = members.iter().map(|m| p.host_name(m.host)).collect();
        let (severity, message) = match same_host {
            Some(host) => (
                Severity::Error,
                format!(
                    "every member of `{}` (ha {mode}) runs on {}: one host failure takes the pair down{}",
                    echo(&s.name),
                    describe(p, *host),
                    restart_note(p, members)
                ),
            ),
            None => {
                let domains: Vec<String> = common.iter().map(|c| describe(p, *c)).collect();
                (
                    RULE.severity,
                    format!(
                        "every member of `{}` (ha {mode}) fails with {}{}",
                        echo(&s.name),
                        domains.join(", with "),
                        restart_note(p, members)
                    ),
                )
            }
        };
        let mut d = Diagnostic::new(RULE.name, severity, ha.span, message)
            .with_label("ha")
            .with_data("members", hosts)
            .with_data("domains", named);
        for c in common.iter().take(4) {
            d = d.with_related(p.span_of(c.element()), "shared failure domain");
        }
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}

/// Whether a fault domain's member is where an instance on `host` stands.
fn holds(p: &Project, member: Member, host: Host) -> bool {
    let device = p.host_device(host);
    match member {
        Member::Vm(v) => host == Host::Vm(v),
        Member::Device(d) => device == Some(d),
        Member::Rack(r) => device.is_some_and(|d| {
            p.devices[d.index()]
                .placement
                .is_some_and(|pl| pl.rack == r)
        }),
    }
}

/// For members that are vms with failover hosts: their restart is no
/// escape, and the message says so.
fn restart_note(p: &Project, members: &[Instance]) -> &'static str {
    let restarts = members
        .iter()
        .any(|m| matches!(m.host, Host::Vm(v) if p.vms[v.index()].failover.is_some()));
    if restarts {
        " (their vms restart on the failover host: an outage)"
    } else {
        ""
    }
}
