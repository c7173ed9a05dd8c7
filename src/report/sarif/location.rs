//! Where SARIF says a file is: relative to the repository root
//! (`%SRCROOT%`), percent-encoded, so that GitHub resolves it the same way
//! whichever directory `topo check` ran in.

use crate::input::absolute;
use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::path::{Component, Path, PathBuf};

/// What a path segment may keep unencoded (RFC 3986 `pchar`): unreserved
/// characters and sub-delimiters. `:` is encoded too, so that a relative
/// reference's first segment never reads as a scheme; `@` for symmetry.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// The root the URIs are relative to: the top level of the git work tree
/// holding the first file (found by walking up to a `.git` entry, file or
/// directory, as in a linked work tree or a submodule), else `--root`, else
/// the working directory. Absolute and lexically normalized.
pub fn repository_root(first_file: Option<&Path>, given: Option<&Path>) -> PathBuf {
    let from = first_file.map(|f| match absolute(f) {
        f if f.is_dir() => f,
        f => f.parent().map(Path::to_path_buf).unwrap_or(f),
    });
    if let Some(top) = from.as_deref().and_then(git_top_level) {
        return top;
    }
    absolute(given.unwrap_or(Path::new(".")))
}

fn git_top_level(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

/// The `artifactLocation` of `path`: relative to `%SRCROOT%` when under
/// `root`, else an absolute `file:` URI.
pub fn artifact_location(path: &Path, root: &Path) -> serde_json::Value {
    let path = absolute(path);
    match path.strip_prefix(root) {
        Ok(rest) if !rest.as_os_str().is_empty() => serde_json::json!({
            "uri": relative_uri(rest),
            "uriBaseId": SRCROOT,
        }),
        _ => serde_json::json!({ "uri": file_uri(&path, false) }),
    }
}

pub(super) const SRCROOT: &str = "%SRCROOT%";

/// `file:///a/b%20c/`: the absolute `path` as a URI; a directory's ends in
/// `/`, as `originalUriBaseIds` requires.
pub fn file_uri(path: &Path, directory: bool) -> String {
    let mut uri = String::from("file://");
    for c in path.components() {
        match c {
            // A Windows drive (`C:`) stays as it is: `file:///C:/…`.
            Component::Prefix(p) => {
                uri.push('/');
                uri.push_str(&p.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            Component::RootDir => {}
            other => {
                uri.push('/');
                uri.push_str(&segment(other.as_os_str()));
            }
        }
    }
    if directory || uri == "file://" {
        uri.push('/');
    }
    uri
}

fn relative_uri(rest: &Path) -> String {
    rest.components()
        .map(|c| segment(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// One path segment, percent-encoded; its bytes as the file system has them
/// (UTF-8 on every system that names files in Unicode).
fn segment(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(name).to_vec();
    #[cfg(not(unix))]
    let bytes = name.to_string_lossy().into_owned().into_bytes();
    percent_encode(&bytes, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_encode_what_a_path_segment_may_not_hold() {
        let s = |t: &str| segment(std::ffi::OsStr::new(t));
        assert_eq!(s("a b#c%d"), "a%20b%23c%25d");
        assert_eq!(s("é?x:y"), "%C3%A9%3Fx%3Ay");
        assert_eq!(s("keep-._~!$&'()*+,;="), "keep-._~!$&'()*+,;=");
    }

    #[test]
    fn file_uris_of_directories_end_in_a_slash() {
        assert_eq!(file_uri(Path::new("/"), true), "file:///");
        assert_eq!(file_uri(Path::new("/a b/c"), true), "file:///a%20b/c/");
        assert_eq!(file_uri(Path::new("/a/c.topo"), false), "file:///a/c.topo");
    }
}
