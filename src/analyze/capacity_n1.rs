//! `capacity-n1`: after losing one instance, the rest cannot carry the load.

use super::failure;
use super::serving_text::{load_text, pair_note, rps};
use super::{percent, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ServiceId;
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "capacity-n1",
    severity: Severity::Warning,
    summary: "after losing one instance, the others cannot carry the service's load",
    doc: r#"## What it checks
For a service with a load (its `load`, else the rps `rate`s of the flows
through it, as `overload` counts them) and a per-instance `capacity`,
whether the instances that serve after losing one (N-1) still carry the
load. It applies to `ha active-active` pairs alike: one survivor must
carry both loads. An `ha active-standby` pair serves on one member only,
so losing the active leaves the standby's one instance, never "both";
a sharded service is judged per shard, each shard's weight of the load on
its own hosts. A load the instances cannot carry even with everything up
is `overload`'s finding, not this one. `data` keeps `capacity` per
instance and adds `remaining` (what serves after the loss), and `shard`
(counting from 1) with `service_load` for a shard.

## Why
Spare capacity is what turns a failure into a non-event. Instances
sized for the average load all run hot; when one dies, the others are
overloaded and the outage spreads instead of being contained.

## Example
```topo
service shop-web on web[1..3] { load 2500rps; capacity 1000rps }
```
After losing one instance, 2 × 1000 rps = 2000 rps remain for 2500 rps.

## Fix
Add instances, or raise the capacity of each (bigger hosts, more workers).
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let f = cx.failures();
    let mut out = Vec::new();
    for (i, s) in p.services.iter().enumerate() {
        let id = ServiceId(i as u32);
        let l = f.loads[i].as_ref();
        let Some(groups) = f.serving_now(p, id) else {
            continue;
        };
        let (Some(l), Some(capacity)) = (l, s.capacity) else {
            continue;
        };
        for g in groups {
            // Short with everything up is `overload`'s finding; nothing up
            // is another rule's.
            if g.up == 0 || g.overloaded() {
                continue;
            }
            let left = g.after_one_lost();
            let rest = g.capacity * left as f64;
            if rest >= g.load * (1.0 - 1e-9) {
                continue;
            }
            let name = echo(&s.name);
            let who = match g.shard {
                Some(k) => format!(
                    "shard {} of `{name}` needs {} ({} of {})",
                    k + 1,
                    rps(g.load),
                    percent(g.share),
                    rps(l.rps)
                ),
                None if l.declared => format!("`{name}` needs {}", rps(l.rps)),
                None => format!("`{name}` needs {}", load_text(p, l)),
            };
            let pair = pair_note(p, id);
            let message = if g.up == 1 {
                format!("{who}: after losing its only instance, nothing remains")
            } else {
                format!(
                    "{who}: after losing one of its {} instances, {left} × {} = {} remain{pair}",
                    g.up,
                    rps(g.capacity),
                    rps(rest)
                )
            };
            // Instances the load needs, as the failure model counts them;
            // null for a capacity of zero, which no count carries.
            let needed =
                (g.capacity > 0.0).then(|| failure::instances_needed(p, id, Some(l), g.shard));
            let primary = s.load.map_or(capacity.span, |x| x.span);
            let mut d = Diagnostic::new(RULE.name, RULE.severity, primary, message)
                .with_label("the load")
                .with_related(capacity.span, "capacity of one instance")
                .with_data("load", g.load)
                .with_data("capacity", g.capacity)
                .with_data("unit", "rps")
                .with_data("instances", g.up)
                .with_data("remaining", rest)
                .with_data("needed", needed);
            if let Some(k) = g.shard {
                d = d.with_data("shard", k + 1).with_data("service_load", l.rps);
            }
            out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
        }
    }
    out
}
