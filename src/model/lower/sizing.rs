//! How many elements, names and links a project declares, counted from
//! its syntax trees before lowering, so that every list is sized once
//! rather than grown by doubling (which holds two copies at its peak).

use super::*;

/// What the project declares, each within the element limit.
pub(super) struct Declared {
    pub(super) names: usize,
    /// Top-level statements, in all files.
    pub(super) statements: usize,
    /// By top-level keyword (`rack`, `service`, `server` …).
    pub(super) per_keyword: FxHashMap<&'static str, usize>,
}

/// How many elements the project declares, of each kind and in all (the
/// devices are the sum of the device keywords). Every list of elements and
/// the map of names are sized once rather than grown by doubling, which
/// holds two copies at its peak: two million racks from a file of twenty
/// lines (an estimate too large would double the map).
pub(super) fn declared(files: &[(FileId, Arc<Ast>)]) -> Declared {
    let mut names: u64 = 0;
    let mut statements = 0;
    let mut per_keyword: FxHashMap<&'static str, u64> = FxHashMap::default();
    for (_, ast) in files {
        statements += ast.statements.len();
        for s in &ast.statements {
            let Some(keyword) = s.keyword() else { continue };
            if matches!(keyword, "include" | "allow" | "link" | "replicate")
                || schema::top_level(keyword).is_none()
            {
                continue;
            }
            let Some(first) = s.args().first() else {
                continue;
            };
            // One name (nearly every declaration) is one element.
            let count = if first.plain().is_some() {
                1
            } else {
                match first.word() {
                    Some(w) if !w.is_dotted() => segment_count(&w.segments()[0]).unwrap_or(0),
                    _ => continue,
                }
            };
            names = names.saturating_add(count);
            if let Some(kind) = schema::top_level(keyword) {
                let n = per_keyword.entry(kind.keyword).or_default();
                *n = n.saturating_add(count);
            }
        }
    }
    let limit = |n: u64| n.min(MAX_ELEMENTS) as usize;
    Declared {
        names: limit(names),
        statements,
        per_keyword: per_keyword
            .into_iter()
            .map(|(k, n)| (k, limit(n)))
            .collect(),
    }
}

/// How many links the project's `link` statements make, within the element
/// limit (every device on the left to every one on the right), and how
/// many `link` statements there are. Sized once, like the devices.
pub(super) fn links_declared(decls: &[Pending], trees: &Trees) -> (usize, usize) {
    let names = |item: &Item| match item.plain() {
        Some(_) => 1,
        None => item.word().map_or(0, |w| word_count(&w).unwrap_or(0)),
    };
    let ends = |items: &[Item]| -> u64 { items.iter().map(names).fold(0, u64::saturating_add) };
    let mut count: u64 = 0;
    let mut statements = 0;
    for d in decls.iter().filter(|d| d.keyword() == "link") {
        statements += 1;
        let args = trees.get(d.tree).args();
        if let Some(split) = args.iter().position(|i| i.plain() == Some("to")) {
            let links = ends(&args[..split]).saturating_mul(ends(&args[split + 1..]));
            count = count.saturating_add(links);
        }
    }
    (
        count.min(MAX_ELEMENTS) as usize,
        statements.min(MAX_ELEMENTS as usize),
    )
}
