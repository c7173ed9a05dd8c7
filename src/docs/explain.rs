//! `topo explain KEYWORD`: a rule, a statement, device kind, part or nested
//! block, or a property (`max-weight`, or `rack.max-weight` for one kind's).

use super::{notes, place_noun, qualifiers, same, usage};
use crate::analyze::{self, Rule, RULES};
use crate::diagnostic::closest;
use crate::model::schema::{kinds, Kind, Property, Shape};
use crate::model::units::{parse_unit, unit_symbols, Dimension};
use std::fmt::Write;

/// A word `explain` does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// What is wrong, with a suggestion where one is close.
    pub message: String,
}

/// The text `topo explain WORD` prints, or why there is none.
pub fn explain(word: &str) -> Result<String, Unknown> {
    if let Some((kind, property)) = word.split_once('.') {
        return explain_dotted(kind, property);
    }
    let mut sections = Vec::new();
    if let Some(rule) = analyze::rule(word) {
        sections.push(rule_text(rule));
    }
    let kinds_named: Vec<&Kind> = kinds().filter(|k| k.keyword == word).collect();
    for kind in &kinds_named {
        sections.push(kind_text(kind));
    }
    let groups = property_groups(word);
    if !groups.is_empty() {
        if kinds_named.is_empty() {
            for (property, owners) in &groups {
                sections.push(property_text(property, owners));
            }
        } else {
            sections.push(also_a_property(word, &groups));
        }
    }
    if sections.is_empty() {
        return Err(unknown(word));
    }
    Ok(sections.join("\n"))
}

/// The text a rule has always had: its heading, summary and documentation.
fn rule_text(rule: &Rule) -> String {
    format!(
        "# {} ({} by default)\n\n{}\n\n{}",
        rule.name, rule.severity, rule.summary, rule.doc
    )
}

fn kind_text(kind: &Kind) -> String {
    let mut out = format!(
        "# {} ({})\n\n{}\n\nForm:     {}\nExample:  {}\n",
        kind.keyword,
        place_noun(kind),
        kind.summary,
        kind.header(),
        kind.example
    );
    if let Some(note) = notes::note(kind.keyword) {
        let _ = write!(out, "\n{}\n", wrapped(note, 76));
    }
    if kind.properties.is_empty() {
        out.push_str("\nIt takes no block.\n");
        return out;
    }
    out.push_str("\n## Properties\n\n");
    for p in kind.properties {
        out.push_str(&property_entry(p, None));
    }
    out
}

/// A property as a short entry: how it is written, then indented its
/// description and example.
fn property_entry(p: &Property, owners: Option<&[&Kind]>) -> String {
    let mut out = usage(p);
    if let Some(owners) = owners {
        let _ = write!(out, "  (in {})", keywords(owners));
    }
    let mut description = vec![p.summary.to_string()];
    description.extend(qualifiers(p));
    let _ = write!(
        out,
        "\n    {}\n    Example: {}\n",
        description.join(" "),
        p.example
    );
    out
}

/// `text` broken into lines of at most `width` characters, for a terminal.
fn wrapped(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}

fn keywords(owners: &[&Kind]) -> String {
    owners
        .iter()
        .map(|k| k.keyword)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A property on its own, with the kinds that take this entry.
fn property_text(p: &Property, owners: &[&Kind]) -> String {
    let mut out = format!(
        "# {} (property of {})\n\n    {}\n\n{}\n",
        p.name,
        keywords(owners),
        usage(p),
        p.summary
    );
    let facts = qualifiers(p);
    if !facts.is_empty() {
        let _ = writeln!(out, "{}", facts.join(" "));
    }
    out.push('\n');
    if let Some(units) = units_for(&p.shape) {
        let _ = writeln!(out, "Units:    {units}");
    }
    let _ = writeln!(out, "Example:  {}", p.example);
    out
}

/// The statements and parts that take a property called `name`, grouped by
/// entry: `weight` of a rack is not `weight` of a device.
fn property_groups(name: &str) -> Vec<(&'static Property, Vec<&'static Kind>)> {
    let mut groups: Vec<(&'static Property, Vec<&'static Kind>)> = Vec::new();
    for kind in kinds() {
        let Some(p) = kind.property(name) else {
            continue;
        };
        match groups.iter_mut().find(|(q, _)| same(p, q)) {
            Some((_, owners)) => owners.push(kind),
            None => groups.push((p, vec![kind])),
        }
    }
    groups
}

fn also_a_property(name: &str, groups: &[(&Property, Vec<&Kind>)]) -> String {
    let mut out = format!("## `{name}` is also a property\n\n");
    for (p, owners) in groups {
        out.push_str(&property_entry(p, Some(owners)));
    }
    out
}

fn explain_dotted(kind_word: &str, name: &str) -> Result<String, Unknown> {
    let named: Vec<&Kind> = kinds().filter(|k| k.keyword == kind_word).collect();
    if named.is_empty() {
        let hint = hint(closest(kind_word, kinds().map(|k| k.keyword)));
        return Err(Unknown {
            message: format!("no statement or part is called `{kind_word}`{hint}"),
        });
    }
    let found: Vec<String> = named
        .iter()
        .filter_map(|k| k.property(name).map(|p| property_text(p, &[k])))
        .collect();
    if found.is_empty() {
        let names = named.iter().flat_map(|k| k.property_names());
        let hint = hint(closest(name, names));
        return Err(Unknown {
            message: format!("`{kind_word}` has no property `{name}`{hint}"),
        });
    }
    Ok(found.join("\n"))
}

fn hint(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |s| format!("; did you mean `{s}`?"))
}

fn unknown(word: &str) -> Unknown {
    let rules = RULES.iter().map(|r| r.name);
    let keywords = kinds().map(|k| k.keyword);
    let properties = kinds().flat_map(|k| k.property_names());
    let mut words: Vec<&str> = rules.chain(keywords).chain(properties).collect();
    words.sort_unstable();
    words.dedup();
    Unknown {
        message: format!(
            "`{word}` is no rule, statement, part or property{}",
            hint(crate::model::schema::synonym(word).or_else(|| closest(word, words)))
        ),
    }
}

/// The units a quantity may be written in: `kg, g, lb, t`.
fn units_for(shape: &Shape) -> Option<String> {
    let Shape::Quantity { dimension, .. } = shape else {
        return None;
    };
    let accepted: &[Dimension] = match dimension {
        Dimension::RateOrBandwidth => &[Dimension::RequestRate, Dimension::Bandwidth],
        Dimension::CurrentOrPower => &[
            Dimension::Current,
            Dimension::Power,
            Dimension::ApparentPower,
        ],
        Dimension::Count => return None,
        other => std::slice::from_ref(other),
    };
    let symbols: Vec<&str> = unit_symbols()
        .filter(|s| parse_unit(s).is_ok_and(|u| accepted.iter().any(|&d| u.has_dimension(d))))
        .collect();
    (!symbols.is_empty()).then(|| symbols.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_wrap_at_the_width() {
        assert_eq!(wrapped("aa bb cc dd", 5), "aa bb\ncc dd");
        assert_eq!(wrapped("a longword", 3), "a\nlongword");
    }

    #[test]
    fn a_quantity_lists_its_units() {
        let mass = Shape::Quantity {
            dimension: Dimension::Mass,
            what: "a mass",
        };
        assert_eq!(units_for(&mass).as_deref(), Some("kg, g, lb, t"));
        assert_eq!(units_for(&Shape::Flag), None);
    }
}
