//! The editors' keyword lists come from the language schema: the TextMate
//! grammar (`editors/vscode/syntaxes/topo.tmLanguage.json`) and the
//! tree-sitter highlights (`editors/tree-sitter-topo/queries/highlights.scm`)
//! are compared with what the schema, the unit table and the preset table
//! say, and a difference fails naming the missing and extra words. After a
//! change to the schema,
//!
//!     UPDATE_EDITOR_KEYWORDS=1 cargo test --test editor_keywords
//!
//! rewrites both files (then `UPDATE_SNAPSHOTS=1 editors/vscode-test.sh`
//! refreshes the token snapshots).

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use topo::model::presets::{self, LaneRule};
use topo::model::schema::{self, Shape};
use topo::model::units;

const UPDATE: &str = "UPDATE_EDITOR_KEYWORDS";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn updating() -> bool {
    std::env::var(UPDATE).is_ok_and(|v| v == "1")
}

// ---- what the schema says ---------------------------------------------------

/// Adds `word` to `list` unless it is there already: lists keep the
/// schema's order.
fn push(list: &mut Vec<String>, word: &str) {
    if !list.iter().any(|w| w == word) {
        list.push(word.to_string());
    }
}

/// The keywords that start a top-level statement.
fn top_level() -> Vec<String> {
    schema::top_level_keywords().map(String::from).collect()
}

/// Top-level statements that declare a name (`site NAME`, `KIND NAME`), as
/// opposed to `link`, `replicate`, `allow` and `include`.
fn declarations() -> Vec<String> {
    schema::STATEMENTS
        .iter()
        .chain(schema::DEVICE_KINDS)
        .filter(|k| k.form.split_whitespace().nth(1) == Some("NAME"))
        .map(|k| k.keyword.to_string())
        .collect()
}

fn parts() -> Vec<String> {
    schema::PARTS
        .iter()
        .map(|k| k.keyword.to_string())
        .collect()
}

/// Every property name of every kind, in the schema's order.
fn properties() -> Vec<String> {
    let mut out = Vec::new();
    for kind in schema::kinds() {
        for p in kind.properties.iter().filter(|p| p.name != "->") {
            push(&mut out, p.name);
        }
    }
    out
}

/// The places of a written form that are one of a set of words
/// (`prefork|threaded|event`, `[front|rear]`), as their words.
fn form_choices(syntax: &str) -> Vec<&str> {
    syntax
        .split_whitespace()
        .map(|t| t.trim_start_matches('[').trim_end_matches(']'))
        .filter(|t| {
            t.contains('|')
                && t.chars()
                    .all(|c| c.is_ascii_lowercase() || "|-".contains(c))
        })
        .flat_map(|t| t.split('|'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words of a form written as they stand (`at`, `to`, `width`).
fn form_literals(syntax: &str) -> Vec<&str> {
    syntax
        .split_whitespace()
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_lowercase()))
        .collect()
}

/// Each property that chooses among words, with every word it takes in any
/// kind (`role`: the site roles and the tier roles).
fn choices() -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for kind in schema::kinds() {
        for p in kind.properties {
            let words: Vec<&str> = match p.shape {
                Shape::Choice { words, .. } => words.to_vec(),
                Shape::Form { syntax } => form_choices(syntax),
                _ => Vec::new(),
            };
            if words.is_empty() {
                continue;
            }
            let at = match out.iter().position(|(name, _)| name == p.name) {
                Some(i) => i,
                None => {
                    out.push((p.name.to_string(), Vec::new()));
                    out.len() - 1
                }
            };
            for w in words {
                push(&mut out[at].1, w);
            }
        }
    }
    out
}

/// Properties with a TextMate rule of their own: `bus`, `memory` and
/// `shard` take presets and connectives, `allow` rule names.
const OWN_RULES: &[&str] = &["bus", "memory", "shard", "allow"];

/// The properties highlighted by the plain `property` rule.
fn plain_properties() -> Vec<String> {
    let choosing: Vec<String> = choices().into_iter().map(|(name, _)| name).collect();
    let parts = parts();
    properties()
        .into_iter()
        .filter(|p| !choosing.contains(p) && !parts.contains(p) && !OWN_RULES.contains(&p.as_str()))
        .collect()
}

