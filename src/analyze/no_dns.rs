//! `no-dns`: a flow enters a service from a client without any dns resolving it.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Hop;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "no-dns",
    severity: Severity::Warning,
    summary: "a flow enters a service from a client without any dns resolving it",
    doc: r#"## What it checks
Every hop from a client to a service: some `dns` must list the service in
`resolves`.

## Why
A browser finds the web server by name before it sends anything: the
hosts file or, for anyone outside, DNS. A public entry point without name
resolution in the design is either reached by address (and cannot move) or
depends on a DNS nobody modelled, whose failure nobody checks.

## Example
```topo
client browser { browser }
flow checkout { browser -> shop-web -> shop-ap }   # no dns resolves shop-web
```

## Fix
Declare the DNS: `dns ns on dns1 dns2 { resolves shop-web }`.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    // Everything some dns resolves, gathered once.
    let resolved_hops: std::collections::HashSet<Hop> = p
        .services
        .iter()
        .flat_map(|s| s.resolves.iter().map(|r| r.value))
        .collect();
    let resolved = |target: Hop| resolved_hops.contains(&target);
    for f in &p.flows {
        for path in &f.paths {
            for pair in path.windows(2) {
                let (Hop::Client(c), Hop::Service(s)) = (pair[0].value, pair[1].value) else {
                    continue;
                };
                if resolved(pair[1].value) {
                    continue;
                }
                let message = format!(
                    "flow `{}` enters `{}` from client `{}`, but no dns resolves `{}`",
                    echo(&f.name),
                    echo(&p.services[s.index()].name),
                    echo(&p.clients[c.index()].name),
                    echo(&p.services[s.index()].name)
                );
                let d = Diagnostic::new(RULE.name, RULE.severity, pair[1].span, message)
                    .with_label("reached by name, resolved by nothing")
                    .with_help(format!(
                        "declare `dns NAME on HOSTS {{ resolves {} }}`",
                        echo(&p.services[s.index()].name)
                    ));
                out.push(Finding::new(d.with_subject(&f.name), f.allows.clone()));
            }
        }
    }
    out
}
