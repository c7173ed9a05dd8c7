//! `cache-exceeds-memory`: a service's cache is larger than its host's memory.

use super::failure::name_list;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "cache-exceeds-memory",
    severity: Severity::Error,
    summary: "a service's cache is larger than the memory of its host",
    doc: r#"## What it checks
A service's `cache` against the memory of each of its hosts: a server's
DIMMs (DIMMs per channel × `dimm-size`, over every CPU) or a vm's `ram`.
Hosts whose memory the project does not state are skipped.

## Why
A database keeps what it has read in shared memory and serves the next
read from there; an in-memory database keeps everything there. A
cache larger than the host's memory is swapped to disk, which is slower
than having no cache at all.

## Example
```topo
server db1 { cpu cpu0 { memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 16GB } } }
service shop-db on db1 { cache 256GB }   # db1 has 128 GB
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
        let short: Vec<String> = s
            .hosts
            .iter()
            .filter_map(|h| {
                let memory = p.host_memory(h.value)?;
                (cache.value > memory).then(|| format!("{} has {memory}", p.host_name(h.value)))
            })
            .collect();
        if short.is_empty() {
            continue;
        }
        let message = format!(
            "`{}` caches {} but {}",
            echo(&s.name),
            cache.value,
            name_list(short.iter().map(String::as_str), 4)
        );
        let d = Diagnostic::new(RULE.name, RULE.severity, cache.span, message)
            .with_label("larger than memory");
        out.push(Finding::new(d.with_subject(&s.name), s.allows.clone()));
    }
    out
}
