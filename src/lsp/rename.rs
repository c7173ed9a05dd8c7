//! Renaming a declared element: its declaration and every use, in every
//! file of every project holding the document (includes and includers).

use super::navigation::occurrences;
use super::position::path_to_uri;
use super::Server;
use lsp_server::ErrorCode;
use lsp_types as lsp;
use std::collections::HashMap;

/// A refusal, as the response's error.
pub(super) type Refusal = (ErrorCode, String);

fn refuse(text: String) -> Refusal {
    // LSP has no dedicated code: clients show the message of any error.
    (ErrorCode::InvalidRequest, text)
}

/// What renaming the name under the cursor would edit.
struct Target {
    name: String,
    /// The written name under the cursor.
    range: lsp::Range,
    /// Every place to edit, by file.
    edits: Vec<(lsp::Uri, lsp::Range)>,
}

impl Server {
    pub(super) fn prepare_rename(
        &self,
        params: serde_json::Value,
    ) -> Result<Option<lsp::PrepareRenameResponse>, Refusal> {
        let p: lsp::TextDocumentPositionParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let target = self.rename_target(&p)?;
        Ok(Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
            range: target.range,
            placeholder: target.name,
        }))
    }

    // `WorkspaceEdit` keys its changes by `Uri`, whose inner cell is a
    // parse cache that never changes its hash.
    #[allow(clippy::mutable_key_type)]
    pub(super) fn rename(
        &self,
        params: serde_json::Value,
    ) -> Result<Option<lsp::WorkspaceEdit>, Refusal> {
        let p: lsp::RenameParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let new = p.new_name.as_str();
        if !is_name(new) {
            return Err(refuse(format!(
                "`{}` is not a name: a name starts with a letter or `_` and goes on with letters, digits, `_` and `-`",
                crate::text::echo(new)
            )));
        }
        let target = self.rename_target(&p.text_document_position)?;
        if new == target.name {
            return Ok(Some(lsp::WorkspaceEdit::default()));
        }
        for (a, _) in self.containing(&p.text_document_position.text_document.uri) {
            if let Some(e) = a.project.element(new) {
                let at = self.location(&a.loaded, a.project.span_of(e));
                return Err(refuse(format!(
                    "`{new}` is already declared in the project (a {} at {}:{})",
                    a.project.kind_of(e),
                    super::uri_to_path(&at.uri)
                        .map_or_else(String::new, |p| p.display().to_string()),
                    at.range.start.line + 1
                )));
            }
        }
        let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
        for (uri, range) in target.edits {
            changes
                .entry(uri)
                .or_default()
                .push(lsp::TextEdit::new(range, new.to_string()));
        }
        for edits in changes.values_mut() {
            edits.sort_by_key(|e| (e.range.start.line, e.range.start.character));
        }
        Ok(Some(lsp::WorkspaceEdit::new(changes)))
    }

    /// The declared element under the cursor and every written name that
    /// stands for it; refused where a rename could not be written.
    fn rename_target(&self, p: &lsp::TextDocumentPositionParams) -> Result<Target, Refusal> {
        let uri = &p.text_document.uri;
        let projects = self.containing(uri);
        let Some(&(a, file)) = projects.first() else {
            return Err(refuse("the document has not been analysed yet".into()));
        };
        let word = self
            .word_at(a, file, p.position)
            .filter(|w| !w.is_keyword)
            .ok_or_else(|| refuse("there is no name here to rename".into()))?;
        let name = word.name;
        let dotted = word
            .context
            .last()
            .is_some_and(|c| c.starts_with("part-of:"));
        if dotted || a.project.element(&name).is_none() {
            return Err(refuse(format!(
                "`{}` is not an element declared at top level; only those can be renamed",
                crate::text::echo(&name)
            )));
        }
        let range = self.range(a.loaded.sources.get(file), word.span);
        let mut edits: Vec<(lsp::Uri, lsp::Range)> = Vec::new();
        // The same file in two projects has a different id in each.
        let mut seen: Vec<(std::path::PathBuf, u32, u32)> = Vec::new();
        for (a, _) in &projects {
            for o in occurrences(a, &name) {
                if o.dotted_part || o.keyword {
                    continue;
                }
                let source = a.loaded.sources.get(o.span.file);
                if o.in_range {
                    let written = source.slice(o.span);
                    let line = self.range(source, o.span).start.line + 1;
                    return Err(refuse(format!(
                        "`{name}` is written as part of the range `{written}` ({}:{line}): renaming it alone would change every name of the range; rewrite the range first",
                        source.path.display()
                    )));
                }
                let key = (source.path.clone(), o.span.start, o.span.end);
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                edits.push((path_to_uri(&source.path), self.range(source, o.span)));
            }
        }
        Ok(Target { name, range, edits })
    }
}

/// The language's rule for a name: `[A-Za-z_][A-Za-z0-9_-]*`.
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::is_name;

    #[test]
    fn names() {
        assert!(is_name("web-2_a"));
        assert!(is_name("_x"));
        assert!(!is_name("2web"));
        assert!(!is_name("web 2"));
        assert!(!is_name("web.2"));
        assert!(!is_name(""));
    }
}
