//! `rack-cooling` (the heat a rack's devices give off against its
//! `cooling`) and `missing-draw` (devices a rack's power figures leave out),
//! the rack elevation's power bar and a rack's hover: for each situation a
//! project that shows it and one that does not, with the exact findings and
//! their figures.

mod support;

use serde_json::{json, Value};
use topo::check::check_sources;
use topo::diagnostic::Severity;

/// Every finding of a project: (rule, severity, message, data).
fn findings(text: &str) -> Vec<(String, Severity, String, Value)> {
    check_sources(&[("plan.topo", text)])
        .diagnostics
        .iter()
        .map(|d| {
            let data: serde_json::Map<String, Value> = d
                .data
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            (
                d.rule.to_string(),
                d.severity,
                d.message.clone(),
                Value::Object(data),
            )
        })
        .collect()
}

/// The findings of one rule: (message, data).
fn of_rule(text: &str, rule: &str) -> Vec<(String, Value)> {
    findings(text)
        .into_iter()
        .filter(|(r, ..)| r == rule)
        .map(|(_, _, m, d)| (m, d))
        .collect()
}

/// The rules a project's findings come from, in order.
fn rules(text: &str) -> Vec<String> {
    findings(text).into_iter().map(|(r, ..)| r).collect()
}

// --- rack-cooling --------------------------------------------------------------

/// Twelve servers of 450 W: 5.4 kW of heat in a 5 kW position.
const HOT: &str = "\
site dc {}
rack r1 { site dc; cooling 5kW }
server s[1..12] { rack r1 at U1; size 1U; draw 450W }
";

#[test]
fn a_rack_drawing_more_than_its_cooling_is_a_warning() {
    let found = findings(HOT);
    assert_eq!(
        found,
        [(
            "rack-cooling".to_string(),
            Severity::Warning,
            "rack `r1` draws 5.40 kW, all of it heat (18,425 BTU/h), over its 5.00 kW of cooling (17,060 BTU/h): 108 %".to_string(),
            json!({"load": 5400.0, "capacity": 5000.0, "unit": "W", "percent": 108.0}),
        )]
    );
}

#[test]
fn a_rack_within_its_cooling_is_quiet() {
    // Eleven servers: 4.95 kW of 5 kW.
    let text = HOT.replace("s[1..12]", "s[1..11]");
    assert_eq!(findings(&text), []);
    // Exactly at the figure is within it.
    let text = HOT
        .replace("draw 450W", "draw 5kW")
        .replace("s[1..12]", "s[1..1]");
    assert_eq!(findings(&text), []);
}

#[test]
fn heat_is_the_real_power_at_the_power_factor() {
    // 5.5 kVA at a power factor of 0.9 is 4.95 kW of heat: within 5 kW,
    // although the apparent power is above it.
    let within = "\
site dc {}
rack r1 { site dc; cooling 5kW }
server s[1..11] { rack r1 at U1; size 1U; draw 500VA; power-factor 0.9 }
";
    assert_eq!(findings(within), []);
    // 12 × 500 VA × 0.9 = 5.4 kW.
    let over = within.replace("s[1..11]", "s[1..12]");
    assert_eq!(
        of_rule(&over, "rack-cooling"),
        [(
            "rack `r1` draws 5.40 kW, all of it heat (18,425 BTU/h), over its 5.00 kW of cooling (17,060 BTU/h): 108 %".to_string(),
            json!({"load": 5400.0, "capacity": 5000.0, "unit": "W", "percent": 108.0}),
        )]
    );
}

#[test]
fn a_draw_in_amps_converts_at_the_rack_voltage() {
    // 10 × 2.4 A at 230 V = 5.52 kW.
    let text = "\
site dc {}
rack r1 { site dc; voltage 230V; cooling 5kW }
server s[1..10] { rack r1 at U1; size 1U; draw 2.4A }
";
    let found = of_rule(text, "rack-cooling");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].0,
        "rack `r1` draws 5.52 kW, all of it heat (18,834 BTU/h), over its 5.00 kW of cooling (17,060 BTU/h): 110 %"
    );
    assert_eq!(found[0].1["load"].as_f64().unwrap().round(), 5520.0);
    // Nine servers: 4.97 kW.
    assert_eq!(findings(&text.replace("s[1..10]", "s[1..9]")), []);
}

