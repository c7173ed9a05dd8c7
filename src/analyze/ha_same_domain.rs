//! `ha-same-domain`: one failure takes down every member of an HA service.

use super::failure::{describe, Candidate};
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::HaMode;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "ha-same-domain",
    severity: Severity::Warning,
    summary: "one failure domain holds every member of an HA service (error when it is one host)",
    doc: r#"## What it checks
For every service with `ha`, the failure candidates that take down all of
its members at once: a host, a rack, a feed, or a site where the project has
more than one. One host is an error; any other shared domain a warning.

## Why
A standby or an active-active pair only helps when its members do not fail
together. Two vms on one host, two servers in one rack, or two racks
on one feed make the pair a single point of failure that looks redundant.

## Example
```topo
server db[1..2] : r750 { rack r1 at U20 }
service shop-db on db1 db2 { ha active-standby }   # rack r1 holds both
```

## Fix
Place the members in different racks on different feeds (and, for a
standby that must survive a site, at another site).
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
        let common = f.common(members);
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
        let (severity, message) = match same_host {
            Some(host) => (
                Severity::Error,
                format!(
                    "every member of `{}` (ha {mode}) runs on {}: one host failure takes the pair down",
                    echo(&s.name),
                    describe(p, *host)
                ),
            ),
            None => {
                let domains: Vec<String> = common.iter().map(|c| describe(p, *c)).collect();
                (
                    RULE.severity,
                    format!(
                        "every member of `{}` (ha {mode}) fails with {}",
                        echo(&s.name),
                        domains.join(", with ")
                    ),
                )
            }
        };
        let mut d = Diagnostic::new(RULE.name, severity, ha.span, message).with_label("ha");
        for c in common.iter().take(4) {
            d = d.with_related(p.span_of(c.element()), "shared failure domain");
        }
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}
