//! `interface-cap`: a disk is faster than the bus it sits on.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Medium, PartKind};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "interface-cap",
    severity: Severity::Info,
    summary: "a disk is faster than the bus it sits on, and is capped to it",
    doc: r#"## What it checks
A disk's `throughput` against the bus it hangs on. A disk faster than its
own bus moves only what the bus carries; the capped figure is what counts
further up the tree (`bus-bottleneck` uses it and does not report the disk
a second time).

## Why
SSD interfaces rank SATA < SAS < NVMe: an NVMe-class SSD on `sata3`
gives 600 MB/s, not its 3.5 GB/s. This is often deliberate (a cheap boot
drive), so it is information, not a warning. A disk marked `nvme` on a
SATA or SAS bus is another matter: no such drive fits that port, and it is
an `invalid-value` error, not this info.

## Example
```topo
disk fast0 { ssd; throughput 3.5GB/s; bus sata3 to pch }   # capped to 600 MB/s
```

## Fix
Put the drive on an interface that carries it (`pcie4 x4` for NVMe), or
state the throughput the drive really reaches on this bus.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for owner in cx.owners() {
        for part in &owner.internals.parts {
            let (PartKind::Disk(disk), Some(bus)) = (&part.kind, &part.bus) else {
                continue;
            };
            let Some(throughput) = disk.throughput else {
                continue;
            };
            let capacity = bus.spec.bandwidth;
            if throughput.value.get() <= capacity.get() * (1.0 + 1e-9) {
                continue;
            }
            let medium = match disk.medium.map(|m| m.value) {
                Some(Medium::Nvme) => "NVMe disk",
                Some(Medium::Ssd) => "SSD",
                Some(Medium::Hdd) => "HDD",
                None => "disk",
            };
            let message = format!(
                "{} {}: {medium} of {} on {} = {capacity}: capped to {capacity}",
                owner.name,
                echo(&part.name),
                throughput.value,
                bus.spec.label
            );
            let d = Diagnostic::new(RULE.name, RULE.severity, bus.span, message)
                .with_label(format!("{} carries {capacity}", bus.spec.label))
                .with_related(
                    throughput.span,
                    format!("the disk moves {}", throughput.value),
                );
            let allows = owner.allows.iter().chain(&part.allows).copied().collect();
            out.push(Finding::new(
                d.with_subject(format!("{}.{}", owner.subject, part.name)),
                allows,
            ));
        }
    }
    out
}
