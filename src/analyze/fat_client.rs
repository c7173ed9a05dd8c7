//! `fat-client`: a flow starts at a client with installed software.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{ClientKind, Hop};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "fat-client",
    severity: Severity::Info,
    summary: "a flow starts at a client with installed software",
    doc: r#"## What it checks
Flows whose first hop is a `client` with `software NAME "version"`.

## Why
In a client-server system the client runs dedicated software: every
change of the server side needs the clients updated in step, and the
server's scale is bounded by clients holding their own connections. It is
a legitimate design (shop terminals, trading desks); the point is to know
where it is.

## Example
```topo
client pos { software pos-terminal "4.2" }
flow sale { pos -> pos-ap -> pos-db }
```

## Fix
None needed if intended; otherwise move the logic behind a browser client
and a web tier, as in a 3-tier system.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for f in &p.flows {
        for path in &f.paths {
            let Some(Hop::Client(c)) = path.first().map(|h| h.value) else {
                continue;
            };
            let client = &p.clients[c.index()];
            let Some(ClientKind::Software { name, version }) =
                client.kind.as_ref().map(|k| &k.value)
            else {
                continue;
            };
            let version = version.as_ref().map_or(String::new(), |v| format!(" {v}"));
            let message = format!(
                "flow `{}` starts at `{}`, a fat client running {name}{version}: server changes must ship with client updates",
                echo(&f.name), echo(&client.name)
            );
            let d = Diagnostic::new(RULE.name, RULE.severity, path[0].span, message)
                .with_label("installed software");
            out.push(Finding::new(
                d.with_subject(&f.name),
                f.allows.iter().chain(&client.allows).copied().collect(),
            ));
            break;
        }
    }
    out
}
