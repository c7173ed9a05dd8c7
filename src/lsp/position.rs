//! Where things are: file URIs, and positions counted in the encoding the
//! client chose.

use super::Server;
use crate::model::load::Loaded;
use crate::source::{SourceFile, Span};
use lsp_types as lsp;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::path::{Path, PathBuf};

/// Characters a `file:` URI path keeps escaped: every ASCII character
/// that is neither a path character of RFC 3986 nor `/` (non-ASCII bytes
/// are always escaped), so that any file name makes a valid URI.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The scheme of a document the editor has not saved: it has no path, so
/// it stands for itself (`untitled:Untitled-1` as a relative path).
const UNTITLED: &str = "untitled:";

pub fn path_to_uri(path: &Path) -> lsp::Uri {
    let text = path.to_string_lossy();
    if let Some(uri) = text
        .starts_with(UNTITLED)
        .then(|| text.parse().ok())
        .flatten()
    {
        return uri;
    }
    // Only on Windows is a backslash a separator; elsewhere it is escaped.
    let text = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", utf8_percent_encode(&text, PATH))
        .parse()
        .expect("an encoded file path is a URI")
}

pub fn uri_to_path(uri: &lsp::Uri) -> Option<PathBuf> {
    if uri.as_str().starts_with(UNTITLED) {
        return Some(PathBuf::from(uri.as_str()));
    }
    let rest = uri.as_str().strip_prefix("file://")?;
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// How positions count columns: negotiated with the client.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

pub(super) fn position(file: &SourceFile, offset: u32, encoding: Encoding) -> lsp::Position {
    let line = file.line_index(offset);
    let start = file.line_range(line).start;
    let mut end = (offset as usize).min(file.text.len());
    while !file.text.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = &file.text[start.min(end)..end];
    let character = match encoding {
        Encoding::Utf8 => prefix.len(),
        Encoding::Utf16 => prefix.encode_utf16().count(),
        Encoding::Utf32 => prefix.chars().count(),
    };
    lsp::Position::new(line as u32, character as u32)
}

pub(super) fn offset(file: &SourceFile, pos: lsp::Position, encoding: Encoding) -> u32 {
    let line = (pos.line as usize).min(file.line_count() - 1);
    let range = file.line_range(line);
    let text = &file.text[range.clone()];
    let mut units = 0usize;
    for (i, c) in text.char_indices() {
        if units >= pos.character as usize {
            return (range.start + i) as u32;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        };
    }
    range.end as u32
}

impl Server {
    pub(super) fn range(&self, file: &SourceFile, span: Span) -> lsp::Range {
        lsp::Range::new(
            position(file, span.start, self.encoding),
            position(file, span.end, self.encoding),
        )
    }

    pub(super) fn location(&self, loaded: &Loaded, span: Span) -> lsp::Location {
        let file = loaded.sources.get(span.file);
        lsp::Location::new(path_to_uri(&file.path), self.range(file, span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_name_makes_a_uri_and_comes_back() {
        let mut name: String = (1u8..0x80).map(char::from).filter(|c| *c != '/').collect();
        name.push_str("é\u{202e}");
        let path = PathBuf::from(format!("/tmp/{name}.topo"));
        let uri = path_to_uri(&path);
        assert_eq!(uri_to_path(&uri), Some(path));
        let untitled: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        let path = uri_to_path(&untitled).unwrap();
        assert_eq!(path, PathBuf::from("untitled:Untitled-1"));
        assert_eq!(path_to_uri(&path), untitled);
    }
}
