//! `rack-overlap`: two devices occupy the same U of a rack.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::DeviceId;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "rack-overlap",
    severity: Severity::Error,
    summary: "two devices occupy the same U of a rack",
    doc: r#"## What it checks
Every device placed `at Un` occupies `Un` up to `Un + size - 1`; a range
placed at `Un` stacks upward. Two devices of one rack that share a U are
reported once per pair, pointing at both placements.

## Why
A rack unit holds one device. An overlap is a plan that cannot be
installed: someone finds out on the data-centre floor, with the server in
their hands.

## Example
```topo
server web[1..4] : r650 { rack t1 at U1 }   # 1U each: U1-U4
server db1 : r750 { rack t1 at U4 }         # 2U: U4-U5, U4 is taken by web4
```

## Fix
Move one device to free units, or shorten the range.
"#,
    check: Some(check),
};

/// "U4" or "U4-U5".
pub fn units(low: u32, high: u32) -> String {
    if low == high {
        format!("U{low}")
    } else {
        format!("U{low}-U{high}")
    }
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for rack in &p.racks {
        let mut placed: Vec<(u32, u32, DeviceId)> = rack
            .devices
            .iter()
            .filter_map(|&d| {
                let r = p.devices[d.index()].occupied()?;
                Some((*r.start(), *r.end(), d))
            })
            .collect();
        placed.sort_unstable();
        // Sweep upward, keeping the devices that reach the current U.
        let mut active: Vec<(u32, u32, DeviceId)> = Vec::new();
        for &(low, high, d) in &placed {
            active.retain(|&(_, top, _)| top >= low);
            for &(other_low, other_high, other) in &active {
                let (first, second) = if other < d { (other, d) } else { (d, other) };
                let (a, b) = (&p.devices[first.index()], &p.devices[second.index()]);
                let (a_range, b_range) = if first == other {
                    ((other_low, other_high), (low, high))
                } else {
                    ((low, high), (other_low, other_high))
                };
                let shared = units(low.max(other_low), high.min(other_high));
                let message = format!(
                    "`{}` ({}) overlaps `{}` ({}) in rack `{}`: {} is taken twice",
                    echo(&b.name),
                    units(b_range.0, b_range.1),
                    echo(&a.name),
                    units(a_range.0, a_range.1),
                    echo(&rack.name),
                    shared
                );
                let b_at = b.placement.expect("placed").span;
                let a_at = a.placement.expect("placed").span;
                let d = Diagnostic::new(RULE.name, RULE.severity, b_at, message)
                    .with_label(format!("`{}` placed here", echo(&b.name)))
                    .with_related(
                        a_at,
                        format!("`{}` already occupies {}", echo(&a.name), shared),
                    );
                let allows = a.allows.iter().chain(&b.allows).copied().collect();
                out.push(Finding::new(d.with_subject(&b.name), allows));
            }
            active.push((low, high, d));
        }
    }
    out
}
