//! `cache-exceeds-memory`: a service's cache is larger than its host's memory.

use super::failure::name_list;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::units::{sizes_in_one_unit, Bytes};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "cache-exceeds-memory",
    severity: Severity::Error,
    summary: "a service's cache is larger than the memory of its host",
    doc: r#"## What it checks
A service's `cache` against the memory of each of its hosts: a server's
DIMMs (DIMMs per channel × `dimm-size`, over every CPU) and its CPUs'
`memory SIZE`, else its own `ram`, or a vm's `ram`. A DIMM's `GB` is a
JEDEC size, i.e. GiB: eight "16GB" DIMMs hold 128 GiB (137.4 GB).
Hosts whose memory the project does not state are skipped.

The message gives the cache and each host's memory in one unit: binary
(GiB) when either side is a whole number of binary units and not of
decimal ones (a host of DIMMs, a cache in `GiB`), decimal (GB)
otherwise. Its data holds the cache (`load`), the smallest memory it
exceeds (`capacity`), both in bytes, their ratio (`percent`) and the
hosts (`hosts`).

## Why
A database keeps what it has read in shared memory and serves the next
read from there; an in-memory database keeps everything there. A
cache larger than the host's memory is swapped to disk, which is slower
than having no cache at all.

## Example
```topo
server db1 { cpu cpu0 { memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 16GB } } }
service shop-db on db1 { cache 160GiB }   # db1 has 8 × 16 GiB = 128 GiB
```

## Fix
Shrink the cache below the memory (leaving room for the OS and
connections), or give the host more memory.
"#,
    check: Some(check),
};

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let mut out = Vec::new();
    for s in &p.services {
        let Some(cache) = s.cache else { continue };
        let short: Vec<(&str, Bytes)> = s
            .hosts
            .iter()
            .filter_map(|h| {
                let memory = p.host_memory(h.value)?;
                (cache.value > memory).then(|| (p.host_name(h.value), memory))
            })
            .collect();
        if short.is_empty() {
            continue;
        }
        // The cache and every host's memory in one unit.
        let mut sizes = vec![cache.value];
        sizes.extend(short.iter().map(|(_, m)| *m));
        let text = sizes_in_one_unit(&sizes);
        let hosts: Vec<String> = short
            .iter()
            .zip(&text[1..])
            .map(|((name, _), memory)| format!("{} has {memory}", echo(name)))
            .collect();
        let message = format!(
            "`{}` caches {} but {}",
            echo(&s.name),
            text[0],
            name_list(hosts.iter().map(String::as_str), 4)
        );
        // The smallest memory is the one the cache misses by most.
        let memory = short.iter().map(|(_, m)| *m).fold(cache.value, Bytes::min);
        let d = Diagnostic::new(RULE.name, RULE.severity, cache.span, message)
            .with_label("larger than memory")
            .with_data("load", cache.value.get())
            .with_data("capacity", memory.get())
            .with_data("unit", "B")
            .with_data("percent", cache.value / memory * 100.0)
            .with_data(
                "hosts",
                short.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>(),
            );
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}
