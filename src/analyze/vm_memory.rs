//! `vm-memory`: the VMs on a host, as placed or after another host fails
//! over onto it, need more memory than the host has.

use super::{overflow, Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{sizes_in_one_unit, Bytes, Percent};
use crate::model::Internals;
use crate::text::echo;
use rustc_hash::FxHashMap;
use std::sync::Arc;

pub static RULE: Rule = Rule {
    name: "vm-memory",
    severity: Severity::Error,
    summary: "the VMs on a host, as placed (error) or after a failover onto it (warning), need more memory than it has",
    doc: r#"## What it checks
For each host, the `ram` of the VMs placed on it against the host's memory:
the sum of its CPUs' DIMMs and `memory SIZE`, or its own `ram` when it
declares no CPU memory. Over it as placed is an error.

Then, for each host in turn, its failure: every VM on it with a `failover`
host restarts there. A failover host that then holds more than its memory
is a warning naming the failed host. Only one host fails at a time, as in
the failure model; a VM that fails over to its own host moves nowhere
(`vm-failover` reports that). A host already over as placed is reported
once, as placed.

A host whose memory is unknown is not checked; a VM without `ram` counts
for nothing, and the message says how many were left out (the load is then
a lower bound). A DIMM's `GB` is a JEDEC size, i.e. GiB: eight "32GB"
DIMMs hold 256 GiB. Both figures are given in one unit: binary (GiB) when
either is a whole number of binary units and not of decimal ones (a host
of DIMMs, VMs sized in `GiB`), decimal (GB) otherwise.

## Why
A hypervisor may overcommit CPU, but memory it can only overcommit by
swapping or ballooning, which makes every VM on the host slow. A VM that
cannot be restarted for lack of memory after a failover is not protected
by it: the cluster's admission control refuses it exactly when needed.

## Example
```topo
server h1 { ram 768GB }
server h2 { ram 256GB }
vm big[1..3] on h1 { failover h2; ram 320GB }   # 960 GB on 768 GB
```

## Fix
Move VMs to hosts with room, give the host more memory, or spread the
failover targets so that no host takes more than it can hold.
"#,
    check: Some(check),
};

/// The VMs' memory on one host: the sum, and how many had no `ram`.
#[derive(Clone, Copy, Default)]
struct Load {
    bytes: f64,
    unknown: usize,
}

impl Load {
    fn add(&mut self, ram: Option<f64>) {
        match ram {
            Some(b) => self.bytes += b,
            None => self.unknown += 1,
        }
    }
}

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut placed = vec![Load::default(); p.devices.len()];
    for v in &p.vms {
        if let Some(h) = v.host {
            placed[h.value.index()].add(v.ram.map(|r| r.value.get()));
        }
    }
    // A device's memory is its internals' (shared by every device of a
    // model: summed once per model) or its own `ram`, as `host_memory` says.
    let mut of_internals: FxHashMap<*const Internals, Option<f64>> = FxHashMap::default();
    let memory: Vec<Option<f64>> = p
        .devices
        .iter()
        .map(|d| {
            let inner = *of_internals
                .entry(Arc::as_ptr(&d.internals))
                .or_insert_with(|| d.internals.memory().map(|b| b.get()));
            inner
                .or(d.props.ram().map(|r| r.value.get()))
                .filter(|b| b.is_finite())
        })
        .collect();
    let over = |d: usize, load: &Load| memory[d].is_some_and(|m| load.bytes > m + 0.5);

    let mut out = Vec::new();
    // `ram` near the largest figure may not add up: no figure to compare.
    let overflowed = |d: usize, load: &Load, failed: Option<usize>| {
        // Named only for a finding: a data centre has a hundred thousand
        // hosts.
        if load.bytes.is_finite() {
            return None;
        }
        let device = &p.devices[d];
        let what = match failed {
            None => format!("the `ram` figures of the VMs on `{}`", echo(&device.name)),
            Some(f) => format!(
                "the `ram` figures of the VMs on `{}` after `{}` fails",
                echo(&device.name),
                echo(&p.devices[f].name)
            ),
        };
        (!load.bytes.is_finite())
            .then(|| overflow(device.span, &what, &device.name, device.allows.clone()))
    };
    for (d, load) in placed.iter().enumerate() {
        if let Some(f) = overflowed(d, load, None) {
            out.push(f);
        } else if over(d, load) {
            out.push(finding(cx, d, load, memory[d].unwrap(), None));
        }
    }
    // One host fails at a time: its VMs move to their failover hosts.
    // The vms with a failover host, by host (in vm order): each host's
    // failure moves only its own.
    let mut movable: Vec<(usize, usize)> = p
        .vms
        .iter()
        .enumerate()
        .filter_map(|(i, v)| match (v.host, v.failover) {
            (Some(h), Some(_)) => Some((h.value.index(), i)),
            _ => None,
        })
        .collect();
    movable.sort_unstable();
    for group in movable.chunk_by(|a, b| a.0 == b.0) {
        let failed = group[0].0;
        let mut moved: Vec<(usize, Load)> = Vec::new();
        for &(_, vi) in group {
            let v = &p.vms[vi];
            let Some(f) = v.failover else {
                continue;
            };
            let f = f.value.index();
            if f == failed {
                continue;
            }
            match moved.iter_mut().find(|(t, _)| *t == f) {
                Some((_, l)) => l.add(v.ram.map(|r| r.value.get())),
                None => {
                    let mut l = Load::default();
                    l.add(v.ram.map(|r| r.value.get()));
                    moved.push((f, l));
                }
            }
        }
        moved.sort_by_key(|(t, _)| *t);
        for (target, extra) in moved {
            if over(target, &placed[target]) || !placed[target].bytes.is_finite() {
                continue;
            }
            let total = Load {
                bytes: placed[target].bytes + extra.bytes,
                unknown: placed[target].unknown + extra.unknown,
            };
            if let Some(f) = overflowed(target, &total, Some(failed)) {
                out.push(f);
            } else if over(target, &total) {
                let m = memory[target].unwrap();
                out.push(finding(cx, target, &total, m, Some(failed)));
            }
        }
    }
    out
}

