//! `rack-cooling`: a rack's devices give off more heat than its position
//! can remove.

use super::power::missing_draws;
use super::rack_power::lower_bound;
use super::{overflow, percent, Context, Finding, Rule};
use crate::diagnostic::{thousands, Diagnostic, Severity};
use crate::model::units::Watts;
use crate::model::{Project, RackId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "rack-cooling",
    severity: Severity::Warning,
    summary: "a rack's devices draw (and give off as heat) more than its cooling",
    doc: r#"## What it checks
The real power its devices draw, summed in watts, against the rack's
`cooling`: the heat its position can remove. Every watt a device draws
ends up as a watt of heat, so the draw in W is the heat. A draw in VA
counts at the device's `power-factor` (1.0 when not given), a draw in A at
its voltage. The message gives the heat in BTU/h too (1 W = 3.412 BTU/h),
the unit most cooling plant is sold in.

Devices without a `draw` count as 0 (other than `pdu`s, which pass power
on): the message then says the total is a lower bound, and `missing-draw`
names them.

## Why
A rack that gives off more heat than the air (or water) at its position
removes runs hot: inlet temperatures climb, fans spin up and draw more,
and devices throttle or shut down. Cooling limits per position are often
lower than the power the feeds could deliver.

## Example
```topo
rack r1 { cooling 5kW }
server s[1..12] { rack r1 at U1; size 1U; draw 450W }   # 5.4 kW of heat: 108 %
```

## Fix
Spread the devices over more racks, move the rack to a position with more
cooling (in-row coolers, rear-door heat exchangers), or correct the draws
(a spec sheet's maximum is often far above the typical draw).
"#,
    check: Some(check),
};

/// BTU per hour in one watt.
pub const BTU_PER_WATT: f64 = 3.412;

/// Heat in BTU/h, to the whole BTU/h: `40,944 BTU/h`.
pub fn btu_per_hour(heat: Watts) -> String {
    format!(
        "{} BTU/h",
        thousands((heat.get() * BTU_PER_WATT).round().max(0.0) as u64)
    )
}

/// The real power the devices of a rack draw: the heat they give off.
/// Devices without a draw count as 0.
pub fn rack_heat(p: &Project, rack: RackId) -> Watts {
    p.racks[rack.index()]
        .devices
        .iter()
        .filter_map(|&d| p.device_power(d).map(|d| d.watts))
        .sum()
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    (0..p.racks.len())
        .filter_map(|i| rack(p, RackId(i as u32)))
        .collect()
}

fn rack(p: &Project, id: RackId) -> Option<Finding> {
    let r = &p.racks[id.index()];
    let cooling = *r.cooling.as_deref()?;
    let heat = rack_heat(p, id);
    if !heat.get().is_finite() {
        let what = format!("the draws of the devices in rack `{}`", echo(&r.name));
        return Some(overflow(r.span, &what, &r.name, r.allows.clone()));
    }
    // A cooling of 0 W is no figure to compare with (and no share).
    if cooling.value.get() <= 0.0 || heat.get() <= cooling.value.get() * (1.0 + 1e-12) {
        return None;
    }
    let share = heat / cooling.value;
    let missing = missing_draws(p, id).len();
    let bound = lower_bound(missing);
    let message = format!(
        "rack `{}` draws {heat}, all of it heat ({}), over its {} of cooling ({}): {}{bound}",
        echo(&r.name),
        btu_per_hour(heat),
        cooling.value,
        btu_per_hour(cooling.value),
        percent(share)
    );
    let mut d = Diagnostic::new(RULE.name, RULE.severity, r.span, message)
        .with_label(format!("{heat} of heat, {} of cooling", cooling.value))
        .with_related(cooling.span, "the cooling")
        .with_data("load", heat.get())
        .with_data("capacity", cooling.value.get())
        .with_data("unit", "W")
        .with_data("percent", share * 100.0);
    if missing > 0 {
        d = d.with_data("missing", missing);
    }
    Some(Finding::new(d.with_subject(&r.name), r.allows.clone()))
}
