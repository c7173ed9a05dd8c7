//! `rack-power`: the devices of a rack draw more than 80 % of its budget.

use super::{overflow, percent, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{Draw, Watts};
use crate::model::{Project, RackId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "rack-power",
    severity: Severity::Warning,
    summary: "a rack draws above 80 % of its power budget (warning), or above 100 % (error)",
    doc: r#"## What it checks
The draws of a rack's devices, summed in watts (a draw in A is converted at
the rack's voltage), against the rack's budget: its `power`, or else the
smallest circuit among its feeds, since with two feeds each must carry the
whole rack when the other fails. Above 80 % of the budget is a warning,
above 100 % an error.

## Why
Branch circuits are planned for at most 80 % of the breaker rating under
continuous load (a 30 A breaker carries 24 A all day); above the rating
the breaker trips and takes the rack down.

## Example
```topo
feed a { site dc; circuit 30A at 208V }      # 6240 W; 80 % is 4992 W
rack r1 { site dc; feeds a }
server s[1..11] { rack r1 at U1; size 1U; draw 2.4A }   # 26.4 A = 5491 W: 88 %
```

## Fix
Move devices to another rack, give the rack a larger circuit, or correct
the draws (a spec sheet's maximum is often far above the typical draw).
"#,
    check: Some(check),
};

/// Continuous-load limit of a branch circuit.
const CONTINUOUS: f64 = 0.8;

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    (0..p.racks.len())
        .filter_map(|i| rack(p, RackId(i as u32)))
        .collect()
}

fn rack(p: &Project, id: RackId) -> Option<Finding> {
    let r = &p.racks[id.index()];
    let budget = p.rack_budget(id)?;
    // A budget in VA counts at a power factor of 1.0 (W = VA) until devices
    // carry their own power factor; messages show it in VA, as written.
    let limit = budget.circuit.watts()?;
    let shown_limit = match budget.circuit.limit {
        Draw::ApparentPower(va) => va.to_string(),
        _ => limit.to_string(),
    };
    if limit.get() <= 0.0 {
        return None;
    }
    let drawn: Watts = r.devices.iter().filter_map(|&d| p.device_watts(d)).sum();
    if !drawn.get().is_finite() {
        let what = format!("the draws of the devices in rack `{}`", echo(&r.name));
        return Some(overflow(r.span, &what, &r.name, r.allows.clone()));
    }
    let share = drawn / limit;
    if share <= CONTINUOUS + 1e-12 {
        return None;
    }
    let over = share > 1.0 + 1e-12;
    let verdict = if over {
        match budget.circuit.limit {
            Draw::Current(_) => "over the circuit's rating".to_string(),
            Draw::Power(_) | Draw::ApparentPower(_) => "over the budget".to_string(),
        }
    } else {
        format!("above the {} continuous-load limit", percent(CONTINUOUS))
    };
    let whose = match budget.feed {
        Some(f) if r.feeds.len() > 1 => format!(
            " (feed `{}`: each feed must carry the rack alone)",
            echo(&p.feeds[f.index()].name)
        ),
        Some(f) => format!(" (feed `{}`)", echo(&p.feeds[f.index()].name)),
        None => String::new(),
    };
    let message = match (budget.circuit.limit, budget.circuit.voltage) {
        (Draw::Current(amps), Some(volts)) => format!(
            "rack `{}` draws {} ({}) of a {} circuit at {volts}{whose}: {}, {verdict}",
            echo(&r.name),
            drawn.to_amps(volts),
            drawn,
            amps,
            percent(share)
        ),
        (_, Some(volts)) => format!(
            "rack `{}` draws {} ({} at {volts}) of a {} budget{whose}: {}, {verdict}",
            echo(&r.name),
            drawn,
            drawn.to_amps(volts),
            shown_limit,
            percent(share)
        ),
        (_, None) => format!(
            "rack `{}` draws {} of a {} budget{whose}: {}, {verdict}",
            echo(&r.name),
            drawn,
            shown_limit,
            percent(share)
        ),
    };
    let severity = if over { Severity::Error } else { RULE.severity };
    // As compared: a budget in VA against the draw at a power factor of
    // 1.0 (so the draw's figure in W is its figure in VA), any other
    // budget in W (a current at its voltage).
    let unit = match budget.circuit.limit {
        Draw::ApparentPower(_) => "VA",
        _ => "W",
    };
    let mut d = Diagnostic::new(RULE.name, severity, r.span, message)
        .with_label(format!("{} of {}", drawn, shown_limit))
        .with_related(budget.span, "the budget")
        .with_data("load", drawn.get())
        .with_data("capacity", limit.get())
        .with_data("unit", unit)
        .with_data("percent", share * 100.0);
    if let Some(f) = budget.feed {
        d = d.with_data("feed", p.feeds[f.index()].name.as_str());
    }
    Some(Finding::new(d.with_subject(&r.name), r.allows.clone()))
}
