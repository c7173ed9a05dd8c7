//! `oversubscription`: a switch's downlink capacity against its uplink
//! capacity.

use super::failure::forwards;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::physical::PortGroup;
use crate::model::units::{bit_rate, format_sig3_trim, BytesPerSecond};
use crate::model::{DeviceId, DeviceKind, Link, Project};
use crate::text::echo;

/// The ratio a switch may reach when it states none: 3:1, the usual design
/// bound for a leaf in a data centre fabric.
pub const DEFAULT_LIMIT: f64 = 3.0;

pub static RULE: Rule = Rule {
    name: "oversubscription",
    severity: Severity::Warning,
    summary: "a switch's downlink capacity exceeds its uplink capacity by more than 3:1 or its own oversubscription",
    doc: r#"## What it checks
For every `switch`, the capacity of its downlinks over the capacity of its
uplinks, against 3:1 or the switch's own `oversubscription N` (N:1). The
left side of `link A to B` is downstream: a link is a downlink of the
switch on its right (`link web1 to leaf1`) and an uplink of the switch on
its left (`link leaf1 to spine1`) — when the device above forwards (a
switch, router, firewall or lb). A cable between a switch and a server,
array or other endpoint is an edge port, a downlink, whichever way it is
written: `link fcsw1 to san1` is the array's port on the fabric, not the
fabric's way out. A link's capacity is its speed × `count`.

Not checked: a switch with no uplinks (the top of the fabric: nothing
above it to be oversubscribed to) or no downlinks, and a switch with a
link that states no `speed` (its ratio is unknown).

## Why
When every server below a switch sends out of the rack at once, the
uplinks carry what they can and the rest queues or drops. Some
oversubscription is normal (servers rarely all send at line rate); past 3:1
east-west traffic — storage, replication, shuffles — runs short. A switch
designed for more states it (`oversubscription 5`).

## Example
```topo
switch leaf1 {}
switch spine[1..2] {}
server web[1..40] {}
link web[1..40] to leaf1 { speed 25GbE }     # 1 Tb/s down
link leaf1 to spine[1..2] { speed 100GbE }   # 200 Gb/s up: 5:1
```

## Fix
Add uplinks (or faster ones), move servers to another switch, or state the
ratio the design accepts: `switch leaf1 { oversubscription 5 }`.
"#,
    check: Some(check),
};

/// One side of a switch: its links, grouped by speed in the order first
/// written, and their capacity.
#[derive(Default)]
struct Side {
    groups: Vec<PortGroup>,
    total: f64,
    links: usize,
}

impl Side {
    fn add(&mut self, speed: BytesPerSecond, count: u32) {
        self.links += 1;
        self.total += speed.get() * f64::from(count);
        match self.groups.iter_mut().find(|g| g.speed == speed) {
            Some(g) => g.count = g.count.saturating_add(count),
            None => self.groups.push(PortGroup { count, speed }),
        }
    }

