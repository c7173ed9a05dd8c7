//! `unknown-name`: reported by lowering (names) and by the analyzers
//! (rule names in `allow`).

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "unknown-name",
    severity: Severity::Error,
    summary: "a reference names nothing (with a suggestion)",
    doc: r#"## What it checks
Every name a statement refers to (a site, feed, rack, model, device, part,
vm, tier, service, client, CDN, or a rule in `allow`) must be declared
somewhere in the project: the files given plus their includes.

## Why
A reference to nothing silently drops a relation: a rack without its feed
has no power budget, a service without its host has no fault domain. The
closest declared name of the right kind is suggested.

## Example
```topo
feed feed-a { site tokyo; circuit 30A at 208V }
rack r1 { site tokyo; feeds feed-b }
```
`feed-b` is not declared (did you mean `feed-a`?).

## Fix
Correct the name, declare the element, or `include` the file that declares it.
"#,
    check: None,
};