/// The words of an explicit bus besides `to`: `width`, `rate` …
fn bus_keywords() -> Vec<String> {
    let bus = schema::part("cpu")
        .and_then(|k| k.property("bus"))
        .expect("a cpu has a bus");
    let Shape::Form { syntax } = bus.shape else {
        panic!("bus is a written form");
    };
    let mut out = Vec::new();
    for w in form_literals(syntax).into_iter().filter(|w| *w != "to") {
        push(&mut out, w);
    }
    out
}

fn bus_presets() -> Vec<String> {
    presets::bus_preset_names().map(String::from).collect()
}

fn memory_presets() -> Vec<String> {
    presets::memory_preset_names().map(String::from).collect()
}

/// Every lane width a preset takes: `x1`, `x4`, `x16` …
fn lane_widths() -> Vec<String> {
    let mut widths = BTreeSet::new();
    for p in presets::bus_presets() {
        match p.lanes {
            LaneRule::Required(allowed) | LaneRule::Optional { allowed, .. } => {
                widths.extend(allowed.iter().copied())
            }
            LaneRule::Fixed(_) => {}
        }
    }
    widths.into_iter().map(|w| format!("x{w}")).collect()
}

/// Every unit the language accepts.
fn unit_symbols() -> Vec<String> {
    units::unit_symbols().map(String::from).collect()
}

// ---- the TextMate grammar ---------------------------------------------------

/// What may not follow a keyword: it would be part of a longer name.
const END: &str = r"(?![A-Za-z0-9_\[.]|-(?!>))";
/// The name a declaration introduces, with an optional range.
const DECLARED_NAME: &str = r"(?:\s+([A-Za-z_](?:[A-Za-z0-9_]|-(?!>))*)(\[[0-9]+\.\.[0-9]+\])?((?:[A-Za-z0-9_]|-(?!>))+)?)?";
const NUMBER: &str = r"(-?[0-9]+(?:\.[0-9]+)?(?:[eE]-?[0-9]+)?)";
const AFTER_UNIT: &str = r"(?![A-Za-z0-9_/%\u00b5\u03bc])";

