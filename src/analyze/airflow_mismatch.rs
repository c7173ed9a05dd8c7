//! `airflow-mismatch`: a device blows against its rack's airflow.

use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Airflow;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "airflow-mismatch",
    severity: Severity::Warning,
    summary: "a device's airflow runs against its rack's airflow or the rack's majority",
    doc: r#"## What it checks
Each racked device's `airflow` (NetBox's values: `front-to-rear`,
`rear-to-front`, `side-to-rear`, `rear-to-side`, ...) against the rack's
`airflow`, its cold-aisle direction. A rack that states none is judged by
the majority of its devices. Sideways, vertical, `passive` and `mixed`
devices are not judged.

## Why
Hot and cold aisles only work when every device takes air from the cold
aisle and exhausts into the hot one. A switch mounted the other way round
(a common mistake with top-of-rack switches, whose ports face the rear)
breathes the hot aisle's exhaust and overheats, and its exhaust warms the
cold aisle for its neighbours. NetBox records airflow but does not
check it.

## Example
```topo
rack r1 { airflow front-to-rear }
switch tor1 { rack r1 at U42; size 1U; airflow rear-to-front }
```

## Fix
Turn the device round (or order the reversed-airflow variant, "port-side
intake"), or correct its `airflow`.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for rack in &p.racks {
        let judged: Vec<(usize, Airflow, Airflow)> = rack
            .devices
            .iter()
            .filter_map(|d| {
                let a = p.devices[d.index()].props.airflow?.value;
                Some((d.index(), a, a.front_to_back()?))
            })
            .collect();
        let front = judged
            .iter()
            .filter(|x| x.2 == Airflow::FrontToRear)
            .count();
        let rear = judged.len() - front;
        let (direction, why) = match rack.airflow.as_deref() {
            Some(a) => (a.value, format!("whose airflow is {}", a.value.name())),
            None if front > rear => (
                Airflow::FrontToRear,
                format!(
                    "where {front} of {} devices blow front-to-rear",
                    judged.len()
                ),
            ),
            None if rear > front => (
                Airflow::RearToFront,
                format!(
                    "where {rear} of {} devices blow rear-to-front",
                    judged.len()
                ),
            ),
            None => continue,
        };
        for &(i, airflow, way) in &judged {
            if way == direction {
                continue;
            }
            let d = &p.devices[i];
            let span = d.props.airflow.map_or(d.span, |a| a.span);
            let message = format!(
                "`{}` blows {} in rack `{}`, {why}: it takes in the hot aisle's exhaust",
                echo(&d.name),
                airflow.name(),
                echo(&rack.name)
            );
            let mut diagnostic = Diagnostic::new(RULE.name, RULE.severity, span, message)
                .with_label("against the rack");
            if let Some(a) = rack.airflow.as_deref() {
                diagnostic = diagnostic.with_related(a.span, "the rack's airflow");
            }
            out.push(Finding::new(
                diagnostic.with_subject(&d.name),
                d.allows.iter().chain(&rack.allows).copied().collect(),
            ));
        }
    }
    out
}
