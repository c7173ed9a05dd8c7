//! `rack-overlap`: two devices occupy the same U of a rack, on a face
//! both of them take.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{DeviceId, Placement};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "rack-overlap",
    severity: Severity::Error,
    summary: "two devices occupy the same U of a rack",
    doc: r#"## What it checks
Every device placed `at Un` occupies `Un` up to `Un + size - 1`; a range
placed at `Un` stacks upward on its face. A full-depth device (the
default) takes its units on both faces of the rack; a `depth half` device
only on its own face (`front` unless placed `rear`), so two half-depth
devices on opposite faces may share a U. A `0U` device (a vertical PDU)
takes no U. Two devices of one rack that share a U on a face both take are
reported once per pair, pointing at both placements, with the units taken
twice as `data` (`low`, `high`, in `U`).

## Why
A rack unit holds one device. An overlap is a plan that cannot be
installed: someone finds out on the data-centre floor, with the server in
their hands.

## Example
```topo
server web[1..4] : r650 { rack t1 at U1 }   # 1U each: U1-U4
server db1 : r750 { rack t1 at U4 }         # 2U: U4-U5, U4 is taken by web4
device pp1 { size 1U; depth half; rack t1 at U42 }         # front of U42
switch sw1 { size 1U; depth half; rack t1 at U42 rear }   # rear of U42: fine
switch sw2 { size 1U; depth half; rack t1 at U42 rear }   # rear again: overlaps sw1
```

## Fix
Move one device to free units, or shorten the range; a half-depth device
may move to the free face of a U another half-depth device holds.
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

/// "U42, rear, half depth": where a device is and which faces it takes.
fn mounted(at: &Placement, (low, high): (u32, u32)) -> String {
    format!(
        "{}, {}, {} depth",
        units(low, high),
        at.face.name(),
        at.depth.name()
    )
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
                let a_at = a.placement.expect("placed");
                let b_at = b.placement.expect("placed");
                if a_at.shares_units_with(&b_at) {
                    continue;
                }
                let (a_range, b_range) = if first == other {
                    ((other_low, other_high), (low, high))
                } else {
                    ((low, high), (other_low, other_high))
                };
                let (shared_low, shared_high) = (low.max(other_low), high.min(other_high));
                let shared = units(shared_low, shared_high);
                let message = format!(
                    "`{}` ({}) overlaps `{}` ({}) in rack `{}`: {} is taken twice",
                    echo(&b.name),
                    mounted(&b_at, b_range),
                    echo(&a.name),
                    mounted(&a_at, a_range),
                    echo(&rack.name),
                    shared
                );
                let d = Diagnostic::new(RULE.name, RULE.severity, b_at.span, message)
                    .with_label(format!("`{}` placed here", echo(&b.name)))
                    .with_related(
                        a_at.span,
                        format!("`{}` already occupies {}", echo(&a.name), shared),
                    )
                    .with_data("low", shared_low)
                    .with_data("high", shared_high)
                    .with_data("unit", "U");
                let allows = a.allows.iter().chain(&b.allows).copied().collect();
                out.push(Finding::new(d.with_subject(&b.name), allows));
            }
            active.push((low, high, d));
        }
    }
    out
}
