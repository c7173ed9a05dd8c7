//! Pass 2: every declaration lowered, in the order its kind's code needs,
//! and its syntax tree freed as soon as it is, when lowering owns the trees.
//!
//! The trees of a large project are its largest allocation (several times
//! its text), and they are at their largest when lowering starts: freed one
//! declaration at a time, they make room for the model as it grows instead
//! of adding to it.

use super::*;

/// Every file's top-level statements: borrowed from the caller (an editor
/// keeps its trees), or owned by lowering, which frees each declaration's
/// tree once it is lowered.
pub(super) enum Trees<'t> {
    Borrowed(Vec<(FileId, &'t [Statement])>),
    Owned(Vec<(FileId, Vec<Statement>)>),
}

/// Where a top-level statement is: its file's place in [`Trees`], and its
/// own in that file.
#[derive(Debug, Clone, Copy)]
pub(super) struct TreeAt {
    file: u32,
    index: u32,
}

impl TreeAt {
    pub(super) fn new(file: usize, index: usize) -> TreeAt {
        // A file is at most 64 MiB, and a statement takes at least a byte.
        TreeAt {
            file: file as u32,
            index: index as u32,
        }
    }
}

impl Trees<'_> {
    /// The `file`th file's id and top-level statements.
    pub(super) fn of_file(&self, file: usize) -> (FileId, &[Statement]) {
        match self {
            Trees::Borrowed(files) => files[file],
            Trees::Owned(files) => (files[file].0, &files[file].1),
        }
    }

    pub(super) fn get(&self, at: TreeAt) -> &Statement {
        &self.of_file(at.file as usize).1[at.index as usize]
    }

    /// Frees what a statement holds but where it is (a borrowed one is the
    /// caller's to keep); true if it did.
    fn free(&mut self, at: TreeAt) -> bool {
        let Trees::Owned(files) = self else {
            return false;
        };
        let statement = &mut files[at.file as usize].1[at.index as usize];
        statement.items = Box::default();
        statement.block = None;
        true
    }

    pub(super) fn files(&self) -> usize {
        match self {
            Trees::Borrowed(files) => files.len(),
            Trees::Owned(files) => files.len(),
        }
    }

    /// Where every top-level statement is, in order (what is left of the
    /// trees once lowered).
    pub(super) fn spans(&self) -> Vec<Span> {
        (0..self.files())
            .flat_map(|file| self.of_file(file).1.iter().map(|s| s.span))
            .collect()
    }
}

/// How many trees are freed between two calls of the caller's `release`
/// (which hands the freed pages back to the system): often enough that the
/// model's growth meets returned pages, seldom enough to cost nothing.
pub(super) const RELEASE_EVERY: usize = 16_384;

/// What a kind's code reads of other elements must be lowered first:
/// devices read their rack's feeds, vms and services their hosts.
const LAST_RANK: u8 = 6;
const MODEL_RANK: u8 = 1;

fn rank(keyword: &str) -> u8 {
    match keyword {
        "site" | "power" | "feed" | "rack" | "tier" => 0,
        "model" => MODEL_RANK,
        "vm" => 3,
        "service" | "dns" => 4,
        "client" | "cdn" => 5,
        "flow" | "partition" | "replicate" | "link" | "fault-domain" => LAST_RANK,
        _ => 2, // devices
    }
}