    /// `40 × 25GbE = 1 Tb/s`, `38 × 25GbE + 2 × 10GbE = 970 Gb/s`.
    fn label(&self) -> String {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| format!("{} × {}", g.count, g.speed_label()))
            .collect();
        format!("{} = {}", groups.join(" + "), bit_rate(self.total))
    }
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    // Per device: (down, up, a link without speed seen). One pass over the
    // links: a data centre has hundreds of thousands of them.
    // Only switches have sides: a slot per switch, in device order, so a
    // data centre's servers cost no entry.
    let mut slot = vec![u32::MAX; p.devices.len()];
    let mut switches: Vec<usize> = Vec::new();
    for (i, d) in p.devices.iter().enumerate() {
        if d.kind == DeviceKind::Switch {
            slot[i] = switches.len() as u32;
            switches.push(i);
        }
    }
    let mut sides: Vec<Option<(Side, Side, bool)>> = switches.iter().map(|_| None).collect();
    for l in &p.links {
        switch_ends(p, l, |i, uplink| {
            add(p, &mut sides[slot[i] as usize], l, uplink)
        });
    }
    let mut out = Vec::new();
    for (&i, entry) in switches.iter().zip(&sides) {
        let Some((down, up, unknown)) = entry else {
            continue;
        };
        if *unknown || up.links == 0 || down.links == 0 || up.total <= 0.0 {
            continue;
        }
        let d = &p.devices[i];
        let own = d.props.oversubscription();
        let limit = own.map_or(DEFAULT_LIMIT, |o| o.value);
        let ratio = down.total / up.total;
        // Two-decimal slack: 1 Tb/s over 333 Gb/s is 3:1 as designed.
        if !ratio.is_finite() || ratio <= limit * (1.0 + 1e-3) {
            continue;
        }
        let (ratio_text, limit_text) = (format_sig3_trim(ratio), format_sig3_trim(limit));
        let message = format!(
            "`{}` has {} down and {} up: {ratio_text}:1, over {limit_text}:1",
            echo(&d.name),
            down.label(),
            up.label(),
        );
        let mut diag = Diagnostic::new(RULE.name, RULE.severity, d.span, message)
            .with_label(format!("{ratio_text}:1"))
            .with_data("down", down.total)
            .with_data("up", up.total)
            .with_data("ratio", ratio)
            .with_data("limit", limit)
            .with_data("unit", "B/s");
        diag = match own {
            Some(o) => diag.with_related(o.span, "the switch's own limit"),
            None => diag.with_help(format!(
                "add uplinks, or state the ratio the design accepts: `oversubscription {}`",
                format_sig3_trim(ratio.ceil())
            )),
        };
        out.push(Finding::new(diag.with_subject(&d.name), d.allows.clone()));
    }
    out
}

/// Calls `on(device, uplink)` for each end of a link on a switch: the
/// switch on the right of `to` takes it as a downlink; the one on the
/// left as an uplink when the device above forwards.
fn switch_ends(p: &Project, l: &Link, mut on: impl FnMut(usize, bool)) {
    let (below, above) = (l.from.device.index(), l.to.device.index());
    if below == above {
        return;
    }
    let switch = |i: usize| p.devices[i].kind == DeviceKind::Switch;
    if switch(above) {
        on(above, false);
    }
    if switch(below) {
        // Only a device that forwards is above a switch: a cable from a
        // switch to a server or an array, whichever way it is written, is
        // an edge port (an FC switch's link to its array is host fan-in,
        // not an uplink).
        on(below, forwards(p.devices[above].kind));
    }
}

/// A switch's downlinks and uplinks as the rule weighs them, for hover:
/// "down 40 × 25GbE = 1 Tb/s, up 2 × 100GbE = 200 Gb/s: 5:1 (limit 3:1)".
/// `None` for a device that is not a switch or has no links.
pub fn summary(p: &Project, d: DeviceId) -> Option<String> {
    if p.devices[d.index()].kind != DeviceKind::Switch {
        return None;
    }
    let mut entry = None;
    for l in &p.links {
        switch_ends(p, l, |i, uplink| {
            if i == d.index() {
                add(p, &mut entry, l, uplink);
            }
        });
    }
    let (down, up, unknown) = entry?;
    if unknown {
        return Some("oversubscription unknown: a link of it states no `speed`".into());
    }
    let side = |s: &Side| {
        if s.links == 0 {
            "none".to_string()
        } else {
            s.label()
        }
    };
    let limit = p.devices[d.index()]
        .props
        .oversubscription()
        .map_or(DEFAULT_LIMIT, |o| o.value);
    let ratio = if up.total > 0.0 && down.links > 0 {
        format!(
            ": {}:1 (limit {}:1)",
            format_sig3_trim(down.total / up.total),
            format_sig3_trim(limit)
        )
    } else {
        String::new()
    };
    Some(format!("down {}, up {}{ratio}", side(&down), side(&up)))
}

fn add(p: &Project, entry: &mut Option<(Side, Side, bool)>, l: &Link, uplink: bool) {
    let (down, up, unknown) = entry.get_or_insert_with(Default::default);
    let Some(speed) = l.speed(p) else {
        *unknown = true;
        return;
    };
    let count = l.count(p).map_or(1, |c| c.value);
    if uplink {
        up.add(speed.value, count);
    } else {
        down.add(speed.value, count);
    }
}
