//! `bus-bottleneck`: what sits behind a bus can move more than it carries.

use super::{times, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::BytesPerSecond;
use crate::model::{Internals, Part, PartKind};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "bus-bottleneck",
    severity: Severity::Warning,
    summary: "what sits behind a bus can move more than the bus carries",
    doc: r#"## What it checks
Inside each server, parts hang off each other by buses (`bus pcie3 x8 to
cpu0`) in a tree rooted at the CPUs. For every bus, the demand of what
hangs behind it is compared with what the bus carries per direction:
a NIC's ports × speed, a card's throughput, an HBA's ports, a disk's
throughput capped by its own bus, and for a chipset or controller the sum
of everything below it. What a lower bus cannot carry does not count
further up, so each bottleneck is reported once, where it is.

## Why
Closer to the CPU means more bandwidth, and there must be no bottleneck
between the CPU and the devices. The link people forget is the
external one: a dual-port 100GbE NIC moves 25 GB/s, but a PCIe 3.0 x8 slot
carries 7.88 GB/s; four NVMe drives behind the chipset share its DMI 3.0
uplink of 3.94 GB/s.

## Example
```topo
server s {
  cpu cpu0 { cores 24 }
  chipset pch { bus dmi3 to cpu0 }
  nic nic0 { ports 2 x 100GbE; bus pcie3 x8 to cpu0 }              # 25.0 GB/s on 7.88 GB/s
  disk nvme[0..3] { nvme; throughput 3.5GB/s; bus pcie3 x4 to pch } # 14.0 GB/s on 3.94 GB/s
}
```

## Fix
Move the device to a wider or newer slot (`pcie4 x16`), hang fast disks off
the CPU instead of the chipset, or spread them over both sockets. Where the
design accepts it (a NIC whose ports are for redundancy, not throughput),
say so with `allow bus-bottleneck` on the part.
"#,
    check: Some(check),
};

/// What each part can move towards the CPU: its own demand plus what its
/// children carry up.
pub struct Demand {
    /// Own demand: ports, throughput (not yet capped by its bus).
    pub own: Vec<BytesPerSecond>,
    /// Own demand plus what the children deliver.
    pub total: Vec<BytesPerSecond>,
    /// Children of each part, in declaration order.
    pub children: Vec<Vec<usize>>,
}

/// What a part moves by itself.
fn own_demand(part: &Part) -> BytesPerSecond {
    match &part.kind {
        PartKind::Nic { ports } | PartKind::Hba { ports } => {
            ports.map_or(BytesPerSecond::new(0.0), |p| p.value.total())
        }
        PartKind::Card { throughput } => throughput.map_or(BytesPerSecond::new(0.0), |t| t.value),
        PartKind::Disk(d) => d.throughput.map_or(BytesPerSecond::new(0.0), |t| t.value),
        PartKind::Cpu(_) | PartKind::Chipset | PartKind::Controller(_) | PartKind::Bridge => {
            BytesPerSecond::new(0.0)
        }
    }
}

/// What a part delivers to its parent: its demand, capped by its own bus.
pub fn carried(internals: &Internals, demand: &Demand, i: usize) -> BytesPerSecond {
    match &internals.parts[i].bus {
        Some(bus) => demand.total[i].min(bus.spec.bandwidth),
        None => demand.total[i],
    }
}