/// `a|b|c`, longest first so that no word stops short at a shorter one,
/// with regex characters escaped.
fn alternation(words: &[String]) -> String {
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    sorted
        .iter()
        .map(|w| {
            w.chars()
                .flat_map(|c| {
                    let escape = r"\.+*?()[]{}|^$".contains(c);
                    escape.then_some('\\').into_iter().chain([c])
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The words of the first group of a regex: `\b(a|b)…` gives `a`, `b`.
fn group_words(regex: &str) -> BTreeSet<String> {
    let Some(start) = regex.find('(') else {
        return BTreeSet::new();
    };
    let mut depth = 0;
    let mut end = regex.len();
    let mut escaped = false;
    for (i, c) in regex[start..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    end = start + i;
                    break;
                }
            }
            _ => {}
        }
    }
    regex[start + 1..end]
        .split('|')
        .map(|w| w.replace('\\', ""))
        .collect()
}

fn keyword_rule(words: &[String], scope: &str) -> Value {
    json!({
        "begin": format!(r"\b({}){END}", alternation(words)),
        "beginCaptures": { "1": { "name": scope } },
        "end": "(?=[;}])|$",
        "patterns": [ { "include": "#values" } ]
    })
}

fn constant_match(words: &[String]) -> String {
    format!(r"\b({}){END}", alternation(words))
}

/// One rule per property that chooses among words, highlighting only its
/// own words: `rack dr at U1` keeps `dr` a name.
fn choice_rules() -> Value {
    let rules: Vec<Value> = choices()
        .iter()
        .map(|(name, words)| {
            json!({
                "begin": format!(r"\b({}){END}", alternation(std::slice::from_ref(name))),
                "beginCaptures": { "1": { "name": "keyword.other.property.topo" } },
                "end": "(?=[;}])|$",
                "patterns": [
                    { "include": "#comment" },
                    {
                        "match": constant_match(words),
                        "captures": { "1": { "name": "support.constant.property-value.topo" } }
                    },
                    { "include": "#values" }
                ]
            })
        })
        .collect();
    json!({ "patterns": rules })
}

/// The grammar with every generated list set from the schema.
fn textmate_from_schema(mut grammar: Value) -> Value {
    let repo = grammar
        .get_mut("repository")
        .and_then(Value::as_object_mut)
        .expect("the grammar has a repository");
    repo["declaration"]["begin"] =
        format!(r"\b({}){END}{DECLARED_NAME}", alternation(&declarations())).into();
    repo["part-statement"]["begin"] =
        format!(r"\b({}){END}{DECLARED_NAME}", alternation(&parts())).into();
    repo["property"] = keyword_rule(&plain_properties(), "keyword.other.property.topo");
    repo["enum-property"] = choice_rules();
    let bus_patterns = repo["bus-statement"]["patterns"]
        .as_array_mut()
        .expect("the bus rule has patterns");
    let bus_words = bus_patterns
        .iter_mut()
        .find(|p| p["captures"]["1"]["name"] == "keyword.other.bus.topo")
        .expect("the bus rule highlights its own words");
    bus_words["match"] = constant_match(&bus_keywords()).into();
    repo["bus-preset"]["match"] = constant_match(&bus_presets()).into();
    repo["memory-preset"]["match"] = constant_match(&memory_presets()).into();
    repo["lane-width"]["match"] = constant_match(&lane_widths()).into();
    repo["quantity"]["patterns"][0]["match"] =
        format!("{NUMBER}({}){AFTER_UNIT}", alternation(&unit_symbols())).into();
    grammar
}

/// The generated lists of a grammar, by name, as sets of words.
fn textmate_lists(grammar: &Value) -> Vec<(String, BTreeSet<String>)> {
    let repo = &grammar["repository"];
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut lists = vec![
        (
            "declaration".to_string(),
            group_words(&text(&repo["declaration"]["begin"])),
        ),
        (
            "part-statement".into(),
            group_words(&text(&repo["part-statement"]["begin"])),
        ),
        (
            "property".into(),
            group_words(&text(&repo["property"]["begin"])),
        ),
        (
            "bus-preset".into(),
            group_words(&text(&repo["bus-preset"]["match"])),
        ),
        (
            "memory-preset".into(),
            group_words(&text(&repo["memory-preset"]["match"])),
        ),
        (
            "lane-width".into(),
            group_words(&text(&repo["lane-width"]["match"])),
        ),
    ];
    let units = text(&repo["quantity"]["patterns"][0]["match"]);
    let units = units.strip_prefix(NUMBER).unwrap_or(&units);
    lists.push(("units".into(), group_words(units)));
    let bus = repo["bus-statement"]["patterns"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["captures"]["1"]["name"] == "keyword.other.bus.topo");
    lists.push((
        "bus keywords".into(),
        bus.map(|p| group_words(&text(&p["match"])))
            .unwrap_or_default(),
    ));
    let mut choosing = BTreeSet::new();
    for rule in repo["enum-property"]["patterns"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let names = group_words(&text(&rule["begin"]));
        let words: BTreeSet<String> = rule["patterns"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["captures"]["1"]["name"] == "support.constant.property-value.topo")
            .flat_map(|p| group_words(&text(&p["match"])))
            .collect();
        for name in &names {
            lists.push((format!("words of `{name}`"), words.clone()));
        }
        choosing.extend(names);
    }
    lists.push(("enum-property".into(), choosing));
    lists
}

/// "missing: a, b; extra: c" for each list that differs.
fn differences(
    what: &str,
    actual: &[(String, BTreeSet<String>)],
    expected: &[(String, BTreeSet<String>)],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut names: Vec<&String> = expected.iter().map(|(n, _)| n).collect();
    for (n, _) in actual {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    for name in names {
        let find = |lists: &[(String, BTreeSet<String>)]| -> BTreeSet<String> {
            lists
                .iter()
                .filter(|(n, _)| n == name)
                .flat_map(|(_, w)| w.iter().cloned())
                .collect()
        };
        let (have, want) = (find(actual), find(expected));
        let missing: Vec<&String> = want.difference(&have).collect();
        let extra: Vec<&String> = have.difference(&want).collect();
        if missing.is_empty() && extra.is_empty() {
            continue;
        }
        let mut line = format!("{what} {name}:");
        if !missing.is_empty() {
            line.push_str(&format!(" missing {}", join(&missing)));
        }
        if !extra.is_empty() {
            line.push_str(&format!(" extra {}", join(&extra)));
        }
        out.push(line);
    }
    out
}

fn join(words: &[&String]) -> String {
    words
        .iter()
        .map(|w| w.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---- the tree-sitter highlights ---------------------------------------------

const BEGIN: &str = "; ---- generated from the language schema; do not edit by hand:\n; UPDATE_EDITOR_KEYWORDS=1 cargo test --test editor_keywords\n";
const END_MARK: &str = "; ---- end of the generated patterns\n";

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The generated patterns of highlights.scm.
fn highlights_from_schema() -> String {
    let mut out = String::from(BEGIN);
    out.push_str(&format!(
        "
; The name a declaration introduces at top level: `site tokyo`,
; `server web[1..4]`, `power ups-a`, ...
(source_file
  (statement
    keyword: (keyword) @keyword
    .
    [
      (name)
      (range)
    ] @type
    (#any-of? @keyword {})))

; Inside a model or device, the parts: `cpu cpu[0..1]`, `nic nic0`, ...
; (`rack t1`, `site tokyo` or `tier web` inside a block are references, not
; declarations, and stay plain names.)
(block
  (statement
    keyword: (keyword) @keyword
    .
    [
      (name)
      (range)
    ] @type
    (#any-of? @keyword {})))
",
        quoted(&declarations()),
        quoted(&parts())
    ));
    out.push_str(
        "
; The words a property chooses from, each property its own: `role dr`,
; `ha active-standby`, `rack t1 at U20 rear` (`rack dr` stays a name).
",
    );
    for (name, words) in choices() {
        out.push_str(&format!(
            "(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword \"{name}\")
    (#any-of? @constant.builtin {})))
",
            quoted(&words)
        ));
    }
    out.push_str(&format!(
        "
; Bus presets and lane widths (`bus pcie4 x8 to cpu0`), memory presets
; (`memory ddr4-3200 {{ … }}`).
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword \"bus\")
    (#any-of? @constant.builtin {} {})))
(block
  (statement
    keyword: (keyword) @keyword
    .
    (name) @constant.builtin
    (#eq? @keyword \"memory\")
    (#any-of? @constant.builtin {})))
",
        quoted(&bus_presets()),
        quoted(&lane_widths()),
        quoted(&memory_presets())
    ));
    out.push_str(END_MARK);
    out
}

/// Every quoted word of a query text.
fn quoted_words(text: &str) -> BTreeSet<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

// ---- the tests --------------------------------------------------------------

#[test]
fn the_textmate_grammar_holds_the_schema_keywords() {
    let path = repo("editors/vscode/syntaxes/topo.tmLanguage.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let current: Value = serde_json::from_str(&text).expect("the grammar is JSON");
    let expected = textmate_from_schema(current.clone());
    let expected_text = serde_json::to_string_pretty(&expected).unwrap() + "\n";
    if updating() {
        if expected_text != text {
            std::fs::write(&path, &expected_text).unwrap();
        }
        return;
    }
    let found = differences(
        "TextMate",
        &textmate_lists(&current),
        &textmate_lists(&expected),
    );
    assert!(
        found.is_empty(),
        "{} differs from the schema ({UPDATE}=1 cargo test --test editor_keywords rewrites it):\n{}",
        path.display(),
        found.join("\n")
    );
    assert!(
        expected_text == text,
        "{} holds the schema's words but not as generated: run {UPDATE}=1 cargo test --test editor_keywords",
        path.display()
    );
}

#[test]
fn the_tree_sitter_highlights_hold_the_schema_keywords() {
    let path = repo("editors/tree-sitter-topo/queries/highlights.scm");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(BEGIN).unwrap_or_else(|| {
        panic!(
            "{} has no generated part starting {BEGIN:?}",
            path.display()
        )
    });
    let end = text[start..]
        .find(END_MARK)
        .map(|i| start + i + END_MARK.len())
        .unwrap_or_else(|| panic!("{} has no line {END_MARK:?}", path.display()));
    let expected = highlights_from_schema();
    if updating() {
        if text[start..end] != expected {
            let updated = format!("{}{expected}{}", &text[..start], &text[end..]);
            std::fs::write(&path, updated).unwrap();
        }
        return;
    }
    let current = [("quoted words".to_string(), quoted_words(&text[start..end]))];
    let wanted = [("quoted words".to_string(), quoted_words(&expected))];
    let found = differences("tree-sitter", &current, &wanted);
    assert!(
        found.is_empty(),
        "{} differs from the schema ({UPDATE}=1 cargo test --test editor_keywords rewrites it):\n{}",
        path.display(),
        found.join("\n")
    );
    assert!(
        text[start..end] == expected,
        "{} holds the schema's words but not as generated: run {UPDATE}=1 cargo test --test editor_keywords",
        path.display()
    );
}

/// The lists themselves: every v2 keyword is in them, and each statement
/// keyword has exactly one TextMate rule.
#[test]
fn the_lists_cover_version_2_and_every_statement_once() {
    let all_properties = properties();
    for word in [
        "phases",
        "rated",
        "from",
        "cooling",
        "feeds",
        "power-factor",
        "depth",
        "count",
        "entry",
        "members",
        "takes-over",
        "write-rate",
        "kind",
        "capacity",
        "oversubscription",
        "ram",
    ] {
        assert!(all_properties.iter().any(|p| p == word), "property {word}");
    }
    for word in ["power", "fault-domain"] {
        assert!(declarations().iter().any(|p| p == word), "statement {word}");
    }
    assert!(parts().iter().any(|p| p == "bridge"));
    let rack = choices().into_iter().find(|(n, _)| n == "rack").unwrap().1;
    assert_eq!(rack, ["front", "rear"]);
    let ha = choices().into_iter().find(|(n, _)| n == "ha").unwrap().1;
    assert_eq!(ha, ["active-standby", "active-active", "quorum"]);
    let units = unit_symbols();
    for unit in ["VA", "kVA", "MVA", "km", "mi", "GbE", "%"] {
        assert!(units.iter().any(|u| u == unit), "unit {unit}");
    }
    assert_eq!(bus_keywords(), ["width", "rate", "period", "bandwidth"]);

    // include, allow, link and replicate have rules of their own.
    let grammar: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("editors/vscode/syntaxes/topo.tmLanguage.json")).unwrap(),
    )
    .unwrap();
    let repo = &grammar["repository"];
    let mut seen: Vec<String> = Vec::new();
    for rule in [
        "include-statement",
        "allow-statement",
        "link-statement",
        "declaration",
    ] {
        seen.extend(group_words(repo[rule]["begin"].as_str().unwrap()));
    }
    seen.sort();
    let mut all = top_level();
    all.sort();
    assert_eq!(seen, all, "each top-level keyword has one rule");

    // Every property is highlighted by exactly one rule inside blocks.
    let mut covered: Vec<String> = plain_properties();
    covered.extend(choices().into_iter().map(|(n, _)| n));
    covered.extend(parts());
    covered.extend(OWN_RULES.iter().map(|s| s.to_string()));
    covered.sort();
    let mut all = properties();
    all.sort();
    assert_eq!(covered, all);
}

#[test]
fn alternations_put_longer_words_first_and_escape_regex_characters() {
    let words: Vec<String> = ["a", "abc", "b/s", "x.y"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(alternation(&words), r"abc|b/s|x\.y|a");
    assert_eq!(
        group_words(r"\b(abc|x\.y)(?![a-z])"),
        BTreeSet::from(["abc".to_string(), "x.y".to_string()])
    );
}