#[test]
fn devices_without_a_draw_make_the_heat_a_lower_bound() {
    let text = format!(
        "{HOT}server x[1..2] {{ rack r1 at U20; size 1U }}\npdu p1 {{ rack r1 at U30; size 1U }}\n"
    );
    assert_eq!(
        of_rule(&text, "rack-cooling"),
        [(
            "rack `r1` draws 5.40 kW, all of it heat (18,425 BTU/h), over its 5.00 kW of cooling (17,060 BTU/h): 108 %; 2 devices without a draw count as 0 (a lower bound)".to_string(),
            json!({"load": 5400.0, "capacity": 5000.0, "unit": "W", "percent": 108.0, "missing": 2}),
        )]
    );
}

#[test]
fn the_finding_is_about_the_rack_and_an_allow_there_silences_it() {
    let checked = check_sources(&[("plan.topo", HOT)]);
    assert_eq!(checked.diagnostics[0].subject.as_deref(), Some("r1"));
    let allowed = HOT.replace("cooling 5kW }", "cooling 5kW; allow rack-cooling }");
    assert_eq!(findings(&allowed), []);
}

#[test]
fn a_rack_without_cooling_is_not_checked_for_heat() {
    let text = HOT.replace("; cooling 5kW", "");
    assert_eq!(findings(&text), []);
}

// --- missing-draw --------------------------------------------------------------

/// A rack on a 30 A circuit with two servers of five given a draw.
const PARTIAL: &str = "\
site dc {}
feed a { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a }
server web1 { rack r1 at U1; size 1U; draw 500W }
server web2 { rack r1 at U2; size 1U; draw 500W }
server db[1..3] { rack r1 at U10; size 2U }
pdu p1 { rack r1 at U40; size 1U }
";

#[test]
fn devices_without_a_draw_are_named_once_per_rack() {
    assert_eq!(
        findings(PARTIAL),
        [(
            "missing-draw".to_string(),
            Severity::Info,
            "rack `r1` has 3 devices without a draw (db1, db2, db3): its power and heat totals count them as 0 and are a lower bound".to_string(),
            json!({"missing": 3, "devices": ["db1", "db2", "db3"]}),
        )]
    );
}

#[test]
fn every_device_with_a_draw_is_quiet() {
    // A pdu without a draw passes power on: not missing.
    let text = PARTIAL.replace("size 2U }", "size 2U; draw 800W }");
    assert_eq!(findings(&text), []);
}

#[test]
fn a_model_draw_counts() {
    let text = format!(
        "model box {{ draw 300W }}\n{}",
        PARTIAL.replace("server db[1..3] {", "server db[1..3] : box {")
    );
    assert_eq!(findings(&text), []);
}

#[test]
fn a_long_list_names_the_first_three() {
    let text = PARTIAL.replace("db[1..3]", "db[1..7]");
    assert_eq!(
        of_rule(&text, "missing-draw"),
        [(
            "rack `r1` has 7 devices without a draw (db1, db2, db3 and 4 more): its power and heat totals count them as 0 and are a lower bound".to_string(),
            json!({"missing": 7, "devices": ["db1", "db2", "db3", "db4", "db5", "db6", "db7"]}),
        )]
    );
    let one = PARTIAL.replace("db[1..3]", "db[1..1]");
    assert_eq!(
        of_rule(&one, "missing-draw")[0].0,
        "rack `r1` has 1 device without a draw (db1): its power and heat totals count it as 0 and are a lower bound"
    );
}

#[test]
fn a_rack_with_nothing_to_check_against_is_quiet() {
    // A feed without a circuit checks nothing.
    let text = PARTIAL.replace(
        "feed a { site dc; circuit 30A at 208V }",
        "feed a { site dc }",
    );
    assert_eq!(findings(&text), []);
    // Its own power limit, or its cooling, is something to check against.
    for limit in ["power 5kW", "cooling 10kW"] {
        let text = text.replace("feeds a }", &format!("feeds a; {limit} }}"));
        assert_eq!(rules(&text), ["missing-draw"], "{limit}");
    }
}

