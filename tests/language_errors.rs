//! Every language error: where it lands (rule, line, column) and how it
//! reads (an insta snapshot of the human output).

use topo::check::check_sources;
use topo::report::human::{self, Style};

/// Checks the files; returns (rule, line, column) of each diagnostic and the
/// rendered human output.
fn run(files: &[(&str, &str)]) -> (Vec<(String, usize, usize)>, String) {
    let checked = check_sources(files);
    let at = checked
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = checked.sources.get(d.span.file).line_col(d.span.start);
            (d.rule.to_string(), line, column)
        })
        .collect();
    (
        at,
        human::render(&checked.sources, &checked.diagnostics, Style::plain()),
    )
}

fn at(rule: &str, line: usize, column: usize) -> (String, usize, usize) {
    (rule.to_string(), line, column)
}

#[test]
fn syntax_unexpected_character() {
    let (found, text) = run(&[(
        "dc.topo",
        "site tokyo\nrack r1 { site tokyo; feeds a, b }\nsite osaka\n",
    )]);
    assert_eq!(found, [at("syntax", 2, 30)]);
    insta::assert_snapshot!(text);
}

#[test]
fn syntax_unclosed_block_recovers_at_next_statement() {
    let (found, text) = run(&[(
        "dc.topo",
        "rack r1 {\n  height 42U\nsite tokyo { role primary }\nsite tokyo2 { rol primary }\n",
    )]);
    assert_eq!(found, [at("syntax", 1, 9), at("syntax", 4, 15)]);
    insta::assert_snapshot!(text);
}

#[test]
fn syntax_unterminated_string() {
    let (found, text) = run(&[(
        "dc.topo",
        "site s\nclient pos { software pos-terminal \"4.2 }\n",
    )]);
    assert_eq!(found, [at("syntax", 2, 36)]);
    insta::assert_snapshot!(text);
}

#[test]
fn syntax_unknown_keyword_and_property_suggest() {
    let (found, text) = run(&[(
        "dc.topo",
        "site tokyo\nrak r1 { site tokyo }\nrack r2 { site tokyo; hieght 42U }\n",
    )]);
    assert_eq!(found, [at("syntax", 2, 1), at("syntax", 3, 23)]);
    assert!(text.contains("did you mean `rack`?"));
    assert!(text.contains("did you mean `height`?"));
    insta::assert_snapshot!(text);
}

#[test]
fn syntax_deep_nesting_is_refused() {
    let deep = format!("site s\nmodel m {}{}\n", "{".repeat(40), "}".repeat(40));
    let (found, text) = run(&[("dc.topo", &deep)]);
    assert_eq!(found, [at("syntax", 2, 41)]);
    insta::assert_snapshot!(text);
}

#[test]
fn unknown_name_suggests_the_closest() {
    let (found, text) = run(&[(
        "dc.topo",
        "site tokyo\nfeed feed-a { site tokyo; circuit 30A at 208V }\nrack r1 { site tokyo; feeds feed-b }\nserver web1 { size 1U; rack r2 at U1 }\n",
    )]);
    assert_eq!(
        found,
        [at("unknown-name", 3, 29), at("unknown-name", 4, 29)]
    );
    assert!(text.contains("did you mean `feed-a`?"));
    assert!(text.contains("did you mean `r1`?"));
    insta::assert_snapshot!(text);
}

#[test]
fn unknown_name_of_the_wrong_kind() {
    let (found, text) = run(&[(
        "dc.topo",
        "site tokyo\nserver t1 { site tokyo }\nserver web1 { size 1U; rack t1 at U1 }\n",
    )]);
    assert_eq!(found, [at("invalid-value", 3, 29)]);
    insta::assert_snapshot!(text);
}

#[test]
fn duplicate_name_points_at_both() {
    let (found, text) = run(&[(
        "dc.topo",
        "site tokyo\nserver web[1..4] { site tokyo }\nserver web3 { site tokyo }\n",
    )]);
    assert_eq!(found, [at("duplicate-name", 3, 8)]);
    let checked = check_sources(&[(
        "dc.topo",
        "site tokyo\nserver web[1..4] { site tokyo }\nserver web3 { site tokyo }\n",
    )]);
    let related = &checked.diagnostics[0].related[0];
    assert_eq!(
        checked
            .sources
            .get(related.span.file)
            .line_col(related.span.start),
        (2, 8)
    );
    insta::assert_snapshot!(text);
}

