//! Name ranges: `web[1..4]`, `web[01..12]`, `db[1..2].nic0`.

use crate::diagnostic::{rule, thousands, Diagnostic};
use crate::syntax::ast::{Segment, Word};
use crate::text::echo;
use std::fmt::Write as _;

/// A range of more than this many names is refused (`docs/reference.md`, "Lexical structure").
pub const MAX_RANGE: u64 = 100_000;
/// The longest name, as written or as a range expands it (`docs/reference.md`, "Lexical structure").
pub const MAX_NAME_CHARS: usize = 128;
/// Everything expansion creates in one project: declared names, the names a
/// reference range stands for, copies of lists and parts into each element of
/// a range, links of a cross product (README, "Limits").
pub const MAX_ELEMENTS: u64 = 2_000_000;

/// The count of elements a project has created so far, against
/// [`MAX_ELEMENTS`]. Callers reserve what a statement will create *before*
/// allocating it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ElementBudget {
    used: u64,
}

/// A reservation that would have passed the limit; nothing was reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    /// What the refused statement (or part of it) would have created.
    pub wanted: u64,
    /// What the project had created before it.
    pub used: u64,
}

impl ElementBudget {
    /// Takes `count` elements from what is left, or refuses and takes nothing.
    pub fn reserve(&mut self, count: u64) -> Result<(), Exceeded> {
        match self.used.checked_add(count) {
            Some(total) if total <= MAX_ELEMENTS => {
                self.used = total;
                Ok(())
            }
            _ => Err(Exceeded {
                wanted: count,
                used: self.used,
            }),
        }
    }

    pub fn used(&self) -> u64 {
        self.used
    }
}

impl Exceeded {
    /// "this link would create 10,000,000,000 links; a project may create at
    /// most 2,000,000 elements".
    pub fn message(&self, subject: &str, noun: &str) -> String {
        let wanted = thousands(self.wanted);
        let limit = thousands(MAX_ELEMENTS);
        if self.wanted > MAX_ELEMENTS {
            format!("{subject} would create {wanted} {noun}; a project may create at most {limit} elements")
        } else {
            let total = thousands(self.used.saturating_add(self.wanted));
            format!("{subject} would create {wanted} {noun}, {total} elements in all; a project may create at most {limit} elements")
        }
    }
}

/// A checked range: its bounds and the width of zero padding.
struct Bounds {
    low: u64,
    high: u64,
    width: usize,
}

/// The longest name a segment stands for, in characters (names are ASCII).
fn longest_name(segment: &Segment) -> usize {
    let digits = segment.range.as_ref().map_or(0, |r| {
        let width = padded_width(&r.low);
        let high = r.high.trim_start_matches('0').len().max(1);
        width.max(high)
    });
    segment.prefix.len() + digits + segment.suffix().len()
}

/// `[01..12]` keeps the width of the first bound.
fn padded_width(low: &str) -> usize {
    if low.len() > 1 && low.starts_with('0') {
        low.len()
    } else {
        0
    }
}

/// Checks a segment's name length and range without expanding it.
fn check_segment(segment: &Segment) -> Result<Option<Bounds>, Diagnostic> {
    let longest = longest_name(segment);
    if longest > MAX_NAME_CHARS {
        let written = match &segment.range {
            Some(r) => format!(
                "{}[{}..{}]{}",
                segment.prefix,
                r.low,
                r.high,
                segment.suffix()
            ),
            None => segment.prefix.to_string(),
        };
        let what = if segment.range.is_some() {
            "expands to names"
        } else {
            "is a name"
        };
        return Err(Diagnostic::error(
            rule::INVALID_VALUE,
            segment.span,
            format!(
                "`{}` {what} of {longest} characters; a name is at most {MAX_NAME_CHARS} characters",
                echo(&written)
            ),
        )
        .with_label("name too long"));
    }
    let Some(range) = &segment.range else {
        return Ok(None);
    };
    let bad = |message: String, label: &str| {
        Diagnostic::error(rule::INVALID_VALUE, range.span, message).with_label(label.to_string())
    };
    let shown = || format!("{}..{}", echo(&range.low), echo(&range.high));
    let (Ok(low), Ok(high)) = (range.low.parse::<u64>(), range.high.parse::<u64>()) else {
        return Err(bad(
            format!("range bounds `{}` are too large", shown()),
            "bounds must fit in 64 bits",
        ));
    };
    if high < low {
        return Err(bad(
            format!("range `[{}]` runs backwards", shown()),
            "the first bound must not exceed the second",
        )
        .with_help(format!(
            "write `[{}..{}]`",
            echo(&range.high),
            echo(&range.low)
        )));
    }
    let count = high - low + 1;
    if count > MAX_RANGE {
        return Err(bad(
            format!(
                "range `[{}]` expands to {count} names, more than the limit of {MAX_RANGE}",
                shown()
            ),
            "too many names",
        ));
    }
    Ok(Some(Bounds {
        low,
        high,
        width: padded_width(&range.low),
    }))
}