#[test]
fn a_draw_in_amps_without_a_voltage_is_a_language_error_not_missing() {
    let text = "\
site dc {}
rack r1 { site dc; cooling 10kW }
server s1 { rack r1 at U1; size 1U; draw 2A }
";
    assert_eq!(rules(text), ["invalid-value"]);
}

#[test]
fn an_allow_on_the_rack_silences_missing_draw() {
    let text = PARTIAL.replace("feeds a }", "feeds a; allow missing-draw }");
    assert_eq!(findings(&text), []);
    let checked = check_sources(&[("plan.topo", PARTIAL)]);
    assert_eq!(checked.diagnostics[0].subject.as_deref(), Some("r1"));
}

// --- the rule fixtures (tests/fixtures/<rule>/) ----------------------------------

/// (rule, message) of every finding of a rule fixture.
fn fixture(rule: &str, which: &str) -> Vec<(String, String)> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/{rule}/{which}.topo"));
    topo::check::check_files(&[path])
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.message.clone()))
        .collect()
}

fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_rack_cooling_fixtures() {
    assert_eq!(
        fixture("rack-cooling", "fires"),
        owned(&[
            ("rack-cooling", "rack `r1` draws 5.40 kW, all of it heat (18,425 BTU/h), over its 5.00 kW of cooling (17,060 BTU/h): 108 %"),
            ("rack-cooling", "rack `r2` draws 7.60 kW, all of it heat (25,931 BTU/h), over its 7.00 kW of cooling (23,884 BTU/h): 109 %; 2 devices without a draw count as 0 (a lower bound)"),
        ])
    );
    assert_eq!(fixture("rack-cooling", "clean"), []);
}

#[test]
fn the_missing_draw_fixtures() {
    assert_eq!(
        fixture("missing-draw", "fires"),
        owned(&[
            ("missing-draw", "rack `r1` has 3 devices without a draw (db1, db2, db3): its power and heat totals count them as 0 and are a lower bound"),
            ("missing-draw", "rack `r2` has 1 device without a draw (tor2): its power and heat totals count it as 0 and are a lower bound"),
        ])
    );
    assert_eq!(fixture("missing-draw", "clean"), []);
}

// --- the rack elevation's power bar ---------------------------------------------

/// The text lines of a rack elevation that speak of power.
fn power_lines(text: &str) -> Vec<String> {
    let c = check_sources(&[("plan.topo", text)]);
    let svg = topo::render::rack::svg(&c.project, &c.diagnostics, None);
    svg.lines()
        // Groups' tooltips carry the findings' messages: not drawn text.
        .filter(|l| !l.starts_with("<g"))
        .filter(|l| l.contains("power") || l.contains("without draw") || l.contains(">feed "))
        .map(|l| {
            // The text content of the element.
            let start = l.find('>').map_or(0, |i| i + 1);
            let end = l.rfind("</").unwrap_or(l.len());
            l[start..end].to_string()
        })
        .collect()
}

#[test]
fn the_power_bar_marks_a_lower_bound() {
    assert_eq!(
        power_lines(PARTIAL),
        [
            "power ≥ 1 kVA of 6.24 kVA (16 %)",
            "feed a",
            "3 devices without draw"
        ]
    );
    let c = check_sources(&[("plan.topo", PARTIAL)]);
    let dot = topo::render::rack::dot(&c.project, &c.diagnostics, None);
    assert!(dot.contains("rack r1 · 42U · ≥ 1 kVA of 6.24 kVA"), "{dot}");
}

#[test]
fn the_power_bar_of_a_rack_with_every_draw_is_exact() {
    let text = PARTIAL.replace("size 2U }", "size 2U; draw 800W }");
    assert_eq!(
        power_lines(&text),
        ["power 3.4 kVA of 6.24 kVA (54 %)", "feed a"]
    );
}

// --- a rack's hover ------------------------------------------------------------

