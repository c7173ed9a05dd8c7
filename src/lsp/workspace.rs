//! Requests about the whole workspace rather than one document: the
//! projects a file belongs to, workspace symbols, and where an `include`
//! leads.

use super::navigation::symbol_kind;
use super::position::{offset, path_to_uri, uri_to_path};
use super::{Analysis, Server};
use crate::model::load::normalize;
use crate::model::{Element, Project};
use crate::source::FileId;
use crate::syntax::ast::ItemKind;
use lsp_types as lsp;

impl Server {
    /// Every analysed project holding the document, the one rooted at it
    /// first: an included file belongs to each project that includes it.
    pub(super) fn containing(&self, uri: &lsp::Uri) -> Vec<(&Analysis, FileId)> {
        let Some((first, id)) = self.find(uri) else {
            return Vec::new();
        };
        let Some(path) = uri_to_path(uri).map(|p| normalize(&p)) else {
            return Vec::new();
        };
        let mut out = vec![(first, id)];
        for a in self.analyses.values() {
            if std::ptr::eq(a, first) {
                continue;
            }
            if let Some((id, _)) = a
                .loaded
                .sources
                .iter()
                .find(|(_, f)| normalize(&f.path) == path)
            {
                out.push((a, id));
            }
        }
        out
    }

    /// `workspace/symbol`: every declared element of every analysed project
    /// whose name holds the query's characters in order, ignoring case.
    #[allow(deprecated)] // `deprecated` is a required field of the type.
    pub(super) fn workspace_symbols(
        &self,
        params: serde_json::Value,
    ) -> Option<lsp::WorkspaceSymbolResponse> {
        let p: lsp::WorkspaceSymbolParams = serde_json::from_value(params).ok()?;
        let query = p.query.to_lowercase();
        let mut out: Vec<lsp::SymbolInformation> = Vec::new();
        for a in self.analyses.values() {
            let project = &a.project;
            for (name, element) in &project.names {
                if !is_subsequence(&query, &name.to_lowercase()) {
                    continue;
                }
                let kind = project.kind_of(*element);
                let location = self.location(&a.loaded, project.span_of(*element));
                out.push(lsp::SymbolInformation {
                    name: name.to_string(),
                    kind: symbol_kind(kind, true).unwrap_or(lsp::SymbolKind::OBJECT),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: container(project, *element),
                });
            }
        }
        // The same file in several projects gives the same symbol.
        out.sort_by(|x, y| {
            let key = |s: &lsp::SymbolInformation| {
                (
                    s.name.clone(),
                    s.location.uri.to_string(),
                    s.location.range.start,
                )
            };
            key(x).cmp(&key(y))
        });
        out.dedup_by(|x, y| x.name == y.name && x.location == y.location);
        Some(lsp::WorkspaceSymbolResponse::Flat(out))
    }

    /// The file an `include "path"` under the cursor names, at its start.
    pub(super) fn include_target(
        &self,
        a: &Analysis,
        file: FileId,
        pos: lsp::Position,
    ) -> Option<lsp::Location> {
        let source = a.loaded.sources.get(file);
        let at = offset(source, pos, self.encoding);
        let ast = &a.loaded.files.iter().find(|(id, _)| *id == file)?.1;
        let statement = ast
            .statements
            .iter()
            .find(|s| s.keyword() == Some("include") && s.span.start <= at && at <= s.span.end)?;
        let ItemKind::Str(target) = &statement.args().first()?.kind else {
            return None;
        };
        let path = normalize(&source.path.parent()?.join(target.as_str()));
        // Only a file the loader read: one refused (outside the root, not
        // a .topo file) is not a place to go.
        a.loaded
            .sources
            .iter()
            .any(|(_, f)| normalize(&f.path) == path)
            .then(|| lsp::Location::new(path_to_uri(&path), lsp::Range::default()))
    }
}

/// What holds an element, as an outline groups it: a device's rack, a
/// vm's host, a rack's or feed's site.
fn container(project: &Project, element: Element) -> Option<String> {
    let name = |e: Element| Some(project.name_of(e).to_string());
    match element {
        Element::Device(d) => {
            let device = &project.devices[d.index()];
            match (device.placement, device.site) {
                (Some(p), _) => name(Element::Rack(p.rack)),
                (None, Some(s)) => name(Element::Site(s)),
                _ => None,
            }
        }
        Element::Rack(r) => project.racks[r.index()]
            .site
            .and_then(|s| name(Element::Site(s.value))),
        Element::Feed(f) => project.feeds[f.index()]
            .site
            .and_then(|s| name(Element::Site(s.value))),
        Element::Vm(v) => project.vms[v.index()]
            .host
            .and_then(|h| name(Element::Device(h.value))),
        _ => None,
    }
}

/// Whether `needle`'s characters appear in `hay` in order.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut rest = hay.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}

#[cfg(test)]
mod tests {
    use super::is_subsequence;

    #[test]
    fn subsequence() {
        assert!(is_subsequence("", "web1"));
        assert!(is_subsequence("wb1", "web1"));
        assert!(!is_subsequence("w1b", "web1"));
    }
}
