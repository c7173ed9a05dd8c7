//! `missing-draw`: a rack's power figures leave out devices with no `draw`.

use super::failure::name_list;
use super::power::missing_draws;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, RackId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "missing-draw",
    severity: Severity::Info,
    summary: "a rack's power figures leave out devices with no draw (the total is a lower bound)",
    doc: r#"## What it checks
The devices of a rack that state no `draw` (neither their own nor their
model's), other than `pdu`s, which pass power on rather than use it. They
count as 0 in the rack's power and heat figures, so those figures are a
lower bound. One finding per rack, naming how many devices and the first
few of them.

It fires only for racks that have something to check the draw against: a
feed with a `circuit`, a `power` limit or a `cooling` figure. A rack with
none of them is not being checked for power at all, and a note for every
one of its devices would only be noise.

A device whose draw is in A in a rack of unknown voltage is not counted
here: it has a draw, and the missing voltage is an `invalid-value` error
already.

## Why
`rack-power`, `power-capacity` and `rack-cooling` can only add up the
draws they are given: a rack with three servers of ten given a draw looks
comfortably inside its budget when it is not.

## Example
```topo
feed a { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a }
server web1 { rack r1 at U1; size 1U; draw 500W }
server web2 { rack r1 at U2; size 1U }    # no draw: r1's 500 W is a lower bound
```

## Fix
Give each device (or its model) a `draw` from its spec sheet or, better, a
measured figure; or `allow missing-draw` on the rack when the figures are
known to be incomplete.
"#,
    check: Some(check),
};

/// "2 devices without a draw", "1 device without a draw".
pub fn count_text(n: usize) -> String {
    let devices = if n == 1 { "device" } else { "devices" };
    format!("{n} {devices} without a draw")
}

/// How many device names a message lists before "and N more".
const SHOWN: usize = 3;

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    (0..p.racks.len())
        .filter_map(|i| rack(p, RackId(i as u32)))
        .collect()
}

/// Whether anything checks the rack's draw: a feed with a circuit, its own
/// `power`, or its `cooling`.
fn checked(p: &Project, rack: RackId) -> bool {
    let r = &p.racks[rack.index()];
    r.power.is_some()
        || r.cooling.is_some()
        || r.feeds
            .iter()
            .any(|f| p.feeds[f.value.index()].circuit.is_some())
}

fn rack(p: &Project, id: RackId) -> Option<Finding> {
    if !checked(p, id) {
        return None;
    }
    let missing = missing_draws(p, id);
    if missing.is_empty() {
        return None;
    }
    let r = &p.racks[id.index()];
    let names: Vec<&str> = missing
        .iter()
        .map(|&d| p.devices[d.index()].name.as_str())
        .collect();
    let them = if missing.len() == 1 { "it" } else { "them" };
    let message = format!(
        "rack `{}` has {} ({}): its power and heat totals count {them} as 0 and are a lower bound",
        echo(&r.name),
        count_text(missing.len()),
        name_list(names.iter().copied(), SHOWN)
    );
    let d = Diagnostic::new(RULE.name, RULE.severity, r.span, message)
        .with_label(count_text(missing.len()))
        .with_data("missing", missing.len())
        .with_data(
            "devices",
            names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        )
        .with_subject(&r.name);
    Some(Finding::new(d, r.allows.clone()))
}