/// The hover text of rack `r1` (declared on a line starting `rack r1`).
fn rack_hover(text: &str) -> String {
    let (_dir, uri) = support::lsp::document("plan.topo", text);
    let mut c = support::lsp::Lsp::start();
    c.initialize();
    c.open(&uri, text);
    c.diagnostics_for(&uri);
    let line = text
        .lines()
        .position(|l| l.starts_with("rack r1"))
        .expect("rack r1 is declared");
    let reply = c.request_at("textDocument/hover", &uri, line, 5);
    reply["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("a hover on r1: {reply}"))
        .to_string()
}

/// The paragraphs of a hover text.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::to_string).collect()
}

#[test]
fn a_rack_hover_shows_power_heat_and_the_lower_bound() {
    let text = format!(
        "{}server x[1..2] {{ rack r1 at U20; size 1U }}\n",
        HOT.replace("cooling 5kW", "power 6kW; cooling 5kW")
    );
    let shown = paragraphs(&rack_hover(&text));
    assert_eq!(
        shown[2..5],
        [
            "power: ≥ 5.4 kVA of 6 kVA, 90 % (the rack's own limit)",
            "heat: ≥ 5.40 kW (18,425 BTU/h) of 5.00 kW cooling, 108 %",
            "2 devices without a draw: the figures are a lower bound",
        ]
    );
}

#[test]
fn a_rack_hover_with_every_draw_states_exact_figures() {
    let shown = paragraphs(&rack_hover(HOT));
    assert_eq!(
        shown[2..4],
        [
            "power: 5.4 kVA, no budget",
            "heat: 5.40 kW (18,425 BTU/h) of 5.00 kW cooling, 108 %",
        ]
    );
    assert_eq!(shown[4], "weight: 0 kg");
}

#[test]
fn a_rack_hover_without_cooling_shows_no_heat() {
    let shown = paragraphs(&rack_hover(PARTIAL));
    assert_eq!(
        shown[2..5],
        [
            "power: ≥ 1 kVA of 6.24 kVA, 16 % (feed `a`)",
            "3 devices without a draw: the figures are a lower bound",
            "weight: 0 kg",
        ]
    );
}

/// Two feeds of 30 A at 208 V (6.24 kVA) to r1: eight servers of 450 W on
/// both, 1.8 kVA on each feed until the other fails, 3.6 kVA then.
const TWO_FEEDS: &str = "\
site dc {}
feed a { site dc; circuit 30A at 208V }
feed b { site dc; circuit 30A at 208V; rated 100% }
rack r1 { site dc; feeds a b }
server s[1..8] { rack r1 at U1; size 1U; draw 450W }
";

#[test]
fn the_bar_and_the_hover_show_the_worst_feed_after_a_failure() {
    assert_eq!(
        power_lines(TWO_FEEDS),
        ["power 3.6 kVA of 6.24 kVA (58 %)", "feed a, if b fails"]
    );
    assert_eq!(
        paragraphs(&rack_hover(TWO_FEEDS))[2],
        "power: 3.6 kVA of 6.24 kVA, 58 % (feed `a` if `b` fails)"
    );
}

#[test]
fn the_bar_turns_amber_above_the_feed_continuous_limit() {
    // 12 servers: 5.4 kVA of 6.24 kVA after a failure, 87 %: amber on a
    // feed at 80 %; the same share on a 100 %-rated feed stays green.
    let over = TWO_FEEDS.replace("s[1..8]", "s[1..12]");
    let c = check_sources(&[("plan.topo", &over)]);
    let svg = topo::render::rack::svg(&c.project, &c.diagnostics, None);
    assert!(svg.contains("fill:#e69f00"), "amber at 87 % of feed a");
    let rated = over.replace(
        "feed a { site dc; circuit 30A at 208V }",
        "feed a { site dc; circuit 30A at 208V; rated 100% }",
    );
    let c = check_sources(&[("plan.topo", &rated)]);
    let svg = topo::render::rack::svg(&c.project, &c.diagnostics, None);
    assert!(!svg.contains("fill:#e69f00"), "green under a 100 % rating");
    assert!(svg.contains("fill:#3f9c6d"));
}