/// How many names a segment stands for, checked but not expanded.
pub fn segment_count(segment: &Segment) -> Result<u64, Diagnostic> {
    Ok(check_segment(segment)?.map_or(1, |b| b.high - b.low + 1))
}

/// How many names a word stands for (the product over its segments),
/// checked but not expanded.
pub fn word_count(word: &Word) -> Result<u64, Diagnostic> {
    let mut total: u64 = 1;
    for segment in word.segments() {
        total = total.saturating_mul(segment_count(segment)?);
        if total > MAX_RANGE {
            return Err(Diagnostic::error(
                rule::INVALID_VALUE,
                segment.span,
                format!("this reference expands to more than {MAX_RANGE} names"),
            ));
        }
    }
    Ok(total)
}

/// Expands one segment into its names.
pub fn expand_segment(segment: &Segment) -> Result<Vec<String>, Diagnostic> {
    let Some(Bounds { low, high, width }) = check_segment(segment)? else {
        return Ok(vec![segment.prefix.to_string()]);
    };
    Ok((low..=high)
        .map(|n| format!("{}{:0width$}{}", segment.prefix, n, segment.suffix()))
        .collect())
}

/// Calls `f` with each name of a segment, in order, reusing one buffer
/// rather than allocating a string per name.
pub fn each_name(segment: &Segment, mut f: impl FnMut(&str)) -> Result<(), Diagnostic> {
    let Some(Bounds { low, high, width }) = check_segment(segment)? else {
        f(&segment.prefix);
        return Ok(());
    };
    let mut name = String::with_capacity(MAX_NAME_CHARS);
    for n in low..=high {
        name.clear();
        let _ = write!(name, "{}{:0width$}{}", segment.prefix, n, segment.suffix());
        f(&name);
    }
    Ok(())
}

