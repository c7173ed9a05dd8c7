//! Quick fixes. A finding's fixes (a did-you-mean, the units a bare number
//! may lack) travel in the published diagnostic's `data`, which the client
//! hands back with `textDocument/codeAction`: the fix offered is the one
//! computed with the finding, for the text the client saw.

use super::Server;
use crate::diagnostic::Diagnostic;
use crate::model::load::Loaded;
use lsp_types as lsp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One fix as carried in a diagnostic's `data`.
#[derive(Serialize, Deserialize)]
struct FixData {
    range: lsp::Range,
    #[serde(rename = "newText")]
    new_text: String,
    title: String,
}

#[derive(Serialize, Deserialize)]
struct Data {
    fixes: Vec<FixData>,
}

impl Server {
    /// The `data` of a published diagnostic: its fixes, or nothing.
    pub(super) fn fix_data(&self, loaded: &Loaded, d: &Diagnostic) -> Option<serde_json::Value> {
        let fixes: Vec<FixData> = d
            .fixes
            .iter()
            .filter_map(|fix| {
                let source = loaded.sources.get(fix.span.file);
                let old = source.slice(fix.span);
                let title = if fix.span.is_empty() {
                    let before = source.slice(crate::source::Span {
                        start: fix.span.start.saturating_sub(40).max(d.span.start),
                        ..fix.span
                    });
                    format!("Add the unit `{}`: `{before}{}`", fix.text, fix.text)
                } else {
                    // A suggestion stands for one plain word: never replace
                    // a dotted reference or a range by it.
                    if !old
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-/".contains(c))
                    {
                        return None;
                    }
                    format!("Replace `{old}` with `{}`", fix.text)
                };
                Some(FixData {
                    range: self.range(source, fix.span),
                    new_text: fix.text.clone(),
                    title,
                })
            })
            .collect();
        (!fixes.is_empty()).then(|| serde_json::to_value(Data { fixes }).unwrap_or_default())
    }

    // `WorkspaceEdit` keys its changes by `Uri`, whose inner cell is a
    // parse cache that never changes its hash.
    #[allow(clippy::mutable_key_type)]
    pub(super) fn code_actions(
        &self,
        params: serde_json::Value,
    ) -> Option<lsp::CodeActionResponse> {
        let p: lsp::CodeActionParams = serde_json::from_value(params).ok()?;
        if p.context.only.as_ref().is_some_and(|only| {
            !only.iter().any(|k| {
                lsp::CodeActionKind::QUICKFIX
                    .as_str()
                    .starts_with(k.as_str())
            })
        }) {
            return Some(Vec::new());
        }
        let mut out = Vec::new();
        for diagnostic in &p.context.diagnostics {
            let Some(data) = diagnostic
                .data
                .clone()
                .and_then(|d| serde_json::from_value::<Data>(d).ok())
            else {
                continue;
            };
            let preferred = data.fixes.len() == 1;
            for fix in data.fixes {
                let edit = lsp::TextEdit::new(fix.range, fix.new_text);
                let changes = HashMap::from([(p.text_document.uri.clone(), vec![edit])]);
                out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: fix.title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(lsp::WorkspaceEdit::new(changes)),
                    is_preferred: preferred.then_some(true),
                    ..Default::default()
                }));
            }
        }
        Some(out)
    }
}
