//! `rack-weight`: devices plus the rack's own weight exceed `max-weight`.

use super::{overflow, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::Kilograms;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "rack-weight",
    severity: Severity::Error,
    summary: "devices plus the rack's own weight exceed its max-weight",
    doc: r#"## What it checks
The weights of a rack's devices (pounds converted at 0.45359237 kg/lb),
plus the empty rack's own `weight` when given, against the rack's
`max-weight`, its static load rating.

## Why
A rack is rated for a load: past it the frame or the raised floor
beneath it may give. Storage shelves and UPS batteries add up faster than
people guess.

## Example
```topo
rack r1 { max-weight 1000kg; weight 120kg }
storage shelf[1..10] { rack r1 at U1; size 4U; weight 200lb }   # 907 kg + 120 kg
```

## Fix
Spread the heavy devices over more racks, or use a rack with a higher rating.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for r in &p.racks {
        let Some(limit) = r.max_weight else { continue };
        let devices: Kilograms = r
            .devices
            .iter()
            .filter_map(|&d| p.devices[d.index()].props.weight.map(|w| w.value))
            .sum();
        let own = r.weight.map_or(Kilograms::new(0.0), |w| w.value);
        let total = devices + own;
        if !total.get().is_finite() {
            let what = format!("the weights of the devices in rack `{}`", echo(&r.name));
            out.push(overflow(r.span, &what, &r.name, r.allows.clone()));
            continue;
        }
        if total.get() <= limit.value.get() + 1e-9 {
            continue;
        }
        let parts = match r.weight {
            Some(_) => format!(" (devices {devices} + empty rack {own})"),
            None => String::new(),
        };
        let message = format!(
            "rack `{}` holds {total}{parts}, over its {} rating by {}",
            echo(&r.name),
            limit.value,
            total - limit.value
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, r.span, message)
            .with_label(format!("{total} of {}", limit.value))
            .with_related(limit.span, "the rating")
            .with_data("load", total.get())
            .with_data("capacity", limit.value.get())
            .with_data("unit", "kg");
        out.push(Finding::new(d.with_subject(&r.name), r.allows.clone()));
    }
    out
}
