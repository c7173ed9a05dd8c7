//! `rack-overflow`: a device extends beyond the rack's height or below U1.

use super::rack_overlap::units;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "rack-overflow",
    severity: Severity::Error,
    summary: "a device extends beyond the rack's height or below U1",
    doc: r#"## What it checks
A device placed `at Un` with size `s` occupies `Un` to `Un + s - 1`. That
range must lie inside the rack: at U1 or above, and at most at the rack's
height (42U when not given).

## Why
Units are counted from U1 at the bottom; U0 does not exist, and a 2U
server placed at the top unit of a 42U rack sticks out of it. Long ranges
stacked from a low U overflow quietly.

## Example
```topo
rack t1 { height 42U }
server db1 : r750 { rack t1 at U42 }   # 2U: U42-U43, the rack ends at U42
```

## Fix
Place the device lower, or in a taller rack.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for rack in &p.racks {
        let height = rack.height.value;
        for &id in &rack.devices {
            let d = &p.devices[id.index()];
            let Some(placement) = d.placement else {
                continue;
            };
            let size = d.size();
            let low = placement.position;
            let high = low + size.max(1) - 1;
            let message = if low == 0 {
                format!(
                    "`{}` is placed at U0, but units start at U1 in rack `{}`",
                    echo(&d.name),
                    echo(&rack.name)
                )
            } else if size > 0 && high > height {
                format!(
                    "`{}` occupies {} but rack `{}` is {height}U high: {}U above the top",
                    echo(&d.name),
                    units(low, high),
                    echo(&rack.name),
                    high - height
                )
            } else {
                continue;
            };
            let diagnostic = Diagnostic::new(RULE.name, RULE.severity, placement.span, message)
                .with_label(format!("`{}` placed here", echo(&d.name)))
                .with_related(
                    rack.height.span,
                    format!("rack `{}` is {height}U", echo(&rack.name)),
                );
            out.push(Finding::new(
                diagnostic.with_subject(&d.name),
                d.allows.clone(),
            ));
        }
    }
    out
}