impl Lowerer<'_> {
    /// Lowers every declaration; false when `cancelled` said yes first.
    pub(super) fn lower_all(&mut self, trees: &mut Trees, cancelled: &dyn Fn() -> bool) -> bool {
        let pending = std::mem::take(&mut self.decls);
        // In declaration order within each rank: a stable bucketing, with
        // each keyword ranked once.
        let ranks: Vec<u8> = pending.iter().map(|d| rank(d.keyword())).collect();
        let ranks = &ranks;
        let of_rank = |r: u8| (0..pending.len()).filter(move |&i| ranks[i] == r);
        let mut done = 0;
        let mut freed = 0;
        for r in 0..=LAST_RANK {
            if r == LAST_RANK {
                // Sized now rather than first: by now the trees of every
                // device are freed, and the lists take their room.
                let (links, link_statements) = links_declared(&pending, trees);
                self.p.links.reserve(links);
                self.p.link_statements.reserve(link_statements);
            }
            if r == MODEL_RANK {
                if !self.resolve_models(&pending, trees, &mut done, cancelled) {
                    return false;
                }
                continue;
            }
            for i in of_rank(r) {
                if done % CANCEL_EVERY == 0 && cancelled() {
                    return false;
                }
                done += 1;
                let p = &pending[i];
                self.lower_one(&Decl {
                    statement: trees.get(p.tree),
                    kind: p.kind,
                    elements: &p.elements,
                });
                if trees.free(p.tree) {
                    freed += 1;
                    if freed % RELEASE_EVERY == 0 {
                        if let Some(release) = self.release {
                            release();
                        }
                    }
                }
            }
        }
        true
    }

    /// Resolves every model. A model's tree is read again by the models
    /// that inherit from it; models are few, and their trees stay.
    fn resolve_models(
        &mut self,
        pending: &[Pending],
        trees: &Trees,
        done: &mut usize,
        cancelled: &dyn Fn() -> bool,
    ) -> bool {
        let models: Vec<Decl> = pending
            .iter()
            .filter(|p| rank(p.keyword()) == MODEL_RANK)
            .map(|p| Decl {
                statement: trees.get(p.tree),
                kind: p.kind,
                elements: &p.elements,
            })
            .collect();
        let mut model_decls = vec![None; self.p.models.len()];
        for (i, d) in models.iter().enumerate() {
            if let Some(Element::Model(m)) = d.elements.first() {
                model_decls[m.index()] = Some(i);
            }
        }
        for decl in &models {
            if *done % CANCEL_EVERY == 0 && cancelled() {
                return false;
            }
            *done += 1;
            self.statement = Some(decl.statement.span);
            self.copies = decl.elements.len().max(1) as u64;
            if let Some(&Element::Model(id)) = decl.elements.first() {
                self.resolve_model(id, &models, &model_decls);
            }
        }
        true
    }

    fn lower_one(&mut self, decl: &Decl) {
        self.statement = Some(decl.statement.span);
        self.copies = decl.elements.len().max(1) as u64;
        match decl.keyword() {
            "site" => self.lower_site(decl),
            "power" => self.lower_power(decl),
            "feed" => self.lower_feed(decl),
            "rack" => self.lower_rack(decl),
            "tier" => self.lower_tier(decl),
            "vm" => self.lower_vm(decl),
            "service" | "dns" => self.lower_service(decl),
            "client" => self.lower_client(decl),
            "cdn" => self.lower_cdn(decl),
            "flow" => self.lower_flow(decl),
            "partition" => self.lower_partition(decl),
            "replicate" => self.lower_replicate(decl),
            "link" => self.lower_link(decl),
            "fault-domain" => self.lower_fault_domain(decl),
            _ => self.lower_device(decl),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lower_consuming, lower_without_graph_until};
    use crate::model::load::load_sources;
    use std::cell::Cell;

    /// Lowers `text` keeping its trees and freeing them as it goes: the
    /// same model and the same diagnostics, or a tree was read after it
    /// was freed. Returns how often the pages were handed back.
    fn same_either_way(path: &str, text: &str) -> usize {
        let loaded = load_sources(&[(path, text)]);
        let (kept, kept_diagnostics) = lower_without_graph_until(&loaded, &|| false).unwrap();
        let released = Cell::new(0);
        let freed = lower_consuming(&loaded.diagnostics, loaded.files.clone(), &|| {
            released.set(released.get() + 1)
        });
        assert_eq!(
            format!("{kept_diagnostics:#?}"),
            format!("{:#?}", freed.diagnostics),
            "{path}"
        );
        // As lines, sorted: a part's map by name prints in no fixed order.
        let lines = |project: &crate::model::Project| {
            let debug = format!("{project:#?}");
            let mut lines: Vec<String> = debug.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        let (a, b) = (lines(&kept), lines(&freed.project));
        if let Some((a, b)) = a.iter().zip(&b).find(|(a, b)| a != b) {
            panic!("{path}: the models differ, first at\n{a}\n{b}");
        }
        assert_eq!(a.len(), b.len(), "{path}: the models differ in length");
        let mut freed_project = freed.project;
        let mut kept = kept;
        crate::model::graph::build(&mut kept);
        crate::model::graph::build(&mut freed_project);
        assert_eq!(
            format!("{:#?}", crate::analyze::analyze(&kept)),
            format!("{:#?}", crate::analyze::analyze(&freed_project)),
            "{path}"
        );
        let spans: Vec<_> = loaded.files[0]
            .1
            .statements
            .iter()
            .map(|s| s.span)
            .collect();
        assert_eq!(spans, freed.statements, "{path}");
        released.get()
    }

    #[test]
    fn freeing_each_tree_once_lowered_changes_nothing() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut dirs = vec![format!("{root}/examples")];
        for rule in std::fs::read_dir(format!("{root}/tests/fixtures")).unwrap() {
            dirs.push(rule.unwrap().path().to_string_lossy().into_owned());
        }
        let mut files = 0;
        for dir in dirs {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "topo"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap();
                same_either_way(&path.to_string_lossy(), &text);
                files += 1;
            }
        }
        assert!(files >= 20, "only {files} files were compared");
    }

    #[test]
    fn freed_pages_are_handed_back_every_few_thousand_trees() {
        let mut text = String::from("site s\nmodel m { size 1U }\n");
        for i in 0..super::RELEASE_EVERY + 10 {
            text.push_str(&format!("server h{i} : m {{ site s }}\n"));
        }
        // Models stay, everything else is freed: the site and the servers.
        assert_eq!(same_either_way("big.topo", &text), 1);
    }
}