#[test]
fn duplicate_name_across_files() {
    let (found, text) = run(&[
        (
            "dc.topo",
            "include \"models.topo\"\nmodel r650 { size 1U }\n",
        ),
        ("models.topo", "model r650 { size 1U }\n"),
    ]);
    assert_eq!(found, [at("duplicate-name", 2, 7)]);
    insta::assert_snapshot!(text);
}

#[test]
fn unit_mismatch_names_both_dimensions() {
    let (found, text) = run(&[(
        "dc.topo",
        "site s\nrack r1 { site s; max-weight 30A; height 42 }\n",
    )]);
    assert_eq!(
        found,
        [at("unit-mismatch", 2, 30), at("unit-mismatch", 2, 42)]
    );
    assert!(text.contains("expected a mass (kg, g, lb), found a current (A, mA)"));
    insta::assert_snapshot!(text);
}

#[test]
fn unit_mismatch_unknown_unit() {
    let (found, text) = run(&[(
        "dc.topo",
        "site s\nserver a { site s; draw 30Amps; weight 20lbs }\n",
    )]);
    assert_eq!(
        found,
        [at("unit-mismatch", 2, 27), at("unit-mismatch", 2, 42)]
    );
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_backwards_range() {
    let (found, text) = run(&[("dc.topo", "site s\nserver web[4..1] { site s }\n")]);
    assert_eq!(found, [at("invalid-value", 2, 11)]);
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_range_bomb() {
    let (found, text) = run(&[("dc.topo", "site s\nserver web[1..999999999] { site s }\n")]);
    assert_eq!(found, [at("invalid-value", 2, 11)]);
    assert!(text.contains("999999999 names, more than the limit of 100000"));
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_bus_cycle() {
    let (found, text) = run(&[(
        "dc.topo",
        "model m {\n  cpu cpu0 { cores 8 }\n  controller a { bus pcie3 x8 to b }\n  controller b { bus pcie3 x8 to a }\n}\n",
    )]);
    assert_eq!(found, [at("invalid-value", 3, 18)]);
    assert!(text.contains("bus cycle: a → b → a"));
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_model_cycle() {
    let (found, text) = run(&[(
        "dc.topo",
        "model a : b { size 1U }\nmodel b : c { size 1U }\nmodel c : a { size 1U }\n",
    )]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "invalid-value");
    assert!(
        text.contains("model inheritance cycle: a → b → c → a"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_include_cycle() {
    let (found, text) = run(&[
        ("dc.topo", "include \"models.topo\"\nsite s\n"),
        ("models.topo", "include \"dc.topo\"\nmodel m { size 1U }\n"),
    ]);
    assert_eq!(found, [at("invalid-value", 1, 9)]);
    assert!(text.contains("include cycle: dc.topo → models.topo → dc.topo"));
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_missing_include() {
    let (found, text) = run(&[("dc.topo", "include \"models/dell.topo\"\nsite s\n")]);
    assert_eq!(found, [at("invalid-value", 1, 9)]);
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_current_without_voltage() {
    let (found, text) = run(&[(
        "dc.topo",
        "site s\nfeed f { site s; circuit 30A }\nrack r { site s; feeds f }\nserver a { size 1U; draw 2A; rack r at U1 }\n",
    )]);
    assert_eq!(
        found,
        [at("invalid-value", 2, 26), at("invalid-value", 4, 26)]
    );
    insta::assert_snapshot!(text);
}

#[test]
fn invalid_value_other_malformed_values() {
    let (found, text) = run(&[(
        "dc.topo",
        "site s\nrack r { site s; height 0U }\nmodel m {\n  size 1U\n  cpu cpu0 { memory ddr4-3200 { channels 8; dimms 1 1 1 1 } }\n  nic n { ports 2 x 3GbE; bus pcie3 to cpu0 }\n}\nserver a : m { rack r at 10 }\n",
    )]);
    assert_eq!(
        found,
        [
            at("invalid-value", 2, 25),
            at("invalid-value", 5, 51),
            at("invalid-value", 6, 21),
            at("invalid-value", 6, 31),
            at("invalid-value", 8, 26),
        ]
    );
    insta::assert_snapshot!(text);
}

#[test]
fn every_error_is_reported_in_one_run() {
    let (found, _) = run(&[(
        "dc.topo",
        "site tokyo\nrak r2\nrack r1 { site tokio; height 42 }\nserver web1 { rack r9 at U1; size 1U }\nflow f { nobody -> web1 }\n",
    )]);
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        rules,
        [
            "syntax",
            "unknown-name",
            "unit-mismatch",
            "unknown-name",
            "unknown-name",
            "invalid-value"
        ]
    );
}