/// Expands a word into its names; each name is its dotted segments.
pub fn expand_word(word: &Word) -> Result<Vec<Vec<String>>, Diagnostic> {
    word_count(word)?;
    let mut names: Vec<Vec<String>> = vec![Vec::new()];
    for segment in word.segments() {
        let options = expand_segment(segment)?;
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

/// The length of the common stem when `names` are one stem followed by
/// consecutive numbers (`web1`, `web2`, `web3` → 3).
pub fn numbered_run(names: &[&str]) -> Option<usize> {
    let stem = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let first = names.first()?;
    let s = stem(first);
    let numbers: Option<Vec<u64>> = names
        .iter()
        .map(|n| {
            (stem(n) == s && n[..s] == first[..s])
                .then(|| n[s..].parse().ok())
                .flatten()
        })
        .collect();
    numbers
        .filter(|nums| nums.windows(2).all(|w| w[1] == w[0] + 1))
        .map(|_| s)
}

/// "web1..web4" for a run of numbered names, "db1, db2" otherwise.
pub fn collapse(names: &[&str]) -> String {
    if names.len() > 2 {
        if numbered_run(names).is_some() {
            return format!("{}..{}", names[0], names[names.len() - 1]);
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
    use crate::syntax;

    fn expand(text: &str) -> Result<Vec<String>, Diagnostic> {
        let (ast, errors) = syntax::parse(FileId(0), &format!("x {text}"));
        assert!(errors.is_empty());
        let w = ast.statements[0].items[1].word().unwrap();
        expand_word(&w).map(|v| v.into_iter().map(|s| s.join(".")).collect())
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
    fn each_name_walks_the_same_names_as_expanding() {
        let (ast, _) = syntax::parse(FileId(0), "x web[08..11]x");
        let w = ast.statements[0].items[1].word().unwrap();
        let mut walked = Vec::new();
        each_name(&w.segments()[0], |n| walked.push(n.to_string())).unwrap();
        assert_eq!(walked, expand_segment(&w.segments()[0]).unwrap());
        assert_eq!(walked, ["web08x", "web09x", "web10x", "web11x"]);
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

    #[test]
    fn names_longer_than_128_characters_are_refused() {
        let ok = "a".repeat(128);
        assert_eq!(expand(&ok).unwrap(), vec![ok]);
        let long = expand(&"a".repeat(129)).unwrap_err();
        assert!(long.message.contains("129 characters"), "{}", long.message);
        assert!(long.message.chars().count() < 140, "{}", long.message);
        // The expanded width counts: 125 + 3 digits is fine, 126 + 3 is not.
        assert_eq!(
            expand(&format!("{}[1..100]", "b".repeat(125)))
                .unwrap()
                .len(),
            100
        );
        assert!(expand(&format!("{}[1..100]", "b".repeat(126))).is_err());
    }

    #[test]
    fn long_zero_padded_bounds_are_refused_before_expanding() {
        let low = format!("{}1", "0".repeat(299));
        let high = format!("{}9999", "0".repeat(296));
        let d = expand(&format!("a[{low}..{high}]")).unwrap_err();
        assert!(d.message.contains("301 characters"), "{}", d.message);
        assert!(d.message.chars().count() < 200, "{}", d.message);
        let digits = "7".repeat(200);
        let d = expand(&format!("a[1..{digits}]")).unwrap_err();
        assert!(d.message.contains("characters"), "{}", d.message);
        let d = expand(&format!("a[{}..{}]", "9".repeat(25), "9".repeat(26))).unwrap_err();
        assert!(d.message.contains("too large"), "{}", d.message);
    }

    #[test]
    fn counts_are_known_before_expanding() {
        let (ast, _) = syntax::parse(FileId(0), "x db[1..3].nic[0..1] h[5..5] k");
        let counts: Vec<u64> = ast.statements[0].items[1..]
            .iter()
            .map(|i| word_count(&i.word().unwrap()).unwrap())
            .collect();
        assert_eq!(counts, [6, 1, 1]);
    }

    #[test]
    fn the_budget_refuses_what_would_pass_the_limit_and_takes_nothing() {
        let mut b = ElementBudget::default();
        assert_eq!(b.reserve(MAX_ELEMENTS - 1), Ok(()));
        assert_eq!(b.reserve(1), Ok(()));
        assert_eq!(b.used(), MAX_ELEMENTS);
        assert_eq!(
            b.reserve(1),
            Err(Exceeded {
                wanted: 1,
                used: MAX_ELEMENTS
            })
        );
        assert_eq!(b.used(), MAX_ELEMENTS);
        let mut b = ElementBudget::default();
        b.reserve(10).unwrap();
        let e = b.reserve(u64::MAX).unwrap_err();
        assert_eq!(b.used(), 10);
        assert_eq!(
            Exceeded {
                wanted: 10_000_000_000,
                used: 0
            }
            .message("this link", "links"),
            "this link would create 10,000,000,000 links; a project may create at most 2,000,000 elements"
        );
        assert!(e
            .message("x", "names")
            .contains("18,446,744,073,709,551,615"));
        assert_eq!(
            Exceeded {
                wanted: 5,
                used: MAX_ELEMENTS - 1
            }
            .message("`h[1..5]`", "names"),
            "`h[1..5]` would create 5 names, 2,000,004 elements in all; a project may create at most 2,000,000 elements"
        );
    }
}
