//! `power-capacity`: a feed shared by several racks, or a power source,
//! carries above 80 % of its capacity in normal operation or after any
//! single feed or source fails.

use super::power::{Capacity, PowerModel, Scenario, Supply, Worst, MAX_WORK};
use super::rack_power::{lower_bound, share_text, verdict};
use super::{overflow, Context, Finding, Rule};
use crate::diagnostic::{thousands, Diagnostic, Severity};
use crate::model::{AllowId, DeviceKind};
use crate::source::Span;

pub static RULE: Rule = Rule {
    name: "power-capacity",
    severity: Severity::Warning,
    summary: "a shared feed or a power source carries above 80 % of its capacity (warning) or above 100 % (error), in normal operation or after any single feed or source fails",
    doc: r#"## What it checks
Every power source (`power NAME { kind ups; capacity …; from … }`) and
every feed listed by more than one rack, against its capacity in VA, in
normal operation and after the failure of any single feed or power source.

The load model: a device's draw in VA (W ÷ `power-factor`, or A × the
device's voltage) is split evenly over the feeds its power supplies connect
to; when some of them fail the others carry all of it, and a device whose
feeds all fail draws nothing. A feed carries the sum over every rack on it;
a source the sum of the feeds and sources that draw from it (`from`). A
source's failure fails everything below it.

Capacity: V × A single-phase, √3 × V × A with `phases 3` (V line-to-line),
a figure in W or VA as it is. Above the continuous-load limit (80 %, or a
feed's `rated`) is a warning, above 100 % an error. The finding names the
failure that gives the worst load, the load in normal operation, and the
figures in kVA (and in amps at the circuit's voltage where the rating is a
current). A feed listed by one rack only is left to `rack-power`. Loads
too large to add up (draws near 1e308 W) are an `invalid-value` naming the
feed or source, never a figure.

## Why
Two racks that each keep their A and B feeds at 56 % look healthy rack by
rack; on a shared pair of circuits the surviving one carries both racks
after the other fails — 112 %, and it trips. The same holds a level up:
when UPS B fails, UPS A carries both sides of the room.

## Example
```topo
power ups-a { site dc; kind ups; capacity 20kVA }
power ups-b { site dc; kind ups; capacity 20kVA }
feed a { site dc; circuit 60A at 208V; from ups-a }
feed b { site dc; circuit 60A at 208V; from ups-b }
rack r[1..4] { site dc; feeds a b }
# 4 racks × 4 kW: 8 kVA per UPS normally, 16 kVA (80 %) when the other fails
```

## Fix
Spread racks over more circuits or sources, or plan each side of an A/B
pair at no more than 40 % of its capacity in normal operation.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let model = cx.power();
    let mut out = Vec::new();
    let worst = match model.worst() {
        Ok(w) => w,
        Err(work) => {
            out.extend(too_large(model, work));
            (0..model.nodes())
                .map(|n| Worst {
                    load: model.normal(model.supply(n)),
                    scenario: Scenario::Normal,
                })
                .collect()
        }
    };
    let missing = missing_below(model);
    for (n, w) in worst.iter().enumerate() {
        let supply = model.supply(n);
        if let Supply::Feed(f) = supply {
            if model.racks_on(f) < 2 {
                continue;
            }
        }
        // A load too large to add up (draws near the largest figure) is
        // no figure to compare or print: an `invalid-value` says so.
        if !w.load.get().is_finite() || !model.normal(supply).get().is_finite() {
            let (span, allows, name) = where_of(model, supply);
            let what = format!("the loads on {}", supply.describe(model.project()));
            out.push(overflow(span, &what, name, allows));
            continue;
        }
        let Some(c) = model.capacity(supply) else {
            continue;
        };
        let share = w.load / c.va;
        let Some((severity, verdict)) = verdict(share, &c) else {
            continue;
        };
        out.push(finding(
            model, supply, &c, w.load, w.scenario, share, severity, &verdict, missing[n],
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn finding(
    model: &PowerModel,
    supply: Supply,
    c: &Capacity,
    load: crate::model::units::VoltAmperes,
    scenario: Scenario,
    share: f64,
    severity: Severity,
    verdict: &str,
    missing: usize,
) -> Finding {
    let p = model.project();
    let normal = model.normal(supply);
    let (when, normal_text) = match scenario {
        Scenario::Normal => ("in normal operation".to_string(), String::new()),
        Scenario::Fails(s) => (
            format!("after {} fails", s.describe(p)),
            format!(" ({normal} in normal operation)"),
        ),
    };
    let racks = match supply {
        Supply::Feed(f) => format!(" for {} racks", model.racks_on(f)),
        Supply::Source(_) => String::new(),
    };
    let message = format!(
        "{} carries {load}{}{racks} {when}{normal_text}: {} of {}, {verdict}{}",
        supply.describe(p),
        c.amps_text(load),
        share_text(share, c),
        c.text(),
        lower_bound(missing),
    );
    let (span, allows, name) = where_of(model, supply);
    let mut d = Diagnostic::new(RULE.name, severity, span, message)
        .with_label(format!("{load} of {}", c.va))
        .with_related(c.span, "its capacity");
    if let Scenario::Fails(s) = scenario {
        let (span, _, _) = where_of(model, s);
        d = d.with_related(span, format!("{} fails", s.describe(p)));
    }
    let scenario_data = match scenario {
        Scenario::Normal => "normal operation".to_string(),
        Scenario::Fails(Supply::Feed(f)) => format!("feed {} fails", p.feeds[f.index()].name),
        Scenario::Fails(Supply::Source(s)) => format!("power {} fails", p.powers[s.index()].name),
    };
    let d = d
        .with_data("load", load.get())
        .with_data("capacity", c.va.get())
        .with_data("unit", "VA")
        .with_data("percent", share * 100.0)
        .with_data("normal", normal.get())
        .with_data("scenario", scenario_data)
        .with_data("missing", missing as u64)
        .with_subject(name);
    Finding::new(d, allows)
}

fn where_of<'p>(model: &PowerModel<'p>, s: Supply) -> (Span, Vec<AllowId>, &'p str) {
    let p = model.project();
    match s {
        Supply::Feed(f) => {
            let feed = &p.feeds[f.index()];
            (feed.span, feed.allows.clone(), &feed.name)
        }
        Supply::Source(x) => {
            let source = &p.powers[x.index()];
            (source.span, source.allows.clone(), &source.name)
        }
    }
}

/// Per node: the devices (other than `pdu`) connected below it that state
/// no draw, each counted once.
fn missing_below(model: &PowerModel) -> Vec<usize> {
    let p = model.project();
    let mut count = vec![0usize; model.nodes()];
    let mut seen: Vec<usize> = Vec::new();
    for d in &p.devices {
        if d.props.draw.is_some() || d.kind == DeviceKind::Pdu {
            continue;
        }
        seen.clear();
        for f in crate::model::connected_feeds(p, d) {
            seen.extend(model.up(f.value.index()));
        }
        seen.sort_unstable();
        seen.dedup();
        for &n in &seen {
            count[n] += 1;
        }
    }
    count
}

/// Said once, instead of the figures, for a power chain too large to sum
/// every single failure of.
fn too_large(model: &PowerModel, work: u64) -> Option<Finding> {
    let p = model.project();
    let (span, allows, name) = match (p.powers.first(), p.feeds.first()) {
        (Some(s), _) => (s.span, s.allows.clone(), s.name.as_str()),
        (None, Some(f)) => (f.span, f.allows.clone(), f.name.as_str()),
        (None, None) => return None,
    };
    let d = Diagnostic::new(
        RULE.name,
        Severity::Info,
        span,
        format!(
            "single-failure loads not computed: summing them would take over {} steps (the limit is {}); only normal operation is checked",
            thousands(work),
            thousands(MAX_WORK)
        ),
    )
    .with_data("work", work as f64)
    .with_subject(name);
    Some(Finding::new(d, allows))
}