fn finding(cx: &Context, host: usize, load: &Load, memory: f64, failed: Option<usize>) -> Finding {
    let p = cx.project;
    let device = &p.devices[host];
    let sizes = sizes_in_one_unit(&[Bytes::new(load.bytes), Bytes::new(memory)]);
    let share = load.bytes / memory;
    let percent = Percent::from_fraction(share);
    let left_out = match load.unknown {
        0 => String::new(),
        1 => " (1 VM without `ram` not counted)".to_string(),
        n => format!(" ({n} VMs without `ram` not counted)"),
    };
    let figures = format!(
        "{} of VMs on `{}`, a {} host: {percent}{left_out}",
        sizes[0],
        echo(&device.name),
        sizes[1],
    );
    let (severity, message, scenario) = match failed {
        None => (RULE.severity, figures, "as placed".to_string()),
        Some(f) => {
            let name = &p.devices[f].name;
            (
                Severity::Warning,
                format!("after `{}` fails, {figures}", echo(name)),
                format!("host {name} fails"),
            )
        }
    };
    let mut d = Diagnostic::new(RULE.name, severity, device.span, message)
        .with_label(format!("{percent} of its memory"));
    if let Some(f) = failed {
        d = d.with_related(p.devices[f].span, "fails, and its VMs fail over here");
    }
    let d = d
        .with_data("load", load.bytes)
        .with_data("capacity", memory)
        .with_data("unit", "B")
        .with_data("percent", share * 100.0)
        .with_data("scenario", scenario)
        .with_data("unknown", load.unknown as f64)
        .with_subject(&device.name);
    Finding::new(d, device.allows.clone())
}
