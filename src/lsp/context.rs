//! Where the cursor is, read from the text before it: the blocks it is
//! inside and the words of its statement so far. The text is scanned rather
//! than parsed because a document being typed seldom parses.

use crate::model::schema::{self, Kind};

/// The cursor's place in the document.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Cursor {
    /// The header of each open block, outermost first: the tokens of the
    /// statement before its `{`.
    pub blocks: Vec<Vec<String>>,
    /// The complete tokens of the cursor's statement before it. A word the
    /// cursor is still in is left out: the client filters by it.
    pub statement: Vec<String>,
    /// The cursor is in a comment or a string, where nothing is completed.
    pub quiet: bool,
}

/// A string argument, whatever it holds.
pub(super) const STRING: &str = "\"\"";

/// Reads the text before the cursor. Tokens are words (names, ranges,
/// quantities), `:`, `->` and strings (as [`STRING`]).
pub(super) fn scan(before: &str) -> Cursor {
    let mut cursor = Cursor::default();
    let mut word = String::new();
    let mut chars = before.chars().peekable();
    let flush = |word: &mut String, statement: &mut Vec<String>| {
        if !word.is_empty() {
            statement.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                flush(&mut word, &mut cursor.statement);
                cursor.quiet = true;
                while let Some(&next) = chars.peek() {
                    if next == '\n' || next == '\r' {
                        cursor.quiet = false;
                        break;
                    }
                    chars.next();
                }
            }
            '"' => {
                flush(&mut word, &mut cursor.statement);
                match skip_string(&mut chars) {
                    StringEnd::Closed => cursor.statement.push(STRING.into()),
                    StringEnd::Line => cursor.statement.clear(),
                    StringEnd::Text => cursor.quiet = true,
                }
            }
            '{' => {
                flush(&mut word, &mut cursor.statement);
                cursor.blocks.push(std::mem::take(&mut cursor.statement));
            }
            '}' => {
                word.clear();
                cursor.blocks.pop();
                cursor.statement.clear();
            }
            ';' | '\n' | '\r' => {
                word.clear();
                cursor.statement.clear();
            }
            ':' => {
                flush(&mut word, &mut cursor.statement);
                cursor.statement.push(":".into());
            }
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                flush(&mut word, &mut cursor.statement);
                cursor.statement.push("->".into());
            }
            c if c.is_whitespace() => flush(&mut word, &mut cursor.statement),
            c => word.push(c),
        }
    }
    cursor
}

/// Where a string ended.
enum StringEnd {
    Closed,
    /// At the end of its line, which also ends the statement.
    Line,
    /// At the cursor.
    Text,
}

/// Skips a string's contents after its opening quote.
fn skip_string(chars: &mut impl Iterator<Item = char>) -> StringEnd {
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return StringEnd::Closed,
            '\n' | '\r' => return StringEnd::Line,
            _ => {}
        }
    }
    StringEnd::Text
}

/// The kinds of nested blocks, outermost first, from the keywords that
/// open them; `None` when one is not a block the schema knows (a typo, an
/// unknown keyword), where nothing can be said about what is valid.
pub(super) fn block_kinds<'a>(
    keywords: impl IntoIterator<Item = &'a str>,
) -> Option<Vec<&'static Kind>> {
    let mut kinds: Vec<&'static Kind> = Vec::new();
    for keyword in keywords {
        let parent = kinds.last().map(|k| k.keyword);
        kinds.push(schema::block_kind(parent, keyword)?);
    }
    Some(kinds)
}

/// The first name a declared word stands for: `web1` for `web[1..4]`, the
/// word itself when it has no range.
pub(super) fn first_name(word: &str) -> String {
    let Some((prefix, rest)) = word.split_once('[') else {
        return word.to_string();
    };
    match rest.split_once(']') {
        Some((range, suffix)) => {
            let low = range.split_once("..").map_or(range, |(low, _)| low);
            format!("{prefix}{low}{suffix}")
        }
        None => word.to_string(),
    }
}

/// Whether a declared word (`web[01..12]`, `db1`) declares `name`.
pub(super) fn declares(word: &str, name: &str) -> bool {
    let Some((prefix, rest)) = word.split_once('[') else {
        return word == name;
    };
    let Some((range, suffix)) = rest.split_once(']') else {
        return false;
    };
    let Some((low, high)) = range.split_once("..") else {
        return false;
    };
    let Some(number) = name
        .strip_prefix(prefix)
        .and_then(|n| n.strip_suffix(suffix))
    else {
        return false;
    };
    // `[01..12]` keeps the width of its first bound: `web01`, not `web1`.
    let width = if low.len() > 1 && low.starts_with('0') {
        low.len()
    } else {
        0
    };
    match (
        number.parse::<u64>(),
        low.parse::<u64>(),
        high.parse::<u64>(),
    ) {
        (Ok(n), Ok(low), Ok(high)) => low <= n && n <= high && format!("{n:0width$}") == number,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn blocks_and_the_statement_so_far() {
        let c = scan("server x : m { cpu c { memory ddr4-3200 { channels 8; dimms 1 ");
        assert_eq!(
            c.blocks,
            vec![
                words(&["server", "x", ":", "m"]),
                words(&["cpu", "c"]),
                words(&["memory", "ddr4-3200"])
            ]
        );
        assert_eq!(c.statement, words(&["dimms", "1"]));
        assert!(!c.quiet);
    }

    #[test]
    fn a_word_being_typed_is_left_out_and_closed_blocks_are_gone() {
        let c = scan("rack r { site a }\nserver s {\n  rack r1 at U2\n  fe");
        assert_eq!(c.blocks, vec![words(&["server", "s"])]);
        assert!(c.statement.is_empty());
        let c = scan("flow f { browser->shop ->");
        assert_eq!(c.statement, words(&["browser", "->", "shop", "->"]));
    }

    #[test]
    fn comments_and_strings() {
        assert!(scan("site a # a comm").quiet);
        assert!(!scan("site a # a comment\n").quiet);
        assert!(scan("client c { software pos \"4.").quiet);
        let c = scan("client c { software pos \"4.2 \\\" # {\" ");
        assert!(!c.quiet);
        assert_eq!(c.blocks, vec![words(&["client", "c"])]);
        assert_eq!(c.statement, words(&["software", "pos", STRING]));
    }

    #[test]
    fn the_kinds_along_the_chain_of_blocks() {
        let kinds = block_kinds(["server", "cpu", "memory"]).unwrap();
        let names: Vec<&str> = kinds.iter().map(|k| k.keyword).collect();
        assert_eq!(names, ["server", "cpu", "memory"]);
        assert!(block_kinds(["loadbalancer"]).is_none());
        assert!(block_kinds(["rack", "cpu"]).is_none());
        assert_eq!(block_kinds([]).unwrap().len(), 0);
    }

    #[test]
    fn names_a_declared_word_stands_for() {
        assert!(declares("web[01..12]", "web07"));
        assert!(declares("web[01..12]", "web12"));
        assert!(!declares("web[01..12]", "web7"));
        assert!(!declares("web[01..12]", "web13"));
        assert!(declares("s[1..200]-a", "s150-a"));
        assert!(declares("db1", "db1"));
        assert!(!declares("db1", "db2"));
    }

    #[test]
    fn first_names_of_ranges() {
        assert_eq!(first_name("web[01..12]"), "web01");
        assert_eq!(first_name("s1-[1..8]a"), "s1-1a");
        assert_eq!(first_name("db1"), "db1");
    }
}
