//! `unused-allow`: an `allow` that suppresses nothing.

use super::{Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AllowId, Project};

pub static RULE: Rule = Rule {
    name: "unused-allow",
    severity: Severity::Info,
    summary: "an allow that suppresses nothing",
    doc: r#"## What it checks
Every `allow RULE`, at top level (for its file) or inside a declaration or
part (for that element), must silence at least one finding of that rule.
An `allow` naming no rule at all is an `unknown-name` error.

## Why
Suppressions outlive the problems they hid: once the bottleneck is fixed,
a forgotten `allow bus-bottleneck` would hide the next one.

## Example
```topo
nic nic0 { allow bus-bottleneck; ports 2 x 25GbE; bus pcie4 x8 to cpu0 }
```
6.25 GB/s on a 15.75 GB/s slot: nothing to suppress.

## Fix
Delete the `allow`.
"#,
    check: None,
};

/// The finding for an allow that silenced nothing (see `analyze`).
pub fn finding(p: &Project, allow: AllowId) -> Finding {
    let a = &p.allows[allow.index()];
    let d = Diagnostic::new(
        RULE.name,
        RULE.severity,
        a.span,
        format!("`allow {}` suppresses nothing", a.rule),
    )
    .with_label("no finding of this rule here");
    Finding::new(d, Vec::new())
}
