//! `memory-interleave`: DIMMs are not populated evenly across a CPU's channels.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::PartKind;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "memory-interleave",
    severity: Severity::Warning,
    summary: "DIMMs are not populated evenly across a CPU's memory channels",
    doc: r#"## What it checks
For each CPU's `memory`, the DIMM count of every channel (`dimms 1 1 1 1
1 1 1 1`). Channels that hold a different count from the others are named.

## Why
The memory controller interleaves accesses over its channels only when the
same bank is filled in every channel. With uneven population part of
the memory runs on fewer channels, and its bandwidth drops by the same
share.

## Example
```topo
cpu cpu0 { memory ddr4-3200 { channels 8; dimms 2 2 2 2 1 1 1 1 } }
```
Channels 4-7 hold one DIMM, channels 0-3 two.

## Fix
Populate every channel alike: `dimms 1 1 1 1 1 1 1 1` or `2 2 2 2 2 2 2 2`.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for owner in cx.owners() {
        for part in &owner.internals.parts {
            let PartKind::Cpu(cpu) = &part.kind else {
                continue;
            };
            let Some(memory) = &cpu.memory else { continue };
            let Some(dimms) = &memory.dimms else { continue };
            let counts = &dimms.value;
            let Some(&max) = counts.iter().max() else {
                continue;
            };
            if counts.iter().all(|&c| c == max) {
                continue;
            }
            // The most common count is the intended population.
            let mut tally: Vec<(u32, usize)> = Vec::new();
            for &c in counts {
                match tally.iter_mut().find(|(v, _)| *v == c) {
                    Some(t) => t.1 += 1,
                    None => tally.push((c, 1)),
                }
            }
            tally.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
            let usual = tally[0].0;
            let odd: Vec<String> = counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c != usual)
                .map(|(i, c)| format!("{i} ({c})"))
                .collect();
            let listed: Vec<String> = counts.iter().map(u32::to_string).collect();
            let message = format!(
                "{} {}: DIMMs per channel {} are uneven: {} {} from the {usual} DIMM{} of the others, so accesses no longer interleave over all {} channels",
                owner.name,
                echo(&part.name),
                listed.join(" "),
                if odd.len() == 1 { "channel" } else { "channels" },
                odd.join(", ") + if odd.len() == 1 { " differs" } else { " differ" },
                if usual == 1 { "" } else { "s" },
                counts.len()
            );
            let d = Diagnostic::new(RULE.name, RULE.severity, dimms.span, message)
                .with_label("DIMMs per channel");
            let allows = owner.allows.iter().chain(&part.allows).copied().collect();
            out.push(Finding::new(
                d.with_subject(format!("{}.{}", owner.subject, part.name)),
                allows,
            ));
        }
    }
    out
}
