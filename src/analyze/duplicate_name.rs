//! `duplicate-name`: reported by lowering.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "duplicate-name",
    severity: Severity::Error,
    summary: "a name is declared twice",
    doc: r#"## What it checks
Every top-level name lives in one namespace per project (all files given on
the command line plus their includes), after ranges are expanded. A name
declared twice is reported at the second declaration, pointing at the first.

## Why
Two elements with one name make every reference to it ambiguous; with
ranges (`web[1..4]` and `web3`) the collision is easy to miss.

## Example
```topo
server web[1..4] : r650 { rack t1 at U1 }
server web3 : r650 { rack t1 at U10 }
```
`web3` is declared by the range and again on its own.

## Fix
Rename one of them, or shorten the range.
"#,
    check: None,
};
