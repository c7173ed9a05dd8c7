//! Times each stage of `topo check` on one file, three times, with the
//! resident set after each: where the time and the memory of a check go.
//!
//! ```text
//! cargo run --release --example stages -- FILE [lex|parse|lower]
//! ```
//!
//! `parse` or `lower` stops each round after that stage; `lex` times only
//! the scan that splits the file into statements (every byte read once,
//! strings and comments skipped), the floor a parser is compared with.

use std::time::Instant;

/// The allocator of the `topo` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resident set in MiB, from /proc (0 where there is none).
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / (1 << 20))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: stages FILE [lex|parse|lower]");
        std::process::exit(2);
    };
    let stop_after = args.next().unwrap_or_default();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("stages: cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    for _ in 0..3 {
        if stop_after == "lex" {
            let t = Instant::now();
            let chunks = topo::syntax::chunk::split(topo::source::FileId(0), &text);
            let lex = t.elapsed();
            eprintln!(
                "lex {lex:.1?}: {} statements in {} bytes",
                chunks.chunks.len(),
                text.len()
            );
            continue;
        }
        let t = Instant::now();
        let loaded = topo::model::load_sources(&[(path.as_str(), text.as_str())]);
        let load = t.elapsed();
        let after_load = resident_mib();
        if stop_after == "parse" {
            eprintln!("parse {load:.1?} ({after_load} MiB)");
            continue;
        }
        let t = Instant::now();
        let (project, language) = topo::model::lower::lower(&loaded);
        let lower = t.elapsed();
        let after_lower = resident_mib();
        if stop_after == "lower" {
            eprintln!("parse {load:.1?} ({after_load} MiB)  lower {lower:.1?} ({after_lower} MiB)");
            continue;
        }
        let t = Instant::now();
        let findings = topo::analyze::analyze(&project);
        let analyze = t.elapsed();
        let after_analyze = resident_mib();
        let t = Instant::now();
        drop(project);
        drop(loaded);
        let free = t.elapsed();
        eprintln!(
            "parse {load:.1?} ({after_load} MiB)  lower {lower:.1?} ({after_lower} MiB)  \
             analyze {analyze:.1?} ({after_analyze} MiB)  free {free:.1?}  \
             [{} language, {} findings]",
            language.len(),
            findings.len()
        );
    }
}
