//! `shard-skew`: the largest shard weight exceeds the mean by more than 25 %.

use super::{times, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "shard-skew",
    severity: Severity::Warning,
    summary: "the largest shard weight exceeds the mean by more than 25 %",
    doc: r#"## What it checks
A `shard by KEY { weights ... }`: the largest weight against the mean of
all weights. More than 1.25 times the mean is reported.

## Why
A horizontal split only scales when the load divides evenly: the
busiest shard saturates first and sets the limit for the whole service,
while the others idle. Skew comes from the key: a few large customers, one
busy region.

## Example
```topo
shard by customer-id { weights 25% 25% 35% 15% }   # 35 % is 1.4× the mean of 25 %
```

## Fix
Choose a key that spreads the load, split the hot shard, or give it a
bigger host.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for s in &p.services {
        let Some(shard) = &s.shard else { continue };
        let Some(weights) = &shard.weights else {
            continue;
        };
        let w = &weights.value;
        if w.len() < 2 {
            continue;
        }
        let mean = w.iter().map(|x| x.value.get()).sum::<f64>() / w.len() as f64;
        let (index, largest) = w
            .iter()
            .enumerate()
            .max_by(|a, b| {
                a.1.value
                    .get()
                    .total_cmp(&b.1.value.get())
                    .then(b.0.cmp(&a.0))
            })
            .expect("at least two weights");
        if mean <= 0.0 || largest.value.get() <= mean * 1.25 + 1e-9 {
            continue;
        }
        let message = format!(
            "`{}` shard {} of {} holds {} of {}, {} the mean of {}: it saturates first",
            echo(&s.name),
            index + 1,
            w.len(),
            largest.value,
            shard.key,
            times(largest.value.get() / mean),
            crate::model::units::Percent::new(mean)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, largest.span, message)
            .with_label("the largest shard");
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}
