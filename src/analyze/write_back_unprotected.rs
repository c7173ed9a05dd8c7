//! `write-back-unprotected`: a write-back cache has `protection none`.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CacheMode, PartKind, Protection};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "write-back-unprotected",
    severity: Severity::Warning,
    summary: "a write-back cache has no battery or flash protection",
    doc: r#"## What it checks
A `controller` whose `cache` is `write-back` and whose `protection` is
`none`. (A controller that does not state its protection is not assumed
unprotected.)

## Why
A write-back cache acknowledges a write before it reaches the disk.
Without a battery or flash module to keep the cache through a power loss,
every acknowledged write still in the cache is lost, and the file system
or database above it is left inconsistent.

## Example
```topo
controller raid0 { cache 2GB write-back; protection none; bus pcie3 x8 to cpu0 }
```

## Fix
Fit a battery or flash backup (`protection flash`), or run the cache
`write-through`.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for owner in cx.owners() {
        for part in &owner.internals.parts {
            let PartKind::Controller(c) = &part.kind else {
                continue;
            };
            let (Some(cache), Some(protection)) = (c.cache, c.protection) else {
                continue;
            };
            let (size, mode) = cache.value;
            if mode != CacheMode::WriteBack || protection.value != Protection::None {
                continue;
            }
            let message = format!(
                "{} {}: {size} write-back cache with `protection none`: a power loss loses up to {size} of writes already acknowledged",
                owner.name, echo(&part.name)
            );
            let d = Diagnostic::new(RULE.name, RULE.severity, cache.span, message)
                .with_label("write-back")
                .with_related(protection.span, "no battery or flash");
            let allows = owner.allows.iter().chain(&part.allows).copied().collect();
            out.push(Finding::new(
                d.with_subject(format!("{}.{}", owner.subject, part.name)),
                allows,
            ));
        }
    }
    out
}
