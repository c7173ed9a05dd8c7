//! `redundant-part`: a part of a `redundant` device exists only once.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "redundant-part",
    severity: Severity::Warning,
    summary: "a part of a redundant device exists only once",
    doc: r#"## What it checks
In a device or model marked `redundant` (a fault-tolerant box such as a
mainframe), every kind of part (cpu, chipset, nic, disk, controller, hba,
card) and the power supplies and fans must be there at least twice.

## Why
A centralized host keeps running through the failure of any one part
because every part is duplicated inside it. topo therefore does not
count the box itself as a single point of failure, only its parts; a part
that exists once is the single point of failure hiding inside.

## Example
```topo
server z1 {
  redundant
  psu 2
  cpu cp[0..1] { cores 8 }
  controller io0 { bus pcie4 x8 to cp0 }   # only one controller
}
```

## Fix
Add the second part (`controller io[0..1]`), or drop `redundant` and let the
box be a failure candidate of its own.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for d in &p.devices {
        let Some(redundant) = d.props.redundant else {
            continue;
        };
        let parts = &d.internals.parts;
        let mut kinds: Vec<&str> = parts.iter().map(|p| p.kind.keyword()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut single: Vec<(String, crate::source::Span, Vec<crate::model::AllowId>)> = Vec::new();
        for kind in kinds {
            let of_kind: Vec<_> = parts.iter().filter(|p| p.kind.keyword() == kind).collect();
            if let [only] = of_kind.as_slice() {
                single.push((
                    format!("one {kind} (`{}`)", echo(&only.name)),
                    only.span,
                    only.allows.clone(),
                ));
            }
        }
        for (what, count) in [("power supply", d.props.psu), ("fan", d.props.fans)] {
            if let Some(c) = count.filter(|c| c.value == 1) {
                single.push((format!("one {what}"), c.span, Vec::new()));
            }
        }
        for (what, span, part_allows) in single {
            let message = format!(
                "`{}` is redundant but has {what}: its failure stops the whole box",
                echo(&d.name)
            );
            let diagnostic = Diagnostic::new(RULE.name, RULE.severity, span, message)
                .with_label("exists once")
                .with_related(redundant, "declared redundant here");
            let allows = d.allows.iter().chain(&part_allows).copied().collect();
            out.push(Finding::new(diagnostic.with_subject(&d.name), allows));
        }
    }
    out
}
