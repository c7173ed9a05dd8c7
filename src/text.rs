//! Text from files and the command line, made safe to show: nothing a
//! file holds can start a line, a workflow command or a terminal escape in
//! what topo prints, and messages repeat only a short piece of it.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// The most characters of a name, number or word taken from a file that a
/// message repeats (README, "Robustness").
pub const ECHO_CHARS: usize = 40;

/// Text from a file as a message quotes it: at most [`ECHO_CHARS`]
/// characters (longer text is cut on a character boundary and ends in `…`),
/// with control characters escaped (`\n`, `\u{1b}`), so that echoed text can
/// neither flood a report nor start a terminal escape or a workflow command.
pub fn echo(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(ECHO_CHARS * 4 + 3));
    for (i, c) in text.chars().enumerate() {
        if i == ECHO_CHARS {
            out.push('…');
            break;
        }
        push_printable(&mut out, c);
    }
    out
}

/// Whether a character may not reach a terminal or a log raw: C0 and C1
/// controls and DEL (they start terminal escapes and end lines) and the
/// bidirectional formatting characters (they reorder what is shown).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A file name or a text from a file, for people: unsafe characters are
/// written as escapes (`\n`, `\t`, `\r`, `\u{1b}`), so that nothing from a
/// file can start a line, a workflow command or a terminal escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    out.into()
}

fn push_printable(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// A path as text, made printable like [`printable`].
pub fn printable_path(path: &Path) -> Cow<'_, str> {
    match path.to_string_lossy() {
        Cow::Borrowed(text) => printable(text),
        Cow::Owned(text) => Cow::Owned(printable(&text).into_owned()),
    }
}

/// Source text shown in a code frame: each unsafe character other than
/// tab and line breaks becomes one printable character of the same length
/// in bytes (`?`, `¿` or `�`), so byte offsets and columns stay valid.
pub fn inert_source(text: &str) -> Cow<'_, str> {
    let keep = |c: char| matches!(c, '\t' | '\n' | '\r') || !is_unsafe(c);
    if text.chars().all(keep) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if line_break || (c != '\r' && keep(c)) {
            out.push(c);
            continue;
        }
        out.push(match c.len_utf8() {
            1 => '?',
            2 => '¿',
            _ => '\u{fffd}',
        });
    }
    debug_assert_eq!(out.len(), text.len());
    out.into()
}

/// FNV-1a of `text`: a small hash, stable across runs, platforms and Rust
/// versions (SARIF fingerprints and shortened names must not change).
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `text` if it has at most `max` characters; else its start, `joiner` and
/// 16 hex digits of a hash of the whole, `max` characters in all, so that
/// distinct texts stay distinct.
pub fn shorten(text: &str, max: usize, joiner: char) -> Cow<'_, str> {
    const TAIL: usize = 17;
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return text.into();
    };
    let keep = text[..cut]
        .char_indices()
        .nth(max.saturating_sub(TAIL))
        .map_or(cut, |(i, _)| i);
    format!("{}{joiner}{:016x}", &text[..keep], fnv1a(text)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_messages_show_controls_as_escapes() {
        assert_eq!(
            printable("a\n::error file=x::pwned\x1b]0;t\x07\u{202e}.topo"),
            "a\\n::error file=x::pwned\\u{1b}]0;t\\u{7}\\u{202e}.topo"
        );
        assert!(matches!(printable("plain/é.topo"), Cow::Borrowed(_)));
    }

    #[test]
    fn echo_cuts_at_forty_characters_on_a_char_boundary() {
        assert_eq!(echo("web1"), "web1");
        let forty = "a".repeat(40);
        assert_eq!(echo(&forty), forty);
        assert_eq!(echo(&"a".repeat(41)), format!("{forty}…"));
        let wide = "é".repeat(100);
        assert_eq!(echo(&wide), format!("{}…", "é".repeat(40)));
        assert_eq!(echo(&"9".repeat(400)).chars().count(), 41);
    }

    #[test]
    fn echo_escapes_control_characters() {
        assert_eq!(echo("a\nb"), "a\\nb");
        assert_eq!(echo("\u{1b}[31m"), "\\u{1b}[31m");
        assert_eq!(echo("x\ty\r"), "x\\ty\\r");
        assert!(!echo("::error::\n").contains('\n'));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(printable("plain/ü.topo"), "plain/ü.topo");
        assert_eq!(printable("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn shortened_texts_keep_their_length_and_stay_distinct() {
        let a = "a".repeat(2000);
        let b = format!("{}b", "a".repeat(1999));
        let (sa, sb) = (shorten(&a, 1000, '…'), shorten(&b, 1000, '…'));
        assert_eq!(sa.chars().count(), 1000);
        assert_ne!(sa, sb);
        assert!(matches!(shorten("short", 1000, '…'), Cow::Borrowed(_)));
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
    }

    #[test]
    fn source_keeps_its_length_and_line_breaks() {
        let text = "a\x1b[2J\tb\r\nc\rd\u{9b}e\u{2066}f\n";
        let inert = inert_source(text);
        assert_eq!(inert, "a?[2J\tb\r\nc?d¿e\u{fffd}f\n");
        assert_eq!(inert.len(), text.len());
    }
}
