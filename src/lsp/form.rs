//! The schema's syntax lines (`RACK at U<n> [front|rear]`, `service NAME
//! on HOST... { … }`) read as small patterns, to tell what the next word
//! may be after the words written so far.

use std::collections::BTreeSet;

/// One place of a syntax line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place<'s> {
    /// As written, without brackets and `...`: `RACK`, `at`, `front|rear`.
    pub text: &'s str,
    /// `HOST...`: one word or more.
    repeats: bool,
    /// On the first place of an optional group (`[: MODEL]`): the place
    /// after the group.
    skip_to: Option<usize>,
}

impl<'s> Place<'s> {
    /// One of a fixed set of words: `front|rear`.
    pub fn choices(&self) -> Option<impl Iterator<Item = &'s str>> {
        self.text.contains('|').then(|| self.text.split('|'))
    }

    /// A word written as it stands: `at`, `to`, `x`, `:`, `->`.
    pub fn is_literal(&self) -> bool {
        !self.text.contains('|') && !self.text.chars().any(|c| c.is_ascii_uppercase())
    }

    fn accepts(&self, word: &str, literals: &[&str]) -> bool {
        if let Some(mut choices) = self.choices() {
            choices.any(|c| c == word)
        } else if self.is_literal() {
            word == self.text
        } else {
            // A placeholder takes any word but the line's own literals, so
            // that `to` in `DEVICE... to DEVICE...` moves on.
            !literals.contains(&word)
        }
    }
}

/// The places of each alternative of a syntax line (`a | b`); a block's
/// contents (`{ … }`) are not part of the line.
fn alternatives(syntax: &str) -> Vec<Vec<Place<'_>>> {
    syntax
        .split(" | ")
        .map(|alternative| {
            let head = alternative.split('{').next().unwrap_or("");
            let mut places: Vec<Place> = Vec::new();
            let mut group_start = None;
            for token in head.split_whitespace() {
                if token.starts_with('[') {
                    group_start = Some(places.len());
                }
                let closes = token.ends_with(']');
                let text = token.trim_start_matches('[').trim_end_matches(']');
                let (text, repeats) = match text.strip_suffix("...") {
                    Some(t) => (t, true),
                    None => (text, false),
                };
                places.push(Place {
                    text,
                    repeats,
                    skip_to: None,
                });
                if closes {
                    if let Some(start) = group_start.take() {
                        places[start].skip_to = Some(places.len());
                    }
                }
            }
            places
        })
        .collect()
}

/// The places the next word may fill in `syntax`, after the words
/// `written` (those after the keyword). Empty when the words written do not
/// fit the line or the line is complete.
pub(super) fn next_places<'s>(syntax: &'s str, written: &[String]) -> Vec<Place<'s>> {
    let mut out: Vec<Place> = Vec::new();
    for places in alternatives(syntax) {
        let literals: Vec<&str> = places
            .iter()
            .filter(|p| p.is_literal())
            .map(|p| p.text)
            .collect();
        let mut at = BTreeSet::from([0]);
        skip_optional(&places, &mut at);
        for word in written {
            let mut next = BTreeSet::new();
            for &i in &at {
                let Some(place) = places.get(i) else { continue };
                if place.accepts(word, &literals) {
                    next.insert(i + 1);
                    if place.repeats {
                        next.insert(i);
                    }
                }
            }
            skip_optional(&places, &mut next);
            at = next;
        }
        for i in at {
            if let Some(place) = places.get(i) {
                if !out.contains(place) {
                    out.push(*place);
                }
            }
        }
    }
    out
}

/// Adds, for every optional group the positions reach, the place after it.
fn skip_optional(places: &[Place], at: &mut BTreeSet<usize>) {
    let mut pending: Vec<usize> = at.iter().copied().collect();
    while let Some(i) = pending.pop() {
        if let Some(after) = places.get(i).and_then(|p| p.skip_to) {
            if at.insert(after) {
                pending.push(after);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(syntax: &str, written: &[&str]) -> Vec<String> {
        let written: Vec<String> = written.iter().map(|w| w.to_string()).collect();
        next_places(syntax, &written)
            .iter()
            .map(|p| p.text.to_string())
            .collect()
    }

    #[test]
    fn literals_anchor_what_follows() {
        let rack = "RACK at U<n> [front|rear]";
        assert_eq!(next(rack, &[]), ["RACK"]);
        assert_eq!(next(rack, &["t1"]), ["at"]);
        assert_eq!(next(rack, &["t1", "at", "U20"]), ["front|rear"]);
        assert!(next(rack, &["t1", "at", "U20", "rear"]).is_empty());
        assert!(next(rack, &["t1", "on"]).is_empty());
    }

    #[test]
    fn lists_repeat_until_the_next_literal() {
        let link = "DEVICE... to DEVICE... { … }";
        assert_eq!(next(link, &[]), ["DEVICE"]);
        assert_eq!(next(link, &["a", "b"]), ["DEVICE", "to"]);
        assert_eq!(next(link, &["a", "to"]), ["DEVICE"]);
        assert_eq!(next(link, &["a", "to", "b"]), ["DEVICE"]);
    }

    #[test]
    fn optional_groups_and_alternatives() {
        let device = "NAME [: MODEL] { … }";
        assert_eq!(next(device, &["web1"]), [":"]);
        assert_eq!(next(device, &["web1", ":"]), ["MODEL"]);
        let bus = "PRESET [xN] to PARENT | width W rate R to PARENT | bandwidth B to PARENT";
        assert_eq!(next(bus, &[]), ["PRESET", "width", "bandwidth"]);
        assert_eq!(next(bus, &["pcie4"]), ["xN", "to"]);
        assert_eq!(next(bus, &["pcie4", "x8", "to"]), ["PARENT"]);
        assert_eq!(
            next(bus, &["width", "64bit", "rate", "1GT/s", "to"]),
            ["PARENT"]
        );
        let path = "HOP -> HOP [-> HOP...]";
        assert_eq!(next(path, &["a", "->", "b", "->"]), ["HOP"]);
    }
}