pub fn demand(internals: &Internals) -> Demand {
    let parts = &internals.parts;
    let mut children = vec![Vec::new(); parts.len()];
    for (i, p) in parts.iter().enumerate() {
        if let Some(parent) = p.parent {
            children[parent].push(i);
        }
    }
    let own: Vec<BytesPerSecond> = parts.iter().map(own_demand).collect();
    let mut d = Demand {
        total: own.clone(),
        own,
        children,
    };
    // Children before parents: an iterative post-order from every root.
    let mut order = Vec::with_capacity(parts.len());
    let mut stack: Vec<(usize, bool)> = (0..parts.len())
        .filter(|&i| parts[i].parent.is_none())
        .map(|i| (i, false))
        .collect();
    while let Some((i, expanded)) = stack.pop() {
        if expanded {
            order.push(i);
        } else {
            stack.push((i, true));
            stack.extend(d.children[i].iter().map(|&c| (c, false)));
        }
    }
    for i in order {
        let below: BytesPerSecond = d.children[i]
            .iter()
            .map(|&c| carried(internals, &d, c))
            .sum();
        d.total[i] = d.own[i] + below;
    }
    d
}

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for owner in cx.owners() {
        let inside = &**owner.internals;
        let d = demand(inside);
        for (i, part) in inside.parts.iter().enumerate() {
            let Some(bus) = &part.bus else { continue };
            // A disk alone on too slow a bus is `interface-cap`.
            if matches!(part.kind, PartKind::Disk(_)) && d.children[i].is_empty() {
                continue;
            }
            let capacity = bus.spec.bandwidth;
            let demand = d.total[i];
            if capacity.get() <= 0.0 || demand.get() <= capacity.get() * (1.0 + 1e-9) {
                continue;
            }
            let parent = part.parent.map_or("", |q| inside.parts[q].name.as_str());
            let (path, what) = describe(inside, &d, i);
            let message = format!(
                "{} {path}: {what} = {demand} behind {} = {capacity} ({} over)",
                owner.name,
                bus.spec.label,
                times(demand / capacity)
            );
            let mut diagnostic = Diagnostic::new(RULE.name, RULE.severity, bus.span, message)
                .with_label(format!("{} to {parent} carries {capacity}", bus.spec.label));
            for (name, what, first) in group(inside, &d, &d.children[i]) {
                let moves = what.strip_prefix(&format!("{name} ")).unwrap_or(&what);
                diagnostic = diagnostic
                    .with_related(inside.parts[first].span, format!("`{name}` moves {moves}"));
            }
            let allows = owner.allows.iter().chain(&part.allows).copied().collect();
            out.push(Finding::new(
                diagnostic.with_subject(format!("{}.{}", owner.subject, part.name)),
                allows,
            ));
        }
    }
    out
}

/// The path from the demand to the bus (`nvme0..3 → pch`) and what the
/// demand is made of (`2 × 100GbE`, `4 × 3.50 GB/s`).
fn describe(inside: &Internals, d: &Demand, i: usize) -> (String, String) {
    let part = &inside.parts[i];
    let mut pieces = Vec::new();
    if d.own[i].get() > 0.0 {
        pieces.push(own_description(part, d.own[i]));
    }
    let groups = group(inside, d, &d.children[i]);
    let names: Vec<String> = groups.iter().map(|g| g.0.clone()).collect();
    pieces.extend(groups.into_iter().map(|(_, what, _)| what));
    let path = if names.is_empty() {
        part.name.clone()
    } else {
        format!("{} → {}", names.join(" + "), echo(&part.name))
    };
    (path, pieces.join(" + "))
}

fn own_description(part: &Part, own: BytesPerSecond) -> String {
    match &part.kind {
        PartKind::Nic { ports: Some(p) } | PartKind::Hba { ports: Some(p) } => p.value.label(),
        _ => own.to_string(),
    }
}

/// Children grouped by name stem and figure: `nvme0..3` moving `4 × 3.50 GB/s`.
/// Each group: its name, what it moves, and its first part.
fn group(inside: &Internals, d: &Demand, children: &[usize]) -> Vec<(String, String, usize)> {
    struct Run<'a> {
        index: usize,
        stem: &'a str,
        first: &'a str,
        last_digits: &'a str,
        count: usize,
        figure: BytesPerSecond,
    }
    let mut runs: Vec<Run> = Vec::new();
    for &c in children {
        let name = inside.parts[c].name.as_str();
        let figure = carried(inside, d, c);
        let stem = name.trim_end_matches(|ch: char| ch.is_ascii_digit());
        let digits = &name[stem.len()..];
        let follows = |run: &Run| {
            let (Ok(previous), Ok(next)) = (run.last_digits.parse::<u64>(), digits.parse::<u64>())
            else {
                return false;
            };
            run.stem == stem && run.figure == figure && previous + 1 == next
        };
        match runs.last_mut() {
            Some(run) if follows(run) => {
                run.last_digits = digits;
                run.count += 1;
            }
            _ => runs.push(Run {
                index: c,
                stem,
                first: name,
                last_digits: digits,
                count: 1,
                figure,
            }),
        }
    }
    runs.into_iter()
        .map(|r| {
            if r.count == 1 {
                (
                    r.first.to_string(),
                    format!("{} {}", r.first, r.figure),
                    r.index,
                )
            } else {
                let name = format!("{}..{}", r.first, r.last_digits);
                (name, format!("{} × {}", r.count, r.figure), r.index)
            }
        })
        .collect()
}
