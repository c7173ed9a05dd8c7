//! Name ranges: `web[1..4]`, `web[01..12]`, `db[1..2].nic0`.

use crate::diagnostic::{rule, Diagnostic};
use crate::syntax::ast::{Segment, Word};

/// A range of more than this many names is refused (LANGUAGE.md §1).
pub const MAX_RANGE: u64 = 100_000;

/// Expands one segment into its names.
pub fn expand_segment(segment: &Segment) -> Result<Vec<String>, Diagnostic> {
    let Some(range) = &segment.range else {
        return Ok(vec![segment.prefix.clone()]);
    };
    let bad = |message: String, label: &str| {
        Diagnostic::error(rule::INVALID_VALUE, range.span, message).with_label(label.to_string())
    };
    let (Ok(low), Ok(high)) = (range.low.parse::<u64>(), range.high.parse::<u64>()) else {
        return Err(bad(
            format!("range bounds `{}..{}` are too large", range.low, range.high),
            "bounds must fit in 64 bits",
        ));
    };
    if high < low {
        return Err(bad(
            format!("range `[{}..{}]` runs backwards", range.low, range.high),
            "the first bound must not exceed the second",
        )
        .with_help(format!("write `[{}..{}]`", range.high, range.low)));
    }
    let count = high - low + 1;
    if count > MAX_RANGE {
        return Err(bad(
            format!(
                "range `[{}..{}]` expands to {count} names, more than the limit of {MAX_RANGE}",
                range.low, range.high
            ),
            "too many names",
        ));
    }
    // `[01..12]` keeps the width of the first bound.
    let width = if range.low.len() > 1 && range.low.starts_with('0') {
        range.low.len()
    } else {
        0
    };
    Ok((low..=high)
        .map(|n| format!("{}{:0width$}{}", segment.prefix, n, segment.suffix))
        .collect())
}

/// Expands a word into its names; each name is its dotted segments.
pub fn expand_word(word: &Word) -> Result<Vec<Vec<String>>, Diagnostic> {
    let mut names: Vec<Vec<String>> = vec![Vec::new()];
    for segment in &word.segments {
        let options = expand_segment(segment)?;
        if names.len().saturating_mul(options.len()) as u64 > MAX_RANGE {
            return Err(Diagnostic::error(
                rule::INVALID_VALUE,
                segment.span,
                format!("this reference expands to more than {MAX_RANGE} names"),
            ));
        }
        names = names
            .into_iter()
            .flat_map(|prefix| {
                options.iter().map(move |o| {
                    let mut n = prefix.clone();
                    n.push(o.clone());
                    n
                })
            })
            .collect();
    }
    Ok(names)
}

/// "web1..web4" for a run of numbered names, "db1, db2" otherwise.
pub fn collapse(names: &[&str]) -> String {
    if names.len() > 2 {
        let stem = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let first = names[0];
        let s = stem(first);
        let numbers: Option<Vec<u64>> = names
            .iter()
            .map(|n| {
                (stem(n) == s && n[..s] == first[..s])
                    .then(|| n[s..].parse().ok())
                    .flatten()
            })
            .collect();
        if let Some(nums) = numbers {
            if nums.windows(2).all(|w| w[1] == w[0] + 1) {
                return format!("{}..{}", first, names[names.len() - 1]);
            }
        }
        if names.len() > 4 {
            return format!("{}, {} … ({} in all)", names[0], names[1], names.len());
        }
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::{self, ast::ItemKind};

    fn expand(text: &str) -> Result<Vec<String>, Diagnostic> {
        let (ast, errors) = syntax::parse(FileId(0), &format!("x {text}"));
        assert!(errors.is_empty());
        let ItemKind::Word(w) = &ast.statements[0].items[1].kind else {
            panic!()
        };
        expand_word(w).map(|v| v.into_iter().map(|s| s.join(".")).collect())
    }

    #[test]
    fn plain_and_zero_padded_ranges() {
        assert_eq!(
            expand("web[1..4]").unwrap(),
            ["web1", "web2", "web3", "web4"]
        );
        let padded = expand("web[01..12]").unwrap();
        assert_eq!(padded.first().unwrap(), "web01");
        assert_eq!(padded.last().unwrap(), "web12");
        assert_eq!(padded.len(), 12);
        assert_eq!(
            expand("nvme[0..3]").unwrap(),
            ["nvme0", "nvme1", "nvme2", "nvme3"]
        );
        assert_eq!(expand("r[8..10]a").unwrap(), ["r8a", "r9a", "r10a"]);
    }

    #[test]
    fn collapses_runs_and_long_lists() {
        assert_eq!(collapse(&["web1", "web2", "web3", "web4"]), "web1..web4");
        assert_eq!(collapse(&["db1", "db2"]), "db1, db2");
        assert_eq!(collapse(&["a", "b", "c", "d", "e"]), "a, b … (5 in all)");
        assert_eq!(collapse(&["web01", "web02", "web03"]), "web01..web03");
    }

    #[test]
    fn dotted_references_expand_per_device() {
        assert_eq!(expand("db[1..2].nic0").unwrap(), ["db1.nic0", "db2.nic0"]);
    }

    #[test]
    fn backwards_huge_and_overflowing_ranges_are_errors() {
        assert!(expand("w[4..1]")
            .unwrap_err()
            .message
            .contains("runs backwards"));
        let bomb = expand("w[1..999999999]").unwrap_err();
        assert!(bomb.message.contains("999999999 names"), "{}", bomb.message);
        assert_eq!(expand("w[1..100000]").unwrap().len(), 100_000);
        assert!(expand("w[1..100001]").is_err());
        assert!(expand("w[1..99999999999999999999999]")
            .unwrap_err()
            .message
            .contains("too large"));
    }
}
