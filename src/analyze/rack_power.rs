//! `rack-power`: a rack draws above 80 % of its own `power` limit, or one of
//! its feeds carries it above 80 % of the feed's capacity after another
//! feed of the rack fails.

use super::power::{missing_draws, Capacity, PowerModel, RackFeedLoad, Supply};
use super::{overflow, percent, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::VoltAmperes;
use crate::model::{Project, RackId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "rack-power",
    severity: Severity::Warning,
    summary: "a rack, or one of its feeds after another feed of the rack fails, carries above 80 % of its capacity (warning) or above 100 % (error)",
    doc: r#"## What it checks
Two limits per rack, both in VA (apparent power, what breakers carry):

- its own `power` limit, when given (a contract, a cooling position),
  against the sum of its devices' draws;
- each of its feeds, against the load that feed carries for this rack in
  normal operation and after any one other feed of the rack fails.

A device's draw counts in VA: a draw in W is divided by the device's
`power-factor` (1.0 when not given), a draw in A is multiplied by the
device's voltage. A device's draw is split evenly over the feeds its power
supplies connect to (`feeds`, else the first N with `psu N`, else all of
the rack's feeds); when one of them fails, the others carry all of it.

A feed's capacity is V × A for a single-phase circuit and √3 × V × A for a
three-phase one (`phases 3`, V line-to-line); a figure in W or VA is taken
as it is. Above the continuous-load limit (80 %, or the feed's `rated`) is
a warning; above 100 % an error. The finding names the failure, the load
in kVA and, where the rating is a current, in amps at the circuit's
voltage. Devices without a draw count as nothing: the message says so, and
`missing-draw` lists them.

A feed shared with other racks is checked here for this rack's share;
`power-capacity` checks the sum over every rack on it.

## Why
With dual-corded devices split over an A and a B feed, each feed carries
half in normal operation and all of it when the other feed fails. A rack
at 56 % on each feed trips the surviving breaker at 112 % the moment the
other one fails: the redundancy fails exactly when it is needed. Breakers
are planned for at most 80 % of their rating under continuous load.

## Example
```topo
feed a { site dc; circuit 30A at 208V }      # 6.24 kVA; 80 % is 4.99 kVA
feed b { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a b }
server s[1..2] { rack r1 at U1; size 2U; draw 3.5kW; psu 2 }
# 3.5 kVA per feed, but 7 kVA on feed b when feed a fails: 112 %
```

## Fix
Move devices to another rack, give the rack larger circuits (or a
three-phase feed), or correct the draws (a spec sheet's maximum is often
far above the typical draw).
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let model = cx.power();
    let mut out = Vec::new();
    for i in 0..p.racks.len() {
        let rack = RackId(i as u32);
        let missing = missing_draws(p, rack).len();
        let drawn: VoltAmperes = p.racks[i]
            .devices
            .iter()
            .filter_map(|&d| p.device_power(d).map(|w| w.va))
            .sum();
        if !drawn.get().is_finite() {
            let what = format!(
                "the draws of the devices in rack `{}`",
                echo(&p.racks[i].name)
            );
            out.push(overflow(
                p.racks[i].span,
                &what,
                &p.racks[i].name,
                p.racks[i].allows.clone(),
            ));
            continue;
        }
        out.extend(own_limit(p, rack, drawn, missing));
        out.extend(worst_feed(model, rack, missing));
    }
    out
}

/// "; 2 devices without a draw count as 0 (a lower bound)".
pub fn lower_bound(missing: usize) -> String {
    match missing {
        0 => String::new(),
        1 => "; 1 device without a draw counts as 0 (a lower bound)".to_string(),
        n => format!("; {n} devices without a draw count as 0 (a lower bound)"),
    }
}

/// A share as a whole percent, with one decimal where rounding would make
/// it read as the very limit it exceeds ("80.1 %", not "80 %", above 80 %).
pub fn share_text(share: f64, c: &Capacity) -> String {
    let whole = (share * 100.0).round() / 100.0;
    let at_limit = |limit: f64| (whole - limit).abs() < 1e-9 && share > limit + 1e-12;
    if at_limit(c.continuous) || at_limit(1.0) {
        format!("{:.1} %", share * 100.0)
    } else {
        percent(share)
    }
}

/// How a share reads against a capacity's two thresholds, and its severity;
/// None at or below the continuous-load limit.
pub fn verdict(share: f64, c: &Capacity) -> Option<(Severity, String)> {
    if share <= c.continuous + 1e-12 {
        return None;
    }
    Some(if share > 1.0 + 1e-12 {
        (Severity::Error, "over its rating".to_string())
    } else {
        (
            Severity::Warning,
            format!("above the {} continuous-load limit", percent(c.continuous)),
        )
    })
}

fn own_limit(p: &Project, rack: RackId, drawn: VoltAmperes, missing: usize) -> Option<Finding> {
    let r = &p.racks[rack.index()];
    let limit = Capacity::new(*r.power.as_deref()?, None)?;
    let share = drawn / limit.va;
    let (severity, verdict) = verdict(share, &limit)?;
    let message = format!(
        "rack `{}` draws {drawn} of its own power limit of {}: {}, {verdict}{}",
        echo(&r.name),
        limit.text(),
        share_text(share, &limit),
        lower_bound(missing),
    );
    let d = Diagnostic::new(RULE.name, severity, r.span, message)
        .with_label(format!("{drawn} of {}", limit.va))
        .with_related(limit.span, "the rack's own limit")
        .with_data("load", drawn.get())
        .with_data("capacity", limit.va.get())
        .with_data("unit", "VA")
        .with_data("percent", share * 100.0)
        .with_data("scenario", "normal operation")
        .with_data("limit", "rack power")
        .with_data("missing", missing as u64)
        .with_subject(&r.name);
    Some(Finding::new(d, r.allows.clone()))
}

/// The feed of the rack closest to (or furthest over) its capacity in its
/// worst case: one finding per rack, naming the other feeds over the limit.
fn worst_feed(model: &PowerModel, rack: RackId, missing: usize) -> Option<Finding> {
    let p = model.project();
    let r = &p.racks[rack.index()];
    let mut over: Vec<(RackFeedLoad, Capacity, f64)> = model
        .rack_feeds(rack)
        .into_iter()
        .filter_map(|l| {
            let c = l.capacity?;
            let share = l.worst / c.va;
            verdict(share, &c)?;
            Some((l, c, share))
        })
        .collect();
    // The worst share first; among equals the feed listed first.
    over.sort_by(|a, b| b.2.total_cmp(&a.2));
    let (l, c, share) = *over.first()?;
    let (severity, verdict) = verdict(share, &c)?;
    let feed = &p.feeds[l.feed.index()];
    let scenario = match l.scenario {
        Some(other) => format!("after {} fails", Supply::Feed(other).describe(p)),
        None => "in normal operation".to_string(),
    };
    let normal = match l.scenario {
        Some(_) => format!(" ({} in normal operation)", l.normal),
        None => String::new(),
    };
    let others = match over.len() {
        1 => String::new(),
        2 => format!(
            "; feed `{}` too",
            echo(&p.feeds[over[1].0.feed.index()].name)
        ),
        n => format!("; {} other feeds too", n - 1),
    };
    let message = format!(
        "feed `{}` carries {}{} for rack `{}` {scenario}{normal}: {} of {}, {verdict}{others}{}",
        echo(&feed.name),
        l.worst,
        c.amps_text(l.worst),
        echo(&r.name),
        share_text(share, &c),
        c.text(),
        lower_bound(missing),
    );
    let mut d = Diagnostic::new(RULE.name, severity, r.span, message)
        .with_label(format!(
            "{} of {} on feed `{}`",
            l.worst,
            c.va,
            echo(&feed.name)
        ))
        .with_related(c.span, format!("feed `{}`'s capacity", echo(&feed.name)));
    if let Some(other) = l.scenario {
        let f = &p.feeds[other.index()];
        d = d.with_related(f.span, format!("feed `{}` fails", echo(&f.name)));
    }
    let scenario_data = match l.scenario {
        Some(other) => format!("feed {} fails", p.feeds[other.index()].name),
        None => "normal operation".to_string(),
    };
    let d = d
        .with_data("load", l.worst.get())
        .with_data("capacity", c.va.get())
        .with_data("unit", "VA")
        .with_data("percent", share * 100.0)
        .with_data("normal", l.normal.get())
        .with_data("scenario", scenario_data)
        .with_data("feed", feed.name.as_str())
        .with_data("limit", "feed")
        .with_data("missing", missing as u64)
        .with_subject(&r.name);
    Some(Finding::new(d, r.allows.clone()))
}
